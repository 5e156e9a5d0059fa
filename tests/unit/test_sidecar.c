/*
 * Unit tests of the DSP core (dsp/sidecar.h) against SPEC.md.
 *
 * Expected values come from SPEC.md's formulas, worked out here by hand or in a line of double
 * arithmetic, never from the core itself. Where a test needs a known detector level it feeds
 * an alternating +A, -A, ... signal (Nyquist): the detector high-pass y = a*(y1 + x - x1)
 * settles to a gain of exactly 2a/(1+a) there, so |yL| + |yR| is known to float precision.
 *
 * Build: cc -std=c11 -Idsp -Itests/unit tests/unit/test_sidecar.c dsp/sidecar.c -lm
 * (tests/suites/10-unit.sh builds it three ways: plain, ASan+UBSan, double samples).
 * Every check prints "PASS name" or "FAIL name: why"; exit status 1 if any failed.
 */
#include "sidecar.h"
#include "harness.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SR 48000.0
#define PI 3.14159265358979323846
#define D_DB 6.020599913279624 /* 20*log10(2), SPEC's D */

/* Tolerance for gains read back through sidecar_process: the spec allows fast log2/exp2
 * approximations as long as audio stays within 1e-3 (about 0.009 dB at full scale). */
#define TOL_DB 0.01

#ifdef SIDECAR_SAMPLE_DOUBLE
#define SAMPLE_MAX DBL_MAX
#define SAMPLE_TINY DBL_TRUE_MIN
#define SAMPLE_NAME "double"
#else
#define SAMPLE_MAX FLT_MAX
#define SAMPLE_TINY FLT_TRUE_MIN
#define SAMPLE_NAME "float"
#endif

/* ---- a test rig: input/output vectors and a process call --------------------------------- */

enum { RIG_N = 8192 };

typedef struct {
    sidecar_sample *in[SIDECAR_NINPUTS];
    sidecar_sample *out[SIDECAR_NOUTPUTS];
} rig;

static rig *rig_new(void)
{
    rig *r = calloc(1, sizeof *r);
    if (!r) abort();
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        if (!(r->in[i] = calloc(RIG_N, sizeof(sidecar_sample)))) abort();
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++)
        if (!(r->out[i] = calloc(RIG_N, sizeof(sidecar_sample)))) abort();
    return r;
}

static void rig_free(rig *r)
{
    for (int i = 0; i < SIDECAR_NINPUTS; i++) free(r->in[i]);
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++) free(r->out[i]);
    free(r);
}

static void rig_clear(rig *r)
{
    for (int i = 0; i < SIDECAR_NINPUTS; i++) memset(r->in[i], 0, RIG_N * sizeof(sidecar_sample));
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++) memset(r->out[i], 0, RIG_N * sizeof(sidecar_sample));
}

/* Process frames [off, off+n) of the rig's vectors. */
static void run_at(sidecar *s, rig *r, int off, int n, unsigned patched)
{
    const sidecar_sample *ip[SIDECAR_NINPUTS];
    sidecar_sample *op[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) ip[i] = r->in[i] + off;
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++) op[i] = r->out[i] + off;
    sidecar_process(s, ip, op, n, patched);
}

/* Process the same n-frame input block `times` times (n even keeps an alternating signal's
 * phase); returns the total number of frames processed. */
static long run_repeat(sidecar *s, rig *r, int n, long times, unsigned patched)
{
    for (long k = 0; k < times; k++) run_at(s, r, 0, n, patched);
    return (long)n * times;
}

/* Process `frames` frames of a period-2 input held in the rig's first 66 samples, in blocks of
 * 64, keeping its phase across calls in *phase (an odd count must not repeat a sample). */
static void run_frames(sidecar *s, rig *r, long frames, unsigned patched, int *phase)
{
    while (frames > 0) {
        int n = frames > 64 ? 64 : (int)frames;
        run_at(s, r, *phase, n, patched);
        *phase = (*phase + n) & 1;
        frames -= n;
    }
}

static void fill(sidecar_sample *v, int n, double value)
{
    for (int i = 0; i < n; i++) v[i] = (sidecar_sample)value;
}

static void fill_alt(sidecar_sample *v, int n, double amp)
{
    for (int i = 0; i < n; i++) v[i] = (sidecar_sample)((i & 1) ? -amp : amp);
}

/* sidecar_free, then sidecar_init again: for tests that reuse one struct. */
static void reinit(sidecar *s, double sr)
{
    sidecar_free(s);
    sidecar_init(s, sr);
}

/* Gain of the detector high-pass at Nyquist: 2a/(1+a), a = exp(-2*pi*f/sr). */
static double hpf_nyquist_gain(double f, double sr)
{
    double a = exp(-2.0 * PI * f / sr);
    return 2.0 * a / (1.0 + a);
}

/* Amplitude of an alternating signal on both detector channels whose linked level
 * |yL| + |yR| is level_db once the high-pass has settled. */
static double amp_for_level(double level_db, double f_hpf, double sr)
{
    return pow(10.0, level_db / 20.0) / (2.0 * hpf_nyquist_gain(f_hpf, sr));
}

/* A deterministic "kick and pad" test material generator (LCG noise; no static state). */
typedef struct {
    uint32_t seed;
} lcg;

static double lcg_next(lcg *g) /* uniform in [-1, 1) */
{
    g->seed = g->seed * 1664525u + 1013904223u;
    return (double)(g->seed >> 8) / 8388608.0 - 1.0;
}

static void fill_material(rig *r, int n, double sr, uint32_t seed)
{
    lcg g = {seed};
    for (int i = 0; i < n; i++) {
        double t = i / sr;
        double beat = fmod(t, 0.125);                      /* a kick every 125 ms */
        double kick = 0.9 * exp(-beat * 30.0) * sin(2.0 * PI * 55.0 * beat);
        r->in[SIDECAR_IN_MAIN_L][i] = (sidecar_sample)(kick + 0.01 * lcg_next(&g));
        r->in[SIDECAR_IN_MAIN_R][i] = (sidecar_sample)(0.8 * kick + 0.01 * lcg_next(&g));
        r->in[SIDECAR_IN_SC_L][i] = (sidecar_sample)(0.3 * sin(2.0 * PI * 220.0 * t) + 0.05 * lcg_next(&g));
        r->in[SIDECAR_IN_SC_R][i] = (sidecar_sample)(0.3 * sin(2.0 * PI * 331.0 * t + 1.0));
        r->in[SIDECAR_IN_THRESHOLD_CV][i] = (sidecar_sample)(0.2 * sin(2.0 * PI * 3.0 * t));
        r->in[SIDECAR_IN_ENV_MAG_CV][i] = (sidecar_sample)(0.3 * sin(2.0 * PI * 5.0 * t));
        r->in[SIDECAR_IN_INPUT_LEVEL_CV][i] = (sidecar_sample)(0.25 * sin(2.0 * PI * 2.0 * t));
    }
}

#define ALL_PATCHED ((1u << SIDECAR_NINPUTS) - 1u)
#define P(i) SIDECAR_PATCHED(i)
#define MAIN_PAIR (P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_MAIN_R))
#define SC_PAIR (P(SIDECAR_IN_SC_L) | P(SIDECAR_IN_SC_R))
#define CVS (P(SIDECAR_IN_THRESHOLD_CV) | P(SIDECAR_IN_ENV_MAG_CV) | P(SIDECAR_IN_INPUT_LEVEL_CV))

static int outputs_equal(const rig *a, const rig *b, int n)
{
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++)
        if (memcmp(a->out[i], b->out[i], n * sizeof(sidecar_sample))) return 0;
    return 1;
}

/* Every double in the state, for the finiteness and denormal checks (the lookahead delay line
 * holds audio as it came in, so it is not part of this). */
#define STATE_MAX 96
static int state_values(const sidecar *s, double *v)
{
    int k = 0;
    for (int i = 0; i < SIDECAR_NPARAMS; i++) v[k++] = s->knob[i];
    v[k++] = s->sr;
    v[k++] = s->a_param;
    v[k++] = s->a_attack;
    v[k++] = s->a_release;
    v[k++] = s->a_hpf;
    v[k++] = s->slope;
    v[k++] = s->makeup_lin;
    v[k++] = s->threshold_s;
    v[k++] = s->env_mag_s;
    v[k++] = s->input_level_s;
    v[k++] = s->makeup_s;
    for (int c = 0; c < 2; c++) {
        v[k++] = s->ch[c].hpf_x1;
        v[k++] = s->ch[c].hpf_y1;
    }
    v[k++] = s->ch[0].gain_db;
    /* v0.2 */
    v[k++] = s->ch[1].gain_db;
    for (int c = 0; c < 2; c++) {
        v[k++] = s->ch[c].lpf_x1;
        v[k++] = s->ch[c].lpf_x2;
        v[k++] = s->ch[c].lpf_y1;
        v[k++] = s->ch[c].lpf_y2;
        v[k++] = s->ch[c].rms_p;
        v[k++] = (double)s->ch[c].hold;
    }
    v[k++] = s->lpf_b0;
    for (int i = 0; i < 2; i++) v[k++] = s->lpf_a[i];
    v[k++] = s->a_rms;
    v[k++] = s->mix_s;
    v[k++] = s->trigger_depth;
    v[k++] = (double)s->hold_frames;
    v[k++] = (double)s->delay_frames;
    return k;
}

static int state_finite(const sidecar *s)
{
    double v[STATE_MAX];
    int n = state_values(s, v);
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* Names of state_values' entries, for failure messages. */
static const char *state_name(int i)
{
    static const char *const names[] = {"knob[threshold]", "knob[ratio]", "knob[attack]", "knob[release]",
        "knob[knee]", "knob[envMag]", "knob[inputLevel]", "knob[makeup]", "knob[sc_hpf]", "knob[range]",
        "knob[hold]", "knob[lookahead]", "knob[mix]", "knob[rms]", "knob[link]", "knob[sc_lpf]", "sr",
        "a_param", "a_attack", "a_release", "a_hpf", "slope", "makeup_lin", "threshold_s", "env_mag_s",
        "input_level_s", "makeup_s", "ch[0].hpf_x1", "ch[0].hpf_y1", "ch[1].hpf_x1", "ch[1].hpf_y1",
        "ch[0].gain_db", "ch[1].gain_db", "ch[0].lpf_x1", "ch[0].lpf_x2", "ch[0].lpf_y1", "ch[0].lpf_y2",
        "ch[0].rms_p", "ch[0].hold", "ch[1].lpf_x1", "ch[1].lpf_x2", "ch[1].lpf_y1", "ch[1].lpf_y2",
        "ch[1].rms_p", "ch[1].hold", "lpf_b0", "lpf_a[0]", "lpf_a[1]", "a_rms",
        "mix_s", "trigger_depth", "hold_frames", "delay_frames"};
    return i >= 0 && i < (int)(sizeof names / sizeof *names) ? names[i] : "?";
}

/* Index (in state_values order) of the first subnormal in the state, or -1. */
static int state_subnormal_at(const sidecar *s)
{
    double v[STATE_MAX];
    int n = state_values(s, v);
    for (int i = 0; i < n; i++)
        if (fpclassify(v[i]) == FP_SUBNORMAL) return i;
    return -1;
}

/* ---- static curve ------------------------------------------------------------------------ */

static void test_gain_computer(tally *t)
{
    /* hard knee: T -18, R 4 -> S = 0.75 */
    check_near(t, "gc_hard_above_0dB", sidecar_gain_computer_db(0, -18, 0, 4), -13.5, 1e-9);
    check_near(t, "gc_hard_above_-12dB", sidecar_gain_computer_db(-12, -18, 0, 4), -4.5, 1e-9);
    check_near(t, "gc_hard_at_threshold", sidecar_gain_computer_db(-18, -18, 0, 4), 0, 1e-9);
    check_near(t, "gc_hard_below", sidecar_gain_computer_db(-30, -18, 0, 4), 0, 0);
    check_near(t, "gc_hard_far_below", sidecar_gain_computer_db(-300, -18, 0, 4), 0, 0);
    check_near(t, "gc_ratio1_no_reduction", sidecar_gain_computer_db(0, -40, 0, 1), 0, 1e-12);
    check_near(t, "gc_ratio20", sidecar_gain_computer_db(0, -60, 0, 20), -57, 1e-9);

    /* soft knee W 6 around T -18: edges -21 and -15 */
    check_near(t, "gc_knee_below_lower_edge", sidecar_gain_computer_db(-21.5, -18, 6, 4), 0, 0);
    check_near(t, "gc_knee_lower_edge", sidecar_gain_computer_db(-21, -18, 6, 4), 0, 1e-12);
    check_near(t, "gc_knee_upper_edge", sidecar_gain_computer_db(-15, -18, 6, 4), -2.25, 1e-9);
    check_near(t, "gc_knee_inside", sidecar_gain_computer_db(-16.5, -18, 6, 4), -1.265625, 1e-9);
    check_near(t, "gc_knee_above", sidecar_gain_computer_db(-6, -18, 6, 4), -9, 1e-9);
    /* at the knee's midpoint (x = T) the curve is a quarter of its value at the upper edge */
    for (int w = 2; w <= 24; w += 11) {
        char name[64];
        double up = sidecar_gain_computer_db(-30 + w / 2.0, -30, w, 8);
        double mid = sidecar_gain_computer_db(-30, -30, w, 8);
        snprintf(name, sizeof name, "gc_knee%d_midpoint_is_quarter", w);
        check(t, up < 0 && fabs(mid - up / 4) < 1e-9, name, "mid %.9g, upper edge %.9g", mid, up);
    }
    /* continuity: just inside and just outside each knee edge agree */
    double e = 1e-7, worst = 0;
    for (double T = -60; T <= 0; T += 7.5)
        for (double W = 0.5; W <= 24; W *= 2)
            for (int side = -1; side <= 1; side += 2) {
                double edge = T + side * W / 2;
                double a = sidecar_gain_computer_db(edge - e, T, W, 4);
                double b = sidecar_gain_computer_db(edge + e, T, W, 4);
                if (fabs(a - b) > worst) worst = fabs(a - b);
            }
    check(t, worst < 1e-5, "gc_knee_edges_continuous", "largest jump %g dB", worst);
    /* monotonic and never positive over a sweep */
    int mono = 1;
    double prev = 0;
    for (double x = -80; x <= 12; x += 0.01) {
        double g = sidecar_gain_computer_db(x, -20, 10, 6);
        if (g > 0 || g > prev + 1e-12) mono = 0;
        prev = g;
    }
    check(t, mono, "gc_monotonic_nonpositive", "curve rises or goes positive somewhere");
}

/* ---- parameters -------------------------------------------------------------------------- */

static void test_params(tally *t)
{
    static const struct {
        const char *id, *alias;
        double min, max, def;
    } want[SIDECAR_NPARAMS] = {
        {"threshold", NULL, -60, 0, -18},   {"ratio", NULL, 1, 20, 4},
        {"attack", NULL, 0.1, 200, 10},     {"release", NULL, 1, 2000, 100},
        {"knee", NULL, 0, 24, 6},           {"envMag", "env_mag", 0, 2, 1},
        {"inputLevel", "input_level", 0, 2, 1}, {"makeup", NULL, 0, 24, 0},
        {"sc_hpf", NULL, 20, 1000, 20},
        /* v0.2 */
        {"range", NULL, 0, 120, 120},       {"hold", NULL, 0, 1000, 0},
        {"lookahead", NULL, 0, 20, 0},      {"mix", NULL, 0, 1, 1},
        {"rms", NULL, 0, 300, 0},           {"link", NULL, 0, 1, 1},
        {"sc_lpf", NULL, 20, 20000, 20000},
        /* v0.3 */
        {"feedback", NULL, 0, 1, 0},        {"ms", NULL, 0, 1, 0},
        {"slow_release", NULL, 0, 5000, 0}, {"listen", NULL, 0, 1, 0},
    };
    sidecar s;
    sidecar_init(&s, SR);
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        char name[80];
        const sidecar_param_info *in = sidecar_param_get_info(p);
        snprintf(name, sizeof name, "param_info_%s", want[p].id);
        if (!check(t, in != NULL, name, "NULL info")) continue;
        int alias_ok = want[p].alias ? (in->alias && !strcmp(in->alias, want[p].alias)) : !in->alias;
        check(t, in->id && !strcmp(in->id, want[p].id) && alias_ok && in->min == want[p].min &&
                     in->max == want[p].max && in->def == want[p].def,
              name, "got %s/%s %g..%g def %g", in->id ? in->id : "(null)",
              in->alias ? in->alias : "-", in->min, in->max, in->def);
        snprintf(name, sizeof name, "param_default_%s", want[p].id);
        check_near(t, name, sidecar_get_param(&s, p), want[p].def, 0);
        snprintf(name, sizeof name, "param_find_%s", want[p].id);
        check(t, sidecar_param_find(want[p].id) == p, name, "got %d", sidecar_param_find(want[p].id));
    }
    check(t, sidecar_param_find("env_mag") == SIDECAR_ENV_MAG, "param_find_alias_env_mag", "got %d",
          sidecar_param_find("env_mag"));
    check(t, sidecar_param_find("input_level") == SIDECAR_INPUT_LEVEL, "param_find_alias_input_level",
          "got %d", sidecar_param_find("input_level"));
    const char *bad[] = {"foo", "", "mode", "reset", "Threshold", "thresh", "envmag", "sc_hpfx"};
    int all_bad = 1;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (sidecar_param_find(bad[i]) != -1) {
            printf("  param_find(\"%s\") = %d\n", bad[i], sidecar_param_find(bad[i]));
            all_bad = 0;
        }
    check(t, all_bad, "param_find_unknown_is_minus1", "an unknown name was found");
    check(t, sidecar_param_get_info(-1) == NULL && sidecar_param_get_info(SIDECAR_NPARAMS) == NULL,
          "param_info_out_of_range_null", "non-NULL info for a bad index");

    /* setters: in range OK, out of range CLAMPED to the edge, NaN/Inf REJECTED and nothing changes */
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        char name[80];
        double lo = want[p].min, hi = want[p].max, mid = (lo + hi) / 2;
        int ok = 1;
        ok &= sidecar_set_param(&s, p, mid) == SIDECAR_SET_OK && sidecar_get_param(&s, p) == mid;
        ok &= sidecar_set_param(&s, p, lo) == SIDECAR_SET_OK && sidecar_get_param(&s, p) == lo;
        ok &= sidecar_set_param(&s, p, hi) == SIDECAR_SET_OK && sidecar_get_param(&s, p) == hi;
        snprintf(name, sizeof name, "set_in_range_%s", want[p].id);
        check(t, ok, name, "in-range set not OK or not stored exactly");

        ok = sidecar_set_param(&s, p, hi + 1000) == SIDECAR_SET_CLAMPED && sidecar_get_param(&s, p) == hi;
        ok &= sidecar_set_param(&s, p, lo - 1000) == SIDECAR_SET_CLAMPED && sidecar_get_param(&s, p) == lo;
        ok &= sidecar_set_param(&s, p, 1e300) == SIDECAR_SET_CLAMPED && sidecar_get_param(&s, p) == hi;
        snprintf(name, sizeof name, "set_clamped_%s", want[p].id);
        check(t, ok, name, "out-of-range set not CLAMPED to the edge (now %g)", sidecar_get_param(&s, p));

        sidecar_set_param(&s, p, mid);
        ok = sidecar_set_param(&s, p, NAN) == SIDECAR_SET_REJECTED;
        ok &= sidecar_set_param(&s, p, INFINITY) == SIDECAR_SET_REJECTED;
        ok &= sidecar_set_param(&s, p, -INFINITY) == SIDECAR_SET_REJECTED;
        ok &= sidecar_get_param(&s, p) == mid;
        snprintf(name, sizeof name, "set_rejects_nonfinite_%s", want[p].id);
        check(t, ok, name, "NaN/Inf not REJECTED or value changed (now %g)", sidecar_get_param(&s, p));
    }
    sidecar before = s;
    int r1 = sidecar_set_param(&s, -1, 1), r2 = sidecar_set_param(&s, SIDECAR_NPARAMS, 1);
    check(t, r1 == SIDECAR_SET_REJECTED && r2 == SIDECAR_SET_REJECTED &&
                 !memcmp(before.knob, s.knob, sizeof s.knob),
          "set_unknown_param_rejected", "results %d %d", r1, r2);

    reinit(&s, SR);
    check(t, s.mode == SIDECAR_DUCK, "init_mode_duck", "mode %d", (int)s.mode);
    sidecar_set_mode(&s, SIDECAR_COMP);
    check(t, s.mode == SIDECAR_COMP, "set_mode_comp", "mode %d", (int)s.mode);
    sidecar_free(&s);
}

/* ---- coefficients and sample rate -------------------------------------------------------- */

static void test_samplerate(tally *t, rig *r)
{
    sidecar s;
    sidecar_init(&s, SR);
    int ok = fabs(s.a_param - exp(-2 * PI * 50 / SR)) < 1e-12 &&
             fabs(s.a_attack - exp(-1 / (0.001 * 10 * SR))) < 1e-12 &&
             fabs(s.a_release - exp(-1 / (0.001 * 100 * SR))) < 1e-12 &&
             fabs(s.a_hpf - exp(-2 * PI * 20 / SR)) < 1e-12 && fabs(s.slope - 0.75) < 1e-12 &&
             fabs(s.makeup_lin - 1) < 1e-12 && s.ch[0].gain_db == 0 && s.sr == SR;
    check(t, ok, "init_coefficients_48k", "a_param %.12g a_attack %.12g a_release %.12g a_hpf %.12g",
          s.a_param, s.a_attack, s.a_release, s.a_hpf);
    check(t, s.threshold_s == -18 && s.env_mag_s == 1 && s.input_level_s == 1 &&
                 fabs(s.makeup_s - 1) < 1e-12,
          "init_smoothers_at_defaults", "threshold_s %g env_mag_s %g input_level_s %g makeup_s %g",
          s.threshold_s, s.env_mag_s, s.input_level_s, s.makeup_s);

    double bad_sr[] = {0, -48000, NAN, INFINITY};
    for (int i = 0; i < 4; i++) {
        char name[64];
        reinit(&s, bad_sr[i]);
        snprintf(name, sizeof name, "init_bad_sr_%d_is_44100", i);
        check(t, s.sr == 44100 && state_finite(&s), name, "sr %g", s.sr);
    }

    /* set_samplerate keeps the running state, recomputes the coefficients */
    reinit(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    rig_clear(r);
    fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp_for_level(0, 20, SR));
    run_repeat(&s, r, 64, 100, MAIN_PAIR);
    double g = s.ch[0].gain_db;
    sidecar_set_samplerate(&s, 96000);
    check(t, s.ch[0].gain_db == g && g < -1, "set_samplerate_keeps_state", "gain %g -> %g", g, s.ch[0].gain_db);
    check(t, s.sr == 96000 && fabs(s.a_attack - exp(-1 / (0.001 * 10 * 96000.0))) < 1e-12 &&
                 fabs(s.a_hpf - exp(-2 * PI * 20 / 96000.0)) < 1e-12 &&
                 fabs(s.a_param - exp(-2 * PI * 50 / 96000.0)) < 1e-12,
          "set_samplerate_coefficients", "sr %g a_attack %.12g", s.sr, s.a_attack);

    /* the high-pass corner is clamped to 0.49 sr */
    reinit(&s, 1000);
    sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
    fill(r->in[SIDECAR_IN_MAIN_L], 64, 0);
    run_at(&s, r, 0, 1, MAIN_PAIR); /* knob changes may be applied at the next process call */
    check_near(t, "hpf_corner_clamped_049sr", s.a_hpf, exp(-2 * PI * 490 / 1000.0), 1e-12);
    sidecar_free(&s);
}

/* ---- the gain computer through sidecar_process ------------------------------------------- */

/* Settle a comp-mode instance on an alternating detector signal of known level for 1 s.
 * Returns g in dB read from env_out (envMag 1); *g_state gets the state's gain_db and *lin the
 * output/input ratio of the audio (G*M*L). */
static double settle_level(sidecar *s, rig *r, double level_db, double sr, double *g_state, double *lin)
{
    rig_clear(r);
    double amp = amp_for_level(level_db, sidecar_get_param(s, SIDECAR_SC_HPF), sr);
    fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp);
    fill_alt(r->in[SIDECAR_IN_MAIN_R], 64, amp);
    run_repeat(s, r, 64, (long)(sr / 64), MAIN_PAIR);
    *g_state = s->ch[0].gain_db;
    *lin = r->out[SIDECAR_OUT_L][63] / r->in[SIDECAR_IN_MAIN_L][63];
    return -24.0 * r->out[SIDECAR_OUT_ENV][63];
}

static void test_gain_through_process(tally *t, rig *r)
{
    static const struct {
        const char *name;
        double knee, level, want;
    } cases[] = {
        {"proc_hard_0dB", 0, 0, -13.5},         {"proc_hard_-12dB", 0, -12, -4.5},
        {"proc_hard_below", 0, -24, 0},          {"proc_knee_mid", 6, -18, -0.5625},
        {"proc_knee_upper_edge", 6, -15, -2.25}, {"proc_knee_inside", 6, -16.5, -1.265625},
        {"proc_knee_below", 6, -21.5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sidecar s;
        char name[80];
        double gs, lin;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, cases[i].knee);
        double g = settle_level(&s, r, cases[i].level, SR, &gs, &lin);
        snprintf(name, sizeof name, "%s_env", cases[i].name);
        check_near(t, name, g, cases[i].want, TOL_DB);
        snprintf(name, sizeof name, "%s_state", cases[i].name);
        check_near(t, name, gs, cases[i].want, TOL_DB);
        snprintf(name, sizeof name, "%s_audio_gain", cases[i].name);
        check_near(t, name, 20 * log10(fabs(lin)), cases[i].want, TOL_DB);
        if (cases[i].want == 0) {
            snprintf(name, sizeof name, "%s_exactly_no_reduction", cases[i].name);
            check(t, gs == 0 && r->out[SIDECAR_OUT_ENV][63] == 0 && r->out[SIDECAR_OUT_ENV_INV][63] == 1,
                  name, "gain_db %g env %g", gs, (double)r->out[SIDECAR_OUT_ENV][63]);
        }
        sidecar_free(&s);
    }

    /* stereo link: a mono trigger on MAIN L alone (R normalled) reads 6.02 dB hotter than the
     * same signal on L with R patched to silence */
    {
        sidecar a, b;
        sidecar_init(&a, SR);
        sidecar_init(&b, SR);
        sidecar_set_mode(&a, SIDECAR_COMP);
        sidecar_set_mode(&b, SIDECAR_COMP);
        sidecar_set_param(&a, SIDECAR_KNEE, 0);
        sidecar_set_param(&b, SIDECAR_KNEE, 0);
        rig_clear(r);
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp_for_level(0, 20, SR)); /* one channel: -6.02 dB */
        run_repeat(&a, r, 64, 750, P(SIDECAR_IN_MAIN_L));
        run_repeat(&b, r, 64, 750, MAIN_PAIR);
        check_near(t, "proc_stereo_link_mono_normalled", a.ch[0].gain_db, -13.5, TOL_DB);
        check_near(t, "proc_stereo_link_one_channel", b.ch[0].gain_db, -0.75 * (18 - D_DB), TOL_DB);
        sidecar_free(&a);
        sidecar_free(&b);
    }

    /* the high-pass corner changes the detected level at Nyquist by 2a/(1+a) */
    {
        sidecar s;
        double gs, lin;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
        settle_level(&s, r, 0, SR, &gs, &lin); /* amplitude computed for the 1 kHz corner */
        check_near(t, "proc_hpf1000_level", gs, -13.5, TOL_DB);
        sidecar_free(&s);
    }

    /* threshold CV: effective = clamp(threshold + 30 cv, -60, 0) */
    {
        static const struct {
            const char *name;
            double cv, level, want;
        } cv[] = {
            {"cv_threshold_-0.4", -0.4, -12, -0.75 * 18},  /* T = -30 */
            {"cv_threshold_+0.3", 0.3, 0, -0.75 * 9},      /* T = -9 */
            {"cv_threshold_clamp_hi", 5, -3, 0},            /* T = 0 */
            {"cv_threshold_clamp_lo", -9, -50, -0.75 * 10}, /* T = -60 */
        };
        for (size_t i = 0; i < sizeof cv / sizeof *cv; i++) {
            sidecar s;
            sidecar_init(&s, SR);
            sidecar_set_mode(&s, SIDECAR_COMP);
            sidecar_set_param(&s, SIDECAR_KNEE, 0);
            rig_clear(r);
            double amp = amp_for_level(cv[i].level, 20, SR);
            fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp);
            fill_alt(r->in[SIDECAR_IN_MAIN_R], 64, amp);
            fill(r->in[SIDECAR_IN_THRESHOLD_CV], 64, cv[i].cv);
            run_repeat(&s, r, 64, 750, MAIN_PAIR | P(SIDECAR_IN_THRESHOLD_CV));
            check_near(t, cv[i].name, s.ch[0].gain_db, cv[i].want, TOL_DB);
            sidecar_free(&s);
        }
    }

    /* makeup and inputLevel: comp mode scales MAIN; duck mode scales only the SC branch */
    {
        sidecar s;
        double gs, lin;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_MAKEUP, 6);
        sidecar_set_param(&s, SIDECAR_INPUT_LEVEL, 0.5);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        settle_level(&s, r, -12, SR, &gs, &lin);
        check_near(t, "comp_makeup_inputlevel_gain", lin, pow(10, (6 - 4.5) / 20) * 0.5, 1e-4);

        reinit(&s, SR);
        sidecar_set_param(&s, SIDECAR_MAKEUP, 12);
        sidecar_set_param(&s, SIDECAR_INPUT_LEVEL, 1.5);
        rig_clear(r);
        fill(r->in[SIDECAR_IN_MAIN_L], 64, 0.001); /* DC: rejected by the detector high-pass */
        fill(r->in[SIDECAR_IN_MAIN_R], 64, -0.002);
        fill(r->in[SIDECAR_IN_SC_L], 64, 0.25);
        fill(r->in[SIDECAR_IN_SC_R], 64, -0.125);
        fill(r->in[SIDECAR_IN_INPUT_LEVEL_CV], 64, 0.25);
        run_repeat(&s, r, 64, 750, MAIN_PAIR | SC_PAIR | P(SIDECAR_IN_INPUT_LEVEL_CV));
        double m = pow(10, 12 / 20.0) * 1.75;
        check_near(t, "duck_makeup_inputlevel_cv_L", r->out[SIDECAR_OUT_L][63], 0.001 + m * 0.25, 1e-5);
        check_near(t, "duck_makeup_inputlevel_cv_R", r->out[SIDECAR_OUT_R][63], -0.002 - m * 0.125, 1e-5);
        fill(r->in[SIDECAR_IN_INPUT_LEVEL_CV], 64, -5); /* clamps inputLevel to 0 */
        run_repeat(&s, r, 64, 750, MAIN_PAIR | SC_PAIR | P(SIDECAR_IN_INPUT_LEVEL_CV));
        check_near(t, "duck_inputlevel_cv_clamp_0", r->out[SIDECAR_OUT_L][63], 0.001, 1e-6);
        sidecar_free(&s);
    }
}

/* ---- attack / release time constants ----------------------------------------------------- */

/* Step from no reduction into 13.5 dB of reduction and back to silence; after `attack` ms the
 * gain has moved 1 - 1/e of the way, after `release` ms back it has 1/e left. */
static void time_constants(tally *t, rig *r, double sr, double attack, double release, const char *tag)
{
    sidecar s;
    char name[80];
    sidecar_init(&s, sr);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_set_param(&s, SIDECAR_ATTACK, attack);
    sidecar_set_param(&s, SIDECAR_RELEASE, release);
    rig_clear(r);
    /* quiet (-30 dB, no reduction) first so the high-pass is settled at the step */
    double quiet = amp_for_level(-30, 20, sr), loud = amp_for_level(0, 20, sr);
    int phase = 0;
    fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, quiet);
    run_frames(&s, r, (long)(sr / 2), P(SIDECAR_IN_MAIN_L), &phase);
    snprintf(name, sizeof name, "attack_%s_starts_at_0", tag);
    check(t, s.ch[0].gain_db == 0, name, "gain %g", s.ch[0].gain_db);

    fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, loud);
    run_frames(&s, r, lround(attack * 0.001 * sr), P(SIDECAR_IN_MAIN_L), &phase);
    snprintf(name, sizeof name, "attack_%s_1-1/e", tag);
    check_near(t, name, s.ch[0].gain_db / -13.5, 1 - exp(-1), 0.003);

    run_frames(&s, r, lround(attack * 0.001 * sr * 20), P(SIDECAR_IN_MAIN_L), &phase);
    snprintf(name, sizeof name, "attack_%s_settles", tag);
    check_near(t, name, s.ch[0].gain_db, -13.5, TOL_DB);

    fill(r->in[SIDECAR_IN_MAIN_L], 66, 0);
    run_frames(&s, r, lround(release * 0.001 * sr), P(SIDECAR_IN_MAIN_L), &phase);
    snprintf(name, sizeof name, "release_%s_1/e", tag);
    check_near(t, name, s.ch[0].gain_db / -13.5, exp(-1), 0.003);
    sidecar_free(&s);
}

/* ---- detector high-pass ------------------------------------------------------------------ */

/* Amplitude of the detector high-pass output (state hpf_y1) for a sine at f Hz. */
static double hpf_amplitude(rig *r, double f, double fc, double sr)
{
    sidecar s;
    sidecar_init(&s, sr);
    sidecar_set_param(&s, SIDECAR_SC_HPF, fc);
    rig_clear(r);
    int period = (int)lround(sr / f), settle = (int)(sr / 10), n = 100 * period;
    double sc = 0, cc = 0;
    for (int i = 0; i < settle + n; i++) {
        r->in[SIDECAR_IN_MAIN_L][0] = (sidecar_sample)sin(2 * PI * f * i / sr);
        run_at(&s, r, 0, 1, P(SIDECAR_IN_MAIN_L));
        if (i >= settle) {
            sc += s.ch[0].hpf_y1 * sin(2 * PI * f * i / sr);
            cc += s.ch[0].hpf_y1 * cos(2 * PI * f * i / sr);
        }
    }
    sidecar_free(&s);
    return 2.0 / n * sqrt(sc * sc + cc * cc);
}

static void test_hpf(tally *t, rig *r)
{
    /* one-pole response a*|1 - e^-jw| / |1 - a e^-jw|: about -3 dB at the corner */
    double fc = 1000, a = exp(-2 * PI * fc / SR);
    static const double freqs[] = {100, 1000, 4800};
    for (int i = 0; i < 3; i++) {
        char name[64];
        double w = 2 * PI * freqs[i] / SR;
        double want = a * 2 * sin(w / 2) / sqrt(1 - 2 * a * cos(w) + a * a);
        double got = hpf_amplitude(r, freqs[i], fc, SR);
        snprintf(name, sizeof name, "hpf1k_response_%gHz_dB", freqs[i]);
        check_near(t, name, 20 * log10(got), 20 * log10(want), 0.01);
    }
    double corner = 20 * log10(hpf_amplitude(r, 1000, 1000, SR));
    /* this discretisation (gain a in front) reads -3.6 dB at the corner at 48 kHz */
    check(t, corner < -2.5 && corner > -4, "hpf1k_corner_about_-3dB", "%.3f dB", corner);

    /* DC is rejected: a DC step (0 dBFS, far above threshold) only ducks briefly, then the
     * gain recovers, and the audio path keeps the DC (comp mode: out = G*MAIN) */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    rig_clear(r);
    fill(r->in[SIDECAR_IN_MAIN_L], 64, 0.9);
    fill(r->in[SIDECAR_IN_MAIN_R], 64, 0.9);
    run_repeat(&s, r, 64, 3 * 750, MAIN_PAIR);
    check(t, fabs(s.ch[0].gain_db) < 1e-3 && fabs(s.ch[0].hpf_y1) < 1e-6, "hpf_rejects_dc", "gain %g dB, y %g",
          s.ch[0].gain_db, s.ch[0].hpf_y1);
    check_near(t, "hpf_dc_kept_in_audio", r->out[SIDECAR_OUT_L][63], 0.9, 1e-4);

    /* the filter never touches the audio: duck mode with the SC pair unpatched passes MAIN
     * through bit for bit, whatever the detector does */
    reinit(&s, SR);
    sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    fill_material(r, RIG_N, SR, 7);
    int same = 1;
    for (int k = 0; k < 4; k++) {
        run_at(&s, r, 0, RIG_N, MAIN_PAIR);
        same &= !memcmp(r->out[SIDECAR_OUT_L], r->in[SIDECAR_IN_MAIN_L], RIG_N * sizeof(sidecar_sample)) &&
                !memcmp(r->out[SIDECAR_OUT_R], r->in[SIDECAR_IN_MAIN_R], RIG_N * sizeof(sidecar_sample));
    }
    check(t, same && s.ch[0].gain_db < -1, "duck_main_passthrough_bit_exact", "MAIN altered (gain %g)", s.ch[0].gain_db);
    sidecar_free(&s);
}

/* ---- envelopes --------------------------------------------------------------------------- */

static void test_envelopes(tally *t, rig *r)
{
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_ENV_MAG, 1.5);
    sidecar_reset(&s);
    fill_material(r, RIG_N, SR, 3);
    double worst = 0, worst_inv = 0;
    for (int off = 0; off + 64 <= RIG_N; off += 64) {
        run_at(&s, r, off, 64, ALL_PATCHED & ~CVS);
        double want = -s.ch[0].gain_db / 24 * s.env_mag_s;
        double d = fabs(r->out[SIDECAR_OUT_ENV][off + 63] - want);
        if (d > worst) worst = d;
        for (int i = off; i < off + 64; i++) {
            d = fabs(r->out[SIDECAR_OUT_ENV_INV][i] - (1 - r->out[SIDECAR_OUT_ENV][i]));
            if (d > worst_inv) worst_inv = d;
        }
    }
    check(t, worst < 1e-6 && s.ch[0].gain_db < -1, "env_out_formula", "largest error %g (gain %g)", worst, s.ch[0].gain_db);
    check(t, worst_inv < 1e-6, "env_inv_is_1_minus_env", "largest error %g", worst_inv);

    /* deep reduction: not clamped, env > 1 and env_inv < 0 */
    reinit(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -60);
    sidecar_set_param(&s, SIDECAR_RATIO, 20);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_reset(&s);
    double gs, lin;
    double g = settle_level(&s, r, 0, SR, &gs, &lin);
    check_near(t, "env_deep_reduction_gain", g, -57, TOL_DB);
    check_near(t, "env_unclamped_above_1", r->out[SIDECAR_OUT_ENV][63], 57.0 / 24, 1e-3);
    check_near(t, "env_inv_negative", r->out[SIDECAR_OUT_ENV_INV][63], 1 - 57.0 / 24, 1e-3);

    /* envMag scales the envelope only, never the audio; its CV adds and clamps to 0..2 */
    static const struct {
        const char *name;
        double knob, cv, eff;
    } em[] = {{"env_mag_0", 0, 0, 0}, {"env_mag_2", 2, 0, 2}, {"env_mag_cv_+0.5", 1, 0.5, 1.5},
              {"env_mag_cv_clamp_hi", 1.5, 3, 2}, {"env_mag_cv_clamp_lo", 0.5, -1, 0}};
    for (size_t i = 0; i < sizeof em / sizeof *em; i++) {
        char name[80];
        sidecar_set_param(&s, SIDECAR_ENV_MAG, em[i].knob);
        fill(r->in[SIDECAR_IN_ENV_MAG_CV], 64, em[i].cv);
        run_repeat(&s, r, 64, 200, MAIN_PAIR | P(SIDECAR_IN_ENV_MAG_CV));
        snprintf(name, sizeof name, "%s_env", em[i].name);
        check_near(t, name, r->out[SIDECAR_OUT_ENV][63], 57.0 / 24 * em[i].eff, 2e-3);
        snprintf(name, sizeof name, "%s_audio_unchanged", em[i].name);
        check_near(t, name, r->out[SIDECAR_OUT_L][63] / r->in[SIDECAR_IN_MAIN_L][63], lin, 1e-6);
    }
    sidecar_free(&s);
}

/* At rest (no reduction) the object is transparent: a gain of exactly 1, env_out exactly +0
 * (not -0, which Pd would print as "-0") and env_inv_out exactly 1. */
static void test_at_rest(tally *t, rig *r)
{
    for (int mode = SIDECAR_DUCK; mode <= SIDECAR_COMP; mode++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, (sidecar_mode)mode);
        for (int i = 0; i < 256; i++) { /* -40 dBFS: far below the -18 dB threshold */
            sidecar_sample v = (sidecar_sample)(0.01 * sin(2.0 * PI * 440.0 * i / SR));
            r->in[SIDECAR_IN_MAIN_L][i] = r->in[SIDECAR_IN_MAIN_R][i] = v;
            r->in[SIDECAR_IN_SC_L][i] = r->in[SIDECAR_IN_SC_R][i] = (sidecar_sample)(3 * v);
        }
        fill(r->in[SIDECAR_IN_THRESHOLD_CV], 256, 0);
        fill(r->in[SIDECAR_IN_ENV_MAG_CV], 256, 0);
        fill(r->in[SIDECAR_IN_INPUT_LEVEL_CV], 256, 0);
        run_at(&s, r, 0, 256, MAIN_PAIR | SC_PAIR);
        int audio_exact = 1, env_plus_zero = 1, inv_one = 1;
        for (int i = 0; i < 256; i++) {
            sidecar_sample want_l = mode == SIDECAR_COMP
                                        ? r->in[SIDECAR_IN_MAIN_L][i]
                                        : (sidecar_sample)(r->in[SIDECAR_IN_MAIN_L][i] +
                                                           r->in[SIDECAR_IN_SC_L][i]);
            audio_exact &= r->out[SIDECAR_OUT_L][i] == want_l;
            env_plus_zero &= r->out[SIDECAR_OUT_ENV][i] == 0 && !signbit(r->out[SIDECAR_OUT_ENV][i]);
            inv_one &= r->out[SIDECAR_OUT_ENV_INV][i] == 1;
        }
        const char *m = mode == SIDECAR_COMP ? "comp" : "duck";
        char name[64];
        snprintf(name, sizeof name, "at_rest_%s_gain_exactly_1", m);
        check(t, audio_exact && s.ch[0].gain_db == 0, name, "output differs from the unity-gain result");
        snprintf(name, sizeof name, "at_rest_%s_env_plus_zero", m);
        check(t, env_plus_zero, name, "env_out is not +0 at rest");
        snprintf(name, sizeof name, "at_rest_%s_env_inv_one", m);
        check(t, inv_one, name, "env_inv_out is not 1 at rest");
        sidecar_free(&s);
    }
}

/* ---- normalling, aliasing, partitions ------------------------------------------------------ */

/* Run `patched` with junk in every unpatched vector, and `ref` (everything patched, the
 * normalled signals copied in by hand): the outputs must be bit-identical. */
static void normalling_case(tally *t, rig *a, rig *b, sidecar_mode mode, unsigned patched,
                            void (*normal)(rig *), const char *name)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    sidecar_set_mode(&sa, mode);
    sidecar_set_mode(&sb, mode);
    sidecar_set_param(&sa, SIDECAR_THRESHOLD, -30);
    sidecar_set_param(&sb, SIDECAR_THRESHOLD, -30);
    fill_material(a, RIG_N, SR, 11);
    fill_material(b, RIG_N, SR, 11);
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        if (!(patched & P(i))) {
            /* junk the core must ignore; an unpatched CV is read as the constant in[i][0] */
            fill(a->in[i], RIG_N, 0.77);
            if (i >= SIDECAR_IN_THRESHOLD_CV) /* the run below calls process every 64 frames */
                for (int off = 0; off < RIG_N; off += 64) a->in[i][off] = 0;
        }
    normal(b);
    int same = 1;
    for (int off = 0; off < RIG_N; off += 64) {
        run_at(&sa, a, off, 64, patched);
        run_at(&sb, b, off, 64, ALL_PATCHED);
    }
    same = outputs_equal(a, b, RIG_N);
    check(t, same && sb.ch[0].gain_db < -0.5, name, "outputs differ from the hand-normalled run (gain %g)",
          sb.ch[0].gain_db);
    sidecar_free(&sa);
    sidecar_free(&sb);
}

static void norm_main_r(rig *b) { memcpy(b->in[1], b->in[0], RIG_N * sizeof(sidecar_sample)); }
static void norm_sc_r(rig *b) { memcpy(b->in[3], b->in[2], RIG_N * sizeof(sidecar_sample)); }
static void norm_sc_silent(rig *b) { fill(b->in[2], RIG_N, 0); fill(b->in[3], RIG_N, 0); }
static void norm_sc_self(rig *b)
{
    memcpy(b->in[2], b->in[0], RIG_N * sizeof(sidecar_sample));
    memcpy(b->in[3], b->in[1], RIG_N * sizeof(sidecar_sample));
}
static void norm_cv_zero(rig *b) { fill(b->in[4], RIG_N, 0); fill(b->in[5], RIG_N, 0); fill(b->in[6], RIG_N, 0); }
static void norm_main_r_sc_self(rig *b) { norm_main_r(b); norm_sc_self(b); norm_cv_zero(b); }
static void norm_mono_pairs(rig *b) { norm_main_r(b); norm_sc_r(b); norm_cv_zero(b); }

static void test_normalling(tally *t, rig *a, rig *b)
{
    unsigned all = ALL_PATCHED;
    normalling_case(t, a, b, SIDECAR_DUCK, all & ~P(SIDECAR_IN_MAIN_R), norm_main_r, "norm_duck_main_r");
    normalling_case(t, a, b, SIDECAR_DUCK, all & ~P(SIDECAR_IN_SC_R), norm_sc_r, "norm_duck_sc_r");
    normalling_case(t, a, b, SIDECAR_DUCK, all & ~SC_PAIR, norm_sc_silent, "norm_duck_sc_pair_silent");
    normalling_case(t, a, b, SIDECAR_COMP, all & ~P(SIDECAR_IN_SC_R), norm_sc_r, "norm_comp_sc_r");
    normalling_case(t, a, b, SIDECAR_COMP, all & ~SC_PAIR, norm_sc_self, "norm_comp_self_detect");
    normalling_case(t, a, b, SIDECAR_COMP, all & ~CVS, norm_cv_zero, "norm_cv_constant");
    normalling_case(t, a, b, SIDECAR_COMP, P(SIDECAR_IN_MAIN_L), norm_main_r_sc_self,
                    "norm_comp_only_main_l");
    normalling_case(t, a, b, SIDECAR_DUCK, P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_SC_L), norm_mono_pairs,
                    "norm_duck_mono_pairs");
}

/* Outputs written over input buffers (Pd may hand an object the same buffer for an inlet and an
 * outlet) give the same result as separate buffers. map[k] = the input buffer output k uses. */
static void aliasing_case(tally *t, rig *a, rig *b, const int map[SIDECAR_NOUTPUTS], unsigned patched,
                          const char *name)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    sidecar_set_param(&sa, SIDECAR_THRESHOLD, -30);
    sidecar_set_param(&sb, SIDECAR_THRESHOLD, -30);
    fill_material(a, RIG_N, SR, 5);
    fill_material(b, RIG_N, SR, 5);
    for (int i = SIDECAR_IN_THRESHOLD_CV; i < SIDECAR_NINPUTS; i++)
        if (!(patched & P(i))) { /* an unconnected inlet in Pd holds its float in every sample */
            fill(a->in[i], RIG_N, 0.1);
            fill(b->in[i], RIG_N, 0.1);
        }
    for (int off = 0; off < RIG_N; off += 64) {
        const sidecar_sample *ip[SIDECAR_NINPUTS];
        sidecar_sample *op[SIDECAR_NOUTPUTS];
        for (int i = 0; i < SIDECAR_NINPUTS; i++) ip[i] = b->in[i] + off;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++) op[k] = b->in[map[k]] + off;
        sidecar_process(&sb, ip, op, 64, patched);
        run_at(&sa, a, off, 64, patched);
    }
    int same = 1;
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++)
        same &= !memcmp(a->out[k], b->in[map[k]], RIG_N * sizeof(sidecar_sample));
    check(t, same && sa.ch[0].gain_db < -0.5, name, "aliased outputs differ from separate buffers");
    sidecar_free(&sa);
    sidecar_free(&sb);
}

static void test_aliasing(tally *t, rig *a, rig *b)
{
    static const int identity[] = {0, 1, 2, 3}, onto_cv[] = {4, 5, 6, 0}, crossed[] = {3, 2, 1, 0},
                     onto_sc[] = {2, 3, 0, 1};
    aliasing_case(t, a, b, identity, ALL_PATCHED, "alias_out_k_on_in_k");
    aliasing_case(t, a, b, onto_cv, ALL_PATCHED, "alias_outs_on_cv_and_main");
    aliasing_case(t, a, b, crossed, ALL_PATCHED, "alias_crossed");
    aliasing_case(t, a, b, onto_sc, ALL_PATCHED & ~SC_PAIR, "alias_on_unpatched_sc");
    aliasing_case(t, a, b, onto_cv, ALL_PATCHED & ~CVS, "alias_on_unpatched_cv");
}

/* With constant settings the output does not depend on how the frames are split into calls. */
static void test_partitions(tally *t, rig *a, rig *b)
{
    static const struct {
        const char *name;
        unsigned patched;
        sidecar_mode mode;
    } cfg[] = {{"partition_duck_all_patched", ALL_PATCHED, SIDECAR_DUCK},
               {"partition_comp_self_detect", MAIN_PAIR | CVS, SIDECAR_COMP},
               {"partition_duck_cv_unpatched", ALL_PATCHED & ~CVS, SIDECAR_DUCK}};
    for (size_t c = 0; c < sizeof cfg / sizeof *cfg; c++) {
        sidecar sa;
        sidecar_init(&sa, SR);
        sidecar_set_mode(&sa, cfg[c].mode);
        sidecar_set_param(&sa, SIDECAR_THRESHOLD, -30);
        sidecar_set_param(&sa, SIDECAR_ATTACK, 2);
        sidecar_set_param(&sa, SIDECAR_RELEASE, 40);
        sidecar_set_param(&sa, SIDECAR_SC_HPF, 150);
        sidecar_reset(&sa);
        sidecar sb0 = sa;
        fill_material(a, RIG_N, SR, 9);
        fill_material(b, RIG_N, SR, 9);
        for (int i = SIDECAR_IN_THRESHOLD_CV; i < SIDECAR_NINPUTS; i++)
            if (!(cfg[c].patched & P(i))) { /* unconnected: Pd fills the inlet's float */
                fill(a->in[i], RIG_N, -0.1);
                fill(b->in[i], RIG_N, -0.1);
            }
        run_at(&sa, a, 0, RIG_N, cfg[c].patched); /* one call of 8192 frames */
        static const int sizes[] = {1, 64, 1024, 0};
        int ok = 1;
        for (int k = 0; k < 4; k++) {
            sidecar sb = sb0;
            lcg g = {(uint32_t)k + 1};
            memset(b->out[0], 0, RIG_N * sizeof(sidecar_sample));
            for (int off = 0; off < RIG_N;) {
                int n = sizes[k] ? sizes[k] : 1 + (int)((lcg_next(&g) + 1) * 150); /* 1..300 */
                if (n > RIG_N - off) n = RIG_N - off;
                run_at(&sb, b, off, n, cfg[c].patched);
                off += n;
            }
            if (!outputs_equal(a, b, RIG_N)) {
                printf("  %s: block size %d differs\n", cfg[c].name, sizes[k]);
                ok = 0;
            }
        }
        check(t, ok && sa.ch[0].gain_db < -0.5, cfg[c].name, "output depends on the block partition");
        sidecar_free(&sa); /* the copies share its (absent: lookahead 0) delay line */
    }
}

/* ---- robustness -------------------------------------------------------------------------- */

/* NaN/Inf on a detector or CV input is treated as 0: bit-identical to a run with 0 there. */
static void test_nonfinite_as_zero(tally *t, rig *a, rig *b)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    static const struct {
        const char *name;
        sidecar_mode mode;
        int input;
        unsigned patched;
    } cases[] = {
        {"nan_sc_detector_comp", SIDECAR_COMP, SIDECAR_IN_SC_L, ALL_PATCHED},
        {"nan_sc_r_detector_comp", SIDECAR_COMP, SIDECAR_IN_SC_R, ALL_PATCHED},
        {"nan_main_detector_duck", SIDECAR_DUCK, SIDECAR_IN_MAIN_L, ALL_PATCHED},
        {"nan_threshold_cv", SIDECAR_DUCK, SIDECAR_IN_THRESHOLD_CV, ALL_PATCHED},
        {"nan_env_mag_cv", SIDECAR_DUCK, SIDECAR_IN_ENV_MAG_CV, ALL_PATCHED},
        {"nan_input_level_cv", SIDECAR_DUCK, SIDECAR_IN_INPUT_LEVEL_CV, ALL_PATCHED},
        {"nan_unpatched_cv_constant", SIDECAR_DUCK, SIDECAR_IN_THRESHOLD_CV, ALL_PATCHED & ~CVS},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sidecar sa, sb;
        sidecar_init(&sa, SR);
        sidecar_init(&sb, SR);
        sidecar_set_mode(&sa, cases[c].mode);
        sidecar_set_mode(&sb, cases[c].mode);
        sidecar_set_param(&sa, SIDECAR_THRESHOLD, -30);
        sidecar_set_param(&sb, SIDECAR_THRESHOLD, -30);
        fill_material(a, RIG_N, SR, 13);
        fill_material(b, RIG_N, SR, 13);
        int in = cases[c].input, unpatched = !(cases[c].patched & P(in));
        for (int i = 0; i < RIG_N; i += 37) { /* sprinkled, and a solid run in the middle */
            a->in[in][i] = (sidecar_sample)bad[(i / 37) % 3];
            b->in[in][i] = 0;
        }
        for (int i = 4000; i < 4200; i++) {
            a->in[in][i] = (sidecar_sample)bad[i % 3];
            b->in[in][i] = 0;
        }
        int finite = 1;
        for (int off = 0; off < RIG_N; off += 64) {
            if (unpatched) { /* an unpatched CV is the constant in[i][0]: make it NaN/Inf */
                a->in[in][off] = (sidecar_sample)bad[(off / 64) % 3];
                b->in[in][off] = 0;
            }
            run_at(&sa, a, off, 64, cases[c].patched);
            run_at(&sb, b, off, 64, cases[c].patched);
            finite &= state_finite(&sa);
        }
        /* a NaN on MAIN L in duck mode passes through to out L (the audio is untouched), so
         * there compare every other outlet */
        int same = 1;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++) {
            if (in == SIDECAR_IN_MAIN_L && k == SIDECAR_OUT_L) continue;
            same &= !memcmp(a->out[k], b->out[k], RIG_N * sizeof(sidecar_sample));
        }
        check(t, finite && same, cases[c].name, "%s", !finite ? "state became non-finite"
                                                               : "differs from a 0 at the same samples");
        sidecar_free(&sa);
        sidecar_free(&sb);
    }
}

/* Whatever arrives on any input, in any mode and patching, the state stays finite. */
static void test_garbage(tally *t, rig *r)
{
    const double junk[] = {NAN, INFINITY, -INFINITY, SAMPLE_MAX, -SAMPLE_MAX, 1e30, -1e30,
                           SAMPLE_TINY, -SAMPLE_TINY, 0, 1, -1, 1e-20};
    const int nj = (int)(sizeof junk / sizeof *junk);
    int finite = 1, env_finite = 1;
    lcg g = {42};
    for (int mode = 0; mode < 2; mode++)
        for (unsigned patched = 0; patched <= ALL_PATCHED; patched += 5) {
            sidecar s;
            sidecar_init(&s, SR);
            sidecar_set_mode(&s, (sidecar_mode)mode);
            for (int blk = 0; blk < 8; blk++) {
                for (int i = 0; i < SIDECAR_NINPUTS; i++)
                    for (int n = 0; n < 64; n++)
                        r->in[i][n] = (sidecar_sample)junk[(int)((lcg_next(&g) + 1) / 2 * nj) % nj];
                run_at(&s, r, 0, 64, patched);
                finite &= state_finite(&s);
                for (int n = 0; n < 64; n++)
                    env_finite &= isfinite(r->out[SIDECAR_OUT_ENV][n]) && isfinite(r->out[SIDECAR_OUT_ENV_INV][n]);
            }
            /* and it recovers: plain material afterwards gives finite, sane output */
            fill_material(r, 512, SR, 1);
            run_at(&s, r, 0, 512, patched);
            finite &= state_finite(&s) && s.ch[0].gain_db <= 0 && isfinite(r->out[SIDECAR_OUT_L][511]);
            sidecar_free(&s);
        }
    check(t, finite, "garbage_state_stays_finite", "non-finite state after junk input");
    check(t, env_finite, "garbage_envelopes_finite", "non-finite env/env_inv output");

    /* the largest finite samples, alternating, on every detector input */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    rig_clear(r);
    for (int i = 0; i < 4; i++) fill_alt(r->in[i], 64, SAMPLE_MAX);
    fill_alt(r->in[SIDECAR_IN_THRESHOLD_CV], 64, SAMPLE_MAX);
    run_repeat(&s, r, 64, 20, ALL_PATCHED);
    check(t, state_finite(&s), "extreme_" SAMPLE_NAME "_max_inputs_finite", "gain %g hpf %g %g", s.ch[0].gain_db,
          s.ch[0].hpf_y1, s.ch[1].hpf_y1);
    /* and the detector still works afterwards: at 0 dB it settles on the static curve's -13.5
     * (3 s: the release comes back from thousands of dB) */
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    fill_alt(r->in[SIDECAR_IN_THRESHOLD_CV], 64, 0);
    for (int i = 0; i < 4; i++) fill_alt(r->in[i], 64, amp_for_level(0, 20, SR));
    run_repeat(&s, r, 64, 3 * 750, ALL_PATCHED);
    check_near(t, "extreme_" SAMPLE_NAME "_max_inputs_detector_recovers", s.ch[0].gain_db, -13.5, TOL_DB);
    sidecar_free(&s);
}

static int outputs_have_subnormal(const rig *r, int n, int first_output)
{
    for (int k = first_output; k < SIDECAR_NOUTPUTS; k++)
        for (int i = 0; i < n; i++)
            if (fpclassify(r->out[k][i]) == FP_SUBNORMAL) return 1;
    return 0;
}

static void test_denormals(tally *t, rig *r)
{
    /* loud material, then 5 s of silence; every smoother heads for 0 (threshold 0, envMag 0,
     * inputLevel 0) and the fastest release and high-pass make the state decay quickly */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, 0);
    sidecar_set_param(&s, SIDECAR_ENV_MAG, 0);
    sidecar_set_param(&s, SIDECAR_INPUT_LEVEL, 0);
    sidecar_set_param(&s, SIDECAR_RELEASE, 1);
    sidecar_set_param(&s, SIDECAR_ATTACK, 0.1);
    sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
    fill_material(r, RIG_N, SR, 21);
    fill_alt(r->in[SIDECAR_IN_MAIN_L], RIG_N, 4); /* about +18 dB: far above threshold 0 */
    for (int k = 0; k < 3; k++) run_at(&s, r, 0, RIG_N, ALL_PATCHED & ~CVS);
    int sub_state = -1, sub_out = 0, was_reduced = s.ch[0].gain_db < -0.1;
    long when = 0;
    rig_clear(r);
    for (long done = 0; done < (long)(5 * SR); done += 64) {
        run_at(&s, r, 0, 64, ALL_PATCHED & ~CVS);
        if (sub_state < 0 && (sub_state = state_subnormal_at(&s)) >= 0) when = done;
        sub_out |= outputs_have_subnormal(r, 64, 0);
    }
    check(t, was_reduced && sub_state < 0, "silence_no_subnormal_state",
          "subnormal %s after %ld frames of silence", state_name(sub_state), when);
    check(t, !sub_out, "silence_no_subnormal_outputs", "subnormal output sample");

    /* subnormal inputs everywhere: the state stays clean (outputs may pass them through) */
    reinit(&s, SR);
    sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        for (int n = 0; n < 64; n++) r->in[i][n] = (sidecar_sample)((n % 3 ? 1 : -1) * SAMPLE_TINY * (1 + n));
    sub_state = -1;
    int sub_env = 0;
    for (int mode = 0; mode < 2; mode++) {
        sidecar_set_mode(&s, (sidecar_mode)mode);
        for (int k = 0; k < 2000; k++) {
            run_at(&s, r, 0, 64, ALL_PATCHED);
            if (sub_state < 0) sub_state = state_subnormal_at(&s);
            sub_env |= outputs_have_subnormal(r, 64, SIDECAR_OUT_ENV);
        }
    }
    check(t, sub_state < 0, "subnormal_inputs_no_subnormal_state", "subnormal %s", state_name(sub_state));
    check(t, !sub_env, "subnormal_inputs_no_subnormal_envelopes", "subnormal env output");
    sidecar_free(&s);
}

/* ---- reset, instances, edge calls -------------------------------------------------------- */

static void set_knobs(sidecar *s)
{
    sidecar_set_mode(s, SIDECAR_COMP);
    sidecar_set_param(s, SIDECAR_THRESHOLD, -30);
    sidecar_set_param(s, SIDECAR_RATIO, 8);
    sidecar_set_param(s, SIDECAR_ENV_MAG, 1.5);
    sidecar_set_param(s, SIDECAR_INPUT_LEVEL, 0.5);
    sidecar_set_param(s, SIDECAR_MAKEUP, 6);
    sidecar_set_param(s, SIDECAR_SC_HPF, 200);
}

static void test_reset(tally *t, rig *a, rig *b)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    set_knobs(&sa);
    sidecar_reset(&sa);
    check(t, sa.threshold_s == -30 && sa.env_mag_s == 1.5 && sa.input_level_s == 0.5 &&
                 fabs(sa.makeup_s - pow(10, 6 / 20.0)) < 1e-12,
          "reset_snaps_smoothers", "threshold_s %g env_mag_s %g input_level_s %g makeup_s %g",
          sa.threshold_s, sa.env_mag_s, sa.input_level_s, sa.makeup_s);

    sidecar_init(&sb, SR);
    set_knobs(&sb);
    fill_material(b, RIG_N, SR, 99); /* other material first */
    run_at(&sb, b, 0, RIG_N, ALL_PATCHED);
    int was = sb.ch[0].gain_db < -1;
    sidecar_reset(&sb);
    check(t, was && sb.ch[0].gain_db == 0 && sb.ch[0].hpf_x1 == 0 && sb.ch[1].hpf_x1 == 0 && sb.ch[0].hpf_y1 == 0 &&
                 sb.ch[1].hpf_y1 == 0 && sidecar_gain_reduction_db(&sb) == 0,
          "reset_clears_detector_and_gain", "gain %g hpf %g %g", sb.ch[0].gain_db, sb.ch[0].hpf_y1, sb.ch[1].hpf_y1);
    check(t, sb.mode == SIDECAR_COMP && sidecar_get_param(&sb, SIDECAR_RATIO) == 8, "reset_keeps_knobs_mode",
          "mode %d ratio %g", (int)sb.mode, sidecar_get_param(&sb, SIDECAR_RATIO));

    fill_material(a, RIG_N, SR, 17);
    fill_material(b, RIG_N, SR, 17);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    run_at(&sb, b, 0, RIG_N, ALL_PATCHED);
    check(t, outputs_equal(a, b, RIG_N), "reset_equals_fresh_instance", "output after reset differs");
    check(t, sa.ch[0].gain_db < 0 && fabs(sidecar_gain_reduction_db(&sa) + sa.ch[0].gain_db) == 0,
          "gain_reduction_db_is_minus_gain", "gain %g, reduction %g", sa.ch[0].gain_db, sidecar_gain_reduction_db(&sa));
    sidecar_free(&sa);
    sidecar_free(&sb);
}

static void test_instances(tally *t, rig *a, rig *b)
{
    /* two instances interleaved block by block: each equals itself run alone */
    sidecar x, y, alone;
    sidecar_init(&x, SR);
    sidecar_init(&y, 96000);
    sidecar_init(&alone, SR);
    sidecar_set_param(&y, SIDECAR_THRESHOLD, -50);
    sidecar_set_mode(&y, SIDECAR_COMP);
    fill_material(a, RIG_N, SR, 1);
    fill_material(b, RIG_N, SR, 2);
    rig *c = rig_new();
    fill_material(c, RIG_N, SR, 1);
    for (int off = 0; off < RIG_N; off += 64) {
        run_at(&x, a, off, 64, ALL_PATCHED);
        run_at(&y, b, off, 64, MAIN_PAIR);
        run_at(&alone, c, off, 64, ALL_PATCHED);
    }
    check(t, outputs_equal(a, c, RIG_N), "instances_independent", "interleaving changed the output");
    rig_free(c);

    /* n = 0 changes nothing */
    double before[STATE_MAX], after[STATE_MAX];
    int nv = state_values(&x, before);
    run_at(&x, a, 0, 0, ALL_PATCHED);
    state_values(&x, after);
    check(t, !memcmp(before, after, nv * sizeof(double)), "process_zero_frames_noop", "state changed");
    sidecar_free(&x);
    sidecar_free(&y);
    sidecar_free(&alone);
}

/* A knob change reaches the DSP through a 50 Hz one-pole smoother (threshold shown here). */
static void test_smoothing(tally *t, rig *r)
{
    sidecar s;
    sidecar_init(&s, SR);
    rig_clear(r);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -30);
    run_at(&s, r, 0, 100, MAIN_PAIR);
    double a = exp(-2 * PI * 50 / SR);
    check_near(t, "smoother_threshold_100_samples", s.threshold_s, -30 + 12 * pow(a, 100), 1e-9);
    fill(r->in[SIDECAR_IN_ENV_MAG_CV], 128, 0.5);
    run_at(&s, r, 0, 100, MAIN_PAIR | P(SIDECAR_IN_ENV_MAG_CV));
    check_near(t, "smoother_env_mag_cv_100_samples", s.env_mag_s, 1.5 - 0.5 * pow(a, 100), 1e-9);
    sidecar_set_param(&s, SIDECAR_MAKEUP, 20);
    run_at(&s, r, 0, 100, MAIN_PAIR);
    check_near(t, "smoother_makeup_linear_100_samples", s.makeup_s, 10 - 9 * pow(a, 100), 1e-9);
    sidecar_free(&s);
}

/* ratio, attack, release, knee, sc_hpf and mode are not smoothed: a change acts from the first
 * sample of the next process call. */
static void test_next_block(tally *t, rig *r)
{
    sidecar s;
    double gs, lin;
    sidecar_init(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    settle_level(&s, r, 0, SR, &gs, &lin); /* g = -13.5 */
    sidecar_set_param(&s, SIDECAR_RATIO, 20);  /* g* = -0.95 * 18 = -17.1 */
    sidecar_set_param(&s, SIDECAR_ATTACK, 1);
    double a = exp(-1 / (0.001 * 1 * SR));
    run_at(&s, r, 0, 1, MAIN_PAIR);
    check_near(t, "next_block_ratio_attack_first_sample", s.ch[0].gain_db, -17.1 + a * (gs + 17.1), 1e-4);
    sidecar_set_mode(&s, SIDECAR_DUCK); /* duck, SC unpatched: MAIN alone, at once */
    run_at(&s, r, 1, 2, MAIN_PAIR);
    check(t, r->out[SIDECAR_OUT_L][1] == r->in[SIDECAR_IN_MAIN_L][1] &&
                 r->out[SIDECAR_OUT_L][2] == r->in[SIDECAR_IN_MAIN_L][2],
          "next_block_mode", "out %g, MAIN %g", (double)r->out[SIDECAR_OUT_L][1],
          (double)r->in[SIDECAR_IN_MAIN_L][1]);
    sidecar_free(&s);
}

/* ==== v0.2 options (SPEC.md: range, hold, lookahead, mix, rms, link, sc_lpf, trigger) ======= */

/* The seven options at values that all do something, for the whole-object checks. */
static void set_options(sidecar *s)
{
    sidecar_set_param(s, SIDECAR_RANGE, 20);
    sidecar_set_param(s, SIDECAR_HOLD, 25);
    sidecar_set_param(s, SIDECAR_LOOKAHEAD, 3);
    sidecar_set_param(s, SIDECAR_MIX, 0.8);
    sidecar_set_param(s, SIDECAR_RMS, 6);
    sidecar_set_param(s, SIDECAR_LINK, 0.5);
    sidecar_set_param(s, SIDECAR_SC_LPF, 400);
}

/* H or N = round(0.001 * ms * sr), worked out here (SPEC steps 7 and 9). */
static long frames_of_ms(double ms, double sr)
{
    return lround(0.001 * ms * sr);
}

/* Defaults: the object is v1. Explicitly at the defaults, or at other values and back before
 * the first sample, it writes the same bits as a plain instance. */
static void test_v02_defaults(tally *t, rig *a, rig *b)
{
    for (int mode = SIDECAR_DUCK; mode <= SIDECAR_COMP; mode++) {
        sidecar plain, expl, back;
        sidecar_init(&plain, SR);
        sidecar_init(&expl, SR);
        sidecar_init(&back, SR);
        sidecar *all[3] = {&plain, &expl, &back};
        for (int k = 0; k < 3; k++) {
            sidecar_set_mode(all[k], (sidecar_mode)mode);
            sidecar_set_param(all[k], SIDECAR_THRESHOLD, -30);
        }
        set_options(&back);
        static const int ids[] = {SIDECAR_RANGE, SIDECAR_HOLD, SIDECAR_LOOKAHEAD, SIDECAR_MIX,
                                  SIDECAR_RMS, SIDECAR_LINK, SIDECAR_SC_LPF};
        static const double defs[] = {120, 0, 0, 1, 0, 1, 20000};
        for (int i = 0; i < 7; i++) {
            sidecar_set_param(&expl, ids[i], defs[i]);
            sidecar_set_param(&back, ids[i], defs[i]);
        }
        for (int k = 0; k < 3; k++) /* smoothers at the knobs (threshold, mix), as at creation */
            sidecar_reset(all[k]);
        unsigned patched = mode == SIDECAR_DUCK ? ALL_PATCHED : MAIN_PAIR | CVS;
        rig *c = rig_new();
        fill_material(a, RIG_N, SR, 23);
        fill_material(b, RIG_N, SR, 23);
        fill_material(c, RIG_N, SR, 23);
        for (int off = 0; off < RIG_N; off += 64) {
            run_at(&plain, a, off, 64, patched);
            run_at(&expl, b, off, 64, patched);
            run_at(&back, c, off, 64, patched);
        }
        char name[64];
        snprintf(name, sizeof name, "v02_defaults_explicit_identical_%s", mode ? "comp" : "duck");
        check(t, outputs_equal(a, b, RIG_N) && plain.ch[0].gain_db < -0.5, name,
              "output differs from the plain instance (gain %g)", plain.ch[0].gain_db);
        snprintf(name, sizeof name, "v02_defaults_set_and_back_identical_%s", mode ? "comp" : "duck");
        check(t, outputs_equal(a, c, RIG_N), name, "output differs from the plain instance");
        rig_free(c);
        for (int k = 0; k < 3; k++) sidecar_free(all[k]);
    }
}

/* Hold (step 7): once the attack ends, g stays exactly where it is for H samples, then the
 * release starts with g <- aR*g. */
static void test_hold(tally *t, rig *r)
{
    static const struct {
        double sr, hold, sr0; /* sr0: created at this rate, then set_samplerate(sr) */
    } cases[] = {{48000, 7.3, 48000}, {44100, 12.5, 44100}, {96000, 1, 96000}, {48000, 0, 48000},
                 {44100, 20, 96000}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double sr = cases[i].sr;
        long H = frames_of_ms(cases[i].hold, sr);
        sidecar s;
        sidecar_init(&s, cases[i].sr0);
        sidecar_set_samplerate(&s, sr);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_HOLD, cases[i].hold);
        sidecar_set_param(&s, SIDECAR_RELEASE, 50);
        rig_clear(r);
        int phase = 0;
        /* 5 ms of 0 dB against a 10 ms attack: still attacking on the last loud sample */
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, amp_for_level(0, 20, sr));
        run_frames(&s, r, frames_of_ms(5, sr), P(SIDECAR_IN_MAIN_L), &phase);
        double g0 = s.ch[0].gain_db;
        fill(r->in[SIDECAR_IN_MAIN_L], 66, 0);
        long held = 0;
        int env_ok = 1;
        for (;;) {
            run_frames(&s, r, 1, P(SIDECAR_IN_MAIN_L), &phase);
            if (s.ch[0].gain_db != g0 || held > H + 10) break;
            env_ok &= fabs(r->out[SIDECAR_OUT_ENV][phase ^ 1] - (-g0 / 24)) < 1e-6;
            held++;
        }
        double ar = exp(-1 / (0.001 * 50 * sr));
        char name[80];
        snprintf(name, sizeof name, "hold_%gms_%gk%s_exactly_H_samples", cases[i].hold, sr / 1000,
                 cases[i].sr0 != sr ? "_after_sr_change" : "");
        check(t, held == H && g0 < -3 && env_ok, name, "g %.4f held for %ld samples, H = %ld%s", g0,
              held, H, env_ok ? "" : " (env_out moved meanwhile)");
        snprintf(name, sizeof name, "hold_%gms_%gk%s_then_release", cases[i].hold, sr / 1000,
                 cases[i].sr0 != sr ? "_after_sr_change" : "");
        check_near(t, name, s.ch[0].gain_db, ar * g0, 1e-6);
        sidecar_free(&s);
    }
}

/* Range (step 6): g* >= -range below 120, so env_out <= range/24 * envMag. */
static void test_range(tally *t, rig *r)
{
    sidecar s;
    double gs, lin;
    sidecar_init(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_set_param(&s, SIDECAR_RATIO, 20);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    sidecar_set_param(&s, SIDECAR_RANGE, 12);
    sidecar_set_param(&s, SIDECAR_ENV_MAG, 1.5);
    sidecar_reset(&s);
    settle_level(&s, r, 0, SR, &gs, &lin); /* g* = -38 without range */
    check_near(t, "range_12_steady_gain", gs, -12, TOL_DB);
    check_near(t, "range_12_env_out", r->out[SIDECAR_OUT_ENV][63], 12.0 / 24 * 1.5, 1e-3);
    check_near(t, "range_12_audio_gain_dB", 20 * log10(fabs(lin)), -12, TOL_DB);

    /* material, deep settings: env_out reaches the bound and never passes it */
    static const double ranges[] = {9, 0.5, 0};
    for (int k = 0; k < 3; k++) {
        reinit(&s, SR);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -50);
        sidecar_set_param(&s, SIDECAR_RATIO, 20);
        sidecar_set_param(&s, SIDECAR_RANGE, ranges[k]);
        sidecar_set_param(&s, SIDECAR_ENV_MAG, 1.7);
        sidecar_reset(&s);
        fill_material(r, RIG_N, SR, 31);
        for (int i = SIDECAR_IN_THRESHOLD_CV; i < SIDECAR_NINPUTS; i++) /* unpatched: CV 0 */
            fill(r->in[i], RIG_N, 0);
        double bound = ranges[k] / 24 * 1.7, top = 0, lowest_g = 0;
        for (int rep = 0; rep < 3; rep++)
            for (int off = 0; off < RIG_N; off += 64) {
                run_at(&s, r, off, 64, ALL_PATCHED & ~CVS);
                for (int i = off; i < off + 64; i++)
                    if (r->out[SIDECAR_OUT_ENV][i] > top) top = r->out[SIDECAR_OUT_ENV][i];
                if (s.ch[0].gain_db < lowest_g) lowest_g = s.ch[0].gain_db;
            }
        char name[64];
        snprintf(name, sizeof name, "range_%g_bounds_env_out", ranges[k]);
        check(t, top <= bound * (1 + 1e-6) + 1e-7 && top >= 0.95 * bound && lowest_g >= -ranges[k] - 1e-9,
              name, "max env_out %.6g, bound %.6g, deepest g %.6g", top, bound, lowest_g);
    }
    /* range 0: no reduction at all, g stays exactly 0 */
    check(t, s.ch[0].gain_db == 0 && s.ch[1].gain_db == 0, "range_0_no_reduction", "gain %g %g",
          s.ch[0].gain_db, s.ch[1].gain_db);
    sidecar_free(&s);
}

/* Hold at the range floor (steps 6, 7): a trigger puts g exactly at -range; while the detector
 * asks for more than range, g* = -range = g, which is not an attack, so h counts down (and g
 * stays). When the key stops after more than H samples, the release starts at once. A range that
 * is not a float (a double-precision Pd, a libpd host) must behave the same. */
static void test_range_floor_hold(tally *t, rig *r)
{
    /* 7 is a float; 7.3 is not, and its nearest float is above it (a float -range would ask
     * for slightly more than g = -range: an "attack" that restarts h on every sample) */
    static const double ranges[] = {7, 7.3};
    for (int k = 0; k < 2; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_RATIO, 20);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
        sidecar_set_param(&s, SIDECAR_RANGE, ranges[k]);
        sidecar_set_param(&s, SIDECAR_HOLD, 50); /* H = 2400 */
        rig_clear(r);
        int phase = 0;
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, amp_for_level(0, 20, SR)); /* g* = -38 -> -range */
        run_frames(&s, r, 64, P(SIDECAR_IN_MAIN_L), &phase);
        sidecar_trigger(&s, 30);                                      /* g = -range, h = H */
        run_frames(&s, r, 9600, P(SIDECAR_IN_MAIN_L), &phase);        /* 200 ms > H */
        double g = s.ch[0].gain_db;
        /* v0.3 (g* < g + E re-arms the hold): the detector asked for the floor all along, so
         * the hold starts when the key stops: g stays for H samples, then releases */
        fill(r->in[SIDECAR_IN_MAIN_L], 66, 0);
        run_frames(&s, r, 2400, P(SIDECAR_IN_MAIN_L), &phase);
        double held = s.ch[0].gain_db;
        run_frames(&s, r, 1, P(SIDECAR_IN_MAIN_L), &phase);
        double ar = exp(-1 / (0.001 * 100 * SR));
        char name[80];
        snprintf(name, sizeof name, "range_floor_%g_hold_from_key_stop_then_release", ranges[k]);
        check(t, fabs(g + ranges[k]) < 1e-6 && fabs(held + ranges[k]) < 1e-6 &&
                     fabs(s.ch[0].gain_db - ar * -ranges[k]) < 1e-6, name,
              "g %.9g at the floor (want %g), %.9g H samples after the key stopped (want the same), "
              "then %.9g (want the release step %.9g; h %d)", g, -ranges[k], held, s.ch[0].gain_db,
              ar * -ranges[k], s.ch[0].hold);
        sidecar_free(&s);
    }
}

/* Lookahead (step 9): latency N = round(0.001 * lookahead * sr). */
static void test_latency(tally *t, rig *r)
{
    static const struct {
        double la, sr;
    } cases[] = {{5, 48000}, {3.3, 44100}, {20, 96000}, {0.01, 48000}, {0.02, 48000}, {20, 8000},
                 {0, 48000}, {12.5, 192000}};
    int ok = 1;
    rig_clear(r);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sidecar s;
        sidecar_init(&s, cases[i].sr);
        int res = sidecar_set_param(&s, SIDECAR_LOOKAHEAD, cases[i].la);
        run_at(&s, r, 0, 1, MAIN_PAIR); /* "takes effect from the next process call" */
        long want = frames_of_ms(cases[i].la, cases[i].sr);
        if (res != SIDECAR_SET_OK || sidecar_latency(&s) != want) {
            printf("  lookahead %g ms at %g Hz: latency %d, want %ld (set result %d)\n", cases[i].la,
                   cases[i].sr, sidecar_latency(&s), want, res);
            ok = 0;
        }
        sidecar_free(&s);
    }
    check(t, ok, "latency_is_round_lookahead_sr", "see above");

    sidecar s;
    sidecar_init(&s, SR);
    check(t, sidecar_latency(&s) == 0, "latency_0_by_default", "latency %d", sidecar_latency(&s));
    sidecar_set_param(&s, SIDECAR_LOOKAHEAD, 5);
    run_at(&s, r, 0, 1, MAIN_PAIR);
    sidecar_set_samplerate(&s, 96000);
    run_at(&s, r, 0, 1, MAIN_PAIR);
    check(t, sidecar_latency(&s) == 480, "latency_follows_samplerate", "latency %d at 96 kHz, want 480",
          sidecar_latency(&s));
    sidecar_free(&s);
}

/* Number of samples where out differs from `want` by more than tol; *first gets the first. */
static long count_diff(const sidecar_sample *out, const double *want, int n, double tol, int *first)
{
    long bad = 0;
    *first = -1;
    for (int i = 0; i < n; i++)
        if (!(fabs(out[i] - want[i]) <= tol)) {
            if (*first < 0) *first = i;
            bad++;
        }
    return bad;
}

static void test_lookahead(tally *t, rig *a, rig *b)
{
    const long N = frames_of_ms(5, SR); /* 240 */
    double *want = malloc(RIG_N * sizeof *want);
    if (!want) abort();
    int first;

    /* duck, SC pair unpatched: out = MAIN[n - N], zeros before; the envelopes are those of the
     * same object without lookahead (the detector reads the undelayed MAIN) */
    {
        sidecar sa, sb;
        sidecar_init(&sa, SR);
        sidecar_init(&sb, SR);
        sidecar_set_param(&sa, SIDECAR_LOOKAHEAD, 5);
        fill_material(a, RIG_N, SR, 41);
        fill_material(b, RIG_N, SR, 41);
        for (int off = 0; off < RIG_N; off += 64) {
            run_at(&sa, a, off, 64, MAIN_PAIR);
            run_at(&sb, b, off, 64, MAIN_PAIR);
        }
        long bad = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < RIG_N; i++) want[i] = i >= N ? a->in[SIDECAR_IN_MAIN_L + c][i - N] : 0.0;
            bad += count_diff(a->out[SIDECAR_OUT_L + c], want, RIG_N, 0, &first);
        }
        check(t, bad == 0, "lookahead_duck_main_delayed_exactly_N", "%ld samples differ (first at %d)", bad, first);
        long env_bad = 0;
        for (int k = SIDECAR_OUT_ENV; k <= SIDECAR_OUT_ENV_INV; k++) {
            for (int i = 0; i < RIG_N; i++) want[i] = b->out[k][i];
            env_bad += count_diff(a->out[k], want, RIG_N, 1e-6, &first);
        }
        check(t, env_bad == 0 && sb.ch[0].gain_db < -1, "lookahead_envelopes_undelayed",
              "%ld envelope samples differ from the no-lookahead twin (first at %d)", env_bad, first);
        sidecar_free(&sa);
        sidecar_free(&sb);
    }

    /* comp keyed: out[n] = G[n] * MAIN[n - N], G undelayed: equal to a no-lookahead twin fed
     * MAIN delayed by hand */
    {
        sidecar sa, sb;
        sidecar_init(&sa, SR);
        sidecar_init(&sb, SR);
        sidecar_set_mode(&sa, SIDECAR_COMP);
        sidecar_set_mode(&sb, SIDECAR_COMP);
        sidecar_set_param(&sa, SIDECAR_THRESHOLD, -36);
        sidecar_set_param(&sb, SIDECAR_THRESHOLD, -36);
        sidecar_set_param(&sa, SIDECAR_LOOKAHEAD, 5);
        fill_material(a, RIG_N, SR, 43);
        fill_material(b, RIG_N, SR, 43);
        /* key = the kick (in SC), audio = the pad (in MAIN) */
        for (int c = 0; c < 2; c++) {
            memcpy(a->in[SIDECAR_IN_SC_L + c], a->in[SIDECAR_IN_MAIN_L + c], RIG_N * sizeof(sidecar_sample));
            memcpy(b->in[SIDECAR_IN_SC_L + c], b->in[SIDECAR_IN_MAIN_L + c], RIG_N * sizeof(sidecar_sample));
            for (int i = 0; i < RIG_N; i++) {
                a->in[SIDECAR_IN_MAIN_L + c][i] = (sidecar_sample)(0.4 * sin(2 * PI * (300 + 40 * c) * i / SR));
                b->in[SIDECAR_IN_MAIN_L + c][i] = (sidecar_sample)(i >= N ? 0.4 * sin(2 * PI * (300 + 40 * c) * (i - N) / SR) : 0);
            }
        }
        for (int off = 0; off < RIG_N; off += 64) {
            run_at(&sa, a, off, 64, MAIN_PAIR | SC_PAIR);
            run_at(&sb, b, off, 64, MAIN_PAIR | SC_PAIR);
        }
        long bad = 0;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++) {
            for (int i = 0; i < RIG_N; i++) want[i] = b->out[k][i];
            bad += count_diff(a->out[k], want, RIG_N, 1e-6, &first);
        }
        check(t, bad == 0 && sb.ch[0].gain_db < -3, "lookahead_comp_gain_leads_audio_by_N",
              "%ld samples differ from the twin fed MAIN[n-N] (first at %d; gain %g)", bad, first,
              sb.ch[0].gain_db);
        sidecar_free(&sa);
        sidecar_free(&sb);
    }

    /* the delay line reads zeros after a change of lookahead, a reset, a new sample rate */
    {
        static const char *const what[] = {"change", "reset", "samplerate"};
        for (int w = 0; w < 3; w++) {
            sidecar s;
            sidecar_init(&s, SR);
            sidecar_set_param(&s, SIDECAR_LOOKAHEAD, 5);
            fill_material(a, RIG_N, SR, 47);
            run_at(&s, a, 0, 1024, MAIN_PAIR);
            long n2;
            if (w == 0) {
                sidecar_set_param(&s, SIDECAR_LOOKAHEAD, 6);
                n2 = frames_of_ms(6, SR);
            } else if (w == 1) {
                sidecar_reset(&s);
                n2 = N;
            } else {
                sidecar_set_samplerate(&s, 96000);
                n2 = frames_of_ms(5, 96000);
            }
            for (int off = 1024; off < RIG_N; off += 64) run_at(&s, a, off, 64, MAIN_PAIR);
            for (int i = 1024; i < RIG_N; i++) want[i] = i - n2 >= 1024 ? a->in[SIDECAR_IN_MAIN_L][i - n2] : 0.0;
            long bad = count_diff(a->out[SIDECAR_OUT_L] + 1024, want + 1024, RIG_N - 1024, 0, &first);
            char name[64];
            snprintf(name, sizeof name, "lookahead_empty_after_%s", what[w]);
            check(t, bad == 0, name, "%ld samples differ (first at %d after the %s)", bad, first, what[w]);
            sidecar_free(&s);
        }
    }

    /* duck, SC pair unpatched: SC = 0 is what is delayed; patching it shows it N samples on */
    {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_LOOKAHEAD, 2);
        long n2 = frames_of_ms(2, SR); /* 96 */
        rig_clear(a);
        fill(a->in[SIDECAR_IN_SC_L], RIG_N, 0.3); /* junk while unpatched, the key once patched */
        fill(a->in[SIDECAR_IN_SC_R], RIG_N, -0.2);
        run_at(&s, a, 0, 256, MAIN_PAIR);
        for (int off = 256; off < 1024; off += 64) run_at(&s, a, off, 64, MAIN_PAIR | SC_PAIR);
        for (int i = 0; i < 1024; i++) want[i] = i >= 256 + n2 ? 0.3 : 0.0;
        long bad = count_diff(a->out[SIDECAR_OUT_L], want, 1024, 1e-7, &first);
        for (int i = 0; i < 1024; i++) want[i] = i >= 256 + n2 ? -0.2 : 0.0;
        bad += count_diff(a->out[SIDECAR_OUT_R], want, 1024, 1e-7, &first);
        check(t, bad == 0, "lookahead_unpatched_sc_delays_zero", "%ld samples differ (first at %d)", bad, first);
        /* and unpatching it: the N samples of SC already in the line still come out (SPEC step
         * 9: out = MAIN[n-N] + B I SC[n-N], SC[n-N] having been patched) */
        fill(a->in[SIDECAR_IN_SC_L] + 1024, 1024, 0.77); /* junk again, must not show */
        fill(a->in[SIDECAR_IN_SC_R] + 1024, 1024, 0.77);
        for (int off = 1024; off < 2048; off += 64) run_at(&s, a, off, 64, MAIN_PAIR);
        int first_r;
        for (int i = 1024; i < 2048; i++) want[i] = i < 1024 + n2 ? -0.2 : 0.0;
        long bad_r = count_diff(a->out[SIDECAR_OUT_R] + 1024, want + 1024, 1024, 1e-7, &first_r);
        for (int i = 1024; i < 2048; i++) want[i] = i < 1024 + n2 ? 0.3 : 0.0;
        bad = count_diff(a->out[SIDECAR_OUT_L] + 1024, want + 1024, 1024, 1e-7, &first);
        check(t, bad == 0 && bad_r == 0, "lookahead_sc_unpatched_keeps_delayed_sc",
              "%ld/%ld samples of L/R differ (first at %d after the SC pair was unpatched: out L %g, want %g)",
              bad, bad_r, first, first >= 0 ? (double)a->out[SIDECAR_OUT_L][1024 + first] : 0.0,
              first >= 0 ? want[1024 + first] : 0.0);
        sidecar_free(&s);
    }
    free(want);
}

/* Mix (step 8): B = (1 - mix_s) + mix_s * G * M; mix 0 = the dry signal times inputLevel. */
static void test_mix(tally *t, rig *r)
{
    sidecar s;
    sidecar_init(&s, SR);
    check(t, s.mix_s == 1, "mix_smoother_starts_at_1", "mix_s %g", s.mix_s);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_MIX, 0);
    sidecar_set_param(&s, SIDECAR_INPUT_LEVEL, 0.7);
    sidecar_set_param(&s, SIDECAR_MAKEUP, 9);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    sidecar_reset(&s);
    check(t, s.mix_s == 0, "mix_reset_snaps", "mix_s %g", s.mix_s);
    fill_material(r, RIG_N, SR, 51);
    run_at(&s, r, 0, RIG_N, MAIN_PAIR);
    double worst = 0;
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < RIG_N; i++)
            worst = fmax(worst, fabs(r->out[c][i] - 0.7 * r->in[SIDECAR_IN_MAIN_L + c][i]));
    check(t, worst < 1e-6 && s.ch[0].gain_db < -6, "mix_0_comp_is_dry_times_inputlevel",
          "largest error %g (gain %g dB)", worst, s.ch[0].gain_db);

    reinit(&s, SR);
    sidecar_set_param(&s, SIDECAR_MIX, 0);
    sidecar_set_param(&s, SIDECAR_INPUT_LEVEL, 1.3);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    sidecar_reset(&s);
    run_at(&s, r, 0, RIG_N, MAIN_PAIR | SC_PAIR);
    worst = 0;
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < RIG_N; i++)
            worst = fmax(worst, fabs(r->out[c][i] - (r->in[SIDECAR_IN_MAIN_L + c][i] +
                                                     1.3 * r->in[SIDECAR_IN_SC_L + c][i])));
    check(t, worst < 1e-6 && s.ch[0].gain_db < -6, "mix_0_duck_is_main_plus_dry_sc",
          "largest error %g (gain %g dB)", worst, s.ch[0].gain_db);

    /* mix 0.5 at a known steady reduction: 0.5 + 0.5 * 10^(-13.5/20) * 10^(6/20) */
    double gs, lin;
    reinit(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_set_param(&s, SIDECAR_MIX, 0.5);
    sidecar_set_param(&s, SIDECAR_MAKEUP, 6);
    settle_level(&s, r, 0, SR, &gs, &lin); /* 1 s: the mix smoother has long arrived */
    check_near(t, "mix_half_branch_gain", lin, 0.5 + 0.5 * pow(10, -13.5 / 20) * pow(10, 6 / 20.0), 1e-4);

    /* smoothed like the other knobs: a = exp(-2 pi 50 / sr) per sample */
    sidecar_set_param(&s, SIDECAR_MIX, 0.25);
    run_at(&s, r, 0, 100, MAIN_PAIR);
    double a = exp(-2 * PI * 50 / SR);
    check_near(t, "mix_smoother_100_samples", s.mix_s, 0.25 + 0.25 * pow(a, 100), 1e-9);
    sidecar_free(&s);
}

/* Settle a comp-mode instance on the stereo input given (period-2 material in the rig's first
 * 66 samples of MAIN L/R) for `seconds`. */
static void settle_pair(sidecar *s, rig *r, double seconds, double sr)
{
    int phase = 0;
    run_frames(s, r, (long)(seconds * sr), MAIN_PAIR, &phase);
}

/* Link (step 4): m_L = k(a + b) + (1 - k) 2a, m_R likewise with 2b. */
static void test_link(tally *t, rig *r)
{
    /* a hard-panned key (MAIN L alternating, MAIN R patched to silence): with |yL| such that
     * 2|yL| reads -10 dB, link 0 gives g*_L = -0.75 * 8 = -6 and g*_R = 0; link 1 reads
     * |yL| = -16.02 dB for both: -0.75 * 1.98; link 0.5 gives L 1.5|yL| = -12.50 dB, R 0.5|yL| =
     * -22.04 dB (no reduction) */
    const struct {
        double link, gl, gr;
    } cases[] = {{0, -6, 0},
                 {1, -0.75 * (18 - 10 - D_DB), -0.75 * (18 - 10 - D_DB)},
                 {0.5, -0.75 * (18 - 10 + 20 * log10(0.75)), 0}};
    /* the key on the left, then on the right (env_out must follow the deeper channel, whichever
     * it is) */
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < 3; k++) {
            const int kc = side, oc = 1 - side; /* keyed and other channel */
            const char *tag = side ? "right" : "left";
            sidecar s;
            sidecar_init(&s, SR);
            sidecar_set_param(&s, SIDECAR_KNEE, 0);
            sidecar_set_param(&s, SIDECAR_LINK, cases[k].link);
            rig_clear(r);
            fill_alt(r->in[SIDECAR_IN_MAIN_L + kc], 66, amp_for_level(-10, 20, SR)); /* both-channel amp */
            fill(r->in[SIDECAR_IN_SC_L + kc], 66, 0.25);
            fill(r->in[SIDECAR_IN_SC_L + oc], 66, -0.25);
            int phase = 0;
            run_frames(&s, r, (long)SR, MAIN_PAIR | SC_PAIR, &phase);
            char name[80];
            snprintf(name, sizeof name, "link_%g_panned_%s_gain_keyed", cases[k].link, tag);
            check_near(t, name, s.ch[kc].gain_db, cases[k].gl, TOL_DB);
            snprintf(name, sizeof name, "link_%g_panned_%s_gain_other", cases[k].link, tag);
            if (cases[k].gr == 0)
                check(t, s.ch[oc].gain_db == 0, name, "gain %g, want exactly 0", s.ch[oc].gain_db);
            else
                check_near(t, name, s.ch[oc].gain_db, cases[k].gr, TOL_DB);
            int last = phase ^ 1; /* index of the last frame written */
            snprintf(name, sizeof name, "link_%g_panned_%s_audio_other", cases[k].link, tag);
            check_near(t, name, r->out[SIDECAR_OUT_L + oc][last], -0.25 * pow(10, cases[k].gr / 20), 1e-5);
            snprintf(name, sizeof name, "link_%g_panned_%s_audio_keyed", cases[k].link, tag);
            check_near(t, name, r->out[SIDECAR_OUT_L + kc][last] - r->in[SIDECAR_IN_MAIN_L + kc][last],
                       0.25 * pow(10, cases[k].gl / 20), 1e-5);
            snprintf(name, sizeof name, "link_%g_panned_%s_env_from_deeper", cases[k].link, tag);
            check_near(t, name, r->out[SIDECAR_OUT_ENV][last], -fmin(cases[k].gl, cases[k].gr) / 24, 1e-3);
            snprintf(name, sizeof name, "link_%g_panned_%s_reduction_db_deeper", cases[k].link, tag);
            check_near(t, name, sidecar_gain_reduction_db(&s), -fmin(s.ch[0].gain_db, s.ch[1].gain_db), 0);
            if (k == 0) {
                /* a trigger acts per channel: g <- min(g, -depth), the deeper side keeps its g */
                double gk = s.ch[kc].gain_db;
                sidecar_set_param(&s, SIDECAR_HOLD, 10);
                sidecar_trigger(&s, 4);
                fill(r->in[SIDECAR_IN_MAIN_L + kc], 66, 0); /* silence: both sides hold */
                run_frames(&s, r, 1, MAIN_PAIR | SC_PAIR, &phase);
                snprintf(name, sizeof name, "link_0_panned_%s_trigger_per_channel", tag);
                check(t, s.ch[kc].gain_db == gk && s.ch[oc].gain_db == -4, name,
                      "keyed side %g (was %g), other side %g (want -4)", s.ch[kc].gain_db, gk, s.ch[oc].gain_db);
            }
            sidecar_free(&s);
        }

    /* a centred mono key reads the same at every link */
    {
        double g[2];
        for (int k = 0; k < 2; k++) {
            sidecar s;
            sidecar_init(&s, SR);
            sidecar_set_mode(&s, SIDECAR_COMP);
            sidecar_set_param(&s, SIDECAR_KNEE, 0);
            sidecar_set_param(&s, SIDECAR_LINK, k ? 1 : 0);
            rig_clear(r);
            fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, amp_for_level(-6, 20, SR));
            fill_alt(r->in[SIDECAR_IN_MAIN_R], 66, amp_for_level(-6, 20, SR));
            settle_pair(&s, r, 1, SR);
            g[k] = s.ch[1].gain_db;
            sidecar_free(&s);
        }
        check(t, fabs(g[0] - g[1]) < 1e-6 && fabs(g[1] - -9) < TOL_DB, "link_0_centred_reads_as_linked",
              "link 0 %.6f dB, link 1 %.6f dB, want -9", g[0], g[1]);
    }

    /* link going to 1: both channels go on from the deeper g and the larger h */
    {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_LINK, 0.3);
        sidecar_set_param(&s, SIDECAR_HOLD, 100);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        rig_clear(r);
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, amp_for_level(0, 20, SR));
        int phase = 0;
        run_frames(&s, r, 480, MAIN_PAIR, &phase); /* 10 ms: L still attacking */
        double gl = s.ch[0].gain_db, gr = s.ch[1].gain_db;
        int hl = s.ch[0].hold, hr = s.ch[1].hold, hmax = hl > hr ? hl : hr;
        sidecar_set_param(&s, SIDECAR_LINK, 1);
        fill(r->in[SIDECAR_IN_MAIN_L], 66, 0); /* silence: the next frame holds */
        run_frames(&s, r, 1, MAIN_PAIR, &phase);
        double g = fmin(gl, gr);
        check(t, gl < gr - 1 && s.ch[0].gain_db == g && s.ch[1].gain_db == g && s.ch[0].hold == hmax - 1 &&
                     s.ch[1].hold == hmax - 1,
              "link_to_1_joins_deeper_g_larger_h", "before: g %g/%g h %d/%d; after: g %g/%g h %d/%d", gl, gr, hl,
              hr, s.ch[0].gain_db, s.ch[1].gain_db, s.ch[0].hold, s.ch[1].hold);
        sidecar_free(&s);
    }
}

/* A sine of amplitude amp at f Hz in MAIN L and R (n frames, a whole number of periods). */
static void fill_sine_pair(rig *r, int n, double f, double amp, double sr)
{
    rig_clear(r);
    for (int i = 0; i < n; i++)
        r->in[SIDECAR_IN_MAIN_L][i] = r->in[SIDECAR_IN_MAIN_R][i] = (sidecar_sample)(amp * sin(2 * PI * f * i / sr));
}

/* Detector high-pass magnitude at f (step 3), a*|1 - e^-jw| / |1 - a e^-jw|. */
static double hpf_gain(double f, double fc, double sr)
{
    double a = exp(-2 * PI * fc / sr), w = 2 * PI * f / sr;
    return a * 2 * sin(w / 2) / sqrt(1 - 2 * a * cos(w) + a * a);
}

/* Butterworth (bilinear) low-pass magnitude: what RBJ's LPF with Q = 1/sqrt(2) is. */
static double lpf_gain(double f, double fc, double sr)
{
    return 1 / sqrt(1 + pow(tan(PI * f / sr) / tan(PI * fc / sr), 4));
}

/* RMS (step 5): x = (D/2) log2(p), p the mean of m^2. A sine reads 3.01 dB under its peak. */
static void test_rms(tally *t, rig *r)
{
    const int n = 8160; /* 170 periods of 1 kHz at 48 kHz */
    double g[2];
    for (int k = 0; k < 2; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
        if (k) {
            sidecar_set_param(&s, SIDECAR_RMS, 50);
        } else { /* peak: follow the peaks (fast attack, slow release) */
            sidecar_set_param(&s, SIDECAR_ATTACK, 0.1);
            sidecar_set_param(&s, SIDECAR_RELEASE, 2000);
        }
        fill_sine_pair(r, n, 1000, 0.5, SR);
        run_repeat(&s, r, n, 12, MAIN_PAIR);
        g[k] = s.ch[0].gain_db;
        sidecar_free(&s);
    }
    double peak = 20 * log10(2 * 0.5 * hpf_gain(1000, 20, SR)); /* m = |yL| + |yR| */
    check_near(t, "rms_off_sine_peak_on_static_curve", g[0], -0.75 * (peak + 40), 0.05);
    check_near(t, "rms_50ms_sine_on_static_curve_3.01dB_down", g[1], -0.75 * (peak - 3.0103 + 40), 0.03);
    check_near(t, "rms_vs_peak_difference", g[1] - g[0], 0.75 * 3.0103, 0.05);

    /* p is zero while rms is 0, and starts from rest: p = (1 - r) m^2 after one sample */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_RMS, 20);
    fill_sine_pair(r, n, 1000, 0.5, SR);
    run_at(&s, r, 0, 4096, MAIN_PAIR);
    int was = s.ch[0].rms_p > 0.01;
    sidecar_set_param(&s, SIDECAR_RMS, 0);
    run_at(&s, r, 4096, 64, MAIN_PAIR);
    check(t, was && s.ch[0].rms_p == 0 && s.ch[1].rms_p == 0, "rms_p_zero_while_off", "p %g %g (was > 0.01: %d)",
          s.ch[0].rms_p, s.ch[1].rms_p, was);
    rig_clear(r);
    double amp = amp_for_level(-6, 20, SR);
    fill_alt(r->in[SIDECAR_IN_MAIN_L], 66, amp);
    fill_alt(r->in[SIDECAR_IN_MAIN_R], 66, amp);
    run_repeat(&s, r, 64, 100, MAIN_PAIR); /* high-pass settled on the alternating signal */
    sidecar_set_param(&s, SIDECAR_RMS, 20);
    run_at(&s, r, 0, 1, MAIN_PAIR);
    double m = 2 * amp * hpf_nyquist_gain(20, SR), rr = exp(-1 / (0.001 * 20 * SR));
    /* 1e-4: the core's detector filters run in single precision (~1e-5 relative on m) */
    check_near(t, "rms_starts_from_rest", s.ch[0].rms_p / ((1 - rr) * m * m), 1, 1e-4);
    sidecar_free(&s);
}

/* sc_lpf (step 3): RBJ Butterworth low-pass after the high-pass, only while < 20000. */
static void test_sc_lpf(tally *t, rig *r)
{
    /* its response, read through the RMS detector: x = 20 log10(2A |Hhp Hlp|) - 3.01 */
    static const double freqs[] = {1000, 2000, 4000};
    const int n = 8160;
    for (int k = 0; k < 3; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_RATIO, 2);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -60);
        sidecar_set_param(&s, SIDECAR_RMS, 100);
        sidecar_set_param(&s, SIDECAR_SC_LPF, 2000);
        fill_sine_pair(r, n, freqs[k], 0.5, SR);
        run_repeat(&s, r, n, 12, MAIN_PAIR);
        double x = -2 * s.ch[0].gain_db - 60;
        double want = 20 * log10(2 * 0.5 * hpf_gain(freqs[k], 20, SR) * lpf_gain(freqs[k], 2000, SR)) - 3.0103;
        char name[64];
        snprintf(name, sizeof name, "sc_lpf_2k_response_%gHz_dB", freqs[k]);
        check_near(t, name, x, want, 0.03);
        sidecar_free(&s);
    }

    /* hi-hat-like bursts (8 kHz, 10 ms every 62.5 ms) duck the pad with the filter off; at
     * 150 Hz they do not; a 60 Hz kick-like tone still does */
    static const struct {
        const char *name;
        double f, lpf;
        int ducks;
    } cases[] = {{"sc_lpf_off_hats_duck", 8000, 20000, 1},
                 {"sc_lpf_150_ignores_hats", 8000, 150, 0},
                 {"sc_lpf_150_passes_kick", 60, 150, 1}};
    for (int k = 0; k < 3; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_SC_LPF, cases[k].lpf);
        rig_clear(r);
        for (int i = 0; i < 3000; i++) {
            double burst = (i % 3000) < 480 ? 0.5 * sin(2 * PI * cases[k].f * i / SR) : 0;
            r->in[SIDECAR_IN_MAIN_L][i] = r->in[SIDECAR_IN_MAIN_R][i] = (sidecar_sample)burst;
            r->in[SIDECAR_IN_SC_L][i] = r->in[SIDECAR_IN_SC_R][i] = (sidecar_sample)0.2;
        }
        double deepest = 0;
        for (int rep = 0; rep < 16; rep++) {
            run_at(&s, r, 0, 3000, MAIN_PAIR | SC_PAIR);
            deepest = fmin(deepest, fmin(s.ch[0].gain_db, s.ch[1].gain_db));
            for (int i = 0; i < 3000; i++) /* the pad: 0.2 G, so G from the audio too */
                deepest = fmin(deepest, 20 * log10(fabs(r->out[SIDECAR_OUT_L][i] - r->in[SIDECAR_IN_MAIN_L][i]) / 0.2));
        }
        int ok = cases[k].ducks ? deepest < -5 : deepest > -0.05;
        check(t, ok, cases[k].name, "deepest reduction %.3f dB", -deepest);
        sidecar_free(&s);
    }

    /* state zero while off; on again, it starts from rest */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_SC_LPF, 300);
    fill_material(r, RIG_N, SR, 61);
    run_at(&s, r, 0, 4096, ALL_PATCHED);
    int was = s.ch[0].lpf_y1 != 0 || s.ch[0].lpf_x1 != 0;
    sidecar_set_param(&s, SIDECAR_SC_LPF, 20000);
    run_at(&s, r, 4096, 64, ALL_PATCHED);
    int zero = 1;
    for (int c = 0; c < 2; c++)
        zero &= s.ch[c].lpf_x1 == 0 && s.ch[c].lpf_x2 == 0 && s.ch[c].lpf_y1 == 0 && s.ch[c].lpf_y2 == 0;
    check(t, was && zero, "sc_lpf_state_zero_while_off", "state x1 %g y1 %g (was non-zero: %d)", s.ch[0].lpf_x1,
          s.ch[0].lpf_y1, was);
    sidecar_free(&s);
}

/* Trigger (step 7): at the start of the next block g <- min(g, -min(depth, range)), h <- H. */
static void test_trigger(tally *t, rig *r)
{
    const double ar = exp(-1 / (0.001 * 100 * SR));
    const sidecar_param_info *in = sidecar_trigger_info();
    check(t, in && in->id && !strcmp(in->id, "trigger") && in->min == 0 && in->max == 120, "trigger_info",
          "id %s range %g..%g", in && in->id ? in->id : "(null)", in ? in->min : NAN, in ? in->max : NAN);

    static const struct {
        const char *name;
        double depth, range, hold, want; /* want: the reduction at once */
        int result;
    } cases[] = {{"trigger_20_no_hold", 20, 120, 0, 20, SIDECAR_SET_OK},
                 {"trigger_20_hold_10ms", 20, 120, 10, 20, SIDECAR_SET_OK},
                 {"trigger_40_range_12", 40, 12, 10, 12, SIDECAR_SET_OK},
                 {"trigger_500_clamped_120", 500, 120, 10, 120, SIDECAR_SET_CLAMPED},
                 {"trigger_120", 120, 120, 1, 120, SIDECAR_SET_OK}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_RANGE, cases[k].range);
        sidecar_set_param(&s, SIDECAR_HOLD, cases[k].hold);
        rig_clear(r);
        run_at(&s, r, 0, 64, MAIN_PAIR); /* silence, no key */
        int res = sidecar_trigger(&s, cases[k].depth);
        run_at(&s, r, 0, 1024, MAIN_PAIR);
        long H = frames_of_ms(cases[k].hold, SR);
        /* frames 0..H-1 hold at -want; frame H is the first release step */
        double worst = 0;
        for (long i = 0; i < H; i++) worst = fmax(worst, fabs(r->out[SIDECAR_OUT_ENV][i] - cases[k].want / 24));
        double rel = fabs(r->out[SIDECAR_OUT_ENV][H] - ar * cases[k].want / 24);
        char name[80];
        snprintf(name, sizeof name, "%s_at_once_then_hold", cases[k].name);
        check(t, res == cases[k].result && worst < 1e-5 * fmax(1, cases[k].want / 24), name,
              "result %d (want %d), largest env error over the %ld held samples %g", res, cases[k].result, H,
              worst);
        snprintf(name, sizeof name, "%s_then_release", cases[k].name);
        check(t, rel < 1e-5 * fmax(1, cases[k].want / 24), name, "env_out[%ld] %.9g, want %.9g", H,
              (double)r->out[SIDECAR_OUT_ENV][H], ar * cases[k].want / 24);
        sidecar_free(&s);
    }

    /* not finite: rejected, nothing pending; below 0: clamped to 0 (no drop) */
    {
        sidecar s;
        sidecar_init(&s, SR);
        rig_clear(r);
        int r1 = sidecar_trigger(&s, NAN), r2 = sidecar_trigger(&s, INFINITY), r3 = sidecar_trigger(&s, -INFINITY);
        run_at(&s, r, 0, 64, MAIN_PAIR);
        int nodrop = s.ch[0].gain_db == 0 && r->out[SIDECAR_OUT_ENV][0] == 0;
        check(t, r1 == SIDECAR_SET_REJECTED && r2 == SIDECAR_SET_REJECTED && r3 == SIDECAR_SET_REJECTED && nodrop,
              "trigger_nonfinite_rejected", "results %d %d %d, gain after %g", r1, r2, r3, s.ch[0].gain_db);
        int r4 = sidecar_trigger(&s, -3);
        run_at(&s, r, 0, 64, MAIN_PAIR);
        check(t, r4 == SIDECAR_SET_CLAMPED && s.ch[0].gain_db == 0, "trigger_negative_clamped_to_0",
              "result %d, gain %g", r4, s.ch[0].gain_db);
        sidecar_free(&s);
    }

    /* two before one block: the deeper counts, in either order */
    for (int order = 0; order < 2; order++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_HOLD, 10);
        rig_clear(r);
        sidecar_trigger(&s, order ? 30 : 10);
        sidecar_trigger(&s, order ? 10 : 30);
        run_at(&s, r, 0, 64, MAIN_PAIR);
        char name[64];
        snprintf(name, sizeof name, "trigger_two_deeper_counts_%s", order ? "first" : "second");
        check_near(t, name, s.ch[0].gain_db, -30, 1e-9);
        sidecar_free(&s);
    }

    /* the detector's own reduction still applies when deeper */
    {
        sidecar s;
        double gs, lin;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_trigger(&s, 6);
        settle_level(&s, r, 0, SR, &gs, &lin);
        check_near(t, "trigger_detector_deeper_wins", gs, -13.5, TOL_DB);
        sidecar_free(&s);
    }

    /* trigger 0: g <- min(g, -0) = g, but h <- H: the release stops for H samples */
    {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_HOLD, 1); /* H = 48 */
        rig_clear(r);
        sidecar_trigger(&s, 20);
        run_at(&s, r, 0, 200, MAIN_PAIR); /* held 48, released 152 */
        double g1 = s.ch[0].gain_db;
        sidecar_trigger(&s, 0);
        run_at(&s, r, 0, 1, MAIN_PAIR);
        check(t, g1 > -20 && g1 < -10 && s.ch[0].gain_db == g1 && s.ch[0].hold == 47, "trigger_0_restarts_hold",
              "g %g -> %g, h %d (want g unchanged, h = H - 1 = 47)", g1, s.ch[0].gain_db, s.ch[0].hold);
        sidecar_free(&s);
    }
}

/* Reset clears trigger, hold, RMS, low-pass, delay line: it equals a fresh instance. */
static void test_reset_options(tally *t, rig *a, rig *b)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    set_options(&sa);
    set_options(&sb);
    sidecar_set_param(&sa, SIDECAR_HOLD, 500);
    sidecar_set_param(&sb, SIDECAR_HOLD, 500);
    sidecar_reset(&sb); /* sb: fresh, smoothers at the knobs */
    fill_material(a, RIG_N, SR, 71);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    sidecar_trigger(&sa, 30);
    sidecar_reset(&sa);
    int cleared = 1;
    for (int c = 0; c < 2; c++)
        cleared &= sa.ch[c].gain_db == 0 && sa.ch[c].hold == 0 && sa.ch[c].rms_p == 0 && sa.ch[c].lpf_x1 == 0 &&
                   sa.ch[c].lpf_x2 == 0 && sa.ch[c].lpf_y1 == 0 && sa.ch[c].lpf_y2 == 0 && sa.ch[c].hpf_x1 == 0 &&
                   sa.ch[c].hpf_y1 == 0;
    check(t, cleared && sa.mix_s == sidecar_get_param(&sa, SIDECAR_MIX), "reset_clears_option_state",
          "g %g h %d p %g lpf %g mix_s %g", sa.ch[0].gain_db, sa.ch[0].hold, sa.ch[0].rms_p, sa.ch[0].lpf_y1,
          sa.mix_s);
    fill_material(a, RIG_N, SR, 73);
    fill_material(b, RIG_N, SR, 73);
    for (int off = 0; off < RIG_N; off += 64) {
        run_at(&sa, a, off, 64, ALL_PATCHED);
        run_at(&sb, b, off, 64, ALL_PATCHED);
    }
    check(t, outputs_equal(a, b, RIG_N) && sb.ch[0].gain_db < -0.5, "reset_options_equals_fresh_instance",
          "output after reset (trigger pending, hold, rms, lpf, delay line) differs from a fresh instance");
    sidecar_free(&sa);
    sidecar_free(&sb);
}

/* With the options on, constant settings: the output does not depend on the block partition,
 * and outputs may alias inputs. */
static void set_options_v03(sidecar *s);

/* Every option on: 0.2's seven, then with 0.3's feedback, ms and slow release, then listen too. */
static void set_options_v03_all(sidecar *s)
{
    set_options(s);
    set_options_v03(s);
}
static void set_options_v03_listen(sidecar *s)
{
    set_options_v03_all(s);
    sidecar_set_param(s, SIDECAR_LISTEN, 1);
}

static void partitions_case(tally *t, rig *a, rig *b, void (*options)(sidecar *), const char *name)
{
    static const int sizes[] = {1, 16, 64, 1024, 0};
    fill_material(a, RIG_N, SR, 81);
    sidecar sa;
    sidecar_init(&sa, SR);
    options(&sa);
    sidecar_reset(&sa);
    sidecar_trigger(&sa, 24);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    int ok = 1;
    for (int k = 0; k < 5; k++) {
        sidecar sb;
        sidecar_init(&sb, SR);
        options(&sb);
        sidecar_reset(&sb);
        sidecar_trigger(&sb, 24);
        fill_material(b, RIG_N, SR, 81);
        lcg g = {(uint32_t)k + 7};
        for (int off = 0; off < RIG_N;) {
            int n = sizes[k] ? sizes[k] : 1 + (int)((lcg_next(&g) + 1) * 150);
            if (n > RIG_N - off) n = RIG_N - off;
            run_at(&sb, b, off, n, ALL_PATCHED);
            off += n;
        }
        if (!outputs_equal(a, b, RIG_N)) {
            printf("  options: block size %d differs\n", sizes[k]);
            ok = 0;
        }
        sidecar_free(&sb);
    }
    check(t, ok && sa.ch[0].gain_db < -0.5, name, "output depends on the block partition");
    sidecar_free(&sa);
}

static void test_options_partitions(tally *t, rig *a, rig *b)
{
    partitions_case(t, a, b, set_options, "partition_options_on");
    partitions_case(t, a, b, set_options_v03_all, "partition_options_v03_on_feedback_ms_slow");
    partitions_case(t, a, b, set_options_v03_listen, "partition_options_v03_on_listen");
    sidecar sa;
    sidecar_init(&sa, SR);
    set_options(&sa);
    sidecar_reset(&sa);
    sidecar_trigger(&sa, 24);
    fill_material(a, RIG_N, SR, 81);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);

    /* aliasing: every output written over an input buffer */
    static const int crossed[] = {3, 2, 1, 0};
    sidecar sc;
    sidecar_init(&sc, SR);
    set_options(&sc);
    sidecar_reset(&sc);
    sidecar_trigger(&sc, 24);
    fill_material(b, RIG_N, SR, 81);
    for (int off = 0; off < RIG_N; off += 64) {
        const sidecar_sample *ip[SIDECAR_NINPUTS];
        sidecar_sample *op[SIDECAR_NOUTPUTS];
        for (int i = 0; i < SIDECAR_NINPUTS; i++) ip[i] = b->in[i] + off;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++) op[k] = b->in[crossed[k]] + off;
        sidecar_process(&sc, ip, op, 64, ALL_PATCHED);
    }
    int same = 1;
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++)
        same &= !memcmp(a->out[k], b->in[crossed[k]], RIG_N * sizeof(sidecar_sample));
    check(t, same, "alias_crossed_options_on", "aliased outputs differ from separate buffers");
    sidecar_free(&sc);
    sidecar_free(&sa);
}

/* Robustness with the options on: NaN/Inf on the detector is 0 for the filters and the RMS
 * average; long silence leaves no subnormal in the new state. */
static void test_options_robust(tally *t, rig *a, rig *b)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    sidecar *both[2] = {&sa, &sb};
    for (int k = 0; k < 2; k++) {
        sidecar_set_mode(both[k], SIDECAR_COMP);
        set_options(both[k]);
        sidecar_reset(both[k]);
    }
    fill_material(a, RIG_N, SR, 91);
    fill_material(b, RIG_N, SR, 91);
    for (int i = 0; i < RIG_N; i += 29) {
        a->in[SIDECAR_IN_SC_L][i] = (sidecar_sample)bad[(i / 29) % 3];
        b->in[SIDECAR_IN_SC_L][i] = 0;
    }
    int finite = 1;
    for (int off = 0; off < RIG_N; off += 64) {
        run_at(&sa, a, off, 64, ALL_PATCHED);
        run_at(&sb, b, off, 64, ALL_PATCHED);
        finite &= state_finite(&sa);
    }
    check(t, finite && outputs_equal(a, b, RIG_N), "nan_sc_detector_options_on", "%s",
          finite ? "differs from a 0 at the same samples" : "state became non-finite");
    sidecar_free(&sa);
    sidecar_free(&sb);

    /* loud, then 5 s of silence: the fastest RMS (1 ms) and a low-pass decay towards 0 */
    sidecar s;
    sidecar_init(&s, SR);
    set_options(&s);
    sidecar_set_param(&s, SIDECAR_RMS, 1);
    sidecar_set_param(&s, SIDECAR_SC_LPF, 1000);
    sidecar_set_param(&s, SIDECAR_SC_HPF, 1000);
    sidecar_set_param(&s, SIDECAR_RELEASE, 1);
    fill_material(a, RIG_N, SR, 93);
    run_at(&s, a, 0, RIG_N, ALL_PATCHED & ~CVS);
    rig_clear(a);
    int sub = -1;
    long when = 0;
    for (long done = 0; done < (long)(5 * SR) && sub < 0; done += 64) {
        run_at(&s, a, 0, 64, ALL_PATCHED & ~CVS);
        if ((sub = state_subnormal_at(&s)) >= 0) when = done;
    }
    check(t, sub < 0, "silence_no_subnormal_state_options_on", "subnormal %s after %ld frames of silence",
          state_name(sub), when);
    sidecar_free(&s);
}

/* ---- v0.3: feedback, mid/side, slow release, listen, the hold's E ------------------------- */

/* A key signal for run_signal: MAIN L's sample at frame n. */
typedef double (*key_fn)(long n, const void *ctx);

/* Process frames [start, start + frames) of a key (MAIN L; MAIN R normalled) in blocks of 64,
 * SC L a constant 0.5 when patched; env[] (if given) gets env_out per frame. */
static void run_signal(sidecar *s, rig *r, long start, long frames, key_fn key, const void *ctx,
                       unsigned patched, double *env)
{
    for (long done = 0; done < frames;) {
        int n = frames - done > 64 ? 64 : (int)(frames - done);
        for (int i = 0; i < n; i++) {
            r->in[SIDECAR_IN_MAIN_L][i] = (sidecar_sample)key(start + done + i, ctx);
            r->in[SIDECAR_IN_SC_L][i] = (sidecar_sample)0.5;
        }
        run_at(s, r, 0, n, patched);
        if (env)
            for (int i = 0; i < n; i++) env[done + i] = r->out[SIDECAR_OUT_ENV][i];
        done += n;
    }
}

/* A burst of the alternating +A, -A signal over frames [0, len), silence after. */
typedef struct {
    double amp;
    long len;
} burst;
static double burst_key(long n, const void *ctx)
{
    const burst *b = ctx;
    return n < b->len ? ((n & 1) ? -b->amp : b->amp) : 0.0;
}

/* Feedback 1 (step 2): above the knee the output level rises by 1/(1 + S) dB per dB of input,
 * S = 1 - 1/ratio; feedback 0 gives v1's 1/ratio. Steady state of a Nyquist tone at two
 * levels well above the threshold; the output level is the key's level plus g. */
static double static_slope(rig *r, double feedback)
{
    static const double levels[2] = {-20.0, 0.0};
    double g[2];
    for (int k = 0; k < 2; k++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_RATIO, 20);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
        sidecar_set_param(&s, SIDECAR_FEEDBACK, feedback);
        burst b = {amp_for_level(levels[k], 20, SR), 1L << 30};
        run_signal(&s, r, 0, 48000, burst_key, &b, P(SIDECAR_IN_MAIN_L), NULL);
        g[k] = s.ch[0].gain_db;
        sidecar_free(&s);
    }
    return 1.0 + (g[1] - g[0]) / (levels[1] - levels[0]);
}

static void test_feedback(tally *t, rig *r)
{
    rig_clear(r);
    const double S = 1.0 - 1.0 / 20.0;
    check_near(t, "feedback_1_static_slope_1_over_1_plus_S", static_slope(r, 1.0), 1.0 / (1.0 + S),
               0.005);
    check_near(t, "feedback_0_static_slope_1_over_ratio", static_slope(r, 0.0), 1.0 / 20.0, 0.005);

    /* f = 0.5 on a Nyquist tone: d = k[n]/2 + G·k[n-1]/2 = k[n]·(1 - G)/2, since
     * k[n-1] = -k[n]: near rest (G ~ 1) the detector hears next to nothing, so the gain stays
     * near 0 dB (only the first frame, whose k[n-1] is 0, hears k/2); a detector that read
     * |k[n-1]|, or k[n], would duck by ~38 dB */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_mode(&s, SIDECAR_COMP);
    sidecar_set_param(&s, SIDECAR_RATIO, 20);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    sidecar_set_param(&s, SIDECAR_FEEDBACK, 0.5);
    burst b = {amp_for_level(0, 20, SR), 1L << 30};
    run_signal(&s, r, 0, 4800, burst_key, &b, P(SIDECAR_IN_MAIN_L), NULL);
    check(t, s.ch[0].gain_db > -0.05, "feedback_half_nyquist_key_cancels",
          "g %g dB (want ~0: the detector hears k[n]·(1 - G)/2)", s.ch[0].gain_db);
    sidecar_free(&s);
}

/* Step 2: "changing f never jumps". feedback 0 then back to 0.9 between two blocks (no sample
 * ran at 0) must change nothing; and switching feedback on after a stretch without it takes
 * the previous key as that frame used it. Compared bit for bit with a twin. */
static void test_feedback_switching(tally *t, rig *a, rig *b)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    sidecar *both[2] = {&sa, &sb};
    for (int j = 0; j < 2; j++) {
        sidecar_set_param(both[j], SIDECAR_FEEDBACK, 0.9);
        sidecar_set_param(both[j], SIDECAR_LISTEN, 1); /* listen shows the detector's input */
        sidecar_set_param(both[j], SIDECAR_SC_HPF, 300);
        sidecar_set_param(both[j], SIDECAR_THRESHOLD, -30);
        sidecar_set_param(both[j], SIDECAR_MS, 1);
    }
    fill_material(a, RIG_N, SR, 12);
    fill_material(b, RIG_N, SR, 12);
    for (int off = 0; off < RIG_N; off += 64) {
        if (off == 2048) { /* off and on in one gap: no sample runs at 0 */
            sidecar_set_param(&sb, SIDECAR_FEEDBACK, 0);
            sidecar_set_param(&sb, SIDECAR_FEEDBACK, 0.9);
        }
        run_at(&sa, a, off, 64, ALL_PATCHED);
        run_at(&sb, b, off, 64, ALL_PATCHED);
    }
    check(t, outputs_equal(a, b, RIG_N), "feedback_off_on_in_one_gap_changes_nothing",
          "outputs differ from a twin that kept feedback 0.9");

    /* off for a stretch, then on: a twin run frame by frame (block 1) must agree bit for bit
     * with blocks of 64, the switch falling between blocks in both */
    sidecar_free(&sa);
    sidecar_free(&sb);
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    for (int j = 0; j < 2; j++) {
        sidecar_set_param(both[j], SIDECAR_FEEDBACK, 0);
        sidecar_set_param(both[j], SIDECAR_LISTEN, 1);
        sidecar_set_param(both[j], SIDECAR_MS, 1);
    }
    fill_material(a, RIG_N, SR, 13);
    fill_material(b, RIG_N, SR, 13);
    for (int off = 0; off < RIG_N; off += 64) {
        if (off == 1024 || off == 4096)
            for (int j = 0; j < 2; j++)
                sidecar_set_param(both[j], SIDECAR_FEEDBACK, off == 1024 ? 0.7 : 0.0);
        if (off == 3072)
            for (int j = 0; j < 2; j++)
                sidecar_set_param(both[j], SIDECAR_FEEDBACK, 0.0);
        if (off == 3136)
            for (int j = 0; j < 2; j++)
                sidecar_set_param(both[j], SIDECAR_FEEDBACK, 0.4);
        run_at(&sa, a, off, 64, ALL_PATCHED);
        for (int i = 0; i < 64; i++)
            run_at(&sb, b, off + i, 1, ALL_PATCHED);
    }
    check(t, outputs_equal(a, b, RIG_N), "feedback_switching_block_1_equals_block_64",
          "frame-by-frame and 64-frame blocks differ around feedback switches");
    sidecar_free(&sa);
    sidecar_free(&sb);
}

/* Mid/side (steps 2 and 9): link 0, a centred key on MAIN, ms 1: the SC's side passes
 * untouched and its mid is ducked by g_M (env_out shows min(g_M, g_S) = g_M). */
static void test_mid_side(tally *t, rig *r)
{
    for (int ms = 1; ms >= 0; ms--) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_LINK, 0);
        sidecar_set_param(&s, SIDECAR_MS, ms);
        sidecar_set_param(&s, SIDECAR_RATIO, 20);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
        rig_clear(r);
        const double amp = amp_for_level(0, 20, SR), mid = 0.5, side = 0.25;
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp);
        fill_alt(r->in[SIDECAR_IN_MAIN_R], 64, amp);
        fill(r->in[SIDECAR_IN_SC_L], 64, mid + side);
        fill(r->in[SIDECAR_IN_SC_R], 64, mid - side);
        run_repeat(&s, r, 64, 750, ALL_PATCHED & ~CVS);
        const int i = 63;
        const double ql = r->out[SIDECAR_OUT_L][i] - r->in[SIDECAR_IN_MAIN_L][i];
        const double qr = r->out[SIDECAR_OUT_R][i] - r->in[SIDECAR_IN_MAIN_R][i];
        const double g_m = -24.0 * r->out[SIDECAR_OUT_ENV][i];
        if (ms) {
            check_near(t, "ms_link0_centred_key_side_untouched", (ql - qr) / 2, side, 1e-6);
            check_near(t, "ms_link0_centred_key_mid_ducked_by_g_M", (ql + qr) / 2,
                       mid * pow(10.0, g_m / 20.0), 1e-5);
            check(t, g_m < -30.0, "ms_link0_centred_key_ducks_deep", "g_M %g dB", g_m);
            /* the side's gain stayed at 0 dB; the mid's is the left/right reading of the key */
            check(t, s.ch[1].gain_db == 0.0 && fabs(s.ch[0].gain_db - -0.95 * 40.0) < 0.01,
                  "ms_link0_gains_mid_and_side", "g_M %g, g_S %g", s.ch[0].gain_db,
                  s.ch[1].gain_db);
        } else {
            check(t, (ql - qr) / 2 < 0.1 * side, "ms_off_link0_side_ducked_too",
                  "side %g (left/right ducks both channels)", (ql - qr) / 2);
        }
        sidecar_free(&s);
    }

    /* link 1 with ms: one gain, applied as left/right would; the level reads |y_M| + |y_S|
     * = max(|y_L|, |y_R|): 6.02 dB below the left/right reading of a centred key */
    double g[2];
    for (int ms = 0; ms < 2; ms++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_param(&s, SIDECAR_MS, ms);
        sidecar_set_param(&s, SIDECAR_RATIO, 20);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
        rig_clear(r);
        fill_alt(r->in[SIDECAR_IN_MAIN_L], 64, amp_for_level(0, 20, SR));
        fill(r->in[SIDECAR_IN_SC_L], 64, 0.5);
        run_repeat(&s, r, 64, 750, P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_SC_L));
        g[ms] = s.ch[0].gain_db;
        sidecar_free(&s);
    }
    check_near(t, "ms_link1_level_6dB_lower", g[1] - g[0], 0.95 * D_DB, 0.01);
}

/* Slow release (step 7): with release 50 ms and slow_release 1000 ms, the gain comes back at
 * `release` after a 40 ms burst, and at about `slow_release` after a 1 s note. The time
 * constant is read from env_out (g = -24·env_out) over a stretch of the release. */
static double release_tau_ms(rig *r, long burst_frames, double slow_ms, double from_ms,
                             double to_ms)
{
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_RATIO, 20);
    sidecar_set_param(&s, SIDECAR_KNEE, 0);
    sidecar_set_param(&s, SIDECAR_THRESHOLD, -40);
    sidecar_set_param(&s, SIDECAR_ATTACK, 1);
    sidecar_set_param(&s, SIDECAR_RELEASE, 50);
    sidecar_set_param(&s, SIDECAR_SLOW_RELEASE, slow_ms);
    burst b = {amp_for_level(0, 20, SR), burst_frames};
    const long after = (long)(0.001 * to_ms * SR) + 1;
    double *env = malloc(sizeof *env * (size_t)after);
    if (!env) abort();
    rig_clear(r);
    run_signal(&s, r, 0, burst_frames, burst_key, &b, P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_SC_L),
               NULL);
    run_signal(&s, r, burst_frames, after, burst_key, &b, P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_SC_L),
               env);
    const double g1 = env[(long)(0.001 * from_ms * SR)], g2 = env[(long)(0.001 * to_ms * SR)];
    free(env);
    sidecar_free(&s);
    return (to_ms - from_ms) / log(g1 / g2);
}

static void test_slow_release(tally *t, rig *r)
{
    check_near(t, "slow_release_burst_releases_at_release", release_tau_ms(r, 1920, 1000, 10, 30),
               50.0, 2.5);
    const double note = release_tau_ms(r, 48000, 1000, 300, 500);
    check(t, note > 900.0 && note < 1100.0, "slow_release_long_note_releases_at_slow_release",
          "time constant %g ms (want about 1000)", note);
    check_near(t, "slow_release_off_long_note_releases_at_release",
               release_tau_ms(r, 48000, 0, 10, 30), 50.0, 2.5);
}

/* Listen (step 9): the audio outlets carry the detector filters' output, undelayed; nothing
 * else changes. Compared with the filters of step 3 worked out here in double. */
typedef struct {
    double f[2], amp[2];
} tones;
static double tone_sample(const tones *k, int c, long n)
{
    return k->amp[c] * sin(2.0 * PI * k->f[c] * (double)n / SR);
}

static void test_listen(tally *t, rig *a, rig *b)
{
    static const struct {
        const char *name;
        double hpf, lpf;
        int ms;
    } cases[] = {{"listen_is_the_highpassed_key", 200, 20000, 0},
                 {"listen_is_the_bandpassed_key", 100, 400, 0},
                 {"listen_ms_decodes_to_left_right", 200, 20000, 1}};
    const tones k = {{130.0, 3100.0}, {0.4, 0.3}};
    for (int m = 0; m < 3; m++) {
        sidecar s, quiet;
        sidecar_init(&s, SR);
        sidecar_init(&quiet, SR);
        sidecar *both[2] = {&s, &quiet};
        for (int j = 0; j < 2; j++) {
            sidecar_set_param(both[j], SIDECAR_SC_HPF, cases[m].hpf);
            sidecar_set_param(both[j], SIDECAR_SC_LPF, cases[m].lpf);
            sidecar_set_param(both[j], SIDECAR_MS, cases[m].ms);
            sidecar_set_param(both[j], SIDECAR_LOOKAHEAD, 2); /* listen is not delayed */
        }
        sidecar_set_param(&s, SIDECAR_LISTEN, 1);
        /* step 3 in double, per channel, on left/right (the filters are linear, so filtering
         * mid and side and decoding gives the same) */
        const double ah = exp(-2.0 * PI * cases[m].hpf / SR);
        const double w = 2.0 * PI * cases[m].lpf / SR, cw = cos(w), al = sin(w) / sqrt(2.0);
        const double b0 = (1 - cw) / 2 / (1 + al), a1 = -2 * cw / (1 + al),
                     a2 = (1 - al) / (1 + al);
        double hx1[2] = {0, 0}, hy1[2] = {0, 0}, lx[2][2] = {{0}}, ly[2][2] = {{0}};
        double worst = 0;
        int env_same = 1;
        for (long base = 0; base < 48000; base += 64) {
            for (int i = 0; i < 64; i++)
                for (int c = 0; c < 2; c++) {
                    a->in[SIDECAR_IN_MAIN_L + c][i] = (sidecar_sample)tone_sample(&k, c, base + i);
                    b->in[SIDECAR_IN_MAIN_L + c][i] = a->in[SIDECAR_IN_MAIN_L + c][i];
                    a->in[SIDECAR_IN_SC_L + c][i] = b->in[SIDECAR_IN_SC_L + c][i] = 0.25;
                }
            const unsigned patched = P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_MAIN_R) | P(SIDECAR_IN_SC_L);
            run_at(&s, a, 0, 64, patched);
            run_at(&quiet, b, 0, 64, patched);
            env_same &= !memcmp(a->out[SIDECAR_OUT_ENV], b->out[SIDECAR_OUT_ENV], 64 * sizeof(sidecar_sample)) &&
                        !memcmp(a->out[SIDECAR_OUT_ENV_INV], b->out[SIDECAR_OUT_ENV_INV], 64 * sizeof(sidecar_sample));
            for (int i = 0; i < 64; i++)
                for (int c = 0; c < 2; c++) {
                    const double x = a->in[SIDECAR_IN_MAIN_L + c][i];
                    double y = ah * (hy1[c] + x - hx1[c]);
                    hx1[c] = x, hy1[c] = y;
                    if (cases[m].lpf < 20000) {
                        const double o = b0 * (y + 2 * lx[c][0] + lx[c][1]) - a1 * ly[c][0] - a2 * ly[c][1];
                        lx[c][1] = lx[c][0], lx[c][0] = y, ly[c][1] = ly[c][0], ly[c][0] = o;
                        y = o;
                    }
                    const double e = fabs(a->out[SIDECAR_OUT_L + c][i] - y);
                    worst = e > worst ? e : worst;
                }
        }
        check(t, worst < 2e-6, cases[m].name, "worst |listen - filtered key| %g", worst);
        char name[80];
        snprintf(name, sizeof name, "%s_envelopes_unchanged", cases[m].name);
        check(t, env_same, name, "the envelope outlets differ from listen off");
        sidecar_free(&s);
        sidecar_free(&quiet);
    }
}

/* The hold's E (step 7): a peak detector on a steady tone re-arms the hold at every peak; the
 * release starts H + 1 samples after the tone's last peak, at whatever phase the tone stops.
 * A 1 kHz sine at 48 kHz: 48 samples a period, so every peak is sampled alike (their levels
 * differ only by rounding, which E absorbs). */
typedef struct {
    long stop;
} stopped_tone;
static double stopped_tone_key(long n, const void *ctx)
{
    const stopped_tone *k = ctx;
    static const double amp = 0.5;
    return n < k->stop ? amp * sin(2.0 * PI * (double)(n % 48) / 48.0) : 0.0;
}

static void test_hold_epsilon(tally *t, rig *r)
{
    const int H = 2400; /* hold 50 ms at 48 kHz */
    long offsets[16];
    int same = 1, near_h = 1;
    for (int p = 0; p < 16; p++) {
        sidecar s;
        sidecar_init(&s, SR);
        sidecar_set_mode(&s, SIDECAR_COMP);
        sidecar_set_param(&s, SIDECAR_RATIO, 4);
        sidecar_set_param(&s, SIDECAR_KNEE, 0);
        sidecar_set_param(&s, SIDECAR_THRESHOLD, -30);
        sidecar_set_param(&s, SIDECAR_ATTACK, 1);
        sidecar_set_param(&s, SIDECAR_HOLD, 50);
        stopped_tone k = {24000 + 3 * p};
        rig_clear(r);
        run_signal(&s, r, 0, k.stop, stopped_tone_key, &k, P(SIDECAR_IN_MAIN_L), NULL);
        const long after = H + 200;
        double env[2600];
        run_signal(&s, r, k.stop, after, stopped_tone_key, &k, P(SIDECAR_IN_MAIN_L), env);
        long start = -1;
        for (long i = 1; i < after && start < 0; i++)
            if (env[i] < env[i - 1]) start = k.stop + i; /* the reduction shrinks: release */
        /* the tone's last peak: the last frame before the stop at n % 48 == 12 or 36 */
        long last_peak = k.stop - 1;
        while (last_peak % 48 != 12 && last_peak % 48 != 36) last_peak--;
        offsets[p] = start - last_peak;
        same &= offsets[p] == offsets[0];
        near_h &= offsets[p] >= H && offsets[p] <= H + 2;
        sidecar_free(&s);
    }
    check(t, same && near_h, "hold_epsilon_release_H_after_last_peak_any_phase",
          "release started %ld, %ld, %ld, ... %ld samples after the last peak (want all equal, "
          "H + 1 = %d)", offsets[0], offsets[1], offsets[2], offsets[15], H + 1);
}

/* reset clears the new state (slow envelope, the feedback's previous key and gain) and link
 * -> 1 joins the slow envelope. */
static void set_options_v03(sidecar *s)
{
    sidecar_set_param(s, SIDECAR_FEEDBACK, 0.6);
    sidecar_set_param(s, SIDECAR_MS, 1);
    sidecar_set_param(s, SIDECAR_SLOW_RELEASE, 700);
}

static void test_reset_v03(tally *t, rig *a, rig *b)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    set_options(&sa);
    set_options(&sb);
    set_options_v03(&sa);
    set_options_v03(&sb);
    fill_material(a, RIG_N, SR, 5);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    int dirty = sa.ch[0].slow_db < -0.1 && sa.ch[0].applied_db < -0.1 && sa.ch[0].key_prev != 0.0f;
    sidecar_reset(&sa);
    sidecar_reset(&sb);
    int clean = 1;
    for (int c = 0; c < 2; c++)
        clean &= sa.ch[c].slow_db == 0.0 && sa.ch[c].applied_db == 0.0 && sa.ch[c].key_prev == 0.0f;
    fill_material(a, RIG_N, SR, 9);
    fill_material(b, RIG_N, SR, 9);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    run_at(&sb, b, 0, RIG_N, ALL_PATCHED);
    check(t, dirty && clean && outputs_equal(a, b, RIG_N), "reset_clears_v03_state",
          "dirty %d, cleared %d, then output as a fresh instance's: %d", dirty, clean,
          outputs_equal(a, b, RIG_N));

    /* link -> 1: both channels go on from the deeper s */
    sidecar s;
    sidecar_init(&s, SR);
    sidecar_set_param(&s, SIDECAR_LINK, 0);
    sidecar_set_param(&s, SIDECAR_SLOW_RELEASE, 500);
    rig_clear(a);
    fill_alt(a->in[SIDECAR_IN_MAIN_L], 64, amp_for_level(0, 20, SR));
    fill_alt(a->in[SIDECAR_IN_MAIN_R], 64, amp_for_level(-12, 20, SR));
    run_repeat(&s, a, 64, 200, P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_MAIN_R));
    const double deeper = fmin(s.ch[0].slow_db, s.ch[1].slow_db);
    const int apart = s.ch[0].slow_db != s.ch[1].slow_db;
    sidecar_set_param(&s, SIDECAR_LINK, 1);
    check(t, apart && s.ch[0].slow_db == deeper && s.ch[1].slow_db == deeper,
          "link_to_1_joins_slow_envelope", "s %g / %g, want both %g", s.ch[0].slow_db,
          s.ch[1].slow_db, deeper);
    /* slow_release 0: s is 0 while off */
    sidecar_set_param(&s, SIDECAR_SLOW_RELEASE, 0);
    check(t, s.ch[0].slow_db == 0.0 && s.ch[1].slow_db == 0.0, "slow_release_off_clears_s",
          "s %g / %g", s.ch[0].slow_db, s.ch[1].slow_db);
    sidecar_free(&s);
    sidecar_free(&sa);
    sidecar_free(&sb);
}

/* At their defaults the v0.3 parameters change nothing: setting them to their defaults by
 * hand, after having been elsewhere and back, gives the same bits as never touching them. */
static void test_v03_defaults(tally *t, rig *a, rig *b)
{
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    set_options_v03(&sb);
    sidecar_set_param(&sb, SIDECAR_LISTEN, 1);
    for (int p = SIDECAR_FEEDBACK; p < SIDECAR_NPARAMS; p++)
        sidecar_set_param(&sb, p, sidecar_param_get_info(p)->def);
    fill_material(a, RIG_N, SR, 3);
    fill_material(b, RIG_N, SR, 3);
    run_at(&sa, a, 0, RIG_N, ALL_PATCHED);
    run_at(&sb, b, 0, RIG_N, ALL_PATCHED);
    check(t, outputs_equal(a, b, RIG_N), "v03_defaults_are_v02", "outputs differ");
    sidecar_free(&sa);
    sidecar_free(&sb);
}

/* sidecar_bind + sidecar_run (the vectors bound once, as Pd's dsp method does; the host copies
 * each block in and out of them) give sidecar_process's bits. Settings the routing depends on
 * (mode, lookahead, link, ms), changed between runs, take effect without a new bind. Before any
 * bind, and after a bind of n = 0, run does nothing. */
static void test_bind_run(tally *t, rig *a, rig *b)
{
    enum { BLOCK = 64 };
    sidecar sa, sb;
    sidecar_init(&sa, SR);
    sidecar_init(&sb, SR);
    fill_material(a, RIG_N, SR, 11);
    fill_material(b, RIG_N, SR, 11);
    fill(a->in[SIDECAR_IN_ENV_MAG_CV], RIG_N, -0.1); /* unpatched: Pd fills the inlet's float */
    fill(b->in[SIDECAR_IN_ENV_MAG_CV], RIG_N, -0.1);
    const unsigned patched = ALL_PATCHED & ~P(SIDECAR_IN_ENV_MAG_CV);
    sidecar_sample io_in[SIDECAR_NINPUTS][BLOCK], io_out[SIDECAR_NOUTPUTS][BLOCK];
    const sidecar_sample *ip[SIDECAR_NINPUTS];
    sidecar_sample *op[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) ip[i] = io_in[i];
    for (int o = 0; o < SIDECAR_NOUTPUTS; o++) op[o] = io_out[o];
    for (int i = 0; i < SIDECAR_NINPUTS; i++) fill(io_in[i], BLOCK, 0.5);

    int idle = 1;
    for (int step = 0; step < 2; step++) {
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++) fill(io_out[o], BLOCK, 7.0);
        if (step == 1) sidecar_bind(&sb, ip, op, 0, patched);
        sidecar_run(&sb);
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            for (int i = 0; i < BLOCK; i++) idle &= io_out[o][i] == 7.0;
    }
    check(t, idle, "run_without_vectors_does_nothing", "an output was written");

    sidecar_bind(&sb, ip, op, BLOCK, patched);
    for (int off = 0; off < RIG_N; off += BLOCK) {
        sidecar *both[2] = {&sa, &sb};
        for (int j = 0; j < 2; j++) {
            if (off == RIG_N / 4) sidecar_set_mode(both[j], SIDECAR_COMP);
            if (off == RIG_N / 2) sidecar_set_param(both[j], SIDECAR_LOOKAHEAD, 3);
            if (off == 3 * RIG_N / 4) {
                sidecar_set_mode(both[j], SIDECAR_DUCK);
                sidecar_set_param(both[j], SIDECAR_LINK, 0.5);
                sidecar_set_param(both[j], SIDECAR_MS, 1);
            }
        }
        run_at(&sa, a, off, BLOCK, patched);
        for (int i = 0; i < SIDECAR_NINPUTS; i++)
            memcpy(io_in[i], b->in[i] + off, sizeof io_in[i]);
        sidecar_run(&sb);
        for (int o = 0; o < SIDECAR_NOUTPUTS; o++)
            memcpy(b->out[o] + off, io_out[o], sizeof io_out[o]);
    }
    check(t, outputs_equal(a, b, RIG_N) && sa.ch[0].gain_db < -0.5, "bind_run_is_process",
          "outputs differ from sidecar_process's (or no gain reduction: g %g dB)",
          sa.ch[0].gain_db);
    sidecar_free(&sa);
    sidecar_free(&sb);
}

int main(void)
{
    tally t = {0, 0};
    rig *a = rig_new(), *b = rig_new();
    printf("# sidecar core unit tests, %s samples\n", SAMPLE_NAME);
    test_gain_computer(&t);
    test_params(&t);
    test_samplerate(&t, a);
    test_smoothing(&t, a);
    test_gain_through_process(&t, a);
    test_next_block(&t, a);
    time_constants(&t, a, 44100, 10, 100, "44k1");
    time_constants(&t, a, 48000, 10, 100, "48k");
    time_constants(&t, a, 96000, 50, 500, "96k");
    time_constants(&t, a, 192000, 1, 20, "192k");
    test_hpf(&t, a);
    test_envelopes(&t, a);
    test_at_rest(&t, a);
    test_normalling(&t, a, b);
    test_aliasing(&t, a, b);
    test_partitions(&t, a, b);
    test_nonfinite_as_zero(&t, a, b);
    test_garbage(&t, a);
    test_denormals(&t, a);
    test_reset(&t, a, b);
    test_instances(&t, a, b);
    test_v02_defaults(&t, a, b);
    test_hold(&t, a);
    test_range(&t, a);
    test_range_floor_hold(&t, a);
    test_latency(&t, a);
    test_lookahead(&t, a, b);
    test_mix(&t, a);
    test_link(&t, a);
    test_rms(&t, a);
    test_sc_lpf(&t, a);
    test_trigger(&t, a);
    test_reset_options(&t, a, b);
    test_options_partitions(&t, a, b);
    test_options_robust(&t, a, b);
    test_feedback(&t, a);
    test_feedback_switching(&t, a, b);
    test_mid_side(&t, a);
    test_slow_release(&t, a);
    test_listen(&t, a, b);
    test_hold_epsilon(&t, a);
    test_reset_v03(&t, a, b);
    test_v03_defaults(&t, a, b);
    test_bind_run(&t, a, b);
    rig_free(a);
    rig_free(b);
    printf("# %d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
