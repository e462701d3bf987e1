/*
 * whatif: "what if this column were different": COL=VALUE, COL=*FACTOR or
 * COL=+DELTA, as adash-forecast --set and adash-explain --what-if take
 * them, parsed and applied the same way in both.
 */
#ifndef ADASH_WHATIF_H
#define ADASH_WHATIF_H

#include "err.h"

enum whatif_op { WHATIF_VALUE = 0, WHATIF_SCALE, WHATIF_SHIFT };

struct whatif {
	char *col;
	int op;           /* enum whatif_op */
	double value;
};

/* Parses arg for option (named in messages, "--set").  0, or -1 with e
 * (code 2). */
int whatif_parse(const char *option, const char *arg, struct whatif *w, struct adash_err *e);

/* The value v becomes. */
double whatif_apply(const struct whatif *w, double v);

void whatif_free(struct whatif *w);

#endif
