/* num: see num.h. */
#include "num.h"
#include "xalloc.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks the grammar  [+-]? (digits [. digits?]? | . digits) ([eE] [+-]? digits)?
 * so that strtod never sees hex, nan, inf or leading space. */
static int is_decimal_syntax(const char *s, size_t len)
{
	size_t i = 0, int_digits = 0, frac_digits = 0, exp_digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, int_digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, frac_digits++;
	}
	if (int_digits + frac_digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp_digits++;
		if (exp_digits == 0)
			return 0;
	}
	return i == len;
}

static const double pow10_exact[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
				      1e20, 1e21, 1e22 };

/* Scans a plain decimal, [+-]? digits ("." digits?)? or "." digits, the way
 * nearly every number in a data file is written, without strtod.
 *
 * Clinger's fast path: when the digits fit in 2^53 and the scale is at most
 * 10^22, the value is mant / 10^k with both operands exact doubles, so one
 * correctly rounded IEEE division gives the correctly rounded value, exactly
 * what strtod returns, several times faster.
 *
 * It also tells whether the text is already what num_format writes:
 * "-"? (0 | [1-9][0-9]*) ("." [0-9]*[1-9])?, at most 15 significant digits
 * and a value of at least 1e-6 (smaller ones are written with an exponent).
 * *canonical is 1 or 0, or -1 when only num_format can say (16 or more
 * significant digits).
 *
 * Returns 0 with *out set, or -1 when the text is not a plain decimal that
 * the fast path can take (then strtod decides). */
static int scan_plain(const char *s, size_t len, double *out, int *canonical)
{
	static const uint64_t ipow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					   100000000, 1000000000, UINT64_C(10000000000),
					   UINT64_C(100000000000), UINT64_C(1000000000000),
					   UINT64_C(10000000000000), UINT64_C(100000000000000),
					   UINT64_C(1000000000000000), UINT64_C(10000000000000000) };
	uint64_t mant = 0;
	size_t i = 0, int_start, int_digits, frac = 0;
	int neg = 0, plus = 0, dot = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		plus = s[0] == '+';
		i = 1;
	}
	int_start = i;
	/* mant may wrap past 19 digits (unsigned, defined); such input is
	 * refused below */
	while (i < len && (unsigned)(s[i] - '0') < 10)
		mant = mant * 10 + (uint64_t)(s[i++] - '0');
	int_digits = i - int_start;
	if (i < len && s[i] == '.') {
		size_t frac_start = ++i;
		dot = 1;
		while (i < len && (unsigned)(s[i] - '0') < 10)
			mant = mant * 10 + (uint64_t)(s[i++] - '0');
		frac = i - frac_start;
	}
	if (i != len || int_digits + frac == 0 || int_digits + frac > 19 ||
	    mant > (uint64_t)NUM_EXACT_INT || frac > 22)
		return -1;
	*out = (double)mant / pow10_exact[frac];
	if (neg)
		*out = -*out;
	if (mant >= ipow10[15])
		*canonical = -1;
	else
		*canonical = !plus && int_digits > 0 &&
			     !(int_digits > 1 && s[int_start] == '0') &&
			     !(dot && (frac == 0 || s[len - 1] == '0')) &&
			     (frac <= 6 || mant >= ipow10[frac - 6]) &&
			     (mant != 0 || len == 1);
	return 0;
}

int num_parse(const char *s, size_t len, double *out)
{
	char small[64];
	char *copy = small, *end;
	double v;

	int canonical;

	if (scan_plain(s, len, out, &canonical) == 0)
		return 0;
	if (len == 0 || !is_decimal_syntax(s, len))
		return -1;
	/* strtod needs a terminated string; values are short, so copy. */
	if (len >= sizeof small)
		copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	errno = 0;
	v = strtod(copy, &end);
	if (copy != small)
		free(copy);
	/* ERANGE on underflow still gives a usable (tiny or zero) value; only
	 * overflow to infinity is refused. */
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int num_parse_int(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t acc = 0;
	double d;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			break;
		if (acc > (UINT64_MAX - 9) / 10)
			return -1;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == len) {
		if (neg ? acc > (uint64_t)INT64_MAX + 1 : acc > INT64_MAX)
			return -1;
		*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
		return 0;
	}
	/* "1e3", "4.0": integral values written as decimals. */
	if (num_parse(s, len, &d) < 0 || d != floor(d) || fabs(d) >= NUM_EXACT_INT)
		return -1;
	*out = (int64_t)d;
	return 0;
}

/* Lays out the significant digits `digits` (no dot, no trailing zeros) with
 * decimal exponent e (value = 0.d1d2... * 10^(e+1), i.e. d1 is at 10^e) the
 * way ECMAScript's Number::toString does. */
static size_t layout(int neg, const char *digits, size_t k, int e, char *out)
{
	size_t o = 0;
	int n = e + 1; /* position of the decimal point after n digits */

	if (neg)
		out[o++] = '-';
	if (n >= (int)k && n <= 21) {
		memcpy(out + o, digits, k);
		o += k;
		for (int i = 0; i < n - (int)k; i++)
			out[o++] = '0';
	} else if (n > 0 && n <= 21) {
		memcpy(out + o, digits, (size_t)n);
		o += (size_t)n;
		out[o++] = '.';
		memcpy(out + o, digits + n, k - (size_t)n);
		o += k - (size_t)n;
	} else if (n > -6 && n <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -n; i++)
			out[o++] = '0';
		memcpy(out + o, digits, k);
		o += k;
	} else {
		out[o++] = digits[0];
		if (k > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, k - 1);
			o += k - 1;
		}
		o += (size_t)sprintf(out + o, "e%c%d", n - 1 >= 0 ? '+' : '-',
				     abs(n - 1));
	}
	out[o] = '\0';
	return o;
}

/* Tries the 16-digit decimal on the other side of x from the correctly
 * rounded one (last digit one up or down); on success writes it into sci in
 * "%.15e" form and returns 1. */
static int sixteen_digit_neighbour(double x, char *sci, size_t scisz)
{
	char s17[40];
	unsigned long long m = 0;
	int e, neg = x < 0;
	const char *p;

	snprintf(s17, sizeof s17, "%.16e", x);  /* 17 significant digits */
	for (p = s17 + neg; *p && *p != 'e'; p++)
		if (*p != '.')
			m = m * 10 + (unsigned long long)(*p - '0');
	e = atoi(p + 1);
	for (int up = 0; up <= 1; up++) {
		unsigned long long m16 = m / 10 + (unsigned long long)up;
		int e16 = e;
		char digits[24];

		if (m16 >= 10000000000000000ULL) {   /* 9.99..9 + 1 = 10.0 */
			m16 /= 10;
			e16++;
		}
		snprintf(digits, sizeof digits, "%016llu", m16);
		snprintf(sci, scisz, "%s%c.%se%+d", neg ? "-" : "", digits[0], digits + 1, e16);
		if (strtod(sci, NULL) == x)
			return 1;
	}
	return 0;
}

/* The fast path of num_format: values that 15 significant digits carry
 * back exactly, found with integer arithmetic instead of printf and strtod.
 * m = round(|x| 10^k) has 15 digits; m / 10^k is one correctly rounded
 * IEEE division (m < 2^53 and 10^k exact for k <= 22: Clinger's fast
 * path), so comparing it with |x| is exactly strtod's round-trip test.
 * Double spacing (2^-52 relative) is finer than that of 15-digit decimals
 * (10^-14 relative at most), so at most one 15-digit decimal reads back as
 * x: when m passes, it is the digits printf("%.14e") gives.  Returns 0
 * when x is out of the path's range or needs more digits. */
static size_t format_fast15(double x, char *out)
{
	double a = fabs(x), m;
	int e = (int)floor(log10(a)), k = 14 - e;
	char digits[24];
	size_t n = 15;

	if (k < 0 || k > 22)
		return 0;
	m = nearbyint(a * pow10_exact[k]);
	if (m < 1e14 || m >= 1e15 || m / pow10_exact[k] != a)
		return 0;
	for (long long v = (long long)m; n-- > 0; v /= 10)
		digits[n] = (char)('0' + v % 10);
	n = 15;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	return layout(x < 0, digits, n, e, out);
}

size_t num_format(double x, char *out)
{
	char sci[40], digits[24];
	size_t k = 0;
	int prec, e;
	char *p;

	if (x == 0) {
		strcpy(out, "0");
		return 1;
	}
	/* Whole numbers (the counts that are most of what adash-features
	 * --events writes) are their own shortest form: their digits, as
	 * layout() would place them, without the search below. */
	if (fabs(x) < 1e15 && x == (double)(long long)x) {
		unsigned long long u = x < 0 ? (unsigned long long)-(long long)x : (unsigned long long)x;
		char rev[24];
		size_t n = 0;

		do {
			rev[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (x < 0)
			out[k++] = '-';
		while (n)
			out[k++] = rev[--n];
		out[k] = '\0';
		return k;
	}
	if (fabs(x) >= 1e-7 && fabs(x) < 1e15 && (k = format_fast15(x, out)) > 0)
		return k;
	/* Subnormals have fewer significant bits, so 15 digits may be far
	 * more than needed there: search from 1. */
	for (prec = fabs(x) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
		snprintf(sci, sizeof sci, "%.*e", prec - 1, x);
		if (prec == 17 || strtod(sci, NULL) == x)
			break;
		/* At 16 digits the correctly rounded candidate can miss while
		 * its neighbour on the other side of x still reads back (near
		 * powers of two the rounding interval is lopsided). */
		if (prec == 16 && sixteen_digit_neighbour(x, sci, sizeof sci))
			break;
	}
	/* sci is "[-]d.ddddde[+-]xx" */
	p = sci + (sci[0] == '-');
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[k++] = *p;
	e = atoi(p + 1);
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	return layout(x < 0, digits, k, e, out);
}

size_t num_format_fixed(double x, int decimals, char *out)
{
	char tmp[40];
	long long scaled, ip, fp;
	size_t o = 0;
	int i, neg;

	/* beyond 2^53 after scaling the integer arithmetic below is not exact */
	if (decimals < 0 || decimals > 9 || !(fabs(x) * pow10_exact[decimals] < NUM_EXACT_INT))
		return num_format(x, out);
	scaled = llround(x * pow10_exact[decimals]);
	if (scaled == 0) {
		strcpy(out, "0");
		return 1;
	}
	neg = scaled < 0;
	if (neg)
		scaled = -scaled;
	ip = scaled / (long long)pow10_exact[decimals];
	fp = scaled % (long long)pow10_exact[decimals];
	if (neg)
		out[o++] = '-';
	o += (size_t)sprintf(out + o, "%lld", ip);
	if (fp) {
		int width = decimals;

		while (fp % 10 == 0) {
			fp /= 10;
			width--;
		}
		sprintf(tmp, "%0*lld", width, fp);
		out[o++] = '.';
		for (i = 0; tmp[i]; i++)
			out[o++] = tmp[i];
	}
	out[o] = '\0';
	return o;
}

int num_is_canonical(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	int seen_dot = 0, leading = 1;

	/* Fast path for the common case: plain decimals of at most 15
	 * significant digits, which are their own shortest form. */
	if (len == 0 || len > 24)
		goto slow;
	if (s[0] == '-')
		i = 1;
	if (i == len || s[i] == '.')
		return 0;
	if (s[i] == '0') {
		if (i + 1 == len)
			return i == 0; /* "0" yes, "-0" no */
		if (s[i + 1] != '.')
			return 0;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (seen_dot || i + 1 == len)
				return 0;
			seen_dot = 1;
		} else if (c >= '0' && c <= '9') {
			if (c != '0')
				leading = 0;
			if (!leading)
				digits++;
		} else {
			goto slow;
		}
	}
	if (seen_dot && s[len - 1] == '0')
		return 0;
	if (digits == 0)
		return 0;
	if (digits <= 15) {
		/* Fixed notation is used for 1e-7 <= |x| < 1e21; leading
		 * zeros after the dot beyond six mean |x| < 1e-7. */
		const char *dot = memchr(s, '.', len);
		if (dot && dot[1] == '0') {
			size_t z = 0;
			while (dot + 1 + z < s + len && dot[1 + z] == '0')
				z++;
			if (z >= 6)
				return 0;
		}
		return 1;
	}
slow:
	{
		char buf[NUM_FORMAT_MAX];
		double v;

		if (num_parse(s, len, &v) < 0)
			return 0;
		return num_format(v, buf) == len && memcmp(buf, s, len) == 0;
	}
}

int num_parse_canonical(const char *s, size_t len, double *out)
{
	int canonical;

	if (scan_plain(s, len, out, &canonical) == 0 && canonical >= 0)
		return canonical;
	if (num_parse(s, len, out) < 0)
		return -1;
	return num_is_canonical(s, len);
}
