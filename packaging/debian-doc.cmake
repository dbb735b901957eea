# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): run on the staging
# install before the .deb is made, to add what Debian policy asks of every
# package and a plain `cmake --install` does not need: man pages compressed
# with gzip -9n, /usr/share/doc/mandate/copyright (machine-readable, from
# LICENSE) and changelog.gz.
set(root "${CPACK_TEMPORARY_DIRECTORY}")
set(src "${CPACK_MANDATE_SOURCE_DIR}")
set(doc "${root}${CPACK_PACKAGING_INSTALL_PREFIX}/share/doc/${CPACK_PACKAGE_NAME}")

find_program(GZIP gzip REQUIRED)
file(GLOB_RECURSE pages
	"${root}${CPACK_PACKAGING_INSTALL_PREFIX}/share/man/man*/*")
foreach(page IN LISTS pages)
	if(NOT page MATCHES "\\.gz$")
		execute_process(COMMAND ${GZIP} -9nf ${page}
			COMMAND_ERROR_IS_FATAL ANY)
	endif()
endforeach()

file(MAKE_DIRECTORY "${doc}")

# copyright: the ISC text of LICENSE, its first line the licence's name
# and its "Copyright (c) ..." line the holder.
file(READ "${src}/LICENSE" lines)
string(REPLACE "\n" ";" lines "${lines}")
set(holder "")
set(text "")
foreach(line IN LISTS lines)
	if(line MATCHES "^Copyright \\(c\\) (.*)$" AND holder STREQUAL "")
		set(holder "${CMAKE_MATCH_1}")
	elseif(holder STREQUAL "" OR line MATCHES "^ISC License")
		continue()
	elseif(line STREQUAL "")
		string(APPEND text " .\n")
	else()
		string(APPEND text " ${line}\n")
	endif()
endforeach()
string(REGEX REPLACE "^ \\.\n" "" text "${text}")
string(REGEX REPLACE "( \\.\n)+$" "" text "${text}")
if(holder STREQUAL "")
	message(FATAL_ERROR "LICENSE: no 'Copyright (c)' line")
endif()
file(WRITE "${doc}/copyright"
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ${CPACK_PACKAGE_NAME}

Files: *
Copyright: ${holder}
License: ISC
${text}")

# changelog: one entry for this version, dated SOURCE_DATE_EPOCH when set
# (reproducible builds), else now.
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE "${doc}/changelog"
"${CPACK_PACKAGE_NAME} (${CPACK_PACKAGE_VERSION}) unstable; urgency=medium

  * Release ${CPACK_PACKAGE_VERSION}.

 -- ${CPACK_PACKAGE_CONTACT}  ${date}
")
execute_process(COMMAND ${GZIP} -9nf "${doc}/changelog"
	COMMAND_ERROR_IS_FATAL ANY)
