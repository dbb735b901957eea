/*
 * Tests of listen.c: the Unix socket's mode, stale-socket replacement,
 * refusal to replace a live socket or another kind of file, TCP address
 * parsing, and peer credentials.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "listen.h"

static char dir[] = "/tmp/mandate-listen.XXXXXX";
static char path[100];

static int
setup(void **state)
{
	strcpy(dir, "/tmp/mandate-listen.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/sock", dir);
	return 0;
}

static int
teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

static int
connect_to(const char *p)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, p,
	    strlen(p) < sizeof sun.sun_path ? strlen(p)
	                                    : sizeof sun.sun_path - 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
test_listen__unix__mode_0666_and_peer_uid(void **state)
{
	char *cause = NULL;
	struct stat st;
	uid_t uid = (uid_t)-2;
	int fd, c, s;

	fd = listen_unix(path, &cause);
	assert_true(fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666);
	assert_true(listen_is_unix(fd));
	c = connect_to(path);
	assert_true(c >= 0);
	s = accept(fd, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(listen_peer_uid(s, &uid), 0);
	assert_int_equal(uid, getuid());
	close(s);
	close(c);
	close(fd);
}

static void
test_listen__unix__stale_socket__replaced(void **state)
{
	char *cause = NULL;
	int fd = listen_unix(path, &cause), fd2;

	assert_true(fd >= 0);
	close(fd); /* the file stays, nobody listens: stale */
	fd2 = listen_unix(path, &cause);
	assert_true(fd2 >= 0);
	assert_null(cause);
	close(fd2);
}

static void
test_listen__unix__live_socket__refused(void **state)
{
	char *cause = NULL;
	int fd = listen_unix(path, &cause);

	assert_true(fd >= 0);
	assert_int_equal(listen_unix(path, &cause), -1);
	assert_non_null(strstr(cause, "another daemon is listening on"));
	free(cause);
	close(fd);
}

static void
test_listen__unix__regular_file__refused(void **state)
{
	char *cause = NULL;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
	assert_int_equal(listen_unix(path, &cause), -1);
	assert_non_null(strstr(cause, "refusing to replace non-socket"));
	free(cause);
}

static void
test_listen__tcp__bad_address__named(void **state)
{
	char *cause = NULL;

	assert_int_equal(listen_tcp("no-port-here", &cause), -1);
	assert_string_equal(cause, "listen: 'no-port-here' is not host:port");
	free(cause);
	cause = NULL;
	assert_int_equal(listen_tcp("[::1", &cause), -1);
	assert_string_equal(cause, "listen: '[::1' is not host:port");
	free(cause);
}

static void
test_listen__nodelay__set_on_tcp_connection(void **state)
{
	char *cause = NULL;
	int lfd = listen_tcp("127.0.0.1:0", &cause), cfd, afd, v = 0;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	assert_true(lfd >= 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sin, len), 0);
	for (int i = 0; (afd = accept(lfd, NULL, NULL)) < 0 && i < 100; i++)
		usleep(10000);
	assert_true(afd >= 0);
	listen_nodelay(afd);
	len = sizeof v;
	assert_int_equal(
	    getsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
	assert_int_equal(v, 1);
	close(afd);
	close(cfd);
	close(lfd);
}

static void
test_listen__tcp__loopback__not_unix(void **state)
{
	char *cause = NULL;
	int fd = listen_tcp("127.0.0.1:0", &cause);

	assert_true(fd >= 0);
	assert_false(listen_is_unix(fd));
	close(fd);
}

static void
test_listen__activated__only_for_this_pid(void **state)
{
	int first = 0;
	unsigned metrics = 1;
	char pid[32];

	setenv("LISTEN_PID", "1", 1);
	setenv("LISTEN_FDS", "1", 1);
	assert_int_equal(listen_activated(&first, &metrics), 0);
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "2", 1);
	assert_int_equal(listen_activated(&first, &metrics), 2);
	assert_int_equal(first, 3);
	assert_int_equal(metrics, 0);
	assert_null(getenv("LISTEN_FDS")); /* consumed */
	assert_null(getenv("LISTEN_PID"));
}

static void
test_listen__activated__metrics_named_by_fdnames(void **state)
{
	int first = 0;
	unsigned metrics = 0;
	char pid[32];

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "3", 1);
	setenv("LISTEN_FDNAMES", "mandated.socket:metrics:metricsx", 1);
	assert_int_equal(listen_activated(&first, &metrics), 3);
	assert_int_equal(metrics, 2u); /* the second only: exact names */
	assert_null(getenv("LISTEN_FDNAMES"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_listen__unix__mode_0666_and_peer_uid, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_listen__unix__stale_socket__replaced, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_listen__unix__live_socket__refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_listen__unix__regular_file__refused, setup, teardown),
	    cmocka_unit_test(test_listen__tcp__bad_address__named),
	    cmocka_unit_test(test_listen__tcp__loopback__not_unix),
	    cmocka_unit_test(test_listen__nodelay__set_on_tcp_connection),
	    cmocka_unit_test(test_listen__activated__only_for_this_pid),
	    cmocka_unit_test(test_listen__activated__metrics_named_by_fdnames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
