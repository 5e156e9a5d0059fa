#!/bin/sh
# Screenshot of the help patch as Pd's GUI draws it, under a virtual X server (no display
# needed): checks that the patch looks right, and gives README.md its picture.
#   scripts/help-screenshot.sh [OUT.png]          (default: demo/help.png)
# Needs the gui group of scripts/install-deps.sh (puredata-gui xvfb xauth imagemagick).
set -eu
cd "$(dirname "$0")/.."
out=${1:-demo/help.png}
mkdir -p "$(dirname "$out")"
rm -f "$out"
# Pd titles a patch window "<file>  - <folder>"; ImageMagick's import finds it by that name.
title="sidecar~-help.pd  - $(pwd)/help"
timeout 60 xvfb-run -a -s "-screen 0 1280x1024x24" sh -c '
    pd -noprefs -nosound -path "$1" -open "$1/help/sidecar~-help.pd" &
    pd=$!
    sleep 5
    import -window "$2" "$3" || true
    kill $pd' sh "$(pwd)" "$title" "$out" 2>/dev/null || true
[ -s "$out" ] || { echo "help-screenshot: no picture (is the gui group installed?)" >&2; exit 1; }
echo "wrote $out"
