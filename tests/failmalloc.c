/*
 * failmalloc: an LD_PRELOAD shim that injects the faults SQLite's test suite
 * taught us to test (STYLE.md, "Tests"): allocations that fail and writes
 * that fail.  tests/cli/faults.sh runs the programs under it.
 *
 *   FAILMALLOC_AFTER=N   the N-th call to malloc, calloc or realloc (counted
 *                        from the start of the process, 1-based) and every
 *                        later one return NULL with errno ENOMEM.
 *   FAILMALLOC_ONCE=1    only the N-th call fails, later ones succeed: a
 *                        transient shortage, which code that swallows a NULL
 *                        (a library reporting it as something else) cannot
 *                        hide behind the next allocation's failure.
 *   FAILMALLOC_REPORT=1  at a normal exit, print "failmalloc: N calls" on
 *                        stderr: how many calls a run makes, to know how far
 *                        a sweep of FAILMALLOC_AFTER has to go.
 *   FAILWRITE_FD=K       every write to descriptor K fails with ENOSPC.
 *
 * Writes through stdio do not go through the write() symbol (glibc calls
 * its internal __write), so interposing write() alone would miss them.
 * Instead descriptor K is made a duplicate of /dev/full, which fails every
 * write with ENOSPC whatever the path: at load time when K is already open
 * (stdout, say), and whenever open(), openat(), creat(), mkstemp(), fopen()
 * or their 64-bit twins hand out K later, open for writing (a --reject or
 * --stats file).  write() itself is interposed too, so a direct write to K
 * fails even before /dev/full is in place.
 *
 * Bootstrap: dlsym(RTLD_NEXT, ...) may itself call calloc or malloc (glibc's
 * dlerror buffer) before the real functions are known; those calls are
 * served from a small static arena, never counted, and free() ignores
 * pointers into it.
 *
 * Built outside the project's flags (Makefile.am): it is test tooling, it
 * must not itself be linked against the sanitizers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- the real functions ------------------------------------------------- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_creat)(const char *, mode_t);
static int (*real_mkstemp)(char *);
static int (*real_mkostemp)(char *, int);
static int (*real_mkstemp64)(char *);
static int (*real_mkostemp64)(char *, int);
static int (*real_openat64)(int, const char *, int, ...);
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);

static int resolving, resolved;

/* ---- bootstrap arena for allocations made while resolving ---------------- */

#define BOOT_SIZE 16384
static _Alignas(max_align_t) unsigned char boot[BOOT_SIZE];
static size_t boot_used;

static int in_boot(const void *p)
{
	return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + BOOT_SIZE;
}

/* Each block is preceded by its size, so realloc can copy it out. */
static void *boot_alloc(size_t n)
{
	const size_t align = _Alignof(max_align_t);
	size_t hdr = (sizeof(size_t) + align - 1) / align * align;
	size_t need = hdr + (n + align - 1) / align * align;
	unsigned char *p;

	if (n > BOOT_SIZE || need > BOOT_SIZE - boot_used) {
		errno = ENOMEM;
		return NULL;
	}
	p = boot + boot_used;
	boot_used += need;
	memcpy(p + hdr - sizeof(size_t), &n, sizeof n);
	memset(p + hdr, 0, n);  /* boot is zeroed once; blocks are never reused */
	return p + hdr;
}

static size_t boot_size(const void *p)
{
	size_t n;

	memcpy(&n, (const unsigned char *)p - sizeof n, sizeof n);
	return n;
}

static void resolve(void)
{
	if (resolved || resolving)
		return;
	resolving = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_open64 = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
	real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	real_creat = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "creat");
	real_mkstemp = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
	real_mkostemp = (int (*)(char *, int))dlsym(RTLD_NEXT, "mkostemp");
	real_mkstemp64 = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp64");
	real_mkostemp64 = (int (*)(char *, int))dlsym(RTLD_NEXT, "mkostemp64");
	real_openat64 = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat64");
	real_fopen = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	real_fopen64 = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen64");
	resolving = 0;
	resolved = real_malloc && real_calloc && real_realloc && real_free;
}

/* ---- configuration, read lazily: malloc runs before any constructor ------- */

static int configured;
static unsigned long fail_after;   /* 0: never fail */
static unsigned long calls;
static int fail_once;
static int fail_fd = -1;
static int report;

/* A decimal number from the environment, or -1; no allocation (getenv and
 * this loop only). */
static long env_number(const char *name)
{
	const char *s = getenv(name);
	long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (LONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static void configure(void)
{
	long v;

	if (configured)
		return;
	configured = 1;
	v = env_number("FAILMALLOC_AFTER");
	fail_after = v > 0 ? (unsigned long)v : 0;
	v = env_number("FAILWRITE_FD");
	fail_fd = v >= 0 && v <= INT32_MAX ? (int)v : -1;
	fail_once = env_number("FAILMALLOC_ONCE") > 0;
	report = env_number("FAILMALLOC_REPORT") > 0;
}

/* Counts one allocation call; 1 when it must fail. */
static int must_fail(void)
{
	unsigned long n;

	configure();
	n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (fail_after && (fail_once ? n == fail_after : n >= fail_after)) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

/* ---- allocation ----------------------------------------------------------- */

void *malloc(size_t n)
{
	if (!resolved) {
		resolve();
		if (!resolved)
			return boot_alloc(n);
	}
	if (must_fail())
		return NULL;
	return real_malloc(n);
}

void *calloc(size_t count, size_t size)
{
	if (!resolved) {
		resolve();
		if (!resolved) {
			if (size && count > SIZE_MAX / size) {
				errno = ENOMEM;
				return NULL;
			}
			return boot_alloc(count * size);
		}
	}
	if (must_fail())
		return NULL;
	return real_calloc(count, size);
}

void *realloc(void *p, size_t n)
{
	if (!resolved) {
		resolve();
		if (!resolved) {
			void *q = boot_alloc(n);
			if (q && p)
				memcpy(q, p, boot_size(p) < n ? boot_size(p) : n);
			return q;
		}
	}
	if (p && in_boot(p)) {
		/* out of the arena into the real heap */
		void *q;
		if (must_fail())
			return NULL;
		q = real_malloc(n ? n : 1);
		if (q)
			memcpy(q, p, boot_size(p) < n ? boot_size(p) : n);
		return q;
	}
	if (must_fail())
		return NULL;
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_boot(p))
		return;
	if (!resolved)
		resolve();
	if (real_free)
		real_free(p);
}

/* ---- writes -------------------------------------------------------------- */

/* Makes descriptor fd fail every write with ENOSPC, keeping it open.  Only
 * a descriptor open for writing: one open for reading (an input file) would
 * read /dev/full's endless zeros. */
static void sabotage(int fd)
{
	int full, fl;

	configure();
	if (fd < 0 || fd != fail_fd)
		return;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
		return;
	if (!resolved)
		resolve();
	full = real_open ? real_open("/dev/full", O_WRONLY | O_CLOEXEC) : -1;
	if (full < 0)
		return;     /* write() below still fails direct writes */
	if (full != fd) {
		dup2(full, fd);
		close(full);
	}
}

__attribute__((constructor)) static void failmalloc_init(void)
{
	int saved = errno;

	configure();
	if (fail_fd >= 0)
		sabotage(fail_fd);
	errno = saved;
}

__attribute__((destructor)) static void failmalloc_fini(void)
{
	char line[64];
	int n;

	if (!report)
		return;
	n = snprintf(line, sizeof line, "failmalloc: %lu calls\n", calls);
	if (n > 0 && real_write)
		(void)!real_write(STDERR_FILENO, line, (size_t)n);
}

ssize_t write(int fd, const void *p, size_t n)
{
	configure();
	if (!resolved)
		resolve();
	if ((fd >= 0 && fd == fail_fd) || !real_write) {
		errno = fd == fail_fd ? ENOSPC : ENOSYS;
		return -1;
	}
	return real_write(fd, p, n);
}

static int opened(int fd)
{
	int saved = errno;

	if (fd >= 0)
		sabotage(fd);
	errno = saved;
	return fd;
}

/* open and friends take a mode only with O_CREAT or O_TMPFILE. */
static int takes_mode(int flags)
{
#ifdef O_TMPFILE
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return 1;
#endif
	return (flags & O_CREAT) != 0;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (takes_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	resolve();
	return opened(real_open(path, flags, mode));
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (takes_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	resolve();
	return opened((real_open64 ? real_open64 : real_open)(path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (takes_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	resolve();
	return opened(real_openat(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (takes_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	resolve();
	return opened((real_openat64 ? real_openat64 : real_openat)(dirfd, path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	resolve();
	return opened(real_creat(path, mode));
}

int mkstemp(char *tmpl)
{
	resolve();
	return opened(real_mkstemp(tmpl));
}

int mkostemp(char *tmpl, int flags)
{
	resolve();
	return opened(real_mkostemp(tmpl, flags));
}

int mkstemp64(char *tmpl)
{
	resolve();
	return opened((real_mkstemp64 ? real_mkstemp64 : real_mkstemp)(tmpl));
}

int mkostemp64(char *tmpl, int flags)
{
	resolve();
	return opened((real_mkostemp64 ? real_mkostemp64 : real_mkostemp)(tmpl, flags));
}

static FILE *fopened(FILE *f)
{
	if (f)
		opened(fileno(f));
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	resolve();
	return fopened(real_fopen(path, mode));
}

FILE *fopen64(const char *path, const char *mode)
{
	resolve();
	return fopened((real_fopen64 ? real_fopen64 : real_fopen)(path, mode));
}
