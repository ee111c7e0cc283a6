#!/bin/sh
# make_scans.sh PACKAGE_YEAR_DIR OLD_PACKAGE_YEAR_DIR OUT TRUTH — the scans
# of a signed package as an office would bring them (test_archive.c), made
# from the package's own PDFs, some signature places scribbled in (e2e/sign.py:
# TRUTH gets a line per signature place of the pages filed, "signed" or
# "empty"):
#   reg.tif      U001's registration at 150 dpi grey, every other page
#                turned 90°, one skewed 3°: a multi-page TIFF; page 2 of
#                the first person's form is left out (a dropped page);
#                pages 1, 5, 9, 13 signed, 6, 10, 14 signed in places 1
#                and 3 of 4, the rest not
#   unit1.pdf    U001's quota-application, tally, notice, filing at 200 dpi
#                black-and-white (CCITT G4) and rewards grey (JPEG), turned
#                180°: an image-only PDF (tiff2pdf)
#   u2-*.jpg     U002's unit forms (its 不称职人员登记表 too) at 300 dpi grey
#                turned 270°, JPEG quality 50
#   u2-*.png     U002's registration at 150 dpi grey, skewed 3°, every
#                third page black-and-white; its pages 2 signed in places
#                2 and 4, its pages 1 not
#   dup.jpg      one of U001's pages once more (a duplicate)
#   foreign.png  a page without a code (the blank ballot)
#   stale.png    the first person's first page from OLD, an earlier run in
#                which that person's name was different
#   rn-U001-*.png  U001's 年度考核结果通知书 (one per person, signed and
#                filed like the registration), 200 dpi grey; the first
#                person's signed; the second person's page 1 stamped in
#                red, a colour TIFF (rn-U001-03.tif)
#   u2-rn-*.jpg  U002's, 300 dpi grey turned 270°, JPEG quality 50; the
#                first person's signed
set -eu
pkg=$1 old=$2 out=$3 truth=$4
t=$out/tmp
here=$(dirname "$0")
mkdir -p "$t"
: > "$truth"
sign() {  # sign PDF PAGE DPI IMAGE WHICH
  /usr/bin/python3 "$here/sign.py" "$1" "$2" "$3" "$4" "$5" "$truth"
}
pdftoppm -r 150 -gray "$pkg/U001/registration.pdf" "$t/reg"
i=0
for p in "$t"/reg-*.pgm; do
  i=$((i + 1))
  [ $i = 2 ] && { rm "$p"; continue; }           # the dropped page
  case $((i % 4)) in 1) w=all ;; 2) w=1,3 ;; *) w=none ;; esac
  sign "$pkg/U001/registration.pdf" $i 150 "$p" $w
  case $i in
    3) convert "$p" -background white -rotate 3 "$p" ;;
    *) [ $((i % 2)) = 0 ] && convert "$p" -rotate 90 "$p" ;;
  esac
  :
done
convert "$t"/reg-*.pgm -compress lzw "$out/reg.tif"
for f in quota-application tally notice filing rewards; do
  [ $f = rewards ] && mode=-gray || mode=-mono
  pdftoppm -r 200 $mode "$pkg/U001/$f.pdf" "$t/u1-$f"
done
for p in "$t"/u1-*.p?m; do convert "$p" -rotate 180 "${p%.p?m}.turned.pgm"; done
convert "$t"/u1-*.turned.pgm -units PixelsPerInch -density 200 -compress lzw "$t/unit1.tif"
tiff2pdf -j -q 75 -o "$out/unit1.pdf" "$t/unit1.tif"
for f in quota-application tally notice filing rewards incompetent; do
  [ -f "$pkg/U002/$f.pdf" ] && pdftoppm -r 300 -gray "$pkg/U002/$f.pdf" "$t/u2-$f"
done
for p in "$t"/u2-*.pgm; do n=$(basename "${p%.pgm}"); convert "$p" -rotate 270 -quality 50 "$out/$n.jpg"; done
pdftoppm -r 150 -gray "$pkg/U002/registration.pdf" "$t/u2-reg"
j=0
for p in "$t"/u2-reg-*.pgm; do
  j=$((j + 1))
  [ $((j % 2)) = 0 ] && w=2,4 || w=none
  sign "$pkg/U002/registration.pdf" $j 150 "$p" $w
  [ $((j % 3)) = 0 ] && bw="-threshold 55%" || bw=
  n=$(basename "${p%.pgm}")
  convert "$p" -background white -rotate -3 $bw "$out/$n.png"
done
pdftoppm -r 150 -gray -f 1 -l 1 "$pkg/U001/tally.pdf" "$t/dup"
convert "$t"/dup-*.pgm -quality 80 "$out/dup.jpg"
pdftoppm -r 150 -gray -f 1 -l 1 "$pkg/U001/ballot.pdf" "$t/foreign"
convert "$t"/foreign-*.pgm "$out/foreign.png"
pdftoppm -r 150 -gray -f 1 -l 1 "$old/U001/registration.pdf" "$t/stale"
convert "$t"/stale-*.pgm "$out/stale.png"
pdftoppm -r 200 -gray "$pkg/U001/result-notice.pdf" "$t/rn-U001"
j=0
for p in "$t"/rn-U001-*.pgm; do
  j=$((j + 1))
  [ $j = 1 ] && w=all || w=none
  sign "$pkg/U001/result-notice.pdf" $j 200 "$p" $w
  n=$(basename "${p%.pgm}")
  if [ $j = 3 ]; then   # stamped in red: a colour TIFF
    convert "$p" -type TrueColor -fill none -stroke red -strokewidth 8 -draw "circle 1100,880 1100,1060" \
      -compress lzw "$out/$n.tif"
  else convert "$p" "$out/$n.png"; fi
done
pdftoppm -r 300 -gray "$pkg/U002/result-notice.pdf" "$t/u2rn"
j=0
for p in "$t"/u2rn-*.pgm; do
  j=$((j + 1))
  [ $j = 1 ] && w=all || w=none
  sign "$pkg/U002/result-notice.pdf" $j 300 "$p" $w
  n=$(basename "${p%.pgm}"); convert "$p" -rotate 270 -quality 50 "$out/u2-rn-${n#u2rn-}.jpg"
done
rm -rf "$t"
