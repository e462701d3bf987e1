/*
 * num: strict number parsing and deterministic, lossless number output.
 *
 * Parsing is stricter than strtod: the whole text must be a decimal number
 * ("12abc", " 12", "0x1p3", "nan", "inf", "1,000" are rejected; "1e3", "-0.5",
 * ".5" and "+2" are accepted), and the result must be finite.
 *
 * Output is the shortest decimal that reads back to the same double, laid out
 * the way JavaScript's Number.prototype.toString lays it out (fixed notation
 * for 1e-6 <= |x| < 1e21, otherwise "1.5e+21" or "1e-7"), so that the same value is
 * always written with the same bytes and reading it back loses nothing.
 *
 * Approach: the shortest digits come from printf's correctly rounded "%.*e"
 * at 15, 16 and 17 significant digits.  Any decimal of at most 15 significant
 * digits survives a round trip through a double (DBL_DIG), so when 15 digits
 * read back exactly, the shortest form is those digits with trailing zeros
 * removed; otherwise 16 or 17 are needed.  Rejected: a hand-written Ryu or
 * Grisu, which would be faster but is a few hundred lines of delicate code
 * that printf already gets right.
 */
#ifndef ADASH_NUM_H
#define ADASH_NUM_H

#include <stddef.h>
#include <stdint.h>

/* 2^53: integers up to here are exact in a double. */
#define NUM_EXACT_INT 9007199254740992.0

/* Longest text num_format can produce, with the NUL. */
#define NUM_FORMAT_MAX 32

/* Parses s[0..len) strictly.  Returns 0 and sets *out, or -1. */
int num_parse(const char *s, size_t len, double *out);

/* Parses a decimal integer ("-12", "+3") within int64 range, or an integral
 * value written otherwise ("1e3", "4.0") below 2^53 in magnitude, where a
 * double is still exact.  Returns 0 or -1. */
int num_parse_int(const char *s, size_t len, int64_t *out);

/* Writes the shortest round-trip form of finite x into out (NUM_FORMAT_MAX
 * bytes) and returns its length.  -0 is written "0". */
size_t num_format(double x, char *out);

/* Writes x rounded to `decimals` places (0..9), trailing zeros removed, e.g.
 * 12.50 -> "12.5": the shortest form of the rounded value.  When x times
 * 10^decimals reaches 2^53 (where rounding to that many places means
 * nothing) it writes num_format(x). */
size_t num_format_fixed(double x, int decimals, char *out);

/* num_parse and num_is_canonical in one pass, for the hot path of
 * normalization: 1 when s parses and is already canonical, 0 when it parses
 * but is not, -1 when it is not a number. */
int num_parse_canonical(const char *s, size_t len, double *out);

/* True when s[0..len) is already exactly what num_format writes for its
 * value, so that a normalizing program can copy it unchanged. */
int num_is_canonical(const char *s, size_t len);

#endif
