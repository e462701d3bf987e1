/*
 * chart: what a KPI chart shows and the scales it is drawn on, shared by
 * the two renderers (svgchart for pages, termchart for terminals) so that
 * a page and a terminal show the same days, values and ticks.
 *
 * A chart is one series: its recent history (the days before the first
 * forecast day, at most a window of them) and its forecast steps with the
 * interval.  A chart set holds the charts of every key of a forecast file,
 * with history from a file of observations: only the window before each
 * key's forecast is kept, so memory is keys x (window + horizon) whatever
 * the length of the history file.
 */
#ifndef ADASH_CHART_H
#define ADASH_CHART_H

#include "err.h"
#include "hashmap.h"
#include "reader.h"

#include <stddef.h>
#include <stdint.h>

struct chart_point {
	int64_t day;
	double value;
};

struct chart_step {
	int64_t day;
	double pred, lo, hi;   /* lo and hi NaN when the forecast has no interval */
};

struct chart {
	char *key;                    /* "" for a forecast without a key */
	struct chart_point *hist;     /* in day order */
	size_t nhist;
	struct chart_step *fc;        /* in day order */
	size_t nfc, fccap;
	double *window;               /* while loading: history by day offset */
};

/* The values a chart can show: beyond +-CHART_VALUE_MAX (where a range
 * would overflow) values are drawn at the edge, and ranges finer than
 * CHART_VALUE_MIN are taken as flat. */
#define CHART_VALUE_MAX 1e300
#define CHART_VALUE_MIN 1e-290

/* A scale of round ticks: lo, lo + step, ..., hi (hi - lo a multiple of
 * step), and the decimals that write every tick exactly. */
struct chart_scale {
	double lo, hi, step;
	int decimals;
	int nticks;
};

/* The smallest and largest values the chart draws (history, predictions
 * and interval bounds).  0 when it has any. */
int chart_extent(const struct chart *c, double *min, double *max);
/* Round ticks covering [min, max] with at most max_ticks of them (taken
 * as 3 when less), for finite min and max. */
void chart_scale_of(double min, double max, int max_ticks, struct chart_scale *s);
/* A tick or label value with the scale's decimals (at most NUM_FORMAT_MAX
 * bytes, trailing zeros dropped). */
size_t chart_format_value(double v, int decimals, char *out);
/* v held within the scale, for drawing. */
double chart_clamp(const struct chart_scale *s, double v);
/* First and last day drawn. */
void chart_days(const struct chart *c, int64_t *first, int64_t *last);
/* A round number of days between date ticks so that the span has at most
 * max_ticks of them: 1, 2, 7, 14, 28, 91, 182 or 364 days, or more. */
int64_t chart_day_step(int64_t span, int max_ticks);

struct chart_set_options {
	const char *key;          /* key column; NULL: the forecast's first column */
	const char *time;         /* date column (default "date") */
	const char *target;       /* history's value column (default "sales") */
	int history_days;         /* days of history before each forecast */
	const char *total_key;    /* the key of the sum of all series (NULL: none) */
	const struct reader_options *read;
};

struct chart_set {
	const struct chart_set_options *o;
	char *key_col;            /* the key column found in the forecast */
	int keyless;              /* the forecast has no key column */
	struct hashmap index;     /* key -> chart number */
	struct chart *charts;
	size_t n, cap;
};

void chart_set_init(struct chart_set *s, const struct chart_set_options *o);
void chart_set_free(struct chart_set *s);
/* Adds a forecast file's rows (adash-forecast's output: key, date, pred,
 * lo, hi).  0, or -1 with e. */
int chart_set_add_forecast(struct chart_set *s, const char *path, struct adash_err *e);
/* Orders each chart's steps by day; a day given twice is an error.  Call
 * after the last forecast file and before history. */
int chart_set_seal(struct chart_set *s, struct adash_err *e);
/* Adds the history of a file of observations (key, date, target).  The
 * total (total_key), which observations seldom have, gets the sum of the
 * other series on the days every one of them has a value. */
int chart_set_add_history(struct chart_set *s, const char *path, struct adash_err *e);
/* The chart of key, or NULL. */
const struct chart *chart_set_get(const struct chart_set *s, const char *key, size_t len);

#endif
