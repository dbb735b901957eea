#!/bin/bash
# The Debian package from end to end: cpack makes it; its control data is
# checked (and linted when lintian is installed); then it is installed,
# started as its systemd units would start it, stopped, reinstalled,
# removed and purged in a scratch root: a copy-on-write overlay of this
# system in a private mount namespace, so that nothing of the machine's
# own system changes.
#
#   tests/package/test_deb.sh BUILD_DIR
#
# BUILD_DIR is a configured build directory of this tree; cpack builds in
# it what is missing.  Needs root (mount namespace, overlayfs, chroot).
# Exit status: 0 passed, 1 failed, 77 cannot run here.
set -eu

FAILS=0
CHECKS=0

fail() {
	FAILS=$((FAILS + 1))
	echo "FAIL: $*" >&2
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	CHECKS=$((CHECKS + 1))
	desc=$1
	shift
	"$@" || fail "$desc"
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		echo "ok: $1: $3"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# ------------------------------------------------------------ scratch root
# Runs in a new mount and PID namespace (see the end of this file): the
# overlay, the chroot and every process started here go with it.

# in_root COMMAND...: COMMAND in the scratch root, as root, with a clean
# environment.
in_root() {
	chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 HOME=/root "$@"
}

# as_user USER COMMAND...: COMMAND in the scratch root as USER, with USER's
# groups, as systemd starts a unit's processes.
as_user() {
	u=$1
	shift
	in_root setpriv --reuid="$u" --regid="$u" --init-groups "$@"
}

# The paths in the overlay's upper layer that the host's root does not
# have: what the scratch root added to the system.
added_paths() {
	(cd "$T/layer/upper" && find . -mindepth 1 | sort) |
		while IFS= read -r p; do
			[ -e "/$p" ] || [ -L "/$p" ] || echo "${p#./}"
		done
}

unit_value() { # FILE KEY: the value of KEY= in a unit file
	sed -n "s/^$2=//p" "$1" | head -n 1
}

# Mounts the scratch root at $R: the host's / below, a tmpfs above.
make_root() {
	mount --make-rprivate /
	mkdir -p "$T/layer" "$R"
	mount -t tmpfs -o mode=0755 scratch "$T/layer"
	mkdir "$T/layer/upper" "$T/layer/work"
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$T/layer/upper,workdir=$T/layer/work" "$R"
	mount -t proc proc "$R/proc"
	mount --rbind /dev "$R/dev"
	# No /run/systemd/system: the maintainer scripts see no running
	# systemd, as in a chroot or a container.
	mount -t tmpfs -o mode=0755 run "$R/run"
	mount -t tmpfs -o mode=1777 tmp "$R/tmp"
}

# Starts the installed daemon as the units would: the socket made by
# "systemd" (systemd-socket-activate) with the .socket's path and mode,
# then ExecStartPre and ExecStart of the .service as an unprivileged user,
# with its StateDirectory= and RuntimeDirectory= made as systemd makes
# them for a DynamicUser=.
start_daemon() {
	svc=$R/usr/lib/systemd/system/mandated.service
	sock_unit=$R/usr/lib/systemd/system/mandated.socket
	user=$(unit_value "$svc" User)
	pre=$(unit_value "$svc" ExecStartPre)
	start=$(unit_value "$svc" ExecStart)
	SOCK=$(unit_value "$sock_unit" ListenStream)
	mode=$(unit_value "$sock_unit" SocketMode)
	state=$(unit_value "$svc" StateDirectory)
	echo "unit: User=$user ExecStartPre=$pre ExecStart=$start"
	echo "unit: ListenStream=$SOCK SocketMode=$mode StateDirectory=$state"
	# DynamicUser= makes a user with the unit's User= name at start.
	in_root useradd --system --no-create-home --home-dir / \
		--shell /usr/sbin/nologin "$user"
	in_root install -d -m 0700 /var/lib/private
	in_root install -d -m 0700 -o "$user" -g "$user" \
		"/var/lib/private/$state"
	in_root ln -s "private/$state" "/var/lib/$state"
	# systemd lets the service through the 0700 /var/lib/private in the
	# service's own mount namespace; 0711 stands in for that here, while
	# the daemon runs.
	chmod 0711 "$R/var/lib/private"
	in_root install -d -m 0755 -o "$user" -g "$user" \
		"/run/$(unit_value "$svc" RuntimeDirectory)"

	# shellcheck disable=SC2086
	as_user "$user" /bin/sh -c 'umask 077 && exec "$@"' sh $pre \
		>"$T/check.out" 2>&1 || fail "ExecStartPre ($pre) failed: $(cat "$T/check.out")"
	cat "$T/check.out"
	check "ExecStartPre reads the installed configuration" \
		grep -q "^/etc/mandate/mandated.conf: configuration ok" "$T/check.out"

	# systemd-socket-activate execs in place, and so do chroot, env,
	# setpriv and sh: DAEMON_PID is the daemon's pid.  It starts the
	# daemon at the first connection, as systemd does.  (Not through
	# in_root: a function in the background is a subshell of its own.)
	# shellcheck disable=SC2086
	chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 systemd-socket-activate -l "$SOCK" \
		setpriv --reuid="$user" --regid="$user" --init-groups \
		/bin/sh -c 'umask 077 && exec "$@"' sh $start \
		>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	for _ in $(seq 1 100); do
		[ -S "$R$SOCK" ] && break
		sleep 0.05
	done
	chmod "$mode" "$R$SOCK"
	for _ in $(seq 1 100); do
		as_user nobody mandate health >/dev/null 2>&1 && break
		sleep 0.1
	done
}

# health_of USER FIELD: a field of `mandate health --json` run as USER.
health_of() {
	as_user "$1" mandate health --json 2>&1 | jq -r ".$2" 2>/dev/null ||
		echo "(no answer)"
}

run_root() {
	R=$T/root
	make_root
	deb=$(basename "$DEB")
	cp "$DEB" "$R/tmp/$deb"
	added_paths >"$T/added-before"

	echo "== install"
	in_root dpkg -i "/tmp/$deb" >"$T/dpkg-install.log" 2>&1 ||
		fail "dpkg -i: $(cat "$T/dpkg-install.log")"
	expect_eq "status after install" "install ok installed" \
		"$(in_root dpkg-query -W -f='${Status}' mandate 2>&1)"
	for f in /usr/sbin/mandated /usr/bin/mandate; do
		check "$f is installed and executable" test -x "$R$f"
	done
	for f in /etc/mandate/mandated.conf /etc/mandate/default.rules \
		/usr/lib/systemd/system/mandated.service \
		/usr/lib/systemd/system/mandated.socket \
		/usr/lib/sysusers.d/mandated.conf; do
		check "$f is installed" test -f "$R$f"
	done
	for g in mandate-admins mandate-auditors; do
		line=$(in_root getent group "$g" || true)
		echo "group: $line"
		check "postinst made group $g" test -n "$line"
	done
	if [ -x "$R/usr/bin/deb-systemd-helper" ]; then
		for l in multi-user.target.wants/mandated.service \
			sockets.target.wants/mandated.socket; do
			t=$(in_root readlink -f "/etc/systemd/system/$l" || true)
			expect_eq "enabled: $l" "/usr/lib/systemd/system/${l#*/}" "$t"
		done
	fi
	if [ -x "$R/usr/bin/systemd-analyze" ]; then
		in_root systemd-analyze verify \
			/usr/lib/systemd/system/mandated.socket \
			/usr/lib/systemd/system/mandated.service \
			>"$T/verify.log" 2>&1 || fail "systemd-analyze verify: $(cat "$T/verify.log")"
		echo "systemd-analyze verify: $(wc -l <"$T/verify.log") line(s) of output"
		cat "$T/verify.log"
	fi

	echo "== start"
	for u in alice bob carol; do
		in_root useradd --no-create-home "$u"
	done
	in_root usermod -a -G mandate-admins bob
	in_root usermod -a -G mandate-auditors carol
	start_daemon
	expect_eq "socket mode" "srw-rw-rw-" \
		"$(stat -c %A "$R$SOCK" 2>&1)"
	expect_eq "health" "ok" "$(health_of alice status)"
	expect_eq "version of the daemon" "$VERSION" "$(health_of alice version)"
	expect_eq "a user in no group is" "staff" "$(health_of alice role)"
	expect_eq "a member of mandate-admins is" "administrator" \
		"$(health_of bob role)"
	expect_eq "a member of mandate-auditors is" "auditor" \
		"$(health_of carol role)"
	want=$(sed -n 's/^\[unit\.\(.*\)\]$/\1/p' "$R/etc/mandate/mandated.conf" |
		tr '\n' ' ')
	got=$(as_user bob mandate units --json 2>&1 |
		jq -r '.units[].id' 2>&1 | tr '\n' ' ')
	expect_eq "units served are those of the installed configuration" \
		"$want" "$got"
	st=$R/var/lib/private/mandated
	in_root ls -la /var/lib/mandated/
	n=$(find "$st" -mindepth 1 | wc -l)
	check "the daemon keeps state in the StateDirectory ($n files)" \
		test -f "$st/mandate.db"
	uid=$(in_root id -u "$user")
	loose=$(find "$st" -mindepth 1 \( -perm /077 -o ! -uid "$uid" \) |
		wc -l)
	expect_eq "state files readable by others or not the daemon's" 0 "$loose"

	echo "== stop"
	kill -TERM "$DAEMON_PID"
	rc=0
	wait "$DAEMON_PID" || rc=$?
	expect_eq "exit status after SIGTERM" 0 "$rc"
	check "the daemon logs its stop" grep -q "stopped" "$T/daemon.log"
	chmod 0700 "$R/var/lib/private"

	echo "== reinstall over the running configuration"
	sed -i 's/^log_level = info$/log_level = debug/' \
		"$R/etc/mandate/mandated.conf"
	in_root dpkg -i "/tmp/$deb" >"$T/dpkg-reinstall.log" 2>&1 ||
		fail "dpkg -i again: $(cat "$T/dpkg-reinstall.log")"
	expect_eq "an edited conffile is kept" "log_level = debug" \
		"$(grep '^log_level' "$R/etc/mandate/mandated.conf")"
	check "state is kept on reinstall" test -f "$st/mandate.db"

	echo "== remove"
	in_root dpkg -r mandate >"$T/dpkg-remove.log" 2>&1 ||
		fail "dpkg -r: $(cat "$T/dpkg-remove.log")"
	expect_eq "status after remove" "deinstall ok config-files" \
		"$(in_root dpkg-query -W -f='${Status}' mandate 2>&1)"
	check "remove takes the daemon" test ! -e "$R/usr/sbin/mandated"
	check "remove keeps the conffiles" test -f "$R/etc/mandate/mandated.conf"
	check "remove keeps the state" test -f "$st/mandate.db"

	echo "== purge"
	in_root dpkg -P mandate >"$T/dpkg-purge.log" 2>&1 ||
		fail "dpkg -P: $(cat "$T/dpkg-purge.log")"
	expect_eq "status after purge" "" \
		"$(in_root dpkg-query -W -f='${Status}' mandate 2>/dev/null || true)"
	left=0
	total=0
	while IFS= read -r p; do
		total=$((total + 1))
		p=${p#.}
		p=${p%/}
		[ -n "$p" ] || continue
		# Directories the system had before (/usr, /etc) stay.
		if { [ -e "$R$p" ] || [ -L "$R$p" ]; } &&
			! { [ -e "$p" ] || [ -L "$p" ]; }; then
			echo "left after purge: $p" >&2
			left=$((left + 1))
		fi
	done <"$T/contents"
	echo "purge: $total paths of the package checked"
	expect_eq "paths of the package left after purge" 0 "$left"
	for p in /etc/mandate /var/lib/mandated /var/lib/private/mandated; do
		check "purge removes $p" test ! -e "$R$p" -a ! -L "$R$p"
	done
	# Everything the root gained since before the installation, but for
	# dpkg's own records, logs, the test's users and groups (and their
	# backups) and systemd's directory of DynamicUser= state.
	added_paths >"$T/added-after"
	comm -13 "$T/added-before" "$T/added-after" |
		grep -Ev '^(var/lib/dpkg/|var/log/|var/cache/|etc/(passwd|group|shadow|gshadow|subuid|subgid)-?$|var/lib/private$)' \
			>"$T/remnants" || true
	echo "purge: $(wc -l <"$T/added-after") path(s) added to the root" \
		"in all, $(wc -l <"$T/remnants") unexplained:"
	sed 's/^/  /' "$T/added-after"
	expect_eq "unexplained paths left in the root after purge" 0 \
		"$(wc -l <"$T/remnants")"
	echo "package test (in the scratch root): $CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}

if [ "${1:-}" = --inside ]; then
	T=$2 DEB=$3 VERSION=$4
	trap 'echo "FAIL: scratch root: line $LINENO: $BASH_COMMAND" >&2' ERR
	run_root
	exit
fi

# ------------------------------------------------------------------ host
[ $# -eq 1 ] || {
	echo "usage: tests/package/test_deb.sh BUILD_DIR" >&2
	exit 64
}
[ "$(id -u)" -eq 0 ] ||
	skip "needs root: a mount namespace, an overlay and a chroot"
for tool in cpack dpkg-deb dpkg-query readelf unshare chroot setpriv jq \
	systemd-socket-activate; do
	command -v "$tool" >/dev/null || skip "$tool not installed"
done
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$1" && pwd)
[ -f "$BUILD/CMakeCache.txt" ] || {
	echo "$BUILD: not a configured build directory" >&2
	exit 64
}
T=$(mktemp -d "${TMPDIR:-/tmp}/mandate-deb.XXXXXX")
cleanup() {
	rc=$?
	if [ "$FAILS" -eq 0 ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; }; then
		rm -rf "$T"
	else
		echo "kept $T" >&2
		tail -n 20 "$T/daemon.log" >&2 2>/dev/null || true
	fi
}
trap cleanup EXIT

# The scratch root needs a mount namespace and an overlay on /: not every
# container allows them.
mkdir "$T/probe"
unshare --mount -- sh -c 'mount -t tmpfs probe "$1" && mkdir "$1/u" "$1/w" \
	"$1/m" && mount -t overlay probe -o "lowerdir=/,upperdir=$1/u,workdir=$1/w" \
	"$1/m"' sh "$T/probe" 2>"$T/probe.log" ||
	skip "no overlay on / in a mount namespace here: $(cat "$T/probe.log")"

echo "== build"
(cd "$BUILD" && cpack -G DEB -B "$T/cpack") >"$T/cpack.log" 2>&1 || {
	tail -n 40 "$T/cpack.log" >&2
	echo "FAIL: cpack -G DEB" >&2
	exit 1
}
set -- "$T"/cpack/*.deb
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	echo "FAIL: cpack made no single .deb: $*" >&2
	exit 1
fi
DEB=$1
ls -l "$DEB"
VERSION=$("$BUILD/bin/mandated" --version | sed -n '1s/^mandated \([^ ]*\).*/\1/p')
ARCH=$(dpkg --print-architecture)
expect_eq "file name" "mandate_${VERSION}_${ARCH}.deb" "$(basename "$DEB")"

echo "== control"
dpkg-deb -I "$DEB"
field() { dpkg-deb -f "$DEB" "$1"; }
expect_eq "Package" mandate "$(field Package)"
expect_eq "Version" "$VERSION" "$(field Version)"
expect_eq "Architecture" "$ARCH" "$(field Architecture)"
expect_eq "Section" admin "$(field Section)"
check "Maintainer is a name and an address" \
	grep -Eq '^[^<]+ <[^@> ]+@[^> ]+>$' <<<"$(field Maintainer)"
desc_lines=$(field Description | wc -l)
check "Description has a summary and a long description ($desc_lines lines)" \
	test "$desc_lines" -ge 3
# Every library the binaries load directly is in Depends, by the name of
# the package that holds the copy the loader picks here.
depends=$(field Depends)
mkdir "$T/data"
dpkg-deb -x "$DEB" "$T/data"
owner() { # PATH: the package holding the file, under either /usr merge name
	for p in "$1" "${1#/usr}" "/usr$1" "$(readlink -f "$1")"; do
		dpkg-query -S "$p" 2>/dev/null | sed -n '1s/[:,].*//p' | grep . &&
			return
	done
	true
}
for bin in usr/sbin/mandated usr/bin/mandate; do
	for lib in $(readelf -d "$T/data/$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		path=$(ldd "$T/data/$bin" | awk -v l="$lib" '$1 == l { print $3 }')
		pkg=$(owner "$path")
		CHECKS=$((CHECKS + 1))
		if [ -z "$pkg" ]; then
			fail "$bin needs $lib ($path), which no installed package holds"
		elif grep -Eq "(^|[ ,|])$pkg( |,|\$)" <<<"$depends"; then
			echo "ok: $bin needs $lib, from $pkg: in Depends"
		else
			fail "$bin needs $lib, from $pkg: not in Depends ($depends)"
		fi
	done
done
# Conffiles: exactly the files under /etc.
dpkg-deb -c "$DEB" | awk '{ print $6 }' >"$T/contents"
want=$(grep '^\./etc/.*[^/]$' "$T/contents" | sed 's/^\.//' | sort | tr '\n' ' ')
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles >"$T/conffiles"
got=$(sort "$T/conffiles" | tr '\n' ' ')
expect_eq "conffiles are the files under /etc" "$want" "$got"
for s in postinst prerm postrm; do
	dpkg-deb --ctrl-tarfile "$DEB" | tar -xO "./$s" >"$T/$s"
	check "$s is valid sh" sh -n "$T/$s"
done
# The service's commands are files of the package.
for key in ExecStartPre ExecStart; do
	cmd=$(unit_value "$T/data/usr/lib/systemd/system/mandated.service" "$key")
	check "$key=$cmd names a file of the package" test -x "$T/data${cmd%% *}"
done
# The shipped configuration: valid, and naming every key that
# mandated.conf(5) documents.
conf=$T/data/etc/mandate/mandated.conf
"$BUILD/bin/mandated" -t -c "$conf" >"$T/conf-check.log" 2>&1 ||
	fail "mandated -t on the shipped mandated.conf: $(cat "$T/conf-check.log")"
keys=$(grep -o '\*[a-z_]*\* =' "$SRC/doc/mandated.conf.5.scd" | tr -d '*=' | sort -u)
missing=""
for k in $keys; do
	grep -Eq "^;?[[:space:]]*$k =" "$conf" || missing="$missing $k"
done
echo "mandated.conf(5) documents $(wc -w <<<"$keys") keys"
expect_eq "keys of mandated.conf(5) missing from the shipped file" "" "${missing# }"

if command -v lintian >/dev/null; then
	echo "== lintian"
	lintian --pedantic --display-info --fail-on error "$DEB" >"$T/lintian.log" 2>&1 ||
		fail "lintian found errors"
	grep -v '^N:' "$T/lintian.log" | grep -v 'root privileges' || true
	echo "lintian: $(grep -c '^E:' "$T/lintian.log" || true) error(s)," \
		"$(grep -c '^W:' "$T/lintian.log" || true) warning(s)"
else
	echo "lintian not installed: not linted"
fi

echo "== scratch root"
export VERSION
unshare --mount --pid --fork --kill-child -- \
	bash "$0" --inside "$T" "$DEB" "$VERSION" || FAILS=$((FAILS + 1))

echo "package test: $CHECKS checks on the host, $FAILS failed"
[ "$FAILS" -eq 0 ]
