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
};

const int rc_ncases = (int)(sizeof rc_cases / sizeof rc_cases[0]);

const rc_case *rc_find(const char *name)
{
    for (int i = 0; i < rc_ncases; i++)
        if (!strcmp(rc_cases[i].name, name))
            return &rc_cases[i];
    return 0;
}
