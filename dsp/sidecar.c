/*
 * sidecar: the DSP core of the sidecar~ Pd external. See sidecar.h and SPEC.md.
 *
 * One pipeline of stages (SPEC.md's steps), each a small function with one job, run over
 * chunks of at most CHUNK frames:
 *   lanes     step 1     the smoothed parameters of the chunk: constants, or arrays while a
 *                        smoother moves or a CV inlet is patched (same formulas either way)
 *   detector  steps 2-3  sanitised detector inputs, high-pass, optional low-pass
 *   link      step 4     rectifier and stereo link
 *   level     step 5     peak (the linked magnitude itself) or RMS (a mean square)
 *   target    step 6     gain computer and range, skipped for a chunk below the knee
 *   envelope  step 7     attack / hold / release, one recursion per channel
 *   output    steps 8-10 lookahead delay, gain, mix, makeup, inputLevel, envelopes
 * An option that is off costs one test per chunk. With link 1 (and both channels' state
 * equal, as it is unless link was lower) the level, target and envelope stages run once for
 * both channels. A settled parameter is an exact fixed point of its smoother, so a constant
 * lane and an array lane give the same bits: the output does not depend on the block size.
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
#include "sidecar_fastmath.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI 6.283185307179586
#define DB_PER_OCTAVE 6.020599913279624 /* D = 20*log10(2): x dB = D * log2(m) */
#define PARAM_SMOOTH_HZ 50.0            /* parameter smoothers: a = exp(-2*pi*50/sr) */
#define RANGE_OFF 120.0                 /* range at its top: no limit (SPEC step 6) */
#define SC_LPF_OFF 20000.0              /* sc_lpf at its top: the low-pass is off (step 3) */
#define LOOKAHEAD_MAX_MS 20.0           /* the delay line is sized for the top of the range */

/* A settled smoother is snapped onto its target (exactly, so that it is a fixed point and a
 * constant lane gives the same bits as an array lane). The distances are far below anything
 * audible or measurable at SPEC.md's tolerance. */
#define SNAP_DB 1e-9
#define SNAP_FACTOR 1e-12

/* Anti-denormal: the detector high-pass adds this tiny constant to its output, so in silence
 * its state settles at ~1e-18 instead of decaying into the denormal range (which would slow
 * the CPU down); the low-pass and the RMS average downstream settle on it too. The level it
 * adds, near -340 dB, is far below any knee. */
#define HPF_DENORMAL_BIAS 1e-20f
/* The gain smoother snaps to exactly 0 dB once within this distance, for the same reason. */
#define GAIN_SNAP_DB 1e-9

/* The stages work on chunks of at most this many frames (arrays on the stack). */
#define CHUNK 64

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

/* Bit-level finiteness test: independent of -ffast-math, which may fold isfinite() away. */
static inline int is_finite_double(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (bits & 0x7ff0000000000000ULL) != 0x7ff0000000000000ULL;
}

/* Detector and CV inputs: NaN/Inf read as 0 (SPEC robustness), as a float (the detector
 * works in single precision where it can: see stage_highpass), limited to +-1e30 so that the filters'
 * arithmetic cannot overflow even on a full-scale float (the level it reads, ~+600 dB, is
 * still far above any threshold). */
#define DETECTOR_MAX 1e30f
#define DETECTOR_MAX_BITS 0x7149f2cau /* the bits of 1e30f */
#ifdef SIDECAR_SAMPLE_DOUBLE
/* Tiny double samples (subnormals included) read as 0 so that they cannot enter the filter
 * state. */
/* (Double samples always take the sanitising pass: no cheaper test than sanitize itself.) */
static inline int copy_ordinary(float *x, const double *in, int len)
{
    (void)x, (void)in, (void)len;
    return 0;
}
static inline float sanitize(sidecar_sample v)
{
    double d = is_finite_double(v) ? v : 0.0;
    d = d > DETECTOR_MAX ? DETECTOR_MAX : d;
    d = d < -DETECTOR_MAX ? -DETECTOR_MAX : d;
    return fabs(d) < 1e-30 ? 0.0f : (float)d;
}
#else
static inline float sanitize(sidecar_sample v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* masked in the integer domain: all bits cleared for NaN/Inf */
    bits &= 0u - (uint32_t)((bits & 0x7f800000u) != 0x7f800000u);
    float f;
    memcpy(&f, &bits, sizeof f);
    f = f > DETECTOR_MAX ? DETECTOR_MAX : f;
    return f < -DETECTOR_MAX ? -DETECTOR_MAX : f;
}

/* Copies in[0..len) to x and says whether sanitize would have left every sample as it is
 * (finite, |x| <= DETECTOR_MAX): the common case costs a copy and a test on the bits, counted
 * so that it vectorises, instead of sanitize's compare-and-selects. */
static inline int copy_ordinary(float *restrict x, const float *restrict in, int len)
{
    int extraordinary = 0;
    for (int i = 0; i < len; i++) {
        uint32_t bits;
        memcpy(&bits, &in[i], sizeof bits);
        extraordinary += (int32_t)(bits & 0x7fffffffu) > (int32_t)DETECTOR_MAX_BITS;
        x[i] = in[i];
    }
    return extraordinary == 0;
}
#endif

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
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

    /* RBJ cookbook low-pass, Q = 1/sqrt(2), divided through by a0 */
    const double w = TWO_PI * clamp(s->knob[SIDECAR_SC_LPF], 0.1, 0.49 * sr) / sr;
    const double cw = cos(w), alpha = sin(w) / (2.0 * 0.70710678118654752), a0 = 1.0 + alpha;
    s->lpf_b0 = 0.5 * (1.0 - cw) / a0;
    s->lpf_a[0] = -2.0 * cw / a0;
    s->lpf_a[1] = (1.0 - alpha) / a0;
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
    s->trigger_depth = -1.0;
    delay_clear(s);
    s->threshold_s = s->knob[SIDECAR_THRESHOLD];
    s->env_mag_s = s->knob[SIDECAR_ENV_MAG];
    s->input_level_s = s->knob[SIDECAR_INPUT_LEVEL];
    s->makeup_s = s->makeup_lin;
    s->mix_s = s->knob[SIDECAR_MIX];
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
    if (p == SIDECAR_LINK && v == 1.0 && old != 1.0) {
        /* step 7: both channels go on from the deeper g and the larger h */
        const double g = fmin(s->ch[0].gain_db, s->ch[1].gain_db);
        const int h = s->ch[0].hold > s->ch[1].hold ? s->ch[0].hold : s->ch[1].hold;
        s->ch[0].gain_db = s->ch[1].gain_db = g;
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
    return -fmin(s->ch[0].gain_db, s->ch[1].gain_db) + 0.0; /* + 0.0: no "-0" in printouts */
}

/* ---- gain computer (SPEC step 6) --------------------------------------------------------- */

static inline double gain_computer(double x, double t, double w, double slope)
{
    if (w <= 0.0 || x <= t - 0.5 * w)
        return x <= t ? 0.0 : -slope * (x - t);
    if (x >= t + 0.5 * w)
        return -slope * (x - t);
    double d = x - t + 0.5 * w;
    return -slope * d * d / (2.0 * w);
}

double sidecar_gain_computer_db(double x_db, double threshold_db, double knee_db, double ratio)
{
    if (!(ratio >= 1.0))
        ratio = 1.0;
    return gain_computer(x_db, threshold_db, knee_db < 0.0 ? 0.0 : knee_db, 1.0 - 1.0 / ratio);
}

/* ---- stage 1: parameter lanes (SPEC step 1) ---------------------------------------------- */

typedef struct {
    const sidecar_sample *cv[3]; /* threshold, envMag, inputLevel CV; NULL: constant */
    double cv_const[3];          /* the constant CV of an unpatched CV inlet */
} cv_inputs;

static const double cv_scale[3] = {30.0, 1.0, 1.0}, cv_lo[3] = {-60.0, 0.0, 0.0},
                    cv_hi[3] = {0.0, 2.0, 2.0};
static const int cv_knob[3] = {SIDECAR_THRESHOLD, SIDECAR_ENV_MAG, SIDECAR_INPUT_LEVEL};

/* The target of CV'd smoother k (0 threshold, 1 envMag, 2 inputLevel) for a CV value: the
 * inlet table's clamp(knob + scale·cv, lo, hi). */
static inline double cv_target(const sidecar *s, int k, double cv)
{
    return clamp(s->knob[cv_knob[k]] + cv_scale[k] * cv, cv_lo[k], cv_hi[k]);
}

/* CV k's value at frame i: the inlet's sample, or the constant of an unpatched inlet. */
static inline double cv_at(const cv_inputs *cv, int k, int i)
{
    return cv->cv[k] ? (double)sanitize(cv->cv[k][i]) : cv->cv_const[k];
}

/* One smoother step, snapped onto its target once within `snap` of it. */
static inline double smooth(double s, double target, double step, double snap)
{
    s += step * (target - s);
    return fabs(target - s) < snap ? target : s;
}

/* The knee's lower edge, T - W/2, as a detector level (a magnitude for peak detection, a mean
 * square for RMS: level_db = db_per_log2 * log2(level)). Comparing the level against it avoids
 * the log2 for every quiet frame. */
static inline float knee_floor(double threshold_db, double knee_db, double db_per_log2)
{
    return (float)sidecar_fast_exp2((threshold_db - 0.5 * knee_db) / db_per_log2);
}

/* What steps 6 and 8-10 take from the smoothers, for one chunk: each either one constant for
 * the whole chunk or an array (`moving`). */
typedef struct {
    int thr_moving, out_moving;
    double thr_c;              /* threshold */
    float floor_c;             /* its knee floor */
    float wet_c, dry_c, env_c; /* mix*makeup*inputLevel, (1 - mix)*inputLevel, -envMag/24 */
    double thr[CHUNK];
    float floor[CHUNK];
    float wet[CHUNK], dry[CHUNK], env[CHUNK];
} lanes;

static inline float lane_wet(double mix, double makeup, double level)
{
    return (float)(mix * makeup * level);
}
static inline float lane_dry(double mix, double level)
{
    return (float)((1.0 - mix) * level);
}
static inline float lane_env(double env_mag)
{
    return (float)(env_mag * (-1.0 / 24.0));
}

/* Fill the lanes of frames [base, base + len): the smoothers run frame by frame only while a
 * CV inlet is patched or a smoother has not reached its target. */
static void stage_lanes(sidecar *s, const cv_inputs *cv, int base, int len, double db_per_log2,
                        lanes *l)
{
    const double w = s->knob[SIDECAR_KNEE], step = 1.0 - s->a_param;
    const double target_m = s->makeup_lin, target_mix = s->knob[SIDECAR_MIX];
    double target[3];
    for (int k = 0; k < 3; k++)
        target[k] = cv_target(s, k, cv->cv_const[k]);

    l->thr_moving = cv->cv[0] || s->threshold_s != target[0];
    l->out_moving = cv->cv[1] || cv->cv[2] || s->env_mag_s != target[1] ||
                    s->input_level_s != target[2] || s->makeup_s != target_m ||
                    s->mix_s != target_mix;

    if (l->thr_moving) {
        double t = s->threshold_s;
        for (int i = 0; i < len; i++) {
            t = smooth(t, cv_target(s, 0, cv_at(cv, 0, base + i)), step, SNAP_DB);
            l->thr[i] = t;
            l->floor[i] = knee_floor(t, w, db_per_log2);
        }
        s->threshold_s = t;
    } else {
        l->thr_c = s->threshold_s;
        l->floor_c = knee_floor(s->threshold_s, w, db_per_log2);
    }

    if (l->out_moving) {
        double e = s->env_mag_s, lv = s->input_level_s, m = s->makeup_s, mix = s->mix_s;
        for (int i = 0; i < len; i++) {
            e = smooth(e, cv_target(s, 1, cv_at(cv, 1, base + i)), step, SNAP_FACTOR);
            lv = smooth(lv, cv_target(s, 2, cv_at(cv, 2, base + i)), step, SNAP_FACTOR);
            m = smooth(m, target_m, step, SNAP_FACTOR);
            mix = smooth(mix, target_mix, step, SNAP_FACTOR);
            l->wet[i] = lane_wet(mix, m, lv);
            l->dry[i] = lane_dry(mix, lv);
            l->env[i] = lane_env(e);
        }
        s->env_mag_s = e, s->input_level_s = lv, s->makeup_s = m, s->mix_s = mix;
    } else {
        l->wet_c = lane_wet(s->mix_s, s->makeup_s, s->input_level_s);
        l->dry_c = lane_dry(s->mix_s, s->input_level_s);
        l->env_c = lane_env(s->env_mag_s);
    }
}

/* ---- stages 2-3: detector input and filters ---------------------------------------------- */

/* The detector's inputs for a chunk, as it reads them (step 2 and the robustness contract):
 * x[0] is the previous chunk's last one, x[1..len] this chunk's. */
static void stage_detector_input(sidecar_channel *c, const sidecar_sample *in, int len,
                                 float x[CHUNK + 1])
{
    x[0] = c->hpf_x1;
    if (!copy_ordinary(x + 1, in, len)) /* rare: a non-finite or huge sample in the chunk */
        for (int i = 0; i < len; i++)
            x[i + 1] = sanitize(in[i]);
    c->hpf_x1 = x[len];
}

/* High-pass (step 3), y = a·(y1 + x - x1), evaluated as a·y1 + u with u = a·(x - x1) + bias:
 * the feed-forward part u has no recursion, so it is computed for the whole chunk in one
 * vectorised pass (single precision: its rounding is a one-off ~6e-8 of u per sample), and
 * only the recursion runs frame by frame, here or in stage_bandpass. */
static void stage_highpass_feed(float a, const float *restrict x, int len, float *restrict u)
{
    for (int i = 0; i < len; i++)
        u[i] = a * (x[i + 1] - x[i]) + HPF_DENORMAL_BIAS;
}

/* The high-pass's recursion in place (u in, y out), in single precision (four frames of the
 * feed pass per SSE register): a one-pole filter's rounding stays within ~1e-5 of its output
 * (~1e-4 dB of level), far inside SPEC's tolerance. Not when the low-pass follows: see
 * stage_bandpass. */
static void stage_highpass(sidecar_channel *c, float a, int len, float *restrict y)
{
    float y1 = (float)c->hpf_y1;
#pragma GCC unroll 8 /* a short loop body: spread the loop's own overhead */
    for (int i = 0; i < len; i++)
        y[i] = y1 = a * y1 + y[i];
    c->hpf_y1 = y1;
}

/* A frame's L and R values as one pair of doubles, so that the two channels' recursions run
 * side by side in one SSE register: GCC's and Clang's vector extension, or a plain struct for
 * other compilers (the same code either way, through these few helpers). */
#if defined(__GNUC__)
typedef double pair __attribute__((vector_size(16)));
static inline pair pair_of(double l, double r) { return (pair){l, r}; }
static inline double pair_at(pair p, int c) { return p[c]; }
static inline pair pair_add(pair p, pair q) { return p + q; }
static inline pair pair_sub(pair p, pair q) { return p - q; }
static inline pair pair_scale(double a, pair p) { return a * p; }
#else
typedef struct {
    double v[2];
} pair;
static inline pair pair_of(double l, double r) { return (pair){{l, r}}; }
static inline double pair_at(pair p, int c) { return p.v[c]; }
static inline pair pair_add(pair p, pair q) { return pair_of(p.v[0] + q.v[0], p.v[1] + q.v[1]); }
static inline pair pair_sub(pair p, pair q) { return pair_of(p.v[0] - q.v[0], p.v[1] - q.v[1]); }
static inline pair pair_scale(double a, pair p) { return pair_of(a * p.v[0], a * p.v[1]); }
#endif

/* The high-pass's recursion then the low-pass (step 3), while sc_lpf is below its top, both
 * channels at once and in double: the low-pass can throw away nearly all of the high-pass's
 * output but the low end, where a float recursion's rounding gathers (a 20 Hz high-pass into a
 * 20 Hz low-pass read levels ~0.5 dB off with a float recursion), and a biquad whose poles sit
 * near 1 (a low corner at a high rate) needs double anyway. The cookbook's b2 = b0 and
 * b1 = 2·b0 make the low-pass y = b0·(x + 2·x1 + x2) - a1·y1 - a2·y2. In place: y[c] holds the
 * high-pass's feed-forward part (stage_highpass_feed) and gets the filtered signal. */
static void stage_bandpass(sidecar *s, int len, float y[2][CHUNK])
{
    sidecar_channel *l = &s->ch[0], *r = &s->ch[1];
    const double a = s->a_hpf, b0 = s->lpf_b0, a1 = s->lpf_a[0], a2 = s->lpf_a[1];
    pair hp[CHUNK + 2]; /* the low-pass's two previous inputs, then the high-pass's output */
    pair v[CHUNK];
    hp[0] = pair_of(l->lpf_x2, r->lpf_x2);
    hp[1] = pair_of(l->lpf_x1, r->lpf_x1);
    pair y1 = pair_of(l->hpf_y1, r->hpf_y1);
    for (int i = 0; i < len; i++)
        hp[i + 2] = y1 = pair_add(pair_scale(a, y1), pair_of(y[0][i], y[1][i]));
    for (int i = 0; i < len; i++)
        v[i] = pair_scale(b0, pair_add(pair_add(hp[i + 2], pair_scale(2.0, hp[i + 1])), hp[i]));
    pair o1 = pair_of(l->lpf_y1, r->lpf_y1), o2 = pair_of(l->lpf_y2, r->lpf_y2);
    for (int i = 0; i < len; i++) {
        const pair out = pair_sub(pair_sub(v[i], pair_scale(a1, o1)), pair_scale(a2, o2));
        o2 = o1, o1 = out;
        y[0][i] = (float)pair_at(out, 0);
        y[1][i] = (float)pair_at(out, 1);
    }
    for (int c = 0; c < 2; c++) {
        sidecar_channel *ch = &s->ch[c];
        ch->hpf_y1 = pair_at(y1, c);
        ch->lpf_x1 = pair_at(hp[len + 1], c), ch->lpf_x2 = pair_at(hp[len], c);
        ch->lpf_y1 = pair_at(o1, c), ch->lpf_y2 = pair_at(o2, c);
    }
}

/* ---- stage 4: rectifier and stereo link -------------------------------------------------- */

/* m_L = k·(a + b) + (1 - k)·2a and m_R likewise with 2b (a = |yL|, b = |yR|); with one
 * channel (link 1) m = a + b, as in v1. From here on a level is a float: plenty for a level in
 * dB (~1e-6 dB), and four of them fit in an SSE register. */
static void stage_link(const float *restrict yl, const float *restrict yr, int len, float k,
                       int nch, float *restrict ml, float *restrict mr)
{
    if (nch == 1) {
        for (int i = 0; i < len; i++)
            ml[i] = fabsf(yl[i]) + fabsf(yr[i]);
    } else {
        const float two_unlinked = 2.0f * (1.0f - k);
        for (int i = 0; i < len; i++) {
            const float a = fabsf(yl[i]), b = fabsf(yr[i]), linked = k * (a + b);
            ml[i] = linked + two_unlinked * a;
            mr[i] = linked + two_unlinked * b;
        }
    }
}

/* ---- stage 5: level ---------------------------------------------------------------------- */

/* RMS (rms > 0): p <- r·p + (1 - r)·m², in place (m becomes p). Peak detection needs no
 * stage: the level is m itself. */
static void stage_rms(sidecar_channel *c, double r, float *restrict m, int len)
{
    double v[CHUNK]; /* (1 - r)·m², then p: the recursion alone runs frame by frame */
    const double fresh = 1.0 - r;
    /* Anti-denormal, like the high-pass's: p never settles below 1e-30, which as a float level
     * is still normal (in silence p would settle near the square of the high-pass's bias, a
     * float subnormal at 8 kHz with sc_hpf 1000). Far below any knee. */
    const double bias = fresh * 1e-30;
    for (int i = 0; i < len; i++) {
        const double mi = m[i];
        v[i] = fresh * (mi * mi) + bias;
    }
    double p = c->rms_p;
    for (int i = 0; i < len; i++)
        v[i] = p = r * p + v[i];
    for (int i = 0; i < len; i++)
        m[i] = (float)v[i];
    c->rms_p = p;
}

/* ---- stage 6: gain computer and range ---------------------------------------------------- */

/* g* in dB for one frame from its level (0 at or below the knee's lower edge), then the range
 * limit. In single precision: g* within ~1e-5 dB, four frames per SSE register. No branches:
 * every ?: picks between values already computed, so the loops around it vectorise. */
static inline float target_gain(float level, float floor, float db_per_log2, float t, float w,
                                 float slope, float lowest)
{
    float x = db_per_log2 * sidecar_fast_log2f(level);
    float above = -slope * (x - t);
    float d = x - t + 0.5f * w;
    float knee = -slope * d * d / (2.0f * w); /* w = 0: not selected below */
    float hard = x <= t ? 0.0f : above;
    float soft = x >= t + 0.5f * w ? above : knee;
    float g = ((w <= 0.0f) | (x <= t - 0.5f * w)) ? hard : soft;
    g = g < lowest ? lowest : g;
    return level > floor ? g : 0.0f;
}

typedef struct {
    float db_per_log2, knee, slope, lowest; /* lowest: -range, or no limit */
} curve;

/* How many levels lie above the knee's lower edge (a count, not a max, so that it
 * vectorises). */
static int count_above(const float *restrict level, const float *restrict floor, float floor_c,
                       int moving, int len)
{
    int above = 0;
    if (moving)
        for (int i = 0; i < len; i++)
            above += level[i] > floor[i];
    else
        for (int i = 0; i < len; i++)
            above += level[i] > floor_c;
    return above;
}

/* Fills target[] for a chunk, unless every level is at or below the knee's lower edge (then
 * every g* is 0): returns 1 for such a quiet chunk, without any log2. */
static int stage_target(const curve *cv, const lanes *l, const float *level, int len,
                        float *target)
{
    if (!count_above(level, l->floor, l->floor_c, l->thr_moving, len))
        return 1;
    if (!l->thr_moving) {
        const float t = (float)l->thr_c;
        for (int i = 0; i < len; i++)
            target[i] = target_gain(level[i], l->floor_c, cv->db_per_log2, t, cv->knee, cv->slope,
                                    cv->lowest);
    } else {
        for (int i = 0; i < len; i++)
            target[i] = target_gain(level[i], l->floor[i], cv->db_per_log2, (float)l->thr[i],
                                    cv->knee, cv->slope, cv->lowest);
    }
    return 0;
}

/* ---- stage 7: attack / hold / release ---------------------------------------------------- */

typedef struct {
    double a_att, a_rel;
    int att_le_rel; /* aA <= aR (attack faster than release), fixed per block */
    int hold_frames;
} smoother;

static inline double snap_gain(double g)
{
    return g > -GAIN_SNAP_DB ? 0.0 : g;
}

/* Without hold: g <- g* + a·(g - g*), a = aA if g* < g else aR. With d = g - g*, "g* < g" is
 * "d > 0", and then a·d is the smaller of aA·d and aR·d when aA <= aR (the larger otherwise);
 * when d < 0 it is the other way round and again the right one is picked. So a min (or a max)
 * replaces the compare-and-select: same products, same sum, bit for bit. */
static inline double gain_step(double g, double target, double a_att, double a_rel,
                               int att_le_rel)
{
    const double d = g - target, pa = a_att * d, pr = a_rel * d;
    const double lo = pa < pr ? pa : pr, hi = pa > pr ? pa : pr;
    return snap_gain(target + (att_le_rel ? lo : hi));
}

/* With hold: attack resets the counter; otherwise the counter runs down before release. */
static inline double gain_step_hold(double g, double target, const smoother *sm, int *hold)
{
    if (target < g) {
        g = target + sm->a_att * (g - target);
        *hold = sm->hold_frames;
    } else if (*hold > 0) {
        --*hold;
    } else {
        g = target + sm->a_rel * (g - target);
    }
    return snap_gain(g);
}

/* Runs one channel's smoother over the chunk, writing gain_db[]. target NULL: a quiet chunk
 * (every g* is 0, so no attack: hold runs down, then g <- aR·g). Returns 0 when the gain sat
 * at exactly 0 dB for the whole chunk (gain_db[] is then not written). */
static int stage_envelope(sidecar_channel *c, const smoother *sm, const float *target, int len,
                          double *gain_db)
{
    double g = c->gain_db;
    int h = c->hold;
    if (!target) {
        const int held = h < len ? h : len;
        c->hold = h - held;
        if (g == 0.0)
            return 0;
        for (int i = 0; i < held; i++)
            gain_db[i] = g;
        /* g <- aR·g only shrinks |g| (rounding included), so if the chunk ends at or below
         * the snap distance, no frame before it came within it either: the snap can be left
         * out of the recursion and checked once, on the last g */
        const double g0 = g;
#pragma GCC unroll 8
        for (int i = held; i < len; i++)
            gain_db[i] = g = sm->a_rel * g;
        if (snap_gain(g) == 0.0) {
            g = g0;
            for (int i = held; i < len; i++)
                gain_db[i] = g = snap_gain(sm->a_rel * g);
        }
    } else if (sm->hold_frames > 0 || h > 0) {
        for (int i = 0; i < len; i++)
            gain_db[i] = g = gain_step_hold(g, target[i], sm, &h);
        c->hold = h;
    } else if (sm->att_le_rel) {
        for (int i = 0; i < len; i++)
            gain_db[i] = g = gain_step(g, target[i], sm->a_att, sm->a_rel, 1);
    } else {
        for (int i = 0; i < len; i++)
            gain_db[i] = g = gain_step(g, target[i], sm->a_att, sm->a_rel, 0);
    }
    c->gain_db = g;
    return 1;
}

/* ---- stages 8-10: output ----------------------------------------------------------------- */

enum { OUT_MAIN_ONLY, OUT_DUCK, OUT_COMP }; /* what reaches the audio outlets (SPEC step 9) */

/* Audio outlets: a result beyond the sample type's range (a huge input times up to ~30 dB of
 * makeup and inputLevel) saturates at +-max instead of becoming +-Inf, so the outputs stay
 * finite whenever the inputs are (an Inf input comes out as +-max too); NaN passes through.
 * Done on the bits: +-Inf is the bit pattern just above +-max, so an Inf steps down by one.
 * (Integer ops vectorise where a compare-and-select on floats would not.) */
#ifdef SIDECAR_SAMPLE_DOUBLE
typedef uint64_t sample_bits;
#define SAMPLE_ABS_BITS 0x7fffffffffffffffULL
#define SAMPLE_INF_BITS 0x7ff0000000000000ULL
#else
typedef uint32_t sample_bits;
#define SAMPLE_ABS_BITS 0x7fffffffu
#define SAMPLE_INF_BITS 0x7f800000u
#endif
static inline sidecar_sample saturate(sidecar_sample v)
{
    sample_bits bits;
    memcpy(&bits, &v, sizeof bits);
    bits -= (sample_bits)((bits & SAMPLE_ABS_BITS) == SAMPLE_INF_BITS);
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Step 8: B·I = (1 - mix)·I + mix·M·I·G = dry + wet·2^(g/D), in single precision. */
static inline float branch_gain(float g, float wet, float dry)
{
    return sidecar_fast_exp2f_nonpos(g * (float)(1.0 / DB_PER_OCTAVE)) * wet + dry;
}

/* Step 9, one channel of one frame. */
static inline sidecar_sample out_audio(const int kind, sidecar_sample main, sidecar_sample sc,
                                       float gain)
{
    return kind == OUT_DUCK   ? saturate((sidecar_sample)(main + gain * sc))
           : kind == OUT_COMP ? saturate((sidecar_sample)(gain * main))
                              : main;
}

/* Step 10: env_out = g * (-envMag/24), both factors <= 0, so >= 0; fabsf only turns the -0 of
 * a gain at 0 dB into +0 (Pd prints -0 otherwise). */
static inline float out_env(float g, float env_scale)
{
    return fabsf(g * env_scale);
}

/* How step 7's gain reaches the writer for a chunk. */
enum {
    GAIN_0DB,    /* the gain sat at exactly 0 dB all chunk: constant outputs, no exp2 */
    GAIN_LINKED, /* one g per frame for both channels */
    GAIN_PAIR    /* g_L and g_R per frame */
};

typedef struct {
    const sidecar_sample *src[4]; /* MAIN L, MAIN R, SC L, SC R as heard (normalled, delayed) */
    sidecar_sample *dst[SIDECAR_NOUTPUTS];
    const double *gain_l, *gain_r; /* step 7's g per frame (as `gains` says) */
} out_chunk;

/* Frames [0, n) of a chunk, on buffers that do not overlap (restrict), so the loop vectorises.
 * kind, gains and moving are constants after inlining; every array comes in as a restrict
 * parameter (GCC honours restrict best there). */
static inline void write_frames(int n, const int kind, const int gains, const int moving,
                                const sidecar_sample *restrict ml, const sidecar_sample *restrict mr,
                                const sidecar_sample *restrict scl,
                                const sidecar_sample *restrict scr, sidecar_sample *restrict o_l,
                                sidecar_sample *restrict o_r, sidecar_sample *restrict o_env,
                                sidecar_sample *restrict o_inv, const double *restrict gl,
                                const double *restrict gr, const float *restrict wet_v,
                                const float *restrict dry_v, const float *restrict env_v,
                                float wet_c, float dry_c, float env_c)
{
    for (int i = 0; i < n; i++) {
        const float wet = moving ? wet_v[i] : wet_c, dry = moving ? dry_v[i] : dry_c;
        const float env_scale = moving ? env_v[i] : env_c;
        const float g_l = gains == GAIN_0DB ? 0.0f : (float)gl[i];
        const float g_r = gains == GAIN_PAIR ? (float)gr[i] : g_l;
        const float gain_l = branch_gain(g_l, wet, dry);
        const float gain_r = gains == GAIN_PAIR ? branch_gain(g_r, wet, dry) : gain_l;
        const float env = out_env(gains == GAIN_PAIR && g_r < g_l ? g_r : g_l, env_scale);
        const sidecar_sample a = ml[i], b = mr[i], c = scl[i], d = scr[i];
        o_l[i] = out_audio(kind, a, c, gain_l);
        o_r[i] = out_audio(kind, b, d, gain_r);
        o_env[i] = (sidecar_sample)env;
        o_inv[i] = (sidecar_sample)(1.0f - env);
    }
}

static inline void write_chunk(const out_chunk *o, const lanes *l, int n, const int kind,
                               const int gains, const int moving)
{
    write_frames(n, kind, gains, moving, o->src[0], o->src[1], o->src[2], o->src[3], o->dst[0],
                 o->dst[1], o->dst[2], o->dst[3], o->gain_l, o->gain_r, l->wet, l->dry, l->env,
                 l->wet_c, l->dry_c, l->env_c);
}

/* Do n samples at a and at b share memory? |a - b| < n samples, as one unsigned compare. */
static inline int overlap(const sidecar_sample *a, const sidecar_sample *b, int n)
{
    const uintptr_t len = (uintptr_t)n * sizeof *a;
    return (uintptr_t)a - (uintptr_t)b + (len - 1) < 2 * len - 1;
}

/* The specialisations of write_chunk: one per combination of its constant arguments. */
#define WRITE_VARIANTS(kind, gains)                                                              \
    (moving ? write_chunk(o, l, n, kind, gains, 1) : write_chunk(o, l, n, kind, gains, 0))
#define WRITE_GAINS(kind)                                                                        \
    (gains == GAIN_0DB      ? WRITE_VARIANTS(kind, GAIN_0DB)                                     \
     : gains == GAIN_LINKED ? WRITE_VARIANTS(kind, GAIN_LINKED)                                  \
                            : WRITE_VARIANTS(kind, GAIN_PAIR))
static void write_chunk_any(const out_chunk *o, const lanes *l, int n, int kind, int gains,
                            int moving)
{
    if (kind == OUT_DUCK)
        WRITE_GAINS(OUT_DUCK);
    else if (kind == OUT_COMP)
        WRITE_GAINS(OUT_COMP);
    else
        WRITE_GAINS(OUT_MAIN_ONLY);
}
#undef WRITE_GAINS
#undef WRITE_VARIANTS

/* Lookahead (step 9): append the chunk's four inputs (NULL: zeros) to the rings, and point
 * late[k] at them N frames back: straight into the ring, or (where that span wraps around the
 * ring's end) at a copy in copies[k]. */
static void stage_delay(sidecar *s, const sidecar_sample *const in[4], int len,
                        const sidecar_sample *late[4], sidecar_sample copies[4][CHUNK])
{
    const int size = s->delay_size, pos = s->delay_pos;
    const int first = size - pos < len ? size - pos : len; /* frames before the wrap */
    int from = pos - s->delay_frames;
    from += from < 0 ? size : 0;
    const int first_read = size - from < len ? size - from : len;
    for (int k = 0; k < 4; k++) {
        sidecar_sample *ring = s->delay + (size_t)k * (size_t)size;
        if (in[k]) {
            memcpy(ring + pos, in[k], (size_t)first * sizeof *ring);
            if (first < len)
                memcpy(ring, in[k] + first, (size_t)(len - first) * sizeof *ring);
        } else {
            memset(ring + pos, 0, (size_t)first * sizeof *ring);
            if (first < len)
                memset(ring, 0, (size_t)(len - first) * sizeof *ring);
        }
        if (first_read == len) {
            late[k] = ring + from;
        } else {
            memcpy(copies[k], ring + from, (size_t)first_read * sizeof *ring);
            memcpy(copies[k] + first_read, ring, (size_t)(len - first_read) * sizeof *ring);
            late[k] = copies[k];
        }
    }
    s->delay_pos = pos + len >= size ? pos + len - size : pos + len;
}

/* ---- the pipeline ------------------------------------------------------------------------ */

typedef struct {
    const sidecar_sample *det[2];   /* detector pair (step 2) */
    const sidecar_sample *audio[4]; /* MAIN L, MAIN R, SC L, SC R normalled; SC NULL: silent */
    cv_inputs cv;
    sidecar_sample *const *out;
    int kind;
} routing;

/* Audio input k as the outputs read it without lookahead: a silent SC is never read (duck
 * without SC, or comp), so any readable vector does. */
static inline const sidecar_sample *audio_source(const routing *r, int k)
{
    return r->audio[k] ? r->audio[k] : r->audio[k - 2];
}

/* Which audio inputs share memory with an output (they are copied aside before the outputs are
 * written: Pd often runs an object in place), and whether the outputs lie apart, over the whole
 * block. Pd hands an object the same vectors block after block, so the answer is kept with the
 * vectors it was worked out for and only worked out again when they change. */
static void check_layout(sidecar *s, const routing *r, int n)
{
    const void *key[4 + SIDECAR_NOUTPUTS];
    for (int k = 0; k < 4; k++)
        key[k] = audio_source(r, k);
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        key[4 + o] = r->out[o];
    if (n == s->layout_n && !memcmp(key, s->layout_key, sizeof key))
        return;
    memcpy(s->layout_key, key, sizeof key);
    s->layout_n = n;
    s->layout_apart = 1;
    s->layout_shared = 0;
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
        for (int j = 0; j < o; j++)
            s->layout_apart &= !overlap(r->out[o], r->out[j], n);
        for (int k = 0; k < 4; k++)
            s->layout_shared |= (unsigned)overlap(audio_source(r, k), r->out[o], n) << k;
    }
}

/* Step 6's floor, -range, exactly as the target stage applies it (a float, since g* is one),
 * or none at the top of the range. The trigger clips with the same value: a trigger at the
 * floor then leaves g exactly equal to a g* held at the floor, which is no attack, so the hold
 * counts down as SPEC's arithmetic says (were the two floors apart by a float's rounding, as
 * for a range of 7.3 from a double host, every sample would look like an attack). */
static float range_floor(const sidecar *s)
{
    const double range = s->knob[SIDECAR_RANGE];
    return range < RANGE_OFF ? (float)-range : -FLT_MAX;
}

/* Step 7's trigger, at the start of a block: g <- min(g, -min(depth, range)), h <- H. */
static void apply_trigger(sidecar *s)
{
    if (s->trigger_depth < 0.0)
        return;
    const double drop = fmax(-s->trigger_depth, (double)range_floor(s)); /* -min(depth, range) */
    for (int c = 0; c < 2; c++) {
        /* (snapped like every g: a depth of a subnormal dB must not leave g subnormal) */
        s->ch[c].gain_db = snap_gain(fmin(s->ch[c].gain_db, drop));
        s->ch[c].hold = s->hold_frames;
    }
    s->trigger_depth = -1.0;
}

static void run_chunk(sidecar *s, const routing *r, int base, int len, int nch,
                      const curve *cv, const smoother *sm)
{
    lanes l;
    double gain_db[2][CHUNK];
    float target[CHUNK]; /* g* (a float: see target_gain) */
    float x[CHUNK + 1], y[2][CHUNK], level[2][CHUNK];
    int active[2] = {0, 0};

    stage_lanes(s, &r->cv, base, len, cv->db_per_log2, &l);
    for (int c = 0; c < 2; c++) {
        stage_detector_input(&s->ch[c], r->det[c] + base, len, x);
        stage_highpass_feed((float)s->a_hpf, x, len, y[c]);
    }
    if (s->knob[SIDECAR_SC_LPF] < SC_LPF_OFF)
        stage_bandpass(s, len, y);
    else
        for (int c = 0; c < 2; c++)
            stage_highpass(&s->ch[c], (float)s->a_hpf, len, y[c]);
    stage_link(y[0], y[1], len, (float)s->knob[SIDECAR_LINK], nch, level[0], level[1]);
    for (int c = 0; c < nch; c++) {
        if (s->a_rms > 0.0)
            stage_rms(&s->ch[c], s->a_rms, level[c], len);
        const int quiet = stage_target(cv, &l, level[c], len, target);
        active[c] = stage_envelope(&s->ch[c], sm, quiet ? NULL : target, len, gain_db[c]);
    }

    /* outputs: from the delay line, or straight from the inputs (on copies of those that
     * share memory with an output: Pd often runs an object in place) */
    out_chunk o;
    sidecar_sample copies[4][CHUNK]; /* inputs copied aside: see stage_delay and below */
    const int apart = s->layout_apart;
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++)
        o.dst[k] = r->out[k] + base;
    if (s->delay_frames > 0) {
        const sidecar_sample *in[4];
        for (int k = 0; k < 4; k++)
            in[k] = r->audio[k] ? r->audio[k] + base : NULL;
        stage_delay(s, in, len, o.src, copies);
    } else {
        for (int k = 0; k < 4; k++) {
            o.src[k] = audio_source(r, k) + base;
            if (s->layout_shared & (1u << k)) {
                memcpy(copies[k], o.src[k], (size_t)len * sizeof copies[k][0]);
                o.src[k] = copies[k];
            }
        }
    }
    /* a channel whose gain sat at 0 dB while the other's moved: its g is 0 on every frame */
    for (int c = 0; c < nch; c++)
        if (!active[c] && active[1 - c])
            memset(gain_db[c], 0, (size_t)len * sizeof gain_db[c][0]);
    const int gains = !active[0] && !active[nch - 1] ? GAIN_0DB : nch == 1 ? GAIN_LINKED : GAIN_PAIR;
    o.gain_l = gain_db[0];
    o.gain_r = gain_db[1];
    if (apart) {
        write_chunk_any(&o, &l, len, r->kind, gains, l.out_moving);
    } else { /* two outputs share memory (not in Pd): write apart, then copy in outlet order */
        sidecar_sample apart_out[SIDECAR_NOUTPUTS][CHUNK];
        out_chunk t = o;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++)
            t.dst[k] = apart_out[k];
        write_chunk_any(&t, &l, len, r->kind, gains, l.out_moving);
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++)
            memmove(o.dst[k], apart_out[k], (size_t)len * sizeof apart_out[k][0]);
    }
}

void sidecar_process(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out,
                     int n, unsigned patched)
{
    if (n <= 0)
        return;
    routing r;
    /* SPEC normalling: MAIN R -> MAIN L, SC R -> SC L */
    const int sc_patched =
        (patched & (SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R))) != 0;
    r.audio[0] = in[SIDECAR_IN_MAIN_L];
    r.audio[1] = (patched & SIDECAR_PATCHED(SIDECAR_IN_MAIN_R)) ? in[SIDECAR_IN_MAIN_R] : r.audio[0];
    r.audio[2] = sc_patched ? in[SIDECAR_IN_SC_L] : NULL;
    r.audio[3] = !sc_patched ? NULL
                 : (patched & SIDECAR_PATCHED(SIDECAR_IN_SC_R)) ? in[SIDECAR_IN_SC_R]
                                                                : r.audio[2];
    /* step 2: duck detects on MAIN; comp on the SC pair if patched, else on MAIN */
    const int detect_sc = s->mode == SIDECAR_COMP && sc_patched;
    r.det[0] = detect_sc ? r.audio[2] : r.audio[0];
    r.det[1] = detect_sc ? r.audio[3] : r.audio[1];
    for (int k = 0; k < 3; k++) {
        const sidecar_sample *v = in[SIDECAR_IN_THRESHOLD_CV + k];
        const int cv_patched = (patched & SIDECAR_PATCHED(SIDECAR_IN_THRESHOLD_CV + k)) != 0;
        r.cv.cv[k] = cv_patched ? v : NULL;
        r.cv.cv_const[k] = cv_patched ? 0.0 : sanitize(v[0]);
    }
    r.out = out;
    /* duck with lookahead: the delay line may still hold SC from before it was unpatched, and
     * it plays out (step 9: out = MAIN[n-N] + B·I·SC[n-N]); then the ring holds zeros */
    r.kind = s->mode == SIDECAR_COMP                 ? OUT_COMP
             : sc_patched || s->delay_frames > 0 ? OUT_DUCK
                                                 : OUT_MAIN_ONLY;

    const curve cv = {
        .db_per_log2 = (float)(s->a_rms > 0.0 ? 0.5 * DB_PER_OCTAVE : DB_PER_OCTAVE),
        .knee = (float)s->knob[SIDECAR_KNEE],
        .slope = (float)s->slope,
        .lowest = range_floor(s),
    };
    const smoother sm = {s->a_attack, s->a_release, s->a_attack <= s->a_release, s->hold_frames};

    check_layout(s, &r, n);
    apply_trigger(s);
    /* link 1: both channels are one while their state agrees (it can differ only for a while
     * after link was below 1, until it meets again) */
    const sidecar_channel *c0 = &s->ch[0], *c1 = &s->ch[1];
    const int nch = s->knob[SIDECAR_LINK] == 1.0 && c0->gain_db == c1->gain_db &&
                            c0->hold == c1->hold && c0->rms_p == c1->rms_p
                        ? 1
                        : 2;
    for (int base = 0; base < n; base += CHUNK)
        run_chunk(s, &r, base, n - base < CHUNK ? n - base : CHUNK, nch, &cv, &sm);
    if (nch == 1) {
        s->ch[1].gain_db = s->ch[0].gain_db;
        s->ch[1].hold = s->ch[0].hold;
        s->ch[1].rms_p = s->ch[0].rms_p;
    }
}
