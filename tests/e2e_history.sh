#!/bin/sh
# End-to-end: the publication history on the site (/history/, /history/N/,
# "first published in #N · amended in #M" on document pages). Two
# publications (amended minutes, a corrected vote, an added decision),
# then: the pages say exactly that, each publication's output is rebuilt
# byte for byte from its recorded sources with `build --audit-repo
# --publication`, publishing unchanged content records nothing, and a site
# without an audit repository has no history section.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
export NB_PUBLISHER="Li Mei <limei@example.org>"
site_setup
P="$S/public"
MIN=content/meetings/2024/huaiyin-2024-03-plenary.md
DEC=content/decisions/2024/huaiyin-2024-elevator-bldg3.md
NEW=content/decisions/2025/huaiyin-2025-bike-racks.md

# --- no audit repository: no history section, nothing fails --------------------
nb build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "build without an audit repository"
[ ! -e "$P/history" ] && ok || fail "no /history/ without publications"
! grep -q 'footer-history' "$P/index.html" && ok || fail "no footer link without publications"
! grep -q 'class="doc-history"' "$P/decisions/huaiyin-2024-elevator-bldg3/index.html" && ok || fail "no history line without publications"
grep -q '<p class="doc-change-note"><strong>最近更正</strong>：2025年7月12日：更正上半年调解数据' "$P/decisions/tianbei-2024-mediation-room/index.html" && ok \
	|| fail "without publications, the page says when (updated:) and why (change_note:) it was corrected"
out=$(nb build --as-of $AS_OF --publication 1 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q 'publication history' && ok || fail "--publication without a repository is an error ($rc): $out"

# --- two publications ------------------------------------------------------------
nb publish -m "first publication" --as-of $AS_OF >/dev/null 2>&1 && ok || fail "publish #1"
grep -q '<h2><a href="/history/1/">第1次公示</a></h2>' "$P/history/index.html" && ok || fail "pub-1's output already lists pub-1"
printf '\n补充：本纪要经与会人员签字确认后公示。\n' >>"$S/$MIN"
sed -i 's/votes: {for: 7, against: 2/votes: {for: 8, against: 1/' "$S/$DEC"
NOTE="更正表决票数：原记录赞成7票、反对2票，经核对表决票为赞成8票、反对1票"
sed -i "s/^title: \(.*\)$/title: \1\nchange_note: \"$NOTE\"/" "$S/$DEC"
sed -e 's/huaiyin-2025-parking-lines/huaiyin-2025-bike-racks/' \
    -e 's/^title: .*/title: "关于在槐荫新村增设自行车停放架的决议"/' \
    "$S/content/decisions/2025/huaiyin-2025-parking-lines.md" >"$S/$NEW"
out=$(nb publish -m "amend minutes, correct vote, add decision" --as "Zhang Wei <zhangwei@example.org>" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'pub-2' && ok || fail "publish #2 ($rc): $out"

# --- /history/ --------------------------------------------------------------------
H="$P/history/index.html"
[ "$(grep -c 'class="history-entry"' "$H")" -eq 2 ] && ok || fail "/history/ lists 2 publications"
grep -n 'class="history-entry"' "$H" | head -1 | grep -q 'id="pub-2"' && ok || fail "/history/ is newest first"
grep -q '发布人：Zhang Wei' "$H" && grep -q '发布人：Li Mei' "$H" && ok || fail "/history/ names the publishers"
grep -q '<p class="history-message">amend minutes, correct vote, add decision</p>' "$H" && ok || fail "/history/ shows the message"
grep -q '<p class="history-counts">新增 1 · 修订 2 · 撤下 0</p>' "$H" && ok || fail "/history/ counts pub-2's changes"
n1=$(G show pub-1:manifest.json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["documents"]))')
grep -q "<p class=\"history-counts\">新增 $n1 · 修订 0 · 撤下 0</p>" "$H" && ok || fail "/history/ counts pub-1's $n1 documents"
# Residents read the day a publication was recorded (its commit's date),
# not the as-of date, which only says as of when deadlines were judged.
REC1=$(G log -1 --format=%ad --date=format:%Y-%m-%d 'pub-1^{commit}')
REC1_ZH=$(echo "$REC1" | awk -F- '{ printf "%d年%d月%d日", $1, $2, $3 }')
REC2_ZH=$(G log -1 --format=%ad --date=format:%Y-%m-%d 'pub-2^{commit}' | awk -F- '{ printf "%d年%d月%d日", $1, $2, $3 }')
[ "$REC1" != "$AS_OF" ] || skip "recorded today = as-of: the dates below cannot tell them apart"
grep -q "<time datetime=\"$REC1\">$REC1_ZH</time>" "$H" && ok || fail "/history/ shows the recording date $REC1"
! grep -q "<time datetime=\"$AS_OF\">" "$H" || [ "$REC1" = "$AS_OF" ] && ok || fail "/history/ does not date publications by their as-of"
grep -q '<div><dt>期限判定截至</dt><dd>2026年11月25日</dd></div>' "$P/history/1/index.html" && ok \
	|| fail "/history/1/ says as of when deadlines were judged"
grep -q 'href="/decisions/huaiyin-2025-bike-racks/">关于在槐荫新村增设自行车停放架的决议</a>' "$H" && ok || fail "/history/ links the added decision"
grep -q 'href="/history/2/#doc-huaiyin-2024-elevator-bldg3"' "$H" && ok || fail "/history/ links the change"
grep -q '<p class="footer-history"><a href="/history/">' "$P/index.html" && ok || fail "footer links /history/"

# --- /history/2/ ----------------------------------------------------------------
H2="$P/history/2/index.html"
# Fields in the site's language, values too; the raw key only as data.
grep -q '<li data-field="votes.for"><span class="field-name">表决票数·赞成</span>：<span class="field-from">7</span> → <span class="field-to">8</span></li>' "$H2" && ok || fail "/history/2/ shows 表决票数·赞成：7 → 8"
grep -q '<li data-field="votes.against"><span class="field-name">表决票数·反对</span>：<span class="field-from">2</span> → <span class="field-to">1</span></li>' "$H2" && ok || fail "/history/2/ shows 表决票数·反对：2 → 1"
grep -q "<span class=\"field-name\">修订说明</span>：<span class=\"field-from\">无</span> → <span class=\"field-to\">$NOTE</span>" "$H2" && ok || fail "an absent value is 无, never (none)"
! grep -q '(none)' "$H2" && ! grep -q '>votes\.' "$H2" && ok || fail "no raw keys or (none) on the Chinese page"
grep -q "<p class=\"change-note\"><strong>修订说明</strong>：$NOTE</p>" "$H2" && ok || fail "/history/2/ shows the correction note"
grep -q "<span class=\"change-note\">修订说明：$NOTE</span>" "$P/history/index.html" && ok || fail "/history/ shows the correction note"
grep -q '<span class="diff-add">+补充：本纪要经与会人员签字确认后公示。</span>' "$H2" && ok || fail "/history/2/ has the minutes' text diff"
grep -q 'id="doc-huaiyin-2024-03-plenary"' "$H2" && grep -q 'id="doc-huaiyin-2025-bike-racks"' "$H2" && ok || fail "/history/2/ has an anchor per document"
! grep -q 'huaiyin-2024-ebike-charging' "$H2" && ok || fail "/history/2/ leaves out unchanged documents"
grep -q 'rel="prev" href="/history/1/"' "$H2" && ok || fail "/history/2/ links the previous publication"

# --- the line on document pages -------------------------------------------------------
line=$(grep 'class="doc-history"' "$P/decisions/huaiyin-2024-elevator-bldg3/index.html")
# Publication 1 adds more documents than a page holds (page size 6): the
# link names the page of /history/1/ that holds the decision's entry.
href=$(echo "$line" | sed -n 's|.*首次发布于<a href="\(/history/1/[^"#]*\)#doc-huaiyin-2024-elevator-bldg3">第1次公示</a>（'"$REC1_ZH"'）.*|\1|p')
[ -n "$href" ] && ok || fail "decision: first published in #1 on its recording date: $line"
[ "$href" != /history/1/ ] && grep -q 'id="doc-huaiyin-2024-elevator-bldg3"' "$P${href}index.html" && ok \
	|| fail "the link lands on the page of /history/1/ holding the decision: $href"
[ -f "$P/history/1/page/2/index.html" ] && grep -q '第 2 页，共 ' "$P/history/1/page/2/index.html" \
	&& grep -q '<link rel="prev" href="/history/1/">' "$P/history/1/page/2/index.html" && ok \
	|| fail "/history/1/page/2/ says which page it is and links back by rel=prev"
echo "$line" | grep -q '于<a href="/history/2/#doc-huaiyin-2024-elevator-bldg3">第2次公示</a>修订' && ok || fail "decision: amended in #2: $line"
line=$(grep 'class="doc-history"' "$P/decisions/huaiyin-2025-bike-racks/index.html")
echo "$line" | grep -q '首次发布于<a href="/history/2/#doc-huaiyin-2025-bike-racks">第2次公示</a>' && ! echo "$line" | grep -q '修订' && ok || fail "new decision: first published in #2 only: $line"
grep -q 'class="doc-history"' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok || fail "meeting pages have the line"
grep -q "<p class=\"doc-change-note\"><strong>最近更正</strong>：$REC2_ZH（<a href=\"/history/2/#doc-huaiyin-2024-elevator-bldg3\">第2次公示</a>）：$NOTE</p>" "$P/decisions/huaiyin-2024-elevator-bldg3/index.html" && ok \
	|| fail "the decision says when (pub-2's recording date) and why it was last corrected"
! grep -q 'doc-change-note' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok || fail "an amendment without a note has no note line"
grep -q 'class="doc-history"' "$P/pages/about/index.html" && ok || fail "plain pages have the line"

# --- English ---------------------------------------------------------------------------
E="$TMP/en"; cp -r "$S" "$E"; rm -rf "$E/public"
sed -i 's/^language: .*/language: en/' "$E/site.yaml"
"$NB" -s "$E" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "English build"
line=$(grep 'class="doc-history"' "$E/public/decisions/huaiyin-2024-elevator-bldg3/index.html")
echo "$line" | grep -q "First published in <a href=\"$href#doc-huaiyin-2024-elevator-bldg3\">#1</a> on " && echo "$line" | grep -q ' · amended in <a href="/history/2/#doc-huaiyin-2024-elevator-bldg3">#2</a>' && ok || fail "English line: $line"
grep -q '<span class="field-name">Votes · for</span>: <span class="field-from">7</span> → <span class="field-to">8</span>' "$E/public/history/2/index.html" && ok || fail "English field names"
grep -q '<span class="field-name">Correction note</span>: <span class="field-from">None</span>' "$E/public/history/2/index.html" && ok || fail "English: an absent value is None"

# --- paged to one a page: /history/ by publications, /history/N/ by documents ----------
O="$TMP/one"; cp -r "$S" "$O"; rm -rf "$O/public"
sed -i 's/^  page_size: .*/  page_size: 1/' "$O/site.yaml"
"$NB" -s "$O" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "build with page size 1"
grep -q 'id="pub-2"' "$O/public/history/index.html" && ! grep -q 'id="pub-1"' "$O/public/history/index.html" \
	&& ok || fail "/history/ holds the newest publication only"
HP2="$O/public/history/page/2/index.html"
grep -q 'id="pub-1"' "$HP2" && grep -q '第 2 页，共 2 页' "$HP2" && grep -q '<link rel="prev" href="/history/">' "$HP2" \
	&& ok || fail "/history/page/2/ holds publication 1, says 第 2 页，共 2 页, links back by rel=prev"
n_add=$(grep -o '新增 [0-9]*' "$HP2" | head -1 | tr -dc 0-9)
grep -q "<li class=\"history-more\"><a href=\"/history/1/\">另有 $((n_add - 1)) 份，见本次公示页</a></li>" "$HP2" \
	&& ok || fail "/history/ shows a page's worth of documents and how many more ($n_add added)"
for n in 1 2; do
	python3 "$ROOT/tests/tools/history-check.py" "$R" "$O/public" $n 1 >"$TMP/hc.out" 2>&1 \
		&& ok || fail "publication $n's documents each on one page of /history/$n/: $(tail -20 "$TMP/hc.out")"
done

# --- reproduce each publication from its recorded sources ------------------------------
for n in 1 2; do
	RB="$TMP/rebuild$n"; mkdir -p "$RB"
	G archive pub-$n site public | tar -x -C "$RB"
	"$NB" -s "$RB/site" build --audit-repo "$R" --publication $n -o "$RB/out" >/dev/null 2>&1 && ok || fail "pub-$n's sources build"
	diff -r -x .noticeboard-output "$RB/out" "$RB/public" >/dev/null 2>&1 && ok || fail "rebuilt pub-$n is byte-identical to its public/: $(diff -rq -x .noticeboard-output "$RB/out" "$RB/public" | head -3)"
done
"$NB" -s "$TMP/rebuild1/site" build --audit-repo "$R" --publication 3 -o "$TMP/x" >/dev/null 2>&1; [ $? -ne 0 ] && ok || fail "--publication past the last one fails"
"$NB" -s "$TMP/rebuild1/site" build --publication x >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "--publication x exits 2"

# --- publishing unchanged content records nothing ----------------------------------------
before=$(cd "$P" && find . -type f | LC_ALL=C sort | xargs sha256sum)
out=$(nb publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'nothing recorded' && ok || fail "unchanged publish records nothing ($rc): $out"
[ "$(G tag -l 'pub-*' | wc -l)" -eq 2 ] && ok || fail "still 2 publications"
[ "$(cd "$P" && find . -type f | LC_ALL=C sort | xargs sha256sum)" = "$before" ] && ok || fail "unchanged publish serves the same bytes"
nb verify >/dev/null 2>&1 && ok || fail "verify after the unchanged publish"
# A build that says it is the last publication shows the same history and
# is byte for byte what was published (meta tags, manifest.sha256); a plain
# build is no publication, so it names none and shows every commit id.
nb build --as-of $AS_OF --publication 2 >/dev/null 2>&1 && nb verify >/dev/null 2>&1 && ok || fail "build --publication 2 equals the last publication"
nb build --as-of $AS_OF >/dev/null 2>&1; ! grep -q 'noticeboard:publication' "$P/index.html" && [ ! -e "$P/manifest.sha256" ] && \
	grep -q "$(G rev-parse pub-2^{commit})" "$P/history/index.html" && ok || fail "a plain build names no publication and shows the last commit id"

# --- a new publication is not hidden by the build cache ------------------------------------
# Same sources, options and output folder (outside the site folder, so the
# publish's own output swap cannot cause the miss): only the history differs.
M="$TMP/mirror.git"; git init -q --bare "$M"
RS="$TMP/rebuild2/site"; X="$TMP/cached"
nb push "$M" >/dev/null 2>&1 && ok || fail "push to a mirror"
"$NB" -s "$RS" build --as-of $AS_OF --audit-repo "$M" -o "$X" >/dev/null 2>&1
! grep -q 'id="pub-3"' "$X/history/index.html" && ok || fail "no pub-3 yet"
nb publish --allow-empty -m "third" --as-of $AS_OF >/dev/null 2>&1
nb push "$M" >/dev/null 2>&1
NB_BUILD_STATS=1 "$NB" -s "$RS" build --as-of $AS_OF --audit-repo "$M" -o "$X" >"$TMP/st" 2>&1
grep -q 'id="pub-3"' "$X/history/index.html" && ok || fail "a build after a new publication shows it: $(cat "$TMP/st")"
grep -q '本次公示没有文件变化' "$X/history/3/index.html" && ok || fail "an empty publication says it changed nothing"
NB_BUILD_STATS=1 "$NB" -s "$RS" build --as-of $AS_OF --audit-repo "$M" -o "$X" 2>&1 | grep -q 'written 0,' && ok || fail "the same history again is a cache hit"
printf '\n再次补充。\n' >>"$S/$MIN"
nb publish -m "fourth" --as-of $AS_OF >/dev/null 2>&1
grep -q 'href="/history/4/#doc-huaiyin-2024-03-plenary">第4次公示' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok || fail "amended in #2, #4 on the minutes"
grep -q '第2次公示</a>、<a' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok || fail "amendments listed with a separator"

# --- the chain remembered by its refs (audit.h nb_audit_refstamp_take) --------------------
# A build of a published site keys its output by the chain of publications;
# once found, it is remembered by the stat of the refs that name it, and a
# no-op build does not start libgit2 (which would open the repository's
# config). Any change to those refs must be seen: a tag rewritten to the
# same size with its old time put back, and a publication made elsewhere.
nb build --as-of $AS_OF >/dev/null 2>&1; nb build --as-of $AS_OF >/dev/null 2>&1
[ -s "$S/.noticeboard-cache/publish-chain" ] && ok || fail "the chain is remembered after a build"
if strace -f -qq -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open -o "$TMP/trace" "$NB" -s "$S" build --as-of $AS_OF >/dev/null 2>&1
	! grep -q 'audit.git/config' "$TMP/trace" && ok || fail "a no-op build of a published site does not open the repository"
else
	skip "strace is not available: whether a no-op build opens the repository"
fi
T1="$R/refs/tags/pub-1"; orig=$(G rev-parse refs/tags/pub-1)
when=$(stat -c %.9Y "$T1"); dwhen=$(stat -c %.9Y "$R/refs/tags")
G update-ref refs/tags/pub-1 "$(G rev-parse pub-2^{commit})"
[ "$(stat -c %s "$T1")" -eq 41 ] && touch -m -d "@$when" "$T1" && touch -m -d "@$dwhen" "$R/refs/tags" \
	&& ok || fail "pub-1 rewritten in place of its loose ref, its and its folder's times put back"
out=$(nb build --as-of $AS_OF 2>&1)
echo "$out" | grep -q 'built without its publication history' && ok || fail "a rewritten tag is seen though its size and time are the old ones: $out"
G update-ref refs/tags/pub-1 "$orig"
out=$(nb build --as-of $AS_OF 2>&1)
! echo "$out" | grep -q 'publication history' && grep -q 'id="pub-4"' "$P/history/index.html" && ok || fail "the restored tag is the chain again: $out"
S2="$TMP/elsewhere"; cp -r "$S" "$S2"; rm -rf "$S2/audit.git" "$S2/public" "$S2/.noticeboard-cache"
sed -i "s|^  repository: .*|  repository: $R|" "$S2/site.yaml"
"$NB" -s "$S2" publish --allow-empty -m "fifth, from another copy" --as-of $AS_OF >/dev/null 2>&1 && ok || fail "publish #5 from another copy of the site"
nb build --as-of $AS_OF >/dev/null 2>&1
grep -q 'id="pub-5"' "$P/history/index.html" && ok || fail "a publication made elsewhere is in the next build's history"

finish e2e_history
