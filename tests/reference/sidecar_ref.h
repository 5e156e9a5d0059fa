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

/* Knobs, in SPEC.md's table order (the seven from range down are v0.2's, the four from
 * feedback down v0.3's). */
enum {
    REF_THRESHOLD, REF_RATIO, REF_ATTACK, REF_RELEASE, REF_KNEE,
    REF_ENV_MAG, REF_INPUT_LEVEL, REF_MAKEUP, REF_SC_HPF,
    REF_RANGE, REF_HOLD, REF_LOOKAHEAD, REF_MIX, REF_RMS, REF_LINK, REF_SC_LPF,
    REF_FEEDBACK, REF_MS, REF_SLOW_RELEASE, REF_LISTEN,
    REF_NKNOBS
};

/* Step 7's hold margin E in dB: g* < g + E re-arms the hold. */
#define REF_HOLD_MARGIN_DB 0.001

/* Inlets and outlets, in the object's order. */
enum { REF_MAIN_L, REF_MAIN_R, REF_SC_L, REF_SC_R, REF_THR_CV, REF_MAG_CV, REF_LVL_CV, REF_NIN };
enum { REF_OUT_L, REF_OUT_R, REF_ENV, REF_ENV_INV, REF_NOUT };

/* Frames of history the lookahead delay line keeps: N is at most 20 ms, i.e. 8191 frames up to
 * sr = 409550 Hz (the model clamps N to this; the tests stay far below). */
#define REF_DELAY_MAX 8192

typedef struct {
    double sr;
    double knob[REF_NKNOBS]; /* clamped knob values */
    int comp;                /* 0 = duck, 1 = comp */
    /* parameter smoothers (SPEC step 1); makeup and mix in the linear domain */
    double thr_s, mag_s, lvl_s, makeup_s, mix_s;
    /* per channel (0 = L, 1 = R; with ms on 0 = M, 1 = S): detector high-pass (step 3),
     * low-pass (step 3, zero while off), mean square (step 5, zero while rms is 0), gain in dB
     * (step 7), hold counter, slow envelope (step 7, zero while slow_release is 0) */
    double hp_x1[2], hp_y1[2];
    double lp_x1[2], lp_x2[2], lp_y1[2], lp_y2[2];
    double p[2];
    double g[2];
    long h[2];
    double s[2];
    /* feedback (step 2): the previous sample's detector input k (after the mid/side step) and
     * the gain in dB that step 8 used on it, min(g, s); kept whatever feedback is, 0 and 0 dB
     * (G = 1) at rest and after reset */
    double k_prev[2], gain_prev[2];
    /* step 7's E, REF_HOLD_MARGIN_DB; a test may set 0 to model v0.2's plain g* < g */
    double hold_margin_db;
    /* 0; a test may set a relative error (e.g. 1e-7, float's rounding) on feedback's G[n-1] to
     * see where the model's own answer depends on rounding (a feedback loop near its
     * threshold can amplify a last-bit difference beyond the tolerance) */
    double fb_gain_jitter;
    /* `trigger depth` waiting for the start of the next block (step 7) */
    int trig_pending;
    double trig_depth;
    /* lookahead delay line (step 9): MAIN L, MAIN R, SC L, SC R after normalling */
    double dl[4][REF_DELAY_MAX];
    long dl_pos;
} ref_state;

/* Default knobs, duck mode; smoothers at the knob values, filters clear, g = 0. */
void ref_init(ref_state *r, double sr);
/* A new sample rate (Pd's dsp method): coefficients follow it; a change of rate empties the
 * lookahead delay line (step 9), the same rate again changes nothing. */
void ref_set_samplerate(ref_state *r, double sr);
/* Knob index for a message/flag name (ids and the two aliases), or -1. */
int ref_knob_find(const char *name);
/* Set a knob, clamped to its SPEC range, with the side effects SPEC gives a change: lookahead
 * empties the delay line, sc_lpf at the top / rms at 0 / slow_release at 0 zero their state,
 * link going to 1 joins the channels (g, s and h). */
void ref_set_knob(ref_state *r, int k, double v);
/* Snap the smoothers to the current knobs: what creation does after the flags are applied. */
void ref_snap_smoothers(ref_state *r);
/* SPEC `reset`: clear the detector filters, RMS averages, hold counters, a pending trigger,
 * g = 0 dB, the slow envelopes, feedback's previous input and gain (0 and 1) and the delay
 * line; snap the smoothers to the knobs. */
void ref_reset(ref_state *r);
/* SPEC `trigger depth`: remembered, applied before the next ref_frame (the start of the next
 * DSP block, since the harness only delivers messages between blocks). */
void ref_trigger(ref_state *r, double depth);
/* Apply one Pd-style message or flag list, e.g. "threshold -30", "mode comp", "reset",
 * "trigger 24", "-ratio 8 -knee 0" (leading dashes allowed). Returns 0, or -1 if anything was
 * not understood (the model only needs well-formed input: the tests never send it anything
 * else). */
int ref_apply(ref_state *r, const char *text);

/* The static curve of SPEC step 6 (range not applied): g* in dB for level x, threshold t,
 * knee w, ratio. */
double ref_gain_computer(double x, double t, double w, double ratio);
/* Lookahead delay N and hold H in samples at the current knobs and sr. */
long ref_delay_frames(const ref_state *r);
long ref_hold_frames(const ref_state *r);
/* The gain of channel c in dB from step 7 on: min(g, s) (s = 0 while slow_release is 0). */
double ref_gain_db(const ref_state *r, int c);
/* The gain reduction shown on env_out: -min over the channels of ref_gain_db, in dB (>= 0). */
double ref_reduction_db(const ref_state *r);

/* One sample. in[] holds this frame's value of every inlet: for an unpatched audio inlet the
 * value is ignored when SPEC normals it, for an unpatched CV inlet it is the constant last sent
 * to it (0 if none). Bit i of `patched` says whether inlet i has a signal connection. */
void ref_frame(ref_state *r, const double in[REF_NIN], unsigned patched, double out[REF_NOUT]);

#endif
