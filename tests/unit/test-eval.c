/*
 * Unit tests of lib/eval, the driver of adash-eval, on small files worked
 * by hand: regression through point_metrics with MASE from a scale per key
 * and interval coverage, per group and for all; classification with all
 * predictions tied (AUC 0.5) and its calibration table; ranking with a
 * perfect list (NDCG 1), a worked list, a truth user without a list and a
 * list without truth, and an empty truth (header only, and no bytes);
 * policy on a four-row log; and the table's undefined measures left
 * empty.
 */
#include "eval.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/adash-test-eval.XXXXXX";
static char pathbuf[8][256];
static int npaths;

/* Writes text to a file NAME in the scratch directory; returns its path. */
static const char *file(const char *name, const char *text)
{
	char *path = pathbuf[npaths++ % 8];
	FILE *f;

	snprintf(path, sizeof pathbuf[0], "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void options(struct eval_options *o, int mode)
{
	static struct progress quiet;   /* not enabled */

	memset(o, 0, sizeof *o);
	o->io.progress = &quiet;
	o->mode = mode;
	o->time = "date";
	o->target = "sales";
	o->pred = "pred";
	o->label = "label";
	o->score = "score";
	o->season = 7;
	o->bootstrap = 0;
	o->level = 0.95;
	o->io.header = 1;
	o->io.prog = "test-eval";
}

/* Runs eval on the one input; the table's text, or NULL with e.  Free it. */
static char *run(const struct eval_options *o, const char *input, struct adash_err *e)
{
	char *inputs[2] = { (char *)input, NULL }, *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int rc = eval_run(o, inputs, out, e);

	fclose(out);
	if (rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The value in a CSV table of the row of group and the column col: NaN
 * when empty, -999 when there is no such cell. */
static double cell(const char *table, const char *group, const char *col)
{
	const char *line = strchr(table, '\n'), *p;
	size_t want = 0, len = strlen(group), i = 0;

	if (!line)
		return -999;
	for (p = table; p < line; p++)
		if (*p == ',')
			i++;
		else if (strncmp(p, col, strlen(col)) == 0 && (p == table || p[-1] == ',') &&
			 (p[strlen(col)] == ',' || p[strlen(col)] == '\n'))
			want = i;
	for (line++; *line; line = strchr(line, '\n') + 1) {
		if (strncmp(line, group, len) == 0 && line[len] == ',') {
			p = line;
			for (i = 0; i < want; i++)
				p = strchr(p, ',') + 1;
			return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
		}
	}
	return -999;
}

static void test_regression(void)
{
	struct eval_options o;
	struct adash_err e;
	char *t;
	const char *fc = file("fc.csv",
		"shop_id,date,step,pred,lo,hi\n"
		"a,2024-01-08,1,12,8,14\n"
		"a,2024-01-09,2,17,15,19\n"
		"b,2024-01-08,1,1,0,2\n"
		"b,2024-01-09,2,5,4,6\n"
		"b,2024-01-10,3,5,4,6\n");

	/* errors f - y: a: 2, -3; b: 1, 0 (b's actual 0 is skipped by MAPE).
	 * Season 1 scales: a |12 - 10| and |14 - 12|: 2; b only the pair of
	 * days 1 and 2 (day 3 is missing): 1.  Scaled errors: a 1, 1.5; b 1, 0. */
	options(&o, EVAL_REGRESSION);
	o.truth_path = file("truth.csv",
		"shop_id,date,sales\n"
		"a,2024-01-08,10\na,2024-01-09,20\nb,2024-01-08,0\nb,2024-01-09,5\n");
	o.history_path = file("hist.csv",
		"shop_id,date,sales\n"
		"a,2024-01-01,10\na,2024-01-02,12\na,2024-01-03,14\n"
		"b,2024-01-01,4\nb,2024-01-02,5\nb,2024-01-04,7\n");
	o.key = "shop_id";
	o.season = 1;
	o.by = "shop_id";
	t = run(&o, fc, &e);
	is_str(t,
	       "group,n,mae,rmse,bias,mape,mape_skipped,smape,mase,coverage,width\n"
	       "a,2,2.5,2.5495097567963922,-0.5,17.5,0,17.1990171990172,1.25,0.5,5\n"
	       "b,2,0.5,0.7071067811865476,0.5,0,1,100,0.5,1,2\n"
	       "all,4,1.5,1.8708286933869707,0,11.666666666666666,1,58.599508599508596,0.875,0.75,3.5\n",
	       "regression by key: MAE, RMSE, bias, MAPE skipping a zero actual, sMAPE, MASE per key, coverage and width");
	free(t);

	/* without --history MASE is empty; a key without history too */
	o.by = NULL;
	o.history_path = file("hist.csv", "shop_id,date,sales\na,2024-01-01,10\na,2024-01-02,12\n");
	t = run(&o, fc, &e);
	is_str(t,
	       "group,n,mae,rmse,bias,mape,mape_skipped,smape,mase,coverage,width\n"
	       "all,4,1.5,1.8708286933869707,0,11.666666666666666,1,58.599508599508596,,0.75,3.5\n",
	       "a key without a scale leaves all's MASE empty, not 0");
	free(t);

	/* a second truth row for a key and date is an error */
	o.truth_path = file("truth.csv", "shop_id,date,sales\na,2024-01-08,10\na,2024-01-08,11\n");
	t = run(&o, fc, &e);
	ok(t == NULL && e.code == 1 && strstr(e.msg, "truth.csv:3:"), "a repeated truth row: exit 1 naming line 3 (%s)", e.msg);
	free(t);

	/* no matching truth at all: n 0 and every measure empty */
	o.truth_path = file("truth.csv", "shop_id,date,sales\n");
	o.history_path = NULL;
	t = run(&o, fc, &e);
	is_str(t,
	       "group,n,mae,rmse,bias,mape,mape_skipped,smape,mase,coverage,width\n"
	       "all,0,,,,,0,,,,\n",
	       "empty truth: n 0, measures empty");
	free(t);
}

static void test_classification(void)
{
	struct eval_options o;
	struct adash_err e;
	char *t, *cal;
	FILE *f;
	size_t len;

	options(&o, EVAL_CLASSIFICATION);
	o.calibration_path = file("cal.csv", "");
	t = run(&o, file("ties.csv", "label,score\n1,0.3\n0,0.3\ntrue,0.3\nfalse,0.3\n0,0.3\n"), &e);
	is_num(cell(t, "all", "n"), 5, 0, "five rows");
	is_num(cell(t, "all", "positives"), 2, 0, "two positive");
	is_num(cell(t, "all", "auc"), 0.5, 0, "all predictions tied: AUC exactly 0.5");
	is_num(cell(t, "all", "logloss"), -(2 * log(0.3) + 3 * log(0.7)) / 5, 1e-15,
	       "log loss = -(2 ln 0.3 + 3 ln 0.7) / 5");
	is_num(cell(t, "all", "brier"), (2 * 0.49 + 3 * 0.09) / 5, 1e-15, "Brier = (2 0.7^2 + 3 0.3^2) / 5");
	free(t);
	f = fopen(o.calibration_path, "r");
	cal = calloc(4096, 1);
	len = f ? fread(cal, 1, 4095, f) : 0;
	if (f)
		fclose(f);
	ok(len > 0 && strstr(cal, "all,4,0.3,0.4,5,0.3,0.4\n") != NULL,
	   "calibration: the bin [0.3, 0.4) has 5 rows, mean 0.3, 2/5 positive");
	ok(strstr(cal, "all,1,0,0.1,0,,\n") != NULL, "an empty bin has empty means");
	free(cal);

	o.calibration_path = NULL;
	t = run(&o, file("one.csv", "label,score\n1,0.9\n1,0.2\n"), &e);
	ok(t && isnan(cell(t, "all", "auc")), "one class only: AUC empty");
	is_num(cell(t, "all", "logloss"), -(log(0.9) + log(0.2)) / 2, 1e-15, "log loss of two positives");
	is_num(cell(t, "all", "brier"), (0.01 + 0.64) / 2, 1e-15, "Brier of two positives");
	free(t);
}

static void test_ranking(void)
{
	struct eval_options o;
	struct adash_err e;
	char *t;
	const char *layout = file("layout.csv",
		"user_id,rank,item_id,score,propensity,policy\n"
		"u1,1,a,1,1,score\nu1,2,x,1,1,score\nu1,3,b,1,1,score\n"
		"u2,1,c,1,1,score\nu2,2,d,1,1,score\n"
		"u3,1,a,1,1,score\n");

	/* u1: hits at 1 and 3 of {a, b}: NDCG 1.5 / (1 + 1/log2 3);
	 * u2: its one item first: 1; u4: truth, no list: 0; u3: no truth. */
	options(&o, EVAL_RANKING);
	o.k = 3;
	o.truth_path = file("rt.csv", "user_id,item_id\nu1,a\nu1,b\nu2,c\nu4,z\n");
	t = run(&o, layout, &e);
	is_str(t,
	       "group,n,k,ndcg,mrr,hr,precision,recall,coverage,users_without_truth,users_without_layout\n"
	       "all,3,3,0.6399069297160626,0.6666666666666666,0.6666666666666666,0.3333333333333333,0.6666666666666666,0.8333333333333334,1,1\n",
	       "ranking: NDCG (0.9197 + 1 + 0) / 3, MRR, HR, precision, recall, coverage 5/6");
	free(t);

	/* a perfect ranking */
	o.truth_path = file("rt.csv", "user_id,item_id\nu1,a\nu1,x\nu2,c\nu3,a\n");
	t = run(&o, layout, &e);
	ok(t && strstr(t, "\nall,3,3,1,1,1,") != NULL, "every relevant item first: NDCG 1, MRR 1, HR 1");
	free(t);

	/* an empty truth: every list is without truth, nothing to average */
	o.truth_path = file("rt.csv", "user_id,item_id\n");
	t = run(&o, layout, &e);
	is_str(t,
	       "group,n,k,ndcg,mrr,hr,precision,recall,coverage,users_without_truth,users_without_layout\n"
	       "all,0,3,,,,,,1,3,0\n",
	       "empty truth (a header): n 0, measures empty, every list counted without truth");
	free(t);
	o.truth_path = file("rt.csv", "");
	t = run(&o, layout, &e);
	ok(t && strstr(t, "\nall,0,3,,,,,,1,3,0\n"), "an empty truth file (no bytes) likewise");
	free(t);

	/* graded gains */
	o.truth_path = file("rt.csv", "user_id,item_id,minutes\nu1,b,3\nu1,a,1\nu1,a,1\n");
	o.gain = "minutes";
	o.k = 2;
	t = run(&o, file("l2.csv", "user_id,rank,item_id\nu1,1,a\nu1,2,b\n"), &e);
	/* gains a 2 (1 + 1), b 3: DCG 2 + 3/log2 3, IDCG 3 + 2/log2 3 */
	ok(t && strstr(t, "\nall,1,2,0.9134015924715543,1,1,1,1,1,0,0\n") != NULL,
	   "graded gains add up for a repeated pair: NDCG (2 + 3/log2 3) / (3 + 2/log2 3)");
	free(t);
}

static void test_policy(void)
{
	struct eval_options o;
	struct adash_err e;
	char *t;

	options(&o, EVAL_POLICY);
	o.logged_path = file("logged.csv",
		"user_id,item_id,rank,propensity,reward\n"
		"u1,a,1,0.5,1\nu2,b,1,0.25,0\nu3,c,1,0.8,1\nu4,d,1,0.1,1\nu9,e,1,0.5,1\n");
	t = run(&o, file("new.csv",
		"user_id,rank,item_id,score,propensity,policy\n"
		"u1,1,a,1,1,score\nu2,1,b,1,1,score\nu3,1,x,1,1,score\nu3,2,c,1,1,score\nu4,1,d,1,1,score\n"),
		&e);
	is_str(t,
	       "group,n,matched,logged_reward,ips,ips_lo,ips_hi,snips,snips_lo,snips_hi,ess\n"
	       "all,4,3,0.75,3,,,0.75,,,2.1333333333333333\n",
	       "policy: IPS 12/4, SNIPS 12/16, ESS 256/120; u9 without a layout left out");
	free(t);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		ok(0, "temporary directory");
		return tap_done();
	}
	test_regression();
	test_classification();
	test_ranking();
	test_policy();
	{
		static const char *const names[] = {
			"fc.csv", "truth.csv", "hist.csv", "cal.csv", "ties.csv", "one.csv", "layout.csv",
			"rt.csv", "l2.csv", "logged.csv", "new.csv"
		};
		char path[256];

		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	return tap_done();
}
