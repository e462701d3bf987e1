#!/bin/sh
# adash-ingest's privacy operations: --forget, --consent, --user-col,
# --pseudonymize with --key-file, and their errors.
. "$top_srcdir/tests/lib.sh"

EV="$TESTDATA/privacy-events.csv"
KEY="$TESTDATA/pseudo.key"

# users FILE: the user_id column (2nd) of a CSV, header left out.
users() { sed 1d "$1" | cut -d, -f2; }

# ---- --forget ------------------------------------------------------------------------

test_expect_success '--forget: every row of the listed users is gone, the others untouched' '
	adash-ingest --forget "$TESTDATA/forget.csv" "$EV" >out &&
	grep -v -e ",u2," -e ",u4," "$EV" >expect &&
	test_cmp expect out
'

test_expect_success '--forget: forgotten rows are counted as dropped, "forgotten user"' '
	adash-ingest --forget "$TESTDATA/forget.csv" --stats st.json "$EV" >out &&
	test "$(stat_val st.json rows_in)" -eq 12 &&
	test "$(stat_val st.json rows_out)" -eq 7 &&
	test "$(stat_val st.json rows_dropped)" -eq 5 &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(reason_val st.json "forgotten user")" -eq 5 &&
	check_invariant st.json
'

test_expect_success '--forget: forgotten rows are never in the reject file' '
	adash-ingest --forget "$TESTDATA/forget.csv" --reject rej "$EV" >out &&
	test_must_be_empty_file rej
'

test_expect_success '--forget: -v reports the dropped rows' '
	adash-ingest --forget "$TESTDATA/forget.csv" -v "$EV" >out 2>err &&
	echo "adash-ingest: rows_in 12, rows_out 7, rows_rejected 0, rows_dropped 5" >expect &&
	test_cmp expect err
'

test_expect_success '--forget matches whole ids: forgetting u1 keeps u10' '
	printf "user_id\nu1\n" >f.csv &&
	adash-ingest --forget f.csv "$EV" >out &&
	! users out | grep -qx u1 &&
	test "$(users out | grep -cx u10)" -eq 1
'

test_expect_success '--forget with a schema: every row of the users gone, the rest normalized' '
	grep -v ",,page_view,,,,\$" "$EV" >ev.csv &&
	adash-ingest --schema events --forget "$TESTDATA/forget.csv" --stats st.json ev.csv >out &&
	! users out | grep -qx -e u2 -e u4 &&
	test "$(stat_val st.json rows_out)" -eq 6 &&
	test "$(stat_val st.json rows_dropped)" -eq 5
'

test_expect_success '--forget on synth events: the counts add up per user' '
	adash-synth events --users 12 --items 6 --days 3 --seed 4 >ev.csv &&
	printf "user_id\nu003\nu007\nu011\n" >f.csv &&
	n=$(sed 1d ev.csv | cut -d, -f2 | grep -c -x -e u003 -e u007 -e u011) &&
	test "$n" -gt 0 &&
	adash-ingest --schema events --forget f.csv --stats st.json ev.csv >out &&
	test "$(stat_val st.json rows_dropped)" -eq "$n" &&
	test "$(reason_val st.json "forgotten user")" -eq "$n" &&
	check_invariant st.json &&
	! users out | grep -qx -e u003 -e u007 -e u011 &&
	test "$(wc -l <out)" -eq $(( $(wc -l <ev.csv) - n ))
'

test_expect_success '--forget list in NDJSON' '
	printf "{\"user_id\":\"u2\"}\n{\"user_id\":\"u4\"}\n" >f.ndjson &&
	adash-ingest --forget f.ndjson "$EV" >out &&
	adash-ingest --forget "$TESTDATA/forget.csv" "$EV" >expect &&
	test_cmp expect out
'

test_expect_success '--forget with NDJSON data' '
	adash-ingest --output-format ndjson "$EV" >ev.ndjson &&
	adash-ingest --forget "$TESTDATA/forget.csv" --stats st.json ev.ndjson >out &&
	! grep -q -e "\"user_id\":\"u2\"" -e "\"user_id\":\"u4\"" out &&
	test "$(stat_val st.json rows_dropped)" -eq 5 &&
	test_line_count = 7 out
'

test_expect_success '--forget list with extra columns: the user column is used' '
	printf "requested_at,user_id,why\n2024-06-01,u2,gdpr art. 17\n" >f.csv &&
	adash-ingest --forget f.csv "$EV" >out &&
	! users out | grep -qx u2 && users out | grep -qx u4
'

test_expect_success '--forget with a header-only list forgets nobody' '
	printf "user_id\n" >f.csv &&
	adash-ingest --forget f.csv "$EV" >out &&
	cmp "$EV" out
'

test_expect_success '--forget with a schema: a data id with blanks around it is still forgotten' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z, u2 ,pin,w1\n2024-01-01T00:00:00Z,u1,pin,w1\n" >in.csv &&
	adash-ingest --schema events --forget "$TESTDATA/forget.csv" in.csv >out &&
	test_line_count = 2 out && ! grep -q u2 out
'

test_expect_success '--forget with a schema: a listed id with blanks around it still forgets the user' '
	printf "user_id\n u2 \n" >f.csv &&
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,u2,pin,w1\n2024-01-01T00:00:00Z,u1,pin,w1\n" >in.csv &&
	adash-ingest --schema events --forget f.csv in.csv >out &&
	! grep -q u2 out
'

test_expect_success '--forget: a bad row of a forgotten user never reaches the reject file' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,u1,pin,w1\nnot-a-time,u2,pin,w1\n2024-01-01T00:00:00Z,u2,pin,w1\n" >in.csv &&
	adash-ingest --schema events --forget "$TESTDATA/forget.csv" --reject rej --stats st.json in.csv >out &&
	check_invariant st.json &&
	! grep -q u2 rej
'

# ---- --consent ----------------------------------------------------------------------------

test_expect_success '--consent FILE with a consent column: only users who opted in' '
	adash-ingest --consent "$TESTDATA/consent.csv" --stats st.json "$EV" >out &&
	users out | sort -u >actual &&
	printf "u1\nu3\n" >expect &&
	test_cmp expect actual &&
	{ head -1 "$EV"; grep -e ",u1," -e ",u3," "$EV"; } >expect && test_cmp expect out
'

test_expect_success '--consent: the others are dropped as "no consent"' '
	adash-ingest --consent "$TESTDATA/consent.csv" --stats st.json --reject rej "$EV" >out &&
	test "$(stat_val st.json rows_out)" -eq 5 &&
	test "$(stat_val st.json rows_dropped)" -eq 7 &&
	test "$(reason_val st.json "no consent")" -eq 7 &&
	check_invariant st.json &&
	test_must_be_empty_file rej
'

test_expect_success '--consent FILE without a consent column: listed users opted in' '
	adash-ingest --consent "$TESTDATA/consent-list.csv" "$EV" >out &&
	users out | sort -u >actual &&
	printf "u1\nu3\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--consent: the consent column takes every boolean spelling; empty is no' '
	printf "user_id,consent\nu1,Y\nu2,false\nu3,1\nu4,\nu10,NO\n" >c.csv &&
	adash-ingest --consent c.csv "$EV" >out &&
	users out | sort -u >actual &&
	printf "u1\nu3\n" >expect &&
	test_cmp expect actual
'

test_expect_code 1 '--consent: a consent value that is not a boolean exits 1' '
	printf "user_id,consent\nu1,maybe\n" >c.csv &&
	adash-ingest --consent c.csv "$EV"
'

test_expect_success '--consent: the message names the file, the line and the column' '
	printf "user_id,consent\nu1,yes\nu2,maybe\n" >c.csv &&
	adash-ingest --consent c.csv "$EV" >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: c.csv:3: column \"consent\": \"maybe\"" err
'

test_expect_success '--forget and --consent together: forgetting wins' '
	printf "user_id\nu1\n" >f.csv &&
	adash-ingest --consent "$TESTDATA/consent.csv" --forget f.csv --stats st.json "$EV" >out &&
	users out | sort -u >actual &&
	echo u3 >expect && test_cmp expect actual &&
	test "$(reason_val st.json "forgotten user")" -eq 3 &&
	test "$(reason_val st.json "no consent")" -eq 7 &&
	check_invariant st.json
'

test_expect_success '--consent with NDJSON data and a list in NDJSON' '
	adash-ingest --output-format ndjson "$EV" >ev.ndjson &&
	printf "{\"user_id\":\"u3\",\"consent\":true}\n{\"user_id\":\"u1\",\"consent\":false}\n" >c.ndjson &&
	adash-ingest --consent c.ndjson ev.ndjson >out &&
	test_line_count = 2 out &&
	! grep -v "\"user_id\":\"u3\"" out
'

# ---- --user-col ----------------------------------------------------------------------------

test_expect_success 'setup: data and lists with the user in a column named uid' '
	sed "1s/user_id/uid/" "$EV" >ev-uid.csv &&
	printf "uid\nu2\nu4\n" >forget-uid.csv &&
	printf "uid\nu1\n" >consent-uid.csv
'

test_expect_success '--user-col names the user column for --forget' '
	adash-ingest --user-col uid --forget forget-uid.csv ev-uid.csv >out &&
	grep -v -e ",u2," -e ",u4," ev-uid.csv >expect &&
	test_cmp expect out
'

test_expect_success '--user-col names the user column for --consent' '
	adash-ingest --user-col uid --consent consent-uid.csv ev-uid.csv >out &&
	users out | sort -u >actual &&
	echo u1 >expect && test_cmp expect actual
'

test_expect_code 1 'without --user-col, data lacking user_id exits 1' '
	adash-ingest --forget "$TESTDATA/forget.csv" ev-uid.csv
'

test_expect_success 'the message for data lacking the user column suggests --user-col' '
	adash-ingest --forget "$TESTDATA/forget.csv" ev-uid.csv >out 2>err; test $? -eq 1 &&
	test_one_line err && test_grep "user_id" err && test_grep "--user-col" err
'

test_expect_code 1 '--user-col naming a column the forget list lacks exits 1' '
	adash-ingest --user-col uid --forget "$TESTDATA/forget.csv" ev-uid.csv
'

# ---- errors of the lists ------------------------------------------------------------------

test_expect_code 1 'a forget file lacking the user column exits 1' '
	printf "id\nu2\n" >f.csv &&
	adash-ingest --forget f.csv "$EV"
'

test_expect_success 'the message names the forget file and the column, and nothing is written' '
	printf "id\nu2\n" >f.csv &&
	adash-ingest --forget f.csv "$EV" >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-ingest: f.csv: .*\"user_id\"" err &&
	test_must_be_empty_file out
'

test_expect_code 1 'a bare list of ids (no header) is refused, never forgetting nobody' '
	printf "u2\nu4\n" >f.csv &&
	adash-ingest --forget f.csv "$EV"
'

test_expect_code 1 'a forget file with a bad row is refused' '
	printf "user_id,x\nu2,1\nu4\n" >f.csv &&
	adash-ingest --forget f.csv "$EV"
'

test_expect_code 3 'a forget file that does not exist exits 3' '
	adash-ingest --forget no-such-list.csv "$EV"
'

test_expect_code 1 'a consent file lacking the user column exits 1' '
	printf "who,consent\nu1,yes\n" >c.csv &&
	adash-ingest --consent c.csv "$EV"
'

test_expect_code 3 'a consent file that does not exist exits 3' '
	adash-ingest --consent no-such-list.csv "$EV"
'

# ---- --pseudonymize ------------------------------------------------------------------------

test_expect_success '--pseudonymize COL: 64 lowercase hex digits in place of each id' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >out &&
	users out | grep . >ids &&
	test_line_count = 11 ids &&
	! grep -v "^[0-9a-f]\{64\}\$" ids
'

test_expect_success '--pseudonymize changes nothing but that column' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >out &&
	cut -d, -f1,3- out >actual && cut -d, -f1,3- "$EV" >expect &&
	test_cmp expect actual &&
	head -1 out >actual && head -1 "$EV" >expect && test_cmp expect actual
'

test_expect_success '--pseudonymize: the same user gets the same pseudonym, others another' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >out &&
	paste -d, "$EV" out | sed 1d | awk -F, "{ print \$2 \" \" \$9 }" | sort -u >pairs &&
	test "$(cut -d" " -f1 pairs | sort -u | wc -l)" -eq "$(wc -l <pairs)" &&
	test "$(cut -d" " -f2 pairs | sort -u | wc -l)" -eq "$(wc -l <pairs)" &&
	test_line_count = 6 pairs
'

test_expect_success '--pseudonymize is stable across runs' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >a &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >b &&
	cmp a b
'

test_expect_success '--pseudonymize with another key gives other pseudonyms' '
	printf "another secret key, 32 bytes!!!" >key2 &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >a &&
	adash-ingest --pseudonymize user_id --key-file key2 "$EV" >b &&
	users a | grep . | sort -u >pa && users b | grep . | sort -u >pb &&
	test "$(comm -12 pa pb | wc -l)" -eq 0
'

test_expect_success '--pseudonymize: the same user gets the same pseudonym in two files' '
	adash-synth events --users 6 --items 4 --days 2 --seed 1 >ev1.csv &&
	adash-synth events --users 6 --items 4 --days 2 --seed 2 >ev2.csv &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" ev1.csv >p1.csv &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" ev2.csv >p2.csv &&
	paste -d, ev1.csv p1.csv | sed 1d | awk -F, "{ print \$2, \$10 }" | sort -u >m1 &&
	paste -d, ev2.csv p2.csv | sed 1d | awk -F, "{ print \$2, \$10 }" | sort -u >m2 &&
	join m1 m2 >both &&
	test "$(wc -l <both)" -gt 2 &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" both
'

test_expect_success '--pseudonymize over two files in one run equals two runs' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" ev1.csv ev2.csv >both.csv &&
	{ cat p1.csv; sed 1d p2.csv; } >expect &&
	test_cmp expect both.csv
'

test_expect_success '--pseudonymize: missing values stay missing' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >out &&
	test "$(users out | grep -c "^\$")" -eq 1 &&
	printf "user_id,x\nNA,1\n,2\nu1,3\n" >in.csv &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" in.csv >out &&
	sed -n 2,3p out >actual &&
	printf "NA,1\n,2\n" >expect && test_cmp expect actual
'

test_expect_success '--pseudonymize: missing values stay null in NDJSON, pseudonyms are strings' '
	printf "{\"user_id\":null,\"x\":1}\n{\"user_id\":7,\"x\":2}\n{\"x\":3}\n" >in.ndjson &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" in.ndjson >out &&
	sed -n 1p out | grep -q "^{\"user_id\":null,\"x\":1}\$" &&
	sed -n 2p out | grep -q "^{\"user_id\":\"[0-9a-f]\{64\}\",\"x\":2}\$" &&
	sed -n 3p out | grep -q "^{\"user_id\":null,\"x\":3}\$"
'

if command -v openssl >/dev/null 2>&1; then
test_expect_success '--pseudonymize is HMAC-SHA-256 under the key (checked with openssl)' '
	expect=$(printf u1 | openssl dgst -sha256 -hmac "$(cat "$KEY")" | sed "s/^.*= *//") &&
	echo "$expect" | grep -q "^[0-9a-f]\{64\}\$" &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" "$EV" >out &&
	test "$(sed -n 2p out | cut -d, -f2)" = "$expect"
'
else
	test_skip '--pseudonymize is HMAC-SHA-256 under the key (checked with openssl) (no openssl)'
fi

test_expect_success '--pseudonymize several columns' '
	adash-ingest --pseudonymize user_id,session_id --key-file "$KEY" "$EV" >out &&
	sed -n 2p out | cut -d, -f2 >u && sed -n 2p out | cut -d, -f5 >s &&
	grep -q "^[0-9a-f]\{64\}\$" u && grep -q "^[0-9a-f]\{64\}\$" s &&
	! cmp -s u s
'

test_expect_success '--pseudonymize with a schema: the output still passes the schema' '
	grep -v ",,page_view,,,,\$" "$EV" >ev.csv &&
	adash-ingest --schema events --pseudonymize user_id --key-file "$KEY" ev.csv >out &&
	adash-ingest --schema events --stats st.json out >again &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	cmp out again
'

test_expect_success '--pseudonymize with a schema pseudonymizes the normalized id' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z, u1 ,pin,w1\n2024-01-01T00:00:00Z,u1,pin,w1\n" >in.csv &&
	adash-ingest --schema events --pseudonymize user_id --key-file "$KEY" in.csv >out &&
	test "$(sed 1d out | cut -d, -f2 | sort -u | wc -l)" -eq 1
'

test_expect_success '--forget and --consent look at the ids before pseudonymization' '
	adash-ingest --forget "$TESTDATA/forget.csv" --pseudonymize user_id --key-file "$KEY" --stats st.json "$EV" >out &&
	test "$(stat_val st.json rows_dropped)" -eq 5 &&
	adash-ingest --forget "$TESTDATA/forget.csv" "$EV" >kept &&
	adash-ingest --pseudonymize user_id --key-file "$KEY" kept >expect &&
	test_cmp expect out
'

test_expect_success '--keep with --pseudonymize: data minimization' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" --keep user_id,event "$EV" >out &&
	test "$(head -1 out)" = "user_id,event" &&
	sed -n 2p out | grep -q "^[0-9a-f]\{64\},page_view\$"
'

test_expect_success '--dedupe and --pseudonymize keep their counts' '
	adash-ingest --pseudonymize user_id --key-file "$KEY" --dedupe user_id --stats st.json "$EV" >out &&
	test "$(stat_val st.json rows_out)" -eq 6 &&
	test "$(reason_val st.json duplicate)" -eq 6 &&
	check_invariant st.json
'

# ---- key file errors -----------------------------------------------------------------------

test_expect_code 1 'a key file shorter than 16 bytes exits 1' '
	printf "short key" >short.key &&
	adash-ingest --pseudonymize user_id --key-file short.key "$EV"
'

test_expect_success 'the message for a short key is one line naming the file, and nothing is written' '
	printf "0123456789abcde" >k15 &&
	adash-ingest --pseudonymize user_id --key-file k15 "$EV" >out 2>err; test $? -eq 1 &&
	test_one_line err && test_grep "^adash-ingest: k15: .*too short" err &&
	test_must_be_empty_file out
'

test_expect_success 'a key of exactly 16 bytes is accepted' '
	printf "0123456789abcdef" >k16 &&
	adash-ingest --pseudonymize user_id --key-file k16 "$EV" >out &&
	test_line_count = 13 out
'

test_expect_code 1 'an empty key file exits 1' '
	: >empty.key &&
	adash-ingest --pseudonymize user_id --key-file empty.key "$EV"
'

test_expect_code 3 'a key file that does not exist exits 3' '
	adash-ingest --pseudonymize user_id --key-file no-such.key "$EV"
'

test_expect_code 2 '--pseudonymize without --key-file is a usage error' '
	adash-ingest --pseudonymize user_id "$EV"
'

test_expect_code 2 '--key-file without --pseudonymize is a usage error' '
	adash-ingest --key-file "$KEY" "$EV"
'

test_expect_code 2 '--pseudonymize with an empty item is a usage error' '
	adash-ingest --pseudonymize user_id, --key-file "$KEY" "$EV"
'

test_expect_code 1 '--pseudonymize a column the data lacks exits 1' '
	adash-ingest --pseudonymize customer --key-file "$KEY" "$EV"
'

test_expect_success 'under a privacy option a reject record quotes no value, only the category' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,secret@example.com,bogus,w1\n" >bad.csv &&
	adash-ingest --schema events --pseudonymize user_id --key-file "$KEY" --reject rej.ndjson bad.csv >out &&
	test_grep "\"reason\":\"event: is not one of\"" rej.ndjson &&
	test_grep "\"raw\":\"\"" rej.ndjson &&
	! grep -q secret rej.ndjson && ! grep -q bogus rej.ndjson
'

test_expect_success 'without privacy options the reason quotes the value' '
	printf "ts,user_id,event,item_id\n2024-01-01T00:00:00Z,u1,bogus,w1\n" >bad.csv &&
	adash-ingest --schema events --reject rej.ndjson bad.csv >out &&
	test_grep "bogus" rej.ndjson
'

test_expect_success 'a missing user column is an error before anything is written' '
	printf "id,v\na,1\n" >nouser.csv &&
	adash-ingest --forget "$TESTDATA/forget.csv" nouser.csv >out 2>err; test $? -eq 1 &&
	test ! -s out && test_grep "no user column" err
'

test_expect_code 2 'a bad --on-bad is a usage error even before the lists are read' '
	adash-ingest --on-bad maybe --forget no-such-list.csv "$EV"
'

test_done
