# The install layout beyond binaries, man pages and completion (the
# configuration, the systemd units, the sysusers.d fragment), and the
# Debian package: `cpack -G DEB` in a build directory, or the `package`
# target, makes mandate_<version>_<arch>.deb.  Included at the end of the
# top CMakeLists.txt.

# mandated reads /etc/mandate/mandated.conf (MANDATE_DEFAULT_CONFIG in
# include/mandate/api.h) whatever the prefix: the configuration goes there
# rather than to a prefix's etc/, where the daemon would never look.
set(MANDATE_CONFDIR /etc/mandate CACHE PATH
	"Where mandated.conf and default.rules are installed")
# Relative to the prefix: /usr/lib/systemd/system for the package (Debian 12
# is merged-/usr), /usr/local/lib/systemd/system for a local install; both
# are in systemd's search path.
set(MANDATE_SYSTEMD_UNITDIR lib/systemd/system CACHE STRING
	"systemd unit directory, relative to the install prefix")
set(MANDATE_SYSUSERSDIR lib/sysusers.d CACHE STRING
	"sysusers.d directory, relative to the install prefix")

install(FILES ${CMAKE_SOURCE_DIR}/packaging/mandated.conf
	${CMAKE_SOURCE_DIR}/rules/default.rules
	DESTINATION ${MANDATE_CONFDIR})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/sysusers.conf
	DESTINATION ${MANDATE_SYSUSERSDIR} RENAME mandated.conf)
install(FILES ${CMAKE_SOURCE_DIR}/systemd/mandated.socket
	${CMAKE_SOURCE_DIR}/systemd/mandated-metrics.socket
	DESTINATION ${MANDATE_SYSTEMD_UNITDIR})
# The service names the daemon by its path: the one of this install, known
# only at install time (cpack installs to /usr whatever the configured
# prefix).  Nothing else in the unit changes.
if(IS_ABSOLUTE "${CMAKE_INSTALL_SBINDIR}")
	set(_mandate_sbin "${CMAKE_INSTALL_SBINDIR}")
else()
	set(_mandate_sbin "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}")
endif()
install(CODE "
	file(READ [[${CMAKE_SOURCE_DIR}/systemd/mandated.service]] _unit)
	string(REPLACE /usr/sbin/mandated \"${_mandate_sbin}/mandated\"
		_unit \"\${_unit}\")
	file(WRITE [[${CMAKE_BINARY_DIR}/install/mandated.service]] \"\${_unit}\")
	file(INSTALL DESTINATION
		\"\${CMAKE_INSTALL_PREFIX}/${MANDATE_SYSTEMD_UNITDIR}\"
		TYPE FILE FILES [[${CMAKE_BINARY_DIR}/install/mandated.service]])
")

# ---------------------------------------------------------------- CPack
set(MANDATE_MAINTAINER "mandate maintainers <mandate@example.org>" CACHE
	STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mandate)
set(CPACK_PACKAGE_VENDOR "the mandate authors")
set(CPACK_PACKAGE_CONTACT "${MANDATE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"case-routing daemon for ethics and oversight offices")
# CPack keeps these line breaks; an empty line becomes " ." in control.
set(CPACK_PACKAGE_DESCRIPTION [[
mandated receives the cases that staff submit to the ethics and oversight
offices of an organisation (misconduct allegations, workplace disputes,
conflict-of-interest questions, fraud reports, data-protection concerns),
routes each one by plain-text rules to the unit whose mandate covers it,
and stores it encrypted so that only the officers of that unit can read
it, with a signed, hash-chained audit log.

mandate is its command-line client for staff, officers, auditors and
administrators.]])

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# postinst makes the role groups with systemd-sysusers, or groupadd.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd-sysusers | passwd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
	# What dpkg-shlibdeps finds on Debian 12 (package dpkg-dev).
	message(STATUS "dpkg-shlibdeps not found: Debian 12 library names "
		"in Depends")
	string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libc6 (>= 2.34), "
		"libevent-2.1-7 (>= 2.1.8-stable), "
		"libevent-extra-2.1-7 (>= 2.1.8-stable), libsqlite3-0 (>= 3.37), "
		"libsodium23 (>= 1.0.18), libjansson4 (>= 2.13), libinih1, "
		"libutf8proc2 (>= 2.5), libcurl4 (>= 7.16.2)")
endif()

# /etc/mandate/* are conffiles; the maintainer scripts are in packaging/.
configure_file(${CMAKE_SOURCE_DIR}/packaging/conffiles.in
	${CMAKE_BINARY_DIR}/packaging/conffiles @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
	${CMAKE_BINARY_DIR}/packaging/conffiles
	${CMAKE_SOURCE_DIR}/packaging/postinst
	${CMAKE_SOURCE_DIR}/packaging/prerm
	${CMAKE_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# After the staging install: compressed man pages, copyright and changelog
# in /usr/share/doc/mandate, as Debian policy wants them.
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/packaging/debian-doc.cmake)
set(CPACK_MANDATE_SOURCE_DIR ${CMAKE_SOURCE_DIR})

include(CPack)
