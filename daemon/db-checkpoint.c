/*
 * WAL checkpoints off the request path.  The daemon's connection never
 * checkpoints inside a COMMIT (its WAL hook replaces SQLite's automatic
 * checkpoints); once the WAL has grown past DB_CHECKPOINT_FRAMES, this
 * thread, on a connection of its own, copies the committed frames into the
 * database with a PASSIVE checkpoint, which never waits for the writer and
 * never makes it wait.  The next writer that finds every frame copied
 * starts the WAL over, so the file stays bounded (journal_size_limit cuts
 * it back).
 */
#include "db-int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

struct db_checkpointer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wanted, stop;
	sqlite3 *conn;
};

static void *
db_checkpointer_run(void *arg)
{
	struct db_checkpointer *c = arg;
	int nlog, ncopied, rc;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->wanted && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->wanted = 0;
		pthread_mutex_unlock(&c->mu);
		nlog = ncopied = -1;
		rc = sqlite3_wal_checkpoint_v2(c->conn, "main",
		    SQLITE_CHECKPOINT_PASSIVE, &nlog, &ncopied);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_warnx(
			    "db: checkpoint: %s", sqlite3_errmsg(c->conn));
		else
			log_debug("db: checkpoint: %d of %d WAL frames copied",
			    ncopied, nlog);
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct db_checkpointer *
db_checkpointer_start(const char *path, char **cause)
{
	struct db_checkpointer *c = calloc(1, sizeof *c);

	if (c == NULL)
		abort();
	if (sqlite3_open_v2(path, &c->conn,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		if (asprintf(cause, "db: checkpointer: %s: %s", path,
		        sqlite3_errmsg(c->conn)) < 0)
			abort();
		goto fail;
	}
	sqlite3_busy_timeout(c->conn, 1000);
	/* This connection only checkpoints: never on its own account. */
	sqlite3_wal_autocheckpoint(c->conn, 0);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pthread_create(&c->thread, NULL, db_checkpointer_run, c) != 0) {
		if (asprintf(cause, "db: cannot start the checkpointer") < 0)
			abort();
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
		goto fail;
	}
	return c;
fail:
	sqlite3_close(c->conn);
	free(c);
	return NULL;
}

void
db_checkpointer_nudge(struct db_checkpointer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->wanted = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void
db_checkpointer_stop(struct db_checkpointer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	sqlite3_close(c->conn);
	free(c);
}
