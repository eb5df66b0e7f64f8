#!/bin/sh
# Install what the browser tests need when it is missing: Debian's chromium
# and CJK fonts (through deps.sh) and the npm packages pinned in
# tests/package-lock.json. Run by tests/run_all.sh before any suite, so
# every suite that drives a browser (browser/run.sh, the XSS corpus in
# e2e_hostile.sh) finds it in place on a fresh machine.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
if ! NB_BROWSER=1 sh generator/tools/deps.sh >&2; then
	echo "browser setup: cannot install chromium and fonts-noto-cjk" >&2
	exit 1
fi
if [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/axe-core ]; then
	if ! (cd tests && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >&2; then
		echo "browser setup: cannot install the npm packages in tests/" >&2
		exit 1
	fi
fi
exit 0
