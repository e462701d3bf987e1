/*
 * adash-train: fit a model validated on time and write it as one JSON
 * model file, or add new rows to a bandit model's statistics (--update).
 * The training is lib/train.c over lib/regress.c, lib/classify.c and
 * lib/bandit.c; the file is lib/model.c; this file is options and wiring.
 */
#include "classify.h"
#include "cli.h"
#include "model.h"
#include "partial.h"
#include "regress.h"
#include "table.h"
#include "train.h"
#include "xalloc.h"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_OUTPUT = 'o',
	OPT_TARGET = 0x100, OPT_ALGO, OPT_KEY, OPT_TIME, OPT_BY, OPT_NO_POOLED, OPT_MIN_ROWS,
	OPT_FEATURES, OPT_EXCLUDE, OPT_CATEGORICAL, OPT_LAMBDA, OPT_LOG_TARGET,
	OPT_HALF_LIFE, OPT_CV, OPT_SEASON, OPT_C, OPT_EPSILON, OPT_PENALTY, OPT_COST, OPT_CLASS_WEIGHT,
	OPT_ALPHA, OPT_UPDATE, OPT_PARTIAL, OPT_MERGE, OPT_SAMPLE, OPT_BLOCK_ROWS
};

static const struct cli_option options[] = {
	{ OPT_TARGET, "target", 0, "COL", "the column to predict (required, but with --update)" },
	{ OPT_ALGO, "algo", 0, "NAME", "ols, ridge (default), huber, svr, logreg (a 0/1 target), or the bandits linucb and thompson" },
	{ OPT_OUTPUT, "output", 'o', "FILE", "write the model to FILE (required, but with --update; written atomically)" },
	{ OPT_UPDATE, "update", 0, "MODEL", "add the input's rows to bandit MODEL's statistics; written back to MODEL unless -o" },
	{ OPT_PARTIAL, "partial", 0, NULL, "ols, ridge, linucb, thompson: write the input's sufficient statistics to -o, for --merge" },
	{ OPT_MERGE, "merge", 0, NULL, "the operands are --partial files: merge them and solve into the model -o" },
	{ OPT_BLOCK_ROWS, "block-rows", 0, "N", "with --partial: read N rows at a time (default 65536); memory is one block and the statistics" },
	{ OPT_SAMPLE, "sample", 0, "FRACTION", "train on a seeded Bernoulli sample of the rows (by row content, --seed N)" },
	{ OPT_KEY, "key", 0, "COL", "series key column (default: --by, else the one text column)" },
	{ OPT_TIME, "time", 0, "COL", "date or timestamp column for folds, MASE and weights (default date, else asof)" },
	{ OPT_BY, "by", 0, "COL", "one model per group of COL, plus a pooled model for the rest" },
	{ OPT_NO_POOLED, "no-pooled", 0, NULL, "with --by: no pooled fallback (unknown groups are then an error)" },
	{ OPT_MIN_ROWS, "min-rows", 0, "N", "with --by: fewest rows for a group's own model (default max(30, columns + 10))" },
	{ OPT_FEATURES, "features", 0, "COLS", "train on these columns (default: every numeric column but target, key, time)" },
	{ OPT_EXCLUDE, "exclude", 0, "COLS", "leave these columns out" },
	{ OPT_CATEGORICAL, "categorical", 0, "COLS", "one-hot encode these columns, text ones too (dow and month always are)" },
	{ OPT_LAMBDA, "lambda", 0, "gcv|cv|VALUE", "ridge penalty: by generalized cross-validation (default), by the --cv folds, or fixed; bandits: the prior precision (default 1)" },
	{ OPT_ALPHA, "alpha", 0, "A", "bandits: linucb's exploration width, stored for adash-rank --explore linucb (default 1)" },
	{ OPT_LOG_TARGET, "log-target", 0, NULL, "fit log(1 + target); predictions are mapped back without bias" },
	{ OPT_HALF_LIFE, "weight-half-life", 0, "DAYS", "weight rows by 0.5^(age / DAYS), age from the latest date" },
	{ OPT_CV, "cv", 0, "N", "N expanding-window folds by time; metrics on stderr and in the model" },
	{ OPT_SEASON, "season", 0, "DAYS", "season of the naive forecast that scales MASE (default 7)" },
	{ OPT_C, "svr-c", 0, "C", "svr: cost of errors (default 1)" },
	{ OPT_EPSILON, "svr-epsilon", 0, "E", "svr: insensitive zone in standard deviations of the target (default 0.1)" },
	{ OPT_PENALTY, "penalty", 0, "l2|l1", "logreg: the penalty (default l2; l1 sets useless inputs to exactly 0)" },
	{ OPT_COST, "C", 0, "VALUE|cv", "logreg: cost, larger fits closer; cv: by the --cv folds (default cv with --cv, else 1)" },
	{ OPT_CLASS_WEIGHT, "class-weight", 0, "balanced|1:W", "logreg: weigh each class n / (2 n_c), or positives W times (default equal)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-train", "[OPTION]... [FILE]...",
	"Fit a regression or classification model on a feature table, validated on time, and write it as a JSON model file.",
	options, CLI_INPUT | CLI_SEED,
	"  adash-train --target sales --algo ridge --cv 3 -o sales.model < feat.csv\n"
	"  adash-train --target sales --algo ridge --by shop_id -o per-shop.model < feat.csv\n"
	"  adash-train --target sales --algo huber --log-target --weight-half-life 180 -o sales.model feat.csv\n"
	"  adash-train --target label --algo logreg --cv 3 --class-weight balanced -o click.model < train.csv\n"
	"  adash-train --target reward --algo linucb -o bandit.model < logged.csv\n"
	"  adash-train --update bandit.model < new_feedback.csv\n"
	"  parallel --pipe --header : -j2 'adash-train --partial --target sales --algo ridge -o part.{#}' < feat.csv\n"
	"  adash-train --merge part.* -o sales.model\n"
};

static const char *const unmergeable =
	"logreg, huber and svr fit by iterating over the rows, so their statistics do not merge: "
	"train one model per group (--by) or one on a sample of the rows (--sample FRACTION --seed N)";

/* --merge: the partial files' statistics combined and solved into m. */
static void merge_partials(struct cli *c, const struct train_options *o, const char *algo_name,
			   int algo, int lambda_given, char *const *names, size_t np, struct model *m)
{
	struct partial *parts = xcalloc(np, sizeof *parts);
	struct adash_err e;

	for (size_t i = 0; i < np; i++)
		if (partial_load(&parts[i], names[i], &e) < 0)
			cli_fail(c, &e);
	if (algo_name && (o->task != parts[0].m.task || algo != parts[0].m.algo))
		cli_usage_error(c, "--algo %s, but %s holds statistics for %s", algo_name, names[0],
				model_algo_name(parts[0].m.task, parts[0].m.algo));
	if (o->target && strcmp(o->target, parts[0].m.target) != 0)
		cli_usage_error(c, "--target %s, but %s predicts %s", o->target, names[0], parts[0].m.target);
	if ((lambda_given || o->fit.lambda_mode == LAMBDA_FIXED) && parts[0].m.task == TASK_REGRESSION &&
	    parts[0].m.algo != REGRESS_RIDGE)
		cli_usage_error(c, "--lambda is for ridge and the bandits; %s holds statistics for %s", names[0],
				model_algo_name(parts[0].m.task, parts[0].m.algo));
	if (o->fit.lambda_mode == LAMBDA_FIXED && parts[0].m.task == TASK_BANDIT && !(o->prior > 0))
		cli_usage_error(c, "--lambda: a bandit's prior precision is a number above 0");
	if (train_merge(o, parts, (const char *const *)names, np, m, &e) < 0)
		cli_fail(c, &e);
	for (size_t i = 0; i < np; i++)
		partial_free(&parts[i]);
	free(parts);
}

/* --partial: the inputs' statistics, read in blocks, to output. */
static void write_partial(struct cli *c, const struct train_options *o, char *const *inputs,
			  const struct reader_options *ro, size_t block_rows, const char *output)
{
	struct table_stream ts;
	struct partial pt;
	struct adash_err e;

	partial_init(&pt);
	table_stream_open(&ts, inputs, ro);
	if (train_partial(o, &ts, block_rows, &pt, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(c, "%s", e.msg);
		cli_fail(c, &e);
	}
	table_stream_close(&ts);
	if (partial_save(&pt, output, &e) < 0)
		cli_fail(c, &e);
	partial_free(&pt);
}

/* --update: the bandit model new rows are added to, checked before the
 * rows are read, so that a wrong one is said first. */
static void load_update(struct cli *c, const struct train_options *o, const char *algo_name,
			int algo, const char *update, struct model *m)
{
	struct adash_err e;

	if (model_load(m, update, &e) < 0)
		cli_fail(c, &e);
	if (m->task != TASK_BANDIT)
		cli_usage_error(c, "--update: the algorithm of %s is %s; only a bandit model (linucb, thompson) keeps the statistics that new rows are added to",
				update, model_algo_name(m->task, m->algo));
	if (algo_name && (o->task != m->task || algo != m->algo))
		cli_usage_error(c, "--algo %s, but the algorithm of %s is %s", algo_name, update,
				model_algo_name(m->task, m->algo));
	if (o->target && strcmp(o->target, m->target) != 0)
		cli_usage_error(c, "--target %s, but %s predicts %s", o->target, update, m->target);
}

int main(int argc, char **argv)
{
	struct cli c;
	struct train_options o;
	struct reader_options ro;
	struct table t;
	struct model m;
	struct adash_err e;
	const char *arg, *output = NULL, *update = NULL, *lambda = NULL, *algo_name = NULL;
	const char *fixed = NULL;   /* an option that --update refuses */
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, logreg_options = 0, c_given = 0, algo = 0, bandit, partial = 0, merge = 0;
	size_t block_rows = 0;

	memset(&o, 0, sizeof o);
	memset(&ro, 0, sizeof ro);
	cli_init(&c, &program, argc, argv);
	o.fit.algo = REGRESS_RIDGE;
	o.fit.svr_epsilon = -1;
	o.season = 7;
	o.pooled = 1;
	o.cls.penalty = PENALTY_L2;
	o.cls.C = 1;
	o.cls.weight[0] = o.cls.weight[1] = 1;
	o.prior = 1;
	o.alpha = -1;   /* not given */
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_TARGET: o.target = arg; break;
		case OPT_ALGO:
			if (model_algo_from_name(arg, &o.task, &algo) < 0)
				cli_usage_error(&c, "--algo: '%s' is not ols, ridge, huber, svr, logreg, linucb or thompson", arg);
			if (o.task == TASK_REGRESSION)
				o.fit.algo = algo;
			if (o.task == TASK_BANDIT)
				o.bandit_algo = algo;
			algo_name = arg;
			break;
		case OPT_OUTPUT: output = arg; break;
		case OPT_UPDATE: update = arg; break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		case OPT_BLOCK_ROWS:
			block_rows = (size_t)cli_parse_int(&c, "--block-rows", arg, 1, 1000000000);
			break;
		case OPT_SAMPLE:
			o.sample = cli_parse_num(&c, "--sample", arg);
			if (!(o.sample > 0 && o.sample <= 1))
				cli_usage_error(&c, "--sample: '%s' is not a fraction above 0 and at most 1", arg);
			break;
		case OPT_KEY: o.key = arg; fixed = "--key"; break;
		case OPT_TIME: o.time = arg; fixed = "--time"; break;
		case OPT_BY: o.by = arg; fixed = "--by"; break;
		case OPT_NO_POOLED: o.pooled = 0; fixed = "--no-pooled"; break;
		case OPT_MIN_ROWS:
			o.min_rows = (size_t)cli_parse_int(&c, "--min-rows", arg, 2, 1000000000);
			fixed = "--min-rows";
			break;
		case OPT_FEATURES:
			o.features = cli_add_list(&c, "--features", arg, o.features);
			fixed = "--features";
			break;
		case OPT_EXCLUDE:
			o.exclude = cli_add_list(&c, "--exclude", arg, o.exclude);
			fixed = "--exclude";
			break;
		case OPT_CATEGORICAL:
			o.categorical = cli_add_list(&c, "--categorical", arg, o.categorical);
			fixed = "--categorical";
			break;
		case OPT_ALPHA:
			o.alpha = cli_parse_num(&c, "--alpha", arg);
			if (!(o.alpha >= 0))
				cli_usage_error(&c, "--alpha: '%s' is not a number >= 0", arg);
			break;
		case OPT_LAMBDA:
			lambda = arg;
			fixed = "--lambda";
			if (strcmp(arg, "gcv") == 0) {
				o.fit.lambda_mode = LAMBDA_GCV;
			} else if (strcmp(arg, "cv") == 0) {
				o.lambda_cv = 1;
			} else {
				o.fit.lambda_mode = LAMBDA_FIXED;
				o.fit.lambda = o.prior = cli_parse_num(&c, "--lambda", arg);
				if (!(o.fit.lambda >= 0))
					cli_usage_error(&c, "--lambda: '%s' is not gcv, cv or a number >= 0", arg);
			}
			break;
		case OPT_LOG_TARGET: o.log_target = 1; fixed = "--log-target"; break;
		case OPT_HALF_LIFE:
			fixed = "--weight-half-life";
			o.weight_half_life = cli_parse_num(&c, "--weight-half-life", arg);
			if (!(o.weight_half_life > 0))
				cli_usage_error(&c, "--weight-half-life: '%s' is not a number of days above 0", arg);
			break;
		case OPT_CV: o.cv = (int)cli_parse_int(&c, "--cv", arg, 1, 100); fixed = "--cv"; break;
		case OPT_SEASON: o.season = (int)cli_parse_int(&c, "--season", arg, 1, 3660); fixed = "--season"; break;
		case OPT_C:
			fixed = "--svr-c";
			o.fit.svr_c = cli_parse_num(&c, "--svr-c", arg);
			if (!(o.fit.svr_c > 0))
				cli_usage_error(&c, "--svr-c: '%s' is not a number above 0", arg);
			break;
		case OPT_EPSILON:
			fixed = "--svr-epsilon";
			o.fit.svr_epsilon = cli_parse_num(&c, "--svr-epsilon", arg);
			if (!(o.fit.svr_epsilon >= 0))
				cli_usage_error(&c, "--svr-epsilon: '%s' is not a number >= 0", arg);
			break;
		case OPT_PENALTY:
			o.cls.penalty = classify_penalty_from_name(arg);
			if (o.cls.penalty < 0)
				cli_usage_error(&c, "--penalty: '%s' is not l2 or l1", arg);
			logreg_options = 1;
			break;
		case OPT_COST:
			c_given = logreg_options = 1;
			o.c_cv = strcmp(arg, "cv") == 0;
			if (o.c_cv)
				break;
			o.cls.C = cli_parse_num(&c, "--C", arg);
			if (!(o.cls.C > 0))
				cli_usage_error(&c, "--C: '%s' is not cv or a number above 0", arg);
			break;
		case OPT_CLASS_WEIGHT:
			logreg_options = 1;
			o.balanced = strcmp(arg, "balanced") == 0;
			if (o.balanced) {
				o.cls.weight[1] = 1;
				break;
			}
			if (strncmp(arg, "1:", 2) != 0)
				cli_usage_error(&c, "--class-weight: '%s' is not balanced or 1:W", arg);
			o.cls.weight[1] = cli_parse_num(&c, "--class-weight", arg + 2);
			if (!(o.cls.weight[1] > 0))
				cli_usage_error(&c, "--class-weight: '%s': the weight W of 1:W must be above 0", arg);
			break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	bandit = o.task == TASK_BANDIT;
	o.seed = c.seed;
	if (partial + merge + !!update > 1)
		cli_usage_error(&c, "--partial, --merge and --update do not go together");
	if (block_rows && !partial)
		cli_usage_error(&c, "--block-rows is for --partial (other training holds every row)");
	if ((partial || merge) && (o.task == TASK_CLASSIFICATION ||
				   (o.task == TASK_REGRESSION && o.fit.algo != REGRESS_OLS && o.fit.algo != REGRESS_RIDGE)))
		cli_usage_error(&c, "%s: %s", partial ? "--partial" : "--merge", unmergeable);
	if (merge) {
		/* the partials fix inputs and settings; the solve takes the
		 * penalty (or prior) and alpha */
		if ((fixed && strcmp(fixed, "--lambda") != 0) || logreg_options || o.sample > 0)
			cli_usage_error(&c, "%s does not go with --merge: the partial statistics keep their inputs and settings",
					fixed && strcmp(fixed, "--lambda") != 0 ? fixed : o.sample > 0 ? "--sample" : "--penalty, --C or --class-weight");
		if (o.lambda_cv)
			cli_usage_error(&c, "--lambda cv needs the rows of every fold: a merged ridge takes --lambda gcv or VALUE");
		if (c.optind >= argc)
			cli_usage_error(&c, "--merge needs the partial statistics files to merge (adash-train --partial ... -o FILE)");
		if (!output)
			cli_usage_error(&c, "-o/--output is required (the model file to write)");
		if (lambda && o.fit.lambda_mode == LAMBDA_FIXED && !(o.prior > 0) && bandit)
			cli_usage_error(&c, "--lambda: '%s': a bandit's prior precision is a number above 0", lambda);
	}
	if (update) {
		/* the model fixes its inputs and settings: only the
		 * algorithm's and target's names, to be checked, and alpha */
		if (fixed || logreg_options)
			cli_usage_error(&c, "%s does not go with --update: the model keeps its inputs and settings",
					fixed ? fixed : "--penalty, --C or --class-weight");
		if (!output)
			output = update;
	}
	if (!o.target && !update && !merge)
		cli_usage_error(&c, "--target is required");
	if (!output)
		cli_usage_error(&c, "-o/--output is required (the model file to write)");
	if ((o.lambda_cv || o.fit.lambda_mode == LAMBDA_FIXED) && !bandit &&
	    (o.task != TASK_REGRESSION || o.fit.algo != REGRESS_RIDGE))
		cli_usage_error(&c, "--lambda is for --algo ridge (a penalty) and the bandits (a prior precision)");
	if (bandit && lambda && !(o.fit.lambda_mode == LAMBDA_FIXED && o.prior > 0))
		cli_usage_error(&c, "--lambda: '%s': a bandit's prior precision is a number above 0", lambda);
	if (o.alpha >= 0 && !bandit && !update)
		cli_usage_error(&c, "--alpha is for --algo linucb and thompson");
	if (bandit && o.cv > 0)
		cli_usage_error(&c, "--cv: bandit models are not cross-validated (evaluate a bandit policy off-policy, from the propensities adash-rank writes)");
	if (bandit && o.by)
		cli_usage_error(&c, "--by: a bandit model is one model shared by every user and item");
	if (bandit && (o.log_target || o.weight_half_life > 0))
		cli_usage_error(&c, "%s: a bandit model's statistics must add up over separate batches of rows",
				o.log_target ? "--log-target" : "--weight-half-life");
	if (bandit && o.alpha < 0 && !update)
		o.alpha = 1;
	if ((o.fit.svr_c > 0 || o.fit.svr_epsilon >= 0) && o.fit.algo != REGRESS_SVR)
		cli_usage_error(&c, "--svr-c and --svr-epsilon are for --algo svr");
	if (o.lambda_cv && o.cv == 0)
		cli_usage_error(&c, "--lambda cv chooses the penalty by the folds: give --cv N");
	if (!o.by && (!o.pooled || o.min_rows))
		cli_usage_error(&c, "--no-pooled and --min-rows are for --by");
	if (o.task == TASK_REGRESSION && o.fit.algo == REGRESS_SVR && o.weight_half_life > 0)
		cli_usage_error(&c, "--algo svr takes no row weights (liblinear has none): leave out --weight-half-life");
	if (logreg_options && o.task != TASK_CLASSIFICATION)
		cli_usage_error(&c, "--penalty, --C and --class-weight are for --algo logreg");
	if (o.task == TASK_CLASSIFICATION) {
		if (o.log_target)
			cli_usage_error(&c, "--algo logreg takes no --log-target: its target is 0 or 1");
		if (o.weight_half_life > 0)
			cli_usage_error(&c, "--algo logreg takes no row weights (liblinear has none): leave out --weight-half-life");
		if (o.c_cv && o.cv == 0)
			cli_usage_error(&c, "--C cv chooses the cost by the folds: give --cv N");
		if (!c_given)
			o.c_cv = o.cv > 0;   /* the default: by the folds when there are folds */
	}
	o.program = PACKAGE_NAME "-train " PACKAGE_VERSION;
	o.report = c.quiet ? NULL : stderr;
	o.prog = program.name;
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	ro.format = c.input_format;
	ro.delimiter = c.delimiter;

	model_init(&m);
	if (merge) {
		merge_partials(&c, &o, algo_name, algo, lambda != NULL,
			       (char *const *)(argv + c.optind), (size_t)(argc - c.optind), &m);
	} else if (partial) {
		write_partial(&c, &o, inputs, &ro, block_rows ? block_rows : TRAIN_BLOCK_ROWS, output);
	} else {
		if (update)
			load_update(&c, &o, algo_name, algo, update, &m);
		if (table_read(&t, inputs, &ro, &e) < 0)
			cli_fail(&c, &e);
		if ((update ? train_update(&o, &t, &m, &e) : train_model(&o, &t, &m, &e)) < 0) {
			if (e.code == ADASH_EUSAGE)
				cli_usage_error(&c, "%s", e.msg);
			cli_fail(&c, &e);
		}
		table_free(&t);
	}
	if (!partial && model_save(&m, output, &e) < 0)
		cli_fail(&c, &e);
	model_free(&m);
	cli_free_list(o.features);
	cli_free_list(o.exclude);
	cli_free_list(o.categorical);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
