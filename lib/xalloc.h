/*
 * xalloc: allocation that cannot return NULL.
 *
 * Running out of memory is the one error not threaded through struct
 * adash_err: every caller would handle it the same way, and threading it
 * through every growable buffer would drown the code that matters.  Like
 * git's xmalloc, these print "prog: out of memory" and exit 4 (internal
 * error).  The fault-injection test (tests/cli/faults.sh) makes malloc fail
 * under LD_PRELOAD and checks for exactly that clean exit.
 */
#ifndef ADASH_XALLOC_H
#define ADASH_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of count elements of size bytes to hold at least need. */
void *xgrow(void *p, size_t *count, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void xalloc_die(void);

#endif
