/*
 * cli: what every adash program's command line has in common.
 *
 * Options are declared once, as data (git's parse-options): a program's table
 * drives getopt_long and the --help text, so the two cannot disagree.  The
 * common options (--help, --version, -q, -v, and, when a program asks for
 * them, the input/output format options and --seed) are handled here, the
 * same way in every program.
 *
 * Also here: the one way a program reports an error and exits ("prog:
 * message", exit code from err.h), the final check that stdout was really
 * written (a full disk is an error, not a silent truncation), default
 * SIGPIPE (so "| head" ends a program quietly), progress lines on a
 * terminal, and the process-wide handlers of the dependencies (jansson's
 * allocator is xmalloc, GSL's error handler is off) so that running out of
 * memory anywhere exits 4 the same way.
 *
 * Rejected: argp (its --help layout and --usage differ from what the man
 * pages and tests expect, and it cannot share one table across option
 * groups as simply) and hand-rolled argv loops per program (the drift
 * between --help and parsing this module exists to prevent).
 */
#ifndef ADASH_CLI_H
#define ADASH_CLI_H

#include "err.h"
#include "reader.h"

#include <stdint.h>
#include <stdio.h>

/* Common option groups a program may ask for. */
enum {
	CLI_INPUT = 1,   /* --input-format, -d/--delimiter */
	CLI_OUTPUT = 2,  /* --output-format, --no-header (and -d) */
	CLI_SEED = 4,    /* --seed N */
	CLI_ACCOUNTING = 8 /* --on-bad, --reject, --stats, --counters (accounting.h) */
};

struct cli_option {
	int id;                /* returned by cli_next; a short option's char or >= 256 */
	const char *name;      /* long name, without "--" */
	int short_name;        /* 0 when none */
	const char *arg;       /* argument name for --help; NULL: no argument */
	const char *help;      /* one line */
};

struct cli_program {
	const char *name;       /* "adash-ingest" */
	const char *synopsis;   /* "[OPTION]... [FILE]..." */
	const char *summary;    /* one sentence */
	const struct cli_option *options; /* ended by an entry with id 0 */
	unsigned common;        /* CLI_INPUT | CLI_OUTPUT | CLI_SEED */
	const char *examples;   /* lines of example commands, '\n'-separated */
};

struct cli {
	const struct cli_program *prog;
	/* common option values */
	int input_format;       /* enum rec_format */
	int output_format;      /* FORMAT_AUTO: follow the input */
	char delimiter;         /* 0: ',' */
	int header;             /* 1 unless --no-header */
	int quiet, verbose;
	uint64_t seed;
	int seed_given;
	const char *on_bad;     /* "fail", "skip", or NULL when not given */
	const char *reject_path, *stats_path;
	int counters;           /* --counters: REPORT_HADOOP (accounting.h), or 0 */
	/* getopt state */
	void *longopts;
	char *shortopts;
	int argc;
	char **argv;
	int optind;             /* first operand after parsing */
};

/* Sets up: default SIGPIPE, the option tables. */
void cli_init(struct cli *c, const struct cli_program *prog, int argc, char **argv);

/* Frees the option tables. */
void cli_free(struct cli *c);

/* Returns the next program option's id with *arg set (NULL when it takes
 * none), or 0 when options are done (c->optind is then the first operand).
 * Handles the common options itself; a usage error exits 2. */
int cli_next(struct cli *c, const char **arg);

/* Prints "prog: message" and exits with e->code. */
_Noreturn void cli_fail(const struct cli *c, const struct adash_err *e);
/* Prints "prog: message" and exits with code. */
_Noreturn void cli_die(const struct cli *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A usage error: "prog: message (try --help)", exit 2. */
_Noreturn void cli_usage_error(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A one-line warning on stderr, unless -q. */
void cli_warn(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Flushes and checks stdout; a write error exits 3.  Call before exit 0. */
void cli_close_stdout(const struct cli *c);

/* Parses an integer option value within [min, max] or exits 2. */
long long cli_parse_int(const struct cli *c, const char *option, const char *arg,
			long long min, long long max);
/* Parses a number option value or exits 2. */
double cli_parse_num(const struct cli *c, const char *option, const char *arg);

/* Splits "a,b,c" into a NULL-terminated array of copies (empty or repeated
 * items are refused with exit 2).  Free with cli_free_list. */
char **cli_split_list(const struct cli *c, const char *option, const char *arg, size_t *n);
/* cli_split_list for an option that may be repeated: the items of arg are
 * added to list (NULL at first), so "--lags 1 --lags 7" means "--lags 1,7";
 * an item given twice is refused with exit 2. */
char **cli_add_list(const struct cli *c, const char *option, const char *arg, char **list);
void cli_free_list(char **list);

/* Progress on stderr, only when stderr is a terminal and not -q. */

struct progress {
	int enabled;
	const char *prog;
	double start, last;
	uint64_t next_check;
};
void progress_start(struct progress *p, const struct cli *c);
void progress_tick(struct progress *p, uint64_t rows);
void progress_done(struct progress *p, uint64_t rows);

/* The common options as a lib/ driver takes them: how to read, how to
 * write, what to do with bad rows, how much to say, the seed.  One struct
 * in every driver's options, filled by cli_run_io, so that no program
 * copies them field by field. */
struct run_io {
	struct reader_options read;
	int output_format;        /* FORMAT_AUTO: follow the input */
	char delimiter;
	int header;
	const char *on_bad, *reject_path, *stats_path;
	int verbose, quiet;       /* verbose: REPORT_* of accounting.h, what the counts
	                             are reported as on stderr (cli_report) */
	uint64_t seed;
	const char *prog;
	struct progress *progress;
};

/* How the row counts are reported on stderr at the end: REPORT_COUNTS for
 * -v (never with -q), REPORT_HADOOP for --counters hadoop, or-ed. */
int cli_report(const struct cli *c);

/* Fills io from c's common options and starts progress p for it. */
void cli_run_io(struct cli *c, struct run_io *io, struct progress *p);

#endif
