#!/bin/sh
# `make run`: build the demo site into public/ and record it as a publication
# in the audit repository (audit.git), then say how to look at it.
set -e
NB="$1"
"$NB" -v build
# Publishing records nothing when nothing changed since the last run. A
# publication names its publisher; a fresh machine may have no git identity.
if [ -z "$NB_PUBLISHER$GIT_AUTHOR_NAME" ] && ! git config user.name >/dev/null 2>&1; then
	export NB_PUBLISHER="Demo secretary <demo@example.org>"
fi
"$NB" -v publish -m "make run: demo site"
echo
echo "The demo site is in $(pwd)/public/ and its publication record in $(pwd)/audit.git."
echo "To browse it (with live reload while you edit content/):"
echo "  $NB serve        then open http://127.0.0.1:1313/"
echo "Publication history:  $NB log"
