#!/bin/bash
# Build the Faust peer (bench/faustcomp.dsp) with faust2puredata into DIR, unless it is there
# and newer than the .dsp. Generated, never committed. Used by bench/run.sh and bench/step.sh.
#   bench/faust-peer.sh DIR [EXTRA_CXXFLAGS]
# faust2puredata compiles with its own flags (-Ofast -march=native), which on this kind of
# machine means AVX-512: valgrind cannot run that, so callgrind runs use a build with
# EXTRA_CXXFLAGS=-mno-avx512f.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1 extra=${2:-}
if [ ! -f "$dir/faustcomp~.pd_linux" ] || [ bench/faustcomp.dsp -nt "$dir/faustcomp~.pd_linux" ]; then
    echo "bench: building the Faust peer with faust2puredata${extra:+ (CXXFLAGS=$extra)}" >&2
    mkdir -p "$dir"
    cp bench/faustcomp.dsp "$dir/"
    (cd "$dir" && CXXFLAGS="$extra" faust2puredata faustcomp.dsp >/dev/null 2>faust2puredata.log) ||
        { cat "$dir/faust2puredata.log" >&2; exit 1; }
fi
