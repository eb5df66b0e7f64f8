/*
 * hash.h - a fast 128-bit hash of byte streams, for change detection.
 *
 * The page memo (memo.h) hashes every page's template context on each
 * rebuild, and evaluation pages carry ~150 KB of SVG each, so the hash
 * eats 64-bit words, not bytes. Two independent lanes (different
 * constants, rotations and input transforms, each a bijection of its
 * state for a given word, like xxHash's round) make 128 bits; a final
 * avalanche mixes in the length. Not cryptographic: it has to notice an
 * edit, not resist an adversary who could as well edit the output.
 *
 * A stream is unambiguous only if its writer makes it so: feed lengths
 * before variable-length data (nb_hash_str does) and tags before values.
 */
#ifndef NB_HASH_H
#define NB_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct nb_hash {
	uint64_t a, b, n;  /* the lanes, and the words fed */
} nb_hash;

typedef struct nb_digest {
	uint64_t lo, hi;
} nb_digest;

void nb_hash_init(nb_hash *h, uint64_t seed);

/* One word. */
void nb_hash_u64(nb_hash *h, uint64_t w);

/* `n` bytes, the last word padded with zeros (so feed `n` first when it
 * is not implied). */
void nb_hash_bytes(nb_hash *h, const void *p, size_t n);

/* A length, then the bytes. */
void nb_hash_str(nb_hash *h, const char *s, size_t n);

void nb_hash_digest(nb_hash *h, nb_digest d);

nb_digest nb_hash_final(const nb_hash *h);

/* 32 lowercase hex digits, `hi` first, and a NUL: the one spelling of a
 * digest wherever one is written (cache keys, a chart's stand-in). */
void nb_digest_hex(char out[33], nb_digest d);

/* murmur3's fmix64: a bijection that spreads every bit over the word. */
uint64_t nb_hash_mix(uint64_t x);

static inline int nb_digest_eq(nb_digest x, nb_digest y)
{
	return x.lo == y.lo && x.hi == y.hi;
}

#endif
