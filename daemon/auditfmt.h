/*
 * The audit log's canonical encoding, shared by the daemon (which appends
 * and signs) and the client (which verifies exports offline).  The byte
 * strings hashed and signed here are specified in the README ("Audit
 * log"); change nothing here without changing the version tags, or every
 * chain already written stops verifying.
 *
 * Every field is a netstring, "<decimal length>:<bytes>,", in a fixed
 * order; integers are decimal ASCII with no sign or leading zero; hashes
 * are BLAKE2b-256 (32 raw bytes inside the encoding, lower-case hex in
 * exports).
 */
#ifndef MANDATE_AUDITFMT_H
#define MANDATE_AUDITFMT_H

#include <stddef.h>
#include <stdint.h>

#define AUDITFMT_HASH_LEN 32
#define AUDITFMT_SALT_LEN 32
#define AUDITFMT_HEX_LEN (2 * AUDITFMT_HASH_LEN)
#define AUDITFMT_DAY 86400

#define AUDITFMT_ENTRY_TAG "mandate-audit-entry/1"
#define AUDITFMT_FIELD_TAG "mandate-audit-field/1"
#define AUDITFMT_HEAD_TAG "mandate-audit-head/1"

/* The export's format name and version, in its header record. */
#define AUDITFMT_EXPORT_FORMAT "mandate-audit-export"
#define AUDITFMT_EXPORT_VERSION 1

/*
 * One entry as its hash sees it: the fields in clear and the hashes of
 * the identifying fields (time, case id, actor, details).  Strings are
 * never NULL: "" stands for an absent unit.
 */
struct auditfmt_entry {
	int64_t seq;
	unsigned char prev_hash[AUDITFMT_HASH_LEN];
	int redacted; /* an Ombudsperson entry: salted field hashes */
	int64_t day;  /* the entry's time rounded down to its UTC day */
	const char *role;
	const char *action;
	const char *unit;
	unsigned char time_hash[AUDITFMT_HASH_LEN];
	unsigned char case_hash[AUDITFMT_HASH_LEN];
	unsigned char actor_hash[AUDITFMT_HASH_LEN];
	unsigned char details_hash[AUDITFMT_HASH_LEN];
};

/* A signed statement: entries from_seq (whose predecessor's hash is
 * prev_hash) to seq end with hash, as of signed_at. */
struct auditfmt_head {
	int64_t from_seq;
	unsigned char prev_hash[AUDITFMT_HASH_LEN];
	int64_t seq;
	unsigned char hash[AUDITFMT_HASH_LEN];
	int64_t signed_at;
};

/* t rounded down to the start of its UTC day. */
int64_t auditfmt_day(int64_t t);

/*
 * The hash of one identifying field: BLAKE2b-256 of
 * ns(AUDITFMT_FIELD_TAG) ns(name) ns(value), keyed with salt
 * (AUDITFMT_SALT_LEN bytes) for a redacted entry, unkeyed when salt is
 * NULL.  value NULL hashes as "".
 */
void auditfmt_field_hash(unsigned char *out, const char *name,
    const char *value, const unsigned char *salt);

/* The field hash of a time: name "time", value its decimal seconds. */
void auditfmt_time_hash(
    unsigned char *out, int64_t t, const unsigned char *salt);

/* The entry's hash over its canonical encoding (README). */
void auditfmt_entry_hash(unsigned char *out, const struct auditfmt_entry *e);

/*
 * The message a head's signature covers, malloc'd (caller frees) with its
 * length in *len; NULL only when memory runs out.
 */
unsigned char *auditfmt_head_message(const struct auditfmt_head *h, size_t *len)
    __attribute__((warn_unused_result));

/* "YYYY-MM-DDTHH:MM:SSZ" (out[21]) and "YYYY-MM-DD" (out[11]). */
void auditfmt_time_text(char *out, size_t size, int64_t t);
void auditfmt_day_text(char *out, size_t size, int64_t t);

/*
 * Reads a UTC time written as "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD"
 * (midnight), strictly (a date that does not exist is refused).  Returns
 * 0 with *t set, or -1.
 */
int auditfmt_time_parse(const char *s, int64_t *t)
    __attribute__((warn_unused_result));

/* Reads a hash from exactly AUDITFMT_HEX_LEN lower-case hex digits:
 * 0, or -1. */
int auditfmt_unhex(unsigned char *hash, const char *hex)
    __attribute__((warn_unused_result));

#endif
