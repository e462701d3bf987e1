/*
 * policy: how a ranking is drawn from scores, one rank at a time, and the
 * exact probability of each draw (its propensity), which off-policy
 * evaluation needs to weigh logged outcomes.
 *
 * At each rank the policy chooses among the candidates still available:
 *  - greedy: the highest score (ties: the earliest candidate); propensity 1;
 *  - egreedy:E: with probability 1 - E the greedy choice, else one of the n
 *    available uniformly, so p(i) = (1 - E) [i greedy] + E / n;
 *  - softmax:T: p(i) = exp(s_i / T) / sum over available j of exp(s_j / T)
 *    (Plackett-Luce), computed from s - max(s) so that no exp overflows;
 *  - thompson: the scores are themselves a draw (from a model's posterior,
 *    made by the caller once per ranking), the choice greedy on them; the
 *    propensity is estimated by the caller from more draws (adash-rank
 *    --propensity-samples), since it has no closed form.
 * Each is the probability of the item at this rank given the earlier ranks,
 * so a ranking's probability is the product down the list.
 *
 * Rejected: sampling a whole permutation at once (Gumbel top-k) and
 * computing propensities apart: a rank-by-rank draw keeps the draw and its
 * probability in one place, and lets constraints (--max-per) change the
 * available set between ranks.
 */
#ifndef ADASH_POLICY_H
#define ADASH_POLICY_H

#include "err.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

enum explore_kind { EXPLORE_NONE = 0, EXPLORE_EGREEDY, EXPLORE_SOFTMAX, EXPLORE_THOMPSON,
		    EXPLORE_LINUCB };

struct explore {
	int kind;
	double param;        /* egreedy: E in [0, 1]; softmax: T > 0; linucb: alpha >= 0 */
};

/* Parses "egreedy:0.05", "softmax:0.5", "thompson", "linucb:1", "none".
 * -1 with e (code 2). */
int explore_parse(const char *s, struct explore *x, struct adash_err *e);
/* The canonical text of x ("egreedy:0.05"), into out (at least 48 bytes). */
void explore_name(const struct explore *x, char *out, size_t size);

/* The greedy choice among available candidates (avail[i] != 0): the
 * highest score, ties to the lowest index; n when none is available. */
size_t policy_greedy(const double *score, const unsigned char *avail, size_t n);

/* Fills prob[i] with the probability that candidate i takes the next rank
 * (0 for unavailable ones).  For thompson and linucb the choice given the
 * scores is greedy. */
void policy_probs(const struct explore *x, const double *score, const unsigned char *avail,
		  size_t n, double *prob);

/* Draws the next rank's candidate with r and sets *propensity to its
 * probability (policy_probs' value); n when none is available. */
size_t policy_draw(const struct explore *x, const double *score, const unsigned char *avail,
		   size_t n, gsl_rng *r, double *propensity);

#endif
