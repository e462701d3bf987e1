/* rng: see rng.h. */
#include "rng.h"
#include "err.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

static uint64_t splitmix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

uint64_t rng_derive(uint64_t seed, uint64_t stream)
{
	return splitmix64(splitmix64(seed) ^ splitmix64(stream + UINT64_C(0x632be59bd9b4e019)));
}

/* Layout of GSL's taus2 state (gsl/rng/taus.c); GSL has kept it since 1996.
 * Checklist: if the generator changes, this must change with it. */
struct taus_state {
	unsigned long s1, s2, s3;
};

/* Seeds all 96 bits of taus2's state from x.  gsl_rng_set would do, but it
 * takes only 32 bits of the seed (through an LCG), so among a few hundred
 * thousand derived streams some would coincide.  Each word must exceed a
 * small minimum (2, 8, 16) for the generator to be full-period. */
static void taus_seed(gsl_rng *r, uint64_t x)
{
	struct taus_state *st = gsl_rng_state(r);
	uint64_t a = splitmix64(x), b = splitmix64(a);

	st->s1 = (unsigned long)(a & 0xffffffffu);
	st->s2 = (unsigned long)(a >> 32);
	st->s3 = (unsigned long)(b & 0xffffffffu);
	if (st->s1 < 2)
		st->s1 += 2;
	if (st->s2 < 8)
		st->s2 += 8;
	if (st->s3 < 16)
		st->s3 += 16;
	/* warm up, as gsl_rng_set does */
	for (int i = 0; i < 6; i++)
		gsl_rng_get(r);
}

void rng_init(struct rng *g, uint64_t seed)
{
	g->r = gsl_rng_alloc(gsl_rng_taus2);
	if (!g->r)
		xalloc_die();
	if (gsl_rng_size(g->r) != sizeof(struct taus_state)) {
		/* not the taus2 GSL this was written for: stop rather than
		 * write past its state */
		fputs("adash: GSL's taus2 generator has an unexpected state layout; rebuild adash against this GSL\n",
		      stderr);
		exit(ADASH_EINTERNAL);
	}
	taus_seed(g->r, splitmix64(seed));
}

void rng_reseed(struct rng *g, uint64_t seed, uint64_t stream)
{
	taus_seed(g->r, rng_derive(seed, stream));
}

void rng_free(struct rng *g)
{
	if (g->r)
		gsl_rng_free(g->r);
	g->r = NULL;
}

uint64_t rng_stream_of(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}
