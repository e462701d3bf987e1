/*
 * report: pages and terminal charts (see report.h).
 */
#include "report.h"

#include "atomicfile.h"
#include "buf.h"
#include "groups.h"
#include "hashmap.h"
#include "html.h"
#include "num.h"
#include "sidefile.h"
#include "svgchart.h"
#include "termchart.h"
#include "xalloc.h"

#include <errno.h>
#include <gsl/gsl_heapsort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One widget of the catalog. */
struct item {
	char *title, *type, *series;   /* NULL when the catalog has no value */
};

/* One row of the layout: a card on the user's page. */
struct card {
	double rank;
	char *item, *score, *policy;
	char **reasons;
	size_t nreasons;
};

/* A line of the index page. */
struct user_line {
	char *user, *file, *top;
	size_t widgets;
};

struct run {
	const struct report_options *o;
	struct chart_set charts;
	const struct chart *total;
	struct hashmap item_index;      /* item_id -> item number */
	struct item *items;
	size_t nitems, itemcap;

	/* the layout input being read */
	struct reader *reader;
	long *reason_col;
	size_t nreason, reasoncap;

	/* the user whose rows are being read */
	char *user, *asof;
	struct card *cards;
	size_t ncards, cardcap;
	struct groups users;            /* tells a user whose rows come back */

	struct user_line *index;
	size_t nindex, indexcap;
	struct buf name;
	int wrote_user;
	struct atomic_file pending;     /* --user -o: the page, committed at the end */
};

/* ---- the catalog ---------------------------------------------------------- */

static char *value_or_null(const struct field *rec, long col)
{
	return col >= 0 && !field_is_missing(&rec[col]) ? xstrndup(rec[col].s, rec[col].len) : NULL;
}

/* cols: item_id, item_type, title, series */
static int item_row(void *ctx, struct reader *r, const struct field *rec, const long *cols,
		    struct adash_err *e)
{
	struct run *p = ctx;
	const struct field *id = &rec[cols[0]];
	struct hashmap_entry *en;
	struct item *it;
	int added;

	if (field_is_missing(id))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id", "no value");
	en = hashmap_put(&p->item_index, id->s, id->len, &added);
	if (!added)
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id",
			      "item \"%s\" is listed twice", id->s);
	en->val.num = (int64_t)p->nitems;
	p->items = xgrow(p->items, &p->itemcap, p->nitems + 1, sizeof *p->items);
	it = &p->items[p->nitems++];
	it->type = value_or_null(rec, cols[1]);
	it->title = value_or_null(rec, cols[2]);
	it->series = value_or_null(rec, cols[3]);
	return 0;
}

static const struct item *item_of(const struct run *p, const char *id)
{
	struct hashmap_entry *en = hashmap_get(&p->item_index, id, strlen(id));

	return en ? &p->items[en->val.num] : NULL;
}

/* ---- pages ------------------------------------------------------------------ */

static const char page_style[] =
	"<style>\n"
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}\n"
	"header.top{padding:18px 28px 10px;background:#fff;border-bottom:1px solid #dde1e8}\n"
	"h1{font-size:22px;margin:0 0 4px}\n"
	".meta{color:#5b6475;font-size:13px;margin:0}\n"
	"a{color:#2557c7}\n"
	"main{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px;padding:20px 28px}\n"
	".card,.total{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:14px 16px}\n"
	".total{margin:20px 28px 0}\n"
	".card header{display:flex;align-items:baseline;gap:10px}\n"
	".rank{font-weight:700;color:#fff;background:#2557c7;border-radius:12px;min-width:24px;text-align:center;font-size:13px;padding:2px 6px}\n"
	"h2{font-size:16px;margin:0;flex:1}\n"
	".type{font-size:12px;color:#5b6475;border:1px solid #c9ced8;border-radius:10px;padding:1px 8px}\n"
	".why{margin:8px 0 0;padding-left:18px;font-size:13px;color:#39404f}\n"
	".score{font-size:12px;color:#5b6475;margin:6px 0 0}\n"
	".pinned .rank{background:#b4570f}\n"
	"svg.chart{width:100%;max-width:640px;height:auto;margin-top:8px;display:block}\n"
	"svg .grid{stroke:#e6e9ef;stroke-width:1}\n"
	"svg .tick{stroke:#8a93a5}\n"
	"svg text{font-size:13px;fill:#39404f}\n"
	"svg text.tick{stroke:none;fill:#5b6475;font-size:12px}\n"
	"@media (min-width:760px){.card.wide{grid-column:span 2}}\n"
	"svg .history{fill:none;stroke:#1d2330;stroke-width:1.6}\n"
	"svg .forecast{fill:none;stroke:#2557c7;stroke-width:2;stroke-dasharray:5 3}\n"
	"svg .band{fill:#2557c7;fill-opacity:.15;stroke:none}\n"
	"svg .now{stroke:#8a93a5;stroke-dasharray:2 3}\n"
	"svg circle.history{fill:#1d2330}\n"
	"svg circle.forecast{fill:#2557c7}\n"
	"svg .bar{stroke:#2557c7;stroke-opacity:.4;stroke-width:6}\n"
	".legend{font-size:12px;color:#5b6475;margin:2px 0 0}\n"
	"table{border-collapse:collapse;margin:20px 28px;background:#fff}\n"
	"td,th{border:1px solid #dde1e8;padding:6px 12px;text-align:left;font-size:14px}\n"
	"footer{color:#5b6475;font-size:12px;padding:0 28px 24px}\n"
	"</style>\n";

static void page_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
	html_puts(f, title);
	fputs("</title>\n", f);
	fputs(page_style, f);
	fputs("</head>\n<body>\n", f);
}

static void page_foot(FILE *f)
{
	fputs("<footer>Made by adash-report. Widgets are in the order chosen for this user; "
	      "charts show the recent history (solid), the forecast (dashed) and its interval (shaded).</footer>\n"
	      "</body>\n</html>\n", f);
}

static void chart_block(FILE *f, const struct chart *c, const char *title)
{
	svgchart_write(f, c, title);
	fputs("<p class=\"legend\">", f);
	html_puts(f, title);
	fprintf(f, ": %zu days of history, %zu days of forecast</p>\n", c->nhist, c->nfc);
}

static void total_section(FILE *f, const struct run *p)
{
	if (!p->total)
		return;
	fputs("<section class=\"total\" id=\"total\">\n<h2>Total of all series</h2>\n", f);
	chart_block(f, p->total, p->o->total_key);
	fputs("</section>\n", f);
}

/* The chart a widget shows: its series', or the total for a kpi widget
 * without one. */
static const struct chart *chart_of(const struct run *p, const struct item *it)
{
	if (!it)
		return NULL;
	if (it->series)
		return chart_set_get(&p->charts, it->series, strlen(it->series));
	if (it->type && strcmp(it->type, "kpi") == 0)
		return p->total;
	return NULL;
}

static void write_card(FILE *f, const struct run *p, const struct card *c, size_t place)
{
	const struct item *it = item_of(p, c->item);
	const char *title = it && it->title ? it->title : c->item;
	const struct chart *ch = chart_of(p, it);
	int pinned = c->policy && strcmp(c->policy, "pinned") == 0;
	char rank[NUM_FORMAT_MAX];

	num_format(c->rank, rank);
	fprintf(f, "<article class=\"card%s%s\" id=\"card-%zu\" data-rank=\"%s\" data-item=\"",
		pinned ? " pinned" : "", ch ? " wide" : "", place + 1, rank);
	html_puts(f, c->item);
	fprintf(f, "\">\n<header><span class=\"rank\">%s</span><h2>", rank);
	html_puts(f, title);
	fputs("</h2>", f);
	if (it && it->type) {
		fputs("<span class=\"type\">", f);
		html_puts(f, it->type);
		fputs("</span>", f);
	}
	fputs("</header>\n", f);
	if (c->score || c->policy) {
		fputs("<p class=\"score\">", f);
		if (c->score) {
			char num[NUM_FORMAT_MAX];
			double v;

			/* three decimals are what a person reads; the layout has the rest */
			fputs("score ", f);
			if (num_parse(c->score, strlen(c->score), &v) == 0 && isfinite(v)) {
				num_format_fixed(v, 3, num);
				fputs(num, f);
			} else {
				html_puts(f, c->score);
			}
		}
		if (c->policy) {
			fputs(c->score ? " &middot; " : "", f);
			html_puts(f, pinned ? "pinned by the user" : c->policy);
		}
		fputs("</p>\n", f);
	}
	if (c->nreasons) {
		fputs("<ul class=\"why\">\n", f);
		for (size_t i = 0; i < c->nreasons; i++) {
			fputs("<li>", f);
			html_puts(f, c->reasons[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	if (ch)
		chart_block(f, ch, ch->key);
	fputs("</article>\n", f);
}

static void write_page(FILE *f, const struct run *p, int linked)
{
	struct buf title = BUF_INIT;

	buf_printf(&title, "Dashboard of %s", p->user);
	page_head(f, title.data);
	fputs("<header class=\"top\"><h1>Dashboard of <span class=\"user\">", f);
	html_puts(f, p->user);
	fputs("</span></h1>\n<p class=\"meta\">", f);
	if (p->asof) {
		fputs("as of ", f);
		html_puts(f, p->asof);
		fputs(" &middot; ", f);
	}
	fprintf(f, "%zu widget%s", p->ncards, p->ncards == 1 ? "" : "s");
	if (linked)
		fputs(" &middot; <a href=\"index.html\">all users</a>", f);
	fputs("</p></header>\n", f);
	total_section(f, p);
	fputs("<main class=\"cards\">\n", f);
	for (size_t i = 0; i < p->ncards; i++)
		write_card(f, p, &p->cards[i], i);
	fputs("</main>\n", f);
	page_foot(f);
	buf_free(&title);
}

/* The user's dashboard as text: a heading, the total, and each card with
 * its reasons and its chart. */
static void write_text_page(FILE *f, const struct run *p)
{
	fputs("Dashboard of ", f);
	term_text(f, p->user);
	if (p->asof) {
		fputs(" as of ", f);
		term_text(f, p->asof);
	}
	fprintf(f, " (%zu widget%s)\n", p->ncards, p->ncards == 1 ? "" : "s");
	if (p->total) {
		fputc('\n', f);
		termchart_write(f, p->total, "Total of all series", &p->o->term);
	}
	for (size_t i = 0; i < p->ncards; i++) {
		const struct card *c = &p->cards[i];
		const struct item *it = item_of(p, c->item);
		const struct chart *ch = chart_of(p, it);
		char num[NUM_FORMAT_MAX];
		double v;

		num_format(c->rank, num);
		fprintf(f, "\n%s. ", num);
		term_text(f, it && it->title ? it->title : c->item);
		if (it && it->type) {
			fputs(" (", f);
			term_text(f, it->type);
			fputc(')', f);
		}
		if (c->score) {
			fputs(", score ", f);
			if (num_parse(c->score, strlen(c->score), &v) == 0 && isfinite(v)) {
				num_format_fixed(v, 3, num);
				fputs(num, f);
			} else {
				term_text(f, c->score);
			}
		}
		if (c->policy) {
			fputs(", ", f);
			term_text(f, strcmp(c->policy, "pinned") == 0 ? "pinned by the user" : c->policy);
		}
		fputc('\n', f);
		for (size_t k = 0; k < c->nreasons; k++) {
			fputs("   - ", f);
			term_text(f, c->reasons[k]);
			fputc('\n', f);
		}
		if (ch)
			termchart_write(f, ch, ch->key, &p->o->term);
	}
}

/* --all: a user's page, committed whole, as the user's rows end. */
static int write_page_file(const struct run *p, const char *path, struct adash_err *e)
{
	struct atomic_file af;

	if (atomic_open(&af, path, e) < 0)
		return -1;
	write_page(af.fp, p, 1);
	/* the pages are synced at once, before the index that links them */
	return atomic_commit_unsynced(&af, e);
}

/* --user: the page (or the text) written when the user's rows end: to
 * stdout, or into -o FILE's temporary file, which is committed only once
 * the whole layout has been read without an error (report_pages), so that
 * a layout found wrong later never replaces a good page with part of one. */
static int write_user(struct run *p, struct adash_err *e)
{
	if (p->o->text) {
		write_text_page(stdout, p);
	} else if (!p->o->output) {
		write_page(stdout, p, 0);
	} else {
		if (atomic_open(&p->pending, p->o->output, e) < 0)
			return -1;
		write_page(p->pending.fp, p, 0);
	}
	p->wrote_user = 1;
	return 0;
}

static int card_cmp(const void *a, const void *b)
{
	const struct card *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

static void clear_group(struct run *p)
{
	for (size_t i = 0; i < p->ncards; i++) {
		struct card *c = &p->cards[i];

		free(c->item);
		free(c->score);
		free(c->policy);
		for (size_t k = 0; k < c->nreasons; k++)
			free(c->reasons[k]);
		free(c->reasons);
	}
	p->ncards = 0;
	free(p->user);
	free(p->asof);
	p->user = p->asof = NULL;
}

/* The page of the user whose rows have all been read. */
static int end_group(struct run *p, struct adash_err *e)
{
	const struct report_options *o = p->o;
	struct buf path = BUF_INIT;
	int rc = 0;

	if (!p->user)
		return 0;
	gsl_heapsort(p->cards, p->ncards, sizeof *p->cards, card_cmp);
	for (size_t i = 1; i < p->ncards; i++)
		if (p->cards[i].rank == p->cards[i - 1].rank) {
			char rank[NUM_FORMAT_MAX];

			num_format(p->cards[i].rank, rank);
			err_set(e, ADASH_EDATA, "the layout has two widgets at rank %s for user \"%s\" (one layout, one cut per user)",
				rank, p->user);
			clear_group(p);
			return -1;
		}
	if (o->all) {
		const struct item *top = p->ncards ? item_of(p, p->cards[0].item) : NULL;
		struct user_line *l;

		html_file_name(&p->name, p->user, strlen(p->user));
		buf_printf(&path, "%s/%s", o->output, p->name.data);
		rc = write_page_file(p, path.data, e);
		p->index = xgrow(p->index, &p->indexcap, p->nindex + 1, sizeof *p->index);
		l = &p->index[p->nindex++];
		l->user = xstrdup(p->user);
		l->file = xstrdup(p->name.data);
		l->widgets = p->ncards;
		l->top = xstrdup(top && top->title ? top->title : p->ncards ? p->cards[0].item : "");
	} else {
		rc = write_user(p, e);
	}
	buf_free(&path);
	clear_group(p);
	return rc;
}

/* The reason_N columns of the layout, in order. */
static void find_reasons(struct run *p, struct reader *r)
{
	p->reader = r;
	p->nreason = 0;
	for (size_t i = 0; i < reader_ncols(r); i++) {
		const char *name = reader_colname(r, i);

		if (strncmp(name, "reason_", 7) == 0 && name[7] &&
		    strspn(name + 7, "0123456789") == strlen(name + 7)) {
			p->reason_col = xgrow(p->reason_col, &p->reasoncap, p->nreason + 1,
					      sizeof *p->reason_col);
			p->reason_col[p->nreason++] = (long)i;
		}
	}
}

/* cols: user_id, rank, item_id, score, policy, asof */
static int layout_row(void *ctx, struct reader *r, const struct field *rec, const long *cols,
		      struct adash_err *e)
{
	struct run *p = ctx;
	const struct field *user = &rec[cols[0]], *item = &rec[cols[2]];
	struct card *c;
	double rank;
	long first;
	int step;

	if (r != p->reader)
		find_reasons(p, r);
	if (field_is_missing(user))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "user_id", "no value");
	step = groups_next(&p->users, user->s, user->len, reader_name(r), reader_line(r), &first);
	if (step == GROUP_AGAIN)
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "user_id",
			      "the rows of user \"%s\" are not together: this one follows other users' rows (its rows began at line %ld; keep each user's rows together, as adash-rank writes them)",
			      user->s, first);
	if (step == GROUP_NEW && end_group(p, e) < 0)
		return -1;
	if (p->o->user && strcmp(user->s, p->o->user) != 0)
		return 0;
	if (!p->user)
		p->user = xstrndup(user->s, user->len);
	if (field_is_missing(item))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id", "no value");
	if (num_parse(rec[cols[1]].s, rec[cols[1]].len, &rank) < 0 || !(rank >= 1) || rank != floor(rank) ||
	    rank > 1e15)
		return reader_bad_value(r, "rank", &rec[cols[1]], "a rank (an integer >= 1)", e);
	if (!p->asof && cols[5] >= 0)
		p->asof = value_or_null(rec, cols[5]);
	p->cards = xgrow(p->cards, &p->cardcap, p->ncards + 1, sizeof *p->cards);
	c = &p->cards[p->ncards++];
	c->rank = rank;
	c->item = xstrndup(item->s, item->len);
	c->score = value_or_null(rec, cols[3]);
	c->policy = value_or_null(rec, cols[4]);
	c->reasons = xcalloc(p->nreason ? p->nreason : 1, sizeof *c->reasons);
	c->nreasons = 0;
	for (size_t i = 0; i < p->nreason; i++)
		if (!field_is_missing(&rec[p->reason_col[i]]))
			c->reasons[c->nreasons++] = value_or_null(rec, p->reason_col[i]);
	return 0;
}

static int write_index(const struct run *p, struct adash_err *e)
{
	struct atomic_file af;
	struct buf path = BUF_INIT;
	FILE *f;
	int rc;

	if (atomic_sync_dir(p->o->output, e) < 0)
		return -1;
	buf_printf(&path, "%s/index.html", p->o->output);
	rc = atomic_open(&af, path.data, e);
	buf_free(&path);
	if (rc < 0)
		return -1;
	f = af.fp;
	page_head(f, "Dashboards");
	fprintf(f, "<header class=\"top\"><h1>Dashboards</h1>\n<p class=\"meta\">%zu user%s</p></header>\n",
		p->nindex, p->nindex == 1 ? "" : "s");
	total_section(f, p);
	fputs("<table class=\"users\">\n<thead><tr><th>User</th><th>Widgets</th><th>First widget</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < p->nindex; i++) {
		const struct user_line *l = &p->index[i];

		fprintf(f, "<tr><td><a href=\"%s\">", l->file);
		html_puts(f, l->user);
		fprintf(f, "</a></td><td>%zu</td><td>", l->widgets);
		html_puts(f, l->top);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	page_foot(f);
	return atomic_commit(&af, e);
}

static int make_directory(const char *dir, struct adash_err *e)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	return err_set(e, ADASH_EIO, "%s: cannot make the directory: %s", dir,
		       errno == EEXIST ? "a file of that name is in the way" : strerror(errno));
}

static int load_charts(struct run *p, struct adash_err *e)
{
	const struct report_options *o = p->o;

	chart_set_init(&p->charts, &o->charts);
	if (!o->forecast_path)
		return 0;
	if (chart_set_add_forecast(&p->charts, o->forecast_path, e) < 0 ||
	    chart_set_seal(&p->charts, e) < 0 ||
	    (o->history_path && chart_set_add_history(&p->charts, o->history_path, e) < 0))
		return -1;
	p->total = chart_set_get(&p->charts, o->total_key, strlen(o->total_key));
	return 0;
}

static void run_free(struct run *p)
{
	clear_group(p);
	free(p->cards);
	for (size_t i = 0; i < p->nitems; i++) {
		free(p->items[i].title);
		free(p->items[i].type);
		free(p->items[i].series);
	}
	free(p->items);
	for (size_t i = 0; i < p->nindex; i++) {
		free(p->index[i].user);
		free(p->index[i].file);
		free(p->index[i].top);
	}
	free(p->index);
	free(p->reason_col);
	atomic_abort(&p->pending);
	hashmap_free(&p->item_index, NULL);
	groups_free(&p->users);
	chart_set_free(&p->charts);
	buf_free(&p->name);
}

int report_pages(const struct report_options *o, char *const *inputs, struct adash_err *e)
{
	static const char *const layout_names[6] = { "user_id", "rank", "item_id", "score", "policy", "asof" };
	static const char *const layout_why[6] = { "the layout: adash-rank's output", "the layout: adash-rank's output",
						   "the layout: adash-rank's output", NULL, NULL, NULL };
	struct run p;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	hashmap_init(&p.item_index);
	groups_init(&p.users);
	buf_init(&p.name);
	if (load_charts(&p, e) < 0)
		goto out;
	if (o->items_path) {
		const char *names[4] = { "item_id", "item_type", "title", o->series_col };
		const char *why[4] = { "the catalog's items", NULL, NULL, NULL };

		if (sidefile_read(o->items_path, &o->io.read, names, why, 4, item_row, &p, NULL, e) < 0)
			goto out;
	}
	if (o->all && make_directory(o->output, e) < 0)
		goto out;
	for (size_t i = 0; inputs[i]; i++) {
		if (sidefile_read(inputs[i], &o->io.read, layout_names, layout_why, 6, layout_row, &p,
				  NULL, e) < 0)
			goto out;
		/* the next input's reader may get this one's address: its
		 * reason columns must be looked up again */
		p.reader = NULL;
	}
	if (end_group(&p, e) < 0)
		goto out;
	if (o->all) {
		if (write_index(&p, e) < 0)
			goto out;
	} else if (!p.wrote_user) {
		err_set(e, ADASH_EDATA, "the layout has no rows of user \"%s\"", o->user);
		goto out;
	} else if (p.pending.fp && atomic_commit(&p.pending, e) < 0) {
		goto out;
	}
	if (o->io.verbose && o->all)
		fprintf(stderr, "%s: %zu user pages and index.html in %s\n", o->io.prog, p.nindex,
			o->output);
	rc = 0;
out:
	run_free(&p);
	return rc;
}

/* ---- terminal ----------------------------------------------------------------- */

int report_term(const struct report_options *o, char *const *inputs, FILE *out,
		struct adash_err *e)
{
	struct chart_set s;
	int rc = -1;

	chart_set_init(&s, &o->charts);
	for (size_t i = 0; inputs[i]; i++)
		if (chart_set_add_forecast(&s, inputs[i], e) < 0)
			goto out;
	if (chart_set_seal(&s, e) < 0 ||
	    (o->history_path && chart_set_add_history(&s, o->history_path, e) < 0))
		goto out;
	for (size_t i = 0; i < s.n; i++) {
		if (i)
			fputc('\n', out);
		/* a forecast without a key (or an empty one) is "forecast" */
		termchart_write(out, &s.charts[i], s.charts[i].key[0] ? s.charts[i].key : "forecast",
				&o->term);
	}
	rc = 0;
out:
	chart_set_free(&s);
	return rc;
}
