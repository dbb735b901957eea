/*
 * The audit log: every action on a case or on the system appends one
 * entry, in the same transaction as the action itself, to a hash chain
 * (auditfmt.h) whose head the daemon signs with its Ed25519 key every
 * [daemon] audit_sign_every entries, at every export and at stop.
 *
 * An entry holds: time, actor (a login name, "anonymous" for an anonymous
 * submission, "submitter" for whoever holds a receipt, "system" for the
 * daemon itself), role, action (below), case id, unit, and details: a
 * small JSON object of metadata that never holds content (no title,
 * narrative, message, receipt or name of a subject).  Entries about a
 * unit whose auditors see only counts (the Ombudsperson) are redacted:
 * their identifying fields are hashed with a per-entry secret salt, and
 * exports carry those hashes in their place.
 */
#ifndef MANDATE_AUDIT_H
#define MANDATE_AUDIT_H

#include <stdint.h>

#include "db.h"
#include "json.h"

struct server;
struct request;

#define AUDIT_ACTOR_SYSTEM "system"
#define AUDIT_ACTOR_ANONYMOUS "anonymous"
#define AUDIT_ACTOR_SUBMITTER "submitter"

/* Roles an entry names. */
#define AUDIT_ROLE_SUBMITTER "submitter"
#define AUDIT_ROLE_STAFF "staff"
#define AUDIT_ROLE_OFFICER "officer"
#define AUDIT_ROLE_AUDITOR "auditor"
#define AUDIT_ROLE_ADMIN "administrator"
#define AUDIT_ROLE_SYSTEM "system"

/* Actions, with what their details hold (README, "Audit log"). */
#define AUDIT_CASE_SUBMIT "case.submit"             /* rule, category, flags */
#define AUDIT_CASE_READ "case.read"                 /* metadata read */
#define AUDIT_CASE_READ_CONTENT "case.read-content" /* key copy fetched */
#define AUDIT_ATTACHMENT_READ "attachment.read"     /* attachment, chunk */
#define AUDIT_CASE_LIST_OWN "case.list-own"         /* count */
#define AUDIT_QUEUE_LIST "queue.list"               /* count */
#define AUDIT_MESSAGE_POST "message.post"           /* message, kind */
#define AUDIT_CONSENT_REQUEST "consent.request"     /* message, purpose, unit */
#define AUDIT_CONSENT_ANSWER "consent.answer"       /* request, answer */
#define AUDIT_ATTACHMENT_CREATE "attachment.create" /* attachment, size */
#define AUDIT_ATTACHMENT_COMPLETE "attachment.complete" /* attachment */
#define AUDIT_ATTACHMENT_DISCARD "attachment.discard"   /* attachment */
#define AUDIT_RECEIPT_READ "receipt.read"       /* a receipt holder's look */
#define AUDIT_OFFICER_ENROL "officer.enrol"     /* user, fingerprint */
#define AUDIT_EXPORT "audit.export"             /* since, until, format */
#define AUDIT_CASES_EXPORT "audit.cases-export" /* format */
#define AUDIT_STATS "audit.stats"               /* by */
#define AUDIT_CASE_HOLD "case.hold"
#define AUDIT_CASE_HOLD_LIFT "case.hold-lift"
#define AUDIT_CASE_PURGE "case.purge"       /* tombstone, retention_days */
#define AUDIT_CONFIG_RELOAD "config.reload" /* ok, rules */
#define AUDIT_DAEMON_START "daemon.start"   /* version, key */
#define AUDIT_DAEMON_STOP "daemon.stop"
/* Reserved for the case lifecycle (one audit_record() call each). */
#define AUDIT_CASE_TRANSITION "case.transition" /* from, to */
#define AUDIT_CASE_ASSIGN "case.assign"         /* officer */
#define AUDIT_CASE_NOTE "case.note"             /* note */
#define AUDIT_CASE_REFER "case.refer"           /* to */
#define AUDIT_CASE_GRANT "case.grant"           /* officer */
#define AUDIT_CASE_RECUSE "case.recuse"         /* officer */
#define AUDIT_OFFICER_REMOVE "officer.remove"   /* user */
/* Deadlines (escalate.c) and the conflict register (conflict.c). */
#define AUDIT_CASE_ESCALATE "case.escalate" /* threshold, days, command */
#define AUDIT_CONFLICT_ADD "conflict.add"   /* user, cases, last_holder */
#define AUDIT_CASE_CONFLICT "case.conflict" /* officer, dropped */
/* Backups (backup.c). */
#define AUDIT_BACKUP "backup" /* job */

struct audit_event {
	const char *actor;
	const char *role;
	const char *action;
	const char *case_id; /* NULL: about no case */
	const char *unit;    /* NULL: about no unit */
	json_t *details;     /* borrowed; NULL for {} */
	int64_t time;
	/* Keep only the hashes: for the entry that records the purge of a
	 * case that leaves no trace, so that it names the case to nobody. */
	int shred;
};

struct audit;

/*
 * Loads the signing key from the 32-byte seed at path, creating it (mode
 * 0600) on first start, and signs heads every sign_every entries.
 * Returns the key holder, or NULL with *cause set.
 */
struct audit *audit_open(const char *path, unsigned sign_every, char **cause)
    __attribute__((warn_unused_result));

/* Wipes the key and frees; accepts NULL. */
void audit_free(struct audit *a);

/* Changes how often heads are signed (on reload). */
void audit_set_sign_every(struct audit *a, unsigned sign_every);

/* The public key (CRYPT_SIGN_PK_LEN bytes) and its fingerprint. */
const unsigned char *audit_public_key(const struct audit *a);
void audit_fingerprint(const struct audit *a, char *out, size_t size);

/*
 * Appends one entry inside the caller's open transaction, and signs the
 * new head when its seq is a multiple of audit_sign_every.  *seq (may be
 * NULL) receives the entry's seq.  Returns 0, or -1 with *cause set: the
 * caller rolls the action back with it.
 */
int audit_append(struct server *srv, const struct audit_event *ev, int64_t *seq,
    char **cause) __attribute__((warn_unused_result));

/*
 * audit_append() for a request: actor is the caller's login name, time
 * the request's.  Takes the reference to details (NULL for {}).
 */
int audit_record(struct request *req, const char *role, const char *action,
    const char *case_id, const char *unit, json_t *details, char **cause)
    __attribute__((warn_unused_result));

/*
 * audit_append() for an action on case_id by actor in role at time, the
 * case's unit looked up (in the caller's transaction).  The time is taken
 * as given: for an anonymous case's receipt holder it is already rounded
 * to the minute (routes_dispatch()).  Takes the reference to details.
 */
int audit_record_case(struct server *srv, const char *actor, const char *role,
    const char *action, const char *case_id, json_t *details, int64_t time,
    char **cause) __attribute__((warn_unused_result));

/*
 * Appends a system entry in a transaction of its own (start, stop,
 * reloads); with sign, signs the new head too.  Takes the reference to
 * details.  Logs a failure itself; returns 0 or -1.
 */
int audit_system(
    struct server *srv, const char *action, json_t *details, int sign);

/*
 * Signs "entries from_seq (after prev_hash) to seq end with hash" at now
 * and stores it, in the caller's transaction; *out (may be NULL) gets the
 * head.  Without a key (srv->audit NULL) nothing is signed: returns 0
 * with out->signed_at 0.  Returns 0, or -1 with *cause set.
 */
int audit_sign(struct server *srv, int64_t from_seq,
    const unsigned char *prev_hash, int64_t seq, const unsigned char *hash,
    int64_t now, struct db_audit_head *out, char **cause)
    __attribute__((warn_unused_result));

/* The hash of entry seq, or 32 zero bytes for seq 0 (before the first).
 * 0, or -1 with *cause set. */
int audit_hash_at(struct server *srv, int64_t seq, unsigned char *hash,
    char **cause) __attribute__((warn_unused_result));

/* Signs len bytes of msg with the audit key into
 * sig[CRYPT_SIGNATURE_LEN] (a backup's manifest, backup.h). */
void audit_sign_message(
    const struct audit *a, unsigned char *sig, const void *msg, size_t len);

/* Nonzero when entries about unit are redacted (auditors = counts). */
int audit_unit_redacted(const struct server *srv, const char *unit);

#endif
