/*
 * record: the unit every program reads and writes: a row of text fields.
 *
 * Fields stay text from reader to writer; a program parses the columns it
 * needs (num.h, timeutil.h, schema.h) and copies the rest through untouched,
 * which is what makes passthrough lossless.  Each field carries what its
 * source said of its type (a JSON string, a JSON number, ...) so that an
 * NDJSON writer can keep "007" a string and 7 a number.
 */
#ifndef ADASH_RECORD_H
#define ADASH_RECORD_H

#include <stddef.h>

enum rec_format { FORMAT_AUTO = 0, FORMAT_CSV, FORMAT_NDJSON };

/* What the source said of a field's type.  Checklist: the NDJSON writer
 * (writer.c) decides quoting from this; keep both in step. */
enum field_kind {
	FIELD_TEXT = 0, /* untyped text (CSV): written as a JSON number only when
	                   it is a number in canonical form, else as a string */
	FIELD_STRING,   /* always a JSON string */
	FIELD_NUMBER,   /* a canonical number (num_format's form) */
	FIELD_BOOL,     /* "true" or "false" */
	FIELD_NULL      /* missing; s is "" */
};

struct field {
	const char *s;   /* NUL-terminated, valid UTF-8, no NUL inside */
	size_t len;
	int kind;        /* enum field_kind */
};

/* Points f at s[0..len) of the given kind (enum field_kind). */
static inline void field_set(struct field *f, const char *s, size_t len, int kind)
{
	f->s = s;
	f->len = len;
	f->kind = kind;
}

/* Empty text, JSON null and "NA" are missing values (DESIGN §3). */
int field_is_missing(const struct field *f);

/* A 0/1 flag: the numbers 0 and 1 (1.0 too: the same number) or the text
 * true and false, which is how an NDJSON boolean reads.  0 with *v, or -1
 * for anything else, a missing value included (the caller says what a
 * missing flag means). */
int field_flag(const struct field *f, int *v);

/* Blanks that normalization trims: space, tab, CR, LF, VT, FF.  Inline:
 * it is asked of the first and last byte of every value. */
static inline int is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
/* Narrows [*s, *s + *len) to drop surrounding blanks; returns 1 when
 * anything was dropped.  The one trimming rule of the toolkit: schema
 * values, privacy-list ids and the ids they are compared with all use it. */
int field_trim(const char **s, size_t *len);

/* Index of name in names[0..n), or -1. */
long names_index(const char *const *names, size_t n, const char *name);

/* Parses a format name ("csv", "ndjson", "json", "auto"); -1 if unknown. */
int format_from_name(const char *name);
const char *format_name(int format);

#endif
