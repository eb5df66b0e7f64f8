#!/bin/sh
# End-to-end: the derived pages residents read. Builds the demo and asserts
# on the generated HTML: the charter comparison (added / removed / changed
# articles, <ins>/<del> inside a changed article), the evaluation charts and
# their text alternatives, the street comparison, the filter pages and their
# counts, decision status as of a stated date, supersedes links both ways,
# a meeting's decisions, and the charter versions' in-force/viewing marks.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25

S="$TMP/site"; demo_copy "$S"
out=$("$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "demo build exits 0 (got $rc): $out"
P="$S/public"

# The text of the <section> whose heading has id $2 in file $1.
section() { sed -n "/<h2 id=\"$2\"/,/<\/section>/p" "$1"; }
count() { grep -o "$1" | wc -l | tr -d ' '; }

# --- charter comparison: huaiyin v2 against v1 --------------------------------
C="$P/charters/huaiyin/v2/changes/index.html"
[ -f "$C" ] && ok || fail "comparison page /charters/huaiyin/v2/changes/ exists"
[ ! -e "$P/charters/huaiyin/v1/changes" ] && ok || fail "no comparison page for v1"
added=$(section "$C" sec-added); removed=$(section "$C" sec-removed)
changed=$(section "$C" sec-changed); unchanged=$(section "$C" sec-unchanged)
echo "$added" | grep -q '第七条 垃圾分类' && ok || fail "added lists 第七条 垃圾分类"
echo "$added" | grep -q '第八条 高空抛物' && ok || fail "added lists 第八条 高空抛物"
[ "$(echo "$added" | count 'class="article-added"')" = 2 ] && ok || fail "exactly 2 articles added"
echo "$removed" | grep -q '第十条 公约宣传' && ok || fail "removed lists v1 第十条 公约宣传"
[ "$(echo "$removed" | count 'class="article-removed"')" = 1 ] && ok || fail "exactly 1 article removed"
# Renumbered but matched by title: neither added nor removed.
echo "$added$removed" | grep -q '文明养犬' && fail "文明养犬 (v1 第七条, v2 第九条) matched by title" || ok
echo "$changed" | grep -q 'href="/charters/huaiyin/v1/#第七条"' && ok || fail "changed 第九条 links to its v1 article 第七条"
echo "$changed" | grep -q '第五条 电动自行车<del><span class="visually-hidden">删除：</span>管理</del><ins><span class="visually-hidden">新增：</span>停放与充电</ins>' \
	&& ok || fail "第五条 title diff at character level with hidden labels"
echo "$changed" | grep -q '自治会每季度<ins><span class="visually-hidden">新增：</span>至少</ins>召开' \
	&& ok || fail "第二条 insertion marked inside the text"
echo "$changed" | grep -q '一般事项由<del><span class="visually-hidden">删除：</span>到会</del><ins><span class="visually-hidden">新增：</span>参加表决</ins>人员' \
	&& ok || fail "第三条 replacement marked as <del> then <ins>"
echo "$unchanged" | grep -q '第四条 楼道与公共空间' && ok || fail "unchanged lists 第四条"
echo "$unchanged" | grep -q '<details' && ok || fail "unchanged articles collapsed in <details>"
grep -q 'class="diff-legend"' "$C" && ok || fail "comparison has a legend"
grep -q 'href="/charters/huaiyin/v2/changes/"' "$P/charters/huaiyin/v2/index.html" && ok || fail "v2 page links to its comparison"
grep -q 'href="/charters/huaiyin/v2/changes/"' "$P/charters/huaiyin/v1/index.html" && ok || fail "v1 page's version list links to v2's comparison"
# v1 is being viewed but v2 is in force: the notice points at v2, not at itself.
notice=$(sed -n '/notice-warning/,/<\/div>/p' "$P/charters/huaiyin/v1/index.html")
echo "$notice" | grep -q 'href="/charters/huaiyin/v2/"' && ok || fail "v1 notice links to the version in force (v2)"
echo "$notice" | grep -q 'href="/charters/huaiyin/v1/"' && fail "v1 notice must not link to itself" || ok
grep -q 'href="/charters/huaiyin/v1/" aria-current="page"' "$P/charters/huaiyin/v1/index.html" && ok || fail "version list marks the viewed version"
grep -q 'notice-warning' "$P/charters/huaiyin/v2/index.html" && fail "v2 (in force) has no old-version notice" || ok
# Lists say which version is in force: the list of charters and the home
# page showed huaiyin's v1 and v2 alike, with nothing to tell the one that
# applies.
li() { tr -d '\n' <"$1" | sed 's/<li /\n<li /g' | grep "<a href=\"$2\">"; }
for f in "$P/charters/index.html" "$P/index.html"; do
	li "$f" /charters/huaiyin/v2/ | grep -q 'class="tag tag-current">现行版本<' && ok ||
		fail "${f#$P}: the item of v2 (in force) is tagged 现行版本"
	v1=$(li "$f" /charters/huaiyin/v1/)
	[ -n "$v1" ] && ! echo "$v1" | grep -q 'tag-current' && ok ||
		fail "${f#$P}: the item of v1 is listed, not tagged in force"
done
# Before v2's effective date, v1 is in force and v2 is adopted but pending.
"$NB" -s "$S" build --as-of 2025-03-10 -o "$TMP/early" >/dev/null 2>&1
grep -q 'tag-pending' "$TMP/early/charters/huaiyin/v2/index.html" && ok || fail "v2 not yet in force on 2025-03-10"
grep -q 'notice-warning' "$TMP/early/charters/huaiyin/v1/index.html" && fail "v1 in force on 2025-03-10: no notice" || ok

# --- charts ------------------------------------------------------------------
E="$P/evaluations/huaiyin-2025-q1/index.html"
[ "$(count '<svg class="chart chart-line-chart"' <"$E")" = 6 ] && ok || fail "evaluation page has 6 line charts"
grep -q 'role="img" aria-label="居民知情率：槐荫社区"' "$E" && ok || fail "chart has role=img and aria-label"
grep -q '<title>居民知情率：槐荫社区</title><desc>2024年第三季度: 74.0%; 2024年第四季度: 79.0%; 2025年第一季度: 86.0%</desc>' "$E" \
	&& ok || fail "chart <title> and <desc> list every period's value"
grep -q 'class="chart-dot is-current"' "$E" && ok || fail "this period emphasised"
grep -q '<table class="trend-table">' "$E" && ok || fail "data table fallback for the charts"
svgs=$(sed -n 's/.*\(<svg class="chart.*<\/svg>\).*/\1/p' "$E" "$P/communities/huaiyin/index.html" "$P/evaluations/compare/index.html")
[ -n "$svgs" ] && ok || fail "charts found"
echo "$svgs" | grep -Eq 'style=|<script|#[0-9a-fA-F]{6}' && fail "charts have no inline style, script or hard-coded colour" || ok
[ "$(count '<svg class="chart chart-line-chart"' <"$P/communities/huaiyin/index.html")" = 6 ] && ok || fail "community page has the trend charts"
# Only a page with a period of its own says it is marked: the community
# page's caption said 本期以较大圆点标出 over charts marking nothing.
grep -q '本期以较大圆点标出' "$E" && ok || fail "evaluation page says its period is marked"
grep -q 'class="chart-dot is-current"' "$P/communities/huaiyin/index.html" &&
	fail "community page marks a period" || ok
grep -q '本期以较大圆点标出' "$P/communities/huaiyin/index.html" &&
	fail "community page says a period is marked, none is" || ok
X="$P/evaluations/compare/index.html"
[ -f "$X" ] && ok || fail "street comparison /evaluations/compare/ exists"
[ "$(count '<svg class="chart chart-bar-chart"' <"$X")" = 6 ] && ok || fail "comparison has a bar chart per indicator"
[ "$(sed -n '/<table class="compare-table">/,/<\/table>/p' "$X" | count '<tr><th scope="row">')" = 3 ] && ok || fail "comparison table has one row per community"
grep -q 'href="/evaluations/compare/"' "$P/evaluations/index.html" && ok || fail "evaluations list links to the comparison"

# --- filter pages --------------------------------------------------------------
n2024=$(grep -l '^date: "2024' "$S"/content/decisions/*/*.md | wc -l | tr -d ' ')
Y="$P/decisions/2024/index.html"
[ -f "$Y" ] && ok || fail "/decisions/2024/ exists"
# A list's items over all its pages (the demo's lists are 6 a page).
all_pages() { cat "$1/index.html" "$1"/page/*/index.html 2>/dev/null; }
[ "$(all_pages "$P/decisions/2024" | count '<li class="item item-decisions">')" = "$n2024" ] && ok || fail "/decisions/2024/ lists the $n2024 decisions of 2024"
grep -q "href=\"/decisions/2024/\" aria-current=\"page\">2024年 <span class=\"filter-count\">$n2024</span>" "$Y" \
	&& ok || fail "active filter marked aria-current with its count"
grep -q 'href="/decisions/" aria-current="page"' "$P/decisions/index.html" && ok || fail "main list marks 全部 current"
nhy=$(grep -l '^community: "huaiyin"' "$S"/content/decisions/*/*.md | wc -l | tr -d ' ')
[ "$(all_pages "$P/decisions/community/huaiyin" | count '<li class="item')" = "$nhy" ] && ok || fail "/decisions/community/huaiyin/ lists $nhy"
nfire=$(grep -l '^category: "fire-safety"' "$S"/content/decisions/*/*.md | wc -l | tr -d ' ')
[ "$(count '<li class="item' <"$P/decisions/category/fire-safety/index.html")" = "$nfire" ] && ok || fail "category page lists $nfire"
[ -f "$P/meetings/2024/index.html" ] && [ -f "$P/meetings/status/approved/index.html" ] && ok || fail "meeting filter pages"
[ -f "$P/evaluations/community/tianbei-village/index.html" ] && ok || fail "evaluations by community"
# The status filter counts add up to all decisions.
total=$(ls "$S"/content/decisions/*/*.md | wc -l | tr -d ' ')
sum=0
for st in open overdue done other; do
	f="$P/decisions/status/$st/index.html"
	[ -f "$f" ] && sum=$((sum + $(count '<li class="item' <"$f")))
done
[ "$sum" = "$total" ] && ok || fail "status pages partition the $total decisions (got $sum)"

# --- status as of a stated date --------------------------------------------------
D=decisions/tianbei-2025-430-school/index.html   # due 2026-09-01, not done
grep -q 'tag tag-overdue">已逾期' "$P/$D" && ok || fail "overdue as of $AS_OF"
grep -q '截至2026年11月25日' "$P/$D" && ok || fail "as-of date printed on the decision"
grep -q 'tianbei-2025-430-school' "$P/decisions/status/overdue/index.html" && ok || fail "listed on /decisions/status/overdue/"
"$NB" -s "$S" build --as-of 2025-12-01 -o "$TMP/mid" >/dev/null 2>&1
grep -q 'tag tag-open">执行中' "$TMP/mid/$D" && ok || fail "open as of 2025-12-01"
grep -q 'tianbei-2025-430-school' "$TMP/mid/decisions/status/overdue/index.html" 2>/dev/null \
	&& fail "not overdue as of 2025-12-01" || ok

# --- links both ways ---------------------------------------------------------------
grep -q 'href="/decisions/huaiyin-2024-ebike-charging/"' "$P/decisions/huaiyin-2025-charging-expansion/index.html" \
	&& ok || fail "new decision links to the one it supersedes"
grep -q 'href="/decisions/huaiyin-2025-charging-expansion/"' "$P/decisions/huaiyin-2024-ebike-charging/index.html" \
	&& ok || fail "superseded decision links to its successor"
sed -n '/sec-decisions/,/<\/section>/p' "$P/meetings/huaiyin-2024-09-plenary/index.html" | grep -q 'href="/decisions/huaiyin-2024-waste-sorting/"' \
	&& ok || fail "meeting page lists its decisions"

# --- community page ------------------------------------------------------------------
H="$P/communities/huaiyin/index.html"
grep -q 'class="status-group status-group-overdue"' "$H" && ok || fail "community decisions grouped by status"
sed -n '/sec-charter/,/<\/section>/p' "$H" | grep -q 'href="/charters/huaiyin/v2/"' && ok || fail "community shows the charter in force"
# Its 7 decisions, in groups of 2, 3 and 2, are all listed (a list page
# holds 6): no group is cut, so nothing may say that only the newest 6
# are listed, as the section once did under its groups.
dec=$(sed -n '/<h2 id="sec-decisions"/,/<h2 id="sec-evaluations"/p' "$H")
[ "$(echo "$dec" | grep -o 'href="/decisions/huaiyin-[^"]*"' | sort -u | wc -l | tr -d ' ')" = 7 ] \
	&& ok || fail "community page lists its 7 decisions"
echo "$dec" | grep -q '仅列出最新' && fail "community page says only the newest of its decisions are listed" || ok

# --- English, and determinism ------------------------------------------------------------
sed -i 's/^language:.*/language: en/' "$S/site.yaml"
grep -q '^language: en' "$S/site.yaml" || echo 'language: en' >>"$S/site.yaml"
"$NB" -s "$S" build --as-of $AS_OF -o "$TMP/en" >/dev/null 2>&1 && ok || fail "English build"
grep -q 'Articles added' "$TMP/en/charters/huaiyin/v2/changes/index.html" && ok || fail "English comparison labels"
grep -q '<span class="visually-hidden">deleted: </span>' "$TMP/en/charters/huaiyin/v2/changes/index.html" && ok || fail "English hidden labels"
"$NB" -s "$S" build --as-of $AS_OF -o "$TMP/en2" >/dev/null 2>&1
diff -r "$TMP/en" "$TMP/en2" >/dev/null && ok || fail "derived pages are byte-identical between builds"

# --- the footer's communities: named while few, a link to the list when many --
foot() { sed -n '/<footer/,/<\/footer>/p' "$1"; }
foot "$P/meetings/index.html" | grep -q 'href="/communities/huaiyin/">槐荫社区</a>' \
	&& ok || fail "a street of 3 communities: the footer names them"
F="$TMP/many"; demo_copy "$F"
i=1
while [ $i -le 10 ]; do
	sed "s/^title: .*/title: \"第${i}测试社区\"/" "$F/content/communities/huaiyin.md" \
		>"$F/content/communities/test-$i.md"
	i=$((i + 1))
done
"$NB" -s "$F" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "13 communities: the build passes its link check"
mf=$(foot "$F/public/meetings/index.html")
echo "$mf" | grep -q '<a href="/communities/">全部 13 个社区</a>' && ok || fail "13 communities: the footer links to the list with the count"
echo "$mf" | grep -q 'href="/communities/huaiyin/"' && fail "13 communities: the footer does not name each one" || ok
grep -q 'href="/communities/test-10/"' "$F/public/communities/index.html" && ok || fail "the list the footer links to names every community"
rm "$F/content/communities/test-10.md"
"$NB" -s "$F" build --as-of $AS_OF >/dev/null 2>&1
foot "$F/public/meetings/index.html" | grep -q 'href="/communities/test-9/"' && ok || fail "12 communities: the footer names them"

# --- a folder of the site's own ----------------------------------------------
# README: a kind with no schema gets only the common checks and no list. Its
# pages were published with a breadcrumb to the list it does not have, and
# the link check stopped every build of the site while `check` passed.
O="$TMP/own"; demo_copy "$O"
mkdir -p "$O/content/notices"
printf -- '---\ntitle: 停水通知\n---\n\n明天上午停水。\n' >"$O/content/notices/water.md"
out=$("$NB" -s "$O" check 2>&1) && ok || fail "a folder of the site's own passes check: $out"
out=$("$NB" -s "$O" build --as-of $AS_OF 2>&1) && ok || fail "a folder of the site's own builds: $out"
W="$O/public/notices/water/index.html"
grep -q '明天上午停水' "$W" && ok || fail "its document is published at /notices/water/"
crumbs=$(sed -n '/class="breadcrumbs"/,/<\/nav>/p' "$W")
echo "$crumbs" | grep -q 'href="/notices/"' && fail "no breadcrumb to a list that does not exist" || ok
[ "$(echo "$crumbs" | count 'aria-current="page"')" = 1 ] && ok || fail "one current crumb, the page's own"
[ ! -e "$O/public/notices/index.html" ] && ok || fail "no list page is made for it"
sed -n '/class="breadcrumbs"/,/<\/nav>/p' "$O/public/meetings/huaiyin-2024-03-plenary/index.html" |
	grep -q 'href="/meetings/"' && ok || fail "a built-in kind's pages still link their list"

finish e2e_pages
