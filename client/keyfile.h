/*
 * Officer key files.  A key file holds an officer's X25519 public key and
 * the secret key wrapped under a passphrase (crypt_wrap_secret); beside it,
 * FILE.pub holds the public key alone, to hand to an administrator.
 *
 *   # mandate officer key: keep it secret; the passphrase protects it
 *   format: mandate-officer-key 1
 *   public: <base64 of 32 bytes>
 *   secret: <base64 of the wrapped secret key>
 *
 * Functions return 0, or a sysexits(3) status with *cause set (caller
 * frees; *cause must be NULL on entry): EX_NOINPUT for a missing or
 * unreadable file, EX_DATAERR for a damaged one, EX_CANTCREAT when a file
 * cannot be created (or exists and force is off), EX_IOERR when writing
 * fails, EX_NOPERM for a wrong passphrase.
 */
#ifndef MANDATE_CLIENT_KEYFILE_H
#define MANDATE_CLIENT_KEYFILE_H

#include <stddef.h>

#include "crypt.h"

#define KEYFILE_MAX 4096 /* bytes: a key file is far smaller */
#define KEYFILE_FORMAT "mandate-officer-key 1"
#define KEYFILE_HEADER \
	"# mandate officer key: keep it secret; the passphrase protects it"

struct keyfile {
	unsigned char pk[CRYPT_PK_LEN];
	unsigned char wrapped[CRYPT_WRAPPED_LEN];
	int has_secret; /* 0 when read from a public-key (.pub) file */
	int loose_mode; /* a key file readable by group or others */
};

/*
 * The default key file: $MANDATE_KEY, else
 * $XDG_CONFIG_HOME/mandate/officer.key, else ~/.config/mandate/officer.key.
 * With create_dir, creates the mandate directory (and ~/.config) with mode
 * 0700 when missing.  *path is malloc'd.
 */
int keyfile_default_path(char **path, int create_dir, char **cause)
    __attribute__((warn_unused_result));

/* FILE.pub for FILE; malloc'd. */
char *keyfile_pub_path(const char *path);

/* Refuses (EX_CANTCREAT) when path or path.pub exists: checked before the
 * passphrase is asked, so nobody types one for nothing. */
int keyfile_check_absent(const char *path, char **cause)
    __attribute__((warn_unused_result));

/*
 * Makes a key pair, wraps the secret key under pass/passlen with strength,
 * and writes path (0600) and path.pub (0644), each through a temporary
 * file, fsync and rename; without force, an existing file is never
 * replaced.  pk receives the public key.  The secret key is wiped.
 */
int keyfile_create(const char *path, const char *pass, size_t passlen,
    enum crypt_kdf_strength strength, int force, unsigned char *pk,
    char **cause) __attribute__((warn_unused_result));

/* Writes kf (which must have a secret) as keyfile_create() does. */
int keyfile_write(const char *path, const struct keyfile *kf, int force,
    char **cause) __attribute__((warn_unused_result));

/*
 * Reads a key file, or a .pub file (one base64 line; has_secret is then
 * 0), into *kf.  Damage is reported with the file and line.
 */
int keyfile_read(const char *path, struct keyfile *kf, char **cause)
    __attribute__((warn_unused_result));

/*
 * Unwraps the secret key of kf with pass/passlen and checks it against the
 * public key.  Returns 0 and *sk from crypt_key_new() (the caller frees it
 * with crypt_key_free()), or EX_NOPERM for a wrong passphrase, EX_DATAERR
 * when kf has no secret or its halves do not match.
 */
int keyfile_unlock(const struct keyfile *kf, const char *pass, size_t passlen,
    unsigned char **sk, char **cause) __attribute__((warn_unused_result));

#endif
