/*
 * Unit tests of lib/schema: the built-in schemas, normalization of every
 * column type, schema file errors and the schema_to_json -> schema_parse
 * round trip.
 */
#include "schema.h"
#include "writer.h"
#include "tap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------- */

/* s with control characters shown as '?', for test names (two buffers, so
 * two values can appear in one name) */
static const char *shown(const char *s)
{
	static char out[2][80];
	static int which;
	char *o = out[which ^= 1];
	size_t i;

	for (i = 0; s[i] && i + 1 < sizeof out[0]; i++)
		o[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	o[i] = '\0';
	return o;
}

static struct schema_column column(int type, int required)
{
	struct schema_column c;

	memset(&c, 0, sizeof c);
	c.name = (char *)"c";
	c.type = type;
	c.required = required;
	return c;
}

/* Normalizes s (a FIELD_TEXT) and checks the result is 0 with text want. */
static void norm_ok(const struct schema_column *c, const char *s, const char *want)
{
	struct field f = { s, strlen(s), FIELD_TEXT };
	struct buf out = BUF_INIT;
	char why[256] = "";
	int rc = schema_normalize(c, &f, &out, why, sizeof why);

	ok(rc == 0 && out.data && strcmp(out.data, want) == 0, "%s \"%s\" -> \"%s\"",
	   col_type_name(c->type), shown(s), shown(want));
	if (!(rc == 0 && out.data && strcmp(out.data, want) == 0))
		printf("#   rc %d, out \"%s\", why \"%s\"\n", rc, out.data ? out.data : "(null)", why);
	buf_free(&out);
}

/* Checks that s is refused, with a reason containing part. */
static void norm_bad(const struct schema_column *c, const char *s, const char *part)
{
	struct field f = { s, strlen(s), FIELD_TEXT };
	struct buf out = BUF_INIT;
	char why[256] = "";
	int rc = schema_normalize(c, &f, &out, why, sizeof why);

	ok(rc == -1 && strstr(why, part) != NULL, "%s \"%s\" is refused: ...%s...",
	   col_type_name(c->type), shown(s), part);
	if (!(rc == -1 && strstr(why, part) != NULL))
		printf("#   rc %d, out \"%s\", why \"%s\"\n", rc, out.data ? out.data : "", why);
	buf_free(&out);
}

/* A missing value: 1 with empty output when allowed, -1 when required. */
static void norm_missing(const struct schema_column *c, const char *s, int kind, int want_rc,
			 const char *what)
{
	struct field f = { s, strlen(s), kind };
	struct buf out = BUF_INIT;
	char why[256] = "";
	int rc = schema_normalize(c, &f, &out, why, sizeof why);

	ok(rc == want_rc && out.len == 0 &&
	   (want_rc != -1 || strstr(why, "a value is required") != NULL),
	   "%s %s column: %s gives %d", c->required ? "required" : "optional",
	   col_type_name(c->type), what, want_rc);
	if (rc != want_rc)
		printf("#   rc %d, why \"%s\"\n", rc, why);
	buf_free(&out);
}

/* ---- built-ins ----------------------------------------------------------- */

static void test_builtins(void)
{
	struct schema s;
	struct adash_err e;
	const char *const *names = schema_builtin_names();
	const struct schema_column *c;
	long k;

	ok(names[0] && strcmp(names[0], "sales") == 0 && names[1] && strcmp(names[1], "events") == 0 &&
	   names[2] == NULL, "built-in names: sales, events");

	err_clear(&e);
	is_int(schema_load(&s, "sales", &e), 0, "schema sales loads");
	is_str(s.name, "sales", "sales: name");
	is_int(s.ncols, 7, "sales: 7 columns");
	{
		const char *const *n = schema_names(&s);
		ok(strcmp(n[0], "shop_id") == 0 && strcmp(n[1], "date") == 0 && strcmp(n[2], "sales") == 0 &&
		   strcmp(n[3], "footfall") == 0 && strcmp(n[4], "price") == 0 &&
		   strcmp(n[5], "promo") == 0 && strcmp(n[6], "temp_c") == 0 && n[7] == NULL,
		   "sales: column names in order, NULL-terminated");
		ok(schema_names(&s) == n, "schema_names is cached");
	}
	c = &s.cols[0];
	ok(c->type == TYPE_STRING && c->required, "sales: shop_id is a required string");
	c = &s.cols[1];
	ok(c->type == TYPE_DATE && c->required, "sales: date is a required date");
	c = &s.cols[2];
	ok(c->type == TYPE_NUMBER && c->required && c->has_min && c->min == 0 && !c->min_exclusive,
	   "sales: sales is a required number >= 0");
	k = schema_col(&s, "price");
	c = &s.cols[k];
	ok(k == 4 && c->type == TYPE_NUMBER && !c->required && c->has_min && c->min == 0 &&
	   c->min_exclusive, "sales: price is an optional number > 0");
	c = &s.cols[schema_col(&s, "promo")];
	ok(c->type == TYPE_BOOL && !c->required, "sales: promo is an optional bool");
	c = &s.cols[schema_col(&s, "temp_c")];
	ok(c->type == TYPE_NUMBER && !c->has_min && !c->has_max, "sales: temp_c is an unbounded number");
	is_int(schema_col(&s, "nope"), -1, "schema_col of an unknown column");
	norm_bad(&s.cols[4], "0", "is not above 0");
	norm_ok(&s.cols[4], "0.01", "0.01");
	norm_bad(&s.cols[2], "-1", "is below 0");
	norm_ok(&s.cols[2], "0", "0");
	schema_free(&s);

	is_int(schema_load(&s, "events", &e), 0, "schema events loads");
	is_int(s.ncols, 8, "events: 8 columns");
	c = &s.cols[schema_col(&s, "ts")];
	ok(c->type == TYPE_TIMESTAMP && c->required, "events: ts is a required timestamp");
	c = &s.cols[schema_col(&s, "event")];
	ok(c->type == TYPE_ENUM && c->required && c->nvalues == 10 &&
	   strcmp(c->values[0], "impression") == 0 && strcmp(c->values[9], "not_interested") == 0,
	   "events: event is an enum of 10 values");
	norm_ok(c, "Widget_Open", "widget_open");
	norm_bad(c, "click", "is not one of impression, page_view");
	c = &s.cols[schema_col(&s, "item_id")];
	ok(c->type == TYPE_STRING && c->required && c->unless_column &&
	   strcmp(c->unless_column, "event") == 0 && c->n_unless == 1 &&
	   strcmp(c->unless_values[0], "page_view") == 0,
	   "events: item_id is required unless event is page_view");
	norm_missing(c, "", FIELD_TEXT, 1, "empty (left to the cross-column rule)");
	c = &s.cols[schema_col(&s, "value")];
	ok(c->type == TYPE_NUMBER && c->has_min && c->min == 0 && !c->required,
	   "events: value is an optional number >= 0");
	ok(schema_col(&s, "session_id") >= 0 && schema_col(&s, "role") >= 0 && schema_col(&s, "device") >= 0,
	   "events: session_id, role, device");
	schema_free(&s);

	err_clear(&e);
	is_int(schema_load(&s, "nosuchschema", &e), -1, "an unknown schema name fails");
	ok(e.code == ADASH_EIO && strstr(e.msg, "nosuchschema") && strstr(e.msg, "sales, events"),
	   "an unknown schema name: code 3 and the built-in names");
	printf("# %s\n", e.msg);
}

static void test_schema_files(void)
{
	struct schema s;
	struct adash_err e;
	char path[] = "/tmp/adash-test-schema-XXXXXX";
	int fd = mkstemp(path);
	static const char good[] =
		"{\"name\": \"mine\", \"columns\": [{\"name\": \"n\", \"type\": \"int\", \"max\": 10}]}\n";
	static const char bad[] = "{\"name\": \"mine\", \"columns\": [\n  {\"name\": \"n\" \"type\": \"int\"}]}\n";

	if (fd < 0 || write(fd, good, sizeof good - 1) != (ssize_t)(sizeof good - 1)) {
		ok(0, "temporary schema file");
		return;
	}
	close(fd);
	err_clear(&e);
	ok(schema_load(&s, path, &e) == 0 && s.ncols == 1 && s.cols[0].type == TYPE_INT &&
	   s.cols[0].has_max && s.cols[0].max == 10, "a schema file loads");
	schema_free(&s);

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, bad, sizeof bad - 1) != (ssize_t)(sizeof bad - 1)) {
		ok(0, "rewrite schema file");
		unlink(path);
		return;
	}
	close(fd);
	ok(schema_load(&s, path, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, path) &&
	   strstr(e.msg, ":2:"), "a malformed schema file: code 1, names the file and line 2");
	printf("# %s\n", e.msg);
	unlink(path);

	err_clear(&e);
	ok(schema_load(&s, "/nonexistent-adash/schema.json", &e) == -1 && e.code == ADASH_EIO,
	   "a missing schema file: code 3");
}

/* ---- normalization ---------------------------------------------------------- */

static void test_normalize(void)
{
	struct schema_column c;
	static char *enum_values[] = { (char *)"Open", (char *)"close", (char *)"Ünïcode" };

	/* string */
	c = column(TYPE_STRING, 0);
	norm_ok(&c, "abc", "abc");
	norm_ok(&c, "  abc \t", "abc");
	norm_ok(&c, "\r\n a b \n", "a b");
	norm_ok(&c, "h\xC3\xA9", "h\xC3\xA9");
	norm_ok(&c, "na", "na");

	/* enum */
	c = column(TYPE_ENUM, 0);
	c.values = enum_values;
	c.nvalues = 3;
	norm_ok(&c, "Open", "Open");
	norm_ok(&c, "open", "Open");
	norm_ok(&c, "OPEN", "Open");
	norm_ok(&c, " CLOSE ", "close");
	norm_ok(&c, "Ünïcode", "Ünïcode");
	norm_bad(&c, "opened", "is not one of Open, close");
	norm_bad(&c, "ope", "is not one of");
	norm_bad(&c, "open close", "\"open close\"");

	/* bool */
	c = column(TYPE_BOOL, 0);
	{
		static const char *const yes[] = { "1", "true", "TRUE", "True", "t", "T", "yes", "YES", "y", "Y", " true " };
		static const char *const no[] = { "0", "false", "FALSE", "f", "F", "no", "No", "n", "N" };
		static const char *const bad[] = { "2", "maybe", "tru", "yess", "on", "off", "-1", "1.0", "truee" };
		for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
			norm_ok(&c, yes[i], "1");
		for (size_t i = 0; i < sizeof no / sizeof *no; i++)
			norm_ok(&c, no[i], "0");
		for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
			norm_bad(&c, bad[i], "is not a boolean");
	}

	/* int */
	c = column(TYPE_INT, 0);
	norm_ok(&c, "42", "42");
	norm_ok(&c, "+42", "42");
	norm_ok(&c, "-0", "0");
	norm_ok(&c, "007", "7");
	norm_ok(&c, "1e3", "1000");
	norm_ok(&c, "4.0", "4");
	norm_ok(&c, " 12 ", "12");
	norm_ok(&c, "-9223372036854775808", "-9223372036854775808");
	norm_bad(&c, "4.5", "\"4.5\" is not an integer");
	norm_bad(&c, "abc", "is not an integer");
	norm_bad(&c, "9223372036854775808", "is not an integer");
	norm_bad(&c, "1 2", "is not an integer");
	c.has_min = 1, c.min = 1, c.has_max = 1, c.max = 5;
	norm_ok(&c, "1", "1");
	norm_ok(&c, "5", "5");
	norm_bad(&c, "0", "\"0\" is below 1");
	norm_bad(&c, "6", "\"6\" is above 5");
	c.min_exclusive = 1, c.max_exclusive = 1;
	norm_bad(&c, "1", "is not above 1");
	norm_bad(&c, "5", "is not below 5");
	norm_ok(&c, "3", "3");

	/* number */
	c = column(TYPE_NUMBER, 0);
	norm_ok(&c, "1.50", "1.5");
	norm_ok(&c, "1e3", "1000");
	norm_ok(&c, "-0", "0");
	norm_ok(&c, ".5", "0.5");
	norm_ok(&c, "+2", "2");
	norm_ok(&c, "0.1", "0.1");
	norm_ok(&c, " 3 ", "3");
	norm_ok(&c, "0.0000001", "1e-7");
	norm_ok(&c, "1e21", "1e+21");
	norm_ok(&c, "123.456", "123.456");
	norm_ok(&c, "-273.15", "-273.15");
	norm_bad(&c, "abc", "\"abc\" is not a number");
	norm_bad(&c, "nan", "is not a number");
	norm_bad(&c, "inf", "is not a number");
	norm_bad(&c, "1,5", "is not a number");
	norm_bad(&c, "1e400", "is not a number");
	norm_bad(&c, "0x10", "is not a number");
	c.has_min = 1, c.min = 0;
	norm_ok(&c, "0", "0");
	norm_ok(&c, "-0", "0");
	norm_bad(&c, "-0.001", "is below 0");
	c.min_exclusive = 1;
	norm_bad(&c, "0", "is not above 0");
	norm_bad(&c, "0.000", "is not above 0");
	norm_ok(&c, "0.001", "0.001");
	c.has_max = 1, c.max = 99.5;
	norm_ok(&c, "99.5", "99.5");
	norm_bad(&c, "99.6", "is above 99.5");
	c.max_exclusive = 1;
	norm_bad(&c, "99.5", "is not below 99.5");

	/* date */
	c = column(TYPE_DATE, 0);
	norm_ok(&c, "2024-02-29", "2024-02-29");
	norm_ok(&c, " 2024-01-05 ", "2024-01-05");
	norm_bad(&c, "2023-02-29", "\"2023-02-29\" is not a date");
	norm_bad(&c, "2024-1-5", "is not a date");
	norm_bad(&c, "2024-01-05T00:00:00Z", "is not a date");
	norm_bad(&c, "05/01/2024", "is not a date");

	/* timestamp */
	c = column(TYPE_TIMESTAMP, 0);
	norm_ok(&c, "2024-02-29T12:34:56Z", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-02-29T13:34:56+01:00", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-02-29T07:04:56-05:30", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-02-29t12:34:56z", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-02-29 12:34:56Z", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-02-29T12:34:56.500Z", "2024-02-29T12:34:56.5Z");
	norm_ok(&c, "2024-02-29T12:34:56.000000Z", "2024-02-29T12:34:56Z");
	norm_ok(&c, "2024-03-01T00:04:56+11:30", "2024-02-29T12:34:56Z");
	norm_ok(&c, "1709210096", "2024-02-29T12:34:56Z");
	norm_ok(&c, "1709210096000", "2024-02-29T12:34:56Z");
	norm_ok(&c, "1709210096.5", "2024-02-29T12:34:56.5Z");
	norm_ok(&c, "1709210096123", "2024-02-29T12:34:56.123Z");
	norm_ok(&c, " 2024-02-29T12:34:56Z ", "2024-02-29T12:34:56Z");
	norm_bad(&c, "2024-02-29T12:34:56", "is not a timestamp");
	norm_bad(&c, "2024-02-29T24:00:00Z", "is not a timestamp");
	norm_bad(&c, "2024-02-29", "is not a timestamp");
	norm_bad(&c, "yesterday", "is not a timestamp");
}

static void test_missing(void)
{
	static const int types[] = { TYPE_STRING, TYPE_INT, TYPE_NUMBER, TYPE_BOOL, TYPE_DATE,
				     TYPE_TIMESTAMP, TYPE_ENUM };
	static char *vals[] = { (char *)"a" };

	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		struct schema_column opt = column(types[i], 0), req = column(types[i], 1);
		opt.values = req.values = vals;
		opt.nvalues = req.nvalues = 1;
		norm_missing(&opt, "", FIELD_TEXT, 1, "\"\"");
		norm_missing(&opt, "NA", FIELD_TEXT, 1, "NA");
		norm_missing(&opt, "", FIELD_NULL, 1, "null");
		norm_missing(&opt, "   ", FIELD_TEXT, 1, "blanks");
		norm_missing(&req, "", FIELD_TEXT, -1, "\"\"");
		norm_missing(&req, "NA", FIELD_TEXT, -1, "NA");
		norm_missing(&req, "", FIELD_NULL, -1, "null");
		norm_missing(&req, " NA ", FIELD_TEXT, -1, "\" NA \"");
	}
	{
		struct schema_column c = column(TYPE_STRING, 1);
		struct field f = { "na", 2, FIELD_TEXT };
		struct buf out = BUF_INIT;
		char why[100];
		ok(schema_normalize(&c, &f, &out, why, sizeof why) == 0 && strcmp(out.data, "na") == 0,
		   "lower-case na is a value, not missing");
		buf_free(&out);
	}
}

static void test_why(void)
{
	struct schema_column c = column(TYPE_NUMBER, 0);
	struct field f;
	struct buf out = BUF_INIT;
	char why[256], longv[300];

	memset(longv, 'x', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	f = (struct field){ longv, strlen(longv), FIELD_TEXT };
	schema_normalize(&c, &f, &out, why, sizeof why);
	ok(strlen(why) < 100 && strstr(why, "...") && strstr(why, "is not a number"),
	   "a long bad value is cut in the reason");
	printf("# %s\n", why);
	f = (struct field){ "a\tb\x01" "c", 5, FIELD_TEXT };
	schema_normalize(&c, &f, &out, why, sizeof why);
	ok(strstr(why, "\"a?b?c\"") != NULL, "control characters in the reason become '?'");
	printf("# %s\n", why);
	{
		char tiny[8];
		f = (struct field){ "abc", 3, FIELD_TEXT };
		schema_normalize(&c, &f, &out, tiny, sizeof tiny);
		ok(strlen(tiny) < sizeof tiny, "a small why buffer is not overrun");
	}
	buf_free(&out);

	is_str(schema_why_category("\"abc\" is not a number"), "is not a number", "category: not a number");
	is_str(schema_why_category("\"4.5\" is not an integer"), "is not an integer", "category: not an integer");
	is_str(schema_why_category("\"x\" is not a boolean (true/false, yes/no, 1/0)"), "is not a boolean",
	       "category: not a boolean");
	is_str(schema_why_category("\"x\" is not a date (YYYY-MM-DD)"), "is not a date", "category: not a date");
	is_str(schema_why_category("\"x\" is not a timestamp (RFC 3339)"), "is not a timestamp",
	       "category: not a timestamp");
	is_str(schema_why_category("\"x\" is not one of a, b"), "is not one of", "category: enum");
	is_str(schema_why_category("\"-1\" is below 0"), "is below", "category: below");
	is_str(schema_why_category("\"0\" is not above 0"), "is not above", "category: not above");
	is_str(schema_why_category("\"9\" is above 5"), "is above", "category: above");
	is_str(schema_why_category("\"5\" is not below 5"), "is not below", "category: not below");
	is_str(schema_why_category("a value is required"), "a value is required", "category: required");
	is_str(schema_why_category("something else"), "invalid value", "category: anything else");
}

/* ---- schema files: errors ---------------------------------------------------- */

static void parse_bad(const char *json, const char *part, const char *what)
{
	struct schema s;
	struct adash_err e;
	int rc;

	err_clear(&e);
	rc = schema_parse(&s, json, strlen(json), "my.json", &e);
	ok(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, "my.json") && strstr(e.msg, part),
	   "schema_parse refuses %s: ...%s...", what, part);
	if (!(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, part)))
		printf("#   rc %d, code %d: %s\n", rc, e.code, e.msg);
	if (rc == 0)
		schema_free(&s);
}

static void test_parse_errors(void)
{
	parse_bad("{\"columns\": [", "invalid JSON", "truncated JSON");
	parse_bad("", "invalid JSON", "empty text");
	parse_bad("[]", "must be a JSON object", "an array");
	parse_bad("{\"name\": \"x\", \"colums\": []}", "unknown key \"colums\"", "an unknown top-level key");
	parse_bad("{\"name\": 3, \"columns\": [{\"name\": \"a\", \"type\": \"string\"}]}",
		  "\"name\" must be a string", "a numeric name");
	parse_bad("{\"name\": \"x\"}", "\"columns\" must be a non-empty array", "no columns");
	parse_bad("{\"name\": \"x\", \"columns\": []}", "\"columns\" must be a non-empty array", "empty columns");
	parse_bad("{\"columns\": [3]}", "column 1 is not an object", "a column that is not an object");
	parse_bad("{\"columns\": [{\"type\": \"int\"}]}", "column 1 has no \"name\"", "a column without a name");
	parse_bad("{\"columns\": [{\"name\": \"\", \"type\": \"int\"}]}", "has no \"name\"", "an empty column name");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"integer\"}]}", "\"type\" must be one of",
		  "an unknown type");
	parse_bad("{\"columns\": [{\"name\": \"a\"}]}", "\"type\" must be one of", "a missing type");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"int\", \"requird\": true}]}",
		  "unknown key \"requird\"", "an unknown column key");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"enum\"}]}", "an enum needs \"values\"",
		  "an enum without values");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"enum\", \"values\": []}]}",
		  "non-empty array of strings", "an enum with no values");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"enum\", \"values\": [\"x\", 1]}]}",
		  "non-empty array of strings", "an enum with a number value");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"values\": [\"x\"]}]}",
		  "only for enum", "values on a string column");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\"},"
		  " {\"name\": \"a\", \"type\": \"int\"}]}", "column \"a\" is declared twice", "a duplicate column");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"required\": true,"
		  " \"required_unless\": {\"kind\": [\"x\"]}}]}",
		  "names unknown column \"kind\"", "required_unless naming an unknown column");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"required_unless\": {\"a\": [\"x\"], \"b\": [\"y\"]}}]}",
		  "required_unless", "required_unless with two columns");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"required_unless\": {\"a\": []}}]}",
		  "non-empty array", "required_unless with no values");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"required\": \"yes\"}]}",
		  "\"required\" must be true or false", "a string for required");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"number\", \"min\": \"0\"}]}",
		  "\"min\" must be a number", "a string for min");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"number\", \"max_exclusive\": 1}]}",
		  "\"max_exclusive\" must be true or false", "a number for max_exclusive");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"min\": 0}]}",
		  "only for number and int", "min on a string column");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\", \"name\": \"b\"}]}",
		  "invalid JSON", "a duplicate JSON key");
	parse_bad("{\"columns\": [{\"name\": \"a\", \"type\": \"string\"}]} x", "invalid JSON", "trailing text");
}

/* ---- round trip ------------------------------------------------------------------ */

static int same_column(const struct schema_column *a, const struct schema_column *b)
{
	if (strcmp(a->name, b->name) || a->type != b->type || a->required != b->required ||
	    a->nvalues != b->nvalues || a->has_min != b->has_min || a->has_max != b->has_max ||
	    a->min_exclusive != b->min_exclusive || a->max_exclusive != b->max_exclusive ||
	    (a->has_min && a->min != b->min) || (a->has_max && a->max != b->max) ||
	    !a->unless_column != !b->unless_column || a->n_unless != b->n_unless)
		return 0;
	for (size_t i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i], b->values[i]))
			return 0;
	if (a->unless_column && strcmp(a->unless_column, b->unless_column))
		return 0;
	for (size_t i = 0; i < a->n_unless; i++)
		if (strcmp(a->unless_values[i], b->unless_values[i]))
			return 0;
	return 1;
}

static void roundtrip(const struct schema *s, const char *what)
{
	struct schema t;
	struct adash_err e;
	char *j1 = schema_to_json(s), *j2 = NULL;
	int same = 1;

	if (schema_parse(&t, j1, strlen(j1), what, &e) != 0) {
		ok(0, "%s: schema_to_json output parses", what);
		printf("#   %s\n%s\n", e.msg, j1);
		free(j1);
		return;
	}
	same = t.ncols == s->ncols && strcmp(t.name, s->name) == 0;
	for (size_t i = 0; same && i < s->ncols; i++)
		if (!same_column(&s->cols[i], &t.cols[i])) {
			same = 0;
			printf("# column %zu (%s) differs after the round trip\n", i, s->cols[i].name);
		}
	ok(same, "%s: schema_to_json -> schema_parse gives the same schema", what);
	j2 = schema_to_json(&t);
	is_str(j2, j1, "%s: schema_to_json is stable", what);
	schema_free(&t);
	free(j1);
	free(j2);
}

static void test_roundtrip(void)
{
	struct schema s;
	struct adash_err e;
	static const char custom[] =
		"{\"name\": \"custom\", \"columns\": ["
		"{\"name\": \"id\", \"type\": \"string\", \"required\": true},"
		"{\"name\": \"kind\", \"type\": \"enum\", \"values\": [\"a\", \"b \\\"quoted\\\"\", \"\\u00fcml\"]},"
		"{\"name\": \"n\", \"type\": \"int\", \"min\": -5, \"max\": 10, \"max_exclusive\": true},"
		"{\"name\": \"x\", \"type\": \"number\", \"min\": 0.1, \"min_exclusive\": true, \"max\": 1e300},"
		"{\"name\": \"on\", \"type\": \"bool\"},"
		"{\"name\": \"d\", \"type\": \"date\"},"
		"{\"name\": \"t\", \"type\": \"timestamp\", \"required\": true,"
		" \"required_unless\": {\"kind\": [\"a\", \"b \\\"quoted\\\"\"]}}]}";
	static const char precise[] =
		"{\"name\": \"precise\", \"columns\": ["
		"{\"name\": \"p\", \"type\": \"number\", \"min\": 0.30000000000000004, \"max\": 1.0000000000000002}]}";

	schema_load(&s, "sales", &e);
	roundtrip(&s, "sales");
	schema_free(&s);
	schema_load(&s, "events", &e);
	roundtrip(&s, "events");
	schema_free(&s);
	if (schema_parse(&s, custom, sizeof custom - 1, "custom", &e) == 0) {
		ok(s.ncols == 7 && s.cols[1].nvalues == 3 && strcmp(s.cols[1].values[1], "b \"quoted\"") == 0 &&
		   s.cols[6].n_unless == 2, "a schema using every key parses");
		roundtrip(&s, "custom");
		schema_free(&s);
	} else {
		ok(0, "custom schema parses: %s", e.msg);
	}
	if (schema_parse(&s, precise, sizeof precise - 1, "precise", &e) == 0) {
		roundtrip(&s, "17-digit bounds");
		schema_free(&s);
	} else {
		ok(0, "precise schema parses: %s", e.msg);
	}
	/* without a name, the origin names it */
	static const char unnamed[] = "{\"columns\": [{\"name\": \"a\", \"type\": \"string\"}]}";

	if (schema_parse(&s, unnamed, sizeof unnamed - 1, "file.json", &e) == 0) {
		is_str(s.name, "file.json", "a schema without a name is named by its origin");
		schema_free(&s);
	} else {
		ok(0, "unnamed schema parses: %s", e.msg);
	}
}

static void test_types(void)
{
	static const char *const names[] = { "string", "int", "number", "bool", "date", "timestamp", "enum" };
	static const int json[] = { COLUMN_STRING, COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_NUMBER,
				    COLUMN_STRING, COLUMN_STRING, COLUMN_STRING };
	int bad = 0;

	for (int t = 0; t < 7; t++) {
		struct schema_column c = column(t, 0);
		if (strcmp(col_type_name(t), names[t]) || col_type_from_name(names[t]) != t ||
		    schema_column_json(&c) != json[t])
			bad++;
	}
	is_int(bad, 0, "type names, type_from_name and NDJSON kinds of all 7 types");
	is_int(col_type_from_name("float"), -1, "an unknown type name");
	is_str(col_type_name(99), "?", "an out-of-range type");
}

/* schema_normalize_field: the same results, without copying when the input
 * is already normal; a trimmed value is copied so that it stays
 * NUL-terminated (record.h), and the result must be terminated either way. */
static void field_is(const struct schema_column *c, const char *in, int want_rc, const char *want,
		     int from_input, const char *what)
{
	struct field f = { in, strlen(in), FIELD_TEXT }, res = { NULL, 99, -1 };
	struct buf scratch = BUF_INIT;
	char why[200] = "";
	int rc = schema_normalize_field(c, &f, &scratch, &res, why, sizeof why);
	int text_ok = want_rc < 0 || (res.s && res.len == strlen(want) && memcmp(res.s, want, res.len) == 0);
	int where_ok = want_rc != 0 || from_input < 0 ||
		       (from_input ? res.s >= in && res.s + res.len <= in + strlen(in) : res.s < in || res.s > in + strlen(in));
	int kind_ok = want_rc < 0 || res.kind == (want_rc == 1 ? FIELD_NULL : FIELD_TEXT);

	text_ok = text_ok && (want_rc < 0 || res.s[res.len] == '\0');
	ok(rc == want_rc && text_ok && where_ok && kind_ok, "normalize_field %s: \"%s\" -> %d \"%s\"%s",
	   what, shown(in), want_rc, want, from_input == 1 ? " (the input itself)" :
	   from_input == 0 ? " (a new text)" : "");
	if (!(rc == want_rc && text_ok && where_ok && kind_ok))
		printf("#   rc %d, \"%.*s\" kind %d, from input %d, why %s\n", rc, (int)(res.s ? res.len : 0),
		       res.s ? res.s : "", res.kind, res.s >= in && res.s <= in + strlen(in), why);
	buf_free(&scratch);
}

static void test_normalize_field(void)
{
	struct schema_column c;
	static char *vals[] = { (char *)"Open" };

	c = column(TYPE_STRING, 0);
	field_is(&c, " abc ", 0, "abc", 0, "string");
	field_is(&c, "abc", 0, "abc", 1, "string");
	field_is(&c, "", 1, "", -1, "string");
	field_is(&c, "NA", 1, "", -1, "string");
	c.required = 1;
	field_is(&c, " ", -1, "", -1, "required string");
	c = column(TYPE_NUMBER, 0);
	field_is(&c, "1.5", 0, "1.5", 1, "number");
	field_is(&c, " 2.25\t", 0, "2.25", 0, "number");
	field_is(&c, "1.50", 0, "1.5", 0, "number");
	field_is(&c, "1e3", 0, "1000", 0, "number");
	field_is(&c, "x", -1, "", -1, "number");
	c = column(TYPE_INT, 0);
	field_is(&c, "007", 0, "7", -1, "int");
	c = column(TYPE_BOOL, 0);
	field_is(&c, "Yes", 0, "1", 0, "bool");
	c = column(TYPE_ENUM, 0);
	c.values = vals;
	c.nvalues = 1;
	field_is(&c, "OPEN", 0, "Open", 0, "enum");
	c = column(TYPE_DATE, 0);
	field_is(&c, " 2024-02-29 ", 0, "2024-02-29", 0, "date");
	c = column(TYPE_TIMESTAMP, 0);
	field_is(&c, "2024-02-29T12:34:56Z", 0, "2024-02-29T12:34:56Z", 1, "timestamp");
	field_is(&c, "2024-02-29T13:34:56+01:00", 0, "2024-02-29T12:34:56Z", 0, "timestamp");
	field_is(&c, "2024-02-29T12:34:56z", 0, "2024-02-29T12:34:56Z", 0, "timestamp");
}

int main(void)
{
	test_builtins();
	test_schema_files();
	test_normalize();
	test_missing();
	test_why();
	test_parse_errors();
	test_roundtrip();
	test_types();
	test_normalize_field();
	return tap_done();
}
