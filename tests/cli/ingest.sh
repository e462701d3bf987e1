#!/bin/sh
# adash-ingest: schemas (built-in, files, inferred), normalization, bad rows
# (fail, skip, reject), accounting (stats, -v, the invariant on a corrupted
# file), dedupe, keep, several inputs, TSV, exit codes and output errors.
. "$top_srcdir/tests/lib.sh"

if command -v jq >/dev/null 2>&1; then HAVE_JQ=1; else HAVE_JQ=; fi

# norm COLUMN-SCHEMA HEADER VALUE...: runs each VALUE through one column of a
# built-in schema (the other required columns filled in) and prints the
# normalized values, one per line.
norm_sales() {
	col=$1; shift
	{
		echo "shop_id,date,sales,$col"
		for v in "$@"; do printf 's,2024-01-01,1,"%s"\n' "$v"; done
	} >norm.in &&
	adash-ingest --schema sales norm.in >norm.out &&
	sed 1d norm.out | cut -d, -f4
}
norm_ts() {
	{
		echo "ts,user_id,event,item_id"
		for v in "$@"; do printf '"%s",u1,pin,w1\n' "$v"; done
	} >norm.in &&
	adash-ingest --schema events norm.in >norm.out &&
	sed 1d norm.out | cut -d, -f1
}

# ---- help ------------------------------------------------------------------

test_expect_success '--help exits 0 and lists every option' '
	adash-ingest --help >out 2>err &&
	test_must_be_empty_file err &&
	test_grep "^Usage: adash-ingest" out &&
	for o in --schema --infer --on-bad --reject --stats --dedupe --forget \
		 --consent --user-col --pseudonymize --key-file --keep --input-format \
		 --delimiter --output-format --no-header --quiet --verbose --help --version; do
		grep -q -- "$o" out || { echo "missing $o"; exit 1; }
	done
'

test_expect_success '--version exits 0' '
	adash-ingest --version >out && test_grep "^adash-ingest (adash) [0-9]" out
'

# ---- built-in schemas -----------------------------------------------------------

test_expect_success 'sales: a messy file is normalized (golden)' '
	adash-ingest --schema sales "$TESTDATA/sales-messy.csv" >actual &&
	test_cmp "$TESTDATA/golden/sales-messy.clean.csv" actual
'

test_expect_success 'sales: -s is --schema' '
	adash-ingest -s sales "$TESTDATA/sales-messy.csv" >actual &&
	test_cmp "$TESTDATA/golden/sales-messy.clean.csv" actual
'

test_expect_success 'events: a messy file is normalized (golden)' '
	adash-ingest --schema events "$TESTDATA/events-messy.csv" >actual &&
	test_cmp "$TESTDATA/golden/events-messy.clean.csv" actual
'

test_expect_success 'events: normalized to NDJSON, value a number, missing values null (golden)' '
	adash-ingest --schema events --output-format ndjson <"$TESTDATA/events-messy.csv" >actual &&
	test_cmp "$TESTDATA/golden/events-messy.clean.ndjson" actual
'

test_expect_success 'normalizing is idempotent' '
	adash-ingest --schema events "$TESTDATA/events-messy.csv" >once &&
	adash-ingest --schema events once >twice &&
	test_cmp once twice &&
	adash-ingest --schema sales "$TESTDATA/sales-messy.csv" >once &&
	adash-ingest --schema sales once >twice &&
	test_cmp once twice
'

test_expect_success 'events: item_id may be empty only for page_view' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,u1,page_view,\n2024-01-01T00:00:00Z,u1,pin,\n" >in.csv &&
	adash-ingest --schema events --reject rej in.csv >out &&
	test_line_count = 2 out &&
	test_line_count = 1 rej &&
	test_grep "\"line\":3,\"reason\":\"column \\\\\"item_id\\\\\": a value is required" rej
'

test_expect_code 2 'an unknown schema name (no such file either) is a usage error' '
	adash-ingest --schema saless "$TESTDATA/sales-messy.csv"
'

test_expect_success 'the message for an unknown schema names the built-in schemas' '
	adash-ingest --schema saless "$TESTDATA/sales-messy.csv" 2>err; test $? -eq 2 &&
	test_one_line err && test_grep "saless" err && test_grep "sales, events" err
'

# ---- normalization, value by value ----------------------------------------

test_expect_success 'numbers are written in their shortest form' '
	norm_sales temp_c 1.50 +3 1e2 007 -0 .5 1E-7 0.1e1 -12.340 3. 1e+0 \
		0.000001 0.0000001 1e21 100000000000000000000 123456789012345678 \
		0.30000000000000004 9007199254740993 1.7976931348623157e308 >actual &&
	cat >expect <<-\EOF &&
	1.5
	3
	100
	7
	0
	0.5
	1e-7
	1
	-12.34
	3
	1
	0.000001
	1e-7
	1e+21
	100000000000000000000
	123456789012345680
	0.30000000000000004
	9007199254740992
	1.7976931348623157e+308
	EOF
	test_cmp expect actual
'

test_expect_success 'the shortest form of a subnormal number is the shortest one (5e-324)' '
	norm_sales temp_c 5e-324 1e-320 >actual &&
	printf "5e-324\n1e-320\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'numbers are read back to the same double' '
	norm_sales temp_c 0.1 2.5e-308 123.456 -98765.4321 6.02214076e23 >once &&
	{ echo "shop_id,date,sales,temp_c"; sed "s/^/s,2024-01-01,1,/" once; } >again.in &&
	adash-ingest --schema sales again.in | sed 1d | cut -d, -f4 >twice &&
	test_cmp once twice
'

test_expect_success 'what is not a number is refused, each with exit 1' '
	for v in 0x10 nan inf Infinity 1,5 1e -- 1.2.3 "1 2" 1e999 + . e5 "１"; do
		printf "shop_id,date,sales,temp_c\ns,2024-01-01,1,\"%s\"\n" "$v" >in.csv
		adash-ingest --schema sales in.csv >/dev/null 2>err; rc=$?
		test $rc -eq 1 || { echo "[$v] exit $rc"; exit 1; }
		grep -q "is not a number" err || { echo "[$v]"; cat err; exit 1; }
	done
'

test_expect_success 'strings, enums, numbers and dates are trimmed of blanks' '
	printf "ts,user_id,event,item_id,value,role\n  2024-01-01T00:00:00Z , u1 ,\tpin\t, w1 , 5.0 ,  analyst  \n" >in.csv &&
	adash-ingest --schema events in.csv >actual &&
	printf "ts,user_id,event,item_id,value,role\n2024-01-01T00:00:00Z,u1,pin,w1,5,analyst\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'columns outside the schema are kept as they are, blanks included' '
	printf "shop_id,date,sales,comment\ns1,2024-01-01,1,\"  Hello ,x  \"\n" >in.csv &&
	adash-ingest --schema sales in.csv >actual &&
	cmp in.csv actual
'

test_expect_success 'enum values are matched without regard to case and take the schema spelling' '
	printf "ts,user_id,event,item_id\n" >in.csv &&
	for e in IMPRESSION Page_View widget_OPEN DrillDown FILTER_change Time_Spent EXPORT Pin UNPIN Not_Interested; do
		echo "2024-01-01T00:00:00Z,u1,$e,w1" >>in.csv
	done &&
	adash-ingest --schema events in.csv | sed 1d | cut -d, -f3 >actual &&
	printf "%s\n" impression page_view widget_open drilldown filter_change time_spent export pin unpin not_interested >expect &&
	test_cmp expect actual
'

test_expect_success 'an enum value outside the list is refused, naming the allowed values' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,u1,click,w1\n" >in.csv &&
	adash-ingest --schema events in.csv 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "column \"event\": \"click\" is not one of impression, page_view" err
'

test_expect_success 'booleans become 1 or 0' '
	norm_sales promo true TRUE t T yes Yes y Y 1 false False f F no NO n N 0 >actual &&
	printf "1\n1\n1\n1\n1\n1\n1\n1\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'what is not a boolean is refused' '
	for v in 2 on off maybe tru 10 -1; do
		printf "shop_id,date,sales,promo\ns,2024-01-01,1,%s\n" "$v" >in.csv
		adash-ingest --schema sales in.csv >/dev/null 2>err; rc=$?
		test $rc -eq 1 || { echo "[$v] exit $rc"; exit 1; }
		grep -q "is not a boolean" err || { echo "[$v]"; cat err; exit 1; }
	done
'

test_expect_success 'timestamps with offsets, fractions and epochs become UTC with Z' '
	norm_ts 2024-03-01T10:00:00Z 2024-03-01T12:00:00+02:00 2024-03-01T04:30:00-05:30 \
		2024-01-01T00:30:00+01:00 2024-12-31T23:30:00-01:00 2024-02-28T23:00:00-01:00 \
		2024-03-01T10:00:00.500Z 2024-03-01T10:00:00.123456Z 2024-03-01T10:00:00.1234560Z \
		2024-03-01t10:00:00z "2024-03-01 10:00:00Z" 1709287200 1709287200123 1709287200.5 \
		0 -1 99999999999 100000000000 >actual &&
	cat >expect <<-\EOF &&
	2024-03-01T10:00:00Z
	2024-03-01T10:00:00Z
	2024-03-01T10:00:00Z
	2023-12-31T23:30:00Z
	2025-01-01T00:30:00Z
	2024-02-29T00:00:00Z
	2024-03-01T10:00:00.5Z
	2024-03-01T10:00:00.123456Z
	2024-03-01T10:00:00.123456Z
	2024-03-01T10:00:00Z
	2024-03-01T10:00:00Z
	2024-03-01T10:00:00Z
	2024-03-01T10:00:00.123Z
	2024-03-01T10:00:00.5Z
	1970-01-01T00:00:00Z
	1969-12-31T23:59:59Z
	5138-11-16T09:46:39Z
	1973-03-03T09:46:40Z
	EOF
	test_cmp expect actual
'

test_expect_success 'what is not a timestamp is refused' '
	for v in 2024-03-01T10:00:00 2024-03-01 2024-03-01T24:00:00Z 2024-03-01T10:60:00Z \
		 2024-03-01T10:00:60Z 2024-02-30T00:00:00Z 2024-03-01T10:00:00+25:00 \
		 2024-03-01T10:00:00.1234567Z 2024-03-01T10:00:00.Z 2024-03-01T10:00Z \
		 "2024-03-01T10:00:00 Z" yesterday 1e30 0x10; do
		printf "ts,user_id,event,item_id\n\"%s\",u1,pin,w1\n" "$v" >in.csv
		adash-ingest --schema events in.csv >/dev/null 2>err; rc=$?
		test $rc -eq 1 || { echo "[$v] exit $rc"; exit 1; }
		grep -q "is not a timestamp" err || { echo "[$v]"; cat err; exit 1; }
	done
'

test_expect_success 'a timestamp whose offset crosses 9999-12-31 or 0001-01-01 never comes out unreadable' '
	printf "ts,user_id,event,item_id\n9999-12-31T23:30:00-01:00,u1,pin,w1\n0001-01-01T00:30:00+01:00,u1,pin,w1\n" >in.csv &&
	adash-ingest --schema events --on-bad skip in.csv >once &&
	adash-ingest --schema events once >twice &&
	test_cmp once twice
'

test_expect_success 'dates: valid ones kept, impossible ones refused' '
	printf "shop_id,date,sales\ns,2024-02-29,1\ns, 2024-12-31 ,1\ns,0001-01-01,1\ns,9999-12-31,1\n" >in.csv &&
	adash-ingest --schema sales in.csv | sed 1d | cut -d, -f2 >actual &&
	printf "2024-02-29\n2024-12-31\n0001-01-01\n9999-12-31\n" >expect &&
	test_cmp expect actual &&
	for v in 2023-02-29 2024-04-31 2024-00-10 2024-1-5 24-01-05 2024/01/05 20240105 \
		 2024-01-05T00:00:00Z 0000-01-01; do
		printf "shop_id,date,sales\ns,%s,1\n" "$v" >in.csv
		adash-ingest --schema sales in.csv >/dev/null 2>err; rc=$?
		test $rc -eq 1 || { echo "[$v] exit $rc"; exit 1; }
		grep -q "is not a date" err || { echo "[$v]"; cat err; exit 1; }
	done
'

test_expect_success 'missing values (empty, NA, blanks) of optional columns come out empty' '
	printf "shop_id,date,sales,footfall,price,promo,temp_c\ns,2024-01-01,1,,NA,  , NA \n" >in.csv &&
	adash-ingest --schema sales in.csv >actual &&
	printf "shop_id,date,sales,footfall,price,promo,temp_c\ns,2024-01-01,1,,,,\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a missing value of a required column is refused' '
	for v in "" NA "   "; do
		printf "shop_id,date,sales\ns,2024-01-01,\"%s\"\n" "$v" >in.csv
		adash-ingest --schema sales in.csv >/dev/null 2>err; rc=$?
		test $rc -eq 1 || { echo "[$v] exit $rc"; exit 1; }
		grep -q "^adash-ingest: in.csv:2: column \"sales\": a value is required\$" err || { cat err; exit 1; }
	done
'

test_expect_success 'ranges: sales >= 0, price > 0' '
	printf "shop_id,date,sales,price\ns,2024-01-01,0,0.01\ns,2024-01-01,-0.01,1\ns,2024-01-01,1,0\ns,2024-01-01,1,-1\n" >in.csv &&
	adash-ingest --schema sales --reject rej in.csv >out &&
	test_line_count = 2 out &&
	test_grep "\"line\":3,.*is below 0" rej &&
	test_grep "\"line\":4,.*is not above 0" rej &&
	test_grep "\"line\":5,.*is not above 0" rej
'

# ---- schema files ---------------------------------------------------------------

test_expect_success '--schema FILE.json: int, enum, range, bool, timestamp, date, required_unless' '
	adash-ingest --schema "$TESTDATA/schemas/orders.json" "$TESTDATA/orders.csv" >actual &&
	cat >expect <<-\EOF &&
	order_id,qty,status,discount,paid,at,day,note
	o1,1,Open,0.5,1,2023-11-14T22:13:20Z,2024-02-29,hi
	o2,4,closed,0,0,,,
	o3,100,closed,0.25,1,2023-12-31T23:00:00Z,2024-01-01,x
	EOF
	test_cmp expect actual
'

test_expect_success '--schema FILE.json: each kind of bad value is refused with its reason' '
	adash-ingest --schema "$TESTDATA/schemas/orders.json" --reject rej "$TESTDATA/orders-bad.csv" >out &&
	test_line_count = 1 out &&
	sed "s/^{\"file\":\"[^\"]*\",\"line\":\\([0-9]*\\),\"reason\":\"\\(.*\\)\",\"raw\":.*/\\1 \\2/" rej >actual &&
	cat >expect <<-\EOF &&
	2 column \"qty\": \"0\" is below 1
	3 column \"qty\": \"101\" is above 100
	4 column \"qty\": \"2.5\" is not an integer
	5 column \"status\": \"pending\" is not one of Open, closed
	6 column \"discount\": \"1\" is not below 1
	7 column \"discount\": \"-0.1\" is below 0
	8 column \"paid\": \"maybe\" is not a boolean (true/false, yes/no, 1/0)
	9 column \"at\": \"yesterday\" is not a timestamp (RFC 3339, or epoch seconds or milliseconds)
	10 column \"day\": \"2023-02-29\" is not a date (YYYY-MM-DD)
	11 column \"note\": a value is required (it may be empty only when status is closed)
	12 column \"qty\": a value is required
	13 column \"order_id\": a value is required
	EOF
	test_cmp expect actual
'

test_expect_success '--schema FILE.json: an int column writes integers and NDJSON numbers' '
	adash-ingest --schema "$TESTDATA/schemas/orders.json" --output-format ndjson "$TESTDATA/orders.csv" >out &&
	test_grep "^{\"order_id\":\"o2\",\"qty\":4,\"status\":\"closed\",\"discount\":0,\"paid\":0,\"at\":null,\"day\":null,\"note\":null}\$" out
'

for bad in bad-type bad-key bad-json bad-enum bad-twice bad-unless bad-range bad-empty; do
	test_expect_code 1 "a malformed schema file ($bad.json) exits 1" "
		adash-ingest --schema \"\$TESTDATA/schemas/$bad.json\" \"\$TESTDATA/orders.csv\"
	"
done

test_expect_success 'the message for a malformed schema is one line naming the file' '
	for bad in bad-type bad-key bad-json bad-enum bad-twice bad-unless bad-range bad-empty; do
		adash-ingest --schema "$TESTDATA/schemas/$bad.json" "$TESTDATA/orders.csv" >out 2>err
		test_one_line err && grep -q "^adash-ingest: .*$bad.json" err &&
		test_must_be_empty_file out || { echo "[$bad]"; exit 1; }
	done
'

test_expect_code 3 'a schema file that does not exist exits 3' '
	adash-ingest --schema no/such/schema.json "$TESTDATA/orders.csv"
'

# ---- --infer ---------------------------------------------------------------------

test_expect_success '--infer prints a schema (golden)' '
	adash-ingest --infer "$TESTDATA/infer-input.csv" >actual &&
	test_cmp "$TESTDATA/golden/infer-input.schema.json" actual
'

test_expect_success '--infer reads stdin' '
	adash-ingest --infer <"$TESTDATA/infer-input.csv" >actual &&
	test_cmp "$TESTDATA/golden/infer-input.schema.json" actual
'

test_expect_success 'an inferred schema validates its own input with nothing rejected' '
	adash-ingest --infer "$TESTDATA/infer-input.csv" >schema.json &&
	adash-ingest --schema schema.json --stats st.json "$TESTDATA/infer-input.csv" >out &&
	test "$(stat_val st.json rows_in)" -eq 10 &&
	test "$(stat_val st.json rows_out)" -eq 10 &&
	test "$(stat_val st.json rows_rejected)" -eq 0
'

test_expect_success '--infer gives the same schema for the same data as NDJSON' '
	adash-ingest --output-format ndjson "$TESTDATA/infer-input.csv" >in.ndjson &&
	adash-ingest --infer in.ndjson >actual &&
	test_cmp "$TESTDATA/golden/infer-input.schema.json" actual
'

test_expect_code 2 '--infer with --schema is a usage error' '
	adash-ingest --infer --schema sales "$TESTDATA/infer-input.csv"
'
test_expect_code 2 '--infer with --stats is a usage error' '
	adash-ingest --infer --stats st.json "$TESTDATA/infer-input.csv"
'
test_expect_code 2 '--infer with --keep is a usage error' '
	adash-ingest --infer --keep id "$TESTDATA/infer-input.csv"
'

# ---- bad rows: fail, skip, reject ----------------------------------------------

test_expect_success 'setup: a file whose third line has a bad number' '
	printf "shop_id,date,sales\ns1,2024-01-01,10\ns1,2024-01-02,abc\ns1,2024-01-03,12\ns1,2024-01-04,-1\ns1,2024-01-05,14\n" >bad.csv
'

test_expect_code 1 'by default the first bad row stops with exit 1' '
	adash-ingest --schema sales bad.csv
'

test_expect_success 'the message is one line: prog: FILE:LINE: column "c": what is wrong' '
	adash-ingest --schema sales bad.csv >out 2>err; test $? -eq 1 &&
	echo "adash-ingest: bad.csv:3: column \"sales\": \"abc\" is not a number" >expect &&
	test_cmp expect err
'

test_expect_success 'on stdin the message names (stdin)' '
	adash-ingest --schema sales <bad.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: (stdin):3: column \"sales\": \"abc\" is not a number\$" err
'

test_expect_success 'rows before the bad one are written, none after' '
	adash-ingest --schema sales bad.csv >out 2>err; test $? -eq 1 &&
	printf "shop_id,date,sales\ns1,2024-01-01,10\n" >expect &&
	test_cmp expect out
'

test_expect_success '--on-bad fail is the default' '
	adash-ingest --schema sales --on-bad fail bad.csv >out 2>err; test $? -eq 1 &&
	adash-ingest --schema sales bad.csv >out2 2>err2; test $? -eq 1 &&
	test_cmp out out2 && test_cmp err err2
'

test_expect_success '--on-bad skip writes the good rows and exits 0' '
	adash-ingest --schema sales --on-bad skip bad.csv >out 2>err &&
	printf "shop_id,date,sales\ns1,2024-01-01,10\ns1,2024-01-03,12\ns1,2024-01-05,14\n" >expect &&
	test_cmp expect out &&
	test_must_be_empty_file err
'

test_expect_code 2 '--on-bad with another word is a usage error' '
	adash-ingest --schema sales --on-bad ignore bad.csv
'

test_expect_success '--reject FILE: one NDJSON line {file,line,reason,raw} per bad row, and exit 0' '
	adash-ingest --schema sales --reject rej.ndjson bad.csv >out &&
	test_line_count = 4 out &&
	cat >expect <<-\EOF &&
	{"file":"bad.csv","line":3,"reason":"column \"sales\": \"abc\" is not a number","raw":"s1,2024-01-02,abc"}
	{"file":"bad.csv","line":5,"reason":"column \"sales\": \"-1\" is below 0","raw":"s1,2024-01-04,-1"}
	EOF
	test_cmp expect rej.ndjson
'

if test -n "$HAVE_JQ"; then
test_expect_success '--reject FILE is valid NDJSON with exactly those keys (jq)' '
	adash-ingest --schema sales --reject rej.ndjson bad.csv >/dev/null &&
	jq -e "keys_unsorted == [\"file\",\"line\",\"reason\",\"raw\"] and (.line | type) == \"number\"" rej.ndjson >/dev/null
'
else
	test_skip '--reject FILE is valid NDJSON with exactly those keys (jq) (no jq)'
fi

test_expect_success '--reject FILE is created empty when there is no bad row' '
	adash-ingest --schema sales --reject rej.ndjson "$TESTDATA/sales-messy.csv" >/dev/null &&
	test_must_be_empty_file rej.ndjson
'

test_expect_success '--reject on stdin names the input' '
	adash-ingest --schema sales --reject rej.ndjson <bad.csv >/dev/null &&
	test_line_count = 2 rej.ndjson &&
	test_grep "^{\"file\":\"[^\"][^\"]*\",\"line\":3," rej.ndjson
'

test_expect_code 3 '--reject into a missing directory exits 3' '
	adash-ingest --schema sales --reject no/such/dir/rej.ndjson bad.csv
'

test_expect_success '--stats FILE: rows_in, rows_out, rows_rejected, rows_dropped, by_reason' '
	adash-ingest --schema sales --on-bad skip --stats st.json bad.csv >/dev/null &&
	cat >expect <<-\EOF &&
	{
	  "rows_in": 5,
	  "rows_out": 3,
	  "rows_rejected": 2,
	  "rows_dropped": 0,
	  "by_reason": {
	    "sales: is not a number": 1,
	    "sales: is below": 1
	  }
	}
	EOF
	test_cmp expect st.json
'

test_expect_success '--stats with no bad row has an empty by_reason' '
	adash-ingest --schema sales --stats st.json "$TESTDATA/sales-messy.csv" >/dev/null &&
	test "$(stat_val st.json rows_in)" -eq 4 &&
	test "$(stat_val st.json rows_out)" -eq 4 &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(stat_val st.json rows_dropped)" -eq 0 &&
	test_grep "\"by_reason\": {}" st.json
'

test_expect_code 3 '--stats into a missing directory exits 3' '
	adash-ingest --schema sales --stats no/such/dir/st.json "$TESTDATA/sales-messy.csv"
'

# ---- -v ---------------------------------------------------------------------------

test_expect_success '-v prints one line of counts on stderr, and stdout is unchanged' '
	adash-ingest --schema sales --on-bad skip -v bad.csv >out 2>err &&
	echo "adash-ingest: rows_in 5, rows_out 3, rows_rejected 2, rows_dropped 0" >expect &&
	test_cmp expect err &&
	adash-ingest --schema sales --on-bad skip bad.csv >out2 &&
	test_cmp out out2
'

test_expect_success '--verbose is -v' '
	adash-ingest --schema sales --on-bad skip --verbose bad.csv >/dev/null 2>err &&
	test_grep "^adash-ingest: rows_in 5, rows_out 3, rows_rejected 2, rows_dropped 0\$" err
'

test_expect_success '-q silences -v' '
	adash-ingest --schema sales --on-bad skip -v -q bad.csv >/dev/null 2>err &&
	test_must_be_empty_file err
'

test_expect_success 'without -v nothing is written on stderr' '
	adash-ingest --schema sales "$TESTDATA/sales-messy.csv" >/dev/null 2>err &&
	test_must_be_empty_file err
'

# ---- nothing lost: a deliberately corrupted file ---------------------------------

test_expect_success 'setup: the corrupted fixture has what it claims to have' '
	cp "$TESTDATA/corrupt-sales.csv" corrupt.csv &&
	# a NUL byte
	tr -d "\\000" <corrupt.csv >nonul && ! cmp -s corrupt.csv nonul &&
	# a byte that is never valid UTF-8
	tr -d "\\377" <corrupt.csv >no377 && ! cmp -s corrupt.csv no377 &&
	# the last line opens a quote it never closes
	tail -1 corrupt.csv | grep -q "^s02,2024-01-08,260,425,9.99,1,\"warm\$" &&
	test "$(wc -l <corrupt.csv)" -eq 23
'

test_expect_code 1 'corrupt: by default it stops at the first bad row' '
	adash-ingest --schema sales corrupt.csv
'

test_expect_success 'corrupt: the first bad row is the ragged line 4' '
	adash-ingest --schema sales corrupt.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: corrupt.csv:4: .*5 fields" err &&
	test_line_count = 3 out
'

test_expect_success 'corrupt: --on-bad skip reads to the end and exits 0' '
	adash-ingest --schema sales --on-bad skip corrupt.csv >out &&
	cat >expect <<-\EOF &&
	shop_id,date,sales,footfall,price,promo,temp_c
	s01,2024-01-01,120.5,300,9.99,0,3.5
	s01,2024-01-02,130,310,9.99,1,4
	s01,2024-01-07,170,360,9.99,0,4
	s01,2024-01-12,190,385,9.99,0,4
	s02,2024-01-07,250,420,9.99,0,4
	EOF
	test_cmp expect out
'

test_expect_success 'corrupt: rows_in = rows_out + rows_rejected + rows_dropped' '
	adash-ingest --schema sales --reject rej.ndjson --stats st.json corrupt.csv >out &&
	check_invariant st.json
'

test_expect_success 'corrupt: the counts are the fixture'"'"'s: 20 records, 5 good, 15 bad' '
	adash-ingest --schema sales --reject rej.ndjson --stats st.json corrupt.csv >out &&
	test "$(stat_val st.json rows_in)" -eq 20 &&
	test "$(stat_val st.json rows_out)" -eq 5 &&
	test "$(stat_val st.json rows_rejected)" -eq 15 &&
	test "$(stat_val st.json rows_dropped)" -eq 0
'

test_expect_success 'corrupt: the counts agree with the output and the reject file' '
	adash-ingest --schema sales --reject rej.ndjson --stats st.json corrupt.csv >out &&
	test "$(stat_val st.json rows_out)" -eq $(( $(wc -l <out) - 1 )) &&
	test "$(stat_val st.json rows_rejected)" -eq "$(wc -l <rej.ndjson)"
'

if test -n "$HAVE_JQ"; then
test_expect_success 'corrupt: the invariant holds by jq too' '
	adash-ingest --schema sales --reject rej.ndjson --stats st.json corrupt.csv >out &&
	jq -e ".rows_in == .rows_out + .rows_rejected + .rows_dropped and
	       .rows_rejected == ([.by_reason[]] | add)" st.json >/dev/null
'
else
	test_skip 'corrupt: the invariant holds by jq too (no jq)'
fi

test_expect_success 'corrupt: each bad row is in the reject file with the line it starts on' '
	adash-ingest --schema sales --reject rej.ndjson corrupt.csv >out &&
	sed -n "s/^{\"file\":\"corrupt.csv\",\"line\":\\([0-9]*\\),\"reason\":.*/\\1/p" rej.ndjson | tr "\\n" " " >actual &&
	printf "4 5 6 7 10 11 12 13 15 16 17 18 19 20 23 " >expect &&
	test_cmp expect actual
'

if test -n "$HAVE_JQ"; then
test_expect_success 'corrupt: every reject line is a valid JSON object (jq)' '
	adash-ingest --schema sales --reject rej.ndjson corrupt.csv >/dev/null &&
	jq -e "(.file | type) == \"string\" and (.line | type) == \"number\" and
	       (.reason | type) == \"string\" and (.raw | type) == \"string\"" rej.ndjson >/dev/null &&
	test "$(jq -s length rej.ndjson)" -eq 15
'
else
	test_skip 'corrupt: every reject line is a valid JSON object (jq) (no jq)'
fi

test_expect_success 'corrupt: the reasons are counted by category' '
	adash-ingest --schema sales --on-bad skip --stats st.json corrupt.csv >/dev/null &&
	test "$(reason_val st.json "ragged row")" -eq 2 &&
	test "$(reason_val st.json "invalid UTF-8")" -eq 1 &&
	test "$(reason_val st.json "NUL byte")" -eq 1 &&
	test "$(reason_val st.json "malformed CSV")" -eq 1 &&
	test "$(reason_val st.json "unterminated quote")" -eq 1 &&
	test "$(reason_val st.json "sales: is not a number")" -eq 3 &&
	test "$(reason_val st.json "date: is not a date")" -eq 2
'

test_expect_success 'corrupt: the unterminated quote at the end is one rejected record' '
	adash-ingest --schema sales --reject rej.ndjson corrupt.csv >/dev/null &&
	tail -1 rej.ndjson >last &&
	test_grep "\"line\":23,\"reason\":\"unterminated quoted field" last
'

test_expect_success 'corrupt: the NUL and invalid UTF-8 rows are named by column' '
	adash-ingest --schema sales --reject rej.ndjson corrupt.csv >/dev/null &&
	test_grep "\"line\":10,\"reason\":\"column \\\\\"shop_id\\\\\": invalid UTF-8" rej.ndjson &&
	test_grep "\"line\":11,\"reason\":\"column \\\\\"sales\\\\\": NUL byte" rej.ndjson
'

test_expect_success 'corrupt: a quoted newline inside a number is one bad record, line 20' '
	adash-ingest --schema sales --reject rej.ndjson corrupt.csv >/dev/null &&
	test_grep "\"line\":20,.*\"raw\":\"s02,2024-01-06,\\\\\"24\\\\n0\\\\\",415" rej.ndjson
'

test_expect_success 'corrupt: -v reports the same counts' '
	adash-ingest --schema sales --on-bad skip -v corrupt.csv >/dev/null 2>err &&
	echo "adash-ingest: rows_in 20, rows_out 5, rows_rejected 15, rows_dropped 0" >expect &&
	test_cmp expect err
'

test_expect_success 'corrupt: the same counts when read from stdin' '
	adash-ingest --schema sales --on-bad skip --stats st.json <corrupt.csv >/dev/null &&
	check_invariant st.json &&
	test "$(stat_val st.json rows_in)" -eq 20
'

test_expect_success 'corrupt: the invariant holds with dropped rows too (--dedupe)' '
	adash-ingest --schema sales --on-bad skip --dedupe shop_id --stats st.json corrupt.csv >out &&
	check_invariant st.json &&
	test "$(stat_val st.json rows_dropped)" -eq 3 &&
	test "$(stat_val st.json rows_out)" -eq 2 &&
	test "$(reason_val st.json duplicate)" -eq 3
'

test_expect_success 'corrupt: without a schema, only structural problems are rejected' '
	adash-ingest --on-bad skip --stats st.json corrupt.csv >out &&
	check_invariant st.json &&
	test "$(stat_val st.json rows_in)" -eq 20 &&
	test "$(stat_val st.json rows_rejected)" -eq 6 &&
	test "$(stat_val st.json rows_out)" -eq 14
'

# ---- --dedupe ----------------------------------------------------------------------

test_expect_success 'setup: rows repeating on normalized values' '
	printf "shop_id,date,sales,note\ns1,2024-01-01,10,first\n s1 ,2024-01-01,10.0,second\ns1,2024-01-02,10,third\ns2,2024-01-01,1e1,fourth\ns1,2024-01-01,11,fifth\n" >dup.csv
'

test_expect_success '--dedupe COLS keeps the first row of each key, on normalized values' '
	adash-ingest --schema sales --dedupe shop_id,date dup.csv >out &&
	cut -d, -f4 out >actual &&
	printf "note\nfirst\nthird\nfourth\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--dedupe over all the key columns' '
	adash-ingest --schema sales --dedupe shop_id,date,sales dup.csv >out &&
	cut -d, -f4 out >actual &&
	printf "note\nfirst\nthird\nfourth\nfifth\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--dedupe counts dropped rows as "duplicate"' '
	adash-ingest --schema sales --dedupe shop_id,date --stats st.json dup.csv >/dev/null &&
	test "$(stat_val st.json rows_in)" -eq 5 &&
	test "$(stat_val st.json rows_out)" -eq 3 &&
	test "$(stat_val st.json rows_dropped)" -eq 2 &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(reason_val st.json duplicate)" -eq 2
'

test_expect_success '--dedupe never puts duplicates in the reject file' '
	adash-ingest --schema sales --dedupe shop_id,date --reject rej dup.csv >/dev/null &&
	test_must_be_empty_file rej
'

test_expect_success '--dedupe does not mistake "a,b"+"c" for "a"+"b,c"' '
	printf "x,y\n\"a,b\",c\na,\"b,c\"\n" >in.csv &&
	adash-ingest --dedupe x,y in.csv >out &&
	test_line_count = 3 out
'

test_expect_code 1 '--dedupe with a column the input lacks exits 1' '
	adash-ingest --schema sales --dedupe shop,date dup.csv
'
test_expect_code 2 '--dedupe with an empty item is a usage error' '
	adash-ingest --schema sales --dedupe shop_id,,date dup.csv
'

# ---- --keep -------------------------------------------------------------------------

test_expect_success '--keep COLS outputs those columns in that order' '
	adash-ingest --schema sales --keep sales,shop_id "$TESTDATA/sales-messy.csv" >actual &&
	printf "sales,shop_id\n120.5,s01\n100,s01\n7,s02\n0.000001,s02\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--keep may name a column outside the schema' '
	adash-ingest --schema sales --keep region "$TESTDATA/sales-messy.csv" >actual &&
	printf "region\nnorth\n\"north, east\"\n  south  \n\"\"\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--keep with NDJSON output' '
	adash-ingest --schema sales --keep shop_id,price --output-format ndjson "$TESTDATA/sales-messy.csv" >actual &&
	cat >expect <<-\EOF &&
	{"shop_id":"s01","price":9.99}
	{"shop_id":"s01","price":10}
	{"shop_id":"s02","price":15}
	{"shop_id":"s02","price":0.5}
	EOF
	test_cmp expect actual
'

test_expect_success '--keep still validates the columns it leaves out' '
	adash-ingest --schema sales --keep shop_id --reject rej bad.csv >out &&
	test_line_count = 4 out && test_line_count = 2 rej
'

test_expect_code 1 '--keep with a column the input lacks exits 1' '
	adash-ingest --schema sales --keep shop_id,nope "$TESTDATA/sales-messy.csv"
'
test_expect_code 2 '--keep with an empty item is a usage error' '
	adash-ingest --keep shop_id, "$TESTDATA/sales-messy.csv"
'

# ---- several input files --------------------------------------------------------

test_expect_success 'setup: three files with the same columns in different orders' '
	printf "shop_id,date,sales,price\ns1,2024-01-01,1,2\n" >f1.csv &&
	printf "sales,price,date,shop_id\n3,4,2024-01-02,s2\n" >f2.csv &&
	printf "date,shop_id,sales\n2024-01-03,s3,5\n" >f3.csv
'

test_expect_success 'several files: the first one sets the columns, later ones match by name' '
	adash-ingest --schema sales f1.csv f2.csv f3.csv >actual &&
	cat >expect <<-\EOF &&
	shop_id,date,sales,price
	s1,2024-01-01,1,2
	s2,2024-01-02,3,4
	s3,2024-01-03,5,
	EOF
	test_cmp expect actual
'

test_expect_success 'several files: - reads stdin among them' '
	adash-ingest --schema sales f1.csv - f3.csv <f2.csv >actual &&
	adash-ingest --schema sales f1.csv f2.csv f3.csv >expect &&
	test_cmp expect actual
'

test_expect_success 'several files: the header is written once' '
	adash-ingest f1.csv f1.csv f1.csv >out &&
	test_line_count = 4 out &&
	test "$(grep -c "^shop_id," out)" -eq 1
'

test_expect_success 'several files: counts add up, reject lines name their file' '
	adash-ingest --schema sales --reject rej --stats st.json bad.csv f3.csv bad.csv >out &&
	test "$(stat_val st.json rows_in)" -eq 11 &&
	test "$(stat_val st.json rows_out)" -eq 7 &&
	test "$(stat_val st.json rows_rejected)" -eq 4 &&
	check_invariant st.json &&
	test "$(grep -c "^{\"file\":\"bad.csv\",\"line\":3," rej)" -eq 2
'

test_expect_success 'several files: line numbers restart in each file' '
	adash-ingest --schema sales f1.csv bad.csv 2>err; test $? -eq 1 &&
	test_grep "^adash-ingest: bad.csv:3: column \"sales\"" err
'

test_expect_success 'several files: a column the first file lacks is an error, exit 1' '
	adash-ingest --schema sales f3.csv f1.csv >out 2>err; rc=$?
	test $rc -eq 1 && test_one_line err && test_grep "f1.csv" err && test_grep "price" err
'

test_expect_code 1 'several files: a later file lacking a required column exits 1' '
	printf "shop_id,sales\ns9,9\n" >nodate.csv &&
	adash-ingest --schema sales f1.csv nodate.csv
'

test_expect_code 3 'several files: a later file that does not exist exits 3' '
	adash-ingest --schema sales f1.csv no-such-file.csv
'

test_expect_success 'several files: a CSV file then an NDJSON file with the same keys' '
	printf "{\"shop_id\":\"s2\",\"date\":\"2024-01-02\",\"sales\":3,\"price\":4}\n" >f2.ndjson &&
	adash-ingest --schema sales f1.csv f2.ndjson >actual &&
	printf "shop_id,date,sales,price\ns1,2024-01-01,1,2\ns2,2024-01-02,3,4\n" >expect &&
	test_cmp expect actual
'

# ---- delimiters and headers ---------------------------------------------------

test_expect_success '-d with a tab: TSV in and TSV out' '
	printf "shop_id\tdate\tsales\tnote\n s1 \t2024-01-01\t1.50\ta,b\ns2\t2024-01-02\t2\t\"x\ty\"\n" >in.tsv &&
	adash-ingest --schema sales -d "\\t" in.tsv >actual &&
	printf "shop_id\tdate\tsales\tnote\ns1\t2024-01-01\t1.5\ta,b\ns2\t2024-01-02\t2\t\"x\ty\"\n" >expect &&
	test_cmp expect actual
'

test_expect_success '-d tab is the same as a tab' '
	printf "a\tb\n1\t2\n" >in.tsv &&
	adash-ingest -d tab in.tsv >actual &&
	cmp in.tsv actual
'

test_expect_success 'TSV read as CSV (no -d) is one column per line' '
	printf "a\tb\n1\t2\n" >in.tsv &&
	adash-ingest --output-format ndjson in.tsv >actual &&
	printf "{\"a\\\\tb\":\"1\\\\t2\"}\n" >expect &&
	test_cmp expect actual
'

test_expect_success '-d ";" quotes fields holding a ";"' '
	printf "a;b\n\"x;y\";z\n" >in.csv &&
	adash-ingest -d ";" in.csv >actual &&
	cmp in.csv actual
'

test_expect_success '--no-header leaves out the header, once for several files' '
	adash-ingest --schema sales --no-header f1.csv f2.csv >actual &&
	printf "s1,2024-01-01,1,2\ns2,2024-01-02,3,4\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--no-header outputs of partitions concatenate to the whole' '
	adash-synth sales --shops 4 --days 5 >all.csv &&
	head -11 all.csv >p1.csv && { head -1 all.csv; sed 1,11d all.csv; } >p2.csv &&
	adash-ingest --schema sales p1.csv >o1 &&
	adash-ingest --schema sales --no-header p2.csv >o2 &&
	cat o1 o2 >whole &&
	cmp all.csv whole
'

test_expect_success 'a header-only input gives a header-only output' '
	printf "shop_id,date,sales\n" >in.csv &&
	adash-ingest --schema sales in.csv >actual &&
	cmp in.csv actual
'

test_expect_success 'an empty input gives an empty output, exit 0' '
	adash-ingest </dev/null >out &&
	test_must_be_empty_file out
'

# ---- exit codes ---------------------------------------------------------------------

test_expect_code 1 'a CSV lacking a required column exits 1' '
	printf "shop_id,sales\ns1,1\n" | adash-ingest --schema sales
'

test_expect_success 'the message names the missing column and the schema' '
	printf "shop_id,sales\ns1,1\n" >in.csv &&
	adash-ingest --schema sales in.csv >out 2>err; test $? -eq 1 &&
	echo "adash-ingest: in.csv:1: column \"date\" required by schema sales is missing" >expect &&
	test_cmp expect err &&
	test_must_be_empty_file out
'

test_expect_code 1 'an NDJSON record lacking a required key exits 1' '
	printf "{\"shop_id\":\"s1\",\"sales\":1}\n" | adash-ingest --schema sales
'

test_expect_code 1 'a header with a repeated column exits 1' '
	printf "a,b,a\n1,2,3\n" | adash-ingest
'

test_expect_code 1 'a header with invalid UTF-8 exits 1' '
	printf "a,\\377\n1,2\n" | adash-ingest
'

test_expect_code 3 'a nonexistent input file exits 3' '
	adash-ingest --schema sales no-such-file.csv
'

test_expect_success 'the message for a nonexistent file names it, on one line' '
	adash-ingest no-such-file.csv >out 2>err; test $? -eq 3 &&
	test_one_line err && test_grep "^adash-ingest: no-such-file.csv: " err
'

test_expect_code 3 'a directory as input exits 3' 'adash-ingest .'

test_expect_code 2 'an unknown option exits 2' 'adash-ingest --frobnicate <"$TESTDATA/orders.csv"'
test_expect_code 2 'an unknown short option exits 2' 'adash-ingest -Z <"$TESTDATA/orders.csv"'
test_expect_code 2 'an option without its argument exits 2' 'adash-ingest --schema'
test_expect_code 2 '--input-format xml exits 2' 'adash-ingest --input-format xml <"$TESTDATA/orders.csv"'
test_expect_code 2 '--output-format xml exits 2' 'adash-ingest --output-format xml <"$TESTDATA/orders.csv"'
test_expect_code 2 '-d with two characters exits 2' 'adash-ingest -d ab <"$TESTDATA/orders.csv"'

test_expect_success 'a usage error is one line on stderr and nothing on stdout' '
	adash-ingest --frobnicate <"$TESTDATA/orders.csv" >out 2>err; test $? -eq 2 &&
	test_one_line err && test_grep "^adash-ingest: .*frobnicate" err &&
	test_must_be_empty_file out
'

# ---- output errors ------------------------------------------------------------------

test_expect_success 'a closed pipe (| head -1) ends ingest quietly' '
	adash-synth sales --shops 20 --days 730 >big.csv &&
	{ adash-ingest --schema sales big.csv 2>err; echo $? >rc; } | head -1 >first &&
	echo "shop_id,date,sales,footfall,price,promo,temp_c" >expect &&
	test_cmp expect first &&
	rc=$(cat rc) && echo "exit status $rc" &&
	{ test "$rc" -eq 141 || test "$rc" -eq 0; } &&
	test_must_be_empty_file err
'

test_expect_success 'a closed pipe ends ingest quietly with NDJSON out, -v and --reject' '
	{ adash-ingest --schema sales -v --reject rej --output-format ndjson big.csv 2>err; echo $? >rc; } | head -1 >first &&
	test_line_count = 1 first &&
	rc=$(cat rc) && { test "$rc" -eq 141 || test "$rc" -eq 0; } &&
	{ test "$rc" -eq 0 || test_must_be_empty_file err; }
'

if test -w /dev/full; then
test_expect_success 'writing to /dev/full exits 3 with "write error"' '
	adash-ingest --schema sales "$TESTDATA/sales-messy.csv" >/dev/full 2>err; rc=$?
	test "$rc" -eq 3 && test_one_line err && test_grep "^adash-ingest: write error" err
'
else
	test_skip 'writing to /dev/full exits 3 with "write error" (no /dev/full)'
fi

if test -w /dev/full; then
test_expect_success 'writing a large output to /dev/full exits 3 with "write error"' '
	adash-ingest --schema sales big.csv >/dev/full 2>err; rc=$?
	test "$rc" -eq 3 && test_one_line err && test_grep "write error" err
'
else
	test_skip 'writing a large output to /dev/full exits 3 with "write error" (no /dev/full)'
fi

test_expect_success 'an epoch time in exponent form must come to whole microseconds' '
	printf "ts,user_id,event,item_id\n1.7e9,u1,pin,w1\n1.7000000001234567e9,u1,pin,w1\n" >ep.csv &&
	adash-ingest --schema events --on-bad skip -v ep.csv >out 2>err &&
	test_grep "rows_in 2, rows_out 1, rows_rejected 1" err &&
	test_grep "2023-11-14T22:13:20Z" out
'

test_expect_success '--infer: enum values differing only in case are one value' '
	{ echo kind; for i in 1 2 3 4 5 6 7 8 9 10; do echo open; echo Open; echo shut; done; } >kinds.csv &&
	adash-ingest --infer kinds.csv >schema.json &&
	test_grep "\"enum\"" schema.json &&
	test $(grep -c "\"[Oo]pen\"" schema.json) -eq 1 &&
	adash-ingest --schema ./schema.json kinds.csv >out
'

test_done
