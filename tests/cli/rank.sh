#!/bin/sh
# adash-rank: pins first, not-interested never, newcomers get a full list by
# popularity (by role when the role has any), --top and --max-per, scores
# from a column, exploration with propensities that are probabilities, a
# user's ranking independent of other users' rows, determinism for a seed,
# rows accounted for, groups out of place and refusals.
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

test_done
