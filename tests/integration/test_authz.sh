#!/bin/bash
# The authorization matrix: every role x every endpoint of the route table x
# own case / another unit's case / no such case, each answer compared with
# ONE table of expectations written from DESIGN.md ("Who sees what") and the
# README's API reference, not from running the daemon.  A case hidden from
# the caller must answer exactly like an unknown id (same status, same
# body), so that existence does not leak.
. "$(dirname "$0")/lib.sh"

# --- Who --------------------------------------------------------------------
# Roles, each a way of calling:
#   anon      TCP without a token          badtoken  TCP with a wrong token
#   staff     a plain user (no role)       alice     a submitter: her own
#             case A's receipt is "ra", another submitter's (bob's
#             anonymous case B) is "rb"
#   eth1 omb1 ig1 ola1   an officer of ethics, ombudsperson,
#             inspector-general, legal
#   eth2      an ethics officer who recused from the cases of their set
#   auditor   admin   (token users named in [roles])
#   local     the Unix socket's peer (the daemon's own uid: administrator)
ROLES="anon badtoken staff alice eth1 eth2 omb1 ig1 ola1 auditor admin local"
declare -A UNIT=([eth1]=ethics [eth2]=ethics [omb1]=ombudsperson
	[ig1]=inspector-general [ola1]=legal)
declare -A NEWCOMER=([ethics]=eth3 [ombudsperson]=omb2
	[inspector-general]=ig2 [legal]=ola2)
declare -A GROUP=([officers]="eth1 eth2 omb1 ig1 ola1" [admins]="admin local")

# --- What is expected: the one table ------------------------------------------
# role, method, path template, kind, expected "STATUS[ CODE]"; the first row
# that matches decides.  A column is *, or a comma-separated list of globs
# (@name: a group of roles).  Kinds of a case endpoint: eth, omb, oig, ola
# (a case of that unit), subj (a case whose subject is in ethics, sent to
# inspector-general by the recusal rule), rcpt (alice's case A, ethics),
# nocase (a well-formed unknown id), badid (a malformed one); for officers
# each also matches "own" (their unit's case), "other" (another unit's) or
# "recused" (eth2 on their set's ethics cases).  Kinds of a receipt endpoint:
# ra, rb (valid receipts), rforeign (a valid receipt with a consent request
# or attachment of the other receipt's case), rwrong, rnone.  Of a backup
# job: bown (started by the caller), bother (by another administrator),
# bunknown.  Others: -.
read -r -d '' EXPECT <<'EOF' || true
anon,badtoken   *           *                                          *                 401 unauthenticated
# Anyone identified: submit, dry-run routing, units, health, own cases.
*               GET         /v1/health                                 -                 200
*               GET         /v1/units                                  -                 200
*               POST        /v1/route                                  -                 200
*               GET         /v1/cases                                  -                 200
*               POST        /v1/cases                                  -                 201
# Receipts: the receipt is the credential, whoever presents it.
*               *           /v1/receipt*                               rwrong,rnone      401 bad_receipt
*               POST        /v1/receipt/consents                       rforeign          404 not_found
*               PUT         /v1/receipt/attachments/{aid}/chunks/{n}   rforeign          404 not_found
*               GET         /v1/receipt                                ra,rb             200
*               POST        /v1/receipt/messages                       ra,rb             201
*               POST        /v1/receipt/consents                       ra,rb             200
*               POST        /v1/receipt/attachments                    ra,rb             201
*               PUT         /v1/receipt/attachments/{aid}/chunks/{n}   ra,rb             200
# Metadata: officers holding a copy; auditors, except units seen as counts
# (the Ombudsperson); nobody else, not even the submitter by case id.
@officers       GET         /v1/cases/{id}                             own               200
auditor         GET         /v1/cases/{id}                             eth,oig,ola,subj,rcpt 200
*               GET         /v1/cases/{id}                             *                 404 bad_case_id
# Content and attachments: officers holding a copy, nobody else.
@officers       GET         /v1/cases/{id}/content                     own               200
@officers       GET         /v1/cases/{id}/content                     *                 404 bad_case_id
*               GET         /v1/cases/{id}/content                     *                 403 forbidden
@officers       GET         /v1/cases/{id}/attachments/{aid}/chunks/{n} own              200
@officers       GET         /v1/cases/{id}/attachments/{aid}/chunks/{n} *                404 not_found
*               GET         /v1/cases/{id}/attachments/{aid}/chunks/{n} *                403 forbidden
# Legal hold: officers of legal and administrators, on any case.
ola1,@admins    POST,DELETE /v1/cases/{id}/hold                        nocase,badid      404 bad_case_id
ola1,@admins    POST,DELETE /v1/cases/{id}/hold                        *                 200
*               POST,DELETE /v1/cases/{id}/hold                        *                 403 forbidden
# Officers' work on a case: holders of a copy only.  Out of the
# Ombudsperson a referral needs the submitter's consent first.
@officers       POST        /v1/cases/{id}/transition                  own               200
@officers       POST        /v1/cases/{id}/assign                      own               200
@officers       POST        /v1/cases/{id}/notes                       own               201
@officers       POST        /v1/cases/{id}/messages                    own               201
omb1            POST        /v1/cases/{id}/refer                       own               409 conflict
@officers       POST        /v1/cases/{id}/refer                       own               200
@officers       POST        /v1/cases/{id}/recuse                      own               200
@officers       POST        /v1/cases/{id}/*                           *                 404 bad_case_id
*               POST        /v1/cases/{id}/*                           *                 403 forbidden
# Granting a newcomer of one's unit the cases one holds.
@officers       POST        /v1/officers/grant                         own               200
@officers       POST        /v1/officers/grant                         *                 422 bad_field
eth1,eth2       GET         /v1/officers/grant?unit=ethics&user=eth3   -                 200
@officers       GET         /v1/officers/grant?user={newcomer}         -                 200
@officers       GET         /v1/officers/grant*                        -                 403 forbidden
# Queues: officers, of their own units.
@officers       GET         /v1/queue                                  -                 200
eth1,eth2       GET         /v1/queue?unit=ethics                      -                 200
@officers       GET         /v1/queue?unit=ethics                      -                 403 forbidden
# Whom a referral seals to: officers and administrators.
@officers,@admins GET       /v1/units/{unit}/officers                  -                 200
# Administrators: officers, conflicts, metrics, backups (each collects
# their own: another's job answers like an unknown one).
@admins         POST        /v1/backup                                 -                 202
@admins         GET         /v1/backup/{id}                            bown              200
@admins         GET         /v1/backup/{id}                            bother,bunknown   404 not_found
@admins         POST        /v1/officers                               -                 201
@admins         GET         /v1/officers                               -                 200
@admins         DELETE      /v1/officers?unit=inspector-general&user=enrol-{role} -    200
@admins         POST        /v1/conflicts                              -                 201
@admins         GET         /v1/conflicts                              -                 200
@admins         GET         /metrics                                   -                 200
# Auditors: the log and metadata; the signing key also to administrators.
auditor,@admins GET         /v1/audit/key                              -                 200
auditor         GET         /v1/audit/export                           -                 200
auditor         GET         /v1/audit/cases                            -                 200
auditor         GET         /v1/stats                                  -                 200
# Everything else is refused by role.
*               *           *                                          *                 403 forbidden
EOF

# The cells: every endpoint of the route table, in this order (writes that
# succeed come after the reads of the same case; a case of each kind is
# drawn afresh per role and per class: "plain", "refer", "recuse").
read -r -d '' ENDPOINTS <<'EOF' || true
GET    /v1/health                                    -
GET    /v1/units                                     -
POST   /v1/route                                     -
GET    /v1/cases                                     -
POST   /v1/cases                                     -
GET    /v1/receipt                                   receipt
POST   /v1/receipt/messages                          receipt
POST   /v1/receipt/consents                          receipt+
POST   /v1/receipt/attachments                       receipt
PUT    /v1/receipt/attachments/{aid}/chunks/{n}      receipt+
GET    /v1/cases/{id}                                case+
GET    /v1/cases/{id}/content                        case+
GET    /v1/cases/{id}/attachments/{aid}/chunks/{n}   case
POST   /v1/cases/{id}/transition                     case
POST   /v1/cases/{id}/assign                         case
POST   /v1/cases/{id}/notes                          case
POST   /v1/cases/{id}/messages                       case
POST   /v1/cases/{id}/hold                           case
DELETE /v1/cases/{id}/hold                           case
POST   /v1/officers/grant                            case
POST   /v1/cases/{id}/refer                          case
POST   /v1/cases/{id}/recuse                         case
GET    /v1/officers/grant?user={newcomer}            -
GET    /v1/officers/grant?unit=ethics&user=eth3      -
GET    /v1/queue                                     -
GET    /v1/queue?unit=ethics                         -
GET    /v1/units/{unit}/officers                     -
POST   /v1/officers                                  -
GET    /v1/officers                                  -
DELETE /v1/officers?unit=inspector-general&user=enrol-{role} -
POST   /v1/conflicts                                 -
GET    /v1/conflicts                                 -
GET    /v1/audit/key                                 -
GET    /v1/audit/export                              -
GET    /v1/audit/cases                               -
GET    /v1/stats                                     -
GET    /metrics                                      -
POST   /v1/backup                                    -
GET    /v1/backup/{id}                               backup
EOF
CASE_KINDS="eth omb oig ola subj nocase badid"
declare -A KIND_UNIT=([eth]=ethics [omb]=ombudsperson [oig]=inspector-general
	[ola]=legal [subj]=inspector-general [rcpt]=ethics)

# --- Every route of the daemon is in the matrix -------------------------------
SRC=${MANDATE_SOURCE_DIR:?the source tree, for its route table}/daemon
declare -A SERVED=()
cat "$SRC"/route-*.c | tr '\n\t' '  ' | sed 's/const struct route /\n&/g' >"$T/route-defs"
for name in $(sed -n 's/^[[:space:]]*&\(route_[a-z_0-9]*\),$/\1/p' "$SRC/routes.c"); do
	def=$(sed -nE "s/^const struct route $name = *\{ *HTTP_([A-Z]+), *\"([^\"]*)\".*/\1 \2/p" "$T/route-defs")
	[ -n "$def" ] || { fail "route $name: no definition found"; continue; }
	SERVED[$def]=1
done
declare -A LISTED=()
while read -r m p _; do LISTED["$m ${p%%\?*}"]=1; done <<<"$ENDPOINTS"
CHECKS=$((CHECKS + 1))
for r in "${!SERVED[@]}"; do
	[ -n "${LISTED[$r]:-}" ] || fail "route $r is not in the matrix: add it"
done
echo "authz: ${#SERVED[@]} routes in the route table"

# --- Helpers --------------------------------------------------------------
b64() { head -c "$1" /dev/urandom | base64 -w0; }
# hexid: sets HEX to a fresh id of 32 hex digits (without a fork).
NHEX=0
hexid() {
	NHEX=$((NHEX + 1))
	printf -v HEX '%08x%08x%08x%08x' $((RANDOM << 15 | RANDOM)) $((RANDOM << 15 | RANDOM)) $$ $NHEX
}
# Ciphertexts the daemon stores without reading: any bytes of the right size.
B24=$(b64 24) B27=$(b64 27) B32=$(b64 32) B48=$(b64 48) B64=$(b64 64) B80=$(b64 80)
mkdir -p "$T/rc"

declare -A TOKEN=()
# call ROLE METHOD PATH [BODY] [RECEIPT]: one request; the status in
# $T/status and STATUS, the body in $T/body and BODY.
call() {
	local role=$1 method=$2 path=$3 body=${4:-} rcpt=${5:-} base=$URL
	local args=(-s -o "$T/body" -w '%{http_code}' -X "$method")
	[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
	[ -z "$rcpt" ] || args+=(-H "X-Mandate-Receipt: $rcpt")
	case $role in
	local) args+=(--unix-socket "$SOCK"); base=http://localhost ;;
	anon) ;;
	badtoken) args+=(-H "Authorization: Bearer 0123456789abcdef0123456789abcdef") ;;
	*)
		[ -n "${TOKEN[$role]:-}" ] || TOKEN[$role]=$(<"$T/token-$role")
		args+=(-H "Authorization: Bearer ${TOKEN[$role]}") ;;
	esac
	: >"$T/body"
	STATUS=$(curl "${args[@]}" "$base$path") || true
	printf '%s' "$STATUS" >"$T/status"
	BODY=
	IFS= read -r -d '' BODY <"$T/body" || true
	BODY=${BODY%$'\n'}
}

# must DESCRIPTION STATUS ROLE METHOD PATH [BODY] [RECEIPT]: a set-up step.
must() {
	local desc=$1 want=$2
	shift 2
	call "$@"
	[ "$STATUS" = "$want" ] ||
		{ echo "set-up failed: $desc: $STATUS $BODY" >&2; exit 1; }
}

# newreceipt: a receipt's derived parts drawn here, as the client does
# (lookup, verifier = BLAKE2b-256 of the authenticator, public key); sets
# RJSON (for the submission) and RHDR (the X-Mandate-Receipt value).
newreceipt() {
	head -c 32 /dev/urandom >"$T/lookup"
	head -c 32 /dev/urandom >"$T/auth"
	local v
	v=$(b2sum -l 256 "$T/auth" | cut -c1-64 | xxd -r -p | base64 -w0)
	RJSON="{\"lookup\":\"$(base64 -w0 "$T/lookup")\",\"verifier\":\"$v\",\"public_key\":\"$B32\"}"
	RHDR="$(base64 -w0 "$T/lookup").$(base64 -w0 "$T/auth")"
}

# submit ROLE KIND [ANON]: a case of that kind submitted by ROLE with a
# receipt drawn here; sets NEWID, and keeps the receipt in $T/rc/NEWID.
submit() {
	local cat subj=null title narrative
	case $2 in
	eth | rcpt) cat=misconduct title="Shouting at meetings" narrative="A manager shouts at the team in every meeting." ;;
	omb) cat=workplace-dispute title="Desk dispute" narrative="Two colleagues disagree about sharing a desk." ;;
	oig) cat=fraud title="Fuel invoices" narrative="Fuel invoices were inflated for trips never made." ;;
	ola) cat=data-protection title="Beneficiary list" narrative="A list of beneficiaries was sent to an outside address." ;;
	subj) cat=misconduct subj='"ethics"' title="An ethics officer" narrative="An officer of the ethics office shouts at the team." ;;
	esac
	newreceipt
	must "submit $2 as $1" 201 "$1" POST /v1/cases \
		"{\"title\":\"$title\",\"narrative\":\"$narrative\",\"category\":\"$cat\",\"subject_office\":$subj,\"anonymous\":${3:-false},\"receipt\":$RJSON}"
	[[ "$BODY" =~ \"id\":\"([A-Z0-9-]+)\" ]] && NEWID=${BASH_REMATCH[1]}
	printf '%s' "$RHDR" >"$T/rc/$NEWID"
	[[ "$BODY" == *"\"unit\":\"${KIND_UNIT[$2]}\""* ]] ||
		{ echo "set-up failed: a $2 case went elsewhere: $BODY" >&2; exit 1; }
}

# case_for ROLE KIND CLASS: sets CID to the case of that kind in ROLE's set
# (drawn at first use); eth2 recuses from each ethics case of their set.
# Roles that can change no case share one set; only officers refer and
# recuse, so only they need a case per class.
declare -A CASES=()
case_for() {
	local key="$1/$2/$3"
	case $1 in
	anon | badtoken | staff | alice | auditor) key="common/$2" ;;
	admin | local) key="$1/$2" ;;
	esac
	case $2 in
	nocase) CID=$NOCASE; return ;;
	badid) CID=not-a-case; return ;;
	rcpt) CID=$CASE_A; return ;;
	esac
	if [ -z "${CASES[$key]:-}" ]; then
		submit local "$2"
		CASES[$key]=$NEWID
		if [ "$1" = eth2 ] && [ "${KIND_UNIT[$2]}" = ethics ]; then
			must "eth2 recuses from $NEWID" 200 eth2 POST "/v1/cases/$NEWID/recuse" '{}'
		fi
	fi
	CID=${CASES[$key]}
}

# attachment_of CASE: sets AID to a complete attachment of the case, sent
# with its receipt (drawn at first use).
declare -A ATTACH=()
attachment_of() {
	if [ -z "${ATTACH[$1]:-}" ]; then
		hexid
		AID=$HEX
		must "attachment of $1" 201 local POST /v1/receipt/attachments \
			"{\"id\":\"$AID\",\"size\":10,\"header\":\"$B24\",\"meta\":\"$B48\"}" "$(<"$T/rc/$1")"
		must "chunk of $1" 200 local PUT "/v1/receipt/attachments/$AID/chunks/0" \
			"{\"data\":\"$B27\",\"final\":true}" "$(<"$T/rc/$1")"
		ATTACH[$1]=$AID
	fi
	AID=${ATTACH[$1]}
}

# refer_body CASE-UNIT: a referral to legal (ethics for a legal case) with a
# sealed copy for each officer of the target, as listed now.
refer_body() {
	local to=legal
	[ "$1" != legal ] || to=ethics
	must "officers of $to" 200 local GET "/v1/units/$to/officers"
	jq -c --arg to "$to" --arg s "$B80" \
		'{to: $to, keep: false, keys: [.officers[] | {user: .user, sealed: $s}]}' "$T/body"
}

# One backup runs at a time: backup_drain waits for the last job started
# and collects it; backup_job ROLE KIND sets JOB to a job id of that kind.
LASTJOB= LASTBY=
backup_drain() {
	[ -n "$LASTJOB" ] || return 0
	for _ in $(seq 1 200); do
		call "$LASTBY" GET "/v1/backup/$LASTJOB"
		[ "$STATUS" = 202 ] || break
		sleep 0.05
	done
	LASTJOB=
}
backup_job() {
	local by=$1
	backup_drain
	hexid
	JOB=$HEX
	case $2 in
	bown) in_list "$1" @admins || return 0 ;;
	bother) by=local; [ "$1" != local ] || by=admin ;;
	bunknown) return 0 ;;
	esac
	must "a backup started by $by" 202 "$by" POST /v1/backup
	JOB=$(jq -r .id "$T/body")
	[ "$2" = bown ] || { LASTJOB=$JOB LASTBY=$by; }
}

# --- Set-up -----------------------------------------------------------------
for u in staff alice bob eth1 eth2 eth3 omb1 omb2 ig1 ig2 ola1 ola2 auditor admin; do token "$u"; done
EXTRA_CONF=$'[daemon]\nsubmit_limit = 100000\nreceipt_failures = 1000'
start_daemon
for o in eth1:ethics eth2:ethics eth3:ethics omb1:ombudsperson omb2:ombudsperson \
	ig1:inspector-general ig2:inspector-general ola1:legal ola2:legal; do
	must "enrol $o" 201 local POST /v1/officers \
		"{\"unit\":\"${o#*:}\",\"user\":\"${o%%:*}\",\"public_key\":\"$(b64 32)\"}"
done
submit alice rcpt
CASE_A=$NEWID RA=$RHDR
submit bob eth true
CASE_B=$NEWID RB=$RHDR
while :; do # a well-formed id that is no case
	NOCASE=$(tr -dc '23456789ABCDEFGHJKMNPQRSTVWXYZ' </dev/urandom | head -c 8 | sed 's/./&-/4')
	[ "$(sqlite3 "$STATE/mandate.db" "select count(*) from cases where id = '$NOCASE'")" = 0 ] && break
done
echo "authz: case A $CASE_A (alice), case B $CASE_B (bob, anonymous), unknown id $NOCASE"

# --- Matching ---------------------------------------------------------------
# in_list VALUE LIST: VALUE matches one of the comma-separated globs.
in_list() {
	local item g
	[ "$2" = "*" ] && return 0
	for item in ${2//,/ }; do
		if [ "${item#@}" != "$item" ]; then
			for g in ${GROUP[${item#@}]}; do [ "$1" = "$g" ] && return 0; done
		elif [[ "$1" == $item ]]; then
			return 0
		fi
	done
	return 1
}

# tag ROLE KIND: sets TAG to own, other or recused for an officer and a
# case kind (to KIND otherwise).
tag() {
	local u=${UNIT[$1]:-} k=${KIND_UNIT[$2]:-}
	if [ -z "$u" ] || [ -z "$k" ]; then TAG=$2
	elif [ "$u" != "$k" ]; then TAG=other
	elif [ "$1" = eth2 ] && [ "$2" != rcpt ]; then TAG=recused
	else TAG=own; fi
}

# expected ROLE METHOD TEMPLATE KIND: sets WANT from the first row of the
# table that matches.
R_ROLE=() R_METHOD=() R_PATH=() R_KIND=() R_WANT=()
while read -r r m p k w; do
	case $r in '#'* | '') continue ;; esac
	R_ROLE+=("$r") R_METHOD+=("$m") R_PATH+=("$p") R_KIND+=("$k") R_WANT+=("$w")
done <<<"$EXPECT"
expected() {
	local i
	tag "$1" "$4"
	for i in "${!R_ROLE[@]}"; do
		in_list "$1" "${R_ROLE[$i]}" && in_list "$2" "${R_METHOD[$i]}" &&
			in_list "$3" "${R_PATH[$i]}" &&
			{ in_list "$4" "${R_KIND[$i]}" || in_list "$TAG" "${R_KIND[$i]}"; } &&
			{ WANT=${R_WANT[$i]}; return; }
	done
	WANT="no row"
}

# --- The cells --------------------------------------------------------------
# prepare ROLE METHOD TEMPLATE KIND: sets PATH_, BODY_ and RCPT_ for a cell.
prepare() {
	local role=$1 method=$2 tmpl=$3 kind=$4 class=plain unit
	PATH_=$tmpl BODY_= RCPT_=
	case $tmpl in */refer) class=refer ;; */recuse) class=recuse ;; esac
	case $kind in
	eth | omb | oig | ola | subj | nocase | badid | rcpt)
		case_for "$role" "$kind" "$class"
		PATH_=${PATH_//\{id\}/$CID}
		unit=${KIND_UNIT[$kind]:-ethics} ;;
	b*) backup_job "$role" "$kind"
		PATH_=${PATH_//\{id\}/$JOB} ;;
	esac
	case $kind in
	ra | rforeign) RCPT_=$RA ;;
	rb) RCPT_=$RB ;;
	rwrong) RCPT_="$B32.$B32" ;;
	esac
	local newcomer=${NEWCOMER[${UNIT[$role]:-ethics}]}
	PATH_=${PATH_//\{newcomer\}/$newcomer}
	PATH_=${PATH_//\{role\}/$role}
	PATH_=${PATH_//\{unit\}/ethics}
	PATH_=${PATH_//\{n\}/0}
	case "$method $tmpl" in
	"POST /v1/backup") backup_drain ;;
	"POST /v1/cases" | "POST /v1/route")
		BODY_='{"title":"Shouting","narrative":"A manager shouts at the team.","category":"misconduct"}' ;;
	"POST /v1/receipt/messages" | "POST /v1/cases/{id}/messages")
		hexid
		BODY_="{\"id\":\"$HEX\",\"kind\":\"message\",\"body\":\"$B64\"}" ;;
	"POST /v1/receipt/consents")
		# A fresh consent request by an officer on the receipt's case (on
		# the other receipt's case for rforeign).
		local on=$CASE_A req
		case $kind in rb | rforeign) on=$CASE_B ;; esac
		hexid
		req=$HEX
		must "consent request on $on" 201 eth1 POST "/v1/cases/$on/messages" \
			"{\"id\":\"$req\",\"kind\":\"consent-request\",\"body\":\"$B64\",\"purpose\":\"reveal-identity\"}"
		BODY_="{\"request\":\"$req\",\"answer\":\"yes\"}" ;;
	"POST /v1/receipt/attachments")
		hexid
		BODY_="{\"id\":\"$HEX\",\"size\":10,\"header\":\"$B24\",\"meta\":\"$B48\"}" ;;
	"PUT /v1/receipt/attachments/{aid}/chunks/{n}")
		# A fresh declaration on the receipt's case (the other's for
		# rforeign), then its one chunk.
		local on=$RA aid
		case $kind in rb | rforeign) on=$RB ;; esac
		hexid
		aid=$HEX
		must "attachment declared" 201 local POST /v1/receipt/attachments \
			"{\"id\":\"$aid\",\"size\":10,\"header\":\"$B24\",\"meta\":\"$B48\"}" "$on"
		PATH_=${PATH_//\{aid\}/$aid}
		BODY_="{\"data\":\"$B27\",\"final\":true}" ;;
	"GET /v1/cases/{id}/attachments/{aid}/chunks/{n}")
		if [ -f "$T/rc/$CID" ]; then attachment_of "$CID"; else hexid; AID=$HEX; fi
		PATH_=${PATH_//\{aid\}/$AID} ;;
	"POST /v1/cases/{id}/transition")
		if [ "$unit" = ombudsperson ]; then BODY_='{"to":"in-conversation"}'; else BODY_='{"to":"acknowledged"}'; fi ;;
	"POST /v1/cases/{id}/assign" | "POST /v1/cases/{id}/recuse") BODY_='{}' ;;
	"POST /v1/cases/{id}/notes")
		hexid
		BODY_="{\"id\":\"$HEX\",\"body\":\"$B64\"}" ;;
	"POST /v1/cases/{id}/refer") BODY_=$(refer_body "$unit") ;;
	"POST /v1/officers/grant")
		BODY_="{\"user\":\"$newcomer\",\"keys\":[{\"case\":\"$CID\",\"sealed\":\"$B80\"}]}" ;;
	"POST /v1/officers")
		BODY_="{\"unit\":\"inspector-general\",\"user\":\"enrol-$role\",\"public_key\":\"$B32\"}" ;;
	"POST /v1/conflicts")
		BODY_="{\"unit\":\"legal\",\"user\":\"ola2\",\"name\":\"Unrelated Person $role\"}" ;;
	esac
}

set -f # the table's globs match requests, never file names
NCELLS=0 NMIS=0 NLEAK=0
declare -A REFUSAL=()
while read -r method tmpl kinds; do
	if [ -z "${SERVED["$method ${tmpl%%\?*}"]:-}" ]; then
		echo "authz: $method $tmpl is not served by this build: skipped"
		continue
	fi
	case $kinds in
	backup) klist="bown bother bunknown" ;;
	case) klist=$CASE_KINDS ;;
	case+) klist="$CASE_KINDS rcpt" ;;
	receipt) klist="ra rb rwrong rnone" ;;
	receipt+) klist="ra rb rforeign rwrong rnone" ;;
	*) klist=- ;;
	esac
	for role in $ROLES; do
		for kind in $klist; do
			expected "$role" "$method" "$tmpl" "$kind"
			want=$WANT
			prepare "$role" "$method" "$tmpl" "$kind"
			call "$role" "$method" "$PATH_" "$BODY_" "$RCPT_"
			# A backup of one's own is collected once it is made.
			for ((i = 0; i < 200; i++)); do
				[ "$kind" = bown ] && [ "$STATUS" = 202 ] || break
				sleep 0.05
				call "$role" "$method" "$PATH_"
			done
			status=$STATUS code=
			if [ "$method $tmpl" = "POST /v1/backup" ] && [ "$status" = 202 ]; then
				LASTJOB=$(jq -r .id "$T/body") LASTBY=$role
			fi
			[[ "$BODY" =~ ^\{\"error\":\{\"code\":\"([a-z_]+)\" ]] && code=${BASH_REMATCH[1]}
			got=$status
			[ "${want#* }" = "$want" ] || got="$status $code"
			NCELLS=$((NCELLS + 1))
			if [ "$got" != "$want" ]; then
				NMIS=$((NMIS + 1))
				echo "MISMATCH: $role $method $tmpl [$kind]: expected $want, got $status ${BODY:0:300}" >&2
			fi
			# Hidden and unknown must look the same: of one role and
			# endpoint, every refusal about a case that is not the
			# caller's own has one status and one body.
			tag "$role" "$kind"
			if [[ "$kinds" == case* && "$status" == 4* && "$TAG" != own ]]; then
				b="$status $BODY"
				k="$role $method $tmpl"
				NLEAK=$((NLEAK + 1))
				if [ -z "${REFUSAL[$k]:-}" ]; then
					REFUSAL[$k]="$kind|$b"
				elif [ "${REFUSAL[$k]#*|}" != "$b" ]; then
					NMIS=$((NMIS + 1))
					echo "LEAK: $role $method $tmpl: [$kind] answers $b, [${REFUSAL[$k]%%|*}] answers ${REFUSAL[$k]#*|}" >&2
				fi
			fi
		done
	done
done <<<"$ENDPOINTS"

set +f

# A case of another unit and an unknown id, side by side, in one place.
for role in eth1 omb1 ig1 ola1; do
	for ep in "" /content; do
		case_for "$role" omb plain
		[ "$role" != omb1 ] || case_for "$role" eth plain
		call "$role" GET "/v1/cases/$CID$ep"
		hidden="$STATUS $BODY"
		call "$role" GET "/v1/cases/$NOCASE$ep"
		unknown="$STATUS $BODY"
		NCELLS=$((NCELLS + 1))
		if [ "$hidden" != "$unknown" ] || [ "${hidden%% *}" != 404 ]; then
			NMIS=$((NMIS + 1))
			echo "LEAK: $role GET /v1/cases/{id}$ep: another unit's case [$hidden], unknown id [$unknown]" >&2
		fi
	done
done
echo "another unit's case and an unknown id, as eth1 sees them: $hidden | $unknown"

echo "authz: $NLEAK refusals about cases compared for leaks"
echo "authz: $NCELLS cells checked, $NMIS mismatches"
echo "authz: ${SECONDS}s"
CHECKS=$((CHECKS + 1))
[ "$NMIS" -eq 0 ] || fail "$NMIS cells of the authorization matrix do not match (listed above)"
finish
