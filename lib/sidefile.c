/*
 * sidefile: small files read whole (see sidefile.h).
 */
#include "sidefile.h"

int sidefile_read(const char *path, const struct reader_options *ro, const char *const *names,
		  const char *const *why, size_t n, sidefile_row_fn fn, void *ctx, int *format,
		  struct adash_err *e)
{
	struct reader *r;
	const struct field *rec;
	long cols[SIDEFILE_MAX_COLUMNS];
	int st, rc = -1;

	if (n > SIDEFILE_MAX_COLUMNS)
		return err_set(e, ADASH_EINTERNAL, "sidefile_read: %zu columns asked for", n);
	if (!(r = reader_open(path, ro, e)))
		return -1;
	if (format && *format == FORMAT_AUTO)
		*format = reader_format(r);
	if (reader_ncols(r) == 0) {
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		cols[i] = names[i] ? reader_col(r, names[i]) : -1;
		if (names[i] && cols[i] < 0 && why[i]) {
			err_set(e, ADASH_EDATA, "%s: no column \"%s\" (%s)", reader_name(r), names[i],
				why[i]);
			goto out;
		}
	}
	while ((st = reader_next(r, &rec, e)) != READ_EOF) {
		if (st != READ_OK || fn(ctx, r, rec, cols, e) < 0)
			goto out;
	}
	rc = 0;
out:
	reader_close(r);
	return rc;
}
