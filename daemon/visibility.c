/*
 * Case visibility: officers see the cases of which they hold a key copy;
 * auditors see metadata of every case except those of units whose cases
 * auditors see only as counts (the Ombudsperson by default); staff see no
 * case by id; administrators never reach a case endpoint.
 */
#include "visibility.h"

#include <string.h>

#include "config.h"
#include "db.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

int
visibility_case(struct server *srv, const struct identity *who, const char *id,
    struct db_case *c, int64_t *officer_id, char **cause)
{
	const struct config_unit *unit;
	int r;

	if (officer_id != NULL)
		*officer_id = -1;
	if (!mandate_case_id_valid(id))
		return 0;
	r = db_case_get(srv->db, id, c, cause);
	if (r <= 0)
		return r;
	for (size_t i = 0; i < who->nofficers; i++) {
		r = db_case_key_held(srv->db, id, who->officers[i].id, cause);
		if (r < 0)
			return -1;
		if (r == 1) {
			if (officer_id != NULL)
				*officer_id = who->officers[i].id;
			return 1;
		}
	}
	if (who->roles & ROLE_AUDITOR) {
		unit = config_unit_find(srv->cfg, c->unit);
		return unit == NULL || !unit->auditors_counts_only;
	}
	return 0;
}
