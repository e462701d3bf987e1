/*
 * Unit tests of lib/num: strict parsing, shortest round-trip formatting
 * (JavaScript's Number.prototype.toString layout), fixed-decimal formatting
 * and the canonical-form test.
 *
 * Expected shortest forms come from JavaScript / Python repr, which produce
 * the shortest decimal that reads back to the same double.
 */
#include "num.h"
#include "rng.h"
#include "tap.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s with control characters shown as '?', for test names */
static const char *shown(const char *s)
{
	static char out[80];
	size_t i;

	for (i = 0; s[i] && i + 1 < sizeof out; i++)
		out[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	out[i] = '\0';
	return out;
}

static void rejects(const char *s)
{
	double v = 12345;

	ok(num_parse(s, strlen(s), &v) == -1 && v == 12345, "num_parse rejects \"%s\"", shown(s));
}

static void accepts(const char *s, double want)
{
	double v = NAN;
	int rc = num_parse(s, strlen(s), &v);

	ok(rc == 0 && v == want && signbit(v) == signbit(want),
	   "num_parse(\"%s\") = %.17g", s, want);
	if (!(rc == 0 && v == want))
		printf("#   rc %d, got %.17g\n", rc, v);
}

static void int_accepts(const char *s, int64_t want)
{
	int64_t v = 42;
	int rc = num_parse_int(s, strlen(s), &v);

	ok(rc == 0 && v == want, "num_parse_int(\"%s\") = %lld", s, (long long)want);
	if (!(rc == 0 && v == want))
		printf("#   rc %d, got %lld\n", rc, (long long)v);
}

static void int_rejects(const char *s)
{
	int64_t v = 42;

	ok(num_parse_int(s, strlen(s), &v) == -1 && v == 42, "num_parse_int rejects \"%s\"", s);
}

static void formats(double x, const char *want, const char *what)
{
	char out[NUM_FORMAT_MAX + 8];
	size_t n;

	memset(out, 'X', sizeof out);
	n = num_format(x, out);
	is_str(out, want, "num_format(%s) = \"%s\"", what, want);
	if (n != strlen(out))
		ok(0, "num_format(%s): returned length %zu != strlen %zu", what, n, strlen(out));
}

static void fixed(double x, int d, const char *want)
{
	char out[NUM_FORMAT_MAX + 8];
	size_t n = num_format_fixed(x, d, out);

	is_str(out, want, "num_format_fixed(%.17g, %d) = \"%s\"", x, d, want);
	if (n != strlen(out))
		ok(0, "num_format_fixed(%.17g, %d): returned length %zu != strlen", x, d, n);
}

static void canonical(const char *s, int want)
{
	is_int(num_is_canonical(s, strlen(s)), want, "num_is_canonical(\"%s\") is %s", s,
	       want ? "true" : "false");
}

static void test_parse(void)
{
	static const char *const bad[] = {
		"12abc", " 12", "12 ", "0x1p3", "0x10", "nan", "NaN", "inf", "-inf", "Infinity",
		"1,000", "1_000", "", "-", "+", ".", "-.", "1e", "1e+", "1e-", "e3", "1e400",
		"-1e400", "1.2.3", "1e3.5", "--1", "+-1", "1 e3", "\xD9\xA1", "12\n", "\t12",
		"1d3", "1f", "0b101", "1e3e3",
	};
	double v;
	char big[200];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		rejects(bad[i]);
	ok(num_parse("12\0", 3, &v) == -1, "num_parse rejects a NUL byte inside the length");
	ok(num_parse("1", 0, &v) == -1, "num_parse rejects length 0");
	accepts("1e3", 1000);
	accepts("1E3", 1000);
	accepts("1e+3", 1000);
	accepts("1e-3", 0.001);
	accepts("-0.5", -0.5);
	accepts(".5", 0.5);
	accepts("5.", 5);
	accepts("+2", 2);
	accepts("0", 0);
	accepts("-0", -0.0);
	accepts("007", 7);
	accepts("0.1", 0.1);
	accepts("3.14159", 3.14159);
	accepts("-123456.789e-3", -123.456789);
	accepts("9007199254740993", 9007199254740992.0);
	accepts("9007199254740995", 9007199254740996.0);
	accepts("123456789012345678901234567890", 1.2345678901234568e29);
	accepts("1.7976931348623157e308", DBL_MAX);
	accepts("4.9406564584124654e-324", 4.9406564584124654e-324);
	accepts("2.2250738585072014e-308", DBL_MIN);
	accepts("0.30000000000000004", 0.1 + 0.2);
	accepts("1234567890123456789", 1234567890123456789.0);
	accepts("0.0000000000000000000000001", 1e-25);
	/* longer than the parser's on-stack copy */
	memset(big, '0', sizeof big);
	big[0] = '0';
	big[1] = '.';
	big[150] = '5';
	big[151] = '\0';
	accepts(big, 5e-149);
	/* the length bounds the text: no terminator needed */
	ok(num_parse("12345", 2, &v) == 0 && v == 12, "num_parse reads only len bytes");
	ok(num_parse("1.5e3x", 5, &v) == 0 && v == 1500, "num_parse reads \"1.5e3\" out of \"1.5e3x\"");
}

/* Every decimal the parser accepts must read as strtod reads it. */
static void test_parse_vs_strtod(void)
{
	struct rng g;
	char s[64];
	int bad = 0, n = 50000;

	rng_init(&g, 7);
	for (int i = 0; i < n; i++) {
		int digits = 1 + (int)gsl_rng_uniform_int(g.r, 19);
		int dot = (int)gsl_rng_uniform_int(g.r, (unsigned long)digits + 1);
		size_t k = 0;
		double v, w;

		if (gsl_rng_uniform_int(g.r, 2))
			s[k++] = '-';
		for (int d = 0; d < digits; d++) {
			if (d == dot)
				s[k++] = '.';
			s[k++] = (char)('0' + gsl_rng_uniform_int(g.r, 10));
		}
		if (gsl_rng_uniform_int(g.r, 4) == 0)
			k += (size_t)sprintf(s + k, "e%d", (int)gsl_rng_uniform_int(g.r, 80) - 40);
		s[k] = '\0';
		w = strtod(s, NULL);
		if (num_parse(s, k, &v) != 0 || v != w) {
			if (bad++ < 5)
				printf("# \"%s\": num_parse %.17g, strtod %.17g\n", s, v, w);
		}
	}
	rng_free(&g);
	is_int(bad, 0, "num_parse agrees with strtod on %d random decimals", n);
}

static void test_parse_int(void)
{
	int_accepts("0", 0);
	int_accepts("-12", -12);
	int_accepts("+3", 3);
	int_accepts("007", 7);
	int_accepts("-0", 0);
	int_accepts("1e3", 1000);
	int_accepts("4.0", 4);
	int_accepts("-4.000", -4);
	int_accepts("2.5e1", 25);
	int_accepts("9223372036854775807", INT64_MAX);
	int_accepts("-9223372036854775808", INT64_MIN);
	int_accepts("1e15", INT64_C(1000000000000000));
	/* num.h: integral values written otherwise only below 2^53 */
	int_rejects("1e18");
	int_accepts("9007199254740991.0", INT64_C(9007199254740991));
	int_rejects("9223372036854775808");
	int_rejects("-9223372036854775809");
	int_rejects("99999999999999999999");
	int_rejects("4.5");
	int_rejects("1e-1");
	int_rejects("1e20");
	int_rejects("12abc");
	int_rejects(" 1");
	int_rejects("1 ");
	int_rejects("");
	int_rejects("-");
	int_rejects("+");
	int_rejects("0x10");
	int_rejects("nan");
	int_rejects("inf");
	int_rejects("1,000");
	/* exactness: a decimal that is not exactly an integer's must not be
	 * taken for its nearest double */
	{
		int64_t v = 42;
		int rc = num_parse_int("9007199254740993.0", 18, &v);
		ok(rc == -1 || v == INT64_C(9007199254740993),
		   "num_parse_int(\"9007199254740993.0\") is exact or refused");
	}
}

static void test_format(void)
{
	formats(0.1, "0.1", "0.1");
	formats(1.0 / 3, "0.3333333333333333", "1/3");
	formats(2.0 / 3, "0.6666666666666666", "2/3");
	formats(1e21, "1e+21", "1e21");
	formats(1e-7, "1e-7", "1e-7");
	formats(123456789012345680000.0, "123456789012345680000", "123456789012345680000");
	formats(-0.0, "0", "-0");
	formats(0.0, "0", "0");
	formats(5e-324, "5e-324", "5e-324 (smallest subnormal)");
	formats(1.5e-323, "1.5e-323", "1.5e-323 (3 x smallest subnormal)");
	formats(DBL_MAX, "1.7976931348623157e+308", "DBL_MAX");
	formats(-DBL_MAX, "-1.7976931348623157e+308", "-DBL_MAX");
	formats(DBL_MIN, "2.2250738585072014e-308", "DBL_MIN");
	formats(1, "1", "1");
	formats(-1.5, "-1.5", "-1.5");
	formats(100, "100", "100");
	formats(1e20, "100000000000000000000", "1e20");
	formats(1.5e21, "1.5e+21", "1.5e21");
	formats(1.5e-7, "1.5e-7", "1.5e-7");
	formats(1e-6, "0.000001", "1e-6");
	formats(1.2345e-6, "0.0000012345", "1.2345e-6");
	formats(0.1 + 0.2, "0.30000000000000004", "0.1+0.2");
	formats(9007199254740992.0, "9007199254740992", "2^53");
	formats(1e300, "1e+300", "1e300");
	formats(-1e-300, "-1e-300", "-1e-300");
	formats(123e-20, "1.23e-18", "123e-20");
	formats(1e-310, "1e-310", "1e-310 (subnormal)");
	formats(12345.678, "12345.678", "12345.678");
	formats(-273.15, "-273.15", "-273.15");
	formats(4.35, "4.35", "4.35");
	/* powers of two just above a binade boundary, where the round-trip
	 * interval is lopsided: 16 digits suffice, and 17 are not shortest */
	formats(ldexp(1, -24), "5.960464477539063e-8", "2^-24");
	formats(ldexp(1, 89), "6.189700196426902e+26", "2^89");
	formats(ldexp(1, -44), "5.684341886080802e-14", "2^-44");
}

/* num_format -> strtod is the identity, the output is canonical and
 * (checked with the correctly rounded form one digit shorter) shortest. */
struct prop {
	int roundtrip_bad, canonical_bad, parse_bad, shortest_bad, n;
};

static void check_one(double x, struct prop *p)
{
	char out[NUM_FORMAT_MAX], sci[40], *e;
	size_t len = num_format(x, out);
	double back = strtod(out, &e), parsed = NAN;
	size_t digits = 0;
	int leading = 1;

	p->n++;
	if (back != x || *e != '\0' || len != strlen(out) || len >= NUM_FORMAT_MAX) {
		if (p->roundtrip_bad++ < 5)
			printf("# %a: \"%s\" reads back as %a\n", x, out, back);
	}
	if (!num_is_canonical(out, len)) {
		if (p->canonical_bad++ < 5)
			printf("# %a: \"%s\" is not canonical\n", x, out);
	}
	if (num_parse(out, len, &parsed) != 0 || parsed != x) {
		if (p->parse_bad++ < 5)
			printf("# %a: num_parse(\"%s\") = %a\n", x, out, parsed);
	}
	/* significant digits in out */
	for (const char *c = out; *c && *c != 'e'; c++) {
		if (*c >= '1' && *c <= '9')
			leading = 0;
		if (*c >= '0' && *c <= '9' && !leading)
			digits++;
	}
	/* trailing zeros of an integer are not significant */
	if (!strchr(out, '.') && !strchr(out, 'e'))
		for (size_t i = len; i > 0 && out[i - 1] == '0'; i--)
			digits--;
	if (digits > 1) {
		snprintf(sci, sizeof sci, "%.*e", (int)digits - 2, x);
		if (strtod(sci, NULL) == x && p->shortest_bad++ < 5)
			printf("# %a: \"%s\" has %zu digits but \"%s\" reads back too\n", x, out, digits, sci);
	}
}

static void test_format_property(void)
{
	struct rng g;
	struct prop normal = { 0, 0, 0, 0, 0 }, sub = { 0, 0, 0, 0, 0 };

	rng_init(&g, 20240229);
	while (normal.n < 200000) {
		uint64_t bits = (uint64_t)gsl_rng_get(g.r) << 32 | (uint64_t)gsl_rng_get(g.r);
		double x;

		memcpy(&x, &bits, sizeof x);
		if (!isfinite(x))
			continue;
		if (x != 0 && fabs(x) < DBL_MIN)
			continue;   /* subnormals are checked below */
		check_one(x, &normal);
	}
	is_int(normal.roundtrip_bad, 0, "num_format -> strtod gives the same double (%d random bit patterns)", normal.n);
	is_int(normal.canonical_bad, 0, "num_is_canonical(num_format(x)) for %d random doubles", normal.n);
	is_int(normal.parse_bad, 0, "num_parse(num_format(x)) == x for %d random doubles", normal.n);
	is_int(normal.shortest_bad, 0, "num_format is shortest for %d random doubles", normal.n);

	while (sub.n < 5000) {
		uint64_t bits = ((uint64_t)gsl_rng_get(g.r) << 32 | (uint64_t)gsl_rng_get(g.r)) &
				(UINT64_C(0x800fffffffffffff));
		double x;

		memcpy(&x, &bits, sizeof x);
		if (x == 0)
			continue;
		/* small mantissas: few significant bits, so short forms */
		if (sub.n % 2)
			bits &= UINT64_C(0x80000000000000ff), memcpy(&x, &bits, sizeof x);
		if (x == 0)
			continue;
		check_one(x, &sub);
	}
	rng_free(&g);
	is_int(sub.roundtrip_bad, 0, "subnormals: num_format -> strtod gives the same double");
	is_int(sub.canonical_bad, 0, "subnormals: num_is_canonical(num_format(x))");
	is_int(sub.shortest_bad, 0, "subnormals: num_format is shortest");
}

static void test_fixed(void)
{
	fixed(12.5, 2, "12.5");
	fixed(12.0, 2, "12");
	fixed(2.0, 3, "2");
	fixed(-0.004, 2, "0");
	fixed(-0.0, 2, "0");
	fixed(0.004, 2, "0");
	fixed(1.0 / 3, 4, "0.3333");
	fixed(2.0 / 3, 4, "0.6667");
	fixed(-2.0 / 3, 2, "-0.67");
	fixed(-7, 0, "-7");
	fixed(0.1, 9, "0.1");
	fixed(0.1 + 0.2, 2, "0.3");
	fixed(999.9999, 2, "1000");
	fixed(-1.25, 1, "-1.3");      /* an exact binary tie: away from zero */
	fixed(0.125, 2, "0.13");
	fixed(0.5, 0, "1");
	fixed(1.5, 0, "2");
	fixed(123.456789, 6, "123.456789");
	fixed(1.000000001, 9, "1.000000001");
	fixed(0.000000001, 9, "0.000000001");
	fixed(5e-324, 3, "0");
	fixed(1e13, 2, "10000000000000");
	fixed(1.5e300, 2, "1.5e+300");
	fixed(3.14159, -1, "3.14159");
	fixed(3.14159, 10, "3.14159");
	/* below the documented 1e13 bound, every decimals value must work */
	fixed(123456789012.5, 9, "123456789012.5");
	fixed(9999999999.25, 9, "9999999999.25");
	fixed(-9876543210.5, 9, "-9876543210.5");
	fixed(9999999999999.0, 6, "9999999999999");
}

static void test_canonical(void)
{
	static const char *const no[] = {
		"1.50", "01", "-0", ".5", "1e3", "0.0000001", "+1", "1.", "", "abc", " 1", "1 ",
		"1.0", "00", "-0.0", "0.0", "1E+21", "1e21", "1e+021", "0.00000015",
		"123456789012345678901", "0.3000000000000000444", "9007199254740993", "-.5",
		"1e-7x", "NaN", "inf", "--1", "1e2", "100.", "0x10",
	};
	static const char *const yes[] = {
		"0", "1", "-1", "0.5", "-0.5", "100", "1e+21", "1.5e+21", "1e-7", "1.5e-7",
		"0.000001", "123456789012345680000", "0.30000000000000004", "9007199254740992",
		"1.7976931348623157e+308", "2.2250738585072014e-308", "0.3333333333333333",
		"12345.678", "-273.15", "5e-324",
	};

	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		canonical(no[i], 0);
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		canonical(yes[i], 1);
	ok(num_is_canonical("12x", 2) == 1, "num_is_canonical reads only len bytes");
}

static void parse_canon(const char *s, int want, double wantv)
{
	double v = 12345;
	int rc = num_parse_canonical(s, strlen(s), &v);

	ok(rc == want && (want < 0 ? v == 12345 : v == wantv && signbit(v) == signbit(wantv)),
	   "num_parse_canonical(\"%s\") = %d, %.17g", s, want, wantv);
	if (rc != want)
		printf("#   got %d, %.17g\n", rc, v);
}

static void test_parse_canonical(void)
{
	struct rng g;
	int disagree = 0, wrong_value = 0, n = 0;

	parse_canon("1.5", 1, 1.5);
	parse_canon("0", 1, 0);
	parse_canon("-1.25", 1, -1.25);
	parse_canon("0.000001", 1, 1e-6);
	parse_canon("0.0000015", 1, 1.5e-6);
	parse_canon("123456789012345", 1, 123456789012345.0);
	parse_canon("1e+21", 1, 1e21);
	parse_canon("1.50", 0, 1.5);
	parse_canon("-0", 0, -0.0);
	parse_canon("+2", 0, 2);
	parse_canon("1e3", 0, 1000);
	parse_canon("007", 0, 7);
	parse_canon(".5", 0, 0.5);
	parse_canon("5.", 0, 5);
	parse_canon("0.0000001", 0, 1e-7);
	parse_canon("12345678901234567890", 0, 12345678901234567890.0);
	parse_canon("abc", -1, 0);
	parse_canon("", -1, 0);
	parse_canon("1e400", -1, 0);
	parse_canon("1 ", -1, 0);
	/* the one-pass function must agree with num_parse + num_is_canonical */
	parse_canon("0.3333333333333333", 1, 1.0 / 3);
	parse_canon("1234567890123456", 1, 1234567890123456.0);

	rng_init(&g, 11);
	for (int i = 0; i < 20000; i++) {
		char s[64];
		double x, v1 = 0, v2 = 0;
		int k = (int)gsl_rng_uniform_int(g.r, 9), a, b, p1;

		/* values of every magnitude from 1e-9 to 1e17, both signs */
		x = (gsl_rng_uniform(g.r) - 0.5) * pow(10, (double)gsl_rng_uniform_int(g.r, 27) - 9);
		switch (k) {
		case 0: snprintf(s, sizeof s, "%.15g", x); break;
		case 1: snprintf(s, sizeof s, "%.17g", x); break;
		case 2: snprintf(s, sizeof s, "%g", x); break;
		case 3: snprintf(s, sizeof s, "%.3f", x); break;
		case 4: snprintf(s, sizeof s, "%+g", x); break;
		case 5: snprintf(s, sizeof s, "%.16g", x); break;
		case 6: snprintf(s, sizeof s, "%.1f", x); break;
		default: num_format(x, s); break;
		}
		if (k == 8 && strchr(s, '.') && !strchr(s, 'e'))
			strcat(s, "0");        /* a trailing zero: not canonical */
		a = num_parse_canonical(s, strlen(s), &v1);
		p1 = num_parse(s, strlen(s), &v2);
		b = p1 < 0 ? -1 : num_is_canonical(s, strlen(s));
		n++;
		if (a != b) {
			if (disagree++ < 5)
				printf("# \"%s\": num_parse_canonical %d, num_parse/num_is_canonical %d\n", s, a, b);
		} else if (a >= 0 && v1 != v2) {
			if (wrong_value++ < 5)
				printf("# \"%s\": %.17g vs %.17g\n", s, v1, v2);
		}
	}
	rng_free(&g);
	is_int(disagree, 0, "num_parse_canonical agrees with num_is_canonical on %d numbers", n);
	is_int(wrong_value, 0, "num_parse_canonical reads the same value as num_parse");
}

/* The digits of the shortest round trip the slow way (printf %.*e from 1
 * digit up, strtod to check): a reference for num_format's fast path. */
static void shortest_digits(double x, char *digits, int *exp10)
{
	char sci[40];
	size_t k = 0;

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(sci, sizeof sci, "%.*e", prec - 1, x);
		if (strtod(sci, NULL) == x)
			break;
	}
	for (const char *p = sci + (sci[0] == '-'); *p && *p != 'e'; p++)
		if (*p != '.')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*exp10 = atoi(strchr(sci, 'e') + 1);
}

/* num_format's digits (and exponent) equal the reference's on values that
 * look like data (a few decimals) and on computed values (17 digits),
 * across the fast path's range and its edges. */
static void test_format_vs_reference(void)
{
	struct rng g;
	int bad = 0, n = 100000;

	rng_init(&g, 11);
	for (int i = 0; i < n; i++) {
		double x, back;
		char out[NUM_FORMAT_MAX], want[24], got[24];
		int e, ge = 0;
		size_t k = 0;
		const char *p;

		switch (i % 3) {
		case 0:   /* data: an integer of up to 15 digits over a power of ten */
			x = floor(gsl_rng_uniform(g.r) * pow(10, 1 + (int)gsl_rng_uniform_int(g.r, 15))) /
			    pow(10, (int)gsl_rng_uniform_int(g.r, 12));
			break;
		case 1:   /* computed: a ratio */
			x = gsl_rng_uniform_pos(g.r) / gsl_rng_uniform_pos(g.r) *
			    pow(10, (int)gsl_rng_uniform_int(g.r, 30) - 12);
			break;
		default:  /* near the fast path's edges */
			x = (gsl_rng_uniform_int(g.r, 2) ? 1e15 : 1e-7) *
			    (1 + (gsl_rng_uniform(g.r) - 0.5) * 1e-6);
			break;
		}
		if (gsl_rng_uniform_int(g.r, 2))
			x = -x;
		if (x == 0)
			continue;
		num_format(x, out);
		shortest_digits(x, want, &e);
		back = strtod(out, NULL);
		/* the digits of out, and where its point falls */
		for (p = out + (out[0] == '-'); *p && *p != 'e'; p++)
			if (*p >= '0' && *p <= '9' && (k > 0 || *p != '0'))
				got[k++] = *p;
		while (k > 1 && got[k - 1] == '0')
			k--;
		got[k] = '\0';
		(void)ge;
		if (back != x || strcmp(got, want) != 0) {
			if (bad++ < 5)
				printf("# %.17g: num_format \"%s\", shortest digits %s e%d\n", x, out, want, e);
		}
	}
	rng_free(&g);
	is_int(bad, 0, "num_format reads back and has the shortest digits on %d values", n);
}

/* Whole numbers take a path of their own: their digits, the same text as
 * printf's %lld, across signs, powers of ten and the edge of the path. */
static void test_format_whole(void)
{
	static const long long edges[] = { 999999999999999LL, -999999999999999LL, 100000000000000LL,
					   4503599627370495LL / 10, 10, 9, -1, 1 };
	char a[NUM_FORMAT_MAX], b[64];
	long bad = 0;

	for (long long i = -100000; i <= 100000; i++) {
		num_format((double)i, a);
		snprintf(b, sizeof b, "%lld", i);
		bad += strcmp(a, b) != 0;
	}
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
		num_format((double)edges[i], a);
		snprintf(b, sizeof b, "%lld", edges[i]);
		bad += strcmp(a, b) != 0;
	}
	is_int(bad, 0, "whole numbers up to 10^15 are written as %%lld writes them");
	num_format(1e15, a);
	is_str(a, "1000000000000000", "10^15, past the whole-number path, still reads the same");
	num_format(-0.0, a);
	is_str(a, "0", "-0 is 0");
}

int main(void)
{
	test_format_whole();
	test_parse();
	test_parse_vs_strtod();
	test_parse_int();
	test_format();
	test_format_property();
	test_format_vs_reference();
	test_fixed();
	test_canonical();
	test_parse_canonical();
	return tap_done();
}
