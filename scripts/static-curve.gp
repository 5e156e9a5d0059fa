# The static curve of sidecar~'s gain computer (SPEC.md, pipeline step 6), drawn from its
# formula: output level against detector level, for a few ratios and knee widths.
#   gnuplot -e "outfile='docs/static-curve.png'" scripts/static-curve.gp
if (!exists("outfile")) outfile = 'demo/static-curve.png'

# g*(x) in dB for level x, threshold T, full knee width W, ratio R (S = 1 - 1/R)
gain(x, T, W, R) = (W == 0 || x <= T - W/2.0) ? (x <= T ? 0 : -(1 - 1.0/R) * (x - T)) : \
                   (x >= T + W/2.0) ? -(1 - 1.0/R) * (x - T) : \
                   -(1 - 1.0/R) * (x - T + W/2.0)**2 / (2.0 * W)
T = -18

set terminal pngcairo size 1100,520 font "DejaVu Sans,11" noenhanced
set output outfile
set multiplot layout 1,2 title "sidecar~ static curve (threshold -18 dB): output level = x + g*(x)"
set xrange [-42:6]
set yrange [-42:6]
set size ratio -1
set grid lc rgb "#dddddd"
set xtics 6
set ytics 6
set xlabel "detector level x (dB)"
set ylabel "output level (dB)"
set key top left box opaque
set samples 961
# the detector reads |L| + |R|, so it can go up to +6 dB on a full-scale stereo signal
set linetype 1 lc rgb "#1b9e77"
set linetype 2 lc rgb "#3060b0"
set linetype 3 lc rgb "#d95f02"
set linetype 4 lc rgb "#7570b3"

set title "ratios, knee 6 dB"
plot x lc rgb "#aaaaaa" dt 2 title "1:1", \
     x + gain(x, T, 6, 2)  lt 1 lw 2 title "2:1", \
     x + gain(x, T, 6, 4)  lt 2 lw 2 title "4:1 (default)", \
     x + gain(x, T, 6, 8)  lt 3 lw 2 title "8:1", \
     x + gain(x, T, 6, 20) lt 4 lw 2 title "20:1"

set title "knee widths, ratio 4:1"
plot x lc rgb "#aaaaaa" dt 2 title "1:1", \
     x + gain(x, T, 0, 4)  lt 1 lw 2 title "hard knee (0 dB)", \
     x + gain(x, T, 6, 4)  lt 2 lw 2 title "6 dB (default)", \
     x + gain(x, T, 12, 4) lt 3 lw 2 title "12 dB", \
     x + gain(x, T, 24, 4) lt 4 lw 2 title "24 dB"
unset multiplot
