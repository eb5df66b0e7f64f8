#!/bin/sh
# End-to-end: the publication record. A realistic sequence (publish, amend
# minutes, correct a vote, add a decision, publish again, tamper with a
# served file) checked with noticeboard's own commands and with plain git;
# then determinism (rebuild a publication from its recorded sources), a
# rewritten history, the lock, kill -9 during publish, signatures, mirrors.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
export NB_PUBLISHER="Li Mei <limei@example.org>"
site_setup
# The served copy of the record (audit.git/) is not part of the site it records.
snap() { (cd "$1" && find . -path ./audit.git -prune -o -type f ! -name .noticeboard-output -print | LC_ALL=C sort | xargs sha256sum) ; }

# --- before the first publication ------------------------------------------------------
# Nothing to read yet: said in the site's language (the demo's is Chinese),
# in English for a script that asks for it.
out=$(NB_LANG= nb verify 2>&1); rc=$?
[ $rc -eq 3 ] && [ "$out" = "noticeboard verify: $R 没有审计仓库；请先运行 \`noticeboard publish\` 发布一次" ] \
	&& ok || fail "verify without a record says so in Chinese, exit 3 ($rc): $out"
out=$(nb log 2>&1); rc=$?
[ $rc -eq 3 ] && [ "$out" = "noticeboard log: no audit repository at $R; run \`noticeboard publish\` first" ] \
	&& ok || fail "log without a record, NB_LANG=en: $out"
[ ! -e "$R" ] && ok || fail "reading made no record"

# --- publication 1 -------------------------------------------------------------
out=$(nb publish -m "first publication" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "publish #1 exits 0 (got $rc): $out"
echo "$out" | grep -q 'pub-1' && ok || fail "publish #1 names pub-1: $out"
[ "$(G rev-parse --is-bare-repository 2>/dev/null)" = true ] && ok || fail "audit.git is a bare repository"
[ ! -e "$S/public/.git" ] && ok || fail "no working repository inside public/"
[ "$(git --git-dir="$S/public/audit.git" rev-parse pub-1^{commit})" = "$(G rev-parse pub-1^{commit})" ] && ok || fail "public/audit.git is a copy of the record"
[ "$(G rev-parse pub-1^{commit})" = "$(G rev-parse publications)" ] && ok || fail "branch at pub-1"
[ "$(G cat-file -t pub-1)" = tag ] && ok || fail "pub-1 is an annotated tag"
snap1=$(snap "$S/public")

# --- unchanged content records nothing -------------------------------------------
out=$(nb publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "unchanged publish exits 0 (got $rc)"
echo "$out" | grep -q 'nothing recorded' && ok || fail "unchanged publish says so: $out"
[ "$(G tag -l 'pub-*' | wc -l)" -eq 1 ] && ok || fail "unchanged publish adds no tag"

# --- amend minutes, correct a vote, add a decision, add a draft ----------------
MIN=content/meetings/2024/huaiyin-2024-03-plenary.md
DEC=content/decisions/2024/huaiyin-2024-elevator-bldg3.md
NEW=content/decisions/2025/huaiyin-2025-bike-racks.md
printf '\n补充：本纪要经与会人员签字确认后公示。\n' >>"$S/$MIN"
sed -i 's/votes: {for: 7, against: 2/votes: {for: 8, against: 1/' "$S/$DEC"
sed -e 's/huaiyin-2025-parking-lines/huaiyin-2025-bike-racks/' \
    -e 's/^title: .*/title: "关于在槐荫新村增设自行车停放架的决议"/' \
    "$S/content/decisions/2025/huaiyin-2025-parking-lines.md" >"$S/$NEW"
printf -- '---\ntitle: "草稿"\ndraft: true\n---\n\n尚未定稿。\n' >"$S/content/pages/draft-note.md"
# An editor's backups of the draft: copied as they lie, they would publish it.
cp "$S/content/pages/draft-note.md" "$S/content/pages/draft-note.md~"
cp "$S/content/pages/draft-note.md" "$S/content/pages/#draft-note.md#"
cp "$S/content/pages/draft-note.md" "$S/content/pages/draft-note.md.BAK"
out=$(nb diff 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "diff against working content exits 1 (got $rc): $out"
echo "$out" | grep -q 'votes.for: 7 → 8' && ok || fail "working diff shows votes.for: $out"
! echo "$out" | grep -q 'draft-note' && ok || fail "working diff leaves out drafts"

out=$(nb publish -m "amend minutes, correct vote, add decision" --as "Zhang Wei <zhangwei@example.org>" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "publish #2 exits 0 (got $rc): $out"
echo "$out" | grep -q 'pub-2: 1 documents added, 2 changed, 0 removed\|pub-2 .*1 documents added, 2 changed, 0 removed' && ok || fail "publish #2 counts: $out"
[ "$(echo "$out" | grep -c 'draft-note.*not published\|draft-note.*未发布')" -eq 3 ] && ok || fail "publish #2 warns of each backup: $out"
[ -z "$(find "$S/public" -name '*draft-note*')" ] && ok || fail "no backup of a draft is published: $(find "$S/public" -name '*draft-note*')"
# (pub-2's record is checked for them below; a build with warnings is
# never a no-op, which later steps time, so they go now.)
rm "$S/content/pages/draft-note.md~" "$S/content/pages/#draft-note.md#" "$S/content/pages/draft-note.md.BAK"

# --- log ----------------------------------------------------------------------------
out=$(nb log 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "log exits 0"
[ "$(echo "$out" | grep -c '^pub-')" -eq 2 ] && ok || fail "log has 2 lines: $out"
echo "$out" | grep '^pub-1 ' | grep -q 'Li Mei <limei@example.org>.*+4[0-9] ~0 -0  first publication' && ok || fail "log line 1: $out"
echo "$out" | grep '^pub-2 ' | grep -q 'Zhang Wei <zhangwei@example.org>.*+1 ~2 -0  amend minutes' && ok || fail "log line 2: $out"
out=$(nb log --json 2>&1)
printf '%s\n' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==2 and d[1]["added"]==1 and d[1]["changed"]==2 and d[1]["as_of"]=="2026-11-25"' 2>/dev/null \
	&& ok || fail "log --json: $out"

# --- diff ------------------------------------------------------------------------
out=$(nb diff 1 2 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "diff 1 2 exits 1 (got $rc)"
echo "$out" | grep -q '^  votes.for: 7 → 8$' && ok || fail "diff 1 2 shows votes.for: 7 → 8: $out"
echo "$out" | grep -q '^  votes.against: 2 → 1$' && ok || fail "diff 1 2 shows votes.against"
echo "$out" | grep -q "^added  *$NEW" && ok || fail "diff 1 2 lists the new decision"
echo "$out" | grep -q "^changed  *$MIN" && ok || fail "diff 1 2 lists the amended minutes"
echo "$out" | grep -q '^+补充：本纪要经与会人员签字确认后公示。' && ok || fail "diff 1 2 has the minutes' text diff"
echo "$out" | grep -q "^--- pub-1/$MIN" && ok || fail "unified diff header"
out=$(nb diff --stat pub-1 pub-2 2>&1); rc=$?
[ $rc -eq 1 ] && ! echo "$out" | grep -q 'votes.for' && echo "$out" | grep -q "$DEC" && ok || fail "diff --stat: $out"
out=$(nb diff --json 1 2 2>&1)
printf '%s\n' "$out" | python3 -c '
import json,sys; d=json.load(sys.stdin)
ch={c["path"]:c for c in d["documents"]["changed"]}
f=[x for x in ch["content/decisions/2024/huaiyin-2024-elevator-bldg3.md"]["fields"] if x["field"]=="votes.for"][0]
assert f["from"]==7 and f["to"]==8 and len(d["documents"]["added"])==1' 2>/dev/null && ok || fail "diff --json: $out"
out=$(nb diff 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "diff with no change since pub-2 exits 0 (got $rc): $out"
nb diff 2 1 >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "diff 2 1 exits 1"
# The summary line and the lists' words for people: the demo's own
# language when NB_LANG is cleared; --json keeps its English keys.
out=$(nb diff --stat 1 2 2>&1)
echo "$out" | grep -q '^pub-1 → pub-2: 1 documents added, 0 removed, 2 changed; 0 other files changed$' \
	&& ok || fail "diff's summary in English: $out"
echo "$out" | grep -q "^added    $NEW$" && echo "$out" | grep -q "^changed  $MIN$" && ok \
	|| fail "diff's lists in English, the word in 8 columns: $out"
out=$(NB_LANG= nb diff --stat 1 2 2>&1)
echo "$out" | grep -q '^pub-1 → pub-2：新增 1 个文档，删除 0 个，修改 2 个；另有 0 个其他文件有改动$' \
	&& ok || fail "diff's summary in the site's language: $out"
echo "$out" | grep -q "^新增     $NEW$" && echo "$out" | grep -q "^修改     $MIN$" \
	&& ! echo "$out" | grep -q '^added\|^changed' && ok || fail "diff's lists in the site's language: $out"
out=$(NB_LANG= nb diff 1 2 2>&1)
echo "$out" | grep -q "^修改 $DEC$" && echo "$out" | grep -q '^  votes.for: 7 → 8$' \
	&& echo "$out" | grep -q "^--- pub-1/$MIN" && ok || fail "diff's details in the site's language: $out"
out=$(NB_LANG= nb diff --json 1 2 2>&1)
printf '%s\n' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["documents"]["added"])==1 and len(d["documents"]["changed"])==2' \
	2>/dev/null && ok || fail "diff --json is the same in every language: $out"
nb diff 9 >/dev/null 2>&1; [ $? -eq 3 ] && ok || fail "diff of a missing publication exits 3"

# --- history ---------------------------------------------------------------------
out=$(nb history huaiyin-2024-elevator-bldg3 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 2 ] && ok || fail "history of the decision: 2 lines: $out"
echo "$out" | grep -q '^pub-1  added' && echo "$out" | grep -q '^pub-2  changed' && ok || fail "history says added, changed: $out"
echo "$out" | grep -q "^pub-1  added    $AS_OF  Li Mei  " && echo "$out" | grep -q "^pub-2  changed  $AS_OF  " \
	&& ok || fail "history's columns: $out"
out=$(NB_LANG= nb history huaiyin-2024-elevator-bldg3 2>&1)
echo "$out" | grep -q "^pub-1  新增     $AS_OF  Li Mei  " && echo "$out" | grep -q "^pub-2  修改     $AS_OF  " \
	&& ok || fail "history's words in the site's language, in the same columns: $out"
out=$(nb history huaiyin-2025-bike-racks 2>&1)
[ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q '^pub-2  added' && ok || fail "history of the new decision: $out"
out=$(nb history "$MIN" 2>&1)
echo "$out" | grep -q '^pub-2  changed' && ok || fail "history by path: $out"
nb history no-such-document >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "history of an unknown document exits 1"
out=$(NB_LANG= nb history no-such-document 2>&1)
[ "$out" = "noticeboard history：\`no-such-document\` 不在任何一次公示里（请写它的编号 id 或 content/ 路径）" ] \
	&& ok || fail "history's answer in the site's language: $out"

# --- verify and tampering ------------------------------------------------------------
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "verify exits 0 (got $rc): $out"
out=$(nb verify --publication 1 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "verify against pub-1 differs ($rc): $out"
# What is served is pub-2, the last publication: said so, never "no
# publication's output", which would send the reader looking for an intruder.
echo "$out" | grep -qx "$S/public is pub-2, not pub-1" && ! echo "$out" | grep -q 'unrecorded' && ok \
	|| fail "verify --publication 1 names the later publication the folder is: $out"
out=$(NB_LANG= nb verify --publication 1 2>&1)
echo "$out" | grep -qx "$S/public 是 pub-2，不是 pub-1" && ok || fail "the same in the site's language: $out"
snap2=$(snap "$S/public")
echo '<!-- tampered -->' >>"$S/public/decisions/index.html"
rm "$S/public/404.html"
echo 'x' >"$S/public/.htaccess"
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "verify after tampering exits 1 (got $rc)"
echo "$out" | grep -q '^modified: decisions/index.html$' && ok || fail "verify names the modified file: $out"
echo "$out" | grep -q '^missing: 404.html$' && ok || fail "verify names the missing file"
echo "$out" | grep -q '^extra: .htaccess$' && ok || fail "verify names the extra file"
# Three files differ, and the folder is no publication at all: 4 problems.
echo "$out" | grep -q "^4 problems found comparing $S/public with pub-2$" && ok \
	|| fail "verify counts the problems: $out"
# A resident reading the report of a Chinese site reads Chinese; the
# paths and numbers are as they are.
out=$(NB_LANG= nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '^被改动：decisions/index.html$' \
	&& echo "$out" | grep -q '^缺失：404.html$' && echo "$out" | grep -q '^多出：.htaccess$' \
	&& ok || fail "verify names the files in the site's language ($rc): $out"
echo "$out" | grep -q "^网站上的内容没有记录：$S/public 里的内容不是任何一次公示生成的" && ok \
	|| fail "verify says the folder is unrecorded in the site's language: $out"
echo "$out" | grep -q "^将 $S/public 与 pub-2 比较，发现 4 处问题$" && ok \
	|| fail "verify's count in the site's language: $out"
! echo "$out" | grep -q 'problems found\|modified:\|missing:' && ok || fail "nothing left in English: $out"
out=$(nb publish --as-of $AS_OF 2>&1)
echo "$out" | grep -q 'nothing recorded' && ok || fail "publish after tampering records nothing: $out"
nb verify >/dev/null 2>&1 && ok || fail "publish restores the served folder"
out=$(NB_LANG= nb verify 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^核对无误：$S/public 与 pub-2 完全相同（[0-9][0-9]* 个文件）；2 次公示前后相接，没有断裂$" \
	&& ok || fail "verify's verdict in the site's language ($rc): $out"
out=$(nb verify 2>&1)
echo "$out" | grep -q "^verified: $S/public is identical to pub-2 ([0-9][0-9]* files); chain of 2 publications unbroken$" \
	&& ok || fail "verify's verdict in English: $out"
# Without its site, the record says the language: its site.yaml is the demo's.
out=$(cd "$TMP" && NB_LANG= "$NB" verify --audit-repo "$R" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^核对无误：pub-2（[0-9][0-9]* 个文件）完好；2 次公示前后相接，没有断裂$' \
	&& ok || fail "verify --audit-repo speaks the record's language ($rc): $out"
[ "$(snap "$S/public")" = "$snap2" ] && ok || fail "restored folder equals pub-2"
# A planted file whose name holds a line break writes no line of the
# report: it printed "verified: all good" on a line of its own.
planted="$S/public/$(printf 'x\nverified: all good')"
touch "$planted"
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -qx 'extra: x\\x0averified: all good' && ! echo "$out" | grep -q '^verified' \
	&& ok || fail "a file's name cannot forge a line of verify's report ($rc): $out"
rm -f "$planted"

# --- the same sequence, checked with git itself ----------------------------------------
out=$(G log --oneline publications 2>&1)
[ "$(echo "$out" | wc -l)" -eq 2 ] && echo "$out" | grep -q 'Publication 2: amend minutes' && ok || fail "git log: $out"
G log -1 --format=%B pub-2 | grep -q '^As-of: 2026-11-25$' && ok || fail "commit has an As-of trailer"
G log -1 --format='%an <%ae>' pub-2 | grep -q 'Zhang Wei <zhangwei@example.org>' && ok || fail "git log shows the publisher"
out=$(G diff pub-1 pub-2 -- "site/$DEC" 2>&1)
echo "$out" | grep -q '^-votes: {for: 7, against: 2' && echo "$out" | grep -q '^+votes: {for: 8, against: 1' && ok || fail "git diff shows the vote change: $out"
G diff --quiet pub-1 pub-2 -- "site/content/charters" && ok || fail "git diff: charters unchanged"
G fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling' "$TMP/fsck" && ok || fail "git fsck clean: $(cat "$TMP/fsck")"
! G ls-tree -r --name-only pub-2 | grep -q 'draft-note' && ok || fail "drafts are never published"
G ls-tree -r --name-only pub-2 | grep -q "^site/$NEW$" && ok || fail "the new decision is in site/"
G show pub-2:manifest.json | grep -q '"as_of": "2026-11-25"' && ok || fail "manifest records as_of"
h=$(git hash-object "$S/public/index.html")
G show pub-2:manifest.json | grep -q "\"index.html\": \"$h\"" && ok || fail "manifest hash is git's blob id"
G show pub-2:manifest.json | python3 -c '
import json,sys; d=json.load(sys.stdin)["documents"]
assert d["content/decisions/2024/huaiyin-2024-elevator-bldg3.md"]["first"]==1
assert d["content/decisions/2025/huaiyin-2025-bike-racks.md"]["first"]==2' 2>/dev/null && ok || fail "manifest: first publication per document"
# Unchanged folders reuse their trees.
[ "$(G rev-parse pub-1:site/content/charters)" = "$(G rev-parse pub-2:site/content/charters)" ] && ok || fail "unchanged folder keeps its tree id"

# --- determinism: rebuild pub-1 from its recorded sources --------------------------------
RB="$TMP/rebuild"; mkdir -p "$RB"
G archive pub-1 site public | tar -x -C "$RB"
asof=$(G show pub-1:manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["as_of"])')
# The output shows the publication history up to pub-1: give the build that.
"$NB" -s "$RB/site" build --as-of "$asof" --audit-repo "$R" --publication 1 -o "$RB/out" >/dev/null 2>&1 && ok || fail "pub-1's sources build"
diff -r -x .noticeboard-output "$RB/out" "$RB/public" >/dev/null 2>&1 && ok || fail "rebuilt pub-1 is byte-identical to its public/"
[ "$(snap "$RB/public")" = "$snap1" ] && ok || fail "pub-1's public/ is what was served"

# --- history rewritten by someone else is refused -----------------------------------
S2="$TMP/rewritten"; cp -r "$S" "$S2"
git --git-dir="$S2/audit.git" update-ref refs/heads/publications "$(G rev-parse pub-1^{commit})"
echo "改" >>"$S2/$MIN"
out=$("$NB" -s "$S2" publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'rewritten' && ok || fail "publish refuses a rewound branch, exit 1 ($rc): $out"
t=$(git --git-dir="$S2/audit.git" rev-parse pub-2^{tree})
c=$(echo forged | git --git-dir="$S2/audit.git" commit-tree "$t" -p "$(G rev-parse pub-1^{commit})")
git --git-dir="$S2/audit.git" update-ref refs/heads/publications "$c"
out=$("$NB" -s "$S2" publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'rewritten' && ok || fail "publish refuses a forged branch, exit 1 ($rc): $out"
"$NB" -s "$S2" verify >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "verify reports a broken chain"

# --- the lock ------------------------------------------------------------------------------
flock "$R/noticeboard.lock" sleep 2 &
holder=$!
sleep 0.3
out=$(nb publish --allow-empty --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'holds the lock' && ok || fail "a held lock is refused clearly, exit 1 ($rc): $out"
# The demo site is Chinese: its secretary is told why in Chinese.
out=$(NB_LANG= nb publish --allow-empty --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -qF "noticeboard publish: 另一次发布（进程号 " \
	&& echo "$out" | grep -qF "占用着锁 $R/noticeboard.lock；请等它结束，或加上 --wait 秒数 让这次发布等它" \
	&& ok || fail "a held lock is refused in the site's language, exit 1 ($rc): $out"
out=$(nb publish --allow-empty --wait 20 -m "after waiting" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'pub-3' && ok || fail "--wait waits for the lock ($rc): $out"
wait $holder
# Two at once: both wait their turn, both recorded, chain intact.
"$NB" -s "$S" publish --allow-empty --wait 60 -m "racer a" --as-of $AS_OF >"$TMP/ra" 2>&1 &
pa=$!
"$NB" -s "$S" publish --allow-empty --wait 60 -m "racer b" --as-of $AS_OF >"$TMP/rb" 2>&1 &
pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
[ $ra -eq 0 ] && [ $rb -eq 0 ] && ok || fail "concurrent publishes both succeed ($ra $rb): $(cat "$TMP/ra" "$TMP/rb")"
[ "$(G tag -l 'pub-*' | wc -l)" -eq 5 ] && ok || fail "concurrent publishes: pub-4 and pub-5"
nb verify >/dev/null 2>&1 && ok || fail "verify after concurrent publishes"

# --- kill -9 at any moment --------------------------------------------------------------
# Spread the kills over a whole publish: time one first.
printf '\n计时修订。\n' >>"$S/$MIN"
t0=$(date +%s%N); nb publish --as-of $AS_OF -m timing >/dev/null 2>&1; t1=$(date +%s%N)
span=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 * 1.1 }')
trials=12; good=0
for i in $(seq 1 $trials); do
	printf '\n第%s次修订。\n' "$i" >>"$S/$MIN"
	old=$(G rev-parse publications)
	before=$(snap "$S/public")
	# Not through nb(): kill must reach the program, not a subshell.
	"$NB" -s "$S" publish --as-of $AS_OF -m "trial $i" >/dev/null 2>&1 &
	p=$!
	sleep "$(awk -v s="$i" -v span="$span" 'BEGIN { srand(s * 7919); printf "%.3f", rand() * span }')"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	now=$(G rev-parse publications)
	pass=1
	G fsck >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling' "$TMP/fsck" || { pass=0; echo "  trial $i: fsck: $(cat "$TMP/fsck")" >&2; }
	if [ "$now" != "$old" ] && [ "$(G rev-parse "$now^")" != "$old" ]; then pass=0; echo "  trial $i: branch neither old nor new" >&2; fi
	after=$(snap "$S/public")
	if [ "$after" != "$before" ]; then
		# Not old, so it must be exactly a recorded publication (the new one).
		rm -rf "$TMP/k"; mkdir -p "$TMP/k"; G archive "$now" public | tar -x -C "$TMP/k"
		[ "$(snap "$TMP/k/public")" = "$after" ] || { pass=0; echo "  trial $i: public/ mixed" >&2; }
	fi
	# The next publish recovers (missing tag added, stale staging removed).
	nb publish --as-of $AS_OF -m "recover $i" >"$TMP/rec" 2>&1 || { pass=0; echo "  trial $i: recovery publish failed: $(cat "$TMP/rec")" >&2; }
	nb verify >/dev/null 2>&1 || { pass=0; echo "  trial $i: verify after recovery: $(nb verify 2>&1 | head -3)" >&2; }
	[ $pass -eq 1 ] && good=$((good + 1))
done
[ $good -eq $trials ] && ok || fail "kill -9 during publish: $good of $trials trials consistent"
! ls -d "$S"/public.staging-* >/dev/null 2>&1 && ok || fail "no staging folders left after recovery"

# --- what publish remembers changes nothing it records ------------------------------------
# $S publishes with its .noticeboard-cache (blob ids by inode, the last
# publication's documents and history); $U, a copy without it, reads
# everything again. Same edits, same publisher: the same trees and
# manifests, including a record left by another publication and a damaged one.
U="$TMP/uncached"; cp -r "$S" "$U"; rm -rf "$U/.noticeboard-cache"
GU() { git --git-dir="$U/audit.git" "$@"; }
both() { # both LABEL: publish $S and $U alike, compare what was recorded
	# The same publications so far: the history pages show earlier
	# publications' commit ids, which two repositories recording at
	# different seconds would not share. $U starts from $S's record and
	# served site, without its caches or previous generation.
	rm -rf "$U"; cp -a "$S" "$U"; rm -rf "$U/.noticeboard-cache" "$U/public.previous"
	NB_BUILD_STATS=1 "$NB" -s "$S" publish --as-of $AS_OF -m "$1" >"$TMP/pc" 2>"$TMP/pcs" ||
		fail "$1: cached publish: $(cat "$TMP/pc" "$TMP/pcs")"
	# $U keeps no cache at all: every page rendered, every file hashed.
	rm -rf "$U/.noticeboard-cache"
	"$NB" -s "$U" publish --as-of $AS_OF -m "$1" >"$TMP/pu" 2>&1 || fail "$1: uncached publish: $(cat "$TMP/pu")"
	# Its side folder is swapped in or removed, so a no-op record of it
	# could never be read (build.c fresh_output): none is made.
	[ -z "$(ls "$U/.noticeboard-cache" | grep '^build-')" ] && ok ||
		fail "$1: publish recorded a no-op key for its side folder: $(ls "$U/.noticeboard-cache")"
	[ "$(G rev-parse 'publications^{tree}')" = "$(GU rev-parse 'publications^{tree}')" ] && ok || \
		fail "$1: the remembered ids and history change the recorded tree"
	[ "$(G show publications:manifest.json | sha256sum)" = "$(GU show publications:manifest.json | sha256sum)" ] && ok || \
		fail "$1: manifest.json differs with and without the cache"
	[ "$(G log -1 --format=%B publications)" = "$(GU log -1 --format=%B publications)" ] && ok || fail "$1: message differs"
}
printf '\n缓存一。\n' | tee -a "$S/$MIN" >>"$U/$MIN"
both "cache one"
[ -s "$S/.noticeboard-cache/publish-state" ] && ok || fail "publish remembers the last publication"
cp "$S/.noticeboard-cache/publish-state" "$TMP/state-old"
sleep 2.1   # files older than two seconds are remembered by inode
printf '\n缓存二。\n' | tee -a "$S/$MIN" >>"$U/$MIN"
sed -i 's/^title: .*/title: "改名的决议"/' "$S/$DEC" "$U/$DEC"
both "cache two"
cp "$TMP/state-old" "$S/.noticeboard-cache/publish-state"   # names an older chain
echo garbage >"$S/.noticeboard-cache/publish-sources"
printf '\n缓存三。\n' | tee -a "$S/$MIN" >>"$U/$MIN"
both "cache three"
# Every page names the first publication that served it as it is (a meta
# tag, output/pubtag.h): the page memo (memo.h) renders only the pages
# whose content changed and keeps the others as they were recorded; what
# is recorded is the uncached publish's, above. Every served page is
# exactly what the publication it names recorded, and the edited page
# names the new one.
r=$(sed -n 's/^stats: rendered \([0-9]*\), skipped \([0-9]*\);.*$/\1 \2/p' "$TMP/pcs")
[ -n "$r" ] && [ "${r% *}" -gt 0 ] && [ "${r#* }" -gt "${r% *}" ] && ok ||
	fail "cache three: a re-publish after one edit skips the unchanged pages: $r"
n=$(G tag -l 'pub-*' | sed 's/^pub-//' | sort -n | tail -1)
stale=$(pages_named_by_record "$R" "$S/public" "$n" | head -3)
[ -n "$n" ] && [ -z "$stale" ] && ok || fail "cache three: pages not as the publication they name recorded them: $stale"
mp="$S/public/meetings/$(basename "$MIN" .md)/index.html"
grep -q "<meta name=\"noticeboard:publication\" content=\"$n\">" "$mp" && ok ||
	fail "cache three: the edited meeting's page names publication $n"
# Pages nobody edited are an earlier publication's, not new blobs.
kept=$(grep -rL --include='*.html' "<meta name=\"noticeboard:publication\" content=\"$n\">" "$S/public" | wc -l)
[ "$kept" -gt 20 ] && ok || fail "cache three: unchanged pages keep an earlier number ($kept do)"
head -c 400 "$S/.noticeboard-cache/publish-state" >"$TMP/cut"   # right chain, cut short
cp "$TMP/cut" "$S/.noticeboard-cache/publish-state"
printf '\n缓存四。\n' | tee -a "$S/$MIN" >>"$U/$MIN"
both "cache four"
nb verify >/dev/null 2>&1 && ok || fail "verify after cached publishes"
# The history a cached publish showed is the one read back from the commits.
last=$(G tag -l 'pub-*' | sed 's/pub-//' | sort -n | tail -n 1)
RL="$TMP/rebuild-last"; mkdir -p "$RL"
G archive "pub-$last" site public | tar -x -C "$RL"
"$NB" -s "$RL/site" build --as-of $AS_OF --audit-repo "$R" --publication "$last" -o "$RL/out" >/dev/null 2>&1 && \
	diff -r -x .noticeboard-output "$RL/out" "$RL/public" >/dev/null 2>&1 && ok || fail "pub-$last rebuilt from its sources is byte-identical"
# The same, in-process, for every publication of this sequence.
out=$(nb verify --rebuild --all 2>&1) && echo "$out" | grep -q "$last rebuilt byte for byte" && ok || fail "verify --rebuild --all: $out"
# The .htaccess planted in the served folder above stayed in the previous
# generation, and publishes updating that in place recorded it.
for t in $(G tag -l 'pub-*'); do G ls-tree --name-only "$t" public/.htaccess; done | grep -q . && \
	fail "a planted .htaccess was recorded as published" || ok

# --- a build shows the history the last publish remembered ---------------------------
# `build` names the publications by their chain and takes their history
# from the record the last publish kept for that chain (audit/state.c)
# instead of reading every manifest again: its pages are those of a build
# that reads them all, the no-op build after it reads no history, a record
# about another chain is never used, and a new publication is never a no-op.
HO="$TMP/hist-out"; rm -rf "$HO" "$HO.repo"
NB_BUILD_STATS=1 nb build --as-of $AS_OF -o "$HO" >/dev/null 2>"$TMP/hs1" || fail "build after publishes: $(cat "$TMP/hs1")"
grep -q "^stats: history of $last publications remembered by the last publish" "$TMP/hs1" && ok || \
	fail "a build takes the history the last publish remembered: $(grep history "$TMP/hs1")"
NB_BUILD_STATS=1 nb build --as-of $AS_OF -o "$HO" >/dev/null 2>"$TMP/hs2"
grep -q "^stats: written 0, unchanged" "$TMP/hs2" && ! grep -q "^stats: history" "$TMP/hs2" && ok || \
	fail "a no-op build after a publish reads no history: $(cat "$TMP/hs2")"
cp "$S/.noticeboard-cache/publish-state" "$TMP/state-now"
cp "$TMP/state-old" "$S/.noticeboard-cache/publish-state"   # names an older chain
NB_BUILD_STATS=1 nb build --as-of $AS_OF -o "$HO.repo" >/dev/null 2>"$TMP/hs3" || fail "build with a stale record: $(cat "$TMP/hs3")"
grep -q "^stats: history of $last publications read from the repository" "$TMP/hs3" && ok || \
	fail "a record about another chain is not used: $(grep history "$TMP/hs3")"
diff -r -x .noticeboard-output "$HO" "$HO.repo" >/dev/null && ok || \
	fail "the remembered history builds the pages the repository's does: $(diff -rq -x .noticeboard-output "$HO" "$HO.repo" | head -3)"
cp "$TMP/state-now" "$S/.noticeboard-cache/publish-state"
# The record and the served folder outside the site folder, so that a
# publish leaves everything a build's key reads untouched but the chain.
S3="$TMP/hist-next"; rm -rf "$S3" "$S3.git" "$S3.public"; cp -a "$S" "$S3"
mv "$S3/audit.git" "$S3.git"; mv "$S3/public" "$S3.public"; rm -rf "$S3/public.previous"
sed -i "s|^  repository: audit.git\$|  repository: $S3.git|; s|^output: public\$|output: $S3.public|" "$S3/site.yaml"
grep -q "^  repository: $S3.git\$" "$S3/site.yaml" && grep -q "^output: $S3.public\$" "$S3/site.yaml" || \
	fail "the copy's record and served folder are outside it: $(cat "$S3/site.yaml")"
"$NB" -s "$S3" build --as-of $AS_OF -o "$HO.next" >/dev/null 2>&1 || fail "build in the copy"
"$NB" -s "$S3" publish --as-of $AS_OF --allow-empty -m "one more" >/dev/null 2>&1 || fail "publish in the copy"
"$NB" -s "$S3" build --as-of $AS_OF -o "$HO.next" >/dev/null 2>&1 || fail "build after one more publish"
next=$((last + 1))
grep -q "history/$next/" "$HO.next/history/index.html" && ok || \
	fail "the build after a new publication shows it (pub-$next), not the output of the chain before"
rm -rf "$S3" "$S3.git" "$S3.public" "$HO" "$HO.repo" "$HO.next"

# --- the previous generation: publish updates it in place (build.c) -------------------
# The tree a publish replaces is kept as public.previous and the next
# publish builds into it; whatever it holds, what is recorded is what the
# same publish records without it ($U has none).
Q="$S/public.previous"
[ -f "$Q/.noticeboard-output" ] && ok || fail "publish keeps the replaced output as public.previous"
mkdir -p "$TMP/outside-pub"; echo victim >"$TMP/outside-pub/site.css"
echo stray >"$Q/stray.html"
rm -f "$Q/index.html" && printf stale >"$Q/index.html"
rm -rf "$Q/css" && ln -s "$TMP/outside-pub" "$Q/css"
rm -rf "$U/public.previous"
printf '\n上一代。\n' | tee -a "$S/$MIN" >>"$U/$MIN"
both "previous generation tampered with"
nb verify >/dev/null 2>&1 && ok || fail "verify after publishing over a tampered previous generation"
[ ! -e "$S/public/stray.html" ] && [ ! -L "$S/public/css" ] && ok || fail "a tampered previous generation reached the served folder"
[ "$(cat "$TMP/outside-pub/site.css")" = victim ] && [ "$(ls "$TMP/outside-pub")" = site.css ] && ok ||
	fail "publish wrote through a link in the previous generation"
[ -f "$Q/.noticeboard-output" ] && [ ! -e "$S/public.staging-publish" ] && ok || fail "after publishing: a previous generation, no side folder"

# --- kill -9 while a publication's pack is written ----------------------------------
# A publication of many objects is one pack (a first publish; a new title,
# which changes every page that lists it), and so is a served site's small one. Killed at any
# moment, the repository must stay fsck-clean with the branch old or new,
# every index must have its pack and verify, and the next publish must
# recover and leave no temporary file.
P="$TMP/packed"; demo_copy "$P"
PR="$P/audit.git"
GP() { git --git-dir="$PR" "$@"; }
packs_sound() { # every index names a pack that git verifies
	for i in "$PR"/objects/pack/*.idx; do
		[ -e "$i" ] || continue
		[ -f "${i%.idx}.pack" ] && GP verify-pack "$i" >/dev/null 2>&1 || return 1
	done
}
"$NB" -s "$P" publish --as-of $AS_OF -m timing >/dev/null 2>&1
[ "$(ls "$PR"/objects/pack/*.pack 2>/dev/null | wc -l)" -eq 1 ] && ok || fail "a first publish writes one pack: $(ls "$PR"/objects/pack)"
[ "$(GP count-objects -v | sed -n 's/^count: //p')" -eq 0 ] && ok || fail "a first publish writes no loose objects"
t0=$(date +%s%N); rm -rf "$PR" "$P/.noticeboard-cache"
"$NB" -s "$P" publish --as-of $AS_OF -m timing >/dev/null 2>&1; t1=$(date +%s%N)
span=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 * 1.1 }')
title=$(sed -n 's/^title: //p' "$P/site.yaml")
trials=16; good=0
for i in $(seq 1 $trials); do
	pass=1
	if [ $((i % 2)) -eq 1 ]; then
		# A first publish, from nothing.
		rm -rf "$PR" "$P/.noticeboard-cache" "$P/public"
		old=""
	else
		# Every page changes: a publication of hundreds of objects.
		sed -i "s/^title: .*/title: $title $i/" "$P/site.yaml"
		old=$(GP rev-parse publications)
	fi
	"$NB" -s "$P" publish --as-of $AS_OF -m "packed $i" >/dev/null 2>&1 &
	p=$!
	sleep "$(awk -v s="$i" -v span="$span" 'BEGIN { srand(s * 104729); printf "%.3f", rand() * span }')"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	if [ -d "$PR" ]; then
		GP fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling\|^notice' "$TMP/fsck" || { pass=0; echo "  packed trial $i: fsck: $(head -n 3 "$TMP/fsck")" >&2; }
		packs_sound || { pass=0; echo "  packed trial $i: a pack is incomplete: $(ls "$PR"/objects/pack)" >&2; }
		now=$(GP rev-parse -q --verify publications)
		if [ -n "$now" ] && [ "$now" != "$old" ]; then
			# New: then complete, down to every file of its output.
			{ [ -z "$old" ] || [ "$(GP rev-parse "$now^")" = "$old" ]; } && \
				GP archive "$now" >/dev/null 2>&1 || { pass=0; echo "  packed trial $i: branch neither old nor a complete new one" >&2; }
		elif [ -z "$now" ] && [ -n "$old" ]; then
			pass=0; echo "  packed trial $i: branch lost" >&2
		fi
	fi
	"$NB" -s "$P" publish --as-of $AS_OF -m "recover $i" >"$TMP/rec" 2>&1 || { pass=0; echo "  packed trial $i: recovery publish failed: $(cat "$TMP/rec")" >&2; }
	"$NB" -s "$P" verify >/dev/null 2>&1 || { pass=0; echo "  packed trial $i: verify after recovery failed" >&2; }
	! ls "$PR"/objects/pack/ | grep -q '^tmp_' || { pass=0; echo "  packed trial $i: temporary files left: $(ls "$PR"/objects/pack)" >&2; }
	[ $pass -eq 1 ] && good=$((good + 1))
done
[ $good -eq $trials ] && ok || fail "kill -9 while writing a pack: $good of $trials trials consistent"

GP fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling' "$TMP/fsck" && ok || fail "packed history fsck-clean: $(head -n 3 "$TMP/fsck")"
# Packs or loose, git reads the history the same way.
n=$(GP tag -l 'pub-*' | wc -l)
[ "$n" -ge 2 ] && GP diff --quiet "pub-1" "pub-1" && GP log --oneline publications | grep -q 'Publication' && \
	GP diff --stat pub-$((n - 1)) pub-$n >/dev/null 2>&1 && ok || fail "git log and diff over packed publications"

# Killed while the repository itself is being created (strace kills it
# on entering its n-th mkdir, all inside git_repository_init_ext): the
# repository is then absent or whole, never a folder git cannot open, and
# the next publish succeeds (generator/audit/repo.c, init_whole).
if strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	good=0
	for n in 2 3 4 5 6 7 8 9; do
		rm -rf "$PR" "$P/.noticeboard-cache"
		strace -f -qq -o /dev/null -e trace=mkdir,mkdirat -e inject=mkdir,mkdirat:signal=KILL:when=$n \
			"$NB" -s "$P" publish --as-of $AS_OF -m "init $n" >/dev/null 2>&1
		{ [ ! -e "$PR" ] || GP rev-parse --git-dir >/dev/null 2>&1; } &&
			"$NB" -s "$P" publish --as-of $AS_OF -m "after init $n" >/dev/null 2>&1 &&
			"$NB" -s "$P" verify >/dev/null 2>&1 && good=$((good + 1)) ||
			echo "  init kill at mkdir $n: $(ls -a "$PR" 2>&1 | tr '\n' ' ')" >&2
	done
	[ $good -eq 8 ] && ok || fail "kill -9 while creating the repository: $good of 8 recover whole"
	[ -z "$(ls -d "$PR".staging-init-* 2>/dev/null)" ] && ok || fail "a killed init's folder is removed by the next publish"
else
	skip "strace missing: repository creation kill trials"
fi

# Killed after the repository was made and before the first commit: an
# empty repository (no branch, no tag), the lock file naming a dead pid,
# a pack cut short and the side folder of the build. Made as a kill leaves
# it, deterministically. Nothing reads it as a record, and the next
# publish records pub-1 and cleans up after the killed one.
E="$TMP/emptyrec"; demo_copy "$E"; ER="$E/audit.git"
GE() { git --git-dir="$ER" "$@"; }
git init -q --bare --initial-branch=publications "$ER"
echo 4194303 >"$ER/noticeboard.lock"
head -c 4096 /dev/urandom >"$ER/objects/pack/tmp_pack_nb_k1LLed"
mkdir -p "$E/public.staging-publish/meetings" && echo half >"$E/public.staging-publish/index.html"
out=$("$NB" -s "$E" log 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "no publications yet" ] && ok || fail "log of an empty record: none yet ($rc): $out"
out=$("$NB" -s "$E" log --json 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "[]" ] && ok || fail "log --json of an empty record is [] ($rc): $out"
out=$("$NB" -s "$E" verify 2>&1); rc=$?
[ $rc -ne 0 ] && [ "$out" = "noticeboard verify: no publication to compare with" ] && ok \
	|| fail "verify of an empty record claims nothing ($rc): $out"
out=$("$NB" -s "$E" history about 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'is in no publication' && ok || fail "history of an empty record ($rc): $out"
out=$("$NB" -s "$E" publish -m "after the kill" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^published pub-1 ' && [ "$(GE tag -l 'pub-*')" = pub-1 ] && ok \
	|| fail "the next publish records pub-1 ($rc): $out"
[ ! -e "$E/public.staging-publish" ] && [ -z "$(ls "$ER/objects/pack" | grep '^tmp_')" ] && ok \
	|| fail "the killed publish's pack and side folder are gone: $(ls "$ER/objects/pack" "$E")"
out=$("$NB" -s "$E" verify 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'identical to pub-1' && ok || fail "and verify passes ($rc): $out"
[ "$("$NB" -s "$E" log | wc -l)" -eq 1 ] && "$NB" -s "$E" log | grep -q '^pub-1 .* after the kill$' && ok \
	|| fail "log shows pub-1 alone: $("$NB" -s "$E" log 2>&1)"

# --- kill -9 at the exact steps that make a pack a publication ------------------------
# strace kills the program on entering the n-th rename or link (libgit2
# moves refs with link): before the index gets its name, the pack, the
# branch, the tag. Every state must be fsck-clean and recoverable.
# strace counts a syscall per tracee, that is per thread, and the build
# renames files on its other threads too (the feeds and open data are
# streamed through a temporary), so n is the step's number among its
# own thread's calls in the traced run, not among all of them.
if strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	K="$TMP/killpoints"; demo_copy "$K"
	KR="$K/audit.git"
	GK() { git --git-dir="$KR" "$@"; }
	strace -f -qq -e trace=rename,link -o "$TMP/trace" "$NB" -s "$K" publish --as-of $AS_OF -m traced >/dev/null 2>&1
	nth() { awk -v sc="$1" -v pat="$2" 'index($2, sc "(") == 1 { n[$1]++; if (index($0, pat)) { print n[$1]; exit } }' "$TMP/trace"; }
	for pt in "rename:$(nth rename /tmp_idx_nb_):index" "rename:$(nth rename /tmp_pack_nb_):pack" \
		  "link:$(nth link /refs/heads/publications.lock):branch" "link:$(nth link /refs/tags/pub-1.lock):tag"; do
		sc=${pt%%:*}; rest=${pt#*:}; n=${rest%%:*}; what=${rest#*:}
		[ -n "$n" ] || { fail "no step '$what' in the trace of a first publish"; continue; }
		rm -rf "$KR" "$K/.noticeboard-cache" "$K/public"
		strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" \
			"$NB" -s "$K" publish --as-of $AS_OF -m "killed before the $what" >/dev/null 2>&1
		[ $? -ne 0 ] && ok || fail "killed before the $what: it was not killed"
		GK fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling\|^notice' "$TMP/fsck" && ok || \
			fail "killed before the $what: fsck: $(head -n 3 "$TMP/fsck")"
		branch=$(GK rev-parse -q --verify publications)
		case $what in
		index|pack|branch) [ -z "$branch" ] && ok || fail "killed before the $what: the branch moved";;
		tag) [ -n "$branch" ] && GK archive "$branch" >/dev/null 2>&1 && ! GK rev-parse -q --verify pub-1 >/dev/null && ok || \
			fail "killed before the tag: the branch should name a complete publication";;
		esac
		[ "$what" != branch ] || [ -n "$(ls "$KR"/objects/pack/*.pack 2>/dev/null)" ] && ok || fail "killed before the branch: the pack is in place"
		"$NB" -s "$K" publish --as-of $AS_OF -m recovered >"$TMP/rec" 2>&1 && "$NB" -s "$K" verify >/dev/null 2>&1 && ok || \
			fail "killed before the $what: recovery: $(cat "$TMP/rec")"
		left=$(ls "$KR/objects/pack" | grep -v '^pack-[0-9a-f]*\.\(pack\|idx\)$')
		for i in "$KR"/objects/pack/*.idx; do [ -f "${i%.idx}.pack" ] || left="$left $i"; done
		[ -z "$left" ] && ok || fail "killed before the $what: the recovery left $left"
		GK fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling\|^notice' "$TMP/fsck" && ok || \
			fail "killed before the $what: fsck after recovery: $(head -n 3 "$TMP/fsck")"
	done
else
	echo "e2e_audit: exact kill points skipped: strace cannot trace here"
fi

# --- signed publications ------------------------------------------------------------------
S3="$TMP/signed"; demo_copy "$S3"
ssh-keygen -q -t ed25519 -N '' -C secretary -f "$TMP/key" >/dev/null 2>&1
echo "limei@example.org namespaces=\"git\" $(cat "$TMP/key.pub")" >"$TMP/allowed"
printf '  signing_key: %s\n  allowed_signers: %s\n' "$TMP/key" "$TMP/allowed" >>"$S3/site.yaml"
out=$("$NB" -s "$S3" publish -m "signed" --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q signed && ok || fail "signed publish ($rc): $out"
out=$(git --git-dir="$S3/audit.git" -c gpg.ssh.allowedSignersFile="$TMP/allowed" verify-commit publications 'pub-1^{commit}' 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'Good "git" signature for limei@example.org' && ok || fail "git verify-commit ($rc): $out"
out=$("$NB" -s "$S3" verify 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '2 signatures good' && ok || fail "verify checks the commit's and the tag's signatures ($rc): $out"
out=$(git --git-dir="$S3/audit.git" -c gpg.ssh.allowedSignersFile="$TMP/allowed" verify-tag pub-1 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'Good "git" signature for limei@example.org' && ok || fail "git verify-tag pub-1 ($rc): $out"
cp "$TMP/allowed" "$TMP/allowed.limei"
ssh-keygen -q -t ed25519 -N '' -C other -f "$TMP/other" >/dev/null 2>&1
echo "other@example.org namespaces=\"git\" $(cat "$TMP/other.pub")" >"$TMP/allowed"
"$NB" -s "$S3" verify >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "verify rejects a signer not allowed"

# The key must be the publisher's: Li Mei's key signing in Zhang Wei's name.
cat "$TMP/allowed.limei" >"$TMP/allowed"
echo "zhangwei@example.org namespaces=\"git\" $(cat "$TMP/other.pub")" >>"$TMP/allowed"
printf '\n张伟发布。\n' >>"$S3/content/pages/about.md"
"$NB" -s "$S3" -q publish --as "Zhang Wei <zhangwei@example.org>" --as-of $AS_OF -m "in another's name" >/dev/null 2>&1
out=$("$NB" -s "$S3" verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '^signature pub-2 (commit): signed with the key of limei@example.org, but the publisher is zhangwei@example.org' && ok \
	|| fail "verify rejects a key that is not the publisher's ($rc): $out"
out=$(git --git-dir="$S3/audit.git" -c gpg.ssh.allowedSignersFile="$TMP/allowed" verify-commit 'pub-2^{commit}' 2>&1)
echo "$out" | grep -q 'limei@example.org' && ok || fail "git agrees whose key signed pub-2: $out"

# A commit that only looks like a publication cut short before its tag
# (parent pub-2, "Publication 3") is not finished with the publisher's
# signed tag unless the publisher's key signed it: anyone who can write
# the repository could put one there.
R3="$S3/audit.git"
p2=$(git --git-dir="$R3" rev-parse 'pub-2^{commit}')
# look_alike [KEY]: the branch moved to a "Publication 3" on pub-2, signed
# with KEY if given; then a publish.
look_alike() {
	c=$(git --git-dir="$R3" -c user.name=Forger -c user.email=forger@example.org \
		${1:+-c gpg.format=ssh -c user.signingkey="$1"} commit-tree ${1:+-S} \
		"$(git --git-dir="$R3" rev-parse 'pub-2^{tree}')" -p "$p2" -m "Publication 3: look-alike")
	git --git-dir="$R3" update-ref refs/heads/publications "$c"
	out=$("$NB" -s "$S3" publish -m after --as-of $AS_OF 2>&1); rc=$?
}
printf '\n伪造之后。\n' >>"$S3/content/pages/about.md"
look_alike
[ $rc -eq 1 ] && echo "$out" | grep -q "is not signed with this site's key (not signed)" && \
	[ -z "$(git --git-dir="$R3" tag -l pub-3)" ] && ok || fail "an unsigned look-alike is not tagged ($rc): $out"
# verify does not take it for a publication waiting for its tag: it fails.
out=$("$NB" -s "$S3" verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "error: the branch ends in commit [0-9a-f]\{12\}, which says it is publication 3 but is not signed with this site's key (not signed)" && \
	! echo "$out" | grep -q 'the next `publish` adds the tag' && ok \
	|| fail "verify fails an unsigned look-alike ($rc): $out"
look_alike "$TMP/other"
[ $rc -eq 1 ] && echo "$out" | grep -q "is not signed with this site's key" && \
	[ -z "$(git --git-dir="$R3" tag -l pub-3)" ] && ok || fail "a look-alike signed by another key is not tagged ($rc): $out"
# Signed with the site's key it is the publisher's own, cut short: finished.
look_alike "$TMP/key"
[ $rc -eq 0 ] && [ "$(git --git-dir="$R3" rev-parse 'pub-3^{commit}')" = "$c" ] && \
	[ -n "$(git --git-dir="$R3" tag -l pub-4)" ] && ok || fail "a cut-short publication signed with the key is finished ($rc): $out"

# Signing turned on later: older publications stay unsigned and verify
# says from which publication on they are signed; an unsigned one after
# that is a failure.
S5="$TMP/later"; demo_copy "$S5"
"$NB" -s "$S5" -q publish -m unsigned --as-of $AS_OF >/dev/null 2>&1
cat "$TMP/allowed.limei" >"$TMP/allowed"
cp "$S5/site.yaml" "$TMP/later.yaml"
printf '  signing_key: %s\n  allowed_signers: %s\n' "$TMP/key" "$TMP/allowed" >>"$S5/site.yaml"
printf '\n开始签名。\n' >>"$S5/content/pages/about.md"
"$NB" -s "$S5" -q publish -m signed --as-of $AS_OF >/dev/null 2>&1
out=$("$NB" -s "$S5" verify 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'signed from pub-2 on; pub-1 to pub-1 were published before signing began' && ok \
	|| fail "signing turned on later: verify passes and says from when ($rc): $out"
sed -i '/signing_key/d' "$S5/site.yaml"
printf '\n不签名。\n' >>"$S5/content/pages/about.md"
"$NB" -s "$S5" -q publish -m "unsigned again" --as-of $AS_OF >/dev/null 2>&1
out=$("$NB" -s "$S5" verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '^signature pub-3: its commit is not signed, but publications are signed from pub-2 on' && ok \
	|| fail "an unsigned publication after signing began fails ($rc): $out"

# --- a signing key that cannot sign ----------------------------------------------------
# No file there, a folder, a file that is no key, a passphrase nobody can
# type, no ssh-keygen: each is a setting the secretary fixes (exit 1, not
# 3), said at the `signing_key:` line of site.yaml with what to do, and
# nothing is recorded: no commit, no tag, the branch and the served
# folder as they were. The locked key passes every check made before the
# build; only signing finds it out.
K6="$TMP/keyless"; demo_copy "$K6"; KR6="$K6/audit.git"
"$NB" -s "$K6" -q publish -m first --as-of $AS_OF >/dev/null 2>&1 || fail "keyless: publish #1"
ssh-keygen -q -t ed25519 -N 'secret words' -C locked -f "$TMP/locked" >/dev/null 2>&1
mkdir "$TMP/keydir"; echo "not a key" >"$TMP/notakey"; mkdir "$TMP/nossh"
cp "$K6/site.yaml" "$TMP/keyless.yaml"
printf '\n密钥。\n' >>"$K6/content/pages/about.md"
kline=$(($(wc -l <"$TMP/keyless.yaml") + 1))
served() { (cd "$K6/public" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
before=$(served); tip=$(git --git-dir="$KR6" rev-parse publications)
# key_refused KEY WHAT MESSAGE HINT [VAR=VALUE...]: publish with KEY, in a
# session of its own (no terminal to ask a passphrase on) and no agent.
key_refused() {
	key=$1; what=$2; msg=$3; hint=$4; shift 4
	cp "$TMP/keyless.yaml" "$K6/site.yaml"
	printf '  signing_key: %s\n' "$key" >>"$K6/site.yaml"
	out=$(setsid -w env -u SSH_AUTH_SOCK "$@" "$NB" -s "$K6" publish -m "$what" --as-of $AS_OF \
		</dev/null 2>&1); rc=$?
	[ $rc -eq 1 ] && ok || fail "$what: publish exits 1 (got $rc): $out"
	echo "$out" | grep -qF "site.yaml:$kline:16: $msg" && echo "$out" | grep -qF "$hint" && ok \
		|| fail "$what: said at site.yaml:$kline:16 with what to do: $out"
	[ "$(git --git-dir="$KR6" rev-parse publications)" = "$tip" ] && \
		[ "$(git --git-dir="$KR6" tag -l 'pub-*')" = pub-1 ] && ok || fail "$what: nothing recorded"
	[ "$(served)" = "$before" ] && [ ! -e "$K6/public.staging-publish" ] && ok \
		|| fail "$what: the served folder is as it was"
}
key_refused "$TMP/nokey" "missing key" \
	"error: the signing key $TMP/nokey (audit.signing_key) does not exist; nothing was recorded" \
	"hint: correct \`signing_key:\` under \`audit:\` in site.yaml"
key_refused "$TMP/keydir" "a folder" \
	"error: the signing key $TMP/keydir (audit.signing_key) is not a file; nothing was recorded" \
	"hint: correct \`signing_key:\`"
key_refused "$TMP/notakey" "not a key" \
	"error: the signing key $TMP/notakey (audit.signing_key) cannot sign: $TMP/notakey is not a public key file.; nothing" \
	"hint: \`signing_key:\` names an SSH private key"
key_refused "$TMP/locked" "a passphrase" \
	"error: the signing key $TMP/locked (audit.signing_key) is locked by a passphrase that was not given or was wrong; nothing was recorded" \
	"hint: publish from a terminal to type the passphrase, load the key into ssh-agent first"
key_refused "$TMP/key" "no ssh-keygen" \
	"error: ssh-keygen, which signs each publication with audit.signing_key, is not installed; nothing was recorded" \
	"hint: install OpenSSH's ssh-keygen" PATH="$TMP/nossh"
key_refused "$TMP/nokey" "missing key, in Chinese" \
	"错误：签名密钥 $TMP/nokey（audit.signing_key）不存在；没有记录任何内容" \
	"提示：请改正 site.yaml 里 \`audit:\` 下的 \`signing_key:\`" NB_LANG=
echo "$out" | grep -q '[A-Za-z][a-z]* [a-z]* [a-z]' && fail "missing key, in Chinese: no English sentence: $out" || ok
# ssh-keygen itself failing is not a refused key: told "the key cannot
# sign", the secretary went after a key that was fine. It is said as the
# program's failure (exit 3, as any failure to run), naming the program
# that ran (a stand-in early on PATH here) and what it said, at the
# `signing_key:` line with what to do; nothing is recorded. A stand-in
# that answers every call with garbage and 255 (found at the check
# before the build), and ones that pass the check to OpenSSH's but die
# while signing: killed, or exiting 1 with a usage message (an
# ssh-keygen too old to know -Y sign).
real_keygen=$(command -v ssh-keygen)
mkdir "$TMP/badssh" "$TMP/killssh" "$TMP/oldssh"
printf '#!/bin/sh\necho "garbage from a stand-in" >&2\nexit 255\n' >"$TMP/badssh/ssh-keygen"
printf '#!/bin/sh\n[ "$1" = -Y ] && kill -9 $$\nexec %s "$@"\n' "$real_keygen" >"$TMP/killssh/ssh-keygen"
printf '#!/bin/sh\n[ "$1" = -Y ] && { echo "usage: ssh-keygen [-q] [-a rounds]" >&2; exit 1; }\nexec %s "$@"\n' \
	"$real_keygen" >"$TMP/oldssh/ssh-keygen"
chmod +x "$TMP/badssh/ssh-keygen" "$TMP/killssh/ssh-keygen" "$TMP/oldssh/ssh-keygen"
# tool_failed BIN WHAT MESSAGE [VAR=VALUE...]: publish with the good key and
# BIN's ssh-keygen first on PATH.
tool_failed() {
	bin=$1; what=$2; msg=$3; shift 3
	cp "$TMP/keyless.yaml" "$K6/site.yaml"
	printf '  signing_key: %s\n' "$TMP/key" >>"$K6/site.yaml"
	out=$(setsid -w env -u SSH_AUTH_SOCK PATH="$bin:$PATH" "$@" "$NB" -s "$K6" publish \
		-m "$what" --as-of $AS_OF </dev/null 2>&1); rc=$?
	[ $rc -eq 3 ] && ok || fail "$what: publish exits 3 (got $rc): $out"
	echo "$out" | grep -qF "site.yaml:$kline:16: $msg" && ok || fail "$what: said as ssh-keygen's failure: $out"
	echo "$out" | grep -q "cannot sign\|无法签名" && fail "$what: called a key that cannot sign: $out" || ok
	[ "$(git --git-dir="$KR6" rev-parse publications)" = "$tip" ] && \
		[ "$(git --git-dir="$KR6" tag -l 'pub-*')" = pub-1 ] && ok || fail "$what: nothing recorded"
	[ "$(served)" = "$before" ] && [ ! -e "$K6/public.staging-publish" ] && ok \
		|| fail "$what: the served folder is as it was"
}
fix="hint: make sure the ssh-keygen found first on PATH is OpenSSH's and works"
tool_failed "$TMP/badssh" "a stand-in that exits 255" \
	"error: ssh-keygen failed, not the signing key $TMP/key (audit.signing_key): \`$TMP/badssh/ssh-keygen -l -f $TMP/key\` exited with status 255 and said: garbage from a stand-in; nothing was recorded"
echo "$out" | grep -qF "$fix" && ok || fail "a stand-in that exits 255: what to do: $out"
tool_failed "$TMP/killssh" "killed while signing" \
	"error: ssh-keygen failed, not the signing key $TMP/key (audit.signing_key): \`$TMP/killssh/ssh-keygen -Y sign -n git -f $TMP/key\` was ended by signal 9 (Killed) and said nothing; nothing was recorded"
tool_failed "$TMP/oldssh" "too old to sign" \
	"error: ssh-keygen failed, not the signing key $TMP/key (audit.signing_key): \`$TMP/oldssh/ssh-keygen -Y sign -n git -f $TMP/key\` exited with status 1 and said: usage: ssh-keygen [-q] [-a rounds]; nothing was recorded"
tool_failed "$TMP/badssh" "a stand-in, in Chinese" \
	"错误：出错的是 ssh-keygen 程序，不是签名密钥 $TMP/key（audit.signing_key）：\`$TMP/badssh/ssh-keygen -l -f $TMP/key\` 以状态 255 退出，它的输出是：garbage from a stand-in；没有记录任何内容" NB_LANG=
echo "$out" | grep -qF "提示：请确认 PATH 里最先找到的 ssh-keygen 是 OpenSSH 的" && ok || fail "a stand-in, in Chinese: what to do: $out"
# The first publish of a site with such a key leaves no record behind.
K7="$TMP/keyless-first"; demo_copy "$K7"
printf '  signing_key: %s\n' "$TMP/locked" >>"$K7/site.yaml"
setsid -w env -u SSH_AUTH_SOCK "$NB" -s "$K7" -q publish -m first --as-of $AS_OF </dev/null >/dev/null 2>&1
[ $? -eq 1 ] && [ ! -e "$K7/audit.git" ] && [ ! -e "$K7/public" ] && ok \
	|| fail "a first publish with a locked key exits 1 and leaves no record: $(ls -a "$K7")"
# The key kept in static/: it would be served to everyone and kept in the
# record for ever. Refused by publish and build alike, before either
# writes anything.
K8="$TMP/keyinstatic"; demo_copy "$K8"; mkdir -p "$K8/static/keys"
cp "$TMP/key" "$K8/static/keys/publisher"
printf '  signing_key: static/keys/publisher\n' >>"$K8/site.yaml"
out=$("$NB" -s "$K8" publish -m leak --as-of $AS_OF 2>&1); rc=$?
bout=$("$NB" -s "$K8" build --as-of $AS_OF 2>&1); brc=$?
[ $rc -eq 1 ] && [ $brc -eq 1 ] && echo "$out" | grep -q "^site.yaml:$kline:16: error: the signing key .*/static/keys/publisher is inside static/.*would be published" && \
	echo "$bout" | grep -q 'audit-key-place\|is inside static/' && ok \
	|| fail "a key in static/ is refused by publish ($rc) and build ($brc): $out / $bout"
[ ! -e "$K8/audit.git" ] && [ -z "$(find "$K8" -path "$K8/static" -prune -o -name publisher -print)" ] && ok \
	|| fail "a key in static/: nothing recorded or published: $(find "$K8" -name publisher)"
# With the key fixed, the same publish records and signs.
cp "$TMP/keyless.yaml" "$K6/site.yaml"; printf '  signing_key: %s\n' "$TMP/key" >>"$K6/site.yaml"
out=$("$NB" -s "$K6" publish -m fixed --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^published pub-2 .*; signed$' && ok || fail "with the key fixed pub-2 is signed ($rc): $out"
# The refused attempts left nothing a verifier or git would trip on.
printf '  allowed_signers: %s\n' "$TMP/allowed.limei" >>"$K6/site.yaml"
out=$("$NB" -s "$K6" verify 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'identical to pub-2.*2 signatures good' && \
	git --git-dir="$KR6" fsck --strict >"$TMP/fsck" 2>&1 && ! grep -qv '^dangling' "$TMP/fsck" && ok \
	|| fail "after the refusals the record verifies and is fsck-clean ($rc): $out $(head -3 "$TMP/fsck")"

# --- mirrors ---------------------------------------------------------------------------------
M="$TMP/mirror.git"; git init -q --bare "$M"
out=$(nb push "$M" 2>&1); rc=$?
last=$(G tag -l 'pub-*' | wc -l)
[ $rc -eq 0 ] && [ "$out" = "pushed publications and pub-1..pub-$last to $M" ] && ok \
	|| fail "push to a file mirror ($rc): $out"
[ "$(git --git-dir="$M" rev-parse publications)" = "$(G rev-parse publications)" ] && ok || fail "mirror has the branch"
[ "$(git --git-dir="$M" tag -l 'pub-*' | wc -l)" = "$(G tag -l 'pub-*' | wc -l)" ] && ok || fail "mirror has every tag"
git --git-dir="$M" fsck >/dev/null 2>&1 && ok || fail "mirror passes fsck"
printf '  mirrors: ["%s", "../mirror2.git"]\n' "$M" >>"$S/site.yaml"
out=$(nb push 2>&1); rc=$?
[ $rc -eq 0 ] && [ -d "$TMP/mirror2.git" ] && ok || fail "push to configured mirrors ($rc): $out"
git --git-dir="$M" update-ref refs/heads/publications "$(G rev-parse pub-1^{commit})"
git --git-dir="$M" commit-tree "$(G rev-parse pub-1^{tree})" -m forged >"$TMP/forged"
git --git-dir="$M" update-ref refs/heads/publications "$(cat "$TMP/forged")"
out=$(NB_LANG= nb push "$M" 2>&1); [ $? -ne 0 ] && ok || fail "push refuses a mirror with another history"
# In the site's language (NB_LANG cleared: the demo is Chinese).
echo "$out" | grep -q "^noticeboard push: $M 拒绝了推送（镜像里若是另一段历史，绝不会被覆盖）" && ok \
	|| fail "push's refusal in the site's language: $out"
# All or nothing: a mirror whose branch holds another history gets none
# of the tags either (they would name commits its branch never had).
M3="$TMP/mirror3.git"; git init -q --bare "$M3"
other=$(git --git-dir="$M3" commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -m other)
git --git-dir="$M3" update-ref refs/heads/publications "$other"
nb push "$M3" >/dev/null 2>&1 && fail "push refuses a fresh mirror with another history" || ok
[ "$(git --git-dir="$M3" tag -l 'pub-*' | wc -l)" = 0 ] && ok ||
	fail "a refused push left tags: $(git --git-dir="$M3" tag -l 'pub-*' | tr '\n' ' ')"
[ "$(git --git-dir="$M3" rev-parse publications)" = "$other" ] && ok || fail "the mirror's branch moved"
# What push did, in the site's language too.
out=$(NB_LANG= nb push "$TMP/mirror-zh.git" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "已把分支 publications 和 pub-1..pub-$last 推送到 $TMP/mirror-zh.git" ] && ok \
	|| fail "push says what it sent in the site's language ($rc): $out"
# A mirror git never reached is not said to have refused the push: that
# sends the publisher looking for another history there.
out=$(NB_LANG= nb push "file://$TMP/no-such-mirror.git" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q "^noticeboard push: 无法推送到 file://$TMP/no-such-mirror.git：git 中途停止（退出码 128），原因见上面 git 的说明$" && \
	! echo "$out" | grep -q '拒绝了推送' && ok || fail "an unreachable mirror is said as such ($rc): $out"
out=$(nb push "file://$TMP/no-such-mirror.git" 2>&1)
echo "$out" | grep -q "^noticeboard push: cannot push to file://$TMP/no-such-mirror.git: git stopped (exit 128) for the reason it gave above$" \
	&& ok || fail "an unreachable mirror, in English: $out"
# Without git on PATH, push says it could not run git, once, in the site's
# language: no "git stopped for the reason it gave above", for git gave none.
mkdir -p "$TMP/nogit"
out=$(export PATH="$TMP/nogit"; NB_LANG= nb push "$TMP/mirror-nogit.git" 2>&1); rc=$?
[ $rc -eq 3 ] && [ "$out" = "noticeboard push: 无法运行 git，没有推送到 $TMP/mirror-nogit.git：文件或文件夹不存在" ] \
	&& ok || fail "push without git, in the site's language ($rc): $out"
out=$(export PATH="$TMP/nogit"; nb push "$TMP/mirror-nogit.git" 2>&1); rc=$?
[ $rc -eq 3 ] && [ "$out" = "noticeboard push: cannot run git to push to $TMP/mirror-nogit.git: No such file or directory" ] \
	&& ok || fail "push without git, in English ($rc): $out"

# --- command line ------------------------------------------------------------------------------
for c in publish log diff verify history push; do
	"$NB" $c --help >/dev/null 2>&1 && ok || fail "$c --help exits 0"
done
nb publish --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "publish --bogus exits 2"
nb publish --as-of 25/11/2026 >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "publish with a bad date exits 2"
nb publish --as "nobody" --allow-empty >/dev/null 2>&1; [ $? -ne 0 ] && ok || fail "publish --as without email fails"
# --wait takes whole seconds: `five` or `-5` was read as 0, and a publish
# meeting the lock gave up at once, telling the publisher to use --wait.
for w in five -5 5s ""; do
	out=$(nb publish --wait "$w" --allow-empty 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$out" = "noticeboard publish: --wait wants a number of seconds from 0 to 86400, got \`$w\`" ] \
		&& ok || fail "publish --wait '$w' exits 2 and says why ($rc): $out"
done
out=$(NB_LANG= nb publish --wait five 2>&1)
[ "$out" = "noticeboard publish: --wait 后面要写等待的秒数（0 到 86400），现在写的是 \`five\`" ] && ok \
	|| fail "publish --wait five, in the site's language: $out"
N="$TMP/nopub"; demo_copy "$N"
"$NB" -s "$N" log >/dev/null 2>&1; [ $? -eq 3 ] && ok || fail "log without a repository exits 3"
# A record with no publication yet, in the site's language and in English;
# given without its site, a record that cannot say its language is English.
git init -q --bare "$N/audit.git"
out=$(NB_LANG= "$NB" -s "$N" log 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "还没有任何公示" ] && ok || fail "log of an empty record in Chinese ($rc): $out"
out=$("$NB" -s "$N" log 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "no publications yet" ] && ok || fail "log of an empty record, NB_LANG=en ($rc): $out"
out=$(cd "$TMP" && NB_LANG= "$NB" log --audit-repo "$N/audit.git" 2>&1)
[ "$out" = "no publications yet" ] && ok || fail "an empty record given alone is read in English: $out"
out=$(NB_LANG= "$NB" -s "$N" diff 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" = "noticeboard diff：还没有任何公示" ] && ok || fail "diff of an empty record ($rc): $out"
# Usage errors, before site.yaml is read: the site's language when there is
# one, English outside any site, NB_LANG first.
out=$(NB_LANG= "$NB" -s "$N" frobnicate 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | head -1 | grep -qx 'noticeboard：没有 `frobnicate` 这个命令' && ok \
	|| fail "unknown command in the site's language ($rc): $out"
out=$(NB_LANG= "$NB" -s "$N" verify --bogus 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | head -1 | grep -qx 'noticeboard verify：不认识的参数 `--bogus`' && ok \
	|| fail "unknown argument in the site's language ($rc): $out"
out=$(cd "$TMP" && NB_LANG= "$NB" frobnicate 2>&1)
echo "$out" | head -1 | grep -qx 'noticeboard: unknown command `frobnicate`' && ok \
	|| fail "unknown command outside a site is English: $out"
out=$("$NB" -s "$N" -x 2>&1)
echo "$out" | head -1 | grep -qx 'noticeboard: unknown option `-x`' && ok || fail "NB_LANG=en: $out"

finish e2e_audit
