#!/bin/sh
# Run unit-test binaries; each prints "suite: N passed, N failed, N skipped".
status=0
for t in "$@"; do
	"$t" || status=1
done
exit $status
