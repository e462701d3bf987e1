/*
 * adash-synth: deterministic demo and test data (sales, events, the widget
 * catalog).  The generators are lib/synth.c; this file is options and wiring.
 */
#include "atomicfile.h"
#include "cli.h"
#include "synth.h"
#include "timeutil.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

enum {
	OPT_SHOPS = 0x100, OPT_DAYS, OPT_START, OPT_USERS, OPT_ITEMS, OPT_ITEMS_OUT, OPT_SLOTS
};

static const struct cli_option options[] = {
	{ OPT_SHOPS, "shops", 0, "N", "sales: number of shops (default 10); events, items: the catalog's kpi widgets show these shops' sales (a series column)" },
	{ OPT_DAYS, "days", 0, "N", "number of days (default 730 for sales, 90 for events)" },
	{ OPT_START, "start", 0, "DATE", "first day, YYYY-MM-DD (default 2023-01-01 for sales, 2024-01-01 for events)" },
	{ OPT_USERS, "users", 0, "N", "events: number of users (default 200)" },
	{ OPT_ITEMS, "items", 0, "N", "events, items: number of widgets in the catalog (default 40)" },
	{ OPT_SLOTS, "slots", 0, "N", "events: widgets shown on a page (default 8)" },
	{ OPT_ITEMS_OUT, "items-out", 0, "FILE", "events: also write the widget catalog to FILE (NDJSON if it ends in .ndjson)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-synth", "sales|events|items [OPTION]...",
	"Generate deterministic synthetic data: daily sales per shop, dashboard events, or the widget catalog (items).",
	options, CLI_OUTPUT | CLI_SEED,
	"  adash-synth sales --shops 10 --days 730 --seed 42 > sales.csv\n"
	"  adash-synth events --users 200 --items 40 --days 60 --seed 1 --output-format ndjson > events.ndjson\n"
	"  adash-synth events --users 2000 --items 60 --days 90 --items-out items.csv > ev.csv\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct adash_err e;
	const char *arg, *start = NULL, *items_out = NULL, *kind;
	long shops = 10, days = -1, catalog_shops = 0, users = 200, items = 40, slots = 8;
	int64_t start_day;
	struct writer *w;
	uint64_t rows = 0;
	int opt, fmt;

	cli_init(&c, &program, argc, argv);
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_SHOPS: shops = catalog_shops = (long)cli_parse_int(&c, "--shops", arg, 0, 100000000); break;
		case OPT_DAYS: days = (long)cli_parse_int(&c, "--days", arg, 0, 100000); break;
		case OPT_START: start = arg; break;
		case OPT_USERS: users = (long)cli_parse_int(&c, "--users", arg, 0, 100000000); break;
		case OPT_ITEMS: items = (long)cli_parse_int(&c, "--items", arg, 0, 100000); break;
		case OPT_SLOTS: slots = (long)cli_parse_int(&c, "--slots", arg, 1, 1000); break;
		case OPT_ITEMS_OUT: items_out = arg; break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (c.optind >= argc)
		cli_usage_error(&c, "say what to generate: sales, events or items");
	if (c.optind + 1 < argc)
		cli_usage_error(&c, "unexpected argument '%s'", argv[c.optind + 1]);
	kind = argv[c.optind];
	if (strcmp(kind, "sales") != 0 && strcmp(kind, "events") != 0 && strcmp(kind, "items") != 0)
		cli_usage_error(&c, "'%s' is not sales, events or items", kind);
	if (!start)
		start = strcmp(kind, "sales") == 0 ? "2023-01-01" : "2024-01-01";
	if (time_parse_date(start, strlen(start), &start_day) < 0)
		cli_usage_error(&c, "--start: '%s' is not a date (YYYY-MM-DD)", start);
	if (days < 0)
		days = strcmp(kind, "sales") == 0 ? 730 : 90;
	{
		int64_t last_day;
		/* dates are YYYY-MM-DD: nothing after 9999-12-31 */
		time_parse_date("9999-12-31", 10, &last_day);
		if (start_day + days - 1 > last_day)
			cli_usage_error(&c, "--start %s with --days %ld goes past 9999-12-31", start, days);
	}
	if (items_out && strcmp(kind, "events") != 0)
		cli_usage_error(&c, "--items-out is only for events");

	fmt = c.output_format ? c.output_format : FORMAT_CSV;
	w = writer_new(stdout, fmt, c.delimiter, c.header);
	if (strcmp(kind, "sales") == 0) {
		struct synth_sales_options so = { shops, days, start_day, c.seed };
		rows = synth_sales(&so, w);
	} else {
		struct synth_events_options eo = { users, items, days, start_day, c.seed, (int)slots, catalog_shops };
		if (items_out) {
			struct atomic_file af;
			struct writer *iw;
			const char *dot = strrchr(items_out, '.');
			int ifmt = dot && strcmp(dot, ".ndjson") == 0 ? FORMAT_NDJSON : FORMAT_CSV;

			if (atomic_open(&af, items_out, &e) < 0)
				cli_fail(&c, &e);
			iw = writer_new(af.fp, ifmt, c.delimiter, 1);
			synth_items(&eo, iw);
			writer_free(iw);
			if (atomic_commit(&af, &e) < 0)
				cli_fail(&c, &e);
		}
		if (strcmp(kind, "items") == 0) {
			synth_items(&eo, w);
			rows = (uint64_t)items;
		} else {
			rows = synth_events(&eo, w);
		}
	}
	writer_free(w);
	cli_close_stdout(&c);
	if (c.verbose && !c.quiet)
		fprintf(stderr, "%s: %llu rows\n", program.name, (unsigned long long)rows);
	cli_free(&c);
	return ADASH_OK;
}
