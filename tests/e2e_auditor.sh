#!/bin/sh
# End-to-end: auditors need nothing but git and the site's address.
# A site publishes three times; its output and audit repository are served
# as a static host serves them (python3 -m http.server, the repository as
# dumb-HTTP files); then `noticeboard audit URL|DIR` from outside, with no
# site folder: an honest site, an altered page, a rewritten and a rolled
# back history (caught only by remembering the last head), a forged
# publication caught only by rebuilding it, another generator, and the
# reading commands on a plain `git clone --bare` with --audit-repo.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
site_setup
W="$TMP/served"
NOWHERE="$TMP/nowhere"; mkdir -p "$NOWHERE"   # no site.yaml: commands run here need none
export XDG_CACHE_HOME="$TMP/cache"
GW() { git --git-dir="$W/audit.git" "$@"; }
# audit from a folder with no site, state under $STATE.
au() { (cd "$NOWHERE" && XDG_STATE_HOME="$STATE" "$NB" audit "$@"); }
# The check NAME of a JSON report on stdin: prints "ok" or "fail".
check_of() { python3 -c 'import json,sys
d=json.load(sys.stdin); c=[c for c in d["checks"] if c["name"]==sys.argv[1]]
print("ok" if c and c[0]["ok"] else "fail")' "$1"; }
# audit in the language the site's record names (lib.sh sets NB_LANG=en).
au_site() { (unset NB_LANG; au "$@"); }
# English words left in a text report on stdin, one a line: what is not an
# address, path, id, option or name (those are placed as they are).
english_left() { python3 -c 'import re,sys
keep={"noticeboard","git","pub","HTTP","zlib","refs","heads","publications"}
for line in sys.stdin:
    for tok in line.split():
        if re.search(r"[/._=0-9]", tok) or tok.startswith("-"): continue
        for w in re.findall(r"[A-Za-z]{3,}", tok):
            if w not in keep: print(w)'; }

# --- three publications --------------------------------------------------------------
MIN=content/meetings/2024/huaiyin-2024-03-plenary.md
DEC=content/decisions/2024/huaiyin-2024-elevator-bldg3.md
nb publish -m "first" --as-of $AS_OF >/dev/null 2>&1 && ok || fail "publish 1"
printf '\n补充：经签字确认。\n' >>"$S/$MIN"
nb publish -m "second" --as-of $AS_OF >/dev/null 2>&1 && ok || fail "publish 2"
sed -i 's/votes: {for: 7, against: 2/votes: {for: 8, against: 1/' "$S/$DEC"
nb publish -m "third" --as-of 2026-11-26 >/dev/null 2>&1 && ok || fail "publish 3"

# Served as a static host serves it: the pages, and audit.git/ prepared for
# dumb HTTP (packed, info/refs, objects/info/packs).
serve_copy() { # serve_copy PACKED(1|0)
	# publish serves its own copy (packs only, e2e_served.sh); these
	# tests make the kinds of copy they need from the record instead.
	rm -rf "$W"; cp -r "$S/public" "$W"; rm -rf "$W/audit.git"
	git clone -q --bare "$S/audit.git" "$W/audit.git"
	[ "$1" = 1 ] && GW repack -q -a -d
	# Unpacked, the copy is loose objects fetched one by one.
	if [ "$1" = 0 ]; then
		for pk in "$W"/audit.git/objects/pack/*.pack; do
			mv "$pk" "$TMP/unpack.pack"; rm -f "${pk%.pack}.idx"
			GW unpack-objects -q <"$TMP/unpack.pack"
		done
	fi
	GW update-server-info
}
serve_copy 1
serve_dir "$W" && ok || fail "http.server started"

# --- an honest site ------------------------------------------------------------------
STATE="$TMP/state-honest"
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "audit of the honest site exits 0 (got $rc): $out"
for c in fetch chain objects signatures history rebuild served; do
	echo "$out" | grep -q "^  [ok-]* *$c " && ok || fail "the report names the $c check: $out"
done
echo "$out" | grep -q 'first contact.*trusted on first use' && ok || fail "first contact is said: $out"
echo "$out" | grep -q 'served byte for byte' && ok || fail "report says the files were served as published: $out"
echo "$out" | grep -q '^result: everything holds' && ok || fail "report's verdict: $out"
out=$(au "$URL" --json 2>/dev/null); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | python3 -m json.tool >/dev/null 2>&1 && ok || fail "--json is valid JSON ($rc): $out"
printf '%s\n' "$out" | python3 -c 'import json,sys
d=json.load(sys.stdin); names=[c["name"] for c in d["checks"]]
assert names==["fetch","chain","objects","signatures","history","rebuild","served"], names
assert all(c["ok"] for c in d["checks"]) and d["ok"] and d["publication"]==3
h=[c for c in d["checks"] if c["name"]=="history"][0]; assert h["first_contact"] is False' 2>/dev/null \
	&& ok || fail "--json has per-check results (second contact): $out"
# The report speaks the site's language (zh-CN, recorded in its site.yaml):
# every line, not only the header and the verdict; --json stays English.
out=$(au_site "$URL" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^结论：全部检查通过' && ok || fail "zh-CN report's verdict ($rc): $out"
for c in 获取记录 公示链 对象 签名 历史 重建 网站文件; do
	echo "$out" | grep -q "^  \(通过\|未查\)  $c " && ok || fail "the zh-CN report names the check $c: $out"
done
echo "$out" | grep -q '接续了上次看到的历史' && echo "$out" | grep -q '全部 [0-9]* 个文件都与公示的逐字节一致' && ok || fail "zh-CN details: $out"
left=$(echo "$out" | english_left)
[ -z "$left" ] && ok || fail "no English left in the zh-CN report (left: $left): $out"
zh=$(au_site "$URL" --json 2>/dev/null); en=$(au "$URL" --json 2>/dev/null)
[ -n "$en" ] && [ "$zh" = "$en" ] && printf '%s\n' "$en" | grep -q '"language": "zh-CN"' && ok || fail "--json is the same English in both languages: $zh"
out=$(NB_LANG=zh-CN au "$URL" 2>&1)
echo "$out" | grep -q '^结论：全部检查通过' && ok || fail "NB_LANG=zh-CN: $out"
out=$(au "$URL" --all 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '3 of 3 publications rebuilt byte for byte' && ok || fail "audit --all rebuilds all three ($rc): $out"
# The same checks on the served folder, without HTTP.
STATE="$TMP/state-dir"
out=$(au "$W" 2>&1); rc=$?
STATE="$TMP/state-honest"
[ $rc -eq 0 ] && ok || fail "audit DIR of the honest site ($rc): $out"
# A mirror made from an ordinary repository: loose objects, fetched one by one.
serve_copy 0
[ -n "$(find "$W/audit.git/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f | head -n 1)" ] && ok || fail "the unpacked mirror has loose objects"
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'fetch .* [1-9][0-9]* loose objects' && ok || fail "audit fetches loose objects ($rc): $out"
# A loose object whose bytes are another object's is refused, named.
set -- $(find "$W/audit.git/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f | head -n 2)
rm -f "$1"; cp "$2" "$1"   # a new file: never the inode the site holds
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q 'hashes otherwise' && ok || fail "a loose object that is not its id is refused ($rc): $out"
serve_copy 1

# --- an altered page, a missing one ------------------------------------------------------
cp "$W/index.html" "$TMP/index.keep"
printf '<p>改过</p>' >>"$W/index.html"
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'modified: index.html' && ok || fail "an altered page fails, named ($rc): $out"
echo "$out" | grep -q '^  FAIL  served' && ! echo "$out" | grep -q 'FAIL  \(chain\|history\|rebuild\)' && ok || fail "only the served check fails: $out"
out=$(au_site "$URL" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '^  失败  网站文件    ' && echo "$out" | grep -q '被改动：index.html' \
	&& echo "$out" | grep -q '^结论：未通过' && [ -z "$(echo "$out" | english_left)" ] && ok || fail "an altered page, in zh-CN ($rc): $out"
cp "$TMP/index.keep" "$W/index.html"
page=$(cd "$W" && find . -name index.html -path './decisions/*' | head -n 1 | sed 's|^\./||')
rm "$W/$page"
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "missing: $page" && ok || fail "a missing page fails, named ($rc): $out"
serve_copy 1

# --- a rewritten history: a forged pub-2 whose parent is pub-1 ----------------------------
# A consistent chain on its own: only an auditor who saw the old one can tell.
IDX="$TMP/forge.idx"
GIT_INDEX_FILE="$IDX" GW read-tree pub-2
blob=$(printf 'forged\n' | GW hash-object -w --stdin)
GIT_INDEX_FILE="$IDX" GW update-index --add --cacheinfo "100644,$blob,site/content/pages/forged.md"
tree=$(GIT_INDEX_FILE="$IDX" GW write-tree)
forged=$(echo "Publication 2: forged" | GW commit-tree "$tree" -p "$(GW rev-parse 'pub-1^{commit}')")
# pub-3 again on top of it (its own tree): nothing is missing, only rewritten.
forged3=$(echo "Publication 3: third" | GW commit-tree "$(GW rev-parse 'pub-3^{tree}')" -p "$forged")
GW update-ref refs/heads/publications "$forged3"
GW tag -f -a -m "forged" pub-2 "$forged" >/dev/null
GW tag -f -a -m "forged" pub-3 "$forged3" >/dev/null
GW repack -q -a -d; GW update-server-info
out=$(au "$URL" --json 2>/dev/null); rc=$?
[ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | check_of history)" = fail ] && ok || fail "a rewritten history fails the history check ($rc): $out"
printf '%s\n' "$out" | grep -q 'pub-2 named commit' && printf '%s\n' "$out" | grep -q 'the branch was at' && ok || fail "it names what changed: $out"
STATE="$TMP/state-fresh"
out=$(au "$URL" --json 2>/dev/null)
STATE="$TMP/state-honest"
[ "$(printf '%s\n' "$out" | check_of history)" = ok ] && [ "$(printf '%s\n' "$out" | check_of chain)" = ok ] && ok || fail "without memory the forged chain looks whole (so memory caught it): $out"
# What was remembered is not replaced by the forged history.
au "$URL" >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "the forged history is still refused the second time"

# --- a rolled back history: truncated to pub-1 ------------------------------------------
serve_copy 1
GW update-ref refs/heads/publications "$(GW rev-parse 'pub-1^{commit}')"
GW tag -d pub-2 pub-3 >/dev/null
GW update-server-info
out=$(au "$URL" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'FAIL  history' && echo "$out" | grep -q 'rolled back' && ok || fail "a rolled back history fails ($rc): $out"
out=$(au_site "$URL" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '失败  历史' && echo "$out" | grep -q '历史被回退：上次审计时有 pub-3' \
	&& [ -z "$(echo "$out" | english_left)" ] && ok || fail "a rolled back history, in zh-CN ($rc): $out"
serve_copy 1
au "$URL" >/dev/null 2>&1 && ok || fail "the honest history passes again"

# --- unreachable sites fail clearly ---------------------------------------------------------
dead=$(free_port)
out=$(au "http://127.0.0.1:$dead/" --timeout 5 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q "http://127.0.0.1:$dead/audit.git/info/refs" && ok || fail "connection refused names the address ($rc): $out"
out=$(au "${URL}nothing-here/" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q 'not found (HTTP 404)' && ok || fail "a 404 names the address ($rc): $out"
# No record, so no recorded language: English, as `log --audit-repo` reads
# a record that cannot say (it was zh-CN here, English there).
out=$(au_site "${URL}nothing-here/" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q 'not found (HTTP 404)' && echo "$out" | grep -q '^result: could not be checked' \
	&& ok || fail "a 404 without a record's language, in English ($rc): $out"
mkdir -p "$TMP/record-unsaid.git" && git init -q --bare "$TMP/record-unsaid.git"
out=$(cd "$NOWHERE" && unset NB_LANG && "$NB" log --audit-repo "$TMP/record-unsaid.git" 2>&1)
[ "$out" = "no publications yet" ] && ok || fail "log of the same unsaid record, in English: $out"
out=$(NB_LANG=zh-CN au "${URL}nothing-here/" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q "找不到（HTTP 404）" && echo "$out" | grep -q '^结论：无法检查' \
	&& [ -z "$(echo "$out" | english_left)" ] && ok || fail "a 404 in zh-CN ($rc): $out"

# --- an English site: its report is English without NB_LANG --------------------------
E="$TMP/site-en"; demo_copy "$E"
sed -i 's/^language:.*/language: en/' "$E/site.yaml"
grep -q '^language: en' "$E/site.yaml" && "$NB" -s "$E" publish -m "en" --as-of $AS_OF >/dev/null 2>&1 && ok || fail "publish an English site"
out=$(au_site "$E/public" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^result: everything holds' && echo "$out" | grep -q '^  ok    served ' && ok || fail "an English site's report is English ($rc): $out"
out=$(NB_LANG=zh-CN au "$E/public" 2>&1)
echo "$out" | grep -q '^结论：全部检查通过' && ok || fail "NB_LANG=zh-CN overrides the site's English: $out"

# --- verify --rebuild ---------------------------------------------------------------------
for n in 1 2 3; do
	out=$(nb verify --rebuild $n 2>&1); rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -q '1 rebuilt byte for byte' && ok || fail "verify --rebuild $n ($rc): $out"
done
out=$(nb verify --rebuild --all 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '3 rebuilt byte for byte' && ok || fail "verify --rebuild --all ($rc): $out"

# A forged last publication whose public/ and manifest agree with each other
# but not with its sources: only the rebuild can tell.
C="$TMP/clone.git"
git clone -q --bare "$S/audit.git" "$C"
forge_last() { # forge_last REPO VERSION: pub-3 again, about.html altered, manifest made to agree
	git --git-dir="$1" show pub-3:manifest.json >"$TMP/m.json"
	victim=$(git --git-dir="$1" ls-tree -r --name-only pub-3 public/ | grep 'index.html$' | sed -n 3p)
	nb_blob=$( (git --git-dir="$1" show "pub-3:$victim"; echo '<!-- forged -->') | git --git-dir="$1" hash-object -w --stdin)
	python3 - "$TMP/m.json" "${victim#public/}" "$nb_blob" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1])); m["files"][sys.argv[2]] = sys.argv[3]
if sys.argv[4].startswith("cmark-gfm="):
    m["generator"]["libraries"]["cmark-gfm"] = sys.argv[4].split("=", 1)[1]
elif sys.argv[4]:
    m["noticeboard"] = sys.argv[4]
    if "generator" in m: m["generator"]["version"] = sys.argv[4]
open(sys.argv[1], "w").write(json.dumps(m, indent=1, sort_keys=True, ensure_ascii=True) + "\n")
EOF
	mblob=$(git --git-dir="$1" hash-object -w "$TMP/m.json")
	GIT_INDEX_FILE="$TMP/f2.idx" git --git-dir="$1" read-tree pub-3
	GIT_INDEX_FILE="$TMP/f2.idx" git --git-dir="$1" update-index --cacheinfo "100644,$nb_blob,$victim" --cacheinfo "100644,$mblob,manifest.json"
	t=$(GIT_INDEX_FILE="$TMP/f2.idx" git --git-dir="$1" write-tree)
	c=$(echo "Publication 3: forged" | git --git-dir="$1" commit-tree "$t" -p "$(git --git-dir="$1" rev-parse 'pub-2^{commit}')")
	git --git-dir="$1" update-ref refs/heads/publications "$c"
	git --git-dir="$1" tag -f -a -m forged pub-3 "$c" >/dev/null
	echo "${victim#public/}"
}
victim=$(forge_last "$C" "")
(cd "$NOWHERE" && "$NB" verify --audit-repo "$C" >/dev/null 2>&1) && ok || fail "the forged publication is consistent without a rebuild"
out=$(cd "$NOWHERE" && "$NB" verify --audit-repo "$C" --rebuild 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "rebuild pub-3: modified: $victim" && ok || fail "verify --rebuild names the forged file ($rc): $out"
# Made (says its manifest) by another version: not called tampering.
C2="$TMP/clone2.git"
git clone -q --bare "$S/audit.git" "$C2"
forge_last "$C2" "0.0.1-other" >/dev/null
out=$(cd "$NOWHERE" && "$NB" verify --audit-repo "$C2" --rebuild 2>&1); rc=$?
[ $rc -eq 4 ] && echo "$out" | grep -q 'made by another generator (noticeboard 0.0.1-other; this is noticeboard' && ok || fail "another generator is said, exit 4 ($rc): $out"
# The same version built with another cmark-gfm is another generator too:
# the identity is the version, every library and the built-in theme.
C3="$TMP/clone3.git"
git clone -q --bare "$S/audit.git" "$C3"
forge_last "$C3" "cmark-gfm=0.0.0-other" >/dev/null
out=$(cd "$NOWHERE" && "$NB" verify --audit-repo "$C3" --rebuild 2>&1); rc=$?
[ $rc -eq 4 ] && echo "$out" | grep -q 'made by another generator (noticeboard [^ ]*, cmark-gfm 0.0.0-other; this is noticeboard [^ ]*, cmark-gfm ' && ok || fail "another cmark-gfm is another generator, exit 4 ($rc): $out"

# --- the reading commands on a plain clone, no site folder ---------------------------------
P="$TMP/plain.git"
git clone -q --bare "$S/audit.git" "$P"
out=$(cd "$NOWHERE" && "$NB" log --audit-repo "$P" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(echo "$out" | grep -c '^pub-')" -eq 3 ] && ok || fail "log --audit-repo ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" diff --audit-repo "$P" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'votes.for: 7 → 8' && ok || fail "diff --audit-repo: pub-2 to pub-3 ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" diff --audit-repo "$P" 1 2 --stat 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'huaiyin-2024-03-plenary' && ok || fail "diff --audit-repo 1 2 ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" history --audit-repo "$P" "$MIN" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'pub-2' && ok || fail "history --audit-repo ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" verify --audit-repo "$P" --rebuild --all 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'chain of 3 publications unbroken; 3 rebuilt' && ok || fail "verify --audit-repo --rebuild --all ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" log --audit-repo "$URL" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(echo "$out" | grep -c '^pub-')" -eq 3 ] && ok || fail "log --audit-repo URL fetches the served repository ($rc): $out"
out=$(cd "$NOWHERE" && "$NB" verify --audit-repo "$URL" --rebuild 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "verify --audit-repo URL --rebuild ($rc): $out"

finish e2e_auditor
