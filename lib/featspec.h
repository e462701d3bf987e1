/*
 * featspec: feature column names <-> feature definitions.
 *
 * adash-features names every column it makes by one small grammar, and
 * this module parses the names back, so that a model file, which lists its
 * inputs by name, says by itself how to rebuild them: adash-forecast
 * recomputes each input from its name through series.c, the same code
 * adash-features ran, and training and serving cannot disagree.
 *
 * The grammar (adash.7, FEATURE NAMES, is the user's copy; checklist: keep
 * both in step):
 *
 *   COL_lag_N[_FILL]        COL's value N days before the row's day
 *   COL_rSTAT_N[_FILL]      STAT (mean, std, min, max, sum) of COL over
 *                           the N days before the row's day (day-N..day-1)
 *   COL_ewm_H[_FILL]        exponentially weighted mean of COL's values
 *                           before the row's day, half-life H days
 *   dow                     day of week, 1 = Monday .. 7 = Sunday
 *   month                   1 .. 12
 *   dom                     day of month, 1 .. 31
 *   weekend                 1 on Saturday and Sunday, else 0
 *   fourier_P_sin_K         sin(2 pi K d / P), d the day number since
 *   fourier_P_cos_K           1970-01-01, P a period in days (7, 365.25)
 *   log1p_COL               log(1 + COL) of the row's own value
 *   A_per_B                 A / B of the row's own values
 *
 *   FILL is zero or ffill: how days without a value (absent days and
 *   missing values) enter the window; without it they are left out.
 *
 * Any other name is a raw input: a column used as it is.  Numbers in names
 * (N, H, P) are written in num_format's shortest form, so each definition
 * has exactly one name and parse(name(f)) == f.  Column names may contain
 * underscores ("temp_c_lag_7"): the grammar is matched from the end.  For
 * A_per_B with "_per_" more than once, the split whose two sides are known
 * columns wins (the caller passes the columns it has).
 *
 * dow and month are categorical (adash-train one-hot encodes them); every
 * other feature is numeric.
 *
 * Rejected: a side file of feature definitions next to the data (one more
 * file to lose or mismatch) and definitions inside CSV headers as JSON
 * (unreadable in a spreadsheet, the first thing an analyst opens).
 */
#ifndef ADASH_FEATSPEC_H
#define ADASH_FEATSPEC_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

enum feat_kind {
	FEAT_RAW = 0,   /* an input column as it is */
	FEAT_LAG,
	FEAT_ROLL,
	FEAT_EWM,
	FEAT_DOW,
	FEAT_MONTH,
	FEAT_DOM,
	FEAT_WEEKEND,
	FEAT_FOURIER,
	FEAT_LOG1P,
	FEAT_RATIO
};

enum roll_stat { ROLL_MEAN = 0, ROLL_STD, ROLL_MIN, ROLL_MAX, ROLL_SUM };

enum fill_mode { FILL_NONE = 0, FILL_ZERO, FILL_FFILL };

/* Limits on numbers in names: longer windows would hold years of rows per
 * key in memory, and are refused with a message rather than attempted. */
#define FEAT_MAX_DAYS 3660
#define FEAT_MAX_FOURIER_ORDER 100

struct featspec {
	int kind;        /* enum feat_kind */
	char *col;       /* the column read: lag, roll, ewm, log1p, raw; A of A_per_B */
	char *col2;      /* B of A_per_B */
	int n;           /* lag: days; roll: window days; fourier: order K */
	double param;    /* ewm: half-life days; fourier: period days */
	int stat;        /* roll: enum roll_stat */
	int fill;        /* lag, roll, ewm: enum fill_mode */
	int sine;        /* fourier: 1 sin, 0 cos */
	char *name;      /* the canonical name */
};

/* Parses a column name.  columns (may be NULL) are the column names the
 * caller knows, used only to split A_per_B.  A name outside the grammar is
 * FEAT_RAW.  Returns 0, or -1 with e (code 1) for a name that is in the
 * grammar but out of range ("sales_lag_0", "sales_lag_99999"). */
int featspec_parse(const char *name, const char *const *columns, size_t ncols,
		   struct featspec *f, struct adash_err *e);

/* Sets f->name from the definition (the grammar's one spelling). */
void featspec_set_name(struct featspec *f);

/* Days of history before the row's day that the feature reads: N for lags
 * and windows, 1 for ewm (it needs one earlier value), 0 for the rest. */
int featspec_lookback(const struct featspec *f);

/* True for a feature computed from earlier rows of the series. */
int featspec_uses_history(const struct featspec *f);

/* True for dow and month, which models encode one-hot. */
int featspec_is_categorical(const struct featspec *f);

/* "mean" ... "sum"; -1 for an unknown name. */
int roll_stat_from_name(const char *name);
const char *roll_stat_name(int stat);
/* "none", "zero", "ffill"; -1 for an unknown name. */
int fill_from_name(const char *name);
const char *fill_name(int fill);

void featspec_free(struct featspec *f);

/*
 * Events-mode names (adash-features --events; adash.7 FEATURE NAMES, second
 * table; checklist: keep both in step).  A windowed feature is PREFIX_W, W
 * a duration as given ("7d", "24h"); engage_decay_H carries the half-life;
 * the others are bare words.  eventfeatures.c writes the names from this
 * table and reason.c reads them back, so the two cannot drift apart.
 */
enum event_feature {
	EVF_IMPR = 0, EVF_OPEN, EVF_DRILL, EVF_FILTER, EVF_EXPORT, EVF_SECS, /* PREFIX_W */
	EVF_DECAY,                          /* engage_decay_H */
	EVF_SINCE, EVF_PINNED, EVF_NOT_INTERESTED,
	EVF_SHARE, EVF_USER_ENGAGE, EVF_USER_SESSIONS,
	EVF_ITEM_ENGAGE, EVF_ITEM_USERS, EVF_ITEM_CTR, EVF_TYPE_SHARE, EVF_ROLE_ENGAGE,
	EVF_COOC, EVF_HOUR, EVF_DOW,
	NEVF
};

/* The name's word: "open", "engage_decay", "since_last". */
const char *event_feature_prefix(int f);
/* True for the features named PREFIX_W (and engage_decay_H). */
int event_feature_windowed(int f);
/* Parses an events-mode name: its feature and, for windowed ones, a
 * pointer to the duration text within name.  -1 when name is none. */
int event_feature_parse(const char *name, int *f, const char **window);

#endif
