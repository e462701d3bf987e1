/*
 * html: escaping and page file names (see html.h).
 */
#include "html.h"

void html_text(FILE *f, const char *s, size_t len)
{
	size_t from = 0;

	for (size_t i = 0; i < len; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		fwrite(s + from, 1, i - from, f);
		fputs(rep, f);
		from = i + 1;
	}
	fwrite(s + from, 1, len - from, f);
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
	buf_addstr(b, ".html");
}
