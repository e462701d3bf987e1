/*
 * adash-train: fit a model validated on time and write it as one JSON
 * model file.  The training is lib/train.c over lib/regress.c; the file
 * is lib/model.c; this file is options and wiring.
 */
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
	OPT_HALF_LIFE, OPT_CV, OPT_SEASON, OPT_C, OPT_EPSILON
};

static const struct cli_option options[] = {
	{ OPT_TARGET, "target", 0, "COL", "the column to predict (required)" },
	{ OPT_ALGO, "algo", 0, "NAME", "ols, ridge (default), huber or svr" },
	{ OPT_OUTPUT, "output", 'o', "FILE", "write the model to FILE (required; written atomically)" },
	{ OPT_KEY, "key", 0, "COL", "series key column (default: --by, else the one text column)" },
	{ OPT_TIME, "time", 0, "COL", "date column for folds, MASE and weights (default date, when present)" },
	{ OPT_BY, "by", 0, "COL", "one model per group of COL, plus a pooled model for the rest" },
	{ OPT_NO_POOLED, "no-pooled", 0, NULL, "with --by: no pooled fallback (unknown groups are then an error)" },
	{ OPT_MIN_ROWS, "min-rows", 0, "N", "with --by: fewest rows for a group's own model (default max(30, columns + 10))" },
	{ OPT_FEATURES, "features", 0, "COLS", "train on these columns (default: every numeric column but target, key, time)" },
	{ OPT_EXCLUDE, "exclude", 0, "COLS", "leave these columns out" },
	{ OPT_CATEGORICAL, "categorical", 0, "COLS", "one-hot encode these columns (text columns and dow, month always are)" },
	{ OPT_LAMBDA, "lambda", 0, "gcv|cv|VALUE", "ridge penalty: by generalized cross-validation (default), by the --cv folds, or fixed" },
	{ OPT_LOG_TARGET, "log-target", 0, NULL, "fit log(1 + target); predictions are mapped back without bias" },
	{ OPT_HALF_LIFE, "weight-half-life", 0, "DAYS", "weight rows by 0.5^(age / DAYS), age from the latest date" },
	{ OPT_CV, "cv", 0, "N", "N expanding-window folds by time; metrics on stderr and in the model" },
	{ OPT_SEASON, "season", 0, "DAYS", "season of the naive forecast that scales MASE (default 7)" },
	{ OPT_C, "svr-c", 0, "C", "svr: cost of errors (default 1)" },
	{ OPT_EPSILON, "svr-epsilon", 0, "E", "svr: insensitive zone in standard deviations of the target (default 0.1)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-train", "[OPTION]... [FILE]...",
	"Fit a regression model on a feature table, validated on time, and write it as a JSON model file.",
	options, CLI_INPUT,
	"  adash-train --target sales --algo ridge --cv 3 -o sales.model < feat.csv\n"
	"  adash-train --target sales --algo ridge --by shop_id -o per-shop.model < feat.csv\n"
	"  adash-train --target sales --algo huber --log-target --weight-half-life 180 -o sales.model feat.csv\n"
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
	int opt;

	memset(&o, 0, sizeof o);
	memset(&ro, 0, sizeof ro);
	cli_init(&c, &program, argc, argv);
	o.fit.algo = REGRESS_RIDGE;
	o.fit.svr_epsilon = -1;
	o.season = 7;
	o.pooled = 1;
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_TARGET: o.target = arg; break;
		case OPT_ALGO:
			o.fit.algo = regress_algo_from_name(arg);
			if (o.fit.algo < 0)
				cli_usage_error(&c, "--algo: '%s' is not ols, ridge, huber or svr", arg);
			break;
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
	if (o.fit.algo == REGRESS_SVR && o.weight_half_life > 0)
		cli_usage_error(&c, "--algo svr takes no row weights (liblinear has none): leave out --weight-half-life");
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
