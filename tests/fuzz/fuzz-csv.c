/*
 * fuzz-csv: libFuzzer harness for the record reader (lib/reader.c) on CSV.
 * fuzz-ndjson.c is this same harness with FUZZ_NDJSON defined: one file, so
 * that the two readers are held to the same checks.  Built and run by
 * scripts/fuzz.
 *
 * The first input byte chooses the options, the rest is the input:
 *   bit 0     CSV: ',' or '\t' as the delimiter;
 *             NDJSON: without or with ndjson_columns (a schema's columns)
 *   bits 1-2  max_record: the default (1 MiB), 64, 8 or 1 byte, so that the
 *             too-long path is taken often
 *   bits 3-5  0: read the input once, from a memfd, in one read(2);
 *             else also read it a second time from a SOCK_SEQPACKET socket
 *             fed in packets of 1, 2, 3, 5, 16, 64 or 255 bytes (each read(2)
 *             returns one packet), and require the same result: where a
 *             read(2) happens to end must never change what is read
 *   bit 6     FORMAT_AUTO instead of forcing the format (detection)
 *   bit 7     unused
 *
 * Besides what AddressSanitizer and UBSan catch, every call is checked
 * against reader.h and DESIGN §3 (abort() on a violation, which libFuzzer
 * reports as a crash):
 *   - reader_open_fd fails only with code 1, a malformed header (reading a
 *     memfd or a socket cannot fail), with a one-line message;
 *   - READ_OK gives ncols fields, each NUL-terminated at len, without a NUL
 *     inside, valid UTF-8 (record.h), with a known kind;
 *   - READ_BAD has code 1, a one-line message, a reason, raw text of at most
 *     max_record bytes without its line end;
 *   - reader_line() increases from record to record; reading ends (at most
 *     one record per input byte), stays at READ_EOF, and reader_bytes() is
 *     then the input's size.
 */
#define _GNU_SOURCE
#include "buf.h"
#include "reader.h"
#include "oracle.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef FUZZ_NDJSON
#define FUZZ_FORMAT FORMAT_NDJSON
#else
#define FUZZ_FORMAT FORMAT_CSV
#endif

#ifdef FUZZ_NDJSON
static const char *const schema_columns[] = {
	"ts", "user_id", "event", "item_id", "value", "a"
};
#endif

/* Writes (the start of) a transcript to stderr. */
static void show(const struct buf *t)
{
	fwrite(t->data, 1, t->len > 4000 ? 4000 : t->len, stderr);
	fputc('\n', stderr);
}

static void fail(const char *what, const struct buf *t)
{
	fprintf(stderr, "fuzz-reader: %s\n", what);
	if (t && t->data) {
		fprintf(stderr, "transcript so far:\n");
		show(t);
	}
	abort();
}

#define CHECK(cond, t) do { if (!(cond)) fail("check failed: " #cond, (t)); } while (0)

/* ---- feeding a socket in fixed packets -------------------------------- */

struct feeder {
	int fd;
	const uint8_t *p;
	size_t n, chunk;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	size_t off = 0;

	while (off < f->n) {
		size_t k = f->n - off < f->chunk ? f->n - off : f->chunk;
		ssize_t w = send(f->fd, f->p + off, k, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;  /* the reader stopped early and closed its end */
		}
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

/* ---- one complete read of the input, written down as a transcript ------ */

/* Adds "tag[n]=text" to the transcript, with control characters, bytes
 * above 0x7e and backslashes escaped, so that it prints as one line. */
static void record_text(struct buf *t, const char *tag, const char *s, size_t n)
{
	buf_printf(t, "%s[%zu]=", tag, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || c == '\\')
			buf_printf(t, "\\x%02x", c);
		else
			buf_addch(t, (char)c);
	}
	buf_addch(t, '\n');
}

static void read_all(int fd, const struct reader_options *o, size_t size, struct buf *t)
{
	struct adash_err e;
	struct reader *r;
	const struct field *rec;
	size_t max = o->max_record ? o->max_record : READER_MAX_RECORD_DEFAULT;
	size_t nrec = 0;
	long last_line = 0;
	int st;

	memset(&e, 0, sizeof e);
	r = reader_open_fd(fd, "fuzz", o, &e);
	if (!r) {
		buf_printf(t, "open failed %d\n", e.code);
		record_text(t, "msg", e.msg, strlen(e.msg));
		CHECK(e.code == ADASH_EDATA, t);
		CHECK(one_line(e.msg), t);
		return;
	}
	CHECK(reader_format(r) == FORMAT_CSV || reader_format(r) == FORMAT_NDJSON, t);
	buf_printf(t, "format %d ncols %zu\n", reader_format(r), reader_ncols(r));
	for (size_t i = 0; i < reader_ncols(r); i++) {
		const char *name = reader_colname(r, i);
		CHECK(name != NULL, t);
		record_text(t, "col", name, strlen(name));
		CHECK(reader_col(r, name) == (long)i, t);
	}
	CHECK(reader_colname(r, reader_ncols(r)) == NULL, t);
	if (reader_format(r) == FORMAT_NDJSON && o->ndjson_columns)
		for (size_t i = 0; i < o->n_ndjson_columns; i++)
			CHECK(reader_col(r, o->ndjson_columns[i]) == (long)i, t);

	for (;;) {
		size_t rawlen;
		const char *raw;

		memset(&e, 0, sizeof e);
		rec = NULL;
		st = reader_next(r, &rec, &e);
		if (st == READ_EOF)
			break;
		CHECK(st == READ_OK || st == READ_BAD, t);
		CHECK(++nrec <= size + 1, t);    /* no record without a byte of input */
		raw = reader_raw(r, &rawlen);
		CHECK(raw != NULL, t);
		buf_printf(t, "%s line %ld\n", st == READ_OK ? "ok" : "bad", reader_line(r));
		record_text(t, "raw", raw, rawlen);
		CHECK(rawlen <= max, t);
		CHECK(rawlen == 0 || (raw[rawlen - 1] != '\n'), t);
		CHECK(reader_line(r) > last_line, t);
		last_line = reader_line(r);
		if (st == READ_BAD) {
			const char *why = reader_reason(r);
			record_text(t, "msg", e.msg, strlen(e.msg));
			CHECK(why != NULL && why[0] != '\0', t);
			record_text(t, "reason", why, strlen(why));
			CHECK(e.code == ADASH_EDATA, t);
			CHECK(one_line(e.msg), t);
			continue;
		}
		CHECK(rec != NULL || reader_ncols(r) == 0, t);
		for (size_t i = 0; i < reader_ncols(r); i++) {
			const struct field *f = &rec[i];
			CHECK(f->s != NULL, t);
			CHECK(f->s[f->len] == '\0', t);
			CHECK(strlen(f->s) == f->len, t);
			CHECK(valid_utf8((const unsigned char *)f->s, f->len), t);
			CHECK(f->kind >= FIELD_TEXT && f->kind <= FIELD_NULL, t);
			CHECK(f->kind != FIELD_NULL || f->len == 0, t);
			CHECK(f->kind != FIELD_BOOL ||
			      strcmp(f->s, "true") == 0 || strcmp(f->s, "false") == 0, t);
			(void)field_is_missing(f);
			buf_printf(t, "kind %d ", f->kind);
			record_text(t, "field", f->s, f->len);
		}
	}
	/* EOF stays EOF, and all of the input was consumed */
	CHECK(reader_next(r, &rec, &e) == READ_EOF, t);
	CHECK(reader_bytes(r) == size, t);
	buf_printf(t, "eof after %zu records\n", nrec);
	reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_records[] = { 0, 64, 8, 1 };
	static const size_t chunks[] = { 0, 1, 2, 3, 5, 16, 64, 255 };
	static int memfd = -1;
	struct reader_options o;
	struct buf whole = BUF_INIT, parts = BUF_INIT;
	size_t chunk;
	unsigned opt;

	if (size < 1)
		return 0;
	opt = data[0];
	data++, size--;

	memset(&o, 0, sizeof o);
	o.format = opt & 0x40 ? FORMAT_AUTO : FUZZ_FORMAT;
#ifdef FUZZ_NDJSON
	if (opt & 1) {
		o.ndjson_columns = schema_columns;
		o.n_ndjson_columns = sizeof schema_columns / sizeof *schema_columns;
	}
#else
	o.delimiter = opt & 1 ? '\t' : ',';
#endif
	o.max_record = max_records[(opt >> 1) & 3];
	chunk = chunks[(opt >> 3) & 7];

	/* once, from a memfd: a regular file's single read */
	if (memfd < 0) {
		memfd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (memfd < 0)
			fail("memfd_create failed", NULL);
	}
	if (ftruncate(memfd, 0) != 0 || lseek(memfd, 0, SEEK_SET) != 0)
		fail("ftruncate failed", NULL);
	for (size_t off = 0; off < size;) {
		ssize_t w = write(memfd, data + off, size - off);
		if (w <= 0)
			fail("write to memfd failed", NULL);
		off += (size_t)w;
	}
	if (lseek(memfd, 0, SEEK_SET) != 0)
		fail("lseek failed", NULL);
	read_all(memfd, &o, size, &whole);

	/* again, in packets, and the same transcript */
	if (chunk) {
		int sv[2];
		pthread_t th;
		struct feeder f;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
			fail("socketpair failed", NULL);
		f.fd = sv[1];
		f.p = data;
		f.n = size;
		f.chunk = chunk;
		if (pthread_create(&th, NULL, feed, &f) != 0)
			fail("pthread_create failed", NULL);
		read_all(sv[0], &o, size, &parts);
		close(sv[0]);   /* ends the feeder if the reader stopped early */
		pthread_join(th, NULL);
		if (whole.len != parts.len || memcmp(whole.data, parts.data, whole.len) != 0) {
			fprintf(stderr, "fuzz-reader: read whole and in %zu-byte reads differ\n--- whole:\n", chunk);
			show(&whole);
			fprintf(stderr, "--- in parts:\n");
			show(&parts);
			abort();
		}
	}
	buf_free(&whole);
	buf_free(&parts);
	return 0;
}
