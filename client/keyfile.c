/*
 * Officer key files: creation, atomic writing, strict parsing and
 * unlocking.  See keyfile.h for the format and the error statuses.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "crypt.h"
#include "keyfile.h"
#include "xmalloc.h"

#define KEYFILE_LINES_MAX 8 /* data lines looked at; a key file has 3 */

struct keyfile_line {
	int lineno;
	char *text;
};

/* mkdir that accepts an existing directory. */
static int
keyfile_mkdir(const char *dir, char **cause)
{
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	return 0;
}

int
keyfile_default_path(char **path, int create_dir, char **cause)
{
	const char *env = getenv("MANDATE_KEY"), *base;
	struct passwd *pw;
	char *parent = NULL, *dir = NULL;
	int rc = 0;

	*path = NULL;
	if (env != NULL && *env != '\0') {
		*path = xstrdup(env);
		return 0;
	}
	base = getenv("XDG_CONFIG_HOME");
	if (base != NULL && base[0] == '/') {
		dir = xasprintf("%s/mandate", base);
	} else {
		base = getenv("HOME");
		if ((base == NULL || *base == '\0') &&
		    (pw = getpwuid(getuid())) != NULL)
			base = pw->pw_dir;
		if (base == NULL || *base == '\0') {
			*cause = xstrdup("no home directory for the default "
			                 "key file: name one with --key, -o "
			                 "or MANDATE_KEY");
			return EX_USAGE;
		}
		parent = xasprintf("%s/.config", base);
		dir = xasprintf("%s/mandate", parent);
	}
	if (create_dir && parent != NULL &&
	    (rc = keyfile_mkdir(parent, cause)) != 0)
		goto out;
	if (create_dir && (rc = keyfile_mkdir(dir, cause)) != 0)
		goto out;
	*path = xasprintf("%s/officer.key", dir);

out:
	free(parent);
	free(dir);
	return rc;
}

char *
keyfile_pub_path(const char *path)
{
	return xasprintf("%s.pub", path);
}

/* EX_CANTCREAT when path exists (or cannot be looked at). */
static int
keyfile_check_one(const char *path, char **cause)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		*cause =
		    xasprintf("%s exists: use --force to replace it", path);
		return EX_CANTCREAT;
	}
	if (errno != ENOENT) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return EX_CANTCREAT;
	}
	return 0;
}

int
keyfile_check_absent(const char *path, char **cause)
{
	char *pub = keyfile_pub_path(path);
	int rc;

	if ((rc = keyfile_check_one(path, cause)) == 0)
		rc = keyfile_check_one(pub, cause);
	free(pub);
	return rc;
}

/* Moves tmp to path unless path exists, atomically where the file system
 * allows it.  Returns 0, or -1 with errno. */
static int
keyfile_rename_new(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* No RENAME_NOREPLACE here: link(2) also refuses to replace. */
	if (link(tmp, path) == -1)
		return -1;
	unlink(tmp);
	return 0;
}

/* fsync the directory holding path, so the rename is durable. */
static int
keyfile_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = -1;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

static int
keyfile_write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, data, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes data to path with mode through path.tmp, fsync and rename. */
static int
keyfile_write_file(const char *path, const char *data, size_t len, mode_t mode,
    int force, char **cause)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd, rc = EX_IOERR, moved = 0;

	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd == -1) {
		*cause = xasprintf("%s: %s%s", tmp, strerror(errno),
		    errno == EEXIST ? " (left by an interrupted run? remove it)"
		                    : "");
		free(tmp);
		return EX_CANTCREAT;
	}
	/* The umask must not loosen or tighten what the mode promises. */
	if (fchmod(fd, mode) == -1 || keyfile_write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if ((force ? rename(tmp, path) : keyfile_rename_new(tmp, path)) == -1) {
		*cause = xasprintf("%s: %s", path,
		    errno == EEXIST ? "exists: use --force to replace it"
		                    : strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	moved = 1;
	if (keyfile_sync_dir(path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;

out:
	if (!moved)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
keyfile_write(
    const char *path, const struct keyfile *kf, int force, char **cause)
{
	char *pk64, *wrapped64, *text, *pubtext, *pub;
	int rc;

	if (!kf->has_secret) {
		*cause = xasprintf("%s: no secret key to write", path);
		return EX_SOFTWARE;
	}
	pk64 = crypt_b64_encode(kf->pk, sizeof kf->pk);
	wrapped64 = crypt_b64_encode(kf->wrapped, sizeof kf->wrapped);
	text = xasprintf("%s\nformat: %s\npublic: %s\nsecret: %s\n",
	    KEYFILE_HEADER, KEYFILE_FORMAT, pk64, wrapped64);
	pubtext = xasprintf("%s\n", pk64);
	pub = keyfile_pub_path(path);
	if (!force && (rc = keyfile_check_absent(path, cause)) != 0)
		goto out;
	rc = keyfile_write_file(path, text, strlen(text), 0600, force, cause);
	if (rc != 0)
		goto out;
	rc = keyfile_write_file(
	    pub, pubtext, strlen(pubtext), 0644, force, cause);
	/* Without --force the key file is ours: leave no half pair. */
	if (rc != 0 && !force)
		unlink(path);

out:
	crypt_wipe(text, strlen(text));
	free(pk64);
	free(wrapped64);
	free(text);
	free(pubtext);
	free(pub);
	return rc;
}

int
keyfile_create(const char *path, const char *pass, size_t passlen,
    enum crypt_kdf_strength strength, int force, unsigned char *pk,
    char **cause)
{
	struct keyfile kf = {.has_secret = 1};
	unsigned char *sk = crypt_key_new(0);
	int rc;

	crypt_keypair(kf.pk, sk);
	if (crypt_wrap_secret(kf.wrapped, sk, pass, passlen, strength) != 0) {
		crypt_key_free(sk);
		*cause = xstrdup("not enough memory for the key derivation");
		return EX_OSERR;
	}
	crypt_key_free(sk);
	if ((rc = keyfile_write(path, &kf, force, cause)) == 0)
		memcpy(pk, kf.pk, sizeof kf.pk);
	return rc;
}

/* Decodes base64 text of exactly len bytes into out; 0 or -1. */
static int
keyfile_decode(unsigned char *out, size_t len, const char *text)
{
	unsigned char *bin;
	size_t binlen;

	if ((bin = crypt_b64_decode(text, strlen(text), &binlen)) == NULL)
		return -1;
	if (binlen != len) {
		crypt_wipe(bin, binlen);
		free(bin);
		return -1;
	}
	memcpy(out, bin, len);
	crypt_wipe(bin, binlen);
	free(bin);
	return 0;
}

/* One "name: value" line of a key file; seen tracks duplicates. */
static int
keyfile_parse_line(const char *path, const struct keyfile_line *l,
    struct keyfile *kf, unsigned *seen, char **cause)
{
	static const char *const names[] = {"format: ", "public: ", "secret: "};
	const char *value;
	unsigned i;

	for (i = 0; i < 3; i++)
		if (strncmp(l->text, names[i], strlen(names[i])) == 0)
			break;
	if (i == 3) {
		*cause = xasprintf("%s:%d: unknown line (expected format:, "
		                   "public: or secret:)",
		    path, l->lineno);
		return EX_DATAERR;
	}
	if (*seen & (1u << i)) {
		*cause = xasprintf(
		    "%s:%d: a second %.6s line", path, l->lineno, names[i]);
		return EX_DATAERR;
	}
	*seen |= 1u << i;
	value = l->text + strlen(names[i]);
	if (i == 0 && strcmp(value, KEYFILE_FORMAT) != 0)
		*cause = xasprintf("%s:%d: unsupported format (expected "
		                   "\"%s\")",
		    path, l->lineno, KEYFILE_FORMAT);
	else if (i == 1 && keyfile_decode(kf->pk, sizeof kf->pk, value) != 0)
		*cause = xasprintf("%s:%d: the public key is not %d bytes "
		                   "of base64",
		    path, l->lineno, CRYPT_PK_LEN);
	else if (i == 2 &&
	         keyfile_decode(kf->wrapped, sizeof kf->wrapped, value) != 0)
		*cause = xasprintf("%s:%d: the secret is not a wrapped key in "
		                   "base64",
		    path, l->lineno);
	return *cause != NULL ? EX_DATAERR : 0;
}

/* Splits text into its data lines (neither blank nor comments). */
static int
keyfile_split(const char *path, char *text, struct keyfile_line *lines,
    size_t *nlines, char **cause)
{
	char *line, *next;
	int lineno = 0;

	*nlines = 0;
	for (line = text; *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (*line == '\0' || *line == '#')
			continue;
		if (*nlines == KEYFILE_LINES_MAX) {
			*cause = xasprintf("%s:%d: too many lines for a key "
			                   "file",
			    path, lineno);
			return EX_DATAERR;
		}
		lines[*nlines].lineno = lineno;
		lines[(*nlines)++].text = line;
	}
	return 0;
}

/* Parses a key file's or a .pub file's text into kf. */
static int
keyfile_parse(const char *path, char *text, struct keyfile *kf, char **cause)
{
	struct keyfile_line lines[KEYFILE_LINES_MAX];
	static const char *const names[] = {"format", "public", "secret"};
	size_t nlines, i;
	unsigned seen = 0;
	int rc;

	if ((rc = keyfile_split(path, text, lines, &nlines, cause)) != 0)
		return rc;
	if (nlines == 1 && strchr(lines[0].text, ':') == NULL) {
		if (keyfile_decode(kf->pk, sizeof kf->pk, lines[0].text) == 0)
			return 0;
		*cause = xasprintf("%s:%d: not a public key (%d bytes of "
		                   "base64)",
		    path, lines[0].lineno, CRYPT_PK_LEN);
		return EX_DATAERR;
	}
	for (i = 0; i < nlines; i++)
		if ((rc = keyfile_parse_line(
		         path, &lines[i], kf, &seen, cause)) != 0)
			return rc;
	for (i = 0; i < 3; i++) {
		if (!(seen & (1u << i))) {
			*cause = xasprintf("%s: not a mandate key file (no %s "
			                   "line)",
			    path, names[i]);
			return EX_DATAERR;
		}
	}
	kf->has_secret = 1;
	return 0;
}

/* Reads at most KEYFILE_MAX bytes of a regular file, NUL-terminated. */
static int
keyfile_slurp(
    const char *path, char *buf, size_t size, struct stat *st, char **cause)
{
	size_t len = 0;
	ssize_t n;
	int fd, rc = EX_NOINPUT;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(fd, st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		goto out;
	}
	while (len < size) {
		if ((n = read(fd, buf + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("%s: %s", path, strerror(errno));
			rc = EX_IOERR;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = EX_DATAERR;
	if (len == size) {
		*cause = xasprintf("%s: too large for a key file", path);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xasprintf("%s: not a mandate key file", path);
		goto out;
	}
	buf[len] = '\0';
	rc = 0;

out:
	close(fd);
	return rc;
}

int
keyfile_read(const char *path, struct keyfile *kf, char **cause)
{
	char buf[KEYFILE_MAX + 1];
	struct stat st = {0};
	int rc;

	memset(kf, 0, sizeof *kf);
	if ((rc = keyfile_slurp(path, buf, sizeof buf, &st, cause)) != 0)
		goto out;
	if ((rc = keyfile_parse(path, buf, kf, cause)) != 0) {
		crypt_wipe(kf, sizeof *kf);
		goto out;
	}
	kf->loose_mode = kf->has_secret && (st.st_mode & 077) != 0;

out:
	crypt_wipe(buf, sizeof buf);
	return rc;
}

int
keyfile_unlock(const struct keyfile *kf, const char *pass, size_t passlen,
    unsigned char **sk, char **cause)
{
	unsigned char pk[CRYPT_PK_LEN];

	*sk = NULL;
	if (!kf->has_secret) {
		*cause = xstrdup("this is a public key file: the secret key "
		                 "is in the key file beside it");
		return EX_DATAERR;
	}
	*sk = crypt_key_new(0);
	if (passlen == 0 || crypt_unwrap_secret(*sk, kf->wrapped,
	                        sizeof kf->wrapped, pass, passlen) != 0) {
		crypt_key_free(*sk);
		*sk = NULL;
		*cause = xstrdup("wrong passphrase (or a damaged key file)");
		return EX_NOPERM;
	}
	crypt_public_of(pk, *sk);
	if (!crypt_equal(pk, kf->pk, sizeof pk)) {
		crypt_key_free(*sk);
		*sk = NULL;
		*cause = xstrdup("the secret key does not match the public key "
		                 "of the key file");
		return EX_DATAERR;
	}
	return 0;
}
