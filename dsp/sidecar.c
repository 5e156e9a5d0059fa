/*
 * sidecar: the DSP core of the sidecar~ Pd external. See sidecar.h and SPEC.md.
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

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TWO_PI 6.283185307179586
#define DB_PER_OCTAVE 6.020599913279624 /* D = 20*log10(2): x dB = D * log2(m) */
#define PARAM_SMOOTH_HZ 50.0            /* parameter smoothers: a = exp(-2*pi*50/sr) */

/* A settled smoother is snapped onto its target (exactly, so that it is a fixed point and the
 * per-block fast path can skip it with bit-identical results). The distances are far below
 * anything audible or measurable at SPEC.md's tolerance. */
#define SNAP_DB 1e-9
#define SNAP_FACTOR 1e-12

/* Anti-denormal: the detector high-pass adds this tiny constant to its output, so in silence
 * its state settles at ~1e-18 instead of decaying into the denormal range (which would slow
 * the CPU down). The level it adds, near -340 dB, is far below any knee. */
#define HPF_DENORMAL_BIAS 1e-20
/* The gain smoother snaps to exactly 0 dB once within this distance, for the same reason. */
#define GAIN_SNAP_DB 1e-9

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
};

const sidecar_param_info *sidecar_param_get_info(int p)
{
    return (p >= 0 && p < SIDECAR_NPARAMS) ? &param_table[p] : NULL;
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

#ifdef SIDECAR_SAMPLE_DOUBLE
/* Detector and CV inputs: NaN/Inf read as 0 (SPEC robustness). Double samples are also
 * limited to +-1e30 so the high-pass arithmetic cannot overflow, and tiny ones (subnormals
 * included) read as 0 so they cannot enter the filter state. */
static inline double sanitize(sidecar_sample v)
{
    double d = is_finite_double(v) ? v : 0.0;
    d = d > 1e30 ? 1e30 : d;
    d = d < -1e30 ? -1e30 : d;
    return fabs(d) < 1e-30 ? 0.0 : d;
}
#else
static inline double sanitize(sidecar_sample v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* masked in the integer domain (all bits cleared for NaN/Inf), then widened: four inputs
     * per SSE register without widening a mask */
    bits &= 0u - (uint32_t)((bits & 0x7f800000u) != 0x7f800000u);
    float f;
    memcpy(&f, &bits, sizeof f);
    return (double)f;
}
#endif

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* ---- coefficients -------------------------------------------------------------------------- */

static void update_coefficients(sidecar *s)
{
    const double sr = s->sr;
    s->a_param = exp(-TWO_PI * PARAM_SMOOTH_HZ / sr);
    s->a_attack = exp(-1.0 / (0.001 * s->knob[SIDECAR_ATTACK] * sr));
    s->a_release = exp(-1.0 / (0.001 * s->knob[SIDECAR_RELEASE] * sr));
    s->a_hpf = exp(-TWO_PI * clamp(s->knob[SIDECAR_SC_HPF], 0.1, 0.49 * sr) / sr);
    s->slope = 1.0 - 1.0 / s->knob[SIDECAR_RATIO];
    s->makeup_lin = pow(10.0, s->knob[SIDECAR_MAKEUP] / 20.0);
}

void sidecar_set_samplerate(sidecar *s, double sr)
{
    s->sr = (is_finite_double(sr) && sr > 0.0) ? sr : 44100.0;
    update_coefficients(s);
}

void sidecar_reset(sidecar *s)
{
    s->hpf_x1[0] = s->hpf_x1[1] = 0.0;
    s->hpf_y1[0] = s->hpf_y1[1] = 0.0;
    s->gain_db = 0.0;
    s->threshold_s = s->knob[SIDECAR_THRESHOLD];
    s->env_mag_s = s->knob[SIDECAR_ENV_MAG];
    s->input_level_s = s->knob[SIDECAR_INPUT_LEVEL];
    s->makeup_s = s->makeup_lin;
}

void sidecar_init(sidecar *s, double sr)
{
    memset(s, 0, sizeof *s);
    for (int p = 0; p < SIDECAR_NPARAMS; p++)
        s->knob[p] = param_table[p].def;
    s->mode = SIDECAR_DUCK;
    sidecar_set_samplerate(s, sr);
    sidecar_reset(s); /* smoothers start at the creation values: no glide at load */
}

sidecar_set_result sidecar_set_param(sidecar *s, int p, double value)
{
    const sidecar_param_info *info = sidecar_param_get_info(p);
    if (!info || !is_finite_double(value))
        return SIDECAR_SET_REJECTED;
    double v = clamp(value, info->min, info->max);
    s->knob[p] = v;
    update_coefficients(s);
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

double sidecar_gain_reduction_db(const sidecar *s)
{
    return -s->gain_db + 0.0; /* + 0.0: no "-0" in printouts */
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

/* Linear detector level below which g* = 0 (the knee's lower edge, T - W/2, as |L|+|R|).
 * Comparing m against it avoids the log2 for every quiet sample. */
static inline double knee_floor_linear(double threshold_db, double knee_db)
{
    return sidecar_fast_exp2((threshold_db - 0.5 * knee_db) * (1.0 / DB_PER_OCTAVE));
}

/* ---- the per-sample pieces ---------------------------------------------------------------
 * Shared by the general loop (smoothers moving or CV patched) and by the passes of the settled
 * path, so that both compute every sample with the same operations in the same order: the
 * output is then bit-identical whichever path a block takes, and does not depend on where the
 * block boundaries fall. No branches: every ?: picks between values already computed, which
 * the compiler turns into selects (it may not move arithmetic out of a ?: arm, since that could
 * raise a floating-point exception the source did not), so the passes without a recursion
 * vectorise. */

/* SPEC step 3, y = a·(y1 + x - x1), evaluated as a·y1 + HPF_FEED(a, x, x1): the feed-forward
 * part has no recursion, so the settled path computes it for a whole chunk at once. */
#define HPF_FEED(a, x, x1) ((a) * ((x) - (x1)) + HPF_DENORMAL_BIAS)

/* SPEC steps 5-6 from the linear level: g* in dB, 0 at or below the knee's lower edge. The
 * curve in single precision (g* within ~1e-5 dB; four frames per SSE register); the test
 * against the knee's edge in double. */
static inline double target_gain(double level, double floor_lin, float t, float w, float slope)
{
    float x = (float)DB_PER_OCTAVE * sidecar_fast_log2f((float)level);
    float above = -slope * (x - t);
    float d = x - t + 0.5f * w;
    float knee = -slope * d * d / (2.0f * w); /* w = 0: not selected below */
    float hard = x <= t ? 0.0f : above;
    float soft = x >= t + 0.5f * w ? above : knee;
    float g = ((w <= 0.0f) | (x <= t - 0.5f * w)) ? hard : soft;
    return level > floor_lin ? (double)g : 0.0;
}

/* SPEC step 7: g <- g* + a (g - g*), a = aA if g* < g else aR. With d = g - g*, "g* < g" is
 * "d > 0", and then a·d is the smaller of aA·d and aR·d when aA <= aR (the larger otherwise);
 * when d < 0 it is the other way round and again the right one is picked. So a min (or a max,
 * chosen once per block by att_le_rel) replaces the compare-and-select: same products, same
 * sum, bit for bit. */
static inline double gain_step(double g, double target, double a_att, double a_rel,
                               int att_le_rel)
{
    const double d = g - target, pa = a_att * d, pr = a_rel * d;
    const double lo = pa < pr ? pa : pr, hi = pa > pr ? pa : pr;
    g = target + (att_le_rel ? lo : hi);
    return g > -GAIN_SNAP_DB ? 0.0 : g;
}

typedef struct {
    const sidecar_sample *det_l, *det_r;   /* detector pair (SPEC step 2) */
    const sidecar_sample *main_l, *main_r; /* MAIN pair, normalled */
    const sidecar_sample *sc_l, *sc_r;     /* SIDECHAIN pair, normalled */
    const sidecar_sample *cv[3];           /* threshold, envMag, inputLevel CV; NULL: constant */
    double cv_const[3];                    /* the constant CV of an unpatched CV inlet */
    sidecar_sample *out[SIDECAR_NOUTPUTS];
} routing;

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

/* SPEC steps 8-10, the gain and what each output gets from it. Written once here so that the
 * frame-by-frame writer and the vectorised one compute exactly the same values. */
#define FRAME_GAIN(g_f, wet) (sidecar_fast_exp2f_nonpos((g_f) * (float)(1.0 / DB_PER_OCTAVE)) * (wet))
#define OUT_DUCKED(main, gain, sc) saturate((sidecar_sample)((main) + (gain) * (sc)))
#define OUT_COMPRESSED(main, gain) saturate((sidecar_sample)((gain) * (main)))
/* env_out = g * (-envMag/24): both factors <= 0, so the product is >= 0; fabsf only turns the
 * -0 of a gain at 0 dB into +0 (Pd prints -0 otherwise). */
#define FRAME_ENV(g_f, env_scale) fabsf((g_f) * (env_scale))

/* One frame, any buffers aliasing any others: every input read before an output is written. */
static inline void write_frame(const routing *r, int i, float g, float env_scale, float wet,
                               const int out_kind)
{
    const sidecar_sample ml = r->main_l[i], mr = r->main_r[i], scl = r->sc_l[i], scr = r->sc_r[i];
    const float gain = FRAME_GAIN(g, wet), env = FRAME_ENV(g, env_scale);
    r->out[SIDECAR_OUT_L][i] = out_kind == OUT_DUCK ? OUT_DUCKED(ml, gain, scl)
                               : out_kind == OUT_COMP ? OUT_COMPRESSED(ml, gain)
                                                      : ml;
    r->out[SIDECAR_OUT_R][i] = out_kind == OUT_DUCK ? OUT_DUCKED(mr, gain, scr)
                               : out_kind == OUT_COMP ? OUT_COMPRESSED(mr, gain)
                                                      : mr;
    r->out[SIDECAR_OUT_ENV][i] = (sidecar_sample)env;
    r->out[SIDECAR_OUT_ENV_INV][i] = (sidecar_sample)(1.0f - env);
}

/* Frames [0, n) of a chunk at once, on buffers that do not overlap (restrict): one loop per
 * kind of output, each straight-line, so the compiler vectorises them. gain_db NULL: the gain
 * has settled at 0 dB for the whole chunk, so the gain and envelopes are constants. */
static inline void write_chunk(int n, const double *gain_db, float env_scale, float wet,
                               const sidecar_sample *restrict ml, const sidecar_sample *restrict mr,
                               const sidecar_sample *restrict scl, const sidecar_sample *restrict scr,
                               sidecar_sample *restrict o_l, sidecar_sample *restrict o_r,
                               sidecar_sample *restrict o_env, sidecar_sample *restrict o_inv,
                               const int out_kind)
{
    if (!gain_db) {
        const float gain = FRAME_GAIN(0.0f, wet), env = FRAME_ENV(0.0f, env_scale);
        for (int i = 0; i < n; i++) {
            o_l[i] = out_kind == OUT_DUCK ? OUT_DUCKED(ml[i], gain, scl[i])
                     : out_kind == OUT_COMP ? OUT_COMPRESSED(ml[i], gain) : ml[i];
            o_r[i] = out_kind == OUT_DUCK ? OUT_DUCKED(mr[i], gain, scr[i])
                     : out_kind == OUT_COMP ? OUT_COMPRESSED(mr[i], gain) : mr[i];
            o_env[i] = (sidecar_sample)env;
            o_inv[i] = (sidecar_sample)(1.0f - env);
        }
    } else if (out_kind == OUT_DUCK) {
        for (int i = 0; i < n; i++) {
            const float g = (float)gain_db[i], gain = FRAME_GAIN(g, wet), env = FRAME_ENV(g, env_scale);
            o_l[i] = OUT_DUCKED(ml[i], gain, scl[i]);
            o_r[i] = OUT_DUCKED(mr[i], gain, scr[i]);
            o_env[i] = (sidecar_sample)env;
            o_inv[i] = (sidecar_sample)(1.0f - env);
        }
    } else if (out_kind == OUT_COMP) {
        for (int i = 0; i < n; i++) {
            const float g = (float)gain_db[i], gain = FRAME_GAIN(g, wet), env = FRAME_ENV(g, env_scale);
            o_l[i] = OUT_COMPRESSED(ml[i], gain);
            o_r[i] = OUT_COMPRESSED(mr[i], gain);
            o_env[i] = (sidecar_sample)env;
            o_inv[i] = (sidecar_sample)(1.0f - env);
        }
    } else {
        for (int i = 0; i < n; i++) {
            const float env = FRAME_ENV((float)gain_db[i], env_scale);
            o_l[i] = ml[i];
            o_r[i] = mr[i];
            o_env[i] = (sidecar_sample)env;
            o_inv[i] = (sidecar_sample)(1.0f - env);
        }
    }
}

/* Do n samples at a and at b share memory? |a - b| < n samples, as one unsigned compare. */
static inline int overlap(const sidecar_sample *a, const sidecar_sample *b, int n)
{
    const uintptr_t len = (uintptr_t)n * sizeof *a;
    return (uintptr_t)a - (uintptr_t)b + (len - 1) < 2 * len - 1;
}

/* ---- the general loop: one block, frame by frame, smoothing the parameters (SPEC step 1) --- */
static inline void run_block_smooth(sidecar *s, const routing *r, int n, const int out_kind)
{
    const double w = s->knob[SIDECAR_KNEE], slope = s->slope;
    const double a_att = s->a_attack, a_rel = s->a_release, a_hpf = s->a_hpf;
    const double p_step = 1.0 - s->a_param;
    const double knob_t = s->knob[SIDECAR_THRESHOLD], knob_e = s->knob[SIDECAR_ENV_MAG],
                 knob_l = s->knob[SIDECAR_INPUT_LEVEL], target_m = s->makeup_lin;

    double t = s->threshold_s, e = s->env_mag_s, l = s->input_level_s, m_gain = s->makeup_s;
    double x1l = s->hpf_x1[0], x1r = s->hpf_x1[1], y1l = s->hpf_y1[0], y1r = s->hpf_y1[1];
    double g = s->gain_db;

    for (int i = 0; i < n; i++) {
        const double dl = sanitize(r->det_l[i]), dr = sanitize(r->det_r[i]);

        /* SPEC step 1 */
        double cv_t = r->cv[0] ? sanitize(r->cv[0][i]) : r->cv_const[0];
        double cv_e = r->cv[1] ? sanitize(r->cv[1][i]) : r->cv_const[1];
        double cv_l = r->cv[2] ? sanitize(r->cv[2][i]) : r->cv_const[2];
        double tt = clamp(knob_t + 30.0 * cv_t, -60.0, 0.0);
        double te = clamp(knob_e + cv_e, 0.0, 2.0);
        double tl = clamp(knob_l + cv_l, 0.0, 2.0);
        t += p_step * (tt - t);
        e += p_step * (te - e);
        l += p_step * (tl - l);
        m_gain += p_step * (target_m - m_gain);
        t = fabs(tt - t) < SNAP_DB ? tt : t;
        e = fabs(te - e) < SNAP_FACTOR ? te : e;
        l = fabs(tl - l) < SNAP_FACTOR ? tl : l;
        m_gain = fabs(target_m - m_gain) < SNAP_FACTOR ? target_m : m_gain;

        /* SPEC step 3: detector high-pass */
        double yl = a_hpf * y1l + HPF_FEED(a_hpf, dl, x1l);
        double yr = a_hpf * y1r + HPF_FEED(a_hpf, dr, x1r);
        x1l = dl, x1r = dr, y1l = yl, y1r = yr;

        /* steps 4-7 */
        double target = target_gain(fabs(yl) + fabs(yr), knee_floor_linear(t, w), (float)t,
                                    (float)w, (float)slope);
        g = gain_step(g, target, a_att, a_rel, a_att <= a_rel);

        /* steps 8-10 */
        write_frame(r, i, (float)g, (float)(e * (-1.0 / 24.0)), (float)(m_gain * l), out_kind);
    }

    s->threshold_s = t, s->env_mag_s = e, s->input_level_s = l, s->makeup_s = m_gain;
    s->hpf_x1[0] = x1l, s->hpf_x1[1] = x1r, s->hpf_y1[0] = y1l, s->hpf_y1[1] = y1r;
    s->gain_db = g;
}

/* ---- the settled path -------------------------------------------------------------------- */

/* A settled block of a few frames (Pd's [block~ 1] and the like), where the passes below could
 * not spread their per-call setup: frame by frame, with the same per-frame helpers (so the same
 * samples), the knee floor computed once and the log2 only above it. */
static inline void run_frames_settled(sidecar *s, const routing *r, int n, const int out_kind)
{
    const double w = s->knob[SIDECAR_KNEE], slope = s->slope, t = s->threshold_s;
    const double a_att = s->a_attack, a_rel = s->a_release, a_hpf = s->a_hpf;
    const double floor_lin = knee_floor_linear(t, w);
    const float env_scale = (float)(s->env_mag_s * (-1.0 / 24.0));
    const float wet = (float)(s->makeup_s * s->input_level_s);
    double x1l = s->hpf_x1[0], x1r = s->hpf_x1[1], y1l = s->hpf_y1[0], y1r = s->hpf_y1[1];
    double g = s->gain_db;
    for (int i = 0; i < n; i++) {
        const double dl = sanitize(r->det_l[i]), dr = sanitize(r->det_r[i]);
        y1l = a_hpf * y1l + HPF_FEED(a_hpf, dl, x1l);
        y1r = a_hpf * y1r + HPF_FEED(a_hpf, dr, x1r);
        x1l = dl, x1r = dr;
        const double level = fabs(y1l) + fabs(y1r);
        const double target =
            level > floor_lin ? target_gain(level, floor_lin, (float)t, (float)w, (float)slope) : 0.0;
        g = gain_step(g, target, a_att, a_rel, a_att <= a_rel);
        write_frame(r, i, (float)g, env_scale, wet, out_kind);
    }
    s->hpf_x1[0] = x1l, s->hpf_x1[1] = x1r, s->hpf_y1[0] = y1l, s->hpf_y1[1] = y1r;
    s->gain_db = g;
}

/* The settled path works in passes over chunks of at most this many frames (stack arrays). */
#define CHUNK 64

/* One block with every parameter smoother settled on a constant target (the common case: no
 * CV patched, no knob moved lately): the same per-frame operations as run_block_smooth with
 * constant parameters, rearranged into passes over a chunk so that only the two recursions
 * (the detector high-pass and the gain smoother) run frame by frame and the rest vectorises:
 *   0. sanitised detector inputs and the high-pass's feed-forward part (vectorised);
 *   1. detector high-pass and linked level (recursive), and the chunk's peak level;
 *   2. g* from the level, skipped when the peak is at or below the knee's lower edge (then
 *      every g* is 0: no log2 for a quiet chunk);
 *   3. the gain smoother (recursive);
 *   4. gain, outputs and envelopes (vectorised).
 * Pass 0 reads every detector input of a chunk before pass 4 writes any output of it. */
static inline void run_block_settled(sidecar *s, const routing *r, int n, const int out_kind)
{
    const double w = s->knob[SIDECAR_KNEE], slope = s->slope;
    const double a_att = s->a_attack, a_rel = s->a_release, a_hpf = s->a_hpf;
    const double t = s->threshold_s;
    const double floor_lin = knee_floor_linear(t, w);
    const int att_le_rel = a_att <= a_rel;
    /* the gain and envelopes of steps 8-10 are computed in single precision */
    const float env_scale = (float)(s->env_mag_s * (-1.0 / 24.0));
    const float wet = (float)(s->makeup_s * s->input_level_s);
    double x1l = s->hpf_x1[0], x1r = s->hpf_x1[1], y1l = s->hpf_y1[0], y1r = s->hpf_y1[1];
    double g = s->gain_db;

    for (int base = 0; base < n; base += CHUNK) {
        const int len = n - base < CHUNK ? n - base : CHUNK;
        const sidecar_sample *det_l = r->det_l + base, *det_r = r->det_r + base;
        double xl[CHUNK + 1], xr[CHUNK + 1], ul[CHUNK], ur[CHUNK], level[CHUNK], target[CHUNK];
        double gain_db[CHUNK]; /* in double: pass 4 narrows it four frames at a time */
        double peak = 0.0;

        xl[0] = x1l, xr[0] = x1r; /* 0: sanitised inputs, high-pass feed-forward part */
        for (int i = 0; i < len; i++) {
            xl[i + 1] = sanitize(det_l[i]);
            xr[i + 1] = sanitize(det_r[i]);
        }
        for (int i = 0; i < len; i++) {
            ul[i] = HPF_FEED(a_hpf, xl[i + 1], xl[i]);
            ur[i] = HPF_FEED(a_hpf, xr[i + 1], xr[i]);
        }
        x1l = xl[len], x1r = xr[len];
#pragma GCC unroll 8 /* a short loop body: spread the loop's own overhead */
        for (int i = 0; i < len; i++) { /* 1 */
            y1l = a_hpf * y1l + ul[i];
            y1r = a_hpf * y1r + ur[i];
            level[i] = fabs(y1l) + fabs(y1r);
            peak = level[i] > peak ? level[i] : peak;
        }
        const int quiet = !(peak > floor_lin);
        if (!quiet) /* 2 */
            for (int i = 0; i < len; i++)
                target[i] = target_gain(level[i], floor_lin, (float)t, (float)w, (float)slope);
        /* 3. In a quiet chunk every g* is 0 and g <= 0, so gain_step is exactly g <- aR·g
         * (then the snap); and if g is already 0 it stays 0: nothing to compute, and pass 4
         * writes constants (no exp2). */
        const int settled_gain = quiet && g == 0.0;
        if (settled_gain) {
        } else if (quiet) {
#pragma GCC unroll 8 /* a short loop body: spread the loop's own overhead */
            for (int i = 0; i < len; i++) {
                g = a_rel * g;
                g = g > -GAIN_SNAP_DB ? 0.0 : g;
                gain_db[i] = g;
            }
        } else if (att_le_rel) {
            for (int i = 0; i < len; i++)
                gain_db[i] = g = gain_step(g, target[i], a_att, a_rel, 1);
        } else {
            for (int i = 0; i < len; i++)
                gain_db[i] = g = gain_step(g, target[i], a_att, a_rel, 0);
        }
        /* 4: on copies of the inputs that share memory with an output (Pd often runs an object
         * in place); frame by frame if two outputs share memory */
        const sidecar_sample *src[4] = {r->main_l + base, r->main_r + base, r->sc_l + base,
                                        r->sc_r + base};
        sidecar_sample *dst[SIDECAR_NOUTPUTS], copy[4][CHUNK];
        int outputs_apart = 1;
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++) {
            dst[o] = r->out[o] + base;
            for (int k = 0; k < o; k++)
                outputs_apart &= !overlap(dst[o], dst[k], len);
        }
        for (int k = 0; k < 4; k++) {
            int shared = 0;
            for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
                shared |= overlap(src[k], dst[o], len);
            if (shared) {
                memcpy(copy[k], src[k], (size_t)len * sizeof copy[k][0]);
                src[k] = copy[k];
            }
        }
        if (outputs_apart)
            write_chunk(len, settled_gain ? NULL : gain_db, env_scale, wet, src[0], src[1], src[2],
                        src[3], dst[0], dst[1], dst[2], dst[3], out_kind);
        else
            for (int i = 0; i < len; i++)
                write_frame(r, base + i, settled_gain ? 0.0f : (float)gain_db[i], env_scale, wet, out_kind);
    }

    s->hpf_x1[0] = x1l, s->hpf_x1[1] = x1r, s->hpf_y1[0] = y1l, s->hpf_y1[1] = y1r;
    s->gain_db = g;
}

void sidecar_process(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out,
                     int n, unsigned patched)
{
    if (n <= 0)
        return;
    routing r;
    /* SPEC normalling: MAIN R -> MAIN L, SC R -> SC L */
    r.main_l = in[SIDECAR_IN_MAIN_L];
    r.main_r = (patched & SIDECAR_PATCHED(SIDECAR_IN_MAIN_R)) ? in[SIDECAR_IN_MAIN_R] : r.main_l;
    r.sc_l = in[SIDECAR_IN_SC_L];
    r.sc_r = (patched & SIDECAR_PATCHED(SIDECAR_IN_SC_R)) ? in[SIDECAR_IN_SC_R] : r.sc_l;
    const int sc_patched =
        (patched & (SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R))) != 0;

    /* SPEC step 2: duck detects on MAIN; comp on the SC pair if patched, else on MAIN */
    const int detect_sc = s->mode == SIDECAR_COMP && sc_patched;
    r.det_l = detect_sc ? r.sc_l : r.main_l;
    r.det_r = detect_sc ? r.sc_r : r.main_r;

    int any_cv = 0;
    double target[3];
    const double knob[3] = {s->knob[SIDECAR_THRESHOLD], s->knob[SIDECAR_ENV_MAG],
                            s->knob[SIDECAR_INPUT_LEVEL]};
    const double scale[3] = {30.0, 1.0, 1.0}, lo[3] = {-60.0, 0.0, 0.0}, hi[3] = {0.0, 2.0, 2.0};
    for (int k = 0; k < 3; k++) {
        const sidecar_sample *v = in[SIDECAR_IN_THRESHOLD_CV + k];
        int cv_patched = (patched & SIDECAR_PATCHED(SIDECAR_IN_THRESHOLD_CV + k)) != 0;
        r.cv[k] = cv_patched ? v : NULL;
        r.cv_const[k] = cv_patched ? 0.0 : sanitize(v[0]);
        target[k] = clamp(knob[k] + scale[k] * r.cv_const[k], lo[k], hi[k]);
        any_cv |= cv_patched;
    }
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
        r.out[o] = out[o];

    const int settled = !any_cv && s->threshold_s == target[0] && s->env_mag_s == target[1] &&
                        s->input_level_s == target[2] && s->makeup_s == s->makeup_lin;
    const int out_kind = s->mode == SIDECAR_COMP ? OUT_COMP : (sc_patched ? OUT_DUCK : OUT_MAIN_ONLY);

    if (settled && n < 4) {
        run_frames_settled(s, &r, n, out_kind);
    } else if (settled) {
        if (out_kind == OUT_DUCK)
            run_block_settled(s, &r, n, OUT_DUCK);
        else if (out_kind == OUT_COMP)
            run_block_settled(s, &r, n, OUT_COMP);
        else
            run_block_settled(s, &r, n, OUT_MAIN_ONLY);
    } else {
        if (out_kind == OUT_DUCK)
            run_block_smooth(s, &r, n, OUT_DUCK);
        else if (out_kind == OUT_COMP)
            run_block_smooth(s, &r, n, OUT_COMP);
        else
            run_block_smooth(s, &r, n, OUT_MAIN_ONLY);
    }
}
