/*
 * hash.c - the 128-bit word hash; see hash.h.
 *
 * Lane a is xxHash64's round (acc + w*P2, rotate 31, *P1), lane b the
 * same shape with other constants, xor for add and rotation 27, so an
 * input difference that cancels in one lane does not in the other. A
 * rotation before each multiply carries high bits back down: with xor and
 * multiply alone, two flips of bit 63 cancel (FNV's weakness). Runs of
 * bytes go 16 at a time through wyhash's folded 128-bit product, once per
 * lane (four times the speed of two rounds per word: the page keys hash
 * ~240 MB of chart SVG at 10,000 documents). The final step is murmur3's
 * fmix64 over each lane crossed with the other.
 */
#include "util/hash.h"

#include <string.h>

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline void round2(nb_hash *h, uint64_t w)
{
	h->a = rotl(h->a + w * P2, 31) * P1;
	h->b = rotl(h->b ^ (w * P4), 27) * P3 + P5;
	h->n++;
}

uint64_t nb_hash_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

void nb_hash_init(nb_hash *h, uint64_t seed)
{
	h->a = seed + P1 + P2;
	h->b = seed ^ P3;
	h->n = 0;
}

void nb_hash_u64(nb_hash *h, uint64_t w)
{
	round2(h, w);
}

/* The 64x64-bit product's halves folded: wyhash's mixing step. */
static inline uint64_t mum(uint64_t x, uint64_t y)
{
	unsigned __int128 r = (unsigned __int128)x * y;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The last 1 to 7 bytes as a little word, zero padded, in at most three
 * loads (a byte-by-byte copy was a third of the hashing). */
static inline uint64_t tail_word(const unsigned char *c, size_t n)
{
	uint64_t w = 0;
	size_t at = 0;
	if (n & 4) {
		uint32_t x;
		memcpy(&x, c, 4);
		w = x;
		at = 4;
	}
	if (n & 2) {
		uint16_t x;
		memcpy(&x, c + at, 2);
		w |= (uint64_t)x << (8 * at);
		at += 2;
	}
	if (n & 1)
		w |= (uint64_t)c[at] << (8 * at);
	return w;
}

void nb_hash_bytes(nb_hash *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	/* The state in locals: through `h` every step was a store the
	 * compiler could not drop (the bytes might alias it). */
	nb_hash s = *h;
	uint64_t w, v;
	/* Long runs 16 bytes a step, one full product per lane, each lane
	 * pairing the two words the other way round (a product that a zero
	 * factor blinds in one lane is not blinded in the other). */
	for (; n >= 16; c += 16, n -= 16) {
		memcpy(&w, c, 8);
		memcpy(&v, c + 8, 8);
		s.a = mum(w ^ P1, v ^ s.a);
		s.b = mum(v ^ P4, w ^ s.b ^ P3);
		s.n += 2;
	}
	if (n >= 8) {
		memcpy(&w, c, 8);
		round2(&s, w);
		c += 8;
		n -= 8;
	}
	if (n)
		round2(&s, tail_word(c, n));
	*h = s;
}

void nb_hash_str(nb_hash *h, const char *s, size_t n)
{
	round2(h, (uint64_t)n);
	nb_hash_bytes(h, s, n);
}

void nb_hash_digest(nb_hash *h, nb_digest d)
{
	round2(h, d.lo);
	round2(h, d.hi);
}

nb_digest nb_hash_final(const nb_hash *h)
{
	uint64_t a = nb_hash_mix(h->a ^ rotl(h->b, 17) ^ h->n * P5);
	uint64_t b = nb_hash_mix(h->b ^ rotl(a, 29) ^ h->n);
	return (nb_digest){ a, b };
}

void nb_digest_hex(char out[33], nb_digest d)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		out[i] = digits[d.hi >> (60 - 4 * i) & 15];
		out[16 + i] = digits[d.lo >> (60 - 4 * i) & 15];
	}
	out[32] = '\0';
}
