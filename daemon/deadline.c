/*
 * Working-day arithmetic for due dates.
 */
#include "deadline.h"

#include <time.h>

int64_t
deadline_add_working_days(int64_t t, unsigned days)
{
	const int64_t day = 86400;
	time_t tt;
	struct tm tm;

	for (;;) { /* move a weekend start to Monday */
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		if (tm.tm_wday != 0 && tm.tm_wday != 6)
			break;
		t += day;
	}
	while (days > 0) {
		t += day;
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		if (tm.tm_wday != 0 && tm.tm_wday != 6)
			days--;
	}
	return t;
}
