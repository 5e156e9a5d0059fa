/*
 * sidecar~: a stereo sidechain ducker / stereo compressor for Pure Data.
 *
 * This file is only the Pd glue: inlets and outlets, creation flags, messages, connection
 * state for normalling, multichannel strips, and dsp_add. All the signal processing is in
 * dsp/sidecar.c, a plain C core (see dsp/sidecar.h). The behaviour contract is SPEC.md; the
 * reference is the README.
 *
 * Multichannel (Pd 0.54 and later): the object runs one core per channel ("strip") side by
 * side. It is built against Pd 0.53's headers too, so the multichannel API is found at run
 * time: see sidecar_tilde_setup.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "m_pd.h"
#include "m_imp.h"    /* obj_issignaloutlet */
#include "g_canvas.h" /* t_linetraverser */

#include "sidecar.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if PD_MAJOR_VERSION > 0 || PD_MINOR_VERSION >= 54
#define SIDECAR_MC_HEADERS 1 /* m_pd.h declares signal_setmultiout and t_signal.s_nchans */
#else
#define SIDECAR_MC_HEADERS 0
#if defined(_WIN32)
#include <windows.h> /* GetProcAddress */
#elif defined(__GNUC__) /* gcc, clang: a weak reference, see sidecar_tilde_find_setmultiout */
void signal_setmultiout(t_signal **sig, int nchans) __attribute__((weak));
#else
#include <dlfcn.h>
#endif
#endif

_Static_assert(sizeof(t_sample) == sizeof(sidecar_sample),
               "sidecar_sample must match Pd's t_sample (see PD_FLOATSIZE in dsp/sidecar.h)");

#if !SIDECAR_MC_HEADERS
/* The start of Pd 0.54's t_signal. With 0.53's headers, t_signal has s_refcount where 0.54 has
 * s_nchans: read through this only when the running Pd is 0.54 or later. */
typedef struct {
    int s_length;
    t_sample *s_vec;
    t_float s_sr;
    int s_nchans;
} sidecar_signal_054;
_Static_assert(offsetof(sidecar_signal_054, s_vec) == offsetof(t_signal, s_vec) &&
                   offsetof(sidecar_signal_054, s_sr) == offsetof(t_signal, s_sr) &&
                   offsetof(sidecar_signal_054, s_nchans) == offsetof(t_signal, s_refcount),
               "Pd 0.54's t_signal starts like 0.53's, with s_nchans in place of s_refcount");
#endif

#define SIDECAR_CLASS_MULTICHANNEL 0x10 /* CLASS_MULTICHANNEL of Pd 0.54's m_pd.h */

static const char *const inlet_names[SIDECAR_NINPUTS] = {
    "audio_l_in", "audio_r_in", "sc_l_in", "sc_r_in",
    "threshold_cv", "env_mag_cv", "input_level_cv",
};

/* Written once, in setup, like every Pd class pointer (shared by Pd instances): the class, and
 * Pd's signal_setmultiout when the running Pd has multichannel signals (else NULL). */
static t_class *sidecar_tilde_class;
typedef void (*sidecar_setmultiout_fn)(t_signal **sig, int nchans);
static sidecar_setmultiout_fn sidecar_setmultiout;

typedef struct _sidecar_tilde {
    t_object x_obj;
    t_float x_f;         /* float of the main signal inlet (CLASS_MAINSIGNALIN) */
    t_canvas *x_canvas;  /* the canvas whose connections tell which inlets are patched */
    /* strips: strip 0 is x_core, strips 1.. are x_more[0..]; x_nstrips in use (>= 1), room for
     * x_morecap in x_more. Parameters, mode, reset and trigger go to every strip. */
    sidecar x_core;
    sidecar *x_more;
    int x_nstrips, x_morecap;
    int x_nchans;        /* C: channels on every outlet (last dsp); strips beyond x_nstrips
                          * (out of memory) output zeros */
    /* inputs whose buffer Pd also gave to an outlet in another channel layout are copied here
     * first (multichannel only, by a dsp_add_copy ahead of perform), so that a strip never
     * reads what another strip wrote */
    t_sample *x_scratch;
    size_t x_scratchsize; /* in samples */
} t_sidecar_tilde;

static sidecar *sidecar_tilde_strip(t_sidecar_tilde *x, int k)
{
    return k ? &x->x_more[k - 1] : &x->x_core;
}

/* ---- parameters -------------------------------------------------------------------------- */

static void sidecar_tilde_nomem(t_sidecar_tilde *x, int nstrips)
{
    if (x->x_nstrips > 1)
        pd_error(x, "sidecar~: out of memory for the lookahead delay line (%d of %d channels); "
                    "lookahead unchanged there", nstrips, x->x_nstrips);
    else
        pd_error(x, "sidecar~: out of memory for the lookahead delay line; lookahead unchanged");
}

/* Apply a value to parameter p on every strip, with one console error if it had to be clamped.
 * `how` ("flag -" or "") and `name` (the id or alias the user typed) word the message. */
static void sidecar_tilde_apply(t_sidecar_tilde *x, int p, t_float value, const char *how,
                                const char *name)
{
    const sidecar_param_info *info = sidecar_param_get_info(p);
    sidecar_set_result first = SIDECAR_SET_OK;
    int nomem = 0;
    for (int k = 0; k < x->x_nstrips; k++) {
        sidecar_set_result r = sidecar_set_param(sidecar_tilde_strip(x, k), p, value);
        if (!k)
            first = r;
        nomem += r == SIDECAR_SET_NOMEM;
    }
    switch (first) {
    case SIDECAR_SET_OK:
        break;
    case SIDECAR_SET_CLAMPED:
        pd_error(x, "sidecar~: %s%s %g is out of range %g..%g%s%s; clamped to %g", how, name,
                 value, info->min, info->max, *info->unit ? " " : "", info->unit,
                 sidecar_get_param(&x->x_core, p));
        break;
    case SIDECAR_SET_REJECTED:
        pd_error(x, "sidecar~: %s%s needs a finite number, got %g; %s unchanged", how, name,
                 value, info->id);
        break;
    case SIDECAR_SET_NOMEM:
        break; /* below */
    }
    if (nomem)
        sidecar_tilde_nomem(x, nomem);
}

/* "duck" / "comp" -> mode, or -1 */
static int sidecar_tilde_parse_mode(const t_atom *a)
{
    if (a->a_type != A_SYMBOL)
        return -1;
    if (!strcmp(a->a_w.w_symbol->s_name, "duck"))
        return SIDECAR_DUCK;
    if (!strcmp(a->a_w.w_symbol->s_name, "comp"))
        return SIDECAR_COMP;
    return -1;
}

static void sidecar_tilde_set_mode(t_sidecar_tilde *x, sidecar_mode mode)
{
    for (int k = 0; k < x->x_nstrips; k++)
        sidecar_set_mode(sidecar_tilde_strip(x, k), mode);
}

/* The names a user can type, from the parameter table: "threshold ratio ... sc_lpf" with
 * `prefix` before each ("-" for flags), then `tail`. */
static void sidecar_tilde_names(char *buf, size_t size, const char *prefix, const char *tail)
{
    buf[0] = 0;
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s ", prefix, sidecar_param_get_info(p)->id);
    }
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s", tail);
}

/* Message to set a parameter: [threshold -24( etc. Exactly one number, else nothing changes. */
static void sidecar_tilde_param(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    int p = sidecar_param_find(s->s_name);
    const sidecar_param_info *info = sidecar_param_get_info(p);
    if (!info)
        return; /* not reached: only parameter names are bound to this method */
    if (argc != 1 || argv[0].a_type != A_FLOAT) {
        pd_error(x, "sidecar~: '%s' takes exactly one number (%g..%g%s%s); %s unchanged",
                 s->s_name, info->min, info->max, *info->unit ? " " : "", info->unit, info->id);
        return;
    }
    sidecar_tilde_apply(x, p, atom_getfloat(argv), "", s->s_name);
}

static void sidecar_tilde_mode(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)s;
    int mode = argc == 1 ? sidecar_tilde_parse_mode(argv) : -1;
    if (mode < 0) {
        pd_error(x, "sidecar~: 'mode' takes exactly one of: duck, comp; mode unchanged");
        return;
    }
    sidecar_tilde_set_mode(x, (sidecar_mode)mode);
}

static void sidecar_tilde_reset(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)s, (void)argv;
    if (argc) {
        pd_error(x, "sidecar~: 'reset' takes no arguments; nothing reset");
        return;
    }
    for (int k = 0; k < x->x_nstrips; k++)
        sidecar_reset(sidecar_tilde_strip(x, k));
}

/* [trigger depth(: duck now by depth dB (SPEC step 7), on every strip. */
static void sidecar_tilde_trigger(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)s;
    const sidecar_param_info *info = sidecar_trigger_info();
    const char *sp = *info->unit ? " " : "";
    if (argc != 1 || argv[0].a_type != A_FLOAT) {
        pd_error(x, "sidecar~: 'trigger' takes exactly one number, the depth (%g..%g%s%s); "
                    "nothing triggered", info->min, info->max, sp, info->unit);
        return;
    }
    t_float depth = atom_getfloat(argv);
    sidecar_set_result first = SIDECAR_SET_OK;
    for (int k = 0; k < x->x_nstrips; k++) {
        sidecar_set_result r = sidecar_trigger(sidecar_tilde_strip(x, k), depth);
        if (!k)
            first = r;
    }
    if (first == SIDECAR_SET_CLAMPED)
        pd_error(x, "sidecar~: trigger %g is out of range %g..%g%s%s; clamped to %g", depth,
                 info->min, info->max, sp, info->unit, depth < info->min ? info->min : info->max);
    else if (first != SIDECAR_SET_OK)
        pd_error(x, "sidecar~: trigger needs a finite number, got %g; nothing triggered", depth);
}

/* Which inlet of its canvas an [inlet]/[inlet~] object is, or -1 when that canvas has no
 * inlets to follow: not an inlet object, a top-level patch, or a [clone] instance (whose inlets
 * are the clone object's). Pd orders a canvas's inlets by the x position of these objects
 * (canvas_resortinlets: among equal x, the one created later comes first); the same rule here. */
static int sidecar_tilde_canvas_inlet(t_canvas *cv, t_object *ob)
{
    if (!cv->gl_owner || cv->gl_isclone || strcmp(class_getname(pd_class(&ob->ob_pd)), "inlet"))
        return -1;
    int x1, y1, x2, y2, index = 0, after = 0;
    gobj_getrect(&ob->ob_g, cv, &x1, &y1, &x2, &y2);
    const int x = x1;
    for (t_gobj *g = cv->gl_list; g; g = g->g_next) {
        if (g == &ob->ob_g) {
            after = 1;
            continue;
        }
        if (strcmp(class_getname(pd_class(&g->g_pd)), "inlet"))
            continue;
        gobj_getrect(g, cv, &x1, &y1, &x2, &y2);
        index += x1 < x || (x1 == x && after);
    }
    return index;
}

/* Is inlet `inno` of `ob` (an object of canvas `cv`) fed by a signal? A connection from a signal
 * outlet counts, except from an [inlet~] of a subpatch or abstraction: that one counts only when
 * the subpatch's own inlet is fed in the parent (followed up through nested subpatches). So
 * sidecar~ inside an abstraction (sidecar-panel~) normals its inlets as if it sat in the parent. */
static int sidecar_tilde_fed(t_canvas *cv, t_object *ob, int inno)
{
    t_linetraverser t;
    linetraverser_start(&t, cv);
    while (linetraverser_next(&t)) {
        if (t.tr_ob2 != ob || t.tr_inno != inno || !obj_issignaloutlet(t.tr_ob, t.tr_outno))
            continue;
        const int outer = sidecar_tilde_canvas_inlet(cv, t.tr_ob);
        if (outer < 0 || sidecar_tilde_fed(cv->gl_owner, &cv->gl_obj, outer))
            return 1;
    }
    return 0;
}

/* Bit i set when inlet i is fed by a signal (sidecar_tilde_fed). */
static unsigned sidecar_tilde_find_patched(t_sidecar_tilde *x)
{
    unsigned patched = 0;
    if (!x->x_canvas)
        return 0;
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        if (sidecar_tilde_fed(x->x_canvas, &x->x_obj, i))
            patched |= SIDECAR_PATCHED(i);
    return patched;
}

static void sidecar_tilde_print(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)s, (void)argv;
    if (argc) {
        pd_error(x, "sidecar~: 'print' takes no arguments; nothing printed");
        return;
    }
    const sidecar *c = &x->x_core;
    post("sidecar~ %s: mode %s, sample rate %g Hz", SIDECAR_VERSION,
         c->mode == SIDECAR_COMP ? "comp" : "duck", c->sr);
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *info = sidecar_param_get_info(p);
        post("  %-12s %g%s%s  (%g..%g, default %g)", info->id, sidecar_get_param(c, p),
             *info->unit ? " " : "", info->unit, info->min, info->max, info->def);
    }
    unsigned patched = sidecar_tilde_find_patched(x);
    char line[MAXPDSTRING] = "";
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        if (patched & SIDECAR_PATCHED(i)) {
            strncat(line, " ", sizeof line - strlen(line) - 1);
            strncat(line, inlet_names[i], sizeof line - strlen(line) - 1);
        }
    post("  patched:%s", patched ? line : " none");
    if (sidecar_setmultiout)
        post("  channels: %d (one strip per channel of the widest input)", x->x_nchans);
    else
        post("  channels: 1 (this Pd has no multichannel signals)");
    const int latency = sidecar_latency(c);
    post("  latency: %d samples (%g ms)", latency, c->sr > 0 ? 1000.0 * latency / c->sr : 0.0);
    double reduction = 0;
    for (int k = 0; k < x->x_nstrips; k++) {
        double r = sidecar_gain_reduction_db(sidecar_tilde_strip(x, k));
        reduction = r > reduction ? r : reduction;
    }
    post("  gain reduction: %.2f dB", reduction);
}

static void sidecar_tilde_anything(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)argc, (void)argv;
    char names[MAXPDSTRING];
    sidecar_tilde_names(names, sizeof names, "", "mode trigger reset print");
    pd_error(x, "sidecar~: unknown message '%s' (messages: %s)%s", s->s_name, names,
             s == &s_list ? "; to send a list as a message, strip 'list' with [list trim]" : "");
}

/* ---- creation ---------------------------------------------------------------------------- */

/* Is a one of our flags: -mode, or -<id or alias> of a parameter? */
static int sidecar_tilde_is_flag(const t_atom *a)
{
    if (a->a_type != A_SYMBOL || a->a_w.w_symbol->s_name[0] != '-')
        return 0;
    const char *n = a->a_w.w_symbol->s_name + 1;
    return !strcmp(n, "mode") || sidecar_param_find(n) >= 0;
}

/* A flag's value as the user typed it, for an error message ("nothing" when it is missing). */
static void sidecar_tilde_value_text(const t_atom *value, char *buf, int size)
{
    if (value)
        atom_string(value, buf, size);
    else
        snprintf(buf, (size_t)size, "nothing");
}

/* Creation arguments are flags only: -name value. Anything else is reported and skipped; a bad
 * argument never prevents creation. */
static void sidecar_tilde_parse_flags(t_sidecar_tilde *x, int argc, t_atom *argv)
{
    for (int i = 0; i < argc; i++) {
        const char *name = argv[i].a_type == A_SYMBOL ? argv[i].a_w.w_symbol->s_name : NULL;
        if (!name || name[0] != '-') {
            char buf[MAXPDSTRING];
            atom_string(&argv[i], buf, sizeof buf);
            pd_error(x, "sidecar~: creation argument '%s' skipped: arguments are flags, "
                        "e.g. -threshold -24 -ratio 8 -mode comp", buf);
            continue;
        }
        const int has_value = i + 1 < argc;
        /* a following atom that is not one of our flags is this flag's value, good or bad
         * (so `-threshold -24dB` is one error, not two) */
        const int next_is_value = has_value && !sidecar_tilde_is_flag(&argv[i + 1]);
        if (!strcmp(name + 1, "mode")) {
            int mode = has_value ? sidecar_tilde_parse_mode(&argv[i + 1]) : -1;
            if (mode < 0) {
                char got[MAXPDSTRING];
                sidecar_tilde_value_text(next_is_value ? &argv[i + 1] : NULL, got, sizeof got);
                pd_error(x, "sidecar~: flag -mode needs duck or comp, got %s; skipped", got);
                i += next_is_value;
                continue;
            }
            sidecar_tilde_set_mode(x, (sidecar_mode)mode);
            i++;
            continue;
        }
        int p = sidecar_param_find(name + 1);
        if (p < 0) {
            char flags[MAXPDSTRING];
            sidecar_tilde_names(flags, sizeof flags, "-", "-mode");
            pd_error(x, "sidecar~: unknown flag '%s' skipped (flags: %s)", name, flags);
            i += next_is_value; /* its value goes with it */
            continue;
        }
        if (!has_value || argv[i + 1].a_type != A_FLOAT) {
            char got[MAXPDSTRING];
            sidecar_tilde_value_text(next_is_value ? &argv[i + 1] : NULL, got, sizeof got);
            pd_error(x, "sidecar~: flag %s needs a number, got %s; skipped", name, got);
            i += next_is_value;
            continue;
        }
        sidecar_tilde_apply(x, p, atom_getfloat(&argv[i + 1]), "flag -", name + 1);
        i++;
    }
    /* the smoothers start at the creation values (no glide at load) */
    sidecar_reset(&x->x_core);
}

static void *sidecar_tilde_new(t_symbol *s, int argc, t_atom *argv)
{
    (void)s;
    t_sidecar_tilde *x = (t_sidecar_tilde *)pd_new(sidecar_tilde_class);
    x->x_f = 0;
    x->x_canvas = canvas_getcurrent();
    sidecar_init(&x->x_core, sys_getsr());
    x->x_more = NULL;
    x->x_nstrips = 1;
    x->x_morecap = 0;
    x->x_nchans = 1;
    x->x_scratch = NULL;
    x->x_scratchsize = 0;
    for (int i = 1; i < SIDECAR_NINPUTS; i++)
        inlet_new(&x->x_obj, &x->x_obj.ob_pd, &s_signal, &s_signal);
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        outlet_new(&x->x_obj, &s_signal);
    sidecar_tilde_parse_flags(x, argc, argv);
    return x;
}

static void sidecar_tilde_free(t_sidecar_tilde *x)
{
    for (int k = 0; k < x->x_nstrips; k++)
        sidecar_free(sidecar_tilde_strip(x, k));
    if (x->x_more)
        freebytes(x->x_more, (size_t)x->x_morecap * sizeof *x->x_more);
    if (x->x_scratch)
        freebytes(x->x_scratch, x->x_scratchsize * sizeof *x->x_scratch);
}

/* ---- DSP --------------------------------------------------------------------------------- */

/* The vectors were bound to each strip's core in the dsp method: perform only runs them. */
static t_int *sidecar_tilde_perform(t_int *w)
{
    t_sidecar_tilde *x = (t_sidecar_tilde *)w[1];
    for (int k = 0; k < x->x_nstrips; k++)
        sidecar_run(sidecar_tilde_strip(x, k));
    return w + 2;
}

/* The same for one strip (no multichannel input), without the loop: at [block~ 1] the
 * perform routine's own cost counts. */
static t_int *sidecar_tilde_perform_one(t_int *w)
{
    sidecar_run(&((t_sidecar_tilde *)w[1])->x_core);
    return w + 2;
}

/* Channel count of an input signal: 1 unless the running Pd has multichannel signals. */
static int sidecar_tilde_nchans(const t_signal *sig)
{
    if (!sidecar_setmultiout)
        return 1; /* Pd < 0.54: that field is s_refcount */
#if SIDECAR_MC_HEADERS
    int n = sig->s_nchans;
#else
    int n = ((const sidecar_signal_054 *)(const void *)sig)->s_nchans;
#endif
    return n > 1 ? n : 1;
}

/* Have `want` strips (strips already there keep their state; new ones get strip 0's knobs and
 * mode and fresh state). Returns how many there are, fewer than `want` when out of memory. */
static int sidecar_tilde_set_strips(t_sidecar_tilde *x, int want, double sr)
{
    if (want > x->x_nstrips && want - 1 > x->x_morecap) {
        sidecar *more = (sidecar *)getbytes((size_t)(want - 1) * sizeof *more);
        if (!more) {
            pd_error(x, "sidecar~: out of memory for %d channels; channels %d and up are silent",
                     want, x->x_nstrips + 1);
            want = x->x_nstrips;
        } else {
            if (x->x_more) {
                memcpy(more, x->x_more, (size_t)(x->x_nstrips - 1) * sizeof *more);
                freebytes(x->x_more, (size_t)x->x_morecap * sizeof *x->x_more);
            }
            x->x_more = more;
            x->x_morecap = want - 1;
        }
    }
    int nomem = 0;
    for (int k = x->x_nstrips; k < want; k++) {
        sidecar *s = sidecar_tilde_strip(x, k);
        sidecar_init(s, sr);
        for (int p = 0; p < SIDECAR_NPARAMS; p++)
            nomem += sidecar_set_param(s, p, sidecar_get_param(&x->x_core, p)) ==
                     SIDECAR_SET_NOMEM;
        sidecar_set_mode(s, x->x_core.mode);
        sidecar_reset(s);
    }
    for (int k = want; k < x->x_nstrips; k++) /* (their room is kept for later) */
        sidecar_free(sidecar_tilde_strip(x, k));
    x->x_nstrips = want;
    if (nomem)
        sidecar_tilde_nomem(x, nomem);
    return want;
}

/* Do [a, a + an) and [b, b + bn) share a sample? */
static int sidecar_tilde_overlap(const t_sample *a, size_t an, const t_sample *b, size_t bn)
{
    uintptr_t a0 = (uintptr_t)a, a1 = (uintptr_t)(a + an);
    uintptr_t b0 = (uintptr_t)b, b1 = (uintptr_t)(b + bn);
    return a0 < b1 && b0 < a1;
}

/* A larger block in place of `old` (freed, unless the new one could not be had: then NULL). */
static void *sidecar_tilde_regrow(void *old, size_t oldbytes, size_t newbytes)
{
    void *fresh = getbytes(newbytes);
    if (fresh && old)
        freebytes(old, oldbytes);
    return fresh;
}

/* Runs whenever Pd rebuilds the DSP graph (also on every connect/disconnect while DSP is on):
 * the sample rate, the normalling and the channel count follow the patch. */
static void sidecar_tilde_dsp(t_sidecar_tilde *x, t_signal **sp)
{
    const int n = sp[0]->s_n; /* per channel (s_length in Pd 0.54+) */
    const double sr = sp[0]->s_sr;
    int nchans = 1, incount[SIDECAR_NINPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        incount[i] = sidecar_tilde_nchans(sp[i]);
        nchans = incount[i] > nchans ? incount[i] : nchans;
    }
    /* a multichannel class must give every outlet its signal before reading s_vec */
    if (sidecar_setmultiout)
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            sidecar_setmultiout(&sp[SIDECAR_NINPUTS + o], nchans);
    x->x_nchans = nchans;
    int nstrips = sidecar_tilde_set_strips(x, nchans, sr);
    int nomem = 0;
    for (int k = 0; k < nstrips; k++) /* (at the same rate the core keeps the lookahead's history) */
        nomem += sidecar_set_samplerate(sidecar_tilde_strip(x, k), sr) == SIDECAR_SET_NOMEM;
    if (nomem)
        pd_error(x, "sidecar~: out of memory for the lookahead delay line at %g Hz; "
                    "no lookahead until it is set again", sr);
    const unsigned patched = sidecar_tilde_find_patched(x);
    t_sample *outvec[SIDECAR_NOUTPUTS];
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        outvec[o] = sp[SIDECAR_NINPUTS + o]->s_vec;

    /* Pd may give an outlet the buffer of an input. Within one strip the core allows that; but
     * when the layouts differ (an input of fewer channels than the outlets), one strip would
     * read what another wrote: such inputs are copied aside at the start of each block. */
    size_t need = 0;
    int copy[SIDECAR_NINPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        const t_sample *in = sp[i]->s_vec;
        const size_t len = (size_t)incount[i] * (size_t)n;
        copy[i] = 0;
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            if (sidecar_tilde_overlap(in, len, outvec[o], (size_t)nchans * (size_t)n) &&
                !(in == outvec[o] && incount[i] == nchans))
                copy[i] = 1;
        need += copy[i] ? len : 0;
    }
    if (need > x->x_scratchsize) {
        t_sample *scratch = (t_sample *)sidecar_tilde_regrow(
            x->x_scratch, x->x_scratchsize * sizeof *scratch, need * sizeof *scratch);
        if (!scratch)
            goto out_of_memory;
        x->x_scratch = scratch;
        x->x_scratchsize = need;
    }
    /* channel j of input i is read at insrc[i] + j * n */
    t_sample *insrc[SIDECAR_NINPUTS];
    size_t at = 0;
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        if (copy[i]) {
            insrc[i] = x->x_scratch + at;
            at += (size_t)incount[i] * (size_t)n;
        } else {
            insrc[i] = sp[i]->s_vec;
        }
    }
    /* strip k reads channel k mod count of each input and writes channel k of each outlet:
     * its core takes these vectors now, so that perform only runs it */
    for (int k = 0; k < nstrips; k++) {
        const t_sample *in[SIDECAR_NINPUTS];
        t_sample *out[SIDECAR_NOUTPUTS];
        for (int i = 0; i < SIDECAR_NINPUTS; i++)
            in[i] = insrc[i] + (size_t)(k % incount[i]) * (size_t)n;
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            out[o] = outvec[o] + (size_t)k * (size_t)n;
        sidecar_bind(sidecar_tilde_strip(x, k), in, out, n, patched);
    }
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        if (copy[i])
            dsp_add_copy(sp[i]->s_vec, insrc[i], incount[i] * n);
    dsp_add(nstrips == 1 ? sidecar_tilde_perform_one : sidecar_tilde_perform, 1, x);
    if (nstrips < nchans)
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            dsp_add_zero(outvec[o] + (size_t)nstrips * (size_t)n, (nchans - nstrips) * n);
    return;

out_of_memory:
    pd_error(x, "sidecar~: out of memory for %d channels; output silent", nchans);
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        dsp_add_zero(outvec[o], nchans * n);
}

/* Pd's signal_setmultiout when the running Pd has multichannel signals (0.54 and later), else
 * NULL. Built against older headers, it is found in the running program when the object loads:
 * with gcc or clang through a weak reference (the dynamic linker leaves it NULL where Pd lacks
 * it; unlike dlsym, this adds no libdl/glibc 2.34 dependency, so the object still loads where
 * Pd 0.51-0.53 is common), on Windows in pd.dll, elsewhere with dlsym. */
static sidecar_setmultiout_fn sidecar_tilde_find_setmultiout(void)
{
    int major = 0, minor = 0, bugfix = 0;
    sys_getversion(&major, &minor, &bugfix);
    if (major == 0 && minor < 54)
        return NULL;
#if SIDECAR_MC_HEADERS || (!defined(_WIN32) && defined(__GNUC__))
    return signal_setmultiout;
#elif defined(_WIN32)
    HMODULE pd = GetModuleHandleA("pd.dll");
    if (!pd)
        pd = GetModuleHandleA(NULL);
    return pd ? (sidecar_setmultiout_fn)(void (*)(void))GetProcAddress(pd, "signal_setmultiout")
              : NULL;
#else
    union { /* (ISO C has no cast from an object pointer to a function pointer) */
        void *object;
        sidecar_setmultiout_fn function;
    } found;
    void *self = dlopen(NULL, RTLD_LAZY); /* the running program and its global libraries */
    found.object = self ? dlsym(self, "signal_setmultiout") : NULL;
    return found.object ? found.function : NULL;
#endif
}

/* The one symbol Pd looks up in the binary. On Windows, marking it dllexport also keeps every
 * other function out of the DLL's export table (mingw's ld exports all globals only when
 * nothing is marked). */
#if defined(_WIN32)
__declspec(dllexport)
#endif
void sidecar_tilde_setup(void)
{
    sidecar_setmultiout = sidecar_tilde_find_setmultiout();
    t_class *c = class_new(gensym("sidecar~"), (t_newmethod)(void (*)(void))sidecar_tilde_new,
                           (t_method)sidecar_tilde_free, sizeof(t_sidecar_tilde),
                           CLASS_DEFAULT | (sidecar_setmultiout ? SIDECAR_CLASS_MULTICHANNEL : 0),
                           A_GIMME, 0);
    class_domainsignalin(c, (int)offsetof(t_sidecar_tilde, x_f)); /* CLASS_MAINSIGNALIN, minus its null-pointer arithmetic */
    class_addmethod(c, (t_method)sidecar_tilde_dsp, gensym("dsp"), A_CANT, 0);
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *info = sidecar_param_get_info(p);
        class_addmethod(c, (t_method)sidecar_tilde_param, gensym(info->id), A_GIMME, 0);
        if (info->alias)
            class_addmethod(c, (t_method)sidecar_tilde_param, gensym(info->alias), A_GIMME, 0);
    }
    class_addmethod(c, (t_method)sidecar_tilde_mode, gensym("mode"), A_GIMME, 0);
    class_addmethod(c, (t_method)sidecar_tilde_trigger, gensym("trigger"), A_GIMME, 0);
    class_addmethod(c, (t_method)sidecar_tilde_reset, gensym("reset"), A_GIMME, 0);
    class_addmethod(c, (t_method)sidecar_tilde_print, gensym("print"), A_GIMME, 0);
    class_addanything(c, (t_method)sidecar_tilde_anything);
    /* Help: Pd opens <help symbol>-help.pd relative to the folder the binary was loaded from.
     * The help patch lives in help/ both in the source tree and in an install (make install,
     * deken), so right-click > Help works from either. */
    class_sethelpsymbol(c, gensym("help/sidecar~"));
    sidecar_tilde_class = c;
}
