/*
 * html: escaping and page file names (see html.h).
 */
#include "html.h"

#include <stdint.h>
#include <string.h>

void html_text(FILE *f, const char *s, size_t len)
{
	size_t from = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep;
		size_t skip = 1;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* control characters are parse errors in HTML: U+FFFD in
			 * their place (tab, newline and carriage return are text) */
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
				rep = "\xef\xbf\xbd";
			} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
				   (unsigned char)s[i + 1] <= 0x9f) {
				rep = "\xef\xbf\xbd";   /* the C1 controls */
				skip = 2;
			} else {
				continue;
			}
		}
		fwrite(s + from, 1, i - from, f);
		fputs(rep, f);
		i += skip - 1;
		from = i + 1;
	}
	fwrite(s + from, 1, len - from, f);
}

/* FNV-1a: a short fingerprint of a long id for its file name. */
static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h;
}

void html_file_name(struct buf *b, const char *id, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	buf_reset(b);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
			buf_addch(b, (char)c);
		} else {
			buf_addch(b, '_');
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		}
	}
	if (b->len > HTML_NAME_KEEP) {
		/* too long for a file name (255 bytes on most systems): a
		 * prefix and a fingerprint of the whole id after '~', which no
		 * encoded id has */
		b->len = HTML_NAME_KEEP;
		buf_printf(b, "~%016llx", (unsigned long long)fnv1a(id, len));
	}
	if (strcmp(b->data ? b->data : "", "index") == 0)
		buf_addch(b, '~');   /* the index's name is taken */
	buf_addstr(b, ".html");
}
