/*
 * privacy: the data-protection operations of adash-ingest.
 *
 * idset: a set of user ids read from a file, for --forget (drop every row of
 * these users: the right to be forgotten) and --consent (keep only users who
 * opted in).  The file is CSV or NDJSON with a header; the ids are taken from
 * the column named like the data's user column.  A file without that column
 * is an error, never an empty set: reading a bare list of ids as a header
 * would silently forget nobody.  In a consent file an optional column
 * "consent" (a boolean) says whether each listed user opted in; users not
 * listed have not.
 *
 * pseudonymizer: replaces an identifier by the hex HMAC-SHA-256 of it under a
 * secret key (nettle's implementation), so the same user gets the same
 * pseudonym in every run and every file processed with the same key, joins
 * still work, and the mapping cannot be reversed or recomputed without the
 * key.  A plain hash was rejected: ids are guessable, so an unkeyed hash is
 * reversible by trying them all.
 */
#ifndef ADASH_PRIVACY_H
#define ADASH_PRIVACY_H

#include "buf.h"
#include "err.h"
#include "hashmap.h"

#include <nettle/hmac.h>

struct idset {
	struct hashmap ids;
};

/* Loads the ids in column `column` of file `path`; with consent_mode, only
 * ids whose "consent" column (when present) is true.  -1 with e. */
int idset_load(struct idset *s, const char *path, const char *column, int consent_mode,
	       struct adash_err *e);
int idset_has(const struct idset *s, const char *id, size_t len);
void idset_free(struct idset *s);

#define PSEUDONYM_KEY_MIN 16

struct pseudonymizer {
	struct hmac_sha256_ctx key;  /* keyed once; copied per value */
};

/* Reads the key: the whole file, byte for byte, at least PSEUDONYM_KEY_MIN
 * bytes.  -1 with e. */
int pseudonymizer_init(struct pseudonymizer *p, const char *key_file, struct adash_err *e);
/* Writes 64 lowercase hex digits for s into out. */
void pseudonymize(const struct pseudonymizer *p, const char *s, size_t len, struct buf *out);

#endif
