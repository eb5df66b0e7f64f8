#!/bin/sh
# e2e_terminal.sh - nothing an author, a publisher or a file name holds can
# drive the terminal of the person reading `log`, `diff`, `history` or a
# diagnostic.
#
# Titles, document text, commit messages, publisher names and file names
# are anyone's bytes. An ESC sequence among them could clear the screen,
# recolour a line or rewrite the window title; a C1 control (U+009B is a
# CSI on some terminals) or a bidirectional override (U+202E) could make an
# auditor read a figure other than the recorded one. Text output shows all
# of them as escapes (\x1b, \u009b, \u202e; utf8.h nb_utf8_put_visible) and
# keeps Chinese as it is; JSON output keeps the exact strings, escaped by
# JSON itself.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_terminal.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
ASOF=2026-11-25
S=$TMP/site
demo_copy "$S"

ESC=$(printf '\033')
C1=$(printf '\302\233')    # U+009B
RLO=$(printf '\342\200\256') # U+202E
# A raw control character other than newline and tab, a C1 control, or a
# bidirectional / line-separator control, anywhere in the file.
raw_controls() {
	LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}
clean() { # clean NAME FILE: no raw controls in FILE
	if raw_controls "$2"; then fail "$1: raw control characters reach the terminal: $(cat -v "$2" | head -5)"; else ok; fi
}

check "first publish" "$NB" -q -s "$S" publish -m "first" --as "Li Mei <limei@example.org>" --as-of $ASOF

m=$(find "$S/content/meetings" -name '*.md' | LC_ALL=C sort | head -1)
id=$(sed -n 's/^id: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$m" | head -1)
# YAML's own escapes: libyaml refuses a raw C1 control in a file.
sed -i 's/^title: .*/title: "会议\\e[2J红\\x9b字\\u202e反"/' "$m"
printf '\n正文 %s[31m红色 %s 与 %s 反向，表决 7 票。\n' "$ESC" "$C1" "$RLO" >>"$m"
f=$S/content/pages/esc${ESC}[1mname.md
printf -- '---\ntitle: "文件名"\nid: esc-page\n---\n正文\n' >"$f"
check "second publish" "$NB" -q -s "$S" publish --as-of $ASOF \
	-m "second ${ESC}]0;pwned$(printf '\007') ${ESC}[2J${C1}${RLO}完" \
	--as "Wang${ESC}[31m Wu <wang@example.org>"

"$NB" -s "$S" log >"$TMP/log" 2>&1
clean "log" "$TMP/log"
check "log shows the message's ESC as \\x1b" grep -qF 'second \x1b]0;pwned\x07 \x1b[2J\u009b\u202e完' "$TMP/log"
check "log shows the publisher's ESC as \\x1b" grep -qF 'Wang\x1b[31m Wu <wang@example.org>' "$TMP/log"
check "log lists both publications" test "$(grep -c '^pub-' "$TMP/log")" -eq 2

"$NB" -s "$S" diff 1 2 >"$TMP/diff" 2>&1
clean "diff" "$TMP/diff"
check "diff shows the title change escaped, Chinese intact" \
	grep -qF '会议\x1b[2J红\u009b字\u202e反' "$TMP/diff"
check "diff shows the added text escaped" grep -qF '+正文 \x1b[31m红色 \u009b 与 \u202e 反向，表决 7 票。' "$TMP/diff"
check "diff names the file with an ESC in its name escaped" grep -qF 'added    content/pages/esc\x1b[1mname.md' "$TMP/diff"
check "diff keeps its lines (unified diff header)" grep -q '^@@ ' "$TMP/diff"
"$NB" -s "$S" diff --json 1 2 >"$TMP/diff.json" 2>&1
check "diff --json keeps the exact text (JSON-escaped)" grep -qF '\u001B[31m' "$TMP/diff.json"

"$NB" -s "$S" history esc-page >"$TMP/hist" 2>&1
clean "history" "$TMP/hist"
check "history shows publisher and path escaped" grep -qF 'Wang\x1b[31m Wu  content/pages/esc\x1b[1mname.md' "$TMP/hist"
"$NB" -s "$S" history "$id" >"$TMP/hist2" 2>&1
check "history of the amended meeting" grep -q '^pub-2  changed' "$TMP/hist2"

# Diagnostics: a wrong value holding controls, quoted in the message; the
# old printer let C1 and bidirectional controls through.
sed -i 's/^kind: .*/kind: "ple\\x9bna\\u202ery\\e[2J"/' "$m"
"$NB" -s "$S" check >"$TMP/check" 2>&1 && fail "a wrong kind fails check"
clean "check" "$TMP/check"
check "the diagnostic quotes the value with its controls escaped" \
	grep -qF 'ple\u009bna\u202ery\x1b[2J' "$TMP/check"
"$NB" -s "$S" check --format json >"$TMP/check.json" 2>&1
check "check --format json keeps the exact value" grep -qF "ple${C1}na${RLO}ry\\u001B[2J" "$TMP/check.json"
# An error quoting what the repository holds: a pub-1 whose manifest.json
# is an ESC sequence. jansson's message quotes the bad token.
R=$TMP/tampered
mkdir -p "$R/content/pages"
cp "$S/site.yaml" "$R/"
printf -- '---\ntitle: a\n---\nx\n' >"$R/content/pages/a.md"
check "tampered: publish" "$NB" -q -s "$R" publish -m one --as "A <a@example.org>" --as-of $ASOF
G="git --git-dir=$R/audit.git"
blob=$(printf '\033[2J\033]0;x\007' | $G hash-object -w --stdin)
tree=$( ($G ls-tree 'pub-1^{tree}' | grep -v 'manifest.json'; printf '100644 blob %s\tmanifest.json\n' "$blob") | $G mktree)
c=$(echo one | $G commit-tree "$tree")
$G tag -f pub-1 "$c" >/dev/null && $G update-ref refs/heads/publications "$c"
for cmd in log "history a"; do
	"$NB" -s "$R" $cmd >"$TMP/err" 2>&1 && fail "tampered: $cmd fails"
	clean "tampered: $cmd" "$TMP/err"
	check "tampered: $cmd quotes the manifest escaped" grep -qF "near '\x1b'" "$TMP/err"
done
finish e2e_terminal
