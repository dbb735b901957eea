/*
 * Unit tests for crypt.c.  The known-answer vectors were computed apart
 * from libsodium: BLAKE2b, base64 and hex with Python's hashlib, base64
 * and binascii; X25519 from RFC 7748, section 6.1; the box, sealed and
 * wrapped vectors with pyca/cryptography (ChaCha20-Poly1305, Poly1305,
 * X25519, Argon2id) and HChaCha20, HSalsa20, Salsa20 written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypt.h"
#include "mandate/api.h"

#define PASS "correct horse battery staple"

/* RFC 7748, section 6.1: Alice's and Bob's key pairs. */
static const char alice_sk_hex[] =
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char alice_pk_hex[] =
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
static const char bob_sk_hex[] =
    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char bob_pk_hex[] =
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

/* Key 00..1f, nonce 40..57, AD "mandate/1/cases/narrative/K7QM-3XRD". */
static const char box_plain[] = "The narrative of a case.";
static const char box_kat[] =
    "01404142434445464748494a4b4c4d4e4f505152535455565780516050be810b"
    "64ee80eec8cabc0af4b2db8da7722a36b4a656480b7db4e78f5a925e0ff635ce"
    "68";

/* Case key 80..9f sealed to Alice with Bob's pair as the ephemeral one. */
static const char sealed_kat[] =
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    "75fb02e880da206b1ccc6cee42a948aa0b2e04564404cd3ff66bdaa3857bb21e"
    "d5719323d801b810990f05d0a195463d";

/*
 * Alice's secret key wrapped under PASS, salt a0..af, nonce b0..c7.  The
 * doctored ones are consistent with their own limits, so only the range
 * check can refuse them.
 */
static const char wrapped_kat[] = /* opslimit 2, memlimit 64 MiB */
    "0102000000000000000000000400000000a0a1a2a3a4a5a6a7a8a9aaabacadae"
    "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c72b765a14c1691f"
    "763557cf607eaf9595980d254e79bb566f1df84d35735e4611844bf560b5110a"
    "3ad8462e4a4ced4627";
static const char wrapped_ops1[] = /* opslimit 1, memlimit 64 MiB */
    "0101000000000000000000000400000000a0a1a2a3a4a5a6a7a8a9aaabacadae"
    "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7dca2e40541ff6d"
    "ebac115f2d29dd549423281fb06ec086c47d1bd5f5a2f10f3e0510e01b83914e"
    "51a84d9d145735aaa2";
static const char wrapped_ops5[] = /* opslimit 5, memlimit 64 MiB */
    "0105000000000000000000000400000000a0a1a2a3a4a5a6a7a8a9aaabacadae"
    "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7e54478ef5cb23f"
    "2562dc09b80542595d3ce6c412c38351ad8fbd450bfec90577f143b447bcbfc3"
    "d36efaca34d02b1567";
static const char wrapped_mem8k[] = /* opslimit 2, memlimit 8 KiB */
    "0102000000000000000020000000000000a0a1a2a3a4a5a6a7a8a9aaabacadae"
    "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c72679ce4b3098c1"
    "dd2b50978ee6383b7e677de1ae33927ac2628d0353e713611cb91c7e79f3de97"
    "a6cb341a75dba4df73";

/* RFC 4648, section 10. */
static const struct {
	const char *bin;
	const char *b64;
	const char *hex;
} rfc4648[] = {
    {"", "", ""},
    {"f", "Zg==", "66"},
    {"fo", "Zm8=", "666f"},
    {"foo", "Zm9v", "666f6f"},
    {"foob", "Zm9vYg==", "666f6f62"},
    {"fooba", "Zm9vYmE=", "666f6f6261"},
    {"foobar", "Zm9vYmFy", "666f6f626172"},
};

/* Decodes the test's own hex vectors, apart from crypt_unhex. */
static void
test_unhex(unsigned char *out, size_t outlen, const char *hex)
{
	size_t i;
	unsigned int byte;

	assert_int_equal(strlen(hex), 2 * outlen);
	for (i = 0; i < outlen; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &byte), 1);
		out[i] = (unsigned char)byte;
	}
}

static int
test_is_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static size_t
test_box_ad(unsigned char *ad)
{
	size_t adlen;

	adlen = crypt_ad(ad, CRYPT_AD_MAX, "cases", "narrative", "K7QM-3XRD");
	assert_int_not_equal(adlen, 0);
	return adlen;
}

static void
test_crypt__hash_abc__matches_blake2b_vector(void **state)
{
	unsigned char want[CRYPT_HASH_LEN], got[CRYPT_HASH_LEN];

	test_unhex(want, sizeof want,
	    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	crypt_hash(got, "abc", 3);
	assert_memory_equal(got, want, sizeof want);
}

static void
test_crypt__hash_empty__matches_blake2b_vector(void **state)
{
	unsigned char want[CRYPT_HASH_LEN], got[CRYPT_HASH_LEN];

	test_unhex(want, sizeof want,
	    "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	crypt_hash(got, "", 0);
	assert_memory_equal(got, want, sizeof want);
}

static void
test_crypt__b64_encode__matches_rfc4648(void **state)
{
	size_t i;
	char *text;

	for (i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		text = crypt_b64_encode(rfc4648[i].bin, strlen(rfc4648[i].bin));
		assert_string_equal(text, rfc4648[i].b64);
		free(text);
	}
}

static void
test_crypt__b64_decode__matches_rfc4648(void **state)
{
	size_t i, len;
	unsigned char *bin;

	for (i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		len = 99;
		bin = crypt_b64_decode(
		    rfc4648[i].b64, strlen(rfc4648[i].b64), &len);
		assert_non_null(bin);
		assert_int_equal(len, strlen(rfc4648[i].bin));
		assert_memory_equal(bin, rfc4648[i].bin, len);
		free(bin);
	}
}

static void
test_crypt__b64_decode_not_strict_base64__fails(void **state)
{
	static const char *const bad[] = {
	    "Zm9v\n",     /* trailing newline */
	    " Zm9v",      /* leading space */
	    "Zm 9v",      /* inner space */
	    "Zm9vYg",     /* padding missing */
	    "Zm9vYg=",    /* padding short */
	    "Zm9v=",      /* padding after a full group */
	    "Zh==",       /* non-zero unused bits */
	    "Zg==Zg==",   /* data after padding */
	    "Zm9vYmFy!!", /* trailing garbage */
	    "Zm-_",       /* URL-safe alphabet */
	    "====",
	};
	size_t i, len;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		len = 99;
		assert_null(crypt_b64_decode(bad[i], strlen(bad[i]), &len));
		assert_int_equal(len, 0);
	}
	/* An embedded NUL inside the stated length. */
	assert_null(crypt_b64_decode("Zm\0v", 4, &len));
}

static void
test_crypt__b64_random_bytes__round_trip(void **state)
{
	unsigned char data[64], *back;
	size_t n, len;
	char *text;

	for (n = 0; n <= sizeof data; n++) {
		crypt_random(data, n);
		text = crypt_b64_encode(data, n);
		assert_int_equal(strlen(text), (n + 2) / 3 * 4);
		back = crypt_b64_decode(text, strlen(text), &len);
		assert_non_null(back);
		assert_int_equal(len, n);
		assert_memory_equal(back, data, n);
		free(back);
		free(text);
	}
}

static void
test_crypt__hex__matches_rfc4648(void **state)
{
	char out[32];
	size_t i;

	for (i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		memset(out, 'x', sizeof out);
		crypt_hex(out, rfc4648[i].bin, strlen(rfc4648[i].bin));
		assert_string_equal(out, rfc4648[i].hex);
	}
}

static void
test_crypt__unhex__matches_rfc4648(void **state)
{
	char out[16];
	size_t i, n;

	for (i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		n = strlen(rfc4648[i].bin);
		assert_int_equal(crypt_unhex(out, n, rfc4648[i].hex), 0);
		assert_memory_equal(out, rfc4648[i].bin, n);
	}
}

static void
test_crypt__unhex_wrong_length__fails(void **state)
{
	unsigned char out[4];

	assert_int_equal(crypt_unhex(out, 3, "666f6f62"), -1);
	assert_int_equal(crypt_unhex(out, 4, "666f6f"), -1);
	assert_int_equal(crypt_unhex(out, 3, "666f6f6"), -1);
	assert_int_equal(crypt_unhex(out, 2, "666f6f"), -1);
	assert_int_equal(crypt_unhex(out, 1, ""), -1);
}

static void
test_crypt__unhex_bad_digit__fails_and_wipes(void **state)
{
	unsigned char out[3];

	memset(out, 0xaa, sizeof out);
	assert_int_equal(crypt_unhex(out, 3, "666fxg"), -1);
	assert_true(test_is_zero(out, sizeof out));
	assert_int_equal(crypt_unhex(out, 3, "66 f6f"), -1);
	assert_int_equal(crypt_unhex(out, 3, "66:6f6"), -1);
}

static void
test_crypt__public_of__matches_rfc7748(void **state)
{
	unsigned char sk[CRYPT_SK_LEN], pk[CRYPT_PK_LEN], want[CRYPT_PK_LEN];

	test_unhex(sk, sizeof sk, alice_sk_hex);
	test_unhex(want, sizeof want, alice_pk_hex);
	crypt_public_of(pk, sk);
	assert_memory_equal(pk, want, sizeof want);

	test_unhex(sk, sizeof sk, bob_sk_hex);
	test_unhex(want, sizeof want, bob_pk_hex);
	crypt_public_of(pk, sk);
	assert_memory_equal(pk, want, sizeof want);
}

static void
test_crypt__keypair__public_matches_secret(void **state)
{
	unsigned char pk[CRYPT_PK_LEN], derived[CRYPT_PK_LEN];
	unsigned char *sk = crypt_key_new(0);

	crypt_keypair(pk, sk);
	assert_false(test_is_zero(sk, CRYPT_SK_LEN));
	crypt_public_of(derived, sk);
	assert_memory_equal(derived, pk, sizeof pk);
	crypt_key_free(sk);
}

static void
test_crypt__fingerprint__matches_vector(void **state)
{
	unsigned char pk[CRYPT_PK_LEN];
	char fp[CRYPT_FINGERPRINT_LEN + 1];

	test_unhex(pk, sizeof pk, alice_pk_hex);
	memset(fp, 'x', sizeof fp);
	crypt_fingerprint(fp, pk);
	assert_string_equal(
	    fp, "7a:91:86:9e:4c:11:49:64:20:69:72:40:3b:0a:3d:81");
	assert_int_equal(strlen(fp), CRYPT_FINGERPRINT_LEN);
}

static void
test_crypt__ad__builds_versioned_path(void **state)
{
	static const char want[] = "mandate/1/cases/narrative/K7QM-3XRD";
	unsigned char ad[CRYPT_AD_MAX];

	assert_int_equal(
	    crypt_ad(ad, sizeof ad, "cases", "narrative", "K7QM-3XRD"),
	    sizeof want - 1);
	assert_memory_equal(ad, want, sizeof want - 1);
}

static void
test_crypt__ad_exactly_fits__succeeds_one_less_fails(void **state)
{
	static const char want[] = "mandate/1/t/c/r";
	unsigned char ad[sizeof want - 1];

	assert_int_equal(crypt_ad(ad, sizeof ad, "t", "c", "r"), sizeof ad);
	assert_memory_equal(ad, want, sizeof ad);
	assert_int_equal(crypt_ad(ad, sizeof ad - 1, "t", "c", "r"), 0);
	assert_int_equal(crypt_ad(ad, 5, "t", "c", "r"), 0);
}

static void
test_crypt__ad_slash_in_table_or_column__refused(void **state)
{
	unsigned char ad[CRYPT_AD_MAX];

	/* Both would otherwise give "mandate/1/a/b/c/d". */
	assert_int_equal(crypt_ad(ad, sizeof ad, "a/b", "c", "d"), 0);
	assert_int_equal(crypt_ad(ad, sizeof ad, "a", "b/c", "d"), 0);
	assert_int_equal(crypt_ad(ad, sizeof ad, "", "c", "d"), 0);
	assert_int_not_equal(crypt_ad(ad, sizeof ad, "a", "b", "c/d"), 0);
}

static void
test_crypt__unbox_known_answer__decrypts(void **state)
{
	unsigned char key[CRYPT_KEY_LEN], ad[CRYPT_AD_MAX];
	unsigned char box[sizeof box_kat / 2];
	char out[sizeof box_plain];
	size_t i, adlen;

	for (i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)i;
	test_unhex(box, sizeof box, box_kat);
	adlen = test_box_ad(ad);
	assert_int_equal(sizeof box, sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD);
	memset(out, 0, sizeof out);
	assert_int_equal(
	    crypt_unbox((unsigned char *)out, box, sizeof box, ad, adlen, key),
	    0);
	assert_string_equal(out, box_plain);
}

/* Boxes box_plain under a fresh key into box; returns the key. */
static unsigned char *
test_box_make(unsigned char *box, unsigned char *ad, size_t *adlen)
{
	unsigned char *key = crypt_key_new(1);

	*adlen = test_box_ad(ad);
	assert_int_equal(crypt_box(box, (const unsigned char *)box_plain,
	                     sizeof box_plain - 1, ad, *adlen, key),
	    0);
	return key;
}

static void
test_crypt__box__round_trips(void **state)
{
	unsigned char box[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char ad[CRYPT_AD_MAX], *key;
	char out[sizeof box_plain];
	size_t adlen;

	key = test_box_make(box, ad, &adlen);
	assert_int_equal(box[0], 0x01);
	assert_null(memmem(box, sizeof box, box_plain, 8));
	memset(out, 0, sizeof out);
	assert_int_equal(
	    crypt_unbox((unsigned char *)out, box, sizeof box, ad, adlen, key),
	    0);
	assert_string_equal(out, box_plain);
	crypt_key_free(key);
}

static void
test_crypt__box_empty_plaintext__round_trips(void **state)
{
	unsigned char box[CRYPT_BOX_OVERHEAD], out[1];
	unsigned char *key = crypt_key_new(1);

	assert_int_equal(crypt_box(box, NULL, 0, NULL, 0, key), 0);
	assert_int_equal(crypt_unbox(out, box, sizeof box, NULL, 0, key), 0);
	box[sizeof box - 1] ^= 0x01;
	assert_int_equal(crypt_unbox(out, box, sizeof box, NULL, 0, key), -1);
	crypt_key_free(key);
}

static void
test_crypt__box_twice__uses_fresh_nonces(void **state)
{
	unsigned char a[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char b[sizeof a];
	unsigned char *key = crypt_key_new(1);

	crypt_box(a, (const unsigned char *)box_plain, sizeof box_plain - 1,
	    NULL, 0, key);
	crypt_box(b, (const unsigned char *)box_plain, sizeof box_plain - 1,
	    NULL, 0, key);
	assert_memory_not_equal(a + 1, b + 1, 24);
	crypt_key_free(key);
}

/* Flips each byte of box[from, to) in turn: each must fail to open. */
static void
test_box_tamper(size_t from, size_t to)
{
	unsigned char box[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char ad[CRYPT_AD_MAX], out[sizeof box_plain], *key;
	size_t adlen, i;

	key = test_box_make(box, ad, &adlen);
	for (i = from; i < to; i++) {
		box[i] ^= 0x01;
		memset(out, 0xaa, sizeof out);
		assert_int_equal(
		    crypt_unbox(out, box, sizeof box, ad, adlen, key), -1);
		assert_true(test_is_zero(out, sizeof box_plain - 1));
		box[i] ^= 0x01;
	}
	assert_int_equal(crypt_unbox(out, box, sizeof box, ad, adlen, key), 0);
	crypt_key_free(key);
}

static void
test_crypt__box_tampered_version__fails(void **state)
{
	test_box_tamper(0, 1);
}

static void
test_crypt__box_tampered_nonce__fails(void **state)
{
	test_box_tamper(1, 25);
}

static void
test_crypt__box_tampered_ciphertext__fails(void **state)
{
	test_box_tamper(25, 25 + sizeof box_plain - 1);
}

static void
test_crypt__box_tampered_tag__fails(void **state)
{
	size_t len = sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD;

	test_box_tamper(len - 16, len);
}

static void
test_crypt__box_wrong_ad__fails(void **state)
{
	unsigned char box[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char ad[CRYPT_AD_MAX], other[CRYPT_AD_MAX];
	unsigned char out[sizeof box_plain], *key;
	size_t adlen, otherlen;

	key = test_box_make(box, ad, &adlen);
	otherlen =
	    crypt_ad(other, sizeof other, "cases", "narrative", "K7QM-3XRE");
	assert_int_equal(
	    crypt_unbox(out, box, sizeof box, other, otherlen, key), -1);
	otherlen = crypt_ad(other, sizeof other, "cases", "title", "K7QM-3XRD");
	assert_int_equal(
	    crypt_unbox(out, box, sizeof box, other, otherlen, key), -1);
	assert_int_equal(crypt_unbox(out, box, sizeof box, NULL, 0, key), -1);
	crypt_key_free(key);
}

static void
test_crypt__box_wrong_key__fails(void **state)
{
	unsigned char box[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char ad[CRYPT_AD_MAX], out[sizeof box_plain], *key, *other;
	size_t adlen;

	key = test_box_make(box, ad, &adlen);
	other = crypt_key_new(1);
	assert_int_equal(
	    crypt_unbox(out, box, sizeof box, ad, adlen, other), -1);
	crypt_key_free(other);
	crypt_key_free(key);
}

static void
test_crypt__box_truncated__fails(void **state)
{
	unsigned char box[sizeof box_plain - 1 + CRYPT_BOX_OVERHEAD];
	unsigned char ad[CRYPT_AD_MAX], out[sizeof box_plain], *key;
	size_t adlen;

	key = test_box_make(box, ad, &adlen);
	assert_int_equal(
	    crypt_unbox(out, box, sizeof box - 1, ad, adlen, key), -1);
	assert_int_equal(
	    crypt_unbox(out, box, CRYPT_BOX_OVERHEAD - 1, ad, adlen, key), -1);
	assert_int_equal(crypt_unbox(out, box, 0, ad, adlen, key), -1);
	crypt_key_free(key);
}

static void
test_crypt__unseal_known_answer__opens(void **state)
{
	unsigned char sk[CRYPT_SK_LEN], pk[CRYPT_PK_LEN];
	unsigned char sealed[CRYPT_SEALED_LEN], key[CRYPT_KEY_LEN];
	unsigned char want[CRYPT_KEY_LEN];
	size_t i;

	test_unhex(sk, sizeof sk, alice_sk_hex);
	test_unhex(pk, sizeof pk, alice_pk_hex);
	test_unhex(sealed, sizeof sealed, sealed_kat);
	for (i = 0; i < sizeof want; i++)
		want[i] = (unsigned char)(0x80 + i);
	assert_int_equal(crypt_unseal(key, sealed, sizeof sealed, pk, sk), 0);
	assert_memory_equal(key, want, sizeof want);
}

static void
test_crypt__seal__round_trips(void **state)
{
	unsigned char pk[CRYPT_PK_LEN], sealed[CRYPT_SEALED_LEN];
	unsigned char *sk = crypt_key_new(0), *key = crypt_key_new(1);
	unsigned char *back = crypt_key_new(0);

	crypt_keypair(pk, sk);
	assert_int_equal(crypt_seal(sealed, key, pk), 0);
	assert_int_equal(crypt_unseal(back, sealed, sizeof sealed, pk, sk), 0);
	assert_memory_equal(back, key, CRYPT_KEY_LEN);
	crypt_key_free(back);
	crypt_key_free(key);
	crypt_key_free(sk);
}

static void
test_crypt__seal_many__each_copy_opens_for_its_recipient_only(void **state)
{
	enum { N = 4 };
	unsigned char pk[N][CRYPT_PK_LEN], sealed[N * CRYPT_SEALED_LEN];
	const unsigned char *pks[N];
	unsigned char *sk[N], *key = crypt_key_new(1), *back = crypt_key_new(0);

	for (size_t i = 0; i < N; i++) {
		sk[i] = crypt_key_new(0);
		crypt_keypair(pk[i], sk[i]);
		pks[i] = pk[i];
	}
	assert_int_equal(crypt_seal_many(sealed, key, pks, N), 0);
	for (size_t i = 0; i < N; i++) {
		const unsigned char *copy = sealed + i * CRYPT_SEALED_LEN;

		/* One ephemeral public key for all copies ... */
		assert_memory_equal(copy, sealed, CRYPT_PK_LEN);
		for (size_t j = 0; j < N; j++) {
			int r = crypt_unseal(
			    back, copy, CRYPT_SEALED_LEN, pk[j], sk[j]);
			/* ... yet each opens for its own recipient only */
			assert_int_equal(r, i == j ? 0 : -1);
			if (i == j)
				assert_memory_equal(back, key, CRYPT_KEY_LEN);
		}
		/* and no two copies share a ciphertext */
		for (size_t j = 0; j < i; j++)
			assert_memory_not_equal(copy + CRYPT_PK_LEN,
			    sealed + j * CRYPT_SEALED_LEN + CRYPT_PK_LEN,
			    CRYPT_SEALED_LEN - CRYPT_PK_LEN);
	}
	for (size_t i = 0; i < N; i++)
		crypt_key_free(sk[i]);
	crypt_key_free(back);
	crypt_key_free(key);
}

static void
test_crypt__seal_many_small_order_key__fails_and_wipes(void **state)
{
	unsigned char pk[CRYPT_PK_LEN], zero[CRYPT_PK_LEN] = {0};
	unsigned char sealed[2 * CRYPT_SEALED_LEN];
	const unsigned char *pks[2] = {pk, zero};
	unsigned char *sk = crypt_key_new(0), *key = crypt_key_new(1);

	crypt_keypair(pk, sk);
	memset(sealed, 0xaa, sizeof sealed);
	assert_int_equal(crypt_seal_many(sealed, key, pks, 2), -1);
	assert_true(test_is_zero(sealed, sizeof sealed));
	crypt_key_free(key);
	crypt_key_free(sk);
}

static void
test_crypt__unseal_wrong_key_pair__fails_and_wipes(void **state)
{
	unsigned char pk[CRYPT_PK_LEN], otherpk[CRYPT_PK_LEN];
	unsigned char sealed[CRYPT_SEALED_LEN], back[CRYPT_KEY_LEN];
	unsigned char *sk = crypt_key_new(0), *othersk = crypt_key_new(0);
	unsigned char *key = crypt_key_new(1);

	crypt_keypair(pk, sk);
	crypt_keypair(otherpk, othersk);
	assert_int_equal(crypt_seal(sealed, key, pk), 0);
	memset(back, 0xaa, sizeof back);
	assert_int_equal(
	    crypt_unseal(back, sealed, sizeof sealed, otherpk, othersk), -1);
	assert_true(test_is_zero(back, sizeof back));
	crypt_key_free(key);
	crypt_key_free(othersk);
	crypt_key_free(sk);
}

static void
test_crypt__unseal_tampered_or_short__fails(void **state)
{
	unsigned char sk[CRYPT_SK_LEN], pk[CRYPT_PK_LEN];
	unsigned char sealed[CRYPT_SEALED_LEN], key[CRYPT_KEY_LEN];

	test_unhex(sk, sizeof sk, alice_sk_hex);
	test_unhex(pk, sizeof pk, alice_pk_hex);
	test_unhex(sealed, sizeof sealed, sealed_kat);
	assert_int_equal(
	    crypt_unseal(key, sealed, sizeof sealed - 1, pk, sk), -1);
	sealed[40] ^= 0x01;
	assert_int_equal(crypt_unseal(key, sealed, sizeof sealed, pk, sk), -1);
}

static void
test_crypt__unwrap_known_answer__returns_secret(void **state)
{
	unsigned char wrapped[CRYPT_WRAPPED_LEN], want[CRYPT_SK_LEN];
	unsigned char *sk = crypt_key_new(0);

	test_unhex(wrapped, sizeof wrapped, wrapped_kat);
	test_unhex(want, sizeof want, alice_sk_hex);
	assert_int_equal(crypt_unwrap_secret(
	                     sk, wrapped, sizeof wrapped, PASS, strlen(PASS)),
	    0);
	assert_memory_equal(sk, want, sizeof want);
	crypt_key_free(sk);
}

static void
test_crypt__wrap_interactive__round_trips_with_interactive_limits(void **state)
{
	static const unsigned char limits[16] = {
	    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0};
	unsigned char wrapped[CRYPT_WRAPPED_LEN];
	unsigned char *sk = crypt_key_new(1), *back = crypt_key_new(0);

	assert_int_equal(crypt_wrap_secret(wrapped, sk, PASS, strlen(PASS),
	                     CRYPT_KDF_INTERACTIVE),
	    0);
	assert_int_equal(wrapped[0], 0x01);
	assert_memory_equal(wrapped + 1, limits, sizeof limits);
	assert_int_equal(crypt_unwrap_secret(
	                     back, wrapped, sizeof wrapped, PASS, strlen(PASS)),
	    0);
	assert_memory_equal(back, sk, CRYPT_SK_LEN);
	crypt_key_free(back);
	crypt_key_free(sk);
}

static void
test_crypt__unwrap_wrong_passphrase__fails_and_wipes(void **state)
{
	unsigned char wrapped[CRYPT_WRAPPED_LEN], sk[CRYPT_SK_LEN];

	test_unhex(wrapped, sizeof wrapped, wrapped_kat);
	memset(sk, 0xaa, sizeof sk);
	assert_int_equal(crypt_unwrap_secret(sk, wrapped, sizeof wrapped, PASS,
	                     strlen(PASS) - 1),
	    -1);
	assert_true(test_is_zero(sk, sizeof sk));
	assert_int_equal(
	    crypt_unwrap_secret(sk, wrapped, sizeof wrapped, "", 0), -1);
}

static void
test_crypt__unwrap_damaged_blob__fails(void **state)
{
	unsigned char wrapped[CRYPT_WRAPPED_LEN], sk[CRYPT_SK_LEN];

	test_unhex(wrapped, sizeof wrapped, wrapped_kat);
	assert_int_equal(crypt_unwrap_secret(sk, wrapped, sizeof wrapped - 1,
	                     PASS, strlen(PASS)),
	    -1);
	wrapped[0] = 0x02;
	assert_int_equal(crypt_unwrap_secret(
	                     sk, wrapped, sizeof wrapped, PASS, strlen(PASS)),
	    -1);
	wrapped[0] = 0x01;
	wrapped[sizeof wrapped - 1] ^= 0x01;
	assert_int_equal(crypt_unwrap_secret(
	                     sk, wrapped, sizeof wrapped, PASS, strlen(PASS)),
	    -1);
}

static void
test_wrapped_refused(const char *hex)
{
	unsigned char wrapped[CRYPT_WRAPPED_LEN], sk[CRYPT_SK_LEN];

	test_unhex(wrapped, sizeof wrapped, hex);
	assert_int_equal(crypt_unwrap_secret(
	                     sk, wrapped, sizeof wrapped, PASS, strlen(PASS)),
	    -1);
}

static void
test_crypt__unwrap_opslimit_below_interactive__rejected(void **state)
{
	test_wrapped_refused(wrapped_ops1);
}

static void
test_crypt__unwrap_opslimit_above_sensitive__rejected(void **state)
{
	test_wrapped_refused(wrapped_ops5);
}

static void
test_crypt__unwrap_memlimit_below_interactive__rejected(void **state)
{
	test_wrapped_refused(wrapped_mem8k);
}

static int
test_cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_crypt__case_id__has_the_documented_shape(void **state)
{
	char id[MANDATE_CASE_ID_LEN + 1];
	size_t i;

	memset(id, 'x', sizeof id);
	crypt_case_id(id, sizeof id);
	assert_int_equal(strlen(id), 9);
	for (i = 0; i < 9; i++) {
		if (i == 4)
			assert_int_equal(id[i], '-');
		else
			assert_non_null(
			    strchr(MANDATE_CASE_ID_ALPHABET, id[i]));
	}
}

static void
test_crypt__case_ids_1000__valid_distinct_and_cover_alphabet(void **state)
{
	static char ids[1000][MANDATE_CASE_ID_LEN + 1];
	const char *alphabet = MANDATE_CASE_ID_ALPHABET;
	int seen[256] = {0};
	size_t i, j;

	for (i = 0; i < 1000; i++) {
		crypt_case_id(ids[i], sizeof ids[i]);
		assert_true(mandate_case_id_valid(ids[i]));
		for (j = 0; ids[i][j] != '\0'; j++)
			seen[(unsigned char)ids[i][j]] = 1;
	}
	qsort(ids, 1000, sizeof ids[0], test_cmp_id);
	for (i = 1; i < 1000; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	for (i = 0; alphabet[i] != '\0'; i++)
		assert_true(seen[(unsigned char)alphabet[i]]);
}

static void
test_crypt__random_uniform__stays_below_bound(void **state)
{
	int seen[7] = {0};
	uint32_t v;
	int i;

	for (i = 0; i < 1000; i++) {
		v = crypt_random_uniform(7);
		assert_true(v < 7);
		seen[v] = 1;
	}
	for (i = 0; i < 7; i++)
		assert_true(seen[i]);
}

static void
test_crypt__equal__compares_every_byte(void **state)
{
	unsigned char a[33], b[33];

	crypt_random(a, sizeof a);
	memcpy(b, a, sizeof b);
	assert_int_equal(crypt_equal(a, b, sizeof a), 1);
	b[0] ^= 0x80;
	assert_int_equal(crypt_equal(a, b, sizeof a), 0);
	b[0] ^= 0x80;
	b[32] ^= 0x01;
	assert_int_equal(crypt_equal(a, b, sizeof a), 0);
	assert_int_equal(crypt_equal(a, b, sizeof a - 1), 1);
}

static void
test_crypt__key_new__zero_or_random(void **state)
{
	unsigned char *zero = crypt_key_new(0), *random = crypt_key_new(1);

	assert_true(test_is_zero(zero, CRYPT_KEY_LEN));
	assert_false(test_is_zero(random, CRYPT_KEY_LEN));
	crypt_key_free(zero);
	crypt_key_free(random);
	crypt_key_free(NULL);
}

static void
test_crypt__wipe__zeroes_the_buffer(void **state)
{
	unsigned char buf[40];

	memset(buf, 0xaa, sizeof buf);
	crypt_wipe(buf, sizeof buf - 1);
	assert_true(test_is_zero(buf, sizeof buf - 1));
	assert_int_equal(buf[sizeof buf - 1], 0xaa);
}

static void
test_crypt__library_version__names_libsodium(void **state)
{
	const char *v = crypt_library_version();

	assert_int_equal(strncmp(v, "libsodium 1.", 12), 0);
}

static int
test_setup(void **state)
{
	return crypt_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crypt__hash_abc__matches_blake2b_vector),
	    cmocka_unit_test(test_crypt__hash_empty__matches_blake2b_vector),
	    cmocka_unit_test(test_crypt__b64_encode__matches_rfc4648),
	    cmocka_unit_test(test_crypt__b64_decode__matches_rfc4648),
	    cmocka_unit_test(test_crypt__b64_decode_not_strict_base64__fails),
	    cmocka_unit_test(test_crypt__b64_random_bytes__round_trip),
	    cmocka_unit_test(test_crypt__hex__matches_rfc4648),
	    cmocka_unit_test(test_crypt__unhex__matches_rfc4648),
	    cmocka_unit_test(test_crypt__unhex_wrong_length__fails),
	    cmocka_unit_test(test_crypt__unhex_bad_digit__fails_and_wipes),
	    cmocka_unit_test(test_crypt__public_of__matches_rfc7748),
	    cmocka_unit_test(test_crypt__keypair__public_matches_secret),
	    cmocka_unit_test(test_crypt__fingerprint__matches_vector),
	    cmocka_unit_test(test_crypt__ad__builds_versioned_path),
	    cmocka_unit_test(
	        test_crypt__ad_exactly_fits__succeeds_one_less_fails),
	    cmocka_unit_test(test_crypt__ad_slash_in_table_or_column__refused),
	    cmocka_unit_test(test_crypt__unbox_known_answer__decrypts),
	    cmocka_unit_test(test_crypt__box__round_trips),
	    cmocka_unit_test(test_crypt__box_empty_plaintext__round_trips),
	    cmocka_unit_test(test_crypt__box_twice__uses_fresh_nonces),
	    cmocka_unit_test(test_crypt__box_tampered_version__fails),
	    cmocka_unit_test(test_crypt__box_tampered_nonce__fails),
	    cmocka_unit_test(test_crypt__box_tampered_ciphertext__fails),
	    cmocka_unit_test(test_crypt__box_tampered_tag__fails),
	    cmocka_unit_test(test_crypt__box_wrong_ad__fails),
	    cmocka_unit_test(test_crypt__box_wrong_key__fails),
	    cmocka_unit_test(test_crypt__box_truncated__fails),
	    cmocka_unit_test(test_crypt__unseal_known_answer__opens),
	    cmocka_unit_test(test_crypt__seal__round_trips),
	    cmocka_unit_test(
	        test_crypt__seal_many__each_copy_opens_for_its_recipient_only),
	    cmocka_unit_test(
	        test_crypt__seal_many_small_order_key__fails_and_wipes),
	    cmocka_unit_test(
	        test_crypt__unseal_wrong_key_pair__fails_and_wipes),
	    cmocka_unit_test(test_crypt__unseal_tampered_or_short__fails),
	    cmocka_unit_test(test_crypt__unwrap_known_answer__returns_secret),
	    cmocka_unit_test(
	        test_crypt__wrap_interactive__round_trips_with_interactive_limits),
	    cmocka_unit_test(
	        test_crypt__unwrap_wrong_passphrase__fails_and_wipes),
	    cmocka_unit_test(test_crypt__unwrap_damaged_blob__fails),
	    cmocka_unit_test(
	        test_crypt__unwrap_opslimit_below_interactive__rejected),
	    cmocka_unit_test(
	        test_crypt__unwrap_opslimit_above_sensitive__rejected),
	    cmocka_unit_test(
	        test_crypt__unwrap_memlimit_below_interactive__rejected),
	    cmocka_unit_test(test_crypt__case_id__has_the_documented_shape),
	    cmocka_unit_test(
	        test_crypt__case_ids_1000__valid_distinct_and_cover_alphabet),
	    cmocka_unit_test(test_crypt__random_uniform__stays_below_bound),
	    cmocka_unit_test(test_crypt__equal__compares_every_byte),
	    cmocka_unit_test(test_crypt__key_new__zero_or_random),
	    cmocka_unit_test(test_crypt__wipe__zeroes_the_buffer),
	    cmocka_unit_test(test_crypt__library_version__names_libsodium),
	};

	return cmocka_run_group_tests(tests, test_setup, NULL);
}
