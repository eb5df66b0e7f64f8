#!/bin/sh
# e2e_parallel.sh - the render stage's threads change nothing but speed,
# and a re-publish that reuses blob ids by inode records what is served.
#
# Pages render on $NB_JOBS threads (generator/pool.h, render.c): the output
# and the diagnostics must be the same bytes for 1 thread and for many,
# including the order of link errors. A re-publish hard-links unchanged
# files from the served folder and takes their blob ids from
# .noticeboard-cache/publish-oids (audit.h nb_audit_hash_dir_cached);
# `verify` re-hashes the served folder against the recorded tree, so a
# wrong id from that cache fails it.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_parallel.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
ASOF=2026-11-25
S=$TMP/site
demo_copy "$S"

for j in 1 2 5; do
	if NB_JOBS=$j "$NB" -q -s "$S" build --as-of $ASOF -o "$TMP/out$j"; then ok; else fail "build with NB_JOBS=$j"; fi
done
check "2 threads = 1 thread" diff -r "$TMP/out1" "$TMP/out2"
check "5 threads = 1 thread" diff -r "$TMP/out1" "$TMP/out5"
n=$(find "$TMP/out1" -type f | wc -l)
[ "$n" -gt 50 ] && ok || fail "the demo output has pages ($n files)"

# Broken links in two pages: the same report whatever the thread count.
B=$TMP/broken
demo_copy "$B"
m=$(find "$B/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
dc=$(find "$B/content/decisions" -name '*.md' | LC_ALL=C sort | head -1)
printf '\n[a](/nope/) [b](/zzz/x.css) [c](/meetings/none/)\n' >>"$m"
printf '\n[d](/nope2/)\n' >>"$dc"
NB_JOBS=1 "$NB" -s "$B" build --as-of $ASOF -o "$TMP/b1" >"$TMP/d1" 2>&1 && fail "broken links fail the build"
NB_JOBS=4 "$NB" -s "$B" build --as-of $ASOF -o "$TMP/b1" >"$TMP/d4" 2>&1 && fail "broken links fail the build (4 threads)"
check "link errors reported" grep -q 'internal link to /meetings/none/ does not resolve' "$TMP/d4"
[ "$(grep -c 'does not resolve' "$TMP/d4")" = 4 ] && ok || fail "four broken links: $(cat "$TMP/d4")"
check "diagnostics identical for 1 and 4 threads" cmp "$TMP/d1" "$TMP/d4"

# Publish, change one meeting, publish again: the second publish reuses
# ids by inode, and what it recorded is exactly what is served.
export NB_PUBLISHER="Li Mei <limei@example.org>"
P=$TMP/pub
demo_copy "$P"
check "first publish" "$NB" -q -s "$P" publish -m one --as-of $ASOF
m=$(find "$P/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
# Ids are only remembered for files older than two seconds: the second
# publish records the files it linked from the first, the third uses them.
sleep 3
printf '\n补充说明。\n' >>"$m"
check "second publish" "$NB" -q -s "$P" publish -m two --as-of $ASOF
check "ids remembered" test -s "$P/.noticeboard-cache/publish-oids"
printf '\n又补充。\n' >>"$m"
check "third publish" "$NB" -q -s "$P" publish -m three --as-of $ASOF
if "$NB" -s "$P" verify >"$TMP/v" 2>&1; then ok; else fail "verify after re-publish: $(cat "$TMP/v")"; fi
check "verify names pub-3" grep -q 'pub-3' "$TMP/v"
# A damaged cache is never trusted blindly: a wrong id for an inode whose
# size or time differ is ignored; rewrite every time to force mismatches.
awk '{ $5 = $5 + 1; print }' "$P/.noticeboard-cache/publish-oids" >"$TMP/o" &&
	mv "$TMP/o" "$P/.noticeboard-cache/publish-oids"
printf '\n再补充。\n' >>"$m"
check "fourth publish" "$NB" -q -s "$P" publish -m four --as-of $ASOF
if "$NB" -s "$P" verify >"$TMP/v" 2>&1; then ok; else fail "verify after a stale cache: $(cat "$TMP/v")"; fi
finish e2e_parallel
