/*
 * The auditors' case log (GET /v1/audit/cases), streamed: per case its
 * metadata, every status it has had with when and the role of who set it,
 * and whether its acknowledgement deadline was met; the cases of units
 * whose auditors see only counts (the Ombudsperson) appear only as counts
 * by quarter and category, a count under REPORT_K_MIN shown as
 * suppressed.  Never content.
 */
#ifndef MANDATE_REPORT_H
#define MANDATE_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct request;

/* Smallest count shown for a unit whose auditors see only counts. */
#define REPORT_K_MIN 5

/* The CSV columns, in order. */
#define REPORT_COLUMNS                                                       \
	"record", "id", "unit", "category", "status", "rule", "anonymous",   \
	    "urgent", "recused", "received_at", "due_at", "acknowledged_at", \
	    "acknowledge", "closed_at", "purged_at", "legal_hold", "events", \
	    "quarter", "count", "suppressed", "cases"

struct report_cases;

/* Records the export in the audit log (its own transaction) and prepares
 * the stream; NULL with *cause set on failure. */
struct report_cases *report_cases_open(struct request *req, int csv,
    char **cause) __attribute__((warn_unused_result));

/* reply_stream callbacks: the records, then an "end" record with the
 * number of case records, so that a cut-short export shows. */
int report_cases_next(void *arg, char **piece, size_t *len);
void report_cases_free(void *arg);

/* "met", "missed" or "pending": the acknowledgement deadline at now. */
const char *report_deadline(
    int64_t due_at, int64_t acknowledged_at, int64_t now);

#endif
