# Draws the second demo picture: a voice ducking a pad through two sidecar~s, with and without
# range and hold.  Called by scripts/demo.sh:
#   gnuplot -e "datafile='demo/voice-table.txt'; outfile='demo/voice-over.png'" scripts/voice-plot.gp
# datafile columns: time (s), voice (MAIN in), gain on the pad with -range 12 -hold 200 (dB, <= 0),
# gain on the pad without them (dB).
if (!exists("datafile")) datafile = 'demo/voice-table.txt'
if (!exists("outfile")) outfile = 'demo/voice-over.png'

set terminal pngcairo size 1200,640 font "DejaVu Sans,11" noenhanced
set output outfile
set multiplot layout 2,1 title "A voice ducks a pad (examples/voice-over.pd: -threshold -40 -ratio 8 -attack 5 -release 120), with and without -range 12 -hold 200"
set lmargin 12
set rmargin 3
set xrange [0:8]
set grid xtics lc rgb "#dddddd"
set xtics 0.5
set format x ""
set style data lines

unset key
set ylabel "voice (MAIN)"
set yrange [-0.4:0.4]
set ytics 0.2
plot datafile using 1:2 lc rgb "#b03030" lw 1

set key bottom right box opaque
set ylabel "gain on the pad (dB)"
set yrange [-38:2]
set ytics 6
set grid ytics lc rgb "#dddddd"
set format x "%g"
set xlabel "time (s)"
plot datafile using 1:4 lc rgb "#a0a0a0" lw 1.5 title "without: range 120, hold 0 (the defaults)", \
     datafile using 1:3 lc rgb "#3060b0" lw 2.5 title "-range 12 -hold 200"

unset multiplot
