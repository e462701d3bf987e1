/*
 * Unit tests of lib/policy: the propensities of egreedy and softmax are
 * probabilities (they sum to 1 over the candidates that can take a rank, 0
 * elsewhere) and they are the truth: over 100,000 seeded draws the share of
 * each candidate at the first and at the second rank (given the first)
 * matches the reported propensity within 1 percentage point, and within 5
 * standard errors (sqrt(p (1 - p) / draws), about 0.0013 at p = 0.2), which
 * is the sharper test; greedy ties go to the earliest candidate; parsing.
 * thompson's estimated propensities against a count made here over a fixed
 * sequence of score draws, summing to exactly 1 over the candidates
 * available at a rank.
 */
#include "policy.h"
#include "tap.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 6
#define DRAWS 100000

static const double score[N] = { 0.2, 1.5, -0.3, 1.5, 0.9, 0.0 };

/* A frequency's deviation from p as a share of what is allowed: 1
 * percentage point, and 5 standard errors of a frequency over DRAWS draws
 * (a probability of 0 or 1 allows no deviation at all). */
static double deviation(double dev, double p)
{
	double se = sqrt(p * (1 - p) / DRAWS), allowed = fmin(0.01, 5 * se);

	if (allowed == 0)
		return dev == 0 ? 0 : INFINITY;
	return dev / allowed;
}

static void check_policy(const char *spec)
{
	struct explore x;
	struct adash_err e;
	unsigned char avail[N];
	double prob[N], sum = 0, count[N] = { 0 }, worst = 0;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	int bad_prop = 0;

	gsl_rng_set(r, 12345);
	explore_parse(spec, &x, &e);
	memset(avail, 1, sizeof avail);
	avail[5] = 0; /* one candidate not available (placed, or capped) */
	policy_probs(&x, score, avail, N, prob);
	for (int i = 0; i < N; i++)
		sum += prob[i];
	is_num(sum, 1, 1e-12, "%s: propensities of the available candidates sum to 1", spec);
	is_num(prob[5], 0, 0, "%s: an unavailable candidate has probability 0", spec);
	for (int d = 0; d < DRAWS; d++) {
		double pr;
		size_t k = policy_draw(&x, score, avail, N, r, &pr);

		count[k]++;
		bad_prop += fabs(pr - prob[k]) > 1e-15;
	}
	is_int(bad_prop, 0, "%s: every draw reports its candidate's probability", spec);
	for (int i = 0; i < N; i++) {
		double dev = fabs(count[i] / DRAWS - prob[i]);

		if (deviation(dev, prob[i]) > worst)
			worst = deviation(dev, prob[i]);
	}
	ok(worst <= 1, "%s: frequencies over %d draws match the propensities at rank 1 (worst deviation %.2f of the allowed)",
	   spec, DRAWS, worst);

	/* rank 2 given rank 1 = candidate 1 */
	avail[1] = 0;
	policy_probs(&x, score, avail, N, prob);
	memset(count, 0, sizeof count);
	for (int d = 0; d < DRAWS; d++) {
		double pr;

		count[policy_draw(&x, score, avail, N, r, &pr)]++;
	}
	worst = 0;
	for (int i = 0; i < N; i++) {
		double dev = fabs(count[i] / DRAWS - prob[i]);

		if (deviation(dev, prob[i]) > worst)
			worst = deviation(dev, prob[i]);
	}
	ok(worst <= 1, "%s: and at rank 2 given rank 1 (worst %.2f of the allowed)", spec, worst);
	gsl_rng_free(r);
}

static void test_greedy(void)
{
	unsigned char avail[N];
	double prob[N], pr;
	struct explore x;
	struct adash_err e;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	memset(avail, 1, sizeof avail);
	is_int(policy_greedy(score, avail, N), 1, "greedy: the highest score, the earliest of a tie");
	memset(avail, 0, sizeof avail);
	is_int(policy_greedy(score, avail, N), N, "greedy with nothing available: n");
	explore_parse("none", &x, &e);
	memset(avail, 1, sizeof avail);
	policy_probs(&x, score, avail, N, prob);
	ok(prob[1] == 1 && prob[3] == 0, "no exploration: probability 1 for the greedy choice");
	is_int(policy_draw(&x, score, avail, N, r, &pr), 1, "and the draw is it");
	is_num(pr, 1, 0, "with propensity 1");
	explore_parse("egreedy:0", &x, &e);
	is_int(policy_draw(&x, score, avail, N, r, &pr), 1, "egreedy:0 is greedy");
	gsl_rng_free(r);
}

static void test_parse(void)
{
	struct explore x;
	struct adash_err e;
	char name[48];
	static const char *const bad[] = { "egreedy", "egreedy:1.5", "egreedy:-0.1", "softmax:0",
					   "softmax", "linucb:-1", "linucb:", "linucb:nan", "thompson:2", "greedy", "" };

	ok(explore_parse("softmax:0.25", &x, &e) == 0 && x.kind == EXPLORE_SOFTMAX && x.param == 0.25,
	   "softmax:0.25 parses");
	explore_name(&x, name, sizeof name);
	is_str(name, "softmax:0.25", "and names itself back");
	ok(explore_parse("linucb:1", &x, &e) == 0 && x.kind == EXPLORE_LINUCB, "linucb:1 parses");
	ok(explore_parse("thompson", &x, &e) == 0 && x.kind == EXPLORE_THOMPSON, "thompson parses");
	ok(explore_parse("linucb", &x, &e) == 0 && x.kind == EXPLORE_LINUCB && isnan(x.param),
	   "linucb alone parses: the model's alpha");
	explore_name(&x, name, sizeof name);
	is_str(name, "linucb", "and names itself linucb");
	ok(explore_parse("linucb:0.5", &x, &e) == 0 && x.param == 0.5, "linucb:0.5 parses");
	explore_name(&x, name, sizeof name);
	is_str(name, "linucb:0.5", "and names itself back");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(explore_parse(bad[i], &x, &e) < 0 && e.code == 2, "'%s' is refused (exit 2)", bad[i]);
}

/* thompson: a fixed cycle of score draws of 4 candidates. */
#define NT 4
#define NCYCLE 7

static const double cycle[NCYCLE][NT] = {
	{ 3, 1, 2, 0 }, { 1, 3, 2, 0 }, { 2, 1, 3, 0 }, { 3, 2, 1, 0 },
	{ 0, 1, 2, 3 }, { 3, 0, 2, 1 }, { 1, 2, 0, 3 },
};

static void cycle_draw(void *ctx, double *out)
{
	size_t *k = ctx;

	memcpy(out, cycle[*k % NCYCLE], sizeof cycle[0]);
	++*k;
}

static void test_thompson(void)
{
	enum { NS = 700 };   /* 100 cycles */
	/* two placements: candidate 0 first, then 2 among 1, 2 (3 is capped) */
	static const unsigned char avail[2 * NT] = { 1, 1, 1, 1, 0, 1, 1, 0 };
	size_t pick[2] = { 0, 2 }, k = 0, best;
	double prop[2], scratch[NT], sum = 0;
	long wins0 = 0, wins1 = 0;

	for (int d = 0; d < NCYCLE; d++) {
		best = 0;
		for (size_t i = 1; i < NT; i++)
			if (cycle[d][i] > cycle[d][best])
				best = i;
		wins0 += best == 0;
		wins1 += cycle[d][2] > cycle[d][1];
	}
	policy_thompson_propensities(NT, 2, pick, avail, NS, cycle_draw, &k, scratch, prop);
	is_int(k, NS, "thompson: %d further draws", NS);
	is_num(prop[0], (1 + 100.0 * (double)wins0) / (NS + 1), 1e-15,
	       "rank 1: (1 + draws preferring the item) / (N + 1)");
	is_num(prop[1], (1 + 100.0 * (double)wins1) / (NS + 1), 1e-15,
	       "rank 2: among the candidates still available only");
	for (size_t i = 0; i < NT; i++) {
		size_t p1 = i;

		k = 0;
		policy_thompson_propensities(NT, 1, &p1, avail, NS, cycle_draw, &k, scratch, prop);
		sum += prop[0] - 1.0 / (NS + 1);   /* less the ranking draw's vote */
	}
	is_num(sum + 1.0 / (NS + 1), 1, 1e-12,
	       "the shares of the N + 1 draws over the candidates at a rank sum to 1 (the ranking draw votes once)");
	k = 0;
	pick[0] = 3;
	policy_thompson_propensities(NT, 1, pick, avail, 1, cycle_draw, &k, scratch, prop);
	is_num(prop[0], 0.5, 0, "never 0: one draw that does not prefer it gives 1/2");
}

int main(void)
{
	check_policy("egreedy:0.2");
	check_policy("egreedy:1");
	check_policy("softmax:0.5");
	check_policy("softmax:5");
	test_greedy();
	test_parse();
	test_thompson();
	return tap_done();
}
