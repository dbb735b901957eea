/*
 * Statistics for auditors (GET /v1/stats): cases counted by unit,
 * category, status or month of receipt, with the median time to
 * acknowledge and to close, and the acknowledgement deadlines met, missed
 * and pending per unit.  The cases of units whose auditors see only counts
 * are grouped apart and any group of them under REPORT_K_MIN is
 * suppressed, so that no figure can be subtracted down to a few of them.
 */
#ifndef MANDATE_STATS_H
#define MANDATE_STATS_H

#include "json.h"

struct server;

/* The dimensions of --by. */
#define STATS_BY_NAMES "unit, category, status or month"

/* Nonzero when by is one of the dimensions. */
int stats_by_valid(const char *by);

/*
 * The statistics by by at now, as a new JSON object
 * {"by", "groups": [...], "compliance": [...], "suppressed_below"};
 * NULL with *cause set on a storage error.
 */
json_t *stats_compute(struct server *srv, const char *by, int64_t now,
    char **cause) __attribute__((warn_unused_result));

#endif
