#!/bin/sh
# The conventions every program keeps (DESIGN §3): --help and --version on
# stdout with exit 0, usage errors as one line on stderr with exit 2, bad
# data exit 1 with file:line: column, unreadable files exit 3, write errors
# exit 3, and never a crash.
. "$top_srcdir/tests/lib.sh"

for prog in adash-synth adash-ingest; do
	test_expect_success "$prog --help prints usage and an example to stdout, exit 0" "
		$prog --help >out 2>err &&
		test_grep '^Usage: $prog' out && test_grep '^Examples:' out &&
		test_grep 'Exit status' out && test ! -s err
	"
	test_expect_success "$prog -h is --help" "
		$prog -h >out && test_grep '^Usage: $prog' out
	"
	test_expect_success "$prog --version names the program and version" "
		$prog --version >out 2>err && test_line_count = 1 out &&
		test_grep '^$prog (adash) [0-9]' out && test ! -s err
	"
	test_expect_code 2 "$prog: an unknown long option exits 2" "$prog --no-such-option"
	test_expect_code 2 "$prog: an unknown short option exits 2" "$prog -Z"
	test_expect_success "$prog: a usage error is one line on stderr with a hint, stdout empty" "
		$prog --no-such-option >out 2>err; test \$? -eq 2 &&
		test_one_line err && test_grep 'no-such-option' err &&
		test_grep \"try '$prog --help'\" err && test ! -s out
	"
	test_expect_code 2 "$prog: an option missing its argument exits 2" "$prog --output-format"
	test_expect_code 2 "$prog: a bad --output-format exits 2" "$prog --output-format xml"
	test_expect_code 2 "$prog: a two-character delimiter exits 2" "$prog -d ab"
done

test_expect_code 2 'adash-ingest: a bad --input-format exits 2' 'adash-ingest --input-format xml </dev/null'
test_expect_code 2 'adash-ingest: a bad --on-bad exits 2' 'adash-ingest --on-bad maybe </dev/null'
test_expect_code 2 'adash-synth: a negative count exits 2' 'adash-synth sales --shops -1'
test_expect_code 2 'adash-synth: a non-number seed exits 2' 'adash-synth sales --seed x'

printf 'shop_id,date,sales\ns1,2024-01-01,1\ns1,2024-01-02,abc\n' >bad.csv
test_expect_code 1 'bad data exits 1' 'adash-ingest --schema sales bad.csv'
test_expect_success 'the message names program, file, line, column and value, on one line' '
	adash-ingest --schema sales bad.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: bad.csv:3: column \"sales\": \"abc\" is not a number$" err
'
test_expect_success 'rows before the bad one are written' '
	adash-ingest --schema sales bad.csv >out 2>/dev/null; test $? -eq 1 &&
	test_line_count = 2 out
'
test_expect_code 3 'a missing input file exits 3' 'adash-ingest no-such-file.csv'
test_expect_success 'the message for a missing file names it' '
	adash-ingest no-such-file.csv 2>err; test $? -eq 3 &&
	test_one_line err && test_grep "no-such-file.csv: No such file or directory" err
'
test_expect_code 3 'a directory as input exits 3' 'adash-ingest .'
test_expect_code 3 'a missing schema file exits 3' 'adash-ingest --schema ./no-such-schema.json </dev/null'
test_expect_code 3 'a --stats file in a missing directory exits 3' \
	'adash-synth sales --shops 1 --days 2 | adash-ingest --stats no/such/dir/stats.json'
test_expect_success 'a failed run leaves no --stats or --reject file behind' '
	adash-ingest --schema sales --stats st.json --reject rej.ndjson --on-bad fail bad.csv >/dev/null 2>&1
	test $? -eq 1 && test ! -e st.json && test ! -e rej.ndjson &&
	test -z "$(ls -A | grep "^\.st\|^\.rej")"
'
if test -w /dev/full; then
	test_expect_code 3 'adash-synth: a full disk exits 3' 'adash-synth sales --shops 5 --days 100 >/dev/full'
	test_expect_code 3 'adash-ingest: a full disk exits 3' 'adash-ingest --schema sales bad.csv --on-bad skip >/dev/full'
	test_expect_success 'the write error is reported on one line' '
		adash-synth sales --shops 5 --days 100 >/dev/full 2>err; test $? -eq 3 &&
		test_one_line err && test_grep "write error" err
	'
else
	test_skip 'no /dev/full'
fi
test_expect_success 'a closed pipe ends a program quietly' '
	{ adash-synth sales --shops 200 --days 730 2>err; echo $? >status; } | head -1 >/dev/null &&
	status=$(cat status) && { test "$status" -eq 141 || test "$status" -eq 0; } && test ! -s err
'
test_expect_success 'a closed pipe ends adash-ingest quietly too' '
	adash-synth sales --shops 200 --days 730 >big.csv &&
	{ adash-ingest --schema sales big.csv 2>err; echo $? >status; } | head -1 >/dev/null &&
	status=$(cat status) && { test "$status" -eq 141 || test "$status" -eq 0; } && test ! -s err
'
test_expect_success 'progress is not printed when stderr is not a terminal' '
	adash-ingest --schema sales big.csv >/dev/null 2>err && test ! -s err
'
test_expect_success '-v reports the counts on one stderr line' '
	adash-ingest -v --schema sales big.csv >/dev/null 2>err && test_one_line err &&
	test_grep "rows_in 146000, rows_out 146000, rows_rejected 0, rows_dropped 0" err
'
test_expect_success '-q silences -v' '
	adash-ingest -q -v --schema sales big.csv >/dev/null 2>err && test ! -s err
'
test_done
