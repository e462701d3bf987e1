/*
 * adash-features: point-in-time feature engineering.  Series mode (lags,
 * rolling windows, decayed means, calendar and transforms per key) is
 * lib/featurize.c over lib/series.c; events mode (per user and candidate
 * item as of cut times) is lib/eventfeatures.c over lib/activity.c; this
 * file is options and wiring.
 */
#include "cli.h"
#include "eventfeatures.h"
#include "featurize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_KEY = 0x100, OPT_TIME, OPT_TARGET, OPT_LAGS, OPT_ROLLING, OPT_EWM, OPT_CALENDAR,
	OPT_LOG1P, OPT_RATIO, OPT_FILL, OPT_WARMUP, OPT_SORTED, OPT_GROUPED,
	OPT_EVENTS, OPT_ITEMS, OPT_USERS, OPT_WINDOWS, OPT_HALF_LIFE, OPT_ASOF, OPT_ASOF_EVERY,
	OPT_SINCE, OPT_UNTIL, OPT_LABEL_HORIZON, OPT_CANDIDATES, OPT_NEGATIVES, OPT_SORT,
	OPT_ITEM_STATS, OPT_ITEM_STATS_OUT
};

static const struct cli_option options[] = {
	{ OPT_KEY, "key", 0, "COL", "series key column (default: the whole input is one series)" },
	{ OPT_TIME, "time", 0, "COL", "date column, YYYY-MM-DD (default date)" },
	{ OPT_TARGET, "target", 0, "COL", "the value to forecast, read by lags and windows (default sales)" },
	{ OPT_LAGS, "lags", 0, "DAYS", "lags of the target by calendar days, e.g. 1,7,14" },
	{ OPT_ROLLING, "rolling", 0, "STAT:DAYS", "past-only windows of the target, STAT mean|std|min|max|sum, e.g. mean:7,std:7" },
	{ OPT_EWM, "ewm", 0, "DAYS", "exponentially weighted means of the target with these half-lives" },
	{ OPT_CALENDAR, "calendar", 0, "LIST", "dow, month, dom, weekend, fourier:PERIOD:ORDER" },
	{ OPT_LOG1P, "log1p", 0, "COLS", "log(1 + x) of these covariates; with --events, of these features, or of every count: counts" },
	{ OPT_RATIO, "ratio", 0, "A/B", "ratios of covariates, e.g. price/footfall" },
	{ OPT_FILL, "fill", 0, "none|zero|ffill", "days without a value in a window: left out (default), 0, or the last value" },
	{ OPT_WARMUP, "warmup", 0, "drop|keep", "rows without a full look-back: dropped (default) or kept with empty features" },
	{ OPT_SORTED, "sorted", 0, NULL, "input is in time order per key: stream it in O(keys x window) memory" },
	{ OPT_GROUPED, "grouped", 0, NULL, "each key's rows come together (events: each user's, in time order, with --item-stats(-out)): one in memory; exit 1 if not" },
	{ OPT_EVENTS, "events", 0, NULL, "events mode: one row per user and candidate item as of cut times" },
	{ OPT_ITEMS, "items", 0, "FILE", "events: widget catalog (item_id, item_type); its items are always candidates" },
	{ OPT_USERS, "users", 0, "FILE", "events: users to include even without history (user_id, role)" },
	{ OPT_WINDOWS, "windows", 0, "LIST", "events: count windows before the cut (default 1h,24h,7d,30d)" },
	{ OPT_HALF_LIFE, "half-life", 0, "DUR", "events: half-life of decayed engagement (default 7d)" },
	{ OPT_ASOF, "asof", 0, "TIME", "events: the one cut time (YYYY-MM-DD, RFC 3339 or now)" },
	{ OPT_ASOF_EVERY, "asof-every", 0, "STEP", "events: a cut every STEP (e.g. 1d), from the first event on" },
	{ OPT_SINCE, "since", 0, "TIME", "events with --asof-every: no cut before TIME" },
	{ OPT_UNTIL, "until", 0, "TIME", "events with --asof-every: no cut after TIME; cuts fall on its grid" },
	{ OPT_LABEL_HORIZON, "label-horizon", 0, "DUR", "events: add label, 1 when the user engaged with the item within DUR after the cut" },
	{ OPT_CANDIDATES, "candidates", 0, "LIST", "events: all (default), popular:N, cooc:N, shown, or a FILE of user_id,item_id" },
	{ OPT_NEGATIVES, "negatives", 0, "K", "events with labels: keep every positive and K sampled negatives per positive" },
	{ OPT_SORT, "sort", 0, NULL, "events: sort the events by time in memory (default: they must come in time order)" },
	{ OPT_ITEM_STATS_OUT, "item-stats-out", 0, "FILE", "events: write the item statistics over these users' events to FILE, no rows" },
	{ OPT_ITEM_STATS, "item-stats", 0, "FILES", "events: read the item statistics (summed over the files) instead of computing them" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-features", "[OPTION]... [FILE]...",
	"Add point-in-time features to daily series (lags, windows, calendar), or make them per user and item from events (--events).",
	options, CLI_INPUT | CLI_OUTPUT | CLI_ACCOUNTING | CLI_SEED,
	"  adash-features --key shop_id --time date --target sales --lags 1,7,14 \\\n"
	"      --rolling mean:7,std:7,mean:28 --calendar dow,month,fourier:365.25:2 < sales.csv > feat.csv\n"
	"  adash-features --key shop_id --lags 7 --fill ffill --warmup keep --sorted < sales.csv\n"
	"  adash-features --events --items items.csv --windows 1h,24h,7d,30d --asof-every 1d \\\n"
	"      --label-horizon 1d --until 2024-03-01 < ev.csv > train.csv\n"
	"  adash-features --events --items items.csv --asof 2024-03-01 < ev.csv > serve.csv\n"
};

static const char *option_name(int id)
{
	for (const struct cli_option *op = options; op->id; op++)
		if (op->id == id)
			return op->name;
	return "?";
}

int main(int argc, char **argv)
{
	struct cli c;
	struct features_options o;
	struct events_options eo;
	struct progress progress;
	struct adash_err e;
	const char *arg;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, events = 0;
	const char *series_option = NULL, *events_option = NULL;

	memset(&o, 0, sizeof o);
	memset(&eo, 0, sizeof eo);
	cli_init(&c, &program, argc, argv);
	o.time = "date";
	o.target = "sales";
	while ((opt = cli_next(&c, &arg)) != 0) {
		/* --log1p and --grouped serve both modes */
		if (opt >= OPT_KEY && opt <= OPT_GROUPED && opt != OPT_LOG1P && opt != OPT_GROUPED)
			series_option = option_name(opt);
		else if (opt >= OPT_ITEMS)
			events_option = option_name(opt);
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
		case OPT_GROUPED: o.grouped = eo.grouped = 1; break;
		case OPT_EVENTS: events = 1; break;
		case OPT_ITEMS: eo.items_path = arg; break;
		case OPT_USERS: eo.users_path = arg; break;
		case OPT_WINDOWS: eo.windows = cli_add_list(&c, "--windows", arg, eo.windows); break;
		case OPT_HALF_LIFE: eo.half_life = arg; break;
		case OPT_ASOF: eo.asof = arg; break;
		case OPT_ASOF_EVERY: eo.asof_every = arg; break;
		case OPT_SINCE: eo.since = arg; break;
		case OPT_UNTIL: eo.until = arg; break;
		case OPT_LABEL_HORIZON: eo.label_horizon = arg; break;
		case OPT_CANDIDATES: eo.candidates = cli_add_list(&c, "--candidates", arg, eo.candidates); break;
		case OPT_NEGATIVES: eo.negatives = (long)cli_parse_int(&c, "--negatives", arg, 1, 1000000); break;
		case OPT_SORT: eo.sort = 1; break;
		case OPT_ITEM_STATS: eo.item_stats = cli_add_list(&c, "--item-stats", arg, eo.item_stats); break;
		case OPT_ITEM_STATS_OUT: eo.item_stats_out = arg; break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	if (events && series_option)
		cli_usage_error(&c, "--%s is a series-mode option; --events makes rows from events", series_option);
	if (!events && events_option)
		cli_usage_error(&c, "--%s is an events-mode option: give --events", events_option);
	if (events) {
		eo.log1p = o.log1p;
		cli_run_io(&c, &eo.io, &progress);
		if (events_run(&eo, inputs, stdout, &e) < 0) {
			if (e.code == ADASH_EUSAGE)
				cli_usage_error(&c, "%s", e.msg);
			cli_fail(&c, &e);
		}
		cli_free_list(eo.windows);
		cli_free_list(eo.candidates);
		cli_free_list(eo.item_stats);
		cli_free_list(o.log1p);
		cli_close_stdout(&c);
		cli_free(&c);
		return ADASH_OK;
	}
	cli_run_io(&c, &o.io, &progress);

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
