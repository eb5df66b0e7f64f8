#!/bin/sh
# End-to-end: what a document carries beyond its text, as residents get it.
# Attachments: files beside a document, linked as written, published in
# its page folder (only there), listed with type and size, recorded in the
# publication; a link or image to a missing file, one leaving the folder
# and an image without alt are errors at their line, on every build (also
# when the document itself is restored from the build cache). The printed
# notice's data: disclosure period, objections, 落款, and a QR code only
# for an absolute address. (How it prints is in tests/browser/site.mjs.)
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
site_setup
P="$S/public"
MIN=content/meetings/2024/huaiyin-2024-09-plenary.md
PG="$P/meetings/huaiyin-2024-09-plenary"

# --- attachments: published beside the page, listed, recorded ----------------------
nb build --as-of $AS_OF >"$TMP/out" 2>&1 && ok || fail "demo builds: $(cat "$TMP/out")"
cmp -s "$PG/huaiyin-2024-09-signin.pdf" "$S/content/meetings/2024/huaiyin-2024-09-signin.pdf" && ok \
	|| fail "the signed sign-in sheet is published beside its meeting, byte for byte"
cmp -s "$PG/huaiyin-2024-09-photo.png" "$S/content/meetings/2024/huaiyin-2024-09-photo.png" && ok \
	|| fail "the photo is published beside its meeting"
[ ! -e "$P/meetings/2024/huaiyin-2024-09-signin.pdf" ] && ok \
	|| fail "an attachment is not also published where it lies in content/"
grep -q '<a href="huaiyin-2024-09-signin.pdf">会议签到表（扫描件）</a>' "$PG/index.html" && ok \
	|| fail "the minutes link the sheet relatively, as written"
grep -q '<img src="huaiyin-2024-09-photo.png" alt="会议现场' "$PG/index.html" && ok \
	|| fail "the minutes show the photo with its alt text"
size=$(wc -c <"$S/content/meetings/2024/huaiyin-2024-09-signin.pdf")
kb=$(( (size + 512) / 1024 ))
grep -q "<li><a href=\"huaiyin-2024-09-signin.pdf\">会议签到表（扫描件）</a> <span class=\"attachment-meta\">（PDF 文件，$kb KB）</span>" "$PG/index.html" && ok \
	|| fail "the page lists the sheet with its type and size ($kb KB)"
grep -q '<li><a href="huaiyin-2024-09-photo.png">会议现场.*（图片，' "$PG/index.html" && ok \
	|| fail "the page lists the photo as an image"
! grep -q 'class="attachments"' "$P/meetings/huaiyin-2024-03-plenary/index.html" && ok \
	|| fail "a document without attachments has no attachment list"
# Recorded in the publication like every other output file.
git init -q --bare "$S/audit.git" 2>/dev/null
NB_PUBLISHER="Li Mei <limei@example.org>" nb publish -m "first" --as-of $AS_OF >"$TMP/out" 2>&1 && ok \
	|| fail "publish: $(cat "$TMP/out")"
rec=$(git --git-dir="$S/audit.git" rev-parse "pub-1:public/meetings/huaiyin-2024-09-plenary/huaiyin-2024-09-signin.pdf" 2>/dev/null)
[ -n "$rec" ] && [ "$rec" = "$(git hash-object "$S/content/meetings/2024/huaiyin-2024-09-signin.pdf")" ] && ok \
	|| fail "the publication records the attachment in its page folder ($rec)"
git --git-dir="$S/audit.git" show pub-1:manifest.json | grep -q '"public/meetings/huaiyin-2024-09-plenary/huaiyin-2024-09-signin.pdf"\|"meetings/huaiyin-2024-09-plenary/huaiyin-2024-09-signin.pdf"' && ok \
	|| fail "the manifest lists the attachment"
rm -rf "$S/audit.git"

# --- broken links, missing alt: errors at their line, on every build -----------------
cp "$S/$MIN" "$TMP/min.bak"
line=$(( $(wc -l <"$S/$MIN") + 2 ))
printf '\n另见[选票统计](votes-count.xlsx)与![](huaiyin-2024-09-photo.png)，以及[旧稿](../old.pdf)。\n' >>"$S/$MIN"
cp -r "$P" "$TMP/before"
out=$(nb build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "a broken link fails the build with exit 1 ($rc)"
echo "$out" | grep -q "^$MIN:$line:3: error: link \`votes-count.xlsx\` names a file that does not exist: content/meetings/2024/votes-count.xlsx" && ok \
	|| fail "missing link target at its file, line and column (in characters): $out"
echo "$out" | grep -q "^$MIN:$line:28: error: image \`huaiyin-2024-09-photo.png\` has no text alternative" && ok \
	|| fail "image without alt at its line: $out"
echo "$out" | grep -q "^$MIN:$line:.*error: link \`../old.pdf\` leaves the document's folder" && ok \
	|| fail "a link out of the document's folder: $out"
echo "$out" | grep -q 'hint: describe the picture' && ok || fail "alt error has a hint: $out"
diff -r "$TMP/before" "$P" >/dev/null && ok || fail "a failed build leaves public/ untouched"
out=$(nb check --format json 2>&1)
echo "$out" | grep -q '"link-target-missing"' && echo "$out" | grep -q '"image-alt-missing"' \
	&& echo "$out" | grep -q '"link-outside-folder"' && ok || fail "check reports the stable codes: $out"
# A file named like the page itself would replace it.
echo '<p>x</p>' >"$S/content/meetings/2024/index.html"
printf '\n[原文](index.html)\n' >>"$S/$MIN"
out=$(nb check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "^$MIN:[0-9]*:1: error: attachment \`index.html\` cannot be published" && ok \
	|| fail "an attachment named index.html is refused ($rc): $out"
rm -f "$S/content/meetings/2024/index.html"
cp "$TMP/min.bak" "$S/$MIN"

# The document is unchanged, so the next build restores it from the cache
# without reading it; the attachment it links is gone all the same. (A
# file is cached once its change time is a few seconds old; charters are
# cached with the source the build keeps, so every document is restored.)
touch -d '2020-01-01' "$S/$MIN"
sleep 3
nb build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "rebuild with the attachment"
mv "$S/content/meetings/2024/huaiyin-2024-09-signin.pdf" "$TMP/signin.pdf"
out=$(NB_BUILD_STATS=1 nb build --as-of $AS_OF 2>&1); rc=$?
docs=$(echo "$out" | sed -n 's/^stats: documents \([0-9]*\), reused \([0-9]*\)$/\1 \2/p')
[ -n "$docs" ] && [ "${docs#* }" -eq "${docs% *}" ] && ok \
	|| fail "the minutes were restored from the cache ($docs): $out"
[ $rc -eq 1 ] && echo "$out" | grep -q "$MIN:[0-9]*:[0-9]*: error: link \`huaiyin-2024-09-signin.pdf\` names a file that does not exist" && ok \
	|| fail "a deleted attachment is an error even when its document is cached ($rc): $out"
mv "$TMP/signin.pdf" "$S/content/meetings/2024/huaiyin-2024-09-signin.pdf"

# A draft's attachment is not published until the draft is.
D=content/pages/draft-notice.md
printf -- '---\ntitle: "草稿会议"\ndraft: true\n---\n\n[签到表](draft-signin.pdf)\n' >"$S/$D"
echo secret >"$S/content/pages/draft-signin.pdf"
nb build --as-of $AS_OF >"$TMP/out" 2>&1 && ok || fail "build with a draft: $(cat "$TMP/out")"
! grep -rq secret "$P" && ok || fail "a draft's attachment is not published"
rm -f "$S/$D" "$S/content/pages/draft-signin.pdf"

# --- the notice's data ---------------------------------------------------------------
H="$PG/index.html"
grep -q '<p class="notice-period">公示期：<time>2024年9月20日</time>至<time>2024年9月26日</time></p>' "$H" && ok \
	|| fail "period_days 7 from the meeting's date: the 20th through the 26th"
grep -q '<p class="notice-objections">如有异议：请于公示期内' "$H" && ok || fail "where to send objections"
grep -q '<p class="notice-signature print-only"><span>槐荫社区自治协调委员会</span><span>2024年9月20日</span></p>' "$H" && ok \
	|| fail "落款: the community's committee and the date"
! grep -q '<svg class="qr"' "$H" && grep -q '所以不印二维码' "$H" && ok \
	|| fail "with base_url / there is no QR code, and the notice says why"
DEC=content/decisions/2024/huaiyin-2024-elevator-bldg3.md
sed -i 's/^date: \(.*\)$/date: \1\nnotice_from: "2024-07-01"\nnotice_until: "2024-07-15"/' "$S/$DEC"
sed -i 's|^base_url:.*|base_url: "https://guiyuan.example.org/"|' "$S/site.yaml"
nb build --as-of $AS_OF >"$TMP/out" 2>&1 && ok || fail "build with an absolute base_url: $(cat "$TMP/out")"
DH="$P/decisions/huaiyin-2024-elevator-bldg3/index.html"
grep -q '公示期：<time>2024年7月1日</time>至<time>2024年7月15日</time>' "$DH" && ok || fail "notice_from/notice_until in front matter win"
grep -q '<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 [0-9]* [0-9]*" width="30mm" height="30mm" role="img" aria-label="本页网址的二维码：https://guiyuan.example.org/decisions/huaiyin-2024-elevator-bldg3/"' "$DH" && ok \
	|| fail "an absolute base_url gives the page a QR code of its address"
cp "$DH" "$TMP/dh1"; nb build --as-of $AS_OF -o "$TMP/again" >/dev/null 2>&1
cmp -s "$TMP/dh1" "$TMP/again/decisions/huaiyin-2024-elevator-bldg3/index.html" && ok || fail "the QR code is the same every build"
sed -i 's/^notice_until: .*/notice_until: "2024-06-01"/' "$S/$DEC"
out=$(nb check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "^$DEC:[0-9]*:[0-9]*: error: the disclosure period ends (2024-06-01) before it starts (2024-07-01)" && ok \
	|| fail "a period that ends before it starts is an error at notice_until ($rc): $out"
sed -i 's/period_days: 7/period_days: 9999/' "$S/site.yaml"
out=$(nb check 2>&1)
echo "$out" | grep -q 'site.yaml:[0-9]*:[0-9]*: error: `notice.period_days` is 9999' && ok || fail "an absurd period is a config error: $out"

finish e2e_print
