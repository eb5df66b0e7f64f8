#!/bin/sh
# Run the libFuzzer targets: `run.sh SECONDS BIN...` (make fuzz) or
# `run.sh smoke BIN...` (make test: a few seconds each).
#
# Seed corpora are made fresh from the demo site at each run (its Markdown
# files, its theme's templates, pairs of charter versions for the diff), so
# they follow the content as it evolves and nothing large is committed.
# Every input in tests/fuzz/regressions/<target>/ (each one a past finding)
# is replayed first: a finding, once fixed, stays fixed.
#
# Prints per target "fuzz TARGET: N execs in S s, N findings" and at the end
# "fuzz: N passed, N failed, 0 skipped" for tests/run_all.sh. Crashing
# inputs are kept in build/fuzz/findings/ to turn into regression cases.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mode=$1; shift
if [ "$mode" = smoke ]; then secs=${FUZZ_SMOKE_SECONDS:-6}; else secs=$mode; fi
TMP=$(mktemp -d /tmp/nb-fuzz.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FIND="$ROOT/build/fuzz/findings"
mkdir -p "$FIND"
passed=0; failed=0

# kind byte for fuzz_pipeline: index into its kinds[] table
kind_byte() {
	case "$1" in
	*/pages/*) printf '\000';; */meetings/*) printf '\001';;
	*/decisions/*) printf '\002';; */charters/*) printf '\003';;
	*/evaluations/*) printf '\004';; */communities/*) printf '\005';;
	*) printf '\000';;
	esac
}

seed() { # seed TARGET DIR
	t=$1; d=$2; mkdir -p "$d"; i=0
	case "$t" in
	fuzz_frontmatter)
		find "$ROOT/content" -name '*.md' | while read -r f; do i=$((i+1)); cp "$f" "$d/s$i"; done
		cp "$ROOT/site.yaml" "$d/site"
		printf -- '---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n' >"$d/alias";;
	fuzz_markdown)
		find "$ROOT/content" -name '*.md' | while read -r f; do
			i=$((i+1)); { printf '\000'; cat "$f"; } >"$d/s$i"; { printf '\001'; cat "$f"; } >"$d/u$i"; done;;
	fuzz_pipeline)
		find "$ROOT/content" -name '*.md' | while read -r f; do i=$((i+1)); { kind_byte "$f"; cat "$f"; } >"$d/s$i"; done;;
	fuzz_mustache)
		find "$ROOT/themes/default" -name '*.mustache' | while read -r f; do i=$((i+1)); cp "$f" "$d/s$i"; done
		printf '{{#page.list}}{{a}}{{> p}}{{/page.list}}\000{{> p}}' >"$d/rec";;
	fuzz_diff|fuzz_textdiff)
		for c in "$ROOT"/content/charters/*/; do
			prev=""
			for v in "$c"v*.md; do
				[ -n "$prev" ] && { i=$((i+1)); { head -c 1500 "$prev"; printf '\000'; head -c 1500 "$v"; } >"$d/s$i"; }
				prev=$v
			done
		done
		printf '删除管理\000删除停放与充电' >"$d/zh";;
	esac
}

for bin in "$@"; do
	t=$(basename "$bin")
	fail_t=0
	reg="$ROOT/tests/fuzz/regressions/$t"
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		if ! TMPDIR="$TMP" "$bin" -runs=1 "$reg"/* >"$TMP/$t.reg" 2>&1; then
			echo "  FAIL: $t: a regression input crashes again:" >&2
			tail -n 30 "$TMP/$t.reg" >&2; fail_t=1
		fi
	fi
	seed "$t" "$TMP/corpus-$t"
	TMPDIR="$TMP" "$bin" "$TMP/corpus-$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$FIND/$t-" >"$TMP/$t.log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$TMP/$t.log" | grep -o '[0-9]*$')
	findings=$(grep -c '^artifact_prefix\|Test unit written to' "$TMP/$t.log")
	if [ $rc -ne 0 ]; then
		fail_t=1
		echo "  FAIL: $t: libFuzzer exited $rc; input kept in $FIND" >&2
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$TMP/$t.log" | head -n 10 >&2
	fi
	echo "fuzz $t: ${execs:-0} execs in $secs s, $findings findings"
	if [ $fail_t -eq 0 ]; then passed=$((passed+1)); else failed=$((failed+1)); fi
done
echo "fuzz: $passed passed, $failed failed, 0 skipped"
[ $failed -eq 0 ]
