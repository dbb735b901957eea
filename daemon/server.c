/*
 * The daemon's clock, in one place so that deadline tests can control it
 * later.
 */
#include <time.h>

#include "server.h"

int64_t
server_now(void)
{
	return (int64_t)time(NULL);
}
