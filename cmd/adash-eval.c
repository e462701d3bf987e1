/*
 * adash-eval: score forecasts, probabilities, rankings or a new ranking
 * policy against what happened, as one table of measures.  The scoring is
 * lib/eval.c over lib/metrics.c, lib/rankmetrics.c and lib/offpolicy.c;
 * this file is options and wiring.
 */
#include "cli.h"
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_REGRESSION = 0x100, OPT_CLASSIFICATION, OPT_RANKING, OPT_POLICY, OPT_BY, OPT_TRUTH,
	OPT_HISTORY, OPT_KEY, OPT_TIME, OPT_TARGET, OPT_PRED, OPT_LO, OPT_HI, OPT_SEASON,
	OPT_LABEL, OPT_SCORE, OPT_CALIBRATION, OPT_K, OPT_GAIN, OPT_CATALOG, OPT_LOGGED,
	OPT_MATCH, OPT_BOOTSTRAP, OPT_LEVEL, OPT_END
};

static const struct cli_option options[] = {
	{ OPT_REGRESSION, "regression", 0, NULL, "score forecasts (adash-forecast) against --truth" },
	{ OPT_CLASSIFICATION, "classification", 0, NULL, "score probabilities against 0/1 labels" },
	{ OPT_RANKING, "ranking", 0, NULL, "score rankings (adash-rank) against the items in --truth" },
	{ OPT_POLICY, "policy", 0, NULL, "estimate the reward of the input ranking from a --logged log" },
	{ OPT_BY, "by", 0, "COL", "a row of measures per value of COL, before the row for all" },
	{ OPT_TRUTH, "truth", 0, "FILE", "regression: key, date and target; ranking: user_id, item_id" },
	{ OPT_HISTORY, "history", 0, "FILE", "regression: the training history, for MASE's scale per key" },
	{ OPT_KEY, "key", 0, "COL", "regression: series key column (default: one series)" },
	{ OPT_TIME, "time", 0, "COL", "regression: date column, YYYY-MM-DD (default date)" },
	{ OPT_TARGET, "target", 0, "COL", "regression: the actual value in --truth and --history (default sales)" },
	{ OPT_PRED, "pred", 0, "COL", "regression: the forecast column (default pred)" },
	{ OPT_LO, "lo", 0, "COL", "regression: interval lower bound (default lo, when there)" },
	{ OPT_HI, "hi", 0, "COL", "regression: interval upper bound (default hi, when there)" },
	{ OPT_SEASON, "season", 0, "DAYS", "regression: season of the naive forecast that scales MASE (default 7)" },
	{ OPT_LABEL, "label", 0, "COL", "classification: the 0/1 label (default label)" },
	{ OPT_SCORE, "score", 0, "COL", "classification: the probability of 1 (default score)" },
	{ OPT_CALIBRATION, "calibration", 0, "FILE", "classification: write the calibration table by deciles to FILE" },
	{ OPT_K, "k", 0, "K", "ranking: score the first K ranks (default 10); policy: --match item's K" },
	{ OPT_GAIN, "gain", 0, "COL", "ranking: graded gains from this --truth column (default 1 per item)" },
	{ OPT_CATALOG, "catalog", 0, "FILE", "ranking: the items (item_id) for coverage (default: truth and input)" },
	{ OPT_LOGGED, "logged", 0, "FILE", "policy: user_id, item_id, [rank,] propensity, reward" },
	{ OPT_MATCH, "match", 0, "rank|item", "policy: same item at the same rank, or in the first K (default rank if logged)" },
	{ OPT_BOOTSTRAP, "bootstrap", 0, "N", "policy: resamples of the confidence interval (default 1000; 0: none)" },
	{ OPT_LEVEL, "level", 0, "P", "policy: confidence level of the interval, in percent (default 95)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-eval", "--regression|--classification|--ranking|--policy [OPTION]... [FILE]...",
	"Score forecasts, probabilities, rankings or a new ranking policy against what happened: one table of measures.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_SEED | CLI_ACCOUNTING,
	"  adash-eval --regression --truth actual.csv --key shop_id --history sales.csv --by shop_id < fc.csv\n"
	"  adash-eval --classification --label label --score p --calibration cal.csv < scored.csv\n"
	"  adash-eval --ranking --truth next_week.csv --k 10 < layout.csv\n"
	"  adash-eval --policy --logged logged.csv --seed 7 < new_layout.csv\n"
};

#define MODE(m) (1u << (m))

/* The modes an option is for; every option not listed is for all. */
static const struct {
	int id;
	unsigned modes;
} applies[] = {
	{ OPT_TRUTH, MODE(EVAL_REGRESSION) | MODE(EVAL_RANKING) },
	{ OPT_HISTORY, MODE(EVAL_REGRESSION) },
	{ OPT_KEY, MODE(EVAL_REGRESSION) },
	{ OPT_TIME, MODE(EVAL_REGRESSION) },
	{ OPT_TARGET, MODE(EVAL_REGRESSION) },
	{ OPT_PRED, MODE(EVAL_REGRESSION) },
	{ OPT_LO, MODE(EVAL_REGRESSION) },
	{ OPT_HI, MODE(EVAL_REGRESSION) },
	{ OPT_SEASON, MODE(EVAL_REGRESSION) },
	{ OPT_LABEL, MODE(EVAL_CLASSIFICATION) },
	{ OPT_SCORE, MODE(EVAL_CLASSIFICATION) },
	{ OPT_CALIBRATION, MODE(EVAL_CLASSIFICATION) },
	{ OPT_K, MODE(EVAL_RANKING) | MODE(EVAL_POLICY) },
	{ OPT_GAIN, MODE(EVAL_RANKING) },
	{ OPT_CATALOG, MODE(EVAL_RANKING) },
	{ OPT_LOGGED, MODE(EVAL_POLICY) },
	{ OPT_MATCH, MODE(EVAL_POLICY) },
	{ OPT_BOOTSTRAP, MODE(EVAL_POLICY) },
	{ OPT_LEVEL, MODE(EVAL_POLICY) },
};

static const char *option_name(int id)
{
	for (const struct cli_option *o = options; o->id; o++)
		if (o->id == id)
			return o->name;
	return "?";
}

int main(int argc, char **argv)
{
	static const char *const mode_names[] = { "", "regression", "classification", "ranking", "policy" };
	struct cli c;
	struct eval_options o;
	struct progress progress;
	struct adash_err e;
	const char *arg;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	unsigned char given[OPT_END - 0x100] = { 0 };
	int opt, stdin_used = 0;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.time = "date";
	o.target = "sales";
	o.pred = "pred";
	o.label = "label";
	o.score = "score";
	o.season = 7;
	o.bootstrap = 1000;
	o.level = 0.95;
	while ((opt = cli_next(&c, &arg)) != 0) {
		if (opt >= 0x100 && opt < OPT_END)
			given[opt - 0x100] = 1;
		switch (opt) {
		case OPT_REGRESSION:
		case OPT_CLASSIFICATION:
		case OPT_RANKING:
		case OPT_POLICY:
			if (o.mode && o.mode != opt - OPT_REGRESSION + EVAL_REGRESSION)
				cli_usage_error(&c, "--%s and --%s: give one mode", mode_names[o.mode],
						mode_names[opt - OPT_REGRESSION + EVAL_REGRESSION]);
			o.mode = opt - OPT_REGRESSION + EVAL_REGRESSION;
			break;
		case OPT_BY: o.by = arg; break;
		case OPT_TRUTH: o.truth_path = arg; break;
		case OPT_HISTORY: o.history_path = arg; break;
		case OPT_KEY: o.key = arg; break;
		case OPT_TIME: o.time = arg; break;
		case OPT_TARGET: o.target = arg; break;
		case OPT_PRED: o.pred = arg; break;
		case OPT_LO: o.lo = arg; break;
		case OPT_HI: o.hi = arg; break;
		case OPT_SEASON: o.season = (int)cli_parse_int(&c, "--season", arg, 1, 3660); break;
		case OPT_LABEL: o.label = arg; break;
		case OPT_SCORE: o.score = arg; break;
		case OPT_CALIBRATION: o.calibration_path = arg; break;
		case OPT_K: o.k = (long)cli_parse_int(&c, "--k", arg, 1, 1000000); break;
		case OPT_GAIN: o.gain = arg; break;
		case OPT_CATALOG: o.catalog_path = arg; break;
		case OPT_LOGGED: o.logged_path = arg; break;
		case OPT_MATCH:
			if ((o.match = eval_match_from_name(arg)) < 0)
				cli_usage_error(&c, "--match: '%s' is not rank or item", arg);
			break;
		case OPT_BOOTSTRAP:
			o.bootstrap = (long)cli_parse_int(&c, "--bootstrap", arg, 0, 1000000);
			break;
		case OPT_LEVEL:
			o.level = cli_parse_num(&c, "--level", arg);
			if (!(o.level > 0 && o.level < 100))
				cli_usage_error(&c, "--level: '%s' is not a percentage above 0 and below 100", arg);
			o.level /= 100;
			break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (!o.mode)
		cli_usage_error(&c, "give a mode: --regression, --classification, --ranking or --policy");
	for (size_t i = 0; i < sizeof applies / sizeof applies[0]; i++)
		if (given[applies[i].id - 0x100] && !(applies[i].modes & MODE(o.mode)))
			cli_usage_error(&c, "--%s is not for --%s", option_name(applies[i].id), mode_names[o.mode]);
	if ((o.mode == EVAL_REGRESSION || o.mode == EVAL_RANKING) && !o.truth_path)
		cli_usage_error(&c, "--%s needs --truth FILE (what happened)", mode_names[o.mode]);
	if (o.mode == EVAL_POLICY && !o.logged_path)
		cli_usage_error(&c, "--policy needs --logged FILE (the logged rows and their rewards)");
	if (o.mode == EVAL_POLICY && o.match == EVAL_MATCH_RANK && o.k)
		cli_usage_error(&c, "--k is for --match item: --match rank compares ranks");
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	for (size_t f = 0; inputs[f]; f++)
		stdin_used |= strcmp(inputs[f], "-") == 0;
	{
		const char *files[] = { o.truth_path, o.history_path, o.catalog_path, o.logged_path };

		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
			if (stdin_used && files[i] && strcmp(files[i], "-") == 0)
				cli_usage_error(&c, "standard input is already the input: give the other file by name");
	}
	if (o.mode == EVAL_REGRESSION && given[OPT_SEASON - 0x100] && !o.history_path)
		cli_warn(&c, "--season without --history: MASE has no scale and is left empty");
	cli_run_io(&c, &o.io, &progress);
	if (eval_run(&o, inputs, stdout, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
