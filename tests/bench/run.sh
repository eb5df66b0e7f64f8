#!/bin/sh
# run.sh - the performance benchmark (`make bench`).
#
#   sh tests/bench/run.sh build/noticeboard
#
# For each corpus shape in BENCH_SHAPES (default "wide deep"; also "many";
# see
# tests/bench/README.md) and each size in BENCH_SIZES (default "1000 10000
# 50000") it generates a deterministic corpus (tests/bench/gen_corpus.c,
# seed BENCH_SEED; BENCH_REWRITTEN, the deep shape's percentage of charter
# versions rewritten rather than amended; BENCH_BASE_URL, its site.yaml's
# base_url, by default an absolute one as a published site has, which
# gives every meeting's and decision's notice a QR code: "/" gives the
# corpus of the runs before 2026-12-07's eighteenth), checks it with `noticeboard
# check`, then times, as the median of BENCH_RUNS runs (default 3;
# BENCH_RUNS_LARGE, default 1, for sizes above 20,000 so a full run stays
# within the hour; the full build always BENCH_RUNS times, as the growth
# target is read from it, and one 50,000-document full build took from
# 12.0 to 15.9 s on the same machine in one afternoon; each run of a
# no-op row is the mean of BENCH_NOOP_REPEAT, default 20, back to back):
#   full build, no-op rebuild, rebuild after one changed meeting, rebuild
#   after one changed template, publish, re-publish after one change,
#   Hugo's full build of the same corpus (when hugo is installed), and the
#   floor (tests/bench/floor.c: read every source, write the same number of
#   output files of the same sizes).
# Peak memory is the maximum resident set size from /usr/bin/time -f %M.
# The audit repository's size after the first publication, and what each
# re-publish adds to it, are printed too: the site serves it (/audit.git/)
# and every auditor's clone downloads all of it.
# Everything is printed as one table per shape at the end, each row with
# the target issue #15 sets for it and whether this run met it; progress
# goes to stderr.
#
# Work happens in BENCH_DIR (default /tmp/noticeboard-bench), which is
# removed and recreated. `sync` runs before each timed run so one run's
# write-back does not land on the next one's clock.
set -eu

NB=${1:?usage: run.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$(pwd)/$NB ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
SIZES=${BENCH_SIZES:-"1000 10000 50000"}
SHAPES=${BENCH_SHAPES:-"wide deep"}
REWRITTEN=${BENCH_REWRITTEN:-10}
BASE_URL=${BENCH_BASE_URL:-https://bench.example.org/}
RUNS=${BENCH_RUNS:-3}
RUNS_LARGE=${BENCH_RUNS_LARGE:-1}
SEED=${BENCH_SEED:-42}
NOOP_REPEAT=${BENCH_NOOP_REPEAT:-20}
WORK=${BENCH_DIR:-/tmp/noticeboard-bench}
ASOF=2026-11-25
CC=${CC:-cc}

log() { printf '%s\n' "$*" >&2; }

# ---- tools: GNU time always, hugo for the comparison (never for make test)
need_pkg() { # command package
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || { log "bench: $1 missing (apt-get install $2)"; return 1; }
	log "bench: installing $2"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1; } ||
		{ log "bench: could not install $2"; return 1; }
}
[ -x /usr/bin/time ] || need_pkg /usr/bin/time time || { log "bench: /usr/bin/time is required"; exit 3; }
HUGO=
if [ "${BENCH_HUGO:-1}" = 1 ] && need_pkg hugo hugo; then HUGO=$(command -v hugo); fi

rm -rf "$WORK"
mkdir -p "$WORK"
$CC -std=c17 -O2 -Wall -Wextra -Werror -o "$WORK/gen_corpus" "$HERE/gen_corpus.c"
$CC -std=c17 -O2 -Wall -Wextra -Werror -o "$WORK/floor" "$HERE/floor.c"

HAS_PUBLISH=0
"$NB" publish --help >/dev/null 2>&1 && HAS_PUBLISH=1

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME RUNS PREP CMD...: runs PREP (untimed, a shell snippet, gets
# $i), syncs, then times CMD; appends "secs rss_kb user sys" lines to
# $WORK/NAME.t. With REPEAT=K set, each run times K back-to-back runs of
# CMD and records their mean: /usr/bin/time counts in hundredths of a
# second, too coarse for a 50 ms target (a 48 ms no-op read 0.04 or 0.05
# by chance), and the shell's fork between runs is counted, never hidden.
measure() {
	_name=$1 _runs=$2 _prep=$3 _rep=${REPEAT:-1}
	shift 3
	if [ "$_rep" -gt 1 ]; then
		set -- sh -c 'k=$1; shift; while [ "$k" -gt 0 ]; do "$@" || exit; k=$((k - 1)); done' \
			sh "$_rep" "$@"
	fi
	: >"$WORK/$_name.t"
	i=1
	while [ "$i" -le "$_runs" ]; do
		eval "$_prep"
		sync
		if ! /usr/bin/time -f '%e %M %U %S' -o "$WORK/tm" "$@" >"$WORK/$_name.out" 2>&1; then
			log "bench: $_name failed:"; tail -5 "$WORK/$_name.out" >&2; exit 3
		fi
		tail -1 "$WORK/tm" | awk -v k="$_rep" '{ if (k > 1) printf "%.3f %s %.4f %.4f\n", $1 / k, $2, $3 / k, $4 / k; else print }' \
			>>"$WORK/$_name.t"
		i=$((i + 1))
	done
	_t=$(awk '{print $1}' "$WORK/$_name.t" | median)
	_c=$(awk -v k="$_rep" '{printf (k > 1 ? "%.3f\n" : "%.2f\n"), $3 + $4}' "$WORK/$_name.t" | median)
	_m=$(awk '{print $2}' "$WORK/$_name.t" | sort -g | tail -1)
	log "  $_name: ${_t} s, cpu ${_c} s, $((_m / 1024)) MB  (runs: $(awk '{printf "%s ", $1}' "$WORK/$_name.t"))"
	echo "$_t $((_m / 1024)) $_c" >"$WORK/$_name.res"
}

ROWS="full noop meeting template publish republish nextday nooppub hugo floor"
label() {
	case $1 in
	full) echo "full build" ;; noop) echo "no-op rebuild" ;;
	meeting) echo "rebuild, 1 meeting changed" ;; template) echo "rebuild, 1 template changed" ;;
	publish) echo "publish (first)" ;; republish) echo "re-publish, 1 change" ;;
	nextday) echo "re-publish, 1 change, next day" ;;
	nooppub) echo "no-op rebuild, published" ;;
	hugo) echo "hugo full build" ;; floor) echo "floor (read all + write all)" ;;
	esac
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for shape in $SHAPES; do
	case $shape in
	wide | many) gen_opts= ;;
	deep) gen_opts="--rewritten $REWRITTEN" ;;
	*) log "bench: unknown shape '$shape' in BENCH_SHAPES (wide, deep, many)"; exit 2 ;;
	esac
	for n in $SIZES; do
		r=$RUNS
		[ "$n" -gt 20000 ] && r=$RUNS_LARGE
		site=$WORK/$shape$n
		log "bench: $shape shape, N=$n ($r runs each)"
		"$WORK/gen_corpus" --shape "$shape" $gen_opts --base-url "$BASE_URL" --seed "$SEED" \
			--docs "$n" --out "$site"
		"$NB" -q -s "$site" check || { log "bench: the $shape corpus of $n documents does not pass check"; exit 3; }
		# A secretary's files are older than the racy-clean window of the
		# document memo (generator/load/doccache.h); freshly generated ones are not.
		sleep 2.1
		MEETING=$(find "$site/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
		build() { "$NB" -q -s "$site" build --as-of $ASOF; }

		# A full build: no output, no previous generation, no cache or memo.
		measure "full.$shape.$n" "$RUNS" 'rm -rf "$site/public" "$site/public.previous" "$site/.noticeboard-cache"' \
			"$NB" -q -s "$site" build --as-of $ASOF
		REPEAT=$NOOP_REPEAT measure "noop.$shape.$n" "$r" ':' "$NB" -q -s "$site" build --as-of $ASOF
		measure "meeting.$shape.$n" "$r" 'printf "\n基准修改第%s次。\n" "$i" >>"$MEETING"' \
			"$NB" -q -s "$site" build --as-of $ASOF
		# A template change: a site-level override of the meeting layout.
		mkdir -p "$site/themes/default/layouts"
		measure "template.$shape.$n" "$r" \
			'{ cat "$HERE/../../themes/default/layouts/meeting.mustache"; echo "<!-- bench $i -->"; } >"$site/themes/default/layouts/meeting.mustache"' \
			"$NB" -q -s "$site" build --as-of $ASOF
		rm -rf "$site/themes"
		build

		if [ "$HAS_PUBLISH" = 1 ]; then
			export NB_PUBLISHER="Bench <bench@example.org>"
			measure "publish.$shape.$n" "$r" 'rm -rf "$site/audit.git" "$site/public" "$site/public.previous"' \
				"$NB" -q -s "$site" publish -m bench --as-of $ASOF
			# What each publication adds to the audit repository, which
			# the site serves (/audit.git/) and every auditor clones.
			repo0=$(du -sk "$site/audit.git" | cut -f1)
			measure "republish.$shape.$n" "$r" 'printf "\n再次修改第%s次。\n" "$i" >>"$MEETING"' \
				"$NB" -q -s "$site" publish -m "bench $i" --as-of $ASOF
			echo "$repo0 $(du -sk "$site/audit.git" | cut -f1) $r" >"$WORK/repo.$shape.$n"
			# The usual publish: another day than the last, so whatever
			# the date decides (overdue decisions, statuses) changes too.
			measure "nextday.$shape.$n" "$r" \
				'printf "\n次日修改第%s次。\n" "$i" >>"$MEETING"; date -d "$ASOF + $i day" +%F >"$WORK/asof"' \
				sh -c 'exec "$0" -q -s "$1" publish -m "next day" --as-of "$(cat "$2")"' \
				"$NB" "$site" "$WORK/asof"
			# A published site's no-op: the build before it names the
			# publications' history, which it must not read again.
			REPEAT=$NOOP_REPEAT measure "nooppub.$shape.$n" "$r" 'build' "$NB" -q -s "$site" build --as-of $ASOF
			rm -rf "$site/audit.git"
		fi

		# Reference output for the floor: a clean build's tree.
		rm -rf "$site/public" "$site/public.previous"
		build
		: >"$WORK/floor.$shape.$n.t"
		i=1
		while [ "$i" -le "$r" ]; do
			rm -rf "$WORK/floor-out"
			sync
			/usr/bin/time -f '%U %S' -o "$WORK/tm" "$WORK/floor" "$site/content" "$site/public" "$WORK/floor-out" |
				awk '{print $1}' >"$WORK/fl1"
			echo "$(cat "$WORK/fl1") $(awk '{printf "%.2f", $1 + $2}' "$WORK/tm")" >>"$WORK/floor.$shape.$n.t"
			i=$((i + 1))
		done
		rm -rf "$WORK/floor-out"
		echo "$(awk '{print $1}' "$WORK/floor.$shape.$n.t" | median) - $(awk '{print $2}' "$WORK/floor.$shape.$n.t" | median)" >"$WORK/floor.$shape.$n.res"
		log "  floor.$shape.$n: $(cut -d' ' -f1 "$WORK/floor.$shape.$n.res") s"
		find "$site/public" -type f | wc -l >"$WORK/files.$shape.$n"

		h=$WORK/hugo-$shape$n
		if [ -n "$HUGO" ]; then
			mkdir -p "$h"
			cp -r "$HERE/hugo/." "$h/"
			sed -i "s|^baseURL: .*|baseURL: $BASE_URL|" "$h/hugo.yaml"
			ln -s "$site/content" "$h/content"
			measure "hugo.$shape.$n" "$r" 'rm -rf "$h/public" "$h/resources"' \
				"$HUGO" --quiet -s "$h" -d "$h/public"
		fi
		rm -rf "$site" "$h"
	done
done

# ---- the tables, one per shape
#
# Issue #15's targets: "SIZE:LIMIT ..." per row, LIMIT in wall seconds (or
# MB for the peak memory row; the full build's time target is the ratio to
# Hugo, judged on wall and on CPU time);
# "*" is every size. Sizes this run did not measure are left out of the
# verdict; none measured reads "not measured".
target_of() {
	case $1 in
	peak) echo "10000:100 50000:400" ;;
	noop | nooppub) echo "10000:0.05" ;;
	meeting) echo "10000:0.15 50000:0.5" ;;
	republish) echo "10000:0.3" ;;
	ratio_hugo) echo "10000:0.3333 50000:0.3333" ;;
	growth) echo "10000>50000:5.5" ;;
	esac
}
target_label() {
	case $1 in
	peak) echo "<= 100 MB @10k, 400 @50k" ;;
	noop | nooppub) echo "<= 0.05 s @10k" ;;
	meeting) echo "<= 0.15 s @10k, 0.5 s @50k" ;;
	republish) echo "<= 0.3 s @10k" ;;
	ratio_hugo) echo "wall, cpu <= 1/3 @10k, @50k" ;;
	growth) echo "<= x5.5" ;;
	esac
}
# The peak memory target is the process's, whatever it was asked to do:
# it is judged on the highest peak among our rows (not Hugo's or the
# floor's). peak SHAPE N: "MB ROW" of that row, or nothing.
OUR_ROWS="full noop meeting template publish republish nextday nooppub"
peak() {
	for _r in $OUR_ROWS; do
		[ -f "$WORK/$_r.$1.$2.res" ] && echo "$(cut -d' ' -f2 "$WORK/$_r.$1.$2.res") $_r"
	done | sort -n -k1,1 | tail -n 1
}
# value SHAPE ROW N: the measured figure a target compares (MB for the
# peak, wall seconds otherwise, wall then CPU ratio for ratio_hugo), or nothing.
value() {
	case $2 in
	peak) peak "$1" "$3" | cut -d' ' -f1 ;;
	full_time) [ -f "$WORK/full.$1.$3.res" ] && cut -d' ' -f1 "$WORK/full.$1.$3.res" ;;
	ratio_hugo) # wall and CPU: both must be within the target
		[ -f "$WORK/full.$1.$3.res" ] && [ -f "$WORK/hugo.$1.$3.res" ] &&
			for _f in 1 3; do
				awk -v a="$(cut -d' ' -f$_f "$WORK/full.$1.$3.res")" \
					-v b="$(cut -d' ' -f$_f "$WORK/hugo.$1.$3.res")" \
					'BEGIN { if (b > 0) printf "%.4f\n", a / b }'
			done ;;
	*) [ -f "$WORK/$2.$1.$3.res" ] && cut -d' ' -f1 "$WORK/$2.$1.$3.res" ;;
	esac
	return 0
}
# verdict SHAPE ROW: "TARGET: met" / "not met" / "not measured", or nothing
# for a row without a target.
verdict() {
	_spec=$(target_of "$2")
	[ -n "$_spec" ] || return 0
	_seen=0 _bad=0
	for _t in $_spec; do
		_sz=${_t%%:*} _lim=${_t#*:}
		if [ "$2" = growth ]; then
			_a=$(value "$1" full_time "${_sz%%>*}") _b=$(value "$1" full_time "${_sz#*>}")
			_v=
			[ -n "$_a" ] && [ -n "$_b" ] &&
				_v=$(awk -v a="$_a" -v b="$_b" 'BEGIN { if (a > 0) printf "%.4f\n", b / a }')
			_vals=$_v
		elif [ "$_sz" = "*" ]; then
			_vals=$(for _n in $SIZES; do value "$1" "$2" "$_n"; done)
		else
			_vals=$(value "$1" "$2" "$_sz")
		fi
		for _v in $_vals; do
			_seen=1
			awk -v v="$_v" -v l="$_lim" 'BEGIN { exit !(v > l) }' && _bad=1
		done
	done
	if [ "$_seen" = 0 ]; then _m="not measured"
	elif [ "$_bad" = 1 ]; then _m="not met"
	else _m="met"; fi
	printf ' | %-32s %s' "$(target_label "$2")" "$_m"
}

table() { # SHAPE
	shape=$1
	case $shape in
	wide) printf '\nwide shape: one community per 500 documents, 3 charter versions each, ~10 years\n' ;;
	deep) printf '\ndeep shape: one community per 1,000 documents, each ~500 meetings, ~50 charter versions (%s %% rewritten), ~100 quarterly evaluations\n' "$REWRITTEN" ;;
	many) printf '\nmany shape: one community per 10 documents, 20 to a street, each ~4 meetings, ~2 decisions, a charter, ~2 evaluations\n' ;;
	esac
	printf '%-30s' "N documents"
	for n in $SIZES; do printf ' | %6s: wall s  cpu s    MB' "$n"; done
	printf ' | %-32s %s\n%-30s' "target (issue #15)" "met?" "output files"
	for n in $SIZES; do printf ' | %28s' "$(cat "$WORK/files.$shape.$n")"; done
	printf '\n'
	for row in $ROWS; do
		printf '%-30s' "$(label $row)"
		for n in $SIZES; do
			if [ -f "$WORK/$row.$shape.$n.res" ]; then
				set -- $(cat "$WORK/$row.$shape.$n.res")
				printf ' | %14s %7s %5s' "$1" "$3" "$2"
			else
				printf ' | %14s %7s %5s' "n/a" "n/a" "n/a"
			fi
		done
		verdict "$shape" "$row"
		printf '\n'
	done
	printf '%-30s' "peak memory, highest row"
	for n in $SIZES; do
		printf ' | %28s' "$(peak "$shape" "$n" | awk '{ printf "%s MB (%s)", $1, $2 } END { if (!NR) printf "n/a" }')"
	done
	verdict "$shape" peak
	printf '\n'
	ratio() { # row1 row2 label [target]
		printf '%-30s' "$3"
		for n in $SIZES; do
			if [ -f "$WORK/$1.$shape.$n.res" ] && [ -f "$WORK/$2.$shape.$n.res" ]; then
				printf ' | %28s' "$(awk -v a="$(cut -d' ' -f1 "$WORK/$1.$shape.$n.res")" \
					-v b="$(cut -d' ' -f1 "$WORK/$2.$shape.$n.res")" \
					-v c="$(cut -d' ' -f3 "$WORK/$1.$shape.$n.res")" \
					-v e="$(cut -d' ' -f3 "$WORK/$2.$shape.$n.res")" \
					'BEGIN { if (b > 0) printf "wall %.2fx", a / b; else printf "-"; if (e > 0) printf ", cpu %.2fx", c / e }')"
			else
				printf ' | %28s' "n/a"
			fi
		done
		[ -z "${4:-}" ] || verdict "$shape" "$4"
		printf '\n'
	}
	printf '%-30s' "audit repository"
	for n in $SIZES; do
		if [ -f "$WORK/repo.$shape.$n" ]; then
			printf ' | %28s' "$(awk '{ printf "%.1f MB, +%.1f MB a re-publish", $1 / 1024, ($2 - $1) / $3 / 1024 }' "$WORK/repo.$shape.$n")"
		else
			printf ' | %28s' "n/a"
		fi
	done
	printf '\n'
	ratio full hugo "full build / hugo" ratio_hugo
	ratio full floor "full build / floor"
	prev=
	for n in $SIZES; do
		if [ -n "$prev" ]; then
			printf 'growth %s -> %s docs: full build x%s (linear: x%s)' "$prev" "$n" \
				"$(awk -v a="$(cut -d' ' -f1 "$WORK/full.$shape.$n.res")" -v b="$(cut -d' ' -f1 "$WORK/full.$shape.$prev.res")" 'BEGIN { printf "%.2f", a / b }')" \
				"$(awk -v a="$n" -v b="$prev" 'BEGIN { printf "%.1f", a / b }')"
			[ "$prev" = 10000 ] && [ "$n" = 50000 ] && verdict "$shape" growth
			printf '\n'
		fi
		prev=$n
	done
	# A growth target whose sizes were not both measured still shows.
	case " $SIZES " in *" 10000 50000 "*) ;; *) printf '%-59s%s\n' "growth 10000 -> 50000 docs" "$(verdict "$shape" growth)" ;; esac
}

{
	printf '\nnoticeboard benchmark: %s cores, seed %s, medians (runs: %s; %s above 20,000 docs, but %s of the full build; a no-op run is the mean of %s back to back)\n' \
		"$(nproc)" "$SEED" "$RUNS" "$RUNS_LARGE" "$RUNS" "$NOOP_REPEAT"
	printf 'load average at start: %s, at end: %s (other work on the machine inflates wall times; cpu = user + sys of the process)\n' \
		"$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)"
	for shape in $SHAPES; do table "$shape"; done
}
