/*
 * atomicfile: files a program creates (models, reports, reject files, stats)
 * are written under a temporary name in the same directory and renamed into
 * place only when complete, so a killed or failed run never leaves a
 * half-written file where a Makefile or a cron job would take it for done.
 *
 * A target that exists and is not a plain file (/dev/stderr, a FIFO, a
 * symbolic link) is written directly, since a rename would replace the
 * device node or the link itself.
 *
 * Uncommitted temporary files are removed at exit and on SIGINT, SIGTERM and
 * SIGHUP (git's tempfile.c does the same); that registry is this module's
 * only state.  A replaced file keeps its permission bits.  Rejected: writing
 * in place with a lock file beside it (a reader could still see half a file)
 * and O_TMPFILE + linkat (Linux-only, and not on every file system).
 */
#ifndef ADASH_ATOMICFILE_H
#define ADASH_ATOMICFILE_H

#include "err.h"

#include <stdio.h>

struct atomic_file {
	char *path;   /* final name */
	char *tmp;    /* temporary name while open */
	FILE *fp;
};

/* Creates the temporary file beside path.  0, or -1 with e (code 3). */
int atomic_open(struct atomic_file *af, const char *path, struct adash_err *e);
/* Flushes, syncs and renames into place.  0, or -1 with e (code 3); the
 * temporary file is removed either way. */
int atomic_commit(struct atomic_file *af, struct adash_err *e);
/* atomic_commit without the sync: for a program writing many files into
 * one directory (a page per user), where a sync per file would cost more
 * than the writing; it then syncs them all at once with atomic_sync_dir
 * before it commits the file that points to them.  A killed process still
 * leaves whole files or none: only a crash of the machine before the
 * directory's sync could leave a renamed file short. */
int atomic_commit_unsynced(struct atomic_file *af, struct adash_err *e);
/* Makes the files written into dir durable (the file system's data, then
 * the directory).  0, or -1 with e (code 3). */
int atomic_sync_dir(const char *dir, struct adash_err *e);

/* Drops the temporary file. */
void atomic_abort(struct atomic_file *af);

#endif
