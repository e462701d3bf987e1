/*
 * Unit tests of lib/chart and lib/html, what adash-report's pages and
 * terminal charts stand on: round scales that cover the values with at
 * most the ticks asked for, date steps, escaping of every special
 * character, and page file names that are distinct, safe and need no
 * escaping.
 */
#include "chart.h"
#include "html.h"
#include "num.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void scale_is(double min, double max, int ticks, double lo, double hi, double step,
		     int decimals)
{
	struct chart_scale s;

	chart_scale_of(min, max, ticks, &s);
	ok(fabs(s.lo - lo) < 1e-9 && fabs(s.hi - hi) < 1e-9 && fabs(s.step - step) < 1e-12 &&
	   s.decimals == decimals,
	   "scale of [%g, %g], %d ticks: [%g, %g] by %g, %d decimals (got [%g, %g] by %g, %d)",
	   min, max, ticks, lo, hi, step, decimals, s.lo, s.hi, s.step, s.decimals);
	ok(s.lo <= min && s.hi >= max && s.nticks <= (ticks < 3 ? 3 : ticks) && s.nticks >= 2,
	   "  covers the values with %d ticks", s.nticks);
}

static char *escaped(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	html_puts(f, s);
	fclose(f);
	return out;
}

int main(void)
{
	struct buf b = BUF_INIT, c = BUF_INIT;
	char num[NUM_FORMAT_MAX], *e;

	scale_is(3, 97, 5, 0, 100, 25, 0);
	scale_is(1338.7, 1744.8, 5, 1200, 1800, 200, 0);
	scale_is(0.12, 0.87, 5, 0, 1, 0.25, 2);
	scale_is(-3.5, 2.2, 5, -4, 4, 2, 0);
	scale_is(-47.78, -47.312, 3, -48, -47, 0.5, 1);
	scale_is(5, 5, 5, 4.9, 5.1, 0.05, 2);
	scale_is(1000, 1000, 5, 900, 1100, 50, 0);
	/* a sweep: always round, covering, within the ticks asked for */
	for (int i = 1; i <= 200; i++) {
		struct chart_scale s;
		double lo = -50 + i * 0.37, hi = lo + i * i * 0.013;

		chart_scale_of(lo, hi, 3 + i % 6, &s);
		if (!(s.lo <= lo && s.hi >= hi && s.nticks <= 3 + i % 6 &&
		      fabs(s.lo / s.step - round(s.lo / s.step)) < 1e-9)) {
			ok(0, "sweep %d: [%g, %g] gave [%g, %g] by %g, %d ticks", i, lo, hi, s.lo, s.hi,
			   s.step, s.nticks);
			break;
		}
		if (i == 200)
			ok(1, "200 ranges: every scale round, covering, within its ticks");
	}
	/* fewer than three ticks are three: two cannot cover a range
	 * across zero, where every step's ticks meet */
	scale_is(-5, 5, 2, -5, 5, 5, 0);
	scale_is(0, 0, 2, -1, 1, 1, 0);
	/* finite whatever the values: the range of the largest doubles
	 * overflows, and subnormal ones underflow a step */
	{
		static const double ends[][2] = { { -1.7e308, 1.7e308 }, { 5e-324, 1e-323 },
						  { -1e300, 1.7e308 }, { 1e-300, 2e-300 } };

		for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
			struct chart_scale s;

			chart_scale_of(ends[i][0], ends[i][1], 5, &s);
			ok(isfinite(s.lo) && isfinite(s.hi) && s.step > 0 && isfinite(s.step) &&
			   s.hi > s.lo && s.nticks >= 2 && s.nticks <= 5 && chart_clamp(&s, ends[i][1]) <= s.hi,
			   "[%g, %g]: a finite scale [%g, %g] by %g, %d ticks", ends[i][0], ends[i][1],
			   s.lo, s.hi, s.step, s.nticks);
		}
	}
	chart_format_value(1250, 0, num);
	is_str(num, "1250", "a tick without decimals");
	chart_format_value(0.25, 2, num);
	is_str(num, "0.25", "a tick with two decimals");

	is_int(chart_day_step(13, 5), 7, "two weeks: a tick a week");
	is_int(chart_day_step(3, 5), 1, "four days: every day");
	is_int(chart_day_step(69, 4), 28, "70 days, 4 ticks: every 28 days");
	is_int(chart_day_step(3000, 4), 1092, "eight years: three years apart");

	e = escaped("<script>alert(\"x\" & 'y')</script>");
	is_str(e, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
	       "every special character escaped");
	free(e);
	e = escaped("plain text, caf\xc3\xa9");
	is_str(e, "plain text, caf\xc3\xa9", "other text as it is");
	free(e);

	html_file_name(&b, "u017", 4);
	is_str(b.data, "u017.html", "a plain id is its own name");
	html_file_name(&b, "../etc/passwd", 13);
	is_str(b.data, "_2e_2e_2fetc_2fpasswd.html", "no slash, no leading dot");
	html_file_name(&b, "a_2e", 4);
	html_file_name(&c, "a.", 2);
	ok(strcmp(b.data, c.data) != 0, "an id that looks encoded differs from the one encoded (%s, %s)",
	   b.data, c.data);
	html_file_name(&b, "x\"y z<", 6);
	is_str(b.data, "x_22y_20z_3c.html", "quotes, spaces and brackets encoded");
	html_file_name(&b, "", 0);
	is_str(b.data, ".html", "the empty id");
	buf_free(&b);
	buf_free(&c);
	return tap_done();
}
