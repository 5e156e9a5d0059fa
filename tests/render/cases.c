/*
 * The case table (see cases.h). At 48 kHz the kicks start at samples 12000 + 24000 k; event
 * times are written as B(blocks) so that they sit on Pd's 64-sample block boundaries, and most
 * are placed just before or inside a kick so that a wrong index would show.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#include "cases.h"

#include <string.h>

#define B(blocks) ((long)(blocks) * 64)

/* inlet order: MAIN L, MAIN R, SC L, SC R, threshold CV, envMag CV, inputLevel CV */
#define DUCK_IN MAT_KICK_L, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R
#define NO_CV MAT_NONE, MAT_NONE, MAT_NONE
/* where the body of the patch runs: the top level, or a subpatch with [block~ N 1 up] */
#define TOP 0, 1
#define SUB(n, up) n, up

const rc_case rc_cases[] = {
    /* alignment first: if this fails, every other case is meaningless */
    {"align-bypass", RC_BYPASS, 48000, 2, TOP, "",
     {MAT_KICK_L, MAT_KICK_R, MAT_PAD_L, MAT_NONE, NO_CV},
     {{B(374), 0, "1"}, {B(1000), 0, "-0.5"}}},

    {"duck-defaults", RC_OBJECT, 48000, 4, TOP, "", {DUCK_IN, NO_CV}, {{0}}},
    {"duck-flags", RC_OBJECT, 48000, 4, TOP,
     "-threshold -30 -ratio 8 -attack 1 -release 250 -knee 0 -makeup 6 -sc_hpf 120",
     {DUCK_IN, NO_CV}, {{0}}},
    /* every flag at or past its limits (clamped), and the two aliases */
    {"duck-flags-clamped", RC_OBJECT, 48000, 3, TOP,
     "-threshold -100 -ratio 50 -attack 0.01 -release 5000 -knee 30 -env_mag 3 "
     "-input_level 0.5 -makeup 30 -sc_hpf 2000",
     {DUCK_IN, NO_CV}, {{0}}},
    {"duck-soft", RC_OBJECT, 48000, 3, TOP,
     "-threshold -12 -ratio 2.5 -attack 40 -release 900 -knee 24 -envMag 1.5 -inputLevel 1.8",
     {DUCK_IN, NO_CV}, {{0}}},

    {"comp-self", RC_OBJECT, 48000, 4, TOP, "-mode comp",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"comp-self-flags", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -threshold -24 -ratio 6 -attack 3 -release 60 -knee 12 -makeup 8 -sc_hpf 90",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"comp-keyed", RC_OBJECT, 48000, 4, TOP, "-mode comp",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_KICK_R, NO_CV}, {{0}}},

    /* normalling */
    {"norm-main-r", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L, MAT_NONE, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"norm-sc-r", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L, MAT_KICK_R, MAT_PAD_L, MAT_NONE, NO_CV}, {{0}}},
    {"norm-sc-pair", RC_OBJECT, 48000, 3, TOP, "-makeup 12 -input_level 2",
     {MAT_KICK_L, MAT_KICK_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"norm-only-sc-r", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L, MAT_KICK_R, MAT_NONE, MAT_PAD_R, NO_CV}, {{0}}},
    {"norm-only-main-l", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L, MAT_NONE, MAT_PAD_L, MAT_NONE, NO_CV}, {{0}}},
    {"comp-norm-main-r", RC_OBJECT, 48000, 3, TOP, "-mode comp",
     {MAT_MIX_L, MAT_NONE, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"comp-norm-sc-r", RC_OBJECT, 48000, 3, TOP, "-mode comp",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_NONE, NO_CV}, {{0}}},
    {"comp-only-sc-r", RC_OBJECT, 48000, 3, TOP, "-mode comp",
     {MAT_PAD_L, MAT_PAD_R, MAT_NONE, MAT_KICK_R, NO_CV}, {{0}}},
    /* a float to an unconnected SC R does not make it patched: still normalled to SC L */
    {"float-unpatched-sc-r", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L, MAT_KICK_R, MAT_PAD_L, MAT_NONE, NO_CV}, {{0, 3, "0.5"}, {B(900), 3, "-0.3"}}},

    /* CV signals, each past its clamps */
    {"cv-threshold", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, MAT_CV_TRI, MAT_NONE, MAT_NONE}, {{0}}},
    {"cv-env-mag", RC_OBJECT, 48000, 4, TOP, "-threshold -30",
     {DUCK_IN, MAT_NONE, MAT_CV_SINE, MAT_NONE}, {{0}}},
    {"cv-input-level", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, MAT_NONE, MAT_NONE, MAT_CV_RAMP}, {{0}}},
    {"cv-all-comp", RC_OBJECT, 48000, 4, TOP, "-mode comp -makeup 4",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, MAT_CV_SINE, MAT_CV_TRI, MAT_CV_RAMP}, {{0}}},
    /* floats to the CV inlets: constant CV, changed mid-stream, past the clamps */
    {"cv-float", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, NO_CV},
     {{0, 4, "0.4"}, {0, 5, "-0.5"}, {0, 6, "2.5"},
      {B(1500), 4, "-3"}, {B(1500), 6, "-0.7"}, {B(2250), 5, "4"}, {B(2600), 4, "0"}}},

    /* knob messages mid-stream: every parameter, both aliases, one clamped value */
    {"knobs-duck", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, NO_CV},
     {{B(500), 0, "threshold -36"}, {B(875), 0, "ratio 12"}, {B(938), 0, "attack 0.5"},
      {B(1250), 0, "release 600"}, {B(1318), 0, "knee 0"}, {B(1625), 0, "envMag 1.7"},
      {B(1719), 0, "input_level 1.6"}, {B(2000), 0, "makeup 9"}, {B(2079), 0, "sc_hpf 400"},
      {B(2375), 0, "env_mag 0.3"}, {B(2500), 0, "threshold -9"}, {B(2600), 0, "inputLevel 0.4"},
      {B(2750), 0, "ratio 1"}, {B(2850), 0, "knee 99"}}},
    {"knobs-comp", RC_OBJECT, 48000, 3, TOP, "-mode comp",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV},
     {{B(400), 0, "threshold -30"}, {B(600), 0, "attack 50"}, {B(950), 0, "release 20"},
      {B(1200), 0, "makeup 12"}, {B(1500), 0, "sc_hpf 1000"}, {B(1800), 0, "knee 18"}}},
    {"knobs-mode", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, NO_CV},
     {{B(750), 0, "mode comp"}, {B(1500), 0, "mode duck"}, {B(2250), 0, "mode comp"}}},
    {"knobs-reset", RC_OBJECT, 48000, 3, TOP, "-makeup 3",
     {DUCK_IN, NO_CV},
     {{B(969), 0, "reset"}, {B(1100), 0, "makeup 10"}, {B(1200), 0, "reset"}}},
    /* reset snaps the smoothers to the knobs (SPEC: "to its knob value"), not to knob + CV */
    {"knobs-reset-cv", RC_OBJECT, 48000, 3, TOP, "",
     {DUCK_IN, NO_CV},
     {{0, 4, "0.3"}, {0, 6, "-0.4"}, {0, 5, "0.5"}, {B(969), 0, "reset"}}},
    {"knob-timing", RC_TIMING, 48000, 3, TOP, "",
     {DUCK_IN, NO_CV},
     {{B(938), 0, "threshold -42"}, {B(1688), 0, "ratio 20"}}},

    /* connections made and broken while DSP runs: normalling follows from that block on */
    {"dynamic-connect-duck", RC_OBJECT, 48000, 4, TOP, "",
     {DUCK_IN, NO_CV},
     {{B(750), 2, "connect"}, {B(1125), 3, "connect"}, {B(1500), 2, "disconnect"},
      {B(1875), 1, "disconnect"}, {B(2250), 3, "disconnect"}, {B(2625), 2, "connect"}}},
    {"dynamic-connect-comp", RC_OBJECT, 48000, 4, TOP, "-mode comp",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_KICK_R, NO_CV},
     {{B(700), 2, "connect"}, {B(1300), 3, "connect"}, {B(1900), 2, "disconnect"},
      {B(2500), 3, "disconnect"}}},

    /* NaN and +-Inf on a detector input and on every CV inlet: treated as 0 there, the state
     * stays finite; in duck mode a non-finite MAIN still passes through untouched */
    {"nonfinite-comp-keyed", RC_OBJECT, 48000, 3, TOP, "-mode comp",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L_NONFINITE, MAT_KICK_R, MAT_CV_SINE_NONFINITE,
      MAT_CV_SINE_NONFINITE, MAT_CV_SINE_NONFINITE},
     {{0}}},
    {"nonfinite-duck", RC_OBJECT, 48000, 3, TOP, "",
     {MAT_KICK_L_NONFINITE, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_SINE_NONFINITE,
      MAT_NONE, MAT_NONE},
     {{0}}},

    /* the same garbage with every option on: the low-pass, RMS average and hold stay finite;
     * a NaN on MAIN comes out N samples late */
    {"nonfinite-options", RC_OBJECT, 48000, 3, TOP,
     "-lookahead 3 -rms 5 -sc_lpf 500 -hold 10 -link 0.5 -mix 0.7 -range 30 -threshold -30",
     {MAT_KICK_L_NONFINITE, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_SINE_NONFINITE, MAT_NONE,
      MAT_CV_SINE_NONFINITE},
     {{0}}},
    {"nonfinite-options-comp", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -rms 2 -sc_lpf 300 -hold 30 -link 0 -lookahead 1",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L_NONFINITE, MAT_KICK_R, MAT_NONE, MAT_CV_SINE_NONFINITE,
      MAT_NONE},
     {{0}}},

    /* inside a subpatch: a smaller and a larger [block~] (the output must not depend on the
     * block size), and 2x up-sampling (the object then runs at 96 kHz inside Pd at 48 kHz) */
    {"block-16", RC_OBJECT, 48000, 3, SUB(16, 1), "-threshold -26 -knee 3",
     {DUCK_IN, MAT_CV_TRI, MAT_NONE, MAT_NONE},
     {{B(600), 0, "attack 3"}, {B(1100), 0, "mode comp"}, {B(1500), 6, "0.5"}}},
    {"block-1024", RC_OBJECT, 48000, 3, SUB(1024, 1), "-ratio 7 -release 40",
     {DUCK_IN, MAT_NONE, MAT_CV_SINE, MAT_CV_RAMP}, {{0}}},
    /* block-1024 at the top level: the suite also checks that both write the same bits */
    {"block-64-twin", RC_OBJECT, 48000, 3, TOP, "-ratio 7 -release 40",
     {DUCK_IN, MAT_NONE, MAT_CV_SINE, MAT_CV_RAMP}, {{0}}},
    {"upsampled-2x", RC_OBJECT, 96000, 3, SUB(64, 2), "-threshold -30 -sc_hpf 80",
     {DUCK_IN, MAT_NONE, MAT_NONE, MAT_CV_SINE},
     {{B(2000), 0, "ratio 9"}, {B(3002), 0, "knee 0"}}},

    /* other sample rates */
    {"sr-44100", RC_OBJECT, 44100, 3, TOP, "-threshold -24 -attack 2 -release 300 -sc_hpf 150",
     {DUCK_IN, MAT_CV_TRI, MAT_NONE, MAT_NONE},
     {{B(1000), 0, "knee 12"}, {B(1400), 0, "ratio 10"}}},
    {"sr-96000", RC_OBJECT, 96000, 3, TOP, "-mode comp -ratio 5",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, MAT_NONE, MAT_CV_SINE, MAT_NONE},
     {{B(2000), 0, "attack 2"}, {B(3000), 0, "release 40"}, {B(3500), 0, "threshold -28"}}},
    /* ---- v0.2 options ------------------------------------------------------------------ */
    /* each option on its own, by flag */
    {"opt-range", RC_OBJECT, 48000, 3, TOP, "-threshold -40 -ratio 12 -knee 0 -range 9",
     {DUCK_IN, NO_CV}, {{0}}},
    {"opt-range-0", RC_OBJECT, 48000, 2, TOP, "-threshold -40 -range 0 -makeup 4",
     {DUCK_IN, NO_CV}, {{0}}},
    {"opt-hold", RC_OBJECT, 48000, 3, TOP, "-hold 120 -release 60 -attack 2",
     {DUCK_IN, NO_CV}, {{0}}},
    {"opt-lookahead", RC_OBJECT, 48000, 3, TOP, "-lookahead 5 -attack 1",
     {DUCK_IN, NO_CV}, {{0}}},
    /* lookahead in comp mode: the gain moves N samples before the sound it reacts to */
    {"opt-lookahead-comp", RC_OBJECT, 48000, 3, TOP, "-mode comp -lookahead 20 -attack 3",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"opt-mix-half", RC_OBJECT, 48000, 3, TOP, "-mix 0.5 -makeup 6 -threshold -30",
     {DUCK_IN, NO_CV}, {{0}}},
    /* mix 0: the dry signal times inputLevel, whatever the detector does */
    {"opt-mix-0-comp", RC_OBJECT, 48000, 2, TOP, "-mode comp -mix 0 -input_level 0.7 -makeup 9",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    /* RMS on sines (reads 3 dB under the peak) and on the kick */
    {"opt-rms-sine", RC_OBJECT, 48000, 3, TOP, "-mode comp -rms 30 -threshold -24 -knee 0",
     {MAT_SINE_L, MAT_SINE_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"opt-peak-sine", RC_OBJECT, 48000, 3, TOP, "-mode comp -threshold -24 -knee 0",
     {MAT_SINE_L, MAT_SINE_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"opt-rms-kick", RC_OBJECT, 48000, 3, TOP, "-rms 10", {DUCK_IN, NO_CV}, {{0}}},
    /* link 0 with a hard-panned key: only the left side ducks; link 0.5 on a stereo kick */
    {"opt-link-0-panned", RC_OBJECT, 48000, 3, TOP, "-link 0 -threshold -24",
     {MAT_KICK_L, MAT_SILENCE, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    /* the key on the right: env_out follows the deeper channel, R */
    {"opt-link-0-panned-right", RC_OBJECT, 48000, 2, TOP, "-link 0 -threshold -24 -envMag 1.3",
     {MAT_SILENCE, MAT_KICK_L, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"opt-link-half", RC_OBJECT, 48000, 3, TOP, "-link 0.5 -threshold -24",
     {MAT_KICK_L, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    /* sc_lpf: a kick + hi-hat bus as the key; at 150 Hz the hats stop ducking the pad */
    {"opt-sc-lpf", RC_OBJECT, 48000, 3, TOP, "-sc_lpf 150 -threshold -30",
     {MAT_KICK_HATS, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"opt-sc-lpf-off-hats", RC_OBJECT, 48000, 3, TOP, "-threshold -30",
     {MAT_KICK_HATS, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},

    /* each option by message, mid-stream */
    {"msg-range", RC_OBJECT, 48000, 3, TOP, "-threshold -40 -ratio 20",
     {DUCK_IN, NO_CV},
     {{B(400), 0, "range 6"}, {B(950), 0, "range 120"}, {B(1300), 0, "range 0"},
      {B(1700), 0, "range 15.5"}}},
    {"msg-hold", RC_OBJECT, 48000, 3, TOP, "-release 40",
     {DUCK_IN, NO_CV},
     {{B(300), 0, "hold 200"}, {B(1000), 0, "hold 0"}, {B(1500), 0, "hold 1000"},
      {B(2000), 0, "hold 30"}}},
    /* every change of lookahead empties the delay line (zeros for N samples) */
    {"msg-lookahead", RC_OBJECT, 48000, 3, TOP, "-threshold -30",
     {DUCK_IN, NO_CV},
     {{B(300), 0, "lookahead 3"}, {B(900), 0, "lookahead 12"}, {B(1200), 0, "lookahead 12.5"},
      {B(1500), 0, "lookahead 0"}, {B(1800), 0, "lookahead 20"}, {B(2000), 0, "lookahead 7"}}},
    {"msg-mix", RC_OBJECT, 48000, 3, TOP, "-makeup 6 -threshold -30",
     {DUCK_IN, NO_CV},
     {{B(400), 0, "mix 0"}, {B(900), 0, "mix 0.5"}, {B(1400), 0, "mix 1"},
      {B(1800), 0, "mix 0.25"}, {B(2000), 0, "reset"}}},
    {"msg-rms", RC_OBJECT, 48000, 3, TOP, "-mode comp -threshold -30",
     {MAT_SINE_L, MAT_SINE_R, MAT_NONE, MAT_NONE, NO_CV},
     {{B(300), 0, "rms 50"}, {B(1000), 0, "rms 0"}, {B(1300), 0, "rms 5"},
      {B(1800), 0, "rms 300"}}},
    /* link 0.3 -> 1 while the panned key has the channels apart (hold too: the larger h goes
     * on), back to 0, and to 1 again */
    {"msg-link", RC_OBJECT, 48000, 3, TOP, "-link 0.3 -hold 40 -threshold -26",
     {MAT_KICK_L, MAT_SILENCE, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(570), 0, "link 1"}, {B(1000), 0, "link 0"}, {B(1320), 0, "link 1"},
      {B(1700), 0, "link 0.8"}}},
    /* sc_lpf on, off for two blocks in a kick (state zeroed: on again from rest), off for
     * longer, on again, then new frequencies while on (state kept) */
    {"msg-sc-lpf", RC_OBJECT, 48000, 3, TOP, "-threshold -30 -sc_lpf 150",
     {MAT_KICK_HATS, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(566), 0, "sc_lpf 20000"}, {B(568), 0, "sc_lpf 150"}, {B(750), 0, "sc_lpf 20000"},
      {B(1000), 0, "sc_lpf 120"}, {B(1500), 0, "sc_lpf 2500"}, {B(1900), 0, "sc_lpf 60"}}},

    /* trigger: pumping with no key (MAIN unconnected, SC = pad), hold and range */
    {"trigger-pump", RC_OBJECT, 48000, 3, TOP, "-hold 50 -range 18 -release 150",
     {MAT_NONE, MAT_NONE, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(100), 0, "trigger 30"}, {B(288), 0, "trigger 30"}, {B(476), 0, "trigger 12"},
      {B(664), 0, "trigger 30"}, {B(852), 0, "trigger 6"}, {B(1040), 0, "trigger 30"},
      {B(1228), 0, "trigger 200"}, {B(1416), 0, "trigger 24"}, {B(1604), 0, "trigger 24"},
      {B(1650), 0, "hold 0"}, {B(1792), 0, "trigger 24"}, {B(1980), 0, "trigger 9"},
      {B(2168), 0, "range 120"}, {B(2168), 0, "trigger 40"}}},
    /* the same trigger one block early or late must not match: proves its sample */
    {"trigger-timing", RC_TIMING, 48000, 2, TOP, "-hold 20 -release 80",
     {MAT_NONE, MAT_NONE, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(300), 0, "trigger 24"}, {B(900), 0, "trigger 12"}}},
    /* trigger with a key: the detector's reduction applies whenever deeper; two triggers
     * before one block (the deeper counts); trigger then reset (undone); reset then trigger */
    {"trigger-keyed", RC_OBJECT, 48000, 3, TOP, "-hold 80 -release 120",
     {DUCK_IN, NO_CV},
     {{B(150), 0, "trigger 6"}, {B(190), 0, "trigger 40"}, {B(500), 0, "trigger 10"},
      {B(500), 0, "trigger 20"}, {B(800), 0, "trigger 30"}, {B(800), 0, "reset"},
      {B(1100), 0, "reset"}, {B(1100), 0, "trigger 15"}, {B(1500), 0, "trigger 0"},
      {B(1900), 0, "trigger 12"}, {B(1900), 0, "hold 300"}}}, /* H of the block it acts in */
    /* comp mode, self-detecting, trigger clipped by range, and by a range set in the same gap */
    {"trigger-comp", RC_OBJECT, 48000, 3, TOP, "-mode comp -hold 20 -range 10",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV},
     {{B(300), 0, "trigger 50"}, {B(700), 0, "range 25"}, {B(700), 0, "trigger 50"},
      {B(1200), 0, "trigger 5"}}},
    /* trigger with lookahead and mix: the gain drops before the delayed audio gets there */
    {"trigger-lookahead-mix", RC_OBJECT, 48000, 2, TOP, "-lookahead 10 -mix 0.7 -hold 30",
     {DUCK_IN, NO_CV},
     {{B(100), 0, "trigger 20"}, {B(700), 0, "trigger 36"}, {B(1100), 0, "lookahead 2"},
      {B(1101), 0, "trigger 18"}}},

    /* combinations */
    {"combo-range-hold", RC_OBJECT, 48000, 3, TOP, "-range 12 -hold 100 -threshold -36",
     {DUCK_IN, NO_CV}, {{0}}},
    {"combo-rms-link-lpf", RC_OBJECT, 48000, 3, TOP, "-rms 15 -link 0.4 -sc_lpf 300",
     {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"combo-lookahead-mix-comp", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -lookahead 8 -mix 0.6 -makeup 5 -threshold -28",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_KICK_R, NO_CV}, {{0}}},
    /* all seven on at once, the three CVs patched; messages to every option mid-stream */
    {"all-seven-cv", RC_OBJECT, 48000, 3, TOP,
     "-range 30 -hold 25 -lookahead 4 -mix 0.8 -rms 8 -link 0.6 -sc_lpf 400 -threshold -30 "
     "-makeup 3",
     {DUCK_IN, MAT_CV_TRI, MAT_CV_SINE, MAT_CV_RAMP}, {{0}}},
    {"all-seven-cv-msgs", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -range 24 -hold 40 -lookahead 6 -mix 0.9 -rms 12 -link 0.2 -sc_lpf 250",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_HATS, MAT_KICK_R, MAT_CV_SINE, MAT_CV_TRI, MAT_CV_RAMP},
     {{B(400), 0, "range 40"}, {B(600), 0, "hold 100"}, {B(800), 0, "lookahead 15"},
      {B(1000), 0, "mix 0.4"}, {B(1200), 0, "rms 40"}, {B(1400), 0, "link 1"},
      {B(1600), 0, "sc_lpf 20000"}, {B(1800), 0, "trigger 50"}, {B(1900), 0, "mode duck"},
      {B(2000), 0, "sc_lpf 900"}, {B(2100), 0, "link 0"}, {B(2200), 0, "reset"}}},

    /* duck mode with the SC pair unpatched: SC = 0 is what is delayed, so connecting it
     * mid-stream shows the pad N samples later; disconnecting it leaves N samples of pad */
    {"lookahead-sc-connect", RC_OBJECT, 48000, 3, TOP, "-lookahead 10 -makeup 3",
     {DUCK_IN, NO_CV},
     {{B(750), 2, "connect"}, {B(750), 3, "connect"}, {B(1500), 2, "disconnect"},
      {B(1500), 3, "disconnect"}, {B(1900), 2, "connect"}}},
    /* a mode change does not touch the delay line */
    {"lookahead-mode", RC_OBJECT, 48000, 3, TOP, "-lookahead 6",
     {DUCK_IN, NO_CV}, {{B(700), 0, "mode comp"}, {B(1400), 0, "mode duck"}}},
    /* reset clears trigger, hold, rms, the low-pass and the delay line */
    {"reset-options", RC_OBJECT, 48000, 3, TOP,
     "-hold 300 -rms 40 -sc_lpf 200 -lookahead 9 -mix 0.5 -link 0.5",
     {DUCK_IN, NO_CV},
     {{B(500), 0, "mix 1"}, {B(560), 0, "trigger 30"}, {B(600), 0, "reset"},
      {B(1300), 0, "reset"}, {B(1700), 0, "mix 0"}, {B(1702), 0, "reset"}}},

    /* options inside subpatches: block sizes (1024 and its 64 twin must write the same bits),
     * block 16 and block 1 with messages, 2x up-sampling (N and H counted at 96 kHz) */
    {"options-block-1024", RC_OBJECT, 48000, 3, SUB(1024, 1),
     "-range 20 -hold 35 -lookahead 7 -mix 0.85 -rms 6 -link 0.5 -sc_lpf 350",
     {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_TRI, MAT_NONE, MAT_CV_SINE},
     {{0, 0, "trigger 24"}}},
    {"options-block-64-twin", RC_OBJECT, 48000, 3, TOP,
     "-range 20 -hold 35 -lookahead 7 -mix 0.85 -rms 6 -link 0.5 -sc_lpf 350",
     {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_TRI, MAT_NONE, MAT_CV_SINE},
     {{0, 0, "trigger 24"}}},
    {"options-block-16", RC_OBJECT, 48000, 2, SUB(16, 1), "-hold 20 -lookahead 3 -rms 4",
     {DUCK_IN, NO_CV},
     {{B(300), 0, "trigger 20"}, {B(600), 0, "lookahead 5"}, {B(900), 0, "link 0"},
      {B(1200), 0, "sc_lpf 500"}}},
    {"options-block-1", RC_OBJECT, 48000, 1, SUB(1, 1), "-hold 15 -lookahead 2 -mix 0.6",
     {DUCK_IN, NO_CV},
     {{B(200), 0, "trigger 18"}, {B(400), 0, "lookahead 4"}, {B(550), 0, "range 6"}}},
    {"options-upsampled-2x", RC_OBJECT, 96000, 2, SUB(64, 2),
     "-lookahead 5 -hold 30 -sc_lpf 180 -rms 5",
     {DUCK_IN, NO_CV},
     {{B(1000), 0, "trigger 20"}, {B(2000), 0, "lookahead 1.5"}}},
    /* 44.1 kHz: N = round(110.25) = 110, H = round(1455.3) = 1455 */
    {"options-sr-44100", RC_OBJECT, 44100, 3, TOP, "-lookahead 2.5 -hold 33 -sc_lpf 2000 -rms 3",
     {DUCK_IN, NO_CV},
     {{B(700), 0, "trigger 15"}, {B(1200), 0, "link 0.25"}}},

    /* ---- v0.3 options ------------------------------------------------------------------ */
    /* feedback alone by flag: several values, both modes; 1 at ratio 20 (a feedback design
     * cannot limit: about 2:1 at most) */
    {"fb-0.5", RC_OBJECT, 48000, 3, TOP, "-feedback 0.5 -threshold -30", {DUCK_IN, NO_CV}, {{0}}},
    {"fb-1", RC_OBJECT, 48000, 3, TOP, "-feedback 1 -threshold -30 -knee 0",
     {DUCK_IN, NO_CV}, {{0}}},
    {"fb-1-ratio-20-comp", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -feedback 1 -ratio 20 -threshold -30 -attack 1 -release 80",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"fb-0.25-comp-keyed", RC_OBJECT, 48000, 3, TOP, "-mode comp -feedback 0.25 -ratio 8",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_KICK_R, NO_CV}, {{0}}},
    /* channels apart: each channel's G feeds its own detector */
    {"fb-0.8-link-0", RC_OBJECT, 48000, 3, TOP, "-feedback 0.8 -link 0 -threshold -26",
     {MAT_KICK_L, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"fb-0.6-rms-lpf-range", RC_OBJECT, 48000, 3, TOP,
     "-feedback 0.6 -rms 10 -sc_lpf 300 -range 12 -threshold -34",
     {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    /* feedback by message, inside kicks: the previous input and gain are kept whatever f is,
     * so a change does not jump */
    {"msg-feedback", RC_OBJECT, 48000, 3, TOP, "-threshold -30 -ratio 10",
     {DUCK_IN, NO_CV},
     {{B(566), 0, "feedback 0.5"}, {B(942), 0, "feedback 1"}, {B(1318), 0, "feedback 0"},
      {B(1322), 0, "feedback 0.3"}, {B(1700), 0, "feedback 2"}, {B(2070), 0, "feedback -1"}}},
    /* feedback switched on inside kicks, with a fast attack and a 1 kHz detector high-pass (a
     * step in the detector input is then a spike the attack catches): the previous input was
     * kept while feedback was 0 (a stale or zero one would step further); reset sets it to 0
     * and the previous gain to 1 in a kick */
    {"msg-feedback-kept-input", RC_OBJECT, 48000, 3, TOP,
     "-attack 0.1 -release 800 -threshold -40 -ratio 20 -knee 0 -sc_hpf 1000",
     {DUCK_IN, NO_CV},
     {{B(566), 0, "feedback 1"}, {B(800), 0, "feedback 0"}, {B(1318), 0, "feedback 0.9"},
      {B(1700), 0, "reset"}}},
    /* feedback off and on again between two blocks (two messages at once, as a toggle and a
     * slider may send): no sample ran at 0, so nothing changes; listen shows the detector */
    {"msg-feedback-off-on", RC_OBJECT, 48000, 3, TOP,
     "-feedback 0.9 -listen 1 -threshold -30 -sc_hpf 300",
     {DUCK_IN, NO_CV},
     {{B(566), 0, "feedback 0"}, {B(566), 0, "feedback 0.9"}, {B(950), 0, "feedback 0"},
      {B(950), 0, "feedback 0.5"}, {B(1320), 0, "listen 0"}, {B(1330), 0, "feedback 0"},
      {B(1330), 0, "feedback 1"}}},
    /* triggers into a feedback detector with a fast attack: G[n-1] is the gain the previous
     * sample used, not the triggered one */
    {"fb-trigger-fast", RC_OBJECT, 48000, 3, TOP,
     "-feedback 1 -attack 0.1 -release 500 -threshold -40 -ratio 20 -knee 0",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_KICK_R, NO_CV},
     {{B(300), 0, "trigger 12"}, {B(700), 0, "trigger 30"}, {B(1100), 0, "trigger 18"},
      {B(1500), 0, "trigger 40"}, {B(1900), 0, "trigger 24"}}},
    /* trigger with feedback: the detector keeps hearing the triggered gain */
    {"fb-trigger", RC_OBJECT, 48000, 3, TOP, "-feedback 0.7 -hold 30 -threshold -30",
     {DUCK_IN, NO_CV},
     {{B(300), 0, "trigger 20"}, {B(700), 0, "trigger 40"}, {B(1500), 0, "link 0"},
      {B(1600), 0, "trigger 10"}}},

    /* mid/side: link 0 with a centred key ducks the middle of the pad and leaves its sides;
     * an all-side key ducks only the sides; link 1 reads |yM| + |yS| */
    {"ms-link-0-centred", RC_OBJECT, 48000, 3, TOP, "-ms 1 -link 0 -threshold -30",
     {MAT_KICK_L, MAT_KICK_L, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"ms-link-0-side-key", RC_OBJECT, 48000, 3, TOP, "-ms 1 -link 0 -threshold -30",
     {MAT_KICK_L, MAT_KICK_L_INV, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"ms-link-1", RC_OBJECT, 48000, 3, TOP, "-ms 1 -threshold -30",
     {DUCK_IN, NO_CV}, {{0}}},
    {"ms-comp-link-half", RC_OBJECT, 48000, 3, TOP, "-mode comp -ms 1 -link 0.5 -makeup 4",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    {"ms-comp-keyed-link-0", RC_OBJECT, 48000, 3, TOP, "-mode comp -ms 0.5 -link 0 -mix 0.7",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_HATS, NO_CV}, {{0}}},
    /* ms on and off mid-stream (its gains are kept as they are: "L" goes on as M) */
    {"msg-ms", RC_OBJECT, 48000, 3, TOP, "-link 0 -threshold -28",
     {MAT_KICK_L, MAT_KICK_L_INV, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(566), 0, "ms 1"}, {B(942), 0, "ms 0"}, {B(1318), 0, "ms 0.01"},
      {B(1700), 0, "link 1"}, {B(2070), 0, "ms 7"}}},

    /* slow release: short bursts release at `release`, the long note at about slow_release */
    {"slow-bursts-note", RC_OBJECT, 48000, 3.5, TOP,
     "-slow_release 1500 -release 60 -attack 2 -threshold -30",
     {MAT_BURSTS_NOTE, MAT_BURSTS_NOTE, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"slow-off-bursts-note", RC_OBJECT, 48000, 3.5, TOP, "-release 60 -attack 2 -threshold -30",
     {MAT_BURSTS_NOTE, MAT_BURSTS_NOTE, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"slow-comp", RC_OBJECT, 48000, 3, TOP, "-mode comp -slow_release 800 -release 30",
     {MAT_MIX_L, MAT_MIX_R, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},
    /* link 0 with a panned key, then link 1: both channels go on from the deeper s too */
    {"slow-link-join", RC_OBJECT, 48000, 3, TOP,
     "-slow_release 1000 -link 0 -threshold -26 -release 40",
     {MAT_KICK_L, MAT_SILENCE, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(600), 0, "link 1"}, {B(1000), 0, "link 0"}, {B(1330), 0, "link 1"}}},
    /* on, off (s back to 0: on again from rest), on, with a trigger that leaves s alone */
    {"msg-slow-release", RC_OBJECT, 48000, 3, TOP, "-threshold -32 -release 50",
     {DUCK_IN, NO_CV},
     {{B(400), 0, "slow_release 2000"}, {B(900), 0, "slow_release 0"},
      {B(950), 0, "slow_release 300"}, {B(1400), 0, "trigger 30"},
      {B(1700), 0, "slow_release 6000"}, {B(2100), 0, "slow_release 100"}}},
    {"slow-trigger", RC_OBJECT, 48000, 3, TOP, "-slow_release 1200 -hold 20 -release 70",
     {MAT_NONE, MAT_NONE, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(100), 0, "trigger 30"}, {B(300), 0, "trigger 30"}, {B(500), 0, "trigger 30"},
      {B(1500), 0, "trigger 12"}}},

    /* listen: the audio outlets carry the detector's filtered input, undelayed */
    {"listen-hpf-lpf", RC_OBJECT, 48000, 3, TOP, "-listen 1 -sc_hpf 200 -sc_lpf 3000",
     {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"listen-ms-comp-keyed", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -listen 1 -ms 1 -link 0 -sc_hpf 80 -sc_lpf 5000",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L, MAT_HATS, NO_CV}, {{0}}},
    {"listen-lookahead-fb", RC_OBJECT, 48000, 3, TOP, "-listen 0.5 -lookahead 5 -feedback 0.5",
     {DUCK_IN, NO_CV}, {{0}}},
    {"msg-listen", RC_OBJECT, 48000, 3, TOP, "-sc_lpf 400 -lookahead 3 -ms 1",
     {MAT_KICK_HATS, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(400), 0, "listen 1"}, {B(900), 0, "listen 0"}, {B(1300), 0, "listen 1"},
      {B(1500), 0, "ms 0"}, {B(1900), 0, "listen -3"}}},

    /* the hold on a steady tone that stops at a new phase each time (exactly periodic at
     * 48 kHz): with E the hold runs H samples from the tone's end; the reference with v0.2's
     * g* < g must disagree */
    {"hold-e-tone", RC_HOLD_E, 48000, 3, TOP, "-hold 100 -attack 0.3 -release 60 -threshold -30",
     {MAT_TONE_GATED, MAT_TONE_GATED, MAT_PAD_L, MAT_PAD_R, NO_CV}, {{0}}},
    {"hold-e-tone-comp", RC_HOLD_E, 48000, 3, TOP,
     "-mode comp -hold 40 -attack 0.5 -release 30 -threshold -24 -knee 0",
     {MAT_TONE_GATED, MAT_NONE, MAT_NONE, MAT_NONE, NO_CV}, {{0}}},

    /* all eleven options at once with the three CVs patched; listen off and on again */
    {"all-eleven-cv", RC_OBJECT, 48000, 3, TOP,
     "-range 30 -hold 25 -lookahead 4 -mix 0.8 -rms 8 -link 0.6 -sc_lpf 400 -feedback 0.5 -ms 1 "
     "-slow_release 800 -listen 1 -threshold -30 -makeup 3",
     {DUCK_IN, MAT_CV_TRI, MAT_CV_SINE, MAT_CV_RAMP},
     {{B(600), 0, "listen 0"}, {B(1900), 0, "listen 1"}}},
    /* every parameter changed mid-stream, the new ones first */
    {"all-eleven-cv-msgs", RC_OBJECT, 48000, 3.5, TOP,
     "-mode comp -range 24 -hold 40 -lookahead 6 -mix 0.9 -rms 12 -link 0.2 -sc_lpf 250 "
     "-feedback 0.3 -ms 1 -slow_release 600",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_HATS, MAT_KICK_R, MAT_CV_SINE, MAT_CV_TRI, MAT_CV_RAMP},
     {{B(300), 0, "feedback 0.9"}, {B(400), 0, "slow_release 2500"}, {B(500), 0, "ms 0"},
      {B(600), 0, "listen 1"}, {B(700), 0, "listen 0"}, {B(800), 0, "ms 1"},
      {B(900), 0, "range 40"}, {B(1000), 0, "hold 100"}, {B(1100), 0, "lookahead 15"},
      {B(1200), 0, "mix 0.4"}, {B(1300), 0, "rms 40"}, {B(1400), 0, "link 1"},
      {B(1500), 0, "sc_lpf 20000"}, {B(1600), 0, "trigger 50"}, {B(1700), 0, "mode duck"},
      {B(1750), 0, "feedback 0"}, {B(1800), 0, "slow_release 0"}, {B(1900), 0, "link 0"},
      {B(1950), 0, "threshold -40"}, {B(2000), 0, "ratio 12"}, {B(2050), 0, "attack 1"},
      {B(2100), 0, "release 300"}, {B(2150), 0, "knee 0"}, {B(2200), 0, "makeup 6"},
      {B(2250), 0, "sc_hpf 90"}, {B(2300), 0, "feedback 1"}, {B(2350), 0, "slow_release 90"},
      {B(2400), 0, "envMag 1.5"}, {B(2450), 0, "inputLevel 0.6"}, {B(2500), 0, "listen 1"},
      {B(2600), 0, "reset"}}},

    /* reset with the new state away from rest: s, the feedback's previous input and gain */
    {"reset-v03", RC_OBJECT, 48000, 3, TOP,
     "-feedback 0.6 -slow_release 1500 -ms 1 -link 0 -hold 50 -threshold -30",
     {MAT_KICK_L, MAT_KICK_L_INV, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(580), 0, "reset"}, {B(960), 0, "trigger 20"}, {B(1000), 0, "reset"},
      {B(1330), 0, "feedback 1"}, {B(1340), 0, "reset"}}},
    /* feedback, ms, slow_release and listen one block early or late must not match */
    {"v03-timing", RC_TIMING, 48000, 3, TOP, "-threshold -30 -link 0",
     {MAT_KICK_L, MAT_HATS, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(566), 0, "feedback 1"}, {B(942), 0, "ms 1"}, {B(1318), 0, "slow_release 2000"},
      {B(1700), 0, "listen 1"}, {B(1900), 0, "listen 0"}}},

    /* NaN and Inf with the new options: feedback's previous input and s stay finite */
    {"nonfinite-v03", RC_OBJECT, 48000, 3, TOP,
     "-feedback 0.7 -ms 1 -slow_release 500 -link 0 -threshold -30",
     {MAT_KICK_L_NONFINITE, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_SINE_NONFINITE, MAT_NONE,
      MAT_CV_SINE_NONFINITE},
     {{0}}},
    {"nonfinite-v03-comp-listen", RC_OBJECT, 48000, 3, TOP,
     "-mode comp -feedback 1 -ms 1 -listen 1 -slow_release 200",
     {MAT_PAD_L, MAT_PAD_R, MAT_KICK_L_NONFINITE, MAT_KICK_R, NO_CV}, {{0}}},

    /* every option on, feedback included, at block sizes 1, 16, 64 and 1024: the suite checks
     * that the four write the same bits (and each matches the reference); listen twice more */
#define V03_ALL "-range 24 -hold 30 -lookahead 5 -mix 0.8 -rms 6 -link 0.4 -sc_lpf 350 " \
                "-feedback 0.6 -ms 1 -slow_release 700 -threshold -30"
#define V03_ALL_IN {MAT_KICK_HATS, MAT_KICK_R, MAT_PAD_L, MAT_PAD_R, MAT_CV_TRI, MAT_NONE, \
                    MAT_CV_SINE}
    {"v03-block-1", RC_OBJECT, 48000, 2, SUB(1, 1), V03_ALL, V03_ALL_IN, {{0, 0, "trigger 20"}}},
    {"v03-block-16", RC_OBJECT, 48000, 2, SUB(16, 1), V03_ALL, V03_ALL_IN,
     {{0, 0, "trigger 20"}}},
    {"v03-block-64", RC_OBJECT, 48000, 2, TOP, V03_ALL, V03_ALL_IN, {{0, 0, "trigger 20"}}},
    {"v03-block-1024", RC_OBJECT, 48000, 2, SUB(1024, 1), V03_ALL, V03_ALL_IN,
     {{0, 0, "trigger 20"}}},
    {"v03-block-1-listen", RC_OBJECT, 48000, 2, SUB(1, 1), V03_ALL " -listen 1", V03_ALL_IN,
     {{0}}},
    {"v03-block-64-listen", RC_OBJECT, 48000, 2, TOP, V03_ALL " -listen 1", V03_ALL_IN, {{0}}},
    /* messages to the new options inside a [block~ 16], and at 2x up-sampling / 44.1 kHz */
    {"v03-block-16-msgs", RC_OBJECT, 48000, 2, SUB(16, 1), "-threshold -30",
     {DUCK_IN, NO_CV},
     {{B(300), 0, "feedback 0.8"}, {B(500), 0, "slow_release 900"}, {B(700), 0, "ms 1"},
      {B(900), 0, "listen 1"}, {B(1000), 0, "listen 0"}, {B(1200), 0, "link 0"}}},
    {"v03-upsampled-2x", RC_OBJECT, 96000, 2, SUB(64, 2),
     "-feedback 0.5 -slow_release 600 -ms 1 -link 0.3 -hold 20",
     {DUCK_IN, NO_CV},
     {{B(1000), 0, "feedback 1"}, {B(2000), 0, "slow_release 0"}}},
    {"v03-sr-44100", RC_OBJECT, 44100, 3, TOP, "-feedback 0.4 -slow_release 1100 -ms 1 -hold 33",
     {MAT_MIX_L, MAT_MIX_R, MAT_PAD_L, MAT_PAD_R, NO_CV},
     {{B(700), 0, "mode comp"}, {B(1200), 0, "link 0.25"}}},
};

const int rc_ncases = (int)(sizeof rc_cases / sizeof rc_cases[0]);

const rc_case *rc_find(const char *name)
{
    for (int i = 0; i < rc_ncases; i++)
        if (!strcmp(rc_cases[i].name, name))
            return &rc_cases[i];
    return 0;
}
