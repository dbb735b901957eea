/*
 * mandated --restore FILE: puts a backup (backup.h) in place of the
 * configured database, offline, after checking everything it can and
 * before changing anything: the daemon is not running, the manifest's
 * signature, its keys against the state directory's, its schema version
 * against this binary's, the database's size and hash, PRAGMA
 * integrity_check, and the whole audit chain.  Then the current database
 * (with its -wal and -shm) is moved aside, never deleted, and the
 * restored one installed with a rename.  Any failure changes nothing.
 */
#ifndef MANDATE_RESTORE_H
#define MANDATE_RESTORE_H

#include <stdint.h>
#include <stdio.h>

#include "crypt.h"

struct config;
struct backup_manifest;

/*
 * Whether the manifest m may be restored here: its schema version is not
 * newer than latest; its audit key is state_pk and its index key digest
 * state_index_id (each NULL when the state directory has no such key).
 * A key that differs or is missing is allowed with force, and then
 * described in *warning (caller frees; NULL when none).  Returns 0, or a
 * sysexits(3) status with *cause set.
 */
int restore_check_manifest(const struct backup_manifest *m, int latest,
    const unsigned char *state_pk, const unsigned char *state_index_id,
    int force, char **warning, char **cause)
    __attribute__((warn_unused_result));

/* What the audit chain of a restored database holds. */
struct restore_chain_result {
	int64_t entries;         /* 1 to entries, every link checked */
	int64_t redacted;        /* of which Ombudsperson entries */
	int64_t shredded;        /* of which shredded by retention */
	int64_t heads;           /* signed heads whose signatures verify */
	int64_t heads_other_key; /* of which signed by another key than pk */
	unsigned char last_hash[CRYPT_HASH_LEN];
};

/*
 * Verifies the whole audit log of the database file at path: entries
 * numbered from 1 without a gap, each linked to the one before, each
 * entry's hash recomputed from its fields (auditfmt.h) and, where its
 * clear fields remain, each field's hash too; every signed head's
 * signature checked with its own key and the hashes it names.  pk is the
 * key the backup names (heads signed by another are counted apart).
 * Returns 0 with *r filled, or -1 with *cause naming the first broken
 * entry or head.
 */
int restore_verify_chain(const char *path, const unsigned char *pk,
    struct restore_chain_result *r, char **cause)
    __attribute__((warn_unused_result));

/*
 * The whole restore of file into cfg's database, saying what it does on
 * out.  With force, a backup made with other keys than the state
 * directory's (or into a state directory without keys) is restored.
 * Returns 0, or a sysexits(3) status with *cause set.
 */
int restore_run(const struct config *cfg, const char *file, int force,
    FILE *out, char **cause) __attribute__((warn_unused_result));

#endif
