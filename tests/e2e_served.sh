#!/bin/sh
# End-to-end: the site carries its own history (served.h, sums.h).
# Publish the demo twice, serve public/ with a plain static web server, and
# check it as an auditor would, with git and sha256sum only: the record
# clones over git's dumb HTTP protocol, every served file is the newest
# publication's public/, every page names the first publication that
# served it so (pubtag.h), so pub-2 records only what it changed; the sums
# check; then the settings that turn the copy off or point to a mirror.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
site_setup
P="$S/public"
export GIT_TERMINAL_PROMPT=0

nb publish -m "first" --as-of 2026-11-25 >/dev/null 2>"$TMP/err" || fail "publish #1: $(cat "$TMP/err")"
packs1=$(ls "$P/audit.git/objects/pack/" 2>/dev/null)
printf '\n补充说明。\n' >>"$S/content/meetings/2024/huaiyin-2024-03-plenary.md"
out=$(NB_LANG= nb publish -m "second" --as-of 2026-11-26 2>"$TMP/err") || fail "publish #2: $(cat "$TMP/err")"
# The demo is a zh-CN site: publish says what it recorded in Chinese.
echo "$out" | grep -Eq '^已发布第2次公示（[0-9a-f]{11}）：新增 0 个文档，修订 1 个，删除 0 个；截至 2026-11-26$' &&
	ok || fail "publish's line in the site's language: $out"

# --- the copy: dumb-HTTP layout, packs only, refs as git writes them ---------
[ -f "$P/audit.git/info/refs" ] && [ -f "$P/audit.git/objects/info/packs" ] && [ -f "$P/audit.git/HEAD" ] && ok || fail "public/audit.git has HEAD, info/refs, objects/info/packs"
[ -z "$(find "$P/audit.git/objects" -type f ! -path '*/pack/*' ! -path '*/info/*')" ] && ok || fail "no loose objects in the served copy"
cp -r "$R" "$TMP/ref.git"; git --git-dir="$TMP/ref.git" update-server-info
cmp -s "$TMP/ref.git/info/refs" "$P/audit.git/info/refs" && ok || fail "info/refs is what git update-server-info writes: $(diff "$TMP/ref.git/info/refs" "$P/audit.git/info/refs")"
grep -q '^P pack-[0-9a-f]*\.pack$' "$P/audit.git/objects/info/packs" && [ "$(tail -c 2 "$P/audit.git/objects/info/packs" | od -An -c | tr -d ' ')" = '\n\n' ] && ok || fail "objects/info/packs lists packs, then an empty line"
for p in $packs1; do [ -f "$P/audit.git/objects/pack/$p" ] || { fail "pack $p of the first copy is not reused"; break; }; done; ok
[ -n "$packs1" ] && ok || fail "the first publish served packs"

# --- serve it and clone it with plain git ------------------------------------------
serve_dir "$P" && ok || fail "http.server started"
C="$TMP/clone"
git clone -q "${URL}audit.git" "$C" 2>"$TMP/clone.err" && ok || fail "git clone over dumb HTTP: $(cat "$TMP/clone.err")"
[ "$(git -C "$C" rev-parse pub-2^{commit} 2>/dev/null)" = "$(G rev-parse pub-2^{commit})" ] && \
	[ "$(git -C "$C" rev-parse HEAD 2>/dev/null)" = "$(G rev-parse publications)" ] && ok || fail "the clone has pub-2 and the branch checked out"
git -C "$C" fsck --full >/dev/null 2>&1 && ok || fail "the clone is complete (git fsck)"

out=$(XDG_STATE_HOME="$TMP/state" XDG_CACHE_HOME="$TMP/cache" "$NB" audit "$URL" 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "noticeboard audit of the served site passes ($rc): $out"

# --- what is served is the newest publication's public/ ----------------------------
rm -rf "$TMP/rec"; mkdir -p "$TMP/rec"
git -C "$C" archive pub-2 public | tar -x -C "$TMP/rec"
diff -r -x audit.git -x .noticeboard-output "$TMP/rec/public" "$P" >"$TMP/d" 2>&1 && ok || fail "served files equal pub-2's public/: $(head -5 "$TMP/d")"
! git -C "$C" ls-tree -r --name-only pub-2 | grep -q '^public/audit\.git' && ok || fail "the record's public/ leaves audit.git out"
git -C "$C" ls-tree -r --name-only pub-2 | grep -qx 'public/manifest.sha256' && ok || fail "the record's public/ holds manifest.sha256"

# --- every page names the first publication that served it so -------------------
n=$(cd "$P" && find . -path ./audit.git -prune -o -name '*.html' -print | wc -l)
bad=$(pages_named_by_record "$C/.git" "$P" 2)
[ "$n" -gt 20 ] && [ -z "$bad" ] && ok || fail "every page ($n) is what the publication it names recorded: $(echo "$bad" | head -3)"
grep -q '<meta name="noticeboard:publication" content="2">' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok || fail "the meeting pub-2 changed names publication 2"
changed=$(git -C "$C" diff --name-only pub-1 pub-2 -- public | grep -c '\.html$')
# One meeting edited, and the as-of date a day later, which the pages that
# judge decisions' status show: those change, the rest are pub-1's blobs.
[ "$changed" -gt 0 ] && [ "$changed" -lt $((n / 2)) ] && ok || fail "pub-2 records the pages that changed, not every page ($changed of $n)"
git -C "$C" show pub-1:public/index.html | grep -q '<meta name="noticeboard:publication" content="1">' && ok || fail "pub-1's pages named publication 1"

# --- sha256sum alone checks a downloaded copy ----------------------------------------
(cd "$P" && sha256sum --quiet -c manifest.sha256) >/dev/null 2>&1 && ok || fail "sha256sum -c manifest.sha256 passes in the served folder"
LC_ALL=C sort -c -k2 "$P/manifest.sha256" 2>/dev/null && ok || fail "manifest.sha256 is sorted by path"
! grep -q ' audit\.git/\| manifest\.sha256$\|noticeboard-output' "$P/manifest.sha256" && ok || fail "manifest.sha256 lists neither itself, the marker nor audit.git/"
[ "$(grep -c '' "$P/manifest.sha256")" -eq "$(cd "$P" && find . -path ./audit.git -prune -o -type f ! -name manifest.sha256 ! -name .noticeboard-output -print | wc -l)" ] && ok || fail "manifest.sha256 lists every served file"
mkdir -p "$TMP/dl"; curl -s -o "$TMP/dl/manifest.sha256" "${URL}manifest.sha256"
(cd "$TMP/dl" && sed 's|^[0-9a-f]*  ||' manifest.sha256 | while read -r f; do curl -s --create-dirs -o "$f" "$URL$f"; done
 sha256sum --quiet -c manifest.sha256) >/dev/null 2>&1 && ok || fail "a copy downloaded with curl passes sha256sum -c"
printf x >>"$TMP/dl/index.html"
! (cd "$TMP/dl" && sha256sum --quiet -c manifest.sha256) >/dev/null 2>&1 && ok || fail "sha256sum -c fails after a page is altered"

# --- /history/: commit ids, signatures, how to audit --------------------------------
H="$P/history/index.html"
grep -q "$(G rev-parse pub-1^{commit})" "$H" && ok || fail "/history/ shows pub-1's commit id"
grep -q '<code>pub-2</code>' "$H" && ok || fail "/history/ says where pub-2's own commit id is"
grep -q 'https://SITE/audit.git' "$H" && grep -q 'sha256sum -c manifest.sha256' "$H" && grep -q 'noticeboard audit' "$H" && ok || fail "/history/ explains how to audit"

# --- the generator's identity --------------------------------------------------------
G show pub-2:manifest.json >"$TMP/m.json"
python3 - "$TMP/m.json" "$("$NB" version)" <<'PY' && ok || fail "manifest.json records the generator's identity"
import json, sys
g = json.load(open(sys.argv[1]))["generator"]
v = sys.argv[2]
assert g["name"] == "noticeboard" and ("noticeboard " + g["version"]) in v
for k in ("cmark-gfm", "libyaml", "libgit2", "jansson"):
    assert k + " " + g["libraries"][k] in v, k
assert g["theme"].startswith("sha256:") and len(g["theme"]) == 71 and g["theme"] in v
PY

# --- a publish that records nothing still serves a correct copy ----------------------
rm -rf "$P/audit.git"
out=$(nb publish --as-of 2026-11-26 2>&1)
echo "$out" | grep -q 'nothing recorded' && ok || fail "unchanged publish records nothing: $out"
out=$(NB_LANG= nb publish --as-of 2026-11-26 2>&1)
echo "$out" | grep -q '^自第2次公示（pub-2）以来没有改动，未记录新的公示$' && ok || fail "unchanged publish, in Chinese: $out"
rm -rf "$C"; git clone -q "${URL}audit.git" "$C" 2>/dev/null && \
	[ "$(git -C "$C" rev-parse pub-2^{commit})" = "$(G rev-parse pub-2^{commit})" ] && ok || fail "after an unchanged publish the copy clones again"
nb verify >/dev/null 2>&1 && ok || fail "verify passes with the served copy in place"

# --- settings -------------------------------------------------------------------------
# site.yaml has an audit: mapping; the settings go into it.
sed -i 's/^audit:$/audit:\n  serve: false/' "$S/site.yaml"
nb publish -m "no copy" --as-of 2026-11-26 >/dev/null 2>"$TMP/err" || fail "publish with audit.serve false: $(cat "$TMP/err")"
[ ! -e "$P/audit.git" ] && ok || fail "audit.serve: false writes no audit.git"
# The side folder publish builds into is the generation before last, which
# held a copy: it must not be recorded.
! G ls-tree -r --name-only publications | grep -q '^public/audit\.git' && ok || fail "a third publication's record leaves audit.git out"
! grep -q 'audit.git' "$P/history/index.html" && ok || fail "without a copy /history/ offers none"
sed -i 's/^  serve: false$/  mirror: https:\/\/mirror.example.org\/huaiyin.git/' "$S/site.yaml"
nb publish -m "mirror" --as-of 2026-11-26 >/dev/null 2>"$TMP/err" || fail "publish with a mirror: $(cat "$TMP/err")"
[ ! -e "$P/audit.git" ] && ok || fail "audit.mirror writes no audit.git"
grep -q 'git clone https://mirror.example.org/huaiyin.git' "$P/history/index.html" && ok || fail "/history/ sends auditors to the mirror"
sed -i 's/^  mirror: .*/  serve: "yes"/' "$S/site.yaml"
out=$(nb build 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'audit.serve.*true or false' && ok || fail "audit.serve: \"yes\" is a clear error ($rc): $out"
sed -i 's/^  serve: .*/  mirror: ftp:\/\/x/' "$S/site.yaml"
out=$(NB_LANG=zh-CN nb build 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'audit.mirror.*网址' && ok || fail "audit.mirror not http(s) is a clear error in Chinese ($rc): $out"

# --- a small site: its publications are packs, the record's and the copy's ------------
M="$TMP/small"; "$NB" init "$M" >/dev/null 2>&1 || fail "init a small site"
"$NB" -s "$M" publish -m one --as-of 2026-11-25 >/dev/null 2>&1 || fail "small publish #1"
echo "一行。" >>"$(find "$M/content" -name '*.md' | head -1)"
"$NB" -s "$M" publish -m two --as-of 2026-11-26 >/dev/null 2>&1 || fail "small publish #2"
MG="$M/public/audit.git"
# A served site's small publication is written as a pack (audit.h), which
# the copy links: the record and the copy hold the same packs, and the
# record no loose object.
[ -z "$(find "$M/audit.git/objects" -type f ! -path '*/pack/*' ! -path '*/info/*')" ] && \
	[ "$(ls "$M/audit.git/objects/pack")" = "$(ls "$MG/objects/pack")" ] && \
	[ "$(ls "$MG/objects/pack" | grep -c '\.pack$')" -eq 2 ] && \
	git --git-dir="$M/audit.git" fsck --full >/dev/null 2>&1 && ok || \
	fail "the small site's record holds its publications in the packs it serves"
[ -z "$(find "$MG/objects" -type f ! -path '*/pack/*' ! -path '*/info/*')" ] && \
	git --git-dir="$MG" fsck --full >/dev/null 2>&1 && \
	[ "$(git --git-dir="$MG" rev-parse pub-2^{commit})" = "$(git --git-dir="$M/audit.git" rev-parse pub-2^{commit})" ] && ok || fail "the small site's copy holds every object in packs"

# A plain build between two publishes serves no copy; the next copy still
# keeps every pack served before and packs only what is new.
before=$(ls "$MG/objects/pack/" | grep '\.pack$')
"$NB" -s "$M" build --as-of 2026-11-26 >/dev/null 2>&1 || fail "small build between publishes"
echo "又一行。" >>"$(find "$M/content" -name '*.md' | head -1)"
"$NB" -s "$M" publish -m three --as-of 2026-11-27 >/dev/null 2>&1 || fail "small publish #3"
for p in $before; do [ -f "$MG/objects/pack/$p" ] || { fail "pack $p served before the build is served after it"; break; }; done; ok
new=$(ls "$MG/objects/pack/" | grep '\.pack$' | grep -vxF "$before")
pub1=$(git --git-dir="$M/audit.git" rev-parse pub-1^{commit})
[ "$(echo "$new" | wc -w)" -eq 1 ] && ! git show-index <"$MG/objects/pack/${new%.pack}.idx" | grep -q "$pub1" && ok || \
	fail "publish #3 after a build adds one pack, without publication 1's objects ($new)"
git --git-dir="$MG" fsck --full >/dev/null 2>&1 && \
	[ "$(git --git-dir="$MG" rev-parse pub-3^{commit})" = "$(git --git-dir="$M/audit.git" rev-parse pub-3^{commit})" ] && ok || fail "the copy after a build in between is whole"

# The record takes only the pack it made itself: a pack found in the
# served folder (anyone with access to the web server can put one there)
# never enters it.
X="$TMP/foreign"; git init -q --bare "$X"
fid=$(echo "not published" | git --git-dir="$X" hash-object -w --stdin)
fp=$(echo "$fid" | git --git-dir="$X" pack-objects -q "$MG/objects/pack/pack")
echo "再一行。" >>"$(find "$M/content" -name '*.md' | head -1)"
"$NB" -s "$M" publish -m four --as-of 2026-11-28 >/dev/null 2>&1 || fail "small publish #4"
[ -n "$fp" ] && [ ! -e "$M/audit.git/objects/pack/pack-$fp.pack" ] && \
	! git --git-dir="$M/audit.git" cat-file -e "$fid" 2>/dev/null && ok || \
	fail "a pack put into the served folder does not enter the record"
[ -z "$(find "$M/audit.git/objects" -type f ! -path '*/pack/*' ! -path '*/info/*')" ] && \
	git --git-dir="$M/audit.git" fsck --full >"$TMP/fsck" 2>&1 && ok || \
	fail "the record after publication 4 is whole, in packs"
# Every object it holds is a publication's: nothing dangling (the output
# folder's marker was once written as a blob nothing refers to).
! grep -q dangling "$TMP/fsck" && ok || fail "nothing dangling in the record: $(grep dangling "$TMP/fsck" | head -3)"

finish e2e_served
