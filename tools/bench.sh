#!/usr/bin/env bash
# bench.sh — throughput and memory of `kaohe build` at city scale.
#
#   tools/bench.sh [KAOHE]          (default build/kaohe; `make bench` runs this)
#
# For each size it generates an input with `kaohe sample` (units = persons/50),
# runs the full build with each -j, and prints one row per (size, jobs):
#   wall s (median of runs), noise (max-min)/median, cpu s (user+sys), persons/s, registration
#   PDF pages, registration pages/s, MB written, files, peak RSS (GNU time %M,
#   highest of the runs), KB per registration page, speed-up over the first
#   -j, and the 1-minute load average before the runs (the machine may be
#   shared: compare cpu s, or better callgrind instruction counts, then).
# It also checks that every -j wrote the same MANIFEST.sha256 (same bytes).
#
# Environment:
#   BENCH_SIZES="1000 10000 100000"   persons per input (1000000: the flat-RSS check)
#   BENCH_JOBS="1 2"                  -j values
#   BENCH_RUNS=N                      runs per cell (default 3 below 100,000 persons, else 1)
#   BENCH_CMD=build|check             check: validate + compute only (no output, no pages)
#   BENCH_FORMATS=pdf|xlsx|pdf,xlsx|all   passed as --formats (default: kaohe's, pdf,xlsx)
#   BENCH_TMP=DIR                     scratch (default $TMPDIR or /tmp); removed afterwards
#   BENCH_KEEP=1                      keep the scratch directory
#   BENCH_ROSTER_ROWS="100000"        rows of the roster-import bench ("" skips it);
#                                     BENCH_SIZES="" runs the roster part alone
#   BENCH_DOCX_SIZES="10000"          persons of the DOCX-overhead bench ("" skips it): the
#                                     full build with --formats pdf,xlsx and pdf,xlsx,docx,
#                                     run alternately (so both see the same load), at
#   BENCH_DOCX_JOBS=2                 this -j, BENCH_DOCX_RUNS=5 runs of each (medians)
# A size whose full output would not fit on the scratch disk (~16 KB per
# person, plus the input) falls back to --formats pdf, then to check.
set -euo pipefail

KAOHE=${1:-build/kaohe}
SIZES=${BENCH_SIZES-1000 10000 100000}
ROSTER_ROWS=${BENCH_ROSTER_ROWS-100000}
JOBS=${BENCH_JOBS:-1 2}
CMD=${BENCH_CMD:-build}
FORMATS=${BENCH_FORMATS:-}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1766966400}
export LC_ALL=C

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$KAOHE" ] || die "$KAOHE: not an executable (run make first)"
KAOHE=$(cd "$(dirname "$KAOHE")" && pwd)/$(basename "$KAOHE")
TOOLS=$(cd "$(dirname "$0")" && pwd)
GNUTIME=/usr/bin/time
"$GNUTIME" -f %M true >/dev/null 2>&1 || die "GNU time missing (Debian package 'time')"
case "$CMD" in build|check) ;; *) die "BENCH_CMD must be build or check" ;; esac

QUIET=()
"$KAOHE" build --help 2>&1 | grep -q -- '-q, --quiet' && QUIET=(-q)

SCRATCH=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/kaohe-bench.XXXXXX")
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] && echo "bench: kept $SCRATCH" >&2 || rm -rf "$SCRATCH"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

load1() { cut -d' ' -f1 /proc/loadavg; }
avail_kb() { df -Pk "$SCRATCH" | awk 'NR==2 {print $4}'; }

# median of the numbers on stdin
median() { sort -g | awk '{v[NR]=$1} END {if (!NR) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
spread() { sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; if (NR<2||m<=0) print "-"; else printf "%.0f%%\n", 100*(v[NR]-v[1])/m}'; }

echo "kaohe bench: $("$KAOHE" --version 2>/dev/null | head -1) · $(nproc) CPUs · $(uname -r) · SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
echo "scratch: $SCRATCH ($(df -Ph "$SCRATCH" | awk 'NR==2 {print $4}') free) · command: $CMD${FORMATS:+ --formats $FORMATS}"
echo
HDR="%9s %6s %4s %8s %6s %7s %9s %8s %9s %8s %7s %8s %7s %7s %6s %5s\n"
[ -n "$SIZES" ] && printf "$HDR" persons units jobs "wall s" noise "cpu s" persons/s "reg pp" "reg pp/s" "MB" files "RSS MB" "KB/pp" speedup load runs
ROW="%9d %6d %4d %8.2f %6s %7.2f %9.0f %8s %9s %8s %7s %8.1f %7s %7s %6s %5d\n"

status=0
for P in $SIZES; do
    U=$(( P / 50 )); [ "$U" -ge 1 ] || U=1
    IN="$SCRATCH/in-$P.xml"
    "$KAOHE" sample --units "$U" --persons "$P" > "$IN" || die "kaohe sample failed"
    in_kb=$(( $(stat -c %s "$IN") / 1024 ))

    cmd=$CMD fmt=$FORMATS note=""
    if [ "$cmd" = build ]; then
        need=$(( P * 16 + P * 16 / 10 ))          # full package ~16 KB/person + 10%
        [ "$fmt" = xlsx ] && need=$(( P * 3 ))
        if [ "$(avail_kb)" -lt "$need" ]; then
            if [ -z "$fmt" ] && [ "$(avail_kb)" -lt $(( P * 15 )) ]; then cmd=check; note="(disk: check only)"
            elif [ -z "$fmt" ]; then fmt=pdf; note="(disk: --formats pdf)"
            else cmd=check; note="(disk: check only)"; fi
        fi
    fi
    runs=${BENCH_RUNS:-$([ "$P" -ge 100000 ] && echo 1 || echo 3)}
    base_wall="" ref_manifest=""
    for J in $JOBS; do
        ld=$(load1)
        : > "$SCRATCH/walls"; : > "$SCRATCH/rss"; : > "$SCRATCH/cpus"
        OUT="$SCRATCH/out"
        for r in $(seq 1 "$runs"); do
            rm -rf "$OUT"
            args=("$cmd" "${QUIET[@]}" -j "$J" -o "$OUT")
            [ -n "$fmt" ] && [ "$cmd" = build ] && args+=(--formats "$fmt")
            rc=0
            "$GNUTIME" -f '%e %M %U %S' -o "$SCRATCH/time" "$KAOHE" "${args[@]}" "$IN" \
                >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || rc=$?
            if [ "$rc" -gt 1 ]; then   # 1: some unit has an error finding (still a full run)
                echo "bench: kaohe ${args[*]} exited $rc:" >&2; tail -5 "$SCRATCH/stderr" >&2
                status=1; continue 2
            fi
            read -r t_wall t_rss t_user t_sys < <(tail -1 "$SCRATCH/time")
            echo "$t_wall" >> "$SCRATCH/walls"
            echo "$t_rss" >> "$SCRATCH/rss"
            awk -v u="$t_user" -v s="$t_sys" 'BEGIN {print u + s}' >> "$SCRATCH/cpus"
            # output of the last run is measured below; drop the others now
            [ "$r" -lt "$runs" ] && rm -rf "$OUT"
        done
        wall=$(median < "$SCRATCH/walls"); noise=$(spread < "$SCRATCH/walls")
        cpu=$(median < "$SCRATCH/cpus")
        rss_mb=$(sort -g "$SCRATCH/rss" | tail -1 | awk '{printf "%.1f", $1/1024}')
        pages="-" pps="-" mb="-" files="-" kbpp="-" speed="-"
        if [ "$cmd" = build ]; then
            # libharu writes each page object's "/Type /Page" on a line of its own
            pages=$(find "$OUT" -name registration.pdf -print0 | xargs -0 -r cat | grep -ac '^/Type /Page$' || true)
            regbytes=$(find "$OUT" -name registration.pdf -printf '%s\n' | awk '{s+=$1} END {print s+0}')
            read -r bytes files < <(find "$OUT" -type f -printf '%s\n' | awk '{s+=$1; n++} END {print s+0, n+0}')
            mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')
            if [ "$pages" -gt 0 ]; then
                pps=$(awk -v p="$pages" -v w="$wall" 'BEGIN {printf "%.0f", (w > 0 ? p/w : 0)}')
                kbpp=$(awk -v b="$regbytes" -v p="$pages" 'BEGIN {printf "%.1f", b/p/1024}')
            fi
            m=$(find "$OUT" -name MANIFEST.sha256 -print0 | sort -z | xargs -0 -r cat | sha256sum | cut -c1-16)
            if [ -z "$ref_manifest" ]; then ref_manifest=$m
            elif [ "$m" != "$ref_manifest" ]; then note="$note MANIFEST DIFFERS from -j$(set -- $JOBS; echo $1)!"; status=1; fi
        fi
        rm -rf "$OUT"
        [ -z "$base_wall" ] && base_wall=$wall
        speed=$(awk -v a="$base_wall" -v b="$wall" 'BEGIN {printf "%.2f", (b > 0 ? a/b : 0)}')
        printf "$ROW" "$P" "$U" "$J" "$wall" "$noise" "$cpu" "$(awk -v p="$P" -v w="$wall" 'BEGIN {print (w > 0 ? p/w : 0)}')" \
            "$pages" "$pps" "$mb" "$files" "$rss_mb" "$kbpp" "$speed" "$ld" "$runs"
    done
    [ -n "$note" ] && echo "          $P persons: input ${in_kb} KB $note"
    rm -f "$IN"
done
# --- DOCX overhead: what --formats docx adds to a full build -----------------
# The same input built with pdf,xlsx (the default) and pdf,xlsx,docx, one run
# of each in turn, so a change in the machine's load falls on both alike.
DOCX_SIZES=${BENCH_DOCX_SIZES-10000}
if [ -n "$DOCX_SIZES" ]; then
    DJ=${BENCH_DOCX_JOBS:-2}
    DRUNS=${BENCH_DOCX_RUNS:-5}
    echo
    DHDR="%9s %4s %-15s %8s %6s %7s %8s %7s %8s %6s %5s\n"
    printf "$DHDR" persons jobs formats "wall s" noise "cpu s" "MB" files "RSS MB" load runs
    for P in $DOCX_SIZES; do
        U=$(( P / 50 )); [ "$U" -ge 1 ] || U=1
        IN="$SCRATCH/docx-$P.xml"
        "$KAOHE" sample --units "$U" --persons "$P" > "$IN" || die "kaohe sample failed"
        if [ "$(avail_kb)" -lt $(( P * 24 )) ]; then
            echo "          $P persons: skipped (disk: ~24 KB a person needed)"; rm -f "$IN"; continue
        fi
        ld=$(load1)
        for f in base docx; do : > "$SCRATCH/w-$f"; : > "$SCRATCH/c-$f"; : > "$SCRATCH/r-$f"; done
        for r in $(seq 1 "$DRUNS"); do
            for f in base docx; do
                fmts=pdf,xlsx; [ "$f" = docx ] && fmts=pdf,xlsx,docx
                OUT="$SCRATCH/out-$f"; rm -rf "$OUT"
                rc=0
                "$GNUTIME" -f '%e %M %U %S' -o "$SCRATCH/time" "$KAOHE" build "${QUIET[@]}" -j "$DJ" \
                    --formats "$fmts" -o "$OUT" "$IN" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || rc=$?
                if [ "$rc" -gt 1 ]; then
                    echo "bench: kaohe build --formats $fmts exited $rc:" >&2; tail -5 "$SCRATCH/stderr" >&2
                    status=1; continue 3
                fi
                read -r t_wall t_rss t_user t_sys < <(tail -1 "$SCRATCH/time")
                echo "$t_wall" >> "$SCRATCH/w-$f"; echo "$t_rss" >> "$SCRATCH/r-$f"
                awk -v u="$t_user" -v s="$t_sys" 'BEGIN {print u + s}' >> "$SCRATCH/c-$f"
                [ "$r" -lt "$DRUNS" ] && rm -rf "$OUT"
            done
        done
        for f in base docx; do
            fmts=pdf,xlsx; [ "$f" = docx ] && fmts=pdf,xlsx,docx
            read -r bytes files < <(find "$SCRATCH/out-$f" -type f -printf '%s\n' | awk '{s+=$1; n++} END {print s+0, n+0}')
            printf "%9d %4d %-15s %8.2f %6s %7.2f %8.1f %7d %8.1f %6s %5d\n" "$P" "$DJ" "$fmts" \
                "$(median < "$SCRATCH/w-$f")" "$(spread < "$SCRATCH/w-$f")" "$(median < "$SCRATCH/c-$f")" \
                "$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')" "$files" \
                "$(sort -g "$SCRATCH/r-$f" | tail -1 | awk '{printf "%.1f", $1/1024}')" "$ld" "$DRUNS"
            rm -rf "$SCRATCH/out-$f"
        done
        awk -v bw="$(median < "$SCRATCH/w-base")" -v dw="$(median < "$SCRATCH/w-docx")" \
            -v bc="$(median < "$SCRATCH/c-base")" -v dc="$(median < "$SCRATCH/c-docx")" -v p="$P" \
            'BEGIN {printf "%9d docx adds %+.1f%% wall, %+.1f%% cpu (medians; target: at most +30%%)\n", p,
                    (bw > 0 ? 100 * (dw - bw) / bw : 0), (bc > 0 ? 100 * (dc - bc) / bc : 0)}'
        rm -f "$IN"
    done
fi
# --- roster import (SPEC 2.1): `kaohe import ROSTER.xlsx > input.xml` ---------
# Two rosters per size, both from `kaohe sample` through `roster-template
# --from` (libxlsxwriter, inline strings): "full" carries the sample's
# 个人总结 (~1,000 characters a person), "plain" is the same roster without
# them, as HR rosters are usually kept; "csv" is the plain roster saved one
# sheet a file (tools/roster-csv.py, UTF-8). Rows/s by wall and by CPU seconds.
if [ -n "$ROSTER_ROWS" ]; then
    echo
    RHDR="%9s %6s %9s %8s %6s %7s %10s %10s %8s %6s %5s\n"
    printf "$RHDR" rows roster "file MB" "wall s" noise "cpu s" "rows/s" "rows/cpu-s" "RSS MB" load runs
    for R in $ROSTER_ROWS; do
        U=$(( R / 50 )); [ "$U" -ge 1 ] || U=1
        "$KAOHE" sample --units "$U" --persons "$R" > "$SCRATCH/r.xml" || die "kaohe sample failed"
        sed -e 's|<summary>.*</summary>||' "$SCRATCH/r.xml" > "$SCRATCH/r-plain.xml"
        "$KAOHE" roster-template --from "$SCRATCH/r.xml" -o "$SCRATCH/full.xlsx" || die "roster-template failed"
        "$KAOHE" roster-template --from "$SCRATCH/r-plain.xml" -o "$SCRATCH/plain.xlsx" || die "roster-template failed"
        rm -f "$SCRATCH/r.xml" "$SCRATCH/r-plain.xml"
        kinds="plain full"
        if python3 "$TOOLS/roster-csv.py" "$SCRATCH/plain.xlsx" "$SCRATCH/csv" 2>"$SCRATCH/stderr"; then kinds="$kinds csv"
        else echo "bench: no CSV roster (tools/roster-csv.py failed):" >&2; tail -3 "$SCRATCH/stderr" >&2; fi
        runs=${BENCH_RUNS:-3}
        for kind in $kinds; do
            if [ "$kind" = csv ]; then roster=("$SCRATCH/csv/考核.csv" "$SCRATCH/csv/单位.csv" "$SCRATCH/csv/人员.csv")
                mb=$(cat "${roster[@]}" | wc -c | awk '{print $1/1e6}')
            else roster=("$SCRATCH/$kind.xlsx"); mb=$(awk -v b="$(stat -c %s "${roster[0]}")" 'BEGIN {print b/1e6}'); fi
            ld=$(load1)
            : > "$SCRATCH/walls"; : > "$SCRATCH/rss"; : > "$SCRATCH/cpus"
            for r in $(seq 1 "$runs"); do
                "$GNUTIME" -f '%e %M %U %S' -o "$SCRATCH/time" "$KAOHE" import -q "${roster[@]}" \
                    >"$SCRATCH/imported.xml" 2>"$SCRATCH/stderr" || { echo "bench: import $kind failed:" >&2; tail -3 "$SCRATCH/stderr" >&2; status=1; continue 2; }
                read -r t_wall t_rss t_user t_sys < <(tail -1 "$SCRATCH/time")
                echo "$t_wall" >> "$SCRATCH/walls"; echo "$t_rss" >> "$SCRATCH/rss"
                awk -v u="$t_user" -v s="$t_sys" 'BEGIN {print u + s}' >> "$SCRATCH/cpus"
            done
            n=$(grep -c '<person ' "$SCRATCH/imported.xml" || true)
            [ "$n" = "$R" ] || { echo "bench: $kind: $n persons out of $R rows" >&2; status=1; }
            wall=$(median < "$SCRATCH/walls"); cpu=$(median < "$SCRATCH/cpus")
            printf "%9d %6s %9.1f %8.2f %6s %7.2f %10.0f %10.0f %8.1f %6s %5d\n" "$R" "$kind" \
                "$mb" "$wall" "$(spread < "$SCRATCH/walls")" "$cpu" \
                "$(awk -v r="$R" -v w="$wall" 'BEGIN {print (w > 0 ? r/w : 0)}')" \
                "$(awk -v r="$R" -v c="$cpu" 'BEGIN {print (c > 0 ? r/c : 0)}')" \
                "$(sort -g "$SCRATCH/rss" | tail -1 | awk '{printf "%.1f", $1/1024}')" "$ld" "$runs"
        done
        rm -rf "$SCRATCH/full.xlsx" "$SCRATCH/plain.xlsx" "$SCRATCH/csv" "$SCRATCH/imported.xml"
    done
    echo "roster import: target 100,000 rows at >= 50,000 rows/s in <= 60 MB peak RSS (rows/s by wall; rows/cpu-s by user+sys)."
fi

echo
echo "wall: median of runs (GNU time %e); noise: (max-min)/median of wall; cpu: user+sys (median);"
echo "RSS: highest GNU time %M of the runs; load: 1-minute load average before the cell (shared machine?);"
echo "reg pp: registration.pdf pages; KB/pp: registration.pdf bytes per page; speedup: wall(first -j)/wall."
echo "total bench time: $(( SECONDS / 60 )) min $(( SECONDS % 60 )) s"
[ -n "${ref_manifest:-}" ] && [ "$status" = 0 ] && [ "$CMD" = build ] && echo "MANIFEST.sha256: identical across -j $JOBS for every size."
exit $status
