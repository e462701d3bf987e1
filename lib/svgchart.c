/*
 * svgchart: charts as SVG (see svgchart.h).
 */
#include "svgchart.h"

#include "html.h"
#include "num.h"
#include "timeutil.h"

#include <math.h>

/* The drawing area inside the picture, in SVG user units. */
enum { SVG_W = 600, SVG_H = 230, PAD_LEFT = 58, PAD_RIGHT = 96, PAD_TOP = 14, PAD_BOTTOM = 30 };

struct frame {
	int64_t first, last;
	struct chart_scale y;
};

static double x_of(const struct frame *fr, int64_t day)
{
	double w = SVG_W - PAD_LEFT - PAD_RIGHT;

	if (fr->last == fr->first)
		return PAD_LEFT + w / 2;
	return PAD_LEFT + w * (double)(day - fr->first) / (double)(fr->last - fr->first);
}

static double y_of(const struct frame *fr, double v)
{
	double h = SVG_H - PAD_TOP - PAD_BOTTOM;

	return PAD_TOP + h * (fr->y.hi - chart_clamp(&fr->y, v)) / (fr->y.hi - fr->y.lo);
}

static void value_text(FILE *f, double x, double y, const char *cls, const char *anchor,
		       const char *prefix, double v, int decimals)
{
	char num[NUM_FORMAT_MAX];

	chart_format_value(v, decimals, num);
	fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s%s</text>\n", cls,
		x, y, anchor, prefix, num);
}

static void axes(FILE *f, const struct frame *fr)
{
	char date[16];
	int64_t step = chart_day_step(fr->last - fr->first, 4);

	fputs("<g class=\"axes\">\n", f);
	for (int i = 0; i < fr->y.nticks; i++) {
		double v = fr->y.lo + i * fr->y.step, y = y_of(fr, v);

		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			PAD_LEFT, y, SVG_W - PAD_RIGHT, y);
		value_text(f, PAD_LEFT - 6, y + 4, "tick", "end", "", v, fr->y.decimals);
	}
	for (int64_t d = fr->first; d <= fr->last; d += step) {
		double x = x_of(fr, d);

		time_format_date(d, date);
		fprintf(f, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x,
			SVG_H - PAD_BOTTOM, x, SVG_H - PAD_BOTTOM + 4);
		fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			x, SVG_H - PAD_BOTTOM + 18, date);
	}
	fputs("</g>\n", f);
}

static void band(FILE *f, const struct frame *fr, const struct chart *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nfc; i++)
		n += !isnan(c->fc[i].lo);
	if (n == 0)
		return;
	fprintf(f, "<polygon class=\"band\" data-points=\"%zu\" points=\"", 2 * n);
	for (size_t i = 0; i < c->nfc; i++)
		if (!isnan(c->fc[i].lo))
			fprintf(f, "%.1f,%.1f ", x_of(fr, c->fc[i].day), y_of(fr, c->fc[i].hi));
	for (size_t i = c->nfc; i-- > 0;)
		if (!isnan(c->fc[i].lo))
			fprintf(f, "%.1f,%.1f%s", x_of(fr, c->fc[i].day), y_of(fr, c->fc[i].lo),
				i ? " " : "");
	fputs("\"/>\n", f);
	/* a band of one step has no area: its interval as a bar */
	for (size_t i = 0; n == 1 && i < c->nfc; i++)
		if (!isnan(c->fc[i].lo))
			fprintf(f, "<line class=\"bar\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
				x_of(fr, c->fc[i].day), y_of(fr, c->fc[i].hi), x_of(fr, c->fc[i].day),
				y_of(fr, c->fc[i].lo));
}

/* A line of one point has no length: a dot marks it. */
static void lone_point(FILE *f, const char *cls, double x, double y)
{
	fprintf(f, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>\n", cls, x, y);
}

void svgchart_write(FILE *f, const struct chart *c, const char *title)
{
	struct frame fr;
	double min, max;

	chart_days(c, &fr.first, &fr.last);
	if (chart_extent(c, &min, &max) < 0)
		min = max = 0;
	chart_scale_of(min, max, 5, &fr.y);
	fprintf(f, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
		SVG_W, SVG_H);
	fputs("<title>", f);
	html_puts(f, title);
	fputs("</title>\n", f);
	axes(f, &fr);
	band(f, &fr, c);
	if (c->nhist && c->nfc) {
		double x = (x_of(&fr, c->hist[c->nhist - 1].day) + x_of(&fr, c->fc[0].day)) / 2;

		fprintf(f, "<line class=\"now\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x,
			PAD_TOP, x, SVG_H - PAD_BOTTOM);
	}
	if (c->nhist) {
		const struct chart_point *last = &c->hist[c->nhist - 1];

		fprintf(f, "<polyline class=\"history\" data-points=\"%zu\" points=\"", c->nhist);
		for (size_t i = 0; i < c->nhist; i++)
			fprintf(f, "%.1f,%.1f%s", x_of(&fr, c->hist[i].day), y_of(&fr, c->hist[i].value),
				i + 1 < c->nhist ? " " : "");
		fputs("\"/>\n", f);
		if (c->nhist == 1)
			lone_point(f, "history", x_of(&fr, last->day), y_of(&fr, last->value));
		value_text(f, x_of(&fr, last->day) - 4, y_of(&fr, last->value) - 8, "last", "end",
			   "last ", last->value, fr.y.decimals + 1);
	}
	if (c->nfc) {
		const struct chart_step *end = &c->fc[c->nfc - 1];
		double x = SVG_W - PAD_RIGHT + 6;

		fprintf(f, "<polyline class=\"forecast\" data-points=\"%zu\" points=\"", c->nfc);
		for (size_t i = 0; i < c->nfc; i++)
			fprintf(f, "%.1f,%.1f%s", x_of(&fr, c->fc[i].day), y_of(&fr, c->fc[i].pred),
				i + 1 < c->nfc ? " " : "");
		fputs("\"/>\n", f);
		if (c->nfc == 1)
			lone_point(f, "forecast", x_of(&fr, end->day), y_of(&fr, end->pred));
		value_text(f, x, y_of(&fr, end->pred) + 4, "pred", "start", "", end->pred,
			   fr.y.decimals + 1);
		if (!isnan(end->lo)) {
			value_text(f, x, fmin(y_of(&fr, end->hi) + 4, y_of(&fr, end->pred) - 10), "bound",
				   "start", "hi ", end->hi, fr.y.decimals + 1);
			value_text(f, x, fmax(y_of(&fr, end->lo) + 4, y_of(&fr, end->pred) + 18), "bound",
				   "start", "lo ", end->lo, fr.y.decimals + 1);
		}
	}
	fputs("</svg>\n", f);
}
