#!/usr/bin/env python3
"""Writes sidecar-panel~.pd, the graph-on-parent faceplate for sidecar~ (vanilla objects only).

    python3 scripts/panel.py [OUT]      (default: sidecar-panel~.pd beside sidecar~.c)

The patch has one control and the same few objects for each of 21 settings; writing them by
hand would give 21 copies of the same wiring to keep in step. This script is the one copy: the
table PARAMS (name, label, range, default, unit, curve, place on the faceplate) and one function
per kind of wiring. tests/suites/80-panel.sh checks that the committed patch is what this script
writes, so edit here and run it, never the .pd by hand.

How the patch works (each part is a subpatch of sidecar-panel~.pd, named after its job):
  - every message, whatever its source (left inlet, mouse, creation flags, saved state), goes to
    $0-msg: [pd dispatch] hands it unchanged to [sidecar~] (which checks it and reports errors as
    the bare object does) and to $0-follow;
  - $0-follow: one chain per setting ([pd follow-NAME]) keeps only a well-formed value, clamps it
    to the range as the object does, stores it and shows it on its controls ("set", no output);
  - a control moved by mouse sends "NAME value" to $0-msg;
  - [pd load]: at load, the defaults are shown, the creation flags ([pd flags]) and then the
    saved state are sent to $0-msg, then "reset" (so the smoothers start at those values, as a
    bare sidecar~ with flags does);
  - [pd state]: the stored values as one list "threshold -18 ratio 4 ... mode duck trigger_depth 12"
    for [savestate], or sent as messages to a receive name ("state NAME");
  - [pd meter]: env_out turned into dB of gain reduction for the bar and the number ("meter
    NAME" sends the number to NAME).
"""
import sys
import os

# name, label, min, max, default, unit, log curve, column, row, aliases
PARAMS = [
    ("threshold", "Threshold", -60, 0, -18, "dB", 0, 0, 0, ()),
    ("ratio", "Ratio", 1, 20, 4, ":1", 1, 0, 1, ()),
    ("attack", "Attack", 0.1, 200, 10, "ms", 1, 0, 2, ()),
    ("release", "Release", 1, 2000, 100, "ms", 1, 0, 3, ()),
    ("knee", "Knee", 0, 24, 6, "dB", 0, 0, 4, ()),
    ("envMag", "Env Mag", 0, 2, 1, "x", 0, 0, 5, ("env_mag",)),
    ("inputLevel", "Input Lvl", 0, 2, 1, "x", 0, 0, 6, ("input_level",)),
    ("makeup", "Makeup", 0, 24, 0, "dB", 0, 0, 7, ()),
    ("sc_hpf", "SC HPF", 20, 1000, 20, "Hz", 1, 0, 8, ()),
    ("range", "Range", 0, 120, 120, "dB", 0, 1, 0, ()),
    ("hold", "Hold", 0, 1000, 0, "ms", 0, 1, 1, ()),
    ("lookahead", "Lookahead", 0, 20, 0, "ms", 0, 1, 2, ()),
    ("mix", "Mix", 0, 1, 1, "wet", 0, 1, 3, ()),
    ("rms", "RMS", 0, 300, 0, "ms", 0, 1, 4, ()),
    ("link", "Link", 0, 1, 1, "x", 0, 1, 5, ()),
    ("sc_lpf", "SC LPF", 20, 20000, 20000, "Hz", 1, 1, 6, ()),
    ("feedback", "Feedback", 0, 1, 0, "x", 0, 1, 7, ()),
    ("slow_release", "Slow Rel", 0, 5000, 0, "ms", 0, 1, 8, ()),
]
SWITCHES = [("ms", "M/S"), ("listen", "Listen")]  # toggles, 0..1, default 0
DEPTH = ("trigger_depth", 0, 120, 12)  # the trigger button's depth in dB: a panel setting
METER_DB = 30  # the gain-reduction bar's full scale

# ---- look ------------------------------------------------------------------------------------
BG, PANEL, TEXT, DIM = "#2a2e33", "#363b41", "#e4e4e4", "#9aa3ad"
SLIDER_BG, KNOB = "#1c1f23", "#f2b33d"
NUM_BG, NUM_FG = "#15181b", "#9be29b"
GR_BG, GR_FG = "#15181b", "#e8553f"
FONT = 10
X0, Y0 = 8, 26  # first row
LABEL_W, SLIDER_W, ROW_H, SLIDER_H = 62, 92, 19, 13
NUM_DIGITS = 5
COL_W = LABEL_W + SLIDER_W + 4 + 46 + 24 + 14
W = X0 + 2 * COL_W - 6
ROWS = 9
SW_Y = Y0 + ROWS * ROW_H + 8
METER_Y = SW_Y + 30
H = METER_Y + 34
HIDDEN = H + 60  # logic lives below the faceplate
BAR_W = W - X0 - 34 - 100  # the gain-reduction bar
MODE_X = X0 + 34  # the duck/comp radio, the switches, the trigger button (row SW_Y + 4)
SWITCH_X, SWITCH_DX = X0 + 136, 56
TRIGGER_X = X0 + COL_W + 66


def click_points():
    """Where a click hits each switch, and the threshold slider's knob at its default (panel
    coordinates): tests/patches/panel.py clicks there through the canvas's mouse messages."""
    y = SW_Y + 4 + 7
    lo, hi, dflt = PARAMS[0][2:5]
    knob = X0 + LABEL_W + round((dflt - lo) / (hi - lo) * (SLIDER_W - 1))
    points = {"comp": (MODE_X + 15 + 7, y), "trigger": (TRIGGER_X + 7, y),
              "threshold": (knob, Y0 + SLIDER_H // 2)}
    for k, (name, _label) in enumerate(SWITCHES):
        points[name] = (SWITCH_X + SWITCH_DX * k + 7, y)
    return points


def num(v):
    s = repr(float(v))
    if s.endswith(".0"):
        s = s[:-2]
    return s


def esc(text):
    return text.replace(" ", "\\ ").replace("$", "\\$")


class Canvas:
    def __init__(self, name, x, y, w, h, font=FONT):
        self.name, self.geom, self.font = name, (x, y, w, h), font
        self.items = []  # (kind, text) kind: obj or sub
        self.conns = []
        self.tail = []   # lines after the objects (coords)

    def add(self, x, y, text, kind="obj"):
        self.items.append(("#X %s %d %d %s;" % (kind, x, y, text),))
        return len(self.items) - 1

    def obj(self, x, y, text):
        return self.add(x, y, text)

    def msg(self, x, y, text):
        return self.add(x, y, text, "msg")

    def text(self, x, y, text):
        return self.add(x, y, text.replace(";", " \\;"), "text")

    def sub(self, x, y, canvas):
        self.items.append((canvas, x, y))
        return len(self.items) - 1

    def connect(self, a, outlet, b, inlet):
        self.conns.append((a, outlet, b, inlet))

    def chain(self, *pairs):
        """chain(a, b, c): a:0 -> b:0 -> c:0; an element (obj, outlet) picks the outlet."""
        prev = None
        for p in pairs:
            o, out = (p if isinstance(p, tuple) else (p, 0))
            if prev is not None:
                self.connect(prev[0], prev[1], o, 0)
            prev = (o, out)

    def lines(self, top=False):
        x, y, w, h = self.geom
        out = ["#N canvas %d %d %d %d %s;" % (x, y, w, h, self.font if top else self.name + " 0")]
        for it in self.items:
            if isinstance(it[0], Canvas):
                c, cx, cy = it
                out += c.lines()
                out.append("#X restore %d %d pd %s;" % (cx, cy, c.name))
            else:
                out.append(it[0])
        out += ["#X connect %d %d %d %d;" % c for c in self.conns]
        out += self.tail
        return out


# ---- iemgui lines ------------------------------------------------------------------------------
def hsl(w, h, lo, hi, log, snd, rcv, label, ldx, ldy):
    return "hsl %d %d %s %s %d 0 %s %s %s %d %d 0 %d %s %s %s 0 1" % (
        w, h, num(lo), num(hi), log, snd, rcv, esc(label) if label else "empty", ldx, ldy, FONT,
        SLIDER_BG, KNOB, TEXT)


def nbx(digits, h, lo, hi, log, snd, rcv, label, ldx, ldy):
    return "nbx %d %d %s %s %d 0 %s %s %s %d %d 0 %d %s %s %s 0 256" % (
        digits, h, num(lo), num(hi), log, snd, rcv, esc(label) if label else "empty", ldx, ldy,
        FONT, NUM_BG, NUM_FG, DIM)


def cnv(w, h, rcv, label, ldx, ldy, bg, fg, fs=FONT):
    return "cnv 1 %d %d empty %s %s %d %d 0 %d %s %s 0" % (
        w, h, rcv, esc(label) if label else "empty", ldx, ldy, fs, bg, fg)


def tgl(size, snd, rcv, label, ldx, ldy):
    return "tgl %d 0 %s %s %s %d %d 0 %d %s %s %s 0 1" % (
        size, snd, rcv, esc(label), ldx, ldy, FONT, SLIDER_BG, KNOB, TEXT)


def bng(size, snd, rcv, label, ldx, ldy):
    return "bng %d 150 50 0 %s %s %s %d %d 0 %d %s %s %s" % (
        size, snd, rcv, esc(label), ldx, ldy, FONT, SLIDER_BG, KNOB, TEXT)


def hradio(size, n, snd, rcv, label, ldx, ldy):
    return "hradio %d 1 0 %d %s %s %s %d %d 0 %d %s %s %s 0" % (
        size, n, snd, rcv, esc(label), ldx, ldy, FONT, SLIDER_BG, KNOB, TEXT)


D = "\\$0"  # $0 as written in a patch file


def follow_chain(name, lo, hi, store_init, also_to=None):
    """[pd follow-NAME]: a well-formed 'NAME value' (value a finite number) is clamped to lo..hi,
    stored, and shown on the controls (receive $0-NAME-set); its inlet is the value, its outlet
    the stored value when banged on the right inlet. also_to: a send name that gets every new
    value too (envMag, for the meter)."""
    c = Canvas("follow-" + name, 0, 0, 460, 330)
    c.text(10, 8, "a well-formed value: clamped like the object does \\, stored \\, shown "
                  "(\"set\": the control sends nothing)")
    i = c.obj(10, 50, "inlet")
    rf = c.obj(10, 80, "route float")
    m1 = c.obj(10, 110, "moses -1e+37")
    m2 = c.obj(80, 140, "moses 1e+37")
    cl = c.obj(80, 170, "clip %s %s" % (num(lo), num(hi)))
    t = c.obj(80, 200, "t f f")
    st = c.obj(80, 260, "f %s" % num(store_init))
    ib = c.obj(200, 50, "inlet")
    o = c.obj(80, 290, "outlet")
    sm = c.msg(200, 230, "set \\$1")
    s = c.obj(200, 260, "s %s-%s-set" % (D, name))
    c.text(200, 110, "(NaN and infinities: the object ignores them \\, so do the controls)")
    c.chain(i, rf, m1)
    c.connect(m1, 1, m2, 0)
    c.chain(m2, cl, t)
    c.connect(t, 1, st, 1)
    c.connect(t, 0, sm, 0)
    c.chain(sm, s)
    c.connect(ib, 0, st, 0)
    c.chain(st, o)
    if also_to:  # every new value also goes there
        c.connect(t, 0, c.obj(300, 290, "s " + also_to), 0)
    return c


def follow_part(order, ranges):
    """[pd follow]: [route] each setting's message to its chain; on a bang to $0-collect, every
    stored value goes to $0-acc as "NAME value", in the order of `order` + mode + trigger_depth."""
    fol = Canvas("follow", 0, 0, 1400, 560)
    fol.text(10, 8, "each setting's chain [pd follow-NAME] keeps a well-formed value \\, clamped "
                    "\\, stores it and shows it. A bang to \\$0-collect sends every stored value "
                    "to \\$0-acc as NAME value (for [pd state])")
    allnames = []
    for p in PARAMS:
        allnames.append(p[0])
        allnames += list(p[9])
    allnames += [s[0] for s in SWITCHES] + ["mode", "trigger", "trigger_depth"]
    fr = fol.obj(10, 40, "r %s-follow" % D)
    rt = fol.obj(10, 70, "route " + " ".join(allnames))
    fol.connect(fr, 0, rt, 0)
    outlet_of = {}
    k = 0
    for p in PARAMS:
        outlet_of[p[0]] = list(range(k, k + 1 + len(p[9])))
        k += 1 + len(p[9])
    for s in SWITCHES:
        outlet_of[s[0]] = [k]
        k += 1
    outlet_of["mode"] = [k]
    outlet_of["trigger_depth"] = [k + 1, k + 2]  # "trigger X" and "trigger_depth X"
    items = order + ["mode", "trigger_depth"]
    n = len(items)
    collect = fol.obj(10, 440, "r %s-collect" % D)
    ctr = fol.obj(10, 470, "t " + " ".join(["b"] * n))
    acc = fol.obj(10, 530, "s %s-acc" % D)
    fol.connect(collect, 0, ctr, 0)
    for i, name in enumerate(items):
        x = 10 + 64 * i
        if name == "mode":
            # duck/comp, shown on a two-button radio (0 duck, 1 comp)
            mr = fol.obj(x, 110, "route duck comp")
            m0 = fol.msg(x, 140, "0")
            m1 = fol.msg(x + 30, 140, "1")
            mt = fol.obj(x, 170, "t f f")
            mset = fol.msg(x + 40, 200, "set \\$1")
            ms = fol.obj(x + 40, 230, "s %s-mode-set" % D)
            mst = fol.obj(x, 260, "f 0")
            msel = fol.obj(x, 290, "sel 0 1")
            md = fol.msg(x, 320, "mode duck")
            mc = fol.msg(x + 30, 350, "mode comp")
            fol.connect(rt, outlet_of[name][0], mr, 0)
            fol.connect(mr, 0, m0, 0)
            fol.connect(mr, 1, m1, 0)
            fol.connect(m0, 0, mt, 0)
            fol.connect(m1, 0, mt, 0)
            fol.chain(mt, mset, ms)
            fol.connect(mt, 1, mst, 1)
            fol.chain(mst, msel, md, acc)
            fol.connect(msel, 1, mc, 0)
            fol.connect(mc, 0, acc, 0)
            fol.connect(ctr, n - 1 - i, mst, 0)
            continue
        lo, hi, dflt = ranges[name]
        ch = fol.sub(x, 110 + (i % 2) * 30, follow_chain(
            name, lo, hi, dflt, "%s-envMag-val" % D if name == "envMag" else None))
        for oi in outlet_of[name]:
            fol.connect(rt, oi, ch, 0)
        lp = fol.obj(x, 200 + (i % 2) * 30, "list prepend " + name)
        fol.chain(ch, lp, acc)
        fol.connect(ctr, n - 1 - i, ch, 1)
    return fol


def saved_digits_part():
    """[pd saved-digits]: a value as Pd will read it back from a saved patch (Pd writes floats
    with 6 significant digits): printed with %g and parsed again. A value set by mouse is sent
    like that, so a saved and reopened patch sounds bit for bit the same."""
    c = Canvas("saved-digits", 0, 0, 420, 220)
    c.text(10, 8, "a value as a saved patch gives it back (6 digits): printed with %g \\, parsed")
    c.chain(c.obj(10, 50, "inlet"), c.obj(10, 80, "makefilename %g"),
            c.obj(10, 110, "list fromsymbol"), c.obj(10, 140, "fudiparse"),
            c.obj(10, 170, "outlet"))
    return c


def flags_part():
    """[pd flags]: the creation arguments (a list) as messages, one per flag: "-NAME value" gives
    "NAME value", as sidecar~ reads its flags (a flag takes the next atom as its value unless
    that looks like a flag too; then, or at the end, it goes alone and sidecar~ reports it).
    Anything else is reported and skipped, except a number first: [clone] gives each copy its
    number there."""
    c = Canvas("flags", 0, 0, 700, 560)
    c.text(10, 8, "creation flags -NAME value -> messages NAME value (sidecar~ checks them and "
                  "reports errors as for its own flags); other arguments are reported and skipped")
    i = c.obj(10, 40, "inlet")
    t = c.obj(10, 70, "t b b a")
    # a number first is [clone]'s instance number: left out
    ti = c.obj(480, 40, "t a a")
    whole = c.obj(480, 130, "list append")
    sp0 = c.obj(540, 70, "list split 1")
    rest = c.obj(600, 130, "list append")
    num0 = c.obj(540, 100, "route float")
    c.connect(i, 0, ti, 0)
    c.connect(ti, 1, whole, 1)
    c.connect(ti, 0, sp0, 0)
    c.connect(sp0, 1, rest, 1)
    c.connect(sp0, 0, num0, 0)
    b0, b1 = c.obj(540, 130, "t b"), c.obj(480, 100, "t b")
    c.chain(num0, b0, rest)
    c.connect(num0, 1, b1, 0)
    c.connect(sp0, 2, b1, 0)
    c.connect(b1, 0, whole, 0)
    c.connect(whole, 0, t, 0)
    c.connect(rest, 0, t, 0)
    unt = c.obj(60, 110, "until")
    la = c.obj(60, 140, "list append")
    sp = c.obj(60, 170, "list split 1")
    c.connect(t, 2, la, 1)
    c.connect(t, 1, unt, 0)
    c.chain(unt, la, sp)
    c.connect(sp, 1, la, 1)
    c.connect(sp, 2, unt, 1)
    # one atom: a number, or a symbol that is a flag (starts with '-') or not
    rf = c.obj(60, 200, "route float")
    c.connect(sp, 0, rf, 0)
    ta = c.obj(200, 230, "t a a")
    c.connect(rf, 1, ta, 0)
    orig = c.obj(200, 320, "list append")
    c.connect(ta, 1, orig, 1)
    fs = c.obj(300, 260, "list fromsymbol")
    c.connect(ta, 0, fs, 0)
    sp1 = c.obj(300, 290, "list split 1")
    c.connect(fs, 0, sp1, 0)
    ts = c.obj(420, 320, "list tosymbol")
    c.connect(sp1, 1, ts, 0)
    nm = c.obj(420, 350, "symbol")
    c.connect(ts, 0, nm, 1)
    dash = c.obj(300, 320, "sel 45")
    c.connect(sp1, 0, dash, 0)
    tb = c.obj(340, 350, "t b")
    c.connect(dash, 1, tb, 0)
    c.connect(tb, 0, orig, 0)
    c.connect(dash, 0, nm, 0)
    # a value (number or plain symbol) -> [list prepend HAS-PENDING]
    tag = c.obj(60, 380, "list prepend 0")
    c.connect(rf, 0, tag, 0)
    c.connect(orig, 0, tag, 0)
    # a flag: first flush the pending one, then it is pending
    tf = c.obj(420, 380, "t b s b")
    c.connect(nm, 0, tf, 0)
    c.connect(tf, 2, tag, 0)
    name = c.obj(200, 440, "list prepend")
    c.connect(tf, 1, name, 1)
    one = c.msg(420, 410, "1")
    c.connect(tf, 0, one, 0)
    c.connect(one, 0, tag, 1)
    # end of the arguments: flush
    c.connect(t, 0, tag, 0)
    rt = c.obj(60, 410, "route 0 1")
    c.connect(tag, 0, rt, 0)
    rb = c.obj(60, 440, "route bang")
    c.connect(rt, 0, rb, 0)
    tp = c.obj(200, 410, "t a b")
    c.connect(rt, 1, tp, 0)
    zero = c.msg(260, 440, "0")
    c.connect(tp, 1, zero, 0)
    c.connect(zero, 0, tag, 1)
    c.connect(tp, 0, name, 0)
    trim = c.obj(200, 470, "list trim")
    o = c.obj(200, 500, "outlet")
    c.chain(name, trim, o)
    bad = c.obj(60, 470, "list prepend creation argument")
    bad2 = c.obj(60, 500, "list append skipped: arguments are flags like -threshold -24 "
                          "-mode comp")
    bt = c.obj(60, 530, "list trim")
    pr = c.obj(300, 530, "print sidecar-panel~")
    c.connect(rb, 1, bad, 0)
    c.chain(bad, bad2, bt, pr)
    return c


def drip_part(name, n, note):
    """A subpatch that sends a list on in pieces of n atoms, in order (a list "A 1 B 2" with
    n = 2: the messages "A 1", then "B 2")."""
    c = Canvas(name, 0, 0, 420, 260)
    c.text(10, 8, note)
    i = c.obj(10, 40, "inlet")
    t = c.obj(10, 70, "t b a")
    unt = c.obj(10, 100, "until")
    la = c.obj(10, 130, "list append")
    sp = c.obj(10, 160, "list split %d" % n)
    tr = c.obj(10, 190, "list trim")
    o = c.obj(10, 220, "outlet")
    c.connect(i, 0, t, 0)
    c.connect(t, 1, la, 1)
    c.connect(t, 0, unt, 0)
    c.chain(unt, la, sp, tr, o)
    c.connect(sp, 1, la, 1)
    c.connect(sp, 2, unt, 1)
    return c


def state_part():
    """[pd state]: on a bang, the stored settings as one list."""
    c = Canvas("state", 0, 0, 620, 300)
    c.text(10, 8, "on a bang: the settings as one list threshold -18 ratio 4 ... mode duck "
                  "trigger_depth 12 (every chain of [pd follow] sends its stored value to "
                  "\\$0-acc)")
    i = c.obj(10, 50, "inlet")
    t = c.obj(10, 80, "t b b b")
    col = c.obj(60, 140, "s %s-collect" % D)
    racc = c.obj(250, 110, "r %s-acc" % D)
    acc = c.obj(250, 140, "list prepend")
    out = c.obj(10, 200, "list append")
    o = c.obj(10, 230, "outlet")
    c.connect(i, 0, t, 0)
    c.connect(t, 2, acc, 1)  # (a bang: the empty list)
    c.connect(t, 1, col, 0)
    c.chain(racc, acc)
    c.connect(acc, 0, acc, 1)
    c.connect(acc, 0, out, 1)
    c.connect(t, 0, out, 0)
    c.connect(out, 0, o, 0)
    return c


def meter_part():
    """[pd meter]: gain reduction in dB = 24 * env_out / envMag, the effective envMag (knob + CV,
    clamped 0..2; near 0 env_out says nothing and the meter reads 0). 20 times a second one
    block of each signal is recorded ([tabwrite~]: nothing to pay in between) and the one
    recorded at the tick before is read."""
    c = Canvas("meter", 0, 0, 700, 500)
    c.text(10, 8, "gain reduction in dB = 24 * env_out / effective envMag (knob + CV \\, 0..2): "
                  "the peak of env_out over one block \\, 20 times a second \\, as a bar "
                  "and a number. (A multichannel signal: its first channel \\, the first strip.)")
    env = c.obj(10, 60, "inlet~")
    cv = c.obj(200, 60, "inlet~")
    ctl = c.obj(400, 60, "inlet")
    ask = c.obj(560, 60, "inlet")
    # one block recorded per tick (costs nothing in between), read at the next tick
    wenv = c.obj(10, 100, "tabwrite~ %s-gr-env" % D)
    wcv = c.obj(200, 100, "tabwrite~ %s-gr-cv" % D)
    c.chain(env, wenv)
    c.chain(cv, wcv)
    c.obj(10, 130, "array define %s-gr-env 64" % D)
    c.obj(200, 130, "array define %s-gr-cv 64" % D)
    met = c.obj(400, 100, "metro 50")
    tm = c.obj(400, 130, "t b b b")
    c.chain(ctl, met, tm)
    c.connect(tm, 0, wenv, 0)
    c.connect(tm, 0, wcv, 0)
    amax = c.obj(300, 170, "array max %s-gr-env" % D)
    cvget = c.obj(450, 170, "array get %s-gr-cv 0 1" % D)
    rk = c.obj(600, 170, "r %s-envMag-val" % D)
    gr = c.obj(300, 210, "expr 24 * $f1 / max(0.001 \\, min(2 \\, max(0 \\, $f2 + $f3)))"
               .replace("$f", "\\$f"))
    c.connect(tm, 2, cvget, 0)
    c.connect(cvget, 0, gr, 2)
    c.connect(tm, 1, amax, 0)
    c.connect(amax, 0, gr, 0)
    c.connect(rk, 0, gr, 1)
    ch = c.obj(300, 250, "change -1")
    c.connect(gr, 0, ch, 0)
    rnd = c.obj(300, 280, "expr int(\\$f1 * 10 + 0.5) / 10")
    sset = c.msg(300, 310, "set \\$1")
    c.chain(ch, rnd, sset, c.obj(300, 340, "s %s-gr-set" % D))
    bar = c.obj(10, 280, "expr max(1 \\, min(%d \\, int(\\$f1 * %d / %d + 0.5)))" % (
        BAR_W, BAR_W, METER_DB))
    vs = c.msg(10, 310, "vis_size \\$1 12")
    c.connect(ch, 0, bar, 0)
    c.chain(bar, vs, c.obj(10, 340, "s %s-gr-bar" % D))
    # "meter NAME": the number shown, sent to NAME as "meter value"
    tas = c.obj(560, 250, "t b s")
    shown = c.obj(560, 310, "f")
    c.connect(rnd, 0, shown, 1)
    c.connect(ask, 0, tas, 0)
    c.connect(tas, 0, shown, 0)
    lp = c.obj(560, 340, "list prepend meter")
    tr = c.obj(560, 370, "list trim")
    snd = c.obj(560, 400, "s")
    c.connect(tas, 1, snd, 1)
    c.chain(shown, lp, tr, snd)
    return c


def build():
    top = Canvas("", 0, 50, 1200, 1150)
    order = [p[0] for p in PARAMS] + [s[0] for s in SWITCHES]
    ranges = {p[0]: (p[2], p[3], p[4]) for p in PARAMS}
    for s in SWITCHES:
        ranges[s[0]] = (0, 1, 0)
    ranges["trigger_depth"] = DEPTH[1:]

    # ---- faceplate ------------------------------------------------------------------------------
    top.obj(0, 0, cnv(W, H, "empty", "sidecar~", 8, 11, BG, TEXT, 12))
    for (name, label, lo, hi, dflt, unit, log, col, row, aliases) in PARAMS:
        x = X0 + col * COL_W + LABEL_W
        y = Y0 + row * ROW_H
        top.obj(x, y, hsl(SLIDER_W, SLIDER_H, lo, hi, log, "%s-%s-gui" % (D, name),
                          "%s-%s-set" % (D, name), label, -LABEL_W, 7))
        top.obj(x + SLIDER_W + 6, y, nbx(NUM_DIGITS, SLIDER_H, lo, hi, log,
                                         "%s-%s-gui" % (D, name), "%s-%s-set" % (D, name), unit,
                                         NUM_DIGITS * 7 + 10, 7))
    y = SW_Y
    top.obj(X0, y - 4, cnv(W - 2 * X0, 1, "empty", "empty", 0, 0, DIM, DIM))
    top.obj(MODE_X, y + 4, hradio(15, 2, D + "-mode-gui", D + "-mode-set", "Mode", -34, 8))
    top.obj(X0 + 68, y + 4, cnv(4, 15, "empty", "duck|comp", 0, 8, BG, DIM))
    for k, (name, label) in enumerate(SWITCHES):
        top.obj(SWITCH_X + SWITCH_DX * k, y + 4, tgl(15, "%s-%s-gui" % (D, name),
                                                     "%s-%s-set" % (D, name), label, 19, 8))
    tx = X0 + COL_W
    top.obj(TRIGGER_X, y + 4, bng(15, D + "-trigger-gui", "empty", "Trigger", -50, 8))
    top.obj(tx + 84, y + 5, hsl(36, SLIDER_H, DEPTH[1], DEPTH[2], 0, D + "-trigger_depth-gui",
                                D + "-trigger_depth-set", "", 0, 0))
    top.obj(tx + 124, y + 5, nbx(3, SLIDER_H, DEPTH[1], DEPTH[2], 0, D + "-trigger_depth-gui",
                                 D + "-trigger_depth-set", "dB", 3 * 7 + 10, 7))
    top.obj(W - X0 - 15, y + 4, bng(15, D + "-reset-gui", "empty", "Reset", -36, 8))
    y = METER_Y
    bar_x, bar_w = X0 + 34, BAR_W
    top.obj(bar_x, y, cnv(bar_w, 12, "empty", "GR", -28, 6, GR_BG, TEXT))
    top.obj(bar_x, y, cnv(1, 12, D + "-gr-bar", "empty", 0, 0, GR_FG, GR_FG))
    for db in range(0, METER_DB + 1, 6):
        tx = bar_x + round(db * (bar_w - 1) / METER_DB)
        top.obj(tx, y + 13, cnv(1, 3, "empty", str(db), -3 if db < 10 else -6, 10, DIM, DIM))
    top.obj(W - 92, y, nbx(4, 12, 0, 999, 0, "empty", D + "-gr-set", "dB", 4 * 7 + 10, 7))

    # ---- jacks and the object ----------------------------------------------------------------
    hy = HIDDEN
    top.text(0, hy - 40, "sidecar-panel~: a faceplate for sidecar~ \\, made by scripts/panel.py "
                         "(edit there \\, then run it). The jacks are those of sidecar~ \\, in "
                         "its order.")
    ins = [top.obj(10 + 90 * k, hy, "inlet~ fwd" if k == 0 else "inlet~") for k in range(7)]
    core = top.obj(10, hy + 150, "sidecar~")
    outs = [top.obj(10 + 90 * k, hy + 330, "outlet~") for k in range(4)]
    for k in range(7):
        top.connect(ins[k], 0, core, k)
    for k in range(4):
        top.connect(core, k, outs[k], 0)

    # messages into the panel: its own (state, trigger_depth) or the object's
    own = top.obj(700, hy + 40, "route state trigger_depth meter")
    top.connect(ins[0], 1, own, 0)
    smsg = top.obj(1000, hy + 80, "s %s-msg" % D)
    top.connect(own, 3, smsg, 0)
    tdf = top.obj(760, hy + 80, "list prepend trigger_depth")
    top.connect(own, 1, tdf, 0)
    tdt = top.obj(760, hy + 110, "list trim")
    tdfs = top.obj(760, hy + 140, "s %s-follow" % D)
    top.chain(tdf, tdt, tdfs)

    disp = Canvas("dispatch", 0, 0, 560, 220)
    disp.text(10, 8, "every message: to sidecar~ unchanged (it checks it and reports errors as "
                     "usual) \\, then to the controls")
    r = disp.obj(10, 50, "r %s-msg" % D)
    t = disp.obj(10, 80, "t a a")
    fo = disp.obj(10, 120, "s %s-follow" % D)
    o = disp.obj(120, 120, "outlet")
    disp.chain(r, t, fo)
    disp.connect(t, 1, o, 0)
    d = top.sub(700, hy + 190, disp)
    top.connect(d, 0, core, 0)

    top.sub(800, hy + 190, follow_part(order, ranges))

    # mouse: each control sends NAME value
    gx = 620
    gui = Canvas("mouse", 0, 0, 1300, 260)
    gui.text(10, 8, "a control moved by mouse sends NAME value \\, as a message to the left "
                    "inlet would")
    for i, name in enumerate(order):
        x = 10 + 64 * i
        r = gui.obj(x, 50 + (i % 2) * 30, "r %s-%s-gui" % (D, name))
        keep = gui.sub(x, 80 + (i % 2) * 30, saved_digits_part())
        lp = gui.obj(x, 110 + (i % 2) * 30, "list prepend " + name)
        tr = gui.obj(x, 140 + (i % 2) * 30, "list trim")
        gui.chain(r, keep, lp, tr, gui.obj(x, 200 + (i % 2) * 30, "s %s-msg" % D))
    x = 10 + 64 * len(order)
    r = gui.obj(x, 50, "r %s-mode-gui" % D)
    sel = gui.obj(x, 80, "sel 0 1")
    md = gui.msg(x, 110, "mode duck")
    mc = gui.msg(x + 40, 140, "mode comp")
    sm = gui.obj(x, 200, "s %s-msg" % D)
    gui.chain(r, sel, md, sm)
    gui.connect(sel, 1, mc, 0)
    gui.connect(mc, 0, sm, 0)
    x += 110
    r = gui.obj(x, 50, "r %s-trigger_depth-gui" % D)
    keep = gui.sub(x + 160, 50, saved_digits_part())
    lp = gui.obj(x, 80, "list prepend trigger_depth")
    gui.chain(r, keep, lp, gui.obj(x + 160, 80, "list trim"),
              gui.obj(x, 110, "s %s-follow" % D))
    r = gui.obj(x, 140, "r %s-trigger-gui" % D)
    rd = gui.obj(x + 120, 140, "r %s-trigger_depth-set" % D)
    f = gui.obj(x, 170, "f %s" % num(DEPTH[3]))
    fset = gui.obj(x + 120, 170, "route set")
    lp = gui.obj(x, 200, "list prepend trigger")
    gui.chain(r, f, lp, gui.obj(x + 130, 200, "list trim"), gui.obj(x, 230, "s %s-msg" % D))
    gui.chain(rd, fset)
    gui.connect(fset, 0, f, 1)
    x += 230
    r = gui.obj(x, 50, "r %s-reset-gui" % D)
    rm = gui.msg(x, 80, "reset")
    gui.chain(r, rm, gui.obj(x, 110, "s %s-msg" % D))
    top.sub(880, hy + 190, gui)

    # ---- state: saved with the parent patch, printed, or sent to a receive name ----------------
    stp = top.sub(150, hy + 460, state_part())
    # each user of the state asks [pd state] (right outlet of its [t b b]) and then reads the
    # answer, left in the cold inlet of its own [list append]
    def asker(x, y):
        t = top.obj(x, y, "t b b")
        la = top.obj(x, y + 60, "list append")
        top.connect(t, 1, stp, 0)
        top.connect(stp, 0, la, 1)
        top.connect(t, 0, la, 0)
        return t, la
    ss = top.obj(10, hy + 400, "savestate")
    t, la = asker(10, hy + 430)
    top.connect(ss, 1, t, 0)
    top.connect(la, 0, ss, 0)
    # "state" alone prints the settings, "state NAME" sends them to NAME as messages
    sr = top.obj(300, hy + 400, "route bang")
    top.connect(own, 0, sr, 0)
    t, la = asker(300, hy + 430)
    top.connect(sr, 0, t, 0)
    ptr = top.obj(300, hy + 520, "list trim")
    top.chain(la, ptr, top.obj(300, hy + 550, "print sidecar-panel~"))
    sq = top.obj(450, hy + 400, "list prepend symbol")
    sqt = top.obj(450, hy + 430, "list trim")
    tsb = top.obj(450, hy + 460, "t b s")
    top.connect(sr, 1, sq, 0)
    top.chain(sq, sqt, tsb)
    t, la = asker(450, hy + 490)
    top.connect(tsb, 0, t, 0)
    sd = top.sub(450, hy + 580, drip_part("pairs", 2, "a list NAME value NAME value ... on as "
                                                     "messages NAME value"))
    snd = top.obj(450, hy + 610, "s")
    top.connect(la, 0, sd, 0)
    top.connect(sd, 0, snd, 0)
    top.connect(tsb, 1, snd, 1)

    # ---- load: defaults shown, then flags, then the saved state, then reset -------------------
    # (once: a loadbang sent again to the parent patch must not bring back the flags)
    lb = top.obj(700, hy + 390, "loadbang")
    once = top.obj(700, hy + 420, "spigot 1")
    tl = top.obj(700, hy + 450, "t b b b b b b")
    top.chain(lb, once, tl)
    shut = top.msg(780, hy + 420, "0")
    top.connect(tl, 5, shut, 0)
    top.connect(shut, 0, once, 1)
    defaults = ["%s %s" % (n, num(ranges[n][2])) for n in order] + [
        "mode duck", "trigger_depth %s" % num(DEPTH[3])]
    dm = top.msg(900, hy + 480, " \\, ".join(defaults) + ", f 40")
    top.connect(tl, 4, dm, 0)
    top.connect(dm, 0, top.obj(900, hy + 640, "s %s-follow" % D), 0)
    argsm = top.msg(800, hy + 510, "args")
    pc = top.obj(800, hy + 540, "pdcontrol")
    fl = top.sub(800, hy + 570, flags_part())
    top.connect(tl, 3, argsm, 0)
    top.chain(argsm, pc, fl)
    top.connect(fl, 0, top.obj(800, hy + 600, "s %s-msg" % D), 0)
    # the saved state: kept when it arrives (before the loadbang when the parent patch opens),
    # sent after the flags so that it wins over them; arriving later (undo, paste after load)
    # it is sent at once
    saved = top.obj(10, hy + 670, "list append")
    tsv = top.obj(10, hy + 640, "t b a")
    top.connect(ss, 0, tsv, 0)
    top.connect(tsv, 1, saved, 1)
    late = top.obj(100, hy + 670, "spigot")
    top.connect(tsv, 0, late, 0)
    tlate = top.obj(100, hy + 700, "t b b")
    top.connect(late, 0, tlate, 0)
    top.connect(tlate, 1, saved, 0)
    top.connect(tl, 2, saved, 0)
    sp = top.sub(10, hy + 740, drip_part("saved", 2, "the saved list on as messages NAME value"))
    top.connect(saved, 0, sp, 0)
    top.connect(sp, 0, top.obj(10, hy + 770, "s %s-own" % D), 0)
    top.connect(top.obj(900, hy + 10, "r %s-own" % D), 0, own, 0)
    rs = top.msg(200, hy + 740, "reset")
    top.connect(tl, 1, rs, 0)
    top.connect(tlate, 0, rs, 0)
    top.connect(rs, 0, top.obj(200, hy + 770, "s %s-msg" % D), 0)
    on = top.msg(620, hy + 480, "1")
    top.connect(tl, 0, on, 0)
    top.connect(on, 0, late, 1)
    # the meter: env_out and the envMag CV
    mt = top.sub(420, hy + 250, meter_part())
    top.connect(core, 2, mt, 0)
    top.connect(ins[5], 0, mt, 1)
    top.connect(on, 0, mt, 2)
    msy = top.obj(960, hy + 110, "list prepend symbol")
    top.connect(own, 2, msy, 0)
    mtr = top.obj(960, hy + 140, "list trim")
    top.chain(msy, mtr)
    top.connect(mtr, 0, mt, 3)

    top.tail.append("#X coords 0 -1 1 1 %d %d 2 0 0;" % (W, H))
    return top
def main():
    top = build()
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "sidecar-panel~.pd")
    with open(out, "w") as f:
        f.write("\n".join(top.lines(top=True)) + "\n")


if __name__ == "__main__":
    main()
