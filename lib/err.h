/*
 * err: one error path for the whole toolkit.
 *
 * Library functions never print and never exit.  They report failure by
 * filling a struct adash_err (an exit code and a one-line message) and
 * returning non-zero; the program in cmd/ decides what to do with it, usually
 * cli_fail(), which prints "prog: message" and exits with the code.  Keeping
 * exit() out of lib/ is what lets one module serve a program that stops at
 * the first bad row and another that skips it.
 *
 * Messages follow the GNU form "file:line: column "c": what is wrong", built
 * by err_at(), so that every program names places the same way.
 */
#ifndef ADASH_ERR_H
#define ADASH_ERR_H

#include <stddef.h>

/* Exit codes: the small numbers scripts already know from grep, diff and jq.
 * Checklist: documented in man/adash.7 and in every man page's EXIT STATUS. */
enum adash_exit {
	ADASH_OK = 0,
	ADASH_EDATA = 1,     /* bad input data: a row, a value, a model file */
	ADASH_EUSAGE = 2,    /* unknown option, bad argument */
	ADASH_EIO = 3,       /* a file cannot be opened, read or written */
	ADASH_EINTERNAL = 4  /* a bug or an exhausted resource (memory) */
};

#define ADASH_ERR_MSG_MAX 1024

struct adash_err {
	int code;                    /* enum adash_exit; 0 when no error */
	char msg[ADASH_ERR_MSG_MAX]; /* one line, no program name, no newline */
	size_t detail;               /* offset in msg past err_at's "file:line: " */
};

void err_clear(struct adash_err *e);

/* Sets code and message; returns -1 so callers can "return err_set(...)". */
int err_set(struct adash_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like err_set, prefixed with "file:line: column "col": " (line 0 and a
 * NULL column are left out). */
int err_at(struct adash_err *e, int code, const char *file, long line,
	   const char *column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Writes at most max bytes of s into out (size outsz) for quoting a value in a
 * message: control characters become '?', and a cut value ends in "...". */
void err_quote_value(char *out, size_t outsz, const char *s, size_t len);

#endif
