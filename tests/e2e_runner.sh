#!/bin/sh
# The test runner judges suites by their own exit status and summary, never
# by a pipe's: a suite that crashes before its summary, exits non-zero after
# "0 failed" (as LeakSanitizer does), or prints no summary fails the run.
# Each fake suite here would have passed under the old `suite | tee` runner.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/runner.sh"

mk() { printf '#!/bin/sh\n%s\n' "$2" >"$TMP/$1"; chmod +x "$TMP/$1"; }
mk good 'echo "good: 3 passed, 0 failed, 0 skipped"'
mk crash 'echo "progress"; kill -SEGV $$'
mk leak 'echo "leak: 5 passed, 0 failed, 0 skipped"; exit 23'
mk silent 'echo "nothing to report"; exit 0'
mk failing 'echo "failing: 1 passed, 2 failed, 0 skipped"; exit 1'

total() { awk '/^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed/ { f += $4 } END { print f + 0 }' "$1"; }

for s in good crash leak silent failing; do
	: >"$TMP/log.$s"
	nb_run_suite "$TMP/log.$s" "$s" "$TMP/$s" >/dev/null 2>&1
	echo $? >"$TMP/rc.$s"
done
check "a passing suite passes" test "$(cat "$TMP/rc.good")" -eq 0
check "a passing suite adds no failure" test "$(total "$TMP/log.good")" -eq 0
for s in crash leak silent; do
	check "a suite that $s fails the run" test "$(cat "$TMP/rc.$s")" -ne 0
	check "a suite that $s counts as one failure in the total" test "$(total "$TMP/log.$s")" -eq 1
done
check "a failing suite fails the run" test "$(cat "$TMP/rc.failing")" -ne 0
check "a failing suite's own count is not doubled" test "$(total "$TMP/log.failing")" -eq 2
# The real runner, end to end: a crashing unit suite makes run_all exit 1
# and its total say so; run from an empty folder, so only the given unit
# suites run (no e2e suite is found there; browser, fuzz, valgrind and
# ThreadSanitizer and the layout check skipped).
mkdir -p "$TMP/rt/tests"
cp "$ROOT/tests/runner.sh" "$TMP/rt/tests/"
( cd "$TMP/rt" && NB_SKIP_BROWSER=1 NB_SKIP_FUZZ=1 NB_SKIP_VALGRIND=1 NB_SKIP_TSAN=1 NB_SKIP_LAYOUT=1 sh "$ROOT/tests/run_all.sh" /bin/false "$TMP/good" "$TMP/crash" ) >"$TMP/ra.out" 2>&1
rc=$?
( cd "$TMP/rt" && NB_SKIP_BROWSER=1 NB_SKIP_FUZZ=1 NB_SKIP_VALGRIND=1 NB_SKIP_TSAN=1 NB_SKIP_LAYOUT=1 sh "$ROOT/tests/run_all.sh" /bin/false "$TMP/good" ) >"$TMP/rb.out" 2>&1
check "run_all.sh exits 0 when every suite passes" test $? -eq 0
check "run_all.sh exits non-zero when a unit suite crashes" test $rc -ne 0
check "run_all.sh's total counts the crash" grep -q '^total: .* [1-9][0-9]* failed' "$TMP/ra.out"
finish runner
