/*
 * Unit tests of lib/reason: one phrase per kind of feature, from the name
 * alone (series grammar, events-mode names, the sales schema's covariates,
 * anything else), numbers to four significant digits, and the sign.
 */
#include "reason.h"
#include "tap.h"

#include <math.h>

static void phrase_is(const char *name, const char *text, double v, const char *want)
{
	struct buf b = BUF_INIT;

	reason_phrase(name, text, v, &b);
	is_str(b.data ? b.data : "", want, "%s = %s", name, text);
	buf_free(&b);
}

int main(void)
{
	struct buf b = BUF_INIT;

	phrase_is("sales_lag_7", "212.4", 212.4, "sales 7 days earlier: 212.4");
	phrase_is("sales_lag_1", "98", 98, "sales the day before: 98");
	phrase_is("sales_rmean_28", "1234.567", 1234.567, "average sales over the 28 days before: 1235");
	phrase_is("sales_rstd_7", "12.3456", 12.3456, "spread of sales over the 7 days before: 12.35");
	phrase_is("sales_ewm_7", "0.12345", 0.12345, "recent sales (weighted, half-life 7 days): 0.1235");
	phrase_is("dow", "5", 5, "on a Friday");
	phrase_is("month", "12", 12, "in December");
	phrase_is("weekend", "1", 1, "a weekend");
	phrase_is("fourier_365.25_sin_1", "0.3", 0.3, "the time of year");
	phrase_is("log1p_footfall", "6.304448802421981", 6.304448802421981, "footfall on a log scale: 546");
	phrase_is("price_per_footfall", "0.03", 0.03, "price per footfall: 0.03");
	phrase_is("promo", "1", 1, "a promotion is planned");
	phrase_is("promo", "0", 0, "no promotion");
	phrase_is("temp_c", "21.5", 21.5, "temperature: 21.5 \xc2\xb0""C");
	phrase_is("open_7d", "5", 5, "opened 5 times in the last 7 days");
	phrase_is("open_1d", "1", 1, "opened once in the last day");
	phrase_is("drill_24h", "0", 0, "not drilled into in the last 24 hours");
	phrase_is("secs_30d", "89.5", 89.5, "89.5 seconds spent on it in the last 30 days");
	phrase_is("since_last", "200000", 200000, "last used 2 days ago");
	phrase_is("pinned", "1", 1, "pinned");
	phrase_is("share_7d", "0.4074", 0.4074, "40.7% of the user's use in the last 7 days");
	phrase_is("item_users_1h", "1", 1, "used by 1 person in the last hour");
	phrase_is("item_ctr_30d", "0.75", 0.75, "opened after 75% of showings in the last 30 days");
	phrase_is("role_engage_30d", "0", 0, "not used by people in the same role in the last 30 days");
	phrase_is("engage_decay_7d", "2.414", 2.414, "recent use (weighted by a half-life of 7 days): 2.414");
	phrase_is("hour", "9", 9, "at 09:00");
	phrase_is("role", "analyst", NAN, "role: analyst");
	phrase_is("basket_size", "3.25", 3.25, "basket_size: 3.25");
	phrase_is("basket_size", "-0", -0.0, "basket_size: 0");
	phrase_is("basket_size", "0.00049", 0.00049, "basket_size: 0.00049");
	phrase_is("basket_size", "12345.67", 12345.67, "basket_size: 12346");
	phrase_is("hour", "", NAN, "hour: no value");
	phrase_is("since_last", "NA", NAN, "since_last: no value");
	phrase_is("since_last", "1", 1, "last used 1 second ago");
	phrase_is("dow", "x", NAN, "day of week x");
	phrase_is("log1p_open_7d", "1.791759469228055", 1.791759469228055, "opened 5 times in the last 7 days, on a log scale");

	reason_sentence("open_7d", "5", 5, 0.42, &b);
	is_str(b.data, "opened 5 times in the last 7 days (raises the prediction)", "a positive contribution raises");
	buf_reset(&b);
	reason_sentence("open_7d", "5", 5, -0.42, &b);
	is_str(b.data, "opened 5 times in the last 7 days (lowers the prediction)", "a negative one lowers");
	buf_reset(&b);
	reason_sentence("open_7d", "", NAN, 0, &b);
	is_str(b.data, "open_7d: no value (no effect)", "a contribution of 0 has no effect");
	buf_free(&b);
	return tap_done();
}
