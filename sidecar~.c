/*
 * sidecar~: a stereo sidechain ducker / stereo compressor for Pure Data.
 *
 * This file is only the Pd glue: inlets and outlets, creation flags, messages, connection
 * state for normalling, and dsp_add. All the signal processing is in dsp/sidecar.c, a plain C
 * core (see dsp/sidecar.h). The behaviour contract is SPEC.md; the reference is the README.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "m_pd.h"
#include "m_imp.h"    /* obj_issignaloutlet */
#include "g_canvas.h" /* t_linetraverser */

#include "sidecar.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(t_sample) == sizeof(sidecar_sample),
               "sidecar_sample must match Pd's t_sample (see PD_FLOATSIZE in dsp/sidecar.h)");

static const char *const inlet_names[SIDECAR_NINPUTS] = {
    "audio_l_in", "audio_r_in", "sc_l_in", "sc_r_in",
    "threshold_cv", "env_mag_cv", "input_level_cv",
};

/* The class pointer is written once, in setup, like every Pd class (shared by Pd instances). */
static t_class *sidecar_tilde_class;

typedef struct _sidecar_tilde {
    t_object x_obj;
    t_float x_f;         /* float of the main signal inlet (CLASS_MAINSIGNALIN) */
    t_canvas *x_canvas;  /* the canvas whose connections tell which inlets are patched */
    unsigned x_patched;  /* SIDECAR_PATCHED() bits, found in the dsp method */
    sidecar x_core;
    t_sample *x_in[SIDECAR_NINPUTS];
    t_sample *x_out[SIDECAR_NOUTPUTS];
} t_sidecar_tilde;

/* ---- parameters -------------------------------------------------------------------------- */

/* Apply a value to parameter p, with one console error if it had to be clamped.
 * `how` ("flag -" or "") and `name` (the id or alias the user typed) word the message. */
static void sidecar_tilde_apply(t_sidecar_tilde *x, int p, t_float value, const char *how,
                                const char *name)
{
    const sidecar_param_info *info = sidecar_param_get_info(p);
    switch (sidecar_set_param(&x->x_core, p, value)) {
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
    }
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
    sidecar_set_mode(&x->x_core, (sidecar_mode)mode);
}

static void sidecar_tilde_reset(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)s, (void)argv;
    if (argc) {
        pd_error(x, "sidecar~: 'reset' takes no arguments; nothing reset");
        return;
    }
    sidecar_reset(&x->x_core);
}

/* Bit i set when inlet i has a connection from a signal outlet in the owning canvas.
 * (Inside a subpatch an [inlet~] is a signal outlet here, so it always counts as patched.) */
static unsigned sidecar_tilde_find_patched(t_sidecar_tilde *x)
{
    unsigned patched = 0;
    t_linetraverser t;
    if (!x->x_canvas)
        return 0;
    linetraverser_start(&t, x->x_canvas);
    while (linetraverser_next(&t))
        if (t.tr_ob2 == &x->x_obj && t.tr_inno >= 0 && t.tr_inno < SIDECAR_NINPUTS &&
            obj_issignaloutlet(t.tr_ob, t.tr_outno))
            patched |= SIDECAR_PATCHED(t.tr_inno);
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
        post("  %-11s %g%s%s  (%g..%g, default %g)", info->id, sidecar_get_param(c, p),
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
    post("  gain reduction: %.2f dB", sidecar_gain_reduction_db(c));
}

static void sidecar_tilde_anything(t_sidecar_tilde *x, t_symbol *s, int argc, t_atom *argv)
{
    (void)argc, (void)argv;
    pd_error(x, "sidecar~: unknown message '%s' (messages: threshold ratio attack release knee "
                "envMag inputLevel makeup sc_hpf mode reset print)%s", s->s_name,
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
            sidecar_set_mode(&x->x_core, (sidecar_mode)mode);
            i++;
            continue;
        }
        int p = sidecar_param_find(name + 1);
        if (p < 0) {
            pd_error(x, "sidecar~: unknown flag '%s' skipped (flags: -threshold -ratio -attack "
                        "-release -knee -envMag -inputLevel -makeup -sc_hpf -mode)", name);
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
    x->x_patched = 0;
    sidecar_init(&x->x_core, sys_getsr());
    for (int i = 1; i < SIDECAR_NINPUTS; i++)
        inlet_new(&x->x_obj, &x->x_obj.ob_pd, &s_signal, &s_signal);
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        outlet_new(&x->x_obj, &s_signal);
    sidecar_tilde_parse_flags(x, argc, argv);
    return x;
}

/* ---- DSP --------------------------------------------------------------------------------- */

static t_int *sidecar_tilde_perform(t_int *w)
{
    t_sidecar_tilde *x = (t_sidecar_tilde *)w[1];
    sidecar_process(&x->x_core, (const sidecar_sample *const *)x->x_in,
                    (sidecar_sample *const *)x->x_out, (int)w[2], x->x_patched);
    return w + 3;
}

/* Runs whenever Pd rebuilds the DSP graph (also on every connect/disconnect while DSP is on):
 * the sample rate and the normalling follow the patch. */
static void sidecar_tilde_dsp(t_sidecar_tilde *x, t_signal **sp)
{
    sidecar_set_samplerate(&x->x_core, sp[0]->s_sr);
    x->x_patched = sidecar_tilde_find_patched(x);
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        x->x_in[i] = sp[i]->s_vec;
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        x->x_out[o] = sp[SIDECAR_NINPUTS + o]->s_vec;
    dsp_add(sidecar_tilde_perform, 2, x, (t_int)sp[0]->s_n);
}

void sidecar_tilde_setup(void)
{
    t_class *c = class_new(gensym("sidecar~"), (t_newmethod)(void (*)(void))sidecar_tilde_new, 0,
                           sizeof(t_sidecar_tilde), CLASS_DEFAULT, A_GIMME, 0);
    class_domainsignalin(c, (int)offsetof(t_sidecar_tilde, x_f)); /* CLASS_MAINSIGNALIN, minus its null-pointer arithmetic */
    class_addmethod(c, (t_method)sidecar_tilde_dsp, gensym("dsp"), A_CANT, 0);
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *info = sidecar_param_get_info(p);
        class_addmethod(c, (t_method)sidecar_tilde_param, gensym(info->id), A_GIMME, 0);
        if (info->alias)
            class_addmethod(c, (t_method)sidecar_tilde_param, gensym(info->alias), A_GIMME, 0);
    }
    class_addmethod(c, (t_method)sidecar_tilde_mode, gensym("mode"), A_GIMME, 0);
    class_addmethod(c, (t_method)sidecar_tilde_reset, gensym("reset"), A_GIMME, 0);
    class_addmethod(c, (t_method)sidecar_tilde_print, gensym("print"), A_GIMME, 0);
    class_addanything(c, (t_method)sidecar_tilde_anything);
    /* Help: Pd opens <help symbol>-help.pd relative to the folder the binary was loaded from.
     * The help patch lives in help/ both in the source tree and in an install (make install,
     * deken), so right-click > Help works from either. */
    class_sethelpsymbol(c, gensym("help/sidecar~"));
    sidecar_tilde_class = c;
}
