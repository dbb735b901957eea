/*
 * Backups: the manifest (its canonical encoding, JSON form, parser and
 * signature check) and the daemon's backup job, a worker thread that
 * snapshots the database while the event loop goes on serving.  See
 * backup.h.
 *
 * The worker touches nothing the loop uses: it has its own SQLite
 * connection (db_backup_snapshot()), writes only its job's results, and
 * publishes them by storing the job's state last; the loop reads the
 * state, and only then the results.  Signing happens on the loop's
 * thread, when the job is collected.
 */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "auditfmt.h"
#include "config.h"
#include "db.h"
#include "json.h"
#include "log.h"
#include "mandate/api.h"
#include "server.h"

#define BACKUP_PIECE (64 * 1024)

/* --- the manifest --- */

struct backup_buf {
	unsigned char *p;
	size_t len, cap;
};

/* Appends ns(data): "<len>:" data ",". */
static void
backup_put(struct backup_buf *b, const void *data, size_t n)
{
	char prefix[24];
	int k = snprintf(prefix, sizeof prefix, "%zu:", n);

	if (b->len + (size_t)k + n + 1 > b->cap) {
		b->cap = (b->len + (size_t)k + n + 1) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	memcpy(b->p + b->len, prefix, (size_t)k);
	b->len += (size_t)k;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len++] = ',';
}

static void
backup_put_int(struct backup_buf *b, int64_t v)
{
	char num[24];

	snprintf(num, sizeof num, "%" PRId64, v);
	backup_put(b, num, strlen(num));
}

unsigned char *
backup_manifest_message(const struct backup_manifest *m, size_t *len)
{
	struct backup_buf b = {NULL, 0, 0};

	backup_put(&b, BACKUP_SIGN_TAG, strlen(BACKUP_SIGN_TAG));
	backup_put_int(&b, m->version);
	backup_put(&b, m->mandate_version, strlen(m->mandate_version));
	backup_put_int(&b, m->schema_version);
	backup_put_int(&b, m->created_at);
	backup_put_int(&b, m->audit_seq);
	backup_put(&b, m->audit_hash, sizeof m->audit_hash);
	backup_put(&b, m->public_key, sizeof m->public_key);
	backup_put(&b, m->index_key_id, sizeof m->index_key_id);
	backup_put_int(&b, m->db_size);
	backup_put(&b, m->db_hash, sizeof m->db_hash);
	*len = b.len;
	return b.p;
}

static json_t *
backup_hex_json(const unsigned char *p, size_t len)
{
	char hex[2 * CRYPT_SIGNATURE_LEN + 1];

	crypt_hex(hex, p, len);
	return json_string(hex);
}

char *
backup_manifest_json(const struct backup_manifest *m)
{
	char when[32], fp[CRYPT_FINGERPRINT_LEN + 1], *pk, *text, *line;
	json_t *o;

	auditfmt_time_text(when, sizeof when, m->created_at);
	crypt_fingerprint(fp, m->public_key);
	pk = crypt_b64_encode(m->public_key, sizeof m->public_key);
	o = json_pack("{s:s, s:i, s:s, s:i, s:s, s:I}", "format", BACKUP_FORMAT,
	    "version", m->version, "mandate_version", m->mandate_version,
	    "schema_version", m->schema_version, "created_at", when,
	    "audit_seq", (json_int_t)m->audit_seq);
	json_object_set_new(
	    o, "audit_hash", backup_hex_json(m->audit_hash, CRYPT_HASH_LEN));
	json_object_set_new(o, "public_key", json_string(pk));
	json_object_set_new(o, "fingerprint", json_string(fp));
	json_object_set_new(o, "index_key_id",
	    backup_hex_json(m->index_key_id, CRYPT_HASH_LEN));
	json_object_set_new(
	    o, "database_size", json_integer((json_int_t)m->db_size));
	json_object_set_new(
	    o, "database_blake2b", backup_hex_json(m->db_hash, CRYPT_HASH_LEN));
	json_object_set_new(
	    o, "signature", backup_hex_json(m->signature, CRYPT_SIGNATURE_LEN));
	text = json_dump_compact(o);
	json_decref(o);
	if (asprintf(&line, "%s\n", text) < 0)
		abort();
	free(text);
	free(pk);
	return line;
}

static int
backup_bad(char **cause, const char *member, const char *what)
{
	if (asprintf(cause, "the backup's manifest: %s %s", member, what) < 0)
		abort();
	return -1;
}

/* A non-negative integer member into *v. */
static int
backup_get_int(const json_t *o, const char *key, int64_t *v, char **cause)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return backup_bad(cause, key, "is not a non-negative integer");
	*v = (int64_t)json_integer_value(j);
	return 0;
}

/* A hex member of exactly len bytes into out. */
static int
backup_get_hex(const json_t *o, const char *key, unsigned char *out, size_t len,
    char **cause)
{
	const char *s = json_string_value(json_object_get(o, key));

	for (size_t i = 0; s != NULL && s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			s = NULL;
	if (s == NULL || strlen(s) != 2 * len || crypt_unhex(out, len, s) < 0)
		return backup_bad(cause, key,
		    "is not lower-case hex of the "
		    "right length");
	return 0;
}

/* Every member must be one of the manifest's. */
static int
backup_check_members(const json_t *o, char **cause)
{
	static const char *const known[] = {"format", "version",
	    "mandate_version", "schema_version", "created_at", "audit_seq",
	    "audit_hash", "public_key", "fingerprint", "index_key_id",
	    "database_size", "database_blake2b", "signature", NULL};
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)o, key, v)
	{
		for (i = 0; known[i] != NULL && strcmp(key, known[i]); i++)
			;
		if (known[i] == NULL)
			return backup_bad(cause, key,
			    "is not a member of a "
			    "version 1 manifest");
	}
	return 0;
}

/* The strings: versions, time, key and its fingerprint. */
static int
backup_parse_text(const json_t *o, struct backup_manifest *m, char **cause)
{
	const char *v =
	    json_string_value(json_object_get(o, "mandate_version"));
	const char *t = json_string_value(json_object_get(o, "created_at"));
	const char *pk = json_string_value(json_object_get(o, "public_key"));
	const char *fp = json_string_value(json_object_get(o, "fingerprint"));
	char want[CRYPT_FINGERPRINT_LEN + 1];
	unsigned char *key;
	size_t len = 0;

	if (v == NULL || v[0] == '\0' || strlen(v) >= sizeof m->mandate_version)
		return backup_bad(cause, "mandate_version",
		    "is missing or "
		    "too long");
	snprintf(m->mandate_version, sizeof m->mandate_version, "%s", v);
	if (t == NULL || auditfmt_time_parse(t, &m->created_at) < 0 ||
	    strlen(t) != 20)
		return backup_bad(cause, "created_at",
		    "is not a UTC time "
		    "YYYY-MM-DDTHH:MM:SSZ");
	key = pk != NULL ? crypt_b64_decode(pk, strlen(pk), &len) : NULL;
	if (key == NULL || len != CRYPT_SIGN_PK_LEN) {
		free(key);
		return backup_bad(cause, "public_key",
		    "is not a base64 "
		    "Ed25519 public key");
	}
	memcpy(m->public_key, key, len);
	free(key);
	crypt_fingerprint(want, m->public_key);
	if (fp == NULL || strcmp(fp, want) != 0)
		return backup_bad(cause, "fingerprint",
		    "is not that of "
		    "public_key");
	return 0;
}

int
backup_manifest_parse(
    struct backup_manifest *m, const char *line, size_t len, char **cause)
{
	const char *format;
	char *why = NULL;
	json_t *o;
	int64_t version = 0, schema = 0;
	int ret = -1;

	memset(m, 0, sizeof *m);
	o = json_parse_strict(line, len, &why);
	free(why);
	if (!json_is_object(o)) {
		json_decref(o);
		if (asprintf(cause, "not a mandate backup: its first line is "
		                    "not a JSON manifest") < 0)
			abort();
		return -1;
	}
	format = json_string_value(json_object_get(o, "format"));
	if (format == NULL || strcmp(format, BACKUP_FORMAT) != 0) {
		if (asprintf(cause, "not a mandate backup: its manifest's "
		                    "format is not \"" BACKUP_FORMAT "\"") < 0)
			abort();
		goto out;
	}
	if (backup_get_int(o, "version", &version, cause) < 0)
		goto out;
	if (version != BACKUP_FORMAT_VERSION) {
		if (asprintf(cause,
		        "the backup is of format version %" PRId64
		        "; this mandate reads version %d",
		        version, BACKUP_FORMAT_VERSION) < 0)
			abort();
		goto out;
	}
	m->version = (int)version;
	if (backup_check_members(o, cause) < 0 ||
	    backup_parse_text(o, m, cause) < 0 ||
	    backup_get_int(o, "schema_version", &schema, cause) < 0 ||
	    backup_get_int(o, "audit_seq", &m->audit_seq, cause) < 0 ||
	    backup_get_int(o, "database_size", &m->db_size, cause) < 0 ||
	    backup_get_hex(
	        o, "audit_hash", m->audit_hash, CRYPT_HASH_LEN, cause) < 0 ||
	    backup_get_hex(o, "index_key_id", m->index_key_id, CRYPT_HASH_LEN,
	        cause) < 0 ||
	    backup_get_hex(
	        o, "database_blake2b", m->db_hash, CRYPT_HASH_LEN, cause) < 0 ||
	    backup_get_hex(
	        o, "signature", m->signature, CRYPT_SIGNATURE_LEN, cause) < 0)
		goto out;
	if (schema > 1000000) {
		backup_bad(cause, "schema_version", "is out of range");
		goto out;
	}
	m->schema_version = (int)schema;
	ret = 0;
out:
	json_decref(o);
	return ret;
}

int
backup_manifest_verify(const struct backup_manifest *m)
{
	size_t len;
	unsigned char *msg = backup_manifest_message(m, &len);
	int good = crypt_sign_verify(m->signature, msg, len, m->public_key);

	free(msg);
	return good;
}

int
backup_manifest_read(FILE *f, struct backup_manifest *m, char **cause)
{
	char line[BACKUP_MANIFEST_MAX];
	size_t n = 0;
	int c = EOF;

	while (n < sizeof line && (c = getc(f)) != EOF && c != '\n')
		line[n++] = (char)c;
	if (ferror(f)) {
		if (asprintf(cause, "cannot read the backup: %s",
		        strerror(errno)) < 0)
			abort();
		return -1;
	}
	if (c != '\n' || n == 0 || line[0] != '{') {
		if (asprintf(cause, "not a mandate backup: it does not start "
		                    "with a manifest line") < 0)
			abort();
		return -1;
	}
	return backup_manifest_parse(m, line, n, cause);
}

void
backup_index_key_id(unsigned char *out, const unsigned char *index_key)
{
	crypt_keyed_hash(out, index_key, BACKUP_INDEX_ID_LABEL,
	    strlen(BACKUP_INDEX_ID_LABEL));
}

/* --- the job --- */

enum backup_job_state { JOB_RUNNING, JOB_READY, JOB_FAILED };

struct backup_job {
	char id[BACKUP_ID_LEN + 1];
	char user[65];
	char *database; /* copied: a reload may change the configuration */
	char *path;     /* the snapshot, in the state directory */
	int64_t started;
	pthread_t thread;
	int joined;
	atomic_int state; /* enum backup_job_state; stored last */
	atomic_int cancel;
	/* Written by the worker before it stores the state. */
	struct db_snapshot snap;
	int64_t size;
	unsigned char hash[CRYPT_HASH_LEN];
	char *error;
};

static struct backup_job *backup_current;
static int backup_swept;

static int
backup_cancelled(void *arg)
{
	struct backup_job *j = arg;

	return atomic_load(&j->cancel);
}

/* Size and hash of the snapshot file. */
static int
backup_hash_file(struct backup_job *j)
{
	unsigned char *buf = malloc(BACKUP_PIECE);
	struct crypt_hash_state *h;
	ssize_t n;
	int fd = open(j->path, O_RDONLY | O_CLOEXEC);

	if (buf == NULL)
		abort();
	if (fd < 0) {
		free(buf);
		return -1;
	}
	h = crypt_hash_begin();
	j->size = 0;
	while ((n = read(fd, buf, BACKUP_PIECE)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		crypt_hash_update(h, buf, (size_t)n);
		j->size += n;
	}
	crypt_hash_end(h, j->hash);
	close(fd);
	free(buf);
	return n == 0 ? 0 : -1;
}

static void *
backup_worker(void *arg)
{
	struct backup_job *j = arg;
	char *cause = NULL;

	if (db_backup_snapshot(j->database, j->path, backup_cancelled, j,
	        &j->snap, &cause) < 0) {
		j->error = cause;
	} else if (backup_hash_file(j) < 0) {
		if (asprintf(&j->error, "backup: cannot read %s back: %s",
		        j->path, strerror(errno)) < 0)
			abort();
	}
	atomic_store(&j->state, j->error != NULL ? JOB_FAILED : JOB_READY);
	return NULL;
}

/* Cancels and waits for the worker, removes the file, frees. */
static void
backup_job_free(struct backup_job *j)
{
	if (j == NULL)
		return;
	if (!j->joined) {
		atomic_store(&j->cancel, 1);
		pthread_join(j->thread, NULL);
	}
	if (unlink(j->path) < 0 && errno != ENOENT)
		log_warn("backup: cannot remove %s", j->path);
	free(j->database);
	free(j->path);
	free(j->error);
	free(j);
}

/* Snapshots a daemon stopped in the middle of one left behind. */
static void
backup_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n;
	char *path;

	backup_swept = 1;
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (strncmp(e->d_name, "backup-", 7) != 0 || n < 11 ||
		    strcmp(e->d_name + n - 4, ".tmp") != 0)
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			abort();
		if (unlink(path) == 0)
			log_info(
			    "backup: removed %s, left by an earlier run", path);
		free(path);
	}
	closedir(d);
}

int
backup_job_start(
    struct server *srv, const char *user, char *id, size_t size, char **cause)
{
	unsigned char raw[BACKUP_ID_LEN / 2];
	struct backup_job *j;
	int err;

	if (backup_current != NULL &&
	    atomic_load(&backup_current->state) == JOB_RUNNING)
		return 0;
	backup_job_free(backup_current);
	backup_current = NULL;
	if (!backup_swept)
		backup_sweep(srv->cfg->state_dir);
	if ((j = calloc(1, sizeof *j)) == NULL)
		abort();
	crypt_random(raw, sizeof raw);
	crypt_hex(j->id, raw, sizeof raw);
	snprintf(j->user, sizeof j->user, "%s", user);
	if ((j->database = strdup(srv->cfg->database)) == NULL ||
	    asprintf(&j->path, "%s/backup-%s.tmp", srv->cfg->state_dir, j->id) <
	        0)
		abort();
	j->started = server_now();
	atomic_init(&j->state, JOB_RUNNING);
	atomic_init(&j->cancel, 0);
	if ((err = pthread_create(&j->thread, NULL, backup_worker, j)) != 0) {
		if (asprintf(cause, "backup: cannot start a thread: %s",
		        strerror(err)) < 0)
			abort();
		j->joined = 1;
		backup_job_free(j);
		return -1;
	}
	backup_current = j;
	snprintf(id, size, "%s", j->id);
	return 1;
}

struct backup_reader {
	char *manifest; /* the first piece, until sent */
	size_t mlen;
	int fd;
	int64_t left;
};

/* Signs the manifest of a finished job and opens its file. */
static struct backup_reader *
backup_reader_open(struct server *srv, const struct backup_job *j, char **cause)
{
	struct backup_manifest m;
	struct backup_reader *r;
	unsigned char *msg;
	struct stat st;
	size_t len;
	int fd;

	if (srv->audit == NULL) {
		if (asprintf(cause, "backup: no audit key to sign with") < 0)
			abort();
		return NULL;
	}
	if ((fd = open(j->path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || st.st_size != j->size) {
		if (asprintf(cause,
		        "backup: %s is gone or changed since it "
		        "was hashed",
		        j->path) < 0)
			abort();
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	memset(&m, 0, sizeof m);
	m.version = BACKUP_FORMAT_VERSION;
	snprintf(
	    m.mandate_version, sizeof m.mandate_version, "%s", MANDATE_VERSION);
	m.schema_version = j->snap.schema_version;
	m.created_at = j->started;
	m.audit_seq = j->snap.audit_seq;
	memcpy(m.audit_hash, j->snap.audit_hash, sizeof m.audit_hash);
	memcpy(m.public_key, audit_public_key(srv->audit), sizeof m.public_key);
	if (srv->index_key != NULL)
		backup_index_key_id(m.index_key_id, srv->index_key);
	m.db_size = j->size;
	memcpy(m.db_hash, j->hash, sizeof m.db_hash);
	msg = backup_manifest_message(&m, &len);
	audit_sign_message(srv->audit, m.signature, msg, len);
	free(msg);
	if ((r = calloc(1, sizeof *r)) == NULL)
		abort();
	r->manifest = backup_manifest_json(&m);
	r->mlen = strlen(r->manifest);
	r->fd = fd;
	r->left = j->size;
	return r;
}

enum backup_state
backup_job_take(struct server *srv, const char *id, const char *user,
    struct backup_reader **reader, int64_t *size, char **cause)
{
	struct backup_job *j = backup_current;
	int state;

	*reader = NULL;
	if (j == NULL || strcmp(j->id, id) != 0 || strcmp(j->user, user) != 0)
		return BACKUP_UNKNOWN;
	state = atomic_load(&j->state);
	if (state == JOB_RUNNING)
		return BACKUP_RUNNING;
	pthread_join(j->thread, NULL);
	j->joined = 1;
	backup_current = NULL;
	if (state == JOB_READY) {
		*reader = backup_reader_open(srv, j, cause);
		*size = j->size;
	} else {
		*cause = j->error;
		j->error = NULL;
	}
	backup_job_free(j); /* the reader's descriptor keeps the file */
	return *reader != NULL ? BACKUP_READY : BACKUP_FAILED;
}

int
backup_reader_next(void *arg, char **piece, size_t *len)
{
	struct backup_reader *r = arg;
	size_t want, got = 0;
	ssize_t n;

	*piece = NULL;
	*len = 0;
	if (r->manifest != NULL) {
		*piece = r->manifest;
		*len = r->mlen;
		r->manifest = NULL;
		return 1;
	}
	if (r->left == 0)
		return 0;
	want = r->left < BACKUP_PIECE ? (size_t)r->left : BACKUP_PIECE;
	if ((*piece = malloc(want)) == NULL)
		abort();
	while (got < want) {
		n = read(r->fd, *piece + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_warnx("backup: the snapshot ends short: %s",
			    n < 0 ? strerror(errno) : "end of file");
			free(*piece);
			*piece = NULL;
			return -1;
		}
		got += (size_t)n;
	}
	r->left -= (int64_t)got;
	*len = got;
	return 1;
}

void
backup_reader_free(void *arg)
{
	struct backup_reader *r = arg;

	if (r == NULL)
		return;
	free(r->manifest);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

void
backup_job_shutdown(void)
{
	backup_job_free(backup_current);
	backup_current = NULL;
}
