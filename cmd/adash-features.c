/*
 * adash-features: point-in-time feature engineering.  Series mode (lags,
 * rolling windows, decayed means, calendar and transforms per key) is
 * lib/features.c over lib/series.c; this file is options and wiring.
 */
#include "cli.h"
#include "featurize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_KEY = 0x100, OPT_TIME, OPT_TARGET, OPT_LAGS, OPT_ROLLING, OPT_EWM, OPT_CALENDAR,
	OPT_LOG1P, OPT_RATIO, OPT_FILL, OPT_WARMUP, OPT_SORTED
};

static const struct cli_option options[] = {
	{ OPT_KEY, "key", 0, "COL", "series key column (default: the whole input is one series)" },
	{ OPT_TIME, "time", 0, "COL", "date column, YYYY-MM-DD (default date)" },
	{ OPT_TARGET, "target", 0, "COL", "the value to forecast, read by lags and windows (default sales)" },
	{ OPT_LAGS, "lags", 0, "DAYS", "lags of the target by calendar days, e.g. 1,7,14" },
	{ OPT_ROLLING, "rolling", 0, "STAT:DAYS", "past-only windows of the target, STAT mean|std|min|max|sum, e.g. mean:7,std:7" },
	{ OPT_EWM, "ewm", 0, "DAYS", "exponentially weighted means of the target with these half-lives" },
	{ OPT_CALENDAR, "calendar", 0, "LIST", "dow, month, dom, weekend, fourier:PERIOD:ORDER" },
	{ OPT_LOG1P, "log1p", 0, "COLS", "log(1 + x) of these covariates" },
	{ OPT_RATIO, "ratio", 0, "A/B", "ratios of covariates, e.g. price/footfall" },
	{ OPT_FILL, "fill", 0, "none|zero|ffill", "days without a value in a window: left out (default), 0, or the last value" },
	{ OPT_WARMUP, "warmup", 0, "drop|keep", "rows without a full look-back: dropped (default) or kept with empty features" },
	{ OPT_SORTED, "sorted", 0, NULL, "input is in time order per key: stream it in O(keys x window) memory" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-features", "[OPTION]... [FILE]...",
	"Add point-in-time features (lags, windows, calendar) to daily series, from each row's past only.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_ACCOUNTING,
	"  adash-features --key shop_id --time date --target sales --lags 1,7,14 \\\n"
	"      --rolling mean:7,std:7,mean:28 --calendar dow,month,fourier:365.25:2 < sales.csv > feat.csv\n"
	"  adash-features --key shop_id --lags 7 --fill ffill --warmup keep --sorted < sales.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct features_options o;
	struct progress progress;
	struct adash_err e;
	const char *arg;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.time = "date";
	o.target = "sales";
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_KEY: o.key = arg; break;
		case OPT_TIME: o.time = arg; break;
		case OPT_TARGET: o.target = arg; break;
		case OPT_LAGS: o.lags = cli_add_list(&c, "--lags", arg, o.lags); break;
		case OPT_ROLLING: o.rolling = cli_add_list(&c, "--rolling", arg, o.rolling); break;
		case OPT_EWM: o.ewm = cli_add_list(&c, "--ewm", arg, o.ewm); break;
		case OPT_CALENDAR: o.calendar = cli_add_list(&c, "--calendar", arg, o.calendar); break;
		case OPT_LOG1P: o.log1p = cli_add_list(&c, "--log1p", arg, o.log1p); break;
		case OPT_RATIO: o.ratio = cli_add_list(&c, "--ratio", arg, o.ratio); break;
		case OPT_FILL:
			o.fill = fill_from_name(arg);
			if (o.fill < 0)
				cli_usage_error(&c, "--fill: '%s' is not none, zero or ffill", arg);
			break;
		case OPT_WARMUP:
			if (strcmp(arg, "drop") != 0 && strcmp(arg, "keep") != 0)
				cli_usage_error(&c, "--warmup: '%s' is not drop or keep", arg);
			o.warmup_keep = strcmp(arg, "keep") == 0;
			break;
		case OPT_SORTED: o.sorted = 1; break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	o.on_bad = c.on_bad;
	o.reject_path = c.reject_path;
	o.stats_path = c.stats_path;
	o.read.format = c.input_format;
	o.read.delimiter = c.delimiter;
	o.output_format = c.output_format;
	o.delimiter = c.delimiter;
	o.header = c.header;
	o.verbose = c.verbose && !c.quiet;
	o.prog = program.name;
	progress_start(&progress, &c);
	o.progress = &progress;

	if (features_run(&o, inputs, stdout, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	cli_free_list(o.lags);
	cli_free_list(o.rolling);
	cli_free_list(o.ewm);
	cli_free_list(o.calendar);
	cli_free_list(o.log1p);
	cli_free_list(o.ratio);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
