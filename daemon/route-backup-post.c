/*
 * POST /v1/backup: starts a backup (administrators).  The snapshot is
 * made by a worker thread while the daemon goes on serving (backup.h);
 * the reply is 202 with the job's id, to collect with GET
 * /v1/backup/{id}.  Only one backup runs at a time.
 */
#include <stdlib.h>

#include "audit.h"
#include "backup.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"

/* The audit entry: who asked for a backup, and the job's id. */
static int
route_backup_post_record(struct request *req, const char *id, char **cause)
{
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	if (audit_record(req, AUDIT_ROLE_ADMIN, AUDIT_BACKUP, NULL, NULL,
	        json_pack("{s:s}", "job", id), cause) < 0 ||
	    db_commit(req->srv->db, cause) < 0) {
		db_rollback(req->srv->db);
		return -1;
	}
	return 0;
}

static int
route_backup_post_handle(struct request *req, struct response *res)
{
	char id[BACKUP_ID_LEN + 1], *cause = NULL;
	int r;

	r = backup_job_start(req->srv, req->who.user, id, sizeof id, &cause);
	if (r == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, NULL,
		    "a backup is being made already: retry when it is done");
	if (r > 0 && route_backup_post_record(req, id, &cause) < 0) {
		backup_job_shutdown(); /* no backup without its entry */
		r = -1;
	}
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	log_info("backup: job %s started by %s", id, req->who.user);
	return reply_json(
	    res, 202, json_pack("{s:s, s:s}", "id", id, "state", "running"));
}

const struct route route_backup_post = {
    HTTP_POST, "/v1/backup", ROLE_ADMIN, 0, route_backup_post_handle, 0};
