/* cli: see cli.h. */
#include "cli.h"

#include "accounting.h"
#include "config.h"
#include "num.h"
#include "record.h"
#include "xalloc.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ids of the common options; programs use ids below 0x1000 */
enum {
	OPT_HELP = 0x1000,
	OPT_VERSION,
	OPT_QUIET,
	OPT_VERBOSE,
	OPT_INPUT_FORMAT,
	OPT_OUTPUT_FORMAT,
	OPT_DELIMITER,
	OPT_NO_HEADER,
	OPT_SEED,
	OPT_ON_BAD,
	OPT_REJECT,
	OPT_STATS,
	OPT_COUNTERS
};

static const struct cli_option common_always[] = {
	{ OPT_QUIET, "quiet", 'q', NULL, "print no warnings or progress" },
	{ OPT_VERBOSE, "verbose", 'v', NULL, "report row counts on stderr when done" },
	{ OPT_HELP, "help", 'h', NULL, "print this help and exit" },
	{ OPT_VERSION, "version", 0, NULL, "print the version and exit" },
	{ 0, NULL, 0, NULL, NULL }
};
static const struct cli_option common_input[] = {
	{ OPT_INPUT_FORMAT, "input-format", 0, "csv|ndjson", "input format (default: detected: '{' first means ndjson)" },
	{ 0, NULL, 0, NULL, NULL }
};
static const struct cli_option common_delim[] = {
	{ OPT_DELIMITER, "delimiter", 'd', "CHAR", "CSV field delimiter (default ','; '\\t' or tab for TSV)" },
	{ 0, NULL, 0, NULL, NULL }
};
static const struct cli_option common_output[] = {
	{ OPT_OUTPUT_FORMAT, "output-format", 0, "csv|ndjson", "output format (default: the input's; csv when there is no input)" },
	{ OPT_NO_HEADER, "no-header", 0, NULL, "leave the CSV header row out of the output" },
	{ 0, NULL, 0, NULL, NULL }
};
static const struct cli_option common_accounting[] = {
	{ OPT_ON_BAD, "on-bad", 0, "fail|skip", "on a bad row: stop with exit 1 (default) or skip it" },
	{ OPT_REJECT, "reject", 0, "FILE", "write bad rows to FILE as NDJSON and go on (implies --on-bad skip)" },
	{ OPT_STATS, "stats", 0, "FILE", "write row counts (in, out, rejected, dropped, by reason) as JSON" },
	{ OPT_COUNTERS, "counters", 0, "hadoop", "row counts on stderr as Hadoop Streaming counters (reporter:counter:adash,NAME,N)" },
	{ 0, NULL, 0, NULL, NULL }
};
static const struct cli_option common_seed[] = {
	{ OPT_SEED, "seed", 0, "N", "seed for the random number generator (default 1)" },
	{ 0, NULL, 0, NULL, NULL }
};

static size_t count(const struct cli_option *o)
{
	size_t n = 0;

	while (o && o[n].id)
		n++;
	return n;
}

#define NGROUPS 6

/* The groups a program has, in the order --help lists them. */
static void groups(const struct cli *c, const struct cli_option *g[NGROUPS])
{
	unsigned m = c->prog->common;
	int k = 0;

	if (m & CLI_INPUT)
		g[k++] = common_input;
	if (m & (CLI_INPUT | CLI_OUTPUT))
		g[k++] = common_delim;
	if (m & CLI_OUTPUT)
		g[k++] = common_output;
	if (m & CLI_ACCOUNTING)
		g[k++] = common_accounting;
	if (m & CLI_SEED)
		g[k++] = common_seed;
	g[k++] = common_always;
	while (k < NGROUPS)
		g[k++] = NULL;
}

struct shortopts {
	char *p;
	size_t n;
};

static void add_getopt(struct option *lo, size_t *nl, struct shortopts *so,
		       const struct cli_option *o)
{
	for (; o && o->id; o++) {
		lo[*nl].name = o->name;
		lo[*nl].has_arg = o->arg ? required_argument : no_argument;
		lo[*nl].flag = NULL;
		lo[*nl].val = o->id;
		(*nl)++;
		if (o->short_name) {
			so->p[so->n++] = (char)o->short_name;
			if (o->arg)
				so->p[so->n++] = ':';
		}
	}
}

void cli_init(struct cli *c, const struct cli_program *prog, int argc, char **argv)
{
	const struct cli_option *g[NGROUPS];
	struct option *lo;
	size_t total, nl = 0;
	struct shortopts so;

	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->argc = argc;
	c->argv = argv;
	c->header = 1;
	c->seed = 1;
	/* "| head" must end us quietly, even when the parent ignored SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
	/* jansson and GSL report running out of memory their own ways (a
	 * NULL that reads as "invalid JSON" or drops a key, an abort): make
	 * it ours, exit 4 (xalloc.h) */
	json_set_alloc_funcs(xmalloc, free);
	gsl_set_error_handler_off();

	groups(c, g);
	total = count(prog->options);
	for (int i = 0; i < NGROUPS; i++)
		total += count(g[i]);
	lo = xcalloc(total + 1, sizeof *lo);
	so.p = xcalloc(3 * total + 2, 1);
	so.n = 0;
	so.p[so.n++] = ':'; /* report a missing argument as ':' */
	add_getopt(lo, &nl, &so, prog->options);
	for (int i = 0; i < NGROUPS; i++)
		add_getopt(lo, &nl, &so, g[i]);
	c->longopts = lo;
	c->shortopts = so.p;
	c->optind = 1;
}

void cli_free(struct cli *c)
{
	free(c->longopts);
	free(c->shortopts);
	c->longopts = NULL;
	c->shortopts = NULL;
}

static void print_options(FILE *out, const struct cli_option *o)
{
	for (; o && o->id; o++) {
		char left[80];
		int n;

		if (o->short_name)
			n = snprintf(left, sizeof left, "  -%c, --%s", o->short_name, o->name);
		else
			n = snprintf(left, sizeof left, "      --%s", o->name);
		if (o->arg && n > 0 && (size_t)n < sizeof left)
			snprintf(left + n, sizeof left - (size_t)n, "=%s", o->arg);
		if (strlen(left) > 28)
			fprintf(out, "%s\n%30s%s\n", left, "", o->help);
		else
			fprintf(out, "%-30s%s\n", left, o->help);
	}
}

static void print_help(const struct cli *c)
{
	const struct cli_option *g[NGROUPS];
	const struct cli_program *p = c->prog;

	printf("Usage: %s %s\n%s\n", p->name, p->synopsis, p->summary);
	if (count(p->options)) {
		printf("\nOptions:\n");
		print_options(stdout, p->options);
	}
	printf("\nCommon options:\n");
	groups(c, g);
	for (int i = 0; i < NGROUPS; i++)
		print_options(stdout, g[i]);
	if (p->examples)
		printf("\nExamples:\n%s", p->examples);
	printf("\nExit status: 0 success, 1 bad input data, 2 usage error, 3 file error,\n"
	       "4 internal error.  See %s(1) and adash(7).\n", p->name);
}

/* getopt returns a short option's character; the tables map it to the id. */
static int short_to_id(const struct cli *c, int ch)
{
	const struct cli_option *g[NGROUPS];
	const struct cli_option *o;

	for (o = c->prog->options; o && o->id; o++)
		if (o->short_name == ch)
			return o->id;
	groups(c, g);
	for (int i = 0; i < NGROUPS; i++)
		for (o = g[i]; o && o->id; o++)
			if (o->short_name == ch)
				return o->id;
	return ch;
}

int cli_next(struct cli *c, const char **arg)
{
	int ch, idx;

	opterr = 0;
	for (;;) {
		optind = c->optind;
		ch = getopt_long(c->argc, c->argv, c->shortopts, c->longopts, &idx);
		c->optind = optind;
		*arg = optarg;
		if (ch > 0 && ch < 256 && ch != '?' && ch != ':')
			ch = short_to_id(c, ch);
		switch (ch) {
		case -1:
			return 0;
		case '?': {
			const char *a = c->argv[optind - 1];

			if (strncmp(a, "--", 2) == 0) {
				/* glibc leaves the option's id in optopt when a
				 * known long option got an argument it takes not */
				if (optopt && strchr(a, '='))
					cli_usage_error(c, "option '%.*s' takes no argument",
							(int)(strchr(a, '=') - a), a);
				cli_usage_error(c, "unknown or ambiguous option '%s'", a);
			}
			cli_usage_error(c, "unknown option '-%c'", optopt > 32 && optopt < 127 ? optopt : '?');
		}
		case ':':
			cli_usage_error(c, "option '%s' needs an argument", c->argv[optind - 1]);
		case OPT_HELP:
			print_help(c);
			cli_close_stdout(c);
			exit(ADASH_OK);
		case OPT_VERSION:
			printf("%s (%s) %s\n", c->prog->name, PACKAGE_NAME, PACKAGE_VERSION);
			cli_close_stdout(c);
			exit(ADASH_OK);
		case OPT_QUIET:
			c->quiet = 1;
			continue;
		case OPT_VERBOSE:
			c->verbose = 1;
			continue;
		case OPT_INPUT_FORMAT:
			c->input_format = format_from_name(optarg);
			if (c->input_format < 0)
				cli_usage_error(c, "--input-format: '%s' is not csv or ndjson", optarg);
			continue;
		case OPT_OUTPUT_FORMAT:
			c->output_format = format_from_name(optarg);
			if (c->output_format < 0)
				cli_usage_error(c, "--output-format: '%s' is not csv or ndjson", optarg);
			continue;
		case OPT_DELIMITER:
			if (strcmp(optarg, "\\t") == 0 || strcmp(optarg, "tab") == 0)
				c->delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n' && optarg[0] != '\r')
				c->delimiter = optarg[0];
			else
				cli_usage_error(c, "--delimiter: '%s' is not one character (use '\\t' for tab)", optarg);
			continue;
		case OPT_NO_HEADER:
			c->header = 0;
			continue;
		case OPT_SEED:
			c->seed = (uint64_t)cli_parse_int(c, "--seed", optarg, 0, INT64_MAX);
			c->seed_given = 1;
			continue;
		case OPT_ON_BAD:
			if (on_bad_from_name(optarg) < 0)
				cli_usage_error(c, "--on-bad: '%s' is not fail or skip", optarg);
			c->on_bad = optarg;
			continue;
		case OPT_REJECT:
			c->reject_path = optarg;
			continue;
		case OPT_STATS:
			c->stats_path = optarg;
			continue;
		case OPT_COUNTERS:
			c->counters = counters_from_name(optarg);
			if (c->counters < 0)
				cli_usage_error(c, "--counters: '%s' is not hadoop", optarg);
			continue;
		default:
			return ch;
		}
	}
}

static void vreport(const struct cli *c, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", c->prog->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

_Noreturn void cli_fail(const struct cli *c, const struct adash_err *e)
{
	cli_die(c, e->code ? e->code : ADASH_EINTERNAL, "%s", e->msg);
}

_Noreturn void cli_die(const struct cli *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, fmt, ap);
	va_end(ap);
	exit(code);
}

_Noreturn void cli_usage_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", c->prog->name);
	exit(ADASH_EUSAGE);
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	vreport(c, fmt, ap);
	va_end(ap);
}

void cli_close_stdout(const struct cli *c)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int saved = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		if (saved == EPIPE)
			exit(ADASH_OK);
		fprintf(stderr, "%s: write error: %s\n", c->prog->name,
			saved ? strerror(saved) : "unknown error");
		exit(ADASH_EIO);
	}
}

long long cli_parse_int(const struct cli *c, const char *option, const char *arg,
			long long min, long long max)
{
	int64_t v;

	if (num_parse_int(arg, strlen(arg), &v) < 0 || v < min || v > max)
		cli_usage_error(c, "%s: '%s' is not an integer from %lld to %lld",
				option, arg, min, max);
	return v;
}

double cli_parse_num(const struct cli *c, const char *option, const char *arg)
{
	double v;

	if (num_parse(arg, strlen(arg), &v) < 0)
		cli_usage_error(c, "%s: '%s' is not a number", option, arg);
	return v;
}

char **cli_split_list(const struct cli *c, const char *option, const char *arg, size_t *n)
{
	size_t k = 1, i = 0;
	char **list;
	const char *p = arg, *q;

	for (q = arg; *q; q++)
		k += *q == ',';
	list = xcalloc(k + 1, sizeof *list);
	for (;;) {
		q = strchr(p, ',');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		if (len == 0) {
			cli_free_list(list);
			cli_usage_error(c, "%s: empty item in '%s'", option, arg);
		}
		for (size_t j = 0; j < i; j++)
			if (strlen(list[j]) == len && strncmp(list[j], p, len) == 0) {
				cli_free_list(list);
				cli_usage_error(c, "%s: '%.*s' is given twice in '%s'", option, (int)len, p, arg);
			}
		list[i++] = xstrndup(p, len);
		if (!q)
			break;
		p = q + 1;
	}
	if (n)
		*n = i;
	return list;
}

char **cli_add_list(const struct cli *c, const char *option, const char *arg, char **list)
{
	size_t n = 0, m = 0;
	char **more = cli_split_list(c, option, arg, &m);

	while (list && list[n])
		n++;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			if (strcmp(more[i], list[j]) == 0) {
				char *item = xstrdup(more[i]);

				cli_free_list(more);
				cli_free_list(list);
				cli_usage_error(c, "%s: '%s' is given twice", option, item);
			}
	list = xrealloc(list, (n + m + 1) * sizeof *list);
	memcpy(list + n, more, (m + 1) * sizeof *list);
	free(more);
	return list;
}

void cli_free_list(char **list)
{
	if (!list)
		return;
	for (size_t i = 0; list[i]; i++)
		free(list[i]);
	free(list);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const struct cli *c)
{
	memset(p, 0, sizeof *p);
	p->enabled = !c->quiet && isatty(STDERR_FILENO);
	p->prog = c->prog->name;
	p->start = p->last = now();
	p->next_check = 1 << 16;
}

void progress_tick(struct progress *p, uint64_t rows)
{
	double t;

	if (!p->enabled || rows < p->next_check)
		return;
	p->next_check = rows + (1 << 16);
	t = now();
	if (t - p->last < 1.0)
		return;
	p->last = t;
	fprintf(stderr, "\r%s: %llu rows, %.0f rows/s ", p->prog,
		(unsigned long long)rows, (double)rows / (t - p->start));
}

void progress_done(struct progress *p, uint64_t rows)
{
	if (p->enabled && p->last > p->start)
		fprintf(stderr, "\r%s: %llu rows done%20s\n", p->prog, (unsigned long long)rows, "");
}

int cli_report(const struct cli *c)
{
	/* -q silences chatter, not the counters a job asked for */
	return (c->verbose && !c->quiet ? REPORT_COUNTS : 0) | (c->counters > 0 ? c->counters : 0);
}

void cli_run_io(struct cli *c, struct run_io *io, struct progress *p)
{
	memset(io, 0, sizeof *io);
	io->read.format = c->input_format;
	io->read.delimiter = c->delimiter;
	io->output_format = c->output_format;
	io->delimiter = c->delimiter;
	io->header = c->header;
	io->on_bad = c->on_bad;
	io->reject_path = c->reject_path;
	io->stats_path = c->stats_path;
	io->verbose = cli_report(c);
	io->quiet = c->quiet;
	io->seed = c->seed;
	io->prog = c->prog->name;
	progress_start(p, c);
	io->progress = p;
}
