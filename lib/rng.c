/* rng: see rng.h. */
#include "rng.h"
#include "xalloc.h"

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

void rng_init(struct rng *g, uint64_t seed)
{
	g->r = gsl_rng_alloc(gsl_rng_taus2);
	if (!g->r)
		xalloc_die();
	/* GSL maps seed 0 to its default seed, so mix first to keep every
	 * seed distinct. */
	gsl_rng_set(g->r, (unsigned long)(splitmix64(seed) | 1));
}

void rng_reseed(struct rng *g, uint64_t seed, uint64_t stream)
{
	gsl_rng_set(g->r, (unsigned long)(rng_derive(seed, stream) | 1));
}

void rng_free(struct rng *g)
{
	if (g->r)
		gsl_rng_free(g->r);
	g->r = NULL;
}
