#!/bin/sh
# adash-train and adash-forecast on small series: the pipeline, golden
# forecasts, train/serve consistency, the recursion, per-key determinism,
# --future, --set, --total, --by, --log-target, cross-validation that never
# trains on later days, and the errors a user meets.
. "$top_srcdir/tests/lib.sh"

SMALL="$TESTDATA/sales-small.csv"
FEATS="--key shop_id --lags 1,7 --rolling mean:7 --calendar dow"

# cols FILE NAME...: the named columns of a CSV file without quoting, in order.
cols() {
	f=$1; shift
	awk -F, -v want="$*" 'NR == 1 { n = split(want, w, " "); for (i = 1; i <= NF; i++) idx[$i] = i }
		{ line = ""; for (j = 1; j <= n; j++) line = line (j > 1 ? "," : "") $(idx[w[j]]); print line }' "$f"
}

test_expect_success 'features -> train -> forecast on the small fixture' '
	adash-features $FEATS <"$SMALL" >feat.csv &&
	adash-train --target sales --lambda 1 --cv 2 -o small.model -q feat.csv &&
	adash-forecast -m small.model --horizon 7 --interval 80 --paths 200 --seed 3 <"$SMALL" >fc.csv &&
	test_line_count = 15 fc.csv &&
	head -1 fc.csv >head &&
	echo "shop_id,date,step,pred,lo,hi" >expect &&
	test_cmp expect head
'

test_expect_success 'the forecast matches the golden file' '
	test_cmp "$TESTDATA/golden/forecast-small.csv" fc.csv
'

test_expect_success 'each series starts the day after its last day, steps 1..7' '
	cols fc.csv shop_id date step | sed 1d >got &&
	for s in s01 s02; do
		for i in 1 2 3 4 5 6 7; do echo "$s,2023-04-0$i,$i"; done
	done >expect &&
	test_cmp expect got
'

test_expect_success 'lo <= hi, and pred inside [lo, hi] for step 1' '
	awk -F, "NR > 1 && (\$5 > \$6) { exit 1 } NR > 1 && \$3 == 1 && (\$4 < \$5 || \$4 > \$6) { exit 1 }" fc.csv
'

test_expect_success 'same model, history and seed: the same bytes' '
	adash-forecast -m small.model --horizon 7 --interval 80 --paths 200 --seed 3 <"$SMALL" >again.csv &&
	test_cmp fc.csv again.csv
'

test_expect_success 'another seed moves the interval, never the point forecast' '
	adash-forecast -m small.model --horizon 7 --interval 80 --paths 200 --seed 4 <"$SMALL" >other.csv &&
	cols fc.csv pred >p1 && cols other.csv pred >p2 && test_cmp p1 p2 &&
	cols fc.csv lo >l1 && cols other.csv lo >l2 && ! cmp -s l1 l2
'

test_expect_success 'a series forecasts the same alone as with the others (its own random stream)' '
	{ head -1 "$SMALL"; grep "^s02," "$SMALL"; } >s02.csv &&
	adash-forecast -m small.model --horizon 7 --interval 80 --paths 200 --seed 3 <s02.csv >alone.csv &&
	grep "^s02," fc.csv >expect && sed 1d alone.csv >got &&
	test_cmp expect got
'

test_expect_success 'train/serve: step-1 features equal adash-features on the appended actual day' '
	last=$(tail -1 "$SMALL" | cut -d, -f2) &&
	{ head -1 "$SMALL"; grep -v ",$last," "$SMALL" | sed 1d; } >hist.csv &&
	{ head -1 "$SMALL"; grep ",$last," "$SMALL"; } >actual.csv &&
	adash-forecast -m small.model --horizon 1 --with-features --future actual.csv -q <hist.csv >f1.csv &&
	adash-features $FEATS <"$SMALL" >full.csv &&
	names="shop_id date footfall price promo temp_c sales_lag_1 sales_lag_7 sales_rmean_7 dow" &&
	cols f1.csv $names | sed 1d >got &&
	cols full.csv $names | grep ",$last," >expect &&
	test_line_count = 2 expect &&
	test_cmp expect got
'

test_expect_success 'the recursion: each step reads the previous step'"'"'s prediction as its lag 1' '
	adash-forecast -m small.model --horizon 3 --with-features -q <"$SMALL" >wf.csv &&
	cols wf.csv shop_id pred | sed 1d >preds &&
	cols wf.csv shop_id sales_lag_1 | sed 1d >lags &&
	awk -F, "NR == FNR { p[NR] = \$2; k[NR] = \$1; next }
		FNR > 1 && k[FNR - 1] == \$1 && p[FNR - 1] != \$2 { bad = 1 } END { exit bad }" preds lags
'

test_expect_success '--with-features shows the computed calendar of future days' '
	cols wf.csv date dow | sed 1d | head -3 >got &&
	printf "2023-04-01,6\n2023-04-02,7\n2023-04-03,1\n" >expect &&
	test_cmp expect got
'

test_expect_success 'covariates not planned are carried forward, said once on stderr; -q silences it' '
	adash-forecast -m small.model --horizon 2 <"$SMALL" >/dev/null 2>err &&
	test_one_line err &&
	test_grep "carried forward" err &&
	adash-forecast -m small.model --horizon 2 -q <"$SMALL" >/dev/null 2>err &&
	test_must_be_empty_file err
'

test_expect_success '--future plans are used on their days, --set overrides them' '
	printf "shop_id,date,price,promo\ns01,2023-04-01,11,1\ns01,2023-04-02,12,0\n" >plans.csv &&
	adash-forecast -m small.model --horizon 2 --future plans.csv --with-features -q <"$SMALL" >pf.csv &&
	cols pf.csv shop_id date price promo | sed -n 2,3p >got &&
	printf "s01,2023-04-01,11,1\ns01,2023-04-02,12,0\n" >expect &&
	test_cmp expect got &&
	adash-forecast -m small.model --horizon 2 --future plans.csv --set price=*2 --set promo=+1 --with-features -q <"$SMALL" >ps.csv &&
	cols ps.csv shop_id date price promo | sed -n 2,3p >got &&
	printf "s01,2023-04-01,22,2\ns01,2023-04-02,24,1\n" >expect &&
	test_cmp expect got
'

test_expect_success '--set promo=1 changes the forecast' '
	adash-forecast -m small.model --horizon 3 --set promo=1 -q <"$SMALL" >promo.csv &&
	adash-forecast -m small.model --horizon 3 --set promo=0 -q <"$SMALL" >nopromo.csv &&
	! cmp -s promo.csv nopromo.csv
'

test_expect_success '--total adds a row per day with the sum over series' '
	adash-forecast -m small.model --horizon 7 --interval 80 --paths 200 --seed 3 --total <"$SMALL" >tot.csv &&
	grep "^total," tot.csv >totals &&
	test_line_count = 7 totals &&
	awk -F, "NR > 1 && \$1 != \"total\" { s[\$2] += \$4 } \$1 == \"total\" { d = s[\$2] - \$4; if (d > 1e-6 || d < -1e-6) exit 1; if (\$5 > \$4 || \$6 < \$4) exit 1 }" tot.csv &&
	adash-forecast -m small.model --horizon 2 --total --total-name ALL -q <"$SMALL" >named.csv &&
	test_grep "^ALL,2023-04-01,1," named.csv
'

test_expect_success '--by trains one model per shop; forecast uses each' '
	adash-train --target sales --by shop_id --min-rows 20 -o by.model -q feat.csv &&
	test_grep "\"group\": \"s01\"" by.model &&
	test_grep "\"group\": \"s02\"" by.model &&
	adash-forecast -m by.model --horizon 3 -q <"$SMALL" >by.csv &&
	test_line_count = 7 by.csv &&
	! cmp -s by.csv fc.csv
'

test_expect_success '--log-target trains and forecasts' '
	adash-train --target sales --log-target -o log.model -q feat.csv &&
	test_grep "\"log_target\": true" log.model &&
	adash-forecast -m log.model --horizon 3 --interval 80 --paths 100 -q <"$SMALL" >log.csv &&
	awk -F, "NR > 1 && \$4 <= 0 { exit 1 }" log.csv
'

for algo in ols huber svr; do
	test_expect_success "--algo $algo trains and forecasts" '
		adash-train --target sales --algo '$algo' -o '$algo'.model -q feat.csv &&
		test_grep "\"algo\": \"'$algo'\"" '$algo'.model &&
		adash-forecast -m '$algo'.model --horizon 2 -q <"$SMALL" >'$algo'.csv &&
		test_line_count = 5 '$algo'.csv
	'
done

test_expect_success 'cross-validation never trains on later days: fold 1 ignores changes after it' '
	adash-train --target sales --lambda 1 --cv 2 -o cv1.model -q feat.csv &&
	until=$(sed -n "s/.*\"test_until\": \"\\([0-9-]*\\)\".*/\\1/p" cv1.model | head -1) &&
	test -n "$until" &&
	awk -F, -v u="$until" "NR == 1 || \$2 <= u { print; next } { \$3 = \$3 * 3; print }" OFS=, feat.csv >changed.csv &&
	adash-train --target sales --lambda 1 --cv 2 -o cv2.model -q changed.csv &&
	grep "\"test_until\"" cv1.model | head -1 >f1 &&
	grep "\"test_until\"" cv2.model | head -1 >f2 &&
	test_cmp f1 f2 &&
	grep "\"test_until\"" cv1.model | sed -n 2p >g1 &&
	grep "\"test_until\"" cv2.model | sed -n 2p >g2 &&
	! cmp -s g1 g2
'

test_expect_success 'fold lines on stderr name the days and the metrics' '
	adash-train --target sales --cv 2 -o cvm.model feat.csv 2>err &&
	test_grep "fold 1/2: trained on .* rows to 2023-..-.., tested on .* rows to 2023-..-..: MAE .*, RMSE .*, MAPE .*%, MASE" err
'

test_expect_success 'a long horizon stays finite and within the history'"'"'s range widened by its span' '
	adash-train --target sales --log-target -o long.model -q feat.csv &&
	adash-forecast -m long.model --horizon 200 --interval 80 --paths 100 <"$SMALL" >long.csv 2>err &&
	test_line_count = 401 long.csv &&
	awk -F, "NR == FNR { if (FNR > 1) { lo[\$1] = (\$1 in lo && lo[\$1] < \$3) ? lo[\$1] : \$3; hi[\$1] = (\$1 in hi && hi[\$1] > \$3) ? hi[\$1] : \$3 }; next }
		FNR > 1 { s = hi[\$1] - lo[\$1]; for (i = 4; i <= 6; i++) if (\$i !~ /^-?[0-9.e+-]+\$/ || \$i < 0 || \$i > hi[\$1] + s + 1e-6) { print \"bad: \" \$0; exit 1 } }" "$SMALL" long.csv
'

test_expect_success 'a numeric covariate trained as categorical takes --set and --future by value' '
	adash-train --target sales --categorical promo -q -o cat.model feat.csv &&
	adash-forecast -m cat.model --horizon 2 --set promo=1 -q <"$SMALL" >cat1.csv &&
	printf "shop_id,date,promo\ns01,2023-04-01,1.0\ns01,2023-04-02,1.0\ns02,2023-04-01,1.0\ns02,2023-04-02,1.0\n" >catplan.csv &&
	adash-forecast -m cat.model --horizon 2 --future catplan.csv -q <"$SMALL" >cat2.csv &&
	test_cmp cat1.csv cat2.csv &&
	adash-forecast -m cat.model --horizon 2 --set promo=0 -q <"$SMALL" >cat0.csv &&
	! cmp -s cat0.csv cat1.csv
'

# ---- errors ------------------------------------------------------------------

test_expect_code 1 'a history without a column the model reads is exit 1' '
	cut -d, -f1-4 "$SMALL" >lacking.csv &&
	adash-forecast -m small.model <lacking.csv >out 2>err; rc=$?
	test_one_line err && test_grep "no column \"price\"" err && exit $rc
'

test_expect_code 1 'an unknown group of a --by model without pooled fallback is exit 1' '
	adash-train --target sales --by shop_id --min-rows 20 --no-pooled -o nopool.model -q feat.csv &&
	sed "s/^s02,/s99,/" "$SMALL" >unknown.csv &&
	adash-forecast -m nopool.model <unknown.csv >out 2>err; rc=$?
	test_one_line err && test_grep "s99" err && exit $rc
'

test_expect_code 1 'a target that is not a number is exit 1, naming the line' '
	sed "3s/^\\([^,]*,[^,]*,\\)[^,]*/\\1abc/" feat.csv >badtarget.csv &&
	adash-train --target sales -o bad.model badtarget.csv 2>err; rc=$?
	test_one_line err && test_grep ":3: column \"sales\": \"abc\" is not a number" err &&
	test ! -e bad.model && exit $rc
'

test_expect_code 1 'a corrupt model file is exit 1 with a message' '
	head -c 300 small.model >trunc.model &&
	adash-forecast -m trunc.model <"$SMALL" >out 2>err; rc=$?
	test_one_line err && test_grep "trunc.model" err && exit $rc
'

test_expect_code 3 'a missing model file is exit 3' '
	adash-forecast -m no-such.model <"$SMALL"
'

test_expect_code 2 'adash-forecast without -m is exit 2' 'adash-forecast <"$SMALL"'
test_expect_code 2 'adash-train without --target is exit 2' 'adash-train -o x.model feat.csv'
test_expect_code 2 'adash-train without -o is exit 2' 'adash-train --target sales feat.csv'
test_expect_code 2 '--set of a column the model does not read is exit 2' '
	adash-forecast -m small.model --set nosuch=1 <"$SMALL"
'
test_expect_code 2 '--set of the target is exit 2' 'adash-forecast -m small.model --set sales=1 <"$SMALL"'
test_expect_code 2 'a malformed --set is exit 2' 'adash-forecast -m small.model --set promo <"$SMALL"'
test_expect_code 2 '--interval 100 is exit 2' 'adash-forecast -m small.model --interval 100 <"$SMALL"'
test_expect_code 2 '--algo unknown is exit 2' 'adash-train --target sales --algo forest -o x.model feat.csv'
test_expect_code 2 '--lambda cv without --cv is exit 2' 'adash-train --target sales --lambda cv -o x.model feat.csv'
test_expect_code 1 'too few rows for the columns is exit 1' '
	head -5 feat.csv >few.csv && adash-train --target sales -o x.model few.csv
'

test_expect_code 1 'NDJSON without one good record is exit 1, not an empty success' '
	printf "{bad\n{\"date\":\"2024-01-01\",\"sales\":1\n" >bad.ndjson &&
	adash-train --target sales -o x.model bad.ndjson 2>err; rc=$?
	test_one_line err && test_grep "bad.ndjson:1:" err && exit $rc
'

test_expect_code 1 'a horizon past 9999-12-31 is exit 1' '
	awk -F, "NR == 1 { print; next } { n++; printf \"%s,9999-12-%02d,%s\n\", \$1, n % 31 + 1, \$3 }" "$SMALL" |
		awk -F, "NR == 1 || \$1 == \"s01\"" | head -32 | cut -d, -f1-3 >end.csv &&
	adash-features --key shop_id --lags 1 <end.csv >endf.csv &&
	adash-train --target sales -q -o end.model endf.csv &&
	adash-forecast -m end.model --horizon 2 <end.csv >out 2>err; rc=$?
	test_grep "past 9999-12-31" err && exit $rc
'

test_expect_code 2 'the target as the key is exit 2' 'adash-train --target sales --key sales -o x.model feat.csv'

test_expect_success 'rows without a --by value are served by the pooled fit' '
	awk -F, "BEGIN { OFS = \",\" } NR > 1 && NR % 5 == 0 { \$1 = \"\" } { print }" feat.csv >holes.csv &&
	adash-train --target sales --by shop_id --min-rows 20 -q -o holes.model holes.csv &&
	! grep -q "\"group\": \"\"" holes.model
'

test_expect_success 'the model file is written atomically: no temporary file is left' '
	ls >files && ! grep -q "\\.tmp" files && ! grep -q "^\\.small" files
'

test_done
