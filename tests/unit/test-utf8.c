/*
 * Unit tests of lib/utf8: RFC 3629 validation, the offset of the first bad
 * byte, and the eight-bytes-at-a-time ASCII path at every alignment.
 */
#include "utf8.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

/* Shows bytes as hex for test names. */
static const char *hex(const char *s, size_t n)
{
	static char out[200];
	size_t o = 0;

	for (size_t i = 0; i < n && o + 4 < sizeof out; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%02X", i ? " " : "",
				      (unsigned char)s[i]);
	out[o] = '\0';
	return out;
}

static void valid(const char *s, size_t n, const char *what)
{
	is_int(utf8_check(s, n), n, "valid: %s (%s)", what, hex(s, n));
}

static void invalid(const char *s, size_t n, size_t at, const char *what)
{
	is_int(utf8_check(s, n), at, "invalid at %zu: %s (%s)", at, what, hex(s, n));
}

#define V(lit, what) valid(lit, sizeof lit - 1, what)
#define I(lit, at, what) invalid(lit, sizeof lit - 1, at, what)

static void test_classes(void)
{
	V("", "empty");
	V("abc", "ASCII");
	V("\x01\x1f\x7f", "control characters and DEL (not NUL)");
	V("\xC2\x80", "U+0080, smallest 2-byte");
	V("\xC3\xA9", "U+00E9");
	V("\xDF\xBF", "U+07FF, largest 2-byte");
	V("\xE0\xA0\x80", "U+0800, smallest 3-byte");
	V("\xE2\x82\xAC", "U+20AC euro sign");
	V("\xED\x9F\xBF", "U+D7FF, just below the surrogates");
	V("\xEE\x80\x80", "U+E000, just above the surrogates");
	V("\xEF\xBB\xBF", "U+FEFF (BOM)");
	V("\xEF\xBF\xBF", "U+FFFF");
	V("\xF0\x90\x80\x80", "U+10000, smallest 4-byte");
	V("\xF0\x9D\x84\x9E", "U+1D11E");
	V("\xF4\x8F\xBF\xBF", "U+10FFFF, largest");
	V("h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC \xF0\x9F\x98\x80!", "mixed text");

	I("\x80", 0, "lone continuation byte 80");
	I("\xBF", 0, "lone continuation byte BF");
	I("a\x80", 1, "continuation byte after ASCII");
	I("\xC0\x80", 0, "overlong NUL (C0 80)");
	I("\xC0\xAF", 0, "overlong '/' (C0 AF)");
	I("\xC1\xBF", 0, "overlong 2-byte (C1 BF)");
	I("\xE0\x80\x80", 0, "overlong 3-byte (E0 80 80)");
	I("\xE0\x9F\xBF", 0, "overlong 3-byte (E0 9F BF)");
	I("\xF0\x80\x80\x80", 0, "overlong 4-byte (F0 80 80 80)");
	I("\xF0\x8F\xBF\xBF", 0, "overlong 4-byte (F0 8F BF BF)");
	I("\xED\xA0\x80", 0, "surrogate U+D800");
	I("\xED\xBF\xBF", 0, "surrogate U+DFFF");
	I("\xED\xA0\xBD\xED\xB8\x80", 0, "CESU-8 surrogate pair");
	I("\xF4\x90\x80\x80", 0, "U+110000, above U+10FFFF");
	I("\xF5\x80\x80\x80", 0, "lead byte F5");
	I("\xF8\x88\x80\x80\x80", 0, "5-byte form F8");
	I("\xFC\x84\x80\x80\x80\x80", 0, "6-byte form FC");
	I("\xFE", 0, "byte FE");
	I("\xFF", 0, "byte FF");
	I("\xC3", 0, "truncated 2-byte at the end");
	I("\xE2\x82", 0, "truncated 3-byte at the end");
	I("\xF0\x9D\x84", 0, "truncated 4-byte at the end");
	I("ab\xE2\x82", 2, "truncated 3-byte after ASCII");
	I("\xE2\x82" "a", 0, "truncated 3-byte followed by ASCII");
	I("\xC3\x28", 0, "2-byte with a non-continuation second byte");
	I("\xE2\x28\xA1", 0, "3-byte with a bad second byte");
	I("\xE2\x82\x28", 0, "3-byte with a bad third byte");
	I("\xF0\x9D\x84\x28", 0, "4-byte with a bad fourth byte");
	I("\xF0\x9D\x28\x9E", 0, "4-byte with a bad third byte");
	I("\xC3\xA9\xC3", 2, "truncated after a valid sequence");
	I("\xC3\xA9\x80", 2, "extra continuation after a valid sequence");
	I("\0", 0, "NUL");
	I("abc\0def", 3, "NUL inside");
	I("\xC3\xA9\0", 2, "NUL after multi-byte");
	I("\xC3\0", 0, "NUL as a continuation byte");

	/* a length shorter than the text: only len bytes count */
	is_int(utf8_check("ab\xFF", 2), 2, "only len bytes are checked");
	is_int(utf8_check("\xE2\x82\xAC", 2), 0, "a sequence cut by len is truncated");
}

/* The bad byte at every offset 0..16 of a 17..40-byte ASCII text, so it falls
 * at each position of the first, second and third 8-byte word. */
static void test_alignment(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *what;
	} bad[] = {
		{ "\x80", 1, "continuation byte" },
		{ "\xFF", 1, "byte FF" },
		{ "\0", 1, "NUL" },
		{ "\xC0\xAF", 2, "overlong" },
		{ "\xED\xA0\x80", 3, "surrogate" },
		{ "\xE2\x28\xA1", 3, "bad continuation" },
	};
	char buf[64];
	int fails_bad = 0, fails_tail = 0, fails_valid = 0, fails_nul_end = 0, checks = 0;

	for (size_t b = 0; b < sizeof bad / sizeof *bad; b++)
		for (size_t k = 0; k <= 16; k++)
			for (size_t len = k + bad[b].n; len <= 40; len++) {
				memset(buf, 'a' + (int)(k % 26), sizeof buf);
				memcpy(buf + k, bad[b].bytes, bad[b].n);
				checks++;
				if (utf8_check(buf, len) != k) {
					if (fails_bad++ < 5)
						printf("# %s at %zu, len %zu: got %zu\n", bad[b].what, k,
						       len, utf8_check(buf, len));
				}
			}
	is_int(fails_bad, 0, "every bad class at every offset 0..16, lengths up to 40 (%d cases)", checks);

	/* a sequence cut by the end of the text, ending at each offset */
	for (size_t k = 0; k <= 16; k++) {
		memset(buf, 'x', sizeof buf);
		memcpy(buf + k, "\xF0\x9D\x84", 3);
		if (utf8_check(buf, k + 3) != k)
			fails_tail++;
		memcpy(buf + k, "\xC3", 1);
		if (utf8_check(buf, k + 1) != k)
			fails_tail++;
	}
	is_int(fails_tail, 0, "a truncated sequence at the end, at offsets 0..16");

	/* valid multi-byte sequences straddling every word boundary */
	for (size_t k = 0; k <= 16; k++)
		for (size_t len = k + 4; len <= 40; len++) {
			memset(buf, 'z', sizeof buf);
			memcpy(buf + k, "\xF0\x9D\x84\x9E", 4);
			if (utf8_check(buf, len) != len)
				fails_valid++;
			memset(buf, 'z', sizeof buf);
			memcpy(buf + k, "\xE2\x82\xAC", 3);
			if (utf8_check(buf, len) != len)
				fails_valid++;
		}
	is_int(fails_valid, 0, "valid 3- and 4-byte sequences at offsets 0..16");

	/* NUL as the last byte of texts of every length (fast path stops) */
	for (size_t len = 1; len <= 40; len++) {
		memset(buf, '\x01', sizeof buf);   /* 0x01 is valid and close to 0 */
		buf[len - 1] = '\0';
		if (utf8_check(buf, len) != len - 1)
			fails_nul_end++;
	}
	is_int(fails_nul_end, 0, "NUL as the last byte after 0x01 bytes, lengths 1..40");

	memset(buf, 'q', sizeof buf);
	is_int(utf8_check(buf, 64), 64, "64 ASCII bytes are valid");
	is_int(utf8_check(buf + 3, 61), 61, "unaligned ASCII is valid");
}

int main(void)
{
	test_classes();
	test_alignment();
	return tap_done();
}
