/* privacy: see privacy.h. */
#include "privacy.h"
#include "reader.h"
#include "schema.h"
#include "xalloc.h"

#include <errno.h>
#include <nettle/base16.h>
#include <stdio.h>
#include <string.h>

int idset_load(struct idset *s, const char *path, const char *column, int consent_mode,
	       struct adash_err *e)
{
	struct reader *r;
	const struct field *rec;
	long col, consent_col = -1;
	int st;

	hashmap_init(&s->ids);
	r = reader_open(path, NULL, e);
	if (!r) {
		idset_free(s);
		return -1;
	}
	col = reader_col(r, column);
	if (col < 0) {
		err_at(e, ADASH_EDATA, path, 0, NULL,
		       "no column \"%s\" (the file needs a header naming the id column)", column);
		reader_close(r);
		idset_free(s);
		return -1;
	}
	if (consent_mode)
		consent_col = reader_col(r, "consent");
	while ((st = reader_next(r, &rec, e)) == READ_OK) {
		if (field_is_missing(&rec[col]))
			continue;
		if (consent_col >= 0) {
			static const struct schema_column as_bool = { .name = "consent", .type = TYPE_BOOL };
			struct buf b = BUF_INIT;
			char why[200];
			int rc = schema_normalize(&as_bool, &rec[consent_col], &b, why, sizeof why);
			int yes = rc == 0 && b.data[0] == '1';

			buf_free(&b);
			if (rc < 0) {
				err_at(e, ADASH_EDATA, path, reader_line(r), "consent", "%s", why);
				reader_close(r);
				idset_free(s);
				return -1;
			}
			if (!yes)
				continue;
		}
		{
			/* trimmed like schema values, so " u1" matches u1 */
			const char *id = rec[col].s;
			size_t n = rec[col].len;
			field_trim(&id, &n);
			if (n > 0)
				hashmap_put(&s->ids, id, n, NULL);
		}
	}
	reader_close(r);
	/* an id list with a bad row is not trustworthy: refuse it */
	if (st != READ_EOF) {
		idset_free(s);
		return -1;
	}
	return 0;
}

int idset_has(const struct idset *s, const char *id, size_t len)
{
	return hashmap_get(&s->ids, id, len) != NULL;
}

void idset_free(struct idset *s)
{
	hashmap_free(&s->ids, NULL);
}

int pseudonymizer_init(struct pseudonymizer *p, const char *key_file, struct adash_err *e)
{
	unsigned char key[4096];
	size_t n;
	FILE *f = fopen(key_file, "rb");

	if (!f)
		return err_set(e, ADASH_EIO, "%s: %s", key_file, strerror(errno));
	n = fread(key, 1, sizeof key, f);
	if (ferror(f)) {
		fclose(f);
		return err_set(e, ADASH_EIO, "%s: read error: %s", key_file, strerror(errno));
	}
	if (n == sizeof key && fgetc(f) != EOF) {
		fclose(f);
		return err_set(e, ADASH_EDATA, "%s: key file longer than %zu bytes", key_file, sizeof key);
	}
	fclose(f);
	if (n < PSEUDONYM_KEY_MIN)
		return err_set(e, ADASH_EDATA,
			       "%s: key of %zu bytes is too short (at least %d; e.g. head -c 32 /dev/urandom > KEYFILE)",
			       key_file, n, PSEUDONYM_KEY_MIN);
	hmac_sha256_set_key(&p->key, n, key);
	memset(key, 0, sizeof key);
	return 0;
}

void pseudonymize(const struct pseudonymizer *p, const char *s, size_t len, struct buf *out)
{
	struct hmac_sha256_ctx ctx = p->key;
	uint8_t digest[SHA256_DIGEST_SIZE];

	hmac_sha256_update(&ctx, len, (const uint8_t *)s);
	hmac_sha256_digest(&ctx, sizeof digest, digest);
	buf_reset(out);
	buf_reserve(out, BASE16_ENCODE_LENGTH(sizeof digest));
	base16_encode_update(out->data, sizeof digest, digest);  /* lowercase hex */
	out->len = BASE16_ENCODE_LENGTH(sizeof digest);
	out->data[out->len] = '\0';
}
