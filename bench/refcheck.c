/*
 * refcheck: guards the optimisations of the DSP core made for `make bench`.
 *
 *   refcheck          compare dsp/sidecar.c with a plain double-precision evaluation of
 *                     SPEC.md's pipeline (steps 1-10, the seven v0.2 options and `trigger`
 *                     included) on kick/pad material, in several settings: the v1 ones, each
 *                     option alone, all seven at once, trigger-driven pumping; and check that
 *                     the output is deterministic, independent of the block size and the same
 *                     when run in place. Prints the worst errors; exits 1 when a tolerance is
 *                     exceeded.
 *   refcheck speed    time the core alone (duck and comp at defaults and with all seven
 *                     options on, 64-frame blocks) in ns per frame: a quick loop for trying
 *                     changes, without Pd.
 *   refcheck count [comp] [all] [block N] [set NAME VALUE]...  1 s of duck (or comp) at
 *                     defaults (or all seven options on, and/or any parameters set), 5 times, in
 *                     blocks of N frames (default 64), for
 *                     valgrind --tool=callgrind --toggle-collect=sidecar_process
 *
 * Not one of the project's tests (tests/ has the official reference comparison); this is the
 * benchmark's own safety net, run by hand after each change to the hot loop.
 */
#define _POSIX_C_SOURCE 199309L
#include "sidecar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TWO_PI 6.283185307179586
#define DB_PER_OCT 6.020599913279624 /* 20 log10(2) */

/* ---- material: a 2 Hz kick (falling sine, squared decay) and a detuned saw pad, as in
 * bench/gen-patch.sh, plus slow CV sweeps */
typedef struct {
    int n;
    float *kick, *pad_l, *pad_r, *mix_l, *mix_r, *cv_sweep, *zero;
} material;

static float *vec(int n) {
    float *v = calloc((size_t)n, sizeof *v);
    if (!v) { perror("calloc"); exit(2); }
    return v;
}

static void make_material(material *m, int n, double sr, double silence_after_s) {
    double ph = 0, osc = 0, p[4] = {0, 0, 0, 0};
    const double pf[4] = {110, 164.81, 110.6, 165.3};
    m->n = n;
    m->kick = vec(n); m->pad_l = vec(n); m->pad_r = vec(n);
    m->mix_l = vec(n); m->mix_r = vec(n); m->cv_sweep = vec(n); m->zero = vec(n);
    for (int i = 0; i < n; i++) {
        double gate = (silence_after_s > 0 && i >= silence_after_s * sr) ? 0 : 1;
        double d = fmin(fmax(1 - 6 * ph, 0), 1), d2 = d * d;
        m->kick[i] = (float)(gate * 0.9 * d2 * cos(TWO_PI * osc));
        m->pad_l[i] = (float)(gate * 0.2 * (p[0] + p[1] - 1));
        m->pad_r[i] = (float)(gate * 0.2 * (p[2] + p[3] - 1));
        m->mix_l[i] = m->kick[i] + m->pad_l[i];
        m->mix_r[i] = m->kick[i] + m->pad_r[i];
        m->cv_sweep[i] = (float)sin(TWO_PI * 0.37 * i / sr); /* full range, slowly */
        osc += (45 + 110 * d2) / sr; osc -= floor(osc);
        ph += 2 / sr; ph -= floor(ph);
        for (int k = 0; k < 4; k++) { p[k] += pf[k] / sr; p[k] -= floor(p[k]); }
    }
}

/* ---- a case: settings plus which vectors feed which inputs */
typedef struct {
    const char *name;
    double sr;
    sidecar_mode mode;
    double knob[SIDECAR_NPARAMS]; /* NAN = default */
    const float *in[SIDECAR_NINPUTS];
    unsigned patched;
    int trigger_every;    /* > 0: `trigger trigger_depth` before every frame k * trigger_every
                           * (k >= 1; a multiple of 7168 = 7 * 1024 is a block start at every
                           * block size checked) */
    double trigger_depth;
} check_case;

/* make bench's value for each v0.2 option (bench/gen-patch.sh uses the same as flags): each
 * alone in the option cases, all seven at once in the "all seven" cases and speed runs */
static const struct {
    int p;
    double v;
} bench_options[] = {
    {SIDECAR_RANGE, 12}, {SIDECAR_HOLD, 50},   {SIDECAR_LOOKAHEAD, 5}, {SIDECAR_MIX, 0.5},
    {SIDECAR_RMS, 10},   {SIDECAR_LINK, 0.5}, {SIDECAR_SC_LPF, 150},
};
#define NOPTIONS ((int)(sizeof bench_options / sizeof bench_options[0]))

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* SPEC.md's pipeline, in double, straight from the text (steps 1-10, v0.2 options included) */
static void reference(const check_case *c, const double *knob, int n, double *const *out) {
    const double sr = c->sr;
    const double a_p = exp(-TWO_PI * 50 / sr);
    const double a_att = exp(-1 / (0.001 * knob[SIDECAR_ATTACK] * sr));
    const double a_rel = exp(-1 / (0.001 * knob[SIDECAR_RELEASE] * sr));
    const double a_h = exp(-TWO_PI * clampd(knob[SIDECAR_SC_HPF], 0.1, 0.49 * sr) / sr);
    const double S = 1 - 1 / knob[SIDECAR_RATIO], W = knob[SIDECAR_KNEE];
    const double mk_target = pow(10, knob[SIDECAR_MAKEUP] / 20);
    const double range = knob[SIDECAR_RANGE], k_link = knob[SIDECAR_LINK];
    const int H = (int)floor(0.001 * knob[SIDECAR_HOLD] * sr + 0.5);
    const int N = (int)floor(0.001 * knob[SIDECAR_LOOKAHEAD] * sr + 0.5);
    const double rms = knob[SIDECAR_RMS], r_rms = rms > 0 ? exp(-1 / (0.001 * rms * sr)) : 0;
    /* step 3's low-pass: RBJ cookbook, Q = 1/sqrt(2) */
    const int lpf_on = knob[SIDECAR_SC_LPF] < 20000;
    const double w = TWO_PI * clampd(knob[SIDECAR_SC_LPF], 0.1, 0.49 * sr) / sr;
    const double alpha = sin(w) / (2 / sqrt(2)), cw = cos(w);
    const double b0 = (1 - cw) / 2, b1 = 1 - cw, b2 = (1 - cw) / 2;
    const double a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    double thr_s = knob[SIDECAR_THRESHOLD], em_s = knob[SIDECAR_ENV_MAG];
    double il_s = knob[SIDECAR_INPUT_LEVEL], mk_s = mk_target, mix_s = knob[SIDECAR_MIX];
    double x1[2] = {0, 0}, y1[2] = {0, 0}, g[2] = {0, 0}, p[2] = {0, 0};
    double lx1[2] = {0, 0}, lx2[2] = {0, 0}, ly1[2] = {0, 0}, ly2[2] = {0, 0};
    int h[2] = {0, 0};
    const int sc = (c->patched & (SIDECAR_PATCHED(SIDECAR_IN_SC_L) | SIDECAR_PATCHED(SIDECAR_IN_SC_R))) != 0;
    /* the audio as heard, normalled: MAIN L, MAIN R, SC L, SC R (step 9 delays it by N) */
    double *aud[4];
    for (int k = 0; k < 4; k++) {
        aud[k] = calloc((size_t)n, sizeof(double));
        if (!aud[k]) { perror("calloc"); exit(2); }
    }
    for (int i = 0; i < n; i++) {
        double in[SIDECAR_NINPUTS];
        for (int k = 0; k < SIDECAR_NINPUTS; k++) {
            const float *v = c->in[k];
            int patched = (c->patched & SIDECAR_PATCHED(k)) != 0;
            in[k] = v ? (patched || k < SIDECAR_IN_THRESHOLD_CV ? v[i] : v[0]) : 0;
            if (!patched && k < SIDECAR_IN_THRESHOLD_CV) in[k] = 0;
        }
        /* normalling */
        if (!(c->patched & SIDECAR_PATCHED(SIDECAR_IN_MAIN_R))) in[SIDECAR_IN_MAIN_R] = in[SIDECAR_IN_MAIN_L];
        if (!(c->patched & SIDECAR_PATCHED(SIDECAR_IN_SC_R))) in[SIDECAR_IN_SC_R] = in[SIDECAR_IN_SC_L];
        for (int k = 0; k < 4; k++) aud[k][i] = in[k];
        /* 1 */
        thr_s = a_p * thr_s + (1 - a_p) * clampd(knob[SIDECAR_THRESHOLD] + 30 * in[SIDECAR_IN_THRESHOLD_CV], -60, 0);
        em_s = a_p * em_s + (1 - a_p) * clampd(knob[SIDECAR_ENV_MAG] + in[SIDECAR_IN_ENV_MAG_CV], 0, 2);
        il_s = a_p * il_s + (1 - a_p) * clampd(knob[SIDECAR_INPUT_LEVEL] + in[SIDECAR_IN_INPUT_LEVEL_CV], 0, 2);
        mk_s = a_p * mk_s + (1 - a_p) * mk_target;
        mix_s = a_p * mix_s + (1 - a_p) * knob[SIDECAR_MIX];
        /* 2, 3 */
        double det[2];
        if (c->mode == SIDECAR_COMP && sc) {
            det[0] = in[SIDECAR_IN_SC_L]; det[1] = in[SIDECAR_IN_SC_R];
        } else {
            det[0] = in[SIDECAR_IN_MAIN_L]; det[1] = in[SIDECAR_IN_MAIN_R];
        }
        double a[2];
        for (int ch = 0; ch < 2; ch++) {
            double y = a_h * (y1[ch] + det[ch] - x1[ch]);
            x1[ch] = det[ch]; y1[ch] = y;
            if (lpf_on) {
                double l = (b0 * y + b1 * lx1[ch] + b2 * lx2[ch] - a1 * ly1[ch] - a2 * ly2[ch]) / a0;
                lx2[ch] = lx1[ch]; lx1[ch] = y; ly2[ch] = ly1[ch]; ly1[ch] = l;
                y = l;
            }
            a[ch] = fabs(y);
        }
        /* 7's trigger, before the frame it is due at */
        if (c->trigger_every > 0 && i > 0 && i % c->trigger_every == 0)
            for (int ch = 0; ch < 2; ch++) {
                g[ch] = fmin(g[ch], -fmin(c->trigger_depth, range));
                h[ch] = H;
            }
        for (int ch = 0; ch < 2; ch++) {
            /* 4 */
            double m = k_link * (a[0] + a[1]) + (1 - k_link) * 2 * a[ch];
            /* 5 */
            double x = -INFINITY;
            if (rms > 0) {
                p[ch] = r_rms * p[ch] + (1 - r_rms) * m * m;
                if (p[ch] > 0) x = DB_PER_OCT / 2 * log2(p[ch]);
            } else if (m > 0) {
                x = DB_PER_OCT * log2(m);
            }
            /* 6 */
            double gs = 0, T = thr_s;
            if (x > -INFINITY) {
                if (W == 0 || x <= T - W / 2) gs = x <= T ? 0 : -S * (x - T);
                else if (x >= T + W / 2) gs = -S * (x - T);
                else gs = -S * (x - T + W / 2) * (x - T + W / 2) / (2 * W);
            }
            if (range < 120) gs = fmax(gs, -range);
            /* 7 */
            if (gs < g[ch]) {
                g[ch] = a_att * g[ch] + (1 - a_att) * gs;
                h[ch] = H;
            } else if (h[ch] > 0) {
                h[ch]--;
            } else {
                g[ch] = a_rel * g[ch] + (1 - a_rel) * gs;
            }
        }
        /* 8, 9, 10 */
        for (int ch = 0; ch < 2; ch++) {
            double G = pow(2, g[ch] / DB_PER_OCT);
            double B = (1 - mix_s) + mix_s * G * mk_s;
            double mn = i >= N ? aud[ch][i - N] : 0, sn = i >= N ? aud[2 + ch][i - N] : 0;
            if (c->mode == SIDECAR_DUCK)
                out[ch][i] = mn + B * il_s * (sc ? sn : 0);
            else
                out[ch][i] = B * il_s * mn;
        }
        out[2][i] = -fmin(g[0], g[1]) / 24 * em_s;
        out[3][i] = 1 - out[2][i];
    }
    for (int k = 0; k < 4; k++) free(aud[k]);
}

/* run the core over the whole case in blocks of `block` frames (the last one shorter) */
static void run_core(const check_case *c, int n, int block, float *const *out) {
    sidecar s;
    sidecar_init(&s, c->sr);
    sidecar_set_mode(&s, c->mode);
    for (int p = 0; p < SIDECAR_NPARAMS; p++)
        if (!isnan(c->knob[p])) sidecar_set_param(&s, p, c->knob[p]);
    sidecar_reset(&s); /* smoothers start at the knobs, as at creation */
    for (int i = 0; i < n; i += block) {
        int len = n - i < block ? n - i : block;
        const sidecar_sample *in[SIDECAR_NINPUTS];
        sidecar_sample *o[SIDECAR_NOUTPUTS];
        for (int k = 0; k < SIDECAR_NINPUTS; k++) in[k] = c->in[k] + i;
        for (int k = 0; k < SIDECAR_NOUTPUTS; k++) o[k] = out[k] + i;
        if (c->trigger_every > 0 && i > 0 && i % c->trigger_every == 0)
            sidecar_trigger(&s, c->trigger_depth);
        sidecar_process(&s, in, o, len, c->patched);
    }
    sidecar_free(&s);
}

static int check_one(const check_case *c, int n) {
    double knob[SIDECAR_NPARAMS];
    for (int p = 0; p < SIDECAR_NPARAMS; p++)
        knob[p] = isnan(c->knob[p]) ? sidecar_param_get_info(p)->def : c->knob[p];
    double *ref[4];
    float *got[4], *alt[4];
    for (int k = 0; k < 4; k++) {
        ref[k] = malloc((size_t)n * sizeof(double));
        got[k] = vec(n); alt[k] = vec(n);
        if (!ref[k]) { perror("malloc"); exit(2); }
    }
    reference(c, knob, n, ref);
    run_core(c, n, 64, got);
    double err_audio = 0, err_env = 0;
    int at_audio = 0, at_env = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++)
            if (fabs(got[k][i] - ref[k][i]) > err_audio) { err_audio = fabs(got[k][i] - ref[k][i]); at_audio = i; }
        for (int k = 2; k < 4; k++)
            if (fabs(got[k][i] - ref[k][i]) > err_env) { err_env = fabs(got[k][i] - ref[k][i]); at_env = i; }
    }
    /* bit-identical at other block sizes and on a second run */
    const int blocks[] = {64, 1, 7, 1024};
    int same = 1;
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
        run_core(c, n, blocks[b], alt);
        for (int k = 0; k < 4; k++) same &= memcmp(alt[k], got[k], (size_t)n * sizeof(float)) == 0;
    }
    /* in place, as Pd often runs an object: each output buffer is one of the input buffers */
    int in_place_same = 1;
    {
        check_case ip = *c;
        float *buf[4];
        for (int k = 0; k < 4; k++) {
            buf[k] = vec(n);
            if (c->in[k]) memcpy(buf[k], c->in[k], (size_t)n * sizeof(float));
            ip.in[k] = buf[k];
        }
        float *outs[4] = {buf[3], buf[2], buf[0], buf[1]}; /* crossed, to catch order mistakes */
        run_core(&ip, n, 64, outs);
        for (int k = 0; k < 4; k++) in_place_same &= memcmp(outs[k], got[k], (size_t)n * sizeof(float)) == 0;
        for (int k = 0; k < 4; k++) free(buf[k]);
    }
    int ok = err_audio <= 1e-3 && err_env <= 2e-3 && same && in_place_same;
    printf("%s %-28s audio %.2e (at %.3f s)  env %.2e (at %.3f s)  blocks %s  in place %s\n", ok ? "ok  " : "FAIL",
           c->name, err_audio, at_audio / c->sr, err_env, at_env / c->sr, same ? "identical" : "DIFFER",
           in_place_same ? "identical" : "DIFFER");
    for (int k = 0; k < 4; k++) { free(ref[k]); free(got[k]); free(alt[k]); }
    return ok;
}

static void set_knobs_default(check_case *c) {
    for (int p = 0; p < SIDECAR_NPARAMS; p++) c->knob[p] = NAN;
}

#define P(i) SIDECAR_PATCHED(i)
enum { MAIN2 = P(SIDECAR_IN_MAIN_L) | P(SIDECAR_IN_MAIN_R), SC2 = P(SIDECAR_IN_SC_L) | P(SIDECAR_IN_SC_R) };

static int check(void) {
    int failures = 0;
    const double rates[] = {48000, 44100, 96000};
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        double sr = rates[r];
        int n = (int)(6 * sr);
        material m;
        make_material(&m, n, sr, 4.5); /* 4.5 s of material, then silence */
        const float *duck_in[SIDECAR_NINPUTS] = {m.kick, m.kick, m.pad_l, m.pad_r, m.zero, m.zero, m.zero};
        const float *comp_in[SIDECAR_NINPUTS] = {m.mix_l, m.mix_r, m.zero, m.zero, m.zero, m.zero, m.zero};
        const float *compsc_in[SIDECAR_NINPUTS] = {m.pad_l, m.pad_r, m.kick, m.zero, m.zero, m.zero, m.zero};
        const float *cv_in[SIDECAR_NINPUTS] = {m.kick, m.kick, m.pad_l, m.pad_r, m.cv_sweep, m.cv_sweep, m.cv_sweep};
        /* a stereo detector for link: MAIN L the kick, MAIN R the kick plus the right pad */
        const float *duck2_in[SIDECAR_NINPUTS] = {m.kick, m.mix_r, m.pad_l, m.pad_r, m.zero, m.zero, m.zero};
        /* trigger-driven pumping: MAIN silent, the pad on SC, only `trigger` ducks it */
        const float *trig_in[SIDECAR_NINPUTS] = {m.zero, m.zero, m.pad_l, m.pad_r, m.zero, m.zero, m.zero};
        check_case cs[24];
        int nc = 0;
        char names[24][64];
#define CASE(nm, md, inputs, pat)                                                           \
    do {                                                                                    \
        check_case *c = &cs[nc];                                                            \
        snprintf(names[nc], sizeof names[nc], "%s @%g", nm, sr);                            \
        c->name = names[nc]; c->sr = sr; c->mode = md; set_knobs_default(c);                \
        memcpy(c->in, inputs, sizeof c->in); c->patched = pat;                              \
        c->trigger_every = 0; c->trigger_depth = 0; nc++;                                   \
    } while (0)
        CASE("duck defaults", SIDECAR_DUCK, duck_in, MAIN2 | SC2);
        CASE("comp defaults", SIDECAR_COMP, comp_in, MAIN2);
        CASE("comp sidechain SC L only", SIDECAR_COMP, compsc_in, MAIN2 | P(SIDECAR_IN_SC_L));
        CASE("duck CV sweeps", SIDECAR_DUCK, cv_in, MAIN2 | SC2 | P(4) | P(5) | P(6));
        CASE("duck hard knee ratio 20", SIDECAR_DUCK, duck_in, MAIN2 | SC2);
        cs[nc - 1].knob[SIDECAR_KNEE] = 0; cs[nc - 1].knob[SIDECAR_RATIO] = 20;
        CASE("comp wide knee -40 dB", SIDECAR_COMP, comp_in, MAIN2);
        cs[nc - 1].knob[SIDECAR_KNEE] = 24; cs[nc - 1].knob[SIDECAR_THRESHOLD] = -40;
        CASE("duck fast/slow, makeup 12", SIDECAR_DUCK, duck_in, MAIN2 | SC2);
        cs[nc - 1].knob[SIDECAR_ATTACK] = 0.1; cs[nc - 1].knob[SIDECAR_RELEASE] = 2000;
        cs[nc - 1].knob[SIDECAR_MAKEUP] = 12; cs[nc - 1].knob[SIDECAR_INPUT_LEVEL] = 2;
        CASE("comp hpf 1000, ratio 1", SIDECAR_COMP, comp_in, MAIN2);
        cs[nc - 1].knob[SIDECAR_SC_HPF] = 1000; cs[nc - 1].knob[SIDECAR_RATIO] = 1;
        CASE("duck threshold 0, envMag 2", SIDECAR_DUCK, duck_in, MAIN2 | SC2);
        cs[nc - 1].knob[SIDECAR_THRESHOLD] = 0; cs[nc - 1].knob[SIDECAR_ENV_MAG] = 2;
        /* v0.2: each option alone (the values of make bench's option table), then all seven */
        for (int k = 0; k < NOPTIONS; k++) {
            char nm[40];
            snprintf(nm, sizeof nm, "duck %s %g%s", sidecar_param_get_info(bench_options[k].p)->id,
                     bench_options[k].v, bench_options[k].p == SIDECAR_LINK ? " (stereo det)" : "");
            CASE(nm, SIDECAR_DUCK, bench_options[k].p == SIDECAR_LINK ? duck2_in : duck_in,
                 MAIN2 | SC2);
            cs[nc - 1].knob[bench_options[k].p] = bench_options[k].v;
        }
#define ALL_SEVEN(c)                                                                        \
    do {                                                                                    \
        for (int k_ = 0; k_ < NOPTIONS; k_++)                                               \
            (c)->knob[bench_options[k_].p] = bench_options[k_].v;                           \
    } while (0)
        CASE("duck all seven (stereo det)", SIDECAR_DUCK, duck2_in, MAIN2 | SC2);
        ALL_SEVEN(&cs[nc - 1]);
        CASE("comp all seven", SIDECAR_COMP, comp_in, MAIN2);
        ALL_SEVEN(&cs[nc - 1]);
        CASE("comp link 0, rms 300, lpf 20", SIDECAR_COMP, comp_in, MAIN2);
        cs[nc - 1].knob[SIDECAR_LINK] = 0; cs[nc - 1].knob[SIDECAR_RMS] = 300;
        cs[nc - 1].knob[SIDECAR_SC_LPF] = 20; cs[nc - 1].knob[SIDECAR_THRESHOLD] = -50;
        CASE("duck lookahead 20, hold 1000", SIDECAR_DUCK, duck_in, MAIN2 | SC2);
        cs[nc - 1].knob[SIDECAR_LOOKAHEAD] = 20; cs[nc - 1].knob[SIDECAR_HOLD] = 1000;
        /* `trigger 24` every 4 * 7168 frames, hold 50 ms, no key: pumping by trigger alone */
        CASE("duck trigger 24, hold 50", SIDECAR_DUCK, trig_in, MAIN2 | SC2);
        cs[nc - 1].knob[SIDECAR_HOLD] = 50;
        cs[nc - 1].trigger_every = 4 * 7168; cs[nc - 1].trigger_depth = 24;
        CASE("duck trigger 40, all seven", SIDECAR_DUCK, duck2_in, MAIN2 | SC2);
        ALL_SEVEN(&cs[nc - 1]);
        cs[nc - 1].trigger_every = 3 * 7168; cs[nc - 1].trigger_depth = 40;
        for (int i = 0; i < nc; i++) failures += !check_one(&cs[i], n);
    }
    /* NaN/Inf on the detector (comp mode, sidechain): exactly as if those samples were 0 */
    {
        int n = 48000;
        material m;
        make_material(&m, n, 48000, 0);
        float *bad = vec(n), *zeroed = vec(n);
        for (int i = 0; i < n; i++) {
            bad[i] = zeroed[i] = m.kick[i];
            if (i % 97 == 3) { bad[i] = (i % 2) ? NAN : -INFINITY; zeroed[i] = 0; }
            if (i % 101 == 7) { bad[i] = INFINITY; zeroed[i] = 0; }
        }
        check_case a = {0}, b;
        a.name = "nan"; a.sr = 48000; a.mode = SIDECAR_COMP; set_knobs_default(&a);
        const float *in[SIDECAR_NINPUTS] = {m.pad_l, m.pad_r, bad, bad, m.zero, m.zero, m.zero};
        memcpy(a.in, in, sizeof a.in);
        a.patched = MAIN2 | SC2;
        b = a; b.in[SIDECAR_IN_SC_L] = b.in[SIDECAR_IN_SC_R] = zeroed;
        float *oa[4], *ob[4];
        int same = 1;
        for (int k = 0; k < 4; k++) { oa[k] = vec(n); ob[k] = vec(n); }
        run_core(&a, n, 64, oa);
        run_core(&b, n, 64, ob);
        for (int k = 0; k < 4; k++) same &= memcmp(oa[k], ob[k], (size_t)n * sizeof(float)) == 0;
        printf("%s NaN/Inf on the detector read as 0: %s\n", same ? "ok  " : "FAIL", same ? "identical" : "DIFFER");
        failures += !same;
    }
    printf("%s\n", failures ? "refcheck: FAILED" : "refcheck: all within SPEC tolerance, block-size independent");
    return failures ? 1 : 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ns per frame of sidecar_process alone, over frames [from, n) of the inputs (frames before
 * `from` are processed untimed, to get there with the right state); best of 5 passes */
static void set_all_seven(sidecar *s)
{
    for (int k = 0; k < NOPTIONS; k++)
        sidecar_set_param(s, bench_options[k].p, bench_options[k].v);
    sidecar_reset(s);
}

/* Like Pd, every call gets the same vectors (the block's input is copied into them first, and
 * the outputs are left there): the core's per-call caches see what they would see in Pd. */
typedef struct {
    int n, p[8];
    double v[8];
} extra_settings; /* count mode's `set NAME VALUE` pairs */

static void speed_one(const char *name, sidecar_mode mode, int all_seven, const float *const *inputs,
                      unsigned patched, int from, int n, int block, const extra_settings *extra) {
    float *iv[SIDECAR_NINPUTS], *ov[SIDECAR_NOUTPUTS];
    for (int k = 0; k < SIDECAR_NINPUTS; k++) iv[k] = vec(block);
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++) ov[k] = vec(block);
    const sidecar_sample *in[SIDECAR_NINPUTS];
    sidecar_sample *out[SIDECAR_NOUTPUTS];
    for (int k = 0; k < SIDECAR_NINPUTS; k++) in[k] = iv[k];
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++) out[k] = ov[k];
    double best = 1e9;
    for (int pass = 0; pass < 5; pass++) {
        sidecar s;
        sidecar_init(&s, 48000);
        sidecar_set_mode(&s, mode);
        if (all_seven) set_all_seven(&s);
        for (int k = 0; extra && k < extra->n; k++) sidecar_set_param(&s, extra->p[k], extra->v[k]);
        if (extra && extra->n) sidecar_reset(&s);
        double t0 = 0;
        for (int i = 0; i + block <= n; i += block) {
            if (i == from) t0 = now();
            for (int k = 0; k < SIDECAR_NINPUTS; k++)
                memcpy(iv[k], inputs[k] + i, (size_t)block * sizeof *iv[k]);
            sidecar_process(&s, in, out, block, patched);
        }
        double t = (now() - t0) * 1e9 / (n - from);
        sidecar_free(&s);
        if (t < best) best = t;
    }
    printf("%-22s %.2f ns/frame\n", name, best);
    for (int k = 0; k < SIDECAR_NINPUTS; k++) free(iv[k]);
    for (int k = 0; k < SIDECAR_NOUTPUTS; k++) free(ov[k]);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "check";
    if (!strcmp(mode, "check")) return check();
    int count = !strcmp(mode, "count");
    if (!count && strcmp(mode, "speed")) {
        fprintf(stderr, "usage: refcheck [check | speed | count [comp] [all]]\n");
        return 2;
    }
    int n = count ? 48000 : 20 * 48000;
    material m;
    make_material(&m, n, 48000, count ? 0 : 10); /* speed: 10 s material, 10 s silence */
    const float *duck_in[SIDECAR_NINPUTS] = {m.kick, m.kick, m.pad_l, m.pad_r, m.zero, m.zero, m.zero};
    const float *comp_in[SIDECAR_NINPUTS] = {m.mix_l, m.mix_r, m.zero, m.zero, m.zero, m.zero, m.zero};
    int all = 0, comp = 0, block = 64;
    extra_settings extra = {0, {0}, {0}};
    for (int a = 2; a < argc; a++) {
        if (!strcmp(argv[a], "set") && a + 2 < argc && extra.n < 8 &&
            sidecar_param_find(argv[a + 1]) >= 0) {
            extra.p[extra.n] = sidecar_param_find(argv[a + 1]);
            extra.v[extra.n++] = atof(argv[a + 2]);
            a += 2;
            continue;
        }
        comp |= !strcmp(argv[a], "comp");
        all |= !strcmp(argv[a], "all");
        if (!strcmp(argv[a], "block") && a + 1 < argc && atoi(argv[a + 1]) > 0)
            block = atoi(argv[++a]);
    }
    if (count) { /* callgrind: instructions in sidecar_process / (5 * 48000) = per frame */
        if (comp)
            speed_one(all ? "comp all seven, 1 s" : "comp defaults, 1 s", SIDECAR_COMP, all, comp_in,
                      MAIN2, 0, n, block, &extra);
        else
            speed_one(all ? "duck all seven, 1 s" : "duck defaults, 1 s", SIDECAR_DUCK, all, duck_in,
                      MAIN2 | SC2, 0, n, block, &extra);
        return 0;
    }
    speed_one("duck defaults", SIDECAR_DUCK, 0, duck_in, MAIN2 | SC2, 0, n / 2, 64, NULL);
    speed_one("comp defaults", SIDECAR_COMP, 0, comp_in, MAIN2, 0, n / 2, 64, NULL);
    speed_one("duck, silence after", SIDECAR_DUCK, 0, duck_in, MAIN2 | SC2, n / 2 + 48000, n, 64, NULL);
    speed_one("duck all seven", SIDECAR_DUCK, 1, duck_in, MAIN2 | SC2, 0, n / 2, 64, NULL);
    speed_one("comp all seven", SIDECAR_COMP, 1, comp_in, MAIN2, 0, n / 2, 64, NULL);
    speed_one("duck all 7, silence", SIDECAR_DUCK, 1, duck_in, MAIN2 | SC2, n / 2 + 48000, n, 64, NULL);
    return 0;
}
