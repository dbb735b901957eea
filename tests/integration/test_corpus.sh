#!/bin/bash
# The worked routing examples: every case of the visible corpus, its
# answers stripped, routed offline by `mandated --route` with the embedded
# default rules, must reach its expected unit.
. "$(dirname "$0")/lib.sh"

corpus=${MANDATE_SHARED_DIR:-$MANDATE_SOURCE_DIR/../shared}/corpus/routing-visible.jsonl
if [ ! -f "$corpus" ]; then
	echo "skipped: no worked examples at $corpus"
	exit 77
fi

jq -c 'del(.expect, .why)' "$corpus" >"$T/input"
jq -r '"\(.id) \(.expect)"' "$corpus" >"$T/expected"
check "mandated --route exits 0" sh -c "'$MANDATED' --route <'$T/input' >'$T/decisions'"
jq -r '"\(.id) \(.unit)"' "$T/decisions" >"$T/got"
total=$(wc -l <"$T/expected")
while read -r id want; do
	got=$(awk -v id="$id" '$1 == id {print $2}' "$T/got")
	expect_eq "case $id ($(jq -r --arg id "$id" 'select(.id == $id) | .rule' "$T/decisions"))" "$want" "$got"
done <"$T/expected"
echo "corpus: $total cases, $FAILS misrouted"
finish
