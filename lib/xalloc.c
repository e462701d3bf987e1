/* xalloc: see xalloc.h. */
#define _GNU_SOURCE
#include "xalloc.h"
#include "err.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void xalloc_die(void)
{
	/* No stdio: it may itself need memory. */
	const char *name = program_invocation_short_name;
	static const char tail[] = ": out of memory\n";

	if (write(STDERR_FILENO, name, strlen(name)) < 0 ||
	    write(STDERR_FILENO, tail, sizeof tail - 1) < 0) {
		/* nothing more can be said */
	}
	/* exit, not _exit: the atexit handlers remove temporary files */
	exit(ADASH_EINTERNAL);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		xalloc_die();
	return q;
}

void *xgrow(void *p, size_t *count, size_t need, size_t size)
{
	size_t n = *count;

	if (need <= n)
		return p;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			xalloc_die();
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		xalloc_die();
	p = xrealloc(p, n * size);
	*count = n;
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
