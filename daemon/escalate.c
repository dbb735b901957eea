/*
 * Deadline alerts and the escalation command: see escalate.h.
 */
#include "escalate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "deadline.h"
#include "log.h"
#include "server.h"
#include "storage.h"

/* The commands started and not yet reaped: bounded, reaped at each tick. */
static pid_t escalate_children[ESCALATE_CHILDREN];

unsigned
escalate_running(void)
{
	unsigned n = 0;

	for (size_t i = 0; i < ESCALATE_CHILDREN; i++)
		n += escalate_children[i] != 0;
	return n;
}

static void
escalate_reap(void)
{
	int status;

	for (size_t i = 0; i < ESCALATE_CHILDREN; i++) {
		pid_t pid = escalate_children[i];
		if (pid == 0 || waitpid(pid, &status, WNOHANG) != pid)
			continue;
		escalate_children[i] = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			log_warnx("escalate: command %ld ended with status %d",
			    (long)pid, status);
	}
}

/* In the child: /dev/null in and out, no inherited descriptor but
 * stderr (the daemon's log), default signals, then the command. */
static void __attribute__((noreturn))
escalate_exec(const char *path, char *const env[])
{
	char *const argv[] = {(char *)path, NULL};
	sigset_t none;
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(126);
	for (int i = 3, max = (int)sysconf(_SC_OPEN_MAX); i < max; i++)
		close(i);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (chdir("/") < 0)
		_exit(126);
	execve(path, argv, env);
	_exit(127);
}

/* Starts the command for one threshold of c; 0, or -1 (logged). */
static int
escalate_spawn(
    const char *path, const struct db_case *c, const char *name, int64_t days)
{
	char id[64], unit[64], state[64], threshold[64], overdue[64];
	char *const env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", id, unit,
	    state, threshold, overdue, NULL};
	size_t slot;
	pid_t pid;

	for (slot = 0; slot < ESCALATE_CHILDREN; slot++)
		if (escalate_children[slot] == 0)
			break;
	if (slot == ESCALATE_CHILDREN)
		return -1; /* the caller checked: cannot happen */
	snprintf(id, sizeof id, "MANDATE_CASE_ID=%s", c->id);
	snprintf(unit, sizeof unit, "MANDATE_UNIT=%s", c->unit);
	snprintf(state, sizeof state, "MANDATE_STATE=%s", c->status);
	snprintf(threshold, sizeof threshold, "MANDATE_THRESHOLD=%s", name);
	snprintf(overdue, sizeof overdue, "MANDATE_DAYS_OVERDUE=%lld",
	    (long long)days);
	if ((pid = fork()) < 0) {
		log_warn("escalate: fork for case %s", c->id);
		return -1;
	}
	if (pid == 0)
		escalate_exec(path, env);
	escalate_children[slot] = pid;
	log_info("escalate: case %s (%s) at %s: command %ld started", c->id,
	    c->unit, name, (long)pid);
	return 0;
}

/* Marks one threshold of c with its audit entry, in one transaction. */
static int
escalate_mark(struct server *srv, const struct db_case *c, int bits,
    const char *name, int64_t days, const char *command, int64_t now,
    char **cause)
{
	json_t *details = json_pack("{s:s, s:I, s:s}", "threshold", name,
	    "days_overdue", (json_int_t)days, "command", command);

	if (db_begin(srv->db, cause) < 0) {
		json_decref(details);
		return -1;
	}
	if (db_case_mark(srv->db, c->id, bits, cause) < 0 ||
	    audit_record_case(srv, AUDIT_ACTOR_SYSTEM, AUDIT_ROLE_SYSTEM,
	        AUDIT_CASE_ESCALATE, c->id, details, now, cause) < 0 ||
	    db_commit(srv->db, cause) < 0) {
		db_rollback(srv->db);
		return -1;
	}
	return 0;
}

/*
 * One case: 1 a threshold marked, 0 nothing to do, 2 stop for this tick
 * (every command slot busy), -1 error.
 */
static int
escalate_case(
    struct server *srv, const struct db_case *c, int64_t now, char **cause)
{
	struct deadline_clock k = {
	    c->stage_started_at, c->due_at, c->paused_at};
	const struct config_unit *u = config_unit_find(srv->cfg, c->unit);
	const char *path = srv->cfg->escalation_command, *command = "run";
	int bits,
	    t = deadline_threshold(&k, c->urgent, c->escalated, now, &bits);
	int64_t days = deadline_days_overdue(&k, now);

	if (t == 0)
		return 0;
	if (path == NULL || path[0] == '\0')
		command = "none";
	else if (u == NULL || !u->escalate)
		command = "unit-only"; /* never leaves the unit */
	if (strcmp(command, "run") == 0 &&
	    escalate_running() == ESCALATE_CHILDREN)
		return 2;
	if (escalate_mark(srv, c, bits, deadline_threshold_name(t), days,
	        command, now, cause) < 0)
		return -1;
	log_info("escalate: case %s (%s) reached threshold %s", c->id, c->unit,
	    deadline_threshold_name(t));
	if (strcmp(command, "run") == 0)
		(void)escalate_spawn(path, c, deadline_threshold_name(t), days);
	return 1;
}

int
escalate_run(struct server *srv, int64_t now, char **cause)
{
	struct db_case *rows;
	ssize_t n;
	int marked = 0, r = 0;

	if ((n = db_case_open_due(srv->db, now, ESCALATE_BATCH, &rows, cause)) <
	    0)
		return -1;
	for (ssize_t i = 0; i < n && r != 2; i++) {
		if ((r = escalate_case(srv, &rows[i], now, cause)) < 0) {
			free(rows);
			return -1;
		}
		/* An urgent case may also have reached a deadline threshold:
		 * the next tick raises it. */
		marked += r == 1;
	}
	free(rows);
	return marked;
}

void
escalate_tick(void *arg)
{
	struct server *srv = arg;
	char *cause = NULL;
	int n;

	escalate_reap();
	/* Deadline marks are writes: none below the free-space reserve. */
	if (!storage_reserve_ok(srv))
		return;
	if ((n = escalate_run(srv, server_now(), &cause)) < 0) {
		log_warnx("escalate: %s", cause);
		free(cause);
	} else if (n > 0)
		log_info("escalate: %d threshold(s) marked", n);
}
