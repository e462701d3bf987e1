/*
 * buf: a growable byte buffer, always NUL-terminated (git's strbuf, smaller).
 *
 * Used wherever text is assembled: output rows, error context, JSON
 * fragments.  The terminating NUL is not counted in len.  The appends made
 * per field on every row are inline; growth doubles (xgrow), so a row costs
 * no allocation once the buffer has grown to the longest row.  Rejected:
 * open_memstream, which allocates behind stdio's lock and cannot be reset
 * cheaply per row.
 */
#ifndef ADASH_BUF_H
#define ADASH_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);              /* len = 0, keeps memory */
void buf_reserve(struct buf *b, size_t extra);
void buf_add_slow(struct buf *b, const void *p, size_t n);
void buf_addstr(struct buf *b, const char *s);

/* The two calls made per field on every row: inline when there is room. */
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 <= b->cap) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		buf_add_slow(b, p, n);
	}
}

static inline void buf_addch(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the contents and leaves b empty; the caller frees. */
char *buf_detach(struct buf *b, size_t *len);

#endif
