/*
 * Attachments on the client: encrypting and uploading a file chunk by
 * chunk, downloading and decrypting one into a directory.  See
 * casefiles.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "casefiles.h"
#include "casethread.h"
#include "cmd.h"
#include "crypt.h"
#include "filename.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

/* One attachment on its way up or down. */
struct casefiles_xfer {
	const char *case_id;
	char id[CASETHREAD_ID_LEN + 1];
	unsigned char *key; /* the stream key */
	struct crypt_stream *stream;
	int fd;
	long long size;
	unsigned char *plain; /* CASEFILES_CHUNK bytes, wiped */
};

static void
casefiles_xfer_init(struct casefiles_xfer *x, const char *case_id,
    const unsigned char *casekey, const char *id)
{
	char label[64];

	memset(x, 0, sizeof *x);
	x->case_id = case_id;
	x->fd = -1;
	snprintf(x->id, sizeof x->id, "%s", id);
	snprintf(label, sizeof label, "attachment:%s", id);
	x->key = crypt_key_new(0);
	crypt_keyed_hash(x->key, casekey, label, strlen(label));
	x->plain = xmalloc(CASEFILES_CHUNK);
}

static void
casefiles_xfer_clear(struct casefiles_xfer *x)
{
	crypt_key_free(x->key);
	crypt_stream_free(x->stream);
	if (x->plain != NULL)
		crypt_wipe(x->plain, CASEFILES_CHUNK);
	free(x->plain);
	if (x->fd != -1)
		close(x->fd);
	memset(x, 0, sizeof *x);
	x->fd = -1;
}

/* The associated data of an attachment's description. */
static size_t
casefiles_meta_ad(
    unsigned char *ad, size_t size, const char *case_id, const char *id)
{
	char row[64];

	snprintf(row, sizeof row, "%s:%s", case_id, id);
	return crypt_ad(ad, size, "attachments", "meta", row);
}

int
casefiles_check(const char *path)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		out_error("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		out_error(
		    "%s: not a regular file: only files can be attached", path);
		return EX_NOINPUT;
	}
	close(fd);
	return 0;
}

/* The sealed description {"name", "type", "size"}, base64. */
static char *
casefiles_seal_meta(const struct casefiles_xfer *x,
    const unsigned char *casekey, const json_t *meta)
{
	unsigned char ad[CRYPT_AD_MAX], *box;
	size_t adlen = casefiles_meta_ad(ad, sizeof ad, x->case_id, x->id);
	char *text = json_dump_compact(meta), *b64;
	size_t len = strlen(text);

	box = xmalloc(len + CRYPT_BOX_OVERHEAD);
	crypt_box(box, (unsigned char *)text, len, ad, adlen, casekey);
	b64 = crypt_b64_encode(box, len + CRYPT_BOX_OVERHEAD);
	crypt_wipe(text, len);
	free(text);
	free(box);
	return b64;
}

/* POST /v1/receipt/attachments: declares the file; *meta describes it. */
static int
casefiles_declare(struct cmd_env *env, struct casefiles_xfer *x,
    const unsigned char *casekey, const char *path, json_t **meta)
{
	unsigned char header[CRYPT_STREAM_HEADER_LEN];
	char *base = xstrdup(path), *sealed, *h64;
	json_t *body, *reply = NULL;
	int rc;

	*meta = json_pack("{s:s, s:s, s:I}", "name", basename(base), "type",
	    filename_mime_type(path), "size", (json_int_t)x->size);
	free(base);
	if (*meta == NULL) {
		out_error("%s: the file name is not valid UTF-8: rename the "
		          "file first",
		    path);
		return EX_DATAERR;
	}
	x->stream = crypt_stream_push_new(header, x->key);
	sealed = casefiles_seal_meta(x, casekey, *meta);
	h64 = crypt_b64_encode(header, sizeof header);
	body = json_pack("{s:s, s:I, s:s, s:s}", "id", x->id, "size",
	    (json_int_t)x->size, "header", h64, "meta", sealed);
	rc = cmd_request_retry(
	    env, "POST", "/v1/receipt/attachments", body, NULL, &reply);
	json_decref(body);
	json_decref(reply);
	free(sealed);
	free(h64);
	return rc;
}

/* Reads exactly len bytes (fewer only at the end of the file). */
static ssize_t
casefiles_read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* PUT one encrypted chunk. */
static int
casefiles_put_chunk(struct cmd_env *env, struct casefiles_xfer *x, long n,
    size_t len, int final)
{
	unsigned char *ct = xmalloc(len + CRYPT_STREAM_ABYTES);
	char *b64, *path;
	json_t *body, *reply = NULL;
	int rc;

	crypt_stream_push(x->stream, ct, x->plain, len, final);
	crypt_wipe(x->plain, len);
	b64 = crypt_b64_encode(ct, len + CRYPT_STREAM_ABYTES);
	free(ct);
	body = json_pack("{s:s, s:b}", "data", b64, "final", final);
	free(b64);
	path = xasprintf("/v1/receipt/attachments/%s/chunks/%ld", x->id, n);
	rc = cmd_request_retry(env, "PUT", path, body, NULL, &reply);
	free(path);
	json_decref(body);
	json_decref(reply);
	return rc;
}

/* Streams the file from disk, a chunk at a time, the last one final. */
static int
casefiles_send(struct cmd_env *env, struct casefiles_xfer *x, const char *path)
{
	long long sent = 0;
	size_t want;
	ssize_t got;
	long n;
	int final, rc;

	for (n = 0;; n++) {
		want = x->size - sent < CASEFILES_CHUNK
		           ? (size_t)(x->size - sent)
		           : CASEFILES_CHUNK;
		if ((got = casefiles_read_full(x->fd, x->plain, want)) == -1) {
			out_error("%s: %s", path, strerror(errno));
			return EX_IOERR;
		}
		if ((size_t)got != want) {
			out_error("%s: the file shrank while it was being sent",
			    path);
			return EX_IOERR;
		}
		final = sent + got == x->size;
		if ((rc = casefiles_put_chunk(env, x, n, want, final)) != 0)
			return rc;
		sent += got;
		if (final)
			return 0;
	}
}

int
casefiles_upload(struct cmd_env *env, const char *case_id,
    const unsigned char *casekey, const char *path, json_t **info)
{
	struct casefiles_xfer x;
	struct stat st;
	char id[CASETHREAD_ID_LEN + 1];
	json_t *meta = NULL;
	int rc;

	*info = NULL;
	casethread_new_id(id);
	casefiles_xfer_init(&x, case_id, casekey, id);
	if ((x.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(x.fd, &st) == -1) {
		out_error("%s: %s", path, strerror(errno));
		rc = EX_NOINPUT;
		goto out;
	}
	x.size = (long long)st.st_size;
	if ((rc = casefiles_declare(env, &x, casekey, path, &meta)) != 0 ||
	    (rc = casefiles_send(env, &x, path)) != 0)
		goto out;
	json_object_set_new(meta, "id", json_string(x.id));
	*info = meta;
	meta = NULL;
out:
	json_decref(meta);
	casefiles_xfer_clear(&x);
	return rc;
}

json_t *
casefiles_open_meta(
    const char *case_id, const json_t *a, const unsigned char *casekey)
{
	const char *id = json_string_value(json_object_get(a, "id"));
	const char *b64 = json_string_value(json_object_get(a, "meta"));
	unsigned char ad[CRYPT_AD_MAX], *box = NULL;
	size_t adlen, boxlen = 0, len;
	char *text, *why = NULL;
	json_t *meta = NULL;

	if (id == NULL || b64 == NULL)
		return NULL;
	adlen = casefiles_meta_ad(ad, sizeof ad, case_id, id);
	box = crypt_b64_decode(b64, strlen(b64), &boxlen);
	if (box == NULL || boxlen < CRYPT_BOX_OVERHEAD || adlen == 0) {
		free(box);
		return NULL;
	}
	len = boxlen - CRYPT_BOX_OVERHEAD;
	text = xmalloc(len + 1);
	if (crypt_unbox(
	        (unsigned char *)text, box, boxlen, ad, adlen, casekey) == 0)
		meta = json_parse_strict(text, len, &why);
	free(why);
	crypt_wipe(text, len + 1);
	free(text);
	free(box);
	if (meta != NULL &&
	    (!json_is_string(json_object_get(meta, "name")) ||
	        !json_is_integer(json_object_get(meta, "size")) ||
	        json_integer_value(json_object_get(meta, "size")) !=
	            json_integer_value(json_object_get(a, "size")))) {
		json_decref(meta);
		meta = NULL;
	}
	return meta;
}

/* Creates the file to save into: the sanitised name, numbered on
 * collision, never replacing anything. */
static int
casefiles_create(int dirfd, const char *name, char **saved)
{
	char safe[FILENAME_MAX_BYTES + 1], cand[FILENAME_MAX_BYTES + 32];
	int fd, n;

	filename_safe(safe, sizeof safe, name);
	for (n = 1; n < 1000; n++) {
		filename_candidate(cand, sizeof cand, safe, n);
		fd = openat(dirfd, cand,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -1) {
			*saved = xstrdup(cand);
			return fd;
		}
		if (errno != EEXIST) {
			out_error("%s: %s", cand, strerror(errno));
			return -1;
		}
	}
	out_error("%s: too many files of that name already", safe);
	return -1;
}

static int
casefiles_write_full(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fetches chunk n and decrypts it into x->plain; *len its size. */
static int
casefiles_get_chunk(struct cmd_env *env, struct casefiles_xfer *x, long n,
    int last, size_t *len)
{
	char *path = xasprintf(
	    "/v1/cases/%s/attachments/%s/chunks/%ld", x->case_id, x->id, n);
	unsigned char *ct = NULL;
	const char *data;
	json_t *reply = NULL;
	size_t ctlen = 0;
	int rc, final = 0;

	rc = cmd_request(env, "GET", path, NULL, &reply);
	free(path);
	if (rc != 0)
		return rc;
	data = json_string_value(json_object_get(reply, "data"));
	if (data != NULL)
		ct = crypt_b64_decode(data, strlen(data), &ctlen);
	rc = EX_DATAERR;
	if (ct == NULL || ctlen < CRYPT_STREAM_ABYTES ||
	    ctlen > CASEFILES_CHUNK + CRYPT_STREAM_ABYTES)
		out_error("chunk %ld of the attachment is malformed", n);
	else if (crypt_stream_pull(x->stream, x->plain, ct, ctlen, &final) != 0)
		out_error("chunk %ld of the attachment fails authentication: "
		          "it was altered or is out of order",
		    n);
	else if (final != last)
		out_error("the attachment is %s: its final chunk is not its "
		          "last one",
		    final ? "extended" : "truncated");
	else {
		*len = ctlen - CRYPT_STREAM_ABYTES;
		rc = 0;
	}
	free(ct);
	json_decref(reply);
	return rc;
}

/* Fetches, decrypts and writes every chunk. */
static int
casefiles_receive(struct cmd_env *env, struct casefiles_xfer *x, long chunks)
{
	long long total = 0;
	size_t len = 0;
	int rc;

	for (long n = 0; n < chunks; n++) {
		if ((rc = casefiles_get_chunk(
		         env, x, n, n == chunks - 1, &len)) != 0)
			return rc;
		if (casefiles_write_full(x->fd, x->plain, len) == -1) {
			out_error(
			    "cannot write the attachment: %s", strerror(errno));
			return EX_IOERR;
		}
		crypt_wipe(x->plain, len);
		total += (long long)len;
	}
	if (total != x->size) {
		out_error("the attachment has %lld bytes, not the %lld it "
		          "declares",
		    total, x->size);
		return EX_DATAERR;
	}
	if (fsync(x->fd) == -1) {
		out_error("cannot write the attachment: %s", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

/* Checks what the thread says of an attachment before fetching it. */
static int
casefiles_check_listing(const json_t *a, unsigned char *header)
{
	const char *id = json_string_value(json_object_get(a, "id"));
	const char *h = json_string_value(json_object_get(a, "header"));
	unsigned char *bin = NULL;
	size_t len = 0, i;

	for (i = 0; id != NULL && id[i] != '\0'; i++)
		if (!strchr("0123456789abcdef", id[i]))
			break;
	if (id == NULL || i != CASETHREAD_ID_LEN || id[i] != '\0')
		return -1;
	if (json_integer_value(json_object_get(a, "chunks")) < 1 ||
	    json_integer_value(json_object_get(a, "size")) < 0 ||
	    json_string_value(json_object_get(a, "name")) == NULL)
		return -1;
	if (h != NULL)
		bin = crypt_b64_decode(h, strlen(h), &len);
	if (bin == NULL || len != CRYPT_STREAM_HEADER_LEN) {
		free(bin);
		return -1;
	}
	memcpy(header, bin, len);
	free(bin);
	return 0;
}

int
casefiles_download(struct cmd_env *env, const char *case_id,
    const unsigned char *casekey, const json_t *a, int dirfd, char **saved)
{
	unsigned char header[CRYPT_STREAM_HEADER_LEN];
	struct casefiles_xfer x;
	int rc = EX_DATAERR;

	*saved = NULL;
	if (casefiles_check_listing(a, header) != 0) {
		out_error("an attachment cannot be read: its description is "
		          "missing, malformed or fails authentication");
		return EX_DATAERR;
	}
	casefiles_xfer_init(
	    &x, case_id, casekey, json_string_value(json_object_get(a, "id")));
	x.size = (long long)json_integer_value(json_object_get(a, "size"));
	x.stream = crypt_stream_pull_new(header, x.key);
	if (x.stream == NULL)
		out_error("the attachment's stream header is invalid");
	else if ((x.fd = casefiles_create(dirfd,
	              json_string_value(json_object_get(a, "name")), saved)) ==
	         -1)
		rc = EX_CANTCREAT;
	else if ((rc = casefiles_receive(env, &x,
	              (long)json_integer_value(
	                  json_object_get(a, "chunks")))) != 0) {
		unlinkat(dirfd, *saved, 0);
		out_error("%s removed: it was not saved whole", *saved);
	}
	if (rc != 0) {
		free(*saved);
		*saved = NULL;
	}
	casefiles_xfer_clear(&x);
	return rc;
}
