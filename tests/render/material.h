/*
 * Test material for the render-and-compare tests: deterministic, generated on the fly, written
 * as float WAV. Realistic enough to exercise the object the way users do: a kick train that
 * ducks a pad, a kick+pad mix for the compressor, and slow CV sweeps that run past +-1.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef MATERIAL_H
#define MATERIAL_H

/* What a case plays into an inlet. MAT_NONE = leave the inlet unpatched. */
typedef enum {
    MAT_NONE = 0,
    MAT_KICK_L,  /* ~55 Hz kick, 120 bpm, pitch and amplitude envelopes, peak ~0.9 */
    MAT_KICK_R,  /* the same pattern, a little lower and quieter: a stereo kick bus */
    MAT_PAD_L,   /* Am7 chord of detuned saws, low-passed, slow swell, peak ~0.5 */
    MAT_PAD_R,   /* the same chord with other detunings and phases */
    MAT_MIX_L,   /* KICK_L + 0.6 PAD_L: a mix bus for the compressor */
    MAT_MIX_R,   /* KICK_R + 0.6 PAD_R */
    MAT_CV_TRI,  /* triangle -2.2..+1.2, 1.6 s period: takes threshold past both clamps */
    MAT_CV_SINE, /* sine, amplitude 1.6, 0.7 Hz: takes the 0..2 factors past both clamps */
    MAT_CV_RAMP, /* straight ramp -1.5 -> +1.5 over the case */
    MAT_KICK_L_NONFINITE, /* KICK_L with a NaN, +Inf or -Inf every 997 samples */
    MAT_CV_SINE_NONFINITE, /* CV_SINE with a NaN, +Inf or -Inf every 1009 samples */
    MAT_SILENCE, /* zeros, but patched: a hard-panned key's empty side */
    MAT_HATS,    /* hi-hat-like bursts (7-12 kHz partials, 40 ms decay) on the off-beats and
                    16ths between the kicks, peak ~0.6: loud to a full-band detector only */
    MAT_KICK_HATS, /* KICK_L + HATS: a drum bus for sc_lpf */
    MAT_SINE_L,  /* 220 Hz sine, amplitude 0.25 / 0.7 alternating every 0.5 s: RMS vs peak */
    MAT_SINE_R,  /* 330 Hz sine, amplitude 0.6 / 0.2, the other way round */
    /* v0.3 */
    MAT_KICK_L_INV, /* -KICK_L: with KICK_L on the other channel, a key that is all side */
    MAT_BURSTS_NOTE, /* 150 Hz sine at 0.7: 40 ms bursts every 0.2 s from 0.1 s to 1.3 s, then
                        one long note from 1.5 s to 2.7 s, then silence: slow_release's case */
    MAT_TONE_GATED,  /* 1 kHz sine at 0.6 (exactly 48 samples a cycle at 48 kHz: every half-cycle
                        reads the same), on for 0.4 s + 7 samples more each time, every 0.75 s
                        from 0.2 s: a steady tone that stops at a new phase each time (hold) */
    MAT_COUNT
} material;

/* Fill out[0..n-1] with material m at sample rate sr. */
void material_render(material m, float *out, long n, double sr);
const char *material_name(material m);

#endif
