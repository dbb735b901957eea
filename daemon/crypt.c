/*
 * Every cryptographic operation of mandate, over libsodium: case boxes,
 * sealed case keys, passphrase-wrapped secret keys, hashes, case ids and
 * the encodings that carry keys in text.  The formats are described in
 * crypt.h; this is the only file that includes sodium.h.
 */
#include <sodium.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "mandate/api.h"

#define CRYPT_VERSION 0x01
#define CRYPT_NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

/* Offsets into a wrapped secret key. */
#define CRYPT_WRAP_OPS 1
#define CRYPT_WRAP_MEM (CRYPT_WRAP_OPS + 8)
#define CRYPT_WRAP_SALT (CRYPT_WRAP_MEM + 8)
#define CRYPT_WRAP_NONCE (CRYPT_WRAP_SALT + crypto_pwhash_SALTBYTES)
#define CRYPT_WRAP_BOX (CRYPT_WRAP_NONCE + crypto_secretbox_NONCEBYTES)

_Static_assert(CRYPT_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    "case key size");
_Static_assert(
    CRYPT_BOX_OVERHEAD ==
        1 + CRYPT_NONCE_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES,
    "box overhead");
_Static_assert(CRYPT_PK_LEN == crypto_box_PUBLICKEYBYTES, "public key size");
_Static_assert(CRYPT_SK_LEN == crypto_box_SECRETKEYBYTES, "secret key size");
_Static_assert(CRYPT_SK_LEN <= CRYPT_KEY_LEN, "secret keys use crypt_key_new");
_Static_assert(
    CRYPT_SEALED_LEN == crypto_box_SEALBYTES + CRYPT_KEY_LEN, "sealed size");
_Static_assert(CRYPT_WRAPPED_LEN ==
                   CRYPT_WRAP_BOX + crypto_secretbox_MACBYTES + CRYPT_SK_LEN,
    "wrapped size");
_Static_assert(crypto_secretbox_KEYBYTES == 32, "wrapping key size");
_Static_assert(CRYPT_HASH_LEN == 32, "hash size");
_Static_assert(CRYPT_FINGERPRINT_LEN == 16 * 3 - 1, "fingerprint size");
_Static_assert(sizeof(MANDATE_CASE_ID_ALPHABET) - 1 <= UINT32_MAX,
    "case id alphabet size");

static void crypt_fatal(const char *msg) __attribute__((noreturn));

static void
crypt_fatal(const char *msg)
{
	fprintf(stderr, "crypt: %s\n", msg);
	abort();
}

int
crypt_init(void)
{
	if (sodium_init() < 0)
		return -1;
	return 0;
}

void
crypt_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

uint32_t
crypt_random_uniform(uint32_t bound)
{
	return randombytes_uniform(bound);
}

void
crypt_case_id(char *out, size_t outsize)
{
	static const char alphabet[] = MANDATE_CASE_ID_ALPHABET;
	size_t g, i, n = 0;

	if (outsize < MANDATE_CASE_ID_LEN + 1)
		crypt_fatal("case id buffer too small");
	for (g = 0; g < MANDATE_CASE_ID_GROUPS; g++) {
		if (g > 0)
			out[n++] = '-';
		for (i = 0; i < MANDATE_CASE_ID_GROUP; i++)
			out[n++] = alphabet[crypt_random_uniform(
			    (uint32_t)(sizeof alphabet - 1))];
	}
	out[n] = '\0';
}

unsigned char *
crypt_key_new(int random)
{
	unsigned char *key;

	if ((key = sodium_malloc(CRYPT_KEY_LEN)) == NULL)
		crypt_fatal("out of guarded memory for a key");
	if (random)
		randombytes_buf(key, CRYPT_KEY_LEN);
	else
		sodium_memzero(key, CRYPT_KEY_LEN);
	return key;
}

void
crypt_key_free(unsigned char *key)
{
	/* sodium_free wipes before it unmaps, and accepts NULL. */
	sodium_free(key);
}

void
crypt_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

/* Appends s/len to out at *n when it fits; 0 or -1. */
static int
crypt_ad_append(
    unsigned char *out, size_t outsize, size_t *n, const char *s, size_t len)
{
	if (len > outsize - *n)
		return -1;
	memcpy(out + *n, s, len);
	*n += len;
	return 0;
}

/*
 * Table and column names must be non-empty and free of '/', so that no two
 * places share an AD; the row comes last, so it may hold '/' (not be empty).
 */
size_t
crypt_ad(unsigned char *out, size_t outsize, const char *table,
    const char *column, const char *row)
{
	static const char prefix[] = "mandate/1/";
	size_t n = 0;

	if (table == NULL || column == NULL || row == NULL)
		return 0;
	if (*table == '\0' || *column == '\0' || *row == '\0')
		return 0;
	if (strchr(table, '/') != NULL || strchr(column, '/') != NULL)
		return 0;
	if (crypt_ad_append(out, outsize, &n, prefix, sizeof prefix - 1) != 0 ||
	    crypt_ad_append(out, outsize, &n, table, strlen(table)) != 0 ||
	    crypt_ad_append(out, outsize, &n, "/", 1) != 0 ||
	    crypt_ad_append(out, outsize, &n, column, strlen(column)) != 0 ||
	    crypt_ad_append(out, outsize, &n, "/", 1) != 0 ||
	    crypt_ad_append(out, outsize, &n, row, strlen(row)) != 0)
		return 0;
	return n;
}

int
crypt_box(unsigned char *out, const unsigned char *pt, size_t ptlen,
    const unsigned char *ad, size_t adlen, const unsigned char *key)
{
	unsigned char *nonce = out + 1;
	unsigned long long ctlen;

	out[0] = CRYPT_VERSION;
	randombytes_buf(nonce, CRYPT_NONCE_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(
	        out + 1 + CRYPT_NONCE_LEN, &ctlen, pt, ptlen, ad, adlen, NULL,
	        nonce, key) != 0)
		crypt_fatal("box encryption failed");
	return 0;
}

int
crypt_unbox(unsigned char *out, const unsigned char *box, size_t boxlen,
    const unsigned char *ad, size_t adlen, const unsigned char *key)
{
	size_t ptlen;

	if (boxlen < CRYPT_BOX_OVERHEAD)
		return -1;
	ptlen = boxlen - CRYPT_BOX_OVERHEAD;
	if (box[0] != CRYPT_VERSION)
		goto fail;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
	        box + 1 + CRYPT_NONCE_LEN, boxlen - 1 - CRYPT_NONCE_LEN, ad,
	        adlen, box + 1, key) != 0)
		goto fail;
	return 0;

fail:
	if (ptlen > 0)
		sodium_memzero(out, ptlen);
	return -1;
}

int
crypt_seal(
    unsigned char *out, const unsigned char *key, const unsigned char *pk)
{
	/* Fails only for a public key of small order. */
	if (crypto_box_seal(out, key, CRYPT_KEY_LEN, pk) != 0)
		return -1;
	return 0;
}

int
crypt_seal_many(unsigned char *out, const unsigned char *key,
    const unsigned char *const *pks, size_t n)
{
	unsigned char epk[crypto_box_PUBLICKEYBYTES],
	    esk[crypto_box_SECRETKEYBYTES], shared[crypto_box_BEFORENMBYTES],
	    nonce[crypto_box_NONCEBYTES];
	crypto_generichash_state st;
	unsigned char *copy;
	int ret = 0;

	crypto_box_keypair(epk, esk);
	for (size_t i = 0; i < n && ret == 0; i++) {
		copy = out + i * CRYPT_SEALED_LEN;
		/* The nonce crypto_box_seal derives, so that
		 * crypto_box_seal_open opens the copy. */
		crypto_generichash_init(&st, NULL, 0, sizeof nonce);
		crypto_generichash_update(&st, epk, sizeof epk);
		crypto_generichash_update(
		    &st, pks[i], crypto_box_PUBLICKEYBYTES);
		crypto_generichash_final(&st, nonce, sizeof nonce);
		if (crypto_box_beforenm(shared, pks[i], esk) != 0) {
			ret = -1;
			break;
		}
		memcpy(copy, epk, sizeof epk);
		crypto_box_easy_afternm(
		    copy + sizeof epk, key, CRYPT_KEY_LEN, nonce, shared);
	}
	sodium_memzero(esk, sizeof esk);
	sodium_memzero(shared, sizeof shared);
	if (ret < 0)
		sodium_memzero(out, n * CRYPT_SEALED_LEN);
	return ret;
}

int
crypt_unseal(unsigned char *key, const unsigned char *sealed, size_t sealedlen,
    const unsigned char *pk, const unsigned char *sk)
{
	if (sealedlen != CRYPT_SEALED_LEN)
		return -1;
	if (crypto_box_seal_open(key, sealed, sealedlen, pk, sk) != 0) {
		sodium_memzero(key, CRYPT_KEY_LEN);
		return -1;
	}
	return 0;
}

void
crypt_keypair(unsigned char *pk, unsigned char *sk)
{
	if (crypto_box_keypair(pk, sk) != 0)
		crypt_fatal("key pair generation failed");
}

static void
crypt_store_u64le(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
crypt_load_u64le(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int
crypt_wrap_secret(unsigned char *out, const unsigned char *sk, const char *pass,
    size_t passlen, enum crypt_kdf_strength strength)
{
	unsigned char wrapkey[crypto_secretbox_KEYBYTES];
	unsigned long long ops;
	size_t mem;
	int rc = -1;

	switch (strength) {
	case CRYPT_KDF_INTERACTIVE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
		break;
	case CRYPT_KDF_MODERATE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
		break;
	case CRYPT_KDF_SENSITIVE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
		break;
	default:
		crypt_fatal("unknown KDF strength");
	}

	out[0] = CRYPT_VERSION;
	crypt_store_u64le(out + CRYPT_WRAP_OPS, ops);
	crypt_store_u64le(out + CRYPT_WRAP_MEM, mem);
	randombytes_buf(out + CRYPT_WRAP_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(out + CRYPT_WRAP_NONCE, crypto_secretbox_NONCEBYTES);
	if (crypto_pwhash(wrapkey, sizeof wrapkey, pass, passlen,
	        out + CRYPT_WRAP_SALT, ops, mem,
	        crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	if (crypto_secretbox_easy(out + CRYPT_WRAP_BOX, sk, CRYPT_SK_LEN,
	        out + CRYPT_WRAP_NONCE, wrapkey) != 0)
		crypt_fatal("secretbox failed");
	rc = 0;

out:
	sodium_memzero(wrapkey, sizeof wrapkey);
	if (rc != 0)
		sodium_memzero(out, CRYPT_WRAPPED_LEN);
	return rc;
}

int
crypt_unwrap_secret(unsigned char *sk, const unsigned char *wrapped,
    size_t wrappedlen, const char *pass, size_t passlen)
{
	unsigned char wrapkey[crypto_secretbox_KEYBYTES];
	uint64_t ops, mem;
	int rc = -1;

	if (wrappedlen != CRYPT_WRAPPED_LEN || wrapped[0] != CRYPT_VERSION)
		goto out;
	ops = crypt_load_u64le(wrapped + CRYPT_WRAP_OPS);
	mem = crypt_load_u64le(wrapped + CRYPT_WRAP_MEM);
	if (ops < crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE ||
	    ops > crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE)
		goto out;
	if (mem < crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE ||
	    mem > crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE)
		goto out;
	if (crypto_pwhash(wrapkey, sizeof wrapkey, pass, passlen,
	        wrapped + CRYPT_WRAP_SALT, (unsigned long long)ops, (size_t)mem,
	        crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	if (crypto_secretbox_open_easy(sk, wrapped + CRYPT_WRAP_BOX,
	        CRYPT_WRAPPED_LEN - CRYPT_WRAP_BOX, wrapped + CRYPT_WRAP_NONCE,
	        wrapkey) != 0)
		goto out;
	rc = 0;

out:
	sodium_memzero(wrapkey, sizeof wrapkey);
	if (rc != 0)
		sodium_memzero(sk, CRYPT_SK_LEN);
	return rc;
}

void
crypt_public_of(unsigned char *pk, const unsigned char *sk)
{
	if (crypto_scalarmult_base(pk, sk) != 0)
		crypt_fatal("public key derivation failed");
}

void
crypt_hash(unsigned char *out, const void *data, size_t len)
{
	if (crypto_generichash(out, CRYPT_HASH_LEN, data, len, NULL, 0) != 0)
		crypt_fatal("hash failed");
}

struct crypt_hash_state {
	crypto_generichash_state st;
};

struct crypt_hash_state *
crypt_hash_begin(void)
{
	/* libsodium declares the state 64-byte aligned. */
	size_t size = (sizeof(struct crypt_hash_state) + 63) & ~(size_t)63;
	struct crypt_hash_state *s = aligned_alloc(64, size);

	if (s == NULL)
		crypt_fatal("out of memory");
	if (crypto_generichash_init(&s->st, NULL, 0, CRYPT_HASH_LEN) != 0)
		crypt_fatal("hash failed");
	return s;
}

void
crypt_hash_update(struct crypt_hash_state *s, const void *data, size_t len)
{
	if (crypto_generichash_update(&s->st, data, len) != 0)
		crypt_fatal("hash failed");
}

void
crypt_hash_end(struct crypt_hash_state *s, unsigned char *out)
{
	if (crypto_generichash_final(&s->st, out, CRYPT_HASH_LEN) != 0)
		crypt_fatal("hash failed");
	sodium_memzero(s, sizeof *s);
	free(s);
}

int
crypt_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

void
crypt_fingerprint(char *out, const unsigned char *pk)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char hash[CRYPT_HASH_LEN];
	size_t i, n = 0;

	crypt_hash(hash, pk, CRYPT_PK_LEN);
	for (i = 0; i < 16; i++) {
		if (i > 0)
			out[n++] = ':';
		out[n++] = digits[hash[i] >> 4];
		out[n++] = digits[hash[i] & 0x0f];
	}
	out[n] = '\0';
}

char *
crypt_b64_encode(const void *data, size_t len)
{
	size_t size;
	char *text;

	if (len > SIZE_MAX / 4 * 3 - 3)
		crypt_fatal("base64 input too large");
	size = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	if ((text = malloc(size)) == NULL)
		crypt_fatal("out of memory");
	sodium_bin2base64(
	    text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
	return text;
}

/*
 * Without a b64_end pointer, libsodium refuses anything left after the
 * padding; no ignore set, so whitespace is refused too, as are non-zero
 * unused bits and missing padding.
 */
unsigned char *
crypt_b64_decode(const char *text, size_t textlen, size_t *outlen)
{
	unsigned char *buf;
	size_t maxlen, binlen;

	*outlen = 0;
	if (textlen % 4 != 0)
		return NULL;
	maxlen = textlen / 4 * 3;
	if ((buf = malloc(maxlen > 0 ? maxlen : 1)) == NULL)
		crypt_fatal("out of memory");
	if (sodium_base642bin(buf, maxlen, text, textlen, NULL, &binlen, NULL,
	        sodium_base64_VARIANT_ORIGINAL) != 0) {
		sodium_memzero(buf, maxlen);
		free(buf);
		return NULL;
	}
	*outlen = binlen;
	return buf;
}

void
crypt_hex(char *out, const void *data, size_t len)
{
	sodium_bin2hex(out, 2 * len + 1, data, len);
}

int
crypt_unhex(void *out, size_t outlen, const char *hex)
{
	size_t hexlen = strlen(hex), binlen;

	if (outlen > SIZE_MAX / 2 || hexlen != 2 * outlen)
		return -1;
	if (sodium_hex2bin(out, outlen, hex, hexlen, NULL, &binlen, NULL) !=
	        0 ||
	    binlen != outlen) {
		sodium_memzero(out, outlen);
		return -1;
	}
	return 0;
}

const char *
crypt_library_version(void)
{
	static char version[64];

	snprintf(
	    version, sizeof version, "libsodium %s", sodium_version_string());
	return version;
}

void
crypt_receipt_new(unsigned char *raw, char *text, size_t textsize)
{
	uint8_t sym[CRYPT_RECEIPT_SYMBOLS];
	size_t n = 0;

	if (textsize < CRYPT_RECEIPT_TEXT_LEN + 1)
		crypt_fatal("receipt buffer too small");
	memset(raw, 0, CRYPT_RECEIPT_RAW_LEN);
	for (size_t i = 0; i < CRYPT_RECEIPT_SYMBOLS; i++) {
		sym[i] = (uint8_t)randombytes_uniform(32);
		if (i > 0 && i % 5 == 0)
			text[n++] = '-';
		text[n++] = CRYPT_RECEIPT_ALPHABET[sym[i]];
		/* pack 5 bits per symbol, most significant first */
		for (size_t b = 0; b < 5; b++) {
			size_t bit = i * 5 + b;
			if (sym[i] & (0x10 >> b))
				raw[bit / 8] |=
				    (unsigned char)(0x80 >> (bit % 8));
		}
	}
	text[n] = '\0';
	sodium_memzero(sym, sizeof sym);
}

int
crypt_receipt_parse(unsigned char *raw, const char *text)
{
	const char *alphabet = CRYPT_RECEIPT_ALPHABET, *p;
	size_t i = 0;

	memset(raw, 0, CRYPT_RECEIPT_RAW_LEN);
	for (; *text != '\0'; text++) {
		char c = *text;
		if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		p = strchr(alphabet, c);
		if (p == NULL || c == '\0' || i == CRYPT_RECEIPT_SYMBOLS)
			goto fail;
		for (size_t b = 0; b < 5; b++) {
			size_t bit = i * 5 + b;
			if ((size_t)(p - alphabet) & (0x10u >> b))
				raw[bit / 8] |=
				    (unsigned char)(0x80 >> (bit % 8));
		}
		i++;
	}
	if (i == CRYPT_RECEIPT_SYMBOLS)
		return 0;
fail:
	sodium_memzero(raw, CRYPT_RECEIPT_RAW_LEN);
	return -1;
}

void
crypt_keyed_hash(
    unsigned char *out, const unsigned char *key, const void *data, size_t len)
{
	crypto_generichash(out, CRYPT_HASH_LEN, data, len, key, CRYPT_KEY_LEN);
}

/* A 32-byte key from a receipt and a label (the receipt is the key). */
static void
crypt_receipt_label(
    unsigned char *out, const unsigned char *raw, const char *label)
{
	crypto_generichash(out, 32, (const unsigned char *)label, strlen(label),
	    raw, CRYPT_RECEIPT_RAW_LEN);
}

void
crypt_receipt_derive(const unsigned char *raw, unsigned char *lookup,
    unsigned char *auth, unsigned char *pk, unsigned char *sk)
{
	unsigned char seed[crypto_box_SEEDBYTES],
	    skbuf[crypto_box_SECRETKEYBYTES];

	crypt_receipt_label(lookup, raw, "mandate/1/receipt/lookup");
	crypt_receipt_label(auth, raw, "mandate/1/receipt/auth");
	crypt_receipt_label(seed, raw, "mandate/1/receipt/box-seed");
	crypto_box_seed_keypair(pk, skbuf, seed);
	if (sk != NULL)
		memcpy(sk, skbuf, CRYPT_SK_LEN);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(skbuf, sizeof skbuf);
}

struct crypt_stream {
	crypto_secretstream_xchacha20poly1305_state st;
};

struct crypt_stream *
crypt_stream_push_new(unsigned char *header, const unsigned char *key)
{
	struct crypt_stream *s = sodium_malloc(sizeof *s);

	if (s == NULL)
		crypt_fatal("out of guarded memory");
	crypto_secretstream_xchacha20poly1305_init_push(&s->st, header, key);
	return s;
}

struct crypt_stream *
crypt_stream_pull_new(const unsigned char *header, const unsigned char *key)
{
	struct crypt_stream *s = sodium_malloc(sizeof *s);

	if (s == NULL)
		crypt_fatal("out of guarded memory");
	if (crypto_secretstream_xchacha20poly1305_init_pull(
	        &s->st, header, key) != 0) {
		sodium_free(s);
		return NULL;
	}
	return s;
}

void
crypt_stream_push(struct crypt_stream *s, unsigned char *out,
    const unsigned char *in, size_t len, int final)
{
	crypto_secretstream_xchacha20poly1305_push(&s->st, out, NULL, in, len,
	    NULL, 0,
	    final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
}

int
crypt_stream_pull(struct crypt_stream *s, unsigned char *out,
    const unsigned char *in, size_t len, int *final)
{
	unsigned char tag = 0;

	if (len < CRYPT_STREAM_ABYTES ||
	    crypto_secretstream_xchacha20poly1305_pull(
	        &s->st, out, NULL, &tag, in, len, NULL, 0) != 0)
		return -1;
	*final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	return 0;
}

void
crypt_stream_free(struct crypt_stream *s)
{
	if (s != NULL)
		sodium_free(s); /* sodium_free wipes */
}

_Static_assert(CRYPT_SIGN_PK_LEN == crypto_sign_PUBLICKEYBYTES, "sign pk size");
_Static_assert(CRYPT_SIGN_SK_LEN == crypto_sign_SECRETKEYBYTES, "sign sk size");
_Static_assert(CRYPT_SIGN_SEED_LEN == crypto_sign_SEEDBYTES, "sign seed size");
_Static_assert(CRYPT_SIGNATURE_LEN == crypto_sign_BYTES, "signature size");

unsigned char *
crypt_sign_key_new(void)
{
	unsigned char *sk = sodium_malloc(CRYPT_SIGN_SK_LEN);

	if (sk == NULL)
		crypt_fatal("out of guarded memory");
	sodium_memzero(sk, CRYPT_SIGN_SK_LEN);
	return sk;
}

void
crypt_sign_keypair(
    unsigned char *pk, unsigned char *sk, const unsigned char *seed)
{
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0)
		crypt_fatal("signing key pair derivation failed");
}

void
crypt_sign(
    unsigned char *sig, const void *msg, size_t len, const unsigned char *sk)
{
	if (crypto_sign_detached(sig, NULL, msg, len, sk) != 0)
		crypt_fatal("signing failed");
}

int
crypt_sign_verify(const unsigned char *sig, const void *msg, size_t len,
    const unsigned char *pk)
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}
