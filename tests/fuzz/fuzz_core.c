/*
 * libFuzzer harness over the sidecar DSP core (dsp/sidecar.h), built with ASan and UBSan.
 *
 * The fuzz input is read as a small program: a sample rate, then up to MAX_OPS operations
 * (set a parameter to any double, the seven v0.2 and four v0.3 ones included; switch mode; reset; change the
 * sample rate, which re-sizes the lookahead delay line when there is one; `trigger` any depth;
 * process a block of generated signals). Signals mix sines, noise, clicks, raw fuzz bytes and injected specials
 * (NaN, +-Inf, denormals, +-3e38). Every operation is mirrored on two twins:
 *   - `split`: the same program, each block cut in two sidecar_process calls and never aliased;
 *   - `clean`: the same program with every NaN/Inf on a detector or CV input replaced by 0.
 * Checked after every block (SPEC.md, "Robustness contract"):
 *   1. every field of the state is finite (per channel too: filters, RMS average, gain, hold
 *      counter, slow envelope, the feedback's previous key and gain), the knobs lie in their ranges, gain_db <= 0, the delay line's bookkeeping is
 *      consistent with lookahead and sr (latency = round(0.001 * lookahead * sr)), and no running
 *      state value is subnormal (the denormal-slow-down clause);
 *   2. the envelope outlets are always finite; an audio outlet is finite whenever the audible
 *      inputs it plays are (those of N = latency frames earlier with lookahead; even at +-3e38
 *      with every knob at its extreme);
 *   3. the `split` twin is bit-identical (determinism, block-size independence, in/out aliasing);
 *   4. the `clean` twin has bit-identical envelopes, and audio wherever the audible inputs are
 *      finite (NaN/Inf on detector and CV inputs count as 0).
 * At the end, the latch checks: after `reset` the object must match a fresh one with the same
 * settings; and without reset, once fast settings have had time to forget the junk (and any
 * hold counter has run out), it must match a fresh one fed the same clean material.
 * Every sidecar is released with sidecar_free: LeakSanitizer (on in libFuzzer) reports a leak of
 * the delay line.
 *
 * A failed check prints what and where, then abort()s so libFuzzer saves the input.
 */
#include "sidecar.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_OPS = 48,        /* operations per input */
    MAX_BLOCK = 8192,    /* Pd's largest practical block */
    MAX_FRAMES = 65536,  /* per input, so that one run stays in the millisecond range */
};

/* ---- reading the fuzz input; past its end every read returns 0 ---------------------------- */

typedef struct {
    const uint8_t *p;
    size_t n, pos;
} reader;

static unsigned rd_u8(reader *r) { return r->pos < r->n ? r->p[r->pos++] : 0u; }

static unsigned rd_u16(reader *r)
{
    unsigned lo = rd_u8(r);
    return lo | rd_u8(r) << 8;
}

static double rd_raw_double(reader *r)
{
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) bits |= (uint64_t)rd_u8(r) << (8 * i);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Values a hostile host might pass: specials, extremes, range edges, anything. */
static double rd_value(reader *r, const sidecar_param_info *info)
{
    static const double special[] = {
        NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, DBL_MIN, 4.9e-324, -4.9e-324,
        DBL_MAX, -DBL_MAX, FLT_MAX, -FLT_MAX, 3e38, -3e38, 1e-45, 1e300, -1e300, 1e9, -1e9,
    };
    const unsigned nspecial = sizeof special / sizeof special[0];
    unsigned k = rd_u8(r);
    if (k < nspecial) return special[k];
    k -= nspecial;
    if (info && k < 8) {
        double span = info->max - info->min;
        switch (k) {
        case 0: return info->min;
        case 1: return info->max;
        case 2: return info->def;
        case 3: return nextafter(info->min, -INFINITY);
        case 4: return nextafter(info->max, INFINITY);
        case 5: return info->min - span;
        case 6: return info->max + span;
        default: return info->min + span * rd_u8(r) / 255.0;
        }
    }
    if (k < 160) return ((double)rd_u16(r) - 32768.0) / 64.0; /* -512..512 in fine steps */
    return rd_raw_double(r);
}

static double rd_samplerate(reader *r)
{
    static const double common[] = {8000, 11025, 16000, 22050, 32000, 44100, 48000,
                                    88200, 96000, 176400, 192000, 352800, 384000};
    const unsigned ncommon = sizeof common / sizeof common[0];
    unsigned k = rd_u8(r);
    if (k < 4 * ncommon) return common[k % ncommon];
    switch (k & 7) {
    case 0: return NAN;
    case 1: return -48000.0;
    case 2: return 0.0;
    case 3: return 1.0;           /* sc_hpf's upper clamp 0.49*sr falls under its lower 0.1 */
    case 4: return 1e12;          /* coefficients round to 1 */
    case 5: return 4.9e-324;
    case 6: return INFINITY;
    default: return rd_raw_double(r);
    }
}

/* ---- signal generation -------------------------------------------------------------------- */

/* Small deterministic LCG: the harness must not depend on libc's rand state. */
static uint32_t lcg(uint32_t *st)
{
    *st = *st * 1664525u + 1013904223u;
    return *st;
}

static float rd_amplitude(reader *r)
{
    static const float amp[] = {0.0f, 1e-38f, 1e-30f, 1e-6f, 0.01f, 0.1f, 0.5f, 1.0f,
                                2.0f, 10.0f,  1e3f,   1e10f, 1e30f, 3e38f, FLT_MAX};
    return amp[rd_u8(r) % (sizeof amp / sizeof amp[0])];
}

static sidecar_sample special_sample(unsigned k)
{
#ifdef SIDECAR_SAMPLE_DOUBLE /* double samples have their own denormals and extremes */
    static const double sp[] = {NAN,     -NAN,     INFINITY, -INFINITY, 1e-45,   -1e-45,
                                1e-40,   3e38,     -3e38,    FLT_MAX,   -FLT_MAX, 0.0,
                                4.9e-324, -2e-310, DBL_MIN,  DBL_MAX,   -DBL_MAX, 1e300};
#else
    static const float sp[] = {NAN, -NAN, INFINITY, -INFINITY, 1e-45f, -1e-45f,
                               1e-40f, 3e38f, -3e38f, FLT_MAX, -FLT_MAX, 0.0f};
#endif
    return (sidecar_sample)sp[k % (sizeof sp / sizeof sp[0])];
}

/* Fill v[0..n) from the input's description of one signal; ph is the running phase (so that
 * sines continue across blocks). */
static void gen_signal(reader *r, sidecar_sample *v, int n, double *ph)
{
    unsigned kind = rd_u8(r);
    float amp = rd_amplitude(r);
    uint32_t seed = rd_u16(r) + 1u;
    switch (kind % 6) {
    case 0: /* silence */
        for (int i = 0; i < n; i++) v[i] = 0;
        break;
    case 1: /* constant */
        for (int i = 0; i < n; i++) v[i] = (sidecar_sample)amp;
        break;
    case 2: { /* sine, 0.0005..0.5 cycles per sample */
        double inc = 6.283185307179586 * (0.0005 + (seed % 1000) * 0.0005);
        for (int i = 0; i < n; i++) {
            v[i] = (sidecar_sample)(amp * sin(*ph));
            *ph = fmod(*ph + inc, 6.283185307179586);
        }
        break;
    }
    case 3: /* white noise */
        for (int i = 0; i < n; i++)
            v[i] = (sidecar_sample)(amp * ((double)lcg(&seed) / 2147483648.0 - 1.0));
        break;
    case 4: { /* kick-like clicks: decaying bursts every `period` samples */
        int period = 1 + (int)(seed % 4000);
        for (int i = 0; i < n; i++) {
            int t = i % period;
            v[i] = (sidecar_sample)(amp * exp(-t / 200.0) * (t & 1 ? -1.0 : 1.0));
        }
        break;
    }
    default: /* raw fuzz bytes as samples: any bit pattern */
        for (int i = 0; i < n; i++) {
#ifdef SIDECAR_SAMPLE_DOUBLE
            v[i] = rd_raw_double(r);
#else
            uint32_t bits = (uint32_t)rd_u16(r) | (uint32_t)rd_u16(r) << 16;
            memcpy(&v[i], &bits, sizeof v[i]);
#endif
        }
        break;
    }
    /* inject specials at a few positions */
    unsigned nspecial = rd_u8(r) % 8;
    for (unsigned k = 0; k < nspecial && n > 0; k++) {
        int at = (int)(rd_u16(r) % (unsigned)n);
        v[at] = special_sample(rd_u8(r));
    }
}

/* ---- the checks ---------------------------------------------------------------------------- */

static int is_finite(double x) { return isfinite(x); }

static int is_subnormal(double x) { return fpclassify(x) == FP_SUBNORMAL; }

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "fuzz_core: " __VA_ARGS__);                                                \
        fputc('\n', stderr);                                                                       \
        abort();                                                                                   \
    } while (0)

/* subnormal_knobs: bit p set once knob p has been given a subnormal value */
static void check_state(const sidecar *s, unsigned subnormal_knobs, const char *when)
{
    /* coefficients, then the running state that decays towards 0 sample by sample (from
     * threshold_s on): finite, and not subnormal */
    const double fields[] = {s->sr,       s->a_param,   s->a_attack,    s->a_release,
                             s->a_hpf,    s->slope,     s->makeup_lin,  s->a_rms,
                             s->lpf_b0,   s->lpf_a[0],  s->lpf_a[1],
                             s->threshold_s, s->env_mag_s, s->input_level_s,
                             s->makeup_s, s->mix_s};
    const char *names[] = {"sr",       "a_param",  "a_attack",    "a_release",
                           "a_hpf",    "slope",    "makeup_lin",  "a_rms",
                           "lpf_b0",   "lpf_a[0]", "lpf_a[1]",
                           "threshold_s", "env_mag_s", "input_level_s",
                           "makeup_s", "mix_s"};
    const size_t nfields = sizeof fields / sizeof fields[0];
    /* the smoothers, by name (the field list above changes with the core's struct) */
    static const struct {
        const char *name;
        int knob;
    } smoothers[] = {{"threshold_s", SIDECAR_THRESHOLD}, {"env_mag_s", SIDECAR_ENV_MAG},
                     {"input_level_s", SIDECAR_INPUT_LEVEL}, {"makeup_s", -1}, {"mix_s", SIDECAR_MIX}};
    const size_t nsmoothers = sizeof smoothers / sizeof smoothers[0];
    const size_t first_running = nfields - nsmoothers;
    for (size_t i = 0; i < nfields; i++) {
        if (!is_finite(fields[i])) FAIL("%s: state %s = %g is not finite", when, names[i], fields[i]);
        /* A smoother may legitimately hold a subnormal knob value it was once given. */
        int exempt = 0;
        if (i >= first_running) {
            if (strcmp(names[i], smoothers[i - first_running].name) != 0)
                FAIL("fuzz_core: field list out of step with the smoothers (%s)", names[i]);
            const int k = smoothers[i - first_running].knob;
            exempt = k >= 0 && (subnormal_knobs & 1u << k);
        }
        if (i >= first_running && !exempt && is_subnormal(fields[i]))
            FAIL("%s: state %s = %g is subnormal (denormal slow-down)", when, names[i], fields[i]);
    }
    for (int c = 0; c < 2; c++) {
        const sidecar_channel *ch = &s->ch[c];
        /* hpf_x1 is the last input sample as read (not a decaying state) */
        /* (hpf_x1 and key_prev: the last inputs as read, not decaying states) */
        const double chf[] = {ch->hpf_x1, ch->key_prev, ch->hpf_y1, ch->lpf_x1, ch->lpf_x2,
                              ch->lpf_y1, ch->lpf_y2, ch->rms_p, ch->gain_db, ch->slow_db,
                              ch->applied_db};
        const char *chn[] = {"hpf_x1", "key_prev", "hpf_y1", "lpf_x1", "lpf_x2", "lpf_y1",
                             "lpf_y2", "rms_p", "gain_db", "slow_db", "applied_db"};
        for (size_t i = 0; i < sizeof chf / sizeof chf[0]; i++) {
            if (!is_finite(chf[i])) FAIL("%s: state ch[%d].%s = %g is not finite", when, c, chn[i], chf[i]);
            if (i >= 3 && is_subnormal(chf[i]))
                FAIL("%s: state ch[%d].%s = %g is subnormal (denormal slow-down)", when, c, chn[i], chf[i]);
        }
        if (fpclassify(ch->hpf_y1) == FP_SUBNORMAL)
            FAIL("%s: state ch[%d].hpf_y1 = %g is a subnormal float (denormal slow-down)", when, c,
                 (double)ch->hpf_y1);
        if (!(ch->gain_db <= 0.0)) FAIL("%s: ch[%d].gain_db = %g > 0", when, c, ch->gain_db);
        if (!(ch->slow_db <= 0.0)) FAIL("%s: ch[%d].slow_db = %g > 0", when, c, ch->slow_db);
        if (!(ch->applied_db <= 0.0))
            FAIL("%s: ch[%d].applied_db = %g > 0", when, c, ch->applied_db);
        if (sidecar_get_param(s, SIDECAR_SLOW_RELEASE) == 0.0 && ch->slow_db != 0.0)
            FAIL("%s: ch[%d].slow_db = %g while slow_release is 0", when, c, ch->slow_db);
        if (ch->hold < 0) FAIL("%s: ch[%d].hold = %d < 0", when, c, ch->hold);
        if (ch->rms_p < 0.0) FAIL("%s: ch[%d].rms_p = %g < 0", when, c, ch->rms_p);
        /* SPEC step 3 / 5: zero while off */
        if (sidecar_get_param(s, SIDECAR_SC_LPF) >= 20000.0 &&
            (ch->lpf_x1 != 0.0 || ch->lpf_x2 != 0.0 || ch->lpf_y1 != 0.0 || ch->lpf_y2 != 0.0))
            FAIL("%s: ch[%d] low-pass state not zero while sc_lpf is off", when, c);
        if (sidecar_get_param(s, SIDECAR_RMS) == 0.0 && ch->rms_p != 0.0)
            FAIL("%s: ch[%d].rms_p = %g while rms is 0", when, c, ch->rms_p);
    }
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *info = sidecar_param_get_info(p);
        double k = sidecar_get_param(s, p);
        if (!(k >= info->min && k <= info->max))
            FAIL("%s: knob %s = %g outside %g..%g", when, info->id, k, info->min, info->max);
    }
    if (!(s->hold_frames >= 0)) FAIL("%s: hold_frames = %d", when, s->hold_frames);
    if (!(s->trigger_depth == -1.0 || (s->trigger_depth >= 0.0 && s->trigger_depth <= 120.0)))
        FAIL("%s: pending trigger depth %g", when, s->trigger_depth);
    /* the lookahead delay line: N = round(0.001 * lookahead * sr) while it exists, else 0 */
    const int lat = sidecar_latency(s);
    if (lat != s->delay_frames) FAIL("%s: latency %d != delay_frames %d", when, lat, s->delay_frames);
    if (s->delay) {
        const double want = floor(0.001 * sidecar_get_param(s, SIDECAR_LOOKAHEAD) * s->sr + 0.5);
        if ((double)lat != want)
            FAIL("%s: latency %d, expected round(0.001 * %g ms * %g Hz) = %g", when, lat,
                 sidecar_get_param(s, SIDECAR_LOOKAHEAD), s->sr, want);
        if (!(s->delay_size > lat && s->delay_pos >= 0 && s->delay_pos < s->delay_size))
            FAIL("%s: delay line size %d, pos %d, latency %d", when, s->delay_size, s->delay_pos, lat);
    } else if (lat != 0 || s->delay_size != 0) {
        FAIL("%s: no delay line, but latency %d, size %d", when, lat, s->delay_size);
    }
    double gr = sidecar_gain_reduction_db(s);
    if (!is_finite(gr) || gr < 0.0) FAIL("%s: gain reduction %g dB", when, gr);
}

static int bits_equal(sidecar_sample a, sidecar_sample b) { return memcmp(&a, &b, sizeof a) == 0; }

static int is_cv(int i) { return i >= SIDECAR_IN_THRESHOLD_CV; }

/* ---- one instance and its buffers ---------------------------------------------------------- */

typedef struct {
    sidecar s;
    sidecar_mode mode;       /* mirrored, because the struct's field is the core's business */
    unsigned subnormal_knobs; /* see check_state */
} unit;

static void unit_init(unit *u, double sr)
{
    sidecar_init(&u->s, sr);
    u->mode = SIDECAR_DUCK;
    u->subnormal_knobs = 0;
}

/* The audio a frame puts into the outlets' way on channel ch (0 = L, 1 = R), normalled as SPEC
 * says: MAIN, and SC while the SC pair is patched (else silence goes into the delay line). */
static void heard(const sidecar_sample *const *in, unsigned patched, int ch, int i, double *main_v,
                  double *sc_v)
{
    int main_idx = (ch == 1 && (patched & SIDECAR_PATCHED(SIDECAR_IN_MAIN_R))) ? SIDECAR_IN_MAIN_R
                                                                                 : SIDECAR_IN_MAIN_L;
    int sc_idx = (ch == 1 && (patched & SIDECAR_PATCHED(SIDECAR_IN_SC_R))) ? SIDECAR_IN_SC_R
                                                                             : SIDECAR_IN_SC_L;
    unsigned sc_pair = SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R);
    *main_v = in[main_idx][i];
    *sc_v = (patched & sc_pair) ? in[sc_idx][i] : 0.0;
}

/* ---- the harness --------------------------------------------------------------------------- */

typedef struct {
    unit main, split, clean;
    /* inputs as generated, the sanitised copy for `clean`, and the outputs */
    sidecar_sample in[SIDECAR_NINPUTS][MAX_BLOCK];
    sidecar_sample in_clean[SIDECAR_NINPUTS][MAX_BLOCK];
    sidecar_sample work[SIDECAR_NINPUTS][MAX_BLOCK]; /* main's inputs; outputs may alias them */
    sidecar_sample out_main[SIDECAR_NOUTPUTS][MAX_BLOCK];
    sidecar_sample out_split[SIDECAR_NOUTPUTS][MAX_BLOCK];
    sidecar_sample out_clean[SIDECAR_NOUTPUTS][MAX_BLOCK];
    double phase[SIDECAR_NINPUTS];
    /* frames processed so far, and per channel the last frame whose MAIN / SC (as it goes into
     * the delay line) was NaN or Inf: an audio outlet at frame t plays frame t - latency, so it
     * must be finite when neither is at or after t - latency */
    long t, bad_main_at[2], bad_sc_at[2];
} harness;

static void apply_all(harness *h, void (*f)(unit *, void *), void *arg)
{
    f(&h->main, arg);
    f(&h->split, arg);
    f(&h->clean, arg);
}

typedef struct {
    int p;
    double v;
    sidecar_set_result res;
} set_arg;

static void do_set(unit *u, void *arg)
{
    set_arg *a = arg;
    int valid = a->p >= 0 && a->p < SIDECAR_NPARAMS;
    double before = valid ? sidecar_get_param(&u->s, a->p) : 0.0;
    a->res = sidecar_set_param(&u->s, a->p, a->v);
    if (valid && is_subnormal(a->v)) u->subnormal_knobs |= 1u << a->p;
    if (!valid || !isfinite(a->v)) {
        if (a->res != SIDECAR_SET_REJECTED)
            FAIL("set_param(%d, %g) returned %d, expected REJECTED", a->p, a->v, (int)a->res);
        double after = valid ? sidecar_get_param(&u->s, a->p) : 0.0;
        if (memcmp(&before, &after, sizeof before) != 0)
            FAIL("rejected set_param(%d, %g) changed the knob", a->p, a->v);
        return;
    }
    const sidecar_param_info *info = sidecar_param_get_info(a->p);
    int in_range = a->v >= info->min && a->v <= info->max;
    if (a->res == SIDECAR_SET_NOMEM && a->p == SIDECAR_LOOKAHEAD) {
        /* no memory for the delay line (an absurd sample rate): nothing changed */
        double after = sidecar_get_param(&u->s, a->p);
        if (memcmp(&before, &after, sizeof before) != 0)
            FAIL("set_param(lookahead, %g) gave NOMEM but changed the knob", a->v);
        return;
    }
    if (a->res != (in_range ? SIDECAR_SET_OK : SIDECAR_SET_CLAMPED))
        FAIL("set_param(%s, %.17g) returned %d", info->id, a->v, (int)a->res);
    double want = in_range ? a->v : (a->v < info->min ? info->min : info->max);
    if (sidecar_get_param(&u->s, a->p) != want)
        FAIL("set_param(%s, %.17g): knob reads %.17g, expected %.17g", info->id, a->v,
             sidecar_get_param(&u->s, a->p), want);
}

static void do_mode(unit *u, void *arg)
{
    u->mode = *(sidecar_mode *)arg;
    sidecar_set_mode(&u->s, u->mode);
}

static void do_reset(unit *u, void *arg)
{
    (void)arg;
    sidecar_reset(&u->s);
}

static void do_sr(unit *u, void *arg)
{
    const double sr = *(double *)arg, old = u->s.sr;
    const int had_delay = u->s.delay != NULL;
    const sidecar_set_result res = sidecar_set_samplerate(&u->s, sr);
    if (res == SIDECAR_SET_NOMEM) {
        if (sidecar_latency(&u->s) != 0) FAIL("set_samplerate(%g): NOMEM, latency %d", sr, sidecar_latency(&u->s));
    } else if (res != SIDECAR_SET_OK) {
        FAIL("set_samplerate(%g) returned %d", sr, (int)res);
    }
    /* a new rate empties the delay line (SPEC step 9) */
    if (had_delay && u->s.sr != old && u->s.delay) {
        if (u->s.delay_pos != 0) FAIL("set_samplerate(%g): delay line not emptied (pos %d)", sr, u->s.delay_pos);
        for (long i = 0; i < 4L * u->s.delay_size; i++)
            if (u->s.delay[i] != 0)
                FAIL("set_samplerate(%g -> %g): delay line not empty at %ld", old, sr, i);
    }
}

typedef struct {
    double depth;
    sidecar_set_result res;
} trigger_arg;

static void do_trigger(unit *u, void *arg)
{
    trigger_arg *a = arg;
    const double pending = u->s.trigger_depth;
    a->res = sidecar_trigger(&u->s, a->depth);
    const sidecar_param_info *info = sidecar_trigger_info();
    if (!isfinite(a->depth)) {
        if (a->res != SIDECAR_SET_REJECTED || u->s.trigger_depth != pending)
            FAIL("trigger(%g) returned %d (expected REJECTED, nothing changed)", a->depth, (int)a->res);
        return;
    }
    const int in_range = a->depth >= info->min && a->depth <= info->max;
    if (a->res != (in_range ? SIDECAR_SET_OK : SIDECAR_SET_CLAMPED))
        FAIL("trigger(%.17g) returned %d", a->depth, (int)a->res);
    const double d = a->depth < info->min ? info->min : a->depth > info->max ? info->max : a->depth;
    if (u->s.trigger_depth != (d > pending ? d : pending))
        FAIL("trigger(%.17g): pending depth %g (was %g)", a->depth, u->s.trigger_depth, pending);
}

static void unit_free(unit *u) { sidecar_free(&u->s); }

static void process_block(harness *h, reader *r, int n, unsigned patched)
{
    sidecar_mode mode = h->main.mode;
    unsigned sc_pair = SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R);
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        gen_signal(r, h->in[i], n, &h->phase[i]);
        /* An unpatched CV is read as a constant in[i][0]; keep the vector constant so that the
         * split twin's second call sees the same constant. */
        if (is_cv(i) && !(patched & SIDECAR_PATCHED(i)))
            for (int k = 1; k < n; k++) h->in[i][k] = h->in[i][0];
    }

    /* clean: NaN/Inf on detector and CV inputs -> 0 (SPEC: treated as 0 for detection and CV) */
    int sc_detects = mode == SIDECAR_COMP && (patched & sc_pair);
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        int detector = is_cv(i) || (i <= SIDECAR_IN_MAIN_R ? !sc_detects : sc_detects);
        for (int k = 0; k < n; k++) {
            sidecar_sample x = h->in[i][k];
            /* where an input is both heard and detected, this changes what is heard too: the
             * audio comparison below skips those frames */
            h->in_clean[i][k] = (detector && !isfinite(x)) ? 0 : x;
        }
    }

    /* main: outputs alias distinct inputs at the fuzzer's choice */
    memcpy(h->work, h->in, sizeof h->work);
    const sidecar_sample *in_main[SIDECAR_NINPUTS];
    sidecar_sample *out_main[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) in_main[i] = h->work[i];
    unsigned alias = rd_u8(r);
    unsigned used = 0;
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
        out_main[o] = h->out_main[o];
        unsigned target = (alias >> (2 * o)) & 3u; /* 0: own buffer, else an input */
        if (target) {
            int i = (int)((target + (unsigned)o * 2u) % SIDECAR_NINPUTS);
            if (!(used & (1u << i))) {
                used |= 1u << i;
                out_main[o] = h->work[i];
            }
        }
    }
    sidecar_process(&h->main.s, in_main, out_main, n, patched);

    /* split: the same block in two calls */
    int cut = n ? (int)(rd_u16(r) % (unsigned)(n + 1)) : 0;
    const sidecar_sample *in_a[SIDECAR_NINPUTS], *in_b[SIDECAR_NINPUTS];
    sidecar_sample *out_a[SIDECAR_NOUTPUTS], *out_b[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) {
        in_a[i] = h->in[i];
        in_b[i] = h->in[i] + cut;
    }
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
        out_a[o] = h->out_split[o];
        out_b[o] = h->out_split[o] + cut;
    }
    sidecar_process(&h->split.s, in_a, out_a, cut, patched);
    sidecar_process(&h->split.s, in_b, out_b, n - cut, patched);

    /* clean */
    const sidecar_sample *in_c[SIDECAR_NINPUTS];
    sidecar_sample *out_c[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) in_c[i] = h->in_clean[i];
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) out_c[o] = h->out_clean[o];
    sidecar_process(&h->clean.s, in_c, out_c, n, patched);

    check_state(&h->main.s, h->main.subnormal_knobs, "after process");
    check_state(&h->split.s, h->split.subnormal_knobs, "after split process");
    check_state(&h->clean.s, h->clean.subnormal_knobs, "after clean process");

    const sidecar_sample *const *in = (const sidecar_sample *const *)in_a;
    const long lat = sidecar_latency(&h->main.s);
    if (sidecar_latency(&h->split.s) != lat || sidecar_latency(&h->clean.s) != lat)
        FAIL("twins with the same program have latencies %d, %d, %d", (int)lat,
             sidecar_latency(&h->split.s), sidecar_latency(&h->clean.s));
    for (int k = 0; k < n; k++) {
        const long t = h->t + k;
        int audio_ok[2];
        double mv[2], scv[2];
        for (int c = 0; c < 2; c++) {
            heard(in, patched, c, k, &mv[c], &scv[c]);
            if (!isfinite(mv[c])) h->bad_main_at[c] = t;
            if (!isfinite(scv[c])) h->bad_sc_at[c] = t;
            /* comp plays MAIN; duck MAIN and SC (with lookahead SC from before an unpatch too) */
            audio_ok[c] = h->bad_main_at[c] < t - lat &&
                          (mode == SIDECAR_COMP || h->bad_sc_at[c] < t - lat);
        }
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
            sidecar_sample m = out_main[o][k], sp = h->out_split[o][k], c = h->out_clean[o][k];
            if (!bits_equal(m, sp))
                FAIL("n=%d cut=%d patched=0x%02x mode=%d latency=%ld: outlet %d frame %d: %.9g "
                     "whole/aliased, %.9g split", n, cut, patched, (int)mode, lat, o, k, (double)m,
                     (double)sp);
            if (o >= SIDECAR_OUT_ENV) {
                if (!isfinite(m))
                    FAIL("n=%d patched=0x%02x mode=%d: envelope outlet %d frame %d = %g", n, patched,
                         (int)mode, o, k, (double)m);
                if (!bits_equal(m, c))
                    FAIL("n=%d patched=0x%02x mode=%d: envelope outlet %d frame %d: %.9g, but %.9g "
                         "with NaN/Inf on detector/CV inputs replaced by 0", n, patched, (int)mode,
                         o, k, (double)m, (double)c);
            } else if (audio_ok[o]) {
                if (!isfinite(m))
                    FAIL("n=%d patched=0x%02x mode=%d latency=%ld: audio outlet %d frame %d = %g "
                         "with finite inputs (now: main=%g sc=%g)", n, patched, (int)mode, lat, o,
                         k, (double)m, mv[o], scv[o]);
                if (!bits_equal(m, c))
                    FAIL("n=%d patched=0x%02x mode=%d latency=%ld: audio outlet %d frame %d: %.9g, "
                         "but %.9g with NaN/Inf on detector/CV inputs replaced by 0", n, patched,
                         (int)mode, lat, o, k, (double)m, (double)c);
            }
        }
    }
    h->t += n;
}

/* Deterministic clean material for the latch checks: a kick-like trigger and a pad. */
static void clean_material(sidecar_sample in[SIDECAR_NINPUTS][MAX_BLOCK], int n, long t0, double sr)
{
    for (int k = 0; k < n; k++) {
        double t = (double)(t0 + k) / sr;
        double beat = fmod(t, 0.05);
        double kick = 0.9 * exp(-beat * 60.0) * sin(6.283185307179586 * 60.0 * beat);
        double pad = 0.3 * sin(6.283185307179586 * 220.0 * t);
        in[SIDECAR_IN_MAIN_L][k] = (sidecar_sample)kick;
        in[SIDECAR_IN_MAIN_R][k] = (sidecar_sample)(0.8 * kick);
        in[SIDECAR_IN_SC_L][k] = (sidecar_sample)pad;
        in[SIDECAR_IN_SC_R][k] = (sidecar_sample)(0.5 * pad);
        in[SIDECAR_IN_THRESHOLD_CV][k] = (sidecar_sample)(0.1 * sin(6.283185307179586 * 3.0 * t));
        in[SIDECAR_IN_ENV_MAG_CV][k] = 0;
        in[SIDECAR_IN_INPUT_LEVEL_CV][k] = 0;
    }
}

/* Run `a` and `b` over the same clean material for `frames`; return the largest difference on
 * any outlet within the last `tail` frames. */
static double compare_on_clean(harness *h, sidecar *a, sidecar *b, long frames, long tail, double sr)
{
    double worst = 0.0;
    const unsigned all = 0x7fu;
    for (long t = 0; t < frames; t += 1024) {
        int n = (int)(frames - t < 1024 ? frames - t : 1024);
        clean_material(h->in, n, t, sr);
        const sidecar_sample *in[SIDECAR_NINPUTS];
        sidecar_sample *oa[SIDECAR_NOUTPUTS], *ob[SIDECAR_NOUTPUTS];
        for (int i = 0; i < SIDECAR_NINPUTS; i++) in[i] = h->in[i];
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
            oa[o] = h->out_main[o];
            ob[o] = h->out_split[o];
        }
        sidecar_process(a, in, oa, n, all);
        sidecar_process(b, in, ob, n, all);
        for (int k = 0; k < n; k++) {
            if (t + k < frames - tail) continue;
            for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
                double d = fabs((double)oa[o][k] - (double)ob[o][k]);
                if (!(d <= worst)) worst = d; /* NaN propagates as a failure */
            }
        }
    }
    return worst;
}

/* A fresh object with u's knobs and mode at u's sample rate, reset so its smoothers sit on the
 * knobs, as the Pd object does at creation. */
static void fresh_twin(sidecar *f, const unit *u)
{
    sidecar_init(f, u->s.sr);
    for (int p = 0; p < SIDECAR_NPARAMS; p++) sidecar_set_param(f, p, sidecar_get_param(&u->s, p));
    sidecar_set_mode(f, u->mode);
    sidecar_reset(f);
}

static void latch_checks(harness *h)
{
    double sr = h->main.s.sr;
    /* Only at sample rates where "a few time constants" is a bounded number of frames. */
    if (!(sr >= 8000.0 && sr <= 384000.0)) return;
    sidecar fresh;

    /* 1. reset forgets everything (filters, RMS, hold, a pending trigger, the delay line):
     * `split` (the same state as main) after reset == fresh */
    sidecar_reset(&h->split.s);
    check_state(&h->split.s, h->split.subnormal_knobs, "after reset");
    fresh_twin(&fresh, &h->split);
    long frames = (long)(0.02 * sr) + sidecar_latency(&fresh);
    double d = compare_on_clean(h, &h->split.s, &fresh, frames, frames, sr);
    sidecar_free(&fresh);
    if (!(d <= 1e-6))
        FAIL("latched: after reset, differs from a fresh object by %g (sr %g, mode %d)", d, sr,
             (int)h->split.mode);

    /* 2. without reset, the junk is forgotten: fast settings, 60 ms of clean material (plus
     * what is left of a hold counter; setting hold to 0 does not cut a running one short) */
    sidecar *s = &h->main.s;
    sidecar_set_param(s, SIDECAR_ATTACK, 0.1);
    sidecar_set_param(s, SIDECAR_RELEASE, 1.0);
    sidecar_set_param(s, SIDECAR_SC_HPF, 1000.0);
    sidecar_set_param(s, SIDECAR_HOLD, 0.0);
    /* a slow envelope that is on follows at 1 ms (off, it stays 0) */
    if (sidecar_get_param(s, SIDECAR_SLOW_RELEASE) > 1.0)
        sidecar_set_param(s, SIDECAR_SLOW_RELEASE, 1.0);
    /* an RMS average of junk (up to ~1e60 after 1e30 input) needs ~150 time constants */
    if (sidecar_get_param(s, SIDECAR_RMS) > 0.1) sidecar_set_param(s, SIDECAR_RMS, 0.1);
    /* the low-pass stays on, at sr/4 (its poles at radius ~0.4; near Nyquist they sit near
     * the unit circle and junk of 1e30 would ring for thousands of frames) */
    if (sidecar_get_param(s, SIDECAR_SC_LPF) < 20000.0)
        sidecar_set_param(s, SIDECAR_SC_LPF, fmin(0.25 * sr, 19999.0));
    /* lookahead and link stay: the delay line must flush and the channels meet again */
    fresh_twin(&fresh, &h->main);
    const int held = s->ch[0].hold > s->ch[1].hold ? s->ch[0].hold : s->ch[1].hold;
    if (held > 1.001 * sr) { /* a counter started at a far higher rate (the state is kept across
                              * a rate change): longer than any hold here, too long to wait for */
        sidecar_free(&fresh);
        return;
    }
    frames = (long)(0.06 * sr) + held + sidecar_latency(s);
    d = compare_on_clean(h, s, &fresh, frames, (long)(0.01 * sr), sr);
    sidecar_free(&fresh);
    if (!(d <= 1e-4))
        FAIL("latched: 60 ms after the junk stopped, differs from a fresh object by %g (sr %g, "
             "mode %d, latency %d, link %g)", d, sr, (int)h->main.mode, sidecar_latency(s),
             sidecar_get_param(s, SIDECAR_LINK));
    check_state(s, h->main.subnormal_knobs, "after forgetting");
}

static void check_api(reader *r)
{
    /* parameter table and lookup */
    for (int p = -2; p < SIDECAR_NPARAMS + 2; p++) {
        const sidecar_param_info *info = sidecar_param_get_info(p);
        if ((p < 0 || p >= SIDECAR_NPARAMS) != (info == NULL))
            FAIL("sidecar_param_get_info(%d) = %p", p, (const void *)info);
        if (info && sidecar_param_find(info->id) != p) FAIL("sidecar_param_find(%s) != %d", info->id, p);
        if (info && info->alias && sidecar_param_find(info->alias) != p)
            FAIL("sidecar_param_find(%s) != %d", info->alias, p);
    }
    /* lookup of arbitrary (NUL-terminated) junk must not read out of bounds */
    char name[24];
    unsigned len = rd_u8(r) % sizeof name;
    for (unsigned i = 0; i < len; i++) name[i] = (char)rd_u8(r);
    name[len] = '\0';
    int found = sidecar_param_find(name);
    if (found < -1 || found >= SIDECAR_NPARAMS) FAIL("sidecar_param_find(junk) = %d", found);
    sidecar_param_find("");

    /* the static curve: finite, <= 0, for in-range T, W, R and any level (-inf: no reduction) */
    double x = rd_value(r, NULL);
    double T = -60.0 + 60.0 * rd_u8(r) / 255.0, W = 24.0 * rd_u8(r) / 255.0;
    double R = 1.0 + 19.0 * rd_u8(r) / 255.0;
    if (isnan(x)) return;
    double g = sidecar_gain_computer_db(x, T, W, R);
    if (isinf(x) && x < 0 && g != 0.0) FAIL("gain computer at -inf dB = %g, expected 0", g);
    if (isfinite(x) && !(isfinite(g) && g <= 0.0))
        FAIL("gain computer(%g, T %g, W %g, R %g) = %g", x, T, W, R, g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The harness is big (buffers); keep it off the stack, one per call, freed at the end. */
    harness *h = calloc(1, sizeof *h);
    if (!h) return 0;
    reader r = {data, size, 0};

    check_api(&r);
    double sr = rd_samplerate(&r);
    unit_init(&h->main, sr);
    unit_init(&h->split, sr);
    unit_init(&h->clean, sr);
    check_state(&h->main.s, h->main.subnormal_knobs, "after init");

    long frames = 0;
    for (int c = 0; c < 2; c++) h->bad_main_at[c] = h->bad_sc_at[c] = LONG_MIN / 2;
    for (int op = 0; op < MAX_OPS && r.pos < r.n; op++) {
        /* 0-2 set, 3 mode, 4 reset, 5 sample rate, 6-9 process, 10 trigger */
        unsigned code = rd_u8(&r) % 11;
        if (code <= 2) {
            set_arg a = {(int)(rd_u8(&r) % (SIDECAR_NPARAMS + 3)) - 1, 0.0, SIDECAR_SET_OK};
            a.v = rd_value(&r, sidecar_param_get_info(a.p));
            apply_all(h, do_set, &a);
        } else if (code == 3) {
            sidecar_mode m = (rd_u8(&r) & 1) ? SIDECAR_COMP : SIDECAR_DUCK;
            apply_all(h, do_mode, &m);
        } else if (code == 4) {
            apply_all(h, do_reset, NULL);
            check_state(&h->main.s, h->main.subnormal_knobs, "after reset");
        } else if (code == 5) {
            double nsr = rd_samplerate(&r);
            apply_all(h, do_sr, &nsr);
            check_state(&h->main.s, h->main.subnormal_knobs, "after set_samplerate");
        } else if (code == 10) {
            trigger_arg a = {rd_value(&r, sidecar_trigger_info()), SIDECAR_SET_OK};
            apply_all(h, do_trigger, &a);
            check_state(&h->main.s, h->main.subnormal_knobs, "after trigger");
        } else {
            /* block size: mostly powers of two, sometimes anything in 0..MAX_BLOCK */
            unsigned b = rd_u8(&r);
            int n = b < 128 ? 1 << (b % 14) : (int)(rd_u16(&r) % (MAX_BLOCK + 1));
            if (n > MAX_BLOCK) n = MAX_BLOCK;
            if (frames + n > MAX_FRAMES) break;
            frames += n;
            unsigned patched = rd_u8(&r) & 0x7fu;
            process_block(h, &r, n, patched);
        }
    }
    latch_checks(h);
    unit_free(&h->main);
    unit_free(&h->split);
    unit_free(&h->clean);
    free(h);
    return 0;
}
