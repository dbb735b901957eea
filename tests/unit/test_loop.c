/*
 * Tests of loop.c's systemd notification: the datagram reaches the socket
 * named by NOTIFY_SOCKET, in the filesystem or the abstract namespace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"

static int
bind_dgram(const char *path, int abstract)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + (abstract ? 1 : 0), path, strlen(path));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	                  strlen(path) + (abstract ? 1 : 0));
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

static void
expect_datagram(int fd, const char *want)
{
	char buf[128];
	ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);

	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
test_loop__notify__reaches_path_socket(void **state)
{
	char dir[] = "/tmp/mandate-notify.XXXXXX", path[128];
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/notify", dir);
	fd = bind_dgram(path, 0);
	setenv("NOTIFY_SOCKET", path, 1);
	loop_notify("READY=1");
	expect_datagram(fd, "READY=1");
	loop_notify("STOPPING=1");
	expect_datagram(fd, "STOPPING=1");
	close(fd);
	unlink(path);
	rmdir(dir);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_loop__notify__reaches_abstract_socket(void **state)
{
	char name[64], env[80];
	int fd;

	snprintf(name, sizeof name, "mandate-test-%ld", (long)getpid());
	fd = bind_dgram(name, 1);
	snprintf(env, sizeof env, "@%s", name);
	setenv("NOTIFY_SOCKET", env, 1);
	loop_notify("RELOADING=1");
	expect_datagram(fd, "RELOADING=1");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_loop__notify__without_socket__does_nothing(void **state)
{
	unsetenv("NOTIFY_SOCKET");
	loop_notify("READY=1"); /* must neither crash nor block */
	setenv("NOTIFY_SOCKET", "", 1);
	loop_notify("READY=1");
	unsetenv("NOTIFY_SOCKET");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loop__notify__reaches_path_socket),
	    cmocka_unit_test(test_loop__notify__reaches_abstract_socket),
	    cmocka_unit_test(test_loop__notify__without_socket__does_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
