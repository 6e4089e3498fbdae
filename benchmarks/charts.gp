# Draws the result charts from the data files Report writes. run.sh passes dir and the column counts
# cpu_n, alloc_n and tp_n (each data file's header: 'arm' then one word per series).
set terminal pngcairo size 1280,640 font "Sans,10" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key autotitle columnhead outside right top
set grid ytics
set xtics rotate by -25 scale 0

set output dir.'/cpu-per-request.png'
set title 'Client CPU per request at a fixed offered rate (µs, lower is better)'
set ylabel 'µs CPU / request'
plot for [i=2:cpu_n] dir.'/raw/cpu.dat' using i:xtic(1)

set output dir.'/allocation-per-request.png'
set title 'Allocation per request (KB, JMH gc.alloc.rate.norm, lower is better)'
set ylabel 'KB / request'
plot for [i=2:alloc_n] dir.'/raw/alloc.dat' using i:xtic(1)

set output dir.'/throughput-by-concurrency.png'
set title 'Closed-loop throughput by concurrency, JSON decode (req/s, information)'
set ylabel 'requests / s'
plot for [i=2:tp_n] dir.'/raw/throughput.dat' using i:xtic(1)
