/* utf8: see utf8.h.  ASCII is checked eight bytes at a time, since nearly
 * all dashboard data is ASCII and this runs on every byte read. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		if (i + 8 <= len) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			/* no high bit set and no zero byte in the word */
			if (!(w & UINT64_C(0x8080808080808080)) &&
			    !((w - UINT64_C(0x0101010101010101)) & ~w &
			      UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;       /* overlong */
			else if (c == 0xED)
				hi = 0x9F;       /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;       /* overlong */
			else if (c == 0xF4)
				hi = 0x8F;       /* above U+10FFFF */
		} else {
			return i;
		}
		if (i + need >= len)
			return i;        /* sequence cut short by the end */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += need + 1;
	}
	return len;
}
