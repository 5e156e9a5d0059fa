#!/usr/bin/env python3
"""The power of the render cases: each mutant is the reference with one plausible misreading of
SPEC.md's 0.3 text; it is compiled into the render tool and run over the renders that
tests/suites/20-reference.sh left in tests/out/ref/ (run that first). A mutant that no case
fails is a misreading the cases cannot see. Not part of `make check` (about a minute).

    tests/reference/mutants.py [MUTANT...]

Prints one line per mutant: the cases that fail with it (KILLED), or SURVIVED. Two survive by
nature: feedback-gain-after-trigger and slow-before-g shift one quantity by one sample, which
moves the outlets by about 1e-5 at most, far inside SPEC.md's tolerance, on any material tried.
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "tests/reference/sidecar_ref.c")

SLOW_STEP = """        /* Slow release: s follows g after g; the gain from here on is min(g, s). */
        if (slow > 0) {
            double a_sl = exp(-1 / (0.001 * slow * sr));
            r->s[c] = a_sl * r->s[c] + (1 - a_sl) * r->g[c];
        }
"""
HOLD_STEP = "        /* Step 7: attack / hold / release;"

# name: (what it misreads, [(old, new), ...])
MUTANTS = {
    "feedback-hears-d": ("k[n-1] is the previous detector output d, not its input k", [(
        "        r->k_prev[c] = key[c]; /* kept whatever f is */",
        "        r->k_prev[c] = det[c];")]),
    "feedback-input-only-while-on": ("the previous input is tracked only while feedback > 0", [(
        "        r->k_prev[c] = key[c]; /* kept whatever f is */",
        "        if (f > 0)\n            r->k_prev[c] = key[c];")]),
    "feedback-input-left-right": ("the previous input is kept as left/right, not mid/side", [(
        "        r->k_prev[c] = key[c]; /* kept whatever f is */",
        "        r->k_prev[c] = ms ? (c ? key[0] - key[1] : key[0] + key[1]) : key[c];")]),
    "feedback-gain-without-slow": ("feedback's G is g's, not min(g, s)", [(
        "        r->gain_prev[c] = gain; /* feedback's G[n-1] for the next sample */",
        "        r->gain_prev[c] = r->g[c];")]),
    "feedback-gain-after-trigger": ("feedback's G[n-1] is the gain after a trigger", [(
        "        double G_prev = pow(2.0, r->gain_prev[c] / D) * (1 + r->fb_gain_jitter);",
        "        double G_prev = pow(2.0, ref_gain_db(r, c) / D);")]),
    "reset-keeps-feedback": ("reset leaves the previous input and gain", [(
        "        r->k_prev[c] = 0.0;    /* feedback's previous input: 0 */\n"
        "        r->gain_prev[c] = 0.0; /* ... and previous gain: 0 dB, G = 1 */\n", "")]),
    "ms-output-only": ("ms changes the output stage only, not the detector", [(
        "    int ms = r->knob[REF_MS] > 0;\n    if (ms) {",
        "    int ms = r->knob[REF_MS] > 0;\n    if (0) {")]),
    "ms-detector-left-right": ("ms detects on L/R and applies the gains in M/S", [(
        "    double m[2] = {k * (a + b) + (1 - k) * 2 * a, k * (a + b) + (1 - k) * 2 * b};",
        "    if (ms) {\n        a = fabs(y[0] + y[1]);\n        b = fabs(y[0] - y[1]);\n    }\n"
        "    double m[2] = {k * (a + b) + (1 - k) * 2 * a, k * (a + b) + (1 - k) * 2 * b};")]),
    "slow-before-g": ("s follows the previous sample's g", [(SLOW_STEP, ""),
                                                          (HOLD_STEP, SLOW_STEP + HOLD_STEP)]),
    "env-without-slow": ("env_out shows g, not min(g, s)", [(
        "    out[REF_ENV] = (-fmin(ref_gain_db(r, 0), ref_gain_db(r, 1)) / 24) * r->mag_s;",
        "    out[REF_ENV] = (-fmin(r->g[0], r->g[1]) / 24) * r->mag_s;")]),
    "link-join-without-s": ("link -> 1 joins g and h but not s", [(
        "            r->s[0] = r->s[1] = sl;", "            (void)sl;")]),
    "reset-keeps-s": ("reset leaves the slow envelope", [(
        "        r->s[c] = 0.0;\n        r->k_prev[c] = 0.0;", "        r->k_prev[c] = 0.0;")]),
    "trigger-clears-s": ("trigger clears the slow envelope", [(
        "            r->h[c] = H;\n        }\n        r->trig_pending = 0;",
        "            r->h[c] = H;\n            r->s[c] = 0;\n        }\n        r->trig_pending = 0;")]),
    "slow-off-keeps-s": ("slow_release 0 leaves s where it was", [(
        "        if (r->knob[k] == 0)\n            r->s[0] = r->s[1] = 0.0;", "        (void)0;")]),
    "listen-not-decoded": ("listen with ms outputs M and S, not L and R", [(
        "        out[REF_OUT_L] = ms ? y[0] + y[1] : y[0];\n"
        "        out[REF_OUT_R] = ms ? y[0] - y[1] : y[1];",
        "        out[REF_OUT_L] = y[0];\n        out[REF_OUT_R] = y[1];")]),
    "hold-without-margin": ("v0.2's hold test g* < g (E = 0)", [(
        "        if (gt < r->g[c] + r->hold_margin_db) {", "        if (gt < r->g[c]) {")]),
    "hold-margin-0.01": ("E = 0.01 dB instead of 0.001", [(
        "        if (gt < r->g[c] + r->hold_margin_db) {", "        if (gt < r->g[c] + 0.01) {")]),
}


def main():
    names = sys.argv[1:] or list(MUTANTS)
    src = open(SRC).read()
    tool = os.path.join(ROOT, "tests/out/sidecar_render")
    cases = subprocess.run([tool, "list"], capture_output=True, text=True,
                           check=True).stdout.split()
    cases = [c for c in cases if os.path.exists(os.path.join(ROOT, "tests/out/ref", c, "out.wav"))]
    if not cases:
        sys.exit("no renders in tests/out/ref: run tests/suites/20-reference.sh first")
    survived = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            why, edits = MUTANTS[name]
            text = src
            for old, new in edits:
                if old not in text:
                    sys.exit("mutant %s no longer applies (the reference changed)" % name)
                text = text.replace(old, new, 1)
            c_file = os.path.join(tmp, name + ".c")
            exe = os.path.join(tmp, name)
            open(c_file, "w").write(text)
            subprocess.run(["gcc", "-std=c11", "-O2", "-w", "-I" + os.path.join(ROOT, "tests/reference"),
                            "-I" + os.path.join(ROOT, "tests/render"), c_file,
                            os.path.join(ROOT, "tests/render/material.c"),
                            os.path.join(ROOT, "tests/render/cases.c"),
                            os.path.join(ROOT, "tests/render/sidecar_render.c"), "-o", exe,
                            "-lsndfile", "-lm"], check=True)
            killers = []
            for c in cases:
                d = os.path.join(tmp, "case")
                subprocess.run(["rm", "-rf", d])
                os.makedirs(d)
                for f in ("in.wav", "out.wav"):
                    os.symlink(os.path.join(ROOT, "tests/out/ref", c, f), os.path.join(d, f))
                out = subprocess.run([exe, "compare", c, d], capture_output=True, text=True).stdout
                if out.startswith("FAIL"):
                    killers.append(c)
            if killers:
                print("KILLED %s (%s): %d cases: %s" % (name, why, len(killers), " ".join(killers)))
            else:
                survived += 1
                print("SURVIVED %s (%s)" % (name, why))
    print("%d of %d mutants survived" % (survived, len(names)))


main()
