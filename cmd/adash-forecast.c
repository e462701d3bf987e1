/*
 * adash-forecast: multi-step forecasts of every series in a history, with
 * what-if covariates and simulated prediction intervals.  The recursion is
 * lib/forecast.c over the feature code of lib/series.c; this file is
 * options and wiring.
 */
#include "cli.h"
#include "forecast.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MODEL = 'm',
	OPT_HORIZON = 0x100, OPT_INTERVAL, OPT_PATHS, OPT_FUTURE, OPT_SET, OPT_TOTAL, OPT_TOTAL_NAME,
	OPT_WITH_FEATURES, OPT_GROUPED
};

static const struct cli_option options[] = {
	{ OPT_MODEL, "model", 'm', "FILE", "the model file from adash-train (required)" },
	{ OPT_HORIZON, "horizon", 0, "DAYS", "days to forecast after each series' last day (default 14)" },
	{ OPT_INTERVAL, "interval", 0, "P", "add lo and hi, a P% prediction interval from simulated paths" },
	{ OPT_PATHS, "paths", 0, "N", "simulated paths per series for --interval (default 1000)" },
	{ OPT_FUTURE, "future", 0, "FILE", "planned covariates: rows of key, date and covariate columns" },
	{ OPT_SET, "set", 0, "COL=V|COL=*F|COL=+D", "what-if: set, scale or shift a covariate on every future day" },
	{ OPT_TOTAL, "total", 0, NULL, "add rows with the sum over all series per day (key \"total\")" },
	{ OPT_TOTAL_NAME, "total-name", 0, "TEXT", "key of the --total rows (default total)" },
	{ OPT_WITH_FEATURES, "with-features", 0, NULL, "add the model's input values used at each step" },
	{ OPT_GROUPED, "grouped", 0, NULL, "the rows of each key come together: hold one key at a time (exit 1 if not)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-forecast", "-m MODEL [OPTION]... [FILE]...",
	"Forecast every series of a history recursively from a model, with what-if covariates and intervals.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_SEED,
	"  adash-forecast -m sales.model --horizon 14 --interval 80 < sales.csv > fc.csv\n"
	"  adash-forecast -m sales.model --horizon 14 --future plans.csv --set promo=1 --set price=*0.9 --total < sales.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct forecast_options o;
	struct model m;
	struct adash_err e;
	const char *arg, *model_path = NULL;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, total = 0;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.horizon = 14;
	o.paths = 1000;
	o.total = NULL;
	const char *total_name = "total";
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_MODEL: model_path = arg; break;
		case OPT_HORIZON: o.horizon = (int)cli_parse_int(&c, "--horizon", arg, 1, 3660); break;
		case OPT_INTERVAL:
			o.interval = cli_parse_num(&c, "--interval", arg);
			if (!(o.interval > 0 && o.interval < 100))
				cli_usage_error(&c, "--interval: '%s' is not a percentage between 0 and 100", arg);
			break;
		case OPT_PATHS: o.paths = (int)cli_parse_int(&c, "--paths", arg, 10, 1000000); break;
		case OPT_FUTURE: o.future_path = arg; break;
		case OPT_SET:
			o.sets = realloc(o.sets, (o.nsets + 1) * sizeof *o.sets);
			if (!o.sets)
				cli_die(&c, ADASH_EINTERNAL, "out of memory");
			if (whatif_parse("--set", arg, &o.sets[o.nsets], &e) < 0)
				cli_usage_error(&c, "%s", e.msg);
			o.nsets++;
			break;
		case OPT_TOTAL: total = 1; break;
		case OPT_TOTAL_NAME: total_name = arg; break;
		case OPT_WITH_FEATURES: o.with_features = 1; break;
		case OPT_GROUPED: o.grouped = 1; break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (!model_path)
		cli_usage_error(&c, "-m/--model is required");
	model_init(&m);
	if (model_load(&m, model_path, &e) < 0)
		cli_fail(&c, &e);
	if (total && !m.key)
		cli_usage_error(&c, "--total sums series, but the model has no key column");
	o.total = total ? total_name : NULL;
	o.m = &m;
	o.seed = c.seed_given ? c.seed : 1;
	o.read.format = c.input_format;
	o.read.delimiter = c.delimiter;
	o.output_format = c.output_format;
	o.delimiter = c.delimiter;
	o.header = c.header;
	o.notes = c.quiet ? NULL : stderr;
	o.verbose = c.verbose && !c.quiet;
	o.prog = program.name;
	inputs = c.optind < argc ? argv + c.optind : stdin_only;

	if (forecast_run(&o, inputs, stdout, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	for (size_t i = 0; i < o.nsets; i++)
		whatif_free(&o.sets[i]);
	free(o.sets);
	model_free(&m);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
