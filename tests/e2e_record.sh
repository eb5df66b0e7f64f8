#!/bin/sh
# End-to-end: the honesty of the record (issue #14). `verify` reads every
# object the publications reach and names the damaged publication, as
# `git fsck` does; a failing disk is an I/O error (exit 3), never
# tampering; a copy served without dot files verifies; a publication that
# was recorded but not served, or a folder served but never recorded, is
# said as such; dates, signatures, mount points and durability.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
export NB_PUBLISHER="Li Mei <limei@example.org>"
site_setup
# LeakSanitizer cannot run under ptrace; strace runs are about exit codes.
under_strace() { ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null "$@"; }
have_strace=0; strace -f -qq -o /dev/null true 2>/dev/null && have_strace=1
# `audit` of the served pages reads the record as it is ("$NB" audit
# "$S/public" --repo "$R"): the same verdicts as `verify` on the same record.
export XDG_STATE_HOME="$TMP/state"

nb -q publish -m one --as-of $AS_OF >/dev/null 2>&1 || fail "publish #1"
PAGE=content/pages/about.md
printf '\n补充一句。\n' >>"$S/$PAGE"
nb -q publish -m two --as-of $AS_OF >/dev/null 2>&1 || fail "publish #2"
[ -n "$(ls "$R"/objects/pack/*.pack 2>/dev/null)" ] && ok || fail "pub-1 is written as a pack"
# Unpack what pub-1 and pub-2 wrote as packs, so that the record holds the
# loose objects of a small publication (a site of a few pages) for what
# follows.
p1=$(G rev-parse 'pub-1^{commit}')
for pk in "$R"/objects/pack/*.pack; do
	G verify-pack -v "${pk%.pack}.idx" | grep -q "^$p1 " && continue
	mv "$pk" "$TMP/pub2.pack"; rm -f "${pk%.pack}.idx"
	G unpack-objects -q <"$TMP/pub2.pack" || fail "unpack pub-2"
done
nb verify >/dev/null 2>&1 && ok || fail "a whole record verifies"
cp -r "$R" "$TMP/whole.git"
restore() { rm -rf "$R"; cp -r "$TMP/whole.git" "$R"; }

# --- a deleted loose object --------------------------------------------------------
id=$(G rev-parse "pub-2:site/$PAGE")
obj="$R/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
[ -f "$obj" ] && ok || fail "pub-2's edited page is a loose object"
rm -f "$obj"
G fsck >/dev/null 2>&1; [ $? -ne 0 ] && ok || fail "git fsck sees the deleted blob"
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "verify with a deleted blob exits 1 (got $rc): $out"
echo "$out" | grep -q "^publication 2 is damaged: object $id (site/$PAGE) is missing$" && ok \
	|| fail "verify names publication 2, the object and its path: $out"
! echo "$out" | grep -q '^publication 1 is damaged' && ok || fail "pub-1 does not hold that blob: $out"
! echo "$out" | grep -q 'unbroken' && ok || fail "verify does not call a damaged record unbroken: $out"
out=$("$NB" audit "$S/public" --repo "$R" 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "audit with a deleted blob exits 1 as verify does (got $rc): $out"
# The rebuild cannot read that source either: damage, not a failing disk.
out=$(nb verify --rebuild 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "verify --rebuild with a deleted source exits 1 (got $rc): $out"
echo "$out" | grep -q "^rebuild pub-2: the audit repository is damaged: the recorded source site/$PAGE" &&
	! echo "$out" | grep -q 'I/O error' \
	&& ok || fail "verify --rebuild names the damaged source of pub-2, not an I/O error: $out"
restore
# A folder of the sources gone: the rebuild says so, rather than build
# what it could write out and blame the sources.
id=$(G rev-parse "pub-2:site/content/pages")
rm -f "$R/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
out=$(nb verify --rebuild 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "^rebuild pub-2: the audit repository is damaged: the recorded source site/content/pages ($id)" \
	&& ok || fail "verify --rebuild with a deleted source folder says it cannot read it ($rc): $out"
restore

# --- a flipped byte in the first publication's pack ------------------------------------
id=$(G rev-parse "pub-1:public/css/style.css")
pk=$(ls "$R"/objects/pack/*.pack)
off=$(G verify-pack -v "${pk%.pack}.idx" | awk -v id="$id" '$1 == id { print $5 }')
[ -n "$off" ] && ok || fail "style.css is in pub-1's pack"
chmod u+w "$pk"
python3 -c '
import sys; p, o = sys.argv[1], int(sys.argv[2]) + 24
b = bytearray(open(p, "rb").read()); b[o] ^= 0x55; open(p, "wb").write(b)' "$pk" "$off"
fsck=$(G fsck 2>&1); [ $? -ne 0 ] && echo "$fsck" | grep -q "$id" && ok || fail "git fsck sees the corrupt entry: $fsck"
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "verify with a corrupt pack exits 1 (got $rc): $out"
echo "$out" | grep -q "^publication 1 is damaged: object $id (public/css/style.css) is corrupt$" && ok \
	|| fail "verify names pub-1's corrupt object: $out"
echo "$out" | grep -q "^publication 2 is damaged: object $id (public/css/style.css) is corrupt$" && ok \
	|| fail "pub-2 shares the corrupt object and is named too: $out"
out=$("$NB" audit "$S/public" --repo "$R" 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "audit with a corrupt pack exits 1 as verify does (got $rc): $out"
restore

# --- I/O errors are I/O errors ---------------------------------------------------------
id=$(G rev-parse "pub-2:site/$PAGE")
obj="$R/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
if [ $have_strace = 1 ]; then
	out=$(under_strace -P "$obj" -e trace=openat,open -e inject=openat,open:error=EIO "$NB" -s "$S" verify 2>&1); rc=$?
	[ $rc -eq 3 ] && ok || fail "verify with an unreadable object exits 3 (got $rc): $out"
	echo "$out" | grep -q 'I/O error' && ! echo "$out" | grep -q 'damaged\|tamper\|missing\|no publication' && ok \
		|| fail "an unreadable object is an I/O error, not damage: $out"
	out=$(under_strace -P "$obj" -e trace=openat,open -e inject=openat,open:error=EIO \
		"$NB" audit "$S/public" --repo "$R" 2>&1); rc=$?
	[ $rc -eq 3 ] && ok || fail "audit with an unreadable object exits 3 as verify does (got $rc): $out"
	echo "$out" | grep -q 'I/O error' && ! echo "$out" | grep -q 'damaged\|missing\|FAILED' && ok \
		|| fail "audit says an unreadable object is an I/O error, not damage: $out"
	# Read whole by the objects check (its first open), then not by the
	# rebuild (libgit2 keeps no blob in its cache): exit 3 all the same.
	out=$(under_strace -P "$obj" -e trace=openat,open -e inject=openat,open:error=EIO:when=2+ \
		"$NB" audit "$S/public" --repo "$R" 2>&1); rc=$?
	[ $rc -eq 3 ] && echo "$out" | grep -q '^  ok    objects' && ok \
		|| fail "audit whose rebuild cannot read an object exits 3 (got $rc): $out"
	echo "$out" | grep -q 'pub-2: I/O error' && ok || fail "the rebuild says the I/O error: $out"
	tagf="$R/refs/tags/pub-2"
	out=$(under_strace -P "$tagf" -e trace=openat,open -e inject=openat,open:error=EIO "$NB" -s "$S" verify 2>&1); rc=$?
	[ $rc -eq 3 ] && ok || fail "verify with an unreadable tag exits 3 (got $rc): $out"
	! echo "$out" | grep -q 'no publication\|broken chain\|rewritten' && ok \
		|| fail "an unreadable tag is not a missing publication: $out"
else
	skip "I/O error injection: strace cannot trace here"
fi

# --- a publish whose previous publication is damaged ----------------------------------
# The page edited again is rendered anew and compared with the one pub-2
# served, which is gone from the record: the error names it, its object
# and what to do, in the site's language too.
cp "$S/$PAGE" "$TMP/page.md"
printf '\n又补充一句。\n' >>"$S/$PAGE"
id=$(G rev-parse "pub-2:public/pages/about/index.html")
obj="$R/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
[ -f "$obj" ] && ok || fail "pub-2's about page is a loose object"
err="pages/about/index.html: error: cannot read this page as the previous publication served it"
what="the previous publication's page public/pages/about/index.html ($id) cannot be read: "
if [ $have_strace = 1 ]; then
	out=$(under_strace -P "$obj" -e trace=openat,open -e inject=openat,open:error=EIO \
		"$NB" -s "$S" publish -m unreadable --as-of $AS_OF 2>&1); rc=$?
	[ $rc -eq 3 ] && echo "$out" | grep -qF "$err: I/O error: $what" && ok \
		|| fail "publish names the previous page the disk cannot read, exit 3 ($rc): $out"
fi
rm -f "$obj"
out=$(nb publish -m damaged --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "publish onto a damaged previous publication exits 1 (got $rc): $out"
echo "$out" | grep -qF "$err: the audit repository is damaged: $what" && ok \
	|| fail "publish names the damaged page of the previous publication and its object: $out"
echo "$out" | grep -qF "hint: \`noticeboard verify\` lists what is damaged in the audit repository; \
restore it from a mirror or a backup, then publish again" && ok || fail "publish says how to mend the record: $out"
[ "$(G rev-parse 'pub-2^{commit}')" = "$(G rev-parse publications)" ] && ok || fail "nothing was recorded"
out=$(NB_LANG=zh-CN nb publish -m damaged --as-of $AS_OF 2>&1)
echo "$out" | grep -qF "pages/about/index.html: 错误：无法读取上一次公示发布的这个页面：审计仓库已损坏：\
上一次公示的页面 public/pages/about/index.html（$id）读不出来：" \
	&& echo "$out" | grep -qF "提示：运行 \`noticeboard verify\` 查看审计仓库哪里损坏了；请从镜像或备份恢复审计仓库，然后再发布" \
	&& ok || fail "the error and its hint in Chinese: $out"
restore; cp "$TMP/page.md" "$S/$PAGE"

# --- the output marker is not published --------------------------------------------------
! G ls-tree -r --name-only pub-2 | grep -q 'noticeboard-output' && ok || fail "the marker is not in the tree"
! G show pub-2:manifest.json | grep -q 'noticeboard-output' && ok || fail "the marker is not in the manifest"
C="$TMP/copy"; cp -r "$S/public" "$C"; find "$C" -name '.*' -type f -delete
out=$(nb verify "$C" 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "a copy without dot files verifies ($rc): $out"
echo x >"$C/.htaccess"
nb verify "$C" >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "a planted dot file is still extra"

# --- recorded but not served; served but unrecorded -----------------------------------------
cp -r "$S/public" "$TMP/pub2"
printf '\n再补充一句。\n' >>"$S/$PAGE"
if [ $have_strace = 1 ]; then
	# Killed as it swaps the side folder in: recorded, not served.
	under_strace -e trace=renameat2 -e inject=renameat2:signal=KILL:when=1 \
		"$NB" -s "$S" -q publish -m three --as-of $AS_OF >/dev/null 2>&1
	[ "$(G tag -l 'pub-3')" = pub-3 ] && ok || fail "pub-3 was recorded before the kill"
	out=$(nb verify 2>&1); rc=$?
	[ $rc -eq 1 ] && echo "$out" | grep -q '^recorded but not served: .* is still pub-2; pub-3 was recorded' && ok \
		|| fail "verify says pub-3 is recorded but not served ($rc): $out"
	out=$(nb publish --as-of $AS_OF 2>&1); rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -q 'nothing recorded' && ok || fail "the next publish serves pub-3 ($rc): $out"
	nb verify >/dev/null 2>&1 && ok || fail "after the repair pub-3 is served"
else
	skip "kill at the swap: strace cannot trace here"
fi
# A plain build over the served publication replaces what residents read:
# it says so (in the site's language: NB_LANG cleared), once (the next
# build replaces no publication), and verify reports it.
out=$(NB_LANG= nb build --as-of 2026-12-01 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "警告：.*原来是一次公示的内容；这次生成已把它换成了没有记录在案的页面" \
	&& echo "$out" | grep -q "noticeboard publish" && ok \
	|| fail "a build over a publication warns that it replaced it ($rc): $out"
out=$(nb build --as-of 2026-12-02 2>&1)
! echo "$out" | grep -q 'served a publication' && ok || fail "a build over a plain build warns of nothing: $out"
out=$(nb verify 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '^served but unrecorded: ' && ok \
	|| fail "a build served over a publication is served but unrecorded ($rc): $out"
nb -q publish --as-of $AS_OF >/dev/null 2>&1
nb verify >/dev/null 2>&1 && ok || fail "publish repairs a served but unrecorded folder"

# --- recorded but not tagged ---------------------------------------------------------------
# Killed after moving the branch to the next publication, as its tag is
# linked into place (git makes a new ref so):
# what is served is still the last tagged publication, whole, so verify
# passes (exit 0) but says, in the site's language, that the next one is
# recorded and not tagged; the next publish tags it and serves it.
if [ $have_strace = 1 ]; then
	next=$(($(G tag -l 'pub-*' | wc -l) + 1))
	printf '\n标签之前。\n' >>"$S/$PAGE"
	under_strace -P "$R/refs/tags/pub-$next.lock" -e trace=link,linkat \
		-e inject=link,linkat:signal=KILL \
		"$NB" -s "$S" -q publish -m untagged --as-of $AS_OF >/dev/null 2>&1
	[ -z "$(G tag -l "pub-$next")" ] && G log -1 --format=%s publications | grep -q "^Publication $next:" \
		&& ok || fail "killed with the branch at publication $next and no tag"
	out=$(nb verify 2>&1); rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -q "identical to pub-$((next - 1))" && ok \
		|| fail "what is served is pub-$((next - 1)), whole: verify passes ($rc): $out"
	echo "$out" | grep -q "warning: publication $next is recorded (commit [0-9a-f]\{12\}) but not tagged pub-$next" \
		&& ok || fail "verify says publication $next is recorded but not tagged: $out"
	out=$(NB_LANG= nb verify 2>&1)
	echo "$out" | grep -q "第${next}次公示已记录（提交 [0-9a-f]\{12\}），但还没有 pub-$next 标签" && ok \
		|| fail "verify says it in the site's language: $out"
	# A folder holding that untagged publication's output is named as such.
	mkdir "$TMP/untagged" && G archive publications public | tar -x -C "$TMP/untagged"
	out=$(nb verify "$TMP/untagged/public" 2>&1); rc=$?
	[ $rc -eq 1 ] && echo "$out" | grep -q "^served but not tagged: .* is publication $next, which is on the branch but has no tag pub-$next" \
		&& ok || fail "a folder that is the untagged publication is said to be ($rc): $out"
	# Mirrors get the tagged chain: their branch is not set to a commit
	# no tag names yet, and push says why publication $next is not sent.
	MR="$TMP/untagged-mirror.git"
	out=$(nb push "$MR" 2>&1); rc=$?
	[ $rc -eq 0 ] && [ "$(git --git-dir="$MR" rev-parse refs/heads/publications)" = \
		"$(G rev-parse "pub-$((next - 1))^{commit}")" ] && ok \
		|| fail "push sends the branch as at pub-$((next - 1)) ($rc): $out"
	echo "$out" | grep -q "publication $next is recorded but not tagged" && ok \
		|| fail "push says publication $next waits for its tag: $out"
	out=$(nb publish --as-of $AS_OF 2>&1); rc=$?
	[ $rc -eq 0 ] && [ "$(G tag -l "pub-$next")" = "pub-$next" ] && ok \
		|| fail "the next publish tags pub-$next ($rc): $out"
	out=$(nb push "$MR" 2>&1); rc=$?
	[ $rc -eq 0 ] && [ "$(git --git-dir="$MR" rev-parse refs/heads/publications)" = \
		"$(G rev-parse "pub-$next^{commit}")" ] && ok \
		|| fail "once tagged, push sends pub-$next ($rc): $out"
	out=$(nb verify 2>&1); rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -q "identical to pub-$next" && ! echo "$out" | grep -q '标签' && ok \
		|| fail "and serves it: verify passes with nothing left to say ($rc): $out"
else
	skip "kill before the tag: strace cannot trace here"
fi

# --- an output folder that is a mount point -----------------------------------------------
# Serving renames a folder over the output, which a mount point refuses:
# refused before anything is recorded (a private mount namespace, so
# nothing outlives the test).
if unshare -m true 2>/dev/null; then
	tags=$(G tag -l 'pub-*' | wc -l); tip=$(G rev-parse publications)
	printf '\n挂载点。\n' >>"$S/$PAGE"
	out=$(unshare -m sh -c 'mount -t tmpfs none "$1/public" && "$2" -s "$1" publish --as-of "$3" -m mounted' \
		sh "$S" "$NB" $AS_OF 2>&1); rc=$?
	[ $rc -eq 1 ] && ok || fail "publish onto a mount point exits 1 (got $rc): $out"
	echo "$out" | grep -q 'is a mount point' && echo "$out" | grep -q 'output-mount-point\|hint' && ok \
		|| fail "publish says the output is a mount point and what to do: $out"
	[ "$(G tag -l 'pub-*' | wc -l)" = "$tags" ] && [ "$(G rev-parse publications)" = "$tip" ] && ok \
		|| fail "nothing was recorded for a mount point"
	nb -q publish --as-of $AS_OF -m "not mounted" >/dev/null 2>&1 && nb verify >/dev/null 2>&1 && ok \
		|| fail "without the mount the same publish records and serves"
else
	skip "mount point: no mount namespace here"
fi

# --- an output folder that is a symbolic link -------------------------------------------
# public -> the folder a web server serves: serving would replace the link,
# and the served folder would never change again. Refused as build refuses
# it, with the same words, before anything is recorded.
tags=$(G tag -l 'pub-*' | wc -l); tip=$(G rev-parse publications)
printf '\n链接。\n' >>"$S/$PAGE"
mv "$S/public" "$TMP/www" && ln -s "$TMP/www" "$S/public"
before=$(cd "$TMP/www" && find . -type f | LC_ALL=C sort | xargs sha256sum)
out=$(nb publish --as-of $AS_OF -m linked 2>&1); rc=$?
bout=$(nb build --as-of $AS_OF 2>&1)
[ $rc -eq 1 ] && ok || fail "publish onto a symbolic link exits 1 (got $rc): $out"
[ -n "$(echo "$out" | grep 'is a symbolic link')" ] && \
	[ "$(echo "$out" | grep -A1 '^site.yaml: ')" = "$(echo "$bout" | grep -A1 '^site.yaml: ')" ] && ok \
	|| fail "publish refuses a linked output as build does: $out / $bout"
[ "$(G tag -l 'pub-*' | wc -l)" = "$tags" ] && [ "$(G rev-parse publications)" = "$tip" ] && ok \
	|| fail "nothing was recorded for a linked output"
[ -L "$S/public" ] && [ "$(cd "$TMP/www" && find . -type f | LC_ALL=C sort | xargs sha256sum)" = "$before" ] && ok \
	|| fail "the link and the folder it points to are left as they were"
rm "$S/public" && mv "$TMP/www" "$S/public"
nb -q publish --as-of $AS_OF -m "not linked" >/dev/null 2>&1 && nb verify >/dev/null 2>&1 && ok \
	|| fail "without the link the same publish records and serves"

# --- a file where the output folder should be ---------------------------------------------
# Refused before anything is recorded, in build's words for it (not those
# for a folder holding files noticeboard did not write), and kept.
tags=$(G tag -l 'pub-*' | wc -l); tip=$(G rev-parse publications)
printf '\n文件。\n' >>"$S/$PAGE"
mv "$S/public" "$TMP/www" && echo precious >"$S/public"
out=$(nb publish --as-of $AS_OF -m "a file" 2>&1); rc=$?
bout=$(nb build --as-of $AS_OF 2>&1)
[ $rc -eq 1 ] && ok || fail "publish onto a file exits 1 (got $rc): $out"
[ -n "$(echo "$out" | grep '^site.yaml: error: output .*/public is a file, not a folder$')" ] && \
	[ "$(echo "$out" | grep -A1 '^site.yaml: ')" = "$(echo "$bout" | grep -A1 '^site.yaml: ')" ] && ok \
	|| fail "publish refuses a file at the output as build does: $out / $bout"
[ "$(G tag -l 'pub-*' | wc -l)" = "$tags" ] && [ "$(G rev-parse publications)" = "$tip" ] && \
	[ "$(cat "$S/public")" = precious ] && ok || fail "nothing was recorded and the file is kept"
rm "$S/public" && mv "$TMP/www" "$S/public"
nb -q publish --as-of $AS_OF -m "a folder again" >/dev/null 2>&1 && nb verify >/dev/null 2>&1 && ok \
	|| fail "with the folder back the same publish records and serves"

# --- an output among the site's own folders ------------------------------------------------
# Refused as build refuses it, naming the folder site.yaml sets (not the
# side folder publish builds in), before anything is recorded.
tags=$(G tag -l 'pub-*' | wc -l); tip=$(G rev-parse publications)
cp "$S/site.yaml" "$TMP/site.yaml.bak"
for own in content/out static; do
	sed -i "s|^output: .*|output: $own|" "$S/site.yaml"
	grep -q "^output: $own" "$S/site.yaml" || printf 'output: %s\n' "$own" >>"$S/site.yaml"
	out=$(nb publish --as-of $AS_OF -m "into $own" 2>&1); rc=$?
	[ $rc -eq 1 ] && ok || fail "publish into $own exits 1 (got $rc): $out"
	echo "$out" | grep -q "^site.yaml: error: output folder .*/$own would overwrite the site's own files$" \
		&& ok || fail "publish into $own: build's words, the folder as set: $out"
	[ ! -e "$S/$own.staging-publish" ] && [ ! -e "$S/$own/index.html" ] && ok || fail "publish into $own wrote there"
done
cp "$TMP/site.yaml.bak" "$S/site.yaml"
[ "$(G tag -l 'pub-*' | wc -l)" = "$tags" ] && [ "$(G rev-parse publications)" = "$tip" ] && ok \
	|| fail "nothing was recorded for an output among the site's folders"

# --- a publication may not be dated before the previous one -----------------------------
tags=$(G tag -l 'pub-*' | wc -l)
printf '\n倒签。\n' >>"$S/$PAGE"
out=$(nb publish --as-of 2026-11-01 -m backdated 2>&1); rc=$?
[ $rc -eq 2 ] && ok || fail "publish --as-of before the last publication's exits 2 (got $rc): $out"
echo "$out" | grep -q '2026-11-01 is before 2026-11-25' && echo "$out" | grep -q 'hint: give --as-of a date on or after' && ok \
	|| fail "the refusal names both dates: $out"
[ "$(G tag -l 'pub-*' | wc -l)" = "$tags" ] && ok || fail "nothing recorded for a backdated publication"
nb -q publish --as-of $AS_OF -m "same day" >/dev/null 2>&1 && ok || fail "the same as-of date as the last is fine"
# The publisher's message comes before publish's own trailers: a line in it
# that reads like one is not taken for the publication's as-of date, which
# refused every later publication as dated before 2030.
printf '\n留言。\n' >>"$S/$PAGE"
nb -q publish --as-of $AS_OF -m "$(printf 'notes\n\nAs-of: 2030-01-01')" >/dev/null 2>&1 || fail "publish with a trailer-like message"
printf '\n留言之后。\n' >>"$S/$PAGE"
out=$(nb publish --as-of $AS_OF -m "after the notes" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^published pub-' && ok \
	|| fail "a message's As-of line does not date the publication ($rc): $out"
# Unchanged sources on another day: the pages that show the day differ,
# and what is served is always a publication, so one is recorded, with no
# document changed; on the same day again nothing is (README).
tags=$(G tag -l 'pub-*' | wc -l)
out=$(nb publish --as-of 2026-11-26 -m "next day" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^published pub-$((tags + 1)) .*: 0 documents added, 0 changed, 0 removed; as of 2026-11-26$" && \
	nb verify >/dev/null 2>&1 && ok || fail "the next day, unchanged sources are recorded as served ($rc): $out"
out=$(nb publish --as-of 2026-11-26 -m "same day" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'nothing recorded' && [ "$(G tag -l 'pub-*' | wc -l)" = $((tags + 1)) ] && ok \
	|| fail "the same day again records nothing ($rc): $out"

# --- durability: objects, refs and the served folder are fsynced ---------------------------
if [ $have_strace = 1 ]; then
	D="$TMP/durable"; demo_copy "$D"
	for step in first second; do
		printf '\n%s\n' "$step" >>"$D/$PAGE"
		under_strace -y -e trace=fsync,fdatasync,syncfs -o "$TMP/sync.$step" \
			"$NB" -s "$D" -q publish --as-of $AS_OF -m "$step" >/dev/null 2>&1 \
			|| fail "publish ($step) under strace"
	done
	st="$TMP/sync.first"
	grep -q 'fsync(.*</.*audit.git/objects/pack/tmp_pack_nb_' "$st" && grep -q 'fsync(.*</.*audit.git/objects/pack>' "$st" && ok \
		|| fail "the first publication's pack and its folder are fsynced"
	# A small site's second publication: a pack of its own when the site
	# serves its record (the copy serves packs), loose objects when not.
	for serve in true false; do
		M="$TMP/small-$serve"; "$NB" init "$M" >/dev/null 2>&1 || fail "init a small site"
		printf 'audit:\n  serve: %s\n' $serve >>"$M/site.yaml"
		"$NB" -s "$M" -q publish --as-of $AS_OF -m first >/dev/null 2>&1 || fail "small publish"
		echo "一行。" >>"$(find "$M/content" -name '*.md' | head -1)"
		under_strace -y -e trace=fsync,fdatasync,syncfs -o "$TMP/sync.small" \
			"$NB" -s "$M" -q publish --as-of $AS_OF -m second >/dev/null 2>&1 ||
			fail "publish (small, second, serve: $serve) under strace"
		loose=$(find "$M/audit.git/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f | wc -l)
		if [ $serve = true ]; then
			grep -q 'fsync(.*</.*audit.git/objects/pack/tmp_pack_nb_' "$TMP/sync.small" &&
				[ "$loose" -eq 0 ] && ok || fail "a served small publication is a fsynced pack ($loose loose)"
		else
			grep -q 'fsync(.*</.*audit.git/objects/[0-9a-f][0-9a-f]>' "$TMP/sync.small" &&
				[ "$loose" -gt 0 ] && ok || fail "loose objects and their folders are fsynced ($loose loose)"
		fi
		git --git-dir="$M/audit.git" fsck --full --strict >/dev/null 2>&1 && ok ||
			fail "the small site's record (serve: $serve) is sound"
	done
	st="$TMP/sync.second"
	for want in 'refs/heads/publications.lock>' 'refs/heads>' 'refs/tags/pub-2.lock>' 'refs/tags>'; do
		grep -q "fsync(.*$want" "$st" && ok || fail "fsync of $want"
	done
	grep -q 'syncfs(.*</.*durable/public.staging-publish>' "$st" && ok || fail "the new site is synced before it is served"
	grep -q "fsync(.*<$D>)" "$st" && ok || fail "the swap is made durable (the output's parent folder fsynced)"
else
	skip "durability: strace cannot trace here"
fi

finish e2e_record
