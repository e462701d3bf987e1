#!/bin/sh
# adash-explain: contributions add up to the model's own prediction for
# every algorithm (ols, ridge, huber, svr, logreg; --by groups, a log
# target, one-hot inputs), and that prediction is adash-forecast's and
# adash-rank's; reasons in words; --what-if against adash-forecast --set;
# --global's permutation importance of a pure-noise column near zero;
# refusals and bad rows.
. "$top_srcdir/tests/lib.sh"

adash-synth sales --shops 3 --days 160 --seed 4 >sales.csv
adash-features --key shop_id --lags 1,7 --rolling mean:7 --calendar dow,weekend \
	--ratio price/footfall --log1p footfall <sales.csv >feat.csv

# sums_add_up FILE: every row's base + contrib_* equals explained (1e-9
# relative); prints the rows checked.
sums_add_up() {
	awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "base") b = i; if ($i == "explained") x = i; if ($i ~ /^contrib_/) c[i] = 1 } next }
		{ s = $b; for (i in c) s += $i; d = s - $x; if (d < 0) d = -d; m = $x < 0 ? -$x : $x
		  if (d > 1e-9 * (m > 1 ? m : 1)) { print "row " NR ": " s " != " $x; bad = 1 } n++ }
		END { if (bad || n == 0) exit 1; print n }' "$1"
}

for algo in ols ridge huber svr; do
	test_expect_success "$algo: base + contributions = the prediction, which is adash-forecast's" "
		adash-train -q --target sales --algo $algo -o m.model <feat.csv &&
		adash-forecast -q -m m.model --horizon 5 --with-features <sales.csv >fc.csv &&
		adash-explain -m m.model <fc.csv >ex.csv &&
		sums_add_up ex.csv &&
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if (\$i == \"pred\") p = i; if (\$i == \"explained\") x = i } next }
			{ d = \$p - \$x; if (d < 0) d = -d; if (d > 1e-9 * (\$p > 1 ? \$p : 1)) exit 1 }' ex.csv
	"
done

test_expect_success 'ridge by shop with a log target: the sum is the log-scale prediction' '
	adash-train -q --target sales --algo ridge --by shop_id --log-target -o m.model <feat.csv &&
	adash-explain -m m.model <feat.csv >ex.csv &&
	test "$(sums_add_up ex.csv)" -gt 400 &&
	adash-forecast -q -m m.model --horizon 3 --with-features <sales.csv >fc.csv &&
	adash-explain -m m.model <fc.csv >ex.csv &&
	grep -q "^s02," ex.csv &&
	awk -F, "NR == 1 { for (i = 1; i <= NF; i++) { if (\$i == \"pred\") p = i; if (\$i == \"explained\") x = i } next }
		{ if (\$x < 4 || \$x > 9 || \$p < exp(\$x) * 0.9 - 1 || \$p > exp(\$x) * 1.2) exit 1 }" ex.csv
'

test_expect_success 'one-hot inputs are summed back into their column' '
	adash-train -q --target sales --algo ridge --categorical shop_id --features sales_lag_1,dow,shop_id -o m.model <feat.csv &&
	adash-explain -m m.model <feat.csv >ex.csv &&
	test "$(head -n 1 ex.csv | tr , "\n" | grep -c "^contrib_")" = 3 &&
	sums_add_up ex.csv
'

test_expect_success 'logreg: the sum is the log-odds; adash-rank scores its logistic' '
	adash-synth events --users 40 --items 10 --days 25 --seed 2 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof-every 1d --label-horizon 1d --until 2024-01-20 <ev.csv >train.csv &&
	adash-train -q --target label --algo logreg -o click.model <train.csv &&
	adash-features --events --items items.csv --asof 2024-01-25 <ev.csv >cand.csv &&
	adash-explain -m click.model <cand.csv >ex.csv &&
	sums_add_up ex.csv &&
	adash-rank -m click.model <cand.csv >rank.csv &&
	awk -F, "NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if (\$i == \"explained\") x = i; next } p[\$1 \",\" \$2] = 1 / (1 + exp(-\$x)); next }
		FNR > 1 { d = p[\$1 \",\" \$3] - \$4; if (d < 0) d = -d; if (d > 1e-12) { print \$0; exit 1 } n++ } END { exit n == 0 }" ex.csv rank.csv
'

test_expect_success 'linucb and thompson: the sum is the posterior mean, adash-rank'"'"'s score' '
	adash-synth events --users 40 --items 10 --days 25 --seed 2 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof-every 1d --label-horizon 1d --until 2024-01-20 <ev.csv >train.csv &&
	adash-features --events --items items.csv --asof 2024-01-25 <ev.csv >cand.csv &&
	for algo in linucb thompson; do
		adash-train -q --target label --algo $algo --features open_7d,item_ctr_7d,cooc,pinned -o b.model <train.csv &&
		adash-explain -m b.model <cand.csv >ex.csv &&
		sums_add_up ex.csv &&
		adash-rank -m b.model <cand.csv >rank.csv &&
		awk -F, "NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if (\$i == \"explained\") x = i; next } p[\$1 \",\" \$2] = \$x; next }
			FNR > 1 { d = p[\$1 \",\" \$3] - \$4; if (d < 0) d = -d; if (d > 1e-12) { print \$0; exit 1 } n++ } END { exit n == 0 }" ex.csv rank.csv || exit 1
	done
'

test_expect_success '--top 2: reasons in words, sign-aware, with their contributions' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	adash-forecast -q -m m.model --horizon 2 --with-features --set promo=1 <sales.csv >fc.csv &&
	adash-explain -m m.model --top 2 <fc.csv >ex.csv &&
	test "$(head -n 1 ex.csv | tr , "\n" | grep "^reason_\|^base\|^explained" | tr "\n" " ")" = "base reason_1 reason_1_contrib reason_2 reason_2_contrib explained " &&
	adash-explain -m m.model --top 20 <fc.csv >all.csv &&
	grep -q "a promotion is planned (raises the prediction)" all.csv &&
	grep -q "sales 7 days earlier: [0-9.]* (\(raises\|lowers\) the prediction)" all.csv &&
	grep -q "average sales over the 7 days before: " all.csv &&
	grep -q "price per footfall: " all.csv
'

test_expect_success 'reasons are the largest contributions, largest first' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	adash-explain -m m.model --top 3 <feat.csv | tail -n +2 |
		awk -F, "{ a = \$(NF - 5); b = \$(NF - 3); c = \$(NF - 1); a = a < 0 ? -a : a; b = b < 0 ? -b : b; c = c < 0 ? -c : c; if (a < b || b < c) exit 1 }"
'

test_expect_success '--what-if price=*0.9 is adash-forecast --set price=*0.9 on the first day' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	adash-forecast -q -m m.model --horizon 1 --with-features <sales.csv >fc.csv &&
	adash-forecast -q -m m.model --horizon 1 --set price=*0.9 <sales.csv >fc9.csv &&
	adash-explain -m m.model --what-if price=*0.9 <fc.csv >wi.csv &&
	awk -F, "NR == FNR { if (FNR > 1) want[\$1] = \$4; next }
		FNR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"pred_after\") a = i; next }
		{ d = want[\$1] - \$a; if (d < 0) d = -d; if (d > 1e-9 * want[\$1]) { print \$1, want[\$1], \$a; exit 1 } n++ } END { exit n != 3 }" fc9.csv wi.csv &&
	awk -F, "NR > 1 && \$NF == 0 { exit 1 }" wi.csv
'

test_expect_success '--global: a pure-noise column has importance near zero' '
	awk "BEGIN { srand(3); print \"date,x,noise,y\";
		for (i = 0; i < 400; i++) { x = rand(); z = rand(); printf \"2024-%02d-%02d,%.6f,%.6f,%.6f\n\", 1 + int(i / 28) % 12, 1 + i % 28, x, z, 3 * x + 0.05 * (rand() - 0.5) } }" >noise.csv &&
	adash-train -q --target y --algo ols -o n.model <noise.csv &&
	adash-explain -m n.model --global --repeats 10 --seed 1 <noise.csv >g.csv &&
	test "$(head -n 1 g.csv)" = "feature,mean_abs_contrib,importance,importance_sd,coef,coef_se" &&
	awk -F, "\$1 == \"x\" { ix = \$3; cx = \$5; sx = \$6 } \$1 == \"noise\" { iz = \$3 }
		END { if (ix < 0.5 || iz > 0.001 || iz < -0.001 || cx < 2.99 || cx > 3.01 || sx <= 0 || sx > 0.01) exit 1 }" g.csv &&
	adash-explain -m n.model --global --repeats 10 --seed 1 <noise.csv | cmp - g.csv
'

test_expect_success 'NDJSON in and out' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	adash-features --key shop_id --lags 1,7 --rolling mean:7 --calendar dow,weekend \
		--ratio price/footfall --log1p footfall --output-format ndjson <sales.csv >feat.ndjson &&
	adash-explain -m m.model --top 1 <feat.ndjson >ex.ndjson &&
	test "$(wc -l <ex.ndjson)" = "$(($(wc -l <feat.csv) - 1))" &&
	grep -q "\"reason_1\":\"[a-z]" ex.ndjson
'

test_expect_code 1 'a --what-if column missing from the rows: exit 1' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	adash-explain -m m.model --what-if sales_lag_99=1 <feat.csv >/dev/null
'

test_expect_code 1 'a model input missing from the rows: exit 1' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	cut -d, -f1-8 feat.csv | adash-explain -m m.model >/dev/null
'

test_expect_code 1 'a column that adash-explain writes is already there: exit 1' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	sed "1s/\$/,base/; 2,\$s/\$/,0/" feat.csv | adash-explain -m m.model >/dev/null
'

test_expect_success 'a value that is not a number is a bad row (--on-bad skip counts it)' '
	adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
	{ head -n 3 feat.csv; head -n 4 feat.csv | tail -n 1 | sed "s/,[0-9.]*\$/,lots/"; } >bad.csv &&
	adash-explain -m m.model --on-bad skip --stats st.json <bad.csv >out.csv &&
	test_line_count = 3 out.csv && check_invariant st.json &&
	test "$(stat_val st.json rows_rejected)" = 1
'

for args in "" "-m m.model --top 2 --global" "-m m.model --what-if price" "-m m.model --what-if price=x" \
	"-m m.model --what-if dow=1 --top 1" "-m m.model --what-if sales=1" "-m m.model --top 0" "-m m.model --repeats 3"
do
	test_expect_code 2 "usage error: adash-explain $args" "
		adash-train -q --target sales --algo ridge -o m.model <feat.csv &&
		adash-explain $args <feat.csv >/dev/null 2>err; st=\$?; test_one_line err >&2; exit \$st
	"
done

test_done
