#!/bin/sh
# e2e_incremental.sh - a rebuild over an existing output is byte-identical
# to a clean build, after every kind of edit a secretary makes.
#
# Whatever the build reuses from the previous output (a cache, skipped
# writes, linked files), the published folder must be exactly what a clean
# build of the same sources gives. So each step edits the site, rebuilds in
# place (the incremental path), builds the same sources into a fresh folder
# (the clean path), and compares the two trees with diff -r.
#
# With NB_BUILD_STATS=1 the binary prints "stats: written N, unchanged M"
# on stderr: a no-op rebuild must write nothing (the cache shortcut, see
# generator/cache.h), any edit must write again, and a one-meeting edit
# writes only a small part of the site (unchanged files are linked).
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_incremental.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
S=$TMP/site
demo_copy "$S"
ASOF=2026-11-25

rebuild() { "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats"; }
same_as_clean() { # same_as_clean STEP
	rm -rf "$TMP/clean"
	if ! "$NB" -q -s "$S" build --as-of $ASOF -o "$TMP/clean"; then
		fail "$1: clean build failed"
		return
	fi
	if diff -r "$S/public" "$TMP/clean" >"$TMP/diff" 2>&1; then
		ok
	else
		fail "$1: incremental output differs from a clean build"
		head -20 "$TMP/diff" >&2
	fi
}
step() { # step NAME: rebuild in place, then compare
	if rebuild; then ok; else fail "$1: rebuild failed"; cat "$TMP/stats" >&2; return; fi
	same_as_clean "$1"
}

if rebuild; then ok; else fail "first build failed"; fi
same_as_clean "first build"
step "no-op rebuild"
written() { sed -n 's/^stats: written \([0-9]*\).*/\1/p' "$TMP/stats" | tail -1; }
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "no-op: rebuild failed"
[ "$(written)" = 0 ] && ok || fail "no-op rebuild wrote files: $(cat "$TMP/stats")"
same_as_clean "no-op rebuild (cached)"

# Another as-of date is another build, not a no-op.
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of 2026-11-26 2>"$TMP/stats" && ok || fail "as-of: rebuild failed"
[ "$(written)" != 0 ] && ok || fail "a new --as-of date was served from the cache"
rebuild

# The output folder tampered with at its top level: rebuilt, not trusted.
rm -f "$S/public/index.html"
step "output tampered with"
[ -f "$S/public/index.html" ] && ok || fail "a deleted output file was not restored"

# One meeting's minutes change.
m=$S/content/meetings/2024/huaiyin-2024-03-plenary.md
[ -f "$m" ] || m=$(find "$S/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
printf '\n会后补记：楼长会议定于下周召开。\n' >>"$m"
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "meeting edit: rebuild failed"
[ "$(written)" != 0 ] && ok || fail "an edited meeting was served from the cache"
# Only what depends on the meeting is written; the rest is linked from the
# previous output (generator/cache.h, nb_cache_link_same).
total=$(find "$S/public" -type f | wc -l)
[ "$(written)" -lt $((total / 4)) ] && ok ||
	fail "one meeting changed: $(written) of $total files rewritten"
same_as_clean "one meeting changed"
grep -rq '楼长会议定于下周召开' "$S/public/meetings" && ok || fail "meeting edit not in output"

# A template change.
tpl=$S/themes/default/layouts/meeting.mustache
if [ -f "$tpl" ]; then
	printf '\n<!-- edited -->\n' >>"$tpl"
	NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "template edit: rebuild failed"
	meetings=$(find "$S/content/meetings" -name '*.md' | wc -l)
	w=$(written)
	[ "$w" -ge "$meetings" ] && [ "$w" -lt "$total" ] && ok ||
		fail "meeting template changed: $w files written ($meetings meetings, $total files)"
	same_as_clean "meeting template changed"
	grep -rq -- '<!-- edited -->' "$S/public/meetings" && ok || fail "template edit not in output"
fi

# A vote changes (the result stays consistent with the rule).
d=$S/content/decisions/2024/huaiyin-2024-ebike-charging.md
if [ -f "$d" ]; then
	sed -i 's/votes: {for: 10, against: 0, abstain: 1}/votes: {for: 9, against: 1, abstain: 1}/' "$d"
	step "votes changed"
fi

# A decision is added, then removed.
if [ -f "$d" ]; then
	sed 's/^id: .*/id: "huaiyin-2024-bench-added"/; s/^title: .*/title: "新增的测试决议"/' "$d" \
		>"$S/content/decisions/2024/huaiyin-2024-bench-added.md"
	sed -i '/^supersedes:/d' "$S/content/decisions/2024/huaiyin-2024-bench-added.md"
	step "decision added"
	[ -d "$S/public/decisions/huaiyin-2024-bench-added" ] ||
		[ -n "$(find "$S/public" -path '*bench-added*' | head -1)" ] && ok || fail "added decision has no page"
	rm "$S/content/decisions/2024/huaiyin-2024-bench-added.md"
	step "decision removed"
	[ -z "$(find "$S/public" -path '*bench-added*' | head -1)" ] && ok || fail "removed decision's page is still served"
fi

# site.yaml changes: every page's header.
sed -i 's/^title: .*/title: 改名后的社区自治专栏/' "$S/site.yaml"
step "site.yaml changed"
grep -q '改名后的社区自治专栏' "$S/public/index.html" && ok || fail "new title not on the home page"

finish e2e_incremental
