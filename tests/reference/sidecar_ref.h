/*
 * sidecar_ref: a deliberately plain double-precision model of SPEC.md's per-sample pipeline.
 *
 * Written from SPEC.md alone and sharing nothing with dsp/: it is the in-house twin of the
 * independent check that judges the object, so when the two disagree SPEC.md decides who is
 * right. Clarity over speed: every coefficient is recomputed from the knobs on every sample.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef SIDECAR_REF_H
#define SIDECAR_REF_H

/* Knobs, in SPEC.md's table order. */
enum {
    REF_THRESHOLD, REF_RATIO, REF_ATTACK, REF_RELEASE, REF_KNEE,
    REF_ENV_MAG, REF_INPUT_LEVEL, REF_MAKEUP, REF_SC_HPF, REF_NKNOBS
};

/* Inlets and outlets, in the object's order. */
enum { REF_MAIN_L, REF_MAIN_R, REF_SC_L, REF_SC_R, REF_THR_CV, REF_MAG_CV, REF_LVL_CV, REF_NIN };
enum { REF_OUT_L, REF_OUT_R, REF_ENV, REF_ENV_INV, REF_NOUT };

typedef struct {
    double sr;
    double knob[REF_NKNOBS]; /* clamped knob values */
    int comp;                /* 0 = duck, 1 = comp */
    /* parameter smoothers (SPEC step 1); makeup in the linear domain */
    double thr_s, mag_s, lvl_s, makeup_s;
    /* detector high-pass memory per channel (SPEC step 3) */
    double hp_x1[2], hp_y1[2];
    /* smoothed gain in dB (SPEC step 7) */
    double g;
} ref_state;

/* Default knobs, duck mode; smoothers at the knob values, filters clear, g = 0. */
void ref_init(ref_state *r, double sr);
/* Knob index for a message/flag name (ids and the two aliases), or -1. */
int ref_knob_find(const char *name);
/* Set a knob, clamped to its SPEC range. */
void ref_set_knob(ref_state *r, int k, double v);
/* Snap the smoothers to the current knobs: what creation does after the flags are applied. */
void ref_snap_smoothers(ref_state *r);
/* SPEC `reset`: clear the detector filters, g = 0 dB, snap the smoothers to the knobs. */
void ref_reset(ref_state *r);
/* Apply one Pd-style message or flag list, e.g. "threshold -30", "mode comp", "reset",
 * "-ratio 8 -knee 0" (leading dashes allowed). Returns 0, or -1 if anything was not understood
 * (the model only needs well-formed input: the tests never send it anything else). */
int ref_apply(ref_state *r, const char *text);

/* The static curve of SPEC step 6: g* in dB for level x, threshold t, knee w, ratio. */
double ref_gain_computer(double x, double t, double w, double ratio);

/* One sample. in[] holds this frame's value of every inlet: for an unpatched audio inlet the
 * value is ignored when SPEC normals it, for an unpatched CV inlet it is the constant last sent
 * to it (0 if none). Bit i of `patched` says whether inlet i has a signal connection. */
void ref_frame(ref_state *r, const double in[REF_NIN], unsigned patched, double out[REF_NOUT]);

#endif
