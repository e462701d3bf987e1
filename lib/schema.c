/* schema: see schema.h. */
#include "schema.h"
#include "num.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checklist: the built-in schemas are documented in man/adash.7 (SCHEMAS)
 * and DESIGN §4; a change here changes the contract. */
static const char builtin_sales[] =
	"{\"name\": \"sales\", \"columns\": ["
	"{\"name\": \"shop_id\", \"type\": \"string\", \"required\": true},"
	"{\"name\": \"date\", \"type\": \"date\", \"required\": true},"
	"{\"name\": \"sales\", \"type\": \"number\", \"required\": true, \"min\": 0},"
	"{\"name\": \"footfall\", \"type\": \"number\", \"min\": 0},"
	"{\"name\": \"price\", \"type\": \"number\", \"min\": 0, \"min_exclusive\": true},"
	"{\"name\": \"promo\", \"type\": \"bool\"},"
	"{\"name\": \"temp_c\", \"type\": \"number\"}]}";

static const char builtin_events[] =
	"{\"name\": \"events\", \"columns\": ["
	"{\"name\": \"ts\", \"type\": \"timestamp\", \"required\": true},"
	"{\"name\": \"user_id\", \"type\": \"string\", \"required\": true},"
	"{\"name\": \"event\", \"type\": \"enum\", \"required\": true, \"values\": ["
	"\"impression\", \"page_view\", \"widget_open\", \"drilldown\", \"filter_change\","
	"\"time_spent\", \"export\", \"pin\", \"unpin\", \"not_interested\"]},"
	"{\"name\": \"item_id\", \"type\": \"string\", \"required\": true,"
	" \"required_unless\": {\"event\": [\"page_view\"]}},"
	"{\"name\": \"session_id\", \"type\": \"string\"},"
	"{\"name\": \"value\", \"type\": \"number\", \"min\": 0},"
	"{\"name\": \"role\", \"type\": \"string\"},"
	"{\"name\": \"device\", \"type\": \"string\"}]}";

static const char *const builtin_names[] = { "sales", "events", NULL };

static const char *const type_names[] = {
	[TYPE_STRING] = "string", [TYPE_INT] = "int", [TYPE_NUMBER] = "number",
	[TYPE_BOOL] = "bool", [TYPE_DATE] = "date", [TYPE_TIMESTAMP] = "timestamp",
	[TYPE_ENUM] = "enum"
};

const char *const *schema_builtin_names(void) { return builtin_names; }

const char *col_type_name(int type)
{
	return type >= 0 && type <= TYPE_ENUM ? type_names[type] : "?";
}

int col_type_from_name(const char *name)
{
	for (int t = 0; t <= TYPE_ENUM; t++)
		if (strcmp(name, type_names[t]) == 0)
			return t;
	return -1;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void schema_free(struct schema *s)
{
	for (size_t i = 0; i < s->ncols; i++) {
		struct schema_column *c = &s->cols[i];
		free(c->name);
		free_list(c->values, c->nvalues);
		free(c->unless_column);
		free_list(c->unless_values, c->n_unless);
	}
	free(s->cols);
	free(s->names);
	free(s->name);
	memset(s, 0, sizeof *s);
}

long schema_col(const struct schema *s, const char *name)
{
	return names_index(s->names, s->ncols, name);
}

const char *const *schema_names(const struct schema *s)
{
	return s->names;
}

/* Reads a JSON array of non-empty strings. */
static int string_list(json_t *a, char ***out, size_t *n, const char *origin,
		       const char *what, struct adash_err *e)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return err_set(e, ADASH_EDATA, "%s: %s must be a non-empty array of strings", origin, what);
	*out = xcalloc(json_array_size(a), sizeof **out);
	*n = 0;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0)
			return err_set(e, ADASH_EDATA, "%s: %s must be a non-empty array of strings", origin, what);
		(*out)[(*n)++] = xstrdup(json_string_value(v));
	}
	return 0;
}

static int parse_column(struct schema_column *c, json_t *o, size_t idx, const char *origin,
			struct adash_err *e)
{
	const char *key;
	json_t *v, *name, *type;
	char where[600];

	if (!json_is_object(o))
		return err_set(e, ADASH_EDATA, "%s: column %zu is not an object", origin, idx + 1);
	name = json_object_get(o, "name");
	if (!json_is_string(name) || json_string_length(name) == 0)
		return err_set(e, ADASH_EDATA, "%s: column %zu has no \"name\"", origin, idx + 1);
	c->name = xstrdup(json_string_value(name));
	snprintf(where, sizeof where, "%s: column \"%.200s\"", origin, c->name);
	type = json_object_get(o, "type");
	if (!json_is_string(type) || (c->type = col_type_from_name(json_string_value(type))) < 0)
		return err_set(e, ADASH_EDATA,
			       "%s: \"type\" must be one of string, int, number, bool, date, timestamp, enum",
			       where);
	json_object_foreach(o, key, v) {
		if (strcmp(key, "name") == 0 || strcmp(key, "type") == 0) {
			continue;
		} else if (strcmp(key, "required") == 0) {
			if (!json_is_boolean(v))
				return err_set(e, ADASH_EDATA, "%s: \"required\" must be true or false", where);
			c->required = json_is_true(v);
		} else if (strcmp(key, "values") == 0) {
			if (string_list(v, &c->values, &c->nvalues, where, "\"values\"", e) < 0)
				return -1;
		} else if (strcmp(key, "min") == 0 || strcmp(key, "max") == 0) {
			if (!json_is_number(v))
				return err_set(e, ADASH_EDATA, "%s: \"%s\" must be a number", where, key);
			if (key[1] == 'i') {
				c->has_min = 1;
				c->min = json_number_value(v);
			} else {
				c->has_max = 1;
				c->max = json_number_value(v);
			}
		} else if (strcmp(key, "min_exclusive") == 0 || strcmp(key, "max_exclusive") == 0) {
			if (!json_is_boolean(v))
				return err_set(e, ADASH_EDATA, "%s: \"%s\" must be true or false", where, key);
			if (key[1] == 'i')
				c->min_exclusive = json_is_true(v);
			else
				c->max_exclusive = json_is_true(v);
		} else if (strcmp(key, "required_unless") == 0) {
			const char *k2;
			json_t *v2;
			if (!json_is_object(v) || json_object_size(v) != 1)
				return err_set(e, ADASH_EDATA,
					       "%s: \"required_unless\" must be an object with one column, e.g. {\"event\": [\"page_view\"]}",
					       where);
			json_object_foreach(v, k2, v2) {
				c->unless_column = xstrdup(k2);
				if (string_list(v2, &c->unless_values, &c->n_unless, where,
						"\"required_unless\" values", e) < 0)
					return -1;
			}
		} else {
			return err_set(e, ADASH_EDATA,
				       "%s: unknown key \"%.100s\" (known: name, type, required, values, min, max, min_exclusive, max_exclusive, required_unless)",
				       where, key);
		}
	}
	if (c->type == TYPE_ENUM && c->nvalues == 0)
		return err_set(e, ADASH_EDATA, "%s: an enum needs \"values\"", where);
	if (c->type != TYPE_ENUM && c->nvalues)
		return err_set(e, ADASH_EDATA, "%s: \"values\" is only for enum columns", where);
	if ((c->has_min || c->has_max) && c->type != TYPE_NUMBER && c->type != TYPE_INT)
		return err_set(e, ADASH_EDATA, "%s: \"min\" and \"max\" are only for number and int columns", where);
	return 0;
}

int schema_parse(struct schema *s, const char *text, size_t len, const char *origin,
		 struct adash_err *e)
{
	json_error_t jerr;
	json_t *root, *cols, *name, *o;
	const char *key;
	json_t *v;
	size_t i;
	int rc = -1;

	memset(s, 0, sizeof *s);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_set(e, ADASH_EDATA, "%s:%d: invalid JSON: %s", origin, jerr.line, jerr.text);
	if (!json_is_object(root)) {
		err_set(e, ADASH_EDATA, "%s: a schema must be a JSON object", origin);
		goto out;
	}
	json_object_foreach(root, key, v)
		if (strcmp(key, "name") != 0 && strcmp(key, "columns") != 0) {
			err_set(e, ADASH_EDATA, "%s: unknown key \"%.100s\" (known: name, columns)", origin, key);
			goto out;
		}
	name = json_object_get(root, "name");
	if (name && !json_is_string(name)) {
		err_set(e, ADASH_EDATA, "%s: \"name\" must be a string", origin);
		goto out;
	}
	s->name = xstrdup(name ? json_string_value(name) : origin);
	cols = json_object_get(root, "columns");
	if (!json_is_array(cols) || json_array_size(cols) == 0) {
		err_set(e, ADASH_EDATA, "%s: \"columns\" must be a non-empty array", origin);
		goto out;
	}
	s->cols = xcalloc(json_array_size(cols), sizeof *s->cols);
	json_array_foreach(cols, i, o) {
		s->ncols = i + 1;
		if (parse_column(&s->cols[i], o, i, origin, e) < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->cols[j].name, s->cols[i].name) == 0) {
				err_set(e, ADASH_EDATA, "%s: column \"%.200s\" is declared twice", origin, s->cols[i].name);
				goto out;
			}
	}
	s->names = xcalloc(s->ncols + 1, sizeof *s->names);
	for (i = 0; i < s->ncols; i++)
		s->names[i] = s->cols[i].name;
	for (i = 0; i < s->ncols; i++)
		if (s->cols[i].unless_column && schema_col(s, s->cols[i].unless_column) < 0) {
			err_set(e, ADASH_EDATA, "%s: column \"%.200s\": \"required_unless\" names unknown column \"%.200s\"",
				origin, s->cols[i].name, s->cols[i].unless_column);
			goto out;
		}
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		schema_free(s);
	return rc;
}

int schema_load(struct schema *s, const char *name, struct adash_err *e)
{
	struct stat st;
	json_error_t jerr;
	json_t *root;
	char *text;
	int rc;

	if (strcmp(name, "sales") == 0)
		return schema_parse(s, builtin_sales, sizeof builtin_sales - 1, "sales", e);
	if (strcmp(name, "events") == 0)
		return schema_parse(s, builtin_events, sizeof builtin_events - 1, "events", e);
	if (stat(name, &st) < 0)
		return err_set(e, ADASH_EIO, "%s: %s%s", name, strerror(errno),
			       strchr(name, '/') || strchr(name, '.') ? "" :
			       " (built-in schemas: sales, events)");
	if (S_ISDIR(st.st_mode))
		return err_set(e, ADASH_EIO, "%s: is a directory", name);
	if (st.st_size > ((off_t)16 << 20))
		return err_set(e, ADASH_EDATA, "%s: schema file larger than 16 MiB", name);
	root = json_load_file(name, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (access(name, R_OK) < 0)
			return err_set(e, ADASH_EIO, "%s: %s", name, strerror(errno));
		return err_set(e, ADASH_EDATA, "%s:%d: invalid JSON: %s", name, jerr.line, jerr.text);
	}
	/* schema_parse takes text, so that built-ins and files share it */
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (!text)
		xalloc_die();
	rc = schema_parse(s, text, strlen(text), name, e);
	free(text);
	return rc;
}

/* Integral bounds are written as integers ("min": 0), others as reals. */
static json_t *json_bound(double v)
{
	if (v == floor(v) && fabs(v) < NUM_EXACT_INT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

char *schema_to_json(const struct schema *s)
{
	json_t *root = json_object(), *cols = json_array();
	char *out;

	json_object_set_new(root, "name", json_string(s->name));
	for (size_t i = 0; i < s->ncols; i++) {
		const struct schema_column *c = &s->cols[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(c->name));
		json_object_set_new(o, "type", json_string(col_type_name(c->type)));
		if (c->required)
			json_object_set_new(o, "required", json_true());
		if (c->nvalues) {
			json_t *a = json_array();
			for (size_t k = 0; k < c->nvalues; k++)
				json_array_append_new(a, json_string(c->values[k]));
			json_object_set_new(o, "values", a);
		}
		if (c->has_min)
			json_object_set_new(o, "min", json_bound(c->min));
		if (c->min_exclusive)
			json_object_set_new(o, "min_exclusive", json_true());
		if (c->has_max)
			json_object_set_new(o, "max", json_bound(c->max));
		if (c->max_exclusive)
			json_object_set_new(o, "max_exclusive", json_true());
		if (c->unless_column) {
			json_t *u = json_object(), *a = json_array();
			for (size_t k = 0; k < c->n_unless; k++)
				json_array_append_new(a, json_string(c->unless_values[k]));
			json_object_set_new(u, c->unless_column, a);
			json_object_set_new(o, "required_unless", u);
		}
		json_array_append_new(cols, o);
	}
	json_object_set_new(root, "columns", cols);
	/* 17 digits: a bound must read back as the same double */
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (!out)
		xalloc_die();
	return out;
}

int schema_column_json(const struct schema_column *c)
{
	switch (c->type) {
	case TYPE_INT:
	case TYPE_NUMBER:
	case TYPE_BOOL:
		return COLUMN_NUMBER;
	case TYPE_STRING:
	case TYPE_DATE:
	case TYPE_TIMESTAMP:
	case TYPE_ENUM:
	default:
		return COLUMN_STRING;
	}
}

/* ---- values ------------------------------------------------------------ */

static int why_value(char *why, size_t whysz, const char *s, size_t len, const char *what)
{
	char shown[64];

	err_quote_value(shown, sizeof shown, s, len);
	snprintf(why, whysz, "\"%s\" %s", shown, what);
	return -1;
}

static int check_range(const struct schema_column *c, double v, const char *s, size_t len,
		       char *why, size_t whysz)
{
	char lim[NUM_FORMAT_MAX], what[96];

	if (c->has_min && (v < c->min || (c->min_exclusive && v == c->min))) {
		num_format(c->min, lim);
		snprintf(what, sizeof what, "is %s %s", c->min_exclusive ? "not above" : "below", lim);
		return why_value(why, whysz, s, len, what);
	}
	if (c->has_max && (v > c->max || (c->max_exclusive && v == c->max))) {
		num_format(c->max, lim);
		snprintf(what, sizeof what, "is %s %s", c->max_exclusive ? "not below" : "above", lim);
		return why_value(why, whysz, s, len, what);
	}
	return 0;
}

static int parse_bool(const char *s, size_t len)
{
	static const char *const yes[] = { "1", "true", "t", "yes", "y" };
	static const char *const no[] = { "0", "false", "f", "no", "n" };

	for (size_t i = 0; i < 5; i++) {
		if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
			return 1;
		if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
			return 0;
	}
	return -1;
}

int schema_normalize(const struct schema_column *c, const struct field *in,
		     struct buf *out, char *why, size_t whysz)
{
	struct field res;
	int rc = schema_normalize_field(c, in, out, &res, why, whysz);

	if (rc >= 0 && res.s != out->data) {
		buf_reset(out);
		buf_add(out, res.s, res.len);
	}
	return rc;
}

/* Sets *res to the slice s[0..len): the input was already normal. */
static int same(struct field *res, const char *s, size_t len)
{
	res->s = s;
	res->len = len;
	res->kind = FIELD_TEXT;
	return 0;
}

/* Sets *res to the scratch buffer's contents. */
static int made(struct field *res, struct buf *b)
{
	res->s = b->data ? b->data : "";
	res->len = b->len;
	res->kind = FIELD_TEXT;
	return 0;
}

int schema_normalize_field(const struct schema_column *c, const struct field *in,
			   struct buf *out, struct field *res, char *why, size_t whysz)
{
	const char *s = in->s;
	size_t len = in->len;
	char tmp[TIME_FORMAT_MAX > NUM_FORMAT_MAX ? TIME_FORMAT_MAX : NUM_FORMAT_MAX];
	double v;
	int64_t iv;
	int canon;

	buf_reset(out);
	if (len > 0 && (is_blank_byte(s[0]) || is_blank_byte(s[len - 1]))) {
		field_trim(&s, &len);
		/* fields are NUL-terminated (record.h): a slice cut short at
		 * the end is not, so use a copy */
		buf_add(out, s, len);
		s = out->data;
	}
	{
		struct field trimmed = { s, len, in->kind };
		if (field_is_missing(&trimmed)) {
			buf_reset(out);
			res->s = "";
			res->len = 0;
			res->kind = FIELD_NULL;
			if (c->required && !c->unless_column) {
				snprintf(why, whysz, "a value is required");
				return -1;
			}
			return 1;
		}
	}
	switch (c->type) {
	case TYPE_STRING:
		return same(res, s, len);
	case TYPE_ENUM:
		for (size_t k = 0; k < c->nvalues; k++)
			if (strlen(c->values[k]) == len && strncasecmp(c->values[k], s, len) == 0)
				return same(res, c->values[k], len);
		{
			char what[200];
			size_t o = (size_t)snprintf(what, sizeof what, "is not one of");
			for (size_t k = 0; k < c->nvalues && o < sizeof what; k++)
				o += (size_t)snprintf(what + o, sizeof what - o, "%s %s",
						      k ? "," : "", c->values[k]);
			return why_value(why, whysz, s, len, what);
		}
	case TYPE_NUMBER:
		canon = num_parse_canonical(s, len, &v);
		if (canon < 0)
			return why_value(why, whysz, s, len, "is not a number");
		if ((c->has_min || c->has_max) && check_range(c, v, s, len, why, whysz) < 0)
			return -1;
		if (canon)
			return same(res, s, len);
		buf_reset(out);
		buf_add(out, tmp, num_format(v, tmp));
		return made(res, out);
	case TYPE_INT:
		if (num_parse_int(s, len, &iv) < 0)
			return why_value(why, whysz, s, len, "is not an integer");
		if (check_range(c, (double)iv, s, len, why, whysz) < 0)
			return -1;
		buf_reset(out);
		buf_printf(out, "%lld", (long long)iv);
		return made(res, out);
	case TYPE_BOOL:
		switch (parse_bool(s, len)) {
		case 1:
			return same(res, "1", 1);
		case 0:
			return same(res, "0", 1);
		default:
			return why_value(why, whysz, s, len, "is not a boolean (true/false, yes/no, 1/0)");
		}
	case TYPE_DATE:
		if (time_parse_date(s, len, &iv) < 0)
			return why_value(why, whysz, s, len, "is not a date (YYYY-MM-DD)");
		/* the only accepted spelling is the canonical one */
		return same(res, s, len);
	case TYPE_TIMESTAMP:
		if (time_parse_timestamp(s, len, &iv) < 0)
			return why_value(why, whysz, s, len,
					 "is not a timestamp (RFC 3339, or epoch seconds or milliseconds)");
		/* "YYYY-MM-DDTHH:MM:SSZ" that parsed is already canonical */
		if (len == 20 && s[10] == 'T' && s[19] == 'Z')
			return same(res, s, len);
		buf_reset(out);
		buf_add(out, tmp, time_format_timestamp(iv, tmp));
		return made(res, out);
	default:
		snprintf(why, whysz, "internal error: unknown type");
		return -1;
	}
}

const char *schema_why_category(const char *why)
{
	static const char *const categories[] = {
		"is not a number", "is not an integer", "is not a boolean",
		"is not a date", "is not a timestamp", "is not one of",
		"is below", "is above", "is not above", "is not below",
		"a value is required"
	};

	/* Messages are "\"VALUE\" what": look past the value, which is the
	 * user's text and may itself read "is not a number". */
	const char *what = why, *p;

	while ((p = strstr(what, "\" ")) != NULL)
		what = p + 2;
	for (size_t i = 0; i < sizeof categories / sizeof *categories; i++)
		if (strncmp(what, categories[i], strlen(categories[i])) == 0)
			return categories[i];
	return "invalid value";
}
