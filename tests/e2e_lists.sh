#!/bin/sh
# End-to-end: lists residents page through, figures they read as words,
# and the committee's contact. A generated 2,000-document site must have
# no HTML page over 300 KB, and every list (a kind's and each filter's)
# must hold each of its items on exactly one page, newest first
# (tests/tools/lists-check.py). The demo (page size 6) shows the paging
# itself: URLs, rel prev/next, "第 2 页，共 3 页"; its evaluations show
# periods, percentage points and money in words; every page's footer has
# the contact. Bad settings are errors at their line.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2025-06-01

# --- a 2,000-document site ---------------------------------------------------
cc -std=c17 -O2 -o "$TMP/gen_corpus" "$ROOT/tests/bench/gen_corpus.c" && ok || fail "gen_corpus builds"
C="$TMP/c2k"
"$TMP/gen_corpus" --seed 7 --docs 2000 --out "$C" >/dev/null && ok || fail "corpus generated"
out=$("$NB" -s "$C" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "2,000-document build exits 0 (got $rc): $out"
big=$(find "$C/public" -name '*.html' -size +300000c)
[ -z "$big" ] && ok || fail "HTML pages over 300 KB: $(ls -l $big | head -5)"
[ -f "$C/public/meetings/page/2/index.html" ] && ok || fail "/meetings/page/2/ exists"
python3 "$ROOT/tests/tools/lists-check.py" "$C" "$C/public" 20 >"$TMP/lc.out" 2>&1 \
	&& ok || fail "every list of the 2,000-document site paged whole, newest first: $(tail -20 "$TMP/lc.out")"
# Paging is deterministic: a serial build gives the same bytes.
NB_JOBS=1 "$NB" -s "$C" build --as-of $AS_OF -o "$TMP/c2k-serial" >/dev/null 2>&1
diff -r "$C/public" "$TMP/c2k-serial" >/dev/null && ok || fail "serial and parallel builds identical"

# --- the same site published: its history pages are paged too ---------------
# Publication 1 adds 2,000 documents; publication 2 amends 300, each with a
# line diff. /history/, /history/1/ and /history/2/ must each stay small and
# hold every document on exactly one page, and the documents' "first
# published in #1" / "amended in #2" links must land on that page.
export NB_PUBLISHER="Li Mei <limei@example.org>"
out=$("$NB" -s "$C" publish -m "first" --as-of $AS_OF 2>&1) && ok || fail "2,000-document site published: $out"
for f in $(find "$C/content" -name '*.md' | sort | head -300); do
	printf '\nA paragraph added by the correction, long enough to weigh on the page.\n' >>"$f"
done
out=$("$NB" -s "$C" publish -m "second" --as-of $AS_OF 2>&1) && ok || fail "300 amendments published: $out"
big=$(find "$C/public" -name '*.html' -size +300000c)
[ -z "$big" ] && ok || fail "published HTML pages over 300 KB: $(ls -l $big | head -5)"
[ -f "$C/public/history/1/page/2/index.html" ] && ok || fail "/history/1/page/2/ exists"
for n in 1 2; do
	python3 "$ROOT/tests/tools/history-check.py" "$C/audit.git" "$C/public" $n 20 >"$TMP/hc.out" 2>&1 \
		&& ok || fail "publication $n's documents each on one page of /history/$n/: $(tail -20 "$TMP/hc.out")"
done

# --- the demo: page size 6 ----------------------------------------------------
S="$TMP/site"; demo_copy "$S"
out=$("$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "demo build exits 0 (got $rc): $out"
P="$S/public"
python3 "$ROOT/tests/tools/lists-check.py" "$S" "$P" 6 >"$TMP/lc.out" 2>&1 \
	&& ok || fail "every demo list paged whole, newest first: $(tail -20 "$TMP/lc.out")"
M2="$P/meetings/page/2/index.html"
grep -q '<link rel="prev" href="/meetings/">' "$M2" && ok || fail "page 2 links rel=prev to page 1 in head"
grep -q '<link rel="next" href="/meetings/page/3/">' "$M2" && ok || fail "page 2 links rel=next to page 3 in head"
grep -q '<a href="/meetings/" rel="prev">上一页</a>' "$M2" && ok || fail "visible 上一页 with rel=prev"
grep -q '<a href="/meetings/page/3/" rel="next">下一页</a>' "$M2" && ok || fail "visible 下一页 with rel=next"
grep -q '第 2 页，共 3 页' "$M2" && ok || fail "page 2 says 第 2 页，共 3 页"
grep -q '<title>会议纪要 · 第 2 页 · ' "$M2" && ok || fail "page 2 has its own title"
grep -q '<link rel="canonical" href="/meetings/page/2/">' "$M2" && ok || fail "page 2 is its own canonical URL"
n_meet=$(grep -L '^draft: true' $(find "$S/content/meetings" -name '*.md') | wc -l | tr -d ' ')
grep -q "class=\"filter-count\">$n_meet<" "$M2" && ok || fail "filters with counts ($n_meet meetings) stay on page 2"
grep -q '<a href="/meetings/2024/" aria-current\|<a href="/meetings/"' "$M2" && ok || fail "filters link to the lists' first pages"
grep -q 'rel="prev"' "$P/meetings/index.html" && fail "page 1 has no rel=prev" || ok
[ ! -e "$P/meetings/page/4" ] && ok || fail "no page past the last"
grep -q "<loc>/meetings/page/2/</loc><lastmod>" "$P/sitemap.xml" && ok || fail "sitemap lists page 2"
# A kind's list pages and the home page carry their newest document's date.
sm_newest() { grep -o "<loc>$1</loc><lastmod>[0-9-]*<" "$P/sitemap.xml" | sed 's/.*<lastmod>//; s/<$//' | sort | tail -1; }
newest_meeting=$(sm_newest '/meetings/[a-z0-9-]*/')
newest_any=$(sm_newest '/[a-z]*/[a-z0-9-]*/')
[ -n "$newest_meeting" ] && [ "$(sm_newest /meetings/)" = "$newest_meeting" ] &&
	[ "$(sm_newest /meetings/page/2/)" = "$newest_meeting" ] && ok ||
	fail "meeting list pages dated by the newest meeting ($newest_meeting)"
[ -n "$newest_any" ] && [ "$(sm_newest /)" = "$newest_any" ] && ok ||
	fail "home page dated by the newest document ($newest_any, got $(sm_newest /))"

# --- the sitemap split past its cap (sitemaps.org: 50,000 URLs a file) ----------
# A site of 50,000 pages is too slow under the sanitizers: the test-only
# NB_TEST_SITEMAP_URLS lowers the cap to 40 for the demo's ~95 pages.
[ "$(grep -c '<url>' "$P/sitemap.xml")" -gt 80 ] && ok || fail "the demo has more than 80 pages"
[ ! -e "$P/sitemap-1.xml" ] && ok || fail "one sitemap.xml while under the cap"
SM="$TMP/site-sm"; demo_copy "$SM"
NB_TEST_SITEMAP_URLS=40 "$NB" -s "$SM" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "build with a sitemap cap of 40"
Q="$SM/public"
grep -q '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' "$Q/sitemap.xml" \
	&& ok || fail "sitemap.xml is a sitemap index past the cap"
xmllint --noout "$Q/sitemap.xml" "$Q"/sitemap-*.xml 2>/dev/null && ok || fail "index and sitemaps are well-formed"
named=$(grep -o '<loc>/sitemap-[0-9]*.xml</loc>' "$Q/sitemap.xml" | sed 's/<[^>]*>//g' | tr '\n' ' ')
[ "$named" = "/sitemap-1.xml /sitemap-2.xml /sitemap-3.xml " ] && ok || fail "index names sitemap-1..3.xml (got $named)"
over=0; for f in "$Q"/sitemap-*.xml; do [ "$(grep -c '<url>' "$f")" -le 40 ] || over=1; done
[ $over = 0 ] && ok || fail "no sitemap file over the cap"
cat "$Q"/sitemap-*.xml | grep -o '<loc>[^<]*</loc>' | sort >"$TMP/split"
grep -o '<loc>[^<]*</loc>' "$P/sitemap.xml" | sort >"$TMP/whole"
cmp -s "$TMP/split" "$TMP/whole" && ok || fail "the split sitemaps list exactly the pages of the whole one"
grep -q '<sitemap><loc>/sitemap-1.xml</loc><lastmod>[0-9-]*</lastmod></sitemap>' "$Q/sitemap.xml" \
	&& ok || fail "each index entry has its newest lastmod"

# --- evaluations in words ------------------------------------------------------
E="$P/evaluations/huaiyin-2024-q4/index.html"
grep -q '<dd>2024年第四季度</dd>' "$E" && ok || fail "period 2024-Q4 shown as 2024年第四季度"
grep -q '+5.0 个百分点' "$E" && ok || fail "a rate's change in 个百分点"
# A change's judgement is in the page's words, once: read without the
# style sheet (reader view, a text browser, a copied table), a change of
# -2 read "-2（改善）（变差）（持平）".
E1="$P/evaluations/huaiyin-2025-q1/index.html"
words() { grep -o '<span class="trend [^"]*">.*</span></span>' "$1" | sed 's/<[^>]*>//g'; }
[ "$(words "$E1" | wc -l)" -ge 5 ] && ok || fail "the changes of 2025-q1 not found"
[ -z "$(words "$E1" | grep -v '^[-+][0-9,.]*\( 个百分点\| 元\)\?（\(改善\|变差\)）$')" ] && ok ||
	fail "a change with other than one judgement: $(words "$E1" | head -3)"
words "$E1" | grep -qx -- '-2.0 个百分点（变差）' && words "$E1" | grep -qx -- '-2（改善）' && ok ||
	fail "satisfaction 0.85 -> 0.83 worse, cases 7 -> 5 better: $(words "$E1" | tr '\n' ' ')"
ET="$TMP/site-same"; demo_copy "$ET"
sed -i 's/complaints: 17,/complaints: 16,/' "$ET/content/evaluations/2025/huaiyin-2025-q1.md"
"$NB" -q -s "$ET" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "build with an unchanged figure"
words "$ET/public/evaluations/huaiyin-2025-q1/index.html" | grep -qx '0（持平）' && ok ||
	fail "complaints 16 -> 16 reads 0（持平）: $(words "$ET/public/evaluations/huaiyin-2025-q1/index.html" | tr '\n' ' ')"
grep -q '188,000 元' "$E" && ok || fail "money with thousands separator and 元"
grep -q '平均 ' "$E" && grep -q 'indicator-average' "$E" && ok || fail "the average cost beside the cost"
grep -q '>2024年第三季度</a>' "$E" && ok || fail "trend table periods in words"
first=$(grep -o 'class="item-title"><a href="[^"]*"' "$P/evaluations/index.html" | head -1)
case "$first" in *2025-q1*) ok ;; *) fail "evaluations newest first (first is $first)" ;; esac
ES="$TMP/site-en"; demo_copy "$ES"
sed -i 's/^language: zh-CN/language: en/' "$ES/site.yaml"
"$NB" -s "$ES" build --as-of $AS_OF >/dev/null 2>&1
EE="$ES/public/evaluations/huaiyin-2024-q4/index.html"
grep -q '<dd>2024 Q4</dd>' "$EE" && ok || fail "en: period as 2024 Q4"
grep -q '+5.0 percentage points' "$EE" && ok || fail "en: percentage points"
grep -q 'CNY 188,000' "$EE" && ok || fail "en: CNY 188,000"
grep -q 'Page 2 of 3' "$ES/public/meetings/page/2/index.html" && ok || fail "en: Page 2 of 3"

# --- the committee's contact in every footer -------------------------------------
n=0; missing=""
for f in $(find "$P" -name '*.html'); do
	n=$((n + 1))
	grep -q 'class="footer-contact"' "$f" && grep -q '0755-0000 0000' "$f" || missing="$missing $f"
done
[ -z "$missing" ] && ok || fail "contact in every page's footer; missing in:$missing"
grep -q 'href="tel:075500000000"' "$P/index.html" && ok || fail "phone dials digits only"
grep -q 'footer-contact\|site-footer *{[^}]*display: *none' "$ROOT/themes/default/static/css/print.css" \
	&& fail "print.css must not hide the footer's contact" || ok

# --- settings -------------------------------------------------------------------
B="$TMP/bad"; demo_copy "$B"
sed -i 's/^  page_size: 6/  page_sise: 6/' "$B/site.yaml"
out=$("$NB" -s "$B" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "misspelt pagination.page_sise exits 1 (got $rc)"
echo "$out" | grep -q "site.yaml:[0-9]*:[0-9]*: error: unknown setting \`page_sise\`: did you mean \`page_size\`" \
	&& ok || fail "misspelling names page_size: $out"
sed -i 's/^  page_sise: 6/  page_size: 0/' "$B/site.yaml"
out=$("$NB" -s "$B" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "page_size. must be a whole number of at least 1" \
	&& ok || fail "page_size 0 is an error: $rc $out"
sed -i 's/^  page_size: 0/  page_size: 6/; s/^  phone: .*/  phnoe: "1"/' "$B/site.yaml"
out=$("$NB" -s "$B" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "did you mean \`phone\`" && ok || fail "misspelt contact.phnoe: $out"
D="$TMP/default"; demo_copy "$D"
sed -i '/^pagination:/d; /^  page_size:/d; /^contact:/,/^  hours:/d' "$D/site.yaml"
"$NB" -s "$D" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "site without pagination/contact builds"
[ ! -e "$D/public/meetings/page" ] && ok || fail "default page size 20: 13 meetings on one page"
grep -q 'footer-contact' "$D/public/index.html" && fail "no contact section without a contact" || ok

# A document at a list page's address is an error, not a silent loss.
X="$TMP/taken"; demo_copy "$X"
sed 's/^id: .*/id: "page\/2"/' "$S/content/meetings/2024/$(ls "$S/content/meetings/2024" | head -1)" \
	>"$X/content/meetings/2024/zz-taken.md"
out=$("$NB" -s "$X" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "zz-taken.md:[0-9]*:[0-9]*: error: this document's address /meetings/page/2/index.html is where page 2 of the list /meetings/ goes" \
	&& ok || fail "document at /meetings/page/2/ is an error: $rc $out"

finish e2e_lists
