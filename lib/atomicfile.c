/* atomicfile: see atomicfile.h. */
#define _GNU_SOURCE /* syncfs */
#include "atomicfile.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPEN 16

/* Temporary names still to be removed if the process ends first. */
static char *pending[MAX_OPEN];
static int handlers_installed;

static void remove_pending(void)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (pending[i])
			unlink(pending[i]);
}

static void on_signal(int sig)
{
	remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void track(char *tmp)
{
	if (!handlers_installed) {
		atexit(remove_pending);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		handlers_installed = 1;
	}
	for (int i = 0; i < MAX_OPEN; i++)
		if (!pending[i]) {
			pending[i] = tmp;
			return;
		}
}

static void untrack(const char *tmp)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (pending[i] == tmp)
			pending[i] = NULL;
}

/* Unlinks the temporary file (when there is one and unlink is set), stops
 * tracking it and resets af. */
static void release(struct atomic_file *af, int unlink_tmp)
{
	if (af->tmp) {
		if (unlink_tmp)
			unlink(af->tmp);
		untrack(af->tmp);
	}
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof *af);
}

int atomic_open(struct atomic_file *af, const char *path, struct adash_err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	int fd;

	memset(af, 0, sizeof *af);
	if (*base == '\0')
		return err_set(e, ADASH_EIO, "%s: is a directory", path);
	/* Only a plain file is replaced by a rename.  A device, a pipe or a
	 * symbolic link (/dev/stderr, /dev/null, a FIFO, a link the user
	 * keeps) is written directly: a rename would replace the link or the
	 * device node itself. */
	{
		struct stat st;
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				return err_set(e, ADASH_EIO, "%s: is a directory", path);
			af->fp = fopen(path, "w");
			if (!af->fp)
				return err_set(e, ADASH_EIO, "%s: cannot open: %s", path, strerror(errno));
			af->path = xstrdup(path);
			return 0;
		}
	}
	af->path = xstrdup(path);
	af->tmp = xmalloc(strlen(path) + 16);
	memcpy(af->tmp, path, dirlen);
	sprintf(af->tmp + dirlen, ".%s.XXXXXX", base);
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		err_set(e, ADASH_EIO, "%s: cannot create: %s", path, strerror(errno));
		release(af, 0);
		return -1;
	}
	/* mkstemp makes it 0600: give it the mode of the file it replaces
	 * (a 0600 reject file of personal data stays 0600), or else the
	 * usual umask-governed one.  A failure leaves 0600, which is safe. */
	{
		struct stat old;
		mode_t mode;

		if (stat(path, &old) == 0) {
			mode = old.st_mode & 07777;
		} else {
			mode_t mask = umask(0);
			umask(mask);
			mode = 0666 & ~mask;
		}
		if (fchmod(fd, mode) < 0) {
			/* keep 0600 */
		}
	}
	af->fp = fdopen(fd, "w");
	if (!af->fp) {
		close(fd);
		unlink(af->tmp);
		release(af, 0);
		xalloc_die();
	}
	track(af->tmp);
	return 0;
}

static int commit(struct atomic_file *af, int sync, struct adash_err *e)
{
	int failed = 0, saved = 0;

	if (!af->fp)
		return 0;
	if (fflush(af->fp) != 0 || ferror(af->fp)) {
		failed = 1;
		saved = errno;
	}
	if (!failed && sync && fsync(fileno(af->fp)) != 0 && errno != EINVAL && errno != EROFS) {
		failed = 1;
		saved = errno;
	}
	if (fclose(af->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	af->fp = NULL;
	if (!failed && af->tmp && rename(af->tmp, af->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		err_set(e, ADASH_EIO, "%s: write error: %s", af->path,
			saved ? strerror(saved) : "unknown error");
	release(af, failed);
	return failed ? -1 : 0;
}

int atomic_commit(struct atomic_file *af, struct adash_err *e)
{
	return commit(af, 1, e);
}

int atomic_commit_unsynced(struct atomic_file *af, struct adash_err *e)
{
	return commit(af, 0, e);
}

int atomic_sync_dir(const char *dir, struct adash_err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), failed = 0;

	if (fd < 0)
		return err_set(e, ADASH_EIO, "%s: %s", dir, strerror(errno));
	/* the files' data, then the directory's names of them */
#ifdef __linux__
	failed = syncfs(fd) != 0;
#else
	sync();
#endif
	if (!failed && fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		failed = 1;
	if (failed) {
		int saved = errno;

		close(fd);
		return err_set(e, ADASH_EIO, "%s: write error: %s", dir, strerror(saved));
	}
	close(fd);
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (!af->fp)
		return;
	fclose(af->fp);
	release(af, 1);
}
