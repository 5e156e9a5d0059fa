#!/usr/bin/env python3
"""Writes the regression patches for sidecar-panel~ (python3 standard library only):

    panel.py DIR   writes DIR/panel-*.pd (run by tests/suites/80-panel.sh with
                   pd -batch -path . -path tests/patches)

Every parameter is set by flags and by messages, the 0.3 ones (feedback, ms, slow_release,
listen) too: a parameter the object or the panel lacks fails, it is never left out.

panel-flags.pd     each row: a [sidecar-panel~ FLAGS] and a [sidecar~ FLAGS] fed the same signals;
                   [diff~] of their four outlets must stay exactly 0 (both modes, every option,
                   the normalling cases, floats on the CV inlets, the flag aliases). A sanity
                   check per row: the flags change the sound (the object differs from a bare one).
panel-messages.pd  the same messages at the same times to a panel and to the object (every
                   parameter, aliases, mode, trigger, reset, out-of-range and malformed ones):
                   bit-identical; then "state pm" reads the panel's controls back, each checked.
                   Two copies of a user abstraction holding a panel (tests/patches/panel-in-abs.pd,
                   two levels of [inlet~]) keep their own settings and normal as the object.
panel-save.pd      two panels (one in a subpatch), set by messages received on "setpanels", render
                   1 s of their outlets to the WAV file named on "out"; "dosave 1" saves the patch
                   (menusave) before quitting. 80-panel.sh renders, saves, reopens, renders again.
panel-clean.pd     panels with and without flags (and two in a [clone]), DSP on for 0.5 s: the
                   console must stay empty.
panel-mouse.pd     the mouse, through the canvas's own mouse messages (as Pd's GUI sends them):
                   click comp, drag the threshold slider, click Trigger and M/S: the panel's
                   controls say so ("state pm"), and an object sent those values renders
                   bit-identically.
panel-meter.pd     the meter ("meter NAME" reads the number it shows) against 24 * env_out / envMag
                   of an object with the same flags, with envMag 2 and with envMag 1 plus a CV
                   of -0.5 (a steady tone: within 0.3 dB, the meter's rounding and ripple).
panel-mc.pd        (Pd 0.54+) a panel and an object fed the same multichannel signals: every
                   channel of every outlet bit-identical.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "robust"))
from pdtools import Patch  # noqa: E402

NIN, NOUT = 7, 4
# every option's flag (the 0.2 ones, then 0.3's)
ALL_OPTIONS = ("-threshold -30 -ratio 6 -attack 3 -release 80 -knee 4 -envMag 1.5 -inputLevel 0.8 "
               "-makeup 3 -sc_hpf 60 -range 18 -hold 30 -lookahead 2 -mix 0.8 -rms 5 -link 0.5 "
               "-sc_lpf 8000 -feedback 0.3 -ms 1 -slow_release 400")


class PanelPatch(Patch):
    def __init__(self):
        super().__init__("#N canvas 0 0 1400 900 10;", columns=14, dx=95)
        self.src = {}

    def source(self, key, *chain):
        """A named one-channel test signal, made once: chain of object texts."""
        if key not in self.src:
            self.src[key] = self.chain(*[self.obj(t) for t in chain])
        return self.src[key]

    def material(self):
        K = self.source("kick", "kick~")  # outlet 0: kick; the pad is [kick~]'s outlets 1, 2
        return {
            "kick": (K, 0), "padl": (K, 1), "padr": (K, 2),
            "kickr": (self.source("kickr", "osc~ 3", "*~ 0.5"), 0),
            "cv": (self.source("cv", "osc~ 1.5", "*~ 0.4"), 0),
            "cv2": (self.source("cv2", "osc~ 2.5", "*~ 0.3"), 0),
            "cv3": (self.source("cv3", "osc~ 0.7", "*~ 0.5"), 0),
        }

    def wire(self, obj, inputs, m):
        for inlet, name in inputs.items():
            src, outlet = m[name]
            self.connect(src, outlet, obj, inlet)

    def same(self, name, a, b):
        d = self.obj("diff~")
        for o in range(NOUT):
            self.connect(a, o, d, o)
            self.connect(b, o, d, NOUT + o)
        self.chain(d, self.obj("expect~ check %s 0 0" % name))

    def differ(self, name, a, b):
        d = self.obj("diff~")
        for o in range(NOUT):
            self.connect(a, o, d, o)
            self.connect(b, o, d, NOUT + o)
        self.chain(d, self.obj("expr~ \\$v1 > 0"), self.obj("expect~ check %s 1 0" % name))

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines) + "\n")


def flags_patch(path):
    p = PanelPatch()
    p.obj("finish 1000")
    m = p.material()
    full = {0: "kick", 1: "kickr", 2: "padl", 3: "padr", 4: "cv", 5: "cv2", 6: "cv3"}
    rows = [
        ("duck_every_option", ALL_OPTIONS, full),
        ("comp_every_option", "-mode comp " + ALL_OPTIONS,
         {0: "padl", 1: "padr", 2: "kick", 3: "kickr", 4: "cv"}),
        ("duck_normalled_r", "-threshold -30 -ratio 8", {0: "kick", 2: "padl"}),
        ("duck_sc_unpatched", "-threshold -30", {0: "kick", 1: "kickr"}),
        ("comp_self_detect", "-mode comp -threshold -36 -ratio 8", {0: "padl", 1: "padr"}),
        ("comp_sc_l_only", "-mode comp -threshold -30", {0: "padl", 1: "padr", 2: "kick"}),
        ("aliases", "-threshold -30 -env_mag 1.5 -input_level 0.7", {0: "kick", 2: "padl"}),
        ("listen_on", "-threshold -30 -sc_hpf 200 -listen 1 -ms 1",
         {0: "kick", 1: "kickr", 2: "padl"}),
    ]
    for name, flags, inputs in rows:
        a = p.obj("sidecar-panel~ " + flags)
        b = p.obj("sidecar~ " + flags)
        bare = p.obj("sidecar~")
        for o in (a, b, bare):
            p.wire(o, inputs, m)
        p.same("flags_%s" % name, a, b)
        p.differ("flags_%s_matter" % name, b, bare)
        if name == "comp_every_option":  # the controls start at the flags' values
            st = p.msg("state fl")
            p.chain(p.obj("loadbang"), p.obj("del 10"), st)
            p.connect(st, 0, a, 0)
            words = ALL_OPTIONS.split()
            want = {w[1:]: float(v) for w, v in zip(words[::2], words[1::2])}
            readback(p, "fl", "flags_control", want)
    # floats on the CV inlets are constant CVs, as for the object
    a, b = p.obj("sidecar-panel~ -threshold -30"), p.obj("sidecar~ -threshold -30")
    for o in (a, b):
        p.wire(o, {0: "kick", 2: "padl"}, m)
    for inlet, value in ((4, 0.3), (5, 0.5), (6, -0.4)):
        v = p.chain(p.obj("loadbang"), p.msg(str(value)))
        p.connect(v, 0, a, inlet)
        p.connect(v, 0, b, inlet)
    p.same("flags_cv_floats", a, b)
    p.write(path)


# messages at (ms, text), and what the panel's controls must read afterwards
MESSAGES = [
    (0, "threshold -36 \\, ratio 10 \\, knee 0 \\, attack 1 \\, release 60 \\, envMag 1.5 \\, "
        "inputLevel 0.8 \\, makeup 3 \\, sc_hpf 80"),
    (200, "range 12 \\, hold 30 \\, lookahead 3 \\, mix 0.7 \\, rms 5 \\, link 0.5 \\, "
          "sc_lpf 3000"),
    (300, "feedback 0.4 \\, ms 1 \\, slow_release 300"),
    (400, "trigger 40"),
    (500, "listen 1"),
    (600, "mode comp \\, env_mag 0.7 \\, input_level 1.2"),
    (650, "listen 0 \\, slow_release 9000"),
    (700, "threshold 5 \\, ratio 2 3 \\, attack foo \\, mode x \\, knee \\, hold 1e+09"),
    (800, "reset \\, lookahead 1 \\, trigger 20"),
]
EXPECT = {"threshold": 0, "ratio": 10, "attack": 1, "release": 60, "knee": 0, "envMag": 0.7,
          "inputLevel": 1.2, "makeup": 3, "sc_hpf": 80, "range": 12, "hold": 1000,
          "lookahead": 1, "mix": 0.7, "rms": 5, "link": 0.5, "sc_lpf": 3000, "feedback": 0.4,
          "ms": 1, "slow_release": 5000, "listen": 0, "trigger_depth": 20}


def readback(p, receiver, prefix, expect):
    """[r RECEIVER] -> [route NAME...] -> [expect PREFIX_NAME value] for each of `expect`
    (floats, tolerance 1e-6) and mode (must be comp: [sel comp] gives 1)."""
    names = sorted(expect)
    r = p.obj("route " + " ".join(names) + " mode")
    p.chain(p.obj("r " + receiver), r)
    for k, n in enumerate(names):
        p.connect(r, k, p.obj("expect %s_%s %g 1e-06" % (prefix, n, expect[n])), 0)
    sel = p.obj("route comp")
    p.connect(r, len(names), sel, 0)
    p.chain(sel, p.msg("1"), p.obj("expect %s_mode_comp 1 0" % prefix))


def messages_patch(path):
    p = PanelPatch()
    p.obj("finish 1000")
    m = p.material()
    inputs = {0: "kick", 1: "kickr", 2: "padl"}
    a = p.obj("sidecar-panel~ -threshold -30")
    b = p.obj("sidecar~ -threshold -30")
    for o in (a, b):
        p.wire(o, inputs, m)
    go = p.obj("loadbang")
    for delay, text in MESSAGES:
        t = p.msg(text)
        p.chain(go, p.obj("del %d" % delay), t)
        p.connect(t, 0, a, 0)
        p.connect(t, 0, b, 0)
    p.same("msg_panel_equals_object", a, b)
    bare = p.obj("sidecar~ -threshold -30")
    p.wire(bare, inputs, m)
    p.differ("msg_messages_matter", b, bare)
    # read the controls back: "state pm" at 950 ms
    st = p.msg("state pm")
    p.chain(go, p.obj("del 950"), st)
    p.connect(st, 0, a, 0)
    readback(p, "pm", "follow", EXPECT)
    # a panel inside a user abstraction, twice, with different flags: each keeps its own, and
    # normals through two levels of [inlet~] as the object does
    for k, thr in ((1, -24), (2, -40)):
        w = p.obj("panel-in-abs~ %d" % thr)
        o = p.obj("sidecar~ -threshold %d" % thr)
        for x in (w, o):
            p.wire(x, {0: "kick", 2: "padl"}, m)
        p.same("abs%d_equals_object" % k, w, o)
        q = p.msg("ratio %d" % (2 + 4 * k))
        p.chain(go, p.obj("del 900"), q)
        p.connect(q, 0, w, 0)
        p.connect(q, 0, o, 0)
        q = p.msg("state abs%d" % k)
        p.chain(go, p.obj("del 950"), q)
        p.connect(q, 0, w, 0)
        r = p.obj("route threshold ratio")
        p.chain(p.obj("r abs%d" % k), r)
        p.connect(r, 0, p.obj("expect abs%d_own_threshold %d 0" % (k, thr)), 0)
        p.connect(r, 1, p.obj("expect abs%d_own_ratio %d 0" % (k, 2 + 4 * k)), 0)
    p.write(path)


def save_patch(path):
    """Panel A at the top with flags (which the saved state must beat), panel B in [pd sub]."""
    lines = ["#N canvas 0 0 900 600 10;"]
    p = PanelPatch()
    p.lines = lines
    m = p.material()
    a = p.obj("sidecar-panel~ -threshold -20 -ratio 3")
    p.wire(a, {0: "kick", 2: "padl", 3: "padr"}, m)
    # [pd sub]: inlets kick, pad; outlets B's four outlets
    sub = ["#N canvas 0 0 500 300 sub 0;",
           "#X obj 10 10 inlet~;", "#X obj 100 10 inlet~;", "#X obj 190 10 r setpanels;",
           "#X msg 190 40 threshold -12 \\, ratio 2 \\, lookahead 5 \\, mode comp \\, "
           "trigger_depth 30 \\, reset;",
           "#X obj 10 100 sidecar-panel~;",
           "#X obj 10 200 outlet~;", "#X obj 100 200 outlet~;", "#X obj 190 200 outlet~;",
           "#X obj 280 200 outlet~;",
           "#X connect 0 0 4 0;", "#X connect 1 0 4 2;", "#X connect 2 0 3 0;",
           "#X connect 3 0 4 0;"] + ["#X connect 4 %d %d 0;" % (o, 5 + o) for o in range(4)]
    lines += sub
    lines.append("#X restore 10 300 pd sub;")
    p.n += 1
    b = p.n - 1
    p.connect(m["kick"][0], 0, b, 0)
    p.connect(m["padl"][0], m["padl"][1], b, 1)
    setp = p.msg("threshold -40 \\, hold 50 \\, mode comp \\, sc_hpf 120 \\, reset")
    p.chain(p.obj("r setpanels"), setp)
    p.connect(setp, 0, a, 0)
    # render 1 s (48000 samples) of both panels' outlets to tables, then write them
    tables = []
    lb = p.obj("loadbang")
    p.chain(lb, p.msg("\\; pd dsp 1"))
    for k, (obj, outs) in enumerate(((a, range(4)), (b, range(4)))):
        for o in outs:
            name = "\\$0-t%d%d" % (k, o)
            p.obj("table %s 48000" % name)
            tw = p.obj("tabwrite~ %s" % name)
            p.connect(obj, o, tw, 0)
            p.connect(lb, 0, tw, 0)
            tables.append(name)
    done = p.chain(lb, p.obj("del 1100"), p.obj("t b b b"))
    fname = p.obj("symbol")
    p.connect(p.obj("r out"), 0, fname, 1)
    wr = p.obj("list prepend write -bytes 4")
    ap = p.obj("list append " + " ".join(tables))
    p.chain(fname, wr, ap, p.obj("list trim"), p.obj("soundfiler"))
    p.connect(done, 2, fname, 0)
    st = p.msg("state")
    p.connect(done, 1, st, 0)
    p.connect(st, 0, a, 0)
    sv = p.obj("f 0")
    p.connect(p.obj("r dosave"), 0, sv, 1)
    p.connect(done, 0, sv, 0)
    sel = p.obj("sel 1")
    p.chain(sv, sel, p.msg("\\; pd-panel-save.pd menusave"))
    p.chain(done, p.obj("del 1"), p.msg("\\; pd quit 0"))
    p.write(path)


def clean_patch(path):
    p = PanelPatch()
    m = p.material()
    for flags in ("", ALL_OPTIONS, "-mode comp -threshold -24"):
        a = p.obj(("sidecar-panel~ " + flags).strip())
        p.wire(a, {0: "kick", 2: "padl"}, m)
    # in a [clone], each copy gets its number first: not reported
    p.obj("clone sidecar-panel~ 2 -threshold -24")
    p.chain(p.obj("loadbang"), p.msg("\\; pd dsp 1"))
    p.chain(p.obj("loadbang"), p.obj("del 500"), p.msg("\\; pd quit 0"))
    p.write(path)


def mouse_patch(path):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "scripts"))
    import panel  # scripts/panel.py: where the controls are
    pts = panel.click_points()
    px, py = 100, 300  # the panel's place in this patch
    p = PanelPatch()
    p.obj("finish 1000")
    m = p.material()
    a = p.obj("sidecar-panel~")
    p.lines[-1] = "#X obj %d %d sidecar-panel~;" % (px, py)
    ref = p.obj("sidecar~")
    inputs = {0: "kick", 1: "kickr", 2: "padl"}
    for o in (a, ref):
        p.wire(o, inputs, m)

    def at(name, dx=0):
        x, y = pts[name]
        return px + x + dx, py + y
    c = "\\; pd-panel-mouse.pd"
    ev = [c + " vis 1"]
    for name in ["comp", "trigger", "ms"]:
        ev += [c + " mouse %d %d 1 0" % at(name), c + " mouseup %d %d 0" % at(name)]
    ev += [c + " mouse %d %d 1 0" % at("threshold"), c + " motion %d %d 0" % at("threshold", 20),
           c + " mouseup %d %d 0" % at("threshold", 20)]
    clicks = p.msg(" ".join(ev))
    go = p.obj("t b b b")
    p.chain(p.obj("loadbang"), go)
    p.connect(go, 2, clicks, 0)
    st = p.msg("state pm")
    p.connect(go, 1, st, 0)
    p.connect(st, 0, a, 0)
    # the reference object gets what the panel says it has, and the trigger the button sent
    names = ["threshold", "mode", "ms"]
    r = p.obj("route " + " ".join(names))
    p.chain(p.obj("r pm"), r)
    for k, n in enumerate(names):
        lp = p.obj("list prepend " + n)
        p.connect(r, k, lp, 0)
        p.connect(p.chain(lp, p.obj("list trim")), 0, ref, 0)
    trig = p.msg("trigger %g" % panel.DEPTH[3])
    p.connect(go, 0, trig, 0)
    p.connect(trig, 0, ref, 0)
    # checks: the threshold moved, the mode is comp, the panel sounds as the object
    ne = p.obj("!= %g" % panel.PARAMS[0][4])
    p.connect(r, 0, ne, 0)
    p.chain(ne, p.obj("expect mouse_threshold_dragged 1 0"))
    # the dragged value is one a saved patch gives back unchanged (6 digits, as Pd saves)
    t6 = p.obj("t f f")
    p.connect(r, 0, t6, 0)
    eq = p.obj("==")
    mk = p.obj("makefilename %g")
    p.connect(t6, 1, mk, 0)
    p.connect(p.chain(mk, p.obj("list fromsymbol"), p.obj("fudiparse")), 0, eq, 1)
    p.connect(t6, 0, eq, 0)
    p.chain(eq, p.obj("expect mouse_threshold_survives_saving 1 0"))
    rc = p.obj("route comp")
    p.connect(r, 1, rc, 0)
    p.chain(rc, p.msg("1"), p.obj("expect mouse_mode_comp 1 0"))
    p.connect(r, 2, p.obj("expect mouse_ms_on 1 0"), 0)
    p.same("mouse_panel_equals_object", a, ref)
    bare = p.obj("sidecar~")
    p.wire(bare, inputs, m)
    p.differ("mouse_clicks_matter", ref, bare)
    p.write(path)


def meter_patch(path):
    p = PanelPatch()
    tone = p.obj("osc~ 100")
    go = p.obj("loadbang")
    p.chain(go, p.msg("\\; pd dsp 1"))
    rows = [("envmag2", "-mode comp -threshold -30 -envMag 2", None, 2),
            ("envmag_cv", "-mode comp -threshold -30 -ratio 8", -0.5, 0.5)]
    for name, flags, cv, mag in rows:
        a, b = p.obj("sidecar-panel~ " + flags), p.obj("sidecar~ " + flags)
        for o in (a, b):
            p.connect(tone, 0, o, 0)
        if cv is not None:
            v = p.chain(go, p.msg(str(cv)))
            p.connect(v, 0, a, 5)
            p.connect(v, 0, b, 5)
        t = p.obj("t b b")
        p.chain(go, p.obj("del 1000"), t)
        ask = p.msg("meter m%s" % name)
        p.connect(t, 0, ask, 0)
        p.connect(ask, 0, a, 0)
        # the object's reduction now: 24 * env_out / envMag
        ref = p.obj("snapshot~")
        scale = p.obj("*~ %g" % (24.0 / mag))
        p.connect(b, 2, scale, 0)
        p.chain(scale, ref)
        p.connect(t, 1, ref, 0)
        cmp_ = p.obj("expr abs(\\$f1 - \\$f2) < 0.3")
        p.connect(ref, 0, cmp_, 1)
        p.connect(p.chain(p.obj("r m%s" % name), p.obj("route meter")), 0, cmp_, 0)
        p.chain(cmp_, p.obj("expect meter_%s 1 0" % name))
        # and it is a real reduction, not 0
        big = p.obj("> 10")
        p.connect(ref, 0, big, 0)
        p.chain(big, p.obj("expect meter_%s_reduces 1 0" % name))
    p.obj("finish 1010")
    p.write(path)


def mc_patch(path):
    p = PanelPatch()
    p.obj("finish 1000")

    def mc(texts):
        snake = p.obj("snake~ in %d" % len(texts))
        for c, t in enumerate(texts):
            p.connect(p.obj(t), 0, snake, c)
        return snake
    kicks = mc(["osc~ %g" % (3 + k) for k in range(3)])
    pads = mc(["osc~ %g" % (220 + 57 * k) for k in range(3)])
    cvs = mc(["osc~ %g" % (1.5 + k) for k in range(2)])
    pad1 = p.obj("osc~ 331")
    rows = [("mc_all3", "-threshold -30 -attack 2 -release 40", {0: kicks, 2: pads, 4: cvs}),
            ("mc_broadcast_sc", "-threshold -30", {0: kicks, 2: pad1}),
            ("mc_comp", "-mode comp -threshold -36 -lookahead 2", {0: pads, 2: kicks})]
    for name, flags, inputs in rows:
        a, b = p.obj("sidecar-panel~ " + flags), p.obj("sidecar~ " + flags)
        for o in (a, b):
            for inlet, src in inputs.items():
                p.connect(src, 0, o, inlet)
        for ch in range(3):
            d = p.obj("diff~")
            for o in range(NOUT):
                sa, sb = p.obj("snake~ out 3"), p.obj("snake~ out 3")
                p.connect(a, o, sa, 0)
                p.connect(b, o, sb, 0)
                p.connect(sa, ch, d, o)
                p.connect(sb, ch, d, NOUT + o)
            p.chain(d, p.obj("expect~ check %s_ch%d 0 0" % (name, ch)))
        # sanity: the strips differ (channel 0 and 1 of env_out)
        se = p.obj("snake~ out 3")
        p.connect(a, 2, se, 0)
        d = p.obj("-~")
        p.connect(se, 0, d, 0)
        p.connect(se, 1, d, 1)
        p.chain(d, p.obj("abs~"), p.obj("rpole~ 1"), p.obj("expr~ \\$v1 > 0"),
                p.obj("expect~ check %s_strips_differ 1 0" % name))
    p.write(path)


def main():
    out = sys.argv[1]
    flags_patch(os.path.join(out, "panel-flags.pd"))
    messages_patch(os.path.join(out, "panel-messages.pd"))
    save_patch(os.path.join(out, "panel-save.pd"))
    clean_patch(os.path.join(out, "panel-clean.pd"))
    mouse_patch(os.path.join(out, "panel-mouse.pd"))
    meter_patch(os.path.join(out, "panel-meter.pd"))
    mc_patch(os.path.join(out, "panel-mc.pd"))


if __name__ == "__main__":
    main()
