#!/bin/sh
# Browser tests, part of `make test`: the demo site served by
# `noticeboard serve` and driven in headless Chromium (Debian's `chromium`)
# through playwright-core, with axe-core for WCAG 2.2 AA. Installs what is
# missing (the Debian packages through deps.sh, the npm packages from
# tests/package.json), then runs tests/browser/site.mjs, which prints
# "browser: N passed, N failed, N skipped". Screenshots and a PDF of a
# meeting go to build/screenshots/ for review.
NB="$1"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case "$NB" in /*) ;; *) NB="$(pwd)/$NB" ;; esac
cd "$ROOT" || exit 1

if ! sh tests/browser/setup.sh; then
	echo "browser: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

TMP=$(mktemp -d /tmp/nb-browser.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/site" build/screenshots
cp -r site.yaml content "$TMP/site/"
[ -d themes ] && cp -r themes "$TMP/site/"
[ -d static ] && cp -r static "$TMP/site/"
NB="$NB" SITE="$TMP/site" SHOTS="$ROOT/build/screenshots" PROFILE="$TMP/profile" \
	NODE_PATH="$ROOT/tests/node_modules" node tests/browser/site.mjs
