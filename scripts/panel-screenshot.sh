#!/bin/sh
# A screenshot of sidecar-panel~ at work, as Pd's GUI draws it, under a virtual X server (no
# display needed): its help patch with DSP on (the kick ducking the pad, the meter moving), for
# README.md's "Panel" section.
#   scripts/panel-screenshot.sh [OUT.png]      (default: demo/panel.png)
# Needs the gui group of scripts/install-deps.sh (puredata-gui xvfb xauth imagemagick).
set -eu
cd "$(dirname "$0")/.."
out=${1:-demo/panel.png}
mkdir -p "$(dirname "$out")"
rm -f "$out" "$out.full.png"
# start Pd's GUI on a fresh screen with DSP on, give it 6 s (the meter updates 20 times a second),
# grab the help window (ImageMagick's import finds it by the title Pd gives it: "NAME  - DIR"),
# quit; then keep the part with the live example
timeout 60 xvfb-run -a -s "-screen 0 1400x1000x24" sh -c '
    full=$1; root=$2
    pd -noprefs -nosound -path "$root" -open "$root/help/sidecar-panel~-help.pd" \
        -send "pd dsp 1" &
    pd=$!
    sleep 6
    import -window "sidecar-panel~-help.pd  - $root/help" "$full" || true
    kill $pd' sh "$out.full.png" "$(pwd)" 2>/dev/null || true
[ -s "$out.full.png" ] || { echo "panel-screenshot: no picture (is the gui group installed?)" >&2; exit 1; }
convert "$out.full.png" -crop 790x622+0+178 +repage "$out"
rm -f "$out.full.png"
echo "wrote $out"
