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
[ $rc -ne 0 ] && ok || fail "publish without any identity fails (got $rc): $out"
echo "$out" | grep -q 'GIT_AUTHOR_NAME' && ok || fail "the error says how to set an identity: $out"
[ -z "$(git --git-dir="$S/audit.git" tag -l 'pub-*' 2>/dev/null)" ] && ok || fail "nothing recorded without a publisher"
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
# site.yaml that does not parse: Chinese, the default.
printf 'title: [unclosed\n' >"$S/site.yaml"
out=$(unset NB_LANG; "$NB" -s "$S" check 2>&1)
echo "$out" | grep -q '字段部分（YAML）格式错误' && ok || fail "a broken site.yaml is reported in Chinese: $out"

finish e2e_secretary
