/*
 * termchart: a chart (chart.h) as lines of text for a terminal.
 *
 * The plot is drawn on a grid of dots: braille characters give each
 * character cell 2 x 4 dots (plain ASCII, one dot per cell).  Days map to
 * dot columns evenly, values to dot rows on the chart's round scale; the
 * history and the forecast are one line, joined point to point so steep
 * moves stay connected; the interval shades the cells of forecast days
 * between its bounds that the line leaves empty.  Round values label the
 * left edge, the final prediction and the interval's bounds the right
 * edge, and the first date, the first forecast date and the last date the
 * bottom; a heading line says the last observed value and the final
 * prediction with its interval.
 *
 * When the days do not fit the width, the oldest history is left out: the
 * forecast is what the chart is for.  Rejected: colour (lost in files,
 * pipes and golden tests) and curses (a chart must print to a pipe).
 */
#ifndef ADASH_TERMCHART_H
#define ADASH_TERMCHART_H

#include "chart.h"

#include <stdio.h>

struct termchart_options {
	int width;    /* columns of the whole chart, labels included */
	int height;   /* rows of the plot */
	int ascii;    /* plain ASCII instead of braille and box drawing */
};

/* Writes s as text for a terminal: control characters (C0, DEL and C1,
 * which could move the cursor or recolour the screen: an escape sequence
 * in a key or a title must not run) are written as '?'. */
void term_text(FILE *f, const char *s);

/* Writes c's chart; title (term_text) heads it. */
void termchart_write(FILE *f, const struct chart *c, const char *title,
		     const struct termchart_options *o);

#endif
