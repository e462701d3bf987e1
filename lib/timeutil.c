/* timeutil: see timeutil.h. */
#include "timeutil.h"
#include "num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Valid years are 0001..9999 (what YYYY can say); in microseconds that is
 * well inside int64. */
#define MIN_DAYS (-719162)  /* 0001-01-01 */
#define MAX_DAYS 2932896    /* 9999-12-31 */

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int time_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 in Monday = 0 numbering). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int time_days_in_month(int64_t y, unsigned m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return dim[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, int64_t *days)
{
	unsigned y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1 || m < 1 || m > 12 || d < 1 || (int)d > time_days_in_month(y, m))
		return -1;
	*days = time_days_from_civil(y, m, d);
	return 0;
}

int time_parse_date(const char *s, size_t len, int64_t *days)
{
	if (len != 10)
		return -1;
	return parse_ymd(s, days);
}

size_t time_format_date(int64_t days, char *out)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	return (size_t)snprintf(out, TIME_FORMAT_MAX, "%04lld-%02u-%02u",
				(long long)y, m, d);
}

int time_parse_rfc3339(const char *s, size_t len, int64_t *us)
{
	int64_t days, frac_us = 0, offset_s = 0;
	unsigned hh, mm, ss;
	size_t i = 19;

	if (len < 20 || parse_ymd(s, &days) < 0)
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm) ||
	    s[16] != ':' || digits(s + 17, 2, &ss))
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	if (s[i] == '.') {
		int64_t scale = 100000;
		size_t nd = 0;

		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
			if (nd < 6) {
				frac_us += (s[i] - '0') * scale;
				scale /= 10;
			} else if (s[i] != '0') {
				return -1; /* finer than a microsecond */
			}
		}
		if (nd == 0)
			return -1;
	}
	if (i >= len)
		return -1;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		offset_s = 0;
	} else if ((s[i] == '+' || s[i] == '-') && i + 6 == len) {
		unsigned oh, om;

		if (digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
		    digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		offset_s = (int64_t)(oh * 3600 + om * 60);
		if (s[i] == '-')
			offset_s = -offset_s;
	} else {
		return -1;
	}
	*us = days * TIME_US_PER_DAY +
	      ((int64_t)hh * 3600 + mm * 60 + ss - offset_s) * TIME_US_PER_SEC +
	      frac_us;
	/* an offset can carry a time out of 0001..9999, which YYYY cannot say */
	if (*us < (int64_t)MIN_DAYS * TIME_US_PER_DAY || *us >= (int64_t)(MAX_DAYS + 1) * TIME_US_PER_DAY)
		return -1;
	return 0;
}

/* Number of digits after the decimal point of plain decimal text, up to the
 * last nonzero one (an exponent form counts as having none; the caller
 * checks it by value). */
static size_t fraction_digits(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	size_t n = 0, last = 0;

	if (!dot || memchr(s, 'e', len) || memchr(s, 'E', len))
		return 0;
	for (const char *p = dot + 1; p < s + len; p++) {
		n++;
		if (*p != '0')
			last = n;
	}
	return last;
}

int time_parse_epoch(const char *s, size_t len, int64_t *us)
{
	double v, scaled;
	int ms;

	if (num_parse(s, len, &v) < 0)
		return -1;
	ms = fabs(v) >= 1e11;
	/* as for RFC 3339, nothing finer than a microsecond is rounded away */
	if (fraction_digits(s, len) > (ms ? 3u : 6u))
		return -1;
	scaled = ms ? v * 1e3 : v * 1e6;
	/* an exponent form has no digits to count: it must come to whole
	 * microseconds by value */
	if ((memchr(s, 'e', len) || memchr(s, 'E', len)) && scaled != nearbyint(scaled))
		return -1;
	scaled = nearbyint(scaled);
	if (!(scaled >= (double)MIN_DAYS * 86400e6 && scaled < (double)(MAX_DAYS + 1) * 86400e6))
		return -1;
	*us = (int64_t)scaled;
	return 0;
}

int time_parse_timestamp(const char *s, size_t len, int64_t *us)
{
	if (len >= 20 && s[4] == '-')
		return time_parse_rfc3339(s, len, us);
	return time_parse_epoch(s, len, us);
}

size_t time_format_timestamp(int64_t us, char *out)
{
	int64_t days = us / TIME_US_PER_DAY, rem, y;
	unsigned m, d;
	int hh, mi, ss;
	size_t n;
	long frac;

	rem = us % TIME_US_PER_DAY;
	if (rem < 0) {
		rem += TIME_US_PER_DAY;
		days--;
	}
	time_civil_from_days(days, &y, &m, &d);
	frac = (long)(rem % TIME_US_PER_SEC);
	rem /= TIME_US_PER_SEC;
	hh = (int)(rem / 3600);
	mi = (int)(rem / 60 % 60);
	ss = (int)(rem % 60);
	n = (size_t)snprintf(out, TIME_FORMAT_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d",
			     (long long)y, m, d, hh, mi, ss);
	if (frac) {
		int width = 6;

		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		n += (size_t)snprintf(out + n, TIME_FORMAT_MAX - n, ".%0*ld", width, frac);
	}
	out[n++] = 'Z';
	out[n] = '\0';
	return n;
}

int time_parse_duration(const char *s, int64_t *us)
{
	size_t len = strlen(s);
	double v, unit = 1;

	if (len == 0)
		return -1;
	switch (s[len - 1]) {
	case 's': unit = 1; len--; break;
	case 'm': unit = 60; len--; break;
	case 'h': unit = 3600; len--; break;
	case 'd': unit = 86400; len--; break;
	case 'w': unit = 7 * 86400; len--; break;
	default: break;
	}
	if (num_parse(s, len, &v) < 0 || v < 0 || v * unit > 1e13)
		return -1;
	*us = (int64_t)nearbyint(v * unit * 1e6);
	return 0;
}
