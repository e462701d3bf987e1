/* dedupe: see dedupe.h. */
#include "dedupe.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int dedupe_init(struct dedupe *d, char *const *names, size_t n,
		const char *const *names_in, size_t ncols_in, struct adash_err *e)
{
	memset(d, 0, sizeof *d);
	hashmap_init(&d->seen);
	d->cols = xcalloc(n, sizeof *d->cols);
	d->ncols = n;
	for (size_t i = 0; i < n; i++) {
		long k = names_index(names_in, ncols_in, names[i]);
		if (k < 0) {
			dedupe_free(d);
			return err_set(e, ADASH_EDATA, "--dedupe: no column \"%s\" in the input", names[i]);
		}
		d->cols[i] = (size_t)k;
	}
	return 0;
}

int dedupe_seen(struct dedupe *d, const struct field *row)
{
	int added;

	buf_reset(&d->key);
	for (size_t i = 0; i < d->ncols; i++) {
		const struct field *f = &row[d->cols[i]];
		uint64_t len = f->len;
		buf_add(&d->key, &len, sizeof len);
		buf_add(&d->key, f->s, f->len);
	}
	hashmap_put(&d->seen, d->key.data, d->key.len, &added);
	return !added;
}

void dedupe_free(struct dedupe *d)
{
	hashmap_free(&d->seen, NULL);
	buf_free(&d->key);
	free(d->cols);
	memset(d, 0, sizeof *d);
}
