/*
 * GET /v1/backup/{id}: a backup job's state, then the backup itself
 * (administrators, the one who started it).  202 {"state": "running"}
 * while the snapshot is being made; then 200 with the backup file
 * streamed: its manifest line, then the database (backup.h).  Once
 * collected, or failed, the job is over and its id unknown.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "log.h"
#include "routes.h"

#define BACKUP_CONTENT_TYPE "application/vnd.mandate.backup"

static int
route_backup_get_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		        (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == BACKUP_ID_LEN;
}

static int
route_backup_get_handle(struct request *req, struct response *res)
{
	struct backup_reader *reader = NULL;
	char *cause = NULL;
	int64_t size = 0;

	if (!route_backup_get_id_valid(req->param))
		return reply_error(
		    res, MANDATE_ERR_NOT_FOUND, NULL, "no such backup job");
	switch (backup_job_take(
	    req->srv, req->param, req->who.user, &reader, &size, &cause)) {
	case BACKUP_UNKNOWN:
		return reply_error(res, MANDATE_ERR_NOT_FOUND, NULL,
		    "no such backup job: it was collected already, failed, "
		    "or is another administrator's");
	case BACKUP_RUNNING:
		return reply_json(res, 202,
		    json_pack(
		        "{s:s, s:s}", "id", req->param, "state", "running"));
	case BACKUP_FAILED:
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL,
		    "the backup failed: the daemon's log says why");
	case BACKUP_READY:
		break;
	}
	log_info("backup: job %s: sending %" PRId64 " bytes of database",
	    req->param, size);
	return reply_stream(res, 200, BACKUP_CONTENT_TYPE, reader,
	    backup_reader_next, backup_reader_free);
}

const struct route route_backup_get = {
    HTTP_GET, "/v1/backup/{id}", ROLE_ADMIN, 0, route_backup_get_handle, 0};
