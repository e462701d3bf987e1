/*
 * fuzz-schema: libFuzzer harness for schema files (lib/schema.c) and value
 * normalization.  Built and run by scripts/fuzz.
 *
 * The input up to its first NUL byte is schema JSON (JSON text cannot hold a
 * raw NUL, so nothing is lost); the NUL-separated pieces after it are extra
 * values to normalize, so that the fuzzer explores values against the
 * columns it made as well as the schemas themselves.
 *
 * Checks, beyond what AddressSanitizer and UBSan catch (abort() on a
 * violation, which libFuzzer reports as a crash):
 *   - schema_parse fails only with code 1 and a one-line message, and
 *     leaves the schema empty;
 *   - a parsed schema is consistent: columns named, distinct, of a known
 *     type, enums with values, schema_col and schema_names agree;
 *   - round trip: schema_to_json of it parses again to the same schema
 *     (same names, types, values, ranges, bit for bit), and writes the same
 *     JSON again;
 *   - schema_normalize of a fixed list of values (and the extra ones)
 *     against every column returns -1, 0 or 1, gives the same answer under
 *     the round-tripped schema and through schema_normalize_field (the
 *     no-copy path ingest takes, whose result must still be a
 *     NUL-terminated field), explains a -1 with a one-line reason that
 *     schema_why_category can classify, and is idempotent: a normalized
 *     value normalizes to itself (what adash-ingest writes, adash-ingest
 *     reads back unchanged).
 */
#include "buf.h"
#include "oracle.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-schema: %s\n", what);
	if (detail)
		fprintf(stderr, "%s\n", detail);
	abort();
}

#define CHECK(cond, detail) do { if (!(cond)) fail("check failed: " #cond, (detail)); } while (0)

static int same_list(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static void same_schema(const struct schema *a, const struct schema *b, const char *json)
{
	CHECK(strcmp(a->name, b->name) == 0, json);
	CHECK(a->ncols == b->ncols, json);
	for (size_t i = 0; i < a->ncols; i++) {
		const struct schema_column *x = &a->cols[i], *y = &b->cols[i];
		CHECK(strcmp(x->name, y->name) == 0, json);
		CHECK(x->type == y->type, json);
		CHECK(x->required == y->required, json);
		CHECK(same_list(x->values, x->nvalues, y->values, y->nvalues), json);
		CHECK(x->has_min == y->has_min && x->has_max == y->has_max, json);
		CHECK(x->min_exclusive == y->min_exclusive && x->max_exclusive == y->max_exclusive, json);
		CHECK(!x->has_min || same_double(x->min, y->min), json);
		CHECK(!x->has_max || same_double(x->max, y->max), json);
		CHECK(!x->unless_column == !y->unless_column, json);
		CHECK(!x->unless_column || strcmp(x->unless_column, y->unless_column) == 0, json);
		CHECK(same_list(x->unless_values, x->n_unless, y->unless_values, y->n_unless), json);
	}
}

static void check_schema(const struct schema *s)
{
	const char *const *names = schema_names(s);

	CHECK(s->name != NULL, NULL);
	CHECK(s->ncols > 0, NULL);
	for (size_t i = 0; i < s->ncols; i++) {
		const struct schema_column *c = &s->cols[i];
		CHECK(c->name && c->name[0], NULL);
		CHECK(names[i] == c->name, NULL);
		CHECK(schema_col(s, c->name) == (long)i, NULL);
		CHECK(c->type >= TYPE_STRING && c->type <= TYPE_ENUM, NULL);
		CHECK(strcmp(col_type_name(c->type), "?") != 0, NULL);
		CHECK(col_type_from_name(col_type_name(c->type)) == c->type, NULL);
		CHECK((c->type == TYPE_ENUM) == (c->nvalues > 0), NULL);
		for (size_t k = 0; k < c->nvalues; k++)
			CHECK(c->values[k] && c->values[k][0], NULL);
		CHECK(!c->unless_column || schema_col(s, c->unless_column) >= 0, NULL);
		CHECK(!c->unless_column || c->n_unless > 0, NULL);
		(void)schema_column_json(c);
	}
	CHECK(names[s->ncols] == NULL, NULL);
}

static const char *const fixed_values[] = {
	"", "NA", "null", " ", " \t\r\n", "0", "-0", "1", "+2", "12", " 12 ", "-0.5",
	".5", "5.", "1e3", "1E-3", "1.5e+21", "1e21", "1e-7", "123456789012345678901234567890",
	"abc", "12abc", "0x10", "nan", "inf", "-Infinity", "1,000",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "1e19", "4.0", "4.5", "1e400", "-1e400", "1e-400",
	"0.30000000000000004", "0.1", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
	"true", "FALSE", "Yes", "n", "t", "T", "2",
	"2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2024-1-1",
	"2024-13-01", "2024-01-32", "+2024-01-01", "20240101",
	"2024-01-01T12:00:00Z", "2024-01-01T12:00:00.123456+02:00", "2024-01-01t12:00:00z",
	"2024-01-01 12:00:00Z", "2024-01-01T12:00:00.1234567Z", "2024-01-01T12:00:00.1234560Z",
	"2024-01-01T23:59:60Z", "2024-01-01T12:00:00", "2024-01-01T12:00:00+24:00",
	"0001-01-01T00:00:00+01:00", "0001-01-01T00:59:59+01:00", "9999-12-31T23:00:00-01:00",
	"9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z",
	"1700000000", "1700000000.5", "1700000000000", "1700000000000.5", "-1", "-1700000000",
	"99999999999", "100000000000", "253402300799", "253402300800", "-62135596800",
	"-62135596801", "99999999999999999", "-99999999999999999", "1e15", "1e18", "-1e18",
	"page_view", "Page_View", "PAGE_VIEW", "impression", "open", "a", "A",
	"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "x\ty", "\"quoted\"",
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* Normalizes v (with kind) against c of schema a and c2 of its round trip. */
static void normalize_one(const struct schema_column *c, const struct schema_column *c2,
			  const char *v, size_t len, int kind, struct buf *out, struct buf *out2)
{
	char why[512], why2[512], detail[900];
	struct field f = { v, len, kind };
	int rc, rc2;

	why[0] = why2[0] = '\0';
	rc = schema_normalize(c, &f, out, why, sizeof why);
	rc2 = schema_normalize(c2, &f, out2, why2, sizeof why2);
	snprintf(detail, sizeof detail, "column \"%.100s\" (%s), value \"%.200s\": %d \"%.200s\", round trip %d \"%.200s\"",
		 c->name, col_type_name(c->type), v, rc, rc == 0 ? out->data : why, rc2,
		 rc2 == 0 ? out2->data : why2);
	CHECK(rc == -1 || rc == 0 || rc == 1, detail);
	CHECK(rc == rc2, detail);
	/* schema_normalize_field, ingest's path, agrees with schema_normalize */
	{
		static struct buf scratch = BUF_INIT;
		struct field res = { NULL, 0, 0 };
		char why3[512];
		int rc3;

		why3[0] = '\0';
		rc3 = schema_normalize_field(c, &f, &scratch, &res, why3, sizeof why3);
		CHECK(rc3 == rc, detail);
		if (rc3 < 0)
			CHECK(strcmp(why3, why) == 0, detail);
		if (rc3 == 1)
			CHECK(res.kind == FIELD_NULL && res.len == 0, detail);
		if (rc3 == 0) {
			CHECK(res.s != NULL && res.s[res.len] == '\0', detail);
			CHECK(res.len == out->len && memcmp(res.s, out->data, res.len) == 0, detail);
		}
	}
	if (rc == 1) {
		CHECK(out->len == 0, detail);
		return;
	}
	if (rc < 0) {
		CHECK(one_line(why), detail);
		CHECK(strcmp(why, why2) == 0, detail);
		CHECK(schema_why_category(why) != NULL, detail);
		return;
	}
	CHECK(out->data && out->data[out->len] == '\0', detail);
	CHECK(strlen(out->data) == out->len, detail);
	CHECK(valid_utf8((const unsigned char *)out->data, out->len), detail);
	CHECK(out->len == out2->len && memcmp(out->data, out2->data, out->len) == 0, detail);
	/* idempotent: what ingest writes reads back as itself */
	{
		struct field g = { out->data, out->len, FIELD_TEXT };
		rc2 = schema_normalize(c, &g, out2, why2, sizeof why2);
		snprintf(detail, sizeof detail, "column \"%.100s\" (%s): \"%.200s\" -> \"%.200s\" -> %d \"%.200s\"",
			 c->name, col_type_name(c->type), v, out->data, rc2, rc2 == 0 ? out2->data : why2);
		CHECK(rc2 == 0, detail);
		CHECK(out->len == out2->len && memcmp(out->data, out2->data, out->len) == 0, detail);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t len = nul ? (size_t)(nul - text) : size;
	struct schema s, s2;
	struct adash_err e;
	struct buf out = BUF_INIT, out2 = BUF_INIT;
	char *json, *json2;

	memset(&e, 0, sizeof e);
	if (schema_parse(&s, text, len, "fuzz", &e) < 0) {
		CHECK(e.code == ADASH_EDATA, e.msg);
		CHECK(one_line(e.msg), e.msg);
		CHECK(s.cols == NULL && s.ncols == 0 && s.name == NULL, e.msg);
		return 0;
	}
	check_schema(&s);

	json = schema_to_json(&s);
	CHECK(json != NULL, NULL);
	if (schema_parse(&s2, json, strlen(json), "fuzz", &e) < 0) {
		fprintf(stderr, "fuzz-schema: schema_to_json wrote a schema that does not parse: %s\n%s\n",
			e.msg, json);
		abort();
	}
	same_schema(&s, &s2, json);
	json2 = schema_to_json(&s2);
	CHECK(strcmp(json, json2) == 0, json);

	for (size_t i = 0; i < s.ncols; i++) {
		const struct schema_column *c = &s.cols[i], *c2 = &s2.cols[i];

		for (size_t k = 0; k < sizeof fixed_values / sizeof *fixed_values; k++)
			normalize_one(c, c2, fixed_values[k], strlen(fixed_values[k]), FIELD_TEXT, &out, &out2);
		normalize_one(c, c2, "", 0, FIELD_NULL, &out, &out2);
		normalize_one(c, c2, "7", 1, FIELD_NUMBER, &out, &out2);
		normalize_one(c, c2, "true", 4, FIELD_BOOL, &out, &out2);
		for (size_t k = 0; k < c->nvalues; k++)
			normalize_one(c, c2, c->values[k], strlen(c->values[k]), FIELD_STRING, &out, &out2);
		for (size_t k = 0; k < c->n_unless; k++)
			normalize_one(c, c2, c->unless_values[k], strlen(c->unless_values[k]), FIELD_STRING, &out, &out2);
		/* the values after the schema, each valid UTF-8 as the reader
		 * guarantees */
		for (const char *p = nul; p && p < text + size;) {
			const char *v = p + 1;
			const char *end = memchr(v, '\0', (size_t)(text + size - v));
			size_t n = end ? (size_t)(end - v) : (size_t)(text + size - v);
			if (valid_utf8((const unsigned char *)v, n)) {
				char *copy = malloc(n + 1);   /* NUL-terminated, as fields are */
				if (!copy)
					abort();
				memcpy(copy, v, n);
				copy[n] = '\0';
				normalize_one(c, c2, copy, n, FIELD_TEXT, &out, &out2);
				free(copy);
			}
			p = end;
		}
	}
	buf_free(&out);
	buf_free(&out2);
	free(json);
	free(json2);
	schema_free(&s);
	schema_free(&s2);
	return 0;
}
