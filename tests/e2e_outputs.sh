#!/bin/sh
# End-to-end: the outputs beyond pages, each read by a real parser.
#   Atom feeds and sitemap.xml   xmllint (libxml2)
#   iCalendar                    ical.js        (tests/tools/ics-check.mjs)
#   data/popolo.json             ajv, draft 2020-12, tests/schemas/popolo-export.schema.json
#   data/decisions.csv           an RFC 4180 reader (tests/tools/csv-check.mjs)
# plus `noticeboard new` for every kind, and determinism across builds.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25
T="$ROOT/tests"

# --- the parsers: npm packages, installed when missing ------------------------
if [ ! -d "$T/node_modules/ical.js" ] || [ ! -d "$T/node_modules/ajv" ]; then
	if [ -f "$T/package-lock.json" ]; then cmd="npm ci --no-audit --no-fund"; else cmd="npm install --no-audit --no-fund"; fi
	echo "e2e_outputs: installing test dependencies: (cd tests && $cmd)"
	(cd "$T" && $cmd >"$TMP/npm.log" 2>&1) || { cat "$TMP/npm.log" >&2; fail "npm could not install tests/package.json"; }
fi
js() { node "$T/tools/$1" "$2"; }               # js TOOL FILE -> JSON on stdout
jq_() { node -e "const o=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log($1)"; }
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }

# --- the site: the demo plus a draft meeting and an amended dated page ----------
S="$TMP/site"; demo_copy "$S"
cat >"$S/content/meetings/2025/huaiyin-2025-12-draft.md" <<'EOF'
---
title: "草稿会议不应出现在订阅中"
community: huaiyin
kind: plenary
date: "2025-12-01"
draft: true
---
draft
EOF
cat >"$S/content/pages/notice.md" <<'EOF'
---
title: "公告：A & B <测试>"
date: "2025-01-10"
updated: "2027-12-24"
summary: "逗号, 分号; 和 \"引号\""
---
text
EOF
"$NB" -s "$S" -q build --as-of $AS_OF >"$TMP/build.out" 2>&1 && ok || fail "demo site builds: $(cat "$TMP/build.out")"
P="$S/public"
n_meetings=$(grep -L '^draft: true' "$S"/content/meetings/*/*.md | wc -l)
n_decisions=$(ls "$S"/content/decisions/*/*.md | wc -l)
n_communities=$(ls "$S"/content/communities/*.md | wc -l)
n_huaiyin_meetings=$(grep -l '^community: "*huaiyin"*$' $(grep -L '^draft: true' "$S"/content/meetings/*/*.md) | wc -l)

# --- Atom ------------------------------------------------------------------------
xmllint --noout "$P/feed.xml" 2>"$TMP/x" && ok || fail "feed.xml is well-formed XML: $(cat "$TMP/x")"
for f in "$P"/communities/*/feed.xml; do
	xmllint --noout "$f" 2>"$TMP/x" && ok || fail "$f is well-formed XML: $(cat "$TMP/x")"
done
[ "$(ls "$P"/communities/*/feed.xml | wc -l)" -eq "$n_communities" ] && ok || fail "one feed per community"
E="count(//*[local-name()='entry'])"
# Every meeting, decision, charter and evaluation has a date (an evaluation's
# is the end of its period); free pages only when they give one.
dated=$(( $(ls "$S"/content/meetings/*/*.md "$S"/content/decisions/*/*.md "$S"/content/charters/*/*.md \
	"$S"/content/evaluations/*/*.md | xargs grep -L '^draft: true' | wc -l) + $(grep -l '^date: ' "$S"/content/pages/*.md | wc -l) ))
want=$dated; [ "$want" -gt 50 ] && want=50
[ "$(xp "$E" "$P/feed.xml")" = "$want" ] && ok || fail "site feed has $want entries (got $(xp "$E" "$P/feed.xml"))"
grep -q '<title>关于电动自行车禁止入楼和建设集中充电棚的决议</title>' "$P/feed.xml" && ok || fail "site feed has a known decision title"
! grep -q '草稿会议' "$P/feed.xml" && ok || fail "drafts stay out of the feed"
# A decision's entry opens with its result and votes, as its list item
# does: a rejected one read as its text alone, like one adopted.
sum="//*[local-name()='entry'][contains(*[local-name()='id'],'decisions/huaiyin-2024-gate-parking-fee')]/*[local-name()='summary']"
case "$(xp "string($sum)" "$P/communities/huaiyin/feed.xml")" in
"表决结果：未通过（赞成 4，反对 6，弃权 1）"*) ok ;;
*) fail "a rejected decision's feed entry says its result: $(xp "string($sum)" "$P/communities/huaiyin/feed.xml")" ;;
esac
# The amended page: its `updated:` is the newest date (after the demo's upcoming meetings), so it comes first and sets the feed's time.
[ "$(xp "string(/*/*[local-name()='entry'][1]/*[local-name()='title'])" "$P/feed.xml")" = "公告：A & B <测试>" ] && ok || fail "newest (amended) entry first, title unescaped by the parser"
[ "$(xp "string(/*/*[local-name()='updated'])" "$P/feed.xml")" = "2027-12-24T00:00:00Z" ] && ok || fail "feed <updated> = newest entry's date, not the build time"
xp "//*[local-name()='entry']/*[local-name()='updated']/text()" "$P/feed.xml" | tr -d ' ' >"$TMP/dates"
sort -r "$TMP/dates" | cmp -s - "$TMP/dates" && ok || fail "entries are newest first"
[ "$(xp "string(//*[local-name()='entry'][*[local-name()='title']='关于电动自行车禁止入楼和建设集中充电棚的决议']/*[local-name()='id'])" "$P/feed.xml")" = "tag:noticeboard,2024:decisions/huaiyin-2024-ebike-charging" ] && ok || fail "entry id is a stable tag URI"
xp "string(//*[local-name()='entry'][1]/*[local-name()='content'])" "$P/feed.xml" | grep -qF '<p>逗号, 分号; 和 &quot;引号&quot;</p><p><a href="/pages/notice/">公告：A &amp; B &lt;测试&gt;</a></p>' && ok || fail "entry content is escaped HTML with summary and link"
hf="$P/communities/huaiyin/feed.xml"
hc=$(grep -l '^community: "*huaiyin"*$' "$S"/content/meetings/*/*.md "$S"/content/decisions/*/*.md "$S"/content/charters/*/*.md "$S"/content/evaluations/*/*.md | xargs grep -L '^draft: true' | wc -l)
[ "$(xp "$E" "$hf")" = "$hc" ] && ok || fail "huaiyin feed has its $hc documents (got $(xp "$E" "$hf"))"
! grep -q 'tianbei\|jinhui' "$hf" && ok || fail "a community feed holds only that community"
grep -q '<link rel="alternate" type="application/atom+xml"[^>]*href="/feed.xml">' "$P/index.html" && ok || fail "pages announce the site feed"
grep -q 'href="/communities/huaiyin/meetings.ics"' "$P/communities/huaiyin/index.html" && ok || fail "community page links its calendar"
grep -q 'href="/communities/huaiyin/feed.xml"' "$P/communities/huaiyin/index.html" && ok || fail "community page links its feed"

# --- iCalendar -------------------------------------------------------------------
js ics-check.mjs "$P/meetings.ics" >"$TMP/ics.json" 2>"$TMP/x" && ok || fail "meetings.ics parses with ical.js: $(cat "$TMP/x")"
[ "$(jq_ o.events <"$TMP/ics.json")" = "$n_meetings" ] && ok || fail "calendar has the $n_meetings non-draft meetings (got $(jq_ o.events <"$TMP/ics.json"))"
jq_ 'o.summaries.includes("槐荫社区自治会2024年第一次全体会议")' <"$TMP/ics.json" | grep -qx true && ok || fail "calendar has a known SUMMARY"
i=$(jq_ 'o.uids.indexOf("huaiyin-2024-03-plenary@noticeboard")' <"$TMP/ics.json")
[ "$i" -ge 0 ] && ok || fail "UID is <id>@<host>"
[ "$(jq_ "o.starts[$i]" <"$TMP/ics.json")" = "2024-03-08T19:00:00" ] && ok || fail "DTSTART local time 19:00"
[ "$(jq_ "o.startsUtc[$i]" <"$TMP/ics.json")" = "2024-03-08T11:00:00Z" ] && ok || fail "DTSTART in Asia/Shanghai is 11:00 UTC (VTIMEZONE applied)"
! grep -q '草稿会议' "$P/meetings.ics" && ok || fail "drafts stay out of the calendar"
grep -q '^DTSTAMP:20240308T000000Z' "$P/meetings.ics" && ok || fail "DTSTAMP is the meeting's date"
js ics-check.mjs "$P/communities/huaiyin/meetings.ics" >"$TMP/h.json" 2>"$TMP/x" && ok || fail "community calendar parses: $(cat "$TMP/x")"
[ "$(jq_ o.events <"$TMP/h.json")" = "$n_huaiyin_meetings" ] && ok || fail "huaiyin calendar has its $n_huaiyin_meetings meetings"
# The checker itself must catch a bad file: an unfolded long line.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-LONG:%s\r\nEND:VCALENDAR\r\n' "$(printf '%080d' 0)" >"$TMP/bad.ics"
! js ics-check.mjs "$TMP/bad.ics" >/dev/null 2>&1 && ok || fail "ics-check rejects a line over 75 octets"

# --- sitemap and robots ----------------------------------------------------------
xmllint --noout "$P/sitemap.xml" 2>"$TMP/x" && ok || fail "sitemap.xml is well-formed: $(cat "$TMP/x")"
n_html=$(cd "$P" && find . -name '*.html' ! -name 404.html | wc -l)
[ "$(xp "count(//*[local-name()='url'])" "$P/sitemap.xml")" = "$n_html" ] && ok || fail "sitemap lists all $n_html HTML pages"
grep -q '<url><loc>/decisions/huaiyin-2024-ebike-charging/</loc><lastmod>2024-03-08</lastmod></url>' "$P/sitemap.xml" && ok || fail "sitemap lastmod from the document date"
grep -q '<url><loc>/pages/notice/</loc><lastmod>2027-12-24</lastmod></url>' "$P/sitemap.xml" && ok || fail "sitemap lastmod from updated:"
grep -q '<url><loc>/evaluations/huaiyin-2025-q1/</loc><lastmod>2025-03-31</lastmod></url>' "$P/sitemap.xml" && ok || fail "an evaluation is dated by the end of its period"
! grep -q '404' "$P/sitemap.xml" && ok || fail "404 page not in the sitemap"
grep -qx 'User-agent: \*' "$P/robots.txt" && ! grep -q Sitemap "$P/robots.txt" && ok || fail "robots.txt: allow all, no Sitemap line for a relative base_url"

# --- Popolo JSON -----------------------------------------------------------------
SCHEMA="$T/schemas/popolo-export.schema.json"
node "$T/tools/json-validate.mjs" "$SCHEMA" "$P/data/popolo.json" >/dev/null 2>"$TMP/x" && ok || fail "popolo.json validates: $(cat "$TMP/x")"
PJ="$P/data/popolo.json"
# The published layout (2-space indent, key order, escapes), also what JSON.stringify gives for this text.
node -e 'const t=require("fs").readFileSync(process.argv[1],"utf8");process.exit(t===JSON.stringify(JSON.parse(t),null,2)+"\n"?0:1)' "$PJ" && ok || fail "popolo.json keeps its published layout"
[ "$(jq_ o.events.length <"$PJ")" = "$n_meetings" ] && ok || fail "events = non-draft meetings"
[ "$(jq_ o.motions.length <"$PJ")" = "$n_decisions" ] && ok || fail "motions = decisions"
[ "$(jq_ o.vote_events.length <"$PJ")" = "$(grep -l '^votes:' "$S"/content/decisions/*/*.md | wc -l)" ] && ok || fail "a vote event per decision with votes"
[ "$(jq_ 'o.organizations.filter(x=>x.classification==="committee").length' <"$PJ")" = "$n_communities" ] && ok || fail "a committee organization per community"
[ "$(jq_ 'o.organizations.filter(x=>x.classification==="street").length' <"$PJ")" = 1 ] && ok || fail "the street is an organization"
n_members=$(grep -c '^  - {name:' "$S"/content/communities/*.md | awk -F: '{s+=$2} END {print s}')
[ "$(jq_ o.memberships.length <"$PJ")" = "$n_members" ] && ok || fail "a membership per committee seat ($n_members)"
[ "$(jq_ 'JSON.stringify(o.vote_events.find(v=>v.motion_id==="huaiyin-2024-ebike-charging").counts.map(c=>c.value))' <"$PJ")" = "[10,0,1]" ] && ok || fail "vote counts yes/no/abstain"
[ "$(jq_ 'o.events.find(e=>e.id==="huaiyin-2024-03-plenary").start_date' <"$PJ")" = "2024-03-08T19:00:00+08:00" ] && ok || fail "event start_date with offset"
jq_ 'o.memberships.every(m=>o.persons.some(p=>p.id===m.person_id)&&o.organizations.some(g=>g.id===m.organization_id))' <"$PJ" | grep -qx true && ok || fail "memberships refer to existing persons and organizations"
node -e 'const o=JSON.parse(require("fs").readFileSync(process.argv[1]));delete o.vote_events[0].counts;o.motions[0].requirement="unanimous";require("fs").writeFileSync(process.argv[2],JSON.stringify(o))' "$PJ" "$TMP/bad.json"
! node "$T/tools/json-validate.mjs" "$SCHEMA" "$TMP/bad.json" >/dev/null 2>&1 && ok || fail "the schema rejects a vote event without counts"

# --- CSV -------------------------------------------------------------------------
js csv-check.mjs "$P/data/decisions.csv" >"$TMP/csv.json" 2>"$TMP/x" && ok || fail "decisions.csv parses as RFC 4180: $(cat "$TMP/x")"
[ "$(jq_ o.rows <"$TMP/csv.json")" = "$n_decisions" ] && ok || fail "a CSV row per decision"
[ "$(jq_ 'JSON.stringify(o.widths)' <"$TMP/csv.json")" = "[15]" ] && ok || fail "every CSV record has 15 fields"
[ "$(jq_ o.bom <"$TMP/csv.json")" = true ] && ok || fail "CSV starts with a UTF-8 BOM"
[ "$(jq_ 'o.header.join(",")' <"$TMP/csv.json")" = "id,title,community,meeting,date,category,rule,for,against,abstain,result,status,responsible,due,url" ] && ok || fail "CSV header"
[ "$(jq_ 'o.records.find(r=>r[0]==="huaiyin-2024-ebike-charging").slice(7,12).join("|")' <"$TMP/csv.json")" = "10|0|1|adopted|done" ] && ok || fail "CSV votes, result and status of a known decision"

# --- determinism -----------------------------------------------------------------
"$NB" -s "$S" -q build --as-of $AS_OF -o "$TMP/again" >/dev/null 2>&1
for f in feed.xml communities/huaiyin/feed.xml meetings.ics communities/jinhui-plaza/meetings.ics sitemap.xml robots.txt data/popolo.json data/decisions.csv; do
	cmp -s "$P/$f" "$TMP/again/$f" && ok || fail "$f is byte-identical between builds"
done

# --- an absolute base_url: absolute links, host in ids, Sitemap line ----------------
sed -i 's|^base_url:.*|base_url: "https://example.org/shequ/"|' "$S/site.yaml"
"$NB" -s "$S" -q build --as-of $AS_OF -o "$TMP/abs" >"$TMP/x" 2>&1 && ok || fail "builds with an absolute base_url: $(cat "$TMP/x")"
grep -qx 'Sitemap: https://example.org/shequ/sitemap.xml' "$TMP/abs/robots.txt" && ok || fail "robots.txt names the absolute sitemap"
grep -q '<loc>https://example.org/shequ/meetings/huaiyin-2024-03-plenary/</loc>' "$TMP/abs/sitemap.xml" && ok || fail "sitemap URLs are absolute"
grep -q '<link rel="self" type="application/atom+xml" href="https://example.org/shequ/feed.xml"/>' "$TMP/abs/feed.xml" && ok || fail "feed self link is absolute"
grep -q '<id>tag:example.org,2024:meetings/huaiyin-2024-03-plenary</id>' "$TMP/abs/feed.xml" && ok || fail "tag URI uses the host"
grep -q '^UID:huaiyin-2024-03-plenary@example.org' "$TMP/abs/meetings.ics" && ok || fail "calendar UID uses the host"
js ics-check.mjs "$TMP/abs/meetings.ics" >/dev/null 2>&1 && ok || fail "calendar with absolute URLs parses"

# --- noticeboard new -----------------------------------------------------------------
N="$TMP/newsite"; demo_copy "$N"
try_new() { # try_new EXPECTED_PATH ARGS...
	exp=$1; shift
	"$NB" -s "$N" new "$@" >"$TMP/new.out" 2>&1; rc=$?
	[ $rc -eq 0 ] && [ -f "$N/$exp" ] && ok || fail "new $* writes $exp (rc $rc: $(cat "$TMP/new.out"))"
	grep -qx "created $exp" "$TMP/new.out" && ok || fail "new $* says what it created"
	cp "$N/$exp" "$TMP/before" 2>/dev/null
	"$NB" -s "$N" new "$@" >"$TMP/new.out" 2>&1; rc=$?
	[ $rc -eq 2 ] && cmp -s "$N/$exp" "$TMP/before" && ok || fail "new $* refuses to overwrite (rc $rc)"
}
try_new content/pages/hello.md page hello --date 2026-02-01
try_new content/meetings/2026/huaiyin-2026-02-plenary.md meeting --community huaiyin --date 2026-02-10
try_new content/decisions/2026/huaiyin-2026-02-lights.md decision huaiyin-2026-02-lights --community huaiyin --date 2026-02-10 --title "关于楼道灯的决议"
try_new content/evaluations/2026/jinhui-plaza-2026-q1.md evaluation --community jinhui-plaza --date 2026-03-31
try_new content/charters/huaiyin/v3.md charter --community huaiyin --date 2026-03-01
grep -q '^meeting: "huaiyin-2026-02-plenary"' "$N/content/decisions/2026/huaiyin-2026-02-lights.md" && ok || fail "a new decision refers to the community's latest meeting"
grep -q '^version: 3 ' "$N/content/charters/huaiyin/v3.md" && grep -q '^## 第一条 总则' "$N/content/charters/huaiyin/v3.md" && ok || fail "a new charter is the next version and starts from the text in force"
grep -q '^## 一、议题一' "$N/content/meetings/2026/huaiyin-2026-02-plenary.md" && ok || fail "a new meeting has a section per agenda item"
grep -q '^# approved_at:' "$N/content/meetings/2026/huaiyin-2026-02-plenary.md" && grep -q '^attendees:' "$N/content/meetings/2026/huaiyin-2026-02-plenary.md" && ok || fail "every field of a meeting is present or commented"
"$NB" -s "$N" check --drafts --as-of $AS_OF >"$TMP/check.out" 2>&1 && ok || fail "check passes on every new document: $(cat "$TMP/check.out")"
# Drafts are not published until `draft: true` is removed; then they build.
sed -i '/^draft: true/d' "$N"/content/pages/hello.md "$N"/content/meetings/2026/*.md "$N"/content/decisions/2026/*.md \
	"$N"/content/evaluations/2026/*.md "$N"/content/charters/huaiyin/v3.md
"$NB" -s "$N" -q build --as-of $AS_OF >"$TMP/check.out" 2>&1 && ok || fail "the new documents build once published: $(cat "$TMP/check.out")"
[ -f "$N/public/meetings/huaiyin-2026-02-plenary/index.html" ] && ok || fail "the new meeting page is built"
"$NB" -s "$N" new meeting >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "new meeting without --community on a multi-community site is a usage error"
"$NB" -s "$N" new motion >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "new with an unknown kind is a usage error"
"$NB" -s "$N" new page x --date 2026-13-01 >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "new with a bad date is a usage error"

finish e2e_outputs
