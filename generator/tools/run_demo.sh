#!/bin/sh
# `make run`: build the demo site into public/ and record it as a publication
# in the audit repository (audit.git), then say how to look at it.
set -e
NB="$1"
"$NB" -v build
# Publishing records nothing when nothing changed since the last run.
"$NB" -v publish -m "make run: demo site"
echo
echo "The demo site is in $(pwd)/public/ and its publication record in $(pwd)/audit.git."
echo "To browse it (with live reload while you edit content/):"
echo "  $NB serve        then open http://127.0.0.1:1313/"
echo "Publication history:  $NB log"
