/*
 * The stages of the sidecar core's pipeline (SPEC.md's steps), each a small static inline
 * function with one job. Internal: included only by dsp/sidecar.c, which composes them into
 * the one pipeline (so the compiler inlines them there at no cost).
 *
 *   lanes     step 1     the smoothed parameters of the chunk: constants, or arrays while a
 *                        smoother moves or a CV inlet is patched (same formulas either way)
 *   key       step 2     sanitised detector inputs, mid/side, feedback
 *   filters   step 3     high-pass, optional low-pass
 *   link      step 4     rectifier and stereo link
 *   level     step 5     peak (the linked magnitude itself) or RMS (a mean square)
 *   target    step 6     gain computer and range, skipped for a chunk below the knee
 *   envelope  step 7     attack / hold / release, one recursion per channel; slow release
 *   output    steps 8-10 lookahead delay, gain, mix, makeup, inputLevel, mid/side, listen,
 *                        envelopes
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef SIDECAR_STAGES_H
#define SIDECAR_STAGES_H

#include "sidecar.h"
#include "sidecar_fastmath.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Every stage is inlined into the pipeline, whatever its size: the pipeline is compiled for
 * chunks of any length and again for a single frame (n = 1: Pd's [block~ 1], and the detector
 * of feedback), where the constant length folds every stage's loop away. */
#if defined(__GNUC__)
#define STAGE static inline __attribute__((always_inline))
#else
#define STAGE static inline
#endif


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
/* Step 7's E: the hold is re-armed while g* < g + E, so that when it starts does not hang on
 * the last bit of g's convergence onto a steady g*. */
#define HOLD_EPSILON_DB 0.001

/* The stages work on chunks of at most this many frames (arrays on the stack). */
#define CHUNK 64

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

static inline double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
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


/* ---- stage 1: parameter lanes (SPEC step 1) ---------------------------------------------- */

typedef struct {
    const sidecar_sample *cv[3]; /* threshold, envMag, inputLevel CV; NULL: constant */
    double cv_const[3];          /* the constant CV of an unpatched CV inlet */
} cv_inputs;

/* Which options are on (sidecar.options), worked out when a knob changes: one test each. */
enum {
    OPT_LPF = 1 << 0,      /* sc_lpf below its top (step 3) */
    OPT_RMS = 1 << 1,      /* rms > 0 (step 5) */
    OPT_SLOW = 1 << 2,     /* slow_release > 0 (step 7) */
    OPT_FEEDBACK = 1 << 3, /* feedback > 0 (step 2) */
    OPT_MS = 1 << 4,       /* ms on (steps 2 and 9) */
    OPT_LISTEN = 1 << 5,   /* listen on (step 9) */
    OPT_DELAY = 1 << 6,    /* a lookahead delay of at least one frame (step 9) */
    OPT_UNLINKED = 1 << 7  /* link below 1 (step 4): each channel its own detector */
};

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
STAGE void stage_lanes(sidecar *s, const cv_inputs *cv, int settled, int base, int len,
                        double db_per_log2, lanes *l)
{
    if (settled) { /* the common case: the constants worked out when it settled */
        l->thr_moving = l->out_moving = 0;
        l->thr_c = s->lanes_thr;
        l->floor_c = s->lanes_floor;
        l->wet_c = s->lanes_wet, l->dry_c = s->lanes_dry, l->env_c = s->lanes_env;
        return;
    }
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
        l->thr_c = t, l->floor_c = l->floor[len - 1]; /* (unread while moving) */
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
        l->wet_c = l->wet[len - 1], l->dry_c = l->dry[len - 1], l->env_c = l->env[len - 1];
    } else {
        l->wet_c = lane_wet(s->mix_s, s->makeup_s, s->input_level_s);
        l->dry_c = lane_dry(s->mix_s, s->input_level_s);
        l->env_c = lane_env(s->env_mag_s);
    }
    s->lanes_settled = !l->thr_moving && !l->out_moving;
    if (s->lanes_settled) { /* (lanes_cv: set by the caller) */
        s->lanes_thr = l->thr_c;
        s->lanes_floor = l->floor_c;
        s->lanes_wet = l->wet_c, s->lanes_dry = l->dry_c, s->lanes_env = l->env_c;
    }
}

/* ---- stages 2-3: detector input and filters ---------------------------------------------- */

/* Step 2: the detector's key for a chunk, k[c][1..len] (sanitised as the robustness contract
 * says; with ms on, mid and side instead of left and right). k[c][0] is left to the caller (the
 * high-pass's previous input, or with feedback the previous key); the chunk's last key is kept
 * for the feedback of the next chunk. */
STAGE void stage_key(const sidecar_sample *in_l, const sidecar_sample *in_r,
                             int len, int ms, float k[2][CHUNK + 1])
{
    const sidecar_sample *in[2] = {in_l, in_r};
    for (int c = 0; c < 2; c++)
        if (!copy_ordinary(k[c] + 1, in[c], len)) /* rare: a non-finite or huge sample */
            for (int i = 0; i < len; i++)
                k[c][i + 1] = sanitize(in[c][i]);
    if (ms)
        for (int i = 1; i <= len; i++) {
            const float l = k[0][i], r = k[1][i];
            k[0][i] = 0.5f * (l + r);
            k[1][i] = 0.5f * (l - r);
        }
}

/* Step 2's feedback for one frame: d = (1 - f)·k[n] + f·G[n-1]·k[n-1], the key as it would come
 * out of the gain of the frame before (G = 2^(g/D), g that frame's gain after slow release). */
STAGE float feedback_input(float f, float key, float key_prev, float gain_prev)
{
    return (1.0f - f) * key + f * gain_prev * key_prev;
}

/* G = 2^(g/D) of a gain in dB, as the feedback and the output stage take it (exactly 1 at
 * 0 dB). */
STAGE float gain_factor(double g_db)
{
    return sidecar_fast_exp2f_nonpos((float)g_db * (float)(1.0 / DB_PER_OCTAVE));
}

/* High-pass (step 3), y = a·(y1 + x - x1), evaluated as a·y1 + u with u = a·(x - x1) + bias:
 * the feed-forward part u has no recursion, so it is computed for the whole chunk in one
 * vectorised pass (single precision: its rounding is a one-off ~6e-8 of u per sample), and
 * only the recursion runs frame by frame, here or in stage_bandpass. */
STAGE float highpass_feed(float a, float x, float x1)
{
    return a * (x - x1) + HPF_DENORMAL_BIAS;
}
STAGE void stage_highpass_feed(float a, const float *restrict x, int len, float *restrict u)
{
    for (int i = 0; i < len; i++)
        u[i] = highpass_feed(a, x[i + 1], x[i]);
}

/* The high-pass's recursion in place (u in, y out), in single precision (four frames of the
 * feed pass per SSE register): a one-pole filter's rounding stays within ~1e-5 of its output
 * (~1e-4 dB of level), far inside SPEC's tolerance. Not when the low-pass follows: see
 * stage_bandpass. */
STAGE void stage_highpass(sidecar_channel *c, float a, int len, float *restrict y)
{
    float y1 = (float)c->hpf_y1;
#pragma GCC unroll 8 /* a short loop body: spread the loop's own overhead */
    for (int i = 0; i < len; i++)
        y[i] = y1 = a * y1 + y[i];
    c->hpf_y1 = y1;
}

/* A frame's L and R values as one pair of doubles, so that the two channels' recursions run
 * side by side in one SSE register: GCC's and Clang's vector extension, or a plain struct for
 * other compilers (the same code either way, through these few helpers). pair_load and
 * pair_store move a pair to and from two adjacent floats (a frame of an interleaved array):
 * with SSE2 one conversion of both halves at once (cvtps2pd, cvtpd2ps), where element by
 * element the compilers emit two scalar conversions and a shuffle. */
#if defined(__GNUC__)
typedef double pair __attribute__((vector_size(16)));
static inline pair pair_of(double l, double r) { return (pair){l, r}; }
static inline double pair_at(pair p, int c) { return p[c]; }
static inline pair pair_add(pair p, pair q) { return p + q; }
static inline pair pair_sub(pair p, pair q) { return p - q; }
static inline pair pair_scale(double a, pair p) { return a * p; }
static inline pair pair_mul(pair p, pair q) { return p * q; }
#else
typedef struct {
    double v[2];
} pair;
static inline pair pair_of(double l, double r) { return (pair){{l, r}}; }
static inline double pair_at(pair p, int c) { return p.v[c]; }
static inline pair pair_add(pair p, pair q) { return pair_of(p.v[0] + q.v[0], p.v[1] + q.v[1]); }
static inline pair pair_sub(pair p, pair q) { return pair_of(p.v[0] - q.v[0], p.v[1] - q.v[1]); }
static inline pair pair_scale(double a, pair p) { return pair_of(a * p.v[0], a * p.v[1]); }
static inline pair pair_mul(pair p, pair q) { return pair_of(p.v[0] * q.v[0], p.v[1] * q.v[1]); }
#endif
#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
static inline pair pair_load(const float *f)
{
    return (pair)_mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(const void *)f)));
}
static inline void pair_store(float *f, pair p)
{
    _mm_storel_epi64((__m128i *)(void *)f, _mm_castps_si128(_mm_cvtpd_ps((__m128d)p)));
}
#else
static inline pair pair_load(const float *f) { return pair_of(f[0], f[1]); }
static inline void pair_store(float *f, pair p)
{
    f[0] = (float)pair_at(p, 0);
    f[1] = (float)pair_at(p, 1);
}
#endif

/* The high-pass then the low-pass (step 3), while sc_lpf is below its top, both channels at
 * once and in double: the low-pass can throw away nearly all of the high-pass's output but the
 * low end, where a float recursion's rounding gathers (a 20 Hz high-pass into a 20 Hz low-pass
 * read levels ~0.5 dB off with a float recursion), and a biquad whose poles sit near 1 (a low
 * corner at a high rate) needs double anyway. The cookbook's b2 = b0 and b1 = 2·b0 make the
 * low-pass y = b0·(x + 2·x1 + x2) - a1·y1 - a2·y2. From the filters' inputs x_l, x_r (as
 * stage_highpass_feed reads them) to their outputs y_l, y_r, in three passes: the high-pass's
 * feed-forward part of both channels interleaved (vectorised, in single precision as without
 * the low-pass), the recursions frame by frame on that interleaved array in place (one
 * conversion in and one out per frame, for both channels), and the interleaved output split
 * into y_l and y_r (vectorised). */
STAGE void stage_bandpass(sidecar *s, const float *restrict x_l, const float *restrict x_r,
                          int len, float *restrict y_l, float *restrict y_r)
{
    float v[2 * CHUNK]; /* L and R of frame i at v[2i], v[2i + 1] */
    const float a_f = (float)s->a_hpf;
    for (int i = 0; i < len; i++) {
        v[2 * i] = highpass_feed(a_f, x_l[i + 1], x_l[i]);
        v[2 * i + 1] = highpass_feed(a_f, x_r[i + 1], x_r[i]);
    }
    sidecar_channel *l = &s->ch[0], *r = &s->ch[1];
    const double a = s->a_hpf, b0 = s->lpf_b0, a1 = s->lpf_a[0], a2 = s->lpf_a[1];
    /* one pass, all in registers: the high-pass's output hp, the low-pass's two previous
     * inputs x1, x2 and outputs o1, o2 */
    pair x2 = pair_of(l->lpf_x2, r->lpf_x2), x1 = pair_of(l->lpf_x1, r->lpf_x1);
    pair y1 = pair_of(l->hpf_y1, r->hpf_y1);
    pair o1 = pair_of(l->lpf_y1, r->lpf_y1), o2 = pair_of(l->lpf_y2, r->lpf_y2);
    pair s1 = pair_add(x1, x2);
    for (int i = 0; i < len; i++) {
        const pair hp = y1 = pair_add(pair_scale(a, y1), pair_load(v + 2 * i));
        const pair s0 = pair_add(hp, x1);
        const pair w = pair_scale(b0, pair_add(s0, s1));
        x2 = x1, x1 = hp, s1 = s0;
        const pair out = pair_sub(pair_sub(w, pair_scale(a1, o1)), pair_scale(a2, o2));
        o2 = o1, o1 = out;
        pair_store(v + 2 * i, out);
    }
    for (int c = 0; c < 2; c++) {
        sidecar_channel *ch = &s->ch[c];
        ch->hpf_y1 = pair_at(y1, c);
        ch->lpf_x1 = pair_at(x1, c), ch->lpf_x2 = pair_at(x2, c);
        ch->lpf_y1 = pair_at(o1, c), ch->lpf_y2 = pair_at(o2, c);
    }
    for (int i = 0; i < len; i++) {
        y_l[i] = v[2 * i];
        y_r[i] = v[2 * i + 1];
    }
}

/* ---- stage 4: rectifier and stereo link -------------------------------------------------- */

/* m_L = k·(a + b) + (1 - k)·2a and m_R likewise with 2b (a = |yL|, b = |yR|); with one
 * channel (link 1) m = a + b, as in v1. From here on a level is a float: plenty for a level in
 * dB (~1e-6 dB), and four of them fit in an SSE register. m_L and m_R go to ml[i·stride] and
 * mr[i·stride]: two arrays (stride 1), or one interleaved (stride 2, mr = ml + 1) for
 * stage_rms_pair. */
STAGE void stage_link(const float *restrict yl, const float *restrict yr, int len, float k,
                       int nch, float *restrict ml, float *restrict mr, int stride)
{
    if (nch == 1) {
        for (int i = 0; i < len; i++)
            ml[i * stride] = fabsf(yl[i]) + fabsf(yr[i]);
    } else {
        const float two_unlinked = 2.0f * (1.0f - k);
        for (int i = 0; i < len; i++) {
            const float a = fabsf(yl[i]), b = fabsf(yr[i]), linked = k * (a + b);
            ml[i * stride] = linked + two_unlinked * a;
            mr[i * stride] = linked + two_unlinked * b;
        }
    }
}

/* ---- stage 5: level ---------------------------------------------------------------------- */

/* RMS (rms > 0): p <- r·p + (1 - r)·m², in place (m becomes p). Peak detection needs no
 * stage: the level is m itself. Anti-denormal, like the high-pass's: p never settles below
 * 1e-30, which as a float level is still normal (in silence p would settle near the square of
 * the high-pass's bias, a float subnormal at 8 kHz with sc_hpf 1000). Far below any knee. */
#define RMS_FLOOR 1e-30
STAGE void stage_rms(sidecar_channel *c, double r, float *restrict m, int len)
{
    double v[CHUNK]; /* (1 - r)·m², then p: the recursion alone runs frame by frame */
    const double fresh = 1.0 - r, bias = fresh * RMS_FLOOR;
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

/* RMS of both channels at once (link below 1), as a pair of doubles: stage_rms's arithmetic
 * lane by lane, bit for bit (link 1 may go on with stage_rms once the channels meet), on the
 * interleaved m of stage_link (stride 2), in place; then p is split into p_l and p_r. One
 * conversion in and one out per frame for both channels, where stage_rms per channel takes a
 * pass of conversions each way. */
STAGE void stage_rms_pair(sidecar *s, double r, float *restrict m, int len, float *restrict p_l,
                          float *restrict p_r)
{
    const double fresh = 1.0 - r, bias = fresh * RMS_FLOOR;
    pair p = pair_of(s->ch[0].rms_p, s->ch[1].rms_p);
    for (int i = 0; i < len; i++) {
        const pair mi = pair_load(m + 2 * i);
        const pair v = pair_add(pair_scale(fresh, pair_mul(mi, mi)), pair_of(bias, bias));
        p = pair_add(pair_scale(r, p), v);
        pair_store(m + 2 * i, p);
    }
    s->ch[0].rms_p = pair_at(p, 0), s->ch[1].rms_p = pair_at(p, 1);
    for (int i = 0; i < len; i++) {
        p_l[i] = m[2 * i];
        p_r[i] = m[2 * i + 1];
    }
}

/* ---- stage 6: gain computer and range ---------------------------------------------------- */

/* g* in dB for one frame from its level (0 at or below the knee's lower edge), then the range
 * limit. In single precision: g* within ~1e-5 dB, four frames per SSE register. No branches:
 * every ?: picks between values already computed, so the loops around it vectorise. */
STAGE float target_gain(float level, float floor, float db_per_log2, float t, float w,
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

typedef sidecar_curve curve;

/* How many levels lie above the knee's lower edge (a count, not a max, so that it
 * vectorises). */
STAGE int count_above(const float *restrict level, const float *restrict floor, float floor_c,
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
STAGE int stage_target(const curve *cv, const lanes *l, int off, const float *level, int len,
                        float *target)
{
    const float *floor = l->floor + off;
    const double *thr = l->thr + off;
    if (!count_above(level, floor, l->floor_c, l->thr_moving, len))
        return 1;
    if (!l->thr_moving) {
        const float t = (float)l->thr_c;
        for (int i = 0; i < len; i++)
            target[i] = target_gain(level[i], l->floor_c, cv->db_per_log2, t, cv->knee, cv->slope,
                                    cv->lowest);
    } else {
        for (int i = 0; i < len; i++)
            target[i] = target_gain(level[i], floor[i], cv->db_per_log2, (float)thr[i],
                                    cv->knee, cv->slope, cv->lowest);
    }
    return 0;
}

/* ---- stage 7: attack / hold / release ---------------------------------------------------- */

typedef sidecar_smoother smoother;

STAGE double snap_gain(double g)
{
    return g > -GAIN_SNAP_DB ? 0.0 : g;
}

/* Without hold: g <- g* + a·(g - g*), a = aA if g* < g else aR. With d = g - g*, "g* < g" is
 * "d > 0", and then a·d is the smaller of aA·d and aR·d when aA <= aR (the larger otherwise);
 * when d < 0 it is the other way round and again the right one is picked. So a min (or a max)
 * replaces the compare-and-select: same products, same sum, bit for bit. */
STAGE double gain_step(double g, double target, double a_att, double a_rel,
                               int att_le_rel)
{
    const double d = g - target, pa = a_att * d, pr = a_rel * d;
    const double lo = pa < pr ? pa : pr, hi = pa > pr ? pa : pr;
    return snap_gain(target + (att_le_rel ? lo : hi));
}

/* With hold: while the detector asks for the current reduction or more (g* < g + E) the
 * counter is re-armed, and g moves at the attack or release rate as g* < g says (so hold 0 is
 * v1's smoother); otherwise the counter runs down before release. */
STAGE double gain_step_hold(double g, double target, const smoother *sm, int *hold)
{
    if (target < g + HOLD_EPSILON_DB) {
        g = target + (target < g ? sm->a_att : sm->a_rel) * (g - target);
        *hold = sm->hold_frames;
    } else if (*hold > 0) {
        --*hold;
    } else {
        g = target + sm->a_rel * (g - target);
    }
    return snap_gain(g);
}

/* Runs one channel's smoother over the chunk, writing gain_db[]. target NULL: a quiet chunk
 * (every g* is 0, so no attack: while g <= -E the hold runs down, then g <- aR·g; while
 * g > -E, g* = 0 < g + E re-arms the hold and g releases). Returns 0 when the gain sat at
 * exactly 0 dB for the whole chunk (gain_db[] is then not written). */
STAGE int stage_envelope(sidecar_channel *c, const smoother *sm, const float *target, int len,
                          double *gain_db)
{
    double g = c->gain_db;
    int h = c->hold;
    if (!target) {
        if (g == 0.0) {
            c->hold = sm->hold_frames; /* g* = 0 < g + E: re-armed */
            return 0;
        }
        if (len == 1) { /* one frame (feedback, [block~ 1]): what the chunk's code below
                         * does for one frame, without its set-up */
            if (g <= -HOLD_EPSILON_DB && h > 0)
                h--;
            else
                g = snap_gain(sm->a_rel * g);
            gain_db[0] = g;
            c->hold = g > -HOLD_EPSILON_DB ? sm->hold_frames : h;
            c->gain_db = g;
            return 1;
        }
        /* while g <= -E the hold runs down first (g stays); g only rises towards 0 here, so
         * once within E it stays within E */
        int held = 0;
        if (g <= -HOLD_EPSILON_DB) {
            held = h < len ? h : len;
            h -= held;
            for (int i = 0; i < held; i++)
                gain_db[i] = g;
        }
        /* g <- aR·g only shrinks |g| (rounding included), so if the chunk ends at or below
         * the snap distance, no frame before it came within it either: the snap can be left
         * out of the recursion and checked once, on the last g */
        const double g0 = g;
        double *rel = gain_db + held;
        const int n_rel = len - held;
#pragma GCC unroll 8
        for (int i = 0; i < n_rel; i++)
            rel[i] = g = sm->a_rel * g;
        if (snap_gain(g) == 0.0) {
            g = g0;
            for (int i = 0; i < n_rel; i++)
                rel[i] = g = snap_gain(sm->a_rel * g);
        }
        /* once g rose within E of 0 the hold was re-armed on every frame from there on */
        c->hold = g > -HOLD_EPSILON_DB ? sm->hold_frames : h;
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

/* Slow release (step 7), after the envelope: s <- aS·s + (1 - aS)·g on every frame, and the
 * gain from here on is min(g, s) (written over gain_db[]). `active` says whether gain_db[] holds
 * g (else g sat at 0 dB all chunk). Returns whether gain_db[] now holds the gain (0: it sat at
 * exactly 0 dB, s included). */
STAGE int stage_slow(sidecar_channel *c, double a, int active, int len, double *gain_db)
{
    double v = c->slow_db;
    if (!active) {
        if (v == 0.0)
            return 0;
        for (int i = 0; i < len; i++) /* g = 0: s <- aS·s, and min(0, s) = s */
            gain_db[i] = v = snap_gain(a * v);
    } else {
        const double fresh = 1.0 - a;
        for (int i = 0; i < len; i++) {
            const double g = gain_db[i];
            v = snap_gain(a * v + fresh * g);
            gain_db[i] = v < g ? v : g;
        }
    }
    c->slow_db = v;
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
STAGE sidecar_sample saturate(sidecar_sample v)
{
    sample_bits bits;
    memcpy(&bits, &v, sizeof bits);
    bits -= (sample_bits)((bits & SAMPLE_ABS_BITS) == SAMPLE_INF_BITS);
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Step 8: B·I = (1 - mix)·I + mix·M·I·G = dry + wet·2^(g/D), in single precision. */
STAGE float branch_gain(float g, float wet, float dry)
{
    return gain_factor(g) * wet + dry;
}

/* Step 9, one channel of one frame. */
STAGE sidecar_sample out_audio(const int kind, sidecar_sample main, sidecar_sample sc,
                                       float gain)
{
    return kind == OUT_DUCK   ? saturate((sidecar_sample)(main + gain * sc))
           : kind == OUT_COMP ? saturate((sidecar_sample)(gain * main))
                              : main;
}

/* Step 10: env_out = g * (-envMag/24), both factors <= 0, so >= 0; fabsf only turns the -0 of
 * a gain at 0 dB into +0 (Pd prints -0 otherwise). */
STAGE float out_env(float g, float env_scale)
{
    return fabsf(g * env_scale);
}

/* How step 7's gain reaches the writer for a chunk. */
enum {
    GAIN_0DB,    /* the gain sat at exactly 0 dB all chunk: constant outputs, no exp2 */
    GAIN_LINKED, /* one g per frame for both channels */
    GAIN_PAIR,   /* g_L and g_R per frame */
    GAIN_PAIR_MS /* g_M and g_S per frame, applied to the gained pair's mid and side */
};

typedef struct {
    const sidecar_sample *src[4]; /* MAIN L, MAIN R, SC L, SC R as heard (normalled, delayed) */
    sidecar_sample *dst[SIDECAR_NOUTPUTS];
    const double *gain_l, *gain_r; /* step 7's g per frame (as `gains` says) */
} out_chunk;

/* Frames [0, n) of a chunk, on buffers that do not overlap (restrict), so the loop vectorises.
 * kind, gains and moving are constants after inlining; every array comes in as a restrict
 * parameter (GCC honours restrict best there). */
STAGE void write_frames(int n, const int kind, const int gains, const int moving,
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
        const int two = gains == GAIN_PAIR || gains == GAIN_PAIR_MS;
        const float g_r = two ? (float)gr[i] : g_l;
        const float gain_l = branch_gain(g_l, wet, dry);
        const float gain_r = two ? branch_gain(g_r, wet, dry) : gain_l;
        const float env = out_env(two && g_r < g_l ? g_r : g_l, env_scale);
        const sidecar_sample a = ml[i], b = mr[i], c = scl[i], d = scr[i];
        if (gains == GAIN_PAIR_MS && kind != OUT_MAIN_ONLY) {
            /* step 9, mid/side: the gained pair (duck: SC, comp: MAIN) encoded, each half
             * gained by its own channel's gain, decoded; the main of duck adds as usual */
            const sidecar_sample p_l = kind == OUT_COMP ? a : c, p_r = kind == OUT_COMP ? b : d;
            const sidecar_sample q_m = gain_l * (sidecar_sample)0.5 * (p_l + p_r);
            const sidecar_sample q_s = gain_r * (sidecar_sample)0.5 * (p_l - p_r);
            const sidecar_sample base_l = kind == OUT_DUCK ? a : 0, base_r = kind == OUT_DUCK ? b : 0;
            o_l[i] = saturate((sidecar_sample)(base_l + (q_m + q_s)));
            o_r[i] = saturate((sidecar_sample)(base_r + (q_m - q_s)));
        } else {
            o_l[i] = out_audio(kind, a, c, gain_l);
            o_r[i] = out_audio(kind, b, d, gain_r);
        }
        o_env[i] = (sidecar_sample)env;
        o_inv[i] = (sidecar_sample)(1.0f - env);
    }
}

STAGE void write_chunk(const out_chunk *o, const lanes *l, int n, const int kind,
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
     : gains == GAIN_PAIR   ? WRITE_VARIANTS(kind, GAIN_PAIR)                                    \
                            : WRITE_VARIANTS(kind, GAIN_PAIR_MS))
STAGE void write_chunk_any(const out_chunk *o, const lanes *l, int n, int kind, int gains,
                            int moving)
{
    if (kind == OUT_DUCK)
        WRITE_GAINS(OUT_DUCK);
    else if (kind == OUT_COMP)
        WRITE_GAINS(OUT_COMP);
    else {
        gains = gains == GAIN_PAIR_MS ? GAIN_PAIR : gains; /* no gained pair: only env counts */
        WRITE_GAINS(OUT_MAIN_ONLY);
    }
}

/* Listen (step 9): the audio outlets carry what the detector hears, the filters' output y
 * (undelayed), with ms on decoded back to left and right (y_M + y_S, y_M - y_S). */
STAGE void write_listen(sidecar_sample *o_l, sidecar_sample *o_r, const float *y_l,
                         const float *y_r, int n, int ms)
{
    for (int i = 0; i < n; i++) {
        o_l[i] = ms ? y_l[i] + y_r[i] : y_l[i];
        o_r[i] = ms ? y_l[i] - y_r[i] : y_r[i];
    }
}
#undef WRITE_GAINS
#undef WRITE_VARIANTS

/* Lookahead (step 9): append the chunk's four inputs (NULL: zeros) to the rings, and point
 * late[k] at them N frames back: straight into the ring, or (where that span wraps around the
 * ring's end) at a copy in copies[k]. */
STAGE void stage_delay(sidecar *s, const sidecar_sample *const in[4], int len,
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
#endif /* SIDECAR_STAGES_H */
