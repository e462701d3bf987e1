/*
 * Unit tests of lib/privacy: keyed pseudonyms (HMAC-SHA-256, checked against
 * RFC 4231 test cases 6 and 7 and values computed with Python's hmac module)
 * and id sets for --forget and --consent.
 */
#include "privacy.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *paths[32];
static int npaths;

/* Writes len bytes to a new temporary file and returns its name. */
static const char *temp_file(const void *data, size_t len)
{
	char *path = strdup("/tmp/adash-test-privacy-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len)) {
		perror("temporary file");
		exit(99);
	}
	close(fd);
	paths[npaths++] = path;
	return path;
}

#define TEMP(lit) temp_file(lit, sizeof lit - 1)

static void remove_temp_files(void)
{
	for (int i = 0; i < npaths; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
}

/* ---- pseudonyms ------------------------------------------------------------- */

static void pseudo_is(const struct pseudonymizer *p, const char *s, size_t len, const char *want,
		      const char *what)
{
	struct buf out = BUF_INIT;

	buf_addstr(&out, "old contents that must go");
	pseudonymize(p, s, len, &out);
	is_str(out.data, want, "%s", what);
	is_int(out.len, 64, "%s: 64 hex digits", what);
	buf_free(&out);
}

static void test_pseudonyms(void)
{
	struct pseudonymizer p;
	struct adash_err e;
	unsigned char key[4097];
	static const char tc6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char tc7[] =
		"This is a test using a larger than block-size key and a larger than block-size data. "
		"The key needs to be hashed before being used by the HMAC algorithm.";
	const char *path;

	/* RFC 4231 test cases 6 and 7: a 131-byte key of 0xaa */
	memset(key, 0xaa, 131);
	path = temp_file(key, 131);
	err_clear(&e);
	is_int(pseudonymizer_init(&p, path, &e), 0, "a 131-byte key loads");
	pseudo_is(&p, tc6, sizeof tc6 - 1,
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
		  "RFC 4231 test case 6");
	pseudo_is(&p, tc7, sizeof tc7 - 1,
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
		  "RFC 4231 test case 7");

	/* the key is the whole file, byte for byte, newline included */
	path = TEMP("0123456789abcdef\n");
	is_int(pseudonymizer_init(&p, path, &e), 0, "a 17-byte key with a newline loads");
	pseudo_is(&p, "user42", 6, "099970da27caa2a9c5a6c20548ad18dc102de98c035861711bbe61c69c2259f8",
		  "key file with its newline: user42");
	pseudo_is(&p, "user42", 6, "099970da27caa2a9c5a6c20548ad18dc102de98c035861711bbe61c69c2259f8",
		  "the same value gives the same pseudonym again");
	pseudo_is(&p, "", 0, "544440e05bd046884a9e72cf9d53447c2592291a4852079fb1789b79791ff595",
		  "the empty value");
	pseudo_is(&p, "a\0b", 3, "2d1a98ad5532a89dfc1f972518298ba044765f35a98918208ae94ed5861f73ae",
		  "a value with a NUL byte is hashed in full");
	{
		struct buf a = BUF_INIT, b = BUF_INIT;
		pseudonymize(&p, "user42", 6, &a);
		pseudonymize(&p, "user43", 6, &b);
		ok(strcmp(a.data, b.data) != 0, "different values give different pseudonyms");
		pseudonymize(&p, "user42", 5, &b);
		ok(strcmp(a.data, b.data) != 0, "the length bounds the value");
		buf_free(&a);
		buf_free(&b);
	}

	/* exactly the minimum */
	path = TEMP("0123456789abcdef");
	is_int(pseudonymizer_init(&p, path, &e), 0, "a 16-byte key (the minimum) loads");
	pseudo_is(&p, "user42", 6, "7906bd973161f0fa5f7acc3999fc5ef5e0bce03c558fe72b91ee3a7a5470a5bc",
		  "16-byte key: user42 (the newline made a different key)");

	/* too short, empty, missing, too long, a directory */
	path = TEMP("0123456789abcde");
	err_clear(&e);
	is_int(pseudonymizer_init(&p, path, &e), -1, "a 15-byte key is refused");
	ok(e.code == ADASH_EDATA && strstr(e.msg, path) && strstr(e.msg, "too short"),
	   "a 15-byte key: code 1, names the file, says too short");
	printf("# %s\n", e.msg);
	path = TEMP("");
	err_clear(&e);
	ok(pseudonymizer_init(&p, path, &e) == -1 && e.code == ADASH_EDATA, "an empty key file: code 1");
	err_clear(&e);
	ok(pseudonymizer_init(&p, "/nonexistent-adash/key", &e) == -1 && e.code == ADASH_EIO &&
	   strstr(e.msg, "/nonexistent-adash/key"), "a missing key file: code 3, names the file");
	memset(key, 'k', sizeof key);
	path = temp_file(key, 4096);
	is_int(pseudonymizer_init(&p, path, &e), 0, "a 4096-byte key loads");
	path = temp_file(key, 4097);
	err_clear(&e);
	ok(pseudonymizer_init(&p, path, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, "longer"),
	   "a 4097-byte key: code 1, too long");
	err_clear(&e);
	ok(pseudonymizer_init(&p, "/tmp", &e) == -1 && e.code == ADASH_EIO,
	   "a directory as key file: code 3");
	printf("# %s\n", e.msg);
}

/* ---- id sets ------------------------------------------------------------------ */

static int has(const struct idset *s, const char *id)
{
	return idset_has(s, id, strlen(id));
}

static void test_idsets(void)
{
	struct idset s;
	struct adash_err e;
	const char *path;

	/* CSV */
	path = TEMP("name,user_id\nAnn,u1\nBob,u2\n\nCy,u3\nDee,\nEve,NA\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 0, &e), 0, "a CSV id file loads");
	ok(has(&s, "u1") && has(&s, "u2") && has(&s, "u3"), "CSV: every listed id is in the set");
	ok(!has(&s, "u4") && !has(&s, "U1") && !has(&s, "u") && !has(&s, "Ann"),
	   "CSV: other values are not");
	ok(!has(&s, "") && !has(&s, "NA"), "CSV: missing ids (empty, NA) are not in the set");
	is_int(hashmap_count(&s.ids), 3, "CSV: three ids");
	idset_free(&s);

	/* ids are trimmed like schema string values */
	path = TEMP("user_id\n u1 \n\tu2\n\" u3\t\"\nu4\r\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 0, &e), 0, "an id file with padded ids loads");
	ok(has(&s, "u1") && has(&s, "u2") && has(&s, "u3") && has(&s, "u4") && !has(&s, " u1 "),
	   "ids are trimmed of blanks (and a CRLF line end)");
	is_int(hashmap_count(&s.ids), 4, "padded ids: four ids");
	idset_free(&s);

	/* NDJSON, ids of any JSON scalar type */
	path = TEMP("{\"user_id\":\"u1\",\"x\":1}\n{\"user_id\":42,\"x\":2}\n\n{\"user_id\":null,\"x\":3}\n"
			 "{\"x\":4,\"user_id\":\"u9\"}\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 0, &e), 0, "an NDJSON id file loads");
	if (e.code)
		printf("# %s\n", e.msg);
	ok(has(&s, "u1") && has(&s, "42") && has(&s, "u9"), "NDJSON: string and number ids");
	is_int(hashmap_count(&s.ids), 3, "NDJSON: null ids are skipped");
	idset_free(&s);

	/* the id column must exist */
	path = TEMP("id,name\nu1,Ann\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 0, &e), -1, "a file without the id column is refused");
	ok(e.code == ADASH_EDATA && strstr(e.msg, path) && strstr(e.msg, "\"user_id\""),
	   "missing column: code 1, names the file and the column");
	printf("# %s\n", e.msg);
	idset_free(&s);

	path = TEMP("u1\nu2\nu3\n");
	err_clear(&e);
	ok(idset_load(&s, path, "user_id", 0, &e) == -1 && e.code == ADASH_EDATA,
	   "a bare list of ids (no header) is refused, not read as an empty set");
	idset_free(&s);

	path = TEMP("");
	err_clear(&e);
	ok(idset_load(&s, path, "user_id", 0, &e) == -1 && e.code == ADASH_EDATA,
	   "an empty file is refused");
	idset_free(&s);

	path = TEMP("{\"id\":\"u1\"}\n");
	err_clear(&e);
	ok(idset_load(&s, path, "user_id", 0, &e) == -1 && e.code == ADASH_EDATA,
	   "an NDJSON file without the id key is refused");
	idset_free(&s);

	err_clear(&e);
	ok(idset_load(&s, "/nonexistent-adash/ids.csv", "user_id", 0, &e) == -1 && e.code == ADASH_EIO,
	   "a missing id file: code 3");
	idset_free(&s);

	path = TEMP("user_id,x\nu1,1\nu2\nu3,3\n");
	err_clear(&e);
	ok(idset_load(&s, path, "user_id", 0, &e) == -1 && e.code == ADASH_EDATA,
	   "an id file with a bad row is refused");
	printf("# %s\n", e.msg);
	idset_free(&s);

	/* consent */
	path = TEMP("user_id,consent\nu1,true\nu2,false\nu3,yes\nu4,0\nu5,\nu6,NA\nu7,1\nu8,N\nu9,TRUE\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 1, &e), 0, "a consent file loads");
	ok(has(&s, "u1") && has(&s, "u3") && has(&s, "u7") && has(&s, "u9"),
	   "consent: true, yes, 1, TRUE opt in");
	ok(!has(&s, "u2") && !has(&s, "u4") && !has(&s, "u8"), "consent: false, 0, N opt out");
	ok(!has(&s, "u5") && !has(&s, "u6"), "consent: a missing consent value is not consent");
	is_int(hashmap_count(&s.ids), 4, "consent: four users opted in");
	idset_free(&s);

	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 0, &e), 0, "the same file read as a forget list");
	is_int(hashmap_count(&s.ids), 9, "forget mode ignores the consent column");
	idset_free(&s);

	path = TEMP("user_id\nu1\nu2\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 1, &e), 0, "a consent file without a consent column loads");
	ok(has(&s, "u1") && has(&s, "u2"), "consent: listed users without a consent column opted in");
	idset_free(&s);

	path = TEMP("user_id,consent\nu1,true\nu2,maybe\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 1, &e), -1, "a consent value that is not a boolean is refused");
	ok(e.code == ADASH_EDATA && strstr(e.msg, path) && strstr(e.msg, ":3:") &&
	   strstr(e.msg, "consent") && strstr(e.msg, "maybe"),
	   "bad consent value: code 1, names file, line 3, column and value");
	printf("# %s\n", e.msg);
	idset_free(&s);

	path = TEMP("{\"user_id\":\"a\",\"consent\":true}\n{\"user_id\":\"b\",\"consent\":false}\n"
			 "{\"user_id\":\"c\",\"consent\":null}\n{\"user_id\":\"d\",\"consent\":\"yes\"}\n");
	err_clear(&e);
	is_int(idset_load(&s, path, "user_id", 1, &e), 0, "an NDJSON consent file loads");
	ok(has(&s, "a") && !has(&s, "b") && !has(&s, "c") && has(&s, "d"),
	   "NDJSON consent: true and \"yes\" opt in; false and null do not");
	idset_free(&s);
}

int main(void)
{
	test_pseudonyms();
	test_idsets();
	remove_temp_files();
	return tap_done();
}
