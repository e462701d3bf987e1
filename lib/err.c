/*
 * err: see err.h.  Messages are truncated, never overflowed: a hostile 1 MB
 * value is shown as its first few dozen bytes.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct adash_err *e)
{
	e->code = 0;
	e->detail = 0;
	e->msg[0] = '\0';
}

int err_set(struct adash_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	e->detail = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	for (char *p = e->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

int err_at(struct adash_err *e, int code, const char *file, long line,
	   const char *column, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	e->code = code;
	e->msg[0] = '\0';
	if (file)
		n += (size_t)snprintf(e->msg, sizeof e->msg, "%s:", file);
	if (line > 0 && n < sizeof e->msg)
		n += (size_t)snprintf(e->msg + n, sizeof e->msg - n, "%ld:", line);
	if (n > 0 && n < sizeof e->msg)
		n += (size_t)snprintf(e->msg + n, sizeof e->msg - n, " ");
	e->detail = n < sizeof e->msg ? n : 0;
	if (column && n < sizeof e->msg)
		n += (size_t)snprintf(e->msg + n, sizeof e->msg - n,
				      "column \"%s\": ", column);
	if (n < sizeof e->msg) {
		va_start(ap, fmt);
		vsnprintf(e->msg + n, sizeof e->msg - n, fmt, ap);
		va_end(ap);
	}
	/* one line, whatever the names and values in it */
	for (char *p = e->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

void err_quote_value(char *out, size_t outsz, const char *s, size_t len)
{
	const size_t shown_max = 40;
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < len && i < shown_max && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	/* never cut a UTF-8 character in two: drop a partial one */
	if (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80) {
			o--;
			i--;
		}
		if (o > 0 && ((unsigned char)out[o - 1] & 0x80)) {
			o--;
			i--;
		}
	}
	if (i < len && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
