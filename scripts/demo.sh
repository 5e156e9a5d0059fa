#!/bin/sh
# make demo, after the build: render examples/pump.pd, examples/voice-over.pd and
# examples/slow-release.pd through pd -batch, draw their pictures and print a summary of
# measured numbers.  Writes demo/pump.wav (the stereo output, 24-bit), demo/pump-*.txt (the
# signals, one sample a line, and the table the plot reads), demo/pump.png, demo/voice-*.txt,
# demo/voice-over.png, demo/slow-*.txt and demo/slow-release.png.
#   scripts/demo.sh [OUTDIR]      (default: demo)
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-demo}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/pump.wav "$out"/pump-*.txt "$out"/pump.png "$out"/voice-*.txt "$out"/voice-over.png \
    "$out"/slow-*.txt "$out"/slow-release.png

# The patch waits for a folder on 'pump-render', records 8 s (4 bars at 120 bpm) and quits.
# Pd posts its console on stderr; any error line there fails the demo.
timeout 60 pd -batch -noprefs -nosound -r 48000 -path "$root" -open "$root/examples/pump.pd" \
    -send "pump-render symbol $out" 2>"$out/pd-console.txt" || {
    cat "$out/pd-console.txt" >&2; echo "demo: pd failed" >&2; exit 1; }
if grep -qiE "error|couldn't|can't|bad" "$out/pd-console.txt"; then
    cat "$out/pd-console.txt" >&2; echo "demo: pd reported an error" >&2; exit 1
fi
for f in pump.wav pump-kick.txt pump-pad.txt pump-env.txt pump-out-l.txt pump-out-r.txt; do
    [ -s "$out/$f" ] || { echo "demo: $out/$f was not written" >&2; exit 1; }
done

# One table for gnuplot: time (s), kick, pad before, pad after, gain reduction (dB).
# In duck mode the output is MAIN + the ducked SIDECHAIN, so the pad after is out L - kick.
# The demo keeps envMag at 1, so the reduction is 24 * env_out dB (SPEC: env_out = -g/24 * envMag).
paste "$out/pump-kick.txt" "$out/pump-pad.txt" "$out/pump-out-l.txt" "$out/pump-env.txt" |
    awk -v sr=48000 '{ printf "%.6f %s %s %.6g %.4f\n", (NR - 1) / sr, $1, $2, $3 - $1, 24 * $4 }' \
    > "$out/pump-table.txt"

gnuplot -e "datafile='$out/pump-table.txt'; outfile='$out/pump.png'" scripts/pump-plot.gp

# Summary: peak gain reduction, pad level before/after, output peak.
awk '
    function db(v) { return v > 0 ? 20 * log(v) / log(10) : -999 }
    { gr = $5; if (gr > grmax) { grmax = gr; tmax = $1 }
      p = $3 < 0 ? -$3 : $3; if (p > padpk) padpk = p
      d = $4 < 0 ? -$4 : $4; if (d > duckpk) duckpk = d
      sb += $3 * $3; sa += $4 * $4; n++ }
    END {
      printf "peak gain reduction: %.2f dB (at %.3f s)\n", grmax, tmax
      printf "pad RMS: %.2f dBFS before, %.2f dBFS after ducking\n", db(sqrt(sb / n)), db(sqrt(sa / n))
    }' "$out/pump-table.txt"
paste "$out/pump-out-l.txt" "$out/pump-out-r.txt" | awk '
    { for (i = 1; i <= 2; i++) { v = $i < 0 ? -$i : $i; if (v > m) m = v } }
    END { printf "output peak: %.4f (%.2f dBFS), both channels\n", m, 20 * log(m) / log(10) }'
echo "wrote $out/pump.wav and $out/pump.png"

# The second picture: examples/voice-over.pd runs one voice and one pad through two sidecar~s,
# the same settings but for -range 12 -hold 200 on one of them, and records 8 s (two phrases).
timeout 60 pd -batch -noprefs -nosound -r 48000 -path "$root" -open "$root/examples/voice-over.pd" \
    -send "voice-render symbol $out" 2>"$out/pd-console-voice.txt" || {
    cat "$out/pd-console-voice.txt" >&2; echo "demo: pd failed (voice-over)" >&2; exit 1; }
if grep -qiE "error|couldn't|can't|bad" "$out/pd-console-voice.txt"; then
    cat "$out/pd-console-voice.txt" >&2; echo "demo: pd reported an error (voice-over)" >&2; exit 1
fi
for f in voice-in.txt voice-pad.txt voice-env-a.txt voice-env-b.txt; do
    [ -s "$out/$f" ] || { echo "demo: $out/$f was not written" >&2; exit 1; }
done
# time (s), voice, gain on the pad with range and hold (dB), without (dB); envMag is 1, so the
# gain is -24 * env_out dB.
paste "$out/voice-in.txt" "$out/voice-env-a.txt" "$out/voice-env-b.txt" |
    awk -v sr=48000 '{ printf "%.6f %s %.4f %.4f\n", (NR - 1) / sr, $1, -24 * $2, -24 * $3 }' \
    > "$out/voice-table.txt"
gnuplot -e "datafile='$out/voice-table.txt'; outfile='$out/voice-over.png'" scripts/voice-plot.gp
# While the voice speaks (the phrases start at 0 and 4 s and last 2.6 s; the first 0.3 s of each
# is left out as the gain settles) the pad's gain should sit still with hold and range, and
# swing from syllable to syllable without them.
awk '
    { t = $1; a = -$3; b = -$4
      if (a > amax) amax = a; if (b > bmax) bmax = b
      if ((t >= 0.3 && t < 2.6) || (t >= 4.3 && t < 6.6)) {
          if (n++ == 0) { alo = ahi = a; blo = bhi = b }
          if (a < alo) alo = a; if (a > ahi) ahi = a; if (b < blo) blo = b; if (b > bhi) bhi = b
          as += a; bs += b } }
    END {
      printf "voice-over, range 12 + hold 200: reduction %.2f dB at most, %.1f dB mean, %.1f dB swing under the voice\n", amax, as / n, ahi - alo
      printf "voice-over, neither:             reduction %.2f dB at most, %.1f dB mean, %.1f dB swing under the voice\n", bmax, bs / n, bhi - blo
    }' "$out/voice-table.txt"
echo "wrote $out/voice-over.png"

# The third picture: examples/slow-release.pd runs one key and one pad through two sidecar~s, the
# same settings but for -slow_release 800 on one of them, and records 10 s: four stabs of 60 ms
# (ending at 0.32, 0.82, 1.32 and 1.82 s), then a note from 3 s to 5.52 s.
timeout 60 pd -batch -noprefs -nosound -r 48000 -path "$root" -open "$root/examples/slow-release.pd" \
    -send "slow-render symbol $out" 2>"$out/pd-console-slow.txt" || {
    cat "$out/pd-console-slow.txt" >&2; echo "demo: pd failed (slow-release)" >&2; exit 1; }
if grep -qiE "error|couldn't|can't|bad" "$out/pd-console-slow.txt"; then
    cat "$out/pd-console-slow.txt" >&2; echo "demo: pd reported an error (slow-release)" >&2; exit 1
fi
for f in slow-key.txt slow-env-a.txt slow-env-b.txt; do
    [ -s "$out/$f" ] || { echo "demo: $out/$f was not written" >&2; exit 1; }
done
# time (s), key, gain on the pad with slow_release (dB), without (dB); envMag is 1.
paste "$out/slow-key.txt" "$out/slow-env-a.txt" "$out/slow-env-b.txt" |
    awk -v sr=48000 '{ printf "%.6f %s %.4f %.4f\n", (NR - 1) / sr, $1, -24 * $2, -24 * $3 }' \
    > "$out/slow-table.txt"
gnuplot -e "datafile='$out/slow-table.txt'; outfile='$out/slow-release.png'" scripts/slow-release-plot.gp
# How fast the pad comes back after the last stab and after the long note: the time from the end
# of the sound until the gain is above -6 dB, and the reduction still left 0.5 s after the end.
awk '
    function back(e, col) { return (up[e, col] ? up[e, col] - end[e] : -1) }
    BEGIN { end[1] = 1.82; end[2] = 5.52 }
    { t = $1
      for (e = 1; e <= 2; e++) for (col = 3; col <= 4; col++) {
          if (t >= end[e] && !up[e, col] && $col > -6) up[e, col] = t
          if (!((e, col) in left) && t >= end[e] + 0.5) left[e, col] = -$col } }
    END {
      split("the last stab|the 2.5 s note", what, "|")
      for (e = 1; e <= 2; e++)
          printf "slow-release, after %-14s above -6 dB after %.3f s, %.1f dB left 0.5 s later (without: %.3f s, %.1f dB)\n",
                 what[e] ":", back(e, 3), left[e, 3], back(e, 4), left[e, 4]
    }' "$out/slow-table.txt"
echo "wrote $out/slow-release.png"
