/*
 * rankmetrics: see rankmetrics.h.
 *
 * The discount 1 / log2(r + 1) is computed as M_LN2 / log1p(r), exact
 * enough and the same bytes on every run; rank 1 has discount 1.  The
 * ideal list needs the user's K highest gains only, but users have few
 * relevant items, so a full sort (gsl_sort, then read from the top) is
 * simpler than a selection and as fast.
 */
#include "rankmetrics.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

static double discount(size_t rank)
{
	return M_LN2 / log1p((double)rank);
}

double rank_ideal_dcg(double *g, size_t n, size_t k)
{
	struct kahan s = { 0, 0 };

	if (n == 0)
		return 0;
	gsl_sort(g, 1, n);
	/* ascending: reverse, so that g reads from the highest */
	for (size_t i = 0, j = n - 1; i < j; i++, j--) {
		double t = g[i];

		g[i] = g[j];
		g[j] = t;
	}
	for (size_t r = 1; r <= k && r <= n; r++)
		kahan_add(&s, g[r - 1] * discount(r));
	return kahan_value(&s);
}

void rank_list_score(const double *gains, size_t k, double idcg, size_t nrelevant,
		     struct list_score *s)
{
	struct kahan dcg = { 0, 0 };
	size_t hits = 0;

	memset(s, 0, sizeof *s);
	for (size_t r = 1; r <= k; r++) {
		if (!(gains[r - 1] > 0))
			continue;
		kahan_add(&dcg, gains[r - 1] * discount(r));
		if (hits++ == 0)
			s->rr = 1.0 / (double)r;
	}
	s->hit = hits > 0;
	s->precision = k ? (double)hits / (double)k : 0;
	s->recall = nrelevant ? (double)hits / (double)nrelevant : 0;
	/* a list with the ideal gains at the ideal ranks sums the same terms
	 * in the same order as rank_ideal_dcg: exactly 1 */
	s->ndcg = idcg > 0 ? kahan_value(&dcg) / idcg : 0;
}

void rank_metrics_init(struct rank_metrics *m)
{
	memset(m, 0, sizeof *m);
}

void rank_metrics_add(struct rank_metrics *m, const struct list_score *s)
{
	m->n++;
	kahan_add(&m->ndcg, s->ndcg);
	kahan_add(&m->rr, s->rr);
	kahan_add(&m->hit, s->hit);
	kahan_add(&m->precision, s->precision);
	kahan_add(&m->recall, s->recall);
}

void rank_metrics_merge(struct rank_metrics *a, const struct rank_metrics *b)
{
	a->n += b->n;
	kahan_merge(&a->ndcg, &b->ndcg);
	kahan_merge(&a->rr, &b->rr);
	kahan_merge(&a->hit, &b->hit);
	kahan_merge(&a->precision, &b->precision);
	kahan_merge(&a->recall, &b->recall);
}

double rank_metrics_ndcg(const struct rank_metrics *m)
{
	return kahan_mean(&m->ndcg, m->n);
}

double rank_metrics_mrr(const struct rank_metrics *m)
{
	return kahan_mean(&m->rr, m->n);
}

double rank_metrics_hr(const struct rank_metrics *m)
{
	return kahan_mean(&m->hit, m->n);
}

double rank_metrics_precision(const struct rank_metrics *m)
{
	return kahan_mean(&m->precision, m->n);
}

double rank_metrics_recall(const struct rank_metrics *m)
{
	return kahan_mean(&m->recall, m->n);
}

void coverage_init(struct coverage *c)
{
	hashmap_init(&c->items);
}

void coverage_add(struct coverage *c, const char *item, size_t len)
{
	hashmap_put(&c->items, item, len, NULL);
}

double coverage_value(const struct coverage *c, size_t catalog_size)
{
	if (catalog_size == 0)
		return NAN;
	return (double)hashmap_count(&c->items) / (double)catalog_size;
}

void coverage_free(struct coverage *c)
{
	hashmap_free(&c->items, NULL);
}
