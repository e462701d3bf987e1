/* whatif: see whatif.h. */
#include "whatif.h"

#include "num.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int whatif_parse(const char *option, const char *arg, struct whatif *w, struct adash_err *e)
{
	const char *eq = strchr(arg, '=');
	const char *v;

	memset(w, 0, sizeof *w);
	if (!eq || eq == arg || !eq[1])
		return err_set(e, ADASH_EUSAGE, "%s: '%s' is not COL=VALUE, COL=*FACTOR or COL=+DELTA",
			       option, arg);
	v = eq + 1;
	w->op = WHATIF_VALUE;
	if (*v == '*') {
		w->op = WHATIF_SCALE;
		v++;
	} else if (*v == '+') {
		w->op = WHATIF_SHIFT;
		v++;
	}
	if (num_parse(v, strlen(v), &w->value) < 0 || !isfinite(w->value))
		return err_set(e, ADASH_EUSAGE, "%s: '%s': \"%s\" is not a number", option, arg, v);
	w->col = xstrndup(arg, (size_t)(eq - arg));
	return 0;
}

double whatif_apply(const struct whatif *w, double v)
{
	switch (w->op) {
	case WHATIF_SCALE: return v * w->value;
	case WHATIF_SHIFT: return v + w->value;
	default: return w->value;
	}
}

void whatif_free(struct whatif *w)
{
	free(w->col);
	w->col = NULL;
}
