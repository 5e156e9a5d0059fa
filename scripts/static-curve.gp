# The static curve of sidecar~'s gain computer (SPEC.md, pipeline step 6), drawn from its
# formula: output level against detector level, for a few ratios and knee widths, and with
# feedback 1 (SPEC step 2), where the detector reads the output y itself: y = x + g*(y), drawn as
# the parametric curve (y - g*(y), y).
#   gnuplot -e "outfile='docs/static-curve.png'" scripts/static-curve.gp
if (!exists("outfile")) outfile = 'demo/static-curve.png'

# g*(x) in dB for level x, threshold T, full knee width W, ratio R (S = 1 - 1/R)
gain(x, T, W, R) = (W == 0 || x <= T - W/2.0) ? (x <= T ? 0 : -(1 - 1.0/R) * (x - T)) : \
                   (x >= T + W/2.0) ? -(1 - 1.0/R) * (x - T) : \
                   -(1 - 1.0/R) * (x - T + W/2.0)**2 / (2.0 * W)
T = -18

set terminal pngcairo size 1560,520 font "DejaVu Sans,11" noenhanced
set output outfile
set multiplot layout 1,3 title "sidecar~ static curves (threshold -18 dB): output level against detector level, feed-forward (x + g*(x)) and feedback"
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

set title "feedback 1 (thick) against feed-forward (thin), knee 6 dB"
set xlabel "key level x (dB)"
set parametric
set trange [-42:6]
plot t, t lc rgb "#aaaaaa" dt 2 title "1:1", \
     t, t + gain(t, T, 6, 4)  lt 2 lw 1 title "4:1 feed-forward", \
     t - gain(t, T, 6, 4), t  lt 2 lw 3 title "4:1 feedback (1.75:1)", \
     t, t + gain(t, T, 6, 20) lt 4 lw 1 title "20:1 feed-forward", \
     t - gain(t, T, 6, 20), t lt 4 lw 3 title "20:1 feedback (1.95:1)"
unset parametric
unset multiplot
