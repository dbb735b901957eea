/*
 * File names of attachments: sanitising a received name, numbering
 * collisions, guessing a MIME type.  See filename.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "filename.h"

/*
 * Decodes the UTF-8 sequence at s: returns its length and *cp, or 0 when
 * it is invalid (overlong, surrogate, beyond U+10FFFF, truncated).
 */
static size_t
filename_utf8(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters that must not reach a file name: controls, and the
 * bidirectional overrides that can disguise an extension. */
static int
filename_unwanted(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == '/';
}

void
filename_safe(char *out, size_t size, const char *name)
{
	const char *slash = strrchr(name, '/');
	const unsigned char *p =
	    (const unsigned char *)(slash != NULL ? slash + 1 : name);
	size_t len = 0, n, max = size - 1;
	uint32_t cp;

	if (max > FILENAME_MAX_BYTES)
		max = FILENAME_MAX_BYTES;
	while (*p != '\0') {
		if ((n = filename_utf8(p, &cp)) == 0) {
			p++;
			continue;
		}
		if (!filename_unwanted(cp) &&
		    !(len == 0 && (cp == '.' || cp == ' '))) {
			if (len + n > max)
				break;
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	out[len] = '\0';
	if (len == 0)
		snprintf(out, size, "attachment");
}

void
filename_candidate(char *out, size_t size, const char *safe, int n)
{
	const char *dot = strrchr(safe, '.');

	if (n <= 1)
		snprintf(out, size, "%s", safe);
	else if (dot == NULL || dot == safe)
		snprintf(out, size, "%s (%d)", safe, n);
	else
		snprintf(
		    out, size, "%.*s (%d)%s", (int)(dot - safe), safe, n, dot);
}

const char *
filename_mime_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {"txt", "text/plain"},
	    {"csv", "text/csv"},
	    {"htm", "text/html"},
	    {"html", "text/html"},
	    {"md", "text/markdown"},
	    {"json", "application/json"},
	    {"xml", "application/xml"},
	    {"pdf", "application/pdf"},
	    {"zip", "application/zip"},
	    {"doc", "application/msword"},
	    {"docx", "application/vnd.openxmlformats-officedocument."
	             "wordprocessingml.document"},
	    {"xls", "application/vnd.ms-excel"},
	    {"xlsx", "application/vnd.openxmlformats-officedocument."
	             "spreadsheetml.sheet"},
	    {"ppt", "application/vnd.ms-powerpoint"},
	    {"pptx", "application/vnd.openxmlformats-officedocument."
	             "presentationml.presentation"},
	    {"odt", "application/vnd.oasis.opendocument.text"},
	    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
	    {"eml", "message/rfc822"},
	    {"msg", "application/vnd.ms-outlook"},
	    {"png", "image/png"},
	    {"jpg", "image/jpeg"},
	    {"jpeg", "image/jpeg"},
	    {"gif", "image/gif"},
	    {"heic", "image/heic"},
	    {"webp", "image/webp"},
	    {"mp3", "audio/mpeg"},
	    {"m4a", "audio/mp4"},
	    {"wav", "audio/wav"},
	    {"ogg", "audio/ogg"},
	    {"mp4", "video/mp4"},
	    {"mov", "video/quicktime"},
	};
	const char *slash = strrchr(name, '/'), *dot;

	dot = strrchr(slash != NULL ? slash + 1 : name, '.');
	if (dot != NULL)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}
