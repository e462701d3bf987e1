/* ingest: see ingest.h. */
#include "ingest.h"
#include "accounting.h"
#include "dedupe.h"
#include "privacy.h"
#include "validate.h"
#include "writer.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pipeline {
	const struct ingest_options *o;
	struct accounting acc;
	struct idset forget, consent;
	int have_forget, have_consent;
	struct pseudonymizer pseudo;
	struct dedupe dedupe;
	int have_dedupe;
	struct writer *w;
	/* output columns: names, and per column its pseudonymize flag */
	char **names;
	size_t ncols;
	int *json;
	int *pseudo_col;
	size_t *keep;            /* output column -> column of the full row */
	size_t nkeep;
	struct field *row;       /* full row in output column order */
	struct field *kept;
	struct buf *pseudo_vals;
	uint64_t rows_seen;
	int more_inputs;         /* inputs follow the one being read */
};

/* Sets up everything that depends on the first file's columns. */
static int pipeline_columns(struct pipeline *p, const struct reader *r, const struct validator *v,
			    FILE *out, struct adash_err *e)
{
	const struct ingest_options *o = p->o;
	const char **kept_names;
	int *kept_json;

	p->ncols = reader_ncols(r);
	p->names = xcalloc(p->ncols + 1, sizeof *p->names);
	p->json = xcalloc(p->ncols + 1, sizeof *p->json);
	p->pseudo_col = xcalloc(p->ncols + 1, sizeof *p->pseudo_col);
	p->pseudo_vals = xcalloc(p->ncols + 1, sizeof *p->pseudo_vals);
	p->row = xcalloc(p->ncols + 1, sizeof *p->row);
	for (size_t i = 0; i < p->ncols; i++) {
		p->names[i] = xstrdup(reader_colname(r, i));
		p->json[i] = v->json[i];
	}
	for (size_t i = 0; o->pseudonymize && o->pseudonymize[i]; i++) {
		long k = names_index((const char *const *)p->names, p->ncols, o->pseudonymize[i]);
		if (k < 0) {
			if (p->ncols == 0)
				continue;
			return err_set(e, ADASH_EDATA, "%s: --pseudonymize: no column \"%s\"",
				       reader_name(r), o->pseudonymize[i]);
		}
		p->pseudo_col[k] = 1;
		p->json[k] = COLUMN_STRING;
	}
	if (o->dedupe) {
		size_t n = 0;
		while (o->dedupe[n])
			n++;
		if (p->ncols > 0) {
			if (dedupe_init(&p->dedupe, o->dedupe, n, (const char *const *)p->names, p->ncols, e) < 0)
				return -1;
			p->have_dedupe = 1;
		}
	}
	if (o->keep) {
		while (o->keep[p->nkeep])
			p->nkeep++;
		p->keep = xcalloc(p->nkeep, sizeof *p->keep);
		for (size_t i = 0; i < p->nkeep; i++) {
			long k = names_index((const char *const *)p->names, p->ncols, o->keep[i]);
			if (k < 0 && p->ncols > 0)
				return err_set(e, ADASH_EDATA, "%s: --keep: no column \"%s\"",
					       reader_name(r), o->keep[i]);
			p->keep[i] = k < 0 ? 0 : (size_t)k;
		}
	} else {
		p->nkeep = p->ncols;
		p->keep = xcalloc(p->ncols + 1, sizeof *p->keep);
		for (size_t i = 0; i < p->ncols; i++)
			p->keep[i] = i;
	}
	p->kept = xcalloc(p->nkeep + 1, sizeof *p->kept);
	kept_names = xcalloc(p->nkeep + 1, sizeof *kept_names);
	kept_json = xcalloc(p->nkeep + 1, sizeof *kept_json);
	for (size_t i = 0; i < p->nkeep; i++) {
		kept_names[i] = p->names[p->keep[i]];
		kept_json[i] = p->json[p->keep[i]];
	}
	p->w = writer_new(out, o->output_format ? o->output_format : reader_format(r),
			  o->delimiter, o->header);
	if (p->ncols > 0)
		writer_columns(p->w, p->nkeep, kept_names, kept_json);
	free(kept_names);
	free(kept_json);
	return 0;
}

/* Forget and consent, on the row as read: before validation, so that a
 * forgotten user's row is dropped even when it is also bad, and never lands
 * in the reject file.  Returns 1 when the row is dropped. */
static int privacy_drops(struct pipeline *p, const struct field *user)
{
	const char *id = user->s;
	size_t n = user->len;

	if (!p->have_forget && !p->have_consent)
		return 0;
	field_trim(&id, &n);
	if (p->have_forget && idset_has(&p->forget, id, n)) {
		accounting_drop(&p->acc, "forgotten user");
		return 1;
	}
	if (p->have_consent && !idset_has(&p->consent, id, n)) {
		accounting_drop(&p->acc, "no consent");
		return 1;
	}
	return 0;
}

/* A bad row to the accounting.  When a privacy option is on, the reject
 * record carries no raw text and its reason no value, only the category: a
 * row the reader could not split may belong to a forgotten user, and values
 * would bypass --pseudonymize and --keep. */
static int reject(struct pipeline *p, const struct reader *r, const struct adash_err *row_err,
		  const char *reason, struct adash_err *e)
{
	const struct ingest_options *o = p->o;
	size_t rawlen = 0;
	const char *raw = "";

	if (!(o->forget_path || o->consent_path || o->pseudonymize || o->keep)) {
		raw = reader_raw(r, &rawlen);
		return accounting_reject(&p->acc, row_err, reader_name(r), reader_line(r), reason,
					 raw, rawlen, e);
	}
	/* nor a message quoting a value: the category says what was wrong */
	{
		struct adash_err redacted = *row_err;
		int rc;

		err_at(&redacted, row_err->code, reader_name(r), reader_line(r), NULL, "%s", reason);
		rc = accounting_reject(&p->acc, &redacted, reader_name(r), reader_line(r), reason,
				       raw, rawlen, e);
		if (rc < 0)
			*e = *row_err; /* the program's own message may say it all */
		return rc;
	}
}

/* One row through dedupe, pseudonyms and projection. */
static void pipeline_row(struct pipeline *p)
{
	const struct ingest_options *o = p->o;

	if (p->have_dedupe && dedupe_seen(&p->dedupe, p->row)) {
		accounting_drop(&p->acc, "duplicate");
		return;
	}
	if (o->pseudonymize)
		for (size_t i = 0; i < p->ncols; i++)
			if (p->pseudo_col[i] && !field_is_missing(&p->row[i])) {
				pseudonymize(&p->pseudo, p->row[i].s, p->row[i].len, &p->pseudo_vals[i]);
				p->row[i].s = p->pseudo_vals[i].data;
				p->row[i].len = p->pseudo_vals[i].len;
				p->row[i].kind = FIELD_STRING;
			}
	for (size_t i = 0; i < p->nkeep; i++)
		p->kept[i] = p->row[p->keep[i]];
	writer_row(p->w, p->kept);
	p->acc.rows_out++;
}

/* Reads one input file through the pipeline. */
static int pipeline_file(struct pipeline *p, const char *path, FILE *out,
			 struct adash_err *e)
{
	const struct ingest_options *o = p->o;
	struct reader *r = reader_open(path, &o->read, e);
	struct validator v;
	const struct field *rec, *norm;
	struct adash_err row_err;
	long *map = NULL;    /* output column -> this file's column, or -1 */
	long *unmapped = NULL; /* NDJSON schema columns the first input lacks */
	size_t nunmapped = 0;
	long ucol = -1;
	int st, rc = -1;

	if (!r)
		return -1;
	if (validator_init(&v, o->schema, r, e) < 0)
		goto out;
	if (p->have_forget || p->have_consent) {
		ucol = reader_col(r, o->user_col);
		if (ucol < 0 && reader_ncols(r) > 0) {
			err_set(e, ADASH_EDATA, "%s: no user column \"%s\" for --forget/--consent (set it with --user-col)",
				reader_name(r), o->user_col);
			goto out;
		}
	}
	/* The first input with columns gives the output's; an empty file
	 * (a nightly partition with no rows) before it changes nothing. */
	if (!p->w && (reader_ncols(r) > 0 || !p->more_inputs)) {
		if (pipeline_columns(p, r, &v, out, e) < 0)
			goto out;
	} else if (reader_ncols(r) > 0) {
		map = xcalloc(p->ncols + 1, sizeof *map);
		for (size_t i = 0; i < p->ncols; i++)
			map[i] = reader_col(r, p->names[i]);
		unmapped = xcalloc(reader_ncols(r) + 1, sizeof *unmapped);
		for (size_t k = 0; k < reader_ncols(r); k++) {
			if (names_index((const char *const *)p->names, p->ncols, reader_colname(r, k)) >= 0)
				continue;
			/* An NDJSON reader declares every schema column; one
			 * that the first input lacks matters only in a row that
			 * has a value there (checked per row). */
			if (reader_format(r) == FORMAT_NDJSON && o->schema &&
			    schema_col(o->schema, reader_colname(r, k)) >= 0) {
				unmapped[nunmapped++] = (long)k;
				continue;
			}
			err_at(e, ADASH_EDATA, reader_name(r), 0, reader_colname(r, k),
			       "not a column of the first input; inputs must share columns");
			goto out;
		}
	}
	for (;;) {
		st = reader_next(r, &rec, &row_err);
		if (st == READ_EOF)
			break;
		if (st == READ_FATAL) {
			*e = row_err;
			goto out;
		}
		p->acc.rows_in++;
		progress_tick(o->progress, ++p->rows_seen);
		if (st == READ_BAD) {
			if (reject(p, r, &row_err, reader_reason(r), e) < 0)
				goto out;
			continue;
		}
		if (reader_ncols(r) == 0) {
			err_at(&row_err, ADASH_EDATA, reader_name(r), reader_line(r), NULL,
			       "a record without fields (nothing to write)");
			if (reject(p, r, &row_err, "no fields", e) < 0)
				goto out;
			continue;
		}
		/* forget and consent before validation (so a forgotten
		 * user's bad row is dropped, not rejected) and after it
		 * (the normalized id is what is written) */
		if (ucol >= 0 && privacy_drops(p, &rec[ucol]))
			continue;
		for (size_t k = 0; k < nunmapped; k++)
			if (!field_is_missing(&rec[unmapped[k]])) {
				const char *col = reader_colname(r, (size_t)unmapped[k]);
				char reason[300];

				err_at(&row_err, ADASH_EDATA, reader_name(r), reader_line(r), col,
				       "has a value, but the first input has no such column");
				snprintf(reason, sizeof reason, "%.200s: not in the first input", col);
				if (reject(p, r, &row_err, reason, e) < 0)
					goto out;
				goto next_row;
			}
		if (validator_row(&v, r, rec, &norm, &row_err) < 0) {
			if (reject(p, r, &row_err, v.reason, e) < 0)
				goto out;
			continue;
		}
		if (ucol >= 0 && privacy_drops(p, &norm[ucol]))
			continue;
		if (map) {
			static const struct field empty = { "", 0, FIELD_NULL };
			for (size_t i = 0; i < p->ncols; i++)
				p->row[i] = map[i] >= 0 ? norm[map[i]] : empty;
		} else {
			memcpy(p->row, norm, p->ncols * sizeof *p->row);
		}
		pipeline_row(p);
next_row:
		;
	}
	rc = 0;
out:
	free(map);
	free(unmapped);
	validator_free(&v);
	reader_close(r);
	return rc;
}

static void pipeline_free(struct pipeline *p)
{
	if (p->have_forget)
		idset_free(&p->forget);
	if (p->have_consent)
		idset_free(&p->consent);
	if (p->have_dedupe)
		dedupe_free(&p->dedupe);
	for (size_t i = 0; i < p->ncols; i++) {
		free(p->names[i]);
		buf_free(&p->pseudo_vals[i]);
	}
	free(p->names);
	free(p->json);
	free(p->pseudo_col);
	free(p->pseudo_vals);
	free(p->row);
	free(p->kept);
	free(p->keep);
	writer_free(p->w);
}

int ingest_run(const struct ingest_options *o, char *const *inputs, FILE *out,
	       struct adash_err *e)
{
	struct pipeline p;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	if (o->pseudonymize && pseudonymizer_init(&p.pseudo, o->key_file, e) < 0)
		return -1;
	if (o->forget_path) {
		if (idset_load(&p.forget, o->forget_path, o->user_col, 0, e) < 0)
			goto out;
		p.have_forget = 1;
	}
	if (o->consent_path) {
		if (idset_load(&p.consent, o->consent_path, o->user_col, 1, e) < 0)
			goto out;
		p.have_consent = 1;
	}
	if (accounting_open(&p.acc, o->on_bad, o->reject_path, o->stats_path, e) < 0)
		goto out;
	for (size_t i = 0; inputs[i]; i++) {
		p.more_inputs = inputs[i + 1] != NULL;
		if (pipeline_file(&p, inputs[i], out, e) < 0)
			goto fail;
	}
	progress_done(o->progress, p.rows_seen);
	/* The data must be out before the counts claim it is. */
	if (fflush(out) != 0 || ferror(out)) {
		err_set(e, ADASH_EIO, "write error: %s", strerror(errno));
		goto fail;
	}
	rc = accounting_close(&p.acc, stderr, o->verbose, o->prog, e);
	goto out;
fail:
	accounting_abort(&p.acc);
out:
	pipeline_free(&p);
	return rc;
}
