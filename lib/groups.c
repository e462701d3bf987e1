/* groups: see groups.h. */
#include "groups.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void groups_init(struct groups *g)
{
	memset(g, 0, sizeof *g);
	hashmap_init(&g->ended);
}

void groups_free(struct groups *g)
{
	hashmap_free(&g->ended, NULL);
	buf_free(&g->key);
	free(g->again_key);
	free(g->again_file);
	g->again_key = g->again_file = NULL;
}

int groups_next(struct groups *g, const char *key, size_t len, const char *file, long line,
		long *first)
{
	const struct hashmap_entry *en;
	int added;

	if (g->open && g->key.len == len && memcmp(g->key.data, key, len) == 0)
		return GROUP_SAME;
	if (g->open)
		hashmap_put(&g->ended, g->key.data, g->key.len, &added)->val.num = g->line;
	buf_reset(&g->key);
	buf_add(&g->key, key, len);
	g->open = 1;
	g->line = line;
	g->ngroups++;
	en = hashmap_get(&g->ended, key, len);
	if (!en)
		return GROUP_NEW;
	if (first)
		*first = (long)en->val.num;
	if (!g->again_key) {
		g->again_key = xstrndup(key, len);
		g->again_file = xstrdup(file ? file : "");
		g->again_line = line;
		g->again_first = (long)en->val.num;
	}
	return GROUP_AGAIN;
}

int groups_refuse(const struct groups *g, const char *col, const char *prog,
		  struct adash_err *e)
{
	char q[80];

	err_quote_value(q, sizeof q, g->again_key, strlen(g->again_key));
	return err_at(e, ADASH_EDATA, g->again_file, g->again_line, col,
		      "\"%s\" again, after the rows of other keys (its rows began at line %ld): --grouped needs the rows of each key together (sort by %s, or leave out --grouped and %s holds the whole input)",
		      q, g->again_first, col, prog);
}

void groups_note(const struct groups *g, FILE *out, const char *prog, const char *col)
{
	char q[80];

	if (!out)
		return;
	if (!g->again_key) {
		fprintf(out, "%s: held the whole input in memory; it was grouped by %s (%zu groups), so --grouped would have held one group at a time\n",
			prog, col, g->ngroups);
		return;
	}
	err_quote_value(q, sizeof q, g->again_key, strlen(g->again_key));
	fprintf(out, "%s: the input is not grouped by %s (\"%s\" again at %s:%ld, its rows began at line %ld): held the whole input in memory\n",
		prog, col, q, g->again_file, g->again_line, g->again_first);
}
