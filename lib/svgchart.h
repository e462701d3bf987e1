/*
 * svgchart: a chart (chart.h) as inline SVG for a page: the history line,
 * the forecast line, the interval as a band, a dashed line where the
 * forecast starts, value ticks on the left, date ticks below, and the last
 * observed value and the final prediction with its interval labelled.
 *
 * Coordinates are written with one decimal and the markup is fixed, so the
 * same chart gives the same bytes.  Every polyline and polygon carries its
 * number of points in data-points, which tests (and scripts) can read
 * without parsing the coordinates.
 */
#ifndef ADASH_SVGCHART_H
#define ADASH_SVGCHART_H

#include "chart.h"

#include <stdio.h>

/* Writes c as an <svg> element; title (text, escaped here) names it for
 * screen readers. */
void svgchart_write(FILE *f, const struct chart *c, const char *title);

#endif
