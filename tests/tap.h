/*
 * tap.h: the smallest TAP producer that serves the unit tests of lib/.
 * Each check prints "ok N - name" or "not ok N - name" with the place and
 * the values on a diagnostic line; tap_done() prints the plan.  Header-only
 * so that every test program is one .c file.
 */
#ifndef ADASH_TAP_H
#define ADASH_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

static void tap_result(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), unused));
static void tap_result(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

#define ok(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_str(got, want, ...) do { \
	const char *tap_g = (got), *tap_w = (want); \
	int tap_p = tap_g && tap_w ? strcmp(tap_g, tap_w) == 0 : tap_g == tap_w; \
	tap_result(tap_p, __FILE__, __LINE__, __VA_ARGS__); \
	if (!tap_p) printf("#   got:  \"%s\"\n#   want: \"%s\"\n", tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long tap_g = (long long)(got), tap_w = (long long)(want); \
	tap_result(tap_g == tap_w, __FILE__, __LINE__, __VA_ARGS__); \
	if (tap_g != tap_w) printf("#   got:  %lld\n#   want: %lld\n", tap_g, tap_w); \
} while (0)

#define is_num(got, want, tol, ...) do { \
	double tap_g = (got), tap_w = (want); \
	int tap_p = fabs(tap_g - tap_w) <= (tol); \
	tap_result(tap_p, __FILE__, __LINE__, __VA_ARGS__); \
	if (!tap_p) printf("#   got:  %.17g\n#   want: %.17g\n", tap_g, tap_w); \
} while (0)

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return 0; /* the TAP driver counts failures */
}

#endif
