/*
 * Creating and inheriting listening sockets, and reading peer credentials.
 */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define LISTEN_BACKLOG 512

static int
listen_error(char **cause, const char *what, const char *name)
{
	if (asprintf(cause, "listen: %s %s: %s", what, name, strerror(errno)) <
	    0)
		abort();
	return -1;
}

/* Removes path if it is a socket nobody listens on any more. */
static int
listen_clear_stale(
    const char *path, const struct sockaddr_un *sun, char **cause)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : listen_error(cause, "stat", path);
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return listen_error(
		    cause, "refusing to replace non-socket", path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return listen_error(cause, "socket", path);
	r = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	close(fd);
	if (r == 0) {
		errno = EADDRINUSE;
		return listen_error(
		    cause, "another daemon is listening on", path);
	}
	if (unlink(path) < 0)
		return listen_error(cause, "unlink", path);
	return 0;
}

int
listen_unix(const char *path, char **cause)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return listen_error(cause, "socket path", path);
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (listen_clear_stale(path, &sun, cause) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return listen_error(cause, "socket", path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		listen_error(cause, "bind", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int
listen_split(const char *hostport, char *host, size_t hostsize, char **port)
{
	const char *colon;
	size_t n;

	if (hostport[0] == '[') {
		const char *end = strchr(hostport, ']');
		if (end == NULL || end[1] != ':')
			return -1;
		n = (size_t)(end - hostport - 1);
		hostport++;
		colon = end + 1;
	} else {
		colon = strrchr(hostport, ':');
		if (colon == NULL)
			return -1;
		n = (size_t)(colon - hostport);
	}
	if (n == 0 || n >= hostsize || colon[1] == '\0')
		return -1;
	memcpy(host, hostport, n);
	host[n] = '\0';
	*port = (char *)colon + 1;
	return 0;
}

int
listen_tcp(const char *hostport, char **cause)
{
	struct addrinfo hints, *res = NULL;
	char host[256], *port;
	int fd = -1, one = 1, r;

	if (listen_split(hostport, host, sizeof host, &port) < 0) {
		if (asprintf(cause, "listen: '%s' is not host:port", hostport) <
		    0)
			abort();
		return -1;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		if (asprintf(
		        cause, "listen: %s: %s", hostport, gai_strerror(r)) < 0)
			abort();
		return -1;
	}
	fd = socket(
	    res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		listen_error(cause, "bind", hostport);
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int
listen_activated(int *first, unsigned *metrics)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES"), *p;
	size_t len;
	long n;

	*first = 3;
	*metrics = 0;
	if (pid == NULL || fds == NULL || atol(pid) != (long)getpid())
		return 0;
	n = atol(fds);
	/* Colon-separated, one name per fd, in order. */
	for (int i = 0; names != NULL && *names != '\0' && i < 16; i++) {
		p = strchr(names, ':');
		len = p ? (size_t)(p - names) : strlen(names);
		if (len == 7 && strncmp(names, "metrics", 7) == 0)
			*metrics |= 1u << i;
		if (p == NULL)
			break;
		names = p + 1;
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (n <= 0 || n > 16)
		return 0;
	for (int fd = 3; fd < 3 + n; fd++) {
		int flags = fcntl(fd, F_GETFL);
		if (flags >= 0)
			(void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	return (int)n;
}

void
listen_nodelay(int fd)
{
	int one = 1;

	if (fd >= 0 && !listen_is_unix(fd))
		(void)setsockopt(
		    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int
listen_is_unix(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	return ss.ss_family == AF_UNIX;
}

int
listen_peer_uid(int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    len != sizeof cred)
		return -1;
	*uid = cred.uid;
	return 0;
}
