#!/bin/sh
# adash-synth: options, determinism, shape of the data, usage errors, golden
# outputs, and that what it writes passes adash-ingest untouched.
. "$top_srcdir/tests/lib.sh"

SALES_HEADER='shop_id,date,sales,footfall,price,promo,temp_c'
EVENTS_HEADER='ts,user_id,event,item_id,session_id,value,role,device'
ITEMS_HEADER='item_id,item_type,title'

if command -v jq >/dev/null 2>&1; then HAVE_JQ=1; else HAVE_JQ=; fi

# ---- help and version ----------------------------------------------------

test_expect_success '--help exits 0, prints usage and an example on stdout' '
	adash-synth --help >out 2>err &&
	test_grep "^Usage: adash-synth" out &&
	test_grep "adash-synth sales" out &&
	test_must_be_empty_file err
'

test_expect_success '--help lists every option' '
	adash-synth --help >out &&
	for o in --shops --days --start --users --items --slots --items-out \
		 --seed --output-format --no-header --delimiter --quiet --verbose \
		 --help --version; do
		grep -q -- "$o" out || { echo "missing $o"; exit 1; }
	done
'

test_expect_success '--version prints the program name and version' '
	adash-synth --version >out &&
	test_grep "^adash-synth (adash) [0-9]" out
'

# ---- usage errors: exit 2, one line on stderr, nothing on stdout ---------

test_expect_code 2 'no kind is a usage error' 'adash-synth'
test_expect_code 2 'an unknown kind is a usage error' 'adash-synth weather'
test_expect_code 2 'a kind is case-sensitive' 'adash-synth Sales'
test_expect_code 2 'a second operand is a usage error' 'adash-synth sales events'
test_expect_code 2 'an unknown option is a usage error' 'adash-synth sales --bogus'
test_expect_code 2 '--shops without its argument' 'adash-synth sales --shops'
test_expect_code 2 '--shops abc' 'adash-synth sales --shops abc'
test_expect_code 2 '--shops -1' 'adash-synth sales --shops -1'
test_expect_code 2 '--shops 2x' 'adash-synth sales --shops 2x'
test_expect_code 2 '--shops 1.5' 'adash-synth sales --shops 1.5'
test_expect_code 2 '--shops empty' 'adash-synth sales --shops ""'
test_expect_code 2 '--days abc' 'adash-synth sales --days abc'
test_expect_code 2 '--days beyond its maximum' 'adash-synth sales --days 100001'
test_expect_code 2 '--users -5' 'adash-synth events --users -5'
test_expect_code 2 '--users 1.5' 'adash-synth events --users 1.5'
test_expect_code 2 '--items x' 'adash-synth events --items x'
test_expect_code 2 '--slots 0' 'adash-synth events --slots 0'
test_expect_code 2 '--slots 1001' 'adash-synth events --slots 1001'
test_expect_code 2 '--seed -1' 'adash-synth sales --seed -1'
test_expect_code 2 '--seed abc' 'adash-synth sales --seed abc'
test_expect_code 2 '--seed beyond int64' 'adash-synth sales --seed 99999999999999999999'
test_expect_code 2 '--start 2024-13-01' 'adash-synth sales --start 2024-13-01'
test_expect_code 2 '--start 2023-02-29 (not a leap year)' 'adash-synth sales --start 2023-02-29'
test_expect_code 2 '--start yesterday' 'adash-synth sales --start yesterday'
test_expect_code 2 '--start 2024-1-1' 'adash-synth sales --start 2024-1-1'
test_expect_code 2 '--items-out with sales' 'adash-synth sales --items-out items.csv'
test_expect_code 2 '--items-out with items' 'adash-synth items --items-out items.csv'
test_expect_code 2 '--output-format xml' 'adash-synth sales --output-format xml'
test_expect_code 2 '-d with two characters' 'adash-synth sales -d ab'

test_expect_success 'a usage error is one line on stderr naming the program, and writes nothing' '
	for args in "" "weather" "sales --shops abc" "sales --start 2024-02-30" \
		    "sales --items-out x.csv" "events --slots 0"; do
		adash-synth $args >out 2>err; rc=$?
		test "$rc" -eq 2 || { echo "[$args] exit $rc"; exit 1; }
		test_one_line err || { echo "[$args]"; exit 1; }
		grep -q "^adash-synth: " err || { echo "[$args]"; cat err; exit 1; }
		test_must_be_empty_file out || { echo "[$args]"; exit 1; }
	done &&
	test ! -e x.csv
'

test_expect_success 'the usage error for a bad kind names it' '
	adash-synth weather 2>err; test $? -eq 2 &&
	test_grep "weather" err
'

test_expect_success 'the usage error for a bad number names the option and the value' '
	adash-synth sales --shops abc 2>err; test $? -eq 2 &&
	test_grep "--shops" err && test_grep "abc" err
'

# ---- sales: shape ---------------------------------------------------------

test_expect_success 'sales: the header is exactly the sales schema columns' '
	adash-synth sales --shops 1 --days 1 >out &&
	echo "$SALES_HEADER" >expect &&
	head -1 out >actual &&
	test_cmp expect actual
'

test_expect_success 'sales: shops x days rows' '
	adash-synth sales --shops 3 --days 5 >out &&
	test_line_count = 16 out &&
	adash-synth sales --shops 7 --days 11 >out &&
	test_line_count = 78 out &&
	adash-synth sales --shops 1 --days 1 >out &&
	test_line_count = 2 out
'

test_expect_success 'sales: defaults are 10 shops and 730 days' '
	adash-synth sales --days 1 >out &&
	test_line_count = 11 out &&
	adash-synth sales --shops 1 >out &&
	test_line_count = 731 out
'

test_expect_success 'sales: --shops 0 and --days 0 give the header only' '
	adash-synth sales --shops 0 >out &&
	echo "$SALES_HEADER" >expect &&
	test_cmp expect out &&
	adash-synth sales --days 0 >out &&
	test_cmp expect out
'

test_expect_success 'sales: every row has 7 fields and no field is empty' '
	adash-synth sales --shops 4 --days 30 >out &&
	awk -F, "NF != 7 { print NR\": \"NF\" fields\"; bad = 1 }
		 { for (i = 1; i <= NF; i++) if (\$i == \"\") { print NR\": empty field \"i; bad = 1 } }
		 END { exit bad }" out
'

test_expect_success 'sales: shop ids s01..sNN, zero-padded to the number of shops' '
	adash-synth sales --shops 3 --days 2 | sed 1d | cut -d, -f1 | uniq >actual &&
	printf "s01\ns02\ns03\n" >expect &&
	test_cmp expect actual &&
	adash-synth sales --shops 100 --days 1 | sed 1d | cut -d, -f1 >ids &&
	test_line_count = 100 ids &&
	test "$(head -1 ids)" = s001 && test "$(tail -1 ids)" = s100 &&
	test "$(sort -u ids | wc -l)" -eq 100
'

test_expect_success 'sales: default start 2023-01-01, consecutive dates per shop' '
	adash-synth sales --shops 2 --days 3 | sed 1d | cut -d, -f1,2 >actual &&
	cat >expect <<-\EOF &&
	s01,2023-01-01
	s01,2023-01-02
	s01,2023-01-03
	s02,2023-01-01
	s02,2023-01-02
	s02,2023-01-03
	EOF
	test_cmp expect actual
'

test_expect_success 'sales: --start sets the first day; dates cross a leap day and a year' '
	adash-synth sales --shops 1 --days 3 --start 2024-02-28 | sed 1d | cut -d, -f2 >actual &&
	printf "2024-02-28\n2024-02-29\n2024-03-01\n" >expect &&
	test_cmp expect actual &&
	adash-synth sales --shops 1 --days 2 --start 2023-12-31 | sed 1d | cut -d, -f2 >actual &&
	printf "2023-12-31\n2024-01-01\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'sales: promo is 0 or 1, price and footfall positive, some promotions happen' '
	adash-synth sales --shops 5 --days 100 --seed 2 >out &&
	awk -F, "NR > 1 && (\$6 != 0 && \$6 != 1) { print NR\": promo \"\$6; bad = 1 }
		 NR > 1 && !(\$5 > 0) { print NR\": price \"\$5; bad = 1 }
		 NR > 1 && !(\$4 >= 0) { print NR\": footfall \"\$4; bad = 1 }
		 NR > 1 && !(\$3 >= 0) { print NR\": sales \"\$3; bad = 1 }
		 END { exit bad }" out &&
	test "$(sed 1d out | cut -d, -f6 | grep -c "^1\$")" -gt 0
'

test_expect_success 'sales: weekly pattern, Friday and Saturday above Tuesday and Wednesday' '
	# 2024-01-01 is a Monday, so day d of each shop has weekday d % 7
	# (Monday = 0).
	adash-synth sales --shops 5 --days 140 --start 2024-01-01 --seed 3 >out &&
	awk -F, "NR > 1 {
			if (\$1 != shop) { d = 0; shop = \$1 }
			w = d % 7; d++
			if (w == 4 || w == 5) { hs += \$3; hf += \$4; nh++ }
			else if (w == 1 || w == 2) { ls += \$3; lf += \$4; nl++ }
		 }
		 END {
			rs = (hs / nh) / (ls / nl); rf = (hf / nh) / (lf / nl)
			print \"sales ratio \" rs \", footfall ratio \" rf
			exit !(rs > 1.1 && rf > 1.1)
		 }" out
'

# ---- determinism -----------------------------------------------------------

test_expect_success 'sales: the same seed gives byte-identical output' '
	adash-synth sales --shops 3 --days 50 --seed 42 >a &&
	adash-synth sales --shops 3 --days 50 --seed 42 >b &&
	cmp a b
'

test_expect_success 'sales: a different seed gives different values' '
	adash-synth sales --shops 3 --days 50 --seed 42 >a &&
	adash-synth sales --shops 3 --days 50 --seed 43 >b &&
	! cmp -s a b &&
	cut -d, -f1,2 a >ka && cut -d, -f1,2 b >kb && test_cmp ka kb
'

test_expect_success 'sales: the default seed is 1' '
	adash-synth sales --shops 2 --days 5 >a &&
	adash-synth sales --shops 2 --days 5 --seed 1 >b &&
	cmp a b
'

test_expect_success 'sales: --seed 0 is a valid seed, distinct from 1' '
	adash-synth sales --shops 2 --days 5 --seed 0 >a &&
	adash-synth sales --shops 2 --days 5 --seed 1 >b &&
	! cmp -s a b
'

test_expect_success 'sales: shop k is identical whether 3 or 10 shops are generated' '
	adash-synth sales --shops 3 --days 20 --seed 5 >s3 &&
	adash-synth sales --shops 10 --days 20 --seed 5 >s10 &&
	for k in 01 02 03; do
		grep "^s$k," s3 >a && grep "^s$k," s10 >b &&
		test_line_count = 20 a && cmp a b || exit 1
	done
'

test_expect_success 'sales: shop k has the same values with 100 shops (id padded to s00k)' '
	adash-synth sales --shops 3 --days 20 --seed 5 >s3 &&
	adash-synth sales --shops 100 --days 20 --seed 5 >s100 &&
	grep "^s02," s3 | cut -d, -f2- >a &&
	grep "^s002," s100 | cut -d, -f2- >b &&
	test_line_count = 20 a && test_cmp a b
'

test_expect_success 'events: the same seed gives byte-identical output' '
	adash-synth events --users 10 --items 8 --days 3 --seed 9 >a &&
	adash-synth events --users 10 --items 8 --days 3 --seed 9 >b &&
	cmp a b
'

test_expect_success 'events: a different seed gives different output' '
	adash-synth events --users 10 --items 8 --days 3 --seed 9 >a &&
	adash-synth events --users 10 --items 8 --days 3 --seed 10 >b &&
	! cmp -s a b
'

test_expect_success 'events: user k is identical whether 3 or 10 users are generated' '
	adash-synth events --users 3 --items 6 --days 4 --seed 2 >u3 &&
	adash-synth events --users 10 --items 6 --days 4 --seed 2 >u10 &&
	grep ",u002," u3 >a && grep ",u002," u10 >b &&
	test "$(wc -l <a)" -gt 0 && cmp a b
'

test_expect_success 'items: the same seed gives the same catalog, another seed another' '
	adash-synth items --items 20 --seed 4 >a &&
	adash-synth items --items 20 --seed 4 >b &&
	cmp a b &&
	adash-synth items --items 20 --seed 5 >c &&
	! cmp -s a c
'

# ---- events: shape ---------------------------------------------------------

test_expect_success 'events: the header is exactly the events schema columns' '
	adash-synth events --users 2 --items 3 --days 1 >out &&
	echo "$EVENTS_HEADER" >expect &&
	head -1 out >actual &&
	test_cmp expect actual
'

test_expect_success 'events: every row has 8 fields' '
	adash-synth events --users 10 --items 8 --days 3 >out &&
	test "$(wc -l <out)" -gt 50 &&
	awk -F, "NF != 8 { print NR\": \"NF; bad = 1 } END { exit bad }" out
'

test_expect_success 'events: rows are in time order' '
	adash-synth events --users 30 --items 10 --days 7 --seed 3 >out &&
	sed 1d out | cut -d, -f1 >ts &&
	test "$(wc -l <ts)" -gt 500 &&
	LC_ALL=C sort -c ts
'

test_expect_success 'events: timestamps are RFC 3339 UTC with Z' '
	adash-synth events --users 5 --items 5 --days 2 >out &&
	sed 1d out | cut -d, -f1 >ts &&
	! grep -v "^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z\$" ts
'

test_expect_success 'events: --users N gives ids u001..u00N only' '
	adash-synth events --users 4 --items 6 --days 5 >out &&
	sed 1d out | cut -d, -f2 | sort -u >actual &&
	test "$(wc -l <actual)" -ge 2 &&
	! grep -v "^u00[1-4]\$" actual
'

test_expect_success 'events: user ids are zero-padded to the number of users (at least 3 digits)' '
	adash-synth events --users 1500 --items 5 --days 1 >out &&
	sed 1d out | cut -d, -f2 | sort -u >ids &&
	! grep -v "^u[0-9]\{4\}\$" ids &&
	test "$(wc -l <ids)" -gt 100
'

test_expect_success 'events: --items N gives item ids w01..wN only' '
	adash-synth events --users 20 --items 5 --days 3 >out &&
	sed 1d out | cut -d, -f4 | grep . | sort -u >actual &&
	printf "w01\nw02\nw03\nw04\nw05\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'events: page_view rows have no item_id, all other events one' '
	adash-synth events --users 20 --items 8 --days 3 >out &&
	awk -F, "NR > 1 && \$3 == \"page_view\" && \$4 != \"\" { print; bad = 1 }
		 NR > 1 && \$3 != \"page_view\" && \$4 == \"\" { print; bad = 1 }
		 NR > 1 && \$3 == \"page_view\" { pv++ }
		 END { exit bad || pv == 0 }" out
'

test_expect_success 'events: value is set on time_spent rows only' '
	adash-synth events --users 20 --items 8 --days 3 >out &&
	awk -F, "NR > 1 && (\$3 == \"time_spent\") != (\$6 != \"\") { print; bad = 1 }
		 END { exit bad }" out
'

test_expect_success 'events: session ids name their user' '
	adash-synth events --users 10 --items 8 --days 2 >out &&
	awk -F, "NR > 1 && index(\$5, \$2 \"-\") != 1 { print; bad = 1 } END { exit bad }" out
'

test_expect_success 'events: each user has one role' '
	adash-synth events --users 20 --items 8 --days 3 >out &&
	sed 1d out | cut -d, -f2,7 | sort -u | cut -d, -f1 | uniq -d >dups &&
	test_must_be_empty_file dups
'

test_expect_success 'events: default start 2024-01-01 and 90 days' '
	adash-synth events --users 20 --items 5 >out &&
	sed 1d out | cut -c1-10 | sort -u >days &&
	test_line_count = 90 days &&
	test "$(head -1 days)" = 2024-01-01 &&
	test "$(tail -1 days)" = 2024-03-30
'

test_expect_success 'events: --start and --days set the days covered' '
	adash-synth events --users 20 --items 5 --days 3 --start 2024-02-28 >out &&
	sed 1d out | cut -c1-10 | sort -u >actual &&
	printf "2024-02-28\n2024-02-29\n2024-03-01\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'events: --days 0, --users 0 or --items 0 give the header only' '
	echo "$EVENTS_HEADER" >expect &&
	adash-synth events --days 0 >out && test_cmp expect out &&
	adash-synth events --users 0 --days 3 >out && test_cmp expect out &&
	adash-synth events --items 0 --users 3 --days 3 >out && test_cmp expect out
'

test_expect_success 'events: --slots bounds the impressions per page view' '
	impressions_max() {
		awk -F, "\$3 == \"page_view\" { n = 0 }
			 \$3 == \"impression\" { n++; if (n > m) m = n }
			 END { print m + 0 }" "$1"
	}
	adash-synth events --users 30 --items 12 --days 4 --slots 3 >s3 &&
	adash-synth events --users 30 --items 12 --days 4 >s8 &&
	# rows are in time order, not grouped by session: count per session
	for f in s3 s8; do
		sed 1d $f | sort -t, -k5,5 -s >$f.by-session || exit 1
	done &&
	m3=$(impressions_max s3.by-session) && m8=$(impressions_max s8.by-session) &&
	echo "max impressions per page: --slots 3: $m3, default: $m8" &&
	test "$m3" -eq 3 && test "$m8" -eq 8
'

test_expect_success 'events: every event type of the schema vocabulary, nothing else' '
	adash-synth events --users 50 --items 10 --days 20 --seed 1 >out &&
	sed 1d out | cut -d, -f3 | sort -u >types &&
	! grep -v -x -e impression -e page_view -e widget_open -e drilldown \
		-e filter_change -e time_spent -e export -e pin -e unpin \
		-e not_interested types &&
	test_grep "^widget_open\$" types && test_grep "^impression\$" types &&
	test_grep "^time_spent\$" types
'

# ---- items -------------------------------------------------------------

test_expect_success 'items: header, --items N rows, ids w01..wN' '
	adash-synth items --items 15 >out &&
	echo "$ITEMS_HEADER" >expect && head -1 out >actual && test_cmp expect actual &&
	test_line_count = 16 out &&
	sed 1d out | cut -d, -f1 >ids &&
	test "$(head -1 ids)" = w01 && test "$(tail -1 ids)" = w15 &&
	test "$(sort -u ids | wc -l)" -eq 15
'

test_expect_success 'items: default 40 widgets, types from the known set, titles unique' '
	adash-synth items >out &&
	test_line_count = 41 out &&
	sed 1d out | cut -d, -f2 | sort -u >types &&
	! grep -v -x -e kpi -e chart -e table -e map -e funnel -e alert types &&
	sed 1d out | cut -d, -f3 | sort | uniq -d >dups &&
	test_must_be_empty_file dups
'

test_expect_success 'items: the catalog holds every item_id the events use' '
	adash-synth items --items 9 --seed 6 | sed 1d | cut -d, -f1 | sort >catalog &&
	adash-synth events --users 30 --items 9 --days 5 --seed 6 | sed 1d | cut -d, -f4 | grep . | sort -u >used &&
	test "$(comm -13 catalog used | wc -l)" -eq 0 &&
	test "$(wc -l <used)" -gt 0
'

test_expect_success 'events --items-out writes the same catalog as `items`' '
	adash-synth events --users 5 --items 7 --days 2 --seed 3 --items-out cat.csv >ev &&
	adash-synth items --items 7 --seed 3 >expect &&
	test_cmp expect cat.csv
'

test_expect_success 'events --items-out leaves the events output unchanged' '
	adash-synth events --users 5 --items 7 --days 2 --seed 3 --items-out cat.csv >a &&
	adash-synth events --users 5 --items 7 --days 2 --seed 3 >b &&
	cmp a b
'

test_expect_success '--items-out FILE.ndjson writes NDJSON' '
	adash-synth events --users 2 --items 3 --days 1 --items-out cat.ndjson >/dev/null &&
	test_line_count = 3 cat.ndjson &&
	head -1 cat.ndjson >first &&
	test_grep "^{\"item_id\":\"w01\",\"item_type\":\"[a-z]*\",\"title\":\"[^\"]*\"}\$" first
'

test_expect_code 3 '--items-out into a missing directory exits 3' '
	adash-synth events --users 2 --items 3 --days 1 --items-out no/such/dir/items.csv
'

# ---- output options -----------------------------------------------------------

test_expect_success '--no-header leaves out exactly the header row' '
	adash-synth sales --shops 2 --days 4 >with &&
	adash-synth sales --shops 2 --days 4 --no-header >without &&
	sed 1d with >expect && test_cmp expect without
'

test_expect_success '--no-header outputs of partitions concatenate' '
	adash-synth events --users 3 --items 4 --days 2 --no-header >a &&
	adash-synth events --users 3 --items 4 --days 2 >b &&
	test "$(wc -l <a)" -eq $(( $(wc -l <b) - 1 )) &&
	! grep -q "^ts," a
'

test_expect_success '-d ";" changes the delimiter' '
	adash-synth sales --shops 2 --days 4 >comma &&
	adash-synth sales --shops 2 --days 4 -d ";" >semi &&
	tr , ";" <comma >expect && test_cmp expect semi
'

test_expect_success '-d with a tab writes TSV' '
	adash-synth events --users 3 --items 4 --days 1 >comma &&
	adash-synth events --users 3 --items 4 --days 1 -d "\\t" >tsv &&
	tr , "\\t" <comma >expect && test_cmp expect tsv
'

test_expect_success '--output-format ndjson: one object per row, numbers as numbers' '
	adash-synth sales --shops 2 --days 3 --output-format ndjson >out &&
	test_line_count = 6 out &&
	head -1 out >first &&
	test_grep "^{\"shop_id\":\"s01\",\"date\":\"2023-01-01\",\"sales\":[0-9.]*,\"footfall\":[0-9]*,\"price\":[0-9.]*,\"promo\":[01],\"temp_c\":-\\{0,1\\}[0-9.]*}\$" first
'

test_expect_success '--output-format ndjson: page_view has a null item_id, events without value null' '
	adash-synth events --users 3 --items 4 --days 1 --output-format ndjson >out &&
	test_grep "\"event\":\"page_view\",\"item_id\":null," out &&
	test_grep "\"event\":\"impression\",\"item_id\":\"w0[1-4]\",.*\"value\":null" out
'

test_expect_success '--output-format ndjson holds the same data as CSV' '
	for kind in sales events items; do
		adash-synth $kind --shops 2 --days 3 --users 3 --items 4 >csv &&
		adash-synth $kind --shops 2 --days 3 --users 3 --items 4 --output-format ndjson >nd &&
		adash-ingest --output-format csv nd >back &&
		test_cmp csv back || exit 1
	done
'

if test -n "$HAVE_JQ"; then
test_expect_success '--output-format ndjson output is valid JSON (jq)' '
	adash-synth events --users 3 --items 4 --days 2 --output-format ndjson >out &&
	jq -e "type == \"object\" and (keys | length) == 8" out >/dev/null
'
else
	test_skip '--output-format ndjson output is valid JSON (jq) (no jq)'
fi

# ---- golden files ----------------------------------------------------------------

test_expect_success 'golden: a small sales run' '
	adash-synth sales --shops 2 --days 10 --seed 7 >actual &&
	test_cmp "$TESTDATA/golden/synth-sales-small.csv" actual
'

test_expect_success 'golden: a small events run' '
	adash-synth events --users 3 --items 5 --days 2 --seed 5 >actual &&
	test_cmp "$TESTDATA/golden/synth-events-small.csv" actual
'

test_expect_success 'golden: the small events run as NDJSON' '
	adash-synth events --users 3 --items 5 --days 2 --seed 5 --output-format ndjson >actual &&
	test_cmp "$TESTDATA/golden/synth-events-small.ndjson" actual
'

# ---- what synth writes, ingest accepts as it is --------------------------------

test_expect_success 'sales output passes adash-ingest --schema sales: no row rejected, bytes unchanged' '
	adash-synth sales --shops 4 --days 60 --seed 11 >in &&
	adash-ingest --schema sales --stats st.json <in >out &&
	test "$(stat_val st.json rows_in)" -eq 240 &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(stat_val st.json rows_out)" -eq 240 &&
	cmp in out
'

test_expect_success 'events output passes adash-ingest --schema events: no row rejected, bytes unchanged' '
	adash-synth events --users 20 --items 10 --days 4 --seed 11 >in &&
	adash-ingest --schema events --stats st.json <in >out &&
	n=$(( $(wc -l <in) - 1 )) &&
	test "$n" -gt 100 &&
	test "$(stat_val st.json rows_in)" -eq "$n" &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(stat_val st.json rows_out)" -eq "$n" &&
	cmp in out
'

test_expect_success 'NDJSON output passes adash-ingest with no row rejected' '
	adash-synth events --users 10 --items 6 --days 3 --output-format ndjson >in &&
	adash-ingest --schema events --stats st.json <in >out &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	cmp in out &&
	adash-synth sales --shops 2 --days 9 --output-format ndjson >in &&
	adash-ingest --schema sales --stats st.json <in >out &&
	test "$(stat_val st.json rows_rejected)" -eq 0 &&
	test "$(stat_val st.json rows_out)" -eq 18
'

test_expect_success 'a date range reaching past 9999-12-31 is refused, never written as a broken date' '
	adash-synth sales --shops 1 --days 3 --start 9999-12-30 >out 2>err; rc=$?
	case $rc in
	2) test_must_be_empty_file out ;;
	0) adash-ingest --schema sales <out >/dev/null ;;
	*) echo "exit $rc"; false ;;
	esac
'

# ---- -v and -q -------------------------------------------------------------------

test_expect_success '-v reports the row count on stderr, one line, stdout unchanged' '
	adash-synth sales --shops 2 --days 3 -v >out 2>err &&
	adash-synth sales --shops 2 --days 3 >expect &&
	test_cmp expect out &&
	test_one_line err &&
	test_grep "^adash-synth: .*\<6\>" err
'

test_expect_success '-q prints nothing on stderr' '
	adash-synth events --users 3 --items 4 --days 1 -q >out 2>err &&
	test_must_be_empty_file err && test "$(wc -l <out)" -gt 1
'

# ---- output errors ---------------------------------------------------------------

if test -w /dev/full; then
test_expect_success 'writing to a full disk exits 3 with "write error"' '
	adash-synth sales --shops 2 --days 10 >/dev/full 2>err; rc=$?
	test "$rc" -eq 3 && test_grep "^adash-synth: write error" err && test_one_line err
'
else
	test_skip 'writing to a full disk exits 3 with "write error" (no /dev/full)'
fi

test_expect_success 'a closed pipe (| head -1) ends synth quietly' '
	{ adash-synth sales --shops 20 --days 730 2>err; echo $? >rc; } | head -1 >first &&
	echo "$SALES_HEADER" >expect && test_cmp expect first &&
	rc=$(cat rc) && { test "$rc" -eq 141 || test "$rc" -eq 0; } &&
	test_must_be_empty_file err
'

test_done
