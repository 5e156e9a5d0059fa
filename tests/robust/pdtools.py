"""Shared by the robustness generators/checkers in this folder (standard library only):
writing a Pd patch object by object, and reading the 32-bit float WAV files that Pd's
soundfiler writes."""
import struct


class Patch:
    """A canvas as Pd file lines. Objects are numbered in creation order (Pd's connect
    indices) and laid out in a grid of `columns` columns `dx` pixels apart."""

    def __init__(self, header, columns, dx):
        self.lines = [header]
        self.n = 0
        self.columns, self.dx = columns, dx

    def obj(self, text, kind="obj"):
        self.lines.append("#X %s %d %d %s;" % (kind, 10 + self.dx * (self.n % self.columns),
                                               10 + 25 * (self.n // self.columns), text))
        self.n += 1
        return self.n - 1

    def msg(self, text):
        return self.obj(text, "msg")

    def connect(self, a, outlet, b, inlet):
        self.lines.append("#X connect %d %d %d %d;" % (a, outlet, b, inlet))

    def chain(self, *objs):
        """Connect outlet 0 to inlet 0 along objs; returns the last one."""
        for a, b in zip(objs, objs[1:]):
            self.connect(a, 0, b, 0)
        return objs[-1]


def read_float_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAVE file")
    pos, channels, samples = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            channels = struct.unpack("<H", body[2:4])[0]
        elif cid == b"data":
            samples = struct.unpack("<%df" % (len(body) // 4), body)
        pos += 8 + size + (size & 1)
    return [samples[c::channels] for c in range(channels)]
