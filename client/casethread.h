/*
 * A case's thread on the client: messages between the submitter and the
 * officers, sealed and opened here under the case key (the daemon never
 * reads them), consent requests and their answers, and the list of
 * attachments.  Shared by the submitter's commands (status, reply, add)
 * and the officers' (show, message).
 *
 * A message body is crypt_box() of the UTF-8 text under the case key, with
 * associated data crypt_ad("messages", "body", "<case id>:<message id>");
 * the message id is drawn here and doubles as its idempotency key.
 */
#ifndef MANDATE_CLIENT_CASETHREAD_H
#define MANDATE_CLIENT_CASETHREAD_H

#include <jansson.h>
#include <stddef.h>

struct cmd_env;

/* Largest message text: the daemon's limit. */
#define CASETHREAD_TEXT_MAX (64 * 1024)

/* Length of a message or attachment id: 32 lower-case hex digits. */
#define CASETHREAD_ID_LEN 32

/* Who is reading: names and "new" marks differ. */
enum casethread_view { CASETHREAD_SUBMITTER, CASETHREAD_OFFICER };

/* A fresh random id into out (CASETHREAD_ID_LEN + 1 bytes). */
void casethread_new_id(char *out);

/*
 * Decrypts the thread of a reply in place: each message gains "text" (or
 * "error" when its body fails authentication) and loses "body"; each
 * attachment gains "name" and "type" from its encrypted meta (or "error")
 * and loses "meta".  case_id is the case the reply is about.
 */
void casethread_decrypt(
    json_t *reply, const char *case_id, const unsigned char *casekey);

/*
 * An internal note {"id", "body"}: text sealed under casekey with a fresh
 * id, associated data crypt_ad("notes", "body", "<case id>:<note id>").
 * Returns a new object.
 */
json_t *casethread_seal_note(const char *case_id, const unsigned char *casekey,
    const char *text, size_t len);

/* Prints a decrypted thread: messages, consent requests, attachments. */
void casethread_print(const json_t *reply, enum casethread_view view);

/*
 * Reads the text of a message from path (a file, or "-" for standard
 * input) or, when path is NULL, from standard input, with a prompt on a
 * terminal; what ("message", "addition") names it in the prompt and the
 * errors.
 * One trailing newline is dropped.  Returns 0 with *text (malloc'd,
 * NUL-terminated; wipe with casethread_text_free()) and *len, or a
 * sysexits(3) status with *cause set: EX_NOINPUT for an unreadable file,
 * EX_DATAERR for an empty, oversize or non-UTF-8 text.
 */
int casethread_read_text(const char *path, const char *what, char **text,
    size_t *len, char **cause) __attribute__((warn_unused_result));

/* Wipes and frees a text of casethread_read_text(); accepts NULL. */
void casethread_text_free(char *text, size_t len);

/* A message to send: kind, text, and for a consent request its purpose
 * and, optionally, the unit it is about. */
struct casethread_message {
	const char *kind;
	const char *text;
	size_t len;
	const char *purpose; /* NULL unless kind is "consent-request" */
	const char *unit;    /* NULL when none */
};

/*
 * Seals m under casekey with a fresh id and posts it to path
 * ("/v1/receipt/messages" or "/v1/cases/ID/messages"), retrying with the
 * same id when the daemon cannot be reached or does not answer in time.
 * Returns 0 and *reply (new reference), or the exit status after
 * printing the error.
 */
int casethread_post(struct cmd_env *env, const char *path, const char *case_id,
    const unsigned char *casekey, const struct casethread_message *m,
    json_t **reply) __attribute__((warn_unused_result));

#endif
