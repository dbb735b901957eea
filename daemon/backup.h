/*
 * Backups: a consistent snapshot of the database taken while the daemon
 * keeps serving, and the file that carries it (mandate.1, "BACKUP FILE").
 *
 * The file is one line of JSON, the manifest, then the bytes of the
 * SQLite database, exactly "database_size" of them and nothing after.
 * The manifest says what the snapshot is (format version, mandate and
 * schema versions, when it was made, the audit chain's last entry and
 * its hash), names the daemon's audit key and a keyed digest of its
 * index key, gives the database's size and BLAKE2b-256 hash, and is
 * signed (Ed25519, the audit key) over a canonical encoding of those
 * fields: netstrings in a fixed order (backup_manifest_message()), so
 * that neither JSON spacing nor member order matter.
 *
 * The daemon side runs as a job: backup_job_start() starts a worker
 * thread that copies the committed state of the database through a read
 * connection of its own (db_backup_snapshot()) into a file of the state
 * directory and hashes it, so that the event loop never waits for the
 * copy; backup_job_take() reports the job's state and, once it is ready,
 * hands over the signed manifest and the file to stream.
 */
#ifndef MANDATE_BACKUP_H
#define MANDATE_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypt.h"

#define BACKUP_FORMAT "mandate-backup"
#define BACKUP_FORMAT_VERSION 1
#define BACKUP_SIGN_TAG "mandate-backup-manifest/1"
#define BACKUP_INDEX_ID_LABEL "mandate-index-key-id/1"
/* The longest first line, its newline included. */
#define BACKUP_MANIFEST_MAX 4096
/* A job id: this many lower-case hex digits. */
#define BACKUP_ID_LEN 32

struct backup_manifest {
	int version; /* BACKUP_FORMAT_VERSION */
	char mandate_version[32];
	int schema_version;
	int64_t created_at;
	int64_t audit_seq; /* 0: no entry yet, or no audit log (schema < 3) */
	unsigned char audit_hash[CRYPT_HASH_LEN]; /* zeros when audit_seq 0 */
	unsigned char public_key[CRYPT_SIGN_PK_LEN];
	unsigned char index_key_id[CRYPT_HASH_LEN];
	int64_t db_size;
	unsigned char db_hash[CRYPT_HASH_LEN];
	unsigned char signature[CRYPT_SIGNATURE_LEN];
};

/*
 * The bytes the signature covers: ns(BACKUP_SIGN_TAG) ns(version)
 * ns(mandate_version) ns(schema_version) ns(created_at) ns(audit_seq)
 * ns(audit_hash) ns(public_key) ns(index_key_id) ns(db_size) ns(db_hash),
 * where ns(x) is "<decimal length>:x," and integers are decimal ASCII.
 * Returns a malloc'd buffer (caller frees) with its length in *len.
 */
unsigned char *backup_manifest_message(const struct backup_manifest *m,
    size_t *len) __attribute__((warn_unused_result));

/* The manifest as its line of JSON, newline included (malloc'd). */
char *backup_manifest_json(const struct backup_manifest *m)
    __attribute__((warn_unused_result));

/*
 * Reads a manifest line (without its newline) strictly: every member
 * present with its type, none unknown, the fingerprint that of the key.
 * Does not check the signature.  Returns 0, or -1 with *cause naming what
 * is wrong (caller frees).
 */
int backup_manifest_parse(struct backup_manifest *m, const char *line,
    size_t len, char **cause) __attribute__((warn_unused_result));

/* 1 when the signature verifies with the manifest's own key, 0 if not. */
int backup_manifest_verify(const struct backup_manifest *m)
    __attribute__((warn_unused_result));

/*
 * Reads the first line of a backup file and parses it (not verified);
 * leaves f at the first byte of the database.  0, or -1 with *cause.
 */
int backup_manifest_read(FILE *f, struct backup_manifest *m, char **cause)
    __attribute__((warn_unused_result));

/* The digest that names an index key without revealing it. */
void backup_index_key_id(unsigned char *out, const unsigned char *index_key);

/* --- the daemon's backup job (one at a time) --- */

struct server;

/*
 * Starts a snapshot job for user: a worker thread copies the database to
 * a file of the state directory.  A finished job nobody collected is
 * discarded first.  Returns 1 with id (BACKUP_ID_LEN + 1 bytes) filled, 0
 * when a job is running already, -1 with *cause set.
 */
int backup_job_start(struct server *srv, const char *user, char *id,
    size_t size, char **cause) __attribute__((warn_unused_result));

enum backup_state {
	BACKUP_UNKNOWN, /* no such job (or another user's, or collected) */
	BACKUP_RUNNING,
	BACKUP_READY,  /* *reader holds the backup; the job is over */
	BACKUP_FAILED, /* *cause says why; the job is over */
};

struct backup_reader;

/*
 * The state of job id of user.  When it is ready, signs its manifest and
 * opens its file: *reader is the backup to stream with
 * backup_reader_next() and release with backup_reader_free() (the file is
 * already unlinked).  A failure to do so is BACKUP_FAILED.
 */
enum backup_state backup_job_take(struct server *srv, const char *id,
    const char *user, struct backup_reader **reader, int64_t *size,
    char **cause) __attribute__((warn_unused_result));

/* A reply_stream next(): the manifest line, then the database. */
int backup_reader_next(void *arg, char **piece, size_t *len);

/* A reply_stream free(); accepts NULL. */
void backup_reader_free(void *arg);

/* At shutdown: cancels a running job, waits for its thread, removes its
 * file. */
void backup_job_shutdown(void);

#endif
