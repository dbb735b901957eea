#!/bin/sh
# Lints built man pages with mandoc.  Fails on any warning except the
# redundant paragraph macros that scdoc itself emits after headings.
# usage: manlint.sh MANDOC PAGE...
set -u
mandoc=$1
shift
status=0
for page in "$@"; do
	out=$("$mandoc" -Tlint -Wwarning "$page" 2>&1)
	rc=$?
	left=$(printf '%s\n' "$out" |
	    grep -v 'skipping paragraph macro: PP \(empty\|after S[HS]\)' |
	    grep -v '^$')
	if [ "$rc" -gt 2 ] || [ -n "$left" ]; then
		printf '%s\n' "$left" >&2
		echo "manlint: $page: FAIL (mandoc exit $rc)" >&2
		status=1
	else
		echo "manlint: $page: ok"
	fi
done
exit $status
