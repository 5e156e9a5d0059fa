/*
 * sidecar: the DSP core of the sidecar~ Pd external.
 *
 * A stereo sidechain ducker / stereo compressor after Giannoulis, Massberg & Reiss (JAES 2012):
 * feed-forward, log-domain gain computer, attack/release smoothing of the gain in dB.
 * The behaviour contract is SPEC.md; every formula below refers to its pipeline steps.
 *
 * Plain C11, no Pd header: any host can use it (see examples/host/).
 * All state lives in a `sidecar` struct owned by the caller; there is no global mutable state.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef SIDECAR_H
#define SIDECAR_H

#ifdef __cplusplus
extern "C" {
#endif

/* The one version string of the project (the Pd object's `print`, deken and README use it). */
#define SIDECAR_VERSION "0.1.0"

/* Sample type of the in/out vectors. Pd's t_sample is float, or double when Pd is built with
 * PD_FLOATSIZE=64: define SIDECAR_SAMPLE_DOUBLE to match. Internal state is always double. */
#if !defined(SIDECAR_SAMPLE_DOUBLE) && defined(PD_FLOATSIZE) && PD_FLOATSIZE == 64
#define SIDECAR_SAMPLE_DOUBLE 1
#endif
#ifdef SIDECAR_SAMPLE_DOUBLE
typedef double sidecar_sample;
#else
typedef float sidecar_sample;
#endif

/* Parameters, in the order of SPEC.md's table. */
typedef enum {
    SIDECAR_THRESHOLD = 0, /* dB, -60..0, default -18, CV, per-sample smoothed */
    SIDECAR_RATIO,         /* :1, 1..20, default 4 */
    SIDECAR_ATTACK,        /* ms, 0.1..200, default 10 */
    SIDECAR_RELEASE,       /* ms, 1..2000, default 100 */
    SIDECAR_KNEE,          /* dB full width, 0..24, default 6 */
    SIDECAR_ENV_MAG,       /* factor, 0..2, default 1, CV, per-sample smoothed */
    SIDECAR_INPUT_LEVEL,   /* factor, 0..2, default 1, CV, per-sample smoothed */
    SIDECAR_MAKEUP,        /* dB, 0..24, default 0, smoothed as a linear gain */
    SIDECAR_SC_HPF,        /* Hz, 20..1000, default 20 */
    SIDECAR_NPARAMS
} sidecar_param;

typedef struct {
    const char *id;    /* message / flag name, exactly as SPEC.md */
    const char *alias; /* accepted alias, or NULL */
    const char *unit;  /* for messages: "dB", "ms", ... ("" for plain factors) */
    double min, max, def;
} sidecar_param_info;

/* Static description of parameter p (NULL when out of range). */
const sidecar_param_info *sidecar_param_get_info(int p);
/* Parameter index for an id or alias, or -1. */
int sidecar_param_find(const char *name);

typedef enum { SIDECAR_DUCK = 0, SIDECAR_COMP = 1 } sidecar_mode;

/* Input and output vectors of sidecar_process, in the Pd object's inlet/outlet order. */
enum {
    SIDECAR_IN_MAIN_L = 0,
    SIDECAR_IN_MAIN_R,
    SIDECAR_IN_SC_L,
    SIDECAR_IN_SC_R,
    SIDECAR_IN_THRESHOLD_CV,
    SIDECAR_IN_ENV_MAG_CV,
    SIDECAR_IN_INPUT_LEVEL_CV,
    SIDECAR_NINPUTS
};
enum {
    SIDECAR_OUT_L = 0,
    SIDECAR_OUT_R,
    SIDECAR_OUT_ENV,
    SIDECAR_OUT_ENV_INV,
    SIDECAR_NOUTPUTS
};
/* Bit i of `patched` is set when input i has a signal connection. */
#define SIDECAR_PATCHED(i) (1u << (i))

/* Result of a setter. */
typedef enum {
    SIDECAR_SET_OK = 0,
    SIDECAR_SET_CLAMPED = 1,  /* value was out of range: the clamped value was applied */
    SIDECAR_SET_REJECTED = -1 /* NaN/Inf or unknown parameter: nothing changed */
} sidecar_set_result;

typedef struct {
    /* knobs (clamped values, as set) */
    double knob[SIDECAR_NPARAMS];
    sidecar_mode mode;
    double sr;

    /* coefficients derived from knobs and sr */
    double a_param;     /* parameter smoothers: exp(-2*pi*50/sr) */
    double a_attack;    /* exp(-1/(0.001*attack*sr)) */
    double a_release;   /* exp(-1/(0.001*release*sr)) */
    double a_hpf;       /* detector high-pass: exp(-2*pi*f/sr) */
    double slope;       /* S = 1 - 1/ratio */
    double makeup_lin;  /* 10^(makeup/20), the makeup smoother's target */

    /* smoothers (SPEC step 1) */
    double threshold_s, env_mag_s, input_level_s, makeup_s;

    /* detector high-pass state (SPEC step 3), per channel */
    double hpf_x1[2], hpf_y1[2];

    /* gain in dB after the attack/release smoother (SPEC step 7), always <= 0 */
    double gain_db;
} sidecar;

/* Initialise every field: default knobs, coefficients for sample rate sr, cleared state.
 * A non-finite or non-positive sr is treated as 44100. */
void sidecar_init(sidecar *s, double sr);
/* Recompute the coefficients for a new sample rate; the running state is kept. */
void sidecar_set_samplerate(sidecar *s, double sr);
/* Set a knob (clamped to its range). Takes effect from the next sidecar_process call. */
sidecar_set_result sidecar_set_param(sidecar *s, int p, double value);
double sidecar_get_param(const sidecar *s, int p);
void sidecar_set_mode(sidecar *s, sidecar_mode mode);
/* Clear the detector filters and the gain smoother (0 dB); snap the smoothers to the knobs. */
void sidecar_reset(sidecar *s);
/* Current gain reduction in dB (>= 0), i.e. -gain_db. */
double sidecar_gain_reduction_db(const sidecar *s);

/* Process n frames. in[SIDECAR_NINPUTS], out[SIDECAR_NOUTPUTS]; any output may alias any input
 * (every input of a frame is read before that frame's outputs are written). An input whose bit
 * is clear in `patched` is normalled as SPEC.md says (MAIN R -> MAIN L, SC R -> SC L, SC pair ->
 * silence in duck mode / self-detect in comp mode); its vector must still be readable (an
 * unpatched CV vector is read as a constant: only in[i][0] is used). */
void sidecar_process(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out,
                     int n, unsigned patched);

/* The static curve of SPEC step 6, g*(x) in dB (<= 0), for level x dB, threshold T dB,
 * knee width W dB and ratio R. Exposed for tests and plots. */
double sidecar_gain_computer_db(double x_db, double threshold_db, double knee_db, double ratio);

#ifdef __cplusplus
}
#endif
#endif /* SIDECAR_H */
