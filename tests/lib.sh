# Shared helpers for the end-to-end suites (sourced, not run).
# A suite calls ok/fail per assertion and `finish NAME` at the end, which
# prints "NAME: N passed, N failed" and exits non-zero on any failure.
PASSED=0
FAILED=0
SKIPPED=0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d /tmp/nb-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
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
