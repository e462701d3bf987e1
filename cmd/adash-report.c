/*
 * adash-report: the dashboard itself: a self-contained HTML page per user
 * (widgets in ranked order with their reasons, KPI charts of history,
 * forecast and interval) or charts in the terminal.  The work is
 * lib/report.c over lib/chart.c, lib/svgchart.c and lib/termchart.c; this
 * file is options and wiring.
 */
#include "cli.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_OUTPUT = 'o',
	OPT_LAYOUT = 0x100, OPT_FORECAST, OPT_HISTORY, OPT_ITEMS, OPT_USER, OPT_ALL, OPT_TERM,
	OPT_ASCII, OPT_WIDTH, OPT_HEIGHT, OPT_HISTORY_DAYS, OPT_KEY, OPT_TIME, OPT_TARGET,
	OPT_SERIES_COL, OPT_TOTAL_KEY
};

static const struct cli_option options[] = {
	{ OPT_LAYOUT, "layout", 0, "FILE", "the layout (adash-rank's output; default: the FILE operands or stdin)" },
	{ OPT_FORECAST, "forecast", 0, "FILE", "forecasts to chart (adash-forecast's output)" },
	{ OPT_HISTORY, "history", 0, "FILE", "observations to chart before the forecast (key, --time, --target)" },
	{ OPT_ITEMS, "items", 0, "FILE", "the widget catalog: item_id, item_type, title, and a series column" },
	{ OPT_USER, "user", 0, "ID", "write this user's page (to -o FILE, or stdout)" },
	{ OPT_ALL, "all", 0, NULL, "write every user's page and index.html into the directory -o DIR" },
	{ OPT_OUTPUT, "output", 'o', "PATH", "the page's file (--user) or the pages' directory (--all)" },
	{ OPT_TERM, "term", 0, NULL, "draw each series of the forecast (operands or stdin) in the terminal; with --user, the user's dashboard" },
	{ OPT_ASCII, "ascii", 0, NULL, "--term: plain ASCII instead of braille and box drawing" },
	{ OPT_WIDTH, "width", 0, "N", "--term: columns (default $COLUMNS, else 80)" },
	{ OPT_HEIGHT, "height", 0, "N", "--term: rows of each plot (default 10)" },
	{ OPT_HISTORY_DAYS, "history-days", 0, "N", "days of history before each forecast (default 56)" },
	{ OPT_KEY, "key", 0, "COL", "the series key column (default: the forecast's first column)" },
	{ OPT_TIME, "time", 0, "COL", "the date column of forecast and history (default date)" },
	{ OPT_TARGET, "target", 0, "COL", "the history's value column (default sales)" },
	{ OPT_SERIES_COL, "series-col", 0, "COL", "the catalog column naming a widget's series (default series)" },
	{ OPT_TOTAL_KEY, "total-key", 0, "KEY", "the forecast key of the total, shown on every page (default total)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-report", "(--user ID | --all -o DIR | --term [--user ID]) [OPTION]... [FILE]...",
	"Draw the dashboards: a self-contained HTML page per user, or forecast charts in the terminal.",
	options, CLI_INPUT,
	"  adash-report --layout layout.csv --forecast fc.csv --history sales.csv --items items.csv \\\n"
	"    --user u017 -o u017.html\n"
	"  adash-report --layout layout.csv --forecast fc.csv --history sales.csv --items items.csv \\\n"
	"    --all -o dashboard\n"
	"  adash-forecast -m sales.model --horizon 14 --interval 80 < sales.csv | adash-report --term\n"
	"  adash-report --term --user u017 --forecast fc.csv --items items.csv < layout.csv\n"
};

/* The terminal's width: $COLUMNS when it is a sensible number, else 80. */
static int terminal_width(void)
{
	const char *s = getenv("COLUMNS");
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;

	return s && *s && !*end && v >= 20 && v <= 1000 ? (int)v : 80;
}

int main(int argc, char **argv)
{
	struct cli c;
	struct report_options o;
	struct progress progress;
	struct adash_err e;
	const char *arg, *layout = NULL;
	char *stdin_only[] = { "-", NULL }, *one[2] = { NULL, NULL };
	char **inputs;
	int opt, term_only = 0, rc;

	memset(&o, 0, sizeof o);
	cli_init(&c, &program, argc, argv);
	o.charts.time = "date";
	o.charts.target = "sales";
	o.charts.history_days = 56;
	o.series_col = "series";
	o.total_key = o.charts.total_key = "total";
	o.term.height = 10;
	o.term.width = terminal_width();
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_LAYOUT: layout = arg; break;
		case OPT_FORECAST: o.forecast_path = arg; break;
		case OPT_HISTORY: o.history_path = arg; break;
		case OPT_ITEMS: o.items_path = arg; break;
		case OPT_USER: o.user = arg; break;
		case OPT_ALL: o.all = 1; break;
		case OPT_OUTPUT: o.output = arg; break;
		case OPT_TERM: term_only |= 1; break;
		case OPT_ASCII: o.term.ascii = 1; term_only |= 2; break;
		case OPT_WIDTH: o.term.width = (int)cli_parse_int(&c, "--width", arg, 20, 1000); term_only |= 2; break;
		case OPT_HEIGHT: o.term.height = (int)cli_parse_int(&c, "--height", arg, 2, 200); term_only |= 2; break;
		case OPT_HISTORY_DAYS:
			o.charts.history_days = (int)cli_parse_int(&c, "--history-days", arg, 1, 100000);
			break;
		case OPT_KEY: o.charts.key = arg; break;
		case OPT_TIME: o.charts.time = arg; break;
		case OPT_TARGET: o.charts.target = arg; break;
		case OPT_SERIES_COL: o.series_col = arg; break;
		case OPT_TOTAL_KEY: o.total_key = o.charts.total_key = arg; break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	if (term_only == 2)
		cli_usage_error(&c, "--ascii, --width and --height are for --term");
	cli_run_io(&c, &o.io, &progress);
	o.charts.read = &o.io.read;
	if (term_only && o.user) {
		/* one user's dashboard as text: the layout as for a page */
		if (o.all || o.output)
			cli_usage_error(&c, "--term --user writes the user's dashboard on stdout; --all and -o are for pages");
		if (layout && c.optind < argc)
			cli_usage_error(&c, "the layout is --layout or the FILE operands, not both");
		o.text = 1;
		one[0] = (char *)layout;
		inputs = layout ? one : c.optind < argc ? argv + c.optind : stdin_only;
		rc = report_pages(&o, inputs, &e);
	} else if (term_only) {
		if (layout || o.all || o.items_path || o.output)
			cli_usage_error(&c, "--term draws the forecast's charts on stdout (with --user, a user's dashboard); --layout, --all, --items and -o are for pages");
		if (o.forecast_path && c.optind < argc)
			cli_usage_error(&c, "--term reads the forecast from --forecast or the FILE operands, not both");
		one[0] = (char *)o.forecast_path;
		inputs = o.forecast_path ? one : c.optind < argc ? argv + c.optind : stdin_only;
		rc = report_term(&o, inputs, stdout, &e);
	} else {
		if (!o.user == !o.all)
			cli_usage_error(&c, "give --user ID (one page) or --all -o DIR (every page), or --term");
		if (o.all && !o.output)
			cli_usage_error(&c, "--all writes a directory of pages: give it with -o DIR");
		if (layout && c.optind < argc)
			cli_usage_error(&c, "the layout is --layout or the FILE operands, not both");
		one[0] = (char *)layout;
		inputs = layout ? one : c.optind < argc ? argv + c.optind : stdin_only;
		rc = report_pages(&o, inputs, &e);
	}
	if (rc < 0)
		cli_fail(&c, &e);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
