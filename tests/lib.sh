# Shared helpers for the end-to-end suites (sourced, not run).
# A suite calls ok/fail per assertion and `finish NAME` at the end, which
# prints "NAME: N passed, N failed" and exits non-zero on any failure.
PASSED=0
FAILED=0
SKIPPED=0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d /tmp/nb-e2e.XXXXXX)
# What a suite started in the background (serve_dir) is stopped on any exit.
BG_PIDS=
cleanup() {
	for pid in $BG_PIDS; do kill "$pid" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
# Publishing needs a publisher; suites must not depend on the machine's git
# identity. A suite that tests where the identity comes from unsets this.
export NB_PUBLISHER="${NB_PUBLISHER:-Test Secretary <test@example.org>}"
# The suites read diagnostics in English whatever the site's language; the
# suites that test the translations unset it.
export NB_LANG=en

ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL: $*" >&2; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "  SKIP: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else fail "$desc"; fi
}
finish() {
	echo "$1: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
}
# A private copy of the demo site, so tests never touch the checkout.
demo_copy() {
	mkdir -p "$1"
	cp -r "$ROOT/site.yaml" "$ROOT/content" "$1/"
	[ -d "$ROOT/themes" ] && cp -r "$ROOT/themes" "$1/"
	[ -d "$ROOT/static" ] && cp -r "$ROOT/static" "$1/"
	return 0
}
# A copy of the demo site at $S to publish from, its record at $R; `nb`
# runs the program under test ($NB) on it, `G` runs git on the record.
site_setup() {
	S="$TMP/site"; R="$S/audit.git"
	demo_copy "$S"
}
nb() { "$NB" -s "$S" "$@"; }
G() { git --git-dir="$R" "$@"; }
# pages_named_by_record GITDIR DIR N: the pages of DIR (a served folder of
# publication N) whose publication tag (output/pubtag.h) is missing, names
# no publication up to N, or names one whose recorded public/ does not hold
# exactly that page, one "path (tag)" per line; nothing when every page is
# what the publication it names recorded. Checked with git itself.
pages_named_by_record() {
	(cd "$2" && find . -path ./audit.git -prune -o -name '*.html' -print) | sed 's|^\./||' |
	while IFS= read -r f; do
		t=$(sed -n 's/.*<meta name="noticeboard:publication" content="\([0-9]*\)">.*/\1/p' "$2/$f" | head -n 2)
		case $t in
		*"
"* | "") echo "$f (no single tag)"; continue ;;
		esac
		[ "$(grep -c 'noticeboard:publication' "$2/$f")" = 1 ] || { echo "$f (no single tag)"; continue; }
		if [ "$t" -lt 1 ] || [ "$t" -gt "$3" ] ||
		   ! git --git-dir="$1" cat-file blob "pub-$t:public/$f" 2>/dev/null | cmp -s - "$2/$f"; then
			echo "$f ($t)"
		fi
	done
}
# A TCP port nothing listens on (for "connection refused").
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# serve_dir DIR: DIR served as a static host serves it (python3 -m
# http.server on a port the system picks), stopped when the suite exits.
# Sets PORT and URL (http://127.0.0.1:PORT/); returns once it answers, or
# non-zero when it never started.
serve_dir() {
	log="$TMP/http.$(date +%s%N)"
	python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$1" >"$log" 2>/dev/null &
	BG_PIDS="$BG_PIDS $!"
	PORT=; URL=
	i=0
	while [ $i -lt 100 ]; do
		PORT=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$log" | head -n 1)
		[ -n "$PORT" ] && curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$PORT" ] || return 1
	URL="http://127.0.0.1:$PORT/"
}
