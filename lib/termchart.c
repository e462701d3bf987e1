/*
 * termchart: charts as text (see termchart.h).
 */
#include "termchart.h"

#include "buf.h"
#include "num.h"
#include "timeutil.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a dot of the grid holds. */
enum { DOT_NONE = 0, DOT_BAND, DOT_HISTORY, DOT_FORECAST };

struct plot {
	int dw, dh;             /* dots across and down */
	int cw, ch;             /* dots per cell across and down */
	int64_t first, last;    /* days drawn */
	struct chart_scale y;
	unsigned char *dot;     /* dh x dw */
};

static int x_of(const struct plot *p, int64_t day)
{
	if (p->last == p->first)
		return p->dw / 2;
	return (int)lround((double)(day - p->first) * (p->dw - 1) / (double)(p->last - p->first));
}

static int y_of(const struct plot *p, double v)
{
	int y = (int)lround((p->y.hi - chart_clamp(&p->y, v)) / (p->y.hi - p->y.lo) * (p->dh - 1));

	return y < 0 ? 0 : y >= p->dh ? p->dh - 1 : y;
}

static void fill_column(struct plot *p, int x, double ya, double yb, unsigned char what)
{
	int a = (int)lround(ya), b = (int)lround(yb);

	if (a > b) {
		int t = a;

		a = b;
		b = t;
	}
	for (int y = a < 0 ? 0 : a; y <= b && y < p->dh; y++)
		if (p->dot[(size_t)y * p->dw + x] < what || what != DOT_BAND)
			p->dot[(size_t)y * p->dw + x] = what;
}

/* A line from (x0, y0) to (x1, y1) that stays connected however steep:
 * each column gets the run of rows between its neighbours' midpoints. */
static void segment(struct plot *p, int x0, int y0, int x1, int y1, unsigned char what)
{
	if (x1 == x0) {
		fill_column(p, x0, y0, y1, what);
		return;
	}
	for (int x = x0; x < x1; x++) {
		double ya = y0 + (double)(y1 - y0) * (x - x0) / (x1 - x0);
		double yb = y0 + (double)(y1 - y0) * (x + 1 - x0) / (x1 - x0);

		fill_column(p, x, ya, (ya + yb) / 2, what);
		fill_column(p, x + 1, (ya + yb) / 2, yb, what);
	}
}

/* The interval between consecutive forecast days, its bounds joined
 * linearly; line dots are never overwritten. */
static void shade_band(struct plot *p, const struct chart *c)
{
	for (size_t i = 0; i < c->nfc; i++) {
		const struct chart_step *a = &c->fc[i], *b = i + 1 < c->nfc ? &c->fc[i + 1] : a;
		int xa, xb;

		if (isnan(a->lo) || a->day > p->last)
			continue;
		if (isnan(b->lo) || b->day > p->last)
			b = a;
		xa = x_of(p, a->day);
		xb = x_of(p, b->day);
		for (int x = xa; x <= xb; x++) {
			double t = xb > xa ? (double)(x - xa) / (xb - xa) : 0;
			double hi = a->hi + t * (b->hi - a->hi), lo = a->lo + t * (b->lo - a->lo);

			for (int y = y_of(p, hi); y <= y_of(p, lo); y++)
				if (p->dot[(size_t)y * p->dw + x] == DOT_NONE)
					p->dot[(size_t)y * p->dw + x] = DOT_BAND;
		}
	}
}

static void draw(struct plot *p, const struct chart *c)
{
	int px = -1, py = 0;

	shade_band(p, c);
	for (size_t i = 0; i < c->nhist; i++) {
		int x, y;

		if (c->hist[i].day < p->first)
			continue;
		x = x_of(p, c->hist[i].day);
		y = y_of(p, c->hist[i].value);
		segment(p, px < 0 ? x : px, px < 0 ? y : py, x, y, DOT_HISTORY);
		px = x;
		py = y;
	}
	for (size_t i = 0; i < c->nfc && c->fc[i].day <= p->last; i++) {
		int x = x_of(p, c->fc[i].day), y = y_of(p, c->fc[i].pred);

		segment(p, px < 0 ? x : px, px < 0 ? y : py, x, y, DOT_FORECAST);
		px = x;
		py = y;
	}
}

/* One character cell (cx, cy) of the plot into b. */
static void cell(struct buf *b, const struct plot *p, int cx, int cy, int ascii)
{
	/* braille dot bits by (column, row) within the cell */
	static const unsigned char bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
	unsigned bits = 0, line = DOT_NONE, band = 0;

	for (int dy = 0; dy < p->ch; dy++)
		for (int dx = 0; dx < p->cw; dx++) {
			int x = cx * p->cw + dx, y = cy * p->ch + dy;
			unsigned char d = x < p->dw ? p->dot[(size_t)y * p->dw + x] : DOT_NONE;

			if (d >= DOT_HISTORY) {
				bits |= ascii ? 0 : bit[dx][dy];
				if (d > line)
					line = d;
			}
			band |= d == DOT_BAND;
		}
	if (ascii) {
		buf_addch(b, line == DOT_HISTORY ? '*' : line == DOT_FORECAST ? 'o' : band ? ':' : ' ');
	} else if (bits) {
		unsigned cp = 0x2800 + bits;

		buf_addch(b, (char)0xE2);
		buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addch(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addstr(b, band ? "\u2591" : " ");
	}
}

static void end_line(FILE *f, struct buf *b)
{
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	fputs(b->data, f);
	fputc('\n', f);
	buf_reset(b);
}

/* A label for each row: the round values on the left, the final
 * prediction and the interval on the right. */
struct labels {
	char **left, **right;
	int lw, rw;
};

static void put_label(char **row_label, int row, const char *prefix, double v, int decimals)
{
	char num[NUM_FORMAT_MAX];
	struct buf b = BUF_INIT;

	if (row_label[row])
		return;
	chart_format_value(v, decimals, num);
	buf_addstr(&b, prefix);
	buf_addstr(&b, num);
	row_label[row] = buf_detach(&b, NULL);
}

static void make_labels(struct labels *l, const struct plot *p, const struct chart *c, int rows)
{
	l->left = xcalloc((size_t)rows, sizeof *l->left);
	l->right = xcalloc((size_t)rows, sizeof *l->right);
	for (int i = 0; i < p->y.nticks; i++) {
		double v = p->y.lo + i * p->y.step;

		put_label(l->left, y_of(p, v) / p->ch, "", v, p->y.decimals);
	}
	if (c->nfc) {
		const struct chart_step *end = &c->fc[c->nfc - 1];

		put_label(l->right, y_of(p, end->pred) / p->ch, "", end->pred, p->y.decimals + 1);
		if (!isnan(end->lo)) {
			put_label(l->right, y_of(p, end->hi) / p->ch, "hi ", end->hi, p->y.decimals + 1);
			put_label(l->right, y_of(p, end->lo) / p->ch, "lo ", end->lo, p->y.decimals + 1);
		}
	}
	l->lw = l->rw = 0;
	for (int r = 0; r < rows; r++) {
		if (l->left[r] && (int)strlen(l->left[r]) > l->lw)
			l->lw = (int)strlen(l->left[r]);
		if (l->right[r] && (int)strlen(l->right[r]) + 1 > l->rw)
			l->rw = (int)strlen(l->right[r]) + 1;
	}
}

static void free_labels(struct labels *l, int rows)
{
	for (int r = 0; r < rows; r++) {
		free(l->left[r]);
		free(l->right[r]);
	}
	free(l->left);
	free(l->right);
}

void term_text(FILE *f, const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if (*u < 0x20 || *u == 0x7f) {
			fputc('?', f);
		} else if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
			fputc('?', f);   /* U+0080..U+009F, the C1 controls */
			u++;
		} else {
			fputc(*u, f);
		}
	}
}

static void heading(FILE *f, const struct chart *c, const char *title, int decimals)
{
	char date[16], a[NUM_FORMAT_MAX], b[NUM_FORMAT_MAX], d[NUM_FORMAT_MAX];

	term_text(f, title);
	if (c->nhist) {
		time_format_date(c->hist[c->nhist - 1].day, date);
		chart_format_value(c->hist[c->nhist - 1].value, decimals, a);
		fprintf(f, ": last %s on %s", a, date);
	}
	if (c->nfc) {
		const struct chart_step *end = &c->fc[c->nfc - 1];

		time_format_date(end->day, date);
		chart_format_value(end->pred, decimals, a);
		fprintf(f, "%s forecast %s on %s", c->nhist ? ";" : ":", a, date);
		if (!isnan(end->lo)) {
			chart_format_value(end->lo, decimals, b);
			chart_format_value(end->hi, decimals, d);
			fprintf(f, ", interval %s to %s", b, d);
		}
	}
	fputc('\n', f);
}

/* The dates under the axis: the first, the first forecast day, the last,
 * each where there is room. */
static void date_line(struct buf *b, const struct plot *p, const struct chart *c, int indent,
		      int cells)
{
	char date[16];
	int64_t days[3] = { p->first, c->nfc && c->nhist ? c->fc[0].day : p->first, p->last };
	int end = 0;

	for (int i = 0; i < indent; i++)
		buf_addch(b, ' ');
	for (int i = 0; i < 3; i++) {
		int at = x_of(p, days[i]) / p->cw;

		if (i > 0 && days[i] == days[i - 1])
			continue;
		if (i == 2)
			at = cells - 10;
		if (at < 0 || at + 10 > cells || (end && at < end + 2))
			continue;
		for (; end < at; end++)
			buf_addch(b, ' ');
		time_format_date(days[i], date);
		buf_addstr(b, date);
		end += 10;
	}
}

/* The part of c between first and last: the same arrays, narrowed. */
static struct chart view_of(const struct chart *c, int64_t first, int64_t last)
{
	struct chart v = *c;

	while (v.nhist && v.hist[0].day < first) {
		v.hist++;
		v.nhist--;
	}
	while (v.nhist && v.hist[v.nhist - 1].day > last)
		v.nhist--;
	while (v.nfc && v.fc[v.nfc - 1].day > last)
		v.nfc--;
	return v;
}

/* The scale and labels of view v, and from them the plot's width in cells
 * and the days that fit it (of the whole chart c): the forecast from its
 * first day, then as much history before it as is left. */
static int fit(struct plot *p, const struct chart *c, const struct chart *v, struct labels *l,
	       int rows, const struct termchart_options *o)
{
	double min, max;
	int cells;

	if (chart_extent(v, &min, &max) < 0)
		min = max = 0;
	chart_scale_of(min, max, rows / 2 + 1, &p->y);
	make_labels(l, p, v, rows);
	cells = o->width - l->lw - 2 - l->rw;
	if (cells < 8)
		cells = 8;
	p->dw = cells * p->cw;
	chart_days(c, &p->first, &p->last);
	if (c->nfc && p->last - c->fc[0].day + 1 > p->dw)
		p->last = c->fc[0].day + p->dw - 1;
	if (p->last - p->first + 1 > p->dw)
		p->first = p->last - p->dw + 1;
	return cells;
}

void termchart_write(FILE *f, const struct chart *c, const char *title,
		     const struct termchart_options *o)
{
	const char *vbar = o->ascii ? "|" : "\u2502", *tick = o->ascii ? "+" : "\u2524";
	struct plot p = { 0 };
	struct chart v = *c;
	struct labels l;
	struct buf b = BUF_INIT;
	int cells, rows = o->height < 2 ? 2 : o->height, boundary = -1;

	p.cw = o->ascii ? 1 : 2;
	p.ch = o->ascii ? 1 : 4;
	p.dh = rows * p.ch;
	p.dw = 1;
	/* the labels' widths decide the plot's width, which decides the days
	 * drawn, whose values decide the labels: once for the whole chart,
	 * then again for the days that fit */
	fit(&p, c, &v, &l, rows, o);
	free_labels(&l, rows);
	v = view_of(c, p.first, p.last);
	cells = fit(&p, c, &v, &l, rows, o);
	v = view_of(c, p.first, p.last);
	p.dot = xcalloc((size_t)p.dw * (size_t)p.dh, 1);
	draw(&p, &v);
	if (v.nhist && v.nfc)
		boundary = x_of(&p, v.fc[0].day) / p.cw;

	heading(f, &v, title, p.y.decimals + 1);
	for (int r = 0; r < rows; r++) {
		buf_printf(&b, "%*s ", l.lw, l.left[r] ? l.left[r] : "");
		buf_addstr(&b, l.left[r] ? tick : vbar);
		for (int cx = 0; cx < cells; cx++)
			cell(&b, &p, cx, r, o->ascii);
		if (l.right[r]) {
			buf_addch(&b, ' ');
			buf_addstr(&b, l.right[r]);
		}
		end_line(f, &b);
	}
	buf_printf(&b, "%*s %s", l.lw, "", o->ascii ? "+" : "\u2514");
	for (int cx = 0; cx < cells; cx++)
		buf_addstr(&b, cx == boundary ? (o->ascii ? "+" : "\u252c") : (o->ascii ? "-" : "\u2500"));
	end_line(f, &b);
	date_line(&b, &p, &v, l.lw + 2, cells);
	end_line(f, &b);
	buf_free(&b);
	free_labels(&l, rows);
	free(p.dot);
}
