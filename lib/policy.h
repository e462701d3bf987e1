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
 *  - linucb:ALPHA: greedy on scores that carry their own exploration (the
 *    caller adds ALPHA times a bandit model's confidence width); the
 *    choice is deterministic, propensity 1;
 *  - thompson: the scores are themselves a draw (from a bandit model's
 *    posterior, made by the caller once per ranking), the choice greedy on
 *    them.  The propensity has no closed form and is estimated from N
 *    further draws (policy_thompson_propensities): the share of draws in
 *    which the item chosen is the greedy choice among the items available
 *    at its rank, counting the draw that made the ranking as one of N + 1.
 *    Teacher's note: N draws give a share with standard error
 *    sqrt(p (1 - p) / N); counting the ranking's own draw, which chose the
 *    item by definition, adds at most 1 / (N + 1) but keeps the estimate
 *    above 0, which off-policy evaluation divides by, and the shares of
 *    the N + 1 draws over the items available at a rank still sum to
 *    exactly 1 (each draw votes for one item).
 * Each is the probability of the item at this rank given the items still
 * available, so for the policies that draw afresh at every rank (egreedy,
 * softmax) a ranking's probability is the product down the list.
 * thompson ranks every rank by one draw: its propensity below rank 1 is
 * the probability that a draw prefers the item among those left, as if the
 * rank were drawn afresh, not its probability given the ranks above (which
 * depends on them through the shared draw); at rank 1 the two are the
 * same.
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
	double param;        /* egreedy: E in [0, 1]; softmax: T > 0; linucb: alpha >= 0,
	                        or NaN for the bandit model's own */
};

/* Parses "egreedy:0.05", "softmax:0.5", "thompson", "linucb:1", "linucb"
 * (the model's alpha), "none".  -1 with e (code 2). */
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

/* thompson's propensities, estimated: k placements were made greedily on
 * one draw of n scores, placement j choosing pick[j] among the candidates
 * avail[j * n .. j * n + n) (non-zero: available).  draw(ctx, score)
 * writes the n scores of a further draw into score (scratch of n).
 * prop[j] = (1 + the number of the nsamples draws in which pick[j] is the
 * greedy choice among avail_j) / (nsamples + 1). */
void policy_thompson_propensities(size_t n, size_t k, const size_t *pick, const unsigned char *avail,
				  long nsamples, void (*draw)(void *ctx, double *score), void *ctx,
				  double *score, double *prop);

#endif
