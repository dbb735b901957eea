/*
 * GET /metrics: the Prometheus text exposition (metrics.h), for
 * administrators on the usual listeners, and for anyone who can reach the
 * metrics_listen address (metrics_serve_unauthenticated).  Scrapes are
 * not written to the audit log: they read no case, only counts, and a
 * scraper every few seconds would drown it.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "server.h"

/* The rendered text, handed out as one piece. */
struct route_metrics_piece {
	char *text;
	size_t len;
};

static int
route_metrics_get_next(void *arg, char **piece, size_t *len)
{
	struct route_metrics_piece *p = arg;

	if (p->text == NULL)
		return 0;
	*piece = p->text;
	*len = p->len;
	p->text = NULL;
	return 1;
}

static void
route_metrics_get_free(void *arg)
{
	struct route_metrics_piece *p = arg;

	free(p->text);
	free(p);
}

static int
route_metrics_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {NULL};
	struct route_metrics_piece *p;
	struct db_metrics m;
	char *cause = NULL;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (db_metrics_read(req->srv->db, req->now, &m, &cause) < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if ((p = calloc(1, sizeof *p)) == NULL)
		fatalx("metrics: out of memory");
	p->text = metrics_render(req->srv->cfg, &m, &p->len);
	db_metrics_clear(&m);
	return reply_stream(res, 200, METRICS_CONTENT_TYPE, p,
	    route_metrics_get_next, route_metrics_get_free);
}

const struct route route_metrics_get = {
    HTTP_GET, "/metrics", ROLE_ADMIN, 0, route_metrics_get_handle, ROUTE_QUERY};
