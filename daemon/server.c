/*
 * The daemon's clock, in one place so that tests can move it: the
 * configuration's clock_offset_seconds (documented as for testing only,
 * and warned about at start-up) is added to the system time.
 */
#include <time.h>

#include "server.h"

static int64_t server_clock_offset;

int64_t
server_now(void)
{
	return (int64_t)time(NULL) + server_clock_offset;
}

void
server_set_clock_offset(int64_t seconds)
{
	server_clock_offset = seconds;
}
