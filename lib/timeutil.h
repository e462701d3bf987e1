/*
 * timeutil: dates, RFC 3339 timestamps, epoch times and the civil calendar.
 *
 * Dates are day numbers (days since 1970-01-01); timestamps are microseconds
 * since 1970-01-01T00:00:00Z in an int64.  Microseconds, not seconds, so that
 * sub-second event times survive normalization; input with finer precision
 * is accepted only when the extra digits are zero, so nothing is silently
 * rounded away.
 *
 * The civil-calendar conversions are Howard Hinnant's days_from_civil and
 * civil_from_days: branch-light integer arithmetic valid for the proleptic
 * Gregorian calendar.  Rejected: mktime/timegm, which depend on the TZ
 * environment and on time_t's range, and strptime, which accepts far more
 * than RFC 3339 allows.
 */
#ifndef ADASH_TIMEUTIL_H
#define ADASH_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_US_PER_SEC INT64_C(1000000)
#define TIME_US_PER_DAY INT64_C(86400000000)

/* Longest text date or timestamp formatting writes, with the NUL. */
#define TIME_FORMAT_MAX 40

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Monday ... 6 = Sunday (ISO 8601 order). */
int time_weekday(int64_t days);
int time_days_in_month(int64_t y, unsigned m);

/* "YYYY-MM-DD", years 0001..9999, a real calendar day.  0 or -1. */
int time_parse_date(const char *s, size_t len, int64_t *days);
size_t time_format_date(int64_t days, char *out);

/* RFC 3339: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)", 'T' may be 't' or
 * a space, 'Z' may be 'z'.  Leap second 60 is refused.  0 or -1. */
int time_parse_rfc3339(const char *s, size_t len, int64_t *us);

/* Epoch seconds or milliseconds, possibly fractional (to the microsecond):
 * values of magnitude 1e11 and above are milliseconds (1e11 seconds is the
 * year 5138, 1e11 ms is 1973).  Any number is a time: 2024 is 33 minutes
 * past the epoch, so a column that may hold years should not be a
 * timestamp.  0 or -1. */
int time_parse_epoch(const char *s, size_t len, int64_t *us);

/* RFC 3339 or epoch, whichever the text is. */
int time_parse_timestamp(const char *s, size_t len, int64_t *us);

/* "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" in UTC, fraction trimmed of zeros. */
size_t time_format_timestamp(int64_t us, char *out);

/* Durations: "90s", "15m", "1h", "7d", "2w", or a plain number of seconds.
 * Returns 0 and microseconds, or -1. */
int time_parse_duration(const char *s, int64_t *us);

#endif
