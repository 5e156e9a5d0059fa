#!/bin/sh
# Screenshots of the help patch as Pd's GUI draws it, under a virtual X server (no display
# needed): to check that the patch looks right, and to give README.md its picture.
#   scripts/help-screenshot.sh [OUT.png] [--subpatches]      (default: demo/help.png)
# OUT.png is the main window. With --subpatches, every subpatch of the main window ([pd
# reference], [pd voice-over], ...) is shot too, each into OUT-<name>.png beside it.
# Needs the gui group of scripts/install-deps.sh (puredata-gui xvfb xauth imagemagick).
set -eu
cd "$(dirname "$0")/.."
out=${1:-demo/help.png}
subs=${2:-}
help=help/sidecar~-help.pd
mkdir -p "$(dirname "$out")"

# shoot WINDOW-NAME OUT.png [PD-ARGS...]: start Pd's GUI on a fresh virtual screen, give it 5 s to
# draw, grab the window Pd titles "WINDOW-NAME  - <folder>" (ImageMagick's import finds it by that
# name; a subpatch opened last lies on top of the main window), quit.
shoot() {
    name=$1; png=$2; shift 2
    rm -f "$png"
    timeout 60 xvfb-run -a -s "-screen 0 1600x1200x24" sh -c '
        name=$1; png=$2; root=$3; shift 3
        pd -noprefs -nosound -path "$root" -open "$root/help/sidecar~-help.pd" "$@" &
        pd=$!
        sleep 5
        import -window "$name  - $root/help" "$png" || true
        kill $pd' sh "$name" "$png" "$(pwd)" "$@" 2>/dev/null || true
    [ -s "$png" ] || { echo "help-screenshot: no picture of $name (is the gui group installed?)" >&2; return 1; }
    echo "wrote $png"
}

shoot "sidecar~-help.pd" "$out"
[ "$subs" = --subpatches ] || exit 0
# the subpatches of the main window: "#X restore x y pd NAME;" lines at nesting depth 1
names=$(awk '/^#N canvas/ { d++ } /^#X restore/ { if (d == 2) print $NF; d-- }' "$help" | tr -d ';')
for n in $names; do
    shoot "$n" "${out%.png}-$n.png" -send "pd-$n vis 1"
done
