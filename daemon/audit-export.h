/*
 * Auditors' export of the audit log, streamed: a header, the entries of a
 * contiguous seq range (Ombudsperson entries redacted to their field
 * hashes), the signed heads that fall inside it, and a fresh signed head
 * of the range at the end (the seal).  Format in the README ("Audit
 * log"); the client's verifier reads it back (client/auditv.c).
 */
#ifndef MANDATE_AUDIT_EXPORT_H
#define MANDATE_AUDIT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct request;

/* The columns of the CSV form, in order (JSON lines carry the same
 * members, those that apply to the record). */
#define AUDIT_EXPORT_COLUMNS                                                   \
	"record", "seq", "time", "day", "redacted", "actor", "role", "action", \
	    "case_id", "unit", "details", "time_hash", "case_hash",            \
	    "actor_hash", "details_hash", "from_seq", "prev_hash", "hash",     \
	    "signed_at", "signature", "format", "version", "first_seq",        \
	    "public_key", "fingerprint", "exported_at"

struct audit_export;

/*
 * Prepares an export of the entries from the first with time >= since to
 * the last with time < until (seconds), in JSON lines or (csv) CSV: in
 * one transaction, records the export itself in the log, fixes the range
 * and signs its seal.  Returns the export (drive it with
 * audit_export_next(), release it with audit_export_free()), or NULL with
 * *cause set.
 */
struct audit_export *audit_export_open(struct request *req, int64_t since,
    int64_t until, int csv, char **cause) __attribute__((warn_unused_result));

/* A reply_stream next(): the header, then batches of entries and heads,
 * then the seal. */
int audit_export_next(void *arg, char **piece, size_t *len);

/* A reply_stream free(); accepts NULL. */
void audit_export_free(void *arg);

/*
 * Reads a time parameter: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or Unix
 * seconds.  0 with *t, or -1.
 */
int audit_export_time(const char *s, int64_t *t)
    __attribute__((warn_unused_result));

#endif
