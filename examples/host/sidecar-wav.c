/*
 * sidecar-wav: the sidecar~ DSP core run over WAV files from the command line, with no Pd at all.
 *
 *   sidecar-wav [-param value ...] [-mode duck|comp] main.wav [sidechain.wav] out.wav
 *
 * Duck mode (the default): main.wav is the trigger and is passed through; sidechain.wav is the
 * signal that gets ducked and summed in. Comp mode: main.wav is compressed, keyed by
 * sidechain.wav when one is given, else by itself. Parameter flags are the Pd object's
 * (-threshold -24 -ratio 8 -attack 5 ...). Mono files work: the missing right channel is
 * normalled to the left one, exactly as an unconnected inlet of the Pd object. A shorter
 * sidechain is padded with silence. The output is 32-bit float stereo WAV, as long as main.wav
 * and aligned with it: with -lookahead the core's latency (sidecar_latency) is compensated by
 * dropping that many frames at the start and flushing as many at the end.
 *
 * This file is also the shortest complete example of the core's API: sidecar_init,
 * sidecar_set_param / sidecar_set_mode, sidecar_process on blocks of any size, sidecar_free.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sidecar.h"

/* Any block size gives the same output (the core is block-size independent); this one keeps
 * the buffers small enough for the stack. */
#define BLOCK 512

#ifdef SIDECAR_SAMPLE_DOUBLE
#define read_frames sf_readf_double
#define write_frames sf_writef_double
#else
#define read_frames sf_readf_float
#define write_frames sf_writef_float
#endif

typedef struct {
    SNDFILE *file;
    SF_INFO info;
    int done; /* end of file reached: feed silence from now on */
} input;

static int open_input(input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    in->file = sf_open(path, SFM_READ, &in->info);
    if (!in->file) {
        fprintf(stderr, "sidecar-wav: %s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    if (in->info.channels < 1 || in->info.channels > 2) {
        fprintf(stderr, "sidecar-wav: %s: %d channels (1 or 2 expected)\n", path,
                in->info.channels);
        return -1;
    }
    return 0;
}

/* Read up to n frames into l and r (r only for a stereo file); the rest of the block is
 * zero-filled. Returns the number of frames read from the file. */
static int read_block(input *in, sidecar_sample *l, sidecar_sample *r, int n)
{
    sidecar_sample buf[BLOCK * 2];
    int got = 0;
    if (!in->done) {
        got = (int)read_frames(in->file, buf, n);
        if (got < n)
            in->done = 1;
    }
    for (int i = 0; i < n; i++) {
        if (in->info.channels == 2) {
            l[i] = i < got ? buf[2 * i] : 0;
            r[i] = i < got ? buf[2 * i + 1] : 0;
        } else {
            l[i] = i < got ? buf[i] : 0;
        }
    }
    return got;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sidecar-wav [-param value ...] [-mode duck|comp] main.wav [sidechain.wav] "
            "out.wav\nparameters:");
    for (int p = 0; p < SIDECAR_NPARAMS; p++) {
        const sidecar_param_info *pi = sidecar_param_get_info(p);
        fprintf(stderr, " -%s", pi->id);
    }
    fprintf(stderr, "\n");
}

/* Apply "-name value" pairs; returns the index of the first file argument, or -1. */
static int parse_flags(sidecar *s, int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        const char *name = argv[i] + 1;
        if (i + 1 >= argc) {
            fprintf(stderr, "sidecar-wav: -%s needs a value\n", name);
            return -1;
        }
        const char *arg = argv[i + 1];
        if (!strcmp(name, "mode")) {
            if (!strcmp(arg, "duck"))
                sidecar_set_mode(s, SIDECAR_DUCK);
            else if (!strcmp(arg, "comp"))
                sidecar_set_mode(s, SIDECAR_COMP);
            else {
                fprintf(stderr, "sidecar-wav: -mode: '%s' is neither duck nor comp\n", arg);
                return -1;
            }
        } else {
            int p = sidecar_param_find(name);
            char *end;
            double v = strtod(arg, &end);
            if (p < 0) {
                fprintf(stderr, "sidecar-wav: unknown parameter -%s\n", name);
                return -1;
            }
            if (end == arg || *end != '\0') {
                fprintf(stderr, "sidecar-wav: -%s: '%s' is not a number\n", name, arg);
                return -1;
            }
            const sidecar_param_info *pi = sidecar_param_get_info(p);
            sidecar_set_result r = sidecar_set_param(s, p, v);
            if (r == SIDECAR_SET_REJECTED || r == SIDECAR_SET_NOMEM) {
                fprintf(stderr, "sidecar-wav: -%s: %s %s\n", name, arg,
                        r == SIDECAR_SET_NOMEM ? "needs memory that could not be had" : "rejected");
                return -1;
            }
            if (r == SIDECAR_SET_CLAMPED)
                fprintf(stderr, "sidecar-wav: -%s %s out of range %g..%g, clamped to %g\n", name,
                        arg, pi->min, pi->max, sidecar_get_param(s, p));
        }
        i += 2;
    }
    return i;
}

/* Everything after the flags: open the files, process, write. Returns the exit status. */
static int run(sidecar *s, const char *main_path, const char *sc_path, const char *out_path)
{

    input mainf, scf;
    int have_sc = sc_path != NULL;
    if (open_input(&mainf, main_path) || (have_sc && open_input(&scf, sc_path)))
        return 1;
    if (have_sc && scf.info.samplerate != mainf.info.samplerate) {
        fprintf(stderr, "sidecar-wav: sample rates differ (%d Hz and %d Hz)\n",
                mainf.info.samplerate, scf.info.samplerate);
        return 1;
    }
    if (sidecar_set_samplerate(s, mainf.info.samplerate) != SIDECAR_SET_OK) {
        fprintf(stderr, "sidecar-wav: no memory for the lookahead delay line\n");
        return 1;
    }
    /* Start from the knobs just set, not from the defaults the smoothers had at init. */
    sidecar_reset(s);
    const int latency = sidecar_latency(s);

    SF_INFO oinfo = {.samplerate = mainf.info.samplerate,
                     .channels = 2,
                     .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *out = sf_open(out_path, SFM_WRITE, &oinfo);
    if (!out) {
        fprintf(stderr, "sidecar-wav: %s: %s\n", out_path, sf_strerror(NULL));
        return 1;
    }

    /* One vector per input and output. Unpatched inputs still need a readable vector: the
     * normalling is decided by the `patched` bits, the CV inputs read a constant 0. */
    sidecar_sample v_in[SIDECAR_NINPUTS][BLOCK] = {{0}};
    sidecar_sample v_out[SIDECAR_NOUTPUTS][BLOCK];
    const sidecar_sample *in[SIDECAR_NINPUTS];
    sidecar_sample *outv[SIDECAR_NOUTPUTS];
    for (int i = 0; i < SIDECAR_NINPUTS; i++)
        in[i] = v_in[i];
    for (int i = 0; i < SIDECAR_NOUTPUTS; i++)
        outv[i] = v_out[i];

    unsigned patched = SIDECAR_PATCHED(SIDECAR_IN_MAIN_L);
    if (mainf.info.channels == 2)
        patched |= SIDECAR_PATCHED(SIDECAR_IN_MAIN_R);
    if (have_sc) {
        patched |= SIDECAR_PATCHED(SIDECAR_IN_SC_L);
        if (scf.info.channels == 2)
            patched |= SIDECAR_PATCHED(SIDECAR_IN_SC_R);
    }

    /* frames: written so far; to_skip: output frames still to drop (the latency); flush:
     * frames of silence still to feed after main.wav ended, so that the last ones come out */
    sf_count_t frames = 0;
    int to_skip = latency, flush = latency;
    double peak_gr = 0;
    for (;;) {
        int n = read_block(&mainf, v_in[SIDECAR_IN_MAIN_L], v_in[SIDECAR_IN_MAIN_R], BLOCK);
        if (n == 0) {
            if (flush == 0)
                break;
            n = flush < BLOCK ? flush : BLOCK; /* read_block zero-filled the vectors */
            flush -= n;
        }
        if (have_sc)
            read_block(&scf, v_in[SIDECAR_IN_SC_L], v_in[SIDECAR_IN_SC_R], n);
        sidecar_process(s, in, outv, n, patched);
        double gr = sidecar_gain_reduction_db(s);
        if (gr > peak_gr)
            peak_gr = gr;
        const int skip = to_skip < n ? to_skip : n;
        to_skip -= skip;
        sidecar_sample buf[BLOCK * 2];
        for (int i = skip; i < n; i++) {
            buf[2 * (i - skip)] = v_out[SIDECAR_OUT_L][i];
            buf[2 * (i - skip) + 1] = v_out[SIDECAR_OUT_R][i];
        }
        if (write_frames(out, buf, n - skip) != n - skip) {
            fprintf(stderr, "sidecar-wav: %s: %s\n", out_path, sf_strerror(out));
            return 1;
        }
        frames += n - skip;
    }
    sf_close(out);
    sf_close(mainf.file);
    if (have_sc)
        sf_close(scf.file);
    fprintf(stderr, "sidecar-wav %s: %lld frames at %d Hz, %s mode, peak reduction %.2f dB "
            "(at block ends), latency %d frames (compensated)\n",
            SIDECAR_VERSION, (long long)frames, mainf.info.samplerate,
            s->mode == SIDECAR_COMP ? "comp" : "duck", peak_gr, latency);
    return 0;
}

int main(int argc, char **argv)
{
    sidecar s;
    /* The sample rate is not known before the main file is open: init now so that flags can be
     * applied, then set the real rate (knobs survive sidecar_set_samplerate). */
    sidecar_init(&s, 48000);
    int first = parse_flags(&s, argc, argv);
    if (first < 0 || argc - first < 2 || argc - first > 3) {
        usage();
        sidecar_free(&s);
        return 2;
    }
    const int status = run(&s, argv[first], argc - first == 3 ? argv[first + 1] : NULL,
                           argv[argc - 1]);
    sidecar_free(&s); /* the lookahead delay line, if -lookahead took one */
    return status;
}
