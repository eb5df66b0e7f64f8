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
# generator/output/cache.h), any edit must write again, and a one-meeting edit
# writes only a small part of the site (unchanged files are linked). It
# also prints "stats: rendered N, skipped M": pages whose inputs did not
# change are not rendered at all (the page memo, generator/output/memo.h), which
# the last part checks against hand edits, broken links and bad records.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_incremental.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
S=$TMP/site
demo_copy "$S"
ASOF=2026-11-25

rebuild() { "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats"; }
same_as_clean() { # same_as_clean STEP
	# A copy of the sources alone: no cache, no memo, no previous output.
	rm -rf "$TMP/clean" "$TMP/cs" && mkdir -p "$TMP/cs"
	(cd "$S" && tar cf - --exclude=./public --exclude='./public.*' --exclude=./.noticeboard-cache .) |
		(cd "$TMP/cs" && tar xf -)
	if ! "$NB" -q -s "$TMP/cs" build --as-of $ASOF -o "$TMP/clean"; then
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
# The no-op shortcut loads nothing; a rebuild that writes nothing still loads.
shortcut() { ! grep -q '^stats: load' "$TMP/stats" && [ "$(written)" = 0 ]; }
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "no-op: rebuild failed"
shortcut && ok || fail "no-op rebuild was not the shortcut: $(cat "$TMP/stats")"
same_as_clean "no-op rebuild (cached)"
# The key is made by parallel tasks (output/cache.c): it must not depend
# on how many there were.
for j in 1 3; do
	NB_JOBS=$j NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "no-op with NB_JOBS=$j: rebuild failed"
	shortcut && ok ||
		fail "the no-op key differs with NB_JOBS=$j: $(cat "$TMP/stats")"
done

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
# previous output (generator/output/cache.h, nb_cache_link_same).
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

# --- The previous generation (generator/output/build.c, claim_previous) ------------
# The tree a build replaces is kept as public.previous and the next build
# updates it in place, then swaps it in. It is never trusted: whatever it
# holds, the next output is a clean build's, and nothing it points at
# outside is written.
P=$S/public.previous
[ -f "$P/.noticeboard-output" ] && ok || fail "the replaced output is kept as public.previous"
[ ! -e "$S"/public.staging-* ] && ok || fail "no staging folder left beside the output"
mkdir -p "$TMP/outside/css"
echo victim >"$TMP/outside/victim.txt"; echo victim >"$TMP/outside/css/site.css"
tamper_previous() {
	echo stray >"$P/stray.html"                                  # a file the site lacks
	mkdir -p "$P/meetings/stray" && echo x >"$P/meetings/stray/index.html"
	rm -f "$P/index.html" && printf 'stale' >"$P/index.html"     # wrong bytes
	rm -f "$P/404.html" && mkdir -p "$P/404.html/x"              # a folder where a file goes
	rm -rf "$P/search" && echo x >"$P/search"                    # a file where a folder goes
	rm -rf "$P/css" && ln -s "$TMP/outside/css" "$P/css"         # links out of the tree
	rm -f "$P/robots.txt" && ln -s "$TMP/outside/victim.txt" "$P/robots.txt"
}
tamper_previous
printf '\n再补一句。\n' >>"$m"
step "previous generation tampered with"
[ ! -e "$S/public/stray.html" ] && [ ! -e "$S/public/meetings/stray" ] && ok ||
	fail "files the site no longer has were not deleted from the previous generation"
[ ! -L "$S/public/css" ] && [ ! -L "$S/public/robots.txt" ] && ok || fail "links planted in the previous generation survived"
[ "$(cat "$TMP/outside/victim.txt")" = victim ] && [ "$(cat "$TMP/outside/css/site.css")" = victim ] &&
	[ "$(ls "$TMP/outside/css")" = site.css ] && ok || fail "a build wrote through a link in the previous generation"
# The no-op shortcut still holds with a previous generation beside the output.
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "no-op after in-place: rebuild failed"
shortcut && ok || fail "the previous generation made a no-op rebuild miss: $(cat "$TMP/stats")"
# A one-meeting edit updates only a handful of files in the previous tree.
printf '\n再补第二句。\n' >>"$m"
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "in-place edit: rebuild failed"
[ "$(written)" -lt $((total / 4)) ] && ok || fail "in place, one meeting changed: $(written) of $total files written"
same_as_clean "in place, one meeting changed"
# A failed build leaves it half updated; the next good build is still clean.
cp "$m" "$TMP/m.bak"; printf -- '---\ntitle: [broken\n---\n' >"$m"
"$NB" -q -s "$S" build --as-of $ASOF >/dev/null 2>&1 && fail "a broken meeting must fail the build" || ok
cp "$TMP/m.bak" "$m"; printf '\n修好了。\n' >>"$m"
step "after a failed build"
# Held by another build: this one falls back to a fresh staging folder.
printf '\n并发。\n' >>"$m"
flock "$P" sh -c '"$1" -q -s "$2" build --as-of "$3"' sh "$NB" "$S" $ASOF && ok || fail "build beside a locked previous generation failed"
same_as_clean "previous generation locked by another build"
# Not ours (no marker): never touched, the build writes a fresh tree.
rm -rf "$P" && mkdir -p "$P" && echo mine >"$P/notes.txt"
printf '\n外人的文件夹。\n' >>"$m"
step "a foreign folder at public.previous"
[ "$(cat "$P/notes.txt")" = mine ] && [ ! -e "$P/index.html" ] && ok || fail "a folder without our marker was used or changed"
rm -rf "$P"
printf '\n删除后。\n' >>"$m"
step "previous generation deleted by hand"
[ -f "$P/.noticeboard-output" ] && ok || fail "a deleted previous generation is kept anew"

# --- The memo of loaded documents (generator/load/doccache.h) ------------------------
# Files changed within two seconds of a build are not recorded by it (the
# racy-clean rule), so the sources must be older than that first.
reused() { sed -n 's/^stats: documents [0-9]*, reused \([0-9]*\)$/\1/p' "$TMP/stats" | tail -1; }
docs_total() { sed -n 's/^stats: documents \([0-9]*\), .*/\1/p' "$TMP/stats" | tail -1; }
sleep 2.1
printf '\n备忘一。\n' >>"$m"
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: first build failed"
sleep 2.1
printf '\n备忘二。\n' >>"$m"
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: rebuild failed"
n=$(docs_total); r=$(reused)
# Every other document comes back, charters too (linking reads their
# body, which the memo keeps for them).
[ -n "$r" ] && [ "$r" = $((n - 1)) ] && ok ||
	fail "one meeting changed: $r of $n documents reused from the memo (expected all but one)"
same_as_clean "memo: one meeting changed"
# The memo is appended to: what it held stays as it was, byte for byte.
f="$S/.noticeboard-cache/docs"
cp "$f" "$TMP/docs.before"
printf '\n备忘二点五。\n' >>"$m"; sleep 2.1
step "memo: appended to"
cmp -n "$(wc -c <"$TMP/docs.before")" "$TMP/docs.before" "$f" >/dev/null &&
	[ "$(wc -c <"$f")" -gt "$(wc -c <"$TMP/docs.before")" ] && ok ||
	fail "one meeting changed: the memo was rewritten, not appended to"
# A charter restored from the memo links as one loaded: its articles
# and the comparison with the version before it come out the same.
c2="$S/content/charters/huaiyin/v2.md"
sleep 2.1
sed -i '0,/^## /s/^## \(.*\)$/## \1（修订）/' "$c2"; sleep 2.1
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: charter edit failed"
same_as_clean "memo: a charter edited"
printf '\n备忘二点六。\n' >>"$m"; sleep 2.1
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: rebuild after a charter edit failed"
[ "$(reused)" = $(($(docs_total) - 1)) ] && ok || fail "the edited charter was not restored: $(reused) of $(docs_total)"
grep -rq '（修订）' "$S/public/charters" && ok || fail "the charter's edit is not on its pages"
same_as_clean "memo: a charter restored"
# An edit that keeps the size and the modification time is still seen
# (the change time moves): one CJK character for another, touch -r back.
cp "$m" "$TMP/m.ref"
sed -i '0,/备忘二/s//备忘三/' "$m"; touch -r "$TMP/m.ref" "$m"
[ "$(wc -c <"$m")" = "$(wc -c <"$TMP/m.ref")" ] && ok || fail "test set-up: the edit changed the size"
step "memo: same size, same mtime"
grep -rq '备忘三' "$S/public/meetings" && ok || fail "an edit keeping size and mtime was served from the memo"
# A garbled or cut memo is a miss, never a wrong page or a crash.
[ -s "$f" ] && [ -s "$f.idx" ] && ok || fail "the memo is at .noticeboard-cache/docs and docs.idx"
head -c 5000 "$f" >"$f.cut" && mv "$f.cut" "$f"
printf '\n备忘四。\n' >>"$m"
step "memo cut short"
printf 'noticeboard-docs 1\ngarbage' >"$f"
printf '\n备忘五。\n' >>"$m"
step "memo garbled"
# A torn append (a build killed while appending) leaves bytes no index
# names: they are ignored, not a reason to drop the memo.
printf '\n备忘五点二。\n' >>"$m"; sleep 2.1
printf 'torn append' >>"$f"
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: rebuild over a torn tail failed"
[ "$(reused)" = $(($(docs_total) - 1)) ] && ok || fail "a torn tail cost the memo: $(reused) of $(docs_total) reused"
same_as_clean "memo: a torn tail"
# A body damaged in the memo under an intact head (its bytes changed on
# disk) never reaches a page: a page's key holds the body's digest
# (doc.h body_key), checked when the page is made from the body.
d1=$(find "$S/content/decisions" -name '*.md' | LC_ALL=C sort | tail -1)
printf '\n损坏测试标记。\n' >>"$d1"; sleep 2.1
rebuild && rebuild && ok || fail "memo: rebuild with the marked decision failed"
grep -c '<p>损坏测试标记' "$f" | grep -qx 1 && ok || fail "test set-up: the marker is not once in the memo's HTML"
perl -0777 -pi -e 's/<p>损坏测试标记/<p>损坏测试标讫/' "$f"
rm -f "$S"/.noticeboard-cache/memo-*
printf '\n损坏测试之后。\n' >>"$m"
out=$("$NB" -s "$S" build --as-of $ASOF 2>&1) && fail "memo: a damaged body built" || ok
echo "$out" | grep -q "content/decisions/.*build cache" && ok ||
	fail "memo: the damaged body is not named: $out"
grep -rq '损坏测试标讫' "$S/public" && fail "memo: the damaged body was published" || ok
rm -rf "$S/.noticeboard-cache"
step "memo: rebuilt after the damaged cache was deleted"
grep -rq '损坏测试标记' "$S/public/decisions" && ok || fail "memo: the marked decision is not on its page"
# The front matter is kept packed whether loaded or restored (generator/
# load/meta.c: strings read in place, lists decoded when a page is made):
# a meeting's edited title, attendees and an unknown field with quotes and
# a backslash come out as a clean build's, first just loaded, then restored
# from the memo while another document changed. The meeting is put back
# as it was afterwards, for the steps below.
cp "$m" "$TMP/m.before-fm"
sleep 2.1
sed -i 's/^title: .*/title: "槐荫社区自治会2024年第一次全体会议（更正）"\nnote: "前\\"后\\\\ {{x}}"/
	s/^  - "林秀珍"$/  - "林秀珍"\n  - "新来的"/' "$m"
grep -q '^note: "前\\"后' "$m" && grep -q '新来的' "$m" && ok || fail "test set-up: the front matter edit did not apply"
sleep 2.1
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: front matter edit failed"
same_as_clean "memo: front matter edited"
p="$S/public/meetings/huaiyin-2024-03-plenary/index.html"
[ ! -f "$p" ] || { grep -q '（更正）' "$p" && grep -q '新来的' "$p"; } && ok ||
	fail "the edited title and attendee are not on the meeting's page"
d=$(find "$S/content/decisions" -name '*.md' | LC_ALL=C sort | head -1)
printf '\n备注。\n' >>"$d"; sleep 2.1
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "memo: rebuild after a front matter edit failed"
[ "$(reused)" = $(($(docs_total) - 1)) ] && ok ||
	fail "the meeting with edited front matter was not restored: $(reused) of $(docs_total)"
same_as_clean "memo: edited front matter restored"
cat "$TMP/m.before-fm" >"$m"
# Builds killed at random moments (SIGKILL: no handler runs) while the
# memo is appended to or compacted leave one that a later build uses or
# ignores, never one that restores a wrong document.
t0=$(date +%s%N); rebuild; t1=$(date +%s%N); span=$(( (t1 - t0) / 1000 + 1 ))
for i in 1 2 3 4 5 6; do
	printf '\n中断%s。\n' "$i" >>"$m"; sleep 2.1
	"$NB" -q -s "$S" build --as-of $ASOF >/dev/null 2>&1 & pid=$!
	us=$(( $(od -An -N4 -tu4 /dev/urandom) % span ))
	sleep "$(awk "BEGIN { print $us / 1000000 }")"
	kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
done
step "memo: after builds killed at random moments"
grep -rq '中断6' "$S/public/meetings" && ok || fail "the last edit before the kills is not on its page"
printf 'garbage' >"$f.idx"
printf '\n备忘五点五。\n' >>"$m"
step "memo: index garbled"
# A build killed while writing the memo leaves its temporary file: the
# next one reuses that name, so they do not pile up.
printf '\n备忘六。\n' >>"$m"
sleep 2.1
head -c 100000 /dev/urandom >"$f.tmp"
step "memo: a killed writer's temporary file left behind"
[ ! -e "$f.tmp" ] && [ -s "$f" ] && ok || fail "the memo's temporary file was not replaced: $(ls "$S/.noticeboard-cache")"
# A document with an error is never recorded: every build reports it.
sleep 2.1
cp "$m" "$TMP/m.bak"; printf -- '---\ntitle: [broken\n---\n' >"$m"; touch -d '1 hour ago' "$m"; sleep 2.1
for i in 1 2; do
	out=$("$NB" -s "$S" build --as-of $ASOF 2>&1) && fail "memo: a broken document built ($i)" || ok
	echo "$out" | grep -q 'huaiyin-2024-03-plenary.md:2' && ok || fail "memo: the YAML error is reported on build $i: $out"
done
cp "$TMP/m.bak" "$m"
# Raw HTML kept or not is a setting, not the file: a new setting reloads.
printf '\n<span class="memo-raw">原始</span>\n' >>"$m"; sleep 2.1
rebuild; rebuild
grep -rq 'memo-raw' "$S/public/meetings" && fail "raw HTML shown with markdown.unsafe_html off" || ok
printf 'markdown:\n  unsafe_html: true\n' >>"$S/site.yaml"
step "memo: unsafe_html turned on"
grep -rq 'class="memo-raw"' "$S/public/meetings" && ok || fail "turning unsafe_html on did not reload the documents"
# One memo for builds and one for previews, whatever the settings: a new
# program or setting replaces it rather than adding files.
[ "$(ls "$S/.noticeboard-cache" | grep '^docs' | tr '\n' ' ')" = "docs docs.idx " ] && ok ||
	fail "memo files pile up: $(ls "$S/.noticeboard-cache")"
# --- The page memo (generator/output/memo.h) --------------------------------------
rendered() { sed -n 's/^stats: rendered \([0-9]*\), skipped.*/\1/p' "$TMP/stats" | tail -1; }
skipped() { sed -n 's/^stats: rendered [0-9]*, skipped \([0-9]*\).*/\1/p' "$TMP/stats" | tail -1; }
feeds() { sed -n 's/^stats: rendered .*; feeds and open data \([a-z]*\);.*/\1/p' "$TMP/stats" | tail -1; }
search() { sed -n 's/^stats: rendered .*; search index \([a-z]*\)$/\1/p' "$TMP/stats" | tail -1; }
memo_step() { # memo_step NAME: rebuild with stats, then compare
	if NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats"; then ok; else
		fail "$1: rebuild failed"; grep -v '^stats:' "$TMP/stats" >&2; return; fi
	same_as_clean "$1"
}
pages=$(find "$S/public" -name '*.html' | wc -l)
printf '\n备忘一。\n' >>"$m"
memo_step "memo: first rebuild"
printf '\n备忘二。\n' >>"$m"
memo_step "memo: one meeting changed, in place"
[ "$(rendered)" -ge 1 ] && [ "$(rendered)" -lt $((pages / 4)) ] && [ "$(skipped)" -gt $((pages / 2)) ] && ok ||
	fail "one meeting changed: $(grep '^stats: rendered' "$TMP/stats") of $pages pages"
# Feeds, calendars and open data read the pages' data, not the bodies: an
# edit past the summary links them from the served folder; a new title,
# which they show, makes them again.
[ "$(feeds)" = reused ] && ok || fail "a body edit made the feeds again: $(grep '^stats: rendered' "$TMP/stats")"
sed -i 's/^title: "\(.*\)"$/title: "\1（修订）"/' "$m"
memo_step "memo: a meeting's title changed"
[ "$(feeds)" = made ] && ok || fail "a new title did not make the feeds again: $(grep '^stats: rendered' "$TMP/stats")"
for f in feed.xml meetings.ics data/popolo.json; do
	grep -q '全体会议（修订）' "$S/public/$f" && ok || fail "the new title is not in $f"
done
printf '\n标题之后。\n' >>"$m"
memo_step "memo: after the title, a body edit"
[ "$(feeds)" = reused ] && ok || fail "feeds not reused after the title change was recorded: $(grep '^stats: rendered' "$TMP/stats")"
# The search index reads texts, titles, dates and URLs: a body edit makes
# it again, a new meeting room (front matter it does not read) does not.
[ "$(search)" = made ] && ok || fail "a body edit did not make the search index again: $(grep '^stats: rendered' "$TMP/stats")"
grep -rq '"题之"' "$S/public/search/t" && ok || fail "the new text's bigrams are not in the search index"
sed -i 's/^location: "\(.*\)"$/location: "\1（临时）"/' "$m"
memo_step "memo: a meeting room changed"
[ "$(search)" = reused ] && ok || fail "front matter the index does not read made it again: $(grep '^stats: rendered' "$TMP/stats")"
grep -q '（临时）' "$S/public/meetings/$(basename "$m" .md)/index.html" && ok || fail "the new room is not on the page"
# A decision's category is read from its front matter by the open data
# and its page alone: the graph holds no page object for such a decision
# (its page is a view of its item and document, generator/graph/site.h),
# so the feeds' key must cover the front matter itself.
dc=$S/content/decisions/2024/huaiyin-2024-ebike-charging.md
if [ -f "$dc" ]; then
	sed -i 's/^category: "fire-safety"$/category: "public-order"/' "$dc"
	grep -q '^category: "public-order"$' "$dc" && ok || fail "test set-up: the category edit did not apply"
	memo_step "memo: a decision's category changed"
	[ "$(feeds)" = made ] && ok || fail "a new category did not make the open data again: $(grep '^stats: rendered' "$TMP/stats")"
	grep -q '^huaiyin-2024-ebike-charging,.*,public-order,' "$S/public/data/decisions.csv" && ok ||
		fail "the new category is not in decisions.csv"
fi
# A meeting's agenda and approving meeting, and an evaluation's indicator
# rows (with the change against the period before), are views made when
# their page is rendered (generator/graph/site.h nb_site_page_view), not
# data held in the graph: they must still be in the pages' keys and, for
# the agenda, the calendar's.
inodes() { stat -c %i "$S/public/data/popolo.json" "$S/public/data/decisions.csv" | tr '\n' ' '; }
before=$(inodes)
sed -i 's/^  - "启动2024年社区自治活动月"$/  - "启动2024年社区自治活动月（补）"/' "$m"
memo_step "memo: a meeting's agenda item reworded"
# The open data is written in pieces as it is made (generator/output/writer.h
# nb_out_open). The calendar shows the agenda and the open data does not:
# the feeds are made again, and the open data, the same bytes, is linked
# from the served folder like any unchanged file. No temporary is left.
[ "$(feeds)" = made ] && ok || fail "a new agenda item did not make the feeds again: $(grep '^stats: rendered' "$TMP/stats")"
[ "$(inodes)" = "$before" ] && ok ||
	fail "unchanged open data was not linked from the served folder: $before -> $(inodes)"
[ -z "$(find "$S/public" "$S/public.previous" "$TMP/clean" -name '.noticeboard-stream-*' 2>/dev/null)" ] && ok ||
	fail "a temporary of a file written in pieces was left behind"
grep -q '活动月（补）' "$S/public/meetings/$(basename "$m" .md)/index.html" && ok ||
	fail "the reworded agenda item is not on the meeting's page"
grep -q '活动月（补）' "$S/public/meetings.ics" && ok || fail "the reworded agenda item is not in the calendar"
m9=$S/content/meetings/2024/huaiyin-2024-09-plenary.md
sed -i 's/^title: "\(.*\)"$/title: "\1（审定）"/' "$m9"
memo_step "memo: the approving meeting's title changed"
grep -q '（审定）' "$S/public/meetings/$(basename "$m" .md)/index.html" && ok ||
	fail "the approving meeting's new title is not on the meeting it approved"
q4=$S/content/evaluations/2024/huaiyin-2024-q4.md
sed -i 's/informed: 0.79,/informed: 0.91,/' "$q4"
memo_step "memo: an evaluation's indicator changed"
grep -q '91.0%' "$S/public/evaluations/huaiyin-2024-q4/index.html" && ok ||
	fail "the new value is not on the evaluation's page"
grep -q -- '-5.0 个百分点' "$S/public/evaluations/huaiyin-2025-q1/index.html" && ok ||
	fail "the next period's page does not compare with the new value"
# A charter's list of versions and the comparison of two versions are
# views made when their page is rendered, from the index and the charters'
# sources (generator/graph/site.h), not data held in the graph: they must
# still be in the pages' keys. A reworded article of v1 reaches v2's
# comparison page, a new effective date of v1 the versions list on v2's
# page, each rebuilt in place as a clean build makes it.
c1=$S/content/charters/huaiyin/v1.md
sed -i '0,/本公约适用于/s//本公约（改）适用于/' "$c1"
memo_step "memo: an article of an older charter version reworded"
grep -q '（改）' "$S/public/charters/huaiyin/v2/changes/index.html" && ok ||
	fail "the reworded article is not in the comparison of v2 with v1"
sed -i 's/^effective: "2024-03-15"$/effective: "2024-03-16"/' "$c1"
memo_step "memo: an older charter version's effective date changed"
grep -q '2024年3月16日' "$S/public/charters/huaiyin/v2/index.html" && ok ||
	fail "the new effective date of v1 is not in the versions list of v2"
# The index is merged per document (generator/render/search.h): only the
# pages whose text, title, date or URL changed are tokenized again, and
# only the files whose bytes change are made; added, removed and damaged
# records still give a clean build's index.
tokenized() { sed -n 's/^stats: search index: tokenized \([0-9]*\) of \([0-9]*\) .*/\1 \2/p' "$TMP/stats" | tail -1; }
search_made() { sed -n 's/^stats: search index: .*, made \([0-9]*\) of \([0-9]*\) .*/\1 \2/p' "$TMP/stats" | tail -1; }
[ -f "$S/.noticeboard-cache/search" ] && ok || fail "no search memo in the cache folder"
printf '\n检索合并。\n' >>"$m"
memo_step "search: one meeting's body"
set -- $(tokenized)
[ "${1:-x}" = 1 ] && ok || fail "one body edit tokenized $(tokenized)"
set -- $(search_made)
[ "${1:-0}" -ge 1 ] && [ "$1" -lt "$2" ] && ok || fail "one body edit made $(search_made) index files"
grep -rq '"合并"' "$S/public/search/t" && ok || fail "the new text's bigrams are not in the search index"
cp "$m" "$S/content/meetings/2024/search-added.md"
sed -i 's/^id: .*/id: "search-added"/; s/^title: .*/title: "检索新增会议"/' "$S/content/meetings/2024/search-added.md"
memo_step "search: a meeting added"
set -- $(tokenized)
[ "${1:-x}" = 1 ] && ok || fail "one added meeting tokenized $(tokenized)"
grep -rq '检索新增会议' "$S/public/search/d" && ok || fail "the added meeting is not in the search metadata"
rm "$S/content/meetings/2024/search-added.md"
memo_step "search: the meeting removed"
set -- $(tokenized)
[ "${1:-x}" = 0 ] && ok || fail "removing a meeting tokenized $(tokenized)"
! grep -rq '检索新增会议' "$S/public/search" && ok || fail "the removed meeting is still in the search index"
printf 'garbage' | dd of="$S/.noticeboard-cache/search" bs=1 seek=200 conv=notrunc 2>/dev/null
printf '\n记录损坏之后。\n' >>"$m"
memo_step "search: a damaged record"
set -- $(tokenized)
[ "${1:-x}" = "${2:-y}" ] && ok || fail "a damaged search record was used: tokenized $(tokenized)"
# The shards are made a range at a time (generator/render/search.c
# make_shards): a rebuild with one shard per range gives the index of a
# clean build made with the usual ranges.
printf '\n检索分段。\n' >>"$m"
export NB_SEARCH_RANGE_BYTES=1
NB_BUILD_STATS=1 "$NB" -q -s "$S" build --as-of $ASOF 2>"$TMP/stats" && ok || fail "search: rebuild in one-shard ranges failed"
unset NB_SEARCH_RANGE_BYTES
same_as_clean "search: one shard per range"
grep -rq '"分段"' "$S/public/search/t" && ok || fail "the new text's bigrams are not in the search index"
# The tokenized pages' parts wait in a scratch file, anonymous or unlinked
# when made (util/fs.h nb_fs_scratch):
# none is left in the cache folder.
[ -z "$(find "$S/.noticeboard-cache" -name '.scratch-*')" ] && ok ||
	fail "search scratch files left in the cache folder"
# A document edited just now is kept in memory; once older than the memo's
# racy window it is recorded, and its body and headings are read back
# from the memo file. Where they are kept must change no key: editing
# another meeting's body then renders that page alone and still reuses
# the feeds.
x=$S/content/meetings/2024/jinhui-2024-05-hearing.md
m2=$S/content/meetings/2024/huaiyin-2024-06-coordination.md
printf '\n先改这一份。\n' >>"$x"
memo_step "memo: a third meeting's body"
sleep 2.1
printf '\n另一份会议的修改。\n' >>"$m2"
memo_step "memo: another meeting's body (the third one in the memo file now)"
[ "$(rendered)" = 1 ] && [ "$(feeds)" = reused ] && ok ||
	fail "a document's body moving to the memo file changed keys: $(grep '^stats: rendered' "$TMP/stats")"
# The body is part of a page's key though not of its context until it is
# rendered: a new heading (the page's contents list) and a word in a
# paragraph each re-render the page.
printf '\n## 备忘小标题\n\n正文。\n' >>"$m"
memo_step "memo: a heading added"
grep -q '备忘小标题</a>' "$S/public/meetings/$(basename "$m" .md)/index.html" && ok ||
	fail "the new heading is not in the page's contents list"
sed -i 's/正文。/正文有改。/' "$m"
memo_step "memo: a word changed in the body"
# A layout is keyed by the templates it reads (mustache.h
# nb_mustache_digest): changing the meeting layout renders the meeting
# pages, not the others.
cp "$S/themes/default/layouts/meeting.mustache" "$TMP/meeting.bak"
printf '<!-- memo -->\n' >>"$S/themes/default/layouts/meeting.mustache"
memo_step "memo: the meeting layout changed"
n_meet=$(ls "$S"/content/meetings/*/*.md | wc -l)
[ "$(rendered)" -ge 1 ] && [ "$(rendered)" -le "$n_meet" ] && [ "$(skipped)" -gt $((pages / 2)) ] && ok ||
	fail "meeting layout changed: $(grep '^stats: rendered' "$TMP/stats"), $n_meet meetings of $pages pages"
cp "$TMP/meeting.bak" "$S/themes/default/layouts/meeting.mustache"
memo_step "memo: the meeting layout restored"
# Moved away, not deleted: deleting it would unlink the live pages'
# other names, which moves their change times (a miss, not a skip).
mv "$P" "$TMP/old-previous"
printf '\n备忘三。\n' >>"$m"
memo_step "memo: one meeting changed, fresh tree"
[ "$(rendered)" -lt $((pages / 4)) ] && ok || fail "fresh tree: $(grep '^stats: rendered' "$TMP/stats")"

# A live page edited by hand, same size, same inode, its mtime put back:
# only the change time tells, and the next rebuild restores the page.
edited="decisions/index.html $(cd "$S/public" && find decisions -mindepth 2 -name index.html | LC_ALL=C sort | head -1)"
for rel in $edited; do
	f=$S/public/$rel
	touch -r "$f" "$TMP/mtime"
	size=$(wc -c <"$f")
	printf 'X' | dd of="$f" bs=1 seek=200 conv=notrunc 2>/dev/null
	touch -r "$TMP/mtime" "$f"
	[ "$(wc -c <"$f")" = "$size" ] && ok || fail "the hand edit changed the size"
done
printf '\n备忘四。\n' >>"$m"
memo_step "memo: live pages edited by hand"
for rel in $edited; do
	cmp -s "$S/public/$rel" "$TMP/clean/$rel" && ok || fail "a hand-edited page was kept: $rel"
done

# Same at any number of threads.
printf '\n备忘五。\n' >>"$m"
NB_JOBS=1 memo_step "memo: NB_JOBS=1"
# One core keys the feeds as a group too: a second body edit links them.
printf '\n备忘五之二。\n' >>"$m"
NB_JOBS=1 memo_step "memo: NB_JOBS=1, again"
[ "$(feeds)" = reused ] && ok || fail "NB_JOBS=1 made the feeds again: $(grep '^stats: rendered' "$TMP/stats")"
printf '\n备忘六。\n' >>"$m"
NB_JOBS=2 memo_step "memo: NB_JOBS=2"
[ "$(skipped)" -gt $((pages / 2)) ] && ok || fail "NB_JOBS=2: $(grep '^stats: rendered' "$TMP/stats")"

# A link in pages that are not rendered again breaks: a template links to a
# static file, which is then deleted. No page's inputs changed, yet the
# build must fail with the messages a clean build gives.
mkdir -p "$S/static"
echo memo >"$S/static/memo-target.txt"
cp "$S/themes/default/layouts/404.mustache" "$TMP/404.bak"
cp "$S/themes/default/layouts/decision.mustache" "$TMP/decision.bak"
sed -i 's|{{/main}}|<a href="{{site.base_path}}memo-target.txt">memo</a>{{/main}}|' \
	"$S/themes/default/layouts/404.mustache" "$S/themes/default/layouts/decision.mustache"
memo_step "memo: a template links to a static file"
printf '\n备忘七。\n' >>"$m"
memo_step "memo: before the static file goes"
rm "$S/static/memo-target.txt"
NB_BUILD_STATS=1 "$NB" -s "$S" build --as-of $ASOF >"$TMP/inc.out" 2>"$TMP/stats" &&
	fail "a link broken in unrendered pages did not fail the build" || ok
[ "$(skipped)" -gt $((pages / 2)) ] && ok || fail "broken link: pages were rendered anyway: $(grep '^stats: rendered' "$TMP/stats")"
grep -v '^stats:' "$TMP/stats" >"$TMP/inc.err"
rm -rf "$TMP/clean2"
"$NB" -s "$S" build --as-of $ASOF -o "$TMP/clean2" >"$TMP/clean.out" 2>"$TMP/clean.err" && fail "clean build with the broken link passed" || ok
grep -q 'memo-target.txt' "$TMP/inc.err" && ok || fail "no link-broken error: $(head -3 "$TMP/inc.err")"
sed "s|$TMP/clean2|OUT|g" "$TMP/clean.err" >"$TMP/clean.err2"; sed "s|$S/public|OUT|g" "$TMP/inc.err" >"$TMP/inc.err2"
cmp -s "$TMP/inc.err2" "$TMP/clean.err2" && ok || { fail "broken link: messages differ from a clean build's"; diff "$TMP/inc.err2" "$TMP/clean.err2" | head >&2; }
cp "$TMP/404.bak" "$S/themes/default/layouts/404.mustache"
cp "$TMP/decision.bak" "$S/themes/default/layouts/decision.mustache"
memo_step "memo: the link removed again"

# A bad record is no record: truncated, garbage, empty.
for bad in truncate garbage empty; do
	for r in "$S"/.noticeboard-cache/memo-*; do
		case $bad in
		truncate) head -c "$(($(wc -c <"$r") / 2))" "$r" >"$TMP/rec" && cp "$TMP/rec" "$r" ;;
		garbage) head -c 4096 /dev/urandom >"$r" ;;
		empty) : >"$r" ;;
		esac
	done
	printf '\n坏记录 %s。\n' $bad >>"$m"
	memo_step "memo: $bad record"
	[ "$(skipped)" = 0 ] && ok || fail "$bad record: pages were skipped: $(grep '^stats: rendered' "$TMP/stats")"
done
printf '\n记录恢复。\n' >>"$m"
memo_step "memo: record written again"
[ "$(skipped)" -gt $((pages / 2)) ] && ok || fail "no skip after a bad record was replaced: $(grep '^stats: rendered' "$TMP/stats")"

# The no-op key stays linear in the folders it walks (output/cache.c): a
# site with 3,000 folders where the walk splits into tasks. Each task once
# got a copy of every folder seen before it, 7.8 GB at 10,000 pages in a
# published site; the limit is far above a linear walk, far below that.
mkdir -p "$S/notes/many"
i=0; while [ $i -lt 3000 ]; do mkdir "$S/notes/many/d$i"; i=$((i + 1)); done
rebuild
/usr/bin/time -f '%M' -o "$TMP/rss" "$NB" -q -s "$S" build --as-of $ASOF >/dev/null 2>&1 && ok || fail "many folders: no-op failed"
[ "$(tail -1 "$TMP/rss")" -lt 300000 ] && ok || fail "many folders: a no-op took $(tail -1 "$TMP/rss") KB"
rm -rf "$S/notes"

# --- Charter comparisons' diffs (generator/util/diffmemo.h) -----------------------
# Each article diff of a charter comparison is kept, keyed by its two
# texts: a rebuild takes every unchanged one from the memo, and an edited
# article is diffed again, alone. The edit replaces two characters of text
# new in v2 by two others: a memo keyed by less than both texts would
# still lay its old record over them, and reuse it.
diffs() { sed -n 's/^stats: charter diffs \([0-9]*\), reused.*/\1/p' "$TMP/stats" | tail -1; }
diffs_reused() { sed -n 's/^stats: charter diffs [0-9]*, reused \([0-9]*\)$/\1/p' "$TMP/stats" | tail -1; }
dm=$S/.noticeboard-cache/charter-diffs
v2=$S/content/charters/huaiyin/v2.md
changes=$S/public/charters/huaiyin/v2/changes/index.html
printf '\n比较备忘。\n' >>"$m"
memo_step "charter diffs: a meeting changed"
n=$(diffs)
[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$(diffs_reused)" = "$n" ] && ok ||
	fail "a meeting edit diffed charters again: $(grep '^stats: charter' "$TMP/stats")"
grep -q '每季度公示一次' "$v2" && ok || fail "test set-up: v2 no longer has the sentence the edit changes"
for to in 半年 两月 每周; do
	sed -i "s/每[^公]*公示一次/每${to}公示一次/" "$v2"
	memo_step "charter diffs: v2's article changed ($to)"
	[ "$(diffs)" = "$n" ] && [ "$(diffs_reused)" = $((n - 1)) ] && ok ||
		fail "one article edited: $(grep '^stats: charter' "$TMP/stats") (expected $n, reused $((n - 1)))"
	grep -q "${to}公示一次" "$changes" && ok || fail "the edited article is not on the comparison page ($to)"
	# Kept are exactly the diffs this build used, as a clean build keeps them.
	cmp -s "$dm" "$TMP/cs/.noticeboard-cache/charter-diffs" && ok ||
		fail "the diff memo differs from a clean build's ($to): $(wc -c "$dm" "$TMP/cs/.noticeboard-cache/charter-diffs")"
done
for bad in truncate garbage flip; do
	case $bad in
	truncate) head -c "$(($(wc -c <"$dm") - 1))" "$dm" >"$TMP/rec" && cp "$TMP/rec" "$dm" ;;
	garbage) head -c 4096 /dev/urandom >"$dm" ;;
	flip) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' "$dm" ;;
	esac
	printf '\n比较备忘 %s。\n' $bad >>"$m"
	memo_step "charter diffs: $bad memo"
	[ "$(diffs_reused)" = 0 ] && ok || fail "$bad diff memo was used: $(grep '^stats: charter' "$TMP/stats")"
	cmp -s "$dm" "$TMP/cs/.noticeboard-cache/charter-diffs" && ok || fail "the $bad diff memo was not written anew"
done
# A build killed while writing the memo leaves its temporary file: the
# next writer takes that name over, so they do not pile up.
head -c 4096 /dev/urandom >"$dm.tmp"
sed -i "s/每[^公]*公示一次/每年公示一次/" "$v2"
memo_step "charter diffs: a killed writer's temporary file left behind"
[ ! -e "$dm.tmp" ] && [ "$(ls "$S/.noticeboard-cache" | grep -c '^charter-diffs')" = 1 ] && ok ||
	fail "diff memo files pile up: $(ls "$S/.noticeboard-cache")"

# --- Publications: the number is outside the page memo's keys (memo.h) -----------
# Every page names the first publication that served it as it is, in a
# meta tag (pubtag.h); a publish after one edit renders only the pages
# that changed and keeps the others as the last publication recorded them,
# and the served folder is still exactly a clean build of that publication
# (which reads the previous publication's pages from the record).
# The first publish, with no served folder yet, records the memo of what
# it serves, so pub-2 already renders only what changed.
S=$TMP/pubsite; P=$S/public
demo_copy "$S"
pm=$S/content/meetings/2024/huaiyin-2024-03-plenary.md
pub_step() { # pub_step N NAME: edit, publish N with stats, compare with a clean build
	printf '\n第 %s 次发布。\n' "$1" >>"$pm"
	if NB_BUILD_STATS=1 "$NB" -q -s "$S" publish -m "$2" --as-of $ASOF 2>"$TMP/stats"; then ok; else
		fail "$2: publish failed"; grep -v '^stats:' "$TMP/stats" >&2; return; fi
	bad=$(pages_named_by_record "$S/audit.git" "$P" "$1" | head -3)
	[ -z "$bad" ] && ok || fail "$2: pages not as the publication they name recorded them: $bad"
	grep -q "<meta name=\"noticeboard:publication\" content=\"$1\">" "$P/meetings/huaiyin-2024-03-plenary/index.html" &&
		ok || fail "$2: the edited meeting does not name publication $1"
	rm -rf "$TMP/clean" "$TMP/cs" && mkdir -p "$TMP/cs"
	(cd "$S" && tar cf - --exclude=./public --exclude='./public.*' --exclude=./.noticeboard-cache \
		--exclude=./audit.git .) | (cd "$TMP/cs" && tar xf -)
	if "$NB" -q -s "$TMP/cs" build --as-of $ASOF --publication "$1" --audit-repo "$S/audit.git" \
		-o "$TMP/clean"; then ok; else fail "$2: clean build of publication $1 failed"; return; fi
	if diff -r -x audit.git "$P" "$TMP/clean" >"$TMP/diff" 2>&1; then ok; else
		fail "$2: served folder differs from a clean build of publication $1"; head -20 "$TMP/diff" >&2; fi
	"$NB" -q -s "$S" verify --rebuild "$1" >"$TMP/verify" 2>&1 && ok ||
		{ fail "$2: verify --rebuild $1"; head -5 "$TMP/verify" >&2; }
}
pub_step 1 "publication 1"
pub_step 2 "publication 2"
pages=$(find "$P" -name '*.html' | wc -l)
[ "$(skipped)" -gt $((pages / 2)) ] && ok ||
	fail "publication 2: the first publish left no memo: $(grep '^stats: rendered' "$TMP/stats") of $pages pages"
pub_step 3 "publication 3, one meeting edited"
[ "$(skipped)" -gt $((pages / 2)) ] && [ "$(rendered)" -lt $((pages / 4)) ] && ok ||
	fail "publication 3: unchanged pages rendered again: $(grep '^stats: rendered' "$TMP/stats") of $pages pages"
# The search index's files hold no publication number: those the edit
# left alone are put from the served folder, whatever publication the
# memo's record is of.
set -- $(search_made)
[ "${1:-0}" -ge 1 ] && [ "$1" -lt "$2" ] && ok ||
	fail "publication 3: search files made again: $(search_made)"
# ... and kept as recorded, so publication 3 records only what changed.
named3=$(grep -rl --include='*.html' 'noticeboard:publication" content="3"' "$P" | wc -l)
[ "$named3" -gt 0 ] && [ "$named3" -lt $((pages / 4)) ] && ok ||
	fail "publication 3: $named3 of $pages pages name it, not only the changed ones"
[ "$(git --git-dir="$S/audit.git" diff --name-only pub-2 pub-3 -- public | grep -c '\.html$')" = "$named3" ] && ok ||
	fail "publication 3: the pages git sees changed are not those naming it"
# What the pages say about publications besides the tag is in their
# contexts: the edited meeting's page now tells it was amended in #3.
grep -q 'href="[^"]*history/3/' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok ||
	fail "publication 3: the edited meeting does not link its amendment in #3"
# A tag the memo cannot find where it must be (here past the first 4 KB
# of the page) is never rewritten by guess: the pages are rendered.
base=$S/themes/default/layouts/base.mustache; cp "$base" "$TMP/base.bak"
pad=$(head -c 5000 /dev/zero | tr '\0' x)
sed -i "s|^{{#site.publication}}\$|<!-- $pad -->\n{{#site.publication}}|" "$base"
pub_step 4 "publication 4, tag moved past 4 KB"
pub_step 5 "publication 5, tag past 4 KB"
[ "$(skipped)" = 0 ] && ok || fail "publication 5: a tag past 4 KB was rewritten: $(grep '^stats: rendered' "$TMP/stats")"
# A theme that shows the number elsewhere too keeps it in the keys.
cp "$TMP/base.bak" "$base"
sed -i 's|^<body \(.*\)>$|<body \1><p class="pub-no">{{site.publication}}</p>|' "$base"
grep -q 'pub-no' "$base" && ok || fail "test set-up: the number was not added to the body"
pub_step 6 "publication 6, number in the body"
pub_step 7 "publication 7, number in the body"
[ "$(skipped)" = 0 ] && ok || fail "publication 7: pages showing the number were reused: $(grep '^stats: rendered' "$TMP/stats")"
grep -q '<p class="pub-no">7</p>' "$P/index.html" && ok || fail "publication 7: the body does not show 7"
cp "$TMP/base.bak" "$base"
pub_step 8 "publication 8, theme restored"
pub_step 9 "publication 9, one meeting edited"
[ "$(skipped)" -gt $((pages / 2)) ] && ok || fail "publication 9: no page reused: $(grep '^stats: rendered' "$TMP/stats")"
# A plain build into the served folder in between (no tags, so no memo of
# a publication): the next publish renders every page and still keeps
# those publication 9 served unchanged, read back from the record.
"$NB" -q -s "$S" build --as-of $ASOF && ok || fail "plain build between publications"
pub_step 10 "publication 10, after a plain build"
[ "$(skipped)" = 0 ] && ok || fail "publication 10: pages of a plain build were reused: $(grep '^stats: rendered' "$TMP/stats")"
named10=$(grep -rl --include='*.html' 'noticeboard:publication" content="10"' "$P" | wc -l)
[ "$named10" -gt 0 ] && [ "$named10" -lt $((pages / 4)) ] && ok ||
	fail "publication 10: $named10 of $pages pages name it, not only the changed ones"
# A new program (here a copy of this one, another file) reads the history
# from the commits, not from what the last publish remembered; the publish
# after it sees the same history and renders only what changed, not every
# history page again.
cp "$NB" "$TMP/nb-copy"; nb_was=$NB; NB=$TMP/nb-copy
pub_step 11 "publication 11, a new program"
pub_step 12 "publication 12, the same new program"
NB=$nb_was
hpages=$(find "$P/history" -name index.html | wc -l)
[ "$(rendered)" -lt "$hpages" ] && ok ||
	fail "publication 12: history pages rendered again: $(grep '^stats: rendered' "$TMP/stats"), $hpages history pages"

# --- The load's scratch file (generator/load/doccache.h nb_doccache_spill) ----------
# A build keeps each fresh document's HTML and text in an anonymous
# scratch file from the moment it is rendered, not in memory; pages read
# them back from there (documents too new to record: the racy-clean rule)
# or, once saving copied them, from `docs`. Every way must give the pages
# of a build that held them in memory: one whose cache folder cannot be
# made (a file is in its place), so it has neither memo nor scratch file.
SP=$TMP/spill
rm -rf "$SP" && demo_copy "$SP/mem" && demo_copy "$SP/site"
: >"$SP/mem/.noticeboard-cache"
"$NB" -q -s "$SP/mem" build --as-of $ASOF -o "$SP/ref" && [ -f "$SP/mem/.noticeboard-cache" ] && ok ||
	fail "scratch: the build without a cache folder failed or made one"
spill_same() { # spill_same STEP OUT
	if diff -r "$SP/ref" "$2" >"$TMP/diff" 2>&1; then ok; else
		fail "$1: pages differ from a build holding the text in memory"
		head -20 "$TMP/diff" >&2
	fi
}
spill_build() { # spill_build STEP OUT [jobs]
	NB_JOBS=${3:-2} NB_BUILD_STATS=1 "$NB" -q -s "$SP/site" build --as-of $ASOF -o "$2" 2>"$TMP/stats" &&
		ok || fail "$1: build failed"
	spill_same "$1" "$2"
}
spill_build "scratch: sources too new to record" "$SP/o1"
sleep 2.1
rm -rf "$SP/site/.noticeboard-cache"
spill_build "scratch: every document recorded from it" "$SP/o2" 3
[ "$(reused)" = 0 ] && [ "$(docs_total)" -gt 40 ] && ok ||
	fail "scratch: expected a first build of the whole demo: $(grep '^stats: documents' "$TMP/stats")"
spill_build "scratch: restored from what it recorded" "$SP/o3" 1
[ "$(reused)" = "$(docs_total)" ] && ok ||
	fail "scratch: the memo written from it was not reused: $(grep '^stats: documents' "$TMP/stats")"
[ -z "$(ls "$SP/site/.noticeboard-cache" | grep -v -e '^docs' -e '^memo-' -e '^build-' -e '^search' -e '^charter-diffs')" ] &&
	ok || fail "scratch: a file left in the cache folder: $(ls "$SP/site/.noticeboard-cache")"

# --- A library upgraded under the same binary (generator/output/memo.c identity)
# Some parts of a page are in its key as what they are drawn from, not as
# the drawing (a notice's QR code: its address and label), so the page
# memo must not outlive the libraries that draw them. Another
# libqrencode, stood in for by a preloaded QRcode_APIVersionString, is
# another program: no page is reused, and the next build with the real one
# neither. (ASan wants its runtime first; the stand-in has no code of it.)
QS=$TMP/qsite
demo_copy "$QS"
sed -i 's|^base_url: .*|base_url: "https://q.example.org/"|' "$QS/site.yaml"
QV=$TMP/qrver
mkdir -p "$QV"
printf 'const char *QRcode_APIVersionString(void) { return "0.0.0-stand-in"; }\n' >"$QV/v.c"
q_build() { # q_build STEP [preload]: build with stats, compare with a clean build
	if LD_PRELOAD=${2:-} ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		NB_BUILD_STATS=1 "$NB" -q -s "$QS" build --as-of $ASOF 2>"$TMP/stats"; then ok; else
		fail "$1: build failed"; grep -v '^stats:' "$TMP/stats" >&2; fi
	rm -rf "$TMP/qclean" "$TMP/qcs" && mkdir -p "$TMP/qcs"
	cp -r "$QS/site.yaml" "$QS/content" "$TMP/qcs/"
	[ ! -d "$QS/themes" ] || cp -r "$QS/themes" "$TMP/qcs/"
	"$NB" -q -s "$TMP/qcs" build --as-of $ASOF -o "$TMP/qclean" && ok || fail "$1: clean build failed"
	diff -r "$QS/public" "$TMP/qclean" >"$TMP/diff" 2>&1 && ok ||
		{ fail "$1: output differs from a clean build"; head -20 "$TMP/diff" >&2; }
}
if ${CC:-cc} -shared -fPIC -o "$QV/v.so" "$QV/v.c" 2>"$QV/cc"; then
	q_build "library: first build"
	sleep 2.1
	printf '\n库。\n' >>"$QS/content/meetings/2024/huaiyin-2024-03-plenary.md"
	q_build "library: one meeting changed"
	[ "$(skipped)" -gt 0 ] && ok || fail "library: test set-up: nothing reused by the same program"
	grep -rq '<svg class="qr"' "$QS/public/meetings" && ok || fail "library: test set-up: no QR code"
	q_build "library: a stand-in libqrencode" "$QV/v.so"
	[ "$(skipped)" = 0 ] && [ "$(rendered)" -gt 0 ] && ok ||
		fail "another libqrencode reused pages: $(grep '^stats: rendered' "$TMP/stats")"
	q_build "library: the real one again"
	[ "$(skipped)" = 0 ] && ok ||
		fail "the real libqrencode reused pages the stand-in recorded: $(grep '^stats: rendered' "$TMP/stats")"
else
	fail "test set-up: cannot compile a shared object: $(head -3 "$QV/cc")"
fi

# --- A long series of evaluations (render/trends.h `later`) ----------------
# A chart draws a community's newest 64 periods; the page of an older
# period gets its chart drawn whole, around its own period, and only when
# the page is rendered: its key holds a digest of what the chart is drawn
# from instead. An edit to an older period's figure reaches every page
# whose chart shows it, as a clean build draws it.
LS=$TMP/long
demo_copy "$LS"
i=0
while [ $i -lt 70 ]; do
	y=$((2000 + i / 4)); q=$((i % 4 + 1))
	printf -- '---\ntitle: "槐荫社区%d年第%d季度评估"\nid: "huaiyin-old-%02d"\ncommunity: "huaiyin"\nperiod: "%d-Q%d"\ninternal: {informed: 0.%02d}\n---\n评估。\n' \
		$y $q $i $y $q $((20 + i % 50)) >"$LS/content/evaluations/2024/huaiyin-old-$i.md"
	i=$((i + 1))
done
sleep 2.1
long_build() { # long_build STEP: build in place, compare with a clean build
	NB_BUILD_STATS=1 "$NB" -q -s "$LS" build --as-of $ASOF 2>"$TMP/stats" && ok ||
		{ fail "$1: build failed"; grep -v '^stats:' "$TMP/stats" >&2; }
	rm -rf "$TMP/lsclean" "$TMP/lscs" && mkdir -p "$TMP/lscs"
	cp -r "$LS/site.yaml" "$LS/content" "$TMP/lscs/"
	[ ! -d "$LS/themes" ] || cp -r "$LS/themes" "$TMP/lscs/"
	"$NB" -q -s "$TMP/lscs" build --as-of $ASOF -o "$TMP/lsclean" && ok ||
		fail "$1: clean build failed"
	diff -r "$LS/public" "$TMP/lsclean" >"$TMP/diff" 2>&1 && ok ||
		{ fail "$1: output differs from a clean build"; head -20 "$TMP/diff" >&2; }
}
long_build "long series: first build"
long_build "long series: second build"
old=$LS/public/evaluations/huaiyin-old-01/index.html
# Its own period current, in its chart of six.
grep -q 'chart-dot is-current' "$old" && [ "$(grep -c '<svg' "$old")" -ge 1 ] && ok ||
	fail "long series: an older period's page has no chart with its period marked"
sed -i 's/informed: 0.23}/informed: 0.87}/' "$LS/content/evaluations/2024/huaiyin-old-3.md"
grep -q 'informed: 0.87}' "$LS/content/evaluations/2024/huaiyin-old-3.md" && ok ||
	fail "long series: test set-up: the edit did not apply"
long_build "long series: an older period's figure changed"
[ "$(rendered)" -ge 70 ] && ok ||
	fail "long series: the pages whose charts show the figure were not rendered: $(grep '^stats: rendered' "$TMP/stats")"
grep -q '87.0%' "$old" && ok || fail "long series: the new figure is not in an older page's chart"

# --- A later as-of date (theme.h as_of_unread) -----------------------------
# Every page's `site` holds the date deadlines are judged by. No template
# of the default theme reads it, so the page memo leaves it out of its keys:
# a build on a later day renders only the pages whose data that day
# changes, and the rest are the same bytes as a clean build's. A theme
# that shows the date on every page keeps it in the keys.
AO=$TMP/asof
demo_copy "$AO"
asof_build() { # asof_build STEP DATE: build in place, compare with a clean build
	NB_BUILD_STATS=1 "$NB" -q -s "$AO" build --as-of "$2" 2>"$TMP/stats" && ok ||
		fail "$1: build failed"
	rm -rf "$TMP/aoclean" "$TMP/aocs" && mkdir -p "$TMP/aocs"
	cp -r "$AO/site.yaml" "$AO/content" "$AO/themes" "$TMP/aocs/"
	"$NB" -q -s "$TMP/aocs" build --as-of "$2" -o "$TMP/aoclean" && ok ||
		fail "$1: clean build failed"
	diff -r "$AO/public" "$TMP/aoclean" >"$TMP/diff" 2>&1 && ok ||
		{ fail "$1: output differs from a clean build"; head -20 "$TMP/diff" >&2; }
}
asof_build "as-of: first build" 2026-11-25
sleep 2.1
asof_build "as-of: a week later" 2026-12-02
aopages=$(find "$AO/public" -name '*.html' | wc -l)
[ "$(skipped)" -gt $((aopages / 4)) ] && ok ||
	fail "as-of: a later day rendered every page again: $(grep '^stats: rendered' "$TMP/stats")"
sed -i 's|^<body \(.*\)>$|<body \1><p class="as-of">{{site.as_of}}</p>|' "$AO/themes/default/layouts/base.mustache"
grep -q 'site.as_of' "$AO/themes/default/layouts/base.mustache" && ok || fail "as-of: test set-up failed"
asof_build "as-of: a theme showing the date" 2026-12-02
sleep 2.1
asof_build "as-of: that theme a day later" 2026-12-03
[ "$(skipped)" = 0 ] && ok ||
	fail "as-of: pages showing the date were reused: $(grep '^stats: rendered' "$TMP/stats")"
grep -q '<p class="as-of">2026-12-03</p>' "$AO/public/index.html" && ok ||
	fail "as-of: the home page does not show the new date"

finish e2e_incremental
