/*
 * The submitter's receipt on the client: drawing, reading, deriving the
 * proof and the key pair, opening the sealed case key.  See receipt.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "crypt.h"
#include "pass.h"
#include "receipt.h"
#include "xmalloc.h"

/* Fills *r from a raw receipt, which is wiped. */
static void
receipt_derive(struct receipt *r, unsigned char *raw)
{
	memset(r, 0, sizeof *r);
	r->sk = crypt_key_new(0);
	crypt_receipt_derive(raw, r->lookup, r->auth, r->pk, r->sk);
	crypt_wipe(raw, CRYPT_RECEIPT_RAW_LEN);
}

void
receipt_new(struct receipt *r, char *text, size_t textsize)
{
	unsigned char raw[CRYPT_RECEIPT_RAW_LEN];

	crypt_receipt_new(raw, text, textsize);
	receipt_derive(r, raw);
}

int
receipt_from_text(struct receipt *r, const char *text, char **cause)
{
	unsigned char raw[CRYPT_RECEIPT_RAW_LEN];

	memset(r, 0, sizeof *r);
	if (crypt_receipt_parse(raw, text) != 0) {
		*cause = xstrdup("that is not a receipt: a receipt is 25 "
		                 "letters and digits in five groups, like "
		                 "K7QM3-XRD9P-... as printed at submission");
		return EX_DATAERR;
	}
	receipt_derive(r, raw);
	return 0;
}

/* Nonzero when the process has a terminal to prompt on. */
static int
receipt_have_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

	if (fd == -1)
		return 0;
	close(fd);
	return 1;
}

int
receipt_source(const char *arg, int *fd, int *from_stdin, char **cause)
{
	const char *s = arg;
	char *end;
	long n;

	*from_stdin = 0;
	if (s == NULL && (s = getenv("MANDATE_RECEIPT_FD")) != NULL &&
	    *s == '\0')
		s = NULL;
	if (s == NULL) {
		*fd = receipt_have_tty() ? RECEIPT_FROM_TTY : STDIN_FILENO;
		*from_stdin = *fd == STDIN_FILENO;
		return 0;
	}
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0 || n > INT_MAX) {
		*cause = xasprintf("%s: not a file descriptor number%s", s,
		    arg == NULL ? " (MANDATE_RECEIPT_FD)" : "");
		return EX_USAGE;
	}
	*fd = (int)n;
	*from_stdin = *fd == STDIN_FILENO;
	return 0;
}

int
receipt_read(struct receipt *r, int fd, char **cause)
{
	struct pass line = {0};
	int rc;

	memset(r, 0, sizeof *r);
	rc = pass_read(&line, fd, "Receipt: ", cause);
	if (rc != 0) {
		if (rc == EX_NOINPUT && fd == RECEIPT_FROM_TTY) {
			free(*cause);
			*cause = xstrdup("no terminal to read the receipt "
			                 "from: use --receipt-fd N");
		}
		return rc;
	}
	if (line.len == 0) {
		pass_clear(&line);
		*cause = xstrdup("no receipt was given");
		return EX_DATAERR;
	}
	rc = receipt_from_text(r, line.buf, cause);
	pass_clear(&line);
	return rc;
}

char *
receipt_header(const struct receipt *r)
{
	char *lookup = crypt_b64_encode(r->lookup, sizeof r->lookup);
	char *auth = crypt_b64_encode(r->auth, sizeof r->auth);
	char *h = xasprintf("X-Mandate-Receipt: %s.%s", lookup, auth);

	crypt_wipe(auth, strlen(auth));
	free(lookup);
	free(auth);
	return h;
}

json_t *
receipt_submission_json(const struct receipt *r)
{
	unsigned char verifier[CRYPT_HASH_LEN];
	char *lookup, *ver, *pk;
	json_t *o;

	crypt_hash(verifier, r->auth, sizeof r->auth);
	lookup = crypt_b64_encode(r->lookup, sizeof r->lookup);
	ver = crypt_b64_encode(verifier, sizeof verifier);
	pk = crypt_b64_encode(r->pk, sizeof r->pk);
	o = json_pack("{s:s, s:s, s:s}", "lookup", lookup, "verifier", ver,
	    "public_key", pk);
	if (o == NULL)
		xmalloc_fatal();
	free(lookup);
	free(ver);
	free(pk);
	return o;
}

int
receipt_open_key(const struct receipt *r, const char *sealed_b64,
    unsigned char **casekey, char **cause)
{
	unsigned char *sealed = NULL;
	size_t len = 0;

	*casekey = NULL;
	if (sealed_b64 != NULL)
		sealed = crypt_b64_decode(sealed_b64, strlen(sealed_b64), &len);
	if (sealed == NULL || len != CRYPT_SEALED_LEN) {
		free(sealed);
		*cause = xstrdup("the reply of mandated has no valid sealed "
		                 "key");
		return EX_PROTOCOL;
	}
	*casekey = crypt_key_new(0);
	if (crypt_unseal(*casekey, sealed, len, r->pk, r->sk) != 0) {
		free(sealed);
		crypt_key_free(*casekey);
		*casekey = NULL;
		*cause = xstrdup("the case key is not sealed to this receipt");
		return EX_DATAERR;
	}
	free(sealed);
	return 0;
}

void
receipt_clear(struct receipt *r)
{
	crypt_key_free(r->sk);
	crypt_wipe(r, sizeof *r);
}
