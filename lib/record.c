/* record: see record.h. */
#include "record.h"

#include "num.h"

#include <string.h>

int field_is_missing(const struct field *f)
{
	return f->len == 0 || f->kind == FIELD_NULL ||
	       (f->len == 2 && f->s[0] == 'N' && f->s[1] == 'A');
}

int field_flag(const struct field *f, int *v)
{
	double x;

	if (f->len == 4 && memcmp(f->s, "true", 4) == 0) {
		*v = 1;
		return 0;
	}
	if (f->len == 5 && memcmp(f->s, "false", 5) == 0) {
		*v = 0;
		return 0;
	}
	if (field_is_missing(f) || num_parse(f->s, f->len, &x) < 0 || (x != 0 && x != 1))
		return -1;
	*v = x == 1;
	return 0;
}

int field_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len, before = n;

	while (n > 0 && is_blank_byte(p[0]))
		p++, n--;
	while (n > 0 && is_blank_byte(p[n - 1]))
		n--;
	*s = p;
	*len = n;
	return n != before;
}

long names_index(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

int format_from_name(const char *name)
{
	if (strcmp(name, "csv") == 0)
		return FORMAT_CSV;
	if (strcmp(name, "ndjson") == 0 || strcmp(name, "json") == 0 || strcmp(name, "jsonl") == 0)
		return FORMAT_NDJSON;
	if (strcmp(name, "auto") == 0)
		return FORMAT_AUTO;
	return -1;
}

const char *format_name(int format)
{
	return format == FORMAT_NDJSON ? "ndjson" : "csv";
}
