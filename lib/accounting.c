/* accounting: see accounting.h. */
#include "accounting.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int on_bad_from_name(const char *name)
{
	if (strcmp(name, "fail") == 0)
		return ON_BAD_FAIL;
	if (strcmp(name, "skip") == 0)
		return ON_BAD_SKIP;
	return -1;
}

int counters_from_name(const char *name)
{
	return strcmp(name, "hadoop") == 0 ? REPORT_HADOOP : -1;
}

int accounting_open(struct accounting *a, const char *on_bad_name, const char *reject_path,
		    const char *stats_path, struct adash_err *e)
{
	memset(a, 0, sizeof *a);
	if (!on_bad_name)
		a->on_bad = reject_path ? ON_BAD_SKIP : ON_BAD_FAIL;
	else if ((a->on_bad = on_bad_from_name(on_bad_name)) < 0)
		return err_set(e, ADASH_EUSAGE, "--on-bad: '%s' is not fail or skip", on_bad_name);
	hashmap_init(&a->reasons);
	if (reject_path && atomic_open(&a->reject, reject_path, e) < 0) {
		hashmap_free(&a->reasons, NULL);
		return -1;
	}
	if (stats_path)
		a->stats_path = xstrdup(stats_path);
	return 0;
}

static void count_reason(struct accounting *a, const char *reason)
{
	struct hashmap_entry *en = hashmap_put(&a->reasons, reason, strlen(reason), NULL);

	en->val.num++;
}

/* A JSON string of text that may hold invalid UTF-8 or NUL bytes (that may
 * be why a row is rejected): jansson refuses such text, so the bad bytes
 * are replaced by '?' (a lossy copy; the line number finds the original). */
static json_t *json_text(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);

	if (!j) {
		char *copy = xmalloc(n + 1);
		for (size_t i = 0; i < n; i++)
			copy[i] = (s[i] & 0x80) || s[i] == 0 ? '?' : s[i];
		j = json_stringn(copy, n);
		free(copy);
	}
	return j ? j : json_null();
}

int accounting_reject(struct accounting *a, const struct adash_err *row_err,
		      const char *file, long line, const char *reason,
		      const char *raw, size_t rawlen, struct adash_err *e)
{
	a->rows_rejected++;
	count_reason(a, reason);
	if (a->reject.fp) {
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(file));
		json_object_set_new(o, "line", json_integer(line));
		const char *why = row_err->msg + row_err->detail;
		json_object_set_new(o, "reason", json_text(why, strlen(why)));
		json_object_set_new(o, "raw", json_text(raw, rawlen));
		if (json_dumpf(o, a->reject.fp, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0)
			fputc('\n', a->reject.fp);
		json_decref(o);
	}
	if (a->on_bad == ON_BAD_FAIL) {
		*e = *row_err;
		return -1;
	}
	return 0;
}

void accounting_drop(struct accounting *a, const char *reason)
{
	a->rows_dropped++;
	count_reason(a, reason);
}

int accounting_close(struct accounting *a, FILE *out, int report, const char *prog,
		     struct adash_err *e)
{
	int rc = 0;

	if (a->reject.fp && atomic_commit(&a->reject, e) < 0)
		rc = -1;
	if (a->stats_path && rc == 0) {
		struct atomic_file af;
		json_t *o = json_object(), *by = json_object();

		json_object_set_new(o, "rows_in", json_integer((json_int_t)a->rows_in));
		json_object_set_new(o, "rows_out", json_integer((json_int_t)a->rows_out));
		json_object_set_new(o, "rows_rejected", json_integer((json_int_t)a->rows_rejected));
		json_object_set_new(o, "rows_dropped", json_integer((json_int_t)a->rows_dropped));
		for (size_t i = 0; i < hashmap_count(&a->reasons); i++) {
			struct hashmap_entry *en = hashmap_at(&a->reasons, i);
			json_object_set_new(by, en->key, json_integer(en->val.num));
		}
		json_object_set_new(o, "by_reason", by);
		if (atomic_open(&af, a->stats_path, e) < 0) {
			rc = -1;
		} else {
			json_dumpf(o, af.fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', af.fp);
			if (atomic_commit(&af, e) < 0)
				rc = -1;
		}
		json_decref(o);
	}
	if (out && (report & REPORT_COUNTS))
		fprintf(out, "%s: rows_in %llu, rows_out %llu, rows_rejected %llu, rows_dropped %llu\n",
			prog, (unsigned long long)a->rows_in, (unsigned long long)a->rows_out,
			(unsigned long long)a->rows_rejected, (unsigned long long)a->rows_dropped);
	/* Hadoop Streaming's protocol: group "adash", one counter per count;
	 * a task's counters are summed over the job, so rows_in of a job is
	 * the rows all its tasks read */
	if (out && (report & REPORT_HADOOP))
		fprintf(out, "reporter:counter:adash,rows_in,%llu\n"
			"reporter:counter:adash,rows_out,%llu\n"
			"reporter:counter:adash,rows_rejected,%llu\n"
			"reporter:counter:adash,rows_dropped,%llu\n",
			(unsigned long long)a->rows_in, (unsigned long long)a->rows_out,
			(unsigned long long)a->rows_rejected, (unsigned long long)a->rows_dropped);
	hashmap_free(&a->reasons, NULL);
	free(a->stats_path);
	a->stats_path = NULL;
	return rc;
}

void accounting_abort(struct accounting *a)
{
	atomic_abort(&a->reject);
	hashmap_free(&a->reasons, NULL);
	free(a->stats_path);
	a->stats_path = NULL;
}
