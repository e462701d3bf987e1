/* itemstats: see itemstats.h. */
#include "itemstats.h"

#include "buf.h"
#include "reader.h"
#include "timeutil.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SUM_ENGAGE, SUM_USERS, SUM_IMPR, SUM_OPEN, NSUMS };
static const char *const sum_names[NSUMS] = { "engage", "users", "impr", "open" };

static double **sum_array(struct itemcut *c, int which)
{
	double **arrays[NSUMS] = { &c->engage, &c->users, &c->impr, &c->open };

	return arrays[which];
}

void itemcut_init(struct itemcut *c, int64_t t, size_t nwin, size_t wlong)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	c->nwin = nwin;
	c->wlong = wlong;
	cooc_init(&c->cooc, 0);
}

void itemcut_free(struct itemcut *c)
{
	free(c->engage);
	free(c->users);
	free(c->impr);
	free(c->open);
	free(c->role);
	cooc_free(&c->cooc);
	memset(c, 0, sizeof *c);
}

/* Grows to capacities of at least nitems and nroles, doubling, keeping the
 * [role][item][window] cells where they belong. */
void itemcut_reserve(struct itemcut *c, size_t nitems, size_t nroles)
{
	size_t nw = c->nwin, icap = c->item_cap, rcap = c->role_cap;

	if (nitems > icap)
		icap = nitems > 2 * icap ? nitems : 2 * icap;
	if (nroles > rcap)
		rcap = nroles > 2 * rcap ? nroles : 2 * rcap;
	if (icap != c->item_cap) {
		for (int k = 0; k < NSUMS; k++) {
			double **a = sum_array(c, k);

			*a = xrealloc(*a, (icap * nw + 1) * sizeof **a);
			memset(*a + c->item_cap * nw, 0, ((icap - c->item_cap) * nw + 1) * sizeof **a);
		}
	}
	if (icap != c->item_cap || rcap != c->role_cap) {
		double *role = xcalloc(rcap * icap * nw + 1, sizeof *role);

		for (size_t r = 0; r < c->nroles; r++)
			memcpy(role + r * icap * nw, c->role + r * c->item_cap * nw,
			       c->nitems * nw * sizeof *role);
		free(c->role);
		c->role = role;
	}
	c->item_cap = icap;
	c->role_cap = rcap;
	if (nitems > c->nitems)
		c->nitems = nitems;
	if (nroles > c->nroles)
		c->nroles = nroles;
	if (!c->finished)
		cooc_reserve(&c->cooc, c->nitems);
}

static double *role_cell(struct itemcut *c, uint32_t role, uint32_t item)
{
	return c->role + ((size_t)role * c->item_cap + item) * c->nwin;
}

void itemcut_add(struct itemcut *c, const struct activity *a, const struct snapshot *s,
		 const uint32_t *user_role)
{
	size_t nw = c->nwin, nroles = 0, most = 0;
	uint32_t *engaged;
	double *val;

	for (size_t u = 0; u < a->nusers; u++) {
		if (user_role[u] != EV_NONE && user_role[u] + 1 > nroles)
			nroles = user_role[u] + 1;
		if (a->users[u].npairs > most)
			most = a->users[u].npairs;
	}
	itemcut_reserve(c, a->nitems, nroles);
	engaged = xcalloc(most + 1, sizeof *engaged);
	val = xcalloc(most + 1, sizeof *val);
	for (size_t u = 0; u < a->nusers; u++) {
		const struct user *us = &a->users[u];
		size_t n = 0;

		for (size_t k = 0; k < us->npairs; k++) {
			uint32_t item = a->pairs[us->pairs[k]].item;
			const double *win = s->pair_win + (size_t)us->pairs[k] * nw * NTALLY;

			for (size_t w = 0; w < nw; w++) {
				const double *t = win + w * NTALLY;
				double eng = tally_engagement(t);

				c->engage[item * nw + w] += eng;
				c->users[item * nw + w] += eng > 0;
				c->impr[item * nw + w] += t[TALLY_IMPRESSION];
				c->open[item * nw + w] += t[TALLY_OPEN];
				if (user_role[u] != EV_NONE)
					role_cell(c, user_role[u], item)[w] += eng;
			}
			/* cooc: the user's engagement in the longest window */
			if (tally_engagement(win + c->wlong * NTALLY) > 0) {
				engaged[n] = item;
				val[n++] = tally_engagement(win + c->wlong * NTALLY);
			}
		}
		cooc_add_user(&c->cooc, engaged, val, n);
	}
	free(engaged);
	free(val);
}

void itemcut_finish(struct itemcut *c)
{
	if (c->finished)
		return;
	cooc_finish(&c->cooc);
	c->finished = 1;
}

/* ---- writing -------------------------------------------------------------- */

void itemstats_out_open(struct itemstats_out *o, FILE *out, const char *const *win_names,
			size_t nwin, size_t wlong, const char *cuts_spec)
{
	static const char *const fixed[] = { "record", "asof", "item", "other" };
	const char **names = xcalloc(4 + nwin, sizeof *names);

	memset(o, 0, sizeof *o);
	o->ncols = 4 + nwin;
	o->wlong = wlong;
	for (size_t k = 0; k < o->ncols; k++)
		names[k] = k < 4 ? fixed[k] : win_names[k - 4];
	o->w = writer_new(out, FORMAT_CSV, ',', 1);
	writer_columns(o->w, o->ncols, names, NULL);
	free(names);
	o->row = xcalloc(o->ncols, sizeof *o->row);
	o->text = xcalloc(o->ncols, sizeof *o->text);
	for (size_t k = 0; k < o->ncols; k++)
		field_set(&o->row[k], "", 0, FIELD_NULL);
	field_set(&o->row[0], "cuts", 4, FIELD_STRING);
	field_set(&o->row[3], cuts_spec, strlen(cuts_spec), FIELD_STRING);
	writer_row(o->w, o->row);
}

void itemstats_out_close(struct itemstats_out *o)
{
	writer_free(o->w);
	free(o->row);
	free(o->text);
	memset(o, 0, sizeof *o);
}

static void set_text(struct field *f, const char *s)
{
	field_set(f, s, strlen(s), s[0] ? FIELD_STRING : FIELD_NULL);
}

/* Starts a row: record, a time (or none), item and other names. */
static void row_start(struct itemstats_out *o, const char *record, int64_t t, int has_t,
		      const char *item, const char *other)
{
	for (size_t k = 4; k < o->ncols; k++)
		field_set(&o->row[k], "", 0, FIELD_NULL);
	set_text(&o->row[0], record);
	if (has_t)
		field_set(&o->row[1], o->text[1], time_format_timestamp(t, o->text[1]), FIELD_STRING);
	else
		field_set(&o->row[1], "", 0, FIELD_NULL);
	set_text(&o->row[2], item);
	set_text(&o->row[3], other);
}

static void set_value(struct itemstats_out *o, size_t w, double v)
{
	field_set(&o->row[4 + w], o->text[4 + w], num_format(v, o->text[4 + w]), FIELD_NUMBER);
}

void itemstats_write_cut(struct itemstats_out *o, const struct itemcut *c,
			 const struct idmap *items, const struct idmap *roles)
{
	size_t nw = c->nwin;

	for (uint32_t i = 0; i < c->nitems; i++) {
		int any = 0;

		for (size_t w = 0; w < nw; w++)
			any |= c->impr[i * nw + w] > 0 || c->engage[i * nw + w] > 0;
		if (!any)
			continue; /* an absent row reads as zeros */
		for (int k = 0; k < NSUMS; k++) {
			const double *a = *sum_array((struct itemcut *)c, k);

			row_start(o, sum_names[k], c->t, 1, idmap_name(items, i), "");
			for (size_t w = 0; w < nw; w++)
				set_value(o, w, a[i * nw + w]);
			writer_row(o->w, o->row);
		}
		for (uint32_t r = 0; r < c->nroles; r++) {
			const double *cell = itemcut_role(c, r, i);

			any = 0;
			for (size_t w = 0; w < nw; w++)
				any |= cell[w] > 0;
			if (!any)
				continue;
			row_start(o, "role", c->t, 1, idmap_name(items, i), idmap_name(roles, r));
			for (size_t w = 0; w < nw; w++)
				set_value(o, w, cell[w]);
			writer_row(o->w, o->row);
		}
		if (i < c->cooc.nitems && c->cooc.norm2[i] > 0) {
			row_start(o, "norm", c->t, 1, idmap_name(items, i), "");
			set_value(o, c->wlong, c->cooc.norm2[i]);
			writer_row(o->w, o->row);
		}
	}
	for (size_t k = 0; k < c->cooc.npairs; k++) {
		uint64_t key = c->cooc.pairs[k];

		row_start(o, "dot", c->t, 1, idmap_name(items, (uint32_t)(key >> 32)),
			  idmap_name(items, (uint32_t)(key & UINT32_MAX)));
		set_value(o, c->wlong, c->cooc.dots[k]);
		writer_row(o->w, o->row);
	}
}

void itemstats_write_span(struct itemstats_out *o, int64_t first, int64_t last,
			  const int64_t *item_first, size_t nitems, const struct idmap *items)
{
	if (first <= last) {
		row_start(o, "span", first, 1, "", "first");
		writer_row(o->w, o->row);
		row_start(o, "span", last, 1, "", "last");
		writer_row(o->w, o->row);
	}
	for (uint32_t i = 0; i < nitems; i++)
		if (item_first[i] != INT64_MAX) {
			row_start(o, "first", item_first[i], 1, idmap_name(items, i), "");
			writer_row(o->w, o->row);
		}
}

/* ---- reading -------------------------------------------------------------- */

void itemstats_init(struct itemstats *s)
{
	memset(s, 0, sizeof *s);
	s->first = INT64_MAX;
	s->last = INT64_MIN;
}

/* The place of cut t in s->cuts, or where it would go. */
static size_t cut_place(const struct itemstats *s, int64_t t)
{
	size_t lo = 0, hi = s->ncuts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->cuts[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct itemcut *itemstats_at(const struct itemstats *s, int64_t t)
{
	size_t k = cut_place(s, t);

	return k < s->ncuts && s->cuts[k].t == t ? &s->cuts[k] : NULL;
}

struct itemcut *itemstats_add_cut(struct itemstats *s, int64_t t, size_t nwin, size_t wlong)
{
	size_t k = cut_place(s, t);

	if (k < s->ncuts && s->cuts[k].t == t)
		return &s->cuts[k];
	s->cuts = xgrow(s->cuts, &s->cuts_cap, s->ncuts + 1, sizeof *s->cuts);
	memmove(s->cuts + k + 1, s->cuts + k, (s->ncuts - k) * sizeof *s->cuts);
	s->ncuts++;
	itemcut_init(&s->cuts[k], t, nwin, wlong);
	return &s->cuts[k];
}

void itemstats_free(struct itemstats *s)
{
	for (size_t k = 0; k < s->ncuts; k++)
		itemcut_free(&s->cuts[k]);
	free(s->cuts);
	free(s->item_first);
	memset(s, 0, sizeof *s);
}

/* What one file's reading needs. */
struct stats_reading {
	struct itemstats *s;
	size_t nwin, wlong;
	const char *cuts_spec;
	struct idmap *items, *roles;
	int has_cuts;                /* the file has its cuts row */
};

int item_first_note(int64_t **first, size_t *n, uint32_t item, int64_t t)
{
	size_t old = *n;

	if (item >= old) {
		*first = xgrow(*first, n, (size_t)item + 1, sizeof **first);
		for (size_t k = old; k < *n; k++)
			(*first)[k] = INT64_MAX;
	}
	if (t >= (*first)[item])
		return 0;
	(*first)[item] = t;
	return 1;
}

static int bad_row(const struct reader *r, const char *col, struct adash_err *e, const char *what)
{
	return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), col, "%s", what);
}

static int stats_row(struct stats_reading *sr, const struct reader *r, const struct field *rec,
		     struct adash_err *e)
{
	static const char *const records[] = { "engage", "users", "impr", "open", "role", "norm",
					       "dot", "first", "span", "cuts" };
	const struct field *rf = &rec[0], *tf = &rec[1], *itf = &rec[2], *of = &rec[3];
	size_t nw = sr->nwin, kind;
	double v[64];
	int64_t t = 0;
	uint32_t item = EV_NONE, other = EV_NONE;
	struct itemcut *c;

	for (kind = 0; kind < sizeof records / sizeof *records; kind++)
		if (rf->len == strlen(records[kind]) && memcmp(rf->s, records[kind], rf->len) == 0)
			break;
	if (rf->len == 6 && memcmp(rf->s, "record", 6) == 0)
		return 0; /* the header of a file joined on with cat */
	if (kind == sizeof records / sizeof *records)
		return bad_row(r, "record", e, "not a record of an item statistics file");
	if (kind == 9) {
		if (of->len != strlen(sr->cuts_spec) || memcmp(of->s, sr->cuts_spec, of->len) != 0)
			return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "other",
				      "the statistics are for cuts \"%.*s\", these options make \"%s\": make them with the same --asof or --asof-every, --since and --until",
				      (int)(of->len > 200 ? 200 : of->len), of->s, sr->cuts_spec);
		sr->has_cuts = 1;
		return 0;
	}
	if (field_is_missing(tf) || time_parse_timestamp(tf->s, tf->len, &t) < 0)
		return bad_row(r, "asof", e, "not a timestamp");
	if (kind == 8) {
		if (of->len == 5 && memcmp(of->s, "first", 5) == 0) {
			if (t < sr->s->first)
				sr->s->first = t;
		} else if (of->len == 4 && memcmp(of->s, "last", 4) == 0) {
			if (t > sr->s->last)
				sr->s->last = t;
		} else {
			return bad_row(r, "other", e, "a span is first or last");
		}
		return 0;
	}
	if (field_is_missing(itf))
		return bad_row(r, "item", e, "no item");
	item = idmap_intern(sr->items, itf->s, itf->len);
	if (kind == 7) {
		item_first_note(&sr->s->item_first, &sr->s->nitem_first, item, t);
		return 0;
	}
	if (kind == 4 || kind == 6) {
		if (field_is_missing(of))
			return bad_row(r, "other", e, kind == 4 ? "no role" : "no second item");
		other = kind == 4 ? idmap_intern(sr->roles, of->s, of->len)
				  : idmap_intern(sr->items, of->s, of->len);
		if (kind == 6 && other == item)
			return bad_row(r, "other", e, "an item's dot product with itself");
	}
	for (size_t w = 0; w < nw; w++) {
		const struct field *f = &rec[4 + w];

		v[w] = 0;
		if (field_is_missing(f))
			continue;
		if (num_parse(f->s, f->len, &v[w]) < 0 || !(v[w] >= 0) || v[w] > 9007199254740992.0 ||
		    v[w] != floor(v[w]))
			return bad_row(r, reader_colname(r, 4 + w), e,
				       "not a count (a whole number from 0 to 2^53)");
	}
	c = itemstats_add_cut(sr->s, t, nw, sr->wlong);
	itemcut_reserve(c, idmap_count(sr->items), idmap_count(sr->roles));
	if (kind < NSUMS) {
		double *a = *sum_array(c, (int)kind);

		for (size_t w = 0; w < nw; w++)
			a[item * nw + w] += v[w];
	} else if (kind == 4) {
		for (size_t w = 0; w < nw; w++)
			role_cell(c, other, item)[w] += v[w];
	} else if (kind == 5) {
		cooc_add_norm(&c->cooc, item, v[sr->wlong]);
	} else {
		cooc_add_dot(&c->cooc, item, other, v[sr->wlong]);
	}
	return 0;
}

static int read_one(struct stats_reading *sr, const char *path, const char *const *win_names,
		    struct adash_err *e)
{
	static const char *const fixed[] = { "record", "asof", "item", "other" };
	struct reader_options ro = { FORMAT_CSV, ',', 0, NULL, 0 };
	struct reader *r = reader_open(path, &ro, e);
	const struct field *rec;
	int st, rc = -1;

	if (!r) {
		struct adash_err why = *e;

		return err_set(e, why.code, "--item-stats %s", why.msg);
	}
	if (reader_ncols(r) != 4 + sr->nwin)
		goto header;
	for (size_t k = 0; k < 4 + sr->nwin; k++)
		if (strcmp(reader_colname(r, k), k < 4 ? fixed[k] : win_names[k - 4]) != 0)
			goto header;
	sr->has_cuts = 0;
	while ((st = reader_next(r, &rec, e)) == READ_OK)
		if (stats_row(sr, r, rec, e) < 0)
			goto out;
	if (st == READ_BAD)
		e->code = ADASH_EDATA;
	if (st != READ_EOF)
		goto out;
	if (!sr->has_cuts)
		err_set(e, ADASH_EDATA,
			"--item-stats %s: no cuts row: not a file that adash-features --item-stats-out wrote",
			reader_name(r));
	else
		rc = 0;
	goto out;
header:
	{
		struct buf b = BUF_INIT;

		for (size_t k = 0; k < sr->nwin; k++) {
			if (k)
				buf_addch(&b, ',');
			buf_addstr(&b, win_names[k]);
		}
		err_set(e, ADASH_EDATA,
			"--item-stats %s: not item statistics for --windows %s (its header must be record,asof,item,other,%s; make them with the same --windows)",
			reader_name(r), b.data ? b.data : "", b.data ? b.data : "");
		buf_free(&b);
	}
out:
	reader_close(r);
	return rc;
}

int itemstats_read(struct itemstats *s, char *const *paths, const char *const *win_names,
		   size_t nwin, size_t wlong, const char *cuts_spec, struct idmap *items,
		   struct idmap *roles, struct adash_err *e)
{
	struct stats_reading sr;
	int rc = 0;

	itemstats_init(s);
	memset(&sr, 0, sizeof sr);
	sr.s = s;
	sr.nwin = nwin;
	sr.wlong = wlong;
	sr.cuts_spec = cuts_spec;
	sr.items = items;
	sr.roles = roles;
	if (nwin > 64)
		rc = err_set(e, ADASH_EUSAGE, "--item-stats: at most 64 windows");
	for (size_t f = 0; rc == 0 && paths[f]; f++)
		rc = read_one(&sr, paths[f], win_names, e);
	if (rc < 0) {
		itemstats_free(s);
		return -1;
	}
	for (size_t k = 0; k < s->ncuts; k++) {
		itemcut_reserve(&s->cuts[k], idmap_count(items), idmap_count(roles));
		itemcut_finish(&s->cuts[k]);
	}
	return 0;
}
