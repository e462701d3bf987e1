/*
 * Unit tests of the small core modules of lib/: buf, err, rng, atomicfile,
 * dedupe, infer, accounting and validate.
 */
#include "accounting.h"
#include "atomicfile.h"
#include "buf.h"
#include "dedupe.h"
#include "err.h"
#include "hashmap.h"
#include "infer.h"
#include "reader.h"
#include "rng.h"
#include "schema.h"
#include "utf8.h"
#include "validate.h"
#include "writer.h"
#include "tap.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/adash-test-core-XXXXXX";

/* A path inside the test's temporary directory (static buffers, rotating). */
static const char *in_tmp(const char *name)
{
	static char paths[8][256];
	static int which;
	char *p = paths[which++ % 8];

	snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
	return p;
}

/* The whole file, or NULL when it cannot be read. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (!b.data)
		buf_addstr(&b, "");
	return buf_detach(&b, NULL);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Number of entries in tmpdir whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
	char cmd[512];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^%s' || true", tmpdir, prefix);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/* ---- buf ------------------------------------------------------------------- */

static void test_buf(void)
{
	struct buf b = BUF_INIT, c;
	char *p;
	size_t len = 99;

	ok(b.data == NULL && b.len == 0 && b.cap == 0, "BUF_INIT is empty and owns nothing");
	buf_add(&b, "", 0);
	ok(b.data && b.data[0] == '\0' && b.len == 0, "adding nothing still gives a terminated string");
	buf_addstr(&b, "hello");
	buf_addch(&b, ' ');
	buf_add(&b, "world!!", 5);
	is_str(b.data, "hello world", "buf_addstr, buf_addch, buf_add");
	is_int(b.len, 11, "len counts the bytes, not the NUL");
	buf_add(&b, "a\0b", 3);
	ok(b.len == 14 && memcmp(b.data + 11, "a\0b", 3) == 0 && b.data[14] == '\0',
	   "binary bytes with a NUL are kept, then terminated");
	buf_reset(&b);
	ok(b.len == 0 && b.data && b.data[0] == '\0' && b.cap > 0, "buf_reset empties and keeps memory");
	buf_printf(&b, "%d-%s", 42, "x");
	buf_printf(&b, "|%05.1f", 3.14159);
	is_str(b.data, "42-x|003.1", "buf_printf appends");
	{
		char big[5000];
		memset(big, 'z', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		buf_reset(&b);
		buf_addstr(&b, "<");
		buf_printf(&b, "%s>", big);
		ok(b.len == 5001 && b.data[0] == '<' && b.data[5000] == '>' && b.data[5001] == '\0' &&
		   strspn(b.data + 1, "z") == 4999, "buf_printf of 5000 bytes (past the first guess)");
	}
	buf_reserve(&b, 100000);
	ok(b.cap >= b.len + 100001 && b.len == 5001, "buf_reserve grows capacity, not length");
	p = buf_detach(&b, &len);
	ok(p && len == 5001 && p[0] == '<' && b.data == NULL && b.len == 0 && b.cap == 0,
	   "buf_detach hands over the contents and leaves the buffer empty");
	free(p);
	p = buf_detach(&b, &len);
	ok(p && p[0] == '\0' && len == 0, "buf_detach of an empty buffer gives \"\"");
	free(p);
	buf_init(&c);
	for (int i = 0; i < 1 << 20; i++)
		buf_addch(&c, (char)('a' + i % 26));
	ok(c.len == 1 << 20 && c.data[c.len] == '\0' && c.data[(1 << 20) - 1] == 'a' + ((1 << 20) - 1) % 26,
	   "a megabyte one byte at a time");
	buf_free(&c);
	ok(c.data == NULL && c.len == 0, "buf_free leaves an empty buffer");
	buf_free(&c);
	ok(1, "buf_free twice is harmless");
}

/* ---- err ------------------------------------------------------------------- */

static void test_err(void)
{
	struct adash_err e;
	char out[64], longname[2000];

	err_clear(&e);
	ok(e.code == 0 && e.msg[0] == '\0' && e.detail == 0, "err_clear");
	is_int(err_set(&e, ADASH_EUSAGE, "bad --%s '%d'", "k", 7), -1, "err_set returns -1");
	ok(e.code == 2 && strcmp(e.msg, "bad --k '7'") == 0 && e.detail == 0, "err_set fills code and message");

	is_int(err_at(&e, ADASH_EDATA, "sales.csv", 17, "price", "\"%s\" is not a number", "abc"), -1,
	       "err_at returns -1");
	is_str(e.msg, "sales.csv:17: column \"price\": \"abc\" is not a number", "err_at: file:line: column");
	is_int(e.code, 1, "err_at: code");
	is_str(e.msg + e.detail, "column \"price\": \"abc\" is not a number",
	       "err_at: detail skips \"file:line: \"");
	err_at(&e, ADASH_EDATA, "sales.csv", 0, "price", "x");
	is_str(e.msg, "sales.csv: column \"price\": x", "err_at: line 0 is left out");
	is_str(e.msg + e.detail, "column \"price\": x", "err_at: detail without a line");
	err_at(&e, ADASH_EDATA, "sales.csv", 3, NULL, "ragged");
	is_str(e.msg, "sales.csv:3: ragged", "err_at: a NULL column is left out");
	err_at(&e, ADASH_EIO, "f", 0, NULL, "gone");
	is_str(e.msg, "f: gone", "err_at: file only");
	err_at(&e, ADASH_EDATA, NULL, 0, NULL, "plain");
	ok(strcmp(e.msg, "plain") == 0 && e.detail == 0, "err_at: no file, no line, no column");

	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	err_at(&e, ADASH_EDATA, longname, 5, "c", "tail");
	ok(strlen(e.msg) < ADASH_ERR_MSG_MAX && e.detail < ADASH_ERR_MSG_MAX,
	   "err_at with a 2000-byte file name is truncated, not overflowed");
	err_at(&e, ADASH_EDATA, "f", 5, longname, "tail");
	ok(strlen(e.msg) < ADASH_ERR_MSG_MAX && strncmp(e.msg, "f:5: column \"nnn", 16) == 0,
	   "err_at with a 2000-byte column name is truncated");
	err_set(&e, 1, "%s", longname);
	is_int(strlen(e.msg), ADASH_ERR_MSG_MAX - 1, "err_set truncates a long message");

	err_quote_value(out, sizeof out, "abc", 3);
	is_str(out, "abc", "err_quote_value: a short value as it is");
	err_quote_value(out, sizeof out, "a\tb\nc\x7f" "d\x01", 8);
	is_str(out, "a?b?c?d?", "err_quote_value: control characters become '?'");
	err_quote_value(out, sizeof out, "0123456789012345678901234567890123456789", 40);
	is_str(out, "0123456789012345678901234567890123456789", "err_quote_value: 40 bytes are shown whole");
	err_quote_value(out, sizeof out, "0123456789012345678901234567890123456789X", 41);
	is_str(out, "0123456789012345678901234567890123456789...", "err_quote_value: a cut value ends in ...");
	err_quote_value(out, 8, "abcdefghijklmnop", 16);
	ok(strlen(out) < 8 && strncmp(out, "abcdefg", strlen(out) < 7 ? strlen(out) : 7) == 0,
	   "err_quote_value: a small output buffer is not overrun");
	memcpy(out, "sentinel", 9);
	err_quote_value(out, 0, "abc", 3);
	is_str(out, "sentinel", "err_quote_value: outsz 0 writes nothing");
	err_quote_value(out, sizeof out, "ab\0cd", 5);
	is_str(out, "ab?cd", "err_quote_value: a NUL inside becomes '?'");
	/* a multi-byte character at the cut must not be split */
	{
		static const char v[] = "012345678901234567890123456789012345678\xC3\xA9xyz";
		err_quote_value(out, sizeof out, v, sizeof v - 1);
		ok(utf8_check(out, strlen(out)) == strlen(out) && strstr(out, "..."),
		   "err_quote_value: cutting valid UTF-8 leaves valid UTF-8");
		printf("# \"%s\"\n", out);
	}
}

/* ---- rng ------------------------------------------------------------------- */

static void test_rng(void)
{
	struct rng a, b;
	int same = 1, differ = 0;
	unsigned long first[4];
	struct hashmap seen;
	int collisions = 0;
	const int nstreams = 200000;

	rng_init(&a, 42);
	rng_init(&b, 42);
	for (int i = 0; i < 1000; i++)
		if (gsl_rng_get(a.r) != gsl_rng_get(b.r))
			same = 0;
	ok(same, "the same seed gives the same 1000 numbers");
	rng_free(&a);
	rng_free(&b);

	rng_init(&a, 42);
	first[0] = gsl_rng_get(a.r);
	first[1] = gsl_rng_get(a.r);
	ok(first[0] == 1049905272UL && first[1] == 1714555978UL,
	   "seed 42 gives the same numbers as in every earlier run (taus2)");
	ok(strcmp(gsl_rng_name(a.r), "taus2") == 0, "the generator is taus2");
	rng_free(&a);
	ok(a.r == NULL, "rng_free clears the generator");
	rng_free(&a);

	rng_init(&a, 0);
	rng_init(&b, 1);
	first[0] = gsl_rng_get(a.r);
	first[1] = gsl_rng_get(b.r);
	ok(first[0] != first[1], "seeds 0 and 1 differ");
	rng_free(&a);
	rng_init(&a, UINT64_MAX);
	ok(gsl_rng_get(a.r) != first[0], "seed 2^64-1 differs from seed 0");
	rng_free(&a);
	rng_free(&b);

	/* rng_derive: SplitMix64 values computed independently in Python */
	ok(rng_derive(42, 7) == UINT64_C(2707671793207452428), "rng_derive(42, 7)");
	ok(rng_derive(0, 0) == UINT64_C(17448420733077208847), "rng_derive(0, 0)");
	ok(rng_derive(UINT64_MAX, UINT64_MAX) == UINT64_C(432959632737005762), "rng_derive(max, max)");
	ok(rng_derive(42, 7) != rng_derive(42, 8) && rng_derive(42, 7) != rng_derive(43, 7) &&
	   rng_derive(1, 2) != rng_derive(2, 1), "rng_derive depends on seed, stream and their order");

	/* streams: the same wherever they are drawn */
	rng_init(&a, 5);
	rng_init(&b, 99);
	rng_reseed(&a, 42, 7);
	first[0] = gsl_rng_get(a.r);
	first[1] = gsl_rng_get(a.r);
	rng_reseed(&b, 42, 3);
	(void)gsl_rng_get(b.r);
	rng_reseed(&b, 42, 7);
	first[2] = gsl_rng_get(b.r);
	first[3] = gsl_rng_get(b.r);
	ok(first[0] == first[2] && first[1] == first[3], "stream 7 of seed 42 is the same whatever came before");
	rng_reseed(&b, 42, 8);
	differ = gsl_rng_get(b.r) != first[0];
	ok(differ, "stream 8 differs from stream 7");

	/* independent streams: no two of 200000 streams may be the same
	 * (a million synthetic users each get one) */
	hashmap_init(&seen);
	for (int s = 0; s < nstreams; s++) {
		uint64_t k;
		int added;
		rng_reseed(&a, 42, (uint64_t)s);
		k = (uint64_t)gsl_rng_get(a.r) << 32 | gsl_rng_get(a.r);
		hashmap_put(&seen, (const char *)&k, sizeof k, &added);
		if (!added)
			collisions++;
	}
	is_int(collisions, 0, "200000 streams of one seed all start differently (first 64 bits)");
	hashmap_free(&seen, NULL);
	hashmap_init(&seen);
	collisions = 0;
	for (int s = 0; s < nstreams; s++) {
		uint64_t k;
		int added;
		rng_free(&b);
		rng_init(&b, (uint64_t)s);
		k = (uint64_t)gsl_rng_get(b.r) << 32 | gsl_rng_get(b.r);
		hashmap_put(&seen, (const char *)&k, sizeof k, &added);
		if (!added)
			collisions++;
	}
	is_int(collisions, 0, "seeds 0..199999 all start differently (first 64 bits)");
	hashmap_free(&seen, NULL);
	rng_free(&a);
	rng_free(&b);
}

/* ---- atomicfile ---------------------------------------------------------------- */

static void test_atomicfile(void)
{
	struct atomic_file af;
	struct adash_err e;
	char path[300];
	char *text, *tmpname;
	struct stat st;
	mode_t old = umask(022);

	snprintf(path, sizeof path, "%s/model.json", tmpdir);

	err_clear(&e);
	is_int(atomic_open(&af, path, &e), 0, "atomic_open");
	ok(af.fp && af.tmp && exists(af.tmp) && !exists(path), "the temporary file exists, the final one not yet");
	ok(strncmp(af.tmp, tmpdir, strlen(tmpdir)) == 0 && strstr(af.tmp, "/.model.json.") != NULL,
	   "the temporary file is a hidden name beside the final one");
	tmpname = strdup(af.tmp);
	fputs("{\"v\": 1}\n", af.fp);
	is_int(atomic_commit(&af, &e), 0, "atomic_commit");
	text = read_file(path);
	is_str(text, "{\"v\": 1}\n", "the committed file has the contents");
	free(text);
	ok(!exists(tmpname), "the temporary file is gone after commit");
	free(tmpname);
	ok(af.fp == NULL && af.tmp == NULL && af.path == NULL, "a committed atomic_file is cleared");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "the file mode follows the umask (0644)");
	is_int(atomic_commit(&af, &e), 0, "committing again does nothing");

	/* replacing, and aborting */
	atomic_open(&af, path, &e);
	fputs("half", af.fp);
	tmpname = strdup(af.tmp);
	atomic_abort(&af);
	text = read_file(path);
	is_str(text, "{\"v\": 1}\n", "atomic_abort leaves the old file untouched");
	free(text);
	ok(!exists(tmpname), "atomic_abort removes the temporary file");
	free(tmpname);
	atomic_abort(&af);
	ok(1, "aborting twice is harmless");
	atomic_open(&af, path, &e);
	fputs("new", af.fp);
	atomic_commit(&af, &e);
	text = read_file(path);
	is_str(text, "new", "commit replaces an existing file");
	free(text);

	/* failures */
	err_clear(&e);
	ok(atomic_open(&af, in_tmp("no/such/dir/f"), &e) == -1 && e.code == ADASH_EIO &&
	   strstr(e.msg, "no/such/dir/f") && af.fp == NULL, "a missing directory: code 3, names the file");
	err_clear(&e);
	ok(atomic_open(&af, in_tmp("sub/"), &e) == -1 && e.code == ADASH_EIO, "a path ending in '/': code 3");
	mkdir(in_tmp("adir"), 0755);
	err_clear(&e);
	ok(atomic_open(&af, in_tmp("adir"), &e) == -1 && e.code == ADASH_EIO && strstr(e.msg, "directory"),
	   "an existing directory as target: code 3");
	rmdir(in_tmp("adir"));
	/* the rename fails when a directory appears at the target meanwhile */
	if (atomic_open(&af, in_tmp("late"), &e) == 0) {
		fputs("data", af.fp);
		tmpname = strdup(af.tmp);
		mkdir(in_tmp("late"), 0755);
		mkdir(in_tmp("late/x"), 0755);
		err_clear(&e);
		ok(atomic_commit(&af, &e) == -1 && e.code == ADASH_EIO && strstr(e.msg, "late"),
		   "a commit that cannot rename: code 3, names the file");
		ok(!exists(tmpname), "a failed commit removes the temporary file");
		free(tmpname);
		rmdir(in_tmp("late/x"));
		rmdir(in_tmp("late"));
	} else {
		ok(0, "atomic_open late: %s", e.msg);
	}
	/* targets that are not plain files are written directly */
	{
		const char *real = in_tmp("real.txt"), *link = in_tmp("link.txt");
		struct stat lst;
		FILE *f = fopen(real, "w");
		fputs("old", f);
		fclose(f);
		if (symlink("real.txt", link) == 0) {
			ok(atomic_open(&af, link, &e) == 0, "atomic_open through a symbolic link");
			fputs("through the link", af.fp);
			is_int(atomic_commit(&af, &e), 0, "commit through a symbolic link");
			ok(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode), "the symbolic link is still a link");
			text = read_file(real);
			is_str(text, "through the link", "the link's target has the contents");
			free(text);
			ok(count_prefixed(".link.txt") == 0, "no temporary file beside the link");
			unlink(link);
		}
		unlink(real);
		ok(atomic_open(&af, "/dev/null", &e) == 0 && af.tmp == NULL, "/dev/null is written directly");
		fputs("discarded", af.fp);
		ok(atomic_commit(&af, &e) == 0 && stat("/dev/null", &lst) == 0 && S_ISCHR(lst.st_mode),
		   "/dev/null stays a device after commit");
	}
	umask(old);

	/* a killed run and a failing exit leave nothing behind */
	for (int how = 0; how < 2; how++) {
		int fds[2], status = 0;
		char name[300] = "";
		pid_t pid;

		if (pipe(fds) != 0)
			break;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			static struct atomic_file child;
			struct adash_err ce;
			close(fds[0]);
			if (atomic_open(&child, in_tmp(how ? "exit.out" : "killed.out"), &ce) < 0)
				_exit(9);
			fputs("partial", child.fp);
			fflush(child.fp);
			if (write(fds[1], child.tmp, strlen(child.tmp)) < 0)
				_exit(9);
			close(fds[1]);
			if (how)
				exit(3);
			raise(SIGTERM);
			_exit(8);
		}
		close(fds[1]);
		if (read(fds[0], name, sizeof name - 1) < 0)
			name[0] = '\0';
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (how)
			ok(WIFEXITED(status) && name[0] && !exists(name) && !exists(in_tmp("exit.out")),
			   "exit without commit removes the temporary file");
		else
			ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM && name[0] && !exists(name) &&
			   !exists(in_tmp("killed.out")),
			   "SIGTERM removes the temporary file and still kills");
	}
	unlink(path);
}

/* ---- dedupe -------------------------------------------------------------------- */

#define F(str) { str, sizeof str - 1, FIELD_TEXT }

static void test_dedupe(void)
{
	static const char *const in[] = { "a", "b", "c" };
	static char *keys[] = { (char *)"a", (char *)"c" };
	static char *bad[] = { (char *)"a", (char *)"zz" };
	struct dedupe d;
	struct adash_err e;
	const struct field r1[] = { F("1"), F("x"), F("2") }, r2[] = { F("1"), F("y"), F("2") },
			   r3[] = { F("1"), F("x"), F("3") }, r4[] = { F("ab"), F(""), F("c") },
			   r5[] = { F("a"), F(""), F("bc") }, r6[] = { F(""), F(""), F("") },
			   r7[] = { F("NA"), F(""), F("") }, r8[] = { F("ab"), F("q"), F("c") };

	err_clear(&e);
	is_int(dedupe_init(&d, keys, 2, in, 3, &e), 0, "dedupe_init on columns a, c");
	is_int(dedupe_seen(&d, r1), 0, "a first row is new");
	is_int(dedupe_seen(&d, r2), 1, "the same key (b differs, not a key) is a duplicate");
	is_int(dedupe_seen(&d, r3), 0, "a different c is new");
	is_int(dedupe_seen(&d, r4), 0, "(ab, c) is new");
	is_int(dedupe_seen(&d, r5), 0, "(a, bc) is not (ab, c)");
	is_int(dedupe_seen(&d, r6), 0, "empty values are a key");
	is_int(dedupe_seen(&d, r7), 0, "NA is not the empty value");
	is_int(dedupe_seen(&d, r8), 1, "(ab, c) again is a duplicate");
	is_int(dedupe_seen(&d, r1), 1, "the first row again is a duplicate");
	dedupe_free(&d);

	err_clear(&e);
	ok(dedupe_init(&d, bad, 2, in, 3, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, "\"zz\""),
	   "an unknown dedupe column: code 1, names it");
	/* a failed dedupe_init has freed what it allocated (lib/dedupe.c) */
}

/* ---- infer ------------------------------------------------------------------------ */

static void test_infer(void)
{
	static const char *const names[] = { "b", "i", "n", "d", "t", "e", "s", "m", "z", "f", "x" };
	const size_t nc = sizeof names / sizeof *names;
	static const char *const colors[] = { "red", "green", "blue" };
	struct inferrer in;
	struct schema s;
	char v[11][40];
	struct field row[11];

	infer_init(&in, names, nc);
	for (int i = 0; i < 20; i++) {
		snprintf(v[0], 40, "%s", i % 2 ? "yes" : "No");
		snprintf(v[1], 40, "%d", i * 3);
		snprintf(v[2], 40, "%g", i - 5.5);
		snprintf(v[3], 40, "2024-01-%02d", i + 1);
		snprintf(v[4], 40, "2024-01-01T00:00:%02dZ", i);
		snprintf(v[5], 40, "%s", colors[i % 3]);
		snprintf(v[6], 40, "id%d", i);
		snprintf(v[7], 40, "%s", i % 4 == 0 ? (i % 8 ? "NA" : "") : "7");
		v[8][0] = '\0';
		snprintf(v[9], 40, "%s", i % 2 ? "1.5" : "2");
		snprintf(v[10], 40, "%d", i % 2);
		for (size_t c = 0; c < nc; c++)
			row[c] = (struct field){ v[c], strlen(v[c]), FIELD_TEXT };
		infer_row(&in, row);
	}
	infer_schema(&in, "guess", &s);
	is_str(s.name, "guess", "infer: schema name");
	is_int(s.ncols, nc, "infer: one column per input column");
	ok(s.cols[0].type == TYPE_BOOL && s.cols[0].required, "infer: yes/No is a required bool");
	ok(s.cols[1].type == TYPE_INT && s.cols[1].has_min && s.cols[1].min == 0, "infer: non-negative ints get min 0");
	ok(s.cols[2].type == TYPE_NUMBER && !s.cols[2].has_min, "infer: numbers with negatives have no min");
	is_int(s.cols[3].type, TYPE_DATE, "infer: dates");
	is_int(s.cols[4].type, TYPE_TIMESTAMP, "infer: timestamps");
	ok(s.cols[5].type == TYPE_ENUM && s.cols[5].nvalues == 3 && strcmp(s.cols[5].values[0], "red") == 0 &&
	   strcmp(s.cols[5].values[1], "green") == 0 && strcmp(s.cols[5].values[2], "blue") == 0,
	   "infer: 3 values seen 20 times are an enum, in first-seen order");
	is_int(s.cols[6].type, TYPE_STRING, "infer: 20 distinct ids are a string, not an enum");
	ok(s.cols[7].type == TYPE_INT && !s.cols[7].required, "infer: a column with missing values is optional");
	ok(s.cols[8].type == TYPE_STRING && !s.cols[8].required, "infer: an all-missing column is an optional string");
	ok(s.cols[9].type == TYPE_NUMBER && s.cols[9].has_min, "infer: 1.5 and 2 are numbers");
	is_int(s.cols[10].type, TYPE_BOOL, "infer: 0 and 1 are bools (bool before int)");
	{
		char *json = schema_to_json(&s);
		struct schema t;
		struct adash_err e;
		ok(schema_parse(&t, json, strlen(json), "inferred", &e) == 0 && t.ncols == nc,
		   "infer: the inferred schema is valid schema JSON");
		schema_free(&t);
		free(json);
	}
	schema_free(&s);
	infer_free(&in);

	/* the enum threshold: each value seen ENUM_REPEAT times on average */
	for (int rows = 14; rows <= 15; rows++) {
		static const char *const one[] = { "k" };
		infer_init(&in, one, 1);
		for (int i = 0; i < rows; i++) {
			struct field f = { colors[i % 3], strlen(colors[i % 3]), FIELD_TEXT };
			infer_row(&in, &f);
		}
		infer_schema(&in, "k", &s);
		is_int(s.cols[0].type, rows == 15 ? TYPE_ENUM : TYPE_STRING,
		       "infer: 3 values in %d rows %s an enum", rows, rows == 15 ? "are" : "are not");
		schema_free(&s);
		infer_free(&in);
	}
	{
		static const char *const one[] = { "k" };
		char val[8];
		infer_init(&in, one, 1);
		for (int i = 0; i < 13 * 10; i++) {
			snprintf(val, sizeof val, "v%d", i % 13);
			struct field f = { val, strlen(val), FIELD_TEXT };
			infer_row(&in, &f);
		}
		infer_schema(&in, "k", &s);
		is_int(s.cols[0].type, TYPE_STRING, "infer: 13 distinct values (> ENUM_MAX) are not an enum");
		schema_free(&s);
		infer_free(&in);
	}
}

/* ---- validate and accounting ------------------------------------------------------- */

struct src {
	FILE *f;
	struct reader *r;
};

static struct reader *open_text(struct src *s, const char *text, const char *name)
{
	struct adash_err e;

	s->f = tmpfile();
	fputs(text, s->f);
	fflush(s->f);
	rewind(s->f);
	s->r = reader_open_fd(fileno(s->f), name, NULL, &e);
	if (!s->r)
		printf("# reader_open: %s\n", e.msg);
	return s->r;
}

static void close_text(struct src *s)
{
	reader_close(s->r);
	fclose(s->f);
}

/* "[a][null:]": each field by its length; "<unterminated>" marks a field
 * whose text is not NUL-terminated at its length (record.h says it is). */
static void show(struct buf *b, const struct field *rec, size_t n)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "[%s%.*s%s]", rec[i].kind == FIELD_NULL ? "null:" : "", (int)rec[i].len,
			   rec[i].s, rec[i].s[rec[i].len] ? "<unterminated>" : "");
}

static void test_validate(void)
{
	struct schema sales, events;
	struct validator v;
	struct adash_err e;
	struct src s;
	const struct field *rec, *out;
	struct buf b = BUF_INIT;

	schema_load(&sales, "sales", &e);
	schema_load(&events, "events", &e);

	if (open_text(&s, "extra,sales,shop_id,date,promo,price\n"
			  " keep me ,1.50, s1 ,2024-01-05,yes,\n"
			  "x,-1,s2,2024-01-06,no,2\n"
			  "y,NA,s3,2024-01-07,0,3\n"
			  "z,7,s4,2023-02-29,1,3\n"
			  "w,7,s5,2024-01-08,1,0\n"
			  "v,1e3,s6,2024-01-09,TRUE,0.5\n", "in.csv")) {
		err_clear(&e);
		is_int(validator_init(&v, &sales, s.r, &e), 0, "validator_init: sales columns in any order, plus extra");
		ok(v.schema_col[0] == -1 && v.schema_col[1] == 2 && v.schema_col[2] == 0,
		   "validator: input columns mapped to schema columns");
		ok(v.input_col[3] == -1 && v.input_col[6] == -1, "validator: absent optional columns are -1");
		ok(v.json[0] == COLUMN_AUTO && v.json[1] == COLUMN_NUMBER && v.json[2] == COLUMN_STRING &&
		   v.json[4] == COLUMN_NUMBER, "validator: NDJSON kinds from the schema, AUTO for extra columns");

		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), 0, "validator_row: a good row");
		show(&b, out, v.ncols);
		is_str(b.data, "[ keep me ][1.5][s1][2024-01-05][1][null:]",
		       "validator_row: normalized, NUL-terminated; extra column untouched; empty price is null");

		reader_next(s.r, &rec, &e);
		err_clear(&e);
		is_int(validator_row(&v, s.r, rec, &out, &e), -1, "validator_row: sales below 0");
		is_str(e.msg, "in.csv:3: column \"sales\": \"-1\" is below 0", "validator_row: message names file, line, column");
		is_str(v.reason, "sales: is below", "validator_row: reason category");
		is_int(e.code, ADASH_EDATA, "validator_row: code 1");

		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), -1, "validator_row: required sales is NA");
		is_str(v.reason, "sales: a value is required", "validator_row: required reason");

		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), -1, "validator_row: 2023-02-29");
		ok(strstr(e.msg, "in.csv:5: column \"date\"") != NULL, "validator_row: bad date on line 5");

		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), -1, "validator_row: price 0 is not above 0");

		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), 0, "validator_row: good again after bad rows");
		show(&b, out, v.ncols);
		is_str(b.data, "[v][1000][s6][2024-01-09][1][0.5]", "validator_row: 1e3 and TRUE normalized");
		validator_free(&v);
		close_text(&s);
	}

	if (open_text(&s, "shop_id,sales\ns1,1\n", "nodate.csv")) {
		err_clear(&e);
		ok(validator_init(&v, &sales, s.r, &e) == -1 && e.code == ADASH_EDATA &&
		   strcmp(e.msg, "nodate.csv:1: column \"date\" required by schema sales is missing") == 0,
		   "validator_init: a missing required column is an error at the header");
		printf("# %s\n", e.msg);
		validator_free(&v);
		close_text(&s);
	}
	if (open_text(&s, "", "empty.csv")) {
		err_clear(&e);
		is_int(validator_init(&v, &sales, s.r, &e), 0, "validator_init: empty input is not an error");
		validator_free(&v);
		close_text(&s);
	}

	if (open_text(&s, "ts,user_id,event,item_id\n"
			  "2024-01-01T00:00:00Z,u1,PAGE_VIEW,\n"
			  "2024-01-01T00:00:01Z,u1,widget_open,\n"
			  "2024-01-01T00:00:02Z,u1,widget_open,w1\n"
			  "1704067203000,u1,page_view,NA\n", "ev.csv")) {
		err_clear(&e);
		is_int(validator_init(&v, &events, s.r, &e), 0, "validator_init: events");
		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), 0, "required_unless: empty item_id on a page_view");
		show(&b, out, v.ncols);
		is_str(b.data, "[2024-01-01T00:00:00Z][u1][page_view][null:]", "required_unless: normalized row");
		reader_next(s.r, &rec, &e);
		err_clear(&e);
		is_int(validator_row(&v, s.r, rec, &out, &e), -1, "required_unless: empty item_id on a widget_open");
		ok(strstr(e.msg, "ev.csv:3: column \"item_id\": a value is required") &&
		   strstr(e.msg, "page_view"), "required_unless: the message says when it may be empty");
		printf("# %s\n", e.msg);
		is_str(v.reason, "item_id: a value is required", "required_unless: reason");
		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), 0, "required_unless: item_id given");
		reader_next(s.r, &rec, &e);
		is_int(validator_row(&v, s.r, rec, &out, &e), 0, "required_unless: NA on a page_view; epoch ms");
		show(&b, out, v.ncols);
		is_str(b.data, "[2024-01-01T00:00:03Z][u1][page_view][null:]", "epoch milliseconds normalized");
		validator_free(&v);
		close_text(&s);
	}

	if (open_text(&s, "a,b\n x ,1\n", "none.csv")) {
		is_int(validator_init(&v, NULL, s.r, &e), 0, "validator without a schema");
		reader_next(s.r, &rec, &e);
		validator_row(&v, s.r, rec, &out, &e);
		show(&b, out, v.ncols);
		is_str(b.data, "[ x ][1]", "validator without a schema passes values through");
		validator_free(&v);
		close_text(&s);
	}
	/* the cross-column rule compares the trimmed value of a string column */
	{
		static const char js[] =
			"{\"name\": \"u\", \"columns\": ["
			"{\"name\": \"kind\", \"type\": \"string\", \"required\": true},"
			"{\"name\": \"item\", \"type\": \"string\", \"required\": true,"
			" \"required_unless\": {\"kind\": [\"none\"]}}]}";
		struct schema us;

		if (schema_parse(&us, js, sizeof js - 1, "u", &e) == 0) {
			if (open_text(&s, "kind,item\n none ,\nnone,\nsome,\n", "u.csv")) {
				validator_init(&v, &us, s.r, &e);
				reader_next(s.r, &rec, &e);
				err_clear(&e);
				is_int(validator_row(&v, s.r, rec, &out, &e), 0,
				       "required_unless: \" none \" (trimmed to none) allows an empty item");
				if (e.code)
					printf("# %s\n", e.msg);
				reader_next(s.r, &rec, &e);
				is_int(validator_row(&v, s.r, rec, &out, &e), 0,
				       "required_unless: none allows an empty item");
				reader_next(s.r, &rec, &e);
				is_int(validator_row(&v, s.r, rec, &out, &e), -1,
				       "required_unless: another value requires the item");
				validator_free(&v);
				close_text(&s);
			}
			schema_free(&us);
		} else {
			ok(0, "schema u parses: %s", e.msg);
		}
	}
	buf_free(&b);
	schema_free(&sales);
	schema_free(&events);
}

/* Reads a JSON file; NULL when it is not valid JSON. */
static json_t *load_json(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);

	if (!j)
		printf("# %s: %s\n", path, je.text);
	return j;
}

static void test_accounting(void)
{
	struct accounting a;
	struct adash_err e, rowe;
	char rej[300], stats[300];
	char *text;
	FILE *verbose;

	snprintf(rej, sizeof rej, "%s/bad.ndjson", tmpdir);
	snprintf(stats, sizeof stats, "%s/stats.json", tmpdir);

	/* policies */
	err_clear(&e);
	is_int(accounting_open(&a, NULL, NULL, NULL, &e), 0, "accounting_open: defaults");
	is_int(a.on_bad, ON_BAD_FAIL, "the default policy is fail");
	err_at(&rowe, ADASH_EDATA, "in.csv", 4, "price", "\"x\" is not a number");
	a.rows_in++;
	err_clear(&e);
	is_int(accounting_reject(&a, &rowe, "in.csv", 4, "price: is not a number", "a,x", 3, &e), -1,
	       "fail: the first bad row stops");
	ok(e.code == ADASH_EDATA && strcmp(e.msg, rowe.msg) == 0, "fail: the error is the row's");
	is_int(a.rows_rejected, 1, "fail: the row is counted as rejected");
	accounting_close(&a, NULL, 0, "t", &e);

	is_int(accounting_open(&a, "skip", NULL, NULL, &e), 0, "accounting_open: skip");
	is_int(accounting_reject(&a, &rowe, "in.csv", 4, "r", "a,x", 3, &e), 0, "skip: goes on");
	accounting_close(&a, NULL, 0, "t", &e);

	err_clear(&e);
	ok(accounting_open(&a, "ignore", NULL, NULL, &e) == -1 && e.code == ADASH_EUSAGE && strstr(e.msg, "ignore"),
	   "an unknown --on-bad policy: code 2");
	hashmap_free(&a.reasons, NULL);
	err_clear(&e);
	ok(accounting_open(&a, NULL, in_tmp("nodir/bad.ndjson"), NULL, &e) == -1 && e.code == ADASH_EIO,
	   "a reject file that cannot be created: code 3");
	hashmap_free(&a.reasons, NULL);

	/* --reject and --stats */
	err_clear(&e);
	is_int(accounting_open(&a, NULL, rej, stats, &e), 0, "accounting_open with reject and stats files");
	is_int(a.on_bad, ON_BAD_SKIP, "--reject implies skip");
	ok(!exists(rej), "the reject file appears only when committed");
	a.rows_in = 8;
	a.rows_out = 3;
	err_at(&rowe, ADASH_EDATA, "in.csv", 2, NULL, "row has 1 field, the header has 2");
	accounting_reject(&a, &rowe, "in.csv", 2, "ragged row", "u2", 2, &e);
	err_at(&rowe, ADASH_EDATA, "in.csv", 3, "price", "\"a\\\"b\" is not a number");
	{
		static const char raw[] = "x,\"a\"\"b\"\nmore";
		accounting_reject(&a, &rowe, "in.csv", 3, "price: is not a number", raw, sizeof raw - 1, &e);
	}
	err_at(&rowe, ADASH_EDATA, "in.csv", 5, NULL, "invalid UTF-8 at byte 2 of the field");
	{
		static const char raw[] = "u\xFF" "5,\xC3\xA9";
		accounting_reject(&a, &rowe, "in.csv", 5, "invalid UTF-8", raw, sizeof raw - 1, &e);
	}
	err_at(&rowe, ADASH_EDATA, "in.csv", 6, NULL, "row has 3 fields, the header has 2");
	accounting_reject(&a, &rowe, "in.csv", 6, "ragged row", "a,b,c", 5, &e);
	accounting_drop(&a, "duplicate");
	is_int(a.rows_rejected, 4, "four rows rejected");
	is_int(a.rows_dropped, 1, "one row dropped");
	ok(a.rows_in == a.rows_out + a.rows_rejected + a.rows_dropped, "rows_in = out + rejected + dropped");
	verbose = tmpfile();
	is_int(accounting_close(&a, verbose, REPORT_COUNTS | REPORT_HADOOP, "adash-test", &e), 0,
	       "accounting_close commits");
	{
		char line[200] = "";
		static const char *const hadoop[] = {
			"reporter:counter:adash,rows_in,8\n", "reporter:counter:adash,rows_out,3\n",
			"reporter:counter:adash,rows_rejected,4\n", "reporter:counter:adash,rows_dropped,1\n"
		};
		rewind(verbose);
		if (!fgets(line, sizeof line, verbose))
			line[0] = '\0';
		is_str(line, "adash-test: rows_in 8, rows_out 3, rows_rejected 4, rows_dropped 1\n",
		       "-v prints the counts");
		for (size_t i = 0; i < 4; i++) {
			if (!fgets(line, sizeof line, verbose))
				line[0] = '\0';
			is_str(line, hadoop[i], "--counters hadoop: Hadoop Streaming's counter lines");
		}
		fclose(verbose);
	}
	text = read_file(rej);
	is_str(text,
	       "{\"file\":\"in.csv\",\"line\":2,\"reason\":\"row has 1 field, the header has 2\",\"raw\":\"u2\"}\n"
	       "{\"file\":\"in.csv\",\"line\":3,\"reason\":\"column \\\"price\\\": \\\"a\\\\\\\"b\\\" is not a number\","
	       "\"raw\":\"x,\\\"a\\\"\\\"b\\\"\\nmore\"}\n"
	       "{\"file\":\"in.csv\",\"line\":5,\"reason\":\"invalid UTF-8 at byte 2 of the field\",\"raw\":\"u?5,??\"}\n"
	       "{\"file\":\"in.csv\",\"line\":6,\"reason\":\"row has 3 fields, the header has 2\",\"raw\":\"a,b,c\"}\n",
	       "the reject file: one NDJSON object per bad row: file, line, reason (no file:line prefix), raw");
	free(text);
	{
		json_t *j = load_json(stats), *by;
		ok(j && json_integer_value(json_object_get(j, "rows_in")) == 8 &&
		   json_integer_value(json_object_get(j, "rows_out")) == 3 &&
		   json_integer_value(json_object_get(j, "rows_rejected")) == 4 &&
		   json_integer_value(json_object_get(j, "rows_dropped")) == 1,
		   "the stats file has the counts");
		by = json_object_get(j, "by_reason");
		ok(json_object_size(by) == 4 && json_integer_value(json_object_get(by, "ragged row")) == 2 &&
		   json_integer_value(json_object_get(by, "price: is not a number")) == 1 &&
		   json_integer_value(json_object_get(by, "invalid UTF-8")) == 1 &&
		   json_integer_value(json_object_get(by, "duplicate")) == 1,
		   "the stats file counts each reason");
		json_decref(j);
	}
	{
		char *st = read_file(stats);
		ok(st && strstr(st, "\"rows_in\"") < strstr(st, "\"rows_out\"") &&
		   strstr(st, "\"rows_out\"") < strstr(st, "\"rows_rejected\"") &&
		   strstr(st, "\"ragged row\"") < strstr(st, "\"price: is not a number\""),
		   "the stats file keeps a stable key order (counts, then reasons as first seen)");
		free(st);
	}
	unlink(rej);
	unlink(stats);

	/* abort: nothing left */
	accounting_open(&a, NULL, rej, NULL, &e);
	accounting_reject(&a, &rowe, "in.csv", 6, "ragged row", "a,b,c", 5, &e);
	accounting_abort(&a);
	ok(!exists(rej) && count_prefixed(".bad.ndjson") == 0, "accounting_abort leaves no reject file");
	hashmap_free(&a.reasons, NULL);
}

/* A bad value whose quoted form is cut inside a UTF-8 character must still
 * give a reject record with its reason. */
static void test_reject_reason_utf8(void)
{
	struct schema sch;
	struct validator v;
	struct accounting a;
	struct adash_err e, rowe;
	struct src s;
	const struct field *rec, *out;
	char rej[300];
	char *text;

	snprintf(rej, sizeof rej, "%s/utf8.ndjson", tmpdir);
	schema_load(&sch, "sales", &e);
	if (!open_text(&s, "shop_id,date,sales\ns1,2024-01-01,012345678901234567890123456789abcdefghi\xC3\xA9\n",
		       "u.csv"))
		return;
	validator_init(&v, &sch, s.r, &e);
	accounting_open(&a, NULL, rej, NULL, &e);
	reader_next(s.r, &rec, &e);
	err_clear(&rowe);
	ok(validator_row(&v, s.r, rec, &out, &rowe) == -1, "a 41-byte non-number ending in a 2-byte character");
	ok(utf8_check(rowe.msg, strlen(rowe.msg)) == strlen(rowe.msg), "the error message is valid UTF-8");
	accounting_reject(&a, &rowe, "u.csv", reader_line(s.r), v.reason, "raw", 3, &e);
	accounting_close(&a, NULL, 0, "t", &e);
	text = read_file(rej);
	ok(text && strstr(text, "\"reason\":") != NULL, "the reject record keeps its reason");
	printf("# %s", text ? text : "(no file)\n");
	free(text);
	unlink(rej);
	validator_free(&v);
	close_text(&s);
	schema_free(&sch);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_buf();
	test_err();
	test_rng();
	test_atomicfile();
	test_dedupe();
	test_infer();
	test_validate();
	test_accounting();
	test_reject_reason_utf8();
	rmdir(tmpdir);
	return tap_done();
}
