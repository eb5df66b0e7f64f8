# Sourced by tests/run_all.sh and tests/e2e_runner.sh: how one suite is run
# and judged. A suite passes only when it exits 0 *and* printed its summary
# line ("name: N passed, 0 failed"). The exit status is taken from the suite
# itself, not from the `tee` that copies its output into the log (a plain
# `suite | tee` pipeline in POSIX sh reports tee's status, which let a suite
# that crashed, or that LeakSanitizer failed after its summary, pass the run).
#
#   nb_run_suite LOG NAME COMMAND [ARG...]
#
# appends the suite's output to LOG; when the suite fails without saying so
# in a summary of its own (a crash, a non-zero exit after "0 failed", no
# summary at all), it appends "NAME: 0 passed, 1 failed, 0 skipped" so the
# total counts it. Returns 0 when the suite passed, 1 otherwise.
nb_run_suite() {
	_log=$1; _name=$2; shift 2
	_out=$(mktemp); _rcf=$(mktemp)
	{ "$@"; echo $? >"$_rcf"; } 2>&1 | tee "$_out"
	_rc=$(cat "$_rcf"); [ -n "$_rc" ] || _rc=1
	cat "$_out" >>"$_log"
	_summ=$(grep -cE '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$_out")
	_bad=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$_out" | awk '$4 != 0' | wc -l)
	rm -f "$_out" "$_rcf"
	if [ "$_rc" -eq 0 ] && [ "$_summ" -gt 0 ]; then
		return 0
	fi
	if [ "$_bad" -eq 0 ]; then
		if [ "$_summ" -eq 0 ]; then why="printed no summary"; else why="exited $_rc after its summary"; fi
		echo "$_name: 0 passed, 1 failed, 0 skipped (exit status $_rc: $why)" | tee -a "$_log"
	fi
	return 1
}
