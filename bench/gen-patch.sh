#!/bin/bash
# Write one benchmark patch for `pd -batch` to stdout.
#
#   bench/gen-patch.sh KIND N BLOCK GATE_OFF WINDOW...
#
#   KIND      floor | duck | comp | faust, or duck+OPTION / comp+OPTION: sidecar~ with one
#             option on (the values of make bench's option table):
#               v0.2: range (-range 12), hold (-hold 50), lookahead (-lookahead 5), mix
#               (-mix 0.5), rms (-rms 10), link (-link 0.5), sc_lpf (-sc_lpf 150), all (all
#               seven at once), stereo (defaults, duck with a stereo key: the mix of each side
#               on MAIN L and R instead of the kick on both), all_stereo (all seven, stereo key);
#               v0.3: feedback (-feedback 0.5), ms (-ms 1 -link 0: mid/side is meant for link
#               below 1), slow_release (-slow_release 1000), listen (-listen 1), all11 (the
#               seven and the four at once),
#               trigger (-hold 50, no key: MAIN unpatched, [trigger 24( at 2 Hz, the kick's
#               rate; needs a glue with the `trigger` message)
#   N         number of processor instances (ignored for floor)
#   BLOCK     Pd block size of the subpatch that holds sources, processors and sinks
#   GATE_OFF  seconds after which the material stops and exact silence follows (0: never)
#   WINDOW    NAME:START:END in seconds of audio; prints "bench: NAME <real ms> <cpu ms>" to
#             stderr, measured by [realtime] and [cputime] between those logical times.
#             Pd quits right after the last window ends.
#
# Every patch has the same sources and sinks, so the floor patch (no processor) measures their
# cost, and (patch - floor) / N is the cost of one processor instance:
#   kick   a sine with a falling pitch and a squared decay, retriggered at 2 Hz by a phasor~
#   pad    two detuned saw pairs (phasor~), one pair per channel
#   mix    kick + pad per channel (what a compressor would get)
# duck:  [sidecar~] at defaults: kick -> MAIN L/R, pad -> SIDECHAIN L/R
# comp:  [sidecar~ -mode comp]: mix -> MAIN L/R, self-detecting
# faust: [faustcomp~] (Faust's co.compressor_stereo, see faustcomp.dsp): mix -> its 2 inputs
# floor: mix -> sinks directly
# duck+OPTION, comp+OPTION: as duck and comp, with the option's flags
# The sinks are the two [outlet~]s of the subpatch, which feed [dac~] (silent under -nosound).
# The floor feeds them the mix; a processor patch feeds them the first instance's audio
# outputs, and leaves the outputs of instances 2..N unconnected (Pd still runs every object),
# so that Pd's summing of a fan-in (a vector add per extra connection) is not counted as the
# processors' cost.
set -eu
kind=$1 n=$2 block=$3 gate_off=$4; shift 4
[ "$kind" = floor ] && n=0

# --- the subpatch [pd main]: its objects are numbered in the order they are written
sub=() k=0 subcon=()
o() { sub+=("#X obj 10 $((10 + k * 2)) $*;"); k=$((k + 1)); }
m() { sub+=("#X msg 10 $((10 + k * 2)) $*;"); k=$((k + 1)); }
c() { subcon+=("#X connect $1 $2 $3 $4;"); }

o "block~ $block"                      # 0
o "r \$0-gate"                         # 1 control: 1 = material, 0 = silence
o "sig~ 1"                             # 2 gate signal
c 1 0 2 0
# kick
o "phasor~ 2"                          # 3
o "*~ -6"                              # 4
o "+~ 1"                               # 5
o "clip~ 0 1"                          # 6 decay 1 -> 0 in 1/6 of the beat
o "*~"                                 # 7 squared decay
o "*~ 110"                             # 8
o "+~ 45"                              # 9 pitch 155 Hz falling to 45 Hz
o "osc~"                               # 10
o "*~"                                 # 11 sine * decay
o "*~ 0.9"                             # 12
o "*~"                                 # 13 * gate = kick
c 3 0 4 0; c 4 0 5 0; c 5 0 6 0; c 6 0 7 0; c 6 0 7 1; c 7 0 8 0; c 8 0 9 0; c 9 0 10 0
c 10 0 11 0; c 7 0 11 1; c 11 0 12 0; c 12 0 13 0; c 2 0 13 1
# pad
o "phasor~ 110"                        # 14
o "phasor~ 164.81"                     # 15
o "phasor~ 110.6"                      # 16
o "phasor~ 165.3"                      # 17
o "+~ -1"                              # 18 L: two saws, centred
o "+~ -1"                              # 19 R
o "*~ 0.2"                             # 20
o "*~ 0.2"                             # 21
o "*~"                                 # 22 padL * gate
o "*~"                                 # 23 padR * gate
c 14 0 18 0; c 15 0 18 0; c 16 0 19 0; c 17 0 19 0; c 18 0 20 0; c 19 0 21 0
c 20 0 22 0; c 21 0 23 0; c 2 0 22 1; c 2 0 23 1
# mix
o "+~"                                 # 24 mixL
o "+~"                                 # 25 mixR
c 13 0 24 0; c 22 0 24 1; c 13 0 25 0; c 23 0 25 1
# sinks
o "outlet~"                            # 26
o "outlet~"                            # 27
kick=13 padl=22 padr=23 mixl=24 mixr=25 sinkl=26 sinkr=27

# duck+OPTION / comp+OPTION: the option's creation flags
all7="-range 12 -hold 50 -lookahead 5 -mix 0.5 -rms 10 -link 0.5 -sc_lpf 150"
opt="" optflags=""
case "$kind" in
    duck+* | comp+*)
        opt=${kind#*+} kind=${kind%%+*}
        case "$opt" in
            range) optflags="-range 12" ;;
            hold) optflags="-hold 50" ;;
            lookahead) optflags="-lookahead 5" ;;
            mix) optflags="-mix 0.5" ;;
            rms) optflags="-rms 10" ;;
            link) optflags="-link 0.5" ;;
            sc_lpf) optflags="-sc_lpf 150" ;;
            all) optflags=$all7 ;;
            feedback) optflags="-feedback 0.5" ;;
            ms) optflags="-ms 1 -link 0" ;;
            slow_release) optflags="-slow_release 1000" ;;
            listen) optflags="-listen 1" ;;
            all11) optflags="$all7 -feedback 0.5 -ms 1 -slow_release 1000 -listen 1" ;;
            stereo) optflags="" ;;
            all_stereo) optflags=$all7 ;;
            trigger) optflags="-hold 50" ;;
            *) echo "gen-patch: unknown option '$opt'" >&2; exit 2 ;;
        esac ;;
esac
if [ "$opt" = trigger ]; then
    o "loadbang"                       # 28
    o "metro 500"                      # 29 2 Hz, the kick's rate
    m "trigger 24"                     # 30
    c 28 0 29 0; c 29 0 30 0
    trig=30
fi

case "$kind" in
    floor) c $mixl 0 $sinkl 0; c $mixr 0 $sinkr 0 ;;
    duck | comp | faust)
        for ((i = 0; i < n; i++)); do
            p=$k
            case "$kind" in
                duck)
                    o "sidecar~${optflags:+ $optflags}"
                    if [ "$opt" = trigger ]; then # no key: only the trigger ducks the pad
                        c $trig 0 $p 0
                    elif [ "$opt" = stereo ] || [ "$opt" = all_stereo ]; then # a stereo key:
                        # the mix of each side
                        c $mixl 0 $p 0; c $mixr 0 $p 1
                    else
                        c $kick 0 $p 0; c $kick 0 $p 1
                    fi
                    c $padl 0 $p 2; c $padr 0 $p 3 ;;
                comp)
                    o "sidecar~ -mode comp${optflags:+ $optflags}"
                    c $mixl 0 $p 0; c $mixr 0 $p 1
                    [ "$opt" = trigger ] && c $trig 0 $p 0 ;;
                faust)
                    # faust2puredata objects: inlet 0 and outlet 0 carry control messages;
                    # the signal inlets and outlets follow.
                    o "faustcomp~"
                    c $mixl 0 $p 1; c $mixr 0 $p 2 ;;
            esac
            if ((i == 0)); then
                # audio outlets: sidecar~ 0 and 1, faustcomp~ 1 and 2 (its outlet 0 is control)
                first=$([ "$kind" = faust ] && echo 1 || echo 0)
                c $p $first $sinkl 0; c $p $((first + 1)) $sinkr 0
            fi
        done ;;
    *) echo "gen-patch: unknown kind '$kind'" >&2; exit 2 ;;
esac

# --- the top level
top=() t=0 topcon=()
to() { top+=("#X obj 300 $((10 + t * 2)) $*;"); t=$((t + 1)); }
tm() { top+=("#X msg 300 $((10 + t * 2)) $*;"); t=$((t + 1)); }
tc() { topcon+=("#X connect $1 $2 $3 $4;"); }

echo "#N canvas 0 50 600 400 12;"
echo "#N canvas 0 50 400 300 main 0;"
printf '%s\n' "${sub[@]}" "${subcon[@]}"
echo "#X restore 10 10 pd main;"
t=1                                    # 0 = pd main
to "dac~ 1 2"                          # 1
tc 0 0 1 0; tc 0 1 1 1
to "loadbang"                          # 2
tm "\\; pd dsp 1"                      # 3
tc 2 0 3 0
if [ "$(awk -v g="$gate_off" 'BEGIN { print (g > 0) }')" = 1 ]; then
    to "delay $(awk -v g="$gate_off" 'BEGIN { print g * 1000 }')"
    tc 2 0 $((t - 1)) 0
    tm "0"
    tc $((t - 2)) 0 $((t - 1)) 0
    to "s \$0-gate"
    tc $((t - 2)) 0 $((t - 1)) 0
fi
last=0
for w in "$@"; do
    IFS=: read -r name start end <<<"$w"
    ms() { awk -v s="$1" 'BEGIN { print s * 1000 }'; }
    s=$t
    to "delay $(ms "$start")"          # s
    to "delay $(ms "$end")"            # s+1
    to "t b b"                         # s+2: start: cputime then realtime
    to "t b b"                         # s+3: end: cputime (cold) then realtime (hot)
    to "realtime"                      # s+4
    to "cputime"                       # s+5
    to "pack f f"                      # s+6
    tm "$name \\\$1 \\\$2"                 # s+7
    to "print bench"                   # s+8
    tc 2 0 $s 0; tc 2 0 $((s + 1)) 0
    tc $s 0 $((s + 2)) 0; tc $((s + 1)) 0 $((s + 3)) 0
    tc $((s + 2)) 0 $((s + 4)) 0; tc $((s + 2)) 1 $((s + 5)) 0
    tc $((s + 3)) 0 $((s + 4)) 1; tc $((s + 3)) 1 $((s + 5)) 1
    tc $((s + 4)) 0 $((s + 6)) 0; tc $((s + 5)) 0 $((s + 6)) 1
    tc $((s + 6)) 0 $((s + 7)) 0; tc $((s + 7)) 0 $((s + 8)) 0
    last=$(awk -v a="$last" -v b="$end" 'BEGIN { print (b > a) ? b : a }')
done
# quit one Pd tick after the last window has printed
to "delay $(awk -v l="$last" 'BEGIN { print l * 1000 + 2 }')"
tm "\\; pd quit"
tc 2 0 $((t - 2)) 0; tc $((t - 2)) 0 $((t - 1)) 0
printf '%s\n' "${top[@]}" "${topcon[@]}"
