/*
 * Test material (see material.h). Everything is a pure function of the sample index and the
 * sample rate, so every run writes bit-identical files.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "material.h"

#include <math.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* A kick every 0.5 s from 0.25 s: a sine whose pitch falls from f0 + 110 Hz to f0 in ~30 ms,
 * 2 ms fade-in (no click), exponential decay. The phase is integrated in closed form. */
static double kick(double t, double f0, double amp)
{
    const double period = 0.5, first = 0.25, drop = 110.0, tau_f = 0.030, tau_a = 0.18;
    if (t < first)
        return 0.0;
    double u = fmod(t - first, period);
    double phase = 2 * PI * (f0 * u + drop * tau_f * (1 - exp(-u / tau_f)));
    double fade = u < 0.002 ? u / 0.002 : 1.0;
    return amp * fade * exp(-u / tau_a) * sin(phase);
}

/* Am7 (A3 C4 E4 G4), two naive saws per note detuned by +-cents, one-pole low-pass at 2.5 kHz,
 * 0.4 s swell. The saws' jumps make any misalignment between files obvious. */
static void pad(float *out, long n, double sr, double cents, double phase0)
{
    static const double notes[4] = {220.0, 261.626, 329.628, 391.995};
    double lp = 0.0, a = exp(-2 * PI * 2500.0 / sr);
    for (long i = 0; i < n; i++) {
        double t = i / sr, sum = 0.0;
        for (int k = 0; k < 4; k++) {
            for (int d = -1; d <= 1; d += 2) {
                double f = notes[k] * pow(2.0, d * cents / 1200.0);
                double ph = fmod(f * t + phase0 + 0.13 * k + 0.29 * (d > 0), 1.0);
                sum += 2 * ph - 1;
            }
        }
        lp = a * lp + (1 - a) * sum;
        out[i] = (float)(0.11 * (1 - exp(-t / 0.4)) * lp);
    }
}

/* Hi-hat-like bursts: four inharmonic partials between 7 and 12 kHz under a 2 ms fade-in and a
 * fast exponential decay, every 0.125 s from 0.3125 s (between and on top of the kicks). */
static double hats(double t, double sr)
{
    static const double partials[4] = {7219.0, 8123.0, 9677.0, 11311.0};
    const double first = 0.3125, period = 0.125, tau = 0.012;
    if (t < first)
        return 0.0;
    double u = fmod(t - first, period), sum = 0.0;
    for (int k = 0; k < 4; k++)
        if (partials[k] < 0.45 * sr)
            sum += sin(2 * PI * partials[k] * u + 0.7 * k);
    double fade = u < 0.002 ? u / 0.002 : 1.0;
    return 0.18 * fade * exp(-u / tau) * sum;
}

/* A sine whose amplitude switches between a and b every 0.5 s (at a zero crossing of the
 * 0.5 s grid: f * 0.5 is a whole number of cycles for 220 and 330 Hz). */
static double stepped_sine(double t, double f, double a, double b)
{
    double amp = fmod(t, 1.0) < 0.5 ? a : b;
    return amp * sin(2 * PI * f * t);
}

/* 40 ms bursts every 0.2 s from 0.1 s to 1.3 s, then a note from 1.5 s to 2.7 s: a 150 Hz sine
 * at 0.7, each piece faded in and out over 2 ms. */
static double bursts_note(double t)
{
    double on0, on1;
    if (t >= 1.5) {
        on0 = 1.5;
        on1 = 2.7;
    } else {
        if (t < 0.1 || t >= 1.3)
            return 0.0;
        on0 = 0.1 + 0.2 * floor((t - 0.1) / 0.2);
        on1 = on0 + 0.04;
    }
    if (t < on0 || t >= on1)
        return 0.0;
    double fade = fmin(1.0, fmin(t - on0, on1 - t) / 0.002);
    return 0.7 * fade * sin(2 * PI * 150 * (t - on0));
}

/* A 1 kHz sine at 0.6, on for 0.4 s + 7k samples from 0.2 + 0.75k s: cut hard, so each stop
 * falls on another phase; the sine restarts at phase 0 each time. Computed from the sample index
 * (mod the period when sr is a multiple of 1 kHz), so that every cycle has the same bits. */
static double tone_gated(long i, double sr)
{
    long start = lround(0.2 * sr), every = lround(0.75 * sr), on = lround(0.4 * sr);
    if (i < start)
        return 0.0;
    long k = (i - start) / every, j = (i - start) % every;
    if (j >= on + 7 * k)
        return 0.0;
    long per = lround(sr / 1000);
    if (per * 1000 == lround(sr))
        j %= per;
    return 0.6 * sin(2 * PI * 1000 * (double)j / sr);
}

void material_render(material m, float *out, long n, double sr)
{
    switch (m) {
    case MAT_NONE:
        memset(out, 0, (size_t)n * sizeof *out);
        break;
    case MAT_KICK_L:
    case MAT_KICK_R:
        for (long i = 0; i < n; i++)
            out[i] = (float)(m == MAT_KICK_L ? kick(i / sr, 55.0, 0.9) : kick(i / sr, 50.0, 0.75));
        break;
    case MAT_PAD_L:
        pad(out, n, sr, 7.0, 0.0);
        break;
    case MAT_PAD_R:
        pad(out, n, sr, 11.0, 0.41);
        break;
    case MAT_MIX_L:
    case MAT_MIX_R:
        /* pad first, then add the kick in place: no scratch buffer needed */
        pad(out, n, sr, m == MAT_MIX_L ? 7.0 : 11.0, m == MAT_MIX_L ? 0.0 : 0.41);
        for (long i = 0; i < n; i++) {
            double k = m == MAT_MIX_L ? kick(i / sr, 55.0, 0.9) : kick(i / sr, 50.0, 0.75);
            out[i] = (float)(0.6 * out[i] + k);
        }
        break;
    case MAT_CV_TRI:
        for (long i = 0; i < n; i++) {
            double u = fmod(i / sr / 1.6, 1.0);            /* 0..1 per period */
            double tri = u < 0.5 ? 4 * u - 1 : 3 - 4 * u;  /* -1..1 */
            out[i] = (float)(-0.5 + 1.7 * tri);            /* -2.2..1.2 */
        }
        break;
    case MAT_CV_SINE:
        for (long i = 0; i < n; i++)
            out[i] = (float)(1.6 * sin(2 * PI * 0.7 * i / sr));
        break;
    case MAT_CV_RAMP:
        for (long i = 0; i < n; i++)
            out[i] = (float)(-1.5 + 3.0 * i / (n > 1 ? n - 1 : 1));
        break;
    case MAT_KICK_L_NONFINITE:
    case MAT_CV_SINE_NONFINITE: {
        /* bursts of garbage on a detector or CV input: SPEC treats them as 0 there */
        long every = m == MAT_KICK_L_NONFINITE ? 997 : 1009;
        const float bad[3] = {NAN, INFINITY, -INFINITY};
        material_render(m == MAT_KICK_L_NONFINITE ? MAT_KICK_L : MAT_CV_SINE, out, n, sr);
        for (long i = every; i < n; i += every)
            out[i] = bad[(i / every) % 3];
        break;
    }
    case MAT_SILENCE:
        memset(out, 0, (size_t)n * sizeof *out);
        break;
    case MAT_HATS:
    case MAT_KICK_HATS:
        for (long i = 0; i < n; i++)
            out[i] = (float)(hats(i / sr, sr) + (m == MAT_KICK_HATS ? kick(i / sr, 55.0, 0.9) : 0));
        break;
    case MAT_SINE_L:
    case MAT_SINE_R:
        for (long i = 0; i < n; i++)
            out[i] = (float)(m == MAT_SINE_L ? stepped_sine(i / sr, 220.0, 0.25, 0.7)
                                             : stepped_sine(i / sr, 330.0, 0.6, 0.2));
        break;
    case MAT_KICK_L_INV:
        for (long i = 0; i < n; i++)
            out[i] = (float)-kick(i / sr, 55.0, 0.9);
        break;
    case MAT_BURSTS_NOTE:
        for (long i = 0; i < n; i++)
            out[i] = (float)bursts_note(i / sr);
        break;
    case MAT_TONE_GATED:
        for (long i = 0; i < n; i++)
            out[i] = (float)tone_gated(i, sr);
        break;
    default:
        memset(out, 0, (size_t)n * sizeof *out);
        break;
    }
}

const char *material_name(material m)
{
    static const char *names[MAT_COUNT] = {"none",   "kick L", "kick R",  "pad L",   "pad R",
                                           "mix L",  "mix R",  "cv tri",  "cv sine", "cv ramp",
                                           "kick L nonfinite", "cv sine nonfinite", "silence",
                                           "hats", "kick+hats", "sine L", "sine R",
                                           "kick L inverted", "bursts+note", "tone gated"};
    return (int)m >= 0 && m < MAT_COUNT ? names[m] : "?";
}
