#!/bin/sh
# End-to-end: the facts residents read first, on the built pages and the
# open data. Vote shares that add up and never give a share to nobody
# (6/1/0 is 86/14/0, not 85/14/1), the same in table, bar and its text; a
# decision its votes reject or defer is never "overdue" or "in progress",
# whether or not `result:` is typed, and reads "result" and "rule" as two
# facts; the document number on the page, in lists and in the search
# index; a meeting page that opens with its summary; list items with
# result, responsible, due date and "overdue since"; a meeting after the
# build date announced as upcoming, on its page and the home page.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25

S="$TMP/site"; demo_copy "$S"
# Three decisions of the 2025-03 plenary (13 present): 6/1/0 adopted and
# overdue; 2/4/1 rejected by its votes with no `result:` typed and a due
# date long past; 0/0/0 with nothing typed, so deferred.
cat >"$S/content/decisions/2025/d-2025-001.md" <<'EOF'
---
title: "关于楼道照明改造的决议"
id: "D-2025-001"
community: huaiyin
meeting: huaiyin-2025-03-plenary
date: "2025-03-07"
category: services
votes: {for: 6, against: 1, abstain: 0}
responsible: "测试物业（王测试）"
due: "2025-06-30"
---
楼道照明改造。
EOF
cat >"$S/content/decisions/2025/test-rejected-untyped.md" <<'EOF'
---
title: "关于拆除自行车棚的提议"
id: "test-rejected-untyped"
community: huaiyin
meeting: huaiyin-2025-03-plenary
date: "2025-03-07"
category: public-order
votes: {for: 2, against: 4, abstain: 1}
responsible: "测试责任方"
due: "2025-04-30"
---
拆除自行车棚。
EOF
cat >"$S/content/decisions/2025/test-deferred-untyped.md" <<'EOF'
---
title: "关于调整快递柜位置的提议"
id: "test-deferred-untyped"
community: huaiyin
meeting: huaiyin-2025-03-plenary
date: "2025-03-07"
category: services
votes: {for: 0, against: 0, abstain: 0}
due: "2025-04-30"
---
调整快递柜位置。
EOF
# The upcoming meeting as a secretary may leave it: minutes "to approve".
sed -i 's/^kind: "plenary"$/kind: "plenary"\nstatus: "draft-minutes"/' "$S/content/meetings/2026/huaiyin-2026-12-plenary.md"
out=$("$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "demo build with the test decisions exits 0 (got $rc): $out"
P="$S/public"
main() { sed -n '/<main/,/<\/main>/p' "$1"; }

# --- vote shares -------------------------------------------------------------------
D1="$P/decisions/D-2025-001/index.html"
grep -q '<td class="num">6</td><td class="num">86%</td>' "$D1" && ok || fail "6/1/0: for is 86% in the table"
grep -q '<td class="num">1</td><td class="num">14%</td>' "$D1" && ok || fail "6/1/0: against is 14% in the table"
grep -q '<td class="num">0</td><td class="num">0%</td>' "$D1" && ok || fail "6/1/0: abstain (0 votes) is 0% in the table"
grep -q 'aria-label="赞成 6（86%），反对 1（14%），弃权 0（0%）"' "$D1" && ok || fail "6/1/0: the bar's text alternative says 86/14/0"
grep -q '<rect class="vb-for" width="86"' "$D1" && grep -q 'class="vb-abstain" width="0"' "$D1" \
	&& ok || fail "6/1/0: the bar draws 86/14/0"
R="$P/decisions/test-rejected-untyped/index.html"
grep -q '<td class="num">2</td><td class="num">29%</td>' "$R" && grep -q '<td class="num">4</td><td class="num">57%</td>' "$R" \
	&& grep -q '<td class="num">1</td><td class="num">14%</td>' "$R" && ok || fail "2/4/1 is 29/57/14"
F="$P/decisions/test-deferred-untyped/index.html"
grep -q 'class="votebar"' "$F" && fail "0/0/0: no bar when no vote was cast" || ok
grep -q '[0-9]%</td>' "$F" && fail "0/0/0: no shares when no vote was cast" || ok
grep -q 'class="no-votes"' "$F" && ok || fail "0/0/0: says no vote was cast"

# --- status follows the result --------------------------------------------------------
for f in "$R" "$F"; do
	b=$(main "$f")
	echo "$b" | grep -q 'tag-overdue\|已逾期\|tag-open\|执行中' && fail "$f: not overdue, not in progress" || ok
	echo "$b" | grep -q 'class="tag tag-"\|class="tag tag-[a-z-]*"></strong>' && fail "$f: no empty tag" || ok
	echo "$b" | grep -q '<dt>状态</dt>' && fail "$f: no status line without a status" || ok
done
grep -q '<dt>表决结果</dt><dd>未通过</dd>' "$R" && ok || fail "rejected by its votes: result 未通过 without result: typed"
grep -q '<dt>表决规则</dt><dd>过半数</dd>' "$R" && ok || fail "the rule reads as its own fact"
grep -q '未通过（过半数' "$R" && fail "result and rule are not run together" || ok
grep -q '<dt>表决结果</dt><dd>暂缓表决</dd>' "$F" && ok || fail "0/0/0 with nothing typed is deferred"
for st in overdue open done; do
	grep -q 'test-rejected-untyped\|test-deferred-untyped' "$P/decisions/status/$st/index.html" \
		&& fail "rejected/deferred decisions are not on /decisions/status/$st/" || ok
done
grep -q 'test-rejected-untyped' "$P/decisions/status/other/index.html" && ok || fail "rejected decision on /decisions/status/other/"
grep -q 'huaiyin-2024-gate-parking-fee' "$P/decisions/status/overdue/index.html" && fail "demo rejected decision not overdue" || ok
CSV="$P/data/decisions.csv"
grep -q '^test-rejected-untyped,.*,2,4,1,rejected,,' "$CSV" && ok || fail "CSV: rejected, with no status"
grep -q '^test-deferred-untyped,.*,0,0,0,deferred,,' "$CSV" && ok || fail "CSV: deferred, with no status"
grep -q '^D-2025-001,.*,6,1,0,adopted,overdue,' "$CSV" && ok || fail "CSV: the adopted one is overdue"

# --- document number --------------------------------------------------------------------
grep -q '<p class="doc-number">文号：<span class="doc-number-value">D-2025-001</span></p>' "$D1" && ok || fail "the page shows its document number"
grep -q 'class="item-number">文号 D-2025-001<' "$P/decisions/index.html" && ok || fail "the decisions list shows the document number"
grep -q 'class="item-number">文号 D-2025-001<' "$P/communities/huaiyin/index.html" && ok || fail "the community page shows the document number"
main "$P/meetings/huaiyin-2025-03-plenary/index.html" | grep -q 'D-2025-001' && ok || fail "the meeting summary shows the document number"
# Its parts are tokens of the search index (the body and title hold none of them).
for tok in '"d"' '"2025"' '"001"'; do
	cat "$P"/search/t/*.json | grep -q "$tok:" && ok || fail "search index has $tok"
done

# --- a meeting opens with its summary ---------------------------------------------------
M="$P/meetings/huaiyin-2024-09-plenary/index.html"
sl=$(grep -n 'id="sec-summary"' "$M" | cut -d: -f1); ml=$(grep -n 'id="sec-minutes"' "$M" | cut -d: -f1)
[ -n "$sl" ] && [ -n "$ml" ] && [ "$sl" -lt "$ml" ] && ok || fail "summary ($sl) comes before the minutes ($ml)"
summary=$(sed -n '/id="sec-summary"/,/<\/section>/p' "$M")
echo "$summary" | grep -q '<dd>自治会全体会议</dd>' && ok || fail "summary: kind"
echo "$summary" | grep -q '<dd>19:00–21:00</dd>' && echo "$summary" | grep -q '<dd>槐荫社区党群服务中心二楼会议室</dd>' \
	&& ok || fail "summary: time and place"
echo "$summary" | grep -q '实到 11人 / 应到 12人' && ok || fail "summary: attendance present / expected"
echo "$summary" | grep -q 'tag-rejected">未通过</strong> <span class="summary-votes">赞成 4，反对 6，弃权 1' \
	&& ok || fail "summary: a decision with its result and votes"

# --- list items carry the key facts ------------------------------------------------------
# The list is paged (pagination.page_size): read every page of it.
L=$(for f in "$P/decisions/index.html" "$P"/decisions/page/*/index.html; do [ -f "$f" ] && main "$f"; done)
item() { echo "$L" | sed -n "/decisions\/$1\//,/<\/li>/p"; }
item D-2025-001 | grep -q '责任人：测试物业（王测试）' && ok || fail "item: responsible"
item D-2025-001 | grep -q '完成期限：<time datetime="2025-06-30">2025年6月30日</time>' && ok || fail "item: due date"
item D-2025-001 | grep -q '自2025年7月1日起逾期' && ok || fail "item: overdue since the day after the due date"
item D-2025-001 | grep -q '表决结果：通过（赞成 6，反对 1，弃权 0）' && ok || fail "item: result and votes"
item test-rejected-untyped | grep -q 'tag tag-rejected">未通过' && ok || fail "item: a rejected decision is tagged"
item huaiyin-2025-parking-lines | grep -q 'tag tag-deferred">暂缓表决' && ok || fail "item: a deferred decision is tagged"
item test-rejected-untyped | grep -q '责任人\|完成期限' && fail "item: nobody carries out a rejected decision" || ok
for page in communities/huaiyin meetings/huaiyin-2024-09-plenary decisions/2024 decisions/category/public-order; do
	grep -q 'tag tag-rejected">未通过' "$P/$page/index.html" && ok || fail "$page tags the rejected decision"
done

# --- upcoming meetings ----------------------------------------------------------------------
U="$P/meetings/huaiyin-2026-12-plenary/index.html"
main "$U" | grep -q 'tag tag-upcoming">即将召开' && ok || fail "a meeting after the build date is upcoming"
main "$U" | grep -q '纪要待审定' && fail "an upcoming meeting is not 'minutes awaiting approval'" || ok
main "$U" | grep -q 'id="sec-attendance"' && fail "an upcoming meeting lists no attendance" || ok
home=$(sed -n '/id="home-upcoming"/,/<\/section>/p' "$P/index.html")
echo "$home" | grep -q 'href="/meetings/huaiyin-2026-12-plenary/"' && ok || fail "home page shows the next meeting"
echo "$home" | grep -q '时间：19:00–21:00' && echo "$home" | grep -q '地点：槐荫社区党群服务中心二楼会议室' \
	&& ok || fail "home page gives its time and place"
first=$(echo "$home" | grep -o 'href="/meetings/[^"]*"' | head -1)
[ "$first" = 'href="/meetings/huaiyin-2026-12-plenary/"' ] && ok || fail "the soonest first (got $first)"
grep -q 'huaiyin-2026-12-plenary' "$P/meetings/status/upcoming/index.html" && ok || fail "/meetings/status/upcoming/ lists it"
grep -q 'huaiyin-2026-12-plenary' "$P/meetings/status/draft-minutes/index.html" && fail "not on the draft-minutes list" || ok
grep -q '"huaiyin-2026-12-plenary"' "$P/data/popolo.json" && \
	node -e 'const p=require(process.argv[1]);const e=p.events.find(e=>e.id==="huaiyin-2026-12-plenary");process.exit(e&&e.status==="upcoming"?0:1)' "$P/data/popolo.json" \
	&& ok || fail "open data: the event's status is upcoming"
# Once its date has passed it is an ordinary meeting again.
"$NB" -s "$S" build --as-of 2026-12-19 -o "$TMP/after" >/dev/null 2>&1
grep -q 'tag-upcoming' "$TMP/after/meetings/huaiyin-2026-12-plenary/index.html" && fail "not upcoming after its date" || ok
grep -q 'id="home-upcoming"' "$TMP/after/index.html" && sed -n '/id="home-upcoming"/,/<\/section>/p' "$TMP/after/index.html" \
	| grep -q 'huaiyin-2026-12-plenary' && fail "home no longer lists it after its date" || ok

# --- English -------------------------------------------------------------------------
E="$TMP/en"; demo_copy "$E"
cp "$S/content/decisions/2025/d-2025-001.md" "$S/content/decisions/2025/test-rejected-untyped.md" "$E/content/decisions/2025/"
sed -i 's/^language:.*/language: en/' "$E/site.yaml"
grep -q '^language:' "$E/site.yaml" || echo 'language: en' >>"$E/site.yaml"
"$NB" -s "$E" build --as-of $AS_OF >/dev/null 2>&1 && ok || fail "English build"
grep -q '<dt>Voting rule</dt><dd>Simple majority</dd>' "$E/public/decisions/test-rejected-untyped/index.html" && ok || fail "en: the rule as its own fact"
grep -q 'Overdue since 1 July 2025\|Overdue since July 1, 2025' "$E/public/decisions/index.html" && ok || fail "en: overdue since"
grep -q 'Upcoming meetings' "$E/public/index.html" && ok || fail "en: upcoming meetings on the home page"

finish e2e_facts
