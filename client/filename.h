/*
 * File names of attachments: the name an attachment travels with (inside
 * its encrypted description) and the name it is saved under.  A name comes
 * from the other side of the case, so it is never trusted as a path.
 */
#ifndef MANDATE_CLIENT_FILENAME_H
#define MANDATE_CLIENT_FILENAME_H

#include <stddef.h>

/* Longest name kept, in bytes (below NAME_MAX, with room for " (99)"). */
#define FILENAME_MAX_BYTES 200

/*
 * A safe file name from name into out (size bytes, at least 16): its last
 * path component, without control characters (C0, DEL, C1) or invalid
 * UTF-8, without leading dots or spaces, at most FILENAME_MAX_BYTES and
 * size - 1 bytes, cut on a character boundary; "attachment" when nothing
 * is left.
 */
void filename_safe(char *out, size_t size, const char *name);

/*
 * The name of the n-th candidate for saving safe (n >= 1): safe itself,
 * then "stem (2).ext", "stem (3).ext"...  into out (size bytes).
 */
void filename_candidate(char *out, size_t size, const char *safe, int n);

/* The MIME type for a file name, from its extension (case-insensitive);
 * "application/octet-stream" when unknown. */
const char *filename_mime_type(const char *name);

#endif
