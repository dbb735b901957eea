/*
 * Attachments on the client, encrypted and decrypted here so that the
 * daemon never sees a file, its name or its type.
 *
 * For attachment id AID of case CASE: the stream key is
 * crypt_keyed_hash(case key, "attachment:AID"); the file goes up as a
 * crypto_secretstream, one message per chunk of at most CASEFILES_CHUNK
 * bytes, the last tagged final (an empty file is one empty final chunk);
 * its description {"name", "type", "size"} is crypt_box()ed under the case
 * key with associated data crypt_ad("attachments", "meta", "CASE:AID").
 * Files are read and written a chunk at a time, never whole.
 */
#ifndef MANDATE_CLIENT_CASEFILES_H
#define MANDATE_CLIENT_CASEFILES_H

#include <jansson.h>
#include <stddef.h>

struct cmd_env;

/* Largest plaintext chunk: the daemon's ATTACH_CHUNK_MAX (daemon/attach.h). */
#define CASEFILES_CHUNK (256 * 1024)

/*
 * Checks that path names a regular file that can be read, before anything
 * is sent.  Returns 0, or a sysexits(3) status after printing the error.
 */
int casefiles_check(const char *path) __attribute__((warn_unused_result));

/*
 * Uploads the file at path to the submitter's case case_id (the caller has
 * set env->receipt_header), encrypted under casekey.  Returns 0 and *info
 * ({"id", "name", "type", "size"}, new reference), or the exit status
 * after printing the error; an attachment refused or broken midway is not
 * kept by the daemon.
 */
int casefiles_upload(struct cmd_env *env, const char *case_id,
    const unsigned char *casekey, const char *path, json_t **info)
    __attribute__((warn_unused_result));

/*
 * Opens the description of attachment a (an element of a reply's
 * "attachments", with "id" and "meta") of case case_id.  Returns a new
 * reference to {"name", "type", "size"}, or NULL when it fails
 * authentication or is malformed.
 */
json_t *casefiles_open_meta(
    const char *case_id, const json_t *a, const unsigned char *casekey);

/*
 * Downloads and decrypts attachment a (an element of a decrypted thread's
 * "attachments": "id", "name", "size", "chunks", "header") of case case_id
 * into directory dirfd, as a new file (mode 0600, never replacing one)
 * named after the sanitised name, with " (2)", " (3)"... on collision.
 * Checks that the final tag comes exactly with the last chunk and that
 * the size is the declared one; removes the file otherwise.  Returns 0 and
 * *saved (the file name, malloc'd), or the exit status after printing the
 * error.
 */
int casefiles_download(struct cmd_env *env, const char *case_id,
    const unsigned char *casekey, const json_t *a, int dirfd, char **saved)
    __attribute__((warn_unused_result));

#endif
