/* policy: see policy.h. */
#include "policy.h"

#include "num.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int parse_param(const char *s, double *v)
{
	return num_parse(s, strlen(s), v) == 0 && isfinite(*v) ? 0 : -1;
}

int explore_parse(const char *s, struct explore *x, struct adash_err *e)
{
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);

	memset(x, 0, sizeof *x);
	if (len == 4 && strncmp(s, "none", 4) == 0 && !colon)
		return 0;
	if (len == 8 && strncmp(s, "thompson", 8) == 0 && !colon) {
		x->kind = EXPLORE_THOMPSON;
		return 0;
	}
	if (len == 7 && strncmp(s, "egreedy", 7) == 0) {
		x->kind = EXPLORE_EGREEDY;
		if (colon && parse_param(colon + 1, &x->param) == 0 && x->param >= 0 && x->param <= 1)
			return 0;
		return err_set(e, ADASH_EUSAGE, "--explore: '%s': egreedy:E needs E from 0 to 1", s);
	}
	if (len == 7 && strncmp(s, "softmax", 7) == 0) {
		x->kind = EXPLORE_SOFTMAX;
		if (colon && parse_param(colon + 1, &x->param) == 0 && x->param > 0)
			return 0;
		return err_set(e, ADASH_EUSAGE, "--explore: '%s': softmax:T needs a temperature T above 0", s);
	}
	if (len == 6 && strncmp(s, "linucb", 6) == 0) {
		x->kind = EXPLORE_LINUCB;
		x->param = NAN;   /* the bandit model's alpha */
		if (!colon || (parse_param(colon + 1, &x->param) == 0 && x->param >= 0))
			return 0;
		return err_set(e, ADASH_EUSAGE, "--explore: '%s': linucb:ALPHA needs ALPHA of 0 or more", s);
	}
	return err_set(e, ADASH_EUSAGE,
		       "--explore: '%s' is not none, egreedy:E, softmax:T, thompson, linucb or linucb:ALPHA", s);
}

void explore_name(const struct explore *x, char *out, size_t size)
{
	char v[NUM_FORMAT_MAX];

	num_format(x->param, v);
	switch (x->kind) {
	case EXPLORE_EGREEDY: snprintf(out, size, "egreedy:%s", v); break;
	case EXPLORE_SOFTMAX: snprintf(out, size, "softmax:%s", v); break;
	case EXPLORE_THOMPSON: snprintf(out, size, "thompson"); break;
	case EXPLORE_LINUCB:
		if (isnan(x->param))
			snprintf(out, size, "linucb");
		else
			snprintf(out, size, "linucb:%s", v);
		break;
	default: snprintf(out, size, "none"); break;
	}
}

size_t policy_greedy(const double *score, const unsigned char *avail, size_t n)
{
	size_t best = n;

	for (size_t i = 0; i < n; i++)
		if (avail[i] && (best == n || score[i] > score[best]))
			best = i;
	return best;
}

void policy_probs(const struct explore *x, const double *score, const unsigned char *avail,
		  size_t n, double *prob)
{
	size_t best = policy_greedy(score, avail, n), navail = 0;

	for (size_t i = 0; i < n; i++) {
		prob[i] = 0;
		navail += avail[i] != 0;
	}
	if (best == n)
		return;
	switch (x->kind) {
	case EXPLORE_EGREEDY:
		for (size_t i = 0; i < n; i++)
			if (avail[i])
				prob[i] = x->param / (double)navail + (i == best ? 1 - x->param : 0);
		break;
	case EXPLORE_SOFTMAX: {
		double top = score[best], sum = 0;

		for (size_t i = 0; i < n; i++)
			if (avail[i]) {
				prob[i] = exp((score[i] - top) / x->param);
				sum += prob[i];
			}
		for (size_t i = 0; i < n; i++)
			prob[i] /= sum;
		break;
	}
	default:
		prob[best] = 1;
		break;
	}
}

size_t policy_draw(const struct explore *x, const double *score, const unsigned char *avail,
		   size_t n, gsl_rng *r, double *propensity)
{
	size_t best = policy_greedy(score, avail, n), navail = 0, pick = best;

	*propensity = 1;
	if (best == n)
		return n;
	for (size_t i = 0; i < n; i++)
		navail += avail[i] != 0;
	if (x->kind == EXPLORE_EGREEDY) {
		/* one uniform decides explore or exploit, a second which one */
		if (gsl_rng_uniform(r) < x->param) {
			size_t k = gsl_rng_uniform_int(r, navail);

			for (pick = 0; pick < n; pick++)
				if (avail[pick] && k-- == 0)
					break;
		}
		*propensity = x->param / (double)navail + (pick == best ? 1 - x->param : 0);
	} else if (x->kind == EXPLORE_SOFTMAX) {
		double top = score[best], sum = 0, u, acc = 0;

		for (size_t i = 0; i < n; i++)
			if (avail[i])
				sum += exp((score[i] - top) / x->param);
		u = gsl_rng_uniform(r) * sum;
		for (size_t i = 0; i < n; i++)
			if (avail[i]) {
				double w = exp((score[i] - top) / x->param);

				acc += w;
				pick = i;
				if (u < acc)
					break;
			}
		*propensity = exp((score[pick] - top) / x->param) / sum;
	}
	return pick;
}

void policy_thompson_propensities(size_t n, size_t k, const size_t *pick, const unsigned char *avail,
				  long nsamples, void (*draw)(void *ctx, double *score), void *ctx,
				  double *score, double *prop)
{
	size_t *wins = xcalloc(k + 1, sizeof *wins);

	for (long d = 0; d < nsamples; d++) {
		draw(ctx, score);
		for (size_t j = 0; j < k; j++)
			wins[j] += policy_greedy(score, avail + j * n, n) == pick[j];
	}
	for (size_t j = 0; j < k; j++)
		prop[j] = (double)(wins[j] + 1) / ((double)nsamples + 1);
	free(wins);
}
