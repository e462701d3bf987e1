#!/bin/sh
# adash-rank: pins first, not-interested never, newcomers get a full list by
# popularity (by role when the role has any), --top and --max-per, scores
# from a column, exploration with propensities that are probabilities, a
# user's ranking independent of other users' rows, determinism for a seed,
# rows accounted for, groups out of place and refusals.  Then the bandits
# (models of adash-train --algo linucb and thompson, trained here on a
# small generated log): linucb deterministic with propensity 1 and its
# scores, thompson's seeded draws and estimated propensities (against the
# frequencies of 300 seeds), pins, newcomers, and the refusals.
. "$top_srcdir/tests/lib.sh"

EV="$TESTDATA/events-small.csv"
ITEMS="$TESTDATA/items-small.csv"
FEAT="--events --items $ITEMS --windows 1d,7d --half-life 1d --asof 2024-01-10"

# field FILE USER RANK NAME: a value of the ranking's row for USER at RANK.
field() {
	awk -F, -v u="$2" -v r="$3" -v name="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		$1 == u && $2 == r { print $c }' "$1"
}

test_expect_success 'pinned first, with propensity 1; not interested never' '
	adash-features $FEAT <"$EV" >feat.csv &&
	adash-rank <feat.csv >out.csv &&
	test "$(field out.csv alice 1 item_id)" = w2 &&
	test "$(field out.csv alice 1 policy)" = pinned &&
	test "$(field out.csv alice 1 propensity)" = 1 &&
	! grep -q "^bob,.*,w3," out.csv &&
	test "$(grep -c "^bob," out.csv)" = 2
'

test_expect_success 'popular: by the item engagement of the longest window' '
	adash-features $FEAT <"$EV" >feat.csv &&
	adash-rank --policy popular <feat.csv >out.csv &&
	test "$(field out.csv bob 1 item_id)" = w1 &&
	test "$(field out.csv bob 1 score)" = 4 &&
	test "$(field out.csv bob 2 item_id)" = w2 &&
	test "$(field out.csv bob 1 policy)" = popular
'

test_expect_success 'a newcomer gets every item, by its role'"'"'s popularity when it has any' '
	printf "user_id,role\nerin,ops\nfay,analyst\n" >users.csv &&
	adash-features $FEAT --users users.csv <"$EV" >feat.csv &&
	adash-rank --score-col cooc <feat.csv >out.csv &&
	test "$(grep -c "^erin," out.csv)" = 3 &&
	test "$(field out.csv erin 1 policy)" = popular &&
	test "$(field out.csv erin 1 item_id)" = w1 &&
	test "$(field out.csv fay 1 policy)" = popular:role &&
	test "$(grep -c "^fay," out.csv)" = 3 &&
	test "$(field out.csv alice 2 policy)" = score
'

test_expect_success '--top K and --max-per COL:N' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >feat.csv &&
	adash-rank --top 4 <feat.csv >out.csv &&
	test "$(awk -F, "NR > 1 { n[\$1]++ } END { for (u in n) if (n[u] != 4) print u }" out.csv | wc -l)" = 0 &&
	adash-rank --top 6 --max-per item_type:1 <feat.csv >capped.csv &&
	awk -F, "NR > 1 { print \$1 \",\" \$3 }" capped.csv >placed &&
	awk -F, "NR > 1 { print \$1 \",\" \$2 \",\" \$5 }" feat.csv >types &&
	awk -F, "NR == FNR { t[\$1 \",\" \$2] = \$3; next } { n[\$1 \",\" t[\$0]]++ }
		END { for (k in n) if (n[k] > 1 && k !~ /,$/) { print k; bad = 1 } exit bad }" types placed
'

test_expect_success 'without exploration every propensity is 1; rank runs 1, 2, 3 per user' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >feat.csv &&
	adash-rank --top 5 <feat.csv >out.csv &&
	test "$(awk -F, "NR > 1 && \$5 != 1" out.csv | wc -l)" = 0 &&
	awk -F, "NR > 1 { if (\$1 != u) { u = \$1; k = 0 } if (\$2 != ++k) exit 1 }" out.csv
'

test_expect_success 'softmax: propensities are probabilities; same seed same bytes' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >feat.csv &&
	adash-rank --score-col cooc --explore softmax:0.5 --seed 7 <feat.csv >a.csv &&
	adash-rank --score-col cooc --explore softmax:0.5 --seed 7 <feat.csv >b.csv &&
	adash-rank --score-col cooc --explore softmax:0.5 --seed 8 <feat.csv >c.csv &&
	cmp a.csv b.csv && ! cmp -s a.csv c.csv &&
	test "$(awk -F, "NR > 1 && (\$5 <= 0 || \$5 > 1)" a.csv | wc -l)" = 0 &&
	test "$(awk -F, "NR > 1 && \$5 < 1" a.csv | wc -l)" -gt 0 &&
	test "$(awk -F, "NR > 1 { print \$6 }" a.csv | sort -u | tr "\n" " ")" = "pinned score+softmax:0.5 "
'

test_expect_success 'a user'"'"'s ranking does not depend on the other users'"'"' rows' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >feat.csv &&
	adash-rank --explore egreedy:0.3 --seed 3 <feat.csv >all.csv &&
	for u in $(awk -F, "NR > 1 { print \$1 }" feat.csv | sort -u | head -n 5); do
		grep -e "^user_id," -e "^$u," feat.csv | adash-rank --explore egreedy:0.3 --seed 3 --no-header >one.csv &&
		grep "^$u," all.csv | cmp - one.csv || exit 1
	done
'

test_expect_success 'rows accounted for: rows_in = rows_out + rows_dropped' '
	adash-features $FEAT <"$EV" >feat.csv &&
	adash-rank --top 1 --stats st.json <feat.csv >out.csv &&
	check_invariant st.json &&
	test "$(stat_val st.json rows_out)" = 2 &&
	test "$(reason_val st.json "not interested")" = 1 &&
	test "$(reason_val st.json "below --top")" = 3
'

test_expect_success 'reason columns travel with the ranking' '
	adash-features $FEAT <"$EV" | awk -F, -v OFS=, "NR == 1 { print \$0, \"reason_1\"; next } { print \$0, \"because \" \$2 }" >feat.csv &&
	adash-rank <feat.csv >out.csv &&
	test "$(head -n 1 out.csv)" = "user_id,rank,item_id,score,propensity,policy,asof,reason_1" &&
	test "$(field out.csv alice 1 reason_1)" = "because w2"
'

test_expect_code 1 'a user'"'"'s rows split by another'"'"'s: exit 1' '
	adash-features $FEAT <"$EV" >feat.csv &&
	{ head -n 2 feat.csv; grep "^bob," feat.csv; grep "^alice," feat.csv | tail -n 1; } | adash-rank >/dev/null
'

test_expect_code 1 'no user_id column: exit 1' '
	printf "item_id,score\nw1,1\n" | adash-rank --score-col score >/dev/null
'

test_expect_code 1 'a score that is not a number fails by default' '
	printf "user_id,item_id,s\nu1,w1,1\nu1,w2,high\n" | adash-rank --score-col s >/dev/null
'

test_expect_success 'with --on-bad skip it is counted and left out' '
	printf "user_id,item_id,s\nu1,w1,1\nu1,w2,high\nu1,w3,3\n" | adash-rank --score-col s --on-bad skip >out.csv &&
	printf "%s\n" user_id,rank,item_id,score,propensity,policy u1,1,w3,3,1,score u1,2,w1,1,1,score >want &&
	test_cmp want out.csv
'

test_expect_success 'an item given twice is placed once, from its first row' '
	printf "user_id,item_id,s\nu1,w1,1\nu1,w1,2\nu1,w2,0\n" | adash-rank --score-col s --stats st.json >out.csv &&
	printf "%s\n" user_id,rank,item_id,score,propensity,policy u1,1,w1,1,1,score u1,2,w2,0,1,score >want &&
	test_cmp want out.csv &&
	test "$(reason_val st.json "repeated item")" = 1
'

test_expect_success 'flags as NDJSON booleans; pinned and not interested is not shown' '
	printf "%s\n" "{\"user_id\":\"u1\",\"item_id\":\"w1\",\"s\":1,\"pinned\":true,\"not_interested\":false}" \
		"{\"user_id\":\"u1\",\"item_id\":\"w2\",\"s\":2,\"pinned\":false,\"not_interested\":true}" \
		"{\"user_id\":\"u1\",\"item_id\":\"w3\",\"s\":3,\"pinned\":true,\"not_interested\":true}" |
		adash-rank --score-col s --stats st.json >out.ndjson &&
	test_line_count = 1 out.ndjson &&
	grep -q "\"item_id\":\"w1\",\"score\":1,\"propensity\":1,\"policy\":\"pinned\"" out.ndjson &&
	test "$(reason_val st.json "not interested")" = 2
'

test_expect_code 1 'a second input with the columns in another order: exit 1' '
	printf "user_id,item_id,s\nu1,w1,1\n" >a.csv &&
	printf "item_id,user_id,s\nw1,u2,5\n" >b.csv &&
	adash-rank --score-col s a.csv b.csv >/dev/null
'

for args in "--policy best" "--explore greedy" "--explore egreedy:2" "--policy score" \
	"--score-col s -m x.model" "--policy popular --score-col s" "--explore thompson" "--top 0" \
	"--max-per item_type" "--max-per item_type:0"
do
	test_expect_code 2 "usage error: adash-rank $args" "
		printf 'user_id,item_id,s\nu1,w1,1\n' | adash-rank $args >/dev/null 2>err; st=\$?; test_one_line err >&2; exit \$st
	"
done

# ---- bandits -------------------------------------------------------------------

# logged N > FILE: N days of 4 users x 5 widgets from 2024-02-01 with a
# noisy 0/1 reward that favours w2 and opens; few rows, so that the
# posterior is wide.  cands > FILE: the rows to rank on 2024-03-01, 6 users
# (u5 and u6 never logged), the widgets w1..w5.  Park and Miller's
# generator, exact in awk's doubles.
logged() {
	awk -v days="$1" '
		function rnd() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }
		BEGIN {
			seed = 4242
			print "user_id,item_id,asof,item_type,open_7d,reward"
			for (d = 0; d < days; d++)
				for (u = 1; u <= 4; u++)
					for (i = 1; i <= 5; i++) {
						open = int(rnd() * 4)
						p = 0.2 + (i == 2 ? 0.3 : 0) + 0.1 * open
						printf "u%d,w%d,2024-02-%02dT00:00:00Z,%s,%d,%d\n", u, i, d + 1,
							i % 2 ? "kpi" : "chart", open, rnd() < p
					}
		}'
}
cands() {
	awk '
		function rnd() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }
		BEGIN {
			seed = 99
			print "user_id,item_id,asof,item_type,open_7d"
			for (u = 1; u <= 6; u++)
				for (i = 1; i <= 5; i++)
					printf "u%d,w%d,2024-03-01T00:00:00Z,%s,%d\n", u, i, i % 2 ? "kpi" : "chart", int(rnd() * 4)
		}'
}
BANDIT="--target reward --categorical item_id --features item_id,open_7d -q"

# score_of FILE USER ITEM: the score column of USER's placement of ITEM.
score_of() {
	awk -F, -v u="$2" -v i="$3" '$1 == u && $3 == i { print $4 }' "$1"
}

test_expect_success 'linucb: deterministic, propensity 1 everywhere, every user scored by the model' '
	logged 3 >logged.csv && cands >cands.csv &&
	adash-train $BANDIT --algo linucb -o lin.model logged.csv &&
	adash-rank -m lin.model --explore linucb:1 --seed 1 <cands.csv >a.csv &&
	adash-rank -m lin.model --explore linucb:1 --seed 2 <cands.csv >b.csv &&
	cmp a.csv b.csv &&
	test_line_count = 31 a.csv &&
	test "$(awk -F, "NR > 1 && \$5 != 1" a.csv | wc -l)" = 0 &&
	test "$(awk -F, "NR > 1 { print \$6 }" a.csv | sort -u)" = "score+linucb:1"
'

test_expect_success 'linucb: the score is the posterior mean plus ALPHA widths, ranked by it' '
	adash-rank -m lin.model <cands.csv >mean.csv &&
	adash-rank -m lin.model --explore linucb:2 <cands.csv >two.csv &&
	test "$(awk -F, "NR > 1 { print \$6 }" mean.csv | sort -u)" = score &&
	for u in u1 u5; do for i in w1 w2 w3 w4 w5; do
		m=$(score_of mean.csv $u $i) && a=$(score_of a.csv $u $i) && b=$(score_of two.csv $u $i) &&
		awk -v m="$m" -v a="$a" -v b="$b" "BEGIN { w = a - m; d = b - a - w
			exit !(w > 0 && d < 1e-12 * (b < 0 ? -b : b) + 1e-12 && d > -1e-12 * (b < 0 ? -b : b) - 1e-12) }" ||
		{ echo "$u $i: mean $m, linucb:1 $a, linucb:2 $b"; exit 1; }
	done; done &&
	awk -F, "NR > 1 { if (\$1 == u && \$4 > s) exit 1; u = \$1; s = \$4 }" two.csv
'

test_expect_success 'linucb:0 ranks as the posterior mean does' '
	adash-rank -m lin.model --explore linucb:0 <cands.csv | cut -d, -f1-4 >zero &&
	cut -d, -f1-4 mean.csv >plain && test_cmp plain zero
'

test_expect_success '--explore linucb takes the width stored in the model' '
	adash-train $BANDIT --algo linucb --alpha 0.5 -o half.model logged.csv &&
	adash-rank -m half.model --explore linucb <cands.csv >x.csv &&
	adash-rank -m half.model --explore linucb:0.5 <cands.csv >y.csv &&
	cmp x.csv y.csv && test_grep ",score+linucb:0.5,2024" x.csv
'

test_expect_success 'thompson: same seed same bytes, another seed others; propensities in (0, 1]' '
	adash-train $BANDIT --algo thompson -o ts.model logged.csv &&
	adash-rank -m ts.model --explore thompson --seed 7 <cands.csv >t1.csv &&
	adash-rank -m ts.model --explore thompson --seed 7 <cands.csv >t2.csv &&
	adash-rank -m ts.model --explore thompson --seed 8 <cands.csv >t3.csv &&
	cmp t1.csv t2.csv && ! cmp -s t1.csv t3.csv &&
	test_line_count = 31 t1.csv &&
	test "$(awk -F, "NR > 1 && (\$5 <= 0 || \$5 > 1)" t1.csv | wc -l)" = 0 &&
	test "$(awk -F, "NR > 1 && \$2 < 5 && \$5 < 1" t1.csv | wc -l)" -gt 10 &&
	test "$(awk -F, "NR > 1 && \$2 == 5 && \$5 != 1" t1.csv | wc -l)" = 0 &&
	test "$(awk -F, "NR > 1 { print \$6 }" t1.csv | sort -u)" = "score+thompson"
'

test_expect_success 'thompson: N samples give shares of N + 1 draws' '
	adash-rank -m ts.model --explore thompson --propensity-samples 1 <cands.csv >one.csv &&
	test "$(awk -F, "NR > 1 && \$5 != 0.5 && \$5 != 1" one.csv | wc -l)" = 0 &&
	adash-rank -m ts.model --explore thompson --propensity-samples 9 <cands.csv >nine.csv &&
	test "$(awk -F, "NR > 1 { p = \$5 * 10; if (p - int(p + 0.5) > 1e-9 || int(p + 0.5) - p > 1e-9) print }" nine.csv | wc -l)" = 0
'

test_expect_success 'thompson: over 300 seeds, each item takes rank 1 about as often as its propensity says, and they sum to 1' '
	grep -e "^user_id," -e "^u1," cands.csv >u1.csv &&
	s=1 && while [ $s -le 300 ]; do
		adash-rank -m ts.model --explore thompson --seed $s --top 1 --no-header <u1.csv || exit 1
		s=$((s + 1))
	done >firsts.csv &&
	test_line_count = 300 firsts.csv &&
	awk -F, "{ n[\$3]++; p[\$3] += \$5 }
		END {
			for (i in n) {
				f = n[i] / 300; q = p[i] / n[i]; sum += q
				se = sqrt(q * (1 - q) / 300)
				printf \"%s: first %.3f of the time, propensity %.3f\\n\", i, f, q
				if (f - q > 4 * se + 0.02 || q - f > 4 * se + 0.02) bad = 1
			}
			printf \"sum %.4f over %d items\\n\", sum, length(n)
			exit bad || sum < 0.95 || sum > 1.03 || length(n) < 2
		}" firsts.csv
'

test_expect_success 'thompson: a user'"'"'s ranking does not depend on the other users'"'"' rows' '
	adash-rank -m ts.model --explore thompson --seed 3 <cands.csv >all.csv &&
	for u in u2 u6; do
		grep -e "^user_id," -e "^$u," cands.csv | adash-rank -m ts.model --explore thompson --seed 3 --no-header >one.csv &&
		grep "^$u," all.csv | cmp - one.csv || exit 1
	done
'

test_expect_success 'thompson: pins first with propensity 1, ordered by the posterior mean' '
	awk -F, -v OFS=, "NR == 1 { print \$0, \"pinned\"; next } { print \$0, (\$2 == \"w1\" || \$2 == \"w4\") }" cands.csv >pinned.csv &&
	adash-rank -m ts.model <pinned.csv >pm.csv &&
	for s in 1 2 3; do
		adash-rank -m ts.model --explore thompson --seed $s <pinned.csv >ps.csv &&
		awk -F, "NR > 1 && \$2 <= 2 { print \$1, \$2, \$3, \$5, \$6 }" ps.csv >got &&
		awk -F, "NR > 1 && \$2 <= 2 { print \$1, \$2, \$3, 1, \"pinned\" }" pm.csv >want &&
		test_cmp want got || exit 1
	done
'

test_expect_success 'a newcomer is scored by the bandit, not given popularity' '
	adash-synth events --users 30 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --windows 1d,7d --asof-every 1d --label-horizon 1d <ev.csv >train.csv &&
	adash-train --target label --algo linucb --features open_7d,item_ctr_7d -q -o ev.model train.csv &&
	printf "user_id,role\nerin,ops\n" >users.csv &&
	adash-features $FEAT --users users.csv <"$EV" >feat.csv &&
	adash-rank -m ev.model --explore linucb:1 <feat.csv >out.csv &&
	test "$(field out.csv erin 1 policy)" = score+linucb:1 &&
	adash-rank -m ev.model <feat.csv >plain.csv &&
	test "$(field plain.csv erin 1 policy)" = popular
'

for args in "--explore linucb:1" "--explore thompson --score-col open_7d" "--explore linucb -m ridge.model" \
	"--explore thompson -m ridge.model" "-m ts.model --propensity-samples 10" \
	"-m ts.model --explore egreedy:0.1 --propensity-samples 10" "-m ts.model --explore linucb:-1" \
	"-m ts.model --explore thompson --propensity-samples 0"
do
	test_expect_code 2 "usage error: adash-rank $args" "
		test -f ridge.model || adash-train --target reward --key user_id --features open_7d -q -o ridge.model logged.csv || exit 9
		adash-rank $args <cands.csv >/dev/null 2>err; st=\$?; test_one_line err >&2; exit \$st
	"
done

test_expect_success 'the refusal of a bandit exploration names the model'"'"'s algorithm' '
	adash-rank -m ridge.model --explore thompson <cands.csv 2>err; test $? = 2 &&
	test_grep "explore thompson needs a bandit model (-m, from adash-train --algo linucb or thompson); the algorithm of ridge.model is ridge" err
'

test_done
