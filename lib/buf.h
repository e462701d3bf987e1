/*
 * buf: a growable byte buffer, always NUL-terminated (git's strbuf, smaller).
 *
 * Used wherever text is assembled: output rows, error context, JSON
 * fragments.  The terminating NUL is not counted in len.
 */
#ifndef ADASH_BUF_H
#define ADASH_BUF_H

#include <stddef.h>

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
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the contents and leaves b empty; the caller frees. */
char *buf_detach(struct buf *b, size_t *len);

#endif
