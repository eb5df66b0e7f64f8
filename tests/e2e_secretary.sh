#!/bin/sh
# End-to-end: a secretary cannot publish a mistake (issue #13). Where the
# publisher's identity comes from; sites with kinds left empty; placeholders
# and inconsistent records; YAML mistakes named by their real cause;
# diagnostics in the site's language; init and `new community`.
NB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
AS_OF=2026-11-25

# --- the publisher follows git's conventions ---------------------------------
S="$TMP/ident"; demo_copy "$S"
H="$TMP/home"; mkdir -p "$H"
# No identity anywhere: a clear error, nothing recorded.
out=$(unset NB_PUBLISHER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL; HOME="$H" XDG_CONFIG_HOME="$H" \
	GIT_CONFIG_NOSYSTEM=1 "$NB" -s "$S" publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 2 ] && ok || fail "publish without any identity is a usage error, exit 2 (got $rc): $out"
echo "$out" | grep -q 'GIT_AUTHOR_NAME' && ok || fail "the error says how to set an identity: $out"
[ ! -e "$S/audit.git" ] && ok || fail "nothing recorded without a publisher, not even an empty repository"
# A zh-CN site asks it in Chinese, naming the same ways.
out=$(unset NB_PUBLISHER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL; HOME="$H" XDG_CONFIG_HOME="$H" \
	GIT_CONFIG_NOSYSTEM=1 NB_LANG= "$NB" -s "$S" publish --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q '^noticeboard publish: 是谁在发布？' && echo "$out" | grep -q 'GIT_AUTHOR_NAME' \
	&& ok || fail "publish without any identity says so in Chinese (got $rc): $out"
out=$(NB_LANG= "$NB" -s "$S" publish --as "王芳" --as-of $AS_OF 2>&1)
echo "$out" | grep -q '^noticeboard publish: --as 要写成 "姓名 <邮箱>"，.*现在写的是 `王芳`$' \
	&& ok || fail "a publisher without an email is refused in Chinese: $out"
[ ! -e "$S/audit.git" ] && ok || fail "nothing recorded without a publisher's email"
# The environment, as git reads it.
out=$(unset NB_PUBLISHER; HOME="$H" XDG_CONFIG_HOME="$H" GIT_CONFIG_NOSYSTEM=1 \
	GIT_AUTHOR_NAME="王芳" GIT_AUTHOR_EMAIL="wangfang@example.org" \
	"$NB" -s "$S" publish -m one --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "publish with GIT_AUTHOR_* exits 0 (got $rc): $out"
[ "$(git --git-dir="$S/audit.git" log -1 --format='%an <%ae>' publications 2>/dev/null)" = "王芳 <wangfang@example.org>" ] \
	&& ok || fail "GIT_AUTHOR_NAME/EMAIL is the publisher"
# Config for the email, the environment for the name (each half as git does).
printf '[user]\n\tname = Config Name\n\temail = config@example.org\n' >"$H/.gitconfig"
echo "第二次。" >>"$S/content/pages/about.md"
out=$(unset NB_PUBLISHER GIT_AUTHOR_EMAIL; HOME="$H" XDG_CONFIG_HOME="$H" GIT_CONFIG_NOSYSTEM=1 \
	GIT_AUTHOR_NAME="李红" "$NB" -s "$S" publish -m two --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "publish with name from env, email from config (got $rc): $out"
[ "$(git --git-dir="$S/audit.git" log -1 --format='%an <%ae>' publications 2>/dev/null)" = "李红 <config@example.org>" ] \
	&& ok || fail "name from GIT_AUTHOR_NAME, email from user.email"
echo "第三次。" >>"$S/content/pages/about.md"
out=$(unset NB_PUBLISHER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL; HOME="$H" XDG_CONFIG_HOME="$H" GIT_CONFIG_NOSYSTEM=1 \
	"$NB" -s "$S" publish -m three --as-of $AS_OF 2>&1); rc=$?
[ "$(git --git-dir="$S/audit.git" log -1 --format='%an <%ae>' publications 2>/dev/null)" = "Config Name <config@example.org>" ] \
	&& ok || fail "user.name/user.email from git config: $out"

# --- a site with no free pages, or no documents of some kind, builds ----------
S="$TMP/nopages"; demo_copy "$S"; rm -rf "$S/content/pages" "$S/content/evaluations"
out=$("$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "a site without pages/ and evaluations/ builds (got $rc): $out"
! grep -rlq 'href="/pages/"' "$S/public" 2>/dev/null && ok || fail "no link to an empty /pages/"
! grep -rlq 'href="/evaluations/"' "$S/public" 2>/dev/null && ok || fail "no link to an empty /evaluations/"
[ -f "$S/public/index.html" ] && ok || fail "the home page is built without pages"
S="$TMP/onlycommunities"; demo_copy "$S"
rm -rf "$S/content/pages" "$S/content/evaluations" "$S/content/meetings" "$S/content/decisions" "$S/content/charters"
out=$("$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "a site of communities only builds (got $rc): $out"

# --- diagnostics in the site's language -----------------------------------------
S="$TMP/lang"; demo_copy "$S"
M=$(ls "$S"/content/meetings/2024/*.md | head -1)
sed -i 's/^attendees:/atendees:/' "$M"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "check of a misspelt field exits 1 (got $rc)"
echo "$out" | grep -q '错误：没有 `atendees` 这个字段：是不是想写 `attendees`？' && ok || fail "a zh-CN site reports in Chinese: $out"
echo "$out" | grep -q '提示：改成 `attendees`' && ok || fail "the hint is in Chinese: $out"
echo "$out" | grep -q '共 1 个错误' && ok || fail "the count is in Chinese: $out"
json=$(unset NB_LANG; "$NB" -s "$S" check --format json 2>/dev/null)
echo "$json" | grep -q '"code": "field-unknown"' && ok || fail "json keeps the stable code: $json"
echo "$json" | grep -q '"message": "没有 `atendees` 这个字段' && ok || fail "json message in the site language: $json"
sed -i 's/^language: .*/language: en/' "$S/site.yaml"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | grep -q 'error: unknown field `atendees`: did you mean `attendees`?' && ok || fail "an en site reports in English: $out"
echo "$out" | tail -n 1 | grep -qx '1 error\.' && ok || fail "an en site counts its errors: $out"
# With a warning too (an editor's backup copy), the count says both; -q
# prints no warning, so its count names none.
cp "$M" "$M~"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | tail -n 1 | grep -qx '1 error, 1 warning\.' && ok || fail "errors and warnings counted: $out"
out=$(unset NB_LANG; "$NB" -q -s "$S" check 2>&1)
echo "$out" | tail -n 1 | grep -qx '1 error\.' && ok || fail "-q counts the errors it prints: $out"
sed -i 's/^language: .*/language: zh-CN/' "$S/site.yaml"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | tail -n 1 | grep -qx '共 1 个错误，1 个警告。' && ok || fail "counted in Chinese: $out"
rm "$M~"
# site.yaml that does not parse: Chinese, the default.
printf 'title: [unclosed\n' >"$S/site.yaml"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | grep -q '字段部分（YAML）格式错误' && ok || fail "a broken site.yaml is reported in Chinese: $out"

# --- YAML mistakes named by their real cause ------------------------------------
S="$TMP/yaml"; mkdir -p "$S/content/pages"; printf 'title: t\n' >"$S/site.yaml"
P="$S/content/pages/a.md"
yaml_case() { # yaml_case DESCRIPTION FRONT-MATTER EXPECTED-TEXT...
	desc=$1; fm=$2; shift 2
	printf -- "---\n$fm\n---\n正文\n" >"$P"
	out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1); rc=$?
	[ $rc -eq 1 ] || { fail "$desc: exit 1 (got $rc): $out"; return; }
	for want in "$@"; do
		echo "$out" | grep -qF -- "$want" || { fail "$desc: expected \`$want\` in: $out"; return; }
	done
	ok
}
yaml_case "full-width colon" 'title：关于加装电梯的决议\ndate: 2024-01-01' \
	'content/pages/a.md:2:6: 错误：`title` 后面用了全角冒号' '全角冒号' '例如 `title: 关于加装电梯的决议`'
yaml_case "full-width colon on a later line" 'title: a\nsummary：一个摘要' 'a.md:3:8:' '`summary` 后面用了全角冒号'
yaml_case "tab" 'title: a\n\tdate: 2024-01-01' 'a.md:3:1:' 'Tab' '把第3行开头的 Tab 换成空格'
yaml_case "full-width comma in a flow list" 'title: a\ntags: [张三，李四]' 'a.md:3:10:' '全角逗号' '[张三, 李四]'
yaml_case "text after a closing quote" 'title: "关于……的决议"（草案）\ndate: 2024-01-01' \
	'a.md:2:17: 错误：右引号后面还有文字：`（草案）`' '"关于……的决议（草案）"'
out=$(printf -- '---\ntitle: "关于……的决议"（草案）\n---\n' >"$P"; "$NB" -s "$S" check 2>&1)
! echo "$out" | grep -q 'indentation' && ok || fail "text after a quote is not blamed on indentation: $out"
yaml_case "date with slashes" 'title: a\ndate: 2025/3/6' '`date: 2025/3/6`' 'date: 2025-03-06'
yaml_case "date in Chinese" 'title: a\ndate: 2025年3月6日' 'date: 2025-03-06'
# A quoted item may hold a Chinese comma: it is text.
printf -- '---\ntitle: a\ntags: ["张三，李四"]\n---\n' >"$P"
"$NB" -s "$S" check >/dev/null 2>&1 && ok || fail "a quoted item with a full-width comma is text"

# --- an enum given as its Chinese label -------------------------------------------
S="$TMP/enum"; demo_copy "$S"
D="$S/content/decisions/2024/huaiyin-2024-ebike-charging.md"
sed -i 's/^category: .*/category: 消防/' "$D"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "an enum label is not accepted as the value (got $rc)"
echo "$out" | grep -q '`category: 消防` 是 `fire-safety` 的中文名称' && ok || fail "the label names its value: $out"
echo "$out" | grep -q '提示：改成 `fire-safety`' && ok || fail "the hint gives the value: $out"
sed -i 's/^category: 消防/category: 会议/' "$D"
out=$("$NB" -s "$S" check 2>&1)
echo "$out" | grep -q 'use one of: public-order' && ok || fail "text that is no label lists the values: $out"

# --- a document saved as .MD or .markdown is not copied as it lies -----------------
# It would be published as its source (a draft's too), and its page missing.
S="$TMP/ext"; demo_copy "$S"
M="$S/content/meetings/2024/huaiyin-2024-03-plenary"
mv "$M.md" "$M.MD"
out=$(unset NB_LANG; "$NB" -s "$S" build --as-of $AS_OF 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "a .MD document is an error (got $rc): $out"
echo "$out" | grep -q 'huaiyin-2024-03-plenary.MD: 错误：文档的文件名必须以 `.md`（小写）结尾' \
	&& echo "$out" | grep -q '请改名为 `huaiyin-2024-03-plenary.md`' && ok || fail "it says to rename it: $out"
[ ! -e "$S/public" ] && ok || fail "nothing is published"
mv "$M.MD" "$M.markdown"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "plenary.markdown: error: a document's file name must end in" \
	&& ok || fail "a .markdown document is an error (got $rc): $out"

# --- template placeholders are errors unless the document is a draft ------------
S="$TMP/placeholders"; demo_copy "$S"
D="$S/content/decisions/2024/huaiyin-2024-ebike-charging.md"
cp "$D" "$TMP/dec.orig"
sed -i 's/^title: .*/title: "关于……的决议"/' "$D"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "a published decision titled 关于……的决议 fails the check (got $rc)"
echo "$out" | grep -q 'huaiyin-2024-ebike-charging.md:2:8: error: `title: 关于……的决议` still holds the template' && ok || fail "placeholder named at the title: $out"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | grep -q '里还留着模板的占位符' && ok || fail "placeholder error in Chinese: $out"
sed -i 's/^title: .*/title: "关于……的决议"\ndraft: true/' "$D"
out=$("$NB" -s "$S" check 2>&1)
! echo "$out" | grep -q 'still holds the template' && ok || fail "a draft may hold placeholders: $out"
cp "$TMP/dec.orig" "$D"
sed -i 's/^votes: .*/votes: {for: 0, against: 0, abstain: 0}/' "$D"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "an adopted decision with 0/0/0 votes fails (got $rc)"
echo "$out" | grep -q 'votes are empty or 0/0/0' && ok || fail "0/0/0 votes named as the template's: $out"
! echo "$out" | grep -q 'result-mismatch\|does not agree with the votes' && ok || fail "no second error for the same votes: $out"
sed -i '/^votes: /d' "$D"
out=$("$NB" -s "$S" check 2>&1)
echo "$out" | grep -q 'votes are empty or 0/0/0' && ok || fail "an adopted decision without votes fails: $out"
cp "$TMP/dec.orig" "$D"
# `new decision` writes the placeholders; removing draft: makes them errors.
out=$("$NB" -s "$S" new decision huaiyin-2026-test --community huaiyin --date 2026-01-10 2>&1); rc=$?
N="$S/content/decisions/2026/huaiyin-2026-test.md"
[ $rc -eq 0 ] && [ -f "$N" ] && ok || fail "new decision (got $rc): $out"
"$NB" -s "$S" check >/dev/null 2>&1 && ok || fail "the new draft passes check"
sed -i '/^draft: true/d; s/^# result: adopted .*/result: adopted/' "$N"
out=$("$NB" -s "$S" check 2>&1)
echo "$out" | grep -q 'huaiyin-2026-test.md:.*placeholder\|huaiyin-2026-test.md:.*still holds the template' && ok || fail "the published template's title is an error: $out"
echo "$out" | grep -q 'huaiyin-2026-test.md:.*0/0/0' && ok || fail "the published template's votes are an error: $out"
rm -f "$N"

# --- the record agrees with itself ---------------------------------------------------
S="$TMP/consistency"; demo_copy "$S"
M="$S/content/meetings/2024/huaiyin-2024-03-plenary.md"
D="$S/content/decisions/2024/huaiyin-2024-ebike-charging.md"
cp "$M" "$TMP/m.orig"; cp "$D" "$TMP/d.orig"
sed -i 's/^chair: .*/chair: "周建化"/' "$M"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && ok || fail "a chair found nowhere is an error (got $rc)"
echo "$out" | grep -q 'huaiyin-2024-03-plenary.md:10:8: error: the chair `周建化` is not among the committee or the attendees: did you mean `周建华`?' && ok || fail "chair did-you-mean: $out"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | grep -q '主持人 `周建化` 既不是自治会成员，也不在出席名单里：是不是想写 `周建华`？' && ok || fail "chair did-you-mean in Chinese: $out"
cp "$TMP/m.orig" "$M"
sed -i 's/^recorder: .*/recorder: "刘海涛"/; s/^absent:$/absent: []/; /^  - {name: "刘海涛", reason: /d' "$M"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'warning: the recorder `刘海涛` is a committee member but not among' && ok || fail "a committee member missing from attendees as recorder is a warning (got $rc): $out"
cp "$TMP/m.orig" "$M"
sed -i 's/^recorder: .*/recorder: "刘海涛"/' "$M"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'huaiyin-2024-03-plenary.md:11:11: error: the recorder `刘海涛` is listed among the absent' && ok || fail "a recorder listed as absent is an error (got $rc): $out"
cp "$TMP/m.orig" "$M"
sed -i 's/^  - {name: "刘海涛", reason: .*/  - "林秀珍"/' "$M"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '`林秀珍` is both among the attendees and absent' && ok || fail "present and absent is an error (got $rc): $out"
cp "$TMP/m.orig" "$M"
sed -i 's/^due: .*/due: "2024-03-01"/' "$D"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '`due: 2024-03-01` is before the decision' && ok || fail "due before the decision is an error (got $rc): $out"
cp "$TMP/d.orig" "$D"
sed -i 's/^date: .*/date: "2024-03-01"/' "$D"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q '`date: 2024-03-01` is before its meeting `huaiyin-2024-03-plenary` (held on 2024-03-08)' && ok || fail "a decision before its meeting is an error (got $rc): $out"
cp "$TMP/d.orig" "$D"
sed -i 's/^date: .*/date: "2024-03-12"/' "$D"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'warning: `date: 2024-03-12` is not the date of its meeting' && ok || fail "a decision dated after its meeting is a warning (got $rc): $out"
cp "$TMP/d.orig" "$D"

# --- init creates a first community; `new community` adds one -------------------
S="$TMP/init"
out=$("$NB" init "$S" --community huaiyin --community-name 槐荫社区 --street 桂园街道 \
	--type 老旧住宅区 --platform party --chair 周建华 2>&1); rc=$?
C="$S/content/communities/huaiyin.md"
[ $rc -eq 0 ] && [ -f "$C" ] && ok || fail "init --community writes the community (got $rc): $out"
grep -q '^name: "槐荫社区"' "$C" && grep -q '^type: "老旧住宅区"' "$C" && grep -q '^platform: "party"' "$C" \
	&& grep -q 'name: "周建华", role: "主任"' "$C" && grep -q '^street: "桂园街道"' "$C" \
	&& ok || fail "the community holds the answers: $(cat "$C")"
out=$("$NB" -s "$S" build 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "the new site with its draft community builds (got $rc): $out"
out=$("$NB" -s "$S" new meeting --date 2026-03-06 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q '^community: "huaiyin"' "$S"/content/meetings/2026/*.md && ok || fail "new meeting finds init's community (got $rc): $out"
sed -i '/^draft: true/d' "$C"
out=$("$NB" -s "$S" check 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'committee\[1\].name: …… ` still\|`committee\[1\].name: ……` still holds' && ok || fail "the committee's placeholder names cannot be published (got $rc): $out"
out=$("$NB" init "$TMP/init-bad" --community x --type 村 --platform party 2>&1); rc=$?
[ $rc -eq 2 ] && [ ! -e "$TMP/init-bad/site.yaml" ] && echo "$out" | grep -q '老旧住宅区' && ok || fail "a wrong type is a usage error that lists the types and writes nothing (got $rc): $out"
out=$("$NB" init "$TMP/init-bad2" --type 城中村 2>&1); rc=$?
[ $rc -eq 2 ] && ok || fail "community options without --community are a usage error (got $rc)"
# What init and new say is in the site's language (lib.sh's NB_LANG=en unset).
out=$(NB_LANG= "$NB" init "$TMP/init-zh" 2>&1); rc=$?
again=$(NB_LANG= "$NB" init "$TMP/init-zh" 2>&1)
made=$(NB_LANG= "$NB" -s "$TMP/init-zh" new page hello 2>&1)
dup=$(NB_LANG= "$NB" -s "$TMP/init-zh" new page hello 2>&1)
[ $rc -eq 0 ] && echo "$out" | grep -qx "已创建 $TMP/init-zh" && echo "$out" | grep -q '^下一步：' \
	&& echo "$again" | grep -q '已经存在，没有做任何改动' && [ "$made" = "已创建 content/pages/hello.md" ] \
	&& echo "$dup" | grep -q '已经存在，没有做任何改动' && echo "$dup" | grep -q '^  提示：' \
	&& ! printf '%s\n' "$out" "$again" "$made" "$dup" | grep -q 'created\|next:\|already\|hint:' \
	&& ok || fail "init and new speak Chinese on a zh-CN site: $out / $again / $made / $dup"
out=$(NB_LANG= "$NB" init "$TMP/init-en" --language en 2>&1)
made=$(NB_LANG= "$NB" -s "$TMP/init-en" new page hello 2>&1)
echo "$out" | grep -qx "created $TMP/init-en" && [ "$made" = "created content/pages/hello.md" ] \
	&& ok || fail "init and new speak English on an English site: $out / $made"
out=$(NB_LANG= "$NB" -s "$S" new meeting --community nope 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q '没有社区 `nope`' && echo "$out" | grep -q '^社区：' \
	&& ok || fail "new names a missing community in Chinese (got $rc): $out"
# Before the first publish, log, diff, history and verify say so in Chinese.
for c in log diff "history about" verify; do
	out=$(NB_LANG= "$NB" -s "$TMP/init-zh" $c 2>&1); rc=$?
	[ $rc -eq 3 ] && echo "$out" | grep -q "^noticeboard ${c% *}: $TMP/init-zh/audit.git 没有审计仓库；请先运行" \
		&& ok || fail "$c before any publication, in Chinese (got $rc): $out"
done
# A title is any text: quotes, a backslash, more than fits a line.
out=$("$NB" init "$TMP/init-title" --title '居民"议事"会 C:\公示' 2>&1); rc=$?
out2=$("$NB" -s "$TMP/init-title" build 2>&1); rc2=$?
[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && grep -q '<title>[^<]*居民&quot;议事&quot;会 C:\\公示</title>' \
	"$TMP/init-title/public/index.html" && ok || fail "init's title with quotes and a backslash builds as typed (got $rc/$rc2): $out2"
long=$(printf '%03000d' 7)
out=$("$NB" init "$TMP/init-long" --title "$long" 2>&1); rc=$?
out2=$("$NB" -s "$TMP/init-long" check 2>&1); rc2=$?
[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && grep -q "^title: \"$long\"\$" "$TMP/init-long/site.yaml" && grep -q '^params:' "$TMP/init-long/site.yaml" \
	&& ok || fail "init writes a long title whole, and the settings after it (got $rc/$rc2): $out2"
if command -v script >/dev/null 2>&1; then
	out=$(printf 'tianbei\n田贝社区\n翠竹街道\n城中村\nvillage-company\n王芳\n' |
		script -qec "'$NB' init '$TMP/init-tty'" /dev/null 2>&1)
	C="$TMP/init-tty/content/communities/tianbei.md"
	[ -f "$C" ] && grep -q '^type: "城中村"' "$C" && grep -q 'name: "王芳", role: "主任"' "$C" \
		&& ok || fail "init on a terminal asks for the community: $out"
else
	skip "no script(1) for a terminal"
fi
# --- serve says what it does in the site's language -------------------------------
S="$TMP/servezh"; demo_copy "$S"
NB_LANG= "$NB" -s "$S" serve --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q 'http://127.0.0.1:' "$TMP/serve.out" && break; sleep 0.1; done
port=$(sed -n 's|^.*http://127.0.0.1:\([0-9]*\)/.*$|\1|p' "$TMP/serve.out")
busy=$(NB_LANG= "$NB" -s "$S" serve --port "$port" 2>&1); rc=$?
[ $rc -eq 3 ] && echo "$busy" | grep -q "无法在 127.0.0.1:$port 上监听" && ok || fail "a port in use is said in Chinese (got $rc): $busy"
echo "# 改动" >>"$S/site.yaml"
for _ in $(seq 100); do [ "$(grep -c '已生成' "$TMP/serve.err")" -ge 2 ] && break; sleep 0.1; done
kill -TERM $pid; wait $pid
out=$(cat "$TMP/serve.out" "$TMP/serve.err")
grep -q '^预览地址：http://127.0.0.1:[0-9]*/（显示草稿；按 Ctrl-C 停止）$' "$TMP/serve.out" \
	&& grep -qx '发现改动：重新生成' "$TMP/serve.err" && grep -qx '正在停止' "$TMP/serve.err" \
	&& ! echo "$out" | grep -q '[A-Za-z][a-z]* [a-z]' && ok || fail "serve on a zh-CN site speaks Chinese: $out"
S="$TMP/newcommunity"; demo_copy "$S"
out=$("$NB" -s "$S" new community meilin --title 梅林社区 --type 新兴住宅区 --platform owners-committee 2>&1); rc=$?
[ $rc -eq 0 ] && [ -f "$S/content/communities/meilin.md" ] && ok || fail "new community (got $rc): $out"
"$NB" -s "$S" check >/dev/null 2>&1 && ok || fail "the new community passes check as a draft"
out=$("$NB" -s "$S" new community meilin --type 新兴住宅区 --platform party 2>&1); rc=$?
[ $rc -eq 2 ] && ok || fail "new community never overwrites (got $rc)"
out=$("$NB" -s "$S" new community lianhua --type 新兴住宅区 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q 'residents-committee' && ok || fail "a missing platform lists the platforms (got $rc): $out"
# The reason is in the messages' language (NB_LANG=en here, lib.sh), not
# the site's; without NB_LANG, the site's (zh-CN).
echo "$out" | grep -q '^noticeboard new: the platform must be one of: ' && ! echo "$out" | grep -q '自治平台' \
	&& ok || fail "new community's reason follows NB_LANG=en on a zh-CN site: $out"
out=$(NB_LANG= "$NB" -s "$S" new community lianhua --type 新兴住宅区 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q '^noticeboard new：自治平台须是以下之一：' && ok ||
	fail "new community's reason in Chinese on a zh-CN site (got $rc): $out"
out=$("$NB" init "$TMP/init-bad3" --community x --type 村 --platform party 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q 'the community type must be one of: ' && ! echo "$out" | grep -q '社区类型' \
	&& ok || fail "init --community's reason follows NB_LANG=en (got $rc): $out"
out=$(NB_LANG= "$NB" init "$TMP/init-bad4" --community x --type 村 --platform party 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q '社区类型须是以下之一：' && ok ||
	fail "init --community's reason in Chinese without NB_LANG (got $rc): $out"

finish e2e_secretary
