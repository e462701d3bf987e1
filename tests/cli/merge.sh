#!/bin/sh
# adash-train --partial and --merge: a feature table split in several ways
# (2, 3 and 5 contiguous parts, uneven parts with a part of one row, rows
# interleaved, parts with disjoint vocabularies), each part's statistics
# merged, and the model compared with the one trained on all rows at once,
# coefficient by coefficient (by name: a merged vocabulary may order levels
# otherwise), within 1e-9 relative, for ols, ridge with a fixed penalty,
# ridge by GCV, linucb and thompson.  Then: the order of the files changes
# no byte, one partial merges into the one-process coefficients bit for
# bit, incompatible partials and the algorithms that cannot merge are
# refused, a merged model forecasts with intervals, and --sample.  And
# --partial in blocks (--block-rows): the partial of an input of several
# blocks is the merge of its pieces' and the one-process model, with
# vocabularies that grow from block to block, missing values, --sample, a
# first block without a usable row, several files; what a later block may
# not change.
. "$top_srcdir/tests/lib.sh"

if command -v jq >/dev/null 2>&1; then HAVE_JQ=1; else HAVE_JQ=; fi

# coefs MODEL: "name value" per line: intercept, penalty, every design column
coefs() {
	jq -r '([.inputs[] | if .type == "numeric" then .name else (.name as $n | .levels[] | "\($n)=\(.)") end]) as $names
		| (["(intercept)", "(lambda)"] + $names) as $all
		| ([.pooled.intercept, .pooled.lambda] + .pooled.coef) as $v
		| range(0; $all | length) | "\($all[.]) \($v[.])"' "$1" | sort
}

# maxrel A B: the largest relative difference of their coefficients, by
# name; fails when the names differ
maxrel() {
	coefs "$1" >.ca && coefs "$2" >.cb &&
	test "$(cut -d" " -f1 .ca)" = "$(cut -d" " -f1 .cb)" &&
	join .ca .cb | awk '{ d = $2 - $3; if (d < 0) d = -d; m = $2 < 0 ? -$2 : $2; n = $3 < 0 ? -$3 : $3
		if (n > m) m = n; r = m > 0 ? d / m : d; if (r > max) max = r } END { printf "%.3g\n", max + 0 }'
}

# close A B: within 1e-9 relative (the figure goes to the log)
close() {
	r=$(maxrel "$1" "$2") && echo "# $1 vs $2: max relative difference $r" &&
	awk -v r="$r" 'BEGIN { exit !(r <= 1e-9) }'
}

# split_rows FILE N: FILE split into N contiguous parts part.1 .. part.N,
# each with the header
split_rows() {
	awk -v n="$2" 'NR == 1 { h = $0; next } { rows[NR - 1] = $0 } END {
		m = NR - 1; for (k = 1; k <= n; k++) { f = "part." k; print h >f
			for (i = int((k - 1) * m / n) + 1; i <= int(k * m / n); i++) print rows[i] >f; close(f) } }' "$1"
}

# partials ALGO [OPTION]...: --partial of every part.* into stat.*
partials() {
	a=$1; shift
	for f in part.*; do
		adash-train --partial --target sales --algo "$a" "$@" -q -o "stat.${f#part.}" "$f" || return 1
	done
}

test_expect_success 'set-up: a feature table of 5 shops' '
	adash-synth sales --shops 5 --days 150 --seed 11 >sales.csv &&
	adash-features --key shop_id --time date --target sales --lags 1,7 --rolling mean:7 \
		--calendar dow <sales.csv >feat.csv &&
	test "$(wc -l <feat.csv)" -gt 600
'

if [ -n "$HAVE_JQ" ]; then

for algo in ols ridge; do
	test_expect_success "$algo: 2, 3 and 5 contiguous parts merge into the one-process model" '
		adash-train --target sales --algo '$algo' -q -o all.model feat.csv &&
		for n in 2 3 5; do
			rm -f part.* stat.* && split_rows feat.csv $n && partials '$algo' &&
			adash-train --merge stat.* -q -o merged.model && close all.model merged.model || return 1
		done
	'
done

test_expect_success 'ridge --lambda 2: the penalty is the merge'"'"'s, and the merge the one-process fit' '
	adash-train --target sales --algo ridge --lambda 2 -q -o all.model feat.csv &&
	rm -f part.* stat.* && split_rows feat.csv 3 && partials ridge &&
	adash-train --merge stat.* --lambda 2 -q -o merged.model && close all.model merged.model &&
	grep -q "\"lambda\": 2," merged.model
'

test_expect_success 'uneven parts, one of a single row' '
	adash-train --target sales --algo ridge -q -o all.model feat.csv &&
	rm -f part.* stat.* &&
	sed -n 1p feat.csv >part.1 && sed -n 2p feat.csv >>part.1 &&
	sed -n 1p feat.csv >part.2 && sed -n 3,40p feat.csv >>part.2 &&
	sed -n 1p feat.csv >part.3 && sed -n "41,\$p" feat.csv >>part.3 &&
	partials ridge && adash-train --merge stat.* -q -o merged.model && close all.model merged.model
'

test_expect_success 'interleaved rows (every third row to each part)' '
	adash-train --target sales --algo ols -q -o all.model feat.csv &&
	rm -f part.* stat.* &&
	awk "NR == 1 { for (k = 0; k < 3; k++) print > (\"part.\" k); next } { print > (\"part.\" (NR % 3)) }" feat.csv &&
	partials ols && adash-train --merge stat.* -q -o merged.model && close all.model merged.model
'

test_expect_success 'parts with disjoint vocabularies (dow 1-3 and 4-7) merge by union' '
	adash-train --target sales --algo ridge -q -o all.model feat.csv &&
	rm -f part.* stat.* &&
	awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"dow\") c = i; print > \"part.a\"; print > \"part.b\"; next }
		{ print > (\$c <= 3 ? \"part.a\" : \"part.b\") }" feat.csv &&
	partials ridge &&
	test "$(grep -o "\"levels\": \[[^]]*\]" stat.a)" = "\"levels\": [\"1\", \"2\", \"3\"]" &&
	adash-train --merge stat.a stat.b -q -o merged.model && close all.model merged.model
'

for algo in linucb thompson; do
	test_expect_success "$algo: the merged A and b solve to the one-process model" '
		adash-train --target sales --algo '$algo' --features footfall,price,promo,dow -q -o all.model feat.csv &&
		rm -f part.* stat.* && split_rows feat.csv 3 &&
		partials '$algo' --features footfall,price,promo,dow &&
		adash-train --merge stat.* -q -o merged.model && close all.model merged.model &&
		adash-train --update merged.model -q -o updated.model part.1
	'
done

# pieces FILE N: FILE cut into pieces of N rows, piece.001 .., each with
# the header
pieces() {
	awk -v n="$2" 'NR == 1 { h = $0; next } (NR - 2) % n == 0 { if (f) close(f); f = sprintf("piece.%03d", (NR - 2) / n + 1); print h >f } { print >f }' "$1"
}

for algo in ols ridge; do
	test_expect_success "$algo --partial --block-rows 100: the merge of its pieces, and the one-process model" '
		adash-train --target sales --algo '$algo' -q -o all.model feat.csv &&
		adash-train --partial --target sales --algo '$algo' --block-rows 100 -q -o stream.stat feat.csv &&
		adash-train --merge stream.stat -q -o stream.model && close all.model stream.model &&
		rm -f piece.* pstat.* && pieces feat.csv 100 && test -f piece.007 &&
		for f in piece.*; do
			adash-train --partial --target sales --algo '$algo' -q -o "pstat.${f#piece.}" "$f" || return 1
		done &&
		adash-train --merge pstat.* -q -o pieces.model && close pieces.model stream.model
	'
done

test_expect_success 'in blocks: the header, rows and fingerprint are those of one block' '
	adash-train --partial --target sales --algo ridge -q -o one.stat feat.csv &&
	adash-train --partial --target sales --algo ridge --block-rows 64 -q -o blocks.stat feat.csv &&
	jq -S "del(.statistics)" one.stat >a && jq -S "del(.statistics)" blocks.stat >b && test_cmp a b &&
	adash-train --partial --target sales --algo ridge --block-rows 100000 -q -o big.stat feat.csv &&
	cmp one.stat big.stat
'

test_expect_success 'in blocks: levels first seen in later blocks (dow 1-3, then 4-7) widen the design' '
	adash-train --target sales --algo ridge -q -o all.model feat.csv &&
	awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"dow\") c = i; print; next } \$c <= 3" feat.csv >sorted.csv &&
	awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"dow\") c = i; next } \$c > 3" feat.csv >>sorted.csv &&
	adash-train --partial --target sales --algo ridge --block-rows 50 -q -o sorted.stat sorted.csv &&
	adash-train --merge sorted.stat -q -o sorted.model && close all.model sorted.model &&
	adash-train --partial --target sales --algo ridge -q -o sorted1.stat sorted.csv &&
	jq -c ".inputs" sorted.stat >a && jq -c ".inputs" sorted1.stat >b && test_cmp a b &&
	test_grep "\"levels\":\[\"[123]\",\"[123]\",\"[123]\",\"[4-7]\"" a
'

test_expect_success 'in blocks: missing values left out and counted as in one block; a first block without a usable row' '
	awk -F, -v OFS=, "NR > 1 && NR <= 120 { \$3 = \"\" } NR > 1 && NR % 7 == 0 { \$4 = \"\" } { print }" feat.csv >holes.csv &&
	adash-train --target sales --algo ridge -q -o all.model holes.csv &&
	adash-train --partial --target sales --algo ridge -o one.stat holes.csv 2>one.err &&
	adash-train --partial --target sales --algo ridge --block-rows 100 -o blocks.stat holes.csv 2>blocks.err &&
	test_grep "left out for empty values" one.err && test_cmp one.err blocks.err &&
	adash-train --merge blocks.stat -q -o blocks.model && close all.model blocks.model
'

test_expect_success 'in blocks: --sample keeps the same rows' '
	adash-train --target sales --algo ridge --sample 0.5 --seed 3 -q -o all.model feat.csv &&
	adash-train --partial --target sales --algo ridge --sample 0.5 --seed 3 -o one.stat feat.csv 2>one.err &&
	adash-train --partial --target sales --algo ridge --sample 0.5 --seed 3 --block-rows 37 -o blocks.stat feat.csv 2>blocks.err &&
	test_grep "outside the sample" one.err && test_cmp one.err blocks.err &&
	adash-train --merge blocks.stat -q -o blocks.model && close all.model blocks.model
'

test_expect_success 'in blocks: several files read one after the other, blocks across their ends' '
	adash-train --target sales --algo ols -q -o all.model feat.csv &&
	rm -f part.* && split_rows feat.csv 3 &&
	adash-train --partial --target sales --algo ols --block-rows 150 -q -o files.stat part.1 part.2 part.3 &&
	adash-train --merge files.stat -q -o files.model && close all.model files.model
'

for algo in linucb thompson; do
	test_expect_success "$algo --partial --block-rows 100: the merged sums solve to the one-process model" '
		adash-train --target sales --algo '$algo' --features footfall,price,promo,dow -q -o all.model sorted.csv &&
		adash-train --partial --target sales --algo '$algo' --features footfall,price,promo,dow --block-rows 100 \
			-q -o stream.stat sorted.csv &&
		adash-train --merge stream.stat -q -o stream.model && close all.model stream.model
	'
done

fi   # HAVE_JQ

test_expect_success 'the order of the partial files changes no byte; one partial gives the one-process fit' '
	rm -f part.* stat.* && split_rows feat.csv 3 && partials ridge &&
	adash-train --merge stat.1 stat.2 stat.3 -q -o m123 &&
	adash-train --merge stat.3 stat.1 stat.2 -q -o m312 &&
	adash-train --merge stat.2 stat.3 stat.1 -q -o m231 &&
	cmp m123 m312 && cmp m123 m231 &&
	adash-train --partial --target sales --algo ridge -q -o whole.stat feat.csv &&
	adash-train --merge whole.stat -q -o one.model &&
	adash-train --target sales --algo ridge -q -o all.model feat.csv &&
	sed -n "/\"pooled\"/,/\"sigma2\"/p" all.model | grep -v "\"cov\"" >a &&
	sed -n "/\"pooled\"/,/\"sigma2\"/p" one.model | grep -v "\"cov\"" >b &&
	test_cmp a b
'

test_expect_success 'the partial file: format, version, statistics, data' '
	head -3 stat.1 >head &&
	test_grep "\"format\": \"adash-partial\"" head &&
	test_grep "\"version\": 1" head &&
	test_grep "^  \"statistics\": {" stat.1 &&
	test_grep "\"fingerprint\": \"sha256:" stat.1
'

test_expect_success 'a merged model forecasts, with Gaussian intervals of its residual variance' '
	adash-train --merge stat.* -q -o merged.model &&
	test "$(grep -o "\"residuals\": \[[^]]*\]" merged.model | tr , "\n" | wc -l)" -eq 1000 &&
	adash-forecast -m merged.model --horizon 3 --interval 80 --seed 1 -q <sales.csv >fc.csv &&
	test_line_count = 16 fc.csv
'

test_expect_code 1 'partials of another target do not merge' '
	adash-train --partial --target footfall --algo ridge -q -o other.stat part.1 &&
	adash-train --merge stat.1 other.stat -q -o x.model
'
test_expect_code 1 'partials of another algorithm do not merge' '
	adash-train --partial --target sales --algo ols -q -o ols.stat part.1 &&
	adash-train --merge stat.1 ols.stat -q -o x.model
'
test_expect_code 1 'partials of other inputs do not merge' '
	adash-train --partial --target sales --algo ridge --exclude temp_c -q -o ex.stat part.1 &&
	adash-train --merge stat.1 ex.stat -q -o x.model
'
test_expect_success 'the message names both files and what differs' '
	adash-train --merge stat.1 ex.stat -q -o x.model 2>err; test $? -eq 1 &&
	test_one_line err && test_grep "stat.1 and ex.stat cannot merge: they differ in number of inputs" err
'
test_expect_code 1 'a model file is not a partial file' 'adash-train --merge merged.model -o x.model'
test_expect_code 3 'a missing partial file' 'adash-train --merge no-such.stat -o x.model'
test_expect_code 2 '--merge without files' 'adash-train --merge -o x.model'
test_expect_code 2 '--merge with an option the partials fix' 'adash-train --merge --exclude price stat.1 -o x.model'
test_expect_code 2 '--partial with --cv' 'adash-train --partial --target sales --cv 2 -o x part.1'
test_expect_code 2 '--partial with --by' 'adash-train --partial --target sales --by shop_id -o x part.1'

for algo in logreg huber svr; do
	test_expect_success "$algo: --partial and --merge refuse, and say to train per group or on a sample" '
		adash-train --partial --target sales --algo '$algo' -o x part.1 2>err; test $? -eq 2 &&
		test_grep "(--by)" err && test_grep "--sample FRACTION --seed N" err &&
		adash-train --merge --algo '$algo' stat.1 -o x 2>err; test $? -eq 2 && test_grep "(--by)" err
	'
done

test_expect_success '--sample: the same seed, the same model; another seed, another sample' '
	adash-train --target sales --algo ridge --sample 0.5 --seed 3 -o s1.model feat.csv 2>/dev/null &&
	adash-train --target sales --algo ridge --sample 0.5 --seed 3 -q -o s2.model feat.csv &&
	cmp s1.model s2.model &&
	adash-train --target sales --algo ridge --sample 0.5 --seed 4 -q -o s3.model feat.csv &&
	! cmp -s s1.model s3.model
'

test_expect_success '--sample: about the fraction asked, and the same rows in a partition as in the whole' '
	n=$(sed -n "s/^    \"rows\": \([0-9]*\),$/\1/p" s1.model | head -1) &&
	all=$(($(wc -l <feat.csv) - 1)) &&
	echo "# $n of $all rows" &&
	test $((n * 100 / all)) -ge 40 && test $((n * 100 / all)) -le 60 &&
	rm -f part.* stat.* && split_rows feat.csv 2 &&
	partials ridge --sample 0.5 --seed 3 &&
	adash-train --merge stat.* -q -o sm.model &&
	test "$(sed -n "s/^    \"rows\": \([0-9]*\),$/\1/p" sm.model | head -1)" = "$n"
'

test_expect_success 'in blocks: a numeric input with text in a later block is exit 1, naming the line' '
	awk -F, -v OFS=, "NR == 150 { \$4 = \"cheap\" } { print }" feat.csv >stray.csv &&
	adash-train --partial --target sales --algo ridge --block-rows 100 -q -o x.stat stray.csv 2>err
	test $? -eq 1 && test_one_line err && test_grep "stray.csv:150: column \"footfall\": \"cheap\" is not a number" err &&
	test ! -e x.stat
'
test_expect_code 2 '--block-rows without --partial' 'adash-train --target sales --block-rows 10 -o x feat.csv'
test_expect_code 2 '--block-rows 0' 'adash-train --partial --target sales --block-rows 0 -o x feat.csv'

test_expect_code 2 '--sample above 1' 'adash-train --target sales --sample 1.5 -o x feat.csv'

test_done
