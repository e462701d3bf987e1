/* The dependency's own floor: parse a CSV file with libcsv and count fields
 * and rows, nothing else.  scripts/bench/ingest compares adash-ingest to it. */
#include <csv.h>
#include <stdio.h>
#include <unistd.h>

static unsigned long fields, rows;
static void on_field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void on_row(int c, void *d) { (void)c; (void)d; rows++; }

int main(void)
{
	static char buf[1 << 18];
	struct csv_parser p;
	ssize_t n;

	csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
	while ((n = read(0, buf, sizeof buf)) > 0)
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, NULL) != (size_t)n)
			return 1;
	csv_fini(&p, on_field, on_row, NULL);
	printf("%lu rows, %lu fields\n", rows, fields);
	return 0;
}
