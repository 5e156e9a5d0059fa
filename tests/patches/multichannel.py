#!/usr/bin/env python3
"""Writes the multichannel regression patches for Pd 0.54+ (python3 standard library only):

    multichannel.py DIR     writes DIR/mc-static.pd, DIR/mc-dynamic.pd and DIR/mc-memory.pd

Run by tests/suites/35-multichannel.sh (pd -batch -path tests/patches, for [finish], [diff~],
[gdiff~] and [expect~]). SPEC.md, "Multichannel": with C = the largest channel count among the
connected inlets, strip k of [sidecar~] reads channel k mod count of each inlet and writes
channel k of each outlet, with its own state, following the whole contract on its own. So every
strip must be bit-identical to a one-channel [sidecar~] fed that strip's channels (same flags,
same messages) in the same patch: each row compares the C channels of the four outlets (split
with [snake~ out]) with C one-channel instances through [diff~], whose running sum must stay 0.
A sanity check per row makes sure two of those strips really differ.

mc-static.pd rows: several channels on every audio inlet (duck and comp), a one-channel signal
broadcast to every strip, mixed channel counts (2 and 3; 3 and 4, where Pd may hand an outlet
the buffer of the 3-channel input), unpatched inlets normalled per strip, multichannel CV
inlets, every message (old and new parameters, trigger, mode, reset) sent to all strips; an
extra object for the console checks (one error per clamped value, print).

mc-dynamic.pd: connections made and removed with messages to the canvas while DSP runs; strip 0
must keep its state throughout (bit-identical to an instance that never changed), new strips
must start from strip 0's knobs and mode with fresh state, and dropped channels must be gone.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "robust"))
from pdtools import Patch  # noqa: E402

NIN, NOUT = 7, 4


class McPatch(Patch):
    def __init__(self):
        super().__init__("#N canvas 0 0 1400 900 10;", columns=16, dx=85)
        self.kicks, self.pads, self.cvs = {}, {}, {}

    # deterministic one-channel material, different for every channel k
    def kick(self, k):
        """A kick: (1 - phasor)^2 * 55 Hz sine, a different rate per channel."""
        if k not in self.kicks:
            env = self.chain(self.obj("phasor~ %g" % (8 - 1.5 * k)), self.obj("*~ -1"),
                             self.obj("+~ 1"))
            sq = self.obj("*~")
            self.connect(env, 0, sq, 0)
            self.connect(env, 0, sq, 1)
            kick = self.obj("*~")
            self.connect(sq, 0, kick, 0)
            self.connect(self.obj("osc~ %g" % (55 + 12 * k)), 0, kick, 1)
            self.kicks[k] = kick
        return self.kicks[k]

    def pad(self, k):
        if k not in self.pads:
            self.pads[k] = self.chain(self.obj("osc~ %g" % (220 + 57 * k)), self.obj("*~ 0.3"))
        return self.pads[k]

    def cv(self, k):
        if k not in self.cvs:
            self.cvs[k] = self.chain(self.obj("osc~ %g" % (1.5 + k)), self.obj("*~ 0.4"))
        return self.cvs[k]

    def mc(self, sources):
        """A signal of len(sources) channels: the source itself for one, else [snake~ in n]."""
        if len(sources) == 1:
            return sources[0]
        snake = self.obj("snake~ in %d" % len(sources))
        for c, s in enumerate(sources):
            self.connect(s, 0, snake, c)
        return snake

    def expect(self, name, want=0, tol=0):
        return self.obj("expect~ check %s %g %g" % (name, want, tol))

    def row(self, name, flags, inputs, messages=None):
        """One comparison row. inputs: {inlet: [one-channel source per channel]}; inlets left
        out are unpatched. messages: text of a message box sent to every object of the row at
        load (after DSP is on, through [t b b] order: mc object first)."""
        nchans = max(len(v) for v in inputs.values())
        a = self.obj("sidecar~ " + flags)
        for i, sources in inputs.items():
            self.connect(self.mc(sources), 0, a, i)
        outs = []
        for o in range(NOUT):
            split = self.obj("snake~ out %d" % nchans)
            self.connect(a, o, split, 0)
            outs.append(split)
        refs = []
        for k in range(nchans):
            ref = self.obj("sidecar~ " + flags)
            for i, sources in inputs.items():
                self.connect(sources[k % len(sources)], 0, ref, i)
            d = self.obj("diff~")
            for o in range(NOUT):
                self.connect(outs[o], k, d, o)
                self.connect(ref, o, d, NOUT + o)
            self.chain(d, self.expect("mc_%s_strip%d" % (name, k)))
            refs.append(ref)
        if nchans > 1:  # sanity: strips 0 and 1 differ
            d = self.obj("diff~")
            for o in range(NOUT):
                self.connect(refs[0], o, d, o)
                self.connect(refs[1], o, d, NOUT + o)
            self.chain(d, self.obj("expr~ \\$v1 > 0"), self.expect("mc_%s_strips_differ" % name,
                                                                   1))
        if messages:
            for delay, text in messages:
                m = self.msg(text)
                self.chain(self.obj("r go"), self.obj("del %d" % delay), m)
                for obj in [a] + refs:
                    self.connect(m, 0, obj, 0)
        return a, refs


def static_patch(path):
    p = McPatch()
    p.obj("finish 1200")
    p.chain(p.obj("loadbang"), p.obj("s go"))
    K = [p.kick(k) for k in range(4)]
    P = [p.pad(k) for k in range(4)]
    KR = [p.chain(K[k], p.obj("*~ 0.8")) for k in range(4)]
    PR = [p.chain(p.obj("osc~ %g" % (331 + 41 * k)), p.obj("*~ 0.3")) for k in range(4)]
    CV = [p.cv(k) for k in range(3)]
    duck = "-threshold -30 -attack 2 -release 40"
    # every audio inlet with three channels, duck mode and comp mode
    p.row("duck_all3", duck, {0: K[:3], 1: KR[:3], 2: P[:3], 3: PR[:3]})
    p.row("comp_sc3", "-mode comp -threshold -30 -ratio 6",
          {0: P[:3], 1: PR[:3], 2: K[:3], 3: KR[:3]})
    # a one-channel signal reaches every strip
    p.row("broadcast_main", duck, {0: K[:1], 2: P[:3], 3: PR[:3]})
    p.row("broadcast_sc", duck, {0: K[:3], 1: KR[:3], 2: P[:1]})
    # mixed channel counts: strip k reads channel k mod count
    p.row("mixed_2_3", duck, {0: K[:2], 1: KR[:1], 2: P[:3]})
    p.row("mixed_3_4", duck, {0: K[:3], 2: P[:4]})
    p.row("mixed_comp_3_4", "-mode comp -threshold -30", {0: P[:3], 1: PR[:4], 2: K[:2]})
    # normalling per strip
    p.row("norm_duck_sc_unpatched", duck, {0: K[:3]})
    p.row("norm_main_r", duck, {0: K[:3], 2: P[:3]})
    p.row("norm_sc_r", duck, {0: K[:2], 1: KR[:2], 2: P[:2]})
    p.row("norm_comp_self_detect", "-mode comp -threshold -30", {0: P[:2], 1: PR[:2]})
    p.row("norm_comp_sc_r", "-mode comp -threshold -30", {0: P[:3], 2: K[:3]})
    # CV inlets with several channels (and one with one)
    p.row("cv_channels", duck, {0: K[:3], 2: P[:3], 4: CV[:3], 5: CV[:2], 6: CV[2:3]})
    p.row("cv_only_multichannel", duck, {0: K[:1], 2: P[:1], 4: CV[:3]})
    # every message reaches every strip (old and new parameters, trigger, mode, reset)
    p.row("messages", duck, {0: K[:3], 1: KR[:3], 2: P[:3]}, [
        (0, "threshold -36 \\, ratio 10 \\, knee 0 \\, attack 1 \\, release 60 \\, "
            "envMag 1.5 \\, inputLevel 0.8 \\, makeup 3 \\, sc_hpf 80"),
        (200, "range 12 \\, hold 30 \\, lookahead 3 \\, mix 0.7 \\, rms 5 \\, link 0.5 \\, "
              "sc_lpf 3000"),
        (400, "trigger 40"),
        (600, "mode comp \\, env_mag 0.7 \\, input_level 1.2"),
        (800, "reset \\, lookahead 1 \\, trigger 20")])
    p.row("messages_new_flags", duck + " -range 20 -hold 15 -lookahead 2 -mix 0.5 -rms 3 "
          "-link 0 -sc_lpf 5000", {0: K[:3], 1: KR[:3], 2: P[:3]}, [(300, "trigger 60")])
    # console: clamping errors once per message, not once per strip; print
    c = p.obj("sidecar~")
    p.connect(p.mc(K[:3]), 0, c, 0)
    p.connect(p.obj("r mcconsole"), 0, c, 0)
    p.chain(p.obj("r markprint"), p.obj("print -n"))
    p.chain(p.obj("r go"), p.obj("del 500"), p.msg(
        "\\; markprint MARK console_begin \\; markprint MARK clamp_threshold \\; mcconsole "
        "threshold 5 \\; markprint MARK clamp_lookahead \\; mcconsole lookahead 50 \\; "
        "markprint MARK clamp_trigger \\; mcconsole trigger 200 \\; markprint MARK bad_trigger "
        "\\; mcconsole trigger \\; markprint MARK bad_trigger_symbol \\; mcconsole trigger deep "
        "\\; markprint MARK bad_trigger_two \\; mcconsole trigger 1 2 \\; markprint MARK "
        "bad_mode \\; mcconsole mode x \\; markprint MARK print \\; mcconsole print \\; "
        "markprint MARK console_end"))
    with open(path, "w") as f:
        f.write("\n".join(p.lines) + "\n")


def dynamic_patch(path, canvas):
    """Object A starts with one channel; at 300 ms it gets three (MAIN, SC and the threshold
    CV), at 600 ms one again, at 800 ms three on MAIN only (SC broadcast)."""
    p = McPatch()
    p.obj("finish 1000")
    go = p.chain(p.obj("loadbang"), p.obj("t b b"))
    K = [p.kick(k) for k in range(3)]
    P = [p.pad(k) for k in range(3)]
    CV = [p.cv(k) for k in range(3)]
    mck, mcp, mccv = p.mc(K), p.mc(P), p.mc(CV)
    flags = "-threshold -30 -knee 0"
    a = p.obj("sidecar~ " + flags)
    refs = [p.obj("sidecar~ " + flags) for _ in range(3)]
    p.connect(K[0], 0, a, 0)
    p.connect(P[0], 0, a, 2)
    p.connect(K[0], 0, refs[0], 0)
    p.connect(P[0], 0, refs[0], 2)
    # knobs and mode set by messages while A has one strip: new strips must copy them
    knobs = p.msg("ratio 8 \\, attack 2 \\, hold 20 \\, lookahead 1 \\, mix 0.9 \\, "
                  "mode comp \\, reset")
    p.connect(go, 0, knobs, 0)
    for obj in [a] + refs:
        p.connect(knobs, 0, obj, 0)
    outs = []
    for o in range(NOUT):
        split = p.obj("snake~ out 3")
        p.connect(a, o, split, 0)
        outs.append(split)
    # strip 0 against refs[0] all along; strips 1, 2 against refs[1], [2] from 300 to 600 ms;
    # strips 1, 2 must be silent (gone) from 600 to 800 ms
    d = p.obj("diff~")
    for o in range(NOUT):
        p.connect(outs[o], 0, d, o)
        p.connect(refs[0], o, d, NOUT + o)
    p.chain(d, p.expect("mc_dyn_strip0_keeps_state"))
    for k in (1, 2):
        g = p.obj("gdiff~ gate3")
        for o in range(NOUT):
            p.connect(outs[o], k, g, o)
            p.connect(refs[k], o, g, NOUT + o)
        p.chain(g, p.expect("mc_dyn_new_strip%d_fresh_with_knobs" % k))
        g = p.obj("gdiff~ gate1")
        for o in range(NOUT):
            p.connect(outs[o], k, g, o)
        p.chain(g, p.expect("mc_dyn_strip%d_gone_after_disconnect" % k))
    g = p.obj("gdiff~ gate3")  # sanity: strips 1 and 2 differ from strip 0 while running
    for o in range(NOUT):
        p.connect(outs[o], 0, g, o)
        p.connect(outs[o], 1, g, NOUT + o)
    p.chain(g, p.obj("expr~ \\$v1 > 0"), p.expect("mc_dyn_strips_differ", 1))
    p.chain(p.obj("r markprint"), p.obj("print -n"))
    pr = p.obj("r printa")
    p.connect(pr, 0, a, 0)
    cv = "\\; pd-%s" % canvas

    def at(ms, text):
        p.chain(go, p.obj("del %d" % ms), p.msg(text))

    at(300, "%s disconnect %d 0 %d 0 %s disconnect %d 0 %d 2 %s connect %d 0 %d 0 "
            "%s connect %d 0 %d 2 %s connect %d 0 %d 4 %s connect %d 0 %d 4 "
            "%s connect %d 0 %d 0 %s connect %d 0 %d 2 %s connect %d 0 %d 4 "
            "%s connect %d 0 %d 0 %s connect %d 0 %d 2 %s connect %d 0 %d 4 "
            "\\; reset12 reset \\; gate3 1 \\; markprint MARK three \\; printa print"
       % (cv, K[0], a, cv, P[0], a, cv, mck, a, cv, mcp, a, cv, mccv, a, cv, CV[0], refs[0],
          cv, K[1], refs[1], cv, P[1], refs[1], cv, CV[1], refs[1],
          cv, K[2], refs[2], cv, P[2], refs[2], cv, CV[2], refs[2]))
    for k in (1, 2):
        p.connect(p.obj("r reset12"), 0, refs[k], 0)
    at(600, "%s disconnect %d 0 %d 0 %s disconnect %d 0 %d 2 %s disconnect %d 0 %d 4 "
            "%s disconnect %d 0 %d 4 %s connect %d 0 %d 0 %s connect %d 0 %d 2 "
            "\\; gate3 0 \\; gate1 1 \\; markprint MARK one \\; printa print"
       % (cv, mck, a, cv, mcp, a, cv, mccv, a, cv, CV[0], refs[0], cv, K[0], a, cv, P[0], a))
    at(800, "%s disconnect %d 0 %d 0 %s connect %d 0 %d 0 \\; gate1 0 "
            "\\; markprint MARK three_again \\; printa print" % (cv, K[0], a, cv, mck, a))
    with open(path, "w") as f:
        f.write("\n".join(p.lines) + "\n")


def memory_patch(path):
    """For valgrind: every 25 ms with DSP on, [pd dyn] is cleared (freeing the sidecar~ objects
    and their strips) and refilled with multichannel chains (3 and 2 channels, an mc outlet
    into another instance's audio and CV inlets, a lookahead delay line per strip); 10 ms later
    channel counts go down and up again and messages reach every strip. 20 cycles, a last
    clear, quit."""
    p = Patch("#N canvas 0 0 900 500 10;", columns=8, dx=110)
    p.lines.append("#N canvas 0 0 600 400 dyn 0;")
    p.lines.append("#X restore 10 400 pd dyn;")
    p.n += 1
    go = p.chain(p.obj("loadbang"), p.obj("t b b"))
    p.connect(go, 1, p.msg("\\; pd dsp 1"), 0)
    metro = p.obj("metro 25")
    p.connect(go, 0, metro, 0)
    count = p.obj("f")
    p.connect(metro, 0, count, 0)
    inc = p.obj("+ 1")
    p.connect(count, 0, inc, 0)
    p.connect(inc, 0, count, 1)
    split = p.chain(count, p.obj("moses 20"))
    t = p.chain(split, p.obj("t b b"))
    d = " \\; pd-dyn "
    fill = p.msg(
        d + "clear" + d + "obj 10 10 osc~ 100" + d + "obj 10 40 osc~ 150" + d +
        "obj 10 70 osc~ 230" + d + "obj 10 100 snake~ in 3" + d +
        "obj 10 130 sidecar~ -lookahead 2 -mode comp" + d + "obj 10 160 snake~ in 2" + d +
        "obj 10 190 sidecar~ -hold 10 -rms 5 -sc_lpf 2000" + d + "obj 10 220 sidecar~ 1 2" +
        d + "obj 200 10 r mcmsg" + d + "connect 0 0 3 0" + d + "connect 1 0 3 1" + d +
        "connect 2 0 3 2" + d + "connect 3 0 4 0" + d + "connect 0 0 5 0" + d +
        "connect 1 0 5 1" + d + "connect 5 0 4 2" + d + "connect 4 0 6 0" + d +
        "connect 3 0 6 4" + d + "connect 4 2 7 0" + d + "connect 6 1 7 3" + d +
        "connect 8 0 4 0" + d + "connect 8 0 6 0" + d + "connect 8 0 7 0")
    p.connect(t, 1, fill, 0)
    later = p.chain(t, p.obj("del 10"))
    p.connect(later, 0, p.msg(
        d + "disconnect 3 0 4 0" + d + "connect 0 0 4 0" + d + "disconnect 5 0 4 2" + d +
        "connect 5 0 4 3" + d + "disconnect 3 0 6 4" + d + "connect 5 0 6 5" +
        " \\; mcmsg lookahead 5 \\, trigger 10 \\, threshold 9 \\, reset \\, mode duck"), 0)
    end = p.msg("\\; pd-dyn clear \\; pd quit 0")
    stop = p.msg("stop")
    p.connect(split, 1, stop, 0)
    p.connect(stop, 0, metro, 0)
    p.connect(split, 1, end, 0)
    with open(path, "w") as f:
        f.write("\n".join(p.lines) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    static_patch(os.path.join(out, "mc-static.pd"))
    dynamic_patch(os.path.join(out, "mc-dynamic.pd"), "mc-dynamic.pd")
    memory_patch(os.path.join(out, "mc-memory.pd"))


if __name__ == "__main__":
    main()
