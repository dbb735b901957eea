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

void
deadline_transition(struct deadline_clock *k, int leaving_received,
    int from_paused, int to_paused, unsigned assess_days, int64_t now)
{
	if (from_paused && k->paused_at != 0 && now > k->paused_at) {
		int64_t stood = now - k->paused_at;
		k->started_at += stood;
		if (k->due_at != 0)
			k->due_at += stood;
	}
	k->paused_at = 0;
	if (leaving_received) {
		k->started_at = now;
		k->due_at = assess_days
		                ? deadline_add_working_days(now, assess_days)
		                : 0;
	}
	if (to_paused)
		k->paused_at = now;
}

int
deadline_percent(const struct deadline_clock *k, int64_t now)
{
	int64_t span = k->due_at - k->started_at, run;

	if (k->due_at == 0 || span <= 0)
		return 0;
	if (k->paused_at != 0 && k->paused_at < now)
		now = k->paused_at;
	run = now - k->started_at;
	if (run <= 0)
		return 0;
	return run >= span * 10 ? 1000 : (int)(run * 100 / span);
}

int64_t
deadline_days_overdue(const struct deadline_clock *k, int64_t now)
{
	if (k->due_at == 0 || now <= k->due_at)
		return 0;
	return (now - k->due_at) / 86400;
}

int
deadline_threshold(const struct deadline_clock *k, int urgent, int marked,
    int64_t now, int *bits)
{
	int percent = deadline_percent(k, now);

	*bits = 0;
	if (urgent && !(marked & DEADLINE_URGENT))
		return *bits = DEADLINE_URGENT;
	if (percent >= 100 && !(marked & DEADLINE_OVERDUE)) {
		*bits = DEADLINE_OVERDUE | DEADLINE_WARN;
		return DEADLINE_OVERDUE;
	}
	if (percent >= DEADLINE_WARN_PERCENT && !(marked & DEADLINE_WARN)) {
		*bits = DEADLINE_WARN;
		return DEADLINE_WARN;
	}
	return 0;
}

const char *
deadline_threshold_name(int threshold)
{
	switch (threshold) {
	case DEADLINE_URGENT:
		return "urgent";
	case DEADLINE_WARN:
		return "80";
	case DEADLINE_OVERDUE:
		return "100";
	}
	return "";
}
