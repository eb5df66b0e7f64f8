#!/bin/sh
# e2e_parallel.sh - the render stage's threads change nothing but speed,
# and a re-publish that reuses blob ids by inode records what is served.
#
# Pages render on $NB_JOBS threads (generator/util/pool.h, render.c): the output
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

# Documents load on the pool too (content.c): many files broken in many
# ways, each task reporting into its own list, must give the same report,
# text and JSON, for 1 thread and for 4.
L=$TMP/loadbroken
demo_copy "$L"
first=$(find "$L/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
cp "$first" "$L/content/pages/aa-copy.md"   # same id as the meeting and
cp "$first" "$L/content/pages/ab-copy.md"   # each other: id-duplicate
i=0
for f in $(find "$L/content/meetings" "$L/content/decisions" "$L/content/evaluations" -name '*.md' | LC_ALL=C sort); do
	i=$((i + 1))
	case $((i % 12)) in
	0) printf -- '---\ntitle: x\na: [1, 2\n---\n' >"$f" ;;
	1) printf '\n\377\376 bad\n' >>"$f" ;;
	2) printf 'x\000y\n' >>"$f" ;;
	3) printf -- '---\ntitle: never closed\n' >"$f" ;;
	4) sed -i '2a title: again' "$f" ;;
	5) sed -i 's/^id: .*/id: [1, 2]/' "$f" ;;
	6) sed -i 's|^id: .*|id: "../up"|' "$f" ;;
	7) printf -- '---\ntitle: x\n\tb: 1\n---\n' >"$f" ;;
	8) sed -i '2a odd: !!foo 1' "$f" ;;
	9) sed -i '2a ref: *nowhere' "$f" ;;
	10) printf -- '---\n- a\n---\nbody\n' >"$f" ;;
	11) : ;; # left intact, so later stages report on it too
	esac
done
for j in 1 4; do
	NB_JOBS=$j "$NB" -s "$L" check >"$TMP/l$j" 2>&1 && fail "broken documents fail check ($j threads)"
	NB_JOBS=$j "$NB" -s "$L" check --format json >"$TMP/l$j.json" 2>&1
done
n=$(grep -c ': error: ' "$TMP/l4")
[ "$n" -ge 30 ] && ok || fail "many load errors reported ($n): $(head -20 "$TMP/l4")"
for code in utf8 yaml-syntax frontmatter-unterminated yaml-duplicate-key id-type \
	id-invalid yaml-tag yaml-alias yaml-root id-duplicate; do
	grep -q "\"code\": \"$code\"" "$TMP/l4.json" && ok || fail "load error $code reported"
done
check "load diagnostics identical for 1 and 4 threads" cmp "$TMP/l1" "$TMP/l4"
check "load diagnostics (JSON) identical for 1 and 4 threads" cmp "$TMP/l1.json" "$TMP/l4.json"

# Feeds and open data are written by a thread of their own while pages
# render (render.c feeds_main); a static file at a feed's path is an error
# naming it, whatever the thread count (the feeds come before or after it).
F=$TMP/feedclash
demo_copy "$F"
mkdir -p "$F/static"
echo 'not a feed' >"$F/static/feed.xml"
for j in 1 3; do
	NB_JOBS=$j "$NB" -q -s "$F" build --as-of $ASOF -o "$TMP/f$j" >"$TMP/fc$j" 2>&1 &&
		fail "build with static/feed.xml succeeded (NB_JOBS=$j)"
done
check "static/feed.xml: 3 threads = 1 thread" cmp "$TMP/fc1" "$TMP/fc3"
check "static/feed.xml is refused by name" grep -q '^static/feed.xml: error: would be published as feed.xml' "$TMP/fc3"

# Publish, change one meeting, publish again: the second publish reuses
# ids by inode, and what it recorded is exactly what is served.
export NB_PUBLISHER="Li Mei <limei@example.org>"
P=$TMP/pub
demo_copy "$P"
check "first publish" "$NB" -q -s "$P" publish -m one --as-of $ASOF
m=$(find "$P/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
# Ids are only remembered for files older than the file system's clock
# when hashing starts (audit/files.c fence, git's racy-clean rule); the sleep
# also covers the two-second margin used where that clock cannot be read.
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
