/*
 * The load benchmark (bench_load): what its parts share.  load-gen.c
 * makes realistic cases from a seed, load-http.c drives keep-alive HTTP/1.1
 * connections from one libevent loop, load-proc.c starts processes and
 * reads /proc, load-store.c measures the storage floor and fills a
 * database directly, bench_load.c runs the scenarios and prints the table.
 * Not a test: timings depend on the machine.
 */
#ifndef MANDATE_BENCH_LOAD_H
#define MANDATE_BENCH_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* --- generated cases (load-gen.c) --- */

struct lg_case {
	char *title;
	char *narrative;
	size_t narrative_len;
	const char *category;       /* NULL: content decides */
	const char *subject_office; /* NULL: none */
	const char *language;       /* "en", "fr", "es" */
	const char *theme;          /* what the text is about */
	int anonymous;
	int receipt; /* the body carries a client-drawn receipt */
	char *body;  /* the submission's JSON */
	size_t body_len;
	char *content; /* about as large as the daemon's content document */
	size_t content_len;
};

/* A body with a receipt carries 44-character placeholders ('L', 'V' or
 * 'P' 42 times, then "A=") for its base64 lookup, verifier and public
 * key: each send replaces them with a fresh receipt, as the daemon
 * refuses one used twice. */
#define LG_B64_LEN 44

struct lg_pool {
	struct lg_case *c;
	size_t n;
};

/* xorshift64: the next number of state (never 0). */
uint64_t lg_next(uint64_t *state);

/*
 * Makes n cases from seed with narratives of min..max bytes (both equal:
 * exactly that size), in English, French and Spanish, about misconduct,
 * harassment, fraud, conflicts of interest, data protection, workplace
 * disputes, retaliation and legal questions.  Fatal on allocation
 * failure.
 */
void lg_pool_make(
    struct lg_pool *p, size_t n, uint64_t seed, size_t min, size_t max);
void lg_pool_free(struct lg_pool *p);

/* --- HTTP load (load-http.c) --- */

struct lh_target {
	const char *unix_path; /* or NULL for TCP */
	const char *host;      /* TCP: dotted IPv4 */
	int port;
};

/* Gives the next request of connection conn: *data (borrowed until the
 * next call) and *len.  Returns 0, or -1 when there is none. */
typedef int (*lh_next_fn)(
    void *arg, unsigned conn, const char **data, size_t *len);
/* Sees a reply: its status and (up to a cap) its body. */
typedef void (*lh_reply_fn)(
    void *arg, int status, const char *body, size_t len, int measured);

struct lh_opts {
	unsigned conns;
	double duration; /* seconds measured, or 0 to use count */
	uint64_t count;  /* requests measured when duration is 0 */
	uint64_t warmup; /* replies before measuring starts */
	double stall;    /* seconds without a reply that fail the run */
	lh_next_fn next;
	lh_reply_fn reply; /* may be NULL */
	void (*measure_start)(void *arg);
	void *arg;
};

#define LH_WHY_MAX 512

struct lh_result {
	uint64_t measured;  /* 2xx replies after the warm-up */
	uint64_t errors;    /* non-2xx replies and broken connections */
	uint64_t status[6]; /* by hundreds: [2] 2xx, [4] 4xx, [5] 5xx */
	double elapsed;     /* seconds from the end of the warm-up */
	double *lat;        /* latencies in seconds of measured replies */
	size_t nlat;
	char why[LH_WHY_MAX]; /* the first error, "" when none */
};

/*
 * Runs the load: opts->conns connections, each sending a request as soon
 * as the previous reply is complete, until the duration or count is
 * reached.  Returns 0 with *r filled (r->errors counts what went wrong),
 * or -1 with r->why set when the run could not be made at all.  Free
 * r->lat with free().
 */
int lh_run(
    const struct lh_target *t, const struct lh_opts *opts, struct lh_result *r);

/* The q-quantile (0..1) of sorted values, nearest rank. */
double lh_quantile(const double *sorted, size_t n, double q);

/* Sorts latencies in place. */
void lh_sort(double *v, size_t n);

/* --- processes (load-proc.c) --- */

struct lp_run {
	int status;  /* exit status, or 128 + signal */
	double wall; /* seconds */
	long maxrss; /* KiB: VmHWM sampled every 2 ms after the exec */
	char *out;   /* captured standard output (NUL-terminated), or NULL */
	size_t outlen;
};

/*
 * Runs argv with env (NULL-terminated "NAME=value" added to the
 * environment, may be NULL), stdin_text on its standard input (NULL:
 * /dev/null), standard error to errpath (NULL: inherited) and standard
 * output captured when capture is nonzero (else to errpath too).
 * Returns 0 with *r filled, or -1 when it could not be started.
 */
int lp_spawn(char *const argv[], char *const env[], const char *stdin_text,
    const char *errpath, int capture, struct lp_run *r);

/*
 * Starts mandated -f -c conf with its standard error appended to logpath
 * and waits until GET /v1/health on sock answers 200: returns the pid
 * with *startup the seconds from fork to that answer, or -1 when the
 * daemon exited or did not answer within timeout seconds.
 */
pid_t lp_daemon_start(const char *mandated, const char *conf,
    const char *logpath, const char *sock, double timeout, double *startup);

/* Stops a daemon with SIGTERM (SIGKILL after 30 s): its exit status. */
int lp_daemon_stop(pid_t pid);

/* One GET /v1/health on the Unix socket: the HTTP status, or -1. */
int lp_health(const char *sock);

/* User + system CPU seconds of pid, or -1. */
double lp_cpu(pid_t pid);

/* VmHWM and VmRSS of pid in KiB: 0, or -1. */
int lp_mem(pid_t pid, long *hwm, long *rss);

/* Resets pid's VmHWM to its current RSS: 0, or -1 when not allowed. */
int lp_reset_hwm(pid_t pid);

/* Seconds on the monotonic clock. */
double lp_now(void);

/* --- storage (load-store.c) --- */

struct ls_result {
	uint64_t cases;
	double elapsed;       /* seconds */
	uint64_t sealed_real; /* cases whose key copies were really sealed */
	char why[LH_WHY_MAX];
};

/*
 * The floor: the daemon's crypto and storage work for each case of pool
 * (content box, key sealed to 3 officers and to the submitter, the case
 * row, 3 key rows, the status row and the audit entry) in a fresh
 * database at dbpath, batch cases per COMMIT, for duration seconds (after
 * warmup cases).  0, or -1 with r->why set.
 */
int ls_floor(const char *dbpath, const struct lg_pool *pool, unsigned batch,
    double duration, uint64_t warmup, struct ls_result *r);

/*
 * Fills the database at dbpath (the daemon stopped; its officers
 * enrolled) with n cases from seed, narratives of narrative bytes,
 * routed by the rules of the configuration conf (NULL: embedded), each
 * with its key copies, status row and audit entry, in transactions of
 * 10000.  Every case's content is really encrypted; key copies are
 * really sealed for the first real_seals cases and one in every 1000,
 * copied from those for the rest.  Writes up to nids "ID UNIT" lines
 * spread over the cases to idspath (may be NULL).  0, or -1 with r->why.
 */
int ls_populate(const char *dbpath, const char *conf, uint64_t n, uint64_t seed,
    size_t narrative, uint64_t real_seals, const char *idspath, size_t nids,
    struct ls_result *r);

#endif
