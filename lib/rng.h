/*
 * rng: seeded random numbers from GSL.
 *
 * Everything random in adash draws from a gsl_rng made here, so the same
 * --seed gives the same bytes on every run.  The generator is GSL's taus2
 * (L'Ecuyer's maximally equidistributed Tausworthe generator): as good as
 * MT19937 for simulation, but with 24 bytes of state instead of 2.5 KB, which
 * matters when every one of a million synthetic users has a stream.  rng_derive() makes
 * independent streams from one seed and a stream number (SplitMix64 mixing),
 * so that, for example, shop 7's synthetic sales are the same whether 10 or
 * 10,000 shops are generated, and partitions can be generated apart.
 * Sampling itself is GSL's (gsl_ran_gaussian, gsl_ran_poisson, ...), called
 * directly on rng->r.
 */
#ifndef ADASH_RNG_H
#define ADASH_RNG_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
	gsl_rng *r;
};

void rng_init(struct rng *g, uint64_t seed);
void rng_free(struct rng *g);
/* Re-seeds g for stream `stream` of `seed`. */
void rng_reseed(struct rng *g, uint64_t seed, uint64_t stream);
/* The seed of stream `stream` of `seed`. */
uint64_t rng_derive(uint64_t seed, uint64_t stream);
/* A stream number named by text (64-bit FNV-1a of a key such as a shop or
 * a user id), so that a key's random draws depend on the key alone, never
 * on which other keys the input holds. */
uint64_t rng_stream_of(const char *s, size_t len);

#endif
