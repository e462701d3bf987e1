#!/bin/sh
# adash-eval: each mode end to end on what the other programs write
# (forecasts, rankings) and on small files worked by hand; --by and the
# row for all; NDJSON in and out; determinism for a seed; rows accounted
# for; bad rows, lists out of place and exit codes.
. "$top_srcdir/tests/lib.sh"

# cell FILE GROUP NAME: the value of column NAME in the row of GROUP.
cell() {
	awk -F, -v g="$2" -v name="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		$1 == g { print $c }' "$1"
}

# The worked example of the man page: two shops, a forecast each, a day
# without truth, one actual of 0, an interval.
printf '%s\n' shop_id,date,sales a,2024-01-08,10 a,2024-01-09,20 b,2024-01-08,0 b,2024-01-09,5 >truth.csv
printf '%s\n' shop_id,date,step,pred,lo,hi a,2024-01-08,1,12,8,14 a,2024-01-09,2,17,15,19 \
	b,2024-01-08,1,1,0,2 b,2024-01-09,2,5,4,6 b,2024-01-10,3,5,4,6 >fc.csv
printf '%s\n' shop_id,date,sales a,2024-01-01,10 a,2024-01-02,12 a,2024-01-03,14 \
	b,2024-01-01,4 b,2024-01-02,5 b,2024-01-04,7 >hist.csv
printf '%s\n' '{"shop_id":"a","date":"2024-01-08","pred":12}' '{"shop_id":"a","date":"2024-01-09","pred":17}' \
	'{"shop_id":"b","date":"2024-01-08","pred":1}' '{"shop_id":"b","date":"2024-01-09","pred":5}' >fc.ndjson

# ---- regression -------------------------------------------------------------

test_expect_success 'regression by hand: per key and all, MASE from each key'"'"'s scale' '
	adash-eval --regression --truth truth.csv --key shop_id --history hist.csv --season 1 \
		--by shop_id <fc.csv >out.csv &&
	printf "%s\n" group,n,mae,rmse,bias,mape,mape_skipped,smape,mase,coverage,width \
		a,2,2.5,2.5495097567963922,-0.5,17.5,0,17.1990171990172,1.25,0.5,5 \
		b,2,0.5,0.7071067811865476,0.5,0,1,100,0.5,1,2 \
		all,4,1.5,1.8708286933869707,0,11.666666666666666,1,58.599508599508596,0.875,0.75,3.5 >want &&
	test_cmp want out.csv
'

test_expect_success 'a forecast day without truth is dropped and counted' '
	adash-eval --regression --truth truth.csv --key shop_id --stats st.json <fc.csv >out.csv &&
	check_invariant st.json &&
	test "$(stat_val st.json rows_out)" = 4 &&
	test "$(reason_val st.json "no truth")" = 1 &&
	test "$(cell out.csv all mase)" = ""
'

test_expect_success 'regression end to end: history, model, forecast with --total, per shop' '
	adash-synth sales --shops 3 --days 120 --seed 1 >sales.csv &&
	awk -F, "NR == 1 || \$2 < \"2023-04-17\"" sales.csv >train.csv &&
	awk -F, "NR == 1 || \$2 >= \"2023-04-17\"" sales.csv >actual.csv &&
	adash-features --key shop_id --lags 1,7 --rolling mean:7 --calendar dow <train.csv >feat.csv &&
	adash-train --target sales --cv 3 -q -o sales.model feat.csv &&
	adash-forecast -m sales.model --horizon 14 --interval 80 --total -q <train.csv >fc14.csv &&
	adash-eval --regression --truth actual.csv --key shop_id --history train.csv --by shop_id \
		--stats st.json <fc14.csv >out.csv &&
	test "$(cut -d , -f 1 out.csv | tr "\n" " ")" = "group s01 s02 s03 total all " &&
	test "$(cell out.csv s02 n)" = 14 && test "$(cell out.csv all n)" = 42 &&
	test "$(cell out.csv total n)" = 0 && test "$(cell out.csv total mae)" = "" &&
	test "$(reason_val st.json "no truth")" = 14 &&
	awk -F, "NR > 1 && \$1 != \"total\" && (\$9 == \"\" || \$10 < 0 || \$10 > 1) { exit 1 }" out.csv
'

test_expect_success 'the total scored as its own key when the truth has it' '
	awk -F, -v OFS=, "NR > 1 { s[\$2] += \$3 } END { for (d in s) print \"total\", d, s[d] }" actual.csv |
		sort >totals.csv &&
	cat actual.csv totals.csv | cut -d , -f 1-3 >withtotal.csv &&
	adash-eval --regression --truth withtotal.csv --key shop_id --by shop_id <fc14.csv >out.csv &&
	test "$(cell out.csv total n)" = 14 && test "$(cell out.csv all n)" = 56
'

test_expect_success 'MASE per key is MAE over the key'"'"'s seasonal naive scale' '
	adash-eval --regression --truth actual.csv --key shop_id --history train.csv --by shop_id <fc14.csv >out.csv &&
	grep "^s01," train.csv | awk -F, "{ y[NR] = \$3 } END { for (i = 8; i <= NR; i++) { d = y[i] - y[i - 7]; s += d < 0 ? -d : d } printf \"%.17g\\n\", s / (NR - 7) }" >scale &&
	awk -v mae="$(cell out.csv s01 mae)" -v mase="$(cell out.csv s01 mase)" -v s="$(cat scale)" \
		"BEGIN { r = mae / s - mase; exit !(r < 1e-9 && r > -1e-9) }"
'

test_expect_success 'NDJSON in, NDJSON out, with null for what is undefined' '
	adash-eval --regression --truth truth.csv --key shop_id --output-format ndjson <fc.csv >out.ndjson &&
	test_line_count = 1 out.ndjson &&
	grep -q "^{\"group\":\"all\",\"n\":4,\"mae\":1.5,.*\"mase\":null,\"coverage\":0.75,\"width\":3.5}\$" out.ndjson &&
	adash-eval --regression --truth truth.csv --key shop_id <fc.ndjson >out2.ndjson &&
	grep -q "\"coverage\":null" out2.ndjson &&
	grep -q "\"mae\":1.5," out2.ndjson
'

test_expect_success 'two inputs are one; --no-header' '
	head -n 3 fc.csv >fc1.csv && { head -n 1 fc.csv; tail -n +4 fc.csv; } >fc2.csv &&
	adash-eval --regression --truth truth.csv --key shop_id fc1.csv fc2.csv >two.csv &&
	adash-eval --regression --truth truth.csv --key shop_id <fc.csv >one.csv &&
	test_cmp one.csv two.csv &&
	adash-eval --regression --truth truth.csv --key shop_id --no-header <fc.csv >nh.csv &&
	test_line_count = 1 nh.csv && grep -q "^all,4," nh.csv
'

test_expect_code 1 'a prediction that is not a number: exit 1' '
	printf "shop_id,date,pred\na,2024-01-08,lots\n" | adash-eval --regression --truth truth.csv --key shop_id
'

test_expect_success 'with --reject it is written there and counted' '
	printf "shop_id,date,pred\na,2024-01-08,lots\na,2024-01-09,17\nb,someday,1\n" |
		adash-eval --regression --truth truth.csv --key shop_id --reject rej.ndjson --stats st.json >out.csv &&
	test_line_count = 2 rej.ndjson &&
	grep -q "\"line\":2,\"reason\":.*lots.* is not a number" rej.ndjson &&
	check_invariant st.json &&
	test "$(reason_val st.json "bad prediction")" = 1 &&
	test "$(reason_val st.json "bad date")" = 1 &&
	test "$(cell out.csv all n)" = 1
'

test_expect_code 1 'a truth value that is not a number: exit 1 whatever --on-bad says' '
	printf "shop_id,date,sales\na,2024-01-08,ten\n" >badtruth.csv &&
	adash-eval --regression --truth badtruth.csv --key shop_id --on-bad skip <fc.csv >/dev/null 2>err;
	st=$? && grep -q "badtruth.csv:2: column \"sales\"" err && exit $st
'

# ---- classification ---------------------------------------------------------

test_expect_success 'classification: all predictions tied give AUC 0.5; one class gives no AUC' '
	printf "label,p,seg\n1,0.3,x\n0,0.3,x\ntrue,0.3,y\nfalse,0.3,y\n1,0.3,z\n" >ties.csv &&
	adash-eval --classification --score p --by seg <ties.csv >out.csv &&
	test "$(cell out.csv x auc)" = 0.5 && test "$(cell out.csv all auc)" = 0.5 &&
	test "$(cell out.csv z auc)" = "" && test "$(cell out.csv x brier)" = 0.29 &&
	test "$(cell out.csv all positives)" = 3
'

test_expect_success 'classification by hand: AUC 3 of 4 pairs, log loss and Brier' '
	printf "label,score\n1,0.9\n0,0.2\n1,0.6\n0,0.7\n" | adash-eval --classification >out.csv &&
	test "$(cell out.csv all auc)" = 0.75 &&
	test "$(cell out.csv all brier)" = 0.175 &&
	awk -v l="$(cell out.csv all logloss)" "BEGIN { w = -(log(0.9) + log(0.8) + log(0.6) + log(0.3)) / 4; exit !(l - w < 1e-12 && w - l < 1e-12) }"
'

test_expect_success 'the calibration table: ten bins per group and for all' '
	adash-eval --classification --score p --by seg --calibration cal.csv <ties.csv >/dev/null &&
	test "$(head -n 1 cal.csv)" = "group,bin,lo,hi,n,mean_pred,observed" &&
	test_line_count = 41 cal.csv &&
	grep -q "^all,4,0.3,0.4,5,0.3,0.6\$" cal.csv &&
	grep -q "^x,1,0,0.1,0,,\$" cal.csv
'

test_expect_success 'classification end to end: a click model'"'"'s probabilities on later rows' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features -q --events --items items.csv --asof-every 1d --label-horizon 1d \
		--until 2024-01-14 <ev.csv >train.csv &&
	adash-train --target label --algo logreg -q -o click.model <train.csv &&
	adash-features -q --events --items items.csv --asof-every 1d --label-horizon 1d \
		--since 2024-01-15 --until 2024-01-19 <ev.csv >test.csv &&
	adash-rank -m click.model <test.csv >scored.csv &&
	awk -F, -v OFS=, "NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) c[\$i] = i;
			else l[\$c[\"user_id\"] \",\" \$c[\"item_id\"] \",\" \$c[\"asof\"]] = \$c[\"label\"]; next }
		FNR == 1 { print \"user_id,item_id,asof,score,label\"; next }
		{ print \$1, \$3, \$7, \$4, l[\$1 \",\" \$3 \",\" \$7] }" test.csv scored.csv >joined.csv &&
	adash-eval --classification --by asof --stats st.json <joined.csv >out.csv &&
	test "$(cell out.csv all n)" = "$(($(wc -l <joined.csv) - 1))" &&
	check_invariant st.json &&
	awk -v a="$(cell out.csv all auc)" "BEGIN { exit !(a > 0.6 && a <= 1) }" &&
	test "$(wc -l <out.csv)" = 7
'

test_expect_code 1 'a label that is not 0 or 1: exit 1' '
	printf "label,score\n2,0.5\n" | adash-eval --classification
'

test_expect_success 'a score outside [0, 1] is a bad row; skipped with --on-bad skip' '
	printf "label,score\n1,1.5\n1,0.5\n0,-0.1\n0,0.25\n" |
		adash-eval --classification --on-bad skip --stats st.json >out.csv &&
	test "$(reason_val st.json "bad score")" = 2 &&
	test "$(cell out.csv all auc)" = 1
'

# ---- ranking ------------------------------------------------------------------

printf '%s\n' user_id,item_id u1,a u1,b u2,c u4,z >rt.csv
printf '%s\n' user_id,rank,item_id,score,propensity,policy u1,1,a,1,1,score u1,2,x,1,1,score \
	u1,3,b,1,1,score u2,1,c,1,1,score u2,2,d,1,1,score u3,1,a,1,1,score >lay.csv

test_expect_success 'ranking by hand: NDCG, MRR, HR, precision, recall, coverage; users without truth or a list' '
	adash-eval --ranking --truth rt.csv --k 3 --stats st.json <lay.csv >out.csv &&
	printf "%s\n" group,n,k,ndcg,mrr,hr,precision,recall,coverage,users_without_truth,users_without_layout \
		all,3,3,0.6399069297160626,0.6666666666666666,0.6666666666666666,0.3333333333333333,0.6666666666666666,0.8333333333333334,1,1 >want &&
	test_cmp want out.csv &&
	check_invariant st.json && test "$(stat_val st.json rows_out)" = 6
'

test_expect_success 'a perfect ranking has NDCG 1; --k cuts the lists' '
	printf "%s\n" user_id,item_id u1,a u1,x u2,c u3,a >perfect.csv &&
	adash-eval --ranking --truth perfect.csv --k 3 <lay.csv >out.csv &&
	test "$(cell out.csv all ndcg)" = 1 && test "$(cell out.csv all mrr)" = 1 &&
	adash-eval --ranking --truth rt.csv --k 1 --stats st.json <lay.csv >out.csv &&
	test "$(reason_val st.json "below --k")" = 3 &&
	test "$(cell out.csv all precision)" = "$(cell out.csv all hr)"
'

test_expect_success 'an empty truth: no user to score, every list counted' '
	printf "user_id,item_id\n" >empty.csv &&
	adash-eval --ranking --truth empty.csv <lay.csv >out.csv &&
	test "$(cell out.csv all n)" = 0 && test "$(cell out.csv all ndcg)" = "" &&
	test "$(cell out.csv all users_without_truth)" = 3 &&
	: >nothing.csv &&
	adash-eval --ranking --truth nothing.csv <lay.csv >out2.csv &&
	test_cmp out.csv out2.csv
'

test_expect_success 'graded gains (--gain) and a catalog (--catalog)' '
	printf "%s\n" user_id,item_id,minutes u1,b,3 u1,a,2 >graded.csv &&
	printf "%s\n" item_id a b c d e f g h i x >catalog.csv &&
	adash-eval --ranking --truth graded.csv --gain minutes --catalog catalog.csv --k 3 <lay.csv >out.csv &&
	awk -v v="$(cell out.csv all ndcg)" "BEGIN { d = log(2) / log(3); w = (2 + 3 * 0.5) / (3 + 2 * d); exit !(v - w < 1e-12 && w - v < 1e-12) }" &&
	test "$(cell out.csv all coverage)" = 0.5
'

test_expect_success 'ranking end to end: lists by asof, --by, NDJSON' '
	adash-features -q --events --items items.csv --asof 2024-01-15 <ev.csv >cand.csv &&
	adash-rank --top 4 --explore egreedy:0.3 --seed 1 <cand.csv >shown.csv &&
	awk -F, "\$1 >= \"2024-01-15\" && (\$3 == \"widget_open\" || \$3 == \"drilldown\" || \$3 == \"export\") { print \$2 \",\" \$4 }" ev.csv |
		sort -u | sed "1i user_id,item_id" >next.csv &&
	adash-eval --ranking --truth next.csv --k 4 --by policy <shown.csv >out.csv &&
	test "$(cell out.csv all n)" = "$(cut -d , -f 1 next.csv | sort -u | grep -c "^u[0-9]")" &&
	awk -F, "NR > 1 && (\$4 < 0 || \$4 > 1) { exit 1 }" out.csv &&
	adash-rank --top 4 --explore egreedy:0.3 --seed 1 --output-format ndjson <cand.csv >shown.ndjson &&
	adash-eval --ranking --truth next.csv --k 4 --by policy <shown.ndjson >out.ndjson &&
	adash-eval --ranking --truth next.csv --k 4 --by policy --output-format csv <shown.ndjson >back.csv &&
	test_cmp out.csv back.csv &&
	grep -q "^{\"group\":\"all\",\"n\":" out.ndjson
'

test_expect_code 1 'a list split by another'"'"'s: exit 1 whatever --on-bad says' '
	printf "%s\n" user_id,rank,item_id u1,1,a u2,1,c u1,2,b | adash-eval --ranking --truth rt.csv --on-bad skip
'

test_expect_success 'an item twice in a list, or a rank twice, is a bad row' '
	printf "%s\n" user_id,rank,item_id u1,1,a u1,2,a u1,1,b u1,3,b |
		adash-eval --ranking --truth rt.csv --k 3 --on-bad skip --stats st.json >out.csv &&
	test "$(reason_val st.json "repeated item")" = 1 &&
	test "$(reason_val st.json "repeated rank")" = 1 &&
	check_invariant st.json &&
	awk -v v="$(cell out.csv all ndcg)" "BEGIN { d = log(2) / log(3); w = 1.5 / (1 + d) / 3; exit !(v - w < 1e-12 && w - v < 1e-12) }"
'

# ---- policy -------------------------------------------------------------------

printf '%s\n' user_id,rank,item_id,score,propensity,policy u1,1,a,1,1,score u2,1,b,1,1,score \
	u3,1,x,1,1,score u3,2,c,1,1,score u4,1,d,1,1,score >new.csv
printf '%s\n' user_id,item_id,rank,propensity,reward u1,a,1,0.5,1 u2,b,1,0.25,0 u3,c,1,0.8,1 \
	u4,d,1,0.1,1 u9,e,1,0.5,1 >logged.csv

test_expect_success 'policy by hand: IPS, SNIPS, ESS; a user without a layout dropped' '
	adash-eval --policy --logged logged.csv --bootstrap 0 --stats st.json <new.csv >out.csv &&
	printf "%s\n" group,n,matched,logged_reward,ips,ips_lo,ips_hi,snips,snips_lo,snips_hi,ess \
		all,4,3,0.75,3,,,0.75,,,2.1333333333333333 >want &&
	test_cmp want out.csv &&
	test "$(reason_val st.json "no layout")" = 1 && check_invariant st.json
'

test_expect_success 'policy: --match item takes the item at any of the first K ranks' '
	adash-eval --policy --logged logged.csv --match item --bootstrap 0 <new.csv >out.csv &&
	test "$(cell out.csv all matched)" = 4 && test "$(cell out.csv all ips)" = 3.3125 &&
	adash-eval --policy --logged logged.csv --match item --k 1 --bootstrap 0 <new.csv >out.csv &&
	test "$(cell out.csv all matched)" = 3
'

test_expect_success 'without a rank column the match is by item' '
	cut -d , -f 1,2,4,5 logged.csv >norank.csv &&
	adash-eval --policy --logged norank.csv --bootstrap 0 <new.csv >out.csv &&
	test "$(cell out.csv all matched)" = 4
'

test_expect_success 'policy end to end: the same seed gives the same bytes, the interval holds the estimate' '
	adash-rank --score-col cooc --top 4 <cand.csv >newlayout.csv &&
	awk -F, -v OFS=, "NR == FNR { t[\$1 \",\" \$2] = 1; next } FNR == 1 { print \"user_id,item_id,rank,propensity,reward,policy\"; next }
		{ print \$1, \$3, \$2, \$5, (\$1 \",\" \$3) in t ? 1 : 0, \$6 }" next.csv shown.csv >log.csv &&
	adash-eval --policy --logged log.csv --seed 7 <newlayout.csv >a.csv &&
	adash-eval --policy --logged log.csv --seed 7 <newlayout.csv >b.csv &&
	adash-eval --policy --logged log.csv --seed 8 <newlayout.csv >c.csv &&
	cmp a.csv b.csv && ! cmp -s a.csv c.csv &&
	test "$(cell a.csv all n)" = 120 &&
	awk -F, "NR == 2 { exit !(\$6 <= \$5 && \$5 <= \$7 && \$9 <= \$8 && \$8 <= \$10) }" a.csv &&
	adash-eval --policy --logged log.csv --seed 7 --level 50 <newlayout.csv >d.csv &&
	awk -F, "NR == FNR { if (FNR == 2) { lo = \$6; hi = \$7 } next } FNR == 2 { exit !(\$6 >= lo && \$7 <= hi) }" a.csv d.csv
'

test_expect_success 'a group'"'"'s interval does not depend on the other groups' '
	adash-eval --policy --logged log.csv --seed 7 --by policy <newlayout.csv >by.csv &&
	grep "^pinned," by.csv >p1 &&
	grep -e "^user_id," -e ",pinned\$" log.csv >pinned.csv &&
	adash-eval --policy --logged pinned.csv --seed 7 --by policy <newlayout.csv | grep "^pinned," >p2 &&
	test_cmp p1 p2 &&
	test "$(tail -n 1 by.csv)" = "$(tail -n 1 a.csv)"
'

test_expect_code 1 'a propensity of 0: exit 1' '
	printf "user_id,item_id,propensity,reward\nu1,a,0,1\n" >zero.csv &&
	adash-eval --policy --logged zero.csv <new.csv >/dev/null 2>err; st=$?;
	grep -q "zero.csv:2: column \"propensity\": \"0\" is not a probability above 0" err && exit $st
'

test_expect_success 'bad propensities and rewards skipped and counted' '
	printf "%s\n" user_id,item_id,propensity,reward u1,a,0,1 u1,a,,1 u1,a,1.5,1 u1,a,0.5,x u1,a,0.5,1 >bad.csv &&
	adash-eval --policy --logged bad.csv --on-bad skip --stats st.json --bootstrap 0 <new.csv >out.csv &&
	test "$(reason_val st.json "bad propensity")" = 3 &&
	test "$(reason_val st.json "bad reward")" = 1 &&
	check_invariant st.json && test "$(cell out.csv all ips)" = 2
'

test_expect_code 1 'a layout with an item twice for a user: exit 1' '
	printf "%s\n" user_id,rank,item_id u1,1,a u1,2,a | adash-eval --policy --logged logged.csv
'

# ---- exit codes ---------------------------------------------------------------

test_expect_code 3 'a truth file that cannot be opened: exit 3' '
	adash-eval --ranking --truth no-such-file.csv <lay.csv
'

test_expect_code 1 'an input without the --pred column: exit 1' '
	adash-eval --regression --truth truth.csv --key shop_id --pred forecast <fc.csv
'

test_expect_code 1 'an input without the --by column: exit 1' '
	adash-eval --ranking --truth rt.csv --by role <lay.csv
'

test_expect_success 'without a mode, --help teaches' '
	adash-eval --help >help && grep -q "^Usage: adash-eval --regression|--classification|--ranking|--policy" help
'

for args in "" "--regression --ranking --truth rt.csv" "--regression" "--ranking" "--policy" \
	"--classification --truth rt.csv" "--ranking --truth rt.csv --history hist.csv" \
	"--ranking --truth rt.csv --label l" "--classification --k 3" "--regression --truth truth.csv --bootstrap 10" \
	"--ranking --truth rt.csv --k 0" "--policy --logged logged.csv --level 100" \
	"--policy --logged logged.csv --match pos" "--policy --logged logged.csv --match rank --k 3" \
	"--ranking --truth -" "--regression --truth truth.csv --season 0" "--policy --logged logged.csv --bootstrap -1"
do
	test_expect_code 2 "usage error: adash-eval $args" "
		adash-eval $args <lay.csv >/dev/null 2>err; st=\$?; test_one_line err >&2; exit \$st
	"
done

test_done
