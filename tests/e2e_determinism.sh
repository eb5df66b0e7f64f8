#!/bin/sh
# e2e_determinism.sh - clean builds of one site give one output, whatever
# the number of threads and however they interleave.
#
# cmark-gfm parses inline extensions through a process-wide table that
# every parse changed at its start and end, so a document rendered on one
# thread could lose `~~struck~~` text or `www.` links when another thread's
# parse finished at the wrong moment (generator/markdown/markdown.c, top comment).
# The race showed in about half of all clean builds. This suite builds the
# demo plus documents using every GFM extension (tables, strikethrough,
# autolinks of both kinds, task lists), many of them so that parses on
# different threads overlap, ROUNDS times clean (no output folder, no
# .noticeboard-cache/) for each thread count in JOBS, and requires every
# output tree to be the same bytes, with the extensions rendered.
#
#   sh tests/e2e_determinism.sh path/to/noticeboard
#
# NB_DET_ROUNDS (default 30), NB_DET_JOBS (default "1 2 8") and NB_DET_NAME
# (the summary's name) change that; `make test` also runs it on the
# ThreadSanitizer binary with a few rounds (tests/run_all.sh), where any
# report fails the build. TSan sees races in our code only (libcmark-gfm
# is not instrumented); the cmark race itself is caught by the comparison.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_determinism.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
ROUNDS=${NB_DET_ROUNDS:-30}
JOBS=${NB_DET_JOBS:-1 2 8}
DOCS=${NB_DET_DOCS:-24}
ASOF=2026-11-25
S=$TMP/site
demo_copy "$S"

# Free pages and meeting minutes, each long enough that its inline pass
# takes a while, every extension in every section.
m=$(find "$S/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
i=0
while [ $i -lt "$DOCS" ]; do
	i=$((i + 1))
	f=$S/content/pages/det-$i.md
	if [ $((i % 3)) -eq 0 ]; then
		# A copy of a real meeting under a new id: minutes with struck text.
		f=$S/content/meetings/det-$i.md
		sed "s/^id: .*/id: det-meeting-$i/" "$m" >"$f"
		grep -q '^id:' "$f" || sed -i "2i id: det-meeting-$i" "$f"
	else
		printf -- '---\ntitle: "扩展语法第%d页"\n---\n' $i >"$f"
	fi
	k=0
	while [ $k -lt 12 ]; do
		k=$((k + 1))
		cat >>"$f" <<EOF

## 第${k}项 议题$i

会议决定 ~~原方案作废~~ 改用新方案，详见 www.example.org/p$i/$k 与 https://example.com/a/$i?k=$k 。

| 项目 | 金额（元） | 备注 |
|---|---:|:---:|
| 电梯 $k | 1200 | ~~已取消~~ |
| 照明 | 300 | 见 www.gov.cn |

- [x] 已完成 ~~第一项~~
- [ ] 未完成，联系 https://example.net/task/$i
EOF
	done
done

# An absolute address, as a published site has: every meeting's and
# decision's printed notice gets a QR code, drawn by the worker that
# renders its page (generator/render/notice.h `qr_later`).
sed -i 's|^base_url: .*|base_url: "https://det.example.org/"|' "$S/site.yaml"
grep -q '^base_url: "https://det.example.org/"' "$S/site.yaml" && ok ||
	fail "test set-up: site.yaml has no base_url line to make absolute"
# A community of 70 quarters: the pages of its six oldest periods have
# their charts drawn whole, on the worker that renders each page
# (generator/render/trends.h `later`), while the main thread splices the others'.
i=0
while [ $i -lt 70 ]; do
	printf -- '---\ntitle: "评估%d"\nid: "det-ev-%02d"\ncommunity: "huaiyin"\nperiod: "%d-Q%d"\ninternal: {informed: 0.%02d, satisfaction: 0.%02d}\n---\n评估。\n' \
		$i $i $((2000 + i / 4)) $((i % 4 + 1)) $((20 + i % 50)) $((40 + i % 30)) \
		>"$S/content/evaluations/2024/det-ev-$i.md"
	i=$((i + 1))
done

# Every output file with its bytes, and every path (empty folders too).
tree_hash() {
	(cd "$1" && { find . | LC_ALL=C sort; find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2; }) |
		sha256sum | cut -d' ' -f1
}

ref=
builds=0
differ=0
for j in $JOBS; do
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		rm -rf "$TMP/out" "$S/.noticeboard-cache"
		if ! NB_JOBS=$j "$NB" -q -s "$S" build --as-of $ASOF -o "$TMP/out" >"$TMP/log" 2>&1; then
			fail "clean build $r at NB_JOBS=$j: $(head -20 "$TMP/log")"
			continue
		fi
		[ -s "$TMP/log" ] && fail "clean build $r at NB_JOBS=$j printed: $(head -20 "$TMP/log")"
		builds=$((builds + 1))
		h=$(tree_hash "$TMP/out")
		if [ -z "$ref" ]; then
			ref=$h
			cp -r "$TMP/out" "$TMP/first"
		elif [ "$h" != "$ref" ]; then
			differ=$((differ + 1))
			[ $differ -le 3 ] &&
				fail "clean build $r at NB_JOBS=$j differs from the first: $(diff -r "$TMP/first" "$TMP/out" | head -c 600)"
		fi
	done
done
[ $differ -eq 0 ] && ok || fail "$differ of $builds clean builds differ from the first"
[ $builds -gt 0 ] && ok || fail "no build succeeded"

# And the one output is the right one: every extension rendered.
if [ -d "$TMP/first" ]; then
	p=$TMP/first/pages/det-1/index.html
	check "a generated page was built" test -f "$p"
	n=$(grep -o '<del>' "$p" | wc -l)
	[ "$n" -eq 36 ] && ok || fail "every ~~struck~~ span is <del> (36 expected, $n found)"
	n=$(grep -o '<a href="http://www.example.org/p1/[0-9]*">www.example.org/p1/' "$p" | wc -l)
	[ "$n" -eq 12 ] && ok || fail "every www. address is a link (12 expected, $n found)"
	n=$(grep -o '<a href="https://example.com/a/1?k=[0-9]*">' "$p" | wc -l)
	[ "$n" -eq 12 ] && ok || fail "every URL is a link (12 expected, $n found)"
	n=$(grep -o '<table>' "$p" | wc -l)
	[ "$n" -eq 12 ] && ok || fail "every table is a <table> (12 expected, $n found)"
	n=$(grep -o 'class="task[ "]' "$p" | wc -l)
	[ "$n" -eq 24 ] && ok || fail "every task is drawn as a box (24 expected, $n found)"
	check "no ~~ left as text" sh -c "! grep -q '~~' '$p'"
	mq=$(find "$TMP/first/meetings" -path '*det-meeting-3*' -name index.html | head -1)
	[ -n "$mq" ] && grep -q '<svg class="qr"' "$mq" && ok ||
		fail "a meeting's notice has the QR code of its address ($mq)"
	ev=$TMP/first/evaluations/det-ev-00/index.html
	[ "$(grep -o 'chart-dot is-current' "$ev" | wc -l)" -eq 2 ] && ok ||
		fail "the oldest period's page has its two charts with its period marked"
	mp=$(find "$TMP/first/meetings" -path '*det-meeting-3*' -name index.html | head -1)
	if [ -n "$mp" ] && [ "$(grep -o '<del>' "$mp" | wc -l)" -ge 36 ]; then ok
	else fail "struck text in meeting minutes is <del> ($mp)"; fi
fi
finish "${NB_DET_NAME:-e2e_determinism}"
