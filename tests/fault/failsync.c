/*
 * A fault for the tests, loaded with LD_PRELOAD: while the file named by
 * MANDATE_FAULT_TRIGGER exists, fsync() and fdatasync() fail with EIO, as
 * they do when a disk fails under a write; with MANDATE_FAULT_WRITES=1,
 * write() and pwrite() on the database's files (names ending in ".db",
 * "-wal" or "-journal") fail with EIO too.  Without the trigger file every
 * call goes through unchanged.  Each injected failure adds a line to the
 * file named by MANDATE_FAULT_LOG, when set, so that a test can tell that
 * the fault was met.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef int (*failsync_sync_fn)(int);
typedef ssize_t (*failsync_write_fn)(int, const void *, size_t);
typedef ssize_t (*failsync_pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*failsync_pwrite64_fn)(int, const void *, size_t, off64_t);

static void *
failsync_next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		abort();
	return f;
}

static int
failsync_triggered(void)
{
	const char *t = getenv("MANDATE_FAULT_TRIGGER");
	int saved = errno, on;

	on = t != NULL && t[0] != '\0' && access(t, F_OK) == 0;
	errno = saved;
	return on;
}

/* Nonzero when fd is one of the database's files. */
static int
failsync_is_db(int fd)
{
	static const char *const ends[] = {".db", "-wal", "-journal"};
	char link[64], path[PATH_MAX];
	ssize_t n;
	int saved = errno;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	errno = saved;
	if (n <= 0)
		return 0;
	path[n] = '\0';
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t e = strlen(ends[i]);
		if ((size_t)n >= e && strcmp(path + n - e, ends[i]) == 0)
			return 1;
	}
	return 0;
}

/* Records an injected failure (never the data written) and sets EIO. */
static void
failsync_fail(const char *call)
{
	const char *log = getenv("MANDATE_FAULT_LOG");
	failsync_write_fn real_write = failsync_next("write");
	char line[64];
	int fd, len;

	if (log != NULL && log[0] != '\0' &&
	    (fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) >=
	        0) {
		len = snprintf(line, sizeof line, "%s EIO\n", call);
		if (real_write(fd, line, (size_t)len) < 0) {
			/* nothing to do: the record is a courtesy */
		}
		close(fd);
	}
	errno = EIO;
}

int
fsync(int fd)
{
	static failsync_sync_fn real;

	if (real == NULL)
		real = (failsync_sync_fn)failsync_next("fsync");
	if (failsync_triggered()) {
		failsync_fail("fsync");
		return -1;
	}
	return real(fd);
}

int
fdatasync(int fd)
{
	static failsync_sync_fn real;

	if (real == NULL)
		real = (failsync_sync_fn)failsync_next("fdatasync");
	if (failsync_triggered()) {
		failsync_fail("fdatasync");
		return -1;
	}
	return real(fd);
}

static int
failsync_write_fails(int fd)
{
	const char *w = getenv("MANDATE_FAULT_WRITES");

	return w != NULL && strcmp(w, "1") == 0 && failsync_triggered() &&
	       failsync_is_db(fd);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static failsync_write_fn real;

	if (real == NULL)
		real = (failsync_write_fn)failsync_next("write");
	if (failsync_write_fails(fd)) {
		failsync_fail("write");
		return -1;
	}
	return real(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static failsync_pwrite_fn real;

	if (real == NULL)
		real = (failsync_pwrite_fn)failsync_next("pwrite");
	if (failsync_write_fails(fd)) {
		failsync_fail("pwrite");
		return -1;
	}
	return real(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static failsync_pwrite64_fn real;

	if (real == NULL)
		real = (failsync_pwrite64_fn)failsync_next("pwrite64");
	if (failsync_write_fails(fd)) {
		failsync_fail("pwrite64");
		return -1;
	}
	return real(fd, buf, n, off);
}
