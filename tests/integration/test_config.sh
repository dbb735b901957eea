#!/bin/bash
# mandated -t: a good configuration passes with warnings for units that
# have no officer; each kind of bad configuration is named as FILE:LINE and
# exits 78 (EX_CONFIG); an invalid rules file is reported FILE:LINE:COLUMN.
. "$(dirname "$0")/lib.sh"

expect_status "-t on the embedded defaults" 0 "$MANDATED" -t -c /dev/null
check "-t warns about units without officers" grep -q "unit ethics has no enrolled officer" "$T/out"

bad() { # description, expected message, file content
	printf '%s\n' "$3" >"$T/bad.conf"
	expect_status "$1 exits 78" 78 "$MANDATED" -t -c "$T/bad.conf"
	expect_eq "$1 message" "$T/bad.conf:$2" "$(cat "$T/err")"
}
bad "unknown section" "3: unknown section [nonsense]" $'[daemon]\n[nonsense]\nkey = 1'
bad "unknown key" "2: unknown key 'colour' in section [daemon]" $'[daemon]\ncolour = red'
bad "bad number" "3: max_connections: expected 1..65536, not 'many'" $'; comment\n[daemon]\nmax_connections = many'
bad "bad token hash" "2: token of 'alice': expected the 64-hex-digit BLAKE2b-256 hash of the token (mandated --hash-token)" $'[tokens]\nalice = 1234'
bad "bad unit id" "2: invalid unit id 'Bad Unit' (lower-case letters, digits and '-', at most 32)" $'[unit.Bad Unit]\nname = x'
bad "syntax" "2: syntax error" $'[daemon]\nthis line has no equals sign'

expect_status "missing file exits 78" 78 "$MANDATED" -t -c "$T/nonexistent.conf"
check "missing file is named" grep -q "nonexistent.conf: cannot open" "$T/err"

printf 'rule broken\n  when nonsense\n' >"$T/bad.rules"
printf '[daemon]\nrules = %s\n' "$T/bad.rules" >"$T/rules.conf"
expect_status "bad rules exit 78" 78 "$MANDATED" -t -c "$T/rules.conf"
check "bad rules named FILE:LINE:COLUMN" grep -Eq "^$T/bad.rules:[0-9]+:[0-9]+: " "$T/err"
finish
