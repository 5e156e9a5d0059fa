#!/bin/sh
# make demo, after the build: render examples/pump.pd through pd -batch, draw the picture and
# print a summary.  Writes demo/pump.wav (the stereo output, 24-bit), demo/pump-*.txt (the
# signals, one sample a line, and the table the plot reads) and demo/pump.png.
#   scripts/demo.sh [OUTDIR]      (default: demo)
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-demo}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/pump.wav "$out"/pump-*.txt "$out"/pump.png

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
