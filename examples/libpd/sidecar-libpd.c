/*
 * sidecar-libpd: a libpd host with sidecar~ linked in statically.
 *
 *   sidecar-libpd [path/to/duck.pd]
 *
 * It registers the class right after libpd_init() (a static build has no external loader to
 * find sidecar~.pd_linux), opens duck.pd, feeds one second of synthetic material through it
 * (a 60 Hz "kick" burst as MAIN, a 440 Hz "pad" as SIDECHAIN) and checks that the pad is ducked
 * while the kick plays and untouched before. Two v0.2 features take part: `lookahead 5`
 * (the audio comes out 240 samples late, as `print` says) and `trigger 12` (a 12 dB duck on
 * demand, before the kick). Exit status 0 when every check holds.
 *
 * Built against a libpd compiled with MULTI=true (-DPDINSTANCE -DPDTHREADS), it runs two Pd
 * instances side by side, tick by tick, with different thresholds, and checks that they do not
 * disturb each other: the sidecar~ class is registered once and serves every instance.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sidecar.h" /* SIDECAR_VERSION only: the object itself is reached through Pd */
#include "z_libpd.h"

/* The object's setup function: what Pd's loader would call after dlopen("sidecar~.pd_linux"). */
void sidecar_tilde_setup(void);

#define SR 48000
#define NIN 4  /* adc~ 1 2 3 4: MAIN L, MAIN R, SC L, SC R */
#define NOUT 3 /* dac~ 1 2 3: audio L, audio R, env_out */
#define FRAMES SR /* one second */
#define KICK_ON (SR / 4)
#define KICK_OFF (3 * SR / 4)
#define LOOKAHEAD_MS 5
#define LATENCY (SR * LOOKAHEAD_MS / 1000) /* samples the audio outlets are late: 240 */
#define TRIGGER_AT (SR / 8)                /* `trigger 12` before the block that starts here */
#define TRIGGER_DB 12
#define PI 3.14159265358979323846

/* What each Pd instance owns on the host side, kept as libpd's per-instance data so that the
 * print hook (which has no user pointer) finds the right console. */
typedef struct {
    const char *label;
    double threshold;
    void *patch; /* from libpd_openfile */
    char console[8192];
    size_t console_len;
    float out[FRAMES * NOUT];
} host_instance;

static void print_hook(const char *s)
{
    host_instance *h = libpd_get_instancedata();
    size_t n = strlen(s);
    if (h && h->console_len + n < sizeof h->console) {
        memcpy(h->console + h->console_len, s, n + 1);
        h->console_len += n;
    }
    fprintf(stderr, "[%s] %s", h ? h->label : "pd", s);
}

static int setup_instance(host_instance *h, const char *dir, const char *name)
{
    libpd_set_instancedata(h, NULL);
    libpd_set_printhook(print_hook);
    libpd_init_audio(NIN, NOUT, SR);
    if (!(h->patch = libpd_openfile(name, dir))) {
        fprintf(stderr, "sidecar-libpd: cannot open %s/%s\n", dir, name);
        return -1;
    }
    /* Messages reach the object through [r sidecar-ctl]; receive names are per instance. */
    libpd_start_message(1);
    libpd_add_float((float)h->threshold);
    libpd_finish_message("sidecar-ctl", "threshold");
    libpd_start_message(1);
    libpd_add_float(LOOKAHEAD_MS);
    libpd_finish_message("sidecar-ctl", "lookahead");
    libpd_start_message(1);
    libpd_add_float(1);
    libpd_finish_message("pd", "dsp");
    return 0;
}

/* The audio outlets are LATENCY samples late: output frame i carries input frame i - LATENCY.
 * env_out is not late: it tells the gain applied to the audio leaving in the same frame. So
 * every window below is of output frames, [a, b) with a >= LATENCY. */

/* RMS of (out L - MAIN L), i.e. of the ducked pad alone. */
static double ducked_rms(const float *in, const float *out, int a, int b)
{
    double sum = 0;
    for (int i = a; i < b; i++) {
        double d = (double)out[i * NOUT] - in[(i - LATENCY) * NIN];
        sum += d * d;
    }
    return sqrt(sum / (b - a));
}

/* Largest |out L - (MAIN L + pad)|: 0 while the pad passes untouched. */
static double passthrough_error(const float *in, const float *out, int a, int b)
{
    double worst = 0;
    for (int i = a; i < b; i++) {
        const float *x = in + (i - LATENCY) * NIN;
        double d = fabs((double)out[i * NOUT] - x[0] - x[2]);
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* pad as it leaves, LATENCY late */
static double pad_rms(const float *in, int a, int b)
{
    double sum = 0;
    for (int i = a - LATENCY; i < b - LATENCY; i++)
        sum += (double)in[i * NIN + 2] * in[i * NIN + 2];
    return sqrt(sum / (b - a));
}

static double env_mean(const float *out, int a, int b)
{
    double sum = 0;
    for (int i = a; i < b; i++)
        sum += out[i * NOUT + 2];
    return sum / (b - a);
}

static int check(const char *label, const char *what, int ok, double value)
{
    printf("%s %s [%s]: %.4f\n", ok ? "ok  " : "FAIL", what, label, value);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "duck.pd";
    char dir[1024];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");

    float *in = malloc(sizeof(float) * FRAMES * NIN);
    if (!in)
        return 1;
    for (int i = 0; i < FRAMES; i++) {
        double t = (double)i / SR;
        double kick = (i >= KICK_ON && i < KICK_OFF) ? 0.5 * sin(2 * PI * 60 * t) : 0;
        double pad = 0.25 * sin(2 * PI * 440 * t);
        in[i * NIN + 0] = in[i * NIN + 1] = (float)kick;
        in[i * NIN + 2] = in[i * NIN + 3] = (float)pad;
    }

    libpd_init();
    sidecar_tilde_setup(); /* once, after libpd_init(): the class serves every instance */

    host_instance *inst[2] = {NULL, NULL};
    t_pdinstance *pdi[2] = {libpd_main_instance(), NULL};
    inst[0] = calloc(1, sizeof **inst);
    *inst[0] = (host_instance){.label = "main", .threshold = -18};
    int ninst = 1;
    if (setup_instance(inst[0], dir, name))
        return 1;
    /* NULL unless libpd was built with MULTI=true */
    pdi[1] = libpd_new_instance();
    if (pdi[1]) {
        inst[1] = calloc(1, sizeof **inst);
        *inst[1] = (host_instance){.label = "second", .threshold = -40};
        if (setup_instance(inst[1], dir, name))
            return 1;
        ninst = 2;
    }

    /* `print` answers on the console: the version (so the object exists: a libpd built with
     * another float size refuses the class) and the latency that `lookahead 5` brings. */
    int failed = 0;
    for (int k = 0; k < ninst; k++) {
        const char *l = inst[k]->label;
        libpd_set_instance(pdi[k]);
        libpd_start_message(0);
        libpd_finish_message("sidecar-ctl", "print");
        failed += check(l, "print shows the version " SIDECAR_VERSION,
                        strstr(inst[k]->console, "sidecar~ " SIDECAR_VERSION) != NULL, 0);
        const char *at = strstr(inst[k]->console, "latency: ");
        int latency = -1;
        if (at)
            sscanf(at, "latency: %d", &latency);
        failed += check(l, "print shows the latency of lookahead 5 ms, samples (240)",
                        latency == LATENCY, latency);
    }
    if (failed) {
        printf("sidecar-libpd: FAILED, no working sidecar~ in the patch (see the console)\n");
        return 1;
    }

    /* Interleave the instances tick by tick: shared state between them would show.
     * `trigger 12` goes in before the first block from TRIGGER_AT on. */
    int block = libpd_blocksize();
    int trig = (TRIGGER_AT + block - 1) / block * block;
    for (int f = 0; f + block <= FRAMES; f += block)
        for (int k = 0; k < ninst; k++) {
            libpd_set_instance(pdi[k]);
            if (f == trig) {
                libpd_start_message(1);
                libpd_add_float(TRIGGER_DB);
                libpd_finish_message("sidecar-ctl", "trigger");
            }
            libpd_process_float(1, in + f * NIN, inst[k]->out + f * NOUT);
        }

    double red[2] = {0, 0};
    for (int k = 0; k < ninst; k++) {
        const float *out = inst[k]->out;
        const char *l = inst[k]->label;
        /* out L - MAIN L is the ducked pad alone: duck mode passes MAIN through untouched.
         * Before the trigger: out L is MAIN L + pad exactly, LATENCY samples late (a wrong
         * delay would leave the 440 Hz pad in the difference), and no envelope. */
        double err = passthrough_error(in, out, SR / 20, trig);
        failed += check(l, "before the trigger, |out L - (MAIN L + pad)| 240 samples late (0)",
                        err < 1e-6, err);
        failed += check(l, "env_out before the trigger (0)",
                        fabs(env_mean(out, SR / 20, trig)) < 1e-6, env_mean(out, SR / 20, trig));
        /* The block after `trigger 12`: the gain jumps to -12 dB, then releases (100 ms). */
        double tred = -20 * log10(ducked_rms(in, out, trig, trig + block) /
                                  pad_rms(in, trig, trig + block));
        failed += check(l, "pad reduction in the block after trigger 12, dB (11.5..12)",
                        tred > 11.5 && tred <= 12, tred);
        failed += check(l, "24 * env_out at the trigger, dB (12)",
                        fabs(24 * out[trig * NOUT + 2] - TRIGGER_DB) < 0.1,
                        24 * out[trig * NOUT + 2]);
        /* While the kick plays (after 250 ms of it: well past the 10 ms attack). */
        int a = KICK_ON + SR / 4, b = KICK_OFF;
        red[k] = -20 * log10(ducked_rms(in, out, a, b) / pad_rms(in, a, b));
        failed += check(l, "pad reduction during the kick, dB (> 6)", red[k] > 6, red[k]);
        /* env_out = reduction / 24 at envMag 1: its mean must tell the same depth. */
        double env_db = 24 * env_mean(out, a, b);
        failed += check(l, "24 * env_out during the kick vs reduction, dB (< 1.5 apart)",
                        fabs(env_db - red[k]) < 1.5, env_db);
    }
    if (ninst == 2)
        /* 22 dB lower threshold at ratio 4: about 16 dB deeper; 6 dB is a safe margin. */
        failed += check("both", "second instance ducks deeper than the main one, dB (> 6)",
                        red[1] - red[0] > 6, red[1] - red[0]);
    printf("sidecar-libpd: %d instance%s, %s\n", ninst, ninst > 1 ? "s" : "",
           failed ? "FAILED" : "all checks passed");

    for (int k = 0; k < ninst; k++) { /* closing frees the objects (and the delay lines) */
        libpd_set_instance(pdi[k]);
        libpd_closefile(inst[k]->patch);
    }
    if (pdi[1])
        libpd_free_instance(pdi[1]);
    free(inst[0]);
    free(inst[1]);
    free(in);
    return failed ? 1 : 0;
}
