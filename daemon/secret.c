/*
 * Loading or creating the daemon's index key.
 */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypt.h"

static unsigned char *
secret_fail(unsigned char *key, int fd, char **cause, const char *path,
    const char *what)
{
	if (asprintf(cause, "secret: %s: %s", path, what) < 0)
		abort();
	if (fd >= 0)
		close(fd);
	crypt_key_free(key);
	return NULL;
}

static int
secret_create(const char *path, char **cause)
{
	unsigned char *key = crypt_key_new(1);
	char tmp[4096];
	int fd;

	snprintf(tmp, sizeof tmp, "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, key, CRYPT_KEY_LEN) != CRYPT_KEY_LEN ||
	    fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		secret_fail(key, -1, cause, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	crypt_key_free(key);
	return 0;
}

unsigned char *
secret_load(const char *path, char **cause)
{
	unsigned char *key;
	struct stat st;
	ssize_t n;
	int fd;

	if (access(path, F_OK) < 0 && secret_create(path, cause) < 0)
		return NULL;
	key = crypt_key_new(0);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return secret_fail(key, -1, cause, path, strerror(errno));
	if (fstat(fd, &st) < 0 || (st.st_mode & 077) != 0)
		return secret_fail(key, fd, cause, path,
		    "must be readable by its owner only (chmod 600)");
	n = read(fd, key, CRYPT_KEY_LEN);
	if (n != CRYPT_KEY_LEN || st.st_size != CRYPT_KEY_LEN)
		return secret_fail(
		    key, fd, cause, path, "is not a 32-byte key");
	close(fd);
	return key;
}
