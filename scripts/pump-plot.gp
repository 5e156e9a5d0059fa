# Draws the demo picture: the kick, the pad before and after sidecar~, and the gain reduction,
# on one time axis.  Called by scripts/demo.sh:
#   gnuplot -e "datafile='demo/pump-table.txt'; outfile='demo/pump.png'" scripts/pump-plot.gp
# datafile columns: time (s), kick (MAIN in), pad before (SIDECHAIN in), pad after (ducked),
# gain reduction (dB).
if (!exists("datafile")) datafile = 'demo/pump-table.txt'
if (!exists("outfile")) outfile = 'demo/pump.png'

set terminal pngcairo size 1200,900 font "DejaVu Sans,11" noenhanced
set output outfile
set multiplot layout 4,1 title "sidecar~ ducking a pad with a kick (examples/pump.pd: 4 bars at 120 bpm, -threshold -24 -ratio 4 -attack 2 -release 150)"
set lmargin 12
set rmargin 3
set xrange [0:8]
set grid xtics lc rgb "#dddddd"
set xtics 0.5
set format x ""
set style data lines
unset key

set ylabel "kick (MAIN)"
set yrange [-1:1]
set ytics 0.5
plot datafile using 1:2 lc rgb "#b03030" lw 1

set ylabel "pad before (SC L)"
set yrange [-0.5:0.5]
set ytics 0.25
plot datafile using 1:3 lc rgb "#3060b0" lw 1

set ylabel "pad after (ducked)"
plot datafile using 1:4 lc rgb "#3060b0" lw 1

set ylabel "gain reduction (dB)"
set yrange [*:0] reverse
set autoscale ymax
set yrange [0:*] reverse
set ytics auto
set format x "%g"
set xlabel "time (s)"
plot datafile using 1:5 lc rgb "#208040" lw 1.5 with filledcurves y1=0 fs solid 0.3 noborder, \
     datafile using 1:5 lc rgb "#208040" lw 1.5

unset multiplot
