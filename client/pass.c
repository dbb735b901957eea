/*
 * Passphrase input: see pass.h.  Terminal handling follows readpassphrase(3):
 * echo off (newline still echoed), signals caught so the terminal is put
 * back before they take effect.
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "crypt.h"
#include "pass.h"
#include "xmalloc.h"

#define PASS_PAGE 4096 /* holds PASS_MAX + 1; one page to lock */

static const int pass_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define PASS_NSIGNALS (sizeof pass_signals / sizeof pass_signals[0])

static volatile sig_atomic_t pass_caught;

int
pass_resolve_fd(const char *arg, int *fd, char **cause)
{
	const char *s = arg;
	char *end;
	long n;

	*fd = -1;
	if (s == NULL && (s = getenv("MANDATE_PASSPHRASE_FD")) != NULL &&
	    *s == '\0')
		s = NULL;
	if (s == NULL)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0 || n > INT_MAX) {
		*cause = xasprintf("%s: not a file descriptor number%s", s,
		    arg == NULL ? " (MANDATE_PASSPHRASE_FD)" : "");
		return EX_USAGE;
	}
	*fd = (int)n;
	return 0;
}

/* A locked page outside core dumps; best effort where refused. */
static char *
pass_page_new(void)
{
	void *p;

	p = mmap(NULL, PASS_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		xmalloc_fatal();
	(void)mlock(p, PASS_PAGE);
	(void)madvise(p, PASS_PAGE, MADV_DONTDUMP);
	return p;
}

void
pass_clear(struct pass *p)
{
	if (p->buf == NULL)
		return;
	crypt_wipe(p->buf, PASS_PAGE);
	munlock(p->buf, PASS_PAGE);
	munmap(p->buf, PASS_PAGE);
	p->buf = NULL;
	p->len = 0;
}

/*
 * Reads one line from fd into p, a byte at a time so nothing past the
 * newline is consumed.  Stops early, returning -1 with EINTR, when a
 * caught signal interrupts the read.
 */
static int
pass_read_line(int fd, struct pass *p, int *too_long)
{
	char ch;
	ssize_t n;

	p->len = 0;
	*too_long = 0;
	for (;;) {
		n = read(fd, &ch, 1);
		if (n == -1 && errno == EINTR && !pass_caught)
			continue;
		if (n == -1)
			return -1;
		if (n == 0 || ch == '\n')
			break;
		if (p->len == PASS_MAX)
			*too_long = 1; /* keep reading to the end of line */
		else
			p->buf[p->len++] = ch;
	}
	crypt_wipe(&ch, sizeof ch);
	p->buf[p->len] = '\0';
	return 0;
}

static void
pass_on_signal(int signo)
{
	pass_caught = signo;
}

/* Reads from the terminal fd with echo off; the caller restores it. */
static int
pass_read_tty(int tty, struct pass *p, const char *prompt, int *too_long)
{
	struct sigaction sa, saved_sa[PASS_NSIGNALS];
	struct termios saved, quiet;
	size_t i;
	int rc, have_termios, saved_errno;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = pass_on_signal; /* no SA_RESTART: read(2) returns */
	sigemptyset(&sa.sa_mask);
	pass_caught = 0;
	for (i = 0; i < PASS_NSIGNALS; i++)
		sigaction(pass_signals[i], &sa, &saved_sa[i]);
	have_termios = tcgetattr(tty, &saved) == 0;
	if (have_termios) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
		quiet.c_lflag |= ECHONL;
		(void)tcsetattr(tty, TCSAFLUSH, &quiet);
	}
	if (write(tty, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy; reading still works */
	}
	rc = pass_read_line(tty, p, too_long);
	saved_errno = errno;
	if (have_termios)
		(void)tcsetattr(tty, TCSAFLUSH, &saved);
	for (i = 0; i < PASS_NSIGNALS; i++)
		sigaction(pass_signals[i], &saved_sa[i], NULL);
	errno = saved_errno;
	return rc;
}

/* Opens the terminal, or takes fd when it is one (echo goes off there
 * too); *opened says whether the caller closes it. */
static int
pass_terminal(int fd, int *opened)
{
	*opened = 0;
	if (fd >= 0)
		return isatty(fd) ? fd : -1;
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) != -1)
		*opened = 1;
	return fd;
}

int
pass_read(struct pass *p, int fd, const char *prompt, char **cause)
{
	int tty, opened, too_long, rc;

	tty = pass_terminal(fd, &opened);
	if (fd < 0 && tty == -1) {
		*cause = xstrdup("no terminal to read the passphrase from: "
		                 "use --passphrase-fd N");
		return EX_NOINPUT;
	}
	p->buf = pass_page_new();
	p->len = 0;
	if (tty == -1) {
		rc = pass_read_line(fd, p, &too_long);
	} else {
		rc = pass_read_tty(tty, p, prompt, &too_long);
		if (opened)
			close(tty);
		if (pass_caught) {
			pass_clear(p);
			raise(pass_caught);
			*cause = xstrdup("interrupted");
			return EX_TEMPFAIL;
		}
	}
	if (rc == -1 || too_long) {
		*cause = rc == -1 ? xasprintf("cannot read the passphrase: %s",
		                        strerror(errno))
		                  : xasprintf("the passphrase is longer than "
		                              "%d bytes",
		                        PASS_MAX);
		pass_clear(p);
		return rc == -1 ? EX_IOERR : EX_DATAERR;
	}
	return 0;
}

int
pass_read_new(struct pass *p, int fd, char **cause)
{
	struct pass again = {0};
	int rc;

	if ((rc = pass_read(p, fd, "New passphrase: ", cause)) != 0)
		return rc;
	rc = EX_DATAERR;
	if (p->len == 0) {
		*cause = xstrdup("the passphrase must not be empty");
		goto out;
	}
	if (fd >= 0)
		return 0;
	if ((rc = pass_read(&again, fd, "Repeat the passphrase: ", cause)) != 0)
		goto out;
	rc = EX_DATAERR;
	if (again.len != p->len || !crypt_equal(again.buf, p->buf, p->len)) {
		*cause = xstrdup("the two passphrases differ");
		goto out;
	}
	rc = 0;

out:
	pass_clear(&again);
	if (rc != 0)
		pass_clear(p);
	return rc;
}
