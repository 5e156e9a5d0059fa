# Draws the third demo picture: a key ducks a pad through two sidecar~s, with and without
# slow_release, on four short stabs and then a long note.  Called by scripts/demo.sh:
#   gnuplot -e "datafile='demo/slow-table.txt'; outfile='demo/slow-release.png'" scripts/slow-release-plot.gp
# datafile columns: time (s), key (MAIN in), gain on the pad with -slow_release 800 (dB, <= 0),
# gain on the pad without it (dB).
if (!exists("datafile")) datafile = 'demo/slow-table.txt'
if (!exists("outfile")) outfile = 'demo/slow-release.png'

set terminal pngcairo size 1200,640 font "DejaVu Sans,11" noenhanced
set output outfile
set multiplot layout 2,1 title "Short stabs, then a long note (examples/slow-release.pd: -threshold -30 -ratio 8 -attack 5 -release 80), with and without -slow_release 800"
set lmargin 12
set rmargin 3
set xrange [0:10]
set grid xtics lc rgb "#dddddd"
set xtics 0.5
set format x ""
set style data lines

unset key
set ylabel "key (MAIN)"
set yrange [-0.6:0.6]
set ytics 0.3
plot datafile using 1:2 lc rgb "#b03030" lw 1

set key at 9.9,-15 right top box opaque
set ylabel "gain on the pad (dB)"
set yrange [-24:2]
set ytics 6
set grid ytics lc rgb "#dddddd"
set format x "%g"
set xlabel "time (s)"
plot datafile using 1:4 lc rgb "#a0a0a0" lw 1.5 title "without (slow_release 0, the default)", \
     datafile using 1:3 lc rgb "#3060b0" lw 2.5 title "-slow_release 800"

unset multiplot
