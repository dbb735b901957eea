/*
 * Deadlines: due dates counted in working days (Monday to Friday, UTC).
 */
#ifndef MANDATE_DEADLINE_H
#define MANDATE_DEADLINE_H

#include <stdint.h>

/* The time days working days after t (weekends skipped; the time of day is
 * kept).  A start on a weekend counts from the next Monday. */
int64_t deadline_add_working_days(int64_t t, unsigned days);

#endif
