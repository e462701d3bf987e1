/*
 * html: writing text from the data into HTML safely.  Every string that
 * comes from an input (a widget title, a user id, a reason) goes through
 * html_text, which escapes the five characters that could end an element
 * or an attribute, so a title of "<script>" is shown, never run.  File
 * names made from ids go through html_file_name, which keeps them inside
 * their directory and usable in a link as they are.
 */
#ifndef ADASH_HTML_H
#define ADASH_HTML_H

#include "buf.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Writes s[0..len) with &, <, >, " and ' escaped: safe as element text and
 * as a quoted attribute value.  Control characters other than tab and
 * line ends (C0, DEL, C1), which HTML forbids, become U+FFFD. */
void html_text(FILE *f, const char *s, size_t len);
static inline void html_puts(FILE *f, const char *s)
{
	html_text(f, s, strlen(s));
}

/* The page file name of an id: letters, digits and '-' kept, every other
 * byte written "_xx" (hex), then ".html".  Distinct ids give distinct
 * names, no name has '/' or starts with '.', and a name needs no escaping
 * in an href.  Two exceptions keep it a usable name: an id whose name
 * would pass HTML_NAME_KEEP bytes is cut there and followed by '~' and a
 * 64-bit fingerprint of the whole id (distinct ids could then share a name
 * only by a hash collision), and the id "index" is "index~.html", since
 * index.html is the index's. */
#define HTML_NAME_KEEP 200
void html_file_name(struct buf *b, const char *id, size_t len);

#endif
