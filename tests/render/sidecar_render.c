/*
 * sidecar_render: the render-and-compare tool of tests/suites/20-reference.sh.
 *
 *   sidecar_render list                 the case names, one a line
 *   sidecar_render prepare CASE DIR     write DIR/in.wav (7 channels, one per inlet, float) and
 *                                       DIR/case.pd, the patch that plays them into sidecar~
 *                                       and records its 4 outlets into DIR/out.wav
 *   sidecar_render compare CASE DIR     run the reference on DIR/in.wav, write DIR/ref.wav,
 *                                       compare with DIR/out.wav; one PASS/FAIL line
 *   sidecar_render selfcheck            check the reference and the material on their own
 *
 * The Pd side: [soundfiler] loads in.wav into 7 tables; one bang, in one logical time, starts
 * a [tabplay~] per patched inlet and a [tabwrite~] per outlet, so both start on the same DSP
 * tick: sample 0 of in.wav meets sample 0 of out.wav. A message for sample `at` (a multiple of
 * 64) comes from a [delay at 1 samp] started by that same bang. Before each 64-sample DSP tick
 * Pd runs every clock due before the tick's end, so a message at logical time t reaches the
 * signals from sample 64*floor(t/64) (measured: delays of 23936..23999 samples all show at
 * 23936, 23935 at 23872, 24000 at 24000); on a block boundary that is `at` itself, where the
 * model applies it. The align-bypass and knob-timing cases check both claims on every run.
 * `trigger depth` is due "at the start of the next DSP block": the reference keeps it pending
 * and applies it before its next frame, i.e. before sample `at` too (trigger-timing checks it).
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "cases.h"
#include "material.h"
#include "sidecar_ref.h"

#include <math.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_AUDIO 1e-3
#define TOL_ENV 2e-3

static const char *const OUTLET_NAMES[NOUTLETS] = {"L", "R", "env", "inv"};

static long case_frames(const rc_case *c)
{
    return (long)(c->seconds * c->sr + 0.5);
}

static int nevents(const rc_case *c)
{
    int n = 0;
    while (n < MAX_EVENTS && c->ev[n].text)
        n++;
    return n;
}

/* 1 for an event that connects its inlet's player, -1 for one that disconnects it, 0 for a
 * message. */
static int edit_of(const rc_event *ev)
{
    return !strcmp(ev->text, "connect") ? 1 : !strcmp(ev->text, "disconnect") ? -1 : 0;
}

/* The inlets connected when DSP starts: those with material, except the ones whose first
 * patch edit is a connect. */
static unsigned case_patched(const rc_case *c)
{
    unsigned p = 0;
    for (int i = 0; i < NINLETS; i++) {
        int first = 0;
        for (int e = 0; e < nevents(c) && !first; e++)
            if (c->ev[e].inlet == i)
                first = edit_of(&c->ev[e]);
        if (c->in[i] != MAT_NONE && first != 1)
            p |= 1u << i;
    }
    return p;
}

static void path_join(char *buf, size_t size, const char *dir, const char *file)
{
    snprintf(buf, size, "%s/%s", dir, file);
}

/* ---------------------------------------------------------------------------------------- */
/* WAV files: interleaved float frames */

static int wav_write(const char *path, const float *data, long frames, int channels, double sr)
{
    SF_INFO info = {0};
    info.samplerate = (int)sr;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    sf_count_t w = sf_writef_float(f, data, frames);
    sf_close(f);
    return w == frames ? 0 : -1;
}

/* Reads a whole file; returns the interleaved frames (malloc'd) or NULL with a reason. */
static float *wav_read(const char *path, long *frames, int *channels, double *sr, char *why,
                       size_t whysize)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        snprintf(why, whysize, "cannot read %s: %s", path, sf_strerror(NULL));
        return NULL;
    }
    float *data = malloc((size_t)info.frames * (size_t)info.channels * sizeof *data);
    if (!data || sf_readf_float(f, data, info.frames) != info.frames) {
        snprintf(why, whysize, "short read on %s", path);
        free(data);
        sf_close(f);
        return NULL;
    }
    sf_close(f);
    *frames = (long)info.frames;
    *channels = info.channels;
    *sr = info.samplerate;
    return data;
}

/* ---------------------------------------------------------------------------------------- */
/* prepare: input file and Pd patch */

typedef struct {
    FILE *f;
    int n; /* objects so far = index of the next one */
} patch;

/* Adds one box ("obj ..." or "msg ...") and returns its index. */
static int box(patch *p, const char *fmt, ...)
{
    va_list ap;
    fprintf(p->f, "#X ");
    va_start(ap, fmt);
    vfprintf(p->f, fmt, ap);
    va_end(ap);
    fprintf(p->f, ";\n");
    return p->n++;
}

static void wire(patch *p, int from, int outlet, int to, int inlet)
{
    fprintf(p->f, "#X connect %d %d %d %d;\n", from, outlet, to, inlet);
}

static int write_patch(const rc_case *c, const char *path, long frames)
{
    patch p = {fopen(path, "w"), 0};
    if (!p.f) {
        perror(path);
        return -1;
    }
    unsigned patched = case_patched(c);
    int resample = c->resample > 1 ? c->resample : 1;
    int y = 10;
    fprintf(p.f, "#N canvas 0 0 800 600 12;\n");

    int lb = box(&p, "obj 10 %d loadbang", y += 30);
    /* right to left: load the files, switch DSP on, then start everything at once */
    int trig = box(&p, "obj 10 %d t b b b", y += 30);
    wire(&p, lb, 0, trig, 0);
    int rd = box(&p, "msg 200 %d read -resize in.wav in0 in1 in2 in3 in4 in5 in6", y += 30);
    int sf = box(&p, "obj 200 %d soundfiler", y += 30);
    wire(&p, trig, 2, rd, 0);
    wire(&p, rd, 0, sf, 0);
    for (int i = 0; i < NINLETS; i++)
        box(&p, "obj 500 %d table in%d", y += 30, i);
    for (int k = 0; k < NOUTLETS; k++)
        box(&p, "obj 500 %d table out%d %ld", y += 30, k, frames);
    int dsp = box(&p, "msg 100 %d \\; pd dsp 1", y += 30);
    wire(&p, trig, 1, dsp, 0);
    int go = box(&p, "obj 10 %d s rc-start", y += 30);
    wire(&p, trig, 0, go, 0);

    /* The end, in Pd's own samples: once the recording is full (plus a reblocked subpatch's
     * latency), write it and quit with status 0. */
    long last = frames / resample + 2 * (c->block > 64 ? c->block : 64) + 128;
    int end = box(&p, "obj 200 %d delay %ld 1 samp", y += 30, last);
    wire(&p, trig, 0, end, 0);
    int wr = box(&p, "msg 200 %d write -wave -bytes 4 out.wav out0 out1 out2 out3", y += 30);
    int quit = box(&p, "msg 200 %d \\; pd quit 0", y += 30);
    int seq = box(&p, "obj 200 %d t b b", y += 30);
    wire(&p, end, 0, seq, 0);
    wire(&p, seq, 1, wr, 0);
    wire(&p, wr, 0, sf, 0);
    wire(&p, seq, 0, quit, 0);

    /* The body: players, device under test, recorders, messages. In a subpatch with its own
     * [block~] when the case asks for one (boxes are then numbered from 0 again). */
    int parent_n = p.n;
    if (c->block) {
        fprintf(p.f, "#N canvas 0 0 600 600 body 0;\n");
        p.n = 0;
        box(&p, "obj 300 10 block~ %d 1 %d", c->block, resample);
    }
    y = 10;
    int start = box(&p, "obj 10 %d r rc-start", y += 30);

    /* sidecar~, or in the bypass case a [sig~] for the message probe */
    int dut;
    if (c->kind == RC_BYPASS)
        dut = box(&p, "obj 10 %d sig~", y += 30);
    else
        dut = box(&p, "obj 10 %d sidecar~ %s", y += 30, c->flags);

    int play[NINLETS] = {0};
    for (int i = 0; i < NINLETS; i++) {
        if (c->in[i] == MAT_NONE)
            continue;
        play[i] = box(&p, "obj 10 %d tabplay~ in%d", y += 30, i);
        wire(&p, start, 0, play[i], 0);
        if (c->kind == RC_BYPASS) {
            if (i < NOUTLETS - 1) {
                int rec = box(&p, "obj 10 %d tabwrite~ out%d", y += 30, i);
                wire(&p, start, 0, rec, 0);
                wire(&p, play[i], 0, rec, 0);
            }
        } else if (patched & (1u << i)) {
            wire(&p, play[i], 0, dut, i);
        }
    }
    if (c->kind == RC_BYPASS) {
        int rec = box(&p, "obj 10 %d tabwrite~ out3", y += 30);
        wire(&p, start, 0, rec, 0);
        wire(&p, dut, 0, rec, 0);
    } else {
        for (int k = 0; k < NOUTLETS; k++) {
            int rec = box(&p, "obj 10 %d tabwrite~ out%d", y += 30, k);
            wire(&p, start, 0, rec, 0);
            wire(&p, dut, k, rec, 0);
        }
    }

    /* Messages: at sample 0 straight from the start bang, later through a [delay] counted in
     * Pd's samples (the subpatch's samples divided by its up-sampling factor). */
    for (int e = 0; e < nevents(c); e++) {
        const rc_event *ev = &c->ev[e];
        int edit = edit_of(ev), msg;
        if (edit) /* a patch edit, sent to the canvas: Pd rebuilds the DSP graph at once */
            msg = box(&p, "msg 300 %d \\; %s %s %d 0 %d %d", y += 30,
                      c->block ? "pd-body" : "pd-case.pd", ev->text, play[ev->inlet], dut,
                      ev->inlet);
        else
            msg = box(&p, "msg 300 %d %s", y += 30, ev->text);
        if (ev->at == 0) {
            wire(&p, start, 0, msg, 0);
        } else {
            int del = box(&p, "obj 300 %d delay %ld 1 samp", y += 30, ev->at / resample);
            wire(&p, start, 0, del, 0);
            wire(&p, del, 0, msg, 0);
        }
        if (!edit)
            wire(&p, msg, 0, dut, c->kind == RC_BYPASS ? 0 : ev->inlet);
    }
    if (c->block) {
        p.n = parent_n;
        box(&p, "restore 300 10 pd body");
    }
    return fclose(p.f);
}

/* Pd's own sample rate for a case (-r): the case's rate over the subpatch's up-sampling. */
static double pd_rate(const rc_case *c)
{
    return c->sr / (c->resample > 1 ? c->resample : 1);
}

static int prepare(const rc_case *c, const char *dir)
{
    long n = case_frames(c);
    char path[1024];
    /* Messages arrive between Pd's 64-sample ticks; a subpatch sees them at its block starts. */
    long grain = 64L * (c->resample > 1 ? c->resample : 1);
    for (int e = 0; e < nevents(c); e++) {
        if ((c->block > 64 && c->ev[e].at) || c->ev[e].at % grain || c->ev[e].at < 0 ||
            c->ev[e].at >= n ||
            (edit_of(&c->ev[e]) && (c->in[c->ev[e].inlet] == MAT_NONE || c->ev[e].at == 0))) {
            fprintf(stderr, "%s: event %d at %ld is not a block boundary inside the case\n",
                    c->name, e, c->ev[e].at);
            return 1;
        }
    }
    float *ch = malloc((size_t)n * sizeof *ch);
    float *inter = malloc((size_t)n * NINLETS * sizeof *inter);
    if (!ch || !inter)
        return 1;
    for (int i = 0; i < NINLETS; i++) {
        material_render(c->in[i], ch, n, c->sr);
        for (long j = 0; j < n; j++)
            inter[j * NINLETS + i] = ch[j];
    }
    path_join(path, sizeof path, dir, "in.wav");
    int rc = wav_write(path, inter, n, NINLETS, c->sr);
    free(ch);
    free(inter);
    if (rc)
        return 1;
    path_join(path, sizeof path, dir, "sr"); /* for the runner's pd -r */
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%.0f\n", pd_rate(c)) < 0 || fclose(f))
        return 1;
    path_join(path, sizeof path, dir, "case.pd");
    return write_patch(c, path, n) ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* the reference run */

typedef struct {
    double max_gr_db;  /* deepest gain reduction seen */
    double max_env;    /* highest env_out */
    long cv_clamped;   /* samples at which some CV pushed its parameter past a limit */
} ref_stats;

/* Runs the reference over the case's input (interleaved, NINLETS channels) with every event
 * moved by `shift` samples and step 7's E = hold_margin dB; writes interleaved NOUTLETS-channel
 * output. */
static void run_reference(const rc_case *c, const float *in, long n, long shift,
                          double hold_margin, double *out, ref_stats *st)
{
    ref_state r;
    unsigned patched = case_patched(c);
    double held[NINLETS] = {0}; /* the last float each inlet received (Pd's inlet scalar) */
    int ne = nevents(c);

    ref_init(&r, c->sr);
    r.hold_margin_db = hold_margin;
    if (ref_apply(&r, c->flags))
        fprintf(stderr, "%s: reference did not understand flags '%s'\n", c->name, c->flags);
    ref_snap_smoothers(&r); /* creation: the smoothers start at the creation values */
    st->max_gr_db = st->max_env = 0.0;
    st->cv_clamped = 0;

    for (long j = 0; j < n; j++) {
        for (int e = 0; e < ne; e++) {
            long at = c->ev[e].at == 0 ? 0 : c->ev[e].at + shift;
            if (at != j)
                continue;
            int edit = edit_of(&c->ev[e]);
            if (edit > 0)
                patched |= 1u << c->ev[e].inlet;
            else if (edit < 0)
                patched &= ~(1u << c->ev[e].inlet);
            else if (c->ev[e].inlet == 0)
                ref_apply(&r, c->ev[e].text);
            else
                held[c->ev[e].inlet] = (double)(float)atof(c->ev[e].text);
        }
        double x[REF_NIN], y[REF_NOUT];
        for (int i = 0; i < NINLETS; i++)
            x[i] = (patched & (1u << i)) ? in[j * NINLETS + i] : held[i];
        /* the CV convention of SPEC.md's inlet table, only to report that clamps were hit */
        double thr = r.knob[REF_THRESHOLD] + 30 * x[REF_THR_CV];
        double mag = r.knob[REF_ENV_MAG] + x[REF_MAG_CV];
        double lvl = r.knob[REF_INPUT_LEVEL] + x[REF_LVL_CV];
        st->cv_clamped += thr < -60 || thr > 0 || mag < 0 || mag > 2 || lvl < 0 || lvl > 2;
        ref_frame(&r, x, patched, y);
        for (int k = 0; k < NOUTLETS; k++)
            out[j * NOUTLETS + k] = y[k];
        if (ref_reduction_db(&r) > st->max_gr_db)
            st->max_gr_db = ref_reduction_db(&r);
        if (y[REF_ENV] > st->max_env)
            st->max_env = y[REF_ENV];
    }
}

typedef struct {
    double err[NOUTLETS];
    long at[NOUTLETS];
    int over; /* some outlet beyond its tolerance */
} comparison;

/* What Pd's [tabwrite~] stores for a sample: it zeroes every float whose exponent is very large
 * or very small (Pd's PD_BIGORSMALL: |x| >= 2^64 or < 2^-63 roughly, so NaN and +-Inf too).
 * A NaN that the object passes through (duck mode, non-finite MAIN) therefore arrives as 0. */
static double as_recorded(double v)
{
    float f = (float)v;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    bits &= 0x60000000u;
    return (bits == 0 || bits == 0x60000000u) ? 0.0 : (double)f;
}

static comparison compare_frames(const float *got, const double *want, long n)
{
    comparison cmp = {{0}, {0}, 0};
    for (int k = 0; k < NOUTLETS; k++) {
        for (long j = 0; j < n; j++) {
            double g = got[j * NOUTLETS + k], w = as_recorded(want[j * NOUTLETS + k]);
            double e = fabs(g - w);
            if (!(e <= cmp.err[k])) { /* also catches NaN */
                cmp.err[k] = isnan(e) ? INFINITY : e;
                cmp.at[k] = j;
            }
        }
        if (!(cmp.err[k] <= (k < 2 ? TOL_AUDIO : TOL_ENV)))
            cmp.over = 1;
    }
    return cmp;
}

static void print_errors(const comparison *cmp)
{
    for (int k = 0; k < NOUTLETS; k++)
        printf(" %s %.2e", OUTLET_NAMES[k], cmp->err[k]);
}

static int compare(const rc_case *c, const char *dir)
{
    char path[1024], why[1200];
    long n = case_frames(c), nin, nout;
    int chin, chout;
    double srin, srout;

    path_join(path, sizeof path, dir, "in.wav");
    float *in = wav_read(path, &nin, &chin, &srin, why, sizeof why);
    if (!in) {
        printf("FAIL %s: %s\n", c->name, why);
        return 1;
    }
    path_join(path, sizeof path, dir, "out.wav");
    float *got = wav_read(path, &nout, &chout, &srout, why, sizeof why);
    if (!got) {
        printf("FAIL %s: no rendering (%s)\n", c->name, why);
        return 1;
    }
    if (nin != n || chin != NINLETS || nout != n || chout != NOUTLETS) {
        printf("FAIL %s: out.wav has %ld frames x %d channels, expected %ld x %d\n", c->name,
               nout, chout, n, NOUTLETS);
        return 1;
    }

    double *want = malloc((size_t)n * NOUTLETS * sizeof *want);
    int fail = 0;
    if (!want)
        return 1;

    if (c->kind == RC_BYPASS) {
        /* out0..2 must be in0..2 bit for bit; out3 the [sig~] holding each event's value from
         * its sample on */
        double probe = 0.0;
        for (long j = 0; j < n; j++) {
            for (int e = 0; e < nevents(c); e++)
                if (c->ev[e].at == j)
                    probe = (double)(float)atof(c->ev[e].text);
            for (int k = 0; k < NOUTLETS - 1; k++)
                want[j * NOUTLETS + k] = in[j * NINLETS + k];
            want[j * NOUTLETS + 3] = probe;
        }
        comparison cmp = compare_frames(got, want, n);
        int exact = 1;
        for (int k = 0; k < NOUTLETS; k++)
            exact &= cmp.err[k] == 0.0;
        printf("%s %s: max|err| (must be 0)", exact ? "PASS" : "FAIL", c->name);
        print_errors(&cmp);
        printf("\n");
        for (int k = 0; k < NOUTLETS; k++)
            if (cmp.err[k] != 0.0)
                printf("  outlet %s: largest mismatch at sample %ld: got %.9g want %.9g\n",
                       OUTLET_NAMES[k], cmp.at[k], got[cmp.at[k] * NOUTLETS + k],
                       want[cmp.at[k] * NOUTLETS + k]);
        fail = !exact;
    } else {
        ref_stats st;
        run_reference(c, in, n, 0, REF_HOLD_MARGIN_DB, want, &st);
        path_join(path, sizeof path, dir, "ref.wav");
        float *wf = malloc((size_t)n * NOUTLETS * sizeof *wf);
        if (wf) {
            for (long j = 0; j < n * NOUTLETS; j++)
                wf[j] = (float)want[j];
            wav_write(path, wf, n, NOUTLETS, c->sr);
            free(wf);
        }
        comparison cmp = compare_frames(got, want, n);
        fail = cmp.over;

        /* knob-timing: the same case with the events one block early or late must fail */
        comparison early = {{0}, {0}, 0}, late = {{0}, {0}, 0};
        if (c->kind == RC_TIMING) {
            double *alt = malloc((size_t)n * NOUTLETS * sizeof *alt);
            ref_stats ignored;
            if (!alt)
                return 1;
            run_reference(c, in, n, -64, REF_HOLD_MARGIN_DB, alt, &ignored);
            early = compare_frames(got, alt, n);
            run_reference(c, in, n, +64, REF_HOLD_MARGIN_DB, alt, &ignored);
            late = compare_frames(got, alt, n);
            free(alt);
            if (!early.over || !late.over)
                fail = 1;
        }
        /* hold cases: the reference with v0.2's hold test (E = 0) must fail */
        comparison plain = {{0}, {0}, 0};
        if (c->kind == RC_HOLD_E) {
            double *alt = malloc((size_t)n * NOUTLETS * sizeof *alt);
            ref_stats ignored;
            if (!alt)
                return 1;
            run_reference(c, in, n, 0, 0.0, alt, &ignored);
            plain = compare_frames(got, alt, n);
            free(alt);
            if (!plain.over)
                fail = 1;
        }

        printf("%s %s: max|err|", fail ? "FAIL" : "PASS", c->name);
        print_errors(&cmp);
        printf(" (tol %.0e audio, %.0e env; ref: max reduction %.1f dB, max env %.2f",
               TOL_AUDIO, TOL_ENV, st.max_gr_db, st.max_env);
        if (st.cv_clamped)
            printf(", CV clamped on %.0f%% of samples", 100.0 * st.cv_clamped / n);
        printf(")\n");
        if (c->kind == RC_TIMING) {
            printf("  events one block early:");
            print_errors(&early);
            printf("\n  events one block late: ");
            print_errors(&late);
            printf("\n  (both must exceed the tolerance for the modelled index to be proven)\n");
        }
        if (c->kind == RC_HOLD_E) {
            printf("  reference with E = 0 (g* < g):");
            print_errors(&plain);
            printf("\n  (must exceed the tolerance: the case sees where the hold starts)\n");
        }
        for (int k = 0; k < NOUTLETS; k++)
            if (!(cmp.err[k] <= (k < 2 ? TOL_AUDIO : TOL_ENV)))
                printf("  outlet %s: max error at sample %ld: object %.9g reference %.9g\n",
                       OUTLET_NAMES[k], cmp.at[k], got[cmp.at[k] * NOUTLETS + k],
                       want[cmp.at[k] * NOUTLETS + k]);
    }
    free(want);
    free(in);
    free(got);
    return fail;
}

/* ---------------------------------------------------------------------------------------- */
/* selfcheck: the reference and the material against facts computed another way */

static int check(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;
    printf("%s %s", ok ? "PASS" : "FAIL", name);
    if (fmt) {
        printf(": ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    return !ok;
}

/* A +-0.25 square at Nyquist on the MAIN pair, nothing elsewhere. */
static double nyquist_a(long j, int inlet)
{
    return inlet < 2 ? ((j & 1) ? -0.25 : 0.25) : 0.0;
}

/* Amplitude of the detector's left low-pass output (its state lp_y1) for a sine at f Hz, found
 * by correlation over 200 periods after 0.2 s of settling. */
static double ref_lpf_amplitude(double f, double fc, double sr)
{
    ref_state *r = malloc(sizeof *r);
    double in[REF_NIN] = {0}, out[REF_NOUT], sc = 0, cc = 0;
    long settle = (long)(0.2 * sr), n = lround(200 * sr / f);
    ref_init(r, sr);
    ref_set_knob(r, REF_SC_LPF, fc);
    for (long j = 0; j < settle + n; j++) {
        double ph = 2 * 3.14159265358979323846 * f * j / sr;
        in[REF_MAIN_L] = sin(ph);
        ref_frame(r, in, 0x1u, out);
        if (j >= settle) {
            sc += r->lp_y1[0] * sin(ph);
            cc += r->lp_y1[0] * cos(ph);
        }
    }
    free(r);
    return 2.0 / n * sqrt(sc * sc + cc * cc);
}

/* Settled gain (dB) of a comp-mode reference fed a sine of amplitude amp at f Hz on both MAIN
 * channels for `seconds`, with the flags given. */
static double ref_settled_gain(const char *flags, double amp, double f, double seconds)
{
    ref_state *r = malloc(sizeof *r);
    double in[REF_NIN] = {0}, out[REF_NOUT], sr = 48000;
    ref_init(r, sr);
    ref_apply(r, flags);
    ref_snap_smoothers(r);
    for (long j = 0; j < (long)(seconds * sr); j++) {
        in[REF_MAIN_L] = in[REF_MAIN_R] = amp * sin(2 * 3.14159265358979323846 * f * j / sr);
        ref_frame(r, in, 0x3u, out);
    }
    double g = r->g[0];
    free(r);
    return g;
}

static int selfcheck_options(void)
{
    int fails = 0;
    const double PI_ = 3.14159265358979323846;

    /* sc_lpf: the RBJ low-pass with Q = 1/sqrt(2) is the bilinear-transformed Butterworth,
     * |H| = 1/sqrt(1 + (tan(w/2)/tan(w0/2))^4); times the 20 Hz high-pass's own response */
    {
        double sr = 48000, fc = 1000, worst = 0;
        static const double fs[] = {200, 1000, 3000, 8000}; /* whole periods */
        for (int i = 0; i < 4; i++) {
            double w = 2 * PI_ * fs[i] / sr, w0 = 2 * PI_ * fc / sr, a = exp(-2 * PI_ * 20 / sr);
            double hp = a * 2 * sin(w / 2) / sqrt(1 - 2 * a * cos(w) + a * a);
            double want = hp / sqrt(1 + pow(tan(w / 2) / tan(w0 / 2), 4));
            worst = fmax(worst, fabs(20 * log10(ref_lpf_amplitude(fs[i], fc, sr) / want)));
        }
        fails += check(worst < 1e-3, "ref-lpf-butterworth", "worst response error %.2e dB",
                       worst);
    }

    /* RMS reads a sine 3.01 dB under its peak: with a fast attack and a slow release the peak
     * detector's gain sits at the static curve of the peak level; the RMS one at that of the
     * peak level - 3.0103 dB; below ratio 4 (S = 0.75) that is 2.258 dB less reduction */
    {
        double flags_amp = 0.5, f = 1000;
        double gp = ref_settled_gain("mode comp knee 0 threshold -40 attack 0.1 release 2000",
                                     flags_amp, f, 2);
        double gr = ref_settled_gain("mode comp knee 0 threshold -40 rms 50", flags_amp, f, 2);
        double peak_db = 20 * log10(2 * flags_amp); /* linked: m = |yL| + |yR| */
        double want_p = -0.75 * (peak_db + 40), want_r = -0.75 * (peak_db - 3.0103 + 40);
        fails += check(fabs(gp - want_p) < 0.05 && fabs(gr - want_r) < 0.02, "ref-rms-sine",
                       "peak %.3f dB (curve %.3f), rms %.3f dB (curve %.3f)", gp, want_p, gr,
                       want_r);
    }

    /* trigger, hold, range: g drops at once to -min(depth, range), holds exactly H frames of
     * silence, then releases */
    {
        ref_state *r = malloc(sizeof *r);
        double in[REF_NIN] = {0}, out[REF_NOUT];
        ref_init(r, 48000);
        ref_apply(r, "hold 10 range 12 release 50");
        ref_apply(r, "trigger 40");
        long H = ref_hold_frames(r), held = 0;
        ref_frame(r, in, 0x1u, out);
        double first = r->g[0];
        held = 1;
        while (held < 100000 && r->g[0] == first) {
            ref_frame(r, in, 0x1u, out);
            held++;
        }
        double ar = exp(-1 / (0.001 * 50 * 48000));
        /* frames 1..H hold g; frame H+1 is the first release step */
        int ok = H == 480 && first == -12 && held == H + 1 && fabs(r->g[0] - ar * -12) < 1e-12;
        fails += check(ok, "ref-trigger-hold-range", "H %ld, first %.3f dB, held %ld frames",
                       H, first, held - 1);
        free(r);
    }

    /* lookahead: duck mode, SC unpatched, MAIN comes out N frames late, zeros before; env_out
     * is the same as without lookahead */
    {
        ref_state *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        long n = 24000;
        float *kick = malloc((size_t)n * sizeof *kick);
        double *ya = malloc((size_t)n * sizeof *ya);
        material_render(MAT_KICK_L, kick, n, 48000);
        ref_init(a, 48000);
        ref_init(b, 48000);
        ref_apply(a, "lookahead 5");
        double e_audio = 0, e_env = 0, x[REF_NIN] = {0}, oa[REF_NOUT], ob[REF_NOUT];
        long N = ref_delay_frames(a);
        for (long j = 0; j < n; j++) {
            x[REF_MAIN_L] = kick[j];
            ref_frame(a, x, 0x1u, oa);
            ref_frame(b, x, 0x1u, ob);
            ya[j] = oa[0];
            e_audio = fmax(e_audio, fabs(oa[0] - (j >= N ? kick[j - N] : 0.0)));
            e_env = fmax(e_env, fabs(oa[REF_ENV] - ob[REF_ENV]));
        }
        fails += check(N == 240 && e_audio == 0 && e_env == 0 && ref_reduction_db(b) > 1,
                       "ref-lookahead", "N %ld, audio %.1e, env %.1e", N, e_audio, e_env);
        free(a);
        free(b);
        free(kick);
        free(ya);
    }

    /* link: 0 with a hard-panned key ducks only that side; a centred mono key reads the same
     * at link 0 and 1; going to 1 joins on the deeper g and the larger h */
    {
        ref_state *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        double x[REF_NIN] = {0}, oa[REF_NOUT], ob[REF_NOUT];
        ref_init(a, 48000);
        ref_init(b, 48000);
        ref_apply(a, "link 0 hold 5");
        double e_mono = 0;
        for (long j = 0; j < 9600; j++) {
            x[REF_MAIN_L] = (j & 1) ? -0.5 : 0.5;
            x[REF_MAIN_R] = 0;
            ref_frame(a, x, 0xfu, oa);
            x[REF_MAIN_R] = x[REF_MAIN_L];
            ref_frame(b, x, 0xfu, ob);
        }
        int panned = a->g[0] < -6 && a->g[1] == 0;
        ref_state *c = malloc(sizeof *c);
        ref_init(c, 48000);
        ref_apply(c, "link 0");
        ref_init(b, 48000);
        for (long j = 0; j < 9600; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = (j & 1) ? -0.3 : 0.3;
            ref_frame(b, x, 0xfu, ob);
            ref_frame(c, x, 0xfu, oa);
            e_mono = fmax(e_mono, fabs(ob[0] - oa[0]) + fabs(ob[REF_ENV] - oa[REF_ENV]));
        }
        long hl = a->h[0];
        a->h[1] = hl + 77; /* pretend R holds longer: the join takes the larger h */
        double gl = a->g[0];
        ref_apply(a, "link 1");
        int join = a->g[0] == gl && a->g[1] == gl && a->h[0] == hl + 77 && a->h[1] == hl + 77;
        fails += check(panned && e_mono < 1e-12 && join, "ref-link",
                       "panned %d, centred link 0 vs 1 %.1e, join %d", panned, e_mono, join);
        free(a);
        free(b);
        free(c);
    }

    /* mix 0: comp mode gives inputLevel x MAIN, whatever the gain; mix 0.5 half of each */
    {
        ref_state *r = malloc(sizeof *r);
        double x[REF_NIN] = {0}, o[REF_NOUT], e0 = 0, e5 = 0;
        ref_init(r, 48000);
        ref_apply(r, "mode comp mix 0 input_level 0.7 threshold -40 makeup 6");
        ref_snap_smoothers(r);
        for (long j = 0; j < 9600; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = (j & 1) ? -0.5 : 0.5;
            ref_frame(r, x, 0x3u, o);
            e0 = fmax(e0, fabs(o[0] - (double)0.7f * x[REF_MAIN_L])); /* atoms are floats */
        }
        int reduced = r->g[0] < -10;
        ref_apply(r, "mix 0.5");
        for (long j = 0; j < 48000; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = (j & 1) ? -0.5 : 0.5;
            ref_frame(r, x, 0x3u, o);
        }
        double G = pow(10, r->g[0] / 20), want = (double)0.7f * 0.5 * (0.5 + 0.5 * G * pow(10, 0.3));
        e5 = fabs(fabs(o[0]) - want);
        fails += check(reduced && e0 < 1e-15 && e5 < 1e-9, "ref-mix",
                       "mix 0 error %.1e, mix 0.5 error %.1e", e0, e5);
        free(r);
    }

    /* reset clears every piece of v0.2 state */
    {
        ref_state *r = malloc(sizeof *r);
        double x[REF_NIN] = {0}, o[REF_NOUT];
        ref_init(r, 48000);
        ref_apply(r, "hold 100 rms 20 sc_lpf 300 lookahead 3 link 0.5");
        for (long j = 0; j < 4800; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = (j & 16) ? 0.9 : -0.9;
            ref_frame(r, x, 0x3u, o);
        }
        ref_apply(r, "trigger 30");
        ref_apply(r, "reset");
        int ok = !r->trig_pending && r->g[0] == 0 && r->g[1] == 0 && r->h[0] == 0 &&
                 r->h[1] == 0 && r->p[0] == 0 && r->p[1] == 0 && r->lp_y1[0] == 0 &&
                 r->lp_x2[1] == 0;
        for (int i = 0; i < 4; i++)
            for (long j = 0; j < REF_DELAY_MAX; j++)
                ok &= r->dl[i][j] == 0;
        fails += check(ok, "ref-reset-options", NULL);
        free(r);
    }
    return fails;
}

/* Settled g (dB) of a comp-mode reference fed a +-amp square at Nyquist on both MAIN channels
 * (a constant detector level: the 20 Hz high-pass passes it with gain 2a/(1+a)). */
static double ref_nyquist_gain(const char *flags, double amp)
{
    ref_state *r = malloc(sizeof *r);
    double in[REF_NIN] = {0}, out[REF_NOUT];
    ref_init(r, 48000);
    ref_apply(r, flags);
    ref_snap_smoothers(r);
    for (long j = 0; j < 96000; j++) {
        in[REF_MAIN_L] = in[REF_MAIN_R] = (j & 1) ? -amp : amp;
        ref_frame(r, in, 0x3u, out);
    }
    double g = ref_gain_db(r, 0);
    free(r);
    return g;
}

/* Frames from the end of a 1 kHz tone (48 kHz, stopped `phase` samples into a cycle after
 * 0.3 s) to the first frame whose g rises, with hold `hold_ms` and step 7's E = margin. */
static long ref_hold_after_stop(int phase, double hold_ms, double margin)
{
    ref_state *r = malloc(sizeof *r);
    double in[REF_NIN] = {0}, out[REF_NOUT], prev_g;
    char flags[128];
    ref_init(r, 48000);
    r->hold_margin_db = margin;
    snprintf(flags, sizeof flags, "mode comp hold %g attack 1 release 50 threshold -30 knee 0",
             hold_ms);
    ref_apply(r, flags);
    long stop = 72000 + phase, j;
    for (j = 0; j < stop; j++) {
        in[REF_MAIN_L] = 0.6 * sin(2 * 3.14159265358979323846 * (j % 48) / 48.0);
        ref_frame(r, in, 0x1u, out);
    }
    prev_g = r->g[0];
    in[REF_MAIN_L] = 0;
    for (; j < stop + 96000; j++) {
        ref_frame(r, in, 0x1u, out);
        if (r->g[0] > prev_g)
            break;
        prev_g = r->g[0];
    }
    free(r);
    return j - stop;
}

/* The v0.3 options against facts worked out by hand from SPEC.md. */
static int selfcheck_v03(void)
{
    int fails = 0;

    /* feedback 1: above the knee the output rises by 1/(1 + S) dB per dB of input (at ratio
     * 20, S = 0.95: 0.513, "at most about 2:1"); feedback 0: 1/ratio */
    {
        const char *fb = "mode comp feedback 1 ratio 20 knee 0 threshold -40 attack 0.1 "
                         "release 50";
        const char *ff = "mode comp ratio 20 knee 0 threshold -40 attack 0.1 release 50";
        double dx = 20 * log10(4.0);
        double slope_fb = 1 + (ref_nyquist_gain(fb, 0.4) - ref_nyquist_gain(fb, 0.1)) / dx;
        double slope_ff = 1 + (ref_nyquist_gain(ff, 0.4) - ref_nyquist_gain(ff, 0.1)) / dx;
        double want_fb = 1 / (1 + 0.95), want_ff = 1 / 20.0;
        fails += check(fabs(slope_fb - want_fb) < 1e-6 && fabs(slope_ff - want_ff) < 1e-6,
                       "ref-feedback-static-slope",
                       "feedback 1 %.6f (1/(1+S) %.6f), feedback 0 %.6f (1/ratio %.6f)",
                       slope_fb, want_fb, slope_ff, want_ff);
    }

    /* feedback 0 is v1 bit for bit, and a feedback change keeps the previous input and gain
     * (they are tracked at f = 0 too) */
    {
        ref_state *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        double x[REF_NIN] = {0}, oa[REF_NOUT], ob[REF_NOUT], e = 0;
        ref_init(a, 48000);
        ref_init(b, 48000);
        ref_apply(b, "feedback 0.7");
        ref_apply(b, "feedback 0");
        for (long j = 0; j < 24000; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = 0.8 * sin(j * 0.01) * ((j / 3000) & 1);
            ref_frame(a, x, 0x3u, oa);
            ref_frame(b, x, 0x3u, ob);
            for (int k = 0; k < REF_NOUT; k++)
                e = fmax(e, fabs(oa[k] - ob[k]));
        }
        int kept = b->k_prev[0] == x[REF_MAIN_L] && b->gain_prev[0] == ref_gain_db(b, 0);
        fails += check(e == 0 && kept, "ref-feedback-0-is-v1", "difference %.1e, kept %d", e,
                       kept);
        free(a);
        free(b);
    }

    /* ms with link 0 and a centred key: the side of SC passes untouched, its mid is ducked by
     * G_M (and g_S stays 0); with link 1 the level reads |yM| + |yS| */
    {
        ref_state *r = malloc(sizeof *r);
        double x[REF_NIN] = {0}, o[REF_NOUT], e_side = 0, e_mid = 0;
        ref_init(r, 48000);
        ref_apply(r, "ms 1 link 0 threshold -30");
        for (long j = 0; j < 48000; j++) {
            x[REF_MAIN_L] = x[REF_MAIN_R] = (j & 1) ? -0.5 : 0.5;
            x[REF_SC_L] = 0.3 * sin(j * 0.02);
            x[REF_SC_R] = 0.2 * sin(j * 0.031);
            ref_frame(r, x, 0xfu, o);
            double side = ((o[0] - x[0]) - (o[1] - x[1])) / 2;
            double mid = ((o[0] - x[0]) + (o[1] - x[1])) / 2;
            double G = pow(10, ref_gain_db(r, 0) / 20);
            e_side = fmax(e_side, fabs(side - (x[REF_SC_L] - x[REF_SC_R]) / 2));
            e_mid = fmax(e_mid, fabs(mid - G * (x[REF_SC_L] + x[REF_SC_R]) / 2));
        }
        int ducked = r->g[0] < -6 && r->g[1] == 0;
        double g_lr = ref_nyquist_gain("mode comp knee 0 threshold -30 attack 0.1", 0.25);
        double g_ms = ref_nyquist_gain("mode comp knee 0 threshold -30 attack 0.1 ms 1", 0.25);
        double want = 0.75 * 20 * log10(2.0); /* 6.02 dB less level, times S */
        fails += check(ducked && e_side < 1e-15 && e_mid < 1e-15 &&
                           fabs((g_ms - g_lr) - want) < 1e-6,
                       "ref-ms",
                       "mid ducked %d, side error %.1e, mid error %.1e, link-1 reading %.4f dB "
                       "(want %.4f)",
                       ducked, e_side, e_mid, g_ms - g_lr, want);
        free(r);
    }

    /* slow release: after a 40 ms burst the reduction is below 1 dB within ~release, after a
     * 1 s note it takes about slow_release (s has settled near g) */
    {
        long t_burst = 0, t_note = 0;
        for (int note = 0; note < 2; note++) {
            ref_state *r = malloc(sizeof *r);
            double x[REF_NIN] = {0}, o[REF_NOUT];
            long on = note ? 48000 : 1920, j;
            ref_init(r, 48000);
            ref_apply(r, "mode comp threshold -20 attack 1 release 50 slow_release 2000");
            for (j = 0; j < on; j++) {
                x[REF_MAIN_L] = (j & 1) ? -0.5 : 0.5;
                ref_frame(r, x, 0x1u, o);
            }
            x[REF_MAIN_L] = 0;
            for (j = 0; j < 480000 && ref_reduction_db(r) >= 1; j++)
                ref_frame(r, x, 0x1u, o);
            *(note ? &t_note : &t_burst) = j;
            free(r);
        }
        /* 15 dB down: burst ~ 50 ms * ln(15) = 135 ms; note: s at ~ -6 dB, 2 s * ln(6) */
        fails += check(t_burst < 0.2 * 48000 && t_note > 2.5 * 48000 && t_note < 5 * 48000,
                       "ref-slow-release", "back within 1 dB after a burst in %.0f ms, after a "
                       "note in %.0f ms", t_burst / 48.0, t_note / 48.0);
    }

    /* listen: the audio outlets are the detector's filtered input (its high-pass state), bit
     * for bit, undelayed even with lookahead; ms decodes it; the envelopes are unchanged */
    {
        ref_state *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        double x[REF_NIN] = {0}, oa[REF_NOUT], ob[REF_NOUT], e_l = 0, e_env = 0;
        for (int ms = 0; ms < 2; ms++) {
            ref_init(a, 48000);
            ref_init(b, 48000);
            ref_apply(a, "listen 1 sc_hpf 300 lookahead 5 feedback 0.5");
            ref_apply(b, "sc_hpf 300 lookahead 5 feedback 0.5");
            if (ms) {
                ref_apply(a, "ms 1");
                ref_apply(b, "ms 1");
            }
            for (long j = 0; j < 24000; j++) {
                x[REF_MAIN_L] = 0.7 * sin(j * 0.05);
                x[REF_MAIN_R] = 0.4 * sin(j * 0.013);
                ref_frame(a, x, 0x3u, oa);
                ref_frame(b, x, 0x3u, ob);
                double yl = ms ? a->hp_y1[0] + a->hp_y1[1] : a->hp_y1[0];
                double yr = ms ? a->hp_y1[0] - a->hp_y1[1] : a->hp_y1[1];
                e_l = fmax(e_l, fabs(oa[0] - yl) + fabs(oa[1] - yr));
                e_env = fmax(e_env, fabs(oa[REF_ENV] - ob[REF_ENV]));
            }
        }
        fails += check(e_l == 0 && e_env == 0 && ref_reduction_db(a) > 3, "ref-listen",
                       "audio vs detector %.1e, envelopes vs listen off %.1e", e_l, e_env);
        free(a);
        free(b);
    }

    /* the hold with E: H frames hold from the last half-cycle's peak, so release starts H - 24
     * to H frames (half a 1 kHz cycle) after the tone stops, whatever the phase it stops at
     * (E = 0, v0.2's test, is shown for comparison: once g has converged onto g* it stops
     * re-arming the hold, which then ends early) */
    {
        long lo = 1 << 30, hi = 0, lo0 = 1 << 30, hi0 = 0, H = 2400;
        for (int ph = 0; ph < 48; ph += 5) {
            long d = ref_hold_after_stop(ph, 50, REF_HOLD_MARGIN_DB);
            long d0 = ref_hold_after_stop(ph, 50, 0.0);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
            lo0 = d0 < lo0 ? d0 : lo0;
            hi0 = d0 > hi0 ? d0 : hi0;
        }
        fails += check(lo >= H - 24 && hi <= H + 1 && lo0 < H - 24, "ref-hold-margin",
                       "release starts %ld..%ld frames after the stop (H = %ld); with E = 0 "
                       "%ld..%ld",
                       lo, hi, H, lo0, hi0);
    }

    /* reset and link -> 1 cover the new state */
    {
        ref_state *r = malloc(sizeof *r);
        double x[REF_NIN] = {0}, o[REF_NOUT];
        ref_init(r, 48000);
        ref_apply(r, "slow_release 500 feedback 0.5 link 0");
        for (long j = 0; j < 9600; j++) { /* (at Nyquist, feedback 0.5 would cancel the key) */
            x[REF_MAIN_L] = (j & 16) ? -0.9 : 0.9;
            ref_frame(r, x, 0x3u, o);
        }
        double sl = r->s[0];
        int apart = sl < -1 && r->s[1] == 0 && r->gain_prev[0] < -1 && r->k_prev[0] != 0;
        ref_apply(r, "link 1");
        int joined = r->s[0] == sl && r->s[1] == sl;
        ref_apply(r, "reset");
        int cleared = r->s[0] == 0 && r->s[1] == 0 && r->k_prev[0] == 0 && r->k_prev[1] == 0 &&
                      r->gain_prev[0] == 0 && r->gain_prev[1] == 0;
        ref_apply(r, "slow_release 0");
        fails += check(apart && joined && cleared, "ref-v03-state",
                       "apart %d, link 1 joins s %d, reset clears %d", apart, joined, cleared);
        free(r);
    }
    return fails;
}

static int selfcheck(void)
{
    int fails = 0;

    /* Gain computer: hand-computed points, and continuity at both knee edges. */
    {
        double e = 0.0;
        e = fmax(e, fabs(ref_gain_computer(-30, -18, 6, 4) - 0.0));
        e = fmax(e, fabs(ref_gain_computer(-6, -18, 6, 4) - (-9.0)));       /* -0.75 * 12 */
        e = fmax(e, fabs(ref_gain_computer(-18, -18, 6, 4) - (-0.5625)));   /* -0.75*3^2/12 */
        e = fmax(e, fabs(ref_gain_computer(-17, -18, 0, 2) - (-0.5)));
        e = fmax(e, fabs(ref_gain_computer(-18, -18, 0, 2) - 0.0));
        double jump = 0.0;
        for (double w = 1; w <= 24; w += 5.5) {
            for (int side = -1; side <= 1; side += 2) {
                double edge = -18 + side * w / 2;
                jump = fmax(jump, fabs(ref_gain_computer(edge - 1e-9, -18, w, 8) -
                                       ref_gain_computer(edge + 1e-9, -18, w, 8)));
            }
        }
        fails += check(e < 1e-12 && jump < 1e-7, "ref-gain-computer",
                       "point error %.1e, knee-edge jump %.1e", e, jump);
    }

    /* Steady state through the whole chain, computed in closed form: a +-0.25 square at
     * Nyquist on both MAIN channels in comp mode. The high-pass passes Nyquist with gain
     * 2a/(1+a), so m = 0.5 * 2a/(1+a); once the smoother settles, |out| is 0.25 times the
     * static gain times makeup, and env_out is -g / 24. */
    {
        ref_state r;
        double sr = 48000, in[REF_NIN] = {0}, out[REF_NOUT];
        ref_init(&r, sr);
        ref_apply(&r, "mode comp threshold -30 ratio 5 knee 4 makeup 6 sc_hpf 200");
        ref_snap_smoothers(&r);
        for (long j = 0; j < 48000; j++) {
            for (int i = 0; i < 2; i++)
                in[i] = nyquist_a(j, i);
            ref_frame(&r, in, 0x3u, out);
        }
        double a = exp(-2 * 3.14159265358979323846 * 200 / sr);
        double level = 20 * log10(0.5 * 2 * a / (1 + a));
        double gs = ref_gain_computer(level, -30, 4, 5);
        double want = 0.25 * pow(10, gs / 20) * pow(10, 6 / 20.0);
        double e = fabs(fabs(out[0]) - want) + fabs(out[2] - (-gs / 24));
        fails += check(e < 1e-9, "ref-steady-state", "level %.3f dB, g* %.3f dB, error %.1e",
                       level, gs, e);
    }

    /* Smoothers: start at the creation value, reach the target with a = exp(-2 pi 50 / sr). */
    {
        ref_state r;
        double in[REF_NIN] = {0}, out[REF_NOUT];
        ref_init(&r, 44100);
        ref_apply(&r, "threshold -40 makeup 12");
        ref_snap_smoothers(&r);
        in[REF_THR_CV] = 0.5; /* target -25 */
        ref_frame(&r, in, 0, out);
        double a = exp(-2 * 3.14159265358979323846 * 50 / 44100);
        double first = a * -40 + (1 - a) * -25;
        double e1 = fabs(r.thr_s - first) + fabs(r.makeup_s - pow(10, 12 / 20.0));
        for (int j = 0; j < 44100; j++)
            ref_frame(&r, in, 0, out);
        double e2 = fabs(r.thr_s - -25);
        in[REF_THR_CV] = 5; /* clamps at 0 dB */
        in[REF_LVL_CV] = -7; /* clamps at 0 */
        for (int j = 0; j < 44100; j++)
            ref_frame(&r, in, 0, out);
        double e3 = fabs(r.thr_s) + fabs(r.lvl_s);
        fails += check(e1 < 1e-12 && e2 < 1e-9 && e3 < 1e-9, "ref-smoothers",
                       "first step %.1e, settled %.1e, clamped %.1e", e1, e2, e3);
    }

    /* Normalling: an unpatched MAIN R / SC R behaves as a patched copy of the left channel;
     * duck mode with the SC pair unpatched passes MAIN through bit for bit. */
    {
        ref_state a, b, c;
        long n = 48000;
        float *kick = malloc((size_t)n * sizeof *kick), *padl = malloc((size_t)n * sizeof *padl);
        double e_main = 0, e_sc = 0, e_pass = 0;
        material_render(MAT_KICK_L, kick, n, 48000);
        material_render(MAT_PAD_L, padl, n, 48000);
        ref_init(&a, 48000);
        ref_init(&b, 48000);
        ref_init(&c, 48000);
        for (long j = 0; j < n; j++) {
            double x[REF_NIN] = {kick[j], kick[j], padl[j], padl[j], 0, 0, 0};
            double ya[REF_NOUT], yb[REF_NOUT], yc[REF_NOUT];
            ref_frame(&a, x, 0x0fu, ya);
            double xr[REF_NIN] = {kick[j], -1, padl[j], -1, 0, 0, 0}; /* R values ignored */
            ref_frame(&b, xr, 0x05u, yb);
            ref_frame(&c, xr, 0x01u, yc);
            for (int k = 0; k < REF_NOUT; k++)
                e_main = fmax(e_main, fabs(ya[k] - yb[k]));
            e_pass = fmax(e_pass, fabs(yc[0] - kick[j]) + fabs(yc[1] - kick[j]));
        }
        /* comp mode keyed by the SC pair: an unpatched SC R reads as a copy of SC L */
        ref_init(&a, 48000);
        ref_init(&b, 48000);
        ref_apply(&a, "mode comp");
        ref_apply(&b, "mode comp");
        for (long j = 0; j < n; j++) {
            double x[REF_NIN] = {padl[j], padl[j], kick[j], kick[j], 0, 0, 0};
            double xr[REF_NIN] = {padl[j], padl[j], kick[j], 0.7, 0, 0, 0};
            double ya[REF_NOUT], yb[REF_NOUT];
            ref_frame(&a, x, 0x0fu, ya);
            ref_frame(&b, xr, 0x07u, yb);
            for (int k = 0; k < REF_NOUT; k++)
                e_sc = fmax(e_sc, fabs(ya[k] - yb[k]));
        }
        free(kick);
        free(padl);
        fails += check(e_main == 0 && e_sc == 0 && e_pass == 0, "ref-normalling",
                       "MAIN R %.1e, SC R %.1e, SC pair pass-through %.1e", e_main, e_sc,
                       e_pass);
    }

    /* reset: filters and gain cleared, smoothers at the knobs */
    {
        ref_state r;
        double in[REF_NIN] = {0.9, 0.9, 0.3, 0.3, 0.2, 0, 0}, out[REF_NOUT];
        ref_init(&r, 48000);
        for (int j = 0; j < 4800; j++) {
            in[0] = in[1] = (j & 8) ? 0.9 : -0.9;
            ref_frame(&r, in, 0x7fu, out);
        }
        double before = ref_reduction_db(&r);
        ref_apply(&r, "reset");
        int ok = before > 10 && r.g[0] == 0 && r.g[1] == 0 && r.hp_x1[0] == 0 &&
                 r.hp_y1[1] == 0 && r.thr_s == -18 && r.makeup_s == 1;
        fails += check(ok, "ref-reset", "reduction %.1f dB before, %.1f after", before,
                       ref_reduction_db(&r));
    }

    /* The material: levels as documented, and the default duck case really ducks. */
    {
        long n = 4 * 48000;
        float *buf = malloc((size_t)n * sizeof *buf);
        double peak[MAT_COUNT] = {0};
        for (int m = 1; m < MAT_COUNT; m++) {
            material_render((material)m, buf, n, 48000);
            for (long j = 0; j < n; j++)
                peak[m] = fmax(peak[m], fabs(buf[j]));
        }
        free(buf);
        int ok = peak[MAT_KICK_L] > 0.8 && peak[MAT_KICK_L] <= 0.9 && peak[MAT_PAD_L] > 0.3 &&
                 peak[MAT_PAD_L] < 1.0 && peak[MAT_CV_TRI] > 2.1 && peak[MAT_CV_SINE] > 1.5;
        fails += check(ok, "material-levels",
                       "kick %.2f/%.2f, pad %.2f/%.2f, mix %.2f, cv %.2f %.2f %.2f",
                       peak[MAT_KICK_L], peak[MAT_KICK_R], peak[MAT_PAD_L], peak[MAT_PAD_R],
                       peak[MAT_MIX_L], peak[MAT_CV_TRI], peak[MAT_CV_SINE], peak[MAT_CV_RAMP]);
    }
    fails += selfcheck_options();
    fails += selfcheck_v03();
    return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "list")) {
        for (int i = 0; i < rc_ncases; i++)
            printf("%s\n", rc_cases[i].name);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "selfcheck"))
        return selfcheck();
    if (argc == 4 && (!strcmp(argv[1], "prepare") || !strcmp(argv[1], "compare"))) {
        const rc_case *c = rc_find(argv[2]);
        if (!c) {
            fprintf(stderr, "unknown case %s\n", argv[2]);
            return 2;
        }
        return !strcmp(argv[1], "prepare") ? prepare(c, argv[3]) : compare(c, argv[3]);
    }
    fprintf(stderr,
            "usage: sidecar_render list | selfcheck | prepare CASE DIR | compare CASE DIR\n");
    return 2;
}
