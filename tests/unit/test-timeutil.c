/*
 * Unit tests of lib/timeutil: the civil calendar, weekdays, dates, RFC 3339
 * timestamps, epoch times and durations.  Expected day numbers were computed
 * with Python's datetime (proleptic Gregorian).
 */
#include "timeutil.h"
#include "rng.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define US INT64_C(1000000)

static void civil(int64_t y, unsigned m, unsigned d, int64_t days, int weekday)
{
	int64_t yy;
	unsigned mm, dd;

	is_int(time_days_from_civil(y, m, d), days, "days_from_civil(%04lld-%02u-%02u) = %lld",
	       (long long)y, m, d, (long long)days);
	time_civil_from_days(days, &yy, &mm, &dd);
	ok(yy == y && mm == m && dd == d, "civil_from_days(%lld) = %04lld-%02u-%02u",
	   (long long)days, (long long)y, m, d);
	is_int(time_weekday(days), weekday, "weekday of %04lld-%02u-%02u is %d",
	       (long long)y, m, d, weekday);
}

static void test_civil(void)
{
	int64_t day, y = 1;
	unsigned m = 1, d = 1;
	int bad_from = 0, bad_to = 0, bad_wd = 0;

	civil(1, 1, 1, -719162, 0);        /* a Monday, proleptic */
	civil(1970, 1, 1, 0, 3);           /* Thursday */
	civil(1969, 12, 31, -1, 2);        /* Wednesday */
	civil(2000, 1, 1, 10957, 5);       /* Saturday */
	civil(2000, 2, 29, 11016, 1);      /* Tuesday */
	civil(2024, 2, 29, 19782, 3);
	civil(1600, 3, 1, -135080, 2);
	civil(1900, 3, 1, -25508, 3);
	civil(9999, 12, 31, 2932896, 4);   /* Friday */

	/* every day from 0001-01-01 to 9999-12-31, counted one by one */
	for (day = -719162; day <= 2932896; day++) {
		int64_t yy;
		unsigned mm, dd;

		if (time_days_from_civil(y, m, d) != day)
			bad_from++;
		time_civil_from_days(day, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			bad_to++;
		if (time_weekday(day) != (int)((day + 719162) % 7))
			bad_wd++;
		if (++d > (unsigned)time_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	is_int(bad_from, 0, "days_from_civil counts every day of years 1..9999");
	is_int(bad_to, 0, "civil_from_days inverts every day of years 1..9999");
	is_int(bad_wd, 0, "weekday advances by one every day from a Monday");
	ok(y == 10000 && m == 1 && d == 1, "the count ends at 10000-01-01");

	is_int(time_days_in_month(2000, 2), 29, "2000 is a leap year");
	is_int(time_days_in_month(1900, 2), 28, "1900 is not a leap year");
	is_int(time_days_in_month(2024, 2), 29, "2024 is a leap year");
	is_int(time_days_in_month(2023, 2), 28, "2023 is not a leap year");
	is_int(time_days_in_month(2023, 4), 30, "April has 30 days");
	is_int(time_days_in_month(2023, 12), 31, "December has 31 days");
	is_int(time_days_in_month(2023, 0), 0, "month 0 has no days");
	is_int(time_days_in_month(2023, 13), 0, "month 13 has no days");
	is_int(time_weekday(-719163), 6, "weekday before year 1 (negative modulo)");
}

static void date_ok(const char *s, int64_t want)
{
	int64_t days = -42;
	char out[TIME_FORMAT_MAX];

	ok(time_parse_date(s, strlen(s), &days) == 0 && days == want, "parse_date(\"%s\") = %lld",
	   s, (long long)want);
	time_format_date(want, out);
	is_str(out, s, "format_date(%lld)", (long long)want);
}

static void date_bad(const char *s)
{
	int64_t days = -42;

	ok(time_parse_date(s, strlen(s), &days) == -1 && days == -42, "parse_date rejects \"%s\"", s);
}

static void test_dates(void)
{
	static const char *const bad[] = {
		"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-04-31",
		"2024-01-32", "0000-01-01", "2024-1-01", "2024-01-1", "2024/01/01", "20240101",
		"2024-01-01T00:00:00Z", "2024-01-01 ", " 2024-01-01", "+024-01-01", "2024-01-0a",
		"2024--1-01", "", "10000-01-01", "2024-01-01Z",
	};

	date_ok("2024-02-29", 19782);
	date_ok("2000-02-29", 11016);
	date_ok("1970-01-01", 0);
	date_ok("0001-01-01", -719162);
	date_ok("9999-12-31", 2932896);
	date_ok("1969-12-31", -1);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		date_bad(bad[i]);
	ok(time_parse_date("2024-02-29xyz", 10, &(int64_t){ 0 }) == 0, "parse_date reads only len bytes");
}

static void ts_ok(const char *s, int64_t want, const char *canon)
{
	int64_t us = -42;
	char out[TIME_FORMAT_MAX];
	int rc = time_parse_rfc3339(s, strlen(s), &us);

	ok(rc == 0 && us == want, "rfc3339(\"%s\") = %lld", s, (long long)want);
	if (!(rc == 0 && us == want))
		printf("#   rc %d, got %lld\n", rc, (long long)us);
	time_format_timestamp(want, out);
	is_str(out, canon, "format_timestamp(%lld)", (long long)want);
}

static void ts_bad(const char *s, const char *why)
{
	int64_t us = -42;

	ok(time_parse_rfc3339(s, strlen(s), &us) == -1 && us == -42, "rfc3339 rejects \"%s\" (%s)", s, why);
}

static void test_rfc3339(void)
{
	const int64_t t = INT64_C(1709210096) * US;   /* 2024-02-29T12:34:56Z */

	ts_ok("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z");
	ts_ok("2024-02-29T12:34:56Z", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29t12:34:56z", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29 12:34:56Z", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29T13:34:56+01:00", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29T07:04:56-05:30", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29T12:34:56+00:00", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-03-01T00:34:56+12:00", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29T12:34:56.5Z", t + 500000, "2024-02-29T12:34:56.5Z");
	ts_ok("2024-02-29T12:34:56.123456Z", t + 123456, "2024-02-29T12:34:56.123456Z");
	ts_ok("2024-02-29T12:34:56.000001Z", t + 1, "2024-02-29T12:34:56.000001Z");
	ts_ok("2024-02-29T12:34:56.1234560Z", t + 123456, "2024-02-29T12:34:56.123456Z");
	ts_ok("2024-02-29T12:34:56.123456000000Z", t + 123456, "2024-02-29T12:34:56.123456Z");
	ts_ok("2024-02-29T12:34:56.000Z", t, "2024-02-29T12:34:56Z");
	ts_ok("2024-02-29T12:34:56.25+01:00", t - 3600 * US + 250000, "2024-02-29T11:34:56.25Z");
	ts_ok("1999-12-31T23:59:59-05:30", INT64_C(946704599) * US, "2000-01-01T05:29:59Z");
	ts_ok("1969-12-31T23:59:59.999999Z", -1, "1969-12-31T23:59:59.999999Z");
	ts_ok("0001-01-01T00:00:00Z", INT64_C(-719162) * TIME_US_PER_DAY, "0001-01-01T00:00:00Z");
	ts_ok("9999-12-31T23:59:59.999999Z", INT64_C(2932897) * TIME_US_PER_DAY - 1,
	      "9999-12-31T23:59:59.999999Z");

	ts_bad("2024-02-29T24:00:00Z", "hour 24");
	ts_bad("2024-02-29T23:59:60Z", "leap second");
	ts_bad("2016-12-31T23:59:60Z", "a real leap second");
	ts_bad("2024-02-29T23:60:00Z", "minute 60");
	ts_bad("2024-02-29T12:34:56", "no zone");
	ts_bad("2024-02-29T12:34:56.5", "fraction, no zone");
	ts_bad("2024-02-29T12:34:56.1234567Z", "7th fractional digit not zero");
	ts_bad("2024-02-29T12:34:56.0000001Z", "tenth of a microsecond");
	ts_bad("2024-02-29T12:34:56.Z", "dot without digits");
	ts_bad("2024-02-29T12:34Z", "no seconds");
	ts_bad("2024-02-29T12:34:56+0100", "offset without a colon");
	ts_bad("2024-02-29T12:34:56+01", "offset without minutes");
	ts_bad("2024-02-29T12:34:56+24:00", "offset hour 24");
	ts_bad("2024-02-29T12:34:56+01:60", "offset minute 60");
	ts_bad("2024-02-29T12:34:56ZZ", "two zones");
	ts_bad("2024-02-29T12:34:56Z ", "trailing space");
	ts_bad(" 2024-02-29T12:34:56Z", "leading space");
	ts_bad("2024-02-29X12:34:56Z", "bad separator");
	ts_bad("2024-02-2912:34:56Z", "no separator");
	ts_bad("2023-02-29T12:34:56Z", "not a calendar day");
	ts_bad("2024-02-29T1:34:56Z", "one-digit hour");
	ts_bad("2024-02-29T12:34:56UTC", "UTC instead of Z");
	ts_bad("2024-02-29", "a date");
	ts_bad("", "empty");
	ts_bad("2024-02-29T12:34:56+01:00:00", "offset with seconds");
}

/* Offsets can carry a time past year 9999 or before year 1: such a value
 * must be refused, or formatting it must give text that parses back. */
static void test_range_edges(void)
{
	static const char *const edge[] = {
		"9999-12-31T23:00:00-02:00", "0001-01-01T00:30:00+01:00",
	};

	for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
		int64_t us = 0, back = 1;
		char out[TIME_FORMAT_MAX];
		int rc = time_parse_rfc3339(edge[i], strlen(edge[i]), &us);

		if (rc < 0) {
			ok(1, "\"%s\" is refused", edge[i]);
			continue;
		}
		time_format_timestamp(us, out);
		ok(time_parse_rfc3339(out, strlen(out), &back) == 0 && back == us,
		   "\"%s\" is accepted, so its UTC form \"%s\" must parse back", edge[i], out);
	}
}

static void test_roundtrip(void)
{
	struct rng g;
	int bad = 0, n = 100000;
	const int64_t lo = INT64_C(-719162) * TIME_US_PER_DAY;
	const int64_t span = INT64_C(3652059) * TIME_US_PER_DAY;

	rng_init(&g, 99);
	for (int i = 0; i < n; i++) {
		uint64_t r = (uint64_t)gsl_rng_get(g.r) << 32 | gsl_rng_get(g.r);
		int64_t us = lo + (int64_t)(r % (uint64_t)span), back = 0;
		char out[TIME_FORMAT_MAX];
		size_t len;

		if (i % 3 == 0)
			us -= us % US;     /* whole seconds */
		len = time_format_timestamp(us, out);
		if (len != strlen(out) || time_parse_rfc3339(out, len, &back) != 0 || back != us ||
		    time_parse_timestamp(out, len, &back) != 0 || back != us) {
			if (bad++ < 5)
				printf("# %lld -> \"%s\" -> %lld\n", (long long)us, out, (long long)back);
		}
	}
	rng_free(&g);
	is_int(bad, 0, "format -> parse round trip of %d random timestamps in years 1..9999", n);
}

static void epoch(const char *s, int64_t want)
{
	int64_t us = -42;
	int rc = time_parse_epoch(s, strlen(s), &us);

	ok(rc == 0 && us == want, "epoch(\"%s\") = %lld us", s, (long long)want);
	if (!(rc == 0 && us == want))
		printf("#   rc %d, got %lld\n", rc, (long long)us);
}

static void epoch_bad(const char *s)
{
	int64_t us = -42;

	ok(time_parse_epoch(s, strlen(s), &us) == -1 && us == -42, "epoch rejects \"%s\"", s);
}

static void test_epoch(void)
{
	int64_t a = 0, b = 1, c = 2;

	epoch("0", 0);
	epoch("1", US);
	epoch("-1", -US);
	epoch("1.5", 1500000);
	epoch("1700000000", INT64_C(1700000000) * US);
	epoch("1700000000.25", INT64_C(1700000000) * US + 250000);
	epoch("1700000000000", INT64_C(1700000000) * US);
	epoch("1700000000123", INT64_C(1700000000123) * 1000);
	epoch("1700000000123.5", INT64_C(1700000000123) * 1000 + 500);
	epoch("99999999999", INT64_C(99999999999) * US);     /* seconds: year 5138 */
	epoch("100000000000", INT64_C(100000000000) * 1000); /* milliseconds: 1973 */
	epoch("1e9", INT64_C(1000000000) * US);
	epoch("-100000000000", INT64_C(-100000000000) * 1000);
	epoch_bad("");
	epoch_bad("abc");
	epoch_bad("1700000000s");
	epoch_bad(" 1700000000");
	epoch_bad("1e20");          /* milliseconds far past year 9999 */
	epoch_bad("-1e15");
	epoch_bad("nan");
	epoch_bad("2024-01-01");

	ok(time_parse_timestamp("2024-01-01T00:00:00Z", 20, &a) == 0 &&
	   time_parse_timestamp("1704067200", 10, &b) == 0 &&
	   time_parse_timestamp("1704067200000", 13, &c) == 0 && a == b && b == c &&
	   a == INT64_C(1704067200) * US,
	   "RFC 3339, epoch seconds and epoch milliseconds give the same instant");
	ok(time_parse_timestamp("2024-01-01", 10, &a) == -1, "parse_timestamp rejects a date");
	ok(time_parse_timestamp("2024-01-01T00:00:00", 19, &a) == -1,
	   "parse_timestamp rejects a timestamp without a zone");
}

static void dur(const char *s, int64_t want)
{
	int64_t us = -42;
	int rc = time_parse_duration(s, &us);

	ok(rc == 0 && us == want, "duration \"%s\" = %lld us", s, (long long)want);
	if (!(rc == 0 && us == want))
		printf("#   rc %d, got %lld\n", rc, (long long)us);
}

static void dur_bad(const char *s)
{
	int64_t us = -42;

	ok(time_parse_duration(s, &us) == -1 && us == -42, "duration rejects \"%s\"", s);
}

static void test_durations(void)
{
	static const char *const bad[] = {
		"", "s", "h", "-1h", "1x", "1 h", " 1h", "h1", "1hh", "ms", "1e20s", "nan", "inf",
		"1,5h", "1H", "1d2h", "0x10s", "--1s", "1y",
	};

	dur("90s", 90 * US);
	dur("15m", 15 * 60 * US);
	dur("1h", 3600 * US);
	dur("7d", 7 * 86400 * US);
	dur("2w", 14 * 86400 * US);
	dur("30", 30 * US);
	dur("1.5h", 5400 * US);
	dur("0.5s", 500000);
	dur("0s", 0);
	dur("365d", INT64_C(365) * 86400 * US);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		dur_bad(bad[i]);
}

int main(void)
{
	test_civil();
	test_dates();
	test_rfc3339();
	test_range_edges();
	test_roundtrip();
	test_epoch();
	test_durations();
	return tap_done();
}
