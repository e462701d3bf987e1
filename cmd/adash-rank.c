/*
 * adash-rank: order each user's candidate items by a policy, with
 * exploration and the propensity of every placement.  The ranking is
 * lib/rank.c over lib/policy.c; this file is options and wiring.
 */
#include "cli.h"
#include "policy.h"
#include "rank.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MODEL = 'm',
	OPT_POLICY = 0x100, OPT_SCORE_COL, OPT_EXPLORE, OPT_TOP, OPT_MAX_PER, OPT_PROPENSITY_SAMPLES,
	OPT_GROUPED
};

static const struct cli_option options[] = {
	{ OPT_MODEL, "model", 'm', "FILE", "score rows with this model (adash-train)" },
	{ OPT_SCORE_COL, "score-col", 0, "COL", "score rows with this column instead" },
	{ OPT_POLICY, "policy", 0, "NAME", "score (default with -m or --score-col), popular (default otherwise) or recent" },
	{ OPT_EXPLORE, "explore", 0, "SPEC", "none (default), egreedy:E, softmax:T, or with a bandit model thompson, linucb or linucb:ALPHA" },
	{ OPT_TOP, "top", 0, "K", "place K items per user (default: every candidate)" },
	{ OPT_MAX_PER, "max-per", 0, "COL:N", "at most N items sharing a value of COL, e.g. item_type:2" },
	{ OPT_PROPENSITY_SAMPLES, "propensity-samples", 0, "N", "thompson: draws that estimate each propensity (default 1000)" },
	{ OPT_GROUPED, "grouped", 0, NULL, "each user's rows come together (always needed here: exit 1 if not; taken for symmetry)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-rank", "[OPTION]... [FILE]...",
	"Order each user's candidate items (rows of adash-features --events) by a policy, with exploration and propensities.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_SEED | CLI_ACCOUNTING,
	"  adash-features --events --items items.csv --asof 2024-03-01 < ev.csv \\\n"
	"    | adash-rank -m click.model --top 8 --explore egreedy:0.05 --seed 7 > layout.csv\n"
	"  adash-rank --policy popular --top 8 --max-per item_type:2 < candidates.csv\n"
	"  adash-rank -m bandit.model --explore thompson --propensity-samples 1000 --seed 7 --top 8 < candidates.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct rank_options o;
	struct progress progress;
	struct adash_err e;
	const char *arg, *policy = NULL;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, samples_given = 0;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.propensity_samples = 1000;
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_MODEL: o.model_path = arg; break;
		case OPT_SCORE_COL: o.score_col = arg; break;
		case OPT_POLICY:
			policy = arg;
			if (rank_policy_from_name(arg) < 0)
				cli_usage_error(&c, "--policy: '%s' is not score, popular or recent", arg);
			break;
		case OPT_EXPLORE:
			if (explore_parse(arg, &o.explore, &e) < 0)
				cli_usage_error(&c, "%s", e.msg);
			break;
		case OPT_TOP: o.top = (long)cli_parse_int(&c, "--top", arg, 1, 1000000); break;
		case OPT_MAX_PER: {
			const char *colon = strrchr(arg, ':');

			if (!colon || colon == arg)
				cli_usage_error(&c, "--max-per: '%s' is not COL:N", arg);
			o.max_per = (long)cli_parse_int(&c, "--max-per", colon + 1, 1, 1000000);
			o.max_per_col = xstrndup(arg, (size_t)(colon - arg));
			break;
		}
		case OPT_PROPENSITY_SAMPLES:
			o.propensity_samples = (long)cli_parse_int(&c, "--propensity-samples", arg, 1, 100000000);
			samples_given = 1;
			break;
		case OPT_GROUPED: break;  /* adash-rank holds one group always (rank.h) */
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (samples_given && o.explore.kind != EXPLORE_THOMPSON)
		cli_usage_error(&c, "--propensity-samples is for --explore thompson (the other policies' propensities are exact)");
	if (o.model_path && o.score_col)
		cli_usage_error(&c, "-m and --score-col are two ways to score; give one");
	o.policy = policy ? rank_policy_from_name(policy)
			  : o.model_path || o.score_col ? RANK_SCORE : RANK_POPULAR;
	if (o.policy == RANK_SCORE && !o.model_path && !o.score_col)
		cli_usage_error(&c, "--policy score needs -m MODEL or --score-col COL");
	if (o.policy != RANK_SCORE && (o.model_path || o.score_col))
		cli_usage_error(&c, "-m and --score-col score rows for --policy score, not %s", policy);
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	cli_run_io(&c, &o.io, &progress);
	if (rank_run(&o, inputs, stdout, &e) < 0) {
		if (e.code == ADASH_EUSAGE)
			cli_usage_error(&c, "%s", e.msg);
		cli_fail(&c, &e);
	}
	free((char *)o.max_per_col);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
