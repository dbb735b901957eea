/*
 * Load benchmark of mandated: submissions over the Unix socket at 1, 16
 * and 64 connections and over TCP at 64, against a floor measured in the
 * same run (the same crypto and durable insert with no HTTP and no
 * routing); then, with a million cases stored, queue pages, case
 * metadata, start-up time, database size per case, audit export and
 * offline verification.  Starts the real daemon on a temporary state
 * directory with three officers enrolled in every unit by the real
 * client.  Prints each figure beside its target and a table at the end.
 * Not a test: timings depend on the machine.
 *
 *	bench_load [--quick] [--seed N] [--duration S] [--only LIST] ...
 *	bench_load --floor [--seed N] [--duration S]
 *	bench_load --populate N DBPATH [-c CONF] [--seed N] [--ids FILE]
 *	bench_load --dump N [--seed N]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_load.h"
#include "config.h"
#include "crypt.h"
#include "json.h"
#include "load.h"

#ifndef MANDATE_BINARY_DIR
#define MANDATE_BINARY_DIR "."
#endif

/* --- the result table --- */

struct bl_row {
	char scenario[40], figure[32], value[48], target[32], verdict[8];
};

static struct bl_row bl_rows[128];
static char bl_scale[16] = "1M"; /* cases in the large database */
static size_t bl_nrows;
static int bl_failed;

static void bl_row(const char *scenario, const char *figure, const char *target,
    const char *verdict, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
bl_row(const char *scenario, const char *figure, const char *target,
    const char *verdict, const char *fmt, ...)
{
	struct bl_row *r;
	va_list ap;

	if (strcmp(verdict, "FAIL") == 0)
		bl_failed = 1;
	if (bl_nrows == sizeof bl_rows / sizeof bl_rows[0])
		return;
	r = &bl_rows[bl_nrows++];
	snprintf(r->scenario, sizeof r->scenario, "%s", scenario);
	snprintf(r->figure, sizeof r->figure, "%s", figure);
	snprintf(r->target, sizeof r->target, "%s", target);
	snprintf(r->verdict, sizeof r->verdict, "%s", verdict);
	va_start(ap, fmt);
	vsnprintf(r->value, sizeof r->value, fmt, ap);
	va_end(ap);
}

static const char *
bl_verdict(int ok)
{
	return ok ? "OK" : "MISS";
}

/* The table, to standard output, or (path) appended to a file for
 * bench/run, which prints it with the routing figures. */
static void
bl_table(const char *path)
{
	FILE *f = path ? fopen(path, "a") : NULL;

	if (path == NULL)
		printf("\n%-26s %-26s %-26s %-16s %s\n", "scenario", "figure",
		    "value", "target", "verdict");
	for (size_t i = 0; i < bl_nrows; i++) {
		struct bl_row *r = &bl_rows[i];

		if (path == NULL)
			printf("%-26s %-26s %-26s %-16s %s\n", r->scenario,
			    r->figure, r->value, r->target, r->verdict);
		if (f != NULL)
			fprintf(f, "%s\t%s\t%s\t%s\t%s\n", r->scenario,
			    r->figure, r->value, r->target, r->verdict);
	}
	if (path != NULL && (f == NULL || fclose(f) != 0))
		fprintf(stderr, "bench_load: cannot write %s\n", path);
}

/* The daemon running now, stopped when the benchmark dies. */
volatile pid_t bl_daemon;

void
bl_die(const char *what)
{
	fprintf(stderr, "bench_load: %s\n", what);
	if (bl_daemon > 0)
		lp_daemon_stop(bl_daemon);
	exit(1);
}

static void
bl_signal(int sig)
{
	if (bl_daemon > 0)
		kill(bl_daemon, SIGTERM);
	_exit(128 + sig);
}

char *
bl_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		bl_die("out of memory");
	return p;
}

/* snprintf() for paths and labels: a truncated one is fatal. */
void
bl_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		bl_die("a path is too long");
}

static int
bl_wants(const struct bl_opts *o, const char *what)
{
	const char *p = o->only;
	size_t n = strlen(what);

	if (p == NULL)
		return 1;
	while ((p = strstr(p, what)) != NULL) {
		if ((p == o->only || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

int
bl_write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* --- submissions --- */

struct bl_submit {
	const struct lg_pool *pool;
	const struct bl_site *site;
	char **req; /* the whole HTTP request of each case */
	size_t *len;
	size_t *receipt; /* offset of its receipt placeholders, or 0 */
	char **scratch;  /* per connection: a request with a fresh receipt */
	size_t *pos;     /* per connection: the next case */
	pid_t pid;
	double cpu0;
	uint64_t created;
	uint64_t units[BL_UNITS + 1]; /* [nunits]: a unit not configured */
};

static void
bl_submit_requests(struct bl_submit *b, const char *token)
{
	const struct lg_pool *p = b->pool;
	char head[512], marker[LG_B64_LEN + 1];
	int n;

	b->req = calloc(p->n, sizeof *b->req);
	b->len = calloc(p->n, sizeof *b->len);
	b->receipt = calloc(p->n, sizeof *b->receipt);
	if (b->req == NULL || b->len == NULL || b->receipt == NULL)
		bl_die("out of memory");
	memset(marker, 'L', LG_B64_LEN - 2);
	marker[LG_B64_LEN - 2] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct lg_case *c = &p->c[i];
		char *at;

		n = snprintf(head, sizeof head,
		    "POST /v1/cases HTTP/1.1\r\nHost: localhost\r\n"
		    "Content-Type: application/json\r\n%s%s%s"
		    "Content-Length: %zu\r\n\r\n",
		    token ? "Authorization: Bearer " : "", token ? token : "",
		    token ? "\r\n" : "", c->body_len);
		b->len[i] = (size_t)n + c->body_len;
		if ((b->req[i] = malloc(b->len[i] + 1)) == NULL)
			bl_die("out of memory");
		memcpy(b->req[i], head, (size_t)n);
		memcpy(b->req[i] + n, c->body, c->body_len + 1);
		if (c->receipt && (at = strstr(b->req[i], marker)) != NULL)
			b->receipt[i] = (size_t)(at - b->req[i]);
	}
}

/* Replaces the placeholders of req (at off) with a fresh receipt's
 * lookup hash, verifier and public key, as the client draws them. */
static void
bl_submit_receipt(char *req, size_t off)
{
	unsigned char raw[CRYPT_RECEIPT_RAW_LEN], lookup[CRYPT_HASH_LEN],
	    auth[CRYPT_HASH_LEN], verifier[CRYPT_HASH_LEN], pk[CRYPT_PK_LEN];
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], *b64;
	const unsigned char *part[3] = {lookup, verifier, pk};
	const char marks[3] = {'L', 'V', 'P'};
	char *at = req + off;

	crypt_receipt_new(raw, text, sizeof text);
	crypt_receipt_derive(raw, lookup, auth, pk, NULL);
	crypt_hash(verifier, auth, sizeof auth);
	for (int k = 0; k < 3; k++) {
		if (k > 0 && (at = strchr(at, marks[k])) == NULL)
			bl_die("receipt placeholder lost");
		b64 = crypt_b64_encode(part[k], CRYPT_HASH_LEN);
		memcpy(at, b64, LG_B64_LEN);
		free(b64);
		at += LG_B64_LEN;
	}
	crypt_wipe(raw, sizeof raw);
	crypt_wipe(auth, sizeof auth);
}

static int
bl_submit_next(void *arg, unsigned conn, const char **data, size_t *len)
{
	struct bl_submit *b = arg;
	size_t i = b->pos[conn]++ % b->pool->n;

	*len = b->len[i];
	if (b->receipt[i] == 0) {
		*data = b->req[i];
		return 0;
	}
	memcpy(b->scratch[conn], b->req[i], b->len[i] + 1);
	bl_submit_receipt(b->scratch[conn], b->receipt[i]);
	*data = b->scratch[conn];
	return 0;
}

static void
bl_submit_reply(
    void *arg, int status, const char *body, size_t len, int measured)
{
	struct bl_submit *b = arg;
	const char *u = strstr(body, "\"unit\":\"");
	size_t k;

	if (status != 201)
		return;
	b->created++;
	if (u == NULL)
		return;
	u += 8;
	for (k = 0; k < b->site->nunits; k++) {
		size_t n = strlen(b->site->cfg->units[k].id);

		if (strncmp(u, b->site->cfg->units[k].id, n) == 0 &&
		    u[n] == '"')
			break;
	}
	b->units[k]++;
}

static void
bl_submit_start(void *arg)
{
	struct bl_submit *b = arg;

	b->cpu0 = lp_cpu(b->pid);
}

static void
bl_submit_free(struct bl_submit *b, unsigned conns)
{
	for (size_t i = 0; i < b->pool->n; i++)
		free(b->req[i]);
	for (unsigned c = 0; c < conns; c++)
		free(b->scratch[c]);
	free(b->req);
	free(b->len);
	free(b->receipt);
	free(b->scratch);
	free(b->pos);
}

/* What the floor gave, for the ratios. */
struct bl_floor {
	double one, batch; /* cases per second; 0 when not measured */
};

/* The per-unit spread of what was created, printed. */
static void
bl_print_units(const struct bl_submit *b)
{
	printf("    routed:");
	for (size_t k = 0; k <= b->site->nunits; k++)
		if (k < b->site->nunits || b->units[k] > 0)
			printf(" %s %.0f%%",
			    k < b->site->nunits ? b->site->cfg->units[k].id
			                        : "(other)",
			    b->created ? 100.0 * (double)b->units[k] /
			                     (double)b->created
			               : 0.0);
	printf("\n");
}

struct bl_sub_out {
	long rss_end;
	uint64_t created;
	int ok;
	int every_unit;
};

static void
bl_submit_report(const char *name, unsigned conns, const struct lh_result *r,
    const struct bl_floor *fl, double cpu, long hwm, long rss)
{
	double rate = (double)r->measured / r->elapsed;
	double p50 = lh_quantile(r->lat, r->nlat, 0.50) * 1e3;
	double p90 = lh_quantile(r->lat, r->nlat, 0.90) * 1e3;
	double p99 = lh_quantile(r->lat, r->nlat, 0.99) * 1e3;
	double max = lh_quantile(r->lat, r->nlat, 1.0) * 1e3;
	double floor = conns == 1 ? fl->one : fl->batch;
	double ratio = floor > 0 ? rate / floor : 0;
	int big = conns >= 64;

	printf("%s: %.0f/s", name, rate);
	if (floor > 0)
		printf(" (floor %.0f/s, ratio %.2f%s)", floor, ratio,
		    big ? ", target >= 0.60" : "");
	printf(" p50 %.2f p90 %.2f p99 %.2f max %.2f ms", p50, p90, p99, max);
	if (big)
		printf(" (target p99 < 10 ms)");
	if (conns == 1)
		printf(" (target p50 < 1 ms)");
	printf("; daemon %.0f us CPU/request, peak RSS %.1f MiB, end RSS %.1f "
	       "MiB%s",
	    cpu * 1e6, MIB(hwm), MIB(rss), big ? " (target < 48 MiB)" : "");
	if (big)
		printf(" %s",
		    floor > 0 && ratio >= 0.60 && p99 < 10 && MIB(hwm) < 48
		        ? "OK"
		        : "MISS");
	else if (conns == 1)
		printf(" %s", bl_verdict(p50 < 1));
	printf("\n");
	bl_row(name, "throughput", "-", "-", "%.0f/s", rate);
	if (floor > 0)
		bl_row(name,
		    conns == 1 ? "ratio to floor 1/commit"
		               : "ratio to floor 64/commit",
		    big ? ">= 0.60" : "-",
		    big ? bl_verdict(ratio >= 0.60) : "-", "%.2f", ratio);
	else if (big)
		bl_row(name, "ratio to floor", ">= 0.60", "FAIL",
		    "no floor measured");
	bl_row(name, "p50 latency", conns == 1 ? "< 1 ms" : "-",
	    conns == 1 ? bl_verdict(p50 < 1) : "-", "%.2f ms", p50);
	bl_row(name, "p90 / max latency", "-", "-", "%.2f / %.2f ms", p90, max);
	bl_row(name, "p99 latency", big ? "< 10 ms" : "-",
	    big ? bl_verdict(p99 < 10) : "-", "%.2f ms", p99);
	bl_row(name, "daemon CPU/request", "-", "-", "%.0f us", cpu * 1e6);
	bl_row(name, "daemon peak RSS", big ? "< 48 MiB" : "-",
	    big ? bl_verdict(MIB(hwm) < 48) : "-", "%.1f MiB", MIB(hwm));
	bl_row(name, "daemon RSS at end", "-", "-", "%.1f MiB", MIB(rss));
}

/* One submission scenario against a running site. */
static void
bl_submit_run(const struct bl_opts *o, struct bl_site *s,
    const struct lg_pool *pool, unsigned conns, int tcp,
    const struct bl_floor *fl, struct bl_sub_out *out)
{
	struct lh_target t = {tcp ? NULL : s->sock, s->host, s->port};
	struct lh_opts lo;
	struct lh_result r;
	struct bl_submit b;
	char name[40];
	long hwm = 0, rss = 0;
	size_t maxlen = 0;
	double cpu;

	snprintf(name, sizeof name, "submit %u conn %s", conns,
	    tcp ? "tcp" : "unix");
	memset(&b, 0, sizeof b);
	memset(out, 0, sizeof *out);
	b.pool = pool;
	b.site = s;
	b.pid = s->pid;
	bl_submit_requests(&b, tcp ? s->staff_tok : NULL);
	b.scratch = calloc(conns, sizeof *b.scratch);
	b.pos = calloc(conns, sizeof *b.pos);
	if (b.scratch == NULL || b.pos == NULL)
		bl_die("out of memory");
	for (size_t i = 0; i < pool->n; i++)
		if (b.len[i] > maxlen)
			maxlen = b.len[i];
	for (unsigned c = 0; c < conns; c++) {
		if ((b.scratch[c] = malloc(maxlen + 1)) == NULL)
			bl_die("out of memory");
		b.pos[c] = (size_t)c * pool->n / conns;
	}
	memset(&lo, 0, sizeof lo);
	lo.conns = conns;
	lo.duration = o->duration;
	lo.warmup = o->warmup;
	lo.stall = 30;
	lo.next = bl_submit_next;
	lo.reply = bl_submit_reply;
	lo.measure_start = bl_submit_start;
	lo.arg = &b;
	if (lp_reset_hwm(s->pid) < 0)
		printf("  (cannot reset VmHWM: the peak is since the start)\n");
	if (lh_run(&t, &lo, &r) < 0 || r.errors > 0 || r.measured == 0) {
		printf(
		    "%s: FAILED: %llu errors (2xx %llu, 4xx %llu, 5xx %llu); "
		    "first: %s\n",
		    name, (unsigned long long)r.errors,
		    (unsigned long long)r.status[2],
		    (unsigned long long)r.status[4],
		    (unsigned long long)r.status[5], r.why);
		bl_row(name, "run", "no errors", "FAIL", "%llu errors",
		    (unsigned long long)r.errors);
		free(r.lat);
		bl_submit_free(&b, conns);
		return;
	}
	cpu = (lp_cpu(s->pid) - b.cpu0) / (double)r.measured;
	lp_mem(s->pid, &hwm, &rss);
	lh_sort(r.lat, r.nlat);
	bl_submit_report(name, conns, &r, fl, cpu, hwm, rss);
	bl_print_units(&b);
	out->ok = 1;
	out->rss_end = rss;
	out->created = b.created;
	out->every_unit = 1;
	for (size_t k = 0; k < s->nunits; k++)
		if (b.units[k] == 0)
			out->every_unit = 0;
	free(r.lat);
	bl_submit_free(&b, conns);
}

/* --- the floor --- */

static double
bl_floor_run(const struct bl_opts *o, const char *work,
    const struct lg_pool *pool, unsigned batch)
{
	char path[BL_PATH], name[40];
	struct ls_result r;
	double rate;

	snprintf(path, sizeof path, "%s/floor.db", work);
	snprintf(name, sizeof name, "floor %u/commit", batch);
	if (ls_floor(path, pool, batch, o->duration, o->warmup, &r) < 0 ||
	    r.cases == 0) {
		printf("%s: FAILED: %s\n", name, r.why);
		bl_row(name, "run", "no errors", "FAIL", "failed");
		return 0;
	}
	rate = (double)r.cases / r.elapsed;
	printf("%s: %.0f cases/s (%llu cases in %.2f s: content box, key "
	       "sealed to 3 officers and the submitter, case row, 3 key rows, "
	       "status row, audit entry; WAL, synchronous=FULL)\n",
	    name, rate, (unsigned long long)r.cases, r.elapsed);
	bl_row(name, "throughput", "-", "-", "%.0f/s", rate);
	return rate;
}

static void
bl_floor(const struct bl_opts *o, const char *work, struct bl_floor *fl)
{
	struct lg_pool pool;

	lg_pool_make(&pool, 1024, o->seed, 512, 8192);
	fl->one = bl_floor_run(o, work, &pool, 1);
	fl->batch = bl_floor_run(o, work, &pool, 64);
	lg_pool_free(&pool);
}

/* --- the submission scenarios, on one daemon --- */

static void
bl_submits(const struct bl_opts *o, const char *work, const char *keys,
    const struct bl_floor *fl)
{
	static const struct {
		unsigned conns;
		int tcp;
	} runs[] = {{1, 0}, {16, 0}, {64, 0}, {64, 1}};
	struct bl_sub_out out[4];
	struct lg_pool pool;
	struct bl_site s;
	int every = 1;

	bl_site_init(o, &s, work, "submit");
	if (bl_site_start(o, &s, NULL) < 0) {
		bl_row("submit", "daemon start", "starts", "FAIL", "failed");
		return;
	}
	bl_enrol(o, &s, keys);
	lg_pool_make(&pool, 1024, o->seed, 512, 8192);
	for (size_t i = 0; i < 4; i++) {
		bl_submit_run(
		    o, &s, &pool, runs[i].conns, runs[i].tcp, fl, &out[i]);
		if (out[i].ok && !out[i].every_unit)
			every = 0;
	}
	if (out[0].ok || out[1].ok || out[2].ok || out[3].ok)
		bl_row("submit (all)", "routed to every unit", "every unit",
		    bl_verdict(every), "%s", every ? "yes" : "no");
	if (out[2].ok && out[3].ok) {
		double grow = MIB(out[3].rss_end - out[2].rss_end);

		printf("RSS growth over the %llu cases of submit 64 conn tcp: "
		       "%.1f MiB (target < 4 MiB: not growing with cases "
		       "stored) %s\n",
		    (unsigned long long)out[3].created, grow,
		    bl_verdict(grow < 4));
		bl_row("submit 64 unix -> 64 tcp", "RSS growth", "< 4 MiB",
		    bl_verdict(grow < 4), "%.1f MiB / %llu cases", grow,
		    (unsigned long long)out[3].created);
	}
	lg_pool_free(&pool);
	bl_site_stop(&s);
	config_free(s.cfg);
	if (!o->keep)
		bl_rmrf(s.dir);
}

/* --- a million cases: reads, start-up, size, export --- */

struct bl_reads {
	const struct bl_site *s;
	int cases; /* GET /v1/cases/{id}, else queue pages */
	char buf[1024];
	char (*ids)[16];
	size_t *unit_of;
	size_t nids;
	uint64_t next, rows, pages;
};

static int
bl_reads_next(void *arg, unsigned conn, const char **data, size_t *len)
{
	struct bl_reads *b = arg;
	const struct bl_site *s = b->s;
	uint64_t k = b->next++;
	size_t u, i;
	int n;

	if (b->cases) {
		i = (size_t)(k % b->nids);
		u = b->unit_of[i];
		n = snprintf(b->buf, sizeof b->buf,
		    "GET /v1/cases/%s HTTP/1.1\r\nHost: localhost\r\n"
		    "Authorization: Bearer %s\r\n\r\n",
		    b->ids[i], s->officer_tok[u][k % BL_OFFICERS]);
	} else {
		u = (size_t)(k % s->nunits);
		n = snprintf(b->buf, sizeof b->buf,
		    "GET /v1/queue?unit=%s&sort=received&limit=50 HTTP/1.1\r\n"
		    "Host: localhost\r\nAuthorization: Bearer %s\r\n\r\n",
		    s->cfg->units[u].id, s->officer_tok[u][k % BL_OFFICERS]);
	}
	*data = b->buf;
	*len = (size_t)n;
	return 0;
}

static void
bl_reads_reply(
    void *arg, int status, const char *body, size_t len, int measured)
{
	struct bl_reads *b = arg;
	const char *p = body;

	if (b->cases || status != 200 || !measured)
		return;
	b->pages++;
	while ((p = strstr(p, "\"id\":\"")) != NULL) {
		b->rows++;
		p += 6;
	}
}

/* Reads the "ID UNIT" lines the filler wrote. */
static size_t
bl_reads_ids(struct bl_reads *b, const char *path)
{
	char id[32], unit[64];
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	while (fscanf(f, "%31s %63s", id, unit) == 2) {
		if (b->nids == cap) {
			cap = cap ? cap * 2 : 1024;
			b->ids = realloc(b->ids, cap * sizeof *b->ids);
			b->unit_of =
			    realloc(b->unit_of, cap * sizeof *b->unit_of);
			if (b->ids == NULL || b->unit_of == NULL)
				bl_die("out of memory");
		}
		for (size_t u = 0; u < b->s->nunits; u++)
			if (strcmp(b->s->cfg->units[u].id, unit) == 0) {
				snprintf(b->ids[b->nids], sizeof b->ids[0],
				    "%.15s", id);
				b->unit_of[b->nids++] = u;
			}
	}
	fclose(f);
	return b->nids;
}

static void
bl_reads_run(
    const struct bl_opts *o, struct bl_site *s, int cases, const char *ids)
{
	struct lh_target t = {NULL, s->host, s->port};
	struct lh_opts lo;
	struct lh_result r;
	struct bl_reads b;
	double p50, p99;
	char name[40];

	snprintf(name, sizeof name, "%s (%s)",
	    cases ? "case metadata" : "queue page", bl_scale);
	memset(&b, 0, sizeof b);
	b.s = s;
	b.cases = cases;
	if (cases && bl_reads_ids(&b, ids) == 0) {
		bl_row(name, "run", "no errors", "FAIL", "no case ids");
		return;
	}
	memset(&lo, 0, sizeof lo);
	lo.conns = 1;
	lo.count = o->reads;
	lo.warmup = 50;
	lo.stall = 30;
	lo.next = bl_reads_next;
	lo.reply = bl_reads_reply;
	lo.arg = &b;
	if (lh_run(&t, &lo, &r) < 0 || r.errors > 0 || r.measured == 0) {
		printf("%s: FAILED: %llu errors; first: %s\n", name,
		    (unsigned long long)r.errors, r.why);
		bl_row(name, "run", "no errors", "FAIL", "%llu errors",
		    (unsigned long long)r.errors);
	} else {
		lh_sort(r.lat, r.nlat);
		p50 = lh_quantile(r.lat, r.nlat, 0.5) * 1e3;
		p99 = lh_quantile(r.lat, r.nlat, 0.99) * 1e3;
		printf("%s: %llu requests as officers, 1 connection over TCP: "
		       "p50 %.2f ms, p99 %.2f ms (target p99 < 2 ms) %s",
		    name, (unsigned long long)r.measured, p50, p99,
		    bl_verdict(p99 < 2));
		if (!cases)
			printf("; %.1f cases per page",
			    b.pages ? (double)b.rows / (double)b.pages : 0.0);
		printf("\n");
		bl_row(name, "p50 latency", "-", "-", "%.2f ms", p50);
		bl_row(name, "p99 latency", "< 2 ms", bl_verdict(p99 < 2),
		    "%.2f ms", p99);
	}
	free(r.lat);
	free(b.ids);
	free(b.unit_of);
}

/* Starts the daemon runs times, timing each from fork to health; leaves
 * the last one running.  0, or -1. */
static int
bl_startup(const struct bl_opts *o, struct bl_site *s, uint64_t cases)
{
	double t[5], tmp;
	int runs = o->quick ? 1 : 3;
	char name[40];

	snprintf(name, sizeof name, "start-up (%s)", bl_scale);
	for (int i = 0; i < runs; i++) {
		if (bl_site_start(o, s, &t[i]) < 0) {
			bl_row(name, "run", "starts", "FAIL", "did not start");
			return -1;
		}
		if (i + 1 < runs)
			bl_site_stop(s);
	}
	for (int i = 0; i < runs; i++)
		for (int j = i + 1; j < runs; j++)
			if (t[j] < t[i]) {
				tmp = t[i];
				t[i] = t[j];
				t[j] = tmp;
			}
	printf("start-up with %llu cases: median of %d: %.1f ms (from fork "
	       "to /v1/health answering; target < 200 ms) %s\n",
	    (unsigned long long)cases, runs, t[runs / 2] * 1e3,
	    bl_verdict(t[runs / 2] < 0.2));
	bl_row(name, "exec to health", "< 200 ms",
	    bl_verdict(t[runs / 2] < 0.2), "%.1f ms", t[runs / 2] * 1e3);
	return 0;
}

/* The audit export by the real client as the auditor, then its offline
 * verification with the daemon's key, each timed with its peak memory. */
static void
bl_export(const struct bl_opts *o, struct bl_site *s)
{
	char file[BL_PATH], key[BL_PATH], e0[BL_PATH + 32], e1[BL_PATH + 32];
	char *env[] = {e0, e1, NULL}, *cause = NULL, name[40], vname[40];
	char *keyv[] = {(char *)o->mandate, "audit", "key", "-o", key, NULL};
	char *expv[] = {
	    (char *)o->mandate, "audit", "export", "-o", file, NULL};
	char *verv[] = {(char *)o->mandate, "--json", "audit", "verify", file,
	    "--key", key, NULL};
	struct lp_run ex, ve, kr;
	json_t *v = NULL;
	struct stat sb;
	double entries, erate, vrate;

	memset(&ex, 0, sizeof ex);
	memset(&kr, 0, sizeof kr);
	snprintf(name, sizeof name, "audit export (%s)", bl_scale);
	snprintf(vname, sizeof vname, "audit verify (%s)", bl_scale);
	bl_fmt(file, sizeof file, "%s/audit.jsonl", s->dir);
	bl_fmt(key, sizeof key, "%s/audit-key.json", s->dir);
	snprintf(e0, sizeof e0, "MANDATE_URL=http://%s:%d", s->host, s->port);
	snprintf(e1, sizeof e1, "MANDATE_TOKEN_FILE=%s", s->auditor_file);
	if (lp_spawn(keyv, env, NULL, NULL, 1, &kr) < 0 || kr.status != 0 ||
	    lp_spawn(expv, env, NULL, NULL, 1, &ex) < 0 || ex.status != 0) {
		printf("%s: FAILED (mandate audit key/export)\n", name);
		free(kr.out);
		free(ex.out);
		bl_row(name, "run", "no errors", "FAIL", "client failed");
		return;
	}
	free(kr.out);
	free(ex.out);
	if (lp_spawn(verv, NULL, NULL, NULL, 1, &ve) < 0 ||
	    (v = json_parse_strict(ve.out, ve.outlen, &cause)) == NULL ||
	    !json_is_true(json_object_get(v, "ok")) || ve.status != 0) {
		printf("%s: FAILED: %s\n", vname, ve.out ? ve.out : "");
		bl_row(vname, "run", "verifies", "FAIL", "did not verify");
		free(cause);
		free(ve.out);
		json_decref(v);
		return;
	}
	entries = (double)json_integer_value(json_object_get(v, "entries"));
	json_decref(v);
	free(ve.out);
	stat(file, &sb);
	erate = entries / ex.wall;
	vrate = entries / ve.wall;
	printf("%s: %.0f entries (%.0f MiB) in %.2f s: %.0f entries/s "
	       "(target > 100000) %s; client peak RSS %.1f MiB (target: flat, "
	       "< 32 MiB) %s\n",
	    name, entries, (double)sb.st_size / 1048576.0, ex.wall, erate,
	    bl_verdict(erate > 100000), MIB(ex.maxrss),
	    bl_verdict(MIB(ex.maxrss) < 32));
	printf("%s: %.2f s: %.0f entries/s (target > 200000) %s; verifier "
	       "peak RSS %.1f MiB\n",
	    vname, ve.wall, vrate, bl_verdict(vrate > 200000), MIB(ve.maxrss));
	bl_row(name, "entries/s", "> 100000", bl_verdict(erate > 100000),
	    "%.0f/s (%.0f entries)", erate, entries);
	bl_row(name, "client peak RSS", "< 32 MiB (flat)",
	    bl_verdict(MIB(ex.maxrss) < 32), "%.1f MiB", MIB(ex.maxrss));
	bl_row(vname, "entries/s", "> 200000", bl_verdict(vrate > 200000),
	    "%.0f/s", vrate);
	bl_row(
	    vname, "verifier peak RSS", "-", "-", "%.1f MiB", MIB(ve.maxrss));
}

void
bl_rmrf(const char *path)
{
	char *argv[] = {"/bin/rm", "-rf", (char *)path, NULL};
	struct lp_run r;

	if (lp_spawn(argv, NULL, NULL, NULL, 0, &r) < 0 || r.status != 0)
		fprintf(stderr, "bench_load: cannot remove %s\n", path);
	free(r.out);
}

static void
bl_large(const struct bl_opts *o, const char *work, const char *keys)
{
	char ids[BL_PATH], wal[BL_PATH], name[40];
	struct ls_result r;
	struct bl_site s;
	struct stat sb, sw;
	double per;

	if (o->cases >= 1000000 && o->cases % 1000000 == 0)
		snprintf(bl_scale, sizeof bl_scale, "%lluM",
		    (unsigned long long)(o->cases / 1000000));
	else if (o->cases >= 1000 && o->cases % 1000 == 0)
		bl_fmt(bl_scale, sizeof bl_scale, "%lluk",
		    (unsigned long long)(o->cases / 1000));
	else
		snprintf(bl_scale, sizeof bl_scale, "%llu",
		    (unsigned long long)o->cases);
	snprintf(name, sizeof name, "populate (%s)", bl_scale);
	bl_site_init(o, &s, work, "large");
	if (bl_site_start(o, &s, NULL) < 0) {
		bl_row(name, "daemon start", "starts", "FAIL", "failed");
		return;
	}
	bl_enrol(o, &s, keys);
	bl_site_stop(&s);
	bl_fmt(ids, sizeof ids, "%s/ids.txt", s.dir);
	printf("populate: %llu cases of 2 KiB narratives straight into %s "
	       "through the daemon's storage code...\n",
	    (unsigned long long)o->cases, s.db);
	fflush(stdout);
	if (ls_populate(s.db, s.conf, o->cases, o->seed, 2048, 1000, ids, 10000,
	        &r) < 0) {
		printf("populate: FAILED: %s\n", r.why);
		bl_row(name, "run", "no errors", "FAIL", "failed");
		return;
	}
	printf("populate: %llu cases in %.1f s (%.0f/s), routed by the "
	       "default rules, each with its key copies, status row and audit "
	       "entry; content really encrypted for every case; key copies "
	       "really sealed for %llu cases (the first 1000 and one in "
	       "1000), the others reuse the case key and sealed copies of the "
	       "last sealed case of their unit\n",
	    (unsigned long long)r.cases, r.elapsed, (double)r.cases / r.elapsed,
	    (unsigned long long)r.sealed_real);
	bl_row(name, "cases/s (direct)", "-", "-", "%.0f/s",
	    (double)r.cases / r.elapsed);
	bl_fmt(wal, sizeof wal, "%s-wal", s.db);
	if (stat(s.db, &sb) == 0) {
		if (stat(wal, &sw) < 0)
			sw.st_size = 0;
		per = (double)sb.st_size / (double)r.cases / 1024.0;
		printf("database: %.1f MiB (page_count x page_size, WAL %lld "
		       "bytes) for %llu cases: %.2f KiB per 2 KiB case (target "
		       "< 6 KiB) %s\n",
		    (double)sb.st_size / 1048576.0, (long long)sw.st_size,
		    (unsigned long long)r.cases, per, bl_verdict(per < 6));
		snprintf(name, sizeof name, "database (%s)", bl_scale);
		bl_row(name, "size per 2 KiB case", "< 6 KiB",
		    bl_verdict(per < 6), "%.2f KiB", per);
	}
	if (bl_startup(o, &s, r.cases) == 0) {
		bl_reads_run(o, &s, 0, ids);
		bl_reads_run(o, &s, 1, ids);
		bl_export(o, &s);
		bl_site_stop(&s);
	}
	config_free(s.cfg);
	if (!o->keep)
		bl_rmrf(s.dir);
}

/* --- main --- */

static void
bl_usage(FILE *f)
{
	fprintf(f,
	    "usage: bench_load [--quick] [--seed N] [--duration SECONDS] "
	    "[--warmup N]\n"
	    "                  [--cases N] [--reads N] [--only "
	    "floor,submit,large]\n"
	    "                  [--mandated PATH] [--mandate PATH] [--dir DIR] "
	    "[--keep]\n"
	    "                  [--results FILE]\n"
	    "       bench_load --floor [--seed N] [--duration SECONDS]\n"
	    "       bench_load --populate N DBPATH [-c CONF] [--seed N] "
	    "[--ids FILE]\n"
	    "       bench_load --dump N [--seed N]\n");
}

enum {
	BL_OPT_QUICK = 256,
	BL_OPT_SEED,
	BL_OPT_DURATION,
	BL_OPT_WARMUP,
	BL_OPT_CASES,
	BL_OPT_READS,
	BL_OPT_ONLY,
	BL_OPT_FLOOR,
	BL_OPT_DIR,
	BL_OPT_KEEP,
	BL_OPT_RESULTS,
	BL_OPT_MANDATED,
	BL_OPT_MANDATE,
	BL_OPT_POPULATE,
	BL_OPT_IDS,
	BL_OPT_DUMP,
};

static uint64_t
bl_number(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "bench_load: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

/* --populate N DBPATH: fill a database and say how. */
static int
bl_populate_main(uint64_t n, const char *db, const char *conf, const char *ids,
    uint64_t seed)
{
	struct ls_result r;

	if (ls_populate(db, conf, n, seed, 2048, 1000, ids, 10000, &r) < 0) {
		fprintf(stderr, "bench_load: populate: %s\n", r.why);
		return 1;
	}
	printf("%llu cases in %.1f s (%.0f/s); content encrypted for every "
	       "case; key copies really sealed for %llu cases, the others "
	       "reuse the case key and sealed copies of the last sealed case "
	       "of their unit\n",
	    (unsigned long long)r.cases, r.elapsed, (double)r.cases / r.elapsed,
	    (unsigned long long)r.sealed_real);
	return 0;
}

static int
bl_dump_main(uint64_t n, uint64_t seed)
{
	struct lg_pool pool;

	lg_pool_make(&pool, (size_t)n, seed, 512, 8192);
	for (size_t i = 0; i < pool.n; i++)
		printf("%s\n", pool.c[i].body);
	lg_pool_free(&pool);
	return 0;
}

static void
bl_parse(int argc, char **argv, struct bl_opts *o, uint64_t *populate,
    const char **conf, const char **ids, uint64_t *dump)
{
	static const struct option longopts[] = {
	    {"quick", no_argument, NULL, BL_OPT_QUICK},
	    {"seed", required_argument, NULL, BL_OPT_SEED},
	    {"duration", required_argument, NULL, BL_OPT_DURATION},
	    {"warmup", required_argument, NULL, BL_OPT_WARMUP},
	    {"cases", required_argument, NULL, BL_OPT_CASES},
	    {"reads", required_argument, NULL, BL_OPT_READS},
	    {"only", required_argument, NULL, BL_OPT_ONLY},
	    {"floor", no_argument, NULL, BL_OPT_FLOOR},
	    {"dir", required_argument, NULL, BL_OPT_DIR},
	    {"keep", no_argument, NULL, BL_OPT_KEEP},
	    {"results", required_argument, NULL, BL_OPT_RESULTS},
	    {"mandated", required_argument, NULL, BL_OPT_MANDATED},
	    {"mandate", required_argument, NULL, BL_OPT_MANDATE},
	    {"populate", required_argument, NULL, BL_OPT_POPULATE},
	    {"ids", required_argument, NULL, BL_OPT_IDS},
	    {"dump", required_argument, NULL, BL_OPT_DUMP},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int ch, set_duration = 0, set_warmup = 0, set_cases = 0, set_reads = 0;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case BL_OPT_QUICK:
			o->quick = 1;
			break;
		case BL_OPT_SEED:
			o->seed = bl_number(optarg, "--seed") | 1;
			break;
		case BL_OPT_DURATION:
			o->duration = strtod(optarg, NULL);
			set_duration = 1;
			if (o->duration <= 0)
				bl_die("--duration must be positive");
			break;
		case BL_OPT_WARMUP:
			o->warmup = bl_number(optarg, "--warmup");
			set_warmup = 1;
			break;
		case BL_OPT_CASES:
			o->cases = bl_number(optarg, "--cases");
			set_cases = 1;
			break;
		case BL_OPT_READS:
			o->reads = bl_number(optarg, "--reads");
			set_reads = 1;
			break;
		case BL_OPT_ONLY:
			o->only = optarg;
			break;
		case BL_OPT_FLOOR:
			o->only = "floor";
			break;
		case BL_OPT_DIR:
			o->dir = optarg;
			break;
		case BL_OPT_KEEP:
			o->keep = 1;
			break;
		case BL_OPT_RESULTS:
			o->results = optarg;
			break;
		case BL_OPT_MANDATED:
			o->mandated = optarg;
			break;
		case BL_OPT_MANDATE:
			o->mandate = optarg;
			break;
		case BL_OPT_POPULATE:
			*populate = bl_number(optarg, "--populate");
			break;
		case 'c':
			*conf = optarg;
			break;
		case BL_OPT_IDS:
			*ids = optarg;
			break;
		case BL_OPT_DUMP:
			*dump = bl_number(optarg, "--dump");
			break;
		case 'h':
			bl_usage(stdout);
			exit(0);
		default:
			bl_usage(stderr);
			exit(2);
		}
	}
	if (o->quick) {
		o->duration = set_duration ? o->duration : 1;
		o->warmup = set_warmup ? o->warmup : 100;
		o->cases = set_cases ? o->cases : 20000;
		o->reads = set_reads ? o->reads : 300;
	}
	if (o->cases == 0 || o->reads == 0)
		bl_die("--cases and --reads must be positive");
}

/* The working directory: --dir (created), or a new temporary one. */
static char *
bl_workdir(const struct bl_opts *o)
{
	const char *tmp = getenv("TMPDIR");
	char path[BL_PATH];

	if (o->dir != NULL) {
		if (mkdir(o->dir, 0700) < 0 && errno != EEXIST)
			bl_die("cannot create --dir");
		return bl_strdup(o->dir);
	}
	snprintf(path, sizeof path, "%s/mandate-bench.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(path) == NULL)
		bl_die("cannot create a temporary directory");
	return bl_strdup(path);
}

int
main(int argc, char **argv)
{
	struct bl_opts o = {MANDATE_BINARY_DIR "/bin/mandated",
	    MANDATE_BINARY_DIR "/bin/mandate", NULL, NULL, NULL, 1, 5, 500,
	    1000000, 2000, 0, 0};
	const char *conf = NULL, *ids = NULL;
	uint64_t populate = 0, dump = 0;
	struct bl_floor fl = {0, 0};
	char keys[BL_PATH], *work;

	json_init();
	if (crypt_init() < 0)
		bl_die("libsodium cannot be initialised");
	bl_parse(argc, argv, &o, &populate, &conf, &ids, &dump);
	if (dump > 0)
		return bl_dump_main(dump, o.seed);
	if (populate > 0) {
		if (optind + 1 != argc) {
			bl_usage(stderr);
			return 2;
		}
		return bl_populate_main(
		    populate, argv[optind], conf, ids, o.seed);
	}
	if (optind != argc) {
		bl_usage(stderr);
		return 2;
	}
	signal(SIGINT, bl_signal);
	signal(SIGTERM, bl_signal);
	signal(SIGPIPE, SIG_IGN);
	unsetenv("MANDATE_URL");
	unsetenv("MANDATE_SOCKET");
	unsetenv("MANDATE_TOKEN_FILE");
	unsetenv("MANDATE_KEY");
	work = bl_workdir(&o);
	snprintf(keys, sizeof keys, "%s/keys", work);
	if (mkdir(keys, 0700) < 0 && errno != EEXIST)
		bl_die("cannot create the keys directory");
	printf("bench_load: seed %llu, %.1f s per scenario after %llu warm-up "
	       "requests, %llu cases for the large set, %llu reads; work in "
	       "%s\n",
	    (unsigned long long)o.seed, o.duration,
	    (unsigned long long)o.warmup, (unsigned long long)o.cases,
	    (unsigned long long)o.reads, work);
	fflush(stdout);
	if (bl_wants(&o, "floor") || bl_wants(&o, "submit"))
		bl_floor(&o, work, &fl);
	if (bl_wants(&o, "submit"))
		bl_submits(&o, work, keys, &fl);
	if (bl_wants(&o, "large"))
		bl_large(&o, work, keys);
	bl_table(o.results);
	if (o.keep || bl_failed)
		printf("kept %s\n", work);
	else
		bl_rmrf(work);
	free(work);
	return bl_failed ? 1 : 0;
}
