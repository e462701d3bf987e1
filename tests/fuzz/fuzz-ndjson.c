/*
 * fuzz-ndjson: libFuzzer harness for the record reader on NDJSON, with and
 * without ndjson_columns.  It is fuzz-csv.c compiled for NDJSON: the options
 * byte, the checks and the whole-versus-in-parts comparison are the same,
 * described there.
 */
#define FUZZ_NDJSON 1
#include "fuzz-csv.c"
