/*
 * Restoring a backup, offline: see restore.h.  The order is the point:
 * everything is read and checked into a temporary file beside the
 * database first; only then are the current files moved aside and the
 * new one renamed into place, each step undone if a later one fails.
 */
#include "restore.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "auditfmt.h"
#include "backup.h"
#include "config.h"
#include "db.h"
#include "secret.h"

#define RESTORE_PIECE (64 * 1024)

static int restore_fail(char **cause, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
restore_fail(char **cause, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) < 0)
		abort();
	va_end(ap);
	return rc;
}

/* --- the manifest against this binary and this state directory --- */

/* Appends a line to *warning. */
static void
restore_warn(char **warning, const char *text)
{
	char *w;

	if (asprintf(&w, "%s%s%s", *warning ? *warning : "",
	        *warning ? "\n" : "", text) < 0)
		abort();
	free(*warning);
	*warning = w;
}

int
restore_check_manifest(const struct backup_manifest *m, int latest,
    const unsigned char *state_pk, const unsigned char *state_index_id,
    int force, char **warning, char **cause)
{
	char have[CRYPT_FINGERPRINT_LEN + 1], want[CRYPT_FINGERPRINT_LEN + 1];
	char *problem = NULL;

	*warning = NULL;
	if (m->schema_version > latest)
		return restore_fail(cause, EX_DATAERR,
		    "the backup has schema version %d, newer than the %d "
		    "this mandated knows: restore it with mandated %s or "
		    "later",
		    m->schema_version, latest, m->mandate_version);
	crypt_fingerprint(want, m->public_key);
	if (state_pk == NULL || state_index_id == NULL) {
		if (asprintf(&problem,
		        "the state directory lacks the keys of the daemon "
		        "that made the backup (%s%s%s): copy them there first "
		        "(audit key %s)",
		        state_pk ? "" : "audit-signing.key",
		        !state_pk && !state_index_id ? ", " : "",
		        state_index_id ? "" : "index.key", want) < 0)
			abort();
	} else if (!crypt_equal(state_pk, m->public_key, CRYPT_SIGN_PK_LEN)) {
		crypt_fingerprint(have, state_pk);
		if (asprintf(&problem,
		        "the backup was signed by audit key %s, and this state "
		        "directory's audit key is %s",
		        want, have) < 0)
			abort();
	} else if (!crypt_equal(
	               state_index_id, m->index_key_id, CRYPT_HASH_LEN)) {
		if (asprintf(&problem,
		        "this state directory's index key is not the one of "
		        "the daemon that made the backup") < 0)
			abort();
	}
	if (problem == NULL)
		return 0;
	if (!force) {
		if (asprintf(cause,
		        "%s; use --force to restore anyway (exports of the "
		        "restored log then verify only with the backup's key, "
		        "and submitters' own-case lists and the conflict "
		        "register need the old index key)",
		        problem) < 0)
			abort();
		free(problem);
		return EX_DATAERR;
	}
	restore_warn(warning, problem);
	free(problem);
	return 0;
}

/* --- the audit chain --- */

struct restore_chain {
	const unsigned char *pk;
	struct restore_chain_result *r;
	int64_t next; /* the seq the next must have */
	unsigned char (*hashes)[CRYPT_HASH_LEN]; /* of entries 1..next-1 */
	size_t cap;
};

/* Recomputes the field hashes of an entry whose clear fields remain. */
static int
restore_chain_fields(const struct db_audit *e, char **cause)
{
	unsigned char t[CRYPT_HASH_LEN], c[CRYPT_HASH_LEN], a[CRYPT_HASH_LEN],
	    d[CRYPT_HASH_LEN];
	const unsigned char *salt = e->has_salt ? e->salt : NULL;

	if (e->redacted != (salt != NULL))
		return restore_fail(cause, -1, "audit entry %lld: %s",
		    (long long)e->seq,
		    e->redacted ? "a redacted entry without its salt"
		                : "a clear entry with a salt");
	auditfmt_time_hash(t, e->time, salt);
	auditfmt_field_hash(c, "case", e->case_id, salt);
	auditfmt_field_hash(a, "actor", e->actor, salt);
	auditfmt_field_hash(d, "details", e->details, salt);
	if (!crypt_equal(t, e->time_hash, sizeof t) ||
	    !crypt_equal(c, e->case_hash, sizeof c) ||
	    !crypt_equal(a, e->actor_hash, sizeof a) ||
	    !crypt_equal(d, e->details_hash, sizeof d))
		return restore_fail(cause, -1,
		    "audit entry %lld: its fields do not match their hashes "
		    "(the entry was changed)",
		    (long long)e->seq);
	return 0;
}

static int
restore_chain_entry(void *arg, const struct db_audit *e, char **cause)
{
	struct restore_chain *v = arg;
	struct auditfmt_entry f;
	unsigned char hash[CRYPT_HASH_LEN];
	static const unsigned char zero[CRYPT_HASH_LEN];
	const unsigned char *prev = v->next > 1 ? v->hashes[v->next - 2] : zero;

	if (e->seq != v->next)
		return restore_fail(cause, -1,
		    "audit entry %lld is missing: entry %lld comes in its "
		    "place",
		    (long long)v->next, (long long)e->seq);
	if (!crypt_equal(e->prev_hash, prev, CRYPT_HASH_LEN))
		return restore_fail(cause, -1,
		    "audit entry %lld: its link to entry %lld does not match",
		    (long long)e->seq, (long long)e->seq - 1);
	if (e->shredded && !e->redacted)
		return restore_fail(cause, -1,
		    "audit entry %lld: a clear entry lost its fields",
		    (long long)e->seq);
	if (!e->shredded && restore_chain_fields(e, cause) < 0)
		return -1;
	memset(&f, 0, sizeof f);
	f.seq = e->seq;
	memcpy(f.prev_hash, e->prev_hash, sizeof f.prev_hash);
	f.redacted = e->redacted;
	f.day = auditfmt_day(e->time);
	f.role = e->role;
	f.action = e->action;
	f.unit = e->unit;
	memcpy(f.time_hash, e->time_hash, sizeof f.time_hash);
	memcpy(f.case_hash, e->case_hash, sizeof f.case_hash);
	memcpy(f.actor_hash, e->actor_hash, sizeof f.actor_hash);
	memcpy(f.details_hash, e->details_hash, sizeof f.details_hash);
	auditfmt_entry_hash(hash, &f);
	if (!crypt_equal(hash, e->hash, sizeof hash))
		return restore_fail(cause, -1,
		    "audit entry %lld: its hash does not match its contents "
		    "(the entry was changed)",
		    (long long)e->seq);
	if ((size_t)v->next > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		if ((v->hashes = realloc(v->hashes, v->cap * CRYPT_HASH_LEN)) ==
		    NULL)
			abort();
	}
	memcpy(v->hashes[v->next - 1], hash, CRYPT_HASH_LEN);
	v->next++;
	v->r->entries++;
	v->r->redacted += e->redacted != 0;
	v->r->shredded += e->shredded != 0;
	return 0;
}

/* The hash of entry seq (zeros for 0), or NULL past the end. */
static const unsigned char *
restore_chain_hash(const struct restore_chain *v, int64_t seq)
{
	static const unsigned char zero[CRYPT_HASH_LEN];

	if (seq == 0)
		return zero;
	if (seq < 0 || seq >= v->next)
		return NULL;
	return v->hashes[seq - 1];
}

static int
restore_chain_head(void *arg, const struct db_audit_head *h, char **cause)
{
	struct restore_chain *v = arg;
	struct auditfmt_head f;
	const unsigned char *at = restore_chain_hash(v, h->seq),
	                    *before = restore_chain_hash(v, h->from_seq - 1);
	unsigned char *msg;
	size_t len;
	int good;

	memset(&f, 0, sizeof f);
	f.from_seq = h->from_seq;
	f.seq = h->seq;
	f.signed_at = h->signed_at;
	memcpy(f.prev_hash, h->prev_hash, sizeof f.prev_hash);
	memcpy(f.hash, h->hash, sizeof f.hash);
	if ((msg = auditfmt_head_message(&f, &len)) == NULL)
		abort();
	good = crypt_sign_verify(h->signature, msg, len, h->public_key);
	free(msg);
	if (!good)
		return restore_fail(cause, -1,
		    "the signed head of audit entry %lld: its signature does "
		    "not verify",
		    (long long)h->seq);
	if (at == NULL || before == NULL ||
	    !crypt_equal(at, h->hash, CRYPT_HASH_LEN) ||
	    !crypt_equal(before, h->prev_hash, CRYPT_HASH_LEN))
		return restore_fail(cause, -1,
		    "the signed head of audit entries %lld to %lld names "
		    "other hashes than the log holds",
		    (long long)h->from_seq, (long long)h->seq);
	v->r->heads++;
	if (!crypt_equal(h->public_key, v->pk, CRYPT_SIGN_PK_LEN))
		v->r->heads_other_key++;
	return 0;
}

int
restore_verify_chain(const char *path, const unsigned char *pk,
    struct restore_chain_result *r, char **cause)
{
	struct restore_chain v = {pk, r, 1, NULL, 0};
	int ret;

	memset(r, 0, sizeof *r);
	ret = db_backup_audit_walk(
	    path, restore_chain_entry, restore_chain_head, &v, cause);
	if (ret == 0 && r->entries > 0)
		memcpy(r->last_hash, v.hashes[r->entries - 1], CRYPT_HASH_LEN);
	free(v.hashes);
	return ret;
}

/* --- the state of things before anything changes --- */

/* Refuses while a daemon serves the socket or has the database open. */
static int
restore_check_stopped(const struct config *cfg, char **cause)
{
	struct sockaddr_un sun;
	struct flock lk;
	char *shm;
	int fd, up = 0;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(cfg->socket_path) < sizeof sun.sun_path &&
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0) {
		snprintf(
		    sun.sun_path, sizeof sun.sun_path, "%s", cfg->socket_path);
		up = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
		close(fd);
	}
	if (up)
		return restore_fail(cause, EX_TEMPFAIL,
		    "mandated is running (it answers on %s): stop it (and "
		    "mandated.socket) first",
		    cfg->socket_path);
	/* SQLite holds a read lock on byte 128 of the -shm file for as long
	 * as a connection in WAL mode is open. */
	if (asprintf(&shm, "%s-shm", cfg->database) < 0)
		abort();
	fd = open(shm, O_RDWR | O_CLOEXEC);
	free(shm);
	if (fd < 0)
		return 0;
	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 128;
	lk.l_len = 1;
	up = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
	close(fd);
	if (up)
		return restore_fail(cause, EX_TEMPFAIL,
		    "the database %s is open in process %ld: stop mandated "
		    "first",
		    cfg->database, (long)lk.l_pid);
	return 0;
}

/* The state directory's keys: *pk and *index_id set to NULL when absent. */
static int
restore_state_keys(const struct config *cfg, unsigned char *pkbuf,
    const unsigned char **pk, unsigned char *idbuf,
    const unsigned char **index_id, char **cause)
{
	struct audit *a;
	unsigned char *key;
	char *path;
	int ret = 0;

	*pk = *index_id = NULL;
	if (asprintf(&path, "%s/audit-signing.key", cfg->state_dir) < 0)
		abort();
	if (access(path, F_OK) == 0) {
		if ((a = audit_open(path, 1, cause)) == NULL)
			ret = EX_NOPERM;
		else {
			memcpy(pkbuf, audit_public_key(a), CRYPT_SIGN_PK_LEN);
			*pk = pkbuf;
			audit_free(a);
		}
	}
	free(path);
	if (ret != 0)
		return ret;
	if (asprintf(&path, "%s/index.key", cfg->state_dir) < 0)
		abort();
	if (access(path, F_OK) == 0) {
		if ((key = secret_load(path, cause)) == NULL)
			ret = EX_NOPERM;
		else {
			backup_index_key_id(idbuf, key);
			*index_id = idbuf;
			crypt_key_free(key);
		}
	}
	free(path);
	return ret;
}

/* --- the database, copied and checked beside the current one --- */

/* Copies the database part of f to fd: exactly m->db_size bytes whose
 * hash is the manifest's, then the end of the file. */
static int
restore_copy(FILE *f, int fd, const struct backup_manifest *m, char **cause)
{
	unsigned char *buf = malloc(RESTORE_PIECE), hash[CRYPT_HASH_LEN];
	struct crypt_hash_state *h = crypt_hash_begin();
	int64_t done = 0;
	size_t n, want;
	int rc = 0;

	if (buf == NULL)
		abort();
	while (rc == 0 && done < m->db_size) {
		want = m->db_size - done < RESTORE_PIECE
		           ? (size_t)(m->db_size - done)
		           : RESTORE_PIECE;
		if ((n = fread(buf, 1, want, f)) == 0)
			break;
		crypt_hash_update(h, buf, n);
		if (write(fd, buf, n) != (ssize_t)n)
			rc = restore_fail(cause, EX_IOERR,
			    "cannot write the restored database: %s",
			    strerror(errno));
		done += (int64_t)n;
	}
	crypt_hash_end(h, hash);
	free(buf);
	if (rc != 0)
		return rc;
	if (ferror(f))
		return restore_fail(cause, EX_IOERR,
		    "cannot read the backup: %s", strerror(errno));
	if (done < m->db_size)
		return restore_fail(cause, EX_DATAERR,
		    "the backup is cut short: %lld of its %lld database bytes "
		    "are there",
		    (long long)done, (long long)m->db_size);
	if (getc(f) != EOF)
		return restore_fail(cause, EX_DATAERR,
		    "the backup has bytes after its %lld database bytes: it "
		    "was altered",
		    (long long)m->db_size);
	if (!crypt_equal(hash, m->db_hash, sizeof hash))
		return restore_fail(cause, EX_DATAERR,
		    "the database's hash does not match the manifest's: the "
		    "backup was altered or damaged");
	return 0;
}

/* Removes the temporary file and what SQLite may have left beside it. */
static void
restore_remove_temp(const char *tmp)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char *p;

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		if (asprintf(&p, "%s%s", tmp, ext[i]) < 0)
			abort();
		unlink(p);
		free(p);
	}
}

/* A new file beside the database holding the backup's database, synced,
 * owned as the database's directory is when run by root. */
static int
restore_write_temp(const struct config *cfg, FILE *f,
    const struct backup_manifest *m, char **tmp, char **cause)
{
	char *dir = strdup(cfg->database);
	struct stat st;
	int fd, rc;

	if (dir == NULL ||
	    asprintf(tmp, "%s.restore-XXXXXX", cfg->database) < 0)
		abort();
	if ((fd = mkstemp(*tmp)) < 0) {
		rc = restore_fail(
		    cause, EX_CANTCREAT, "%s: %s", *tmp, strerror(errno));
		free(dir);
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	rc = restore_copy(f, fd, m, cause);
	if (rc == 0 && geteuid() == 0 && stat(dirname(dir), &st) == 0 &&
	    fchown(fd, st.st_uid, st.st_gid) < 0)
		rc = restore_fail(
		    cause, EX_IOERR, "chown %s: %s", *tmp, strerror(errno));
	if (rc == 0 && fsync(fd) < 0)
		rc = restore_fail(
		    cause, EX_IOERR, "fsync %s: %s", *tmp, strerror(errno));
	close(fd);
	free(dir);
	return rc;
}

/* The database file as SQLite reads it: integrity, and the schema
 * version and audit head the manifest names. */
static int
restore_inspect(const char *tmp, const struct backup_manifest *m,
    struct db_snapshot *snap, char **cause)
{
	char *why = NULL;
	int rc;

	if (db_backup_inspect(tmp, snap, &why) < 0) {
		rc = restore_fail(cause, EX_DATAERR,
		    "the backup's database fails its check: %s", why);
		free(why);
		return rc;
	}
	if (snap->schema_version != m->schema_version ||
	    snap->audit_seq != m->audit_seq ||
	    !crypt_equal(snap->audit_hash, m->audit_hash, CRYPT_HASH_LEN))
		return restore_fail(cause, EX_DATAERR,
		    "the backup's database is not the one its manifest "
		    "describes (schema %d, audit entry %lld)",
		    snap->schema_version, (long long)snap->audit_seq);
	return 0;
}

/* --- the swap --- */

/* The database and the files beside it, and where they move; done[] in
 * the order the moves were made, for the undo. */
struct restore_moves {
	char *from[3], *to[3];
	int done[3];
	int n;
};

static void
restore_moves_free(struct restore_moves *mv)
{
	for (int i = 0; i < 3; i++) {
		free(mv->from[i]);
		free(mv->to[i]);
	}
}

static void
restore_undo(struct restore_moves *mv)
{
	while (mv->n > 0) {
		int i = mv->done[--mv->n];
		(void)rename(mv->to[i], mv->from[i]);
	}
}

static int
restore_sync_dir(const char *database)
{
	char *copy = strdup(database);
	int fd, ret = -1;

	if (copy == NULL)
		abort();
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
	    0) {
		ret = fsync(fd);
		close(fd);
	}
	free(copy);
	return ret;
}

/*
 * Moves the database, its -wal and its -shm to <database>.replaced-<UTC
 * time> (and -wal, -shm), then renames tmp to the database; undoes the
 * moves if that fails.  *aside is the new name of the old database, or
 * NULL when there was none.
 */
static int
restore_swap(
    const struct config *cfg, const char *tmp, char **aside, char **cause)
{
	static const char *const ext[] = {"", "-wal", "-shm"};
	struct restore_moves mv;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc = 0;

	memset(&mv, 0, sizeof mv);
	*aside = NULL;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 0; i < 3; i++) {
		if (asprintf(&mv.from[i], "%s%s", cfg->database, ext[i]) < 0 ||
		    asprintf(&mv.to[i], "%s.replaced-%s%s", cfg->database,
		        stamp, ext[i]) < 0)
			abort();
	}
	for (int i = 0; i < 3 && rc == 0; i++) {
		if (access(mv.from[i], F_OK) != 0)
			continue;
		if (access(mv.to[i], F_OK) == 0)
			rc = restore_fail(cause, EX_CANTCREAT,
			    "%s exists already: retry in a second", mv.to[i]);
		else if (rename(mv.from[i], mv.to[i]) < 0)
			rc = restore_fail(cause, EX_IOERR,
			    "cannot move %s aside: %s", mv.from[i],
			    strerror(errno));
		else {
			mv.done[mv.n++] = i;
			if (i == 0 && (*aside = strdup(mv.to[0])) == NULL)
				abort();
		}
	}
	if (rc == 0 && rename(tmp, cfg->database) < 0)
		rc = restore_fail(cause, EX_IOERR, "cannot rename %s to %s: %s",
		    tmp, cfg->database, strerror(errno));
	if (rc != 0) {
		restore_undo(&mv);
		free(*aside);
		*aside = NULL;
	} else if (restore_sync_dir(cfg->database) < 0)
		rc = restore_fail(cause, EX_IOERR,
		    "the restore is in place but its directory could not be "
		    "synced: %s",
		    strerror(errno));
	restore_moves_free(&mv);
	return rc;
}

/* --- the whole --- */

static void
restore_report(FILE *out, const char *file, const struct config *cfg,
    const struct backup_manifest *m, const struct db_snapshot *snap,
    const struct restore_chain_result *chain, const char *aside)
{
	char when[32], fp[CRYPT_FINGERPRINT_LEN + 1];

	auditfmt_time_text(when, sizeof when, m->created_at);
	crypt_fingerprint(fp, m->public_key);
	fprintf(out,
	    "restored %s from %s (made at %s by mandate %s, schema %d, "
	    "%lld bytes, signed by audit key %s)\n",
	    cfg->database, file, when, m->mandate_version, m->schema_version,
	    (long long)m->db_size, fp);
	if (snap->has_audit)
		fprintf(out,
		    "audit log: entries 1 to %lld verified (%lld redacted, "
		    "%lld shredded), %lld signed heads verified\n",
		    (long long)chain->entries, (long long)chain->redacted,
		    (long long)chain->shredded, (long long)chain->heads);
	else
		fprintf(
		    out, "audit log: none in schema %d\n", m->schema_version);
	if (chain->heads_other_key > 0)
		fprintf(out, "note: %lld signed heads are by another key\n",
		    (long long)chain->heads_other_key);
	if (aside != NULL)
		fprintf(out, "the database it replaced is now %s\n", aside);
	else
		fprintf(out, "there was no database to replace\n");
	if (m->schema_version < db_schema_latest())
		fprintf(out,
		    "mandated will migrate it from schema %d to %d when it "
		    "next starts\n",
		    m->schema_version, db_schema_latest());
}

/* Everything read and checked; *tmp is the verified copy. */
static int
restore_prepare(const struct config *cfg, FILE *f, int force, FILE *out,
    struct backup_manifest *m, struct db_snapshot *snap,
    struct restore_chain_result *chain, char **tmp, char **cause)
{
	unsigned char pkbuf[CRYPT_SIGN_PK_LEN], idbuf[CRYPT_HASH_LEN];
	const unsigned char *pk, *index_id;
	char *warning = NULL, *why = NULL;
	int rc;

	if (backup_manifest_read(f, m, cause) < 0)
		return EX_DATAERR;
	if (!backup_manifest_verify(m))
		return restore_fail(cause, EX_DATAERR,
		    "the manifest's signature does not verify: the backup "
		    "was altered or damaged");
	if ((rc = restore_state_keys(
	         cfg, pkbuf, &pk, idbuf, &index_id, cause)) != 0 ||
	    (rc = restore_check_manifest(m, db_schema_latest(), pk, index_id,
	         force, &warning, cause)) != 0)
		return rc;
	if (warning != NULL)
		fprintf(out, "warning (--force): %s\n", warning);
	free(warning);
	if ((rc = restore_write_temp(cfg, f, m, tmp, cause)) != 0 ||
	    (rc = restore_inspect(*tmp, m, snap, cause)) != 0)
		return rc;
	memset(chain, 0, sizeof *chain);
	if (snap->has_audit &&
	    restore_verify_chain(*tmp, m->public_key, chain, &why) < 0) {
		rc = restore_fail(cause, EX_DATAERR,
		    "the backup's audit log does not verify: %s", why);
		free(why);
		return rc;
	}
	return 0;
}

int
restore_run(const struct config *cfg, const char *file, int force, FILE *out,
    char **cause)
{
	struct backup_manifest m;
	struct db_snapshot snap;
	struct restore_chain_result chain;
	char *tmp = NULL, *aside = NULL;
	FILE *f;
	int rc;

	if ((rc = restore_check_stopped(cfg, cause)) != 0)
		return rc;
	if ((f = fopen(file, "re")) == NULL)
		return restore_fail(
		    cause, EX_NOINPUT, "%s: %s", file, strerror(errno));
	rc =
	    restore_prepare(cfg, f, force, out, &m, &snap, &chain, &tmp, cause);
	fclose(f);
	if (rc == 0)
		rc = restore_swap(cfg, tmp, &aside, cause);
	if (tmp != NULL && rc != 0)
		restore_remove_temp(tmp);
	if (rc == 0)
		restore_report(out, file, cfg, &m, &snap, &chain, aside);
	free(tmp);
	free(aside);
	return rc;
}
