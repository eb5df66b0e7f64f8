#!/bin/sh
# End-to-end: build the demo site with the real binary and assert on what a
# resident and a secretary would see: pages, links, errors, exit codes.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25

# --- the demo site builds, deterministically --------------------------------
S="$TMP/site"; demo_copy "$S"
out=$("$NB" -s "$S" -v build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "demo build exits 0 (got $rc): $out"
echo "$out" | grep -Eq '^built [0-9,]+ pages from [0-9,]+ documents in [0-9.]+ s$' && ok || fail "summary line: $out"
# A zh-CN site says it in Chinese (lib.sh sets NB_LANG=en for the rest).
Z="$TMP/zhsum"; demo_copy "$Z"
out=$(NB_LANG= "$NB" -s "$Z" -v build --as-of $AS_OF 2>&1)
echo "$out" | grep -Eq '^已生成 [0-9,]+ 个页面，来自 [0-9,]+ 个文档，用时 [0-9.]+ 秒$' && ok || fail "summary line in Chinese: $out"
P="$S/public"
for f in index.html 404.html css/style.css communities/index.html meetings/index.html \
	decisions/index.html charters/index.html evaluations/index.html pages/index.html; do
	[ -f "$P/$f" ] && ok || fail "output has $f"
done
n_meetings=$(ls "$S"/content/meetings/*/*.md | wc -l)
n_pages=$(find "$P/meetings" -mindepth 2 -name index.html | wc -l)
[ "$n_meetings" -gt 0 ] && [ "$n_pages" -gt 0 ] && ok || fail "meeting pages written ($n_pages for $n_meetings sources)"
grep -q '<html lang="zh-CN"' "$P/index.html" && ok || fail "home page has lang=zh-CN"
"$NB" -s "$S" build --as-of $AS_OF -o "$TMP/again" >/dev/null 2>&1
diff -r "$P" "$TMP/again" >/dev/null && ok || fail "two builds are byte-identical"
"$NB" -s "$S" -q build --as-of $AS_OF >"$TMP/quiet.out" 2>&1
[ ! -s "$TMP/quiet.out" ] && ok || fail "-q prints nothing on success"
# -q prints only errors: a warning (an editor's backup copy) is not one.
cp "$S/content/pages/about.md" "$S/content/pages/about.md~"
"$NB" -s "$S" check --as-of $AS_OF >"$TMP/warn.out" 2>&1
"$NB" -s "$S" -q check --as-of $AS_OF >"$TMP/quiet.out" 2>&1; rc=$?
grep -q 'about.md~: warning' "$TMP/warn.out" && [ $rc -eq 0 ] && [ ! -s "$TMP/quiet.out" ] \
	&& ok || fail "-q check prints no warning (got $rc): $(cat "$TMP/quiet.out")"
printf -- '---\ntitel: x\n---\n' >"$S/content/pages/bad.md"
"$NB" -s "$S" -q build --as-of $AS_OF -o "$TMP/qbad" >"$TMP/quiet.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q 'bad.md:2:1: error' "$TMP/quiet.out" && ! grep -q 'warning' "$TMP/quiet.out" \
	&& ok || fail "-q build prints its errors and no warning (got $rc): $(cat "$TMP/quiet.out")"
rm "$S/content/pages/about.md~" "$S/content/pages/bad.md"

# --- every page kind is reachable from the home page by links ---------------
: >"$TMP/seen"; echo "/" >"$TMP/queue"
while [ -s "$TMP/queue" ]; do
	u=$(head -n1 "$TMP/queue"); sed -i 1d "$TMP/queue"
	grep -qxF "$u" "$TMP/seen" && continue
	echo "$u" >>"$TMP/seen"
	f="$P$u"; case "$u" in */) f="${f}index.html";; esac
	[ -f "$f" ] || continue
	# Links, and GET forms (the header's search box leads to /search/).
	grep -o '\(href\|action\)="/[^"#?]*' "$f" | sed 's/^[a-z]*="//' | grep -v '\.\(css\|js\|xml\|ics\|json\|csv\|svg\|png\)$' >>"$TMP/queue"
done
for kind in communities meetings decisions charters evaluations pages; do
	grep -q "^/$kind/[^/]" "$TMP/seen" && ok || fail "a $kind page is reachable from home"
done
all=$(find "$P" -name index.html | wc -l)
reached=$(grep -c . "$TMP/seen")
[ "$reached" -ge "$all" ] && ok || fail "all $all pages reachable from home (reached $reached)"

# --- page content ----------------------------------------------------------
m=$(find "$P/meetings" -mindepth 2 -name index.html | head -n1)
grep -q '<main' "$m" && ok || fail "meeting page has <main>"
grep -q 'id="main"' "$m" && ok || fail "skip-link target exists"
grep -q '<h2 id="' "$m" && ok || fail "meeting headings have ids"
c=$(find "$P/charters" -mindepth 2 -name index.html | head -n1)
grep -q 'id="第一条"' "$c" && ok || fail "charter article anchor #第一条"
grep -q '<table' "$P/pages/activity-month-2025/index.html" && ok || fail "GFM table rendered"
! grep -rq '{{' "$P" --include=index.html && ok || fail "no unrendered mustache tags"

# --- init: a new site builds with the built-in theme ------------------------
"$NB" init "$TMP/new" >/dev/null 2>&1 && ok || fail "init exits 0"
"$NB" -s "$TMP/new" build >/dev/null 2>&1 && ok || fail "a new site builds with the built-in theme"
[ -f "$TMP/new/public/pages/about/index.html" ] && ok || fail "init's first page is built"
"$NB" init "$TMP/new" >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "init refuses an existing site"

# --- command line ------------------------------------------------------------
for c in build check init version help; do
	"$NB" $c --help >/dev/null 2>&1 && ok || fail "$c --help exits 0"
done
"$NB" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "unknown command exits 2"
"$NB" build --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "unknown option exits 2"
"$NB" -s "$TMP/nowhere" build >/dev/null 2>&1; [ $? -eq 1 ] && ok || fail "missing site.yaml exits 1"
# --as-of names a real day, or every deadline is judged against mere text.
for c in build check serve publish; do
	for bad in 2026-02-30 today 2026-2-3 2026-13-01; do
		out=$("$NB" -s "$TMP/nowhere" $c --as-of $bad 2>&1); rc=$?
		[ $rc -eq 2 ] && echo "$out" | grep -q "wants a real day written YYYY-MM-DD.*\`$bad\`" \
			&& ok || fail "$c --as-of $bad is a usage error (got $rc): $out"
	done
done
# Every usage error on a Chinese site is Chinese: what is wrong and what to
# type instead, exit 2 (lib.sh's NB_LANG=en unset). `timeout`: a serve that
# took a bad port would serve instead of answering.
ZS="$TMP/zh-usage"; "$NB" init "$ZS" >/dev/null 2>&1
grep -qx 'language: zh-CN' "$ZS/site.yaml" && ok || fail "init makes a zh-CN site"
zh_usage() { # zh_usage LINE ARGS...: `noticeboard -s $ZS ARGS` says LINE, exit 2
	want=$1; shift
	out=$(NB_LANG= timeout 60 "$NB" -s "$ZS" "$@" 2>&1 </dev/null); rc=$?
	[ $rc -eq 2 ] && echo "$out" | grep -qxF -- "$want" && ok \
		|| fail "$* in the site's language, exit 2 (got $rc): $out"
}
zh_usage 'noticeboard build：--publication 后面要写数字 N 或 pub-N，不能是 `x`' build --publication x
zh_usage 'noticeboard check：没有 `xml` 这种格式，--format 后面要写 `text` 或 `json`' check --format xml
for p in abc 70000 -1 ''; do
	zh_usage "noticeboard serve：--port 后面要写 0 到 65535 之间的数字，不能是 \`$p\`" serve --port "$p"
done
for c in build check serve publish; do
	zh_usage "noticeboard $c：--as-of 后面要写真实存在的日期，格式为 \`YYYY-MM-DD\`，例如 2025-03-07；不能是 \`2026-02-30\`" \
		$c --as-of 2026-02-30
done
zh_usage 'noticeboard init：请写出要新建的文件夹，例如 `noticeboard init my-site`' init
zh_usage 'noticeboard init：--language 只能是 zh-CN 或 en，不能是 `fr`' init "$TMP/zh-fr" --language fr
zh_usage "noticeboard init：$ZS/site.yaml 已经存在，没有做任何改动" init "$ZS"
zh_usage 'noticeboard new：请写出要新建的文档类型，例如 `noticeboard new meeting`' new
zh_usage 'noticeboard new：没有 `motion` 这种文档；文档类型只能是 `meeting`（会议纪要）、`decision`（决议）、`evaluation`（评估）、`charter`（公约）、`page`（页面）或 `community`（社区）' \
	new motion
zh_usage 'noticeboard new：--date 后面要写真实存在的日期，格式为 `YYYY-MM-DD`，例如 2025-03-07；不能是 `2026-13-01`' \
	new page x --date 2026-13-01
zh_usage 'noticeboard new：`a b` 不能用作编号：只能用字母、数字、- 和 _，例如 huaiyin-2025-03-plenary' \
	new page 'a b'
zh_usage 'noticeboard new：不认识的参数 `c`' new page b c
zh_usage 'noticeboard new：content/pages/about.md 已经存在，没有做任何改动' new page about
zh_usage 'noticeboard new：编号 `about` 已经被 content/pages/about.md（about）用了，全站的编号不能重复；没有写入任何文件' \
	new meeting about
zh_usage 'noticeboard new：本站 在 2026-03-06 及之前没有开过会议，新决议无法写明是哪次会议作出的；没有写入任何文件' \
	new decision --date 2026-03-06
[ ! -e "$ZS/content/decisions" ] && [ ! -e "$ZS/content/meetings" ] && [ ! -e "$TMP/zh-fr" ] \
	&& ok || fail "a usage error writes nothing"
out=$(NB_LANG= "$NB" -s "$ZS" -v check 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -qx '已检查 [0-9]* 个文档，没有错误' && ok \
	|| fail "check's verdict in the site's language (got $rc): $out"
# build's line while it works, on a terminal only.
out=$(NB_LANG= script -qec "'$NB' -s '$ZS' build -o '$TMP/zh-usage-out'" /dev/null 2>&1)
echo "$out" | grep -q "正在生成 $ZS …" && ! echo "$out" | grep -q 'building' && ok \
	|| fail "build's progress on a terminal in the site's language: $out"
# The same mistakes outside any site, or on an English one, read in English.
mkdir -p "$TMP/nowhere"
out=$(cd "$TMP/nowhere" && NB_LANG= "$NB" serve --port abc 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" = 'noticeboard serve: --port needs a number from 0 to 65535, got `abc`' ] \
	&& ok || fail "serve --port outside a site, in English (got $rc): $out"
out=$(cd "$TMP/nowhere" && NB_LANG= "$NB" init 2>&1 | head -1)
[ "$out" = 'noticeboard init: name the folder to create, e.g. `noticeboard init my-site`' ] \
	&& ok || fail "init without a folder outside a site, in English: $out"
for c in build check publish; do
	out=$(cd "$TMP/nowhere" && NB_LANG= "$NB" $c --as-of 2026-03-06 2>&1); rc=$?
	[ $rc -eq 1 ] && echo "$out" | grep -qx 'site.yaml: error: no site.yaml in \.' \
		&& ! echo "$out" | grep -q '错误' && ok \
		|| fail "$c --as-of outside a site says in English that there is no site (got $rc): $out"
done
ES="$TMP/en-usage"; "$NB" init "$ES" --language en >/dev/null 2>&1
out=$(NB_LANG= "$NB" -s "$ES" new page about 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qx 'noticeboard new: content/pages/about.md already exists; nothing was changed' \
	&& ok || fail "new on an English site, in English (got $rc): $out"
out=$(NB_LANG= "$NB" init "$ES" 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" = "noticeboard init: $ES/site.yaml already exists; nothing was changed" ] \
	&& ok || fail "init over an English site says so in English (got $rc): $out"
# Today is the day where the committee is (China Standard Time), whatever
# the machine's zone: build and publish judge the same day. (Against the
# machine's own date this catches a local or UTC day 20 hours of 24.)
S2="$TMP/today"; demo_copy "$S2"
want=$(TZ=Asia/Shanghai date +%F)
out=$(TZ=Etc/GMT+12 "$NB" -s "$S2" publish -m today 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "$want" && ok || fail "publish's today is $want in China (got $rc): $out"
want_zh=$(TZ=Asia/Shanghai date +%Y年%-m月%-d日)
TZ=Etc/GMT+12 "$NB" -s "$S2" build -o "$TMP/today-out" >/dev/null 2>&1
grep -q "截至$want_zh" "$TMP/today-out/communities/huaiyin/index.html" && ok || \
	fail "build's today is $want_zh in China: $(grep -o '截至[^<]*' "$TMP/today-out/communities/huaiyin/index.html")"

# --- bad input: clear error at file:line:col, exit 1, public/ untouched -----
snap() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) ; }
bad_case() { # bad_case NAME EXPECTED-REGEX SETUP-COMMANDS
	name=$1; want=$2; setup=$3
	B="$TMP/bad-$name"; demo_copy "$B"
	"$NB" -s "$B" build --as-of $AS_OF >/dev/null 2>&1
	before=$(snap "$B/public")
	(cd "$B" && eval "$setup")
	out=$("$NB" -s "$B" build --as-of $AS_OF 2>&1); rc=$?
	[ $rc -eq 1 ] && ok || fail "$name: exit 1 (got $rc)"
	echo "$out" | grep -Eq "$want" && ok || fail "$name: message matching /$want/ in: $out"
	echo "$out" | grep -q 'hint:' && ok || fail "$name: a hint is given"
	[ "$(snap "$B/public")" = "$before" ] && ok || fail "$name: public/ untouched"
	ls -d "$B"/public.staging-* >/dev/null 2>&1 && fail "$name: staging folder left behind" || ok
}
M=content/meetings/2024/$(ls "$S/content/meetings/2024" | head -n1)
bad_case unterminated "^$M:1:1: error: .*front matter" \
	"printf -- '---\ntitle: x\nno end\n' > $M"
bad_case yaml-syntax "^$M:3:[0-9]+: error: .*YAML" \
	"printf -- '---\ntitle: x\nagenda: [a, b\n---\nbody\n' > $M"
bad_case utf8 "^$M:2:[0-9]+: error: .*UTF-8" \
	"printf -- '---\ntitle: \377\376\n---\n' > $M"
bad_case duplicate-id "error: duplicate id" \
	"cp $M content/meetings/2024/zz-copy.md"
bad_case unknown-theme "^site.yaml:[0-9]+:[0-9]+: error: unknown theme" \
	"sed -i 's/^theme: default/theme: nosuch/' site.yaml"
bad_case unknown-layout "^$M:[0-9]+:[0-9]+: error: unknown layout" \
	"sed -i '0,/^title:/s//layout: nosuch\ntitle:/' $M"
bad_case template-syntax "^themes/default/layouts/page.mustache:2:[0-9]+: error:" \
	"mkdir -p themes/default/layouts && printf '{{<base}}\n{{\$main}}{{#x}}{{/main}}{{/base}}\n' > themes/default/layouts/page.mustache"

# all errors of a build are reported, not only the first
B="$TMP/bad-many"; demo_copy "$B"
M2=content/meetings/2025/$(ls "$S/content/meetings/2025" | head -n1)
printf -- '---\ntitle: x\nno end\n' > "$B/$M"
printf -- '---\ntitle: [\n---\n' > "$B/$M2"
out=$("$NB" -s "$B" build 2>&1)
echo "$out" | grep -q "^$M:" && echo "$out" | grep -q "^$M2:" && ok || fail "both broken files reported: $out"

# check --format json
out=$("$NB" -s "$B" check --format json 2>/dev/null); rc=$?
[ $rc -eq 1 ] && ok || fail "check exits 1 on errors"
echo "$out" | grep -q '"diagnostics"' && ok || fail "check --format json prints diagnostics"

finish e2e
