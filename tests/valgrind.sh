#!/bin/sh
# A full demo build of the release binary under valgrind: no leaks (definite
# or indirect) and no memory errors. Complements the ASan runs: valgrind
# sees the uninstrumented optimised binary residents actually run, and
# uninitialised reads that ASan does not look for.
# Usage: valgrind.sh [RELEASE_BINARY] (default build/noticeboard).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NB=${1:-$ROOT/build/noticeboard}
if ! command -v valgrind >/dev/null 2>&1 || [ ! -x "$NB" ]; then
	echo "valgrind: 0 passed, 0 failed, 1 skipped"; exit 0
fi
TMP=$(mktemp -d /tmp/nb-valgrind.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/site"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$TMP/site/"
[ -d "$ROOT/static" ] && cp -r "$ROOT/static" "$TMP/site/"
# The release binary links jemalloc (Makefile): name it so valgrind
# replaces its malloc with its own and still tracks every block.
valgrind --quiet --leak-check=full --soname-synonyms='somalloc=*jemalloc*' --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=1 --log-file="$TMP/vg.log" \
	"$NB" -s "$TMP/site" -q build --as-of 2026-11-25 >"$TMP/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$TMP/vg.log" ] && [ -f "$TMP/site/public/index.html" ]; then
	echo "valgrind: 1 passed, 0 failed, 0 skipped"
else
	echo "  FAIL: valgrind demo build (exit $rc):" >&2
	head -n 40 "$TMP/vg.log" "$TMP/out" >&2
	echo "valgrind: 0 passed, 1 failed, 0 skipped"; exit 1
fi
