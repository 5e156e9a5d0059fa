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
#define SIDECAR_VERSION "0.3.0"

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
    /* v0.2 (SPEC.md: "the seven from range down"); at their defaults the object is v1 */
    SIDECAR_RANGE,         /* dB, 0..120, default 120 (= no limit): the most reduction allowed */
    SIDECAR_HOLD,          /* ms, 0..1000, default 0 */
    SIDECAR_LOOKAHEAD,     /* ms, 0..20, default 0; a change empties the delay line */
    SIDECAR_MIX,           /* factor, 0..1, default 1, per-sample smoothed */
    SIDECAR_RMS,           /* ms, 0..300, default 0 (= peak detector) */
    SIDECAR_LINK,          /* factor, 0..1, default 1 (= fully linked) */
    SIDECAR_SC_LPF,        /* Hz, 20..20000, default 20000 (= off) */
    /* v0.3 (SPEC.md: "the four from feedback down"); at their defaults the object is v1 */
    SIDECAR_FEEDBACK,      /* factor, 0..1, default 0 (= feed-forward): the detector hears
                              its key through the gain of the sample before (step 2) */
    SIDECAR_MS,            /* switch, 0..1, default 0; above 0: mid/side (steps 2 and 9) */
    SIDECAR_SLOW_RELEASE,  /* ms, 0..5000, default 0 (= off): program-dependent release (7) */
    SIDECAR_LISTEN,        /* switch, 0..1, default 0; above 0: the audio outlets carry what
                              the detector hears (step 9) */
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
    SIDECAR_SET_REJECTED = -1, /* NaN/Inf or unknown parameter: nothing changed */
    SIDECAR_SET_NOMEM = -2     /* lookahead: no memory for the delay line; nothing changed */
} sidecar_set_result;

/* Per-channel detector and gain state (index 0 = L, 1 = R). With link 1 both channels hold
 * the same values (SPEC step 4: "both channels are one"). */
typedef struct {
    float hpf_x1;                          /* detector high-pass (step 3): last input */
    double hpf_y1;                         /* ... and last output */
    double lpf_x1, lpf_x2, lpf_y1, lpf_y2; /* detector low-pass (step 3), zero while off */
    double rms_p;                          /* mean square (step 5), zero while rms is 0 */
    double gain_db;                        /* smoothed gain g (step 7), always <= 0 */
    double slow_db;                        /* slow release's envelope s (step 7), zero while
                                              slow_release is 0 */
    double applied_db;                     /* the gain of the last sample, min(g, s), in dB */
    float applied_gain;                    /* ... as a factor, the feedback's G[n-1] =
                                              2^(applied_db/D); kept only while feedback is
                                              on (see feedback_stale) */
    float key_prev;                        /* the feedback's k[n-1] (step 2, after mid/side),
                                              likewise */
    int hold;                              /* hold counter h (step 7), in samples */
} sidecar_channel;

/* Internal to the core: what sidecar_process needs on every call but that changes only with a
 * knob, the mode, the sample rate or the vectors, worked out then (not per call). */
typedef struct {
    float db_per_log2, knee, slope, lowest; /* step 6's curve; lowest: -range, or no limit */
} sidecar_curve;
typedef struct {
    double a_att, a_rel; /* step 7's aA, aR */
    int att_le_rel;      /* aA <= aR (attack faster than release) */
    int hold_frames;     /* H */
} sidecar_smoother;
typedef struct {
    /* the bound vectors, block size and `patched`, and the settings (serial) the rest was
     * worked out for */
    const sidecar_sample *in[SIDECAR_NINPUTS];
    sidecar_sample *out[SIDECAR_NOUTPUTS];
    int n;
    unsigned patched, serial;
    /* SPEC step 2 and normalling: the detector pair; MAIN L, MAIN R, SC L, SC R as heard (SC
     * NULL: silent) and as the outputs read them without lookahead (src: never NULL); the CV
     * vectors (NULL: unpatched, read as a constant) */
    const sidecar_sample *det[2], *audio[4], *src[4], *cv[3];
    int cv_patched; /* any CV inlet patched */
    int kind;        /* what reaches the audio outlets (OUT_ in the pipeline) */
    int apart;       /* the outputs lie apart */
    unsigned shared; /* bit k: audio input k shares memory with an output */
} sidecar_routing;

typedef struct {
    /* knobs (clamped values, as set) */
    double knob[SIDECAR_NPARAMS];
    sidecar_mode mode;
    double sr;

    /* coefficients derived from knobs and sr */
    double a_param;      /* parameter smoothers: exp(-2*pi*50/sr) */
    double a_attack;     /* exp(-1/(0.001*attack*sr)) */
    double a_release;    /* exp(-1/(0.001*release*sr)) */
    double a_hpf;        /* detector high-pass: exp(-2*pi*f/sr) */
    double lpf_b0, lpf_a[2]; /* detector low-pass (RBJ / a0): b0 (b1 = 2·b0, b2 = b0), a1, a2 */
    double a_rms;        /* exp(-1/(0.001*rms*sr)) */
    double a_slow;       /* exp(-1/(0.001*slow_release*sr)); 0 while slow release is off */
    double slope;        /* S = 1 - 1/ratio */
    double makeup_lin;   /* 10^(makeup/20), the makeup smoother's target */
    int hold_frames;     /* H = round(0.001*hold*sr) */
    int delay_frames;    /* N = round(0.001*lookahead*sr): the latency */

    /* smoothers (SPEC step 1) */
    double threshold_s, env_mag_s, input_level_s, makeup_s, mix_s;

    sidecar_channel ch[2];
    double trigger_depth; /* pending `trigger` depth in dB, applied at the next process; < 0: none */

    /* lookahead delay line (step 9): 4 rings (MAIN L, MAIN R, SC L, SC R, normalled) of
     * delay_size frames each, owned by the core; NULL while lookahead has never been on */
    sidecar_sample *delay;
    int delay_size; /* frames per ring: the most lookahead at sr, plus one chunk */
    int delay_pos;  /* where the next frame is written */

    /* worked out when something changes, read by sidecar_process (see sidecar_curve) */
    unsigned serial;            /* bumped by every change of knobs, mode or sample rate */
    sidecar_curve curve;
    sidecar_smoother smoother;
    sidecar_routing routing;    /* of the bound vectors (sidecar_bind) */
    unsigned options;           /* which options are on (OPT_ bits in the pipeline) */
    int joined;                 /* link 1 and both channels' state equal after the last call */
    int feedback_stale;         /* the last frame ran without feedback (or after reset): the
                                   feedback's k[n-1] (step 2) is the filters' previous input,
                                   ch[].hpf_x1, and its G[n-1] not yet worked out */
    int lanes_settled;          /* every smoother sits on its target, for these constants: */
    sidecar_sample lanes_cv[3]; /* ... the unpatched CVs they were worked out for (as given) */
    double lanes_thr;           /* ... threshold, and its knee floor, wet, dry, env factors */
    float lanes_floor, lanes_wet, lanes_dry, lanes_env;
} sidecar;

/* Initialise every field: default knobs, coefficients for sample rate sr, cleared state.
 * A non-finite or non-positive sr is treated as 44100. Takes no memory (lookahead is 0);
 * still, pair it with sidecar_free. */
void sidecar_init(sidecar *s, double sr);
/* Free what the core took (the lookahead delay line); s must be re-initialised to be used. */
void sidecar_free(sidecar *s);
/* Recompute the coefficients for a new sample rate; the running state is kept, except the
 * lookahead delay line, which is emptied (and re-sized: the one place besides setting
 * lookahead where the core allocates). Returns SIDECAR_SET_NOMEM when the delay line could not
 * be had (lookahead then acts as 0 until it is set again), else SIDECAR_SET_OK. */
sidecar_set_result sidecar_set_samplerate(sidecar *s, double sr);
/* Set a knob (clamped to its range). Takes effect from the next sidecar_process call.
 * Setting lookahead takes the delay line's memory the first time it is > 0 (never in
 * sidecar_process) and empties it on any change. */
sidecar_set_result sidecar_set_param(sidecar *s, int p, double value);
double sidecar_get_param(const sidecar *s, int p);
void sidecar_set_mode(sidecar *s, sidecar_mode mode);
/* Clear the detector filters, RMS averages, hold counters, a pending trigger, the gain
 * smoother (0 dB), the slow envelope, the feedback's previous input and gain (0 and 1) and the
 * lookahead delay line; snap the smoothers to the knobs. */
void sidecar_reset(sidecar *s);
/* `trigger depth` (SPEC step 7): at the start of the next sidecar_process, per channel
 * g <- min(g, -min(depth, range)) and h <- H. depth in dB, clamped to 0..120 (see
 * sidecar_trigger_info); NaN/Inf rejected. Several before one block: the deepest counts. */
sidecar_set_result sidecar_trigger(sidecar *s, double depth_db);
/* Range and unit of trigger's depth, worded like a parameter's (id "trigger"). */
const sidecar_param_info *sidecar_trigger_info(void);
/* Latency of the audio outlets in samples (the lookahead delay N). */
int sidecar_latency(const sidecar *s);
/* Current gain reduction in dB (>= 0): of the channel reduced most (after slow release). */
double sidecar_gain_reduction_db(const sidecar *s);

/* Process n frames. in[SIDECAR_NINPUTS], out[SIDECAR_NOUTPUTS]; any output may alias any input
 * (every input of a frame is read before that frame's outputs are written). An input whose bit
 * is clear in `patched` is normalled as SPEC.md says (MAIN R -> MAIN L, SC R -> SC L, SC pair ->
 * silence in duck mode / self-detect in comp mode); its vector must still be readable (an
 * unpatched CV vector is read as a constant: only in[i][0] is used). Never allocates. */
void sidecar_process(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out,
                     int n, unsigned patched);
/* sidecar_process in two steps, for a host that hands the core the same vectors call after call
 * (Pd does, from one DSP graph rebuild to the next): sidecar_bind takes the vectors, n and
 * `patched` (the pointers are copied; the vectors themselves must stay valid until the next
 * bind), and each sidecar_run then processes them, without sidecar_process's check that they
 * are the ones it saw last time. Before the first bind, or after one with n <= 0, sidecar_run
 * does nothing. */
void sidecar_bind(sidecar *s, const sidecar_sample *const *in, sidecar_sample *const *out, int n,
                  unsigned patched);
void sidecar_run(sidecar *s);

/* The static curve of SPEC step 6, g*(x) in dB (<= 0), for level x dB, threshold T dB,
 * knee width W dB and ratio R (range not applied). Exposed for tests and plots. */
double sidecar_gain_computer_db(double x_db, double threshold_db, double knee_db, double ratio);

#ifdef __cplusplus
}
#endif
#endif /* SIDECAR_H */
