/*
 * sidecar: the DSP core of the sidecar~ Pd external. See sidecar.h and SPEC.md.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "sidecar.h"
#include "sidecar_fastmath.h"

#include <math.h>
#include <stddef.h>
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
    return (bits & 0x7f800000u) != 0x7f800000u ? (double)v : 0.0;
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

/* ---- the per-sample loop ----------------------------------------------------------------- */

typedef struct {
    const sidecar_sample *det_l, *det_r;   /* detector pair (SPEC step 2) */
    const sidecar_sample *main_l, *main_r; /* MAIN pair, normalled */
    const sidecar_sample *sc_l, *sc_r;     /* SIDECHAIN pair, normalled */
    const sidecar_sample *cv[3];           /* threshold, envMag, inputLevel CV; NULL: constant */
    double cv_const[3];                    /* the constant CV of an unpatched CV inlet */
    sidecar_sample *out[SIDECAR_NOUTPUTS];
} routing;

enum { OUT_MAIN_ONLY, OUT_DUCK, OUT_COMP }; /* what reaches the audio outlets (SPEC step 9) */

/* One block. `smooth` = 0 when every parameter smoother is settled on a constant target: then
 * the smoothing is skipped and the knee floor is computed once. The two variants compute every
 * sample with the same operations in the same order, so they give bit-identical output and the
 * output does not depend on where block boundaries fall. `smooth` and `out_kind` are constants
 * at every call site, so the compiler emits one specialised loop per combination. */
static inline void run_block(sidecar *s, const routing *r, int n, const int smooth,
                             const int out_kind)
{
    const double w = s->knob[SIDECAR_KNEE], slope = s->slope;
    const double a_att = s->a_attack, a_rel = s->a_release, a_hpf = s->a_hpf;
    const double p_step = 1.0 - s->a_param;
    const double knob_t = s->knob[SIDECAR_THRESHOLD], knob_e = s->knob[SIDECAR_ENV_MAG],
                 knob_l = s->knob[SIDECAR_INPUT_LEVEL], target_m = s->makeup_lin;

    double t = s->threshold_s, e = s->env_mag_s, l = s->input_level_s, m_gain = s->makeup_s;
    double x1l = s->hpf_x1[0], x1r = s->hpf_x1[1], y1l = s->hpf_y1[0], y1r = s->hpf_y1[1];
    double g = s->gain_db;

    /* per-block values of the settled variant */
    double floor_lin = knee_floor_linear(t, w);
    double env_scale = e * (-1.0 / 24.0);
    double wet = m_gain * l;

    for (int i = 0; i < n; i++) {
        /* read every input of this frame before any output is written (buffers may alias) */
        const double dl = sanitize(r->det_l[i]), dr = sanitize(r->det_r[i]);
        const double ml = r->main_l[i], mr = r->main_r[i];
        const double scl = out_kind == OUT_DUCK ? r->sc_l[i] : 0.0;
        const double scr = out_kind == OUT_DUCK ? r->sc_r[i] : 0.0;

        if (smooth) { /* SPEC step 1 */
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
            floor_lin = knee_floor_linear(t, w);
            env_scale = e * (-1.0 / 24.0);
            wet = m_gain * l;
        }

        /* SPEC step 3: detector high-pass, y = a*(y1 + x - x1) */
        double yl = a_hpf * (y1l + dl - x1l) + HPF_DENORMAL_BIAS;
        double yr = a_hpf * (y1r + dr - x1r) + HPF_DENORMAL_BIAS;
        x1l = dl, x1r = dr, y1l = yl, y1r = yr;

        /* steps 4-6: stereo-linked level; the log only above the knee's lower edge */
        double level = fabs(yl) + fabs(yr);
        double target_g = 0.0;
        if (level > floor_lin)
            target_g = gain_computer(DB_PER_OCTAVE * sidecar_fast_log2(level), t, w, slope);

        /* step 7: attack when the target is below the current gain, else release */
        double a = target_g < g ? a_att : a_rel;
        g = target_g + a * (g - target_g);
        g = g > -GAIN_SNAP_DB ? 0.0 : g;

        /* steps 8-10 */
        double gain = sidecar_fast_exp2(g * (1.0 / DB_PER_OCTAVE)) * wet;
        double env = g * env_scale;
        if (out_kind == OUT_COMP) {
            r->out[SIDECAR_OUT_L][i] = (sidecar_sample)(gain * ml);
            r->out[SIDECAR_OUT_R][i] = (sidecar_sample)(gain * mr);
        } else if (out_kind == OUT_DUCK) {
            r->out[SIDECAR_OUT_L][i] = (sidecar_sample)(ml + gain * scl);
            r->out[SIDECAR_OUT_R][i] = (sidecar_sample)(mr + gain * scr);
        } else {
            r->out[SIDECAR_OUT_L][i] = (sidecar_sample)ml;
            r->out[SIDECAR_OUT_R][i] = (sidecar_sample)mr;
        }
        r->out[SIDECAR_OUT_ENV][i] = (sidecar_sample)env;
        r->out[SIDECAR_OUT_ENV_INV][i] = (sidecar_sample)(1.0 - env);
    }

    s->threshold_s = t, s->env_mag_s = e, s->input_level_s = l, s->makeup_s = m_gain;
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

    if (settled) {
        if (out_kind == OUT_DUCK)
            run_block(s, &r, n, 0, OUT_DUCK);
        else if (out_kind == OUT_COMP)
            run_block(s, &r, n, 0, OUT_COMP);
        else
            run_block(s, &r, n, 0, OUT_MAIN_ONLY);
    } else {
        if (out_kind == OUT_DUCK)
            run_block(s, &r, n, 1, OUT_DUCK);
        else if (out_kind == OUT_COMP)
            run_block(s, &r, n, 1, OUT_COMP);
        else
            run_block(s, &r, n, 1, OUT_MAIN_ONLY);
    }
}
