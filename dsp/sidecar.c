/*
 * sidecar: the DSP core of the sidecar~ Pd external. See sidecar.h and SPEC.md.
 *
 * This file: the parameter table, the plain C API (sidecar.h), and the one pipeline that
 * composes the stages of sidecar_stages.h (static inline: they compile into it at no cost)
 * over chunks of at most CHUNK frames. An option that is off costs one test per chunk. With
 * link 1 (and both channels' state equal, as it is unless link was lower) the level, target
 * and envelope stages run once for both channels; below link 1, target and envelope run once
 * for a chunk whose two levels and gain states agree (a mono key). A settled parameter is an
 * exact fixed point of its smoother, so a constant lane and an array lane give the same bits:
 * the output does not depend on the block size. While feedback is above 0 the detector (steps
 * 2-7) runs frame by frame, through the same stages with a length of one, since each frame's
 * detector input depends on the gain of the frame before.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
/* GCC by default (-ftrapping-math) will not compute a floating-point value that a ?: may then
 * discard, in case it traps; so it cannot turn the per-frame passes below into branch-free,
 * vectorised code. Pd and any sane host run with FP exceptions masked, and the option changes
 * no computed value (only which exception flags may be raised), so lift it for this file.
 * Clang needs nothing: it ignores FP traps by default. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include "sidecar.h"
#include "sidecar_stages.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const sidecar_param_info param_table[SIDECAR_NPARAMS] = {
    [SIDECAR_THRESHOLD] = {"threshold", NULL, "dB", -60.0, 0.0, -18.0},
    [SIDECAR_RATIO] = {"ratio", NULL, ":1", 1.0, 20.0, 4.0},
    [SIDECAR_ATTACK] = {"attack", NULL, "ms", 0.1, 200.0, 10.0},
    [SIDECAR_RELEASE] = {"release", NULL, "ms", 1.0, 2000.0, 100.0},
    [SIDECAR_KNEE] = {"knee", NULL, "dB", 0.0, 24.0, 6.0},
    [SIDECAR_ENV_MAG] = {"envMag", "env_mag", "", 0.0, 2.0, 1.0},
    [SIDECAR_INPUT_LEVEL] = {"inputLevel", "input_level", "", 0.0, 2.0, 1.0},
    [SIDECAR_MAKEUP] = {"makeup", NULL, "dB", 0.0, 24.0, 0.0},
    [SIDECAR_SC_HPF] = {"sc_hpf", NULL, "Hz", 20.0, 1000.0, 20.0},
    [SIDECAR_RANGE] = {"range", NULL, "dB", 0.0, RANGE_OFF, RANGE_OFF},
    [SIDECAR_HOLD] = {"hold", NULL, "ms", 0.0, 1000.0, 0.0},
    [SIDECAR_LOOKAHEAD] = {"lookahead", NULL, "ms", 0.0, LOOKAHEAD_MAX_MS, 0.0},
    [SIDECAR_MIX] = {"mix", NULL, "", 0.0, 1.0, 1.0},
    [SIDECAR_RMS] = {"rms", NULL, "ms", 0.0, 300.0, 0.0},
    [SIDECAR_LINK] = {"link", NULL, "", 0.0, 1.0, 1.0},
    [SIDECAR_SC_LPF] = {"sc_lpf", NULL, "Hz", 20.0, SC_LPF_OFF, SC_LPF_OFF},
    [SIDECAR_FEEDBACK] = {"feedback", NULL, "", 0.0, 1.0, 0.0},
    [SIDECAR_MS] = {"ms", NULL, "", 0.0, 1.0, 0.0},
    [SIDECAR_SLOW_RELEASE] = {"slow_release", NULL, "ms", 0.0, 5000.0, 0.0},
    [SIDECAR_LISTEN] = {"listen", NULL, "", 0.0, 1.0, 0.0},
};

/* `trigger depth`: worded like a parameter in errors (SPEC: "clamped with an error like a
 * parameter"). */
static const sidecar_param_info trigger_info = {"trigger", NULL, "dB", 0.0, 120.0, 0.0};

const sidecar_param_info *sidecar_param_get_info(int p)
{
    return (p >= 0 && p < SIDECAR_NPARAMS) ? &param_table[p] : NULL;
}

const sidecar_param_info *sidecar_trigger_info(void)
{
    return &trigger_info;
}

int sidecar_param_find(const char *name)
{
    if (!name)
        return -1;
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *info = &param_table[p];
        if (!strcmp(name, info->id) || (info->alias && !strcmp(name, info->alias)))
            return p;
    }
    return -1;
}

/* The sample rate the core works at: a non-finite or non-positive one is taken as 44100. */
static double usable_rate(double sr)
{
    return (is_finite_double(sr) && sr > 0.0) ? sr : 44100.0;
}

/* SPEC's "round(...)" of a non-negative count of samples, held below 2^30 (a hold of 1 s at an
 * absurd sample rate must not overflow an int). */
#define MAX_FRAMES 1073741824.0
static int round_frames(double frames)
{
    const double r = floor(frames + 0.5);
    return (int)(r < MAX_FRAMES ? r : MAX_FRAMES);
}

/* The largest delay line the core takes: 20 ms at 8 x 384 kHz (Pd up-sampling a 384 kHz patch
 * eight times) and some room, 4 x 2^18 samples. At a higher rate lookahead reports NOMEM. */
#define DELAY_MAX_FRAMES 262144

/* Step 6's floor, -range, exactly as the target stage applies it (a float, since g* is one),
 * or none at the top of the range. The trigger clips with the same value: a trigger at the
 * floor then leaves g exactly equal to a g* held at the floor, so SPEC's arithmetic decides
 * the hold (were the two floors apart by a float's rounding, as for a range of 7.3 from a
 * double host, every sample would look like an attack). */
static float range_floor(const sidecar *s)
{
    const double range = s->knob[SIDECAR_RANGE];
    return range < RANGE_OFF ? (float)-range : -FLT_MAX;
}

/* ---- coefficients and memory ------------------------------------------------------------- */

static void update_coefficients(sidecar *s)
{
    const double sr = s->sr;
    s->a_param = exp(-TWO_PI * PARAM_SMOOTH_HZ / sr);
    s->a_attack = exp(-1.0 / (0.001 * s->knob[SIDECAR_ATTACK] * sr));
    s->a_release = exp(-1.0 / (0.001 * s->knob[SIDECAR_RELEASE] * sr));
    s->a_hpf = exp(-TWO_PI * clamp(s->knob[SIDECAR_SC_HPF], 0.1, 0.49 * sr) / sr);
    s->slope = 1.0 - 1.0 / s->knob[SIDECAR_RATIO];
    s->makeup_lin = pow(10.0, s->knob[SIDECAR_MAKEUP] / 20.0);
    s->hold_frames = round_frames(0.001 * s->knob[SIDECAR_HOLD] * sr);
    s->delay_frames = s->delay ? round_frames(0.001 * s->knob[SIDECAR_LOOKAHEAD] * sr) : 0;
    const double rms = s->knob[SIDECAR_RMS];
    s->a_rms = rms > 0.0 ? exp(-1.0 / (0.001 * rms * sr)) : 0.0;
    const double slow = s->knob[SIDECAR_SLOW_RELEASE];
    s->a_slow = slow > 0.0 ? exp(-1.0 / (0.001 * slow * sr)) : 0.0;

    /* RBJ cookbook low-pass, Q = 1/sqrt(2), divided through by a0 */
    const double w = TWO_PI * clamp(s->knob[SIDECAR_SC_LPF], 0.1, 0.49 * sr) / sr;
    const double cw = cos(w), alpha = sin(w) / (2.0 * 0.70710678118654752), a0 = 1.0 + alpha;
    s->lpf_b0 = 0.5 * (1.0 - cw) / a0;
    s->lpf_a[0] = -2.0 * cw / a0;
    s->lpf_a[1] = (1.0 - alpha) / a0;

    /* what sidecar_process reads per call */
    s->curve.db_per_log2 = (float)(s->a_rms > 0.0 ? 0.5 * DB_PER_OCTAVE : DB_PER_OCTAVE);
    s->curve.knee = (float)s->knob[SIDECAR_KNEE];
    s->curve.slope = (float)s->slope;
    s->curve.lowest = range_floor(s);
    s->smoother.a_att = s->a_attack;
    s->smoother.a_rel = s->a_release;
    s->smoother.att_le_rel = s->a_attack <= s->a_release;
    s->smoother.hold_frames = s->hold_frames;
    s->options = (s->knob[SIDECAR_SC_LPF] < SC_LPF_OFF ? OPT_LPF : 0u) |
                 (s->a_rms > 0.0 ? OPT_RMS : 0u) | (s->a_slow > 0.0 ? OPT_SLOW : 0u) |
                 (s->knob[SIDECAR_FEEDBACK] > 0.0 ? OPT_FEEDBACK : 0u) |
                 (s->knob[SIDECAR_MS] > 0.0 ? OPT_MS : 0u) |
                 (s->knob[SIDECAR_LISTEN] > 0.0 ? OPT_LISTEN : 0u) |
                 (s->delay_frames > 0 ? OPT_DELAY : 0u) |
                 (s->knob[SIDECAR_LINK] < 1.0 ? OPT_UNLINKED : 0u);
    s->lanes_settled = 0;
    s->serial++;
}

static int delay_size_for(double sr)
{
    return round_frames(0.001 * LOOKAHEAD_MAX_MS * sr) + CHUNK;
}

static void delay_clear(sidecar *s)
{
    if (s->delay)
        memset(s->delay, 0, 4 * (size_t)s->delay_size * sizeof *s->delay);
    s->delay_pos = 0;
}

/* Make sure the delay line fits the sample rate (allocating only when it must), emptied. */
static sidecar_set_result delay_prepare(sidecar *s)
{
    const int size = delay_size_for(s->sr);
    if (!s->delay || s->delay_size != size) {
        free(s->delay);
        s->delay = size <= DELAY_MAX_FRAMES ? calloc(4 * (size_t)size, sizeof *s->delay) : NULL;
        s->delay_size = s->delay ? size : 0;
    }
    delay_clear(s);
    update_coefficients(s); /* delay_frames follows whether there is a delay line */
    return s->delay ? SIDECAR_SET_OK : SIDECAR_SET_NOMEM;
}

sidecar_set_result sidecar_set_samplerate(sidecar *s, double sr)
{
    const double old = s->sr;
    s->sr = usable_rate(sr);
    update_coefficients(s);
    /* Pd calls this on every DSP graph rebuild (any connection made or broken): only a new rate
     * empties (and re-sizes) the delay line (step 9), or a lookahead still without memory */
    if ((s->delay && s->sr != old) || (!s->delay && s->knob[SIDECAR_LOOKAHEAD] > 0.0))
        return delay_prepare(s);
    return SIDECAR_SET_OK;
}

static void clear_channel_state(sidecar_channel *c)
{
    memset(c, 0, sizeof *c);
}

void sidecar_reset(sidecar *s)
{
    clear_channel_state(&s->ch[0]);
    clear_channel_state(&s->ch[1]);
    s->feedback_stale = 1; /* G[n-1] = 1 is worked out from applied_db = 0 when needed */
    s->trigger_depth = -1.0;
    delay_clear(s);
    s->threshold_s = s->knob[SIDECAR_THRESHOLD];
    s->env_mag_s = s->knob[SIDECAR_ENV_MAG];
    s->input_level_s = s->knob[SIDECAR_INPUT_LEVEL];
    s->makeup_s = s->makeup_lin;
    s->mix_s = s->knob[SIDECAR_MIX];
    s->lanes_settled = 0;
}

void sidecar_init(sidecar *s, double sr)
{
    memset(s, 0, sizeof *s);
    for (int p = 0; p < SIDECAR_NPARAMS; p++)
        s->knob[p] = param_table[p].def;
    s->mode = SIDECAR_DUCK;
    s->sr = usable_rate(sr);
    update_coefficients(s);
    sidecar_reset(s); /* smoothers start at the creation values: no glide at load */
}

void sidecar_free(sidecar *s)
{
    free(s->delay);
    s->delay = NULL;
    s->delay_size = 0;
    s->delay_frames = 0;
}

sidecar_set_result sidecar_set_param(sidecar *s, int p, double value)
{
    const sidecar_param_info *info = sidecar_param_get_info(p);
    if (!info || !is_finite_double(value))
        return SIDECAR_SET_REJECTED;
    const double v = clamp(value, info->min, info->max), old = s->knob[p];
    if (p == SIDECAR_LOOKAHEAD && v > 0.0 && !s->delay) {
        s->knob[p] = v;
        if (delay_prepare(s) == SIDECAR_SET_NOMEM) {
            s->knob[p] = old;
            update_coefficients(s);
            return SIDECAR_SET_NOMEM;
        }
    }
    s->knob[p] = v;
    update_coefficients(s);

    /* state that SPEC ties to a change of these parameters */
    if (p == SIDECAR_LOOKAHEAD && v != old)
        delay_clear(s); /* step 9: a change empties the delay line */
    if (p == SIDECAR_SC_LPF && v >= SC_LPF_OFF)
        for (int c = 0; c < 2; c++) /* step 3: while off, the low-pass state is zero */
            s->ch[c].lpf_x1 = s->ch[c].lpf_x2 = s->ch[c].lpf_y1 = s->ch[c].lpf_y2 = 0.0;
    if (p == SIDECAR_RMS && v == 0.0)
        s->ch[0].rms_p = s->ch[1].rms_p = 0.0; /* step 5: p is zero while rms is 0 */
    if (p == SIDECAR_SLOW_RELEASE && v == 0.0)
        s->ch[0].slow_db = s->ch[1].slow_db = 0.0; /* step 7: s is 0 while slow_release is 0 */
    if (p == SIDECAR_LINK && v == 1.0 && old != 1.0) {
        /* step 7: both channels go on from the deeper g and s and the larger h (the
         * feedback's previous gain stays each channel's own: it is the last sample's) */
        const double g = fmin(s->ch[0].gain_db, s->ch[1].gain_db);
        const double slow = fmin(s->ch[0].slow_db, s->ch[1].slow_db);
        const int h = s->ch[0].hold > s->ch[1].hold ? s->ch[0].hold : s->ch[1].hold;
        s->ch[0].gain_db = s->ch[1].gain_db = g;
        s->ch[0].slow_db = s->ch[1].slow_db = slow;
        s->ch[0].hold = s->ch[1].hold = h;
    }
    return v == value ? SIDECAR_SET_OK : SIDECAR_SET_CLAMPED;
}

double sidecar_get_param(const sidecar *s, int p)
{
    return sidecar_param_get_info(p) ? s->knob[p] : 0.0;
}

void sidecar_set_mode(sidecar *s, sidecar_mode mode)
{
    s->mode = mode == SIDECAR_COMP ? SIDECAR_COMP : SIDECAR_DUCK;
    s->serial++;
}

sidecar_set_result sidecar_trigger(sidecar *s, double depth_db)
{
    if (!is_finite_double(depth_db))
        return SIDECAR_SET_REJECTED;
    const double d = clamp(depth_db, trigger_info.min, trigger_info.max);
    s->trigger_depth = d > s->trigger_depth ? d : s->trigger_depth;
    return d == depth_db ? SIDECAR_SET_OK : SIDECAR_SET_CLAMPED;
}

int sidecar_latency(const sidecar *s)
{
    return s->delay_frames;
}

double sidecar_gain_reduction_db(const sidecar *s)
{
    /* the gain after slow release, min(g, s) (step 7); + 0.0: no "-0" in printouts */
    const double l = fmin(s->ch[0].gain_db, s->ch[0].slow_db);
    const double r = fmin(s->ch[1].gain_db, s->ch[1].slow_db);
    return -fmin(l, r) + 0.0;
}


/* The static curve of step 6, for tests and plots (sidecar.h). */
double sidecar_gain_computer_db(double x_db, double threshold_db, double knee_db, double ratio)
{
    if (!(ratio >= 1.0))
        ratio = 1.0;
    return gain_computer(x_db, threshold_db, knee_db < 0.0 ? 0.0 : knee_db, 1.0 - 1.0 / ratio);
}

/* ---- the pipeline ------------------------------------------------------------------------ */

/* Audio input k as the outputs read it without lookahead: a silent SC is never read (duck
 * without SC, or comp), so any readable vector does. */
static inline const sidecar_sample *audio_source(const sidecar_routing *r, int k)
{
    return r->audio[k] ? r->audio[k] : r->audio[k - 2];
}

/* Do the n pointers at a and b agree? (The differences OR-ed together, two at a time where
 * the compiler has vectors: one branch, no call.) */
static inline int same_pointers(const void *const *a, const void *const *b, int n)
{
#if defined(__GNUC__)
    typedef uintptr_t two __attribute__((vector_size(2 * sizeof(uintptr_t))));
    two d = {0, 0};
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        two x, y;
        memcpy(&x, a + i, sizeof x);
        memcpy(&y, b + i, sizeof y);
        d |= x ^ y;
    }
    uintptr_t differ = d[0] | d[1];
#else
    uintptr_t differ = 0;
    int i = 0;
#endif
    for (; i < n; i++)
        differ |= (uintptr_t)a[i] ^ (uintptr_t)b[i];
    return !differ;
}

/* The routing of the bound vectors (SPEC step 2 and normalling), which inputs share memory
 * with an output (they are copied aside before the outputs are written: Pd often runs an object
 * in place) and whether the outputs lie apart. Worked out when the vectors are bound, and again
 * when a setting it depends on (mode, lookahead) has changed since (serial). */
static void derive_routing(sidecar *s)
{
    sidecar_routing *r = &s->routing;
    const sidecar_sample *const *in = r->in;
    const unsigned patched = r->patched;
    const int n = r->n;
    r->serial = s->serial;

    /* SPEC normalling: MAIN R -> MAIN L, SC R -> SC L */
    const int sc_patched =
        (patched & (SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R))) != 0;
    r->audio[0] = in[SIDECAR_IN_MAIN_L];
    r->audio[1] = (patched & SIDECAR_PATCHED(SIDECAR_IN_MAIN_R)) ? in[SIDECAR_IN_MAIN_R] : r->audio[0];
    r->audio[2] = sc_patched ? in[SIDECAR_IN_SC_L] : NULL;
    r->audio[3] = !sc_patched ? NULL
                  : (patched & SIDECAR_PATCHED(SIDECAR_IN_SC_R)) ? in[SIDECAR_IN_SC_R]
                                                                 : r->audio[2];
    /* step 2: duck detects on MAIN; comp on the SC pair if patched, else on MAIN */
    const int detect_sc = s->mode == SIDECAR_COMP && sc_patched;
    r->det[0] = detect_sc ? r->audio[2] : r->audio[0];
    r->det[1] = detect_sc ? r->audio[3] : r->audio[1];
    for (int k = 0; k < 3; k++)
        r->cv[k] = (patched & SIDECAR_PATCHED(SIDECAR_IN_THRESHOLD_CV + k))
                       ? in[SIDECAR_IN_THRESHOLD_CV + k]
                       : NULL;
    r->cv_patched = r->cv[0] || r->cv[1] || r->cv[2];
    s->lanes_settled &= !r->cv_patched; /* (settled lanes are constants: no CV patched) */
    /* duck with lookahead: the delay line may still hold SC from before it was unpatched, and
     * it plays out (step 9: out = MAIN[n-N] + B·I·SC[n-N]); then the ring holds zeros */
    r->kind = s->mode == SIDECAR_COMP                ? OUT_COMP
              : sc_patched || s->delay_frames > 0 ? OUT_DUCK
                                                  : OUT_MAIN_ONLY;
    for (int k = 0; k < 4; k++)
        r->src[k] = audio_source(r, k);
    r->apart = 1;
    r->shared = 0;
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
        for (int j = 0; j < o; j++)
            r->apart &= !overlap(r->out[o], r->out[j], n);
        for (int k = 0; k < 4; k++)
            r->shared |= (unsigned)overlap(audio_source(r, k), r->out[o], n) << k;
    }
}

void sidecar_bind(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out, int n,
                  unsigned patched)
{
    sidecar_routing *r = &s->routing;
    for (int k = 0; k < SIDECAR_NINPUTS; k++)
        r->in[k] = in[k];
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        r->out[o] = out[o];
    r->n = n > 0 ? n : 0, r->patched = patched;
    if (r->n)
        derive_routing(s);
}

/* Step 7's trigger, at the start of a block: g <- min(g, -min(depth, range)), h <- H. */
static void apply_trigger(sidecar *s)
{
    const double drop = fmax(-s->trigger_depth, (double)range_floor(s)); /* -min(depth, range) */
    for (int c = 0; c < 2; c++) {
        /* (snapped like every g: a depth of a subnormal dB must not leave g subnormal) */
        s->ch[c].gain_db = snap_gain(fmin(s->ch[c].gain_db, drop));
        s->ch[c].hold = s->hold_frames;
    }
    s->trigger_depth = -1.0;
}

/* What the stages of one chunk share. */
typedef struct {
    lanes l;
    float x[2][CHUNK + 1];    /* the filters' inputs: x[c][i] the one before x[c][i + 1] */
    float y[2][CHUNK];        /* the filters' outputs: what the detector hears (listen) */
    double gain_db[2][CHUNK]; /* the gain per frame after slow release, where written */
    int one_gain;             /* channel R's gain is channel L's on every frame (a mono key:
                                 see run_detector); gain_db[1] then left unwritten unless
                                 stepwise or mid/side */
} chunk;

/* The two channels' gain state (what steps 6-7 read and write) agrees: given the same levels,
 * channel R's steps 6-7 would repeat channel L's bit for bit. (sidecar_run's test for joining
 * the channels at link 1 adds the mean square and the last gain.) */
static inline int same_channel_state(const sidecar_channel *l, const sidecar_channel *r)
{
    return l->gain_db == r->gain_db && l->hold == r->hold && l->slow_db == r->slow_db;
}

/* Do the two channels' levels agree on every frame? (A count, not an early exit, so that it
 * vectorises.) */
static inline int same_levels(const float *restrict l, const float *restrict r, int len)
{
    int differ = 0;
    for (int i = 0; i < len; i++)
        differ += l[i] != r[i];
    return differ == 0;
}

/* Steps 6-7 of channel c for frames [off, off + len) of the chunk, from its levels. Returns
 * whether it wrote gain_db[c] (else the gain sat at 0 dB); frame by frame (feedback) a
 * channel's frames are all written, zeros included, since other frames may be active. */
STAGE int run_channel(sidecar *s, chunk *k, const unsigned opts, int c, const float *level,
                      int off, int len)
{
    float target[CHUNK]; /* g* (a float: see target_gain) */
    sidecar_channel *ch = &s->ch[c];
    double *gain_db = k->gain_db[c] + off;
    const int quiet = stage_target(&s->curve, &k->l, off, level, len, target);
    int active = stage_envelope(ch, &s->smoother, quiet ? NULL : target, len, gain_db);
    if (opts & OPT_SLOW)
        active = stage_slow(ch, s->a_slow, active, len, gain_db);
    ch->applied_db = active ? gain_db[len - 1] : 0.0;
    if (opts & OPT_FEEDBACK) {
        if (!active)
            memset(gain_db, 0, (size_t)len * sizeof *gain_db);
        ch->applied_gain = active ? gain_factor(ch->applied_db) : 1.0f;
    }
    return active;
}

/* Steps 3-7 for frames [off, off + len) of the chunk: filters, link, level, gain computer,
 * envelope and slow release, from the filters' inputs k->x, for nch channels (1: linked).
 * Returns which channels' gain_db[c] hold a gain (bit c; else that gain sat at 0 dB). */
STAGE unsigned run_detector(sidecar *s, chunk *k, const unsigned opts, const int nch, int off,
                            int len)
{
    float level[2][CHUNK];
    float *y_l = k->y[0] + off, *y_r = k->y[1] + off;
    if (opts & OPT_LPF)
        stage_bandpass(s, k->x[0] + off, k->x[1] + off, len, y_l, y_r);
    else
        for (int c = 0; c < 2; c++) {
            stage_highpass_feed((float)s->a_hpf, k->x[c] + off, len, k->y[c] + off);
            stage_highpass(&s->ch[c], (float)s->a_hpf, len, k->y[c] + off);
        }
    const float link = (float)s->knob[SIDECAR_LINK];
    if (nch == 1) { /* link 1: one level, one gain for both channels */
        stage_link(y_l, y_r, len, link, 1, level[0], NULL, 1);
        if (opts & OPT_RMS)
            stage_rms(&s->ch[0], s->a_rms, level[0], len);
        const int active = run_channel(s, k, opts, 0, level[0], off, len);
        s->ch[1].applied_db = s->ch[0].applied_db;
        s->ch[1].applied_gain = s->ch[0].applied_gain;
        return (unsigned)active;
    }
    if (opts & OPT_RMS) { /* both channels' RMS at once */
        float m[2 * CHUNK]; /* m_L, m_R interleaved, then p_L, p_R */
        stage_link(y_l, y_r, len, link, 2, m, m + 1, 2);
        stage_rms_pair(s, s->a_rms, m, len, level[0], level[1]);
    } else {
        stage_link(y_l, y_r, len, link, 2, level[0], level[1], 1);
    }
    /* a mono key (MAIN R normalled to MAIN L, or one signal in both) below link 1: both
     * channels read the same levels, and while their state agrees too, channel R's gain
     * computer and envelope would repeat channel L's bit for bit: run once and copied */
    const int copy_r = same_channel_state(&s->ch[0], &s->ch[1]) &&
                       same_levels(level[0], level[1], len);
    const int active_l = run_channel(s, k, opts, 0, level[0], off, len);
    if (!copy_r) {
        k->one_gain = 0;
        return (unsigned)active_l | (unsigned)run_channel(s, k, opts, 1, level[1], off, len) << 1;
    }
    sidecar_channel *l = &s->ch[0], *r = &s->ch[1];
    r->gain_db = l->gain_db, r->hold = l->hold, r->slow_db = l->slow_db;
    r->applied_db = l->applied_db, r->applied_gain = l->applied_gain;
    /* the writer takes one gain for both channels (GAIN_LINKED, the same bits as two equal
     * ones) unless mid/side, or (frame by frame) another frame of the chunk differs */
    double *gain_l = k->gain_db[0] + off, *gain_r = k->gain_db[1] + off;
    if ((active_l && (opts & OPT_MS)) || (opts & OPT_FEEDBACK))
        memcpy(gain_r, gain_l, (size_t)len * sizeof *gain_r);
    return active_l ? 3u : 0u;
}

/* The detector's feedback (step 2), frame by frame: each frame's input needs the gain of the
 * frame before. The keys k->x[c][1..len] become the filters' inputs. */
static unsigned run_detector_stepwise(sidecar *s, chunk *k, int nch, int len)
{
    const float f = (float)s->knob[SIDECAR_FEEDBACK];
    const unsigned opts = s->options;
    unsigned written = 0;
    float key_prev[2];
    for (int c = 0; c < 2; c++) {
        if (s->feedback_stale) { /* k[n-1] and G[n-1] of a frame that ran without feedback */
            s->ch[c].key_prev = s->ch[c].hpf_x1;
            s->ch[c].applied_gain = gain_factor(s->ch[c].applied_db);
        }
        key_prev[c] = s->ch[c].key_prev;
        k->x[c][0] = s->ch[c].hpf_x1; /* the filters' input before the chunk */
    }
    for (int i = 0; i < len; i++) {
        for (int c = 0; c < 2; c++) {
            const float key = k->x[c][i + 1];
            k->x[c][i + 1] = feedback_input(f, key, key_prev[c], s->ch[c].applied_gain);
            key_prev[c] = key;
        }
        written |= run_detector(s, k, opts, nch, i, 1);
    }
    for (int c = 0; c < 2; c++) {
        s->ch[c].key_prev = key_prev[c];
        s->ch[c].hpf_x1 = k->x[c][len];
    }
    s->feedback_stale = 0;
    return written;
}

/* The whole pipeline over frames [base, base + len) of the bound vectors. STAGE: inlined into
 * each caller, so it is compiled once per constant its callers give it (see below). */
STAGE void run_chunk(sidecar *s, const sidecar_routing *r, const cv_inputs *cv, int settled,
                     int base, int len, int nch, const unsigned opts)
{
    chunk k;
    unsigned written; /* bit c: gain_db[c] written (else that channel's gain sat at 0 dB) */
    k.one_gain = nch == 2;
    stage_lanes(s, cv, settled, base, len, s->curve.db_per_log2, &k.l);
    stage_key(r->det[0] + base, r->det[1] + base, len, (opts & OPT_MS) != 0, k.x);
    if (opts & OPT_FEEDBACK) {
        written = run_detector_stepwise(s, &k, nch, len);
    } else {
        /* (without feedback the previous key is the filters' previous input, hpf_x1: the
         * feedback takes it from there, and G[n-1] from applied_db, when it comes on) */
        for (int c = 0; c < 2; c++) {
            k.x[c][0] = s->ch[c].hpf_x1;
            s->ch[c].hpf_x1 = k.x[c][len];
        }
        s->feedback_stale = 1;
        written = run_detector(s, &k, opts, nch, 0, len);
    }
    double(*gain_db)[CHUNK] = k.gain_db;

    /* outputs: from the delay line, or straight from the inputs (on copies of those that
     * share memory with an output: Pd often runs an object in place) */
    out_chunk o;
    sidecar_sample copies[4][CHUNK]; /* inputs copied aside: see stage_delay and below */
    for (int c = 0; c < SIDECAR_NOUTPUTS; c++)
        o.dst[c] = r->out[c] + base;
    if (opts & OPT_DELAY) {
        const sidecar_sample *in[4];
        for (int c = 0; c < 4; c++)
            in[c] = r->audio[c] ? r->audio[c] + base : NULL;
        stage_delay(s, in, len, o.src, copies);
    } else {
        for (int c = 0; c < 4; c++)
            o.src[c] = r->src[c] + base;
        if (r->shared)
            for (int c = 0; c < 4; c++)
                if (r->shared & (1u << c)) {
                    memcpy(copies[c], o.src[c], (size_t)len * sizeof copies[c][0]);
                    o.src[c] = copies[c];
                }
    }
    const int one_gain = nch == 1 || (k.one_gain && !(opts & OPT_MS));
    /* a channel whose gain sat at 0 dB while the other's moved: its g is 0 on every frame */
    if (!one_gain && (written == 1u || written == 2u))
        memset(gain_db[written == 1u], 0, (size_t)len * sizeof gain_db[0][0]);
    const int gains = !written        ? GAIN_0DB
                      : one_gain      ? GAIN_LINKED
                      : opts & OPT_MS ? GAIN_PAIR_MS
                                      : GAIN_PAIR;
    o.gain_l = gain_db[0];
    o.gain_r = gain_db[1];

    if (r->apart) {
        write_chunk_any(&o, &k.l, len, r->kind, gains, k.l.out_moving);
    } else { /* two outputs share memory (not in Pd): write apart, then copy in outlet order */
        sidecar_sample apart_out[SIDECAR_NOUTPUTS][CHUNK];
        out_chunk t = o;
        for (int c = 0; c < SIDECAR_NOUTPUTS; c++)
            t.dst[c] = apart_out[c];
        write_chunk_any(&t, &k.l, len, r->kind, gains, k.l.out_moving);
        for (int c = 0; c < SIDECAR_NOUTPUTS; c++)
            memmove(o.dst[c], apart_out[c], (size_t)len * sizeof apart_out[c][0]);
    }
    if (opts & OPT_LISTEN)
        write_listen(o.dst[0], o.dst[1], k.y[0], k.y[1], len, (opts & OPT_MS) != 0);
}

/* The pipeline for chunks of any length, and again for a whole chunk (Pd's default block of
 * 64 frames) and for a single frame ([block~ 1]): a constant length folds the stages' loop
 * set-up away (at one frame, the loops themselves), so a call costs its frames' work, not a
 * chunk's set-up. */
static void run_chunk_any(sidecar *s, const sidecar_routing *r, const cv_inputs *cv,
                          int settled, int base, int len, int nch)
{
    run_chunk(s, r, cv, settled, base, len, nch, s->options);
}
static void run_chunk_64(sidecar *s, const sidecar_routing *r, const cv_inputs *cv,
                         int settled, int base, int nch)
{
    run_chunk(s, r, cv, settled, base, CHUNK, nch, s->options);
}
/* (inlined into sidecar_run: at [block~ 1] a call's own register saves and restores are a
 * tenth of the frame's cost) */
STAGE void run_frame(sidecar *s, const sidecar_routing *r, const cv_inputs *cv, int settled,
                     int nch, unsigned opts)
{
    run_chunk(s, r, cv, settled, 0, 1, nch, opts);
}

static int same_sample(sidecar_sample a, sidecar_sample b)
{
    return !memcmp(&a, &b, sizeof a);
}

void sidecar_run(sidecar *s)
{
    const sidecar_routing *r = &s->routing;
    const int n = r->n;
    if (n == 0) /* nothing bound */
        return;
    if (r->serial != s->serial)
        derive_routing(s);
    const sidecar_sample *const *in = r->in;
    /* the smoothers' lanes are constants while they sit on their targets, no CV inlet is
     * patched (else lanes_settled is 0) and the unpatched ones hold the values they had when
     * they settled */
    const sidecar_sample *const *cv_in = in + SIDECAR_IN_THRESHOLD_CV;
    const int settled = s->lanes_settled && same_sample(cv_in[0][0], s->lanes_cv[0]) &&
                        same_sample(cv_in[1][0], s->lanes_cv[1]) &&
                        same_sample(cv_in[2][0], s->lanes_cv[2]);
    cv_inputs cv;
    if (!settled)
        for (int k = 0; k < 3; k++) {
            cv.cv[k] = r->cv[k];
            cv.cv_const[k] = r->cv[k] ? 0.0 : sanitize(cv_in[k][0]);
            s->lanes_cv[k] = cv_in[k][0];
        }
    if (s->trigger_depth >= 0.0)
        apply_trigger(s);
    /* link 1: both channels are one while their state agrees (it can differ only for a while
     * after link was below 1, until it meets again); once met, they stay so while link is 1 */
    const sidecar_channel *c0 = &s->ch[0], *c1 = &s->ch[1];
    const int nch = !(s->options & OPT_UNLINKED) &&
                            (s->joined || (same_channel_state(c0, c1) && c0->rms_p == c1->rms_p &&
                                           c0->applied_db == c1->applied_db))
                        ? 1
                        : 2;
    if (n == 1) {
        if (nch == 1 && s->options == 0 && settled) /* the defaults, at rest: each option's
                                                     * test and the lanes' folds away */
            run_frame(s, r, &cv, 1, 1, 0);
        else
            run_frame(s, r, &cv, settled, nch, s->options);
    }
    else if (n < CHUNK) /* a block shorter than a chunk ([block~ 16], 32): here, no call */
        run_chunk(s, r, &cv, settled, 0, n, nch, s->options);
    else
        for (int base = 0; base < n; base += CHUNK) {
            const int len = n - base < CHUNK ? n - base : CHUNK;
            if (len == CHUNK)
                run_chunk_64(s, r, &cv, settled, base, nch);
            else
                run_chunk_any(s, r, &cv, settled, base, len, nch);
        }
    s->joined = nch == 1;
    if (nch == 1) {
        s->ch[1].gain_db = s->ch[0].gain_db;
        s->ch[1].hold = s->ch[0].hold;
        s->ch[1].rms_p = s->ch[0].rms_p;
        s->ch[1].slow_db = s->ch[0].slow_db;
    }
}

/* Pd hands an object the same vectors block after block, and so do most hosts: they are bound
 * again only when one of them changes. */
void sidecar_process(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out,
                     int n, unsigned patched)
{
    const sidecar_routing *r = &s->routing;
    if (n <= 0)
        return;
    if (n != r->n || patched != r->patched ||
        !same_pointers((const void *const *)in, (const void *const *)r->in, SIDECAR_NINPUTS) ||
        !same_pointers((const void *const *)out, (const void *const *)r->out, SIDECAR_NOUTPUTS))
        sidecar_bind(s, in, out, n, patched);
    sidecar_run(s);
}
