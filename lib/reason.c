/* reason: see reason.h. */
#include "reason.h"

#include "featspec.h"
#include "num.h"
#include "timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char *const weekdays[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					"Friday", "Saturday", "Sunday" };
static const char *const months[] = { "January", "February", "March", "April", "May", "June",
				      "July", "August", "September", "October", "November",
				      "December" };

/* A number to four significant digits (%.4g: 0.003912, 212.4, 1235),
 * whole numbers from 10000 up (12346, not 1.235e+04), trailing zeros
 * dropped. */
static void add_number(struct buf *b, double v)
{
	char s[64];

	if (!isfinite(v)) {
		buf_addstr(b, "?");
		return;
	}
	if (fabs(v) >= 1e4)
		snprintf(s, sizeof s, "%.0f", v);
	else
		snprintf(s, sizeof s, "%.4g", v);
	buf_addstr(b, strcmp(s, "-0") == 0 ? "0" : s);
}

static void add_percent(struct buf *b, double share)
{
	add_number(b, nearbyint(share * 1000) / 10);
	buf_addch(b, '%');
}

/* "7 days", "24 hours", "hour": a window's text in words. */
static void add_window(struct buf *b, const char *w)
{
	static const struct { char unit; const char *one, *many; } units[] = {
		{ 's', "second", "seconds" }, { 'm', "minute", "minutes" }, { 'h', "hour", "hours" },
		{ 'd', "day", "days" }, { 'w', "week", "weeks" },
	};
	size_t n = strlen(w);
	long count = strtol(w, NULL, 10);

	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (w[n - 1] == units[i].unit) {
			if (count == 1) {
				buf_addstr(b, units[i].one);
			} else {
				buf_printf(b, "%ld %s", count, units[i].many);
			}
			return;
		}
	buf_addstr(b, w);
}

/* "5 times", "once" */
static void add_times(struct buf *b, double v)
{
	if (v == 1)
		buf_addstr(b, "once");
	else {
		add_number(b, v);
		buf_addstr(b, " times");
	}
}

/* "2 days", "3 hours": a number of seconds in the largest whole unit. */
static void add_duration(struct buf *b, double secs)
{
	if (secs >= 2 * 86400)
		buf_printf(b, "%.0f days", floor(secs / 86400));
	else if (secs >= 2 * 3600)
		buf_printf(b, "%.0f hours", floor(secs / 3600));
	else if (secs >= 120)
		buf_printf(b, "%.0f minutes", floor(secs / 60));
	else
		buf_printf(b, "%.0f second%s", floor(secs), floor(secs) == 1 ? "" : "s");
}

static void event_phrase(int f, const char *w, const char *text, double v, struct buf *b)
{
	static const char *const acts[] = {
		[EVF_IMPR] = "shown", [EVF_OPEN] = "opened", [EVF_DRILL] = "drilled into",
		[EVF_FILTER] = "filtered", [EVF_EXPORT] = "exported",
	};

	switch (f) {
	case EVF_IMPR: case EVF_OPEN: case EVF_DRILL: case EVF_FILTER: case EVF_EXPORT:
		if (v == 0) {
			buf_printf(b, "not %s", acts[f]);
			break;
		}
		buf_printf(b, "%s ", acts[f]);
		add_times(b, v);
		break;
	case EVF_SECS:
		add_number(b, v);
		buf_addstr(b, " seconds spent on it");
		break;
	case EVF_DECAY:
		buf_addstr(b, "recent use (weighted by a half-life of ");
		add_window(b, w);
		buf_addstr(b, "): ");
		add_number(b, v);
		return;
	case EVF_SINCE:
		buf_addstr(b, "last used ");
		add_duration(b, v);
		buf_addstr(b, " ago");
		return;
	case EVF_PINNED:
		buf_addstr(b, v == 1 ? "pinned" : "not pinned");
		return;
	case EVF_NOT_INTERESTED:
		buf_addstr(b, v == 1 ? "marked not interested" : "not marked not interested");
		return;
	case EVF_SHARE:
		add_percent(b, v);
		buf_addstr(b, " of the user's use");
		break;
	case EVF_USER_ENGAGE:
		if (v == 0) {
			buf_addstr(b, "the user used no widget");
			break;
		}
		buf_addstr(b, "the user used widgets ");
		add_times(b, v);
		break;
	case EVF_USER_SESSIONS:
		if (v == 0) {
			buf_addstr(b, "the user did not visit");
			break;
		}
		buf_addstr(b, "the user visited ");
		add_times(b, v);
		break;
	case EVF_ITEM_ENGAGE:
		if (v == 0) {
			buf_addstr(b, "not used by anyone");
			break;
		}
		buf_addstr(b, "used ");
		add_times(b, v);
		buf_addstr(b, " by everyone");
		break;
	case EVF_ITEM_USERS:
		buf_addstr(b, "used by ");
		add_number(b, v);
		buf_addstr(b, v == 1 ? " person" : " people");
		break;
	case EVF_ITEM_CTR:
		buf_addstr(b, "opened after ");
		add_percent(b, v);
		buf_addstr(b, " of showings");
		break;
	case EVF_TYPE_SHARE:
		add_percent(b, v);
		buf_addstr(b, " of the user's use on widgets of this type");
		break;
	case EVF_ROLE_ENGAGE:
		if (v == 0) {
			buf_addstr(b, "not used by people in the same role");
			break;
		}
		buf_addstr(b, "used ");
		add_times(b, v);
		buf_addstr(b, " by people in the same role");
		break;
	case EVF_COOC:
		buf_addstr(b, "used by people with similar habits (score ");
		add_number(b, v);
		buf_addch(b, ')');
		return;
	case EVF_HOUR:
		buf_printf(b, "at %02.0f:00", v);
		return;
	case EVF_DOW:
		if (v >= 1 && v <= 7 && v == nearbyint(v))
			buf_printf(b, "on a %s", weekdays[(int)v - 1]);
		else
			buf_printf(b, "day of week %s", text);
		return;
	default:
		return;
	}
	buf_addstr(b, " in the last ");
	add_window(b, w);
}

static void series_phrase(const struct featspec *fs, double v, const char *text, struct buf *b)
{
	static const char *const stats[] = { "average", "spread of", "lowest", "highest", "total" };

	switch (fs->kind) {
	case FEAT_LAG:
		if (fs->n == 1)
			buf_printf(b, "%s the day before: ", fs->col);
		else
			buf_printf(b, "%s %d days earlier: ", fs->col, fs->n);
		add_number(b, v);
		break;
	case FEAT_ROLL:
		buf_printf(b, "%s %s over the %d days before: ", stats[fs->stat], fs->col, fs->n);
		add_number(b, v);
		break;
	case FEAT_EWM:
		buf_printf(b, "recent %s (weighted, half-life ", fs->col);
		add_number(b, fs->param);
		buf_addstr(b, fs->param == 1 ? " day): " : " days): ");
		add_number(b, v);
		break;
	case FEAT_DOW:
		if (v >= 1 && v <= 7 && v == nearbyint(v))
			buf_printf(b, "on a %s", weekdays[(int)v - 1]);
		else
			buf_printf(b, "day of week %s", text);
		break;
	case FEAT_MONTH:
		if (v >= 1 && v <= 12 && v == nearbyint(v))
			buf_printf(b, "in %s", months[(int)v - 1]);
		else
			buf_printf(b, "month %s", text);
		break;
	case FEAT_DOM:
		buf_addstr(b, "day ");
		add_number(b, v);
		buf_addstr(b, " of the month");
		break;
	case FEAT_WEEKEND:
		buf_addstr(b, v == 1 ? "a weekend" : "a weekday");
		break;
	case FEAT_FOURIER:
		if (fs->param == 7)
			buf_addstr(b, "the weekly cycle");
		else if (fs->param >= 365 && fs->param <= 366)
			buf_addstr(b, "the time of year");
		else {
			buf_addstr(b, "the ");
			add_number(b, fs->param);
			buf_addstr(b, "-day cycle");
		}
		break;
	case FEAT_LOG1P: {
		/* the same value as COL itself, as the model saw it */
		const char *window;
		int f;

		if (event_feature_parse(fs->col, &f, &window) == 0) {
			event_phrase(f, window, text, expm1(v), b);
			buf_addstr(b, ", on a log scale");
			break;
		}
		buf_printf(b, "%s on a log scale: ", fs->col);
		add_number(b, expm1(v));
		break;
	}
	case FEAT_RATIO:
		buf_printf(b, "%s per %s: ", fs->col, fs->col2);
		add_number(b, v);
		break;
	default:
		break;
	}
}

/* The sales schema's covariates (adash.7) have phrases of their own. */
static int raw_phrase(const char *name, const char *text, double v, struct buf *b)
{
	if (strcmp(name, "promo") == 0 && (v == 0 || v == 1)) {
		buf_addstr(b, v == 1 ? "a promotion is planned" : "no promotion");
		return 1;
	}
	if (strcmp(name, "price") == 0 && isfinite(v)) {
		buf_addstr(b, "price: ");
		add_number(b, v);
		return 1;
	}
	if (strcmp(name, "temp_c") == 0 && isfinite(v)) {
		buf_addstr(b, "temperature: ");
		add_number(b, v);
		buf_addstr(b, " \xc2\xb0""C");
		return 1;
	}
	if (strcmp(name, "footfall") == 0 && isfinite(v)) {
		buf_addstr(b, "footfall: ");
		add_number(b, v);
		return 1;
	}
	(void)text;
	return 0;
}

void reason_phrase(const char *name, const char *text, double v, struct buf *out)
{
	struct featspec fs;
	struct adash_err e;
	const char *window;
	int f;

	/* a missing value stands for the training mean: it says nothing of
	 * the row, and no phrase of a kind should read it as a value */
	if (!text || !*text || strcmp(text, "NA") == 0) {
		buf_printf(out, "%s: no value", name);
		return;
	}

	if (event_feature_parse(name, &f, &window) == 0) {
		event_phrase(f, window, text, v, out);
		return;
	}
	if (raw_phrase(name, text, v, out))
		return;
	if (featspec_parse(name, NULL, 0, &fs, &e) == 0) {
		if (fs.kind != FEAT_RAW) {
			series_phrase(&fs, v, text, out);
			featspec_free(&fs);
			return;
		}
		featspec_free(&fs);
	}
	buf_printf(out, "%s: ", name);
	if (isfinite(v))
		add_number(out, v);
	else
		buf_addstr(out, text && *text ? text : "none");
}

void reason_sentence(const char *name, const char *text, double v, double contribution,
		     struct buf *out)
{
	reason_phrase(name, text, v, out);
	buf_addstr(out, contribution > 0 ? " (raises the prediction)"
			: contribution < 0 ? " (lowers the prediction)" : " (no effect)");
}
