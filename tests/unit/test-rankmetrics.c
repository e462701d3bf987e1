/*
 * Unit tests of lib/rankmetrics: NDCG, RR, HR, precision and recall of
 * lists worked by hand (binary and graded gains, a hit at the last rank, a
 * list shorter than K, no hit), a perfect list exactly 1, the ideal DCG
 * cut at K, means over lists and merging, NaN for no lists, and catalog
 * coverage.
 */
#include "rankmetrics.h"
#include "tap.h"

#include <math.h>

/* 1 / log2(r + 1) for r = 2, 3, 4 */
#define D2 0.63092975357145743710
#define D3 0.5
#define D4 0.43067655807339305067

static void test_binary(void)
{
	/* relevant items a, b; the list a, x, b: DCG = 1 + 1/2, IDCG = 1 + D2 */
	double truth[] = { 1, 1 }, gains[] = { 1, 0, 1 };
	struct list_score s;
	double idcg = rank_ideal_dcg(truth, 2, 3);

	is_num(idcg, 1 + D2, 1e-15, "IDCG@3 of two relevant items = 1 + 1/log2(3)");
	rank_list_score(gains, 3, idcg, 2, &s);
	is_num(s.ndcg, 1.5 / (1 + D2), 1e-15, "NDCG@3 of hits at ranks 1 and 3 = 1.5 / 1.6309 = 0.9197");
	is_num(s.ndcg, 0.9197207891481876, 1e-15, "(the number)");
	is_num(s.rr, 1, 0, "RR: the first hit at rank 1");
	is_num(s.hit, 1, 0, "HR: a hit");
	is_num(s.precision, 2.0 / 3, 1e-15, "precision@3 = 2 hits / 3");
	is_num(s.recall, 1, 0, "recall@3 = 2 hits / 2 relevant");

	/* three relevant items, one hit at rank 3 */
	{
		double t3[] = { 1, 1, 1 }, g3[] = { 0, 0, 1 };
		double id3 = rank_ideal_dcg(t3, 3, 3);

		rank_list_score(g3, 3, id3, 3, &s);
		is_num(id3, 1 + D2 + D3, 1e-15, "IDCG@3 of three = 1 + 1/log2(3) + 1/2");
		is_num(s.ndcg, 0.5 / (1 + D2 + D3), 1e-15, "NDCG@3 of one hit at rank 3 = 0.2346");
		is_num(s.rr, 1.0 / 3, 1e-15, "RR = 1/3");
		is_num(s.precision, 1.0 / 3, 1e-15, "precision@3 = 1/3");
		is_num(s.recall, 1.0 / 3, 1e-15, "recall@3 = 1/3");
	}

	/* more relevant items than K: the ideal list is cut at K */
	{
		double t5[] = { 1, 1, 1, 1, 1 }, g2[] = { 1, 1 };
		double id2 = rank_ideal_dcg(t5, 5, 2);

		is_num(id2, 1 + D2, 1e-15, "IDCG@2 of five relevant items counts two");
		rank_list_score(g2, 2, id2, 5, &s);
		is_num(s.ndcg, 1, 0, "two hits in two ranks: NDCG@2 = 1");
		is_num(s.recall, 2.0 / 5, 1e-15, "but recall@2 = 2/5");
		is_num(s.precision, 1, 0, "and precision@2 = 1");
	}

	/* no hit */
	{
		double t1[] = { 1 }, g0[] = { 0, 0, 0, 0 };
		double id1 = rank_ideal_dcg(t1, 1, 4);

		rank_list_score(g0, 4, id1, 1, &s);
		ok(s.ndcg == 0 && s.rr == 0 && s.hit == 0 && s.precision == 0 && s.recall == 0,
		   "a list without a hit scores 0 everywhere");
	}

	/* a list shorter than K: the empty ranks are misses */
	{
		double t1[] = { 1 }, g[] = { 1, 0, 0, 0, 0 };
		double id1 = rank_ideal_dcg(t1, 1, 5);

		rank_list_score(g, 5, id1, 1, &s);
		is_num(s.ndcg, 1, 0, "one item, placed first: NDCG@5 = 1");
		is_num(s.precision, 0.2, 1e-15, "precision@5 of a one-item list = 1/5");
	}
}

static void test_graded(void)
{
	/* gains 3, 2, 1 (item order c, a, b); the list a, c, x, b:
	 *   DCG  = 2/1 + 3/log2(3) + 0 + 1/log2(5)
	 *   IDCG = 3/1 + 2/log2(3) + 1/log2(4) */
	double truth[] = { 2, 1, 3 }, gains[] = { 2, 3, 0, 1 };
	double dcg = 2 + 3 * D2 + 1 * D4, idcg_want = 3 + 2 * D2 + 1 * D3;
	double idcg = rank_ideal_dcg(truth, 3, 4);
	struct list_score s;

	is_num(idcg, idcg_want, 1e-14, "graded IDCG@4 = 3 + 2/log2(3) + 1/2 = 4.7619");
	ok(truth[0] == 3 && truth[1] == 2 && truth[2] == 1, "the gains are sorted from the highest");
	rank_list_score(gains, 4, idcg, 3, &s);
	is_num(s.ndcg, dcg / idcg_want, 1e-14, "graded NDCG@4 = 4.3235 / 4.7619");
	is_num(s.ndcg, 0.9079364505194771, 1e-14, "(the number)");
	is_num(s.recall, 1, 0, "every relevant item placed: recall 1");
	is_num(s.precision, 0.75, 0, "3 hits in 4 ranks");

	/* the ideal order: exactly 1 */
	{
		double t[] = { 0.5, 7, 2.25 }, g[] = { 7, 2.25, 0.5 };
		double id = rank_ideal_dcg(t, 3, 3);

		rank_list_score(g, 3, id, 3, &s);
		ok(s.ndcg == 1, "a perfect graded ranking has NDCG exactly 1");
	}
}

static void test_perfect(void)
{
	/* perfect lists of every length up to 20 at K = 10: NDCG is exactly 1 */
	int all = 1;

	for (size_t n = 1; n <= 20; n++) {
		double t[20], g[10];
		struct list_score s;

		for (size_t i = 0; i < 20; i++)
			t[i] = 1;
		for (size_t r = 0; r < 10; r++)
			g[r] = r < n ? 1 : 0;
		rank_list_score(g, 10, rank_ideal_dcg(t, n, 10), n, &s);
		all &= s.ndcg == 1 && s.hit == 1 && s.rr == 1;
	}
	ok(all, "perfect binary rankings of 1..20 relevant items: NDCG@10 = 1 exactly");
}

static void test_means(void)
{
	struct rank_metrics a, b;
	struct list_score s1 = { 1, 1, 1, 0.5, 1 }, s2 = { 0.25, 1.0 / 3, 1, 0.25, 0.5 },
			  s3 = { 0, 0, 0, 0, 0 };

	rank_metrics_init(&a);
	ok(isnan(rank_metrics_ndcg(&a)) && isnan(rank_metrics_mrr(&a)) && isnan(rank_metrics_hr(&a)) &&
	   isnan(rank_metrics_precision(&a)) && isnan(rank_metrics_recall(&a)),
	   "no lists: every measure NaN");
	rank_metrics_add(&a, &s1);
	rank_metrics_init(&b);
	rank_metrics_add(&b, &s2);
	rank_metrics_add(&b, &s3);
	rank_metrics_merge(&a, &b);
	is_int(a.n, 3, "three lists after a merge");
	is_num(rank_metrics_ndcg(&a), 1.25 / 3, 1e-15, "NDCG: mean over lists");
	is_num(rank_metrics_mrr(&a), (1 + 1.0 / 3) / 3, 1e-15, "MRR = (1 + 1/3 + 0) / 3 = 4/9");
	is_num(rank_metrics_hr(&a), 2.0 / 3, 1e-15, "HR = 2/3");
	is_num(rank_metrics_precision(&a), 0.75 / 3, 1e-15, "precision: mean");
	is_num(rank_metrics_recall(&a), 0.5, 1e-15, "recall: mean");
}

static void test_coverage(void)
{
	struct coverage c;

	coverage_init(&c);
	ok(isnan(coverage_value(&c, 0)), "coverage of an empty catalog is NaN");
	is_num(coverage_value(&c, 4), 0, 0, "nothing placed: 0");
	coverage_add(&c, "w1", 2);
	coverage_add(&c, "w2", 2);
	coverage_add(&c, "w1", 2);
	coverage_add(&c, "w3", 2);
	is_num(coverage_value(&c, 4), 0.75, 0, "3 distinct items of 4, a repeat counted once");
	coverage_free(&c);
}

int main(void)
{
	test_binary();
	test_graded();
	test_perfect();
	test_means();
	test_coverage();
	return tap_done();
}
