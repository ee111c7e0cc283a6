#!/bin/sh
# archive-bench.sh KAOHE — scanned pages per second of `kaohe archive` at
# 200 dpi with -j2 (SPEC 6 asks >= 20): a small package's registration pages
# rendered at 200 dpi grey and saved as JPEG (what a scanner gives), filed
# 3 times each (each decoded page's signature places checked, the volumes
# written with their contents pages); the package-reading time (one page
# filed) is subtracted.
# ARCHIVE_RUNS=N runs (default 3): each run's line, then the medians and the
# highest peak RSS (GNU time %M) of the runs, the 1-minute load before them.
# On a shared host the CPU figure (user+sys) is the one to trust.
set -eu
k=$(realpath "$1")
runs=${ARCHIVE_RUNS:-3}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
SOURCE_DATE_EPOCH=1766966400 "$k" sample --units 2 --persons 60 > in.xml
SOURCE_DATE_EPOCH=1766966400 "$k" build -q -o pkg in.xml
mkdir scans one
for u in pkg/*/*/registration.pdf; do
  n=$(basename "$(dirname "$u")")
  pdftoppm -r 200 -gray "$u" "scans/$n"
done
for f in scans/*.pgm; do
  convert "$f" -units PixelsPerInch -density 200 -quality 75 "${f%.pgm}.jpg" && rm "$f"
done
cp "$(ls scans/*.jpg | head -1)" one/
pages=$(ls scans/*.jpg | wc -l)
run() {  # run SCANS...: wall s, CPU s, peak RSS KB of one archive run
  rm -rf a
  /usr/bin/time -f "%e %U %S %M" -o tm "$k" archive -j2 -o a --package pkg/$(ls pkg) "$@" 2>/dev/null || true
  tail -1 tm | awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}'
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "archive: load before the runs: $(cut -d' ' -f1 /proc/loadavg)"
: > res
i=0
while [ "$i" -lt "$runs" ]; do
  base=$(run one)
  all=$(run scans scans scans)
  echo "$base $all" | awk -v p=$((3 * pages)) '{
    w = $4 - $1; c = $5 - $2;
    printf "%.2f %.2f %.1f %.1f %d\n", w, c, p / w, p / c, ($6 > $3 ? $6 : $3) }' | tee -a res |
    awk -v p=$((3 * pages)) '{printf "archive run: %d pages, %.2f s wall, %.2f s CPU beyond reading the package -> %.1f pages/s wall, %.1f pages/CPU-s, peak RSS %.0f MB\n", p, $1, $2, $3, $4, $5 / 1024}'
  i=$((i + 1))
done
printf "archive: %d scanned pages at 200 dpi, -j2, median of %d runs: %s pages/s wall, %s pages/CPU-s, %s ms CPU a page; peak RSS %s MB\n" \
  $((3 * pages)) "$runs" "$(cut -d' ' -f3 res | median)" "$(cut -d' ' -f4 res | median)" \
  "$(cut -d' ' -f2 res | median | awk -v p=$((3 * pages)) '{printf "%.1f", 1000 * $1 / p}')" \
  "$(cut -d' ' -f5 res | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}')"
