/*
 * featspec: feature names <-> definitions (see featspec.h for the grammar).
 *
 * Parsing goes from the most specific shape to the least: the calendar
 * words, the window suffixes (with an optional fill after them: the grammar
 * is matched from the end, so a lag of a column "log1p_sales" is
 * "log1p_sales_lag_7"), the fourier_ and log1p_ prefixes, A_per_B, and
 * finally a raw column.  A number
 * inside a name must be in its one canonical spelling; "sales_lag_07" is
 * not a lag but a raw column of that name, so that no two names mean the
 * same feature.
 */
#include "featspec.h"

#include "num.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stat_names[] = { "mean", "std", "min", "max", "sum" };
static const char *const fill_names[] = { "none", "zero", "ffill" };

int roll_stat_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof stat_names / sizeof *stat_names; i++)
		if (strcmp(name, stat_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *roll_stat_name(int stat)
{
	return stat >= 0 && stat <= ROLL_SUM ? stat_names[stat] : "?";
}

int fill_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof fill_names / sizeof *fill_names; i++)
		if (strcmp(name, fill_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *fill_name(int fill)
{
	return fill >= 0 && fill <= FILL_FFILL ? fill_names[fill] : "?";
}

/* A number in a name: s[0..len) in canonical form. */
static int name_number(const char *s, size_t len, double *out)
{
	return len > 0 && num_parse_canonical(s, len, out) == 1 && isfinite(*out) ? 0 : -1;
}

static int name_int(const char *s, size_t len, int *out)
{
	double d;

	if (name_number(s, len, &d) < 0 || d != floor(d))
		return -1;
	/* an integer too large for an int is still in the grammar, only out
	 * of range: clamped, so that check_range refuses it with a message */
	*out = d < -1e9 ? -1000000001 : d > 1e9 ? 1000000001 : (int)d;
	return 0;
}

static char *dup_range(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* COL_lag_N, COL_rSTAT_N, COL_ewm_H in s[0..len).  1 when it matched (f
 * filled), 0 when it is not this shape. */
static int parse_window(const char *s, size_t len, struct featspec *f)
{
	static const struct { const char *word; int kind, stat; } shapes[] = {
		{ "_lag_", FEAT_LAG, 0 },
		{ "_rmean_", FEAT_ROLL, ROLL_MEAN }, { "_rstd_", FEAT_ROLL, ROLL_STD },
		{ "_rmin_", FEAT_ROLL, ROLL_MIN }, { "_rmax_", FEAT_ROLL, ROLL_MAX },
		{ "_rsum_", FEAT_ROLL, ROLL_SUM },
		{ "_ewm_", FEAT_EWM, 0 },
	};
	const char *us = NULL;

	for (size_t i = len; i-- > 0;)
		if (s[i] == '_') {
			us = s + i;
			break;
		}
	if (!us)
		return 0;
	for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
		size_t wl = strlen(shapes[k].word);
		size_t end = (size_t)(us - s) + 1;  /* just past the last '_' */
		const char *num = us + 1;
		size_t numlen = len - end;

		if (end < wl + 1 || memcmp(s + end - wl, shapes[k].word, wl) != 0)
			continue;
		if (shapes[k].kind == FEAT_EWM) {
			if (name_number(num, numlen, &f->param) < 0)
				return 0;
		} else if (name_int(num, numlen, &f->n) < 0) {
			return 0;
		}
		f->kind = shapes[k].kind;
		f->stat = shapes[k].stat;
		f->col = dup_range(s, end - wl);
		return 1;
	}
	return 0;
}

static int parse_fourier(const char *name, struct featspec *f)
{
	const char *p = name + strlen("fourier_");
	const char *us = strchr(p, '_');
	const char *k;

	if (!us)
		return 0;
	if (strncmp(us, "_sin_", 5) == 0)
		f->sine = 1;
	else if (strncmp(us, "_cos_", 5) == 0)
		f->sine = 0;
	else
		return 0;
	k = us + 5;
	if (name_number(p, (size_t)(us - p), &f->param) < 0 || name_int(k, strlen(k), &f->n) < 0)
		return 0;
	f->kind = FEAT_FOURIER;
	return 1;
}

static int known(const char *s, size_t len, const char *const *columns, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++)
		if (strlen(columns[i]) == len && memcmp(columns[i], s, len) == 0)
			return 1;
	return 0;
}

/* A_per_B: the first split whose sides are both known columns, else the
 * first split.  A name that is itself a known column is not a ratio. */
static int parse_ratio(const char *name, const char *const *columns, size_t ncols,
		       struct featspec *f)
{
	size_t len = strlen(name);
	const char *first = NULL;

	if (columns && known(name, len, columns, ncols))
		return 0;
	for (const char *p = strstr(name, "_per_"); p; p = strstr(p + 1, "_per_")) {
		size_t alen = (size_t)(p - name);
		const char *b = p + 5;

		if (alen == 0 || *b == '\0')
			continue;
		if (!first)
			first = p;
		if (columns && known(name, alen, columns, ncols) &&
		    known(b, strlen(b), columns, ncols)) {
			first = p;
			break;
		}
	}
	if (!first)
		return 0;
	f->kind = FEAT_RATIO;
	f->col = dup_range(name, (size_t)(first - name));
	f->col2 = xstrdup(first + 5);
	return 1;
}

static int check_range(const struct featspec *f, const char *name, struct adash_err *e)
{
	switch ((enum feat_kind)f->kind) {
	case FEAT_LAG:
	case FEAT_ROLL:
		if (f->n < 1 || f->n > FEAT_MAX_DAYS)
			return err_set(e, ADASH_EDATA, "feature \"%s\": the window must be 1 to %d days",
				       name, FEAT_MAX_DAYS);
		if (f->kind == FEAT_ROLL && f->stat == ROLL_STD && f->n < 2)
			return err_set(e, ADASH_EDATA,
				       "feature \"%s\": a standard deviation needs a window of 2 days or more",
				       name);
		return 0;
	case FEAT_EWM:
		if (!(f->param > 0) || f->param > FEAT_MAX_DAYS)
			return err_set(e, ADASH_EDATA, "feature \"%s\": the half-life must be above 0 and at most %d days",
				       name, FEAT_MAX_DAYS);
		return 0;
	case FEAT_FOURIER:
		if (!(f->param > 0) || f->param > 1e6)
			return err_set(e, ADASH_EDATA, "feature \"%s\": the period must be above 0 days (and sensible)",
				       name);
		if (f->n < 1 || f->n > FEAT_MAX_FOURIER_ORDER)
			return err_set(e, ADASH_EDATA, "feature \"%s\": the order must be 1 to %d",
				       name, FEAT_MAX_FOURIER_ORDER);
		return 0;
	case FEAT_RAW:
	case FEAT_DOW:
	case FEAT_MONTH:
	case FEAT_DOM:
	case FEAT_WEEKEND:
	case FEAT_LOG1P:
	case FEAT_RATIO:
		return 0;
	}
	return 0;
}

int featspec_parse(const char *name, const char *const *columns, size_t ncols,
		   struct featspec *f, struct adash_err *e)
{
	static const struct { const char *word; int kind; } calendar[] = {
		{ "dow", FEAT_DOW }, { "month", FEAT_MONTH }, { "dom", FEAT_DOM },
		{ "weekend", FEAT_WEEKEND },
	};
	size_t len = strlen(name);
	int matched = 0;

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < sizeof calendar / sizeof *calendar && !matched; i++)
		if (strcmp(name, calendar[i].word) == 0) {
			f->kind = calendar[i].kind;
			matched = 1;
		}
	if (!matched) {
		static const struct { const char *suffix; int fill; } fills[] = {
			{ "_zero", FILL_ZERO }, { "_ffill", FILL_FFILL },
		};
		for (size_t i = 0; i < 2 && !matched; i++)
			if (ends_with(name, len, fills[i].suffix) &&
			    parse_window(name, len - strlen(fills[i].suffix), f)) {
				f->fill = fills[i].fill;
				matched = 1;
			}
		if (!matched)
			matched = parse_window(name, len, f);
	}
	if (!matched && strncmp(name, "fourier_", 8) == 0)
		matched = parse_fourier(name, f);
	if (!matched && strncmp(name, "log1p_", 6) == 0 && name[6]) {
		f->kind = FEAT_LOG1P;
		f->col = xstrdup(name + 6);
		matched = 1;
	}
	if (!matched)
		matched = parse_ratio(name, columns, ncols, f);
	if (!matched) {
		f->kind = FEAT_RAW;
		f->col = xstrdup(name);
	}
	if (check_range(f, name, e) < 0) {
		featspec_free(f);
		return -1;
	}
	f->name = xstrdup(name);
	return 0;
}

void featspec_set_name(struct featspec *f)
{
	struct buf b = BUF_INIT;
	char num[NUM_FORMAT_MAX];

	switch ((enum feat_kind)f->kind) {
	case FEAT_RAW: buf_addstr(&b, f->col); break;
	case FEAT_LAG: buf_printf(&b, "%s_lag_%d", f->col, f->n); break;
	case FEAT_ROLL: buf_printf(&b, "%s_r%s_%d", f->col, roll_stat_name(f->stat), f->n); break;
	case FEAT_EWM:
		num_format(f->param, num);
		buf_printf(&b, "%s_ewm_%s", f->col, num);
		break;
	case FEAT_DOW: buf_addstr(&b, "dow"); break;
	case FEAT_MONTH: buf_addstr(&b, "month"); break;
	case FEAT_DOM: buf_addstr(&b, "dom"); break;
	case FEAT_WEEKEND: buf_addstr(&b, "weekend"); break;
	case FEAT_FOURIER:
		num_format(f->param, num);
		buf_printf(&b, "fourier_%s_%s_%d", num, f->sine ? "sin" : "cos", f->n);
		break;
	case FEAT_LOG1P: buf_printf(&b, "log1p_%s", f->col); break;
	case FEAT_RATIO: buf_printf(&b, "%s_per_%s", f->col, f->col2); break;
	}
	if (featspec_uses_history(f) && f->fill != FILL_NONE)
		buf_printf(&b, "_%s", fill_name(f->fill));
	free(f->name);
	f->name = buf_detach(&b, NULL);
}

int featspec_uses_history(const struct featspec *f)
{
	return f->kind == FEAT_LAG || f->kind == FEAT_ROLL || f->kind == FEAT_EWM;
}

int featspec_lookback(const struct featspec *f)
{
	switch ((enum feat_kind)f->kind) {
	case FEAT_LAG:
	case FEAT_ROLL:
		return f->n;
	case FEAT_EWM:
		return 1;
	case FEAT_RAW:
	case FEAT_DOW:
	case FEAT_MONTH:
	case FEAT_DOM:
	case FEAT_WEEKEND:
	case FEAT_FOURIER:
	case FEAT_LOG1P:
	case FEAT_RATIO:
		return 0;
	}
	return 0;
}

int featspec_is_categorical(const struct featspec *f)
{
	return f->kind == FEAT_DOW || f->kind == FEAT_MONTH;
}

void featspec_free(struct featspec *f)
{
	free(f->col);
	free(f->col2);
	free(f->name);
	memset(f, 0, sizeof *f);
}

/* ---- events-mode names ---------------------------------------------------- */

static const char *const event_prefixes[NEVF] = {
	[EVF_IMPR] = "impr", [EVF_OPEN] = "open", [EVF_DRILL] = "drill", [EVF_FILTER] = "filter",
	[EVF_EXPORT] = "export", [EVF_SECS] = "secs", [EVF_DECAY] = "engage_decay",
	[EVF_SINCE] = "since_last", [EVF_PINNED] = "pinned", [EVF_NOT_INTERESTED] = "not_interested",
	[EVF_SHARE] = "share", [EVF_USER_ENGAGE] = "user_engage",
	[EVF_USER_SESSIONS] = "user_sessions", [EVF_ITEM_ENGAGE] = "item_engage",
	[EVF_ITEM_USERS] = "item_users", [EVF_ITEM_CTR] = "item_ctr",
	[EVF_TYPE_SHARE] = "type_share", [EVF_ROLE_ENGAGE] = "role_engage", [EVF_COOC] = "cooc",
	[EVF_HOUR] = "hour", [EVF_DOW] = "dow",
};

const char *event_feature_prefix(int f)
{
	return f >= 0 && f < NEVF ? event_prefixes[f] : "?";
}

int event_feature_windowed(int f)
{
	return f <= EVF_DECAY || (f >= EVF_SHARE && f <= EVF_ROLE_ENGAGE);
}

/* A duration as a window name: digits, no leading zero, one unit. */
static int is_window(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[0] != '0' && s[n] != '\0' && s[n + 1] == '\0' && strchr("smhdw", s[n]);
}

int event_feature_parse(const char *name, int *f, const char **window)
{
	*window = NULL;
	for (int k = 0; k < NEVF; k++) {
		size_t len = strlen(event_prefixes[k]);

		if (strncmp(name, event_prefixes[k], len) != 0)
			continue;
		if (!event_feature_windowed(k) && name[len] == '\0') {
			*f = k;
			return 0;
		}
		/* "user_engage_7d" must not read as "user_engage" of a window
		 * "7d" when prefixes nest; the window test settles it */
		if (event_feature_windowed(k) && name[len] == '_' && is_window(name + len + 1)) {
			*f = k;
			*window = name + len + 1;
			return 0;
		}
	}
	return -1;
}
