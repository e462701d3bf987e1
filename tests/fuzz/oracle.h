/*
 * oracle.h: checks the fuzz harnesses make of what lib/ hands out, written
 * apart from lib/ so that a bug there cannot hide itself: UTF-8 validity
 * per RFC 3629 (without NUL, as record.h promises of every field) and
 * one-line messages (DESIGN §3).  Header-only: each harness is one program.
 */
#ifndef ADASH_FUZZ_ORACLE_H
#define ADASH_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* RFC 3629 UTF-8 without NUL, independent of lib/utf8.c. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k;
		uint32_t cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i <= k)     /* needs k continuation bytes */
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

static int one_line(const char *msg)
{
	return msg[0] != '\0' && !strchr(msg, '\n') && !strchr(msg, '\r');
}

#endif
