#!/bin/sh
# Formats: CSV <-> NDJSON round trips, format detection and forcing, BOM and
# CRLF input, NDJSON key order and missing keys, malformed NDJSON.
. "$top_srcdir/tests/lib.sh"

# csv_ndjson_csv FILE [OPTION]...: FILE through NDJSON and back to CSV, in
# ./back; ./mid holds the NDJSON.
csv_ndjson_csv() {
	f=$1; shift
	adash-ingest "$@" --output-format ndjson "$f" >mid &&
	adash-ingest "$@" --output-format csv mid >back
}

# ---- CSV -> NDJSON -> CSV -------------------------------------------------------

test_expect_success 'CSV -> NDJSON -> CSV gives identical bytes: synth sales' '
	adash-synth sales --shops 3 --days 40 --seed 8 >in.csv &&
	csv_ndjson_csv in.csv && cmp in.csv back
'

test_expect_success 'CSV -> NDJSON -> CSV gives identical bytes: synth sales through --schema sales' '
	adash-synth sales --shops 3 --days 40 --seed 8 >in.csv &&
	csv_ndjson_csv in.csv --schema sales && cmp in.csv back
'

test_expect_success 'CSV -> NDJSON -> CSV gives identical bytes: synth events (empty fields)' '
	adash-synth events --users 10 --items 6 --days 3 --seed 8 >in.csv &&
	csv_ndjson_csv in.csv && cmp in.csv back &&
	csv_ndjson_csv in.csv --schema events && cmp in.csv back
'

test_expect_success 'CSV -> NDJSON -> CSV gives identical bytes: synth items' '
	adash-synth items --items 30 >in.csv &&
	csv_ndjson_csv in.csv && cmp in.csv back
'

test_expect_success 'CSV -> NDJSON -> CSV gives identical bytes: quotes, commas, newlines, unicode, "007"' '
	csv_ndjson_csv "$TESTDATA/tricky.csv" &&
	cmp "$TESTDATA/tricky.csv" back
'

test_expect_success 'the NDJSON in between is exact (golden)' '
	adash-ingest --output-format ndjson "$TESTDATA/tricky.csv" >actual &&
	test_cmp "$TESTDATA/golden/tricky.csv.ndjson" actual
'

test_expect_success 'values that are not numbers in canonical form stay strings' '
	adash-ingest --output-format ndjson "$TESTDATA/tricky.csv" >mid &&
	for v in "\"code\":\"007\"" "\"code\":\"0012\"" "\"code\":\"+5\"" "\"code\":\"1.50\"" \
		 "\"code\":\"-0\"" "\"code\":\"1e3\"" "\"code\":\".5\"" "\"code\":\"00\"" \
		 "\"flag\":\"NaN\"" "\"flag\":\"true\""; do
		grep -qF "$v" mid || { echo "missing $v"; exit 1; }
	done
'

test_expect_success 'an integer in int64 range is a JSON number, even beyond 2^53' '
	adash-ingest --output-format ndjson "$TESTDATA/tricky.csv" >mid &&
	grep -qF "\"num\":12345678901234567," mid
'

test_expect_success 'numbers in canonical form become JSON numbers' '
	adash-ingest --output-format ndjson "$TESTDATA/tricky.csv" >mid &&
	for v in "\"num\":1.5," "\"num\":-0.25," "\"num\":1e-7," "\"num\":0," "\"num\":100," \
		 "\"num\":123456789012345," "\"flag\":1e+21}" "{\"id\":10,"; do
		grep -qF "$v" mid || { echo "missing $v"; exit 1; }
	done
'

test_expect_success 'NDJSON output escapes what JSON needs and keeps UTF-8 as it is' '
	adash-ingest --output-format ndjson "$TESTDATA/tricky.csv" >mid &&
	grep -qF "\"text\":\"say \\\"hi\\\" twice\"" mid &&
	grep -qF "\"text\":\"multi\\nline\"" mid &&
	grep -qF "\"text\":\"cr\\r\\ninside\"" mid &&
	grep -qF "\"text\":\"tab\\there\"" mid &&
	grep -qF "\"text\":\"back\\\\slash\"" mid &&
	grep -qF "\"text\":\"naïve café ☕ 日本 🎉\"" mid
'

test_expect_success 'control characters are escaped as \u00XX' '
	printf "a\nx\001y\n" >in.csv &&
	adash-ingest --output-format ndjson in.csv >actual &&
	printf "{\"a\":\"x\\\\u0001y\"}\n" >expect &&
	test_cmp expect actual &&
	adash-ingest --output-format csv actual >back && cmp in.csv back
'

test_expect_success 'CSV output quotes only the fields that need it' '
	cat >in.ndjson <<-\EOF &&
	{"a":"  lead and trail  ","b":"x,y","c":"q\"q","d":"l1\nl2","e":"cr\rx","f":"plain"}
	EOF
	adash-ingest --output-format csv in.ndjson >actual &&
	printf "a,b,c,d,e,f\n  lead and trail  ,\"x,y\",\"q\"\"q\",\"l1\nl2\",\"cr\rx\",plain\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a single column with an empty value survives the round trip' '
	printf "a\n\"\"\nx\n" >in.csv &&
	csv_ndjson_csv in.csv && cmp in.csv back &&
	printf "{\"a\":null}\n{\"a\":\"x\"}\n" >expect && test_cmp expect mid
'

test_expect_success 'missing values (empty, NA) become null in NDJSON' '
	printf "a,b,c\n,NA,x\n" >in.csv &&
	adash-ingest --output-format ndjson in.csv >actual &&
	printf "{\"a\":null,\"b\":null,\"c\":\"x\"}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a canonical integer beyond 2^63 survives CSV -> NDJSON -> CSV' '
	printf "id,v\na,10000000000000000000\nb,100000000000000000000\nc,-9223372036854775809\n" >in.csv &&
	csv_ndjson_csv in.csv && cmp in.csv back
'

test_expect_success 'a schema number beyond 2^63 written as NDJSON reads back' '
	printf "shop_id,date,sales\ns1,2024-01-01,1e20\n" >in.csv &&
	adash-ingest --schema sales --output-format ndjson in.csv >mid &&
	adash-ingest --schema sales --output-format csv mid >back &&
	printf "shop_id,date,sales,footfall,price,promo,temp_c\ns1,2024-01-01,100000000000000000000,,,,\n" >expect &&
	test_cmp expect back
'

# ---- NDJSON -> CSV -> NDJSON -----------------------------------------------------

test_expect_success 'NDJSON -> CSV -> NDJSON gives identical bytes' '
	adash-ingest --output-format csv "$TESTDATA/tricky.ndjson" >mid &&
	adash-ingest --output-format ndjson mid >back &&
	cmp "$TESTDATA/tricky.ndjson" back
'

test_expect_success 'the CSV in between is exact (golden)' '
	adash-ingest --output-format csv "$TESTDATA/tricky.ndjson" >actual &&
	test_cmp "$TESTDATA/golden/tricky.ndjson.csv" actual
'

test_expect_success 'NDJSON -> TSV -> NDJSON gives identical bytes' '
	adash-ingest -d "\\t" --output-format csv "$TESTDATA/tricky.ndjson" >mid &&
	head -1 mid | grep -q "^user	n	x	" &&
	adash-ingest -d "\\t" --output-format ndjson mid >back &&
	cmp "$TESTDATA/tricky.ndjson" back
'

test_expect_success 'NDJSON -> CSV -> NDJSON gives identical bytes: synth events' '
	adash-synth events --users 8 --items 5 --days 2 --output-format ndjson >in.ndjson &&
	adash-ingest --output-format csv in.ndjson >mid &&
	adash-ingest --schema events --output-format ndjson mid >back &&
	cmp in.ndjson back
'

test_expect_success 'NDJSON reals are written in shortest form' '
	printf "{\"x\":1.50}\n{\"x\":1E2}\n{\"x\":0.30000000000000004}\n{\"x\":-0.0}\n{\"x\":2.0e-7}\n" >in.ndjson &&
	adash-ingest in.ndjson >actual &&
	printf "{\"x\":1.5}\n{\"x\":100}\n{\"x\":0.30000000000000004}\n{\"x\":0}\n{\"x\":2e-7}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'JSON booleans pass through NDJSON and are true/false in CSV' '
	printf "{\"a\":true,\"b\":false}\n" >in.ndjson &&
	adash-ingest in.ndjson >actual && test_cmp in.ndjson actual &&
	adash-ingest --output-format csv in.ndjson >actual &&
	printf "a,b\ntrue,false\n" >expect && test_cmp expect actual
'

test_expect_success 'JSON escapes are decoded: \u00e9, \/ and a surrogate pair' '
	printf "{\"a\":\"caf\\\\u00e9 \\\\/ \\\\ud83c\\\\udf89\"}\n" >in.ndjson &&
	adash-ingest --output-format csv in.ndjson >actual &&
	printf "a\ncafé / 🎉\n" >expect &&
	test_cmp expect actual
'

# ---- NDJSON keys --------------------------------------------------------------------

test_expect_success 'NDJSON keys in another order: columns follow the first record' '
	printf "{\"b\":1,\"a\":\"x\",\"c\":true}\n{\"c\":false,\"a\":\"y\",\"b\":2}\n{\"a\":\"z\",\"b\":3,\"c\":null}\n" >in.ndjson &&
	adash-ingest --output-format csv in.ndjson >actual &&
	printf "b,a,c\n1,x,true\n2,y,false\n3,z,\n" >expect &&
	test_cmp expect actual &&
	adash-ingest in.ndjson >actual &&
	printf "{\"b\":1,\"a\":\"x\",\"c\":true}\n{\"b\":2,\"a\":\"y\",\"c\":false}\n{\"b\":3,\"a\":\"z\",\"c\":null}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'NDJSON missing keys are missing values' '
	printf "{\"a\":\"x\",\"b\":1}\n{\"b\":2}\n{\"a\":\"z\"}\n{}\n" >in.ndjson &&
	adash-ingest --output-format csv in.ndjson >actual &&
	printf "a,b\nx,1\n,2\nz,\n,\n" >expect &&
	test_cmp expect actual &&
	adash-ingest in.ndjson >actual &&
	printf "{\"a\":\"x\",\"b\":1}\n{\"a\":null,\"b\":2}\n{\"a\":\"z\",\"b\":null}\n{\"a\":null,\"b\":null}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'with a schema, NDJSON columns are the schema'"'"'s, in its order, then the rest' '
	printf "{\"extra\":\"e\",\"sales\":\"1.50\",\"date\":\"2024-01-01\",\"shop_id\":\" s1 \"}\n" >in.ndjson &&
	adash-ingest --schema sales in.ndjson >actual &&
	printf "{\"shop_id\":\"s1\",\"date\":\"2024-01-01\",\"sales\":1.5,\"footfall\":null,\"price\":null,\"promo\":null,\"temp_c\":null,\"extra\":\"e\"}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a key not seen in the first record is a bad row, named' '
	printf "{\"a\":1}\n{\"a\":2,\"zz\":3}\n{\"a\":4}\n" >in.ndjson &&
	adash-ingest in.ndjson >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: in.ndjson:2: .*\"zz\"" err &&
	adash-ingest --on-bad skip in.ndjson >actual &&
	printf "{\"a\":1}\n{\"a\":4}\n" >expect && test_cmp expect actual
'

test_expect_success 'NDJSON: blank lines are skipped, not counted, and line numbers stay physical' '
	printf "\n{\"a\":1}\n\n   \n{\"a\":\"bad\"\n{\"a\":3}\n\n" >in.ndjson &&
	adash-ingest --reject rej --stats st.json in.ndjson >actual &&
	printf "{\"a\":1}\n{\"a\":3}\n" >expect && test_cmp expect actual &&
	test "$(stat_val st.json rows_in)" -eq 3 &&
	test "$(stat_val st.json rows_rejected)" -eq 1 &&
	test_grep "^{\"file\":\"in.ndjson\",\"line\":5," rej
'

test_expect_success 'NDJSON: each malformed record is a bad row, and reading goes on' '
	{
		printf "{\"a\":1}\n"
		printf "[1]\n"
		printf "\"x\"\n"
		printf "{\"a\":{\"b\":1}}\n"
		printf "{\"a\":[1]}\n"
		printf "{\"a\":1,\"a\":2}\n"
		printf "{\"a\":\"\\\\u0000\"}\n"
		printf "{\"a\":\"\\377\"}\n"
		printf "{\"a\":1e400}\n"
		printf "{\"a\":1,}\n"
		printf "{\"a\":9}\n"
	} >in.ndjson &&
	adash-ingest --reject rej --stats st.json in.ndjson >actual &&
	printf "{\"a\":1}\n{\"a\":9}\n" >expect && test_cmp expect actual &&
	test "$(stat_val st.json rows_in)" -eq 11 &&
	test "$(stat_val st.json rows_rejected)" -eq 9 &&
	test_line_count = 9 rej
'

test_expect_success 'NDJSON: a malformed first record does not lose the records after it' '
	printf "{\"a\":1,\n{\"a\":2}\n{\"a\":3}\n" >in.ndjson &&
	adash-ingest --on-bad skip --stats st.json in.ndjson >actual &&
	printf "{\"a\":2}\n{\"a\":3}\n" >expect &&
	test_cmp expect actual &&
	test "$(stat_val st.json rows_rejected)" -eq 1
'

test_expect_success 'NDJSON with a schema: a malformed first record does not lose the others' '
	printf "{\"shop_id\":\"s1\",\"date\":\"2024-01-01\",\"sales\":1,\"x\":1\n{\"shop_id\":\"s2\",\"date\":\"2024-01-02\",\"sales\":2,\"x\":2}\n" >in.ndjson &&
	adash-ingest --schema sales --on-bad skip --stats st.json --output-format csv in.ndjson >actual &&
	test "$(stat_val st.json rows_out)" -eq 1 &&
	test_grep "^s2,2024-01-02,2,,,,,2\$" actual
'

# ---- format detection and forcing ------------------------------------------------

test_expect_success 'detection: the first non-blank byte { means NDJSON' '
	printf "\n  \n\t{\"a\":1}\n{\"a\":2}\n" >in.txt &&
	adash-ingest --output-format csv in.txt >actual &&
	printf "a\n1\n2\n" >expect && test_cmp expect actual
'

test_expect_success 'detection: anything else means CSV' '
	printf "a,b\n{1},2\n" >in.txt &&
	adash-ingest --output-format ndjson in.txt >actual &&
	printf "{\"a\":\"{1}\",\"b\":2}\n" >expect && test_cmp expect actual
'

test_expect_success 'detection works on stdin too' '
	printf "{\"a\":1}\n" | adash-ingest --output-format csv >actual &&
	printf "a\n1\n" >expect && test_cmp expect actual
'

test_expect_success 'the output format follows the input by default' '
	printf "{\"a\":1}\n" >in.ndjson && adash-ingest in.ndjson >actual &&
	test_cmp in.ndjson actual &&
	printf "a\n1\n" >in.csv && adash-ingest in.csv >actual &&
	test_cmp in.csv actual
'

test_expect_code 1 'a CSV whose header starts with { is taken for NDJSON' '
	printf "{x},b\n1,2\n" >brace.csv &&
	adash-ingest brace.csv
'

test_expect_success '--input-format csv forces CSV; the header is quoted so it reads back as CSV' '
	printf "{x},b\n1,2\n" >brace.csv &&
	adash-ingest --input-format csv brace.csv >actual &&
	printf "\"{x}\",b\n1,2\n" >expect &&
	test_cmp expect actual &&
	adash-ingest actual >again && test_cmp expect again
'

test_expect_code 1 '--input-format ndjson forces NDJSON (a CSV then is bad rows)' '
	printf "a,b\n1,2\n" >in.csv &&
	adash-ingest --input-format ndjson in.csv
'

test_expect_success '--input-format ndjson with skip: every CSV line is a rejected row' '
	printf "a,b\n1,2\n" >in.csv &&
	adash-ingest --input-format ndjson --on-bad skip --stats st.json in.csv >out &&
	test "$(stat_val st.json rows_in)" -eq 2 &&
	test "$(stat_val st.json rows_rejected)" -eq 2
'

test_expect_success '--input-format json and jsonl mean ndjson' '
	printf "{\"a\":1}\n" >in.txt &&
	adash-ingest --input-format json in.txt >a &&
	adash-ingest --input-format jsonl in.txt >b &&
	test_cmp in.txt a && test_cmp in.txt b
'

test_expect_code 2 '--input-format with an unknown name exits 2' '
	adash-ingest --input-format tsv "$TESTDATA/tricky.csv"
'

# ---- BOM and line ends -----------------------------------------------------------------

test_expect_success 'a UTF-8 BOM before a CSV header is skipped' '
	printf "\357\273\277shop_id,date,sales\ns1,2024-01-01,1\n" >in.csv &&
	adash-ingest --schema sales in.csv >actual &&
	printf "shop_id,date,sales\ns1,2024-01-01,1\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a UTF-8 BOM before NDJSON is skipped and NDJSON still detected' '
	printf "\357\273\277{\"a\":1}\n" >in.txt &&
	adash-ingest in.txt >actual &&
	printf "{\"a\":1}\n" >expect && test_cmp expect actual
'

test_expect_success 'a BOM only in the middle of the data is data' '
	printf "a\n\357\273\277x\n" >in.csv &&
	adash-ingest in.csv >actual &&
	test_cmp in.csv actual
'

test_expect_success 'CRLF line ends: CSV reads as with LF, output has LF' '
	printf "shop_id,date,sales\r\ns1,2024-01-01,1\r\ns2,2024-01-02,2\r\n" >crlf.csv &&
	adash-ingest --schema sales crlf.csv >actual &&
	printf "shop_id,date,sales\ns1,2024-01-01,1\ns2,2024-01-02,2\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'CRLF line ends without a schema' '
	printf "a,b\r\n1,2\r\n" >crlf.csv &&
	adash-ingest crlf.csv >actual &&
	printf "a,b\n1,2\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'BOM and CRLF together (a spreadsheet export)' '
	printf "\357\273\277a,b\r\n\"x, y\",2\r\n" >excel.csv &&
	adash-ingest --output-format ndjson excel.csv >actual &&
	printf "{\"a\":\"x, y\",\"b\":2}\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'CRLF line ends: nothing rejected, counts right' '
	adash-synth sales --shops 2 --days 5 | sed "s/\$/\r/" >crlf.csv &&
	adash-ingest --schema sales --on-bad skip --stats st.json crlf.csv >out &&
	test "$(stat_val st.json rows_in)" -eq 10 &&
	test "$(stat_val st.json rows_out)" -eq 10 &&
	test "$(stat_val st.json rows_rejected)" -eq 0
'

test_expect_success 'CRLF line ends in NDJSON' '
	printf "{\"a\":1}\r\n{\"a\":2}\r\n" >in.ndjson &&
	adash-ingest in.ndjson >actual &&
	printf "{\"a\":1}\n{\"a\":2}\n" >expect && test_cmp expect actual
'

test_expect_success 'a CRLF inside a quoted field is data' '
	printf "a,b\n\"x\r\ny\",1\n" >in.csv &&
	adash-ingest in.csv >actual &&
	test_cmp in.csv actual &&
	adash-ingest --output-format ndjson in.csv >actual &&
	printf "{\"a\":\"x\\\\r\\\\ny\",\"b\":1}\n" >expect && test_cmp expect actual
'

test_expect_success 'bare CR line ends are refused with a hint, exit 1' '
	printf "a,b\r1,2\r" >cr.csv &&
	adash-ingest cr.csv >out 2>err; test $? -eq 1 &&
	test_one_line err && test_grep "carriage return" err
'

test_expect_success 'CSV: blank lines are skipped and not counted' '
	printf "a,b\n\n1,2\n\n\n3,4\n\n" >in.csv &&
	adash-ingest --stats st.json in.csv >actual &&
	printf "a,b\n1,2\n3,4\n" >expect && test_cmp expect actual &&
	test "$(stat_val st.json rows_in)" -eq 2
'

test_expect_success 'CSV: a last line without a line end is read' '
	printf "a,b\n1,2\n3,4" >in.csv &&
	adash-ingest in.csv >actual &&
	printf "a,b\n1,2\n3,4\n" >expect && test_cmp expect actual
'

test_expect_success 'CSV: spaces are data, around quotes they are malformed quoting' '
	printf "a,b\n x , y \n" >in.csv &&
	adash-ingest in.csv >actual && test_cmp in.csv actual &&
	printf "a,b\n\"x\" ,y\n" >in2.csv &&
	adash-ingest in2.csv >out 2>err; test $? -eq 1 &&
	test_grep "malformed CSV" err
'

test_done
