#!/bin/sh
# `make test`: every unit suite, then the end-to-end suites, then one total.
# Each suite prints "name: N passed, N failed, N skipped"; the last line
# adds them up so CI reads one verdict.
NB="$1"; shift
. "$(dirname "$0")/runner.sh"
log=$(mktemp)
status=0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for t in "$@"; do
	nb_run_suite "$log" "$(basename "$t")" "$t" || status=1
done
# The layout rules (README, "The code"): which stage may include what,
# no include cycle, file and function sizes, where tests live.
# NB_SKIP_LAYOUT, like the other NB_SKIP_*, lets the runner's self-test run
# only the suites it names.
if [ -z "$NB_SKIP_LAYOUT" ]; then
	nb_run_suite "$log" layout sh tests/layout_check.sh || status=1
fi
# Browser prerequisites first: e2e_hostile's XSS corpus needs them too.
if [ -z "$NB_SKIP_BROWSER" ]; then
	sh tests/browser/setup.sh || status=1
fi
for s in tests/e2e.sh tests/e2e_*.sh; do
	[ -f "$s" ] || continue
	nb_run_suite "$log" "$(basename "$s" .sh)" sh "$s" "$NB" || status=1
done
# The determinism suite again on the ThreadSanitizer binary (Makefile,
# build/tsan): a few clean builds at 2 and 8 threads; a report stops the
# build with exit 66 and the suite fails, naming the race.
if [ -n "$NB_SKIP_TSAN" ]; then
	:
elif [ -x build/tsan/noticeboard ]; then
	( export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" NB_DET_ROUNDS=3 NB_DET_JOBS="2 8" NB_DET_NAME=tsan-determinism
	  nb_run_suite "$log" tsan-determinism sh tests/e2e_determinism.sh build/tsan/noticeboard ) || status=1
else
	echo "tsan-determinism: 0 passed, 1 failed, 0 skipped (build/tsan/noticeboard missing: make build/tsan/noticeboard)" | tee -a "$log"; status=1
fi
if [ -f tests/browser/run.sh ] && [ -z "$NB_SKIP_BROWSER" ]; then
	nb_run_suite "$log" browser sh tests/browser/run.sh "$NB" || status=1
fi
# Fuzzing smoke (each libFuzzer target a few seconds; `make fuzz` for long
# runs) and a valgrind run of the release binary on the demo.
if [ -z "$NB_SKIP_FUZZ" ]; then
	nb_run_suite "$log" fuzz-smoke make --no-print-directory fuzz-smoke || status=1
fi
if [ -n "$NB_SKIP_VALGRIND" ]; then
	:
elif make --no-print-directory build/noticeboard >/dev/null 2>&1; then
	nb_run_suite "$log" valgrind sh tests/valgrind.sh build/noticeboard || status=1
else
	echo "valgrind: 0 passed, 1 failed, 0 skipped (release build failed)" | tee -a "$log"; status=1
fi
awk '/^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed/ {
	p += $2; f += $4; if ($6 != "") s += $6 }
	END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0) }' "$log" || status=1
rm -f "$log"
exit $status
