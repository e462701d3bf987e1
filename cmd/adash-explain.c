/*
 * adash-explain: why a model predicts what it does: per row, a base and
 * each input's contribution, adding up to the prediction, or the top
 * reasons in words; what-if predictions; importance over a data set.  The
 * work is lib/explain.c over lib/reason.c; this file is options and wiring.
 */
#include "cli.h"
#include "explain.h"
#include "whatif.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MODEL = 'm',
	OPT_TOP = 0x100, OPT_WHAT_IF, OPT_GLOBAL, OPT_REPEATS
};

static const struct cli_option options[] = {
	{ OPT_MODEL, "model", 'm', "FILE", "the model to explain (adash-train; required)" },
	{ OPT_TOP, "top", 0, "N", "the N largest contributions as reasons in words, instead of a column per input" },
	{ OPT_WHAT_IF, "what-if", 0, "COL=V|*F|+D", "predict again with COL set, scaled or shifted (repeatable)" },
	{ OPT_GLOBAL, "global", 0, NULL, "one row per input over the whole input: mean |contribution|, permutation importance, coefficients" },
	{ OPT_REPEATS, "repeats", 0, "N", "--global: shuffles per input for permutation importance (default 5)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-explain", "-m MODEL [OPTION]... [FILE]...",
	"Explain a model's predictions: per-input contributions that add up to each prediction, reasons in words, what-ifs, importance.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_SEED | CLI_ACCOUNTING,
	"  adash-explain -m sales.model --top 3 < fc.csv\n"
	"  adash-explain -m sales.model --what-if price=*0.9 < fc.csv\n"
	"  adash-explain -m sales.model --global < feat.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct explain_options o;
	struct progress progress;
	struct adash_err e;
	const char *arg;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, repeats_given = 0;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.repeats = 5;
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_MODEL: o.model_path = arg; break;
		case OPT_TOP: o.top = (long)cli_parse_int(&c, "--top", arg, 1, 1000); break;
		case OPT_WHAT_IF:
			o.whatif = xrealloc(o.whatif, (o.nwhatif + 1) * sizeof *o.whatif);
			if (whatif_parse("--what-if", arg, &o.whatif[o.nwhatif], &e) < 0)
				cli_usage_error(&c, "%s", e.msg);
			o.nwhatif++;
			break;
		case OPT_GLOBAL: o.global = 1; break;
		case OPT_REPEATS:
			o.repeats = (long)cli_parse_int(&c, "--repeats", arg, 1, 10000);
			repeats_given = 1;
			break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (!o.model_path)
		cli_usage_error(&c, "-m MODEL is required");
	if ((o.top > 0) + (o.nwhatif > 0) + o.global > 1)
		cli_usage_error(&c, "--top, --what-if and --global are three ways to explain; give one");
	if (repeats_given && !o.global)
		cli_usage_error(&c, "--repeats counts the shuffles of --global");
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	cli_run_io(&c, &o.io, &progress);
	if (explain_run(&o, inputs, stdout, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	for (size_t i = 0; i < o.nwhatif; i++)
		whatif_free(&o.whatif[i]);
	free(o.whatif);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
