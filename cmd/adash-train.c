/*
 * adash-train: fit a model validated on time and write it as one JSON
 * model file.  The training is lib/train.c over lib/regress.c and
 * lib/classify.c; the file is lib/model.c; this file is options and
 * wiring.
 */
#include "classify.h"
#include "cli.h"
#include "model.h"
#include "regress.h"
#include "table.h"
#include "train.h"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_OUTPUT = 'o',
	OPT_TARGET = 0x100, OPT_ALGO, OPT_KEY, OPT_TIME, OPT_BY, OPT_NO_POOLED, OPT_MIN_ROWS,
	OPT_FEATURES, OPT_EXCLUDE, OPT_CATEGORICAL, OPT_LAMBDA, OPT_LOG_TARGET,
	OPT_HALF_LIFE, OPT_CV, OPT_SEASON, OPT_C, OPT_EPSILON, OPT_PENALTY, OPT_COST, OPT_CLASS_WEIGHT
};

static const struct cli_option options[] = {
	{ OPT_TARGET, "target", 0, "COL", "the column to predict (required)" },
	{ OPT_ALGO, "algo", 0, "NAME", "ols, ridge (default), huber, svr, or logreg (a 0/1 target)" },
	{ OPT_OUTPUT, "output", 'o', "FILE", "write the model to FILE (required; written atomically)" },
	{ OPT_KEY, "key", 0, "COL", "series key column (default: --by, else the one text column)" },
	{ OPT_TIME, "time", 0, "COL", "date or timestamp column for folds, MASE and weights (default date, else asof)" },
	{ OPT_BY, "by", 0, "COL", "one model per group of COL, plus a pooled model for the rest" },
	{ OPT_NO_POOLED, "no-pooled", 0, NULL, "with --by: no pooled fallback (unknown groups are then an error)" },
	{ OPT_MIN_ROWS, "min-rows", 0, "N", "with --by: fewest rows for a group's own model (default max(30, columns + 10))" },
	{ OPT_FEATURES, "features", 0, "COLS", "train on these columns (default: every numeric column but target, key, time)" },
	{ OPT_EXCLUDE, "exclude", 0, "COLS", "leave these columns out" },
	{ OPT_CATEGORICAL, "categorical", 0, "COLS", "one-hot encode these columns, text ones too (dow and month always are)" },
	{ OPT_LAMBDA, "lambda", 0, "gcv|cv|VALUE", "ridge penalty: by generalized cross-validation (default), by the --cv folds, or fixed" },
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
	options, CLI_INPUT,
	"  adash-train --target sales --algo ridge --cv 3 -o sales.model < feat.csv\n"
	"  adash-train --target sales --algo ridge --by shop_id -o per-shop.model < feat.csv\n"
	"  adash-train --target sales --algo huber --log-target --weight-half-life 180 -o sales.model feat.csv\n"
	"  adash-train --target label --algo logreg --cv 3 --class-weight balanced -o click.model < train.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct train_options o;
	struct reader_options ro;
	struct table t;
	struct model m;
	struct adash_err e;
	const char *arg, *output = NULL;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, logreg_options = 0, c_given = 0;

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
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_TARGET: o.target = arg; break;
		case OPT_ALGO: {
			int algo;

			if (model_algo_from_name(arg, &o.task, &algo) < 0)
				cli_usage_error(&c, "--algo: '%s' is not ols, ridge, huber, svr or logreg", arg);
			if (o.task == TASK_REGRESSION)
				o.fit.algo = algo;
			break;
		}
		case OPT_OUTPUT: output = arg; break;
		case OPT_KEY: o.key = arg; break;
		case OPT_TIME: o.time = arg; break;
		case OPT_BY: o.by = arg; break;
		case OPT_NO_POOLED: o.pooled = 0; break;
		case OPT_MIN_ROWS: o.min_rows = (size_t)cli_parse_int(&c, "--min-rows", arg, 2, 1000000000); break;
		case OPT_FEATURES: o.features = cli_add_list(&c, "--features", arg, o.features); break;
		case OPT_EXCLUDE: o.exclude = cli_add_list(&c, "--exclude", arg, o.exclude); break;
		case OPT_CATEGORICAL: o.categorical = cli_add_list(&c, "--categorical", arg, o.categorical); break;
		case OPT_LAMBDA:
			if (strcmp(arg, "gcv") == 0) {
				o.fit.lambda_mode = LAMBDA_GCV;
			} else if (strcmp(arg, "cv") == 0) {
				o.lambda_cv = 1;
			} else {
				o.fit.lambda_mode = LAMBDA_FIXED;
				o.fit.lambda = cli_parse_num(&c, "--lambda", arg);
				if (!(o.fit.lambda >= 0))
					cli_usage_error(&c, "--lambda: '%s' is not gcv, cv or a number >= 0", arg);
			}
			break;
		case OPT_LOG_TARGET: o.log_target = 1; break;
		case OPT_HALF_LIFE:
			o.weight_half_life = cli_parse_num(&c, "--weight-half-life", arg);
			if (!(o.weight_half_life > 0))
				cli_usage_error(&c, "--weight-half-life: '%s' is not a number of days above 0", arg);
			break;
		case OPT_CV: o.cv = (int)cli_parse_int(&c, "--cv", arg, 1, 100); break;
		case OPT_SEASON: o.season = (int)cli_parse_int(&c, "--season", arg, 1, 3660); break;
		case OPT_C:
			o.fit.svr_c = cli_parse_num(&c, "--svr-c", arg);
			if (!(o.fit.svr_c > 0))
				cli_usage_error(&c, "--svr-c: '%s' is not a number above 0", arg);
			break;
		case OPT_EPSILON:
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
	if (!o.target)
		cli_usage_error(&c, "--target is required");
	if (!output)
		cli_usage_error(&c, "-o/--output is required (the model file to write)");
	if ((o.lambda_cv || o.fit.lambda_mode == LAMBDA_FIXED) && o.fit.algo != REGRESS_RIDGE)
		cli_usage_error(&c, "--lambda is for --algo ridge");
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

	if (table_read(&t, inputs, &ro, &e) < 0)
		cli_fail(&c, &e);
	model_init(&m);
	if (train_model(&o, &t, &m, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	if (model_save(&m, output, &e) < 0)
		cli_fail(&c, &e);
	model_free(&m);
	table_free(&t);
	cli_free_list(o.features);
	cli_free_list(o.exclude);
	cli_free_list(o.categorical);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
