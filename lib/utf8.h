/*
 * utf8: validation of UTF-8 text (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF).  Every field the reader hands out has passed
 * through here, so later modules may assume valid UTF-8.
 */
#ifndef ADASH_UTF8_H
#define ADASH_UTF8_H

#include <stddef.h>

/* Returns len when s is valid UTF-8 without NUL bytes; otherwise the offset
 * of the first offending byte. */
size_t utf8_check(const char *s, size_t len);

#endif
