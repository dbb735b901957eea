/*
 * What bench_load.c and load-site.c share: the options, the daemon under
 * test on its temporary state directory, and the helpers that end the
 * benchmark on failure.  (load.h holds the generator, the HTTP client, the
 * processes and the store, which know nothing of these.)
 */
#ifndef MANDATE_BENCH_BENCH_LOAD_H
#define MANDATE_BENCH_BENCH_LOAD_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct config;

#define BL_PATH 1024
#define BL_OFFICERS 3
#define BL_UNITS 16
#define BL_PASS "bench-load-passphrase"
#define MIB(kib) ((double)(kib) / 1024.0)

struct bl_opts {
	const char *mandated, *mandate, *dir, *results, *only;
	uint64_t seed;
	double duration;
	uint64_t warmup, cases, reads;
	int quick, keep;
};

/* A daemon on a temporary state directory, with its tokens. */
struct bl_site {
	char dir[BL_PATH], state[BL_PATH], sock[BL_PATH], conf[BL_PATH];
	char log[BL_PATH], db[BL_PATH];
	char host[16];
	int port;
	pid_t pid;
	struct config *cfg;
	size_t nunits;
	char staff_tok[64], auditor_tok[64];
	char staff_file[BL_PATH], auditor_file[BL_PATH];
	char officer_tok[BL_UNITS][BL_OFFICERS][64];
};

/* The daemon running now, stopped when the benchmark dies. */
extern volatile pid_t bl_daemon;

/* Prints what failed, stops the daemon, exits 1. */
void bl_die(const char *what) __attribute__((noreturn));

/* strdup(), snprintf() for paths and labels: failure or truncation is
 * fatal. */
char *bl_strdup(const char *s);
void bl_fmt(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int bl_write_file(const char *path, const char *text, mode_t mode);
void bl_rmrf(const char *path);

/* load-site.c: makes the site's directory and configuration, starts and
 * stops its daemon (startup: seconds from fork to the first answer), and
 * enrols three officers in every unit with keys made under keys. */
void bl_site_init(const struct bl_opts *o, struct bl_site *s, const char *work,
    const char *name);
int bl_site_start(const struct bl_opts *o, struct bl_site *s, double *startup);
void bl_site_stop(struct bl_site *s);
void bl_enrol(const struct bl_opts *o, struct bl_site *s, const char *keys);

#endif
