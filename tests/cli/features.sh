#!/bin/sh
# adash-features (series mode): the issue's command, a golden fixture
# checked by hand, sorted streaming against the default sorting way,
# shuffled input, no leakage (changing or deleting every row after a cut
# day never changes a feature at or before it), bad rows (duplicates, dates,
# numbers) with --reject and --stats, warm-up, fill modes, transforms,
# refusals, NDJSON, --no-header, empty input and determinism.
. "$top_srcdir/tests/lib.sh"

if command -v jq >/dev/null 2>&1; then HAVE_JQ=1; else HAVE_JQ=; fi

SMALL="$TESTDATA/series-small.csv"
# the features of the golden files
GOLDEN_OPTS="--key shop_id --lags 1,7 --rolling mean:3,std:3 --ewm 1 --calendar dow,weekend --log1p footfall --ratio price/footfall"
# a wide set of features for the property tests
WIDE_OPTS="--key shop_id --lags 1,2,7 --rolling mean:7,std:7,min:3,max:3,sum:14 --ewm 0.5,3.5 --calendar dow,month,dom,weekend,fourier:7:1 --log1p footfall --ratio price/footfall"

# shuffle FILE: the header, then the rows in a fixed pseudo-random order.
shuffle() {
	head -n 1 "$1" &&
	tail -n +2 "$1" | awk 'BEGIN { srand(42) } { printf "%.12f\t%s\n", rand(), $0 }' |
		sort | cut -f 2-
}

# rows_upto DAY FILE: the header and the rows of a CSV (date in column 2) on
# or before DAY.
rows_upto() {
	awk -F, -v t="$1" 'NR == 1 || $2 <= t' "$2"
}

# ---- help ------------------------------------------------------------------

test_expect_success '--help exits 0 and lists every option' '
	adash-features --help >out 2>err &&
	test_must_be_empty_file err &&
	test_grep "^Usage: adash-features" out &&
	for o in --key --time --target --lags --rolling --ewm --calendar --log1p --ratio \
		 --fill --warmup --sorted --on-bad --reject --stats --input-format \
		 --delimiter --output-format --no-header --quiet --verbose --help --version; do
		grep -q -- "$o" out || { echo "missing $o"; exit 1; }
	done
'

test_expect_success '--version exits 0' '
	adash-features --version >out && test_grep "^adash-features (adash) [0-9]" out
'

# ---- the issue's command ------------------------------------------------------

test_expect_success 'the issue command runs: header, warm-up of 28 days per shop, counts' '
	adash-synth sales --shops 10 --days 730 --seed 42 >sales.csv &&
	adash-features --key shop_id --time date --target sales --lags 1,7,14 \
		--rolling mean:7,std:7,mean:28 --calendar dow,month,fourier:365.25:2 \
		--stats stats.json <sales.csv >feat.csv &&
	echo "shop_id,date,sales,footfall,price,promo,temp_c,sales_lag_1,sales_lag_7,sales_lag_14,sales_rmean_7,sales_rstd_7,sales_rmean_28,dow,month,fourier_365.25_sin_1,fourier_365.25_cos_1,fourier_365.25_sin_2,fourier_365.25_cos_2" >expect &&
	head -n 1 feat.csv >actual &&
	test_cmp expect actual &&
	test "$(stat_val stats.json rows_in)" = 7300 &&
	test "$(stat_val stats.json rows_out)" = 7020 &&
	test "$(stat_val stats.json rows_rejected)" = 0 &&
	test "$(stat_val stats.json rows_dropped)" = 280 &&
	test "$(reason_val stats.json warm-up)" = 280 &&
	check_invariant stats.json &&
	test_line_count = 7021 feat.csv
'

test_expect_success 'the issue command: each shop starts on its 29th day, every feature filled' '
	awk -F, "NR > 1 && !(\$1 in first) { first[\$1] = \$2 } END { for (s in first) print s, first[s] }" feat.csv |
		sort >firsts &&
	test_line_count = 10 firsts &&
	awk "\$2 != \"2023-01-29\" { bad = 1; print } END { exit bad }" firsts &&
	awk -F, "NR > 1 { for (i = 8; i <= NF; i++) if (\$i == \"\") { print NR \": empty field \" i; bad = 1 } } END { exit bad }" feat.csv
'

test_expect_success 'the issue command: the lags are the values 1, 7 and 14 days before' '
	awk -F, "
		function day(s,   y, m, d) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0;
			if (m <= 2) { y--; m += 12 }
			return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
		FNR == 1 { next }
		FNR == NR { v[\$1 \",\" day(\$2)] = \$3; next }
		{ t = day(\$2)
		  if (\$8 != v[\$1 \",\" (t - 1)] + 0 || \$9 != v[\$1 \",\" (t - 7)] + 0 ||
		      \$10 != v[\$1 \",\" (t - 14)] + 0) {
			print \"line \" FNR \": \" \$0; bad = 1 } }
		END { exit bad }" sales.csv feat.csv
'

# ---- the golden fixture -------------------------------------------------------
#
# testdata/series-small.csv: shops A (12 days, 2024-01-05 absent, no sales on
# 2024-01-08, footfall 0 on 2024-01-07) and B (10 days, no footfall on
# 2024-01-03), rows out of order.  Checked by hand, e.g. A on 2024-01-09:
# lag_1 is 2024-01-08, which has no value (empty), lag_7 is 2024-01-02 (12),
# the 3-day mean over 01-06..01-08 is (20 + 18) / 2 = 19, std sqrt(2); A on
# 2024-01-06: ewm_1 over 01-01..01-04 with weights 1/16, 1/8, 1/4, 1/2 (the
# absent day only decays) is 11.875 / 0.9375 = 12.666...; A on 2024-01-07:
# log1p(0) = 0 and price / 0 is empty.

test_expect_success 'golden: the small fixture, warm-up dropped' '
	adash-features $GOLDEN_OPTS --stats stats.json "$SMALL" >actual &&
	test_cmp "$TESTDATA/golden/features-small.csv" actual &&
	test "$(stat_val stats.json rows_in)" = 21 &&
	test "$(stat_val stats.json rows_out)" = 8 &&
	test "$(stat_val stats.json rows_dropped)" = 13 &&
	check_invariant stats.json
'

test_expect_success 'golden: the small fixture, warm-up kept (every row, in input order)' '
	adash-features $GOLDEN_OPTS --warmup keep --stats stats.json "$SMALL" >actual &&
	test_cmp "$TESTDATA/golden/features-small-keep.csv" actual &&
	test "$(stat_val stats.json rows_out)" = 21 &&
	test "$(stat_val stats.json rows_dropped)" = 0 &&
	check_invariant stats.json &&
	cut -d, -f1-5 actual >inputs &&
	test_cmp "$SMALL" inputs
'

test_expect_success 'golden: the kept rows are the dropped run plus the warm-up rows' '
	grep -F -x -v -f "$TESTDATA/golden/features-small.csv" \
		"$TESTDATA/golden/features-small-keep.csv" >warm &&
	test_line_count = 13 warm &&
	awk -F, "\$6 != \"\" && \$7 != \"\" { print; bad = 1 } END { exit bad }" warm
'

test_expect_success 'golden: a missing day never shifts a lag (A on 2024-01-06 and -09, -12)' '
	adash-features --key shop_id --lags 1,2,7 --warmup keep "$SMALL" >out &&
	grep "^A,2024-01-06," out >actual &&
	echo "A,2024-01-06,20,200,2,,15," >expect &&
	test_cmp expect actual &&
	grep "^A,2024-01-09," out >actual &&
	echo "A,2024-01-09,11,110,2.5,,18,12" >expect &&
	test_cmp expect actual &&
	grep "^A,2024-01-12," out >actual &&
	echo "A,2024-01-12,16,160,2.5,13,14," >expect &&
	test_cmp expect actual
'

test_expect_success 'golden: stdin and a file operand give the same bytes' '
	adash-features $GOLDEN_OPTS <"$SMALL" >from-stdin &&
	test_cmp "$TESTDATA/golden/features-small.csv" from-stdin
'

# ---- order: default sorting, --sorted streaming, shuffled input ------------------

test_expect_success 'sorted input: --sorted streams the same bytes as the default' '
	adash-synth sales --shops 4 --days 120 --seed 3 >s.csv &&
	adash-features $WIDE_OPTS <s.csv >default.csv &&
	adash-features $WIDE_OPTS --sorted <s.csv >sorted.csv &&
	test_cmp default.csv sorted.csv &&
	adash-features $WIDE_OPTS --warmup keep <s.csv >default.csv &&
	adash-features $WIDE_OPTS --warmup keep --sorted <s.csv >sorted.csv &&
	test_cmp default.csv sorted.csv
'

test_expect_success 'sorted input with interleaved keys: --sorted gives the same bytes' '
	{ head -n 1 s.csv; tail -n +2 s.csv | sort -t, -k2,2 -k1,1; } >by-date.csv &&
	adash-features $WIDE_OPTS --fill ffill <by-date.csv >default.csv &&
	adash-features $WIDE_OPTS --fill ffill --sorted <by-date.csv >sorted.csv &&
	test_cmp default.csv sorted.csv &&
	adash-features $WIDE_OPTS --fill ffill <s.csv | sort >a &&
	sort default.csv >b &&
	test_cmp a b
'

test_expect_success 'the golden fixture sorted: --sorted and the default agree' '
	{ head -n 1 "$SMALL"; tail -n +2 "$SMALL" | sort -t, -k1,1 -k2,2; } >small-sorted.csv &&
	adash-features $GOLDEN_OPTS --warmup keep small-sorted.csv >default.csv &&
	adash-features $GOLDEN_OPTS --warmup keep --sorted small-sorted.csv >sorted.csv &&
	test_cmp default.csv sorted.csv &&
	sort "$TESTDATA/golden/features-small-keep.csv" >a &&
	sort sorted.csv >b &&
	test_cmp a b
'

test_expect_success 'shuffled input gives the same rows (as a set), in the input order' '
	shuffle s.csv >shuffled.csv &&
	! cmp -s s.csv shuffled.csv &&
	adash-features $WIDE_OPTS --fill zero <s.csv >in-order.csv &&
	adash-features $WIDE_OPTS --fill zero <shuffled.csv >shuffled-out.csv &&
	head -n 1 in-order.csv >h1 && head -n 1 shuffled-out.csv >h2 && test_cmp h1 h2 &&
	sort in-order.csv >a && sort shuffled-out.csv >b &&
	test_cmp a b &&
	cut -d, -f1-7 shuffled-out.csv >passed &&
	awk -F, "FNR == NR { if (FNR > 1) k[\$1 \",\" \$2] = 1; next } FNR > 1 && !(\$1 \",\" \$2 in k)" \
		shuffled-out.csv shuffled.csv >dropped-rows &&
	test "$(wc -l <dropped-rows)" -eq $(( $(wc -l <shuffled.csv) - $(wc -l <shuffled-out.csv) )) &&
	grep -F -x -v -f dropped-rows shuffled.csv >kept-in-order &&
	test_cmp kept-in-order passed
'

test_expect_code 1 '--sorted on unsorted input exits 1' '
	adash-features --key shop_id --lags 1 --sorted "$SMALL"
'

test_expect_success '--sorted on unsorted input: a clear one-line message' '
	adash-features --key shop_id --lags 1 --sorted "$SMALL" >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-features: .*series-small.csv:4: column \"date\": 2024-01-01 .*2024-01-02.*--sorted" err
'

# ---- no leakage ----------------------------------------------------------------

# leak_check OPTIONS DAY...: for each cut day t, the features of the rows of
# leak.csv on or before t do not change when every later row is changed
# (sales and the covariates times 10), has no sales, or is deleted.
leak_check() {
	opts=$1
	shift
	adash-features $opts --warmup keep <leak.csv >base.csv || return 1
	for t in "$@"; do
		rows_upto "$t" base.csv >want || return 1
		awk -F, -v t="$t" "BEGIN { OFS = \",\" } NR > 1 && \$2 > t { \$3 *= 10; \$4 *= 10; \$5 *= 10 } { print }" \
			leak.csv >times10.csv &&
		awk -F, -v t="$t" "BEGIN { OFS = \",\" } NR > 1 && \$2 > t { \$3 = \"\" } { print }" \
			leak.csv >nosales.csv &&
		rows_upto "$t" leak.csv >cut.csv || return 1
		for f in times10 nosales cut; do
			adash-features $opts --warmup keep <$f.csv >$f.out &&
			rows_upto "$t" $f.out >got &&
			test_cmp want got || { echo "leak: $f after $t, options $opts"; return 1; }
		done
		cmp -s times10.csv leak.csv && { echo "the change did nothing"; return 1; }
	done
	return 0
}

LEAK_DAYS="2023-01-01 2023-01-02 2023-01-08 2023-01-15 2023-01-29 2023-02-14 2023-03-10"
SMALL_DAYS="2024-01-01 2024-01-03 2024-01-04 2024-01-05 2024-01-07 2024-01-08 2024-01-10"

test_expect_success 'no leakage: later rows never change earlier features (fill none)' '
	adash-synth sales --shops 3 --days 75 --seed 11 >leak0.csv &&
	shuffle leak0.csv >leak.csv &&
	leak_check "$WIDE_OPTS" $LEAK_DAYS
'

test_expect_success 'no leakage: fill zero' '
	leak_check "$WIDE_OPTS --fill zero" $LEAK_DAYS
'

test_expect_success 'no leakage: fill ffill' '
	leak_check "$WIDE_OPTS --fill ffill" $LEAK_DAYS
'

test_expect_success 'no leakage: --sorted streaming' '
	cp leak0.csv leak.csv &&
	leak_check "$WIDE_OPTS --sorted" $LEAK_DAYS
'

test_expect_success 'no leakage: the fixture with gaps and missing values' '
	{ head -n 1 "$SMALL"; tail -n +2 "$SMALL" | sort -t, -k1,1 -k2,2; } >leak.csv &&
	leak_check "$GOLDEN_OPTS" $SMALL_DAYS &&
	leak_check "$GOLDEN_OPTS --fill zero" $SMALL_DAYS &&
	leak_check "$GOLDEN_OPTS --fill ffill --sorted" $SMALL_DAYS
'

test_expect_success 'no leakage: a row own target never enters its own features' '
	adash-features $WIDE_OPTS --warmup keep <"$SMALL" >base.csv &&
	for row in A,2024-01-06 A,2024-01-09 B,2024-01-03 B,2024-01-10; do
		awk -F, -v r="$row" "BEGIN { OFS = \",\" } \$1 \",\" \$2 == r { \$3 = 1000 } { print }" \
			"$SMALL" >changed.csv &&
		adash-features $WIDE_OPTS --warmup keep <changed.csv >changed.out &&
		grep "^$row," base.csv | cut -d, -f4- >a &&
		grep "^$row," changed.out | cut -d, -f4- >b &&
		test_line_count = 1 a &&
		test_cmp a b || exit 1
	done
'

# ---- bad rows --------------------------------------------------------------------

cat >dup.csv <<\EOF
shop_id,date,sales
A,2024-01-01,1
B,2024-01-01,5
A,2024-01-02,2
A,2024-01-02,3
A,2024-01-03,4
EOF

test_expect_code 1 'a second row for the same key and day is a bad row (exit 1)' '
	adash-features --key shop_id --lags 1 dup.csv
'

test_expect_code 1 'a second row for the same key and day is a bad row (--sorted, exit 1)' '
	adash-features --key shop_id --lags 1 --sorted dup.csv
'

test_expect_success 'a duplicate: one-line message naming the file, line and day' '
	adash-features --key shop_id --lags 1 dup.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-features: dup.csv:5: column \"date\": a second row for .* on 2024-01-02$" err
'

test_expect_success 'a duplicate with --reject: the NDJSON names the line, the rest goes on' '
	for m in "" --sorted; do
		adash-features --key shop_id --lags 1 $m --reject rej.ndjson --stats stats.json dup.csv >out &&
		printf "shop_id,date,sales,sales_lag_1\nA,2024-01-02,2,1\nA,2024-01-03,4,2\n" >expect &&
		test_cmp expect out &&
		test_line_count = 1 rej.ndjson &&
		test_grep "^{\"file\":\"dup.csv\",\"line\":5,\"reason\":\".*2024-01-02.*\",\"raw\":\"A,2024-01-02,3\"}$" rej.ndjson &&
		test "$(stat_val stats.json rows_rejected)" = 1 &&
		test "$(reason_val stats.json "duplicate time")" = 1 &&
		check_invariant stats.json || exit 1
	done
'

test_expect_success 'a duplicate read from stdin is reported as (stdin) in both modes' '
	for m in "" --sorted; do
		adash-features --key shop_id --lags 1 $m --reject rej.ndjson <dup.csv >out &&
		test_grep "^{\"file\":\"(stdin)\",\"line\":5," rej.ndjson || exit 1
		adash-features --key shop_id --lags 1 $m <dup.csv >out 2>err; test $? -eq 1 &&
		test_grep "^adash-features: (stdin):5: " err || exit 1
	done
'

test_expect_success 'the same day in two keys is not a duplicate' '
	adash-features --key shop_id --lags 1 --warmup keep dup.csv --on-bad skip >out &&
	test_grep "^B,2024-01-01,5,$" out &&
	test_line_count = 5 out
'

test_expect_success 'without --key, the whole input is one series (the same day twice is a duplicate)' '
	adash-features --lags 1 --on-bad skip --stats stats.json --warmup keep dup.csv >out &&
	test "$(stat_val stats.json rows_rejected)" = 2 &&
	printf "shop_id,date,sales,sales_lag_1\nA,2024-01-01,1,\nA,2024-01-02,2,1\nA,2024-01-03,4,2\n" >expect &&
	test_cmp expect out
'

cat >bad.csv <<\EOF
shop_id,date,sales,footfall
A,2024-01-01,1,10
A,2024-13-01,2,10
A,2024-01-02,abc,10
A,2024-01-03,3,1x
,2024-01-04,4,10
A,,5,10
A,2024-01-05,6,10
EOF

test_expect_success 'a bad date: exit 1, a clear one-line message' '
	head -n 3 bad.csv >in.csv &&
	adash-features --key shop_id --lags 1 in.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-features: in.csv:3: column \"date\": \"2024-13-01\" is not a date (YYYY-MM-DD)$" err
'

test_expect_success 'a non-numeric sales value: exit 1, a clear one-line message' '
	{ head -n 2 bad.csv; sed -n 4p bad.csv; } >in.csv &&
	adash-features --key shop_id --lags 1 in.csv >out 2>err; test $? -eq 1 &&
	test_one_line err &&
	test_grep "^adash-features: in.csv:3: column \"sales\": \"abc\" is not a number$" err
'

test_expect_success 'a non-numeric covariate read by a feature is a bad row' '
	{ head -n 2 bad.csv; sed -n 5p bad.csv; } >in.csv &&
	adash-features --key shop_id --log1p footfall in.csv >out 2>err; test $? -eq 1 &&
	test_grep "column \"footfall\": \"1x\" is not a number" err
'

test_expect_success 'bad rows with --reject: each line and reason, the counts add up' '
	adash-features --key shop_id --lags 1 --log1p footfall --warmup keep \
		--reject rej.ndjson --stats stats.json bad.csv >out &&
	printf "shop_id,date,sales,footfall,sales_lag_1,log1p_footfall\n" >expect &&
	printf "A,2024-01-01,1,10,,2.3978952727983707\nA,2024-01-05,6,10,,2.3978952727983707\n" >>expect &&
	test_cmp expect out &&
	test_line_count = 5 rej.ndjson &&
	sed -n "s/^{\"file\":\"bad.csv\",\"line\":\([0-9]*\),.*/\1/p" rej.ndjson >lines &&
	printf "3\n4\n5\n6\n7\n" >expect &&
	test_cmp expect lines &&
	test "$(stat_val stats.json rows_in)" = 7 &&
	test "$(stat_val stats.json rows_out)" = 2 &&
	test "$(stat_val stats.json rows_rejected)" = 5 &&
	test "$(reason_val stats.json "bad date")" = 2 &&
	test "$(reason_val stats.json "not a number")" = 2 &&
	test "$(reason_val stats.json "missing key")" = 1 &&
	check_invariant stats.json
'

if test -n "$HAVE_JQ"; then
test_expect_success 'the reject file is NDJSON of {file, line, reason, raw}' '
	jq -e "keys_unsorted == [\"file\",\"line\",\"reason\",\"raw\"] and (.line | type) == \"number\"" \
		rej.ndjson >/dev/null
'
else
test_skip 'the reject file is NDJSON of {file, line, reason, raw} (no jq)'
fi

test_expect_success 'a missing target is not a bad row: written, and a gap for the lags' '
	adash-features --key shop_id --lags 1 --stats stats.json --warmup keep "$SMALL" >out &&
	test "$(stat_val stats.json rows_rejected)" = 0 &&
	test_grep "^A,2024-01-08,,120,2.5,18$" out &&
	test_grep "^A,2024-01-09,11,110,2.5,$" out
'

test_expect_code 1 'a ragged row is a bad row' '
	printf "date,sales\n2024-01-01,1\n2024-01-02,1,9\n" | adash-features --lags 1
'

# ---- warm-up ---------------------------------------------------------------------

test_expect_success '--warmup keep keeps every row, with empty early features' '
	adash-features --key shop_id --lags 2 --rolling mean:3 --warmup keep --stats stats.json "$SMALL" >out &&
	test "$(stat_val stats.json rows_dropped)" = 0 &&
	test_line_count = 22 out &&
	test_grep "^A,2024-01-01,10,100,2.5,,$" out &&
	test_grep "^A,2024-01-02,12,110,2.5,,$" out &&
	test_grep "^A,2024-01-03,9,90,2,10,$" out &&
	test_grep "^A,2024-01-04,15,150,3,12,10.333333333333334$" out
'

test_expect_success '--warmup drop (the default) drops exactly the rows within the look-back' '
	adash-features --key shop_id --lags 2 --rolling mean:3 --stats stats.json "$SMALL" >out &&
	test "$(stat_val stats.json rows_dropped)" = 6 &&
	test "$(reason_val stats.json warm-up)" = 6 &&
	check_invariant stats.json &&
	adash-features --key shop_id --lags 2 --rolling mean:3 --warmup drop "$SMALL" >out2 &&
	test_cmp out out2 &&
	! grep -q "2024-01-0[123]," out
'

test_expect_success 'calendar features alone have no warm-up' '
	adash-features --key shop_id --calendar dow,month,dom,weekend --stats stats.json "$SMALL" >out &&
	test "$(stat_val stats.json rows_dropped)" = 0 &&
	test_grep "^A,2024-01-06,20,200,2,6,1,6,1$" out &&
	test_grep "^A,2024-01-01,10,100,2.5,1,1,1,0$" out &&
	test_grep "^B,2024-01-07,10,100,2,7,1,7,1$" out
'

# ---- fill modes --------------------------------------------------------------------

test_expect_success '--fill zero: names end in _zero, gap days count as 0' '
	adash-features --key shop_id --lags 1 --rolling mean:3 --ewm 1 --fill zero --warmup keep "$SMALL" >out &&
	head -n 1 out >actual &&
	echo "shop_id,date,sales,footfall,price,sales_lag_1_zero,sales_rmean_3_zero,sales_ewm_1_zero" >expect &&
	test_cmp expect actual &&
	test_grep "^A,2024-01-06,20,200,2,0,8,6.129032258064516$" out &&
	test_grep "^A,2024-01-09,11,110,2.5,0,12.666666666666666,7.772549019607843$" out
'

test_expect_success '--fill ffill: names end in _ffill, gap days hold the last value' '
	adash-features --key shop_id --lags 1 --rolling mean:3 --ewm 1 --fill ffill --warmup keep "$SMALL" >out &&
	head -n 1 out >actual &&
	echo "shop_id,date,sales,footfall,price,sales_lag_1_ffill,sales_rmean_3_ffill,sales_ewm_1_ffill" >expect &&
	test_cmp expect actual &&
	test_grep "^A,2024-01-06,20,200,2,15,13,13.870967741935484$" out &&
	test_grep "^A,2024-01-09,11,110,2.5,18,18.666666666666668,17.749019607843138$" out &&
	test_grep "^B,2024-01-04,8,80,1.5,6,6,6.142857142857143$" out
'

test_expect_success '--fill none (the default): no suffix, gap days left out' '
	adash-features --key shop_id --lags 1 --rolling mean:3 --fill none --warmup keep "$SMALL" >out &&
	adash-features --key shop_id --lags 1 --rolling mean:3 --warmup keep "$SMALL" >out2 &&
	test_cmp out out2 &&
	test_grep "^A,2024-01-06,20,200,2,,12$" out
'

# ---- transforms --------------------------------------------------------------------

test_expect_success '--log1p and --ratio of covariates' '
	adash-features --key shop_id --log1p footfall,price --ratio price/footfall,footfall/price "$SMALL" >out &&
	head -n 1 out >actual &&
	echo "shop_id,date,sales,footfall,price,log1p_footfall,log1p_price,price_per_footfall,footfall_per_price" >expect &&
	test_cmp expect actual &&
	test_grep "^A,2024-01-02,12,110,2.5,4.7095302013123[0-9]*,1.2527629684953[0-9]*,0.022727272727272728,44$" out &&
	test_grep "^A,2024-01-07,18,0,2,0,1.0986122886681[0-9]*,,0$" out &&
	test_grep "^B,2024-01-03,6,,1.5,,0.9162907318741[0-9]*,,$" out
'

test_expect_code 2 '--log1p of the target is refused (exit 2)' '
	adash-features --key shop_id --log1p sales "$SMALL"
'

test_expect_success '--log1p of the target: the message says why' '
	adash-features --key shop_id --log1p sales "$SMALL" >out 2>err; test $? -eq 2 &&
	test_one_line err &&
	test_grep "log1p_sales" err && test_grep "predict" err &&
	test_must_be_empty_file out
'

test_expect_success '--ratio with the target on either side is refused (exit 2)' '
	for r in sales/price price/sales; do
		adash-features --key shop_id --ratio $r "$SMALL" >out 2>err; rc=$?
		test $rc -eq 2 || { echo "[$r] exit $rc"; exit 1; }
		test_one_line err || exit 1
	done
'

test_expect_code 1 'a feature name already in the input is refused (exit 1)' '
	awk -F, "BEGIN { OFS = \",\" } { \$6 = NR == 1 ? \"sales_lag_7\" : 0 } { print }" "$SMALL" >has.csv &&
	adash-features --key shop_id --lags 1,7 has.csv
'

test_expect_success 'a feature name already in the input: the message names it' '
	adash-features --key shop_id --lags 1,7 has.csv >out 2>err; test $? -eq 1 &&
	test_one_line err && test_grep "\"sales_lag_7\"" err
'

test_expect_code 1 'a missing --key column is exit 1' '
	adash-features --key store --lags 1 "$SMALL"
'

test_expect_code 1 'a missing covariate column is exit 1' '
	adash-features --key shop_id --log1p visitors "$SMALL"
'

test_expect_success '--time and --target name other columns' '
	sed "1s/.*/store,day,units,footfall,price/" "$SMALL" >renamed.csv &&
	adash-features --key store --time day --target units --lags 1,7 --rolling mean:3 renamed.csv >out &&
	adash-features --key shop_id --lags 1,7 --rolling mean:3 "$SMALL" >ref &&
	sed 1d out >a && sed 1d ref >b && test_cmp a b &&
	test_grep "^store,day,units,footfall,price,units_lag_1,units_lag_7,units_rmean_3$" out
'

# ---- usage errors ------------------------------------------------------------------

test_expect_code 2 'an unknown option is exit 2' 'adash-features --lagz 1 "$SMALL"'
test_expect_code 2 'an unknown option is exit 2 (--bogus)' 'adash-features --bogus --lags 1 "$SMALL"'
test_expect_code 2 'no features asked for is exit 2' 'adash-features --key shop_id "$SMALL"'

test_expect_success 'malformed --lags, --rolling, --ewm, --calendar, --ratio, --fill, --warmup values exit 2' '
	for a in "--lags 0" "--lags x" "--lags -1" "--lags 1.5" "--lags 3661" "--lags 1,,7" "--lags ," "--lags 7,7" \
		 "--rolling mean" "--rolling mean:" "--rolling :7" "--rolling avg:7" "--rolling std:1" \
		 "--rolling mean:0" "--rolling mean:x" "--rolling mean:7:1" \
		 "--ewm 0" "--ewm -1" "--ewm abc" "--ewm 4000" \
		 "--calendar year" "--calendar fourier" "--calendar fourier:7" "--calendar fourier:0:1" \
		 "--calendar fourier:7:0" "--calendar fourier:7:101" "--calendar fourier:x:1" "--calendar Dow" \
		 "--ratio price" "--ratio /price" "--ratio price/" "--ratio a/b/c" \
		 "--fill bfill" "--warmup maybe" "--on-bad maybe"; do
		adash-features --key shop_id $a "$SMALL" >out 2>err; rc=$?
		test $rc -eq 2 || { echo "[$a] exit $rc"; cat err; exit 1; }
		test_one_line err || { echo "[$a]"; exit 1; }
		test_must_be_empty_file out || { echo "[$a]"; exit 1; }
	done
'

test_expect_success 'a malformed value: the message names the option and the item' '
	adash-features --key shop_id --rolling mean:7,median:7 "$SMALL" 2>err; test $? -eq 2 &&
	test_grep "^adash-features: --rolling: .median:7." err
'

test_expect_success 'the same feature twice is exit 2 (--rolling sum:1 twice)' '
	adash-features --key shop_id --rolling sum:1,mean:1,sum:1 "$SMALL" >out 2>err; test $? -eq 2
'

test_expect_success 'leading zeros in an option still make the one canonical name' '
	adash-features --key shop_id --lags 07 --ewm 3.50 "$SMALL" | head -n 1 >actual &&
	echo "shop_id,date,sales,footfall,price,sales_lag_7,sales_ewm_3.5" >expect &&
	test_cmp expect actual
'

# ---- formats --------------------------------------------------------------------------

test_expect_success 'NDJSON input gives NDJSON output, features as numbers, missing as null' '
	cat >in.ndjson <<-\EOF &&
	{"shop_id":"A","date":"2024-01-02","sales":2,"price":2.5,"shop_no":2}
	{"shop_id":"A","date":"2024-01-01","sales":1,"price":2,"shop_no":2}
	{"shop_id":"A","date":"2024-01-03","sales":null,"price":4,"shop_no":0}
	{"shop_id":"A","date":"2024-01-04","sales":4.5,"price":3,"shop_no":null}
	EOF
	adash-features --key shop_id --lags 1 --rolling mean:2 --ratio price/shop_no --warmup keep in.ndjson >out &&
	cat >expect <<-\EOF &&
	{"shop_id":"A","date":"2024-01-02","sales":2,"price":2.5,"shop_no":2,"sales_lag_1":1,"sales_rmean_2":null,"price_per_shop_no":1.25}
	{"shop_id":"A","date":"2024-01-01","sales":1,"price":2,"shop_no":2,"sales_lag_1":null,"sales_rmean_2":null,"price_per_shop_no":1}
	{"shop_id":"A","date":"2024-01-03","sales":null,"price":4,"shop_no":0,"sales_lag_1":2,"sales_rmean_2":1.5,"price_per_shop_no":null}
	{"shop_id":"A","date":"2024-01-04","sales":4.5,"price":3,"shop_no":null,"sales_lag_1":null,"sales_rmean_2":2,"price_per_shop_no":null}
	EOF
	test_cmp expect out
'

test_expect_success 'NDJSON and CSV give the same features' '
	adash-features $GOLDEN_OPTS --output-format ndjson "$SMALL" >small.ndjson &&
	adash-features $GOLDEN_OPTS --warmup keep --output-format ndjson "$SMALL" >keep.ndjson &&
	test_line_count = 8 small.ndjson &&
	test_grep "\"sales_lag_7\":10,\"sales_rmean_3\":19," small.ndjson &&
	test_grep "\"date\":\"2024-01-12\",.*\"sales_lag_7\":null," small.ndjson
'

test_expect_success '--output-format csv from NDJSON' '
	adash-features --key shop_id --lags 1 --warmup keep --output-format csv in.ndjson >out &&
	printf "shop_id,date,sales,price,shop_no,sales_lag_1\nA,2024-01-02,2,2.5,2,1\nA,2024-01-01,1,2,2,\nA,2024-01-03,,4,0,2\nA,2024-01-04,4.5,3,,\n" >expect &&
	test_cmp expect out
'

test_expect_success '--no-header leaves the header out; partitions by key concatenate' '
	adash-features $GOLDEN_OPTS --no-header "$SMALL" >out &&
	sed 1d "$TESTDATA/golden/features-small.csv" >expect &&
	test_cmp expect out &&
	{ head -n 1 "$SMALL"; grep "^A," "$SMALL"; } >a.csv &&
	{ head -n 1 "$SMALL"; grep "^B," "$SMALL"; } >b.csv &&
	{ adash-features $GOLDEN_OPTS a.csv; adash-features $GOLDEN_OPTS --no-header b.csv; } | sort >parts &&
	sort "$TESTDATA/golden/features-small.csv" >whole &&
	test_cmp whole parts
'

test_expect_success 'several inputs are one stream; with other columns, exit 1' '
	{ head -n 1 "$SMALL"; sed -n 2,11p "$SMALL"; } >p1.csv &&
	{ head -n 1 "$SMALL"; sed -n "12,\$p" "$SMALL"; } >p2.csv &&
	adash-features $GOLDEN_OPTS p1.csv p2.csv >out &&
	test_cmp "$TESTDATA/golden/features-small.csv" out &&
	printf "shop_id,date\nA,2024-02-01\n" >other.csv &&
	adash-features $GOLDEN_OPTS p1.csv other.csv >out 2>err; test $? -eq 1 &&
	test_grep "other.csv" err
'

test_expect_success 'TSV in, TSV out' '
	tr , "	" <"$SMALL" >small.tsv &&
	adash-features $GOLDEN_OPTS -d "\t" small.tsv >out &&
	tr , "	" <"$TESTDATA/golden/features-small.csv" >expect &&
	test_cmp expect out
'

test_expect_success 'empty input gives empty output, exit 0' '
	: >empty.csv &&
	adash-features --key shop_id --lags 1 <empty.csv >out &&
	test_must_be_empty_file out &&
	adash-features --key shop_id --lags 1 empty.csv >out &&
	test_must_be_empty_file out
'

test_expect_success 'a header alone gives the header with the feature columns' '
	head -n 1 "$SMALL" >header.csv &&
	adash-features --key shop_id --lags 1 --stats stats.json header.csv >out &&
	echo "shop_id,date,sales,footfall,price,sales_lag_1" >expect &&
	test_cmp expect out &&
	test "$(stat_val stats.json rows_in)" = 0
'

# ---- determinism and output errors -------------------------------------------------------

test_expect_success 'determinism: two runs give the same bytes' '
	adash-features $WIDE_OPTS --fill ffill --warmup keep <shuffled.csv >run1 &&
	adash-features $WIDE_OPTS --fill ffill --warmup keep <shuffled.csv >run2 &&
	cmp run1 run2 &&
	adash-features $WIDE_OPTS --sorted <s.csv >run1 &&
	adash-features $WIDE_OPTS --sorted <s.csv >run2 &&
	cmp run1 run2
'

if test -w /dev/full; then
test_expect_code 3 'a full disk is exit 3' '
	adash-features $GOLDEN_OPTS "$SMALL" >/dev/full
'
else
test_skip 'a full disk is exit 3 (no /dev/full)'
fi

test_expect_success 'a closed pipe ends the program quietly' '
	adash-features $WIDE_OPTS --sorted <sales.csv 2>err | head -n 1 >/dev/null &&
	test_must_be_empty_file err
'

test_done
