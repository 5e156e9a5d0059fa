#!/usr/bin/env python3
"""Pd message fuzzer for sidecar~ (python3 standard library only).

    msgfuzz.py gen DIR [--seed N] [--count N] [--creations N]
        Writes DIR/msgfuzz.pd, DIR/msgfuzz.txt (a [qlist] score) and DIR/expect.json.
    msgfuzz.py check DIR LOG
        Judges a run of `pd -batch ... DIR/msgfuzz.pd` whose console went to LOG; prints
        PASS/FAIL lines; exits 1 on any failure.

While DSP runs, object A receives a deterministic pseudo-random sequence of good and bad
messages (every parameter of SPEC.md incl. the v0.2 ones, and `trigger`; wrong types,
missing/extra values, unknown selectors, huge lists, symbols where floats belong, +-Inf,
out-of-range values) on its message inlet, on a signal inlet and on two
unconnected CV inlets; meanwhile junk signals (NaN, +-Inf, +-3e38, denormals) are added to its
audio and CV inputs, and its signal connections are cut and restored (DSP rebuilt, normalling
changed). Its twin B gets the same program material but none of that. Then both
get the same final settings, the junk stops, and after a while to forget, A's four outlets must
match B's. Every message the contract calls bad must give exactly one console error (Pd's own
"inlet: expected 'signal'" for non-floats on signal inlets); good ones none. Then objects are
created in a subpatch, while DSP runs, with random flag lists (bad ones mixed in): each must be
created, report each bad argument group, and end up with the settings of its good flags.
"""
import json
import math
import os
import random
import re
import struct
import sys
from pdtools import Patch, read_float_wav

PARAMS = [  # id, alias, min, max, default (SPEC.md's table)
    ("threshold", None, -60.0, 0.0, -18.0),
    ("ratio", None, 1.0, 20.0, 4.0),
    ("attack", None, 0.1, 200.0, 10.0),
    ("release", None, 1.0, 2000.0, 100.0),
    ("knee", None, 0.0, 24.0, 6.0),
    ("envMag", "env_mag", 0.0, 2.0, 1.0),
    ("inputLevel", "input_level", 0.0, 2.0, 1.0),
    ("makeup", None, 0.0, 24.0, 0.0),
    ("sc_hpf", None, 20.0, 1000.0, 20.0),
    ("range", None, 0.0, 120.0, 120.0),  # v0.2
    ("hold", None, 0.0, 1000.0, 0.0),
    ("lookahead", None, 0.0, 20.0, 0.0),
    ("mix", None, 0.0, 1.0, 1.0),
    ("rms", None, 0.0, 300.0, 0.0),
    ("link", None, 0.0, 1.0, 1.0),
    ("sc_lpf", None, 20.0, 20000.0, 20000.0),
    ("feedback", None, 0.0, 1.0, 0.0),  # v0.3
    ("ms", None, 0.0, 1.0, 0.0),
    ("slow_release", None, 0.0, 5000.0, 0.0),
    ("listen", None, 0.0, 1.0, 0.0),
]
TRIGGER = (0.0, 120.0)  # `trigger depth`: dB, clamped like a parameter
# The final settings A and B share before the comparison: longest memories kept short enough
# for 2 s to forget (junk of 3e38 in an RMS average would take minutes: rms 0 empties it).
FINAL = {"attack": (0.1, 50.0), "release": (1.0, 50.0), "hold": (0.0, 300.0),
         "rms": (0.0, 0.0), "slow_release": (0.0, 50.0)}
SR = 48000
REC = 9600  # frames recorded from each outlet for the final comparison (200 ms)
TOL = 1e-4  # A vs B after forgetting; they run the same float code on the same input


def f32(x):
    """The value Pd stores for a float atom (t_float is 32-bit)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def num(x):
    """A float as Pd text; infinities as 1e999, which Pd's parser turns into inf."""
    if math.isinf(x):
        return "1e999" if x > 0 else "-1e999"
    return "%.9g" % x


# ---- the patch ---------------------------------------------------------------------------------

def write_patch(path):
    p = Patch("#N canvas 0 0 900 700 10;", columns=14, dx=60)
    # program material shared by A and B: a kick on MAIN, a pad on SC, a slow threshold CV
    ph = p.chain(p.obj("phasor~ 3"), p.obj("*~ -1"), p.obj("+~ 1"))
    sq = p.obj("*~")
    p.connect(ph, 0, sq, 0)
    p.connect(ph, 0, sq, 1)
    kick = p.obj("*~")
    p.connect(sq, 0, kick, 0)
    p.connect(p.obj("osc~ 55"), 0, kick, 1)
    common = [kick, p.chain(kick, p.obj("*~ 0.7")),
              p.chain(p.obj("osc~ 220"), p.obj("*~ 0.3")),
              p.chain(p.obj("osc~ 331"), p.obj("*~ 0.3")),
              p.chain(p.obj("osc~ 0.7"), p.obj("*~ 0.2"))]
    a = p.obj("sidecar~")
    b = p.obj("sidecar~")
    wires = []  # (source, A, inlet) of A's signal connections, for the score to cut and restore
    for k, src in enumerate(common):
        p.connect(src, 0, b, k)
        # A's input k: the material + [sig~ j<k>] + [sig~ n<k>]*0 (Inf there makes NaN)
        junk = p.obj("+~")
        p.chain(p.obj("r j%d" % k), p.obj("sig~"), junk)
        nan = p.chain(p.obj("r n%d" % k), p.obj("sig~"), p.obj("*~ 0"))
        p.connect(nan, 0, junk, 1)
        mix = p.obj("+~")
        p.connect(src, 0, mix, 0)
        p.connect(junk, 0, mix, 1)
        p.connect(mix, 0, a, k)
        wires.append((mix, a, k))
    for name, inlet in (("fz", 0), ("fz1", 1), ("fz5", 5), ("fz6", 6), ("both", 0)):
        p.connect(p.obj("r " + name), 0, a, inlet)
    for name, inlet in (("b5", 5), ("b6", 6), ("both", 0)):
        p.connect(p.obj("r " + name), 0, b, inlet)
    rec = p.obj("r rec")
    for tag, src in (("a", a), ("b", b)):
        for o in range(4):
            p.obj("table %s%d %d" % (tag, o, REC))
            tw = p.obj("tabwrite~ %s%d" % (tag, o))
            p.connect(src, o, tw, 0)
            p.connect(rec, 0, tw, 0)
    p.chain(p.obj("r wr"), p.obj("soundfiler"))
    p.chain(p.obj("r mark"), p.obj("print MARK"))
    p.chain(p.obj("r mk"), p.obj("print M"))
    # the score starts once DSP is on
    p.chain(p.obj("loadbang"), p.obj("t b b"))
    t = p.n - 1
    p.connect(t, 1, p.msg("\\; pd dsp 1"), 0)
    q = p.obj("qlist")
    rd = p.msg("read msgfuzz.txt \\, bang")
    p.connect(t, 0, rd, 0)
    p.connect(rd, 0, q, 0)
    # creations happen in this subpatch (object 0: [r crp], 1: sidecar~, 2: [osc~])
    p.lines.append("#N canvas 0 0 300 200 cre 0;")
    p.lines.append("#X restore 10 600 pd cre;")
    with open(path, "w") as f:
        f.write("\n".join(p.lines) + "\n")
    return wires


# ---- the message program ----------------------------------------------------------------------

WORDS = ["foo", "Threshold", "thresh", "-threshold", "threshold~", "ratio2", "duck", "comp",
         "symbol", "bang", "set", "dsp", "x", "1.2.3", "--5", "-", "nan", "inf", "NaN",
         "envmag", "input-level", "sc-hpf", "scHpf", "Mode", "print1", "resetx", "Trigger",
         "trig", "look-ahead", "scLpf", "Range", "holdms"]


def rand_value(rng, lo, hi):
    """(text, value, in_range) for a numeric argument of a parameter."""
    r = rng.random()
    if r < 0.5:
        v = f32(rng.uniform(lo, hi))
    elif r < 0.6:
        v = rng.choice([lo, hi])
    elif r < 0.8:
        span = hi - lo
        v = f32(rng.choice([lo - span * rng.random() - 0.01, hi + span * rng.random() + 0.01,
                            -1e30, 1e30, 3e38, -3e38]))
    else:
        v = rng.choice([math.inf, -math.inf])
    return num(v), v, lo <= v <= hi


def bad_arg(rng):
    return rng.choice(WORDS + ["symbol", "1e999 2", "3 4", "foo bar", "-1 -2 -3"])


def message(rng):
    """(receiver, text, expected error count, setting change or None)."""
    if rng.random() < 0.06:  # trigger: one number (clamped with an error), else malformed
        if rng.random() < 0.7:
            text, _v, ok = rand_value(rng, *TRIGGER)
            return "fz", "trigger " + text, 0 if ok else 1, None
        return "fz", "trigger" + rng.choice(["", " foo", " 1 2", " symbol", " 10 x"]), 1, None
    r = rng.random()
    pid, alias, lo, hi, _ = rng.choice(PARAMS)
    name = alias if alias and rng.random() < 0.3 else pid
    if r < 0.30:  # a parameter with a number
        text, v, ok = rand_value(rng, lo, hi)
        change = (pid, v if ok else (lo if v < lo else hi)) if not math.isinf(v) else None
        return "fz", "%s %s" % (name, text), 0 if ok else 1, change
    if r < 0.38:  # a parameter with no value, a symbol, or too many values
        k = rng.randrange(4)
        args = ["", " " + bad_arg(rng), " 1 2", " " + " ".join(str(i) for i in range(300))][k]
        return "fz", name + args, 1, None
    if r < 0.44:
        m = rng.choice(["duck", "comp"])
        return "fz", "mode " + m, 0, ("mode", m)
    if r < 0.50:
        return "fz", "mode" + rng.choice(["", " 1", " Duck", " comp duck", " duck 1", " 0",
                                          " symbol"]), 1, None
    if r < 0.54:
        return "fz", "reset", 0, None
    if r < 0.57:
        return "fz", "reset " + rng.choice(["1", "foo", "0 0"]), 1, None
    if r < 0.59:
        return "fz", "print", 0, None
    if r < 0.61:  # SPEC: an extra value is malformed
        return "fz", "print " + rng.choice(["1", "foo", "threshold"]), 1, None
    if r < 0.68:  # unknown selectors
        return "fz", rng.choice(WORDS[:4] + WORDS[9:]) + rng.choice(["", " 1", " a b"]), 1, None
    if r < 0.72:  # bang / list / symbol on the message inlet
        return "fz", rng.choice(["bang", "list 1 2", "list a b", "symbol foo",
                                 "list " + " ".join("%d" % i for i in range(1000))]), 1, None
    if r < 0.75:  # a float on the (connected) main signal inlet: Pd keeps it, no error
        return "fz", num(f32(rng.uniform(-1e6, 1e6))), 0, None
    if r < 0.79:  # non-floats on a connected signal inlet: Pd's inlet error
        return "fz1", rng.choice(["foo", "symbol x", "list 1 2", "bang", "threshold -3"]), 1, None
    if r < 0.88:  # floats, any, on the unconnected CV inlets: no error (NaN/Inf read as 0)
        rcv = rng.choice(["fz5", "fz6"])
        v = rng.choice([f32(rng.uniform(-3, 3)), math.inf, -math.inf, 3e38, -3e38, 1e-40])
        return rcv, num(v), 0, None
    if r < 0.91:
        return rng.choice(["fz5", "fz6"]), rng.choice(["foo", "list 1 2", "bang"]), 1, None
    # junk signals into A's inputs
    k = rng.randrange(5)
    if rng.random() < 0.4:
        return "n%d" % k, num(rng.choice([math.inf, 0.0])), 0, None  # Inf*0 = NaN
    v = rng.choice([math.inf, -math.inf, 3e38, -3e38, 1e-40, -1e-45, 1e10, 0.0, 1.0])
    return "j%d" % k, num(v), 0, None


def creation(rng):
    """(flag text, expected number of bad groups, expected knobs and mode)."""
    knobs = {p[0]: p[4] for p in PARAMS}
    mode = "duck"
    groups, bad = [], 0
    for _ in range(rng.randrange(1, 7)):
        r = rng.random()
        pid, alias, lo, hi, _ = rng.choice(PARAMS)
        name = alias if alias and rng.random() < 0.3 else pid
        if r < 0.45:
            text, v, ok = rand_value(rng, lo, hi)
            groups.append("-%s %s" % (name, text))
            if not math.isinf(v):
                knobs[pid] = v if ok else (lo if v < lo else hi)
            bad += 0 if ok else 1
        elif r < 0.55:
            mode = rng.choice(["duck", "comp"])
            groups.append("-mode " + mode)
        elif r < 0.65:
            groups.append("-mode " + rng.choice(["Duck", "1", "foo"]))
            bad += 1
        elif r < 0.75:
            groups.append("-%s %s" % (name, rng.choice(["foo", "-x", "bar"])))
            bad += 1
        elif r < 0.82:
            # (a lone unknown flag would swallow a following number: not used)
            groups.append(rng.choice(["foo", "12", "-bogus 3", "--threshold 1"]))
            bad += 1
        elif r < 0.85:  # a huge list of bare numbers: each one is a bad argument
            k = rng.randrange(20, 400)
            groups.append(" ".join("%d" % rng.randrange(-99, 99) for _ in range(k)))
            bad += k
        else:
            groups.append("-threshold" if rng.random() < 0.5 else "-mode")  # missing value
            bad += 1
            break  # a missing value is only missing at the end
    return " ".join(groups), bad, knobs, mode


def generate(outdir, seed, count, ncreations):
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    wires = write_patch(os.path.join(outdir, "msgfuzz.pd"))
    canvas = "pd-msgfuzz.pd"
    cut = set()  # A's inlets whose connection is currently cut
    score = []  # (delay ms, receiver, message)
    sent = []  # (receiver, message, expected errors); each preceded by a marker "M: i"
    for i in range(count):
        rcv, text, err, _change = message(rng)
        if rng.random() < 0.04:  # cut or restore a signal connection: DSP is rebuilt,
            k = rng.randrange(len(wires))  # normalling changes
            src, dst, inlet = wires[k]
            verb = "connect" if k in cut else "disconnect"
            cut ^= {k}
            rcv, text, err = canvas, "%s %d 0 %d %d" % (verb, src, dst, inlet), 0
        score += [(rng.choice([0, 0, 1, 3, 10]), "mk", str(i)), (0, rcv, text)]
        sent.append((rcv, text, err))
    score.append((0, "mk", "end"))
    for k in sorted(cut):
        src, dst, inlet = wires[k]
        score.append((0, canvas, "connect %d 0 %d %d" % (src, dst, inlet)))
    # The junk stops; A and B get the same final settings (see FINAL: 2 s is then ample to
    # forget).
    for k in range(5):
        score += [(0, "j%d" % k, "0"), (0, "n%d" % k, "0")]
    # (inputLevel >= 0.5 and mix >= 0.5 so that B's left outlet carries sound in either mode)
    for pid, _alias, lo, hi, _ in PARAMS:
        lo, hi = FINAL.get(pid, (0.5 if pid in ("inputLevel", "mix") else lo, hi))
        v = f32(rng.uniform(lo, hi))
        score.append((0, "both", "%s %s" % (pid, num(v))))
    score.append((0, "both", "mode " + rng.choice(["duck", "comp"])))
    for rcv in ("fz5", "fz6", "b5", "b6"):
        score.append((0, rcv, "0"))
    score.append((2000, "rec", "bang"))
    score.append((300, "wr", "write -bytes 4 out.wav a0 a1 a2 a3 b0 b1 b2 b3"))
    # creations while DSP runs
    creations = []
    for i in range(ncreations):
        flags, bad, knobs, mode = creation(rng)
        creations.append({"flags": flags, "bad": bad, "knobs": knobs, "mode": mode})
        score += [(0, "pd-cre", "clear"), (0, "mark", str(i)),
                  (0, "pd-cre", "obj 0 0 r crp"),
                  (0, "pd-cre", "obj 0 30 sidecar~ " + flags),
                  (0, "pd-cre", "obj 0 60 osc~ 100"),
                  (0, "pd-cre", "connect 0 0 1 0"), (0, "pd-cre", "connect 2 0 1 0"),
                  (5, "crp", "print")]
    score.append((10, "pd", "quit 0"))
    with open(os.path.join(outdir, "msgfuzz.txt"), "w") as f:
        for delay, rcv, text in score:
            f.write("%d %s %s;\n" % (delay, rcv, text))
    with open(os.path.join(outdir, "expect.json"), "w") as f:
        json.dump({"seed": seed, "messages": sent, "creations": creations},
                  f, indent=1)


# ---- the verdict ------------------------------------------------------------------------------

def check(outdir, logpath):
    with open(os.path.join(outdir, "expect.json")) as f:
        exp = json.load(f)
    with open(logpath, errors="replace") as f:
        log = f.read().splitlines()
    fails = 0

    def verdict(name, ok, why):
        nonlocal fails
        print(("PASS %s" % name) if ok else ("FAIL %s: %s" % (name, why)))
        fails += 0 if ok else 1

    # console errors of the message phase, attributed to messages by the markers
    got, cur = {}, None
    for line in log:
        if line.startswith("M: "):
            cur = line[3:]
            got[cur] = 0
        elif line.startswith("error: ") and cur is not None:
            got[cur] += 1
    sent = exp["messages"]
    wrong = ["'%s %s': %s errors, expected %d" % (rcv, text, got.get(str(i), "no"), err)
             for i, (rcv, text, err) in enumerate(sent) if got.get(str(i)) != err]
    nbad = sum(err for _, _, err in sent)
    verdict("msgfuzz-errors", not wrong and "end" in got,
            "%d of %d messages (%d bad) got the wrong number of console errors, e.g. %s"
            % (len(wrong), len(sent), nbad, "; ".join(wrong[:4])))
    print("    %d messages sent, %d of them bad; %d console errors seen"
          % (len(sent), nbad, sum(v for k, v in got.items() if k != "end")))
    # A vs B after the junk stopped
    try:
        ch = read_float_wav(os.path.join(outdir, "out.wav"))
        finite = all(math.isfinite(x) for c in ch for x in c)
        diff = max(abs(x - y) for o in range(4) for x, y in zip(ch[o], ch[4 + o]))
        moving = max(abs(x) for x in ch[4]) > 0.01  # B's left outlet carries sound
        verdict("msgfuzz-no-latch", finite and moving and diff <= TOL and len(ch[0]) == REC,
                "A (fuzzed) vs B (untouched): max |diff| %g over %d frames, finite %s, "
                "B moving %s" % (diff, len(ch[0]), finite, moving))
        print("    A vs B after forgetting: max |diff| %.3g over %d frames x 4 outlets"
              % (diff, len(ch[0])))
    except (OSError, ValueError, IndexError) as e:
        verdict("msgfuzz-no-latch", False, "no readable out.wav (%s)" % e)
    # creations: each block runs from its mark to the next
    marks = [i for i, l in enumerate(log) if l.startswith("MARK: ")] + [len(log)]
    bad_create, bad_count, bad_knobs = [], [], []
    for i, c in enumerate(exp["creations"]):
        if i + 1 >= len(marks):
            bad_create.append("%d: never reached" % i)
            continue
        block = log[marks[i] + 1:marks[i + 1]]
        if any("couldn't create" in l for l in block) or not any(
                l.startswith("sidecar~ ") for l in block):
            bad_create.append("[sidecar~ %s]" % c["flags"])
            continue
        n = sum(l.startswith("error: ") for l in block)
        if not (c["bad"] <= n <= 2 * c["bad"]):
            bad_count.append("[sidecar~ %s]: %d errors for %d bad groups" % (c["flags"], n,
                                                                             c["bad"]))
        got = {}
        for l in block:
            m = re.match(r"\s+(\w+)\s+(\S+)", l)
            if m and m.group(1) in c["knobs"]:
                got[m.group(1)] = m.group(2)
            m = re.match(r"sidecar~ \S+: mode (\w+)", l)
            if m:
                got["mode"] = m.group(1)
        want = {k: "%g" % v for k, v in c["knobs"].items()}
        want["mode"] = c["mode"]
        if got != want:
            wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
            bad_knobs.append("[sidecar~ %s]: got/want %s" % (c["flags"], wrong))
    n = len(exp["creations"])
    verdict("msgfuzz-create", not bad_create, "%d of %d not created: %s" %
            (len(bad_create), n, "; ".join(bad_create[:3])))
    judged = n - len(bad_create)
    verdict("msgfuzz-create-errors", judged and not bad_count,
            "; ".join(bad_count[:3]) or "nothing to judge")
    verdict("msgfuzz-create-settings", judged and not bad_knobs,
            "; ".join(bad_knobs[:3]) or "nothing to judge")
    return fails


def main():
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "gen":
        opts = {"--seed": 1, "--count": 400, "--creations": 40}
        for k, v in zip(args[2::2], args[3::2]):
            opts[k] = int(v)
        generate(args[1], opts["--seed"], opts["--count"], opts["--creations"])
    elif len(args) == 3 and args[0] == "check":
        sys.exit(1 if check(args[1], args[2]) else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
