/*
 * The daemon's own secrets in its state directory: today the index key, a
 * 32-byte key under which blind indexes (keyed hashes of user names and
 * idempotency keys) are computed, so that the database alone cannot link
 * a case to a person.
 */
#ifndef MANDATE_SECRET_H
#define MANDATE_SECRET_H

/*
 * Reads the 32-byte key at path, creating it (mode 0600, from the CSPRNG)
 * when it does not exist.  Returns guarded memory from crypt_key_new(), or
 * NULL with *cause set when the file is unreadable, has the wrong size or
 * is readable by others.
 */
unsigned char *secret_load(const char *path, char **cause)
    __attribute__((warn_unused_result));

#endif
