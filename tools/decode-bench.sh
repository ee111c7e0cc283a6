#!/bin/sh
# decode-bench.sh PACKAGE_UNIT_DIR [OUT] — the degraded scan corpus used to choose
# the QR decoder (README, "Archiving"): every coded page of one unit's PDFs
# rendered as a scanner would give it (150 dpi grey, 150 dpi black-and-white,
# 200 dpi turned 90°, 300 dpi turned 180° and skewed 3°, 150 dpi skewed 5° and
# saved as JPEG quality 50, 600 dpi turned 270°), then both decoders over it.
set -eu
unit=$1
out=${2:-$(mktemp -d)}
here=$(dirname "$0")
mkdir -p "$out/pdf" "$out/pgm"
g++ -O2 -o "$out/decode-bench" "$here/decode-bench.cpp" -lzbar -lZXing 2>/dev/null
for f in "$unit"/*.pdf; do
  b=$(basename "$f" .pdf)
  [ "$b" = ballot ] && continue
  pdftoppm -r 150 -gray "$f" "$out/pdf/$b-g150"
  pdftoppm -r 150 -mono "$f" "$out/pdf/$b-m150"
  pdftoppm -r 200 -gray "$f" "$out/pdf/$b-g200"
  pdftoppm -r 300 -gray "$f" "$out/pdf/$b-g300"
  pdftoppm -r 600 -gray -f 1 -l 1 "$f" "$out/pdf/$b-g600"
done
for p in "$out"/pdf/*; do
  n=$(basename "$p"); n=${n%.*}
  case $n in
    *-g150-*) convert "$p" "$out/pgm/$n-up.pgm"
              convert "$p" -background white -rotate 5 -quality 50 "$out/pdf/$n.jpg"
              convert "$out/pdf/$n.jpg" "$out/pgm/$n-skew5-q50.pgm" ;;
    *-m150-*) convert "$p" -depth 8 "$out/pgm/$n-bilevel.pgm" ;;
    *-g200-*) convert "$p" -rotate 90 "$out/pgm/$n-r90.pgm" ;;
    *-g300-*) convert "$p" -background white -rotate 183 "$out/pgm/$n-r180-skew3.pgm" ;;
    *-g600-*) convert "$p" -rotate 270 "$out/pgm/$n-r270.pgm" ;;
  esac
done
echo "corpus: $(ls "$out/pgm" | wc -l) page images in $out/pgm"
for v in up bilevel r90 r180-skew3 skew5-q50 r270; do
  echo "== $v"; "$out/decode-bench" "$out"/pgm/*-"$v".pgm
done
