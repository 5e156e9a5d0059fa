"""Reading the 32-bit float WAV files that Pd's soundfiler writes (standard library only),
shared by the robustness generators/checkers in this folder."""
import struct


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
