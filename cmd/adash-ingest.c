/*
 * adash-ingest: validate and normalize CSV or NDJSON against a schema, with
 * the privacy operations a data controller needs.  The pipeline is
 * lib/ingest.c; this file is options and wiring.
 */
#include "cli.h"
#include "infer.h"
#include "ingest.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_SCHEMA = 's',
	OPT_INFER = 0x100, OPT_DEDUPE, OPT_FORGET,
	OPT_CONSENT, OPT_USER_COL, OPT_PSEUDONYMIZE, OPT_KEY_FILE, OPT_KEEP
};

static const struct cli_option options[] = {
	{ OPT_SCHEMA, "schema", 's', "NAME|FILE", "validate against a built-in schema (sales, events) or a schema file" },
	{ OPT_INFER, "infer", 0, NULL, "print a schema inferred from the input instead of the data" },
	{ OPT_DEDUPE, "dedupe", 0, "COLS", "drop rows whose values in COLS repeat an earlier row's" },
	{ OPT_FORGET, "forget", 0, "FILE", "drop every row of the users listed in FILE" },
	{ OPT_CONSENT, "consent", 0, "FILE", "keep only rows of users who opted in, per FILE" },
	{ OPT_USER_COL, "user-col", 0, "COL", "user column for --forget and --consent (default user_id)" },
	{ OPT_PSEUDONYMIZE, "pseudonymize", 0, "COLS", "replace values in COLS by keyed HMAC-SHA-256 pseudonyms" },
	{ OPT_KEY_FILE, "key-file", 0, "FILE", "secret key for --pseudonymize (at least 16 bytes)" },
	{ OPT_KEEP, "keep", 0, "COLS", "output only COLS, in that order" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_program program = {
	"adash-ingest", "[OPTION]... [FILE]...",
	"Validate and normalize CSV or NDJSON records; every row is written, rejected or dropped.",
	options, CLI_INPUT | CLI_OUTPUT | CLI_ACCOUNTING,
	"  adash-synth sales --shops 10 --days 730 --seed 42 | adash-ingest --schema sales --stats stats.json > clean.csv\n"
	"  adash-ingest --schema events --reject bad.ndjson < events.ndjson > clean.ndjson\n"
	"  adash-ingest --schema events --forget forget.csv --pseudonymize user_id --key-file key < ev.csv\n"
	"  adash-ingest --infer < export.csv > export.schema.json\n"
};

int main(int argc, char **argv)
{
	struct cli c;
	struct ingest_options o = { 0 };
	struct schema schema;
	struct progress progress;
	struct adash_err e;
	const char *arg, *schema_name = NULL;
	char *stdin_only[] = { "-", NULL };
	char **inputs;
	int opt, infer = 0, rc;

	cli_init(&c, &program, argc, argv);
	o.user_col = "user_id";
	while ((opt = cli_next(&c, &arg)) != 0) {
		switch (opt) {
		case OPT_SCHEMA: schema_name = arg; break;
		case OPT_INFER: infer = 1; break;
		case OPT_DEDUPE: o.dedupe = cli_add_list(&c, "--dedupe", arg, o.dedupe); break;
		case OPT_FORGET: o.forget_path = arg; break;
		case OPT_CONSENT: o.consent_path = arg; break;
		case OPT_USER_COL: o.user_col = arg; break;
		case OPT_PSEUDONYMIZE: o.pseudonymize = cli_add_list(&c, "--pseudonymize", arg, o.pseudonymize); break;
		case OPT_KEY_FILE: o.key_file = arg; break;
		case OPT_KEEP: o.keep = cli_add_list(&c, "--keep", arg, o.keep); break;
		default: cli_usage_error(&c, "unhandled option");
		}
	}
	o.on_bad = c.on_bad;
	o.reject_path = c.reject_path;
	o.stats_path = c.stats_path;
	if (o.pseudonymize && !o.key_file)
		cli_usage_error(&c, "--pseudonymize needs --key-file");
	if (o.key_file && !o.pseudonymize)
		cli_usage_error(&c, "--key-file is only for --pseudonymize");
	if (infer && (schema_name || o.on_bad || o.reject_path || o.dedupe || o.forget_path ||
		      o.consent_path || o.pseudonymize || o.keep || o.stats_path))
		cli_usage_error(&c, "--infer takes no other processing options (it stops at a bad row)");

	inputs = c.optind < argc ? argv + c.optind : stdin_only;
	o.read.format = c.input_format;
	o.read.delimiter = c.delimiter;
	if (schema_name) {
		if (schema_load(&schema, schema_name, &e) < 0) {
			if (e.code == ADASH_EIO && !strchr(schema_name, '/') && !strchr(schema_name, '.') &&
			    access(schema_name, F_OK) != 0)
				cli_usage_error(&c, "--schema: no built-in schema '%s' (sales, events) and no such file",
						schema_name);
			cli_fail(&c, &e);
		}
		o.schema = &schema;
		/* NDJSON has no header: the schema's columns are the columns */
		o.read.ndjson_columns = schema_names(&schema);
		o.read.n_ndjson_columns = schema.ncols;
	}
	o.output_format = c.output_format;
	o.delimiter = c.delimiter;
	o.header = c.header;
	o.verbose = cli_report(&c);
	o.prog = program.name;
	progress_start(&progress, &c);
	o.progress = &progress;

	rc = infer ? infer_run(inputs, &o.read, stdout, &e) : ingest_run(&o, inputs, stdout, &e);
	if (rc < 0)
		cli_fail(&c, &e);
	if (schema_name)
		schema_free(&schema);
	cli_free_list(o.dedupe);
	cli_free_list(o.pseudonymize);
	cli_free_list(o.keep);
	cli_close_stdout(&c);
	cli_free(&c);
	return ADASH_OK;
}
