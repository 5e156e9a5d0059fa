#!/usr/bin/env python3
"""Write the seed corpus of tests/fuzz/fuzz_core.c into tests/fuzz/corpus/ (committed).

Each seed is a small program in the harness's input format (see fuzz_core.c: check_api,
rd_samplerate, the op loop, gen_signal), aimed at one corner of SPEC.md's robustness contract,
so that the check-time smoke pass covers them even before any mutation. Deterministic: running
it again rewrites the same files.
    tests/fuzz/make_corpus.py [OUTDIR]
"""
import os
import struct
import sys

NPARAMS = 20
(THRESHOLD, RATIO, ATTACK, RELEASE, KNEE, ENV_MAG, INPUT_LEVEL, MAKEUP, SC_HPF,
 RANGE, HOLD, LOOKAHEAD, MIX, RMS, LINK, SC_LPF,
 FEEDBACK, MS, SLOW_RELEASE, LISTEN) = range(NPARAMS)
# the seven v0.2 options at the values of make bench's option table
OPTIONS = {"range": (RANGE, 12.0), "hold": (HOLD, 50.0), "lookahead": (LOOKAHEAD, 5.0),
           "mix": (MIX, 0.5), "rms": (RMS, 10.0), "link": (LINK, 0.5), "sc_lpf": (SC_LPF, 150.0)}
# the four v0.3 options
OPTIONS_V03 = {"feedback": (FEEDBACK, 0.7), "ms": (MS, 1.0), "slow_release": (SLOW_RELEASE, 800.0),
               "listen": (LISTEN, 1.0)}
OPTIONS.update(OPTIONS_V03)

# rd_value codes
NAN, NEG_NAN, INF, NEG_INF, ZERO = 0, 1, 2, 3, 4
DENORM, DBL_MAX, NEG_DBL_MAX, HUGE, NEG_HUGE = 7, 9, 10, 13, 14
MIN, MAX, DEF, BELOW_MIN, ABOVE_MAX, FAR_BELOW, FAR_ABOVE = 20, 21, 22, 23, 24, 25, 26

# rd_samplerate codes: index into the common table (8000 ... 384000), or 52 + k for the oddities
SR = {8000: 0, 11025: 1, 44100: 5, 48000: 6, 96000: 8, 192000: 10, 384000: 12}
SR_NAN, SR_NEG, SR_ZERO, SR_ONE, SR_1E12, SR_DENORM, SR_INF = 56, 57, 58, 59, 60, 61, 62

# gen_signal: kinds, amplitude indices, special-sample indices
SILENCE, CONST, SINE, NOISE, CLICKS = 0, 1, 2, 3, 4
A0, A_TINY, A_01, A_05, A_1, A_1E30, A_3E38, A_FLTMAX = 0, 1, 5, 6, 7, 12, 13, 14
S_NAN, S_INF, S_NEG_INF, S_DENORM, S_HUGE, S_NEG_HUGE = 0, 2, 3, 4, 7, 8
ALL = 0x7F


def u16(v):
    return struct.pack("<H", v)


def api(name=b"threshold"):
    """check_api: a name for sidecar_param_find, then one gain-computer probe."""
    return bytes([len(name)]) + name + bytes([ZERO, 128, 64, 64])


def set_param(p, code, extra=b""):
    return bytes([0, p + 1, code]) + extra


def set_value(p, v):
    """A raw double (the rd_value branch for bytes >= 180 reads 8 bytes)."""
    return bytes([0, p + 1, 200]) + struct.pack("<d", v)


def trigger(code, extra=b""):
    """op 10: `trigger` with an rd_value code (MIN = 0 dB, MAX = 120 dB, NAN, ...)."""
    return bytes([10, code]) + extra


def trigger_value(v):
    return bytes([10, 200]) + struct.pack("<d", v)


def options(names, extra=()):
    """Set the named options (see OPTIONS) and then (param, value) pairs, as raw doubles."""
    return (b"".join(set_value(*OPTIONS[n]) for n in names) +
            b"".join(set_value(p, v) for p, v in extra))


def mode(comp):
    return bytes([3, 1 if comp else 0])


def reset():
    return bytes([4])


def samplerate(code):
    return bytes([5, code])


def signal(kind=SINE, amp=A_05, seed=7, specials=()):
    out = bytes([kind, amp]) + u16(seed) + bytes([len(specials)])
    for pos, sp in specials:
        out += u16(pos) + bytes([sp])
    return out


def block(n, patched=ALL, signals=None, alias=0, cut=0):
    """A process op of n frames (n a power of two uses the short form)."""
    if n & (n - 1) == 0 and n <= 8192:
        head = bytes([6, n.bit_length() - 1])
    else:
        head = bytes([6, 200]) + u16(n)
    sigs = list(signals or [])
    sigs += [signal()] * (7 - len(sigs))
    return head + bytes([patched]) + b"".join(sigs) + bytes([alias]) + u16(cut)


def kick_pad(n, patched=ALL, **kw):
    """Clean material: clicks on MAIN, a sine pad on SC, a slow CV on threshold."""
    sigs = [signal(CLICKS, A_1, 480), signal(CLICKS, A_05, 480), signal(SINE, A_05, 9),
            signal(SINE, A_05, 11), signal(SINE, A_01, 1), signal(SILENCE, A0),
            signal(SILENCE, A0)]
    return block(n, patched, sigs, **kw)


def hostile(n, patched=ALL, amp=A_3E38, **kw):
    """Every input loud, with NaN/Inf/denormals/huge values sprinkled in."""
    sp = ((0, S_NAN), (1, S_INF), (2, S_NEG_INF), (3, S_DENORM), (n // 2, S_HUGE),
          (n - 1, S_NEG_HUGE))
    sigs = [signal(k, amp, 100 + i, sp) for i, k in
            enumerate((CLICKS, NOISE, SINE, NOISE, CONST, NOISE, SINE))]
    return block(n, patched, sigs, **kw)


def all_params(code):
    return b"".join(set_param(p, code) for p in range(NPARAMS))


def seeds():
    s = {}
    for sr in (8000, 48000, 384000):
        s[f"defaults-duck-{sr}"] = api() + bytes([SR[sr]]) + kick_pad(1024) * 2
        s[f"defaults-comp-{sr}"] = api() + bytes([SR[sr]]) + mode(1) + kick_pad(1024) * 2
    for name, code in (("min", MIN), ("max", MAX)):
        for comp in (0, 1):
            tag = "comp" if comp else "duck"
            s[f"all-{name}-{tag}-huge"] = (api() + bytes([SR[48000]]) + all_params(code) +
                                          mode(comp) + hostile(512) + hostile(512, amp=A_FLTMAX) +
                                          kick_pad(1024))
    s["params-nonfinite"] = (api() + bytes([SR[48000]]) + all_params(NAN) + all_params(INF) +
                             all_params(NEG_INF) + kick_pad(256))
    s["params-out-of-range"] = (api() + bytes([SR[44100]]) + all_params(FAR_BELOW) +
                                kick_pad(256) + all_params(FAR_ABOVE) + kick_pad(256) +
                                all_params(BELOW_MIN) + all_params(ABOVE_MAX) + kick_pad(256))
    s["params-huge-raw"] = (api() + bytes([SR[48000]]) +
                            b"".join(set_value(p, v) for p in range(NPARAMS)
                                     for v in (1e308, -1e308, 5e-324)) + kick_pad(512))
    s["bad-param-index"] = (api(b"env_mag") + bytes([SR[48000]]) + set_param(-1, DEF) +
                            set_param(NPARAMS, DEF) + set_param(NPARAMS + 1, NAN) + kick_pad(64))
    s["junk-name"] = api(b"\xff\x00thresholdthreshold") + bytes([SR[48000]]) + kick_pad(64)
    for code, name in ((SR_NAN, "nan"), (SR_NEG, "neg"), (SR_ZERO, "zero"), (SR_ONE, "one"),
                       (SR_1E12, "1e12"), (SR_DENORM, "denorm"), (SR_INF, "inf")):
        s[f"sr-{name}"] = api() + bytes([code]) + hostile(256) + kick_pad(256)
    s["sr-changes"] = (api() + bytes([SR[48000]]) + kick_pad(512) + samplerate(SR[8000]) +
                       kick_pad(512) + samplerate(SR[384000]) + hostile(512) +
                       samplerate(SR_NAN) + kick_pad(512) + samplerate(SR[96000]) + kick_pad(512))
    s["nan-burst-then-clean"] = (api() + bytes([SR[48000]]) + hostile(2048) + kick_pad(8192) +
                                 kick_pad(8192))
    s["nan-burst-comp-sc"] = (api() + bytes([SR[48000]]) + mode(1) + hostile(2048) +
                              kick_pad(8192))
    s["nan-then-reset"] = (api() + bytes([SR[48000]]) + hostile(1024) + reset() + kick_pad(2048))
    s["block-1"] = api() + bytes([SR[48000]]) + (hostile(1) + kick_pad(1)) * 8
    s["block-8192"] = api() + bytes([SR[48000]]) + hostile(8192) + kick_pad(8192)
    s["block-odd"] = api() + bytes([SR[44100]]) + hostile(3) + kick_pad(1000) + kick_pad(4097)
    # n = 0: no cut is read
    s["block-zero"] = (api() + bytes([SR[48000]]) + bytes([6, 200]) + u16(0) + bytes([ALL]) +
                       b"".join([signal()] * 7) + bytes([0]) + kick_pad(64))
    # long silence after loud material, fastest release: the state must not go subnormal
    s["silence-after-loud"] = (api() + bytes([SR[8000]]) + set_param(RELEASE, MIN) +
                               set_param(SC_HPF, MAX) + set_param(ENV_MAG, MIN) +
                               set_param(INPUT_LEVEL, MIN) + hostile(4096) +
                               block(8192, ALL, [signal(SILENCE, A0)] * 7) * 7)
    s["denormal-inputs"] = (api() + bytes([SR[48000]]) +
                            block(4096, ALL, [signal(NOISE, A_TINY, 3 + i) for i in range(7)]))
    for mask in (0x01, 0x03, 0x05, 0x0C, 0x08, 0x71, 0x0F):
        s[f"patched-{mask:02x}-comp"] = (api() + bytes([SR[48000]]) + mode(1) +
                                         hostile(512, mask) + kick_pad(512, mask))
        s[f"patched-{mask:02x}-duck"] = (api() + bytes([SR[48000]]) + hostile(512, mask) +
                                         kick_pad(512, mask))
    s["aliasing"] = (api() + bytes([SR[48000]]) + kick_pad(512, alias=0xFF, cut=100) +
                     hostile(512, alias=0x55, cut=511) + kick_pad(512, alias=0xAA, cut=1))
    # double-precision builds: subnormal doubles (special indices 12, 13; NaN in float builds)
    s["denormal-doubles"] = (api() + bytes([SR[48000]]) + block(
        256, ALL, [signal(SILENCE, A0, 1, ((1, 12), (2, 13), (100, 12), (255, 13)))] * 7) +
        block(256, ALL, [signal(SILENCE, A0)] * 7))
    # double-precision builds: +-DBL_MAX on SC with the most gain (indices 15, 16; Inf in float)
    s["huge-doubles"] = (api() + bytes([SR[48000]]) + set_param(MAKEUP, MAX) +
                         set_param(INPUT_LEVEL, MAX) + set_param(RATIO, MIN) + block(
        256, ALL, [signal(SINE, A_01, 5)] * 2 +
        [signal(SINE, A_01, 5, ((3, 15), (7, 16), (200, 15)))] * 2 + [signal(SILENCE, A0)] * 3))
    # ---- v0.2: the seven options, trigger, lookahead's delay line ----
    for name in OPTIONS:
        for comp in (0, 1):
            tag = "comp" if comp else "duck"
            s[f"option-{name}-{tag}"] = (api() + bytes([SR[48000]]) + options([name]) +
                                         mode(comp) + kick_pad(1024) + hostile(256) +
                                         kick_pad(2048))
    for sr in (8000, 48000, 384000):
        for comp in (0, 1):
            tag = "comp" if comp else "duck"
            s[f"options-all-{tag}-{sr}"] = (api() + bytes([SR[sr]]) + options(OPTIONS) +
                                            mode(comp) + kick_pad(1024) * 2 + hostile(512) +
                                            kick_pad(4096))
    # lookahead on, then the sample rate changes (the delay line is emptied and re-sized),
    # the lookahead changes (emptied), an unpatch of SC with SC still in the line
    s["lookahead-sr-changes"] = (api() + bytes([SR[48000]]) +
                                 options([], [(LOOKAHEAD, 20.0)]) + hostile(512) +
                                 kick_pad(1024) + samplerate(SR[384000]) + kick_pad(8192) +
                                 samplerate(SR[8000]) + hostile(256) + samplerate(SR[8000]) +
                                 kick_pad(512) + samplerate(SR_NAN) + kick_pad(512) +
                                 samplerate(SR[192000]) + kick_pad(4096))
    s["lookahead-changes"] = (api() + bytes([SR[44100]]) + options([], [(LOOKAHEAD, 5.0)]) +
                              hostile(300) + options([], [(LOOKAHEAD, 10.0)]) + kick_pad(700) +
                              options([], [(LOOKAHEAD, 0.0)]) + kick_pad(300) +
                              options([], [(LOOKAHEAD, 20.0)]) + hostile(1000) +
                              kick_pad(1000, patched=0x03) + kick_pad(1000))
    s["lookahead-max-384k-blocks"] = (api() + bytes([SR[384000]]) + set_param(LOOKAHEAD, MAX) +
                                      b"".join(kick_pad(n) for n in (1, 7, 64, 8192, 4097)) +
                                      hostile(8192) + reset() + kick_pad(8192))
    s["lookahead-exotic-sr"] = (api() + bytes([SR[48000]]) + set_param(LOOKAHEAD, MAX) +
                                kick_pad(256) + samplerate(SR_ONE) + kick_pad(256) +
                                samplerate(SR_DENORM) + kick_pad(256) + samplerate(SR[11025]) +
                                kick_pad(256))
    # an absurd rate with the longest hold / lookahead: frame counts beyond an int, a delay
    # line beyond any memory (the core must refuse it: NOMEM, lookahead acts as 0)
    s["hold-max-sr-1e12"] = (api() + bytes([SR[48000]]) + set_param(HOLD, MAX) + kick_pad(64) +
                             samplerate(SR_1E12) + kick_pad(64))
    s["lookahead-max-sr-1e12"] = (api() + bytes([SR_1E12]) + set_param(LOOKAHEAD, MAX) +
                                  kick_pad(64) + samplerate(SR[48000]) + kick_pad(64) +
                                  samplerate(SR_1E12) + kick_pad(64))
    s["trigger-pumping"] = (api() + bytes([SR[48000]]) + options(["hold"]) +
                            b"".join(trigger_value(24.0) + block(2048, ALL, [signal(SILENCE, A0)] * 2 +
                                     [signal(SINE, A_05, 9)] * 2 + [signal(SILENCE, A0)] * 3)
                                     for _ in range(4)))
    s["trigger-values"] = (api() + bytes([SR[48000]]) + trigger(NAN) + trigger(INF) +
                           trigger(NEG_INF) + trigger(FAR_BELOW) + trigger(FAR_ABOVE) +
                           trigger(HUGE) + kick_pad(256) + trigger(MAX) + trigger(MIN) +
                           kick_pad(256) + trigger(DENORM) + kick_pad(64))
    s["trigger-range-hold-max"] = (api() + bytes([SR[384000]]) + set_param(HOLD, MAX) +
                                   set_param(RANGE, MIN) + trigger(MAX) + kick_pad(1024) +
                                   options([], [(RANGE, 6.0)]) + trigger(MAX) + hostile(512) +
                                   trigger(MAX) + reset() + kick_pad(1024))
    # a subnormal depth (a double Pd can send one) held for `hold`: g must not sit subnormal
    quiet = block(512, ALL, [signal(SILENCE, A0)] * 7)
    s["trigger-subnormal-hold"] = (api() + bytes([SR[48000]]) + set_param(HOLD, MAX) + quiet +
                                   trigger(DENORM + 1) + quiet + kick_pad(256) + reset() +
                                   trigger_value(-5e-324) + trigger_value(2e-310) + quiet)
    s["trigger-then-reset"] = (api() + bytes([SR[48000]]) + trigger(MAX) + reset() +
                               kick_pad(512) + trigger(DEF) + mode(1) + kick_pad(512))
    s["link-0-stereo-junk"] = (api() + bytes([SR[48000]]) + set_param(LINK, MIN) +
                               options([], [(HOLD, 200.0)]) + hostile(1024) + kick_pad(1024) +
                               set_param(LINK, MAX) + kick_pad(1024) + set_param(LINK, MIN) +
                               hostile(512) + kick_pad(2048))
    s["rms-lpf-silence-8k"] = (api() + bytes([SR[8000]]) + set_param(RMS, MAX) +
                               set_param(SC_LPF, MIN) + set_param(SC_HPF, MAX) +
                               set_param(RELEASE, MIN) + hostile(4096) +
                               block(8192, ALL, [signal(SILENCE, A0)] * 7) * 7)
    s["lpf-rms-toggles"] = (api() + bytes([SR[96000]]) + options(["sc_lpf", "rms"]) +
                            kick_pad(512) + set_param(SC_LPF, MAX) + set_param(RMS, MIN) +
                            kick_pad(512) + options(["sc_lpf", "rms"]) + hostile(512) +
                            set_param(SC_LPF, MAX) + kick_pad(512))
    s["mix-extremes"] = (api() + bytes([SR[48000]]) + set_param(MIX, MIN) + hostile(512) +
                         set_param(MIX, DENORM) + kick_pad(512) + set_param(MIX, MAX) +
                         set_param(MAKEUP, MAX) + set_param(INPUT_LEVEL, MAX) +
                         hostile(512, amp=A_FLTMAX) + kick_pad(512))
    s["cv-nonfinite"] = (api() + bytes([SR[48000]]) + block(
        1024, ALL, [signal(CLICKS, A_1, 480)] * 4 +
        [signal(CONST, A_3E38, 1, ((0, S_NAN), (5, S_INF), (9, S_NEG_INF)))] * 3))
    # v0.3: each option alone on junk, all of them with 0.2's, feedback toggled mid-stream
    for name in OPTIONS_V03:
        s[f"v03-{name}-junk"] = (api() + bytes([SR[48000]]) + options([name]) + hostile(1024) +
                                 kick_pad(1024) + mode(1) + hostile(512) + kick_pad(512))
    s["v03-all-options-link-0"] = (api() + bytes([SR[44100]]) + options(list(OPTIONS)) +
                                   set_param(LINK, MIN) + kick_pad(1024) + hostile(1024) +
                                   set_param(LINK, MAX) + kick_pad(1024) + reset() + kick_pad(512))
    s["v03-feedback-toggles"] = (api() + bytes([SR[96000]]) + set_param(FEEDBACK, MAX) +
                                 kick_pad(512) + set_param(FEEDBACK, MIN) + kick_pad(512) +
                                 set_param(FEEDBACK, DENORM) + hostile(512, amp=A_FLTMAX) +
                                 set_param(MS, MAX) + set_param(FEEDBACK, MAX) + kick_pad(512))
    s["v03-slow-release-max-silence"] = (api() + bytes([SR[8000]]) +
                                         set_param(SLOW_RELEASE, MAX) + set_param(HOLD, MAX) +
                                         hostile(2048) +
                                         block(8192, ALL, [signal(SILENCE, A0)] * 7) * 4 +
                                         set_param(SLOW_RELEASE, MIN) + kick_pad(256))
    return s


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                                "corpus")
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds())} seeds in {outdir}")


if __name__ == "__main__":
    main()
