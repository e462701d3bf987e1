#!/bin/sh
# adash-train --algo logreg on a table shaped like adash-features --events
# writes (user_id, item_id, asof timestamps, role, item_type, counts, a 0/1
# label), generated here with a label drawn from a known logistic model of
# two columns: fold lines and the summary, the classification model file,
# determinism, L1 zeros, class weights, labels as true/false and NDJSON
# booleans, the exit codes of bad labels and bad options, and
# adash-forecast's refusal of a classification model.  Then the bandits
# (linucb, thompson) on the same table with the label as the reward: the
# model file, determinism, --update against training on all rows at once
# (bit for bit but the fingerprint), an empty update, unseen levels, and
# the refusals.
. "$top_srcdir/tests/lib.sh"

# events DAYS [LABELS] > FILE: 8 users x 6 widgets a day from 2024-02-01;
# label ~ Bernoulli(logistic(B0 + 1.2 z(open_7d) - 0.8 z(ratio))), B0 from
# the environment (default -0.5); noise is unrelated.  LABELS "tf" writes
# true/false.  Park and Miller's generator, exact in awk's doubles, so
# every awk writes the same file.
events() {
	awk -v days="$1" -v labels="${2:-01}" -v b0="${B0:--0.5}" '
		function rnd() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }
		BEGIN {
			seed = 20240201
			print "user_id,item_id,asof,role,item_type,open_7d,ratio,hour,dow,noise,label"
			for (d = 0; d < days; d++)
				for (u = 1; u <= 8; u++)
					for (i = 1; i <= 6; i++) {
						open = int(rnd() * 10); ratio = int(rnd() * 10000) / 10000
						noise = int(rnd() * 10000) / 10000; hour = int(rnd() * 24)
						eta = b0 + 1.2 * (open - 4.5) / 2.87 - 0.8 * (ratio - 0.5) / 0.289
						y = rnd() < 1 / (1 + exp(-eta))
						if (labels == "tf")
							y = y ? "true" : "false"
						printf "u%d,w%d,2024-02-%02dT00:00:00Z,%s,%s,%d,%s,%d,%d,%s,%s\n",
							u, i, d + 1, u % 3 ? "analyst" : "admin", i % 2 ? "kpi" : "chart",
							open, ratio, hour, d % 7 + 1, noise, y
					}
		}'
}

# coef NAME MODEL: the pooled coefficient of numeric input NAME: its design
# column is after those of the inputs before it, a categorical one taking
# one per level (levels here have no commas).
coef() {
	awk -v name="$1" '
		/^    {"name": / {
			if (index($0, "{\"name\": \"" name "\"")) want = col + 1
			if (index($0, "\"categorical\"")) {
				l = $0; sub(/.*"levels": \[/, "", l); sub(/\].*/, "", l); col += split(l, parts, ",")
			} else {
				col++
			}
		}
		/^  "pooled": / { pooled = 1 }
		pooled && /"coef": / {
			sub(/.*"coef": \[/, ""); sub(/\],?$/, ""); split($0, c, ", "); print c[want]; exit
		}' "$2"
}

test_expect_success 'the generated table: 24 days of 48 rows, both labels' '
	events 24 >train.csv &&
	test_line_count = 1153 train.csv &&
	cut -d, -f11 train.csv | sed 1d | sort -u >labels &&
	printf "0\n1\n" >expect && test_cmp expect labels
'

test_expect_success 'logreg with --cv 3: three fold lines with AUC, log loss and Brier, and a summary' '
	adash-train --target label --algo logreg --cv 3 -o click.model train.csv 2>err &&
	test_line_count = 4 err &&
	test "$(grep -c "^adash-train: fold [123]/3: trained on [0-9]* rows to 2024-02-[0-9]*T00:00:00Z, tested on [0-9]* rows to .*: AUC 0\.[0-9]*, log loss [0-9.]*, Brier 0\.[0-9]*$" err)" -eq 3 &&
	test_grep "^adash-train: logreg (l2, C [0-9.]* by the folds) on 1152 rows (0 left out for empty values), 11 design columns; in-sample AUC 0\.[0-9]*, log loss" err
'

test_expect_success 'the fold AUCs are well above 0.5' '
	sed -n "s/.*: AUC \([0-9.]*\),.*/\1/p" err >aucs &&
	test_line_count = 3 aucs &&
	awk "\$1 < 0.7 { exit 1 }" aucs
'

test_expect_success 'the model file: classification, logreg, asof, no key, l2, C from the grid, folds with auc' '
	test_grep "^  \"task\": \"classification\",$" click.model &&
	test_grep "^  \"algo\": \"logreg\",$" click.model &&
	test_grep "^  \"key\": null,$" click.model &&
	test_grep "^  \"time\": \"asof\",$" click.model &&
	test_grep "^  \"penalty\": \"l2\",$" click.model &&
	test_grep "^  \"class_weight\": \[1, 1\],$" click.model &&
	c=$(sed -n "s/^  \"C\": \(.*\),$/\1/p" click.model) &&
	case " 0.015625 0.03125 0.0625 0.125 0.25 0.5 1 2 4 8 16 32 64 " in *" $c "*) ;; *) false ;; esac &&
	test "$(grep -c "\"auc\": 0\.[0-9]*, \"logloss\": [0-9.]*, \"brier\": 0\.[0-9]*}" click.model)" -eq 3 &&
	! grep -q "\"mae\"" click.model &&
	test_grep "\"residuals\": \[\]" click.model
'

test_expect_success 'the coefficients: open_7d > 0 > ratio, |open_7d| above the others' '
	o=$(coef open_7d click.model) && r=$(coef ratio click.model) && n=$(coef noise click.model) &&
	echo "open_7d $o ratio $r noise $n" &&
	awk -v o="$o" -v r="$r" -v n="$n" "BEGIN { a = n < 0 ? -n : n
		exit !(o > 0 && r < 0 && o > -r && -r > a) }"
'

test_expect_success 'same input, same options: byte-identical models' '
	adash-train --target label --algo logreg --cv 3 -q -o again.model train.csv 2>err &&
	test_must_be_empty_file err &&
	cmp click.model again.model &&
	adash-train --target label --algo logreg --penalty l1 --C 0.02 -q -o l1a.model <train.csv &&
	adash-train --target label --algo logreg --penalty l1 --C 0.02 -q -o l1b.model <train.csv &&
	cmp l1a.model l1b.model
'

test_expect_success 'L1 with a small C: the noise coefficient is exactly 0, open_7d is not' '
	test_grep "^  \"penalty\": \"l1\",$" l1a.model &&
	test "$(coef noise l1a.model)" = 0 &&
	test "$(coef open_7d l1a.model)" != 0
'

test_expect_success 'a rare class: balanced weights raise the intercept, and the summary says so' '
	B0=-3.5 events 24 >rare.csv &&
	adash-train --target label --algo logreg -q -o plain.model rare.csv &&
	adash-train --target label --algo logreg --class-weight balanced -o bal.model rare.csv 2>err &&
	test_grep "class weights 0\.5[0-9]* and [0-9.]*)" err &&
	a=$(sed -n "/^  \"pooled\"/,/intercept/s/.*\"intercept\": \(.*\),/\1/p" plain.model) &&
	b=$(sed -n "/^  \"pooled\"/,/intercept/s/.*\"intercept\": \(.*\),/\1/p" bal.model) &&
	echo "intercepts $a -> $b" && awk -v a="$a" -v b="$b" "BEGIN { exit !(b > a + 1) }" &&
	adash-train --target label --algo logreg --class-weight 1:5 -q -o w5.model rare.csv &&
	test_grep "^  \"class_weight\": \[1, 5\],$" w5.model
'

test_expect_success 'labels true/false train the same coefficients as 1/0' '
	events 24 tf >tf.csv &&
	adash-train --target label --algo logreg --cv 3 -q -o tf.model tf.csv &&
	grep "\"coef\"" click.model >c1 && grep "\"coef\"" tf.model >c2 && test_cmp c1 c2
'

# The true/false table as NDJSON: text columns as strings, the rest bare,
# so that the labels are JSON booleans.
cat >tondjson.awk <<\EOF
NR == 1 { n = split($0, h, ","); next }
{
	line = "{"
	for (i = 1; i <= n; i++)
		line = line (i > 1 ? ", " : "") "\"" h[i] "\": " (i <= 5 ? "\"" $i "\"" : $i)
	print line "}"
}
EOF

test_expect_success 'NDJSON with boolean labels trains the same coefficients' '
	awk -F, -f tondjson.awk tf.csv >tf.ndjson &&
	head -1 tf.ndjson &&
	grep -q "\"label\": true}" tf.ndjson &&
	adash-train --target label --algo logreg --cv 3 -q -o nd.model tf.ndjson &&
	grep "\"coef\"" nd.model >c3 && test_cmp c1 c3
'

test_expect_success '--categorical role,item_type: the text columns become one-hot inputs' '
	adash-train --target label --algo logreg --categorical role,item_type -q -o cat.model train.csv &&
	test_grep "{\"name\": \"role\", \"type\": \"categorical\", \"levels\": \[\"analyst\", \"admin\"\]}" cat.model &&
	test_grep "{\"name\": \"item_type\", \"type\": \"categorical\"" cat.model &&
	! grep -q "\"name\": \"user_id\"" cat.model
'

# ---- errors ------------------------------------------------------------------

test_expect_code 1 'a label 2 is exit 1 naming the line and the value; no model is written' '
	sed "7s/,[01]\$/,2/" train.csv >bad.csv &&
	adash-train --target label --algo logreg -o bad.model bad.csv 2>err; rc=$?
	test_one_line err &&
	test_grep "^adash-train: bad.csv:7: column \"label\": \"2\" is not 0 or 1" err &&
	test ! -e bad.model && exit $rc
'

test_expect_code 1 'a label "yes" is exit 1' '
	sed "9s/,[01]\$/,yes/" train.csv >yes.csv &&
	adash-train --target label --algo logreg -o x.model yes.csv 2>err; rc=$?
	test_one_line err && test_grep ":9: column \"label\": \"yes\"" err && exit $rc
'

test_expect_code 1 'a label of one value only is exit 1' '
	sed "2,\$s/,[01]\$/,0/" train.csv >zeros.csv &&
	adash-train --target label --algo logreg -o x.model zeros.csv 2>err; rc=$?
	test_one_line err && test_grep "both 0 and 1" err && exit $rc
'

test_expect_code 2 '--penalty l3 is exit 2' 'adash-train --target label --algo logreg --penalty l3 -o x.model train.csv'
test_expect_code 2 '--C 0 is exit 2' 'adash-train --target label --algo logreg --C 0 -o x.model train.csv'
test_expect_code 2 '--C -1 is exit 2' 'adash-train --target label --algo logreg --C -1 -o x.model train.csv'
test_expect_code 2 '--C abc is exit 2' 'adash-train --target label --algo logreg --C abc -o x.model train.csv'
test_expect_code 2 '--C cv without --cv is exit 2' 'adash-train --target label --algo logreg --C cv -o x.model train.csv'
test_expect_code 2 '--class-weight 2:1 is exit 2' '
	adash-train --target label --algo logreg --class-weight 2:1 -o x.model train.csv
'
test_expect_code 2 '--class-weight 1:0 is exit 2' '
	adash-train --target label --algo logreg --class-weight 1:0 -o x.model train.csv
'
test_expect_code 2 'logreg with --log-target is exit 2' '
	adash-train --target label --algo logreg --log-target -o x.model train.csv 2>err; rc=$?
	test_one_line err && test_grep "log-target" err && exit $rc
'
test_expect_code 2 'logreg with --weight-half-life is exit 2' '
	adash-train --target label --algo logreg --weight-half-life 7 -o x.model train.csv
'
test_expect_code 2 '--penalty with a regression is exit 2' '
	adash-train --target label --algo ridge --penalty l1 -o x.model train.csv
'
test_expect_code 2 '--class-weight with a regression is exit 2' '
	adash-train --target label --class-weight balanced -o x.model train.csv
'

test_expect_code 1 'adash-forecast refuses a classification model with a clear message' '
	adash-forecast -m click.model <train.csv >out 2>err; rc=$?
	test_one_line err && test_grep "classification" err && test_grep "regression" err &&
	test_must_be_empty_file out && exit $rc
'

# ---- bandits -----------------------------------------------------------------
# The same table, the label as the reward.

test_expect_success 'linucb: a bandit model file of raw columns and statistics, and a summary' '
	adash-train --target label --algo linucb --categorical role -o bandit.model train.csv 2>err &&
	test_line_count = 1 err &&
	test_grep "^adash-train: linucb on 1152 rows (0 left out for empty values), 13 design columns, lambda 1, alpha 1, noise variance 0\.[0-9]*$" err &&
	test_grep "^  \"task\": \"bandit\",$" bandit.model &&
	test_grep "^  \"algo\": \"linucb\",$" bandit.model &&
	test_grep "^  \"key\": null,$" bandit.model &&
	test_grep "^    \"mean\": \[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0\],$" bandit.model &&
	test_grep "^    \"scale\": \[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1\]$" bandit.model &&
	test_grep "^  \"cv\": \[\],$" bandit.model &&
	test_grep "^  \"bandit\": {$" bandit.model &&
	test_grep "^    \"alpha\": 1,$" bandit.model &&
	test_grep "^    \"lambda\": 1,$" bandit.model &&
	test_grep "^    \"A\": \[1153, " bandit.model
'

test_expect_success 'the coefficients of the raw columns: open_7d > 0 > ratio' '
	o=$(coef open_7d bandit.model) && r=$(coef ratio bandit.model) &&
	echo "open_7d $o ratio $r" && awk -v o="$o" -v r="$r" "BEGIN { exit !(o > 0 && r < 0) }"
'

test_expect_success 'same rows, same bytes' '
	adash-train --target label --algo linucb --categorical role -q -o again.model train.csv &&
	cmp bandit.model again.model
'

# the model without its fingerprint line (a batch's and a sequence's differ)
unprinted() {
	grep -v "\"fingerprint\"" "$1"
}

test_expect_success '--update with the rest of the rows is training on all of them, bit for bit' '
	head -n 577 train.csv >first.csv &&
	{ head -n 1 train.csv; tail -n +578 train.csv; } >rest.csv &&
	adash-train --target label --algo linucb --categorical role -q -o up.model first.csv &&
	adash-train --algo linucb --update up.model rest.csv 2>err &&
	test_grep "^adash-train: linucb: added 576 rows (0 left out for empty values), 1152 in all, 13 design columns, lambda 1, alpha 1, noise variance" err &&
	unprinted bandit.model >want && unprinted up.model >got && test_cmp want got &&
	! cmp -s bandit.model up.model
'

test_expect_success '--update in three batches, from standard input, is the same again' '
	head -n 301 train.csv >b1.csv &&
	{ head -n 1 train.csv; sed -n "302,800p" train.csv; } >b2.csv &&
	{ head -n 1 train.csv; tail -n +801 train.csv; } >b3.csv &&
	adash-train --target label --algo linucb --categorical role -q -o three.model b1.csv &&
	adash-train --update three.model -q <b2.csv &&
	adash-train --update three.model --target label -q <b3.csv &&
	unprinted three.model >got && test_cmp want got
'

test_expect_success '--update with -o writes elsewhere and leaves the model as it was' '
	cp up.model keep.model &&
	adash-train --update up.model -q -o other.model rest.csv &&
	cmp up.model keep.model &&
	test_grep "^    \"rows\": 1728,$" other.model &&
	ls -A >files && ! grep "^\.[a-z]*\.model\." files
'

test_expect_success '--update with an empty input, or a header alone, changes nothing' '
	cp up.model keep.model &&
	: | adash-train --update up.model -q && cmp up.model keep.model &&
	head -n 1 train.csv | adash-train --update up.model 2>err && cmp up.model keep.model &&
	test_grep "added 0 rows" err
'

test_expect_success '--update: a level the model has not seen encodes as zeros, and is counted' '
	{ head -n 1 train.csv; sed -n "2,3p" train.csv | sed "s/,analyst,/,guest,/; s/,admin,/,guest,/"; } >guest.csv &&
	adash-train --update up.model -o guest.model guest.csv 2>err &&
	test_grep "added 2 rows (0 left out for empty values, 2 with a level the model had not seen, as zeros)" err &&
	grep "\"levels\"" up.model >l1 && grep "\"levels\"" guest.model >l2 && test_cmp l1 l2
'

test_expect_success 'thompson, with --lambda and --alpha stored' '
	adash-train --target label --algo thompson --lambda 0.5 --alpha 2 -q -o ts.model train.csv &&
	test_grep "^  \"algo\": \"thompson\",$" ts.model &&
	test_grep "^    \"alpha\": 2,$" ts.model &&
	test_grep "^    \"lambda\": 0.5,$" ts.model &&
	adash-train --update ts.model --alpha 0.25 -q -o ts2.model rest.csv &&
	test_grep "^    \"alpha\": 0.25,$" ts2.model
'

test_expect_code 2 '--update on a logreg model is exit 2, naming it' '
	cp click.model c.model &&
	adash-train --update c.model rest.csv 2>err; rc=$?
	test_one_line err && test_grep "the algorithm of c.model is logreg; only a bandit model" err &&
	cmp click.model c.model && exit $rc
'
test_expect_code 2 '--update --algo thompson of a linucb model is exit 2' '
	adash-train --update up.model --algo thompson rest.csv
'
test_expect_code 2 '--update --target of another column is exit 2' '
	adash-train --update up.model --target noise rest.csv
'
test_expect_code 2 '--update with --features is exit 2' '
	adash-train --update up.model --features open_7d rest.csv 2>err; rc=$?
	test_one_line err && test_grep "\-\-features does not go with --update" err && exit $rc
'
test_expect_code 3 '--update of a missing model is exit 3' 'adash-train --update nosuch.model rest.csv'
test_expect_code 1 '--update with rows lacking an input is exit 1' '
	cut -d, -f1-6,8- rest.csv >noratio.csv &&
	adash-train --update up.model noratio.csv 2>err; rc=$?
	test_one_line err && test_grep "no column \"ratio\", an input of the model" err && exit $rc
'
test_expect_code 1 '--update with a text value in a numeric input is exit 1, naming the line' '
	sed "5s/^\([^,]*,[^,]*,[^,]*,[^,]*,[^,]*\),[0-9]*,/\1,many,/" rest.csv >text.csv &&
	adash-train --update up.model text.csv 2>err; rc=$?
	test_one_line err && test_grep "text.csv:5: column \"open_7d\": \"many\" is not a number" err && exit $rc
'
test_expect_code 2 'linucb with --cv is exit 2' 'adash-train --target label --algo linucb --cv 3 -o x.model train.csv'
test_expect_code 2 'linucb with --by is exit 2' 'adash-train --target label --algo linucb --by role -o x.model train.csv'
test_expect_code 2 'thompson with --lambda gcv is exit 2' 'adash-train --target label --algo thompson --lambda gcv -o x.model train.csv'
test_expect_code 2 'thompson with --lambda 0 is exit 2' 'adash-train --target label --algo thompson --lambda 0 -o x.model train.csv'
test_expect_code 2 'linucb with --weight-half-life is exit 2' '
	adash-train --target label --algo linucb --weight-half-life 7 -o x.model train.csv
'
test_expect_code 2 '--alpha -1 is exit 2' 'adash-train --target label --algo linucb --alpha -1 -o x.model train.csv'
test_expect_code 2 '--alpha with ridge is exit 2' 'adash-train --target label --alpha 1 -o x.model train.csv'
test_expect_code 2 '--lambda with logreg is exit 2' 'adash-train --target label --algo logreg --lambda 1 -o x.model train.csv'

test_expect_code 1 'adash-forecast refuses a bandit model' '
	adash-forecast -m bandit.model <train.csv >out 2>err; rc=$?
	test_one_line err && test_grep "bandit" err && test_must_be_empty_file out && exit $rc
'

test_done
