#!/bin/sh
# End-to-end: crash safety. `build` (and `publish`, once it exists) is
# killed with SIGKILL at random moments, many times; after each kill the
# live output folder must be exactly the old site or exactly the new one
# (compared by a hash listing of every file) - never a mix, never missing -
# and the audit repository, when publish ran, must pass `git fsck`.
# SIGKILL is used because no handler can run: this is the power cut case.
# Trials: NB_CRASH_TRIALS (default 50 per command).
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
# Atomicity is what is tested here, not memory safety (the other suites run
# under ASan): the release binary, when built, makes 100 trials affordable.
[ -x "$ROOT/build/noticeboard" ] && NB="$ROOT/build/noticeboard"
AS_OF=2026-11-25
TRIALS=${NB_CRASH_TRIALS:-50}
# A folder's state: its files and their bytes. The served copy of the
# audit record (public/audit.git/) is not part of what a publication records
# (served.h); it is checked on its own below.
snap() { (cd "$1" && find . -type f ! -name .noticeboard-output ! -path './audit.git/*' | LC_ALL=C sort | xargs -r sha256sum) | sha256sum | cut -c1-32; }
# The publication the served copy of the record says is newest.
served_tip() { awk '$2 == "refs/heads/publications" { print $1 }' "$1/audit.git/info/refs" 2>/dev/null; }

S="$TMP/site"; demo_copy "$S"
"$NB" -s "$S" -q build --as-of $AS_OF >/dev/null 2>&1 || fail "initial build"
OLD=$(snap "$S/public")
# The "new" state: a changed page title, built once elsewhere for reference.
M=$(ls "$S"/content/meetings/2024/*.md | head -n 1)
cp "$M" "$TMP/orig.md"
sed '0,/^title: /s//title: CHANGED /' "$TMP/orig.md" >"$TMP/new.md"
cp "$TMP/new.md" "$M"
"$NB" -s "$S" -q build --as-of $AS_OF -o "$TMP/ref-new" >/dev/null 2>&1
NEW=$(snap "$TMP/ref-new")
cp "$TMP/orig.md" "$M"
[ "$OLD" != "$NEW" ] && ok || fail "old and new states differ"
# How long a build takes, to spread kill times over it.
t0=$(date +%s%N); "$NB" -s "$S" -q build --as-of $AS_OF >/dev/null 2>&1; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000 + 1 ))   # microseconds
killed=0; done_before=0; mixed=0
i=0
while [ $i -lt "$TRIALS" ]; do
	i=$((i + 1))
	# alternate the source between old and new so each build changes state
	cur=$(snap "$S/public")
	if [ "$cur" = "$OLD" ]; then cp "$TMP/new.md" "$M"; else cp "$TMP/orig.md" "$M"; fi
	delay=$(awk -v s="$span" -v r="$(od -An -N4 -tu4 /dev/urandom)" 'BEGIN { printf "%.6f", (r % s) / 1e6 }')
	"$NB" -s "$S" -q build --as-of $AS_OF >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); else done_before=$((done_before + 1)); fi
	wait $pid 2>/dev/null
	now=$(snap "$S/public")
	if [ "$now" = "$OLD" ] || [ "$now" = "$NEW" ]; then ok; else
		mixed=$((mixed + 1)); fail "build trial $i (delay $delay s): public/ is neither old nor new"; fi
	[ -f "$S/public/.noticeboard-output" ] && ok || fail "build trial $i: marker kept"
done
# A build after all that still works and cleans up.
"$NB" -s "$S" -q build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "a build after the kills succeeds"
echo "crash build: $TRIALS trials, $killed killed mid-run, $done_before finished first, $mixed inconsistent"

if "$NB" help publish >/dev/null 2>&1; then
	P="$TMP/pub"; demo_copy "$P"
	export NB_PUBLISHER="Crash Test <crash@example.org>"
	"$NB" -s "$P" -q publish --as-of $AS_OF -m "first" >"$TMP/pub.out" 2>&1 </dev/null; prc=$?
	if [ $prc -ne 0 ]; then
		echo "crash publish: skipped, publish did not succeed here (exit $prc): $(head -n 2 "$TMP/pub.out")"
	else
		POLD=$(snap "$P/public")
		M=$(ls "$P"/content/meetings/2024/*.md | head -n 1); cp "$M" "$TMP/porig.md"
		sed '0,/^title: /s//title: CHANGED /' "$TMP/porig.md" >"$TMP/pnew.md"
		cp "$TMP/pnew.md" "$M"
		"$NB" -s "$P" -q build --as-of $AS_OF -o "$TMP/pref-new" >/dev/null 2>&1
		PNEW=$(snap "$TMP/pref-new"); cp "$TMP/porig.md" "$M"
		t0=$(date +%s%N); "$NB" -s "$P" -q publish --as-of $AS_OF -m t >/dev/null 2>&1 </dev/null; t1=$(date +%s%N)
		span=$(( (t1 - t0) / 1000 + 1 ))
		pk=0; pm=0; i=0
		while [ $i -lt "$TRIALS" ]; do
			i=$((i + 1))
			cur=$(snap "$P/public"); cur_tip=$(served_tip "$P/public")
			if cmp -s "$M" "$TMP/porig.md"; then cp "$TMP/pnew.md" "$M"; else cp "$TMP/porig.md" "$M"; fi
			delay=$(awk -v s="$span" -v r="$(od -An -N4 -tu4 /dev/urandom)" 'BEGIN { printf "%.6f", (r % s) / 1e6 }')
			"$NB" -s "$P" -q publish --as-of $AS_OF -m "trial $i" >/dev/null 2>&1 </dev/null &
			pid=$!
			sleep "$delay"
			kill -9 $pid 2>/dev/null && pk=$((pk + 1))
			wait $pid 2>/dev/null
			now=$(snap "$P/public")
			# Old is what was served before; new is the last recorded
			# publication's public/ (each one differs: the site shows the
			# publication history, which every publication extends).
			rm -rf "$TMP/tip"; mkdir -p "$TMP/tip"
			git --git-dir="$P/audit.git" archive publications public | tar -x -C "$TMP/tip"
			if [ "$now" = "$cur" ] || [ "$now" = "$(snap "$TMP/tip/public")" ]; then ok; else
				pm=$((pm + 1)); fail "publish trial $i: public/ is neither old nor new"; fi
			# The served record moves with the pages, in the same swap:
			# old pages with the old head, new pages with the new one.
			tip=$(git --git-dir="$P/audit.git" rev-parse publications)
			st=$(served_tip "$P/public")
			if [ "$now" = "$cur" ] && [ "$st" = "$cur_tip" ]; then ok
			elif [ "$now" = "$(snap "$TMP/tip/public")" ] && [ "$st" = "$tip" ]; then ok
			else fail "publish trial $i: the served audit.git ($st) does not go with the served pages"; fi
			repo="$P/audit.git"
			if [ -d "$repo" ]; then
				git -C "$repo" fsck --no-progress >"$TMP/fsck" 2>&1 && ok || \
					fail "publish trial $i: git fsck: $(head -n 3 "$TMP/fsck")"
			fi
		done
		"$NB" -s "$P" -q publish --as-of $AS_OF -m final >/dev/null 2>&1 </dev/null && ok || fail "a publish after the kills succeeds"
		echo "crash publish: $TRIALS trials, $pk killed mid-run, $pm inconsistent"
	fi
else
	echo "crash publish: skipped, \`noticeboard help publish\` is not available"
fi
finish e2e_crash
