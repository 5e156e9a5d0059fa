#!/usr/bin/env python3
"""Extreme settings for sidecar~ in real Pd (python3 standard library only).

    extreme.py gen DIR SR [--many N] [--rounds N] [--scale X] [--layouts 0|1] [--options each|all]
        Writes DIR/extreme.pd and DIR/extreme.txt (a [qlist] score) for a run at sample rate SR
        (--scale stretches the run; --layouts 0 leaves out the block layouts; --options all
        leaves out the v0.2 options each alone, keeping them all on at once: a shorter run
        for valgrind).
    extreme.py check DIR LOG
        Judges the run (its console in LOG); PASS/FAIL lines; exits 1 on any failure.

One subpatch per block layout: [block~ N] for N = 1, 2, 4 ... 8192, 8x up-sampling, 2x
down-sampling and 4x overlap. In each, 57 sidecar~ run: every parameter (the seven v0.2 options
included) at its minimum, at its maximum, all at once and each alone, the seven options all on
(lookahead 20 ms), plus the loudest setting (ratio 1, makeup 24 dB, inputLevel 2), in duck and
comp mode, all inlets patched (and three normalling cases), fed with noise and
sines whose level steps through 3e38, 1e-40 (denormal), 1 and 0. Every outlet goes through
[*~ 0] into one sum per subpatch: a finite outlet adds 0, an Inf or NaN leaves NaN there, and
[expr~ $v1 != $v1] records 1 for NaN, so the recording must be all zeros; a second recording sums
the env_out outlets, which must be finite and move. With --many N, N more sidecar~ are created
in a subpatch, connected and deleted again (--rounds times) while DSP runs; every fourth has a lookahead delay line (under
valgrind, a delay line not freed with its object is a definite leak).
"""
import json
import math
import os
import sys
from pdtools import Patch, read_float_wav

PARAMS = ["threshold", "ratio", "attack", "release", "knee", "envMag", "inputLevel", "makeup",
          "sc_hpf", "range", "hold", "lookahead", "mix", "rms", "link", "sc_lpf"]
MIN = [-60, 1, 0.1, 1, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 20]
MAX = [0, 20, 200, 2000, 24, 2, 2, 24, 1000, 120, 1000, 20, 1, 300, 1, 20000]
DEFAULT = [-18, 4, 10, 100, 6, 1, 1, 0, 20, 120, 0, 0, 1, 0, 1, 20000]
# the most gain the object can give: no compression, makeup and inputLevel at their maximum,
# all wet (mix 1), the longest lookahead
LOUD = [0, 1, 0.1, 1, 0, 2, 2, 24, 1000, 120, 0, 20, 1, 0, 1, 20000]
# the seven v0.2 options all on (make bench's values, the longest lookahead: 7680 frames of
# delay line at 384 kHz, 61440 inside 8x up-sampling)
OPTIONS = "-range 12 -hold 50 -lookahead 20 -mix 0.5 -rms 10 -link 0.5 -sc_lpf 150"
# (block~ arguments, inner frames per outer sample)
LAYOUTS = [("%d" % (1 << k), 1.0) for k in range(14)] + [("64 1 8", 8.0), ("64 1 0.5", 0.5),
                                                          ("256 4", 4.0)]
LEVELS = ["3e+38", "1e-40", "1", "0"]  # the source level, a quarter of the run each


def flags(values, mode):
    return " ".join("-%s %g" % (p, v) for p, v in zip(PARAMS, values)) + " -mode " + mode


def layout_subpatch(k, block, frames, options_each=True):
    c = Patch("#N canvas 0 0 900 600 sub%d 0;" % k, columns=12, dx=70)
    c.obj("block~ " + block)
    level = c.obj("sig~")
    c.connect(c.obj("r level"), 0, level, 0)
    sources = []
    for text in ("noise~", "osc~ 50", "noise~", "osc~ 3000", "osc~ 2", "osc~ 3", "osc~ 0.5"):
        src = c.obj(text)
        scaled = c.obj("*~")
        c.connect(src, 0, scaled, 0)
        c.connect(level, 0, scaled, 1)
        sources.append(scaled)
    # tabwrite~ zeroes NaN/Inf (PD_BIGORSMALL), so the verdict is taken before it: NaN != NaN
    fin = c.obj("expr~ $v1 != $v1")
    c.connect(fin, 0, c.obj("tabwrite~ fin%d" % k), 0)
    env = c.obj("tabwrite~ env%d" % k)
    c.obj("table fin%d %d" % (k, frames))
    c.obj("table env%d %d" % (k, frames))
    rec = c.obj("r rec")
    c.connect(rec, 0, fin + 1, 0)
    c.connect(rec, 0, env, 0)
    objects = [(flags(MIN, "duck"), range(7)), (flags(MIN, "comp"), range(7)),
               (flags(MAX, "duck"), range(7)), (flags(MAX, "comp"), range(7)),
               (flags(MAX, "duck"), (0, 2)),  # MAIN R and SC R normalled
               (flags(MAX, "comp"), (0,)),    # comp, self-detecting on MAIN L alone
               (flags(LOUD, "duck"), range(7)), (flags(LOUD, "comp"), range(7))]
    objects += [(OPTIONS + " -mode duck", range(7)), (OPTIONS + " -mode comp", range(7)),
                (OPTIONS + " -mode duck", (0, 2))]
    # each parameter alone at its minimum and at its maximum (where that is not its default),
    # the others at their defaults
    for p, name in enumerate(PARAMS):
        for v in (MIN[p], MAX[p]):
            if v == DEFAULT[p] or (p >= PARAMS.index("range") and not options_each):
                continue
            for mode in ("duck", "comp"):
                objects.append(("-%s %g -mode %s" % (name, v, mode), range(7)))
    for text, inlets in objects:
        sc = c.obj("sidecar~ " + text)
        for i in inlets:
            c.connect(sources[i], 0, sc, i)
        for o in range(4):
            z = c.obj("*~ 0")
            c.connect(sc, o, z, 0)
            c.connect(z, 0, fin, 0)  # Pd sums the fan-in: 0 if every outlet is finite
        # env_out only: env_out + env_inv_out is 1 by definition, so their sum would not move
        c.connect(sc, 2, env, 0)
    c.lines.append("#X restore %d %d pd sub%d;" % (10 + 90 * (k % 8), 400 + 25 * (k // 8), k))
    return c.lines


def generate(outdir, sr, many, rounds, scale, layouts, options_each=True):
    os.makedirs(outdir, exist_ok=True)
    # long enough for several of the largest blocks, a quarter per level
    dur = max(0.25, 3 * 8192 / sr) * scale
    top = Patch("#N canvas 0 0 900 700 10;", columns=12, dx=70)
    lines = top.lines
    for k, (block, factor) in enumerate(LAYOUTS if layouts else []):
        lines += layout_subpatch(k, block, int(sr * factor * dur), options_each)
        top.n += 1
    if many:
        lines += ["#N canvas 0 0 300 200 many 0;", "#X restore 10 650 pd many;"]
        top.n += 1
        # what the instances of [pd many] throw: recorded as is, and as a NaN flag
        catch = top.obj("catch~ manysum")
        flag = top.obj("expr~ $v1 != $v1")
        top.connect(catch, 0, flag, 0)
        nframes = int(sr * dur)
        top.obj("table manysum %d" % nframes)
        top.obj("table manyfin %d" % nframes)
        rec = top.obj("r rec")
        for src, name in ((catch, "manysum"), (flag, "manyfin")):
            tw = top.obj("tabwrite~ " + name)
            top.connect(src, 0, tw, 0)
            top.connect(rec, 0, tw, 0)
    t = top.obj("t b b")
    top.connect(top.obj("loadbang"), 0, t, 0)
    top.connect(t, 1, top.obj("\\; pd dsp 1", "msg"), 0)
    q = top.obj("qlist")
    rd = top.obj("read extreme.txt \\, bang", "msg")
    top.connect(t, 0, rd, 0)
    top.connect(rd, 0, q, 0)
    top.connect(top.obj("r wr"), 0, top.obj("soundfiler"), 0)
    with open(os.path.join(outdir, "extreme.json"), "w") as f:
        json.dump({"sr": sr, "many": many, "rounds": rounds, "layouts": layouts}, f)
    with open(os.path.join(outdir, "extreme.pd"), "w") as f:
        f.write("\n".join(lines) + "\n")

    ms = dur * 1000 / len(LEVELS)
    score = [(0, "rec", "bang")]
    if layouts:
        score.append((0, "level", LEVELS[0]))
        for lv in LEVELS[1:]:
            score.append((ms, "level", lv))
    if many:
        # create N instances (fed by one [osc~], their left outlets summed into one [throw~]),
        # let DSP run, delete them all; `rounds` times
        for _ in range(rounds):
            score += [(0, "pd-many", "obj 0 0 osc~ 110"), (0, "pd-many", "obj 0 30 throw~ manysum")]
            for i in range(many):
                # every fourth with a lookahead delay line, which must be freed with it
                score += [(0, "pd-many", "obj %d 60 sidecar~ -ratio %d -mode %s%s"
                           % (i, 1 + i % 20, "comp" if i % 2 else "duck",
                              " -lookahead %g -hold 20" % (1 + i % 20) if i % 4 == 0 else "")),
                          (0, "pd-many", "connect 0 0 %d 0" % (i + 2)),
                          (0, "pd-many", "connect %d 0 1 0" % (i + 2))]
            score += [(20, "pd-many", "clear")]
    for k in range(len(LAYOUTS) if layouts else 0):
        score.append((ms + 20 if k == 0 else 0, "wr",
                      "write -bytes 4 sub%d.wav fin%d env%d" % (k, k, k)))
    if many:
        score.append((0 if layouts else ms + 20, "wr",
                      "write -bytes 4 many.wav manysum manyfin"))
    score.append((0, "pd", "quit 0"))
    with open(os.path.join(outdir, "extreme.txt"), "w") as f:
        for delay, rcv, text in score:
            f.write("%s %s %s;\n" % (("%.3f" % delay).rstrip("0").rstrip("."), rcv, text))


def check(outdir, logpath):
    fails = []
    frames = 0
    with open(os.path.join(outdir, "extreme.json")) as f:
        cfg = json.load(f)
    if cfg["many"]:
        try:
            total, fin = read_float_wav(os.path.join(outdir, "many.wav"))
            frames += len(total)
            if any(x != 0.0 for x in fin):
                fails.append("%d instances: non-finite output" % cfg["many"])
            if max(total) - min(total) <= 0.0:
                fails.append("%d instances: no output at all" % cfg["many"])
        except (OSError, ValueError) as e:
            fails.append("%d instances: no recording (%s)" % (cfg["many"], e))
    for k, (block, _factor) in enumerate(LAYOUTS if cfg["layouts"] else []):
        name = "[block~ %s]" % block
        try:
            fin, env = read_float_wav(os.path.join(outdir, "sub%d.wav" % k))
        except (OSError, ValueError) as e:
            fails.append("%s: no recording (%s)" % (name, e))
            continue
        frames += len(fin)
        bad = [i for i, x in enumerate(fin) if x != 0.0]
        if bad:
            fails.append("%s: non-finite outlet at %d of %d frames, first at frame %d"
                         % (name, len(bad), len(fin), bad[0]))
        if not all(math.isfinite(x) for x in env):
            fails.append("%s: non-finite envelope" % name)
        elif max(env) - min(env) <= 0.0:
            fails.append("%s: envelopes never moved" % name)
    with open(logpath, errors="replace") as f:
        log = f.read()
    if "couldn't create" in log:
        fails.append("an object could not be created")
    errors = [l for l in log.splitlines() if l.startswith("error: ")]
    if errors:
        fails.append("%d console errors, e.g. %s" % (len(errors), errors[0]))
    for f in fails:
        print("    " + f)
    return fails, frames


def main():
    args = sys.argv[1:]
    if len(args) >= 3 and args[0] == "gen":
        opts = {"--many": "0", "--rounds": "2", "--scale": "1", "--layouts": "1",
                "--options": "each"}
        for k, v in zip(args[3::2], args[4::2]):
            opts[k] = v
        if opts["--options"] not in ("each", "all"):
            sys.exit(__doc__)
        generate(args[1], float(args[2]), int(opts["--many"]), int(opts["--rounds"]),
                 float(opts["--scale"]), int(opts["--layouts"]), opts["--options"] == "each")
    elif len(args) == 3 and args[0] == "check":
        fails, frames = check(args[1], args[2])
        print("    %d recorded frames, %d problems" % (frames, len(fails)))
        sys.exit(1 if fails else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
