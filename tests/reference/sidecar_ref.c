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

void ref_init(ref_state *r, double sr)
{
    memset(r, 0, sizeof *r);
    r->sr = sr;
    for (int k = 0; k < REF_NKNOBS; k++)
        r->knob[k] = KNOBS[k].def;
    ref_snap_smoothers(r);
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
    r->knob[k] = clamp(v, KNOBS[k].lo, KNOBS[k].hi);
}

void ref_snap_smoothers(ref_state *r)
{
    r->thr_s = r->knob[REF_THRESHOLD];
    r->mag_s = r->knob[REF_ENV_MAG];
    r->lvl_s = r->knob[REF_INPUT_LEVEL];
    r->makeup_s = pow(10.0, r->knob[REF_MAKEUP] / 20.0);
}

void ref_reset(ref_state *r)
{
    for (int c = 0; c < 2; c++)
        r->hp_x1[c] = r->hp_y1[c] = 0.0;
    r->g = 0.0;
    ref_snap_smoothers(r);
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
            int k = ref_knob_find(w);
            const char *v = strtok_r(NULL, " ", &save);
            char *end;
            double x = v ? strtod(v, &end) : 0.0;
            if (k < 0 || !v || *end)
                bad = 1;
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

void ref_frame(ref_state *r, const double in[REF_NIN], unsigned patched, double out[REF_NOUT])
{
    const double D = 20.0 * log10(2.0);
    const double sr = r->sr;
#define PATCHED(i) ((patched >> (i)) & 1u)

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

    /* Step 2: detector input. */
    double det[2];
    if (r->comp && sc_patched) {
        det[0] = sc_l;
        det[1] = sc_r;
    } else {
        det[0] = main_l;
        det[1] = main_r;
    }

    /* Step 3: detector high-pass, one per channel; step 4: stereo-linked rectifier. */
    double a_h = exp(-2 * PI * clamp(r->knob[REF_SC_HPF], 0.1, 0.49 * sr) / sr);
    double m = 0.0;
    for (int c = 0; c < 2; c++) {
        double x = finite_or_zero(det[c]);
        double y = a_h * (r->hp_y1[c] + x - r->hp_x1[c]);
        r->hp_x1[c] = x;
        r->hp_y1[c] = y;
        m += fabs(y);
    }

    /* Steps 5 and 6: level in dB and the gain computer (m = 0: -inf, no reduction). */
    double gt = 0.0;
    if (m > 0.0)
        gt = ref_gain_computer(D * log2(m), r->thr_s, r->knob[REF_KNEE], r->knob[REF_RATIO]);

    /* Step 7: attack/release smoother in dB. */
    double a_a = exp(-1 / (0.001 * r->knob[REF_ATTACK] * sr));
    double a_r = exp(-1 / (0.001 * r->knob[REF_RELEASE] * sr));
    double a = gt < r->g ? a_a : a_r;
    r->g = a * r->g + (1 - a) * gt;

    /* Steps 8 and 9: gain and outputs. */
    double G = pow(2.0, r->g / D);
    double k = G * r->makeup_s * r->lvl_s;
    if (r->comp) {
        out[REF_OUT_L] = k * main_l;
        out[REF_OUT_R] = k * main_r;
    } else {
        out[REF_OUT_L] = main_l + k * sc_l;
        out[REF_OUT_R] = main_r + k * sc_r;
    }

    /* Step 10: envelopes, not clamped. */
    out[REF_ENV] = (-r->g / 24) * r->mag_s;
    out[REF_ENV_INV] = 1 - out[REF_ENV];
#undef PATCHED
}
