/*
 * mandate backup FILE (administrators): asks the daemon for a backup,
 * waits while it snapshots the database, and saves the backup file (its
 * manifest line, then the database) as FILE.partial, mode 0600; checks the
 * database's size and hash against the manifest, then renames it to FILE,
 * which it replaces only with --force.  The daemon signs the manifest;
 * `mandated --restore` checks that signature and much more.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "conn.h"
#include "crypt.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

enum { BACKUP_OPT_FORCE = CMD_OPT_LOCAL };

#define BACKUP_MANIFEST_MAX 4096
#define BACKUP_PIECE (64 * 1024)
#define BACKUP_POLL_MS 200

/* What the client reads of the manifest. */
struct backup_info {
	json_t *manifest;
	int64_t size;
	unsigned char hash[CRYPT_HASH_LEN];
};

/* Starts the job: its id (malloc'd) or NULL after printing the error. */
static char *
backup_start(struct cmd_env *env, int *rc)
{
	json_t *reply = NULL;
	const char *id;
	char *copy = NULL;

	if ((*rc = cmd_request(env, "POST", "/v1/backup", NULL, &reply)) != 0)
		return NULL;
	id = json_string_value(json_object_get(reply, "id"));
	if (id == NULL || strlen(id) != 32 ||
	    strspn(id, "0123456789abcdef") != 32)
		*rc = cmd_fail(EX_PROTOCOL,
		    xstrdup("the daemon's reply names no backup job"));
	else
		copy = xstrdup(id);
	json_decref(reply);
	return copy;
}

/* GETs the job into f until it is ready (200); 202 means not yet. */
static int
backup_collect(struct cmd_env *env, const char *id, FILE *f)
{
	char *path = xasprintf("/v1/backup/%s", id), *cause = NULL, *why;
	struct conn_reply r;
	json_t *body;
	int rc;

	for (;;) {
		if (fflush(f) != 0 || ftruncate(fileno(f), 0) < 0 ||
		    fseeko(f, 0, SEEK_SET) < 0) {
			rc = cmd_fail(
			    EX_IOERR, xasprintf("cannot write the backup: %s",
			                  strerror(errno)));
			break;
		}
		if ((rc = conn_fetch(env->conn, "GET", path, f, &r, &cause)) !=
		    0) {
			rc = cmd_fail(rc, cause);
			break;
		}
		if (r.status == 202) {
			conn_reply_clear(&r);
			nanosleep(
			    &(struct timespec){0, BACKUP_POLL_MS * 1000000L},
			    NULL);
			continue;
		}
		if (r.status != 200) {
			why = NULL;
			body = json_parse_strict(r.body, r.bodylen, &why);
			free(why);
			rc = out_server_error(r.status, body);
			json_decref(body);
		}
		conn_reply_clear(&r);
		break;
	}
	free(path);
	if (rc == 0 && fflush(f) != 0)
		rc = cmd_fail(EX_IOERR,
		    xasprintf("cannot write the backup: %s", strerror(errno)));
	return rc;
}

/* Reads the manifest line of f and the size and hash it states. */
static int
backup_read_manifest(FILE *f, struct backup_info *b)
{
	char line[BACKUP_MANIFEST_MAX], *why = NULL;
	const char *hex;
	json_t *size;
	size_t n = 0;
	int c = EOF;

	while (n < sizeof line && (c = getc(f)) != EOF && c != '\n')
		line[n++] = (char)c;
	if (c == '\n')
		b->manifest = json_parse_strict(line, n, &why);
	free(why);
	size = json_object_get(b->manifest, "database_size");
	hex =
	    json_string_value(json_object_get(b->manifest, "database_blake2b"));
	if (!json_is_integer(size) || json_integer_value(size) <= 0 ||
	    hex == NULL || strlen(hex) != 2 * CRYPT_HASH_LEN ||
	    crypt_unhex(b->hash, CRYPT_HASH_LEN, hex) < 0)
		return cmd_fail(EX_PROTOCOL,
		    xstrdup("the backup does not start with a manifest that "
		            "states the database's size and hash"));
	b->size = (int64_t)json_integer_value(size);
	return 0;
}

/* Checks that what follows the manifest is the database it describes. */
static int
backup_check(FILE *f, struct backup_info *b)
{
	unsigned char *buf = xmalloc(BACKUP_PIECE), hash[CRYPT_HASH_LEN];
	struct crypt_hash_state *h;
	int64_t got = 0;
	size_t n;
	int rc;

	if (fseeko(f, 0, SEEK_SET) < 0) {
		free(buf);
		return cmd_fail(
		    EX_IOERR, xasprintf("cannot read the backup back: %s",
		                  strerror(errno)));
	}
	if ((rc = backup_read_manifest(f, b)) != 0) {
		free(buf);
		return rc;
	}
	h = crypt_hash_begin();
	while ((n = fread(buf, 1, BACKUP_PIECE, f)) > 0) {
		crypt_hash_update(h, buf, n);
		got += (int64_t)n;
	}
	crypt_hash_end(h, hash);
	free(buf);
	if (ferror(f))
		return cmd_fail(EX_IOERR, xasprintf("cannot read the backup "
		                                    "back: %s",
		                              strerror(errno)));
	if (got != b->size)
		return cmd_fail(EX_PROTOCOL,
		    xasprintf("the backup arrived with %" PRId64
		              " database bytes; its manifest says %" PRId64,
		        got, b->size));
	if (!crypt_equal(hash, b->hash, sizeof hash))
		return cmd_fail(EX_PROTOCOL,
		    xstrdup("the database's hash does not match its manifest: "
		            "the backup was damaged on its way"));
	return 0;
}

/* FILE.partial to FILE: replacing FILE only with force. */
static int
backup_install(const char *part, const char *file, int force)
{
	if (force ? rename(part, file) < 0 : link(part, file) < 0) {
		if (errno == EEXIST)
			return cmd_fail(EX_CANTCREAT,
			    xasprintf(
			        "%s exists: use --force to replace it", file));
		return cmd_fail(
		    EX_CANTCREAT, xasprintf("%s: %s", file, strerror(errno)));
	}
	if (!force)
		unlink(part);
	return 0;
}

static int
backup_report(
    const struct cmd_env *env, const char *file, const struct backup_info *b)
{
	json_t *m = b->manifest, *v;
	int rc;

	if (env->json) {
		v = json_pack("{s:s, s:I, s:O?, s:O?, s:O?, s:O?, s:O?}",
		    "file", file, "database_size", (json_int_t)b->size,
		    "schema_version", json_object_get(m, "schema_version"),
		    "audit_seq", json_object_get(m, "audit_seq"), "created_at",
		    json_object_get(m, "created_at"), "fingerprint",
		    json_object_get(m, "fingerprint"), "mandate_version",
		    json_object_get(m, "mandate_version"));
		rc = out_json(v);
		json_decref(v);
		return rc;
	}
	printf("backup written to ");
	out_text(stdout, file, 0);
	printf(": %" PRId64 " bytes of database, schema %" JSON_INTEGER_FORMAT
	       ", audit entries 1 to %" JSON_INTEGER_FORMAT ", made at %s, "
	       "signed by audit key %s\n",
	    b->size, json_integer_value(json_object_get(m, "schema_version")),
	    json_integer_value(json_object_get(m, "audit_seq")),
	    out_str(m, "created_at"), out_str(m, "fingerprint"));
	return out_flush();
}

/* The whole: start, collect into FILE.partial, check, rename. */
static int
backup_run(struct cmd_env *env, const char *file, int force)
{
	struct backup_info b = {NULL, 0, {0}};
	char *part = xasprintf("%s.partial", file), *id = NULL;
	FILE *f = NULL;
	int fd, rc = 0;

	if (!force && access(file, F_OK) == 0) {
		rc = cmd_fail(EX_CANTCREAT,
		    xasprintf("%s exists: use --force to replace it", file));
		goto out;
	}
	fd = open(
	    part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0 || (f = fdopen(fd, "w+")) == NULL) {
		rc = cmd_fail(
		    EX_CANTCREAT, xasprintf("%s: %s", part, strerror(errno)));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if ((id = backup_start(env, &rc)) == NULL ||
	    (rc = backup_collect(env, id, f)) != 0 ||
	    (rc = backup_check(f, &b)) != 0)
		goto out;
	if (fsync(fileno(f)) < 0)
		rc = cmd_fail(
		    EX_IOERR, xasprintf("fsync %s: %s", part, strerror(errno)));
	else
		rc = backup_install(part, file, force);
out:
	if (f != NULL)
		fclose(f);
	if (rc != 0)
		unlink(part);
	if (rc == 0)
		rc = backup_report(env, file, &b);
	json_decref(b.manifest);
	free(part);
	free(id);
	return rc;
}

static int
backup_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, BACKUP_OPT_FORCE}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	int ch, rc, force = 0;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == BACKUP_OPT_FORCE)
			force = 1;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	return backup_run(env, argv[optind], force);
}

const struct cmd cmd_backup = {
    .name = "backup",
    .summary = "Save a consistent backup of the database (administrators)",
    .usage = "FILE [--force]",
    .help = "Options:\n"
            "  --force               replace FILE if it exists\n"
            "\nThe daemon snapshots its database while it goes on serving "
            "and signs a\n"
            "manifest of it with its audit key; FILE (mode 600) holds the "
            "manifest\n"
            "line and the database, checked against the manifest's hash "
            "before it\n"
            "is renamed into place.  Keys are not in it: keep a copy of "
            "the state\n"
            "directory's audit-signing.key and index.key apart.  Restore "
            "with\n"
            "mandated --restore FILE, the daemon stopped.\n",
    .exec = backup_exec,
};
