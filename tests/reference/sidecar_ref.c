/*
 * sidecar_ref: plain double-precision model of SPEC.md (see sidecar_ref.h).
 * Step numbers in the comments are those of SPEC.md's "Per-sample pipeline".
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "sidecar_ref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* SPEC.md's parameter table: id, alias, range, default. */
static const struct {
    const char *id, *alias;
    double lo, hi, def;
} KNOBS[REF_NKNOBS] = {
    {"threshold", NULL, -60, 0, -18},
    {"ratio", NULL, 1, 20, 4},
    {"attack", NULL, 0.1, 200, 10},
    {"release", NULL, 1, 2000, 100},
    {"knee", NULL, 0, 24, 6},
    {"envMag", "env_mag", 0, 2, 1},
    {"inputLevel", "input_level", 0, 2, 1},
    {"makeup", NULL, 0, 24, 0},
    {"sc_hpf", NULL, 20, 1000, 20},
    {"range", NULL, 0, 120, 120},
    {"hold", NULL, 0, 1000, 0},
    {"lookahead", NULL, 0, 20, 0},
    {"mix", NULL, 0, 1, 1},
    {"rms", NULL, 0, 300, 0},
    {"link", NULL, 0, 1, 1},
    {"sc_lpf", NULL, 20, 20000, 20000},
    {"feedback", NULL, 0, 1, 0},
    {"ms", NULL, 0, 1, 0},
    {"slow_release", NULL, 0, 5000, 0},
    {"listen", NULL, 0, 1, 0},
};

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* "Treated as 0 for detection and CV" (robustness contract). */
static double finite_or_zero(double v)
{
    return isfinite(v) ? v : 0.0;
}

static void clear_lpf(ref_state *r)
{
    for (int c = 0; c < 2; c++)
        r->lp_x1[c] = r->lp_x2[c] = r->lp_y1[c] = r->lp_y2[c] = 0.0;
}

static void clear_delay(ref_state *r)
{
    memset(r->dl, 0, sizeof r->dl);
    r->dl_pos = 0;
}

void ref_init(ref_state *r, double sr)
{
    memset(r, 0, sizeof *r);
    r->sr = sr;
    r->hold_margin_db = REF_HOLD_MARGIN_DB;
    for (int k = 0; k < REF_NKNOBS; k++)
        r->knob[k] = KNOBS[k].def;
    ref_snap_smoothers(r);
}

void ref_set_samplerate(ref_state *r, double sr)
{
    if (sr != r->sr)
        clear_delay(r);
    r->sr = sr;
}

int ref_knob_find(const char *name)
{
    for (int k = 0; k < REF_NKNOBS; k++)
        if (!strcmp(name, KNOBS[k].id) || (KNOBS[k].alias && !strcmp(name, KNOBS[k].alias)))
            return k;
    return -1;
}

void ref_set_knob(ref_state *r, int k, double v)
{
    double old = r->knob[k];
    r->knob[k] = clamp(v, KNOBS[k].lo, KNOBS[k].hi);
    switch (k) {
    case REF_LOOKAHEAD: /* step 9: any change of lookahead empties the delay line */
        if (r->knob[k] != old)
            clear_delay(r);
        break;
    case REF_SC_LPF: /* step 3: while off (at the top) the low-pass state is zero */
        if (r->knob[k] >= 20000)
            clear_lpf(r);
        break;
    case REF_RMS: /* step 5: p is zero while rms is 0 */
        if (r->knob[k] == 0)
            r->p[0] = r->p[1] = 0.0;
        break;
    case REF_LINK: /* step 7: going to 1, both channels go on from the deeper g and s and the
                    * larger h */
        if (old < 1 && r->knob[k] == 1) {
            double g = fmin(r->g[0], r->g[1]), sl = fmin(r->s[0], r->s[1]);
            long h = r->h[0] > r->h[1] ? r->h[0] : r->h[1];
            r->g[0] = r->g[1] = g;
            r->s[0] = r->s[1] = sl;
            r->h[0] = r->h[1] = h;
        }
        break;
    case REF_SLOW_RELEASE: /* step 7: s is 0 while slow_release is 0 */
        if (r->knob[k] == 0)
            r->s[0] = r->s[1] = 0.0;
        break;
    default:
        break;
    }
}

void ref_snap_smoothers(ref_state *r)
{
    r->thr_s = r->knob[REF_THRESHOLD];
    r->mag_s = r->knob[REF_ENV_MAG];
    r->lvl_s = r->knob[REF_INPUT_LEVEL];
    r->makeup_s = pow(10.0, r->knob[REF_MAKEUP] / 20.0);
    r->mix_s = r->knob[REF_MIX];
}

void ref_reset(ref_state *r)
{
    for (int c = 0; c < 2; c++) {
        r->hp_x1[c] = r->hp_y1[c] = 0.0;
        r->p[c] = 0.0;
        r->g[c] = 0.0;
        r->h[c] = 0;
        r->s[c] = 0.0;
        r->k_prev[c] = 0.0;    /* feedback's previous input: 0 */
        r->gain_prev[c] = 0.0; /* ... and previous gain: 0 dB, G = 1 */
    }
    clear_lpf(r);
    clear_delay(r);
    r->trig_pending = 0;
    r->trig_depth = 0.0;
    ref_snap_smoothers(r);
}

void ref_trigger(ref_state *r, double depth)
{
    depth = clamp(depth, 0, 120);
    /* two before one block: applied one after the other, the deeper one wins */
    if (!r->trig_pending || depth > r->trig_depth)
        r->trig_depth = depth;
    r->trig_pending = 1;
}

int ref_apply(ref_state *r, const char *text)
{
    char buf[512], *save = NULL;
    int bad = 0;
    strncpy(buf, text, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        while (*w == '-')
            w++;
        if (!strcmp(w, "reset")) {
            ref_reset(r);
        } else if (!strcmp(w, "mode")) {
            const char *v = strtok_r(NULL, " ", &save);
            if (v && !strcmp(v, "duck"))
                r->comp = 0;
            else if (v && !strcmp(v, "comp"))
                r->comp = 1;
            else
                bad = 1;
        } else {
            int k = ref_knob_find(w), trig = !strcmp(w, "trigger");
            const char *v = strtok_r(NULL, " ", &save);
            char *end;
            double x = v ? strtod(v, &end) : 0.0;
            if ((k < 0 && !trig) || !v || *end)
                bad = 1;
            else if (trig)
                ref_trigger(r, (double)(float)x);
            else
                ref_set_knob(r, k, (double)(float)x); /* Pd atoms carry floats */
        }
    }
    return bad ? -1 : 0;
}

double ref_gain_computer(double x, double t, double w, double ratio)
{
    double s = 1.0 - 1.0 / ratio;
    if (w == 0.0 || x <= t - w / 2) /* below the knee, or a hard knee */
        return x <= t ? 0.0 : -s * (x - t);
    if (x >= t + w / 2) /* above the knee */
        return -s * (x - t);
    return -s * (x - t + w / 2) * (x - t + w / 2) / (2 * w); /* inside the knee */
}

long ref_delay_frames(const ref_state *r)
{
    long n = lround(0.001 * r->knob[REF_LOOKAHEAD] * r->sr);
    return n < 0 ? 0 : n > REF_DELAY_MAX - 1 ? REF_DELAY_MAX - 1 : n;
}

long ref_hold_frames(const ref_state *r)
{
    return lround(0.001 * r->knob[REF_HOLD] * r->sr);
}

double ref_gain_db(const ref_state *r, int c)
{
    return fmin(r->g[c], r->s[c]); /* s = 0 while off, and g <= 0: then this is g */
}

double ref_reduction_db(const ref_state *r)
{
    return -fmin(ref_gain_db(r, 0), ref_gain_db(r, 1)) + 0.0;
}

void ref_frame(ref_state *r, const double in[REF_NIN], unsigned patched, double out[REF_NOUT])
{
    const double D = 20.0 * log10(2.0);
    const double sr = r->sr;
    const long H = ref_hold_frames(r);
#define PATCHED(i) ((patched >> (i)) & 1u)

    /* Step 7's trigger, at the start of the block (this is its first frame): per channel
     * g <- min(g, -min(depth, range)), h <- H. */
    if (r->trig_pending) {
        double floor_db = -fmin(r->trig_depth, r->knob[REF_RANGE]);
        for (int c = 0; c < 2; c++) {
            r->g[c] = fmin(r->g[c], floor_db);
            r->h[c] = H;
        }
        r->trig_pending = 0;
    }

    /* Step 1: parameter smoothers, updated before this sample uses them. */
    double a_p = exp(-2 * PI * 50 / sr);
    double thr_t = clamp(r->knob[REF_THRESHOLD] + 30 * finite_or_zero(in[REF_THR_CV]), -60, 0);
    double mag_t = clamp(r->knob[REF_ENV_MAG] + finite_or_zero(in[REF_MAG_CV]), 0, 2);
    double lvl_t = clamp(r->knob[REF_INPUT_LEVEL] + finite_or_zero(in[REF_LVL_CV]), 0, 2);
    double mk_t = pow(10.0, r->knob[REF_MAKEUP] / 20.0);
    r->thr_s = a_p * r->thr_s + (1 - a_p) * thr_t;
    r->mag_s = a_p * r->mag_s + (1 - a_p) * mag_t;
    r->lvl_s = a_p * r->lvl_s + (1 - a_p) * lvl_t;
    r->makeup_s = a_p * r->makeup_s + (1 - a_p) * mk_t;
    r->mix_s = a_p * r->mix_s + (1 - a_p) * r->knob[REF_MIX];

    /* Normalling: MAIN R -> MAIN L, SC R -> SC L; an unpatched SC L with SC R patched reads
     * what its inlet holds (in[] = 0 unless a float was sent). */
    double main_l = in[REF_MAIN_L];
    double main_r = PATCHED(REF_MAIN_R) ? in[REF_MAIN_R] : main_l;
    int sc_patched = PATCHED(REF_SC_L) || PATCHED(REF_SC_R);
    double sc_l = 0.0, sc_r = 0.0; /* duck mode, SC pair unpatched: SC = 0 */
    if (sc_patched) {
        sc_l = in[REF_SC_L];
        sc_r = PATCHED(REF_SC_R) ? in[REF_SC_R] : sc_l;
    }

    /* Step 2: detector input k (always undelayed; non-finite reads as 0), in mid/side when ms
     * is on, then feedback: d = (1 - f) k[n] + f G[n-1] k[n-1]. */
    double key[2];
    if (r->comp && sc_patched) {
        key[0] = finite_or_zero(sc_l);
        key[1] = finite_or_zero(sc_r);
    } else {
        key[0] = finite_or_zero(main_l);
        key[1] = finite_or_zero(main_r);
    }
    int ms = r->knob[REF_MS] > 0;
    if (ms) {
        double kl = key[0], kr = key[1];
        key[0] = (kl + kr) / 2; /* M */
        key[1] = (kl - kr) / 2; /* S */
    }
    double f = r->knob[REF_FEEDBACK], det[2];
    for (int c = 0; c < 2; c++) {
        double G_prev = pow(2.0, r->gain_prev[c] / D) * (1 + r->fb_gain_jitter);
        det[c] = (1 - f) * key[c] + f * G_prev * r->k_prev[c];
        r->k_prev[c] = key[c]; /* kept whatever f is */
    }

    /* Step 3: detector high-pass, then the optional low-pass, one per channel. */
    double a_h = exp(-2 * PI * clamp(r->knob[REF_SC_HPF], 0.1, 0.49 * sr) / sr);
    int lpf_on = r->knob[REF_SC_LPF] < 20000;
    double y[2];
    for (int c = 0; c < 2; c++) {
        double x = det[c];
        double v = a_h * (r->hp_y1[c] + x - r->hp_x1[c]);
        r->hp_x1[c] = x;
        r->hp_y1[c] = v;
        if (lpf_on) { /* RBJ cookbook low-pass, Q = 1/sqrt(2) */
            double w = 2 * PI * clamp(r->knob[REF_SC_LPF], 0.1, 0.49 * sr) / sr;
            double alpha = sin(w) / (2 * (1 / sqrt(2.0)));
            double b0 = (1 - cos(w)) / 2, b1 = 1 - cos(w), b2 = b0;
            double a0 = 1 + alpha, a1 = -2 * cos(w), a2 = 1 - alpha;
            double o = (b0 * v + b1 * r->lp_x1[c] + b2 * r->lp_x2[c] - a1 * r->lp_y1[c] -
                        a2 * r->lp_y2[c]) / a0;
            r->lp_x2[c] = r->lp_x1[c];
            r->lp_x1[c] = v;
            r->lp_y2[c] = r->lp_y1[c];
            r->lp_y1[c] = o;
            v = o;
        }
        y[c] = v;
    }

    /* Step 4: rectifier and stereo link. */
    double k = r->knob[REF_LINK], a = fabs(y[0]), b = fabs(y[1]);
    double m[2] = {k * (a + b) + (1 - k) * 2 * a, k * (a + b) + (1 - k) * 2 * b};

    double H_a = exp(-1 / (0.001 * r->knob[REF_ATTACK] * sr));
    double H_r = exp(-1 / (0.001 * r->knob[REF_RELEASE] * sr));
    double slow = r->knob[REF_SLOW_RELEASE];
    double G[2];
    for (int c = 0; c < 2; c++) {
        /* Step 5: level in dB, peak or RMS (0 = -inf: no reduction). */
        int have = 0;
        double x = 0.0;
        if (r->knob[REF_RMS] > 0) {
            double rr = exp(-1 / (0.001 * r->knob[REF_RMS] * sr));
            r->p[c] = rr * r->p[c] + (1 - rr) * m[c] * m[c];
            if (r->p[c] > 0) {
                x = D / 2 * log2(r->p[c]);
                have = 1;
            }
        } else if (m[c] > 0) {
            x = D * log2(m[c]);
            have = 1;
        }
        /* Step 6: gain computer, then range. */
        double gt = have ? ref_gain_computer(x, r->thr_s, r->knob[REF_KNEE], r->knob[REF_RATIO])
                         : 0.0;
        if (r->knob[REF_RANGE] < 120)
            gt = fmax(gt, -r->knob[REF_RANGE]);
        /* Step 7: attack / hold / release; the detector asking for the current reduction or
         * more, within E, re-arms the hold; attack or release by g* < g alone. */
        if (gt < r->g[c] + r->hold_margin_db) {
            double a_s = gt < r->g[c] ? H_a : H_r;
            r->g[c] = a_s * r->g[c] + (1 - a_s) * gt;
            r->h[c] = H;
        } else if (r->h[c] > 0) {
            r->h[c]--;
        } else {
            r->g[c] = H_r * r->g[c] + (1 - H_r) * gt;
        }
        /* Slow release: s follows g after g; the gain from here on is min(g, s). */
        if (slow > 0) {
            double a_sl = exp(-1 / (0.001 * slow * sr));
            r->s[c] = a_sl * r->s[c] + (1 - a_sl) * r->g[c];
        }
        double gain = ref_gain_db(r, c);
        r->gain_prev[c] = gain; /* feedback's G[n-1] for the next sample */
        /* Step 8: branch gain. */
        G[c] = pow(2.0, gain / D);
    }

    /* Step 9: the audio after normalling goes through the delay line (N = 0: this frame). */
    long N = ref_delay_frames(r);
    double cur[4] = {main_l, main_r, sc_l, sc_r}, del[4];
    for (int i = 0; i < 4; i++) {
        r->dl[i][r->dl_pos] = cur[i];
        del[i] = r->dl[i][(r->dl_pos - N + REF_DELAY_MAX) % REF_DELAY_MAX];
    }
    r->dl_pos = (r->dl_pos + 1) % REF_DELAY_MAX;
    /* the gained pair P (duck: SC, comp: MAIN), in mid/side when ms is on */
    double P[2] = {del[r->comp ? 0 : 2], del[r->comp ? 1 : 3]}, Q[2];
    if (ms) {
        double pm = (P[0] + P[1]) / 2, ps = (P[0] - P[1]) / 2;
        P[0] = pm;
        P[1] = ps;
    }
    for (int c = 0; c < 2; c++) {
        double B = (1 - r->mix_s) + r->mix_s * G[c] * r->makeup_s;
        Q[c] = B * r->lvl_s * P[c];
    }
    if (ms) { /* decode */
        double qm = Q[0], qs = Q[1];
        Q[0] = qm + qs;
        Q[1] = qm - qs;
    }
    for (int c = 0; c < 2; c++)
        out[REF_OUT_L + c] = r->comp ? Q[c] : del[c] + Q[c];
    /* Listen: the step-3 output instead, undelayed, decoded back to L/R when ms is on. */
    if (r->knob[REF_LISTEN] > 0) {
        out[REF_OUT_L] = ms ? y[0] + y[1] : y[0];
        out[REF_OUT_R] = ms ? y[0] - y[1] : y[1];
    }

    /* Step 10: envelopes from the channel reduced most (after the slow release), not
     * clamped. */
    out[REF_ENV] = (-fmin(ref_gain_db(r, 0), ref_gain_db(r, 1)) / 24) * r->mag_s;
    out[REF_ENV_INV] = 1 - out[REF_ENV];
#undef PATCHED
}
