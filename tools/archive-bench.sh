#!/bin/sh
# archive-bench.sh KAOHE — scanned pages per second of `kaohe archive` at
# 200 dpi with -j2 (SPEC 6 asks >= 20): a small package's registration pages
# rendered at 200 dpi grey and saved as JPEG (what a scanner gives), filed
# 3 times each (each decoded page's signature places checked, the volumes
# written with their contents pages); the package-reading time (one page
# filed) is subtracted.
# Prints wall and CPU (user+sys) seconds: on a shared host the CPU figure is
# the one to trust.
set -eu
k=$(realpath "$1")
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
run() {  # run LABEL SCANS...: wall and CPU seconds of one archive run
  rm -rf a
  /usr/bin/time -f "%e %U %S" -o tm "$k" archive -j2 -o a --package pkg/$(ls pkg) "$@" 2>/dev/null || true
  tail -1 tm | awk '{printf "%.2f %.2f\n", $1, $2 + $3}'
}
base=$(run one)
all=$(run scans scans scans)
echo "$base $all" | awk -v p=$((3 * pages)) '{
  w = $3 - $1; c = $4 - $2;
  printf "archive: %d scanned pages at 200 dpi, -j2: %.1f s wall, %.1f s CPU beyond reading the package -> %.1f pages/s wall, %.1f pages/CPU-s\n", p, w, c, p / w, p / c }'
