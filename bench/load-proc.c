/*
 * Processes for the load benchmark: running the client and mandated with
 * their time and peak memory (wait4), starting the daemon and timing it
 * until it answers, and reading a daemon's CPU time and memory from
 * /proc.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "load.h"

extern char **environ;

double
lp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lp_sleep(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* In the child: the environment plus env, then exec. */
static void
lp_exec(char *const argv[], char *const env[])
{
	size_t n = 0, k = 0;
	char **all;

	while (environ[n] != NULL)
		n++;
	while (env != NULL && env[k] != NULL)
		k++;
	if ((all = calloc(n + k + 1, sizeof *all)) == NULL)
		_exit(127);
	for (size_t i = 0; i < k; i++)
		all[i] = env[i];
	for (size_t i = 0; i < n; i++)
		all[k + i] = environ[i];
	execve(argv[0], argv, all);
	fprintf(stderr, "bench_load: cannot run %s: %s\n", argv[0],
	    strerror(errno));
	_exit(127);
}

static void
lp_child(
    char *const argv[], char *const env[], int in, int out, const char *errpath)
{
	int fd;

	if (dup2(in, 0) < 0)
		_exit(127);
	if (errpath != NULL) {
		fd = open(errpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(127);
		if (out < 0)
			out = fd;
	}
	if (out >= 0 && dup2(out, 1) < 0)
		_exit(127);
	lp_exec(argv, env);
}

static void *
lp_grow(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL) {
		fprintf(stderr, "bench_load: out of memory\n");
		exit(1);
	}
	return p;
}

/* Reads what fd has now into r->out: 0, or -1 at its end. */
static int
lp_capture(int fd, struct lp_run *r, size_t *cap)
{
	ssize_t n;

	if (r->out == NULL) {
		*cap = 4096;
		r->out = lp_grow(NULL, *cap);
		r->out[0] = '\0';
	}
	if (r->outlen + 1 >= *cap)
		r->out = lp_grow(r->out, *cap *= 2);
	n = read(fd, r->out + r->outlen, *cap - r->outlen - 1);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	r->outlen += (size_t)n;
	r->out[r->outlen] = '\0';
	return 0;
}

/* The child's peak memory as its own /proc entry says, once it runs the
 * program (named comm): wait4's ru_maxrss, and the entry before the
 * exec, would count the benchmark's own pages, which a fork starts
 * from. */
static void
lp_sample(pid_t pid, const char *comm, struct lp_run *r)
{
	char path[64], line[256], name[32] = "";
	long hwm = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Name: %31s", name) != 1)
			sscanf(line, "VmHWM: %ld", &hwm);
	fclose(f);
	if (strncmp(name, comm, 15) == 0 && hwm > r->maxrss)
		r->maxrss = hwm;
}

/* Waits for pid, sampling its memory every 2 ms and reading its output
 * from fd (-1: none) as it comes. */
static int
lp_wait(pid_t pid, const char *comm, int fd, struct lp_run *r, int *st)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	size_t cap = 0;
	pid_t w;

	for (;;) {
		lp_sample(pid, comm, r);
		if (fd >= 0) {
			if (poll(&pfd, 1, 2) > 0 &&
			    lp_capture(fd, r, &cap) < 0) {
				close(fd);
				fd = pfd.fd = -1;
			}
			continue;
		}
		if ((w = waitpid(pid, st, WNOHANG)) == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		lp_sleep(0.002);
	}
	if (r->out == NULL) {
		r->out = lp_grow(NULL, 1);
		r->out[0] = '\0';
	}
	return 0;
}

int
lp_spawn(char *const argv[], char *const env[], const char *stdin_text,
    const char *errpath, int capture, struct lp_run *r)
{
	int inp[2] = {-1, -1}, outp[2] = {-1, -1}, st;
	double t0 = lp_now();
	const char *comm;
	pid_t pid;

	memset(r, 0, sizeof *r);
	if (pipe(inp) < 0 || (capture && pipe(outp) < 0))
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(inp[1]);
		if (capture)
			close(outp[0]);
		lp_child(argv, env, inp[0], capture ? outp[1] : -1, errpath);
	}
	close(inp[0]);
	if (stdin_text != NULL &&
	    write(inp[1], stdin_text, strlen(stdin_text)) < 0)
		fprintf(stderr, "bench_load: writing to %s: %s\n", argv[0],
		    strerror(errno));
	close(inp[1]);
	if (capture)
		close(outp[1]);
	comm = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (lp_wait(pid, comm, capture ? outp[0] : -1, r, &st) < 0)
		return -1;
	r->wall = lp_now() - t0;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

int
lp_health(const char *sock)
{
	static const char req[] = "GET /v1/health HTTP/1.1\r\nHost: "
	                          "localhost\r\nConnection: close\r\n\r\n";
	struct sockaddr_un sun;
	char buf[64];
	ssize_t n;
	int fd, status = -1;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof sun.sun_path)
		return -1;
	strcpy(sun.sun_path, sock);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0 &&
	    write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1) &&
	    (n = read(fd, buf, sizeof buf - 1)) > 12) {
		buf[n] = '\0';
		if (strncmp(buf, "HTTP/1.", 7) == 0)
			status = atoi(buf + 9);
	}
	close(fd);
	return status;
}

pid_t
lp_daemon_start(const char *mandated, const char *conf, const char *logpath,
    const char *sock, double timeout, double *startup)
{
	char *argv[] = {(char *)mandated, "-f", "-c", (char *)conf, NULL};
	int devnull = open("/dev/null", O_RDONLY), st;
	double t0 = lp_now();
	pid_t pid;

	if (devnull < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0)
		lp_child(argv, NULL, devnull, -1, logpath);
	close(devnull);
	while (lp_now() - t0 < timeout) {
		if (lp_health(sock) == 200) {
			*startup = lp_now() - t0;
			return pid;
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
		lp_sleep(0.0005);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

int
lp_daemon_stop(pid_t pid)
{
	double t0 = lp_now();
	int st;

	kill(pid, SIGTERM);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (lp_now() - t0 > 30) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
		lp_sleep(0.005);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

double
lp_cpu(pid_t pid)
{
	char path[64], buf[2048], *p;
	unsigned long long ut, stime;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from its ')'. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2,
	        "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
	        &stime) != 2)
		return -1;
	return (double)(ut + stime) / (double)sysconf(_SC_CLK_TCK);
}

int
lp_mem(pid_t pid, long *hwm, long *rss)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmHWM: %ld", hwm) == 1)
			found |= 1;
		else if (sscanf(line, "VmRSS: %ld", rss) == 1)
			found |= 2;
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}

int
lp_reset_hwm(pid_t pid)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof path, "/proc/%d/clear_refs", (int)pid);
	if ((fd = open(path, O_WRONLY)) < 0)
		return -1;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}
