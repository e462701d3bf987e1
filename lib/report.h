/*
 * report: adash-report: what a person looks at.
 *
 * Pages: a self-contained HTML page per user (inline CSS and SVG, nothing
 * loaded from anywhere, so it works from file:// and offline): the user's
 * widgets as cards in the order of the layout (adash-rank's output), each
 * with its title and type from the catalog, its rank, score and policy,
 * and its reasons (the reason_N columns adash-explain put in and adash-rank
 * passed through); a widget whose catalog row names a series (the series
 * column), or a kpi widget when the forecast has a total, shows the chart
 * of that series' history, forecast and interval; the total (the district,
 * adash-forecast --total) heads every page when the forecast has it.  With
 * --all, one page per user and an index page listing them.
 *
 * The layout is read as a stream: a user's rows must come together (as
 * adash-rank writes them), and each user's page is written when the next
 * user's rows begin, so memory is one user's rows plus the index's line
 * per user, the catalog and the charts (keys x days drawn) whatever the
 * number of users.  Rows of a user seen again after another user's are an
 * error.  Every string from the data is escaped (html.h); pages and file
 * names depend on the inputs alone, so the same inputs give the same bytes.
 *
 * Terminal: every key's chart of a forecast (and its history) as text
 * (termchart.h), in the order of the forecast; or, with a user, that
 * user's dashboard as text: the same cards in the same order, the charts
 * drawn by termchart, every string from the data with its control
 * characters made harmless (term_text).
 */
#ifndef ADASH_REPORT_H
#define ADASH_REPORT_H

#include "chart.h"
#include "cli.h"
#include "err.h"
#include "termchart.h"

#include <stdio.h>

struct report_options {
	const char *forecast_path;  /* adash-forecast's output (pages; --term reads inputs) */
	const char *history_path;   /* observations: key, date, target */
	const char *items_path;     /* the catalog: item_id, item_type, title, series */
	const char *user;           /* only this user's page */
	int all;                    /* every user's page and an index */
	int text;                   /* the user's dashboard as text on stdout */
	const char *output;         /* a file (one page; NULL: stdout) or a directory (--all) */
	const char *series_col;     /* the catalog's column naming a widget's series */
	const char *total_key;      /* the forecast key of the total */
	struct chart_set_options charts;
	struct termchart_options term;
	struct run_io io;
};

/* Pages from the layout inputs (NULL-terminated paths, "-" stdin).
 * 0, or -1 with e. */
int report_pages(const struct report_options *o, char *const *inputs, struct adash_err *e);
/* Terminal charts of the forecast inputs to out.  0, or -1 with e. */
int report_term(const struct report_options *o, char *const *inputs, FILE *out,
		struct adash_err *e);

#endif
