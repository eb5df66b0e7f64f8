#!/bin/sh
# Install what noticeboard needs to build and test, when it is missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -e
PKGS="gcc make pkg-config git libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libgit2-dev libjansson-dev libmicrohttpd-dev libutf8proc-dev libqrencode-dev libjemalloc-dev zlib1g-dev libssl-dev libcurl4-openssl-dev libxml2-utils strace clang libclang-rt-dev valgrind python3"
# The output tests parse feeds, calendars and the JSON export with npm
# packages (tests/package.json). A nodejs that ships its own npm needs no npm.
PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# The browser tests (tests/browser/run.sh) also need these; `make run` does not.
# zbar-tools and poppler-utils read the printed notice back: its QR code
# decoded from a rendering of the PDF, its page numbers from its text.
BROWSER_PKGS="chromium fonts-noto-cjk zbar-tools poppler-utils"
[ -n "$NB_BROWSER" ] && PKGS="$PKGS $BROWSER_PKGS"
[ -n "$NB_EXTRA_PKGS" ] && PKGS="$PKGS $NB_EXTRA_PKGS"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "noticeboard: installing missing packages:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "run as root:  apt-get install -y$missing" >&2
	exit 1
fi
