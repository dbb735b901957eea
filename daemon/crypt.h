/*
 * Every cryptographic operation of mandate, for daemon and client alike.
 * This module is the only one that includes sodium.h.
 *
 * Formats (stable, versioned by their first byte):
 *   box      = 0x01 || nonce[24] || XChaCha20-Poly1305-IETF(ciphertext||tag)
 *   sealed   = crypto_box_seal of a 32-byte case key (80 bytes)
 *   wrapped  = 0x01 || opslimit u64le || memlimit u64le || salt[16] ||
 *              nonce[24] || secretbox(secret key)  (Argon2id13 key)
 */
#ifndef MANDATE_CRYPT_H
#define MANDATE_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#define CRYPT_KEY_LEN 32
#define CRYPT_PK_LEN 32
#define CRYPT_SK_LEN 32
#define CRYPT_BOX_OVERHEAD (1 + 24 + 16)
#define CRYPT_SEALED_LEN (32 + 16 + 32)
#define CRYPT_WRAPPED_LEN (1 + 8 + 8 + 16 + 24 + 16 + CRYPT_SK_LEN)
#define CRYPT_HASH_LEN 32
#define CRYPT_FINGERPRINT_LEN 47 /* 16 bytes as "xx:xx:..." */
#define CRYPT_AD_MAX 160

enum crypt_kdf_strength {
	CRYPT_KDF_INTERACTIVE,
	CRYPT_KDF_MODERATE,
	CRYPT_KDF_SENSITIVE,
};

/* Initialises the library; returns 0, or -1 when it cannot be used. */
int crypt_init(void) __attribute__((warn_unused_result));

/* Fills buf with len bytes from the system CSPRNG. */
void crypt_random(void *buf, size_t len);

/* Uniform random integer in [0, bound). */
uint32_t crypt_random_uniform(uint32_t bound);

/* Writes a fresh random case id (MANDATE_CASE_ID_LEN chars + NUL) to out. */
void crypt_case_id(char *out, size_t outsize);

/*
 * A key in guarded memory (sodium_malloc): case keys and officers' secret
 * keys.  crypt_key_new() returns CRYPT_KEY_LEN bytes, random when random is
 * nonzero, zero otherwise; fatal on allocation failure.  crypt_key_free()
 * wipes and frees; accepts NULL.
 */
unsigned char *crypt_key_new(int random);
void crypt_key_free(unsigned char *key);

/* Wipes len bytes at p. */
void crypt_wipe(void *p, size_t len);

/*
 * Builds the associated data that binds a ciphertext to its place:
 * "mandate/1/<table>/<column>/<row>".  Returns its length, or 0 when it
 * does not fit in outsize.
 */
size_t crypt_ad(unsigned char *out, size_t outsize, const char *table,
    const char *column, const char *row);

/*
 * Encrypts pt under key with associated data ad into out, which must hold
 * ptlen + CRYPT_BOX_OVERHEAD bytes.  Returns 0.
 */
int crypt_box(unsigned char *out, const unsigned char *pt, size_t ptlen,
    const unsigned char *ad, size_t adlen, const unsigned char *key);

/*
 * Decrypts a box into out (room for boxlen - CRYPT_BOX_OVERHEAD bytes).
 * Returns 0, or -1 when the box is malformed, of an unknown version, or
 * fails authentication (out is then wiped).
 */
int crypt_unbox(unsigned char *out, const unsigned char *box, size_t boxlen,
    const unsigned char *ad, size_t adlen, const unsigned char *key)
    __attribute__((warn_unused_result));

/* Seals a CRYPT_KEY_LEN key to a public key: out[CRYPT_SEALED_LEN]. */
int crypt_seal(
    unsigned char *out, const unsigned char *key, const unsigned char *pk);

/*
 * Seals one CRYPT_KEY_LEN key to each of n public keys: out is n *
 * CRYPT_SEALED_LEN bytes, copy i for pks[i].  Each copy is exactly what
 * crypt_seal() makes and crypt_unseal() opens (crypto_box_seal's format:
 * ephemeral public key, then crypto_box under the nonce BLAKE2b(epk ||
 * pk)), but the copies of one call share one ephemeral key pair, drawn
 * here and wiped before returning: one X25519 key generation for the
 * case instead of one per copy.  Key and nonce still differ per copy, as
 * each recipient's public key enters both.  Returns 0, or -1 (out wiped)
 * when a public key is of small order.
 */
int crypt_seal_many(unsigned char *out, const unsigned char *key,
    const unsigned char *const *pks, size_t n)
    __attribute__((warn_unused_result));

/*
 * Opens a sealed key with the recipient's key pair into key
 * (CRYPT_KEY_LEN bytes).  Returns 0, or -1 when it is not for this pair.
 */
int crypt_unseal(unsigned char *key, const unsigned char *sealed,
    size_t sealedlen, const unsigned char *pk, const unsigned char *sk)
    __attribute__((warn_unused_result));

/* A fresh X25519 key pair: pk[CRYPT_PK_LEN], sk from crypt_key_new(). */
void crypt_keypair(unsigned char *pk, unsigned char *sk);

/*
 * Wraps a secret key under a passphrase (Argon2id, then secretbox) into
 * out[CRYPT_WRAPPED_LEN].  Returns 0, or -1 when memory for the KDF is
 * lacking.
 */
int crypt_wrap_secret(unsigned char *out, const unsigned char *sk,
    const char *pass, size_t passlen, enum crypt_kdf_strength strength)
    __attribute__((warn_unused_result));

/*
 * Unwraps a wrapped secret key with a passphrase into sk (CRYPT_SK_LEN).
 * Returns 0, or -1 on a wrong passphrase or a damaged blob.  Rejects KDF
 * limits below interactive or above sensitive, so a doctored file cannot
 * weaken or stall the KDF.
 */
int crypt_unwrap_secret(unsigned char *sk, const unsigned char *wrapped,
    size_t wrappedlen, const char *pass, size_t passlen)
    __attribute__((warn_unused_result));

/* Derives the public key of a secret key. */
void crypt_public_of(unsigned char *pk, const unsigned char *sk);

/* BLAKE2b-256 of data into out[CRYPT_HASH_LEN]. */
void crypt_hash(unsigned char *out, const void *data, size_t len);

/*
 * BLAKE2b-256 computed piece by piece, for data too large to hold (a
 * database file): the pieces hash to what crypt_hash() gives for their
 * concatenation.  crypt_hash_begin() is fatal on allocation failure;
 * crypt_hash_end() writes out[CRYPT_HASH_LEN] and frees the state.
 */
struct crypt_hash_state;
struct crypt_hash_state *crypt_hash_begin(void);
void crypt_hash_update(
    struct crypt_hash_state *s, const void *data, size_t len);
void crypt_hash_end(struct crypt_hash_state *s, unsigned char *out);

/* Constant-time equality of two len-byte buffers: 1 equal, 0 not. */
int crypt_equal(const void *a, const void *b, size_t len);

/* Fingerprint of a public key: hex pairs with colons, NUL-terminated,
 * into out[CRYPT_FINGERPRINT_LEN + 1]. */
void crypt_fingerprint(char *out, const unsigned char *pk);

/*
 * Base64 (standard alphabet, padded).  crypt_b64_encode returns a
 * malloc'd string (fatal on allocation failure).  crypt_b64_decode
 * returns a malloc'd buffer and its length in *outlen, or NULL when the
 * text is not valid base64.
 */
char *crypt_b64_encode(const void *data, size_t len);
unsigned char *crypt_b64_decode(
    const char *text, size_t textlen, size_t *outlen);

/* Hex encoding of len bytes into out (2*len+1 bytes). */
void crypt_hex(char *out, const void *data, size_t len);

/* Decodes exactly outlen bytes of hex; returns 0 or -1. */
int crypt_unhex(void *out, size_t outlen, const char *hex);

/*
 * Receipts: 25 symbols of 5 bits from an alphabet without look-alikes
 * (125 bits), shown as five groups of five, "K7QM3-XRD9P-...".  A receipt
 * is never stored: the daemon keeps its lookup hash and the hash of its
 * authenticator, and seals the case key to the key pair derived from it.
 */
#define CRYPT_RECEIPT_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define CRYPT_RECEIPT_SYMBOLS 25
#define CRYPT_RECEIPT_TEXT_LEN 29 /* with the four dashes */
#define CRYPT_RECEIPT_RAW_LEN 16

/* A fresh receipt from the CSPRNG: raw bits and their text form (room for
 * CRYPT_RECEIPT_TEXT_LEN + 1 bytes). */
void crypt_receipt_new(unsigned char *raw, char *text, size_t textsize);

/*
 * Reads a receipt typed by a person: case, spaces and dashes do not
 * matter.  Returns 0 with raw filled, or -1 when it is not 25 symbols of
 * the alphabet.
 */
int crypt_receipt_parse(unsigned char *raw, const char *text)
    __attribute__((warn_unused_result));

/*
 * Derives from a raw receipt its lookup hash, its authenticator, and the
 * submitter's key pair (sk may be NULL; else CRYPT_SK_LEN guarded bytes).
 * Each output is a keyed BLAKE2b of its own label under the receipt.
 */
void crypt_receipt_derive(const unsigned char *raw, unsigned char *lookup,
    unsigned char *auth, unsigned char *pk, unsigned char *sk);

/* BLAKE2b-256 of data under a 32-byte key (a blind index, a subkey). */
void crypt_keyed_hash(
    unsigned char *out, const unsigned char *key, const void *data, size_t len);

/*
 * Attachments: crypto_secretstream (XChaCha20-Poly1305), one message per
 * chunk, the last tagged final.  A stream's key is derived from the case
 * key and the attachment id with crypt_keyed_hash().
 */
#define CRYPT_STREAM_HEADER_LEN 24
#define CRYPT_STREAM_ABYTES 17

struct crypt_stream;

/* A stream that encrypts (push) under key, writing its header; or one that
 * decrypts (pull) a stream with that header.  NULL on a bad header. */
struct crypt_stream *crypt_stream_push_new(
    unsigned char *header, const unsigned char *key);
struct crypt_stream *crypt_stream_pull_new(
    const unsigned char *header, const unsigned char *key);

/* Encrypts len bytes into out (len + CRYPT_STREAM_ABYTES). */
void crypt_stream_push(struct crypt_stream *s, unsigned char *out,
    const unsigned char *in, size_t len, int final);

/* Decrypts a chunk into out (len - CRYPT_STREAM_ABYTES bytes); *final is
 * set for the last chunk.  Returns 0, or -1 when the chunk is forged,
 * reordered or truncated. */
int crypt_stream_pull(struct crypt_stream *s, unsigned char *out,
    const unsigned char *in, size_t len, int *final)
    __attribute__((warn_unused_result));

/* Wipes and frees a stream; accepts NULL. */
void crypt_stream_free(struct crypt_stream *s);

/*
 * Signatures (Ed25519), for the audit log's signed heads.  The secret key
 * is derived from a 32-byte seed kept in a key file; it lives in guarded
 * memory from crypt_sign_key_new() (free with crypt_key_free()).
 */
#define CRYPT_SIGN_PK_LEN 32
#define CRYPT_SIGN_SK_LEN 64
#define CRYPT_SIGN_SEED_LEN 32
#define CRYPT_SIGNATURE_LEN 64

/* CRYPT_SIGN_SK_LEN bytes of guarded memory, zeroed; fatal on failure. */
unsigned char *crypt_sign_key_new(void);

/* The key pair of a seed: pk[CRYPT_SIGN_PK_LEN], sk from
 * crypt_sign_key_new(). */
void crypt_sign_keypair(
    unsigned char *pk, unsigned char *sk, const unsigned char *seed);

/* Signs len bytes of msg: sig[CRYPT_SIGNATURE_LEN] (detached). */
void crypt_sign(
    unsigned char *sig, const void *msg, size_t len, const unsigned char *sk);

/* Checks a detached signature: 1 valid, 0 not. */
int crypt_sign_verify(const unsigned char *sig, const void *msg, size_t len,
    const unsigned char *pk) __attribute__((warn_unused_result));

/* Versions of the library in use, for --version and start-up logs. */
const char *crypt_library_version(void);

#endif
