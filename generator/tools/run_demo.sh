#!/bin/sh
# `make run`: build the demo site (and publish it when publishing is available).
set -e
NB="$1"
"$NB" -v build
if "$NB" help publish >/dev/null 2>&1; then
	"$NB" -v publish -m "make run: demo site" || true
fi
echo
echo "The demo site is in $(pwd)/public/ — open public/index.html through a web server,"
echo "for example:  python3 -m http.server -d public 8000   then http://127.0.0.1:8000/"
