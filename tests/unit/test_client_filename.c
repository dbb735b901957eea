/*
 * Unit tests for attachment file names on the client (client/filename.c):
 * a received name never escapes the download directory, hides itself or
 * carries control characters; collisions are numbered before the
 * extension; MIME types come from the extension.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "filename.h"

static void
assert_safe(const char *name, const char *want)
{
	char out[FILENAME_MAX_BYTES + 1];

	filename_safe(out, sizeof out, name);
	assert_string_equal(out, want);
}

static void
test_client_filename__paths__keep_the_last_component(void **state)
{
	assert_safe("report 2024.pdf", "report 2024.pdf");
	assert_safe("../../etc/passwd", "passwd");
	assert_safe("/absolute/name.txt", "name.txt");
	assert_safe("dir/", "attachment");
}

static void
test_client_filename__leading_dots__are_dropped(void **state)
{
	assert_safe(".bashrc", "bashrc");
	assert_safe("..", "attachment");
	assert_safe(" . .hidden", "hidden");
	assert_safe("", "attachment");
}

static void
test_client_filename__controls__are_dropped(void **state)
{
	assert_safe("a\x01"
	            "b\x1b[31mc\x7f.txt",
	    "ab[31mc.txt");
	assert_safe("line\nbreak", "linebreak");
	assert_safe("c1\xc2\x85"
	            "char",
	    "c1char");
	/* RIGHT-TO-LEFT OVERRIDE would show "evil\u202Etxt.exe" as
	 * "evilexe.txt". */
	assert_safe("evil\xe2\x80\xaetxt.exe", "eviltxt.exe");
	assert_safe("bad\xff\xfe"
	            "utf8",
	    "badutf8");
	assert_safe("caf\xc3\xa9.txt", "caf\xc3\xa9.txt");
}

static void
test_client_filename__long__is_cut_on_a_character(void **state)
{
	char name[512], out[FILENAME_MAX_BYTES + 1], small[16];
	size_t i;

	/* 300 bytes of two-byte characters after one ASCII byte. */
	name[0] = 'x';
	for (i = 1; i + 1 < 301; i += 2) {
		name[i] = (char)0xc3;
		name[i + 1] = (char)0xa9;
	}
	name[i] = '\0';
	filename_safe(out, sizeof out, name);
	assert_true(strlen(out) <= FILENAME_MAX_BYTES);
	assert_int_equal(strlen(out) % 2, 1); /* no half character */
	filename_safe(small, sizeof small, "abcdefghijklmnopqrstuvwxyz");
	assert_string_equal(small, "abcdefghijklmno");
}

static void
test_client_filename__candidates__number_before_the_extension(void **state)
{
	char out[64];

	filename_candidate(out, sizeof out, "report.pdf", 1);
	assert_string_equal(out, "report.pdf");
	filename_candidate(out, sizeof out, "report.pdf", 2);
	assert_string_equal(out, "report (2).pdf");
	filename_candidate(out, sizeof out, "notes", 3);
	assert_string_equal(out, "notes (3)");
	filename_candidate(out, sizeof out, "a.tar.gz", 2);
	assert_string_equal(out, "a.tar (2).gz");
}

static void
test_client_filename__mime__from_the_extension(void **state)
{
	assert_string_equal(filename_mime_type("scan.PDF"), "application/pdf");
	assert_string_equal(filename_mime_type("photo.jpeg"), "image/jpeg");
	assert_string_equal(
	    filename_mime_type("/tmp/x.d/notes.txt"), "text/plain");
	assert_string_equal(
	    filename_mime_type("/tmp/x.pdf/noext"), "application/octet-stream");
	assert_string_equal(
	    filename_mime_type("data.bin"), "application/octet-stream");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_client_filename__paths__keep_the_last_component),
	    cmocka_unit_test(test_client_filename__leading_dots__are_dropped),
	    cmocka_unit_test(test_client_filename__controls__are_dropped),
	    cmocka_unit_test(test_client_filename__long__is_cut_on_a_character),
	    cmocka_unit_test(
	        test_client_filename__candidates__number_before_the_extension),
	    cmocka_unit_test(test_client_filename__mime__from_the_extension),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
