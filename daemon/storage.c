/*
 * The free-space reserve (storage.h).  One statvfs a second at most: the
 * check runs before every write request, and the free space of a file
 * system does not need to be known more precisely than that.
 */
#include "storage.h"

#include <stdint.h>
#include <sys/statvfs.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "server.h"

#define STORAGE_MEASURE_EVERY_NS 1000000000LL

static struct {
	int64_t measured_ns;  /* monotonic time of the last statvfs; 0: never */
	long long free_bytes; /* what it found; -1: could not measure */
	int below;            /* the last answer refused writes */
	int failed;           /* a failure to measure was logged */
} storage_last;

static int64_t
storage_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Bytes available to an unprivileged writer on path's file system, or -1
 * with errno set. */
static long long
storage_free_of(const char *path)
{
	struct statvfs st;
	unsigned long long n;

	if (statvfs(path, &st) < 0)
		return -1;
	n = (unsigned long long)st.f_bavail * st.f_frsize;
	return n > (unsigned long long)INT64_MAX ? INT64_MAX : (long long)n;
}

/* Measures again when the last measurement is a second old. */
static void
storage_measure(const struct config *cfg)
{
	int64_t now = storage_now_ns();

	if (storage_last.measured_ns != 0 &&
	    now - storage_last.measured_ns < STORAGE_MEASURE_EVERY_NS)
		return;
	storage_last.measured_ns = now;
	/* The database file, or its directory before it exists. */
	storage_last.free_bytes = storage_free_of(cfg->database);
	if (storage_last.free_bytes < 0)
		storage_last.free_bytes = storage_free_of(cfg->state_dir);
	if (storage_last.free_bytes < 0 && !storage_last.failed) {
		storage_last.failed = 1;
		log_warn("storage: cannot measure the free space of %s, so "
		         "the free-space reserve is not enforced",
		    cfg->state_dir);
	} else if (storage_last.free_bytes >= 0)
		storage_last.failed = 0;
}

int
storage_reserve_ok(struct server *srv)
{
	const struct config *cfg = srv->cfg;
	int below;

	if (cfg->min_free_bytes <= 0)
		below = 0;
	else {
		storage_measure(cfg);
		below = storage_last.free_bytes >= 0 &&
		        storage_last.free_bytes < cfg->min_free_bytes;
	}
	if (below && !storage_last.below)
		log_warnx("storage: %lld bytes free on the database's file "
		          "system, below min_free_bytes = %lld: writes are "
		          "refused until space returns",
		    storage_last.free_bytes, cfg->min_free_bytes);
	else if (!below && storage_last.below)
		log_info("storage: writes accepted again (%lld bytes free, "
		         "min_free_bytes = %lld)",
		    storage_last.free_bytes, cfg->min_free_bytes);
	storage_last.below = below;
	return !below;
}
