#!/bin/sh
# adash-features --events: golden rows of a hand-built fixture whose values
# are worked out by hand below, labels, the window edges, point in time
# (events after the cut change nothing at the cut), candidates rules,
# newcomers from --users, negatives sampling (deterministic, every positive
# kept), --sort against time order, a brute-force recount of a window on
# generated events, bad events with --reject and --stats, refusals and
# determinism.
. "$top_srcdir/tests/lib.sh"

EV="$TESTDATA/events-small.csv"
ITEMS="$TESTDATA/items-small.csv"
OPTS="--events --items $ITEMS --windows 1d,7d --half-life 1d"

# col FILE NAME: the values of column NAME of a CSV, one per line.
col() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"
}
# cell FILE USER ITEM NAME: one value.
cell() {
	awk -F, -v u="$2" -v it="$3" -v name="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		$1 == u && $2 == it { print $c }' "$1"
}

# ---- the fixture, by hand ---------------------------------------------------

test_expect_success 'one cut: the golden rows' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	test_cmp "$TESTDATA/golden/events-small.csv" out.csv
'

# At 2024-01-10T00:00Z: alice opened w1 on 01-01 (outside 7d), at exactly
# 01-03T00:00 (the window (T - 7d, T] leaves it out) and on 01-05, and
# pinned w2 on 01-05; bob opened, drilled into and exported w1 (the export
# at exactly T counts) and said not interested to w3.  carol and dave come
# later, and so does w4.
test_expect_success 'hand-worked values: counts and window edges' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	test "$(cell out.csv alice w1 open_7d)" = 1 &&
	test "$(cell out.csv alice w1 open_1d)" = 0 &&
	test "$(cell out.csv alice w1 secs_7d)" = 27.5 &&
	test "$(cell out.csv bob w1 export_1d)" = 1 &&
	test "$(cell out.csv bob w1 drill_1d)" = 1 &&
	test "$(cell out.csv alice w1 user_sessions_7d)" = 1
'

test_expect_success 'hand-worked values: states, recency, shares, item figures' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	test "$(cell out.csv alice w2 pinned)" = 1 &&
	test "$(cell out.csv bob w3 not_interested)" = 1 &&
	test "$(cell out.csv bob w3 since_last)" = 43190 &&
	test "$(cell out.csv alice w1 since_last)" = 395970 &&
	test "$(cell out.csv alice w3 since_last)" = 604800 &&
	test "$(cell out.csv alice w1 share_7d)" = 0.5 &&
	test "$(cell out.csv bob w1 user_engage_1d)" = 3 &&
	test "$(cell out.csv alice w1 item_engage_7d)" = 4 &&
	test "$(cell out.csv alice w1 item_users_7d)" = 2 &&
	test "$(cell out.csv alice w1 item_ctr_7d)" = 0.75 &&
	test "$(cell out.csv alice w3 item_ctr_7d)" = 0.5 &&
	test "$(cell out.csv alice w3 type_share_7d)" = 0.5 &&
	test "$(cell out.csv bob w1 dow)" = 3 &&
	test "$(cell out.csv bob w1 hour)" = 0
'

test_expect_success 'hand-worked values: decayed engagement and co-occurrence' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	# bob: an open and a drilldown 12 h less 2 and 3 s before, an export at T
	awk -v got="$(cell out.csv bob w1 engage_decay_1d)" "BEGIN {
		want = 2 ^ (-43198 / 86400) + 2 ^ (-43197 / 86400) + 1
		exit !(got - want < 1e-12 && want - got < 1e-12) }" &&
	# w1 = (alice 1, bob 3), w2 = (alice 1, bob 0): cos = 1 / sqrt(10)
	awk -v got="$(cell out.csv bob w2 cooc)" "BEGIN {
		want = 1 / sqrt(10); exit !(got - want < 1e-15 && want - got < 1e-15) }" &&
	test "$(cell out.csv bob w1 cooc)" = 0 &&
	test "$(cell out.csv alice w3 cooc)" = 0
'

test_expect_success 'users and items that appear after the cut have no rows' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	test "$(col out.csv user_id | sort -u | tr "\n" " ")" = "alice bob " &&
	test "$(col out.csv item_id | sort -u | tr "\n" " ")" = "w1 w2 w3 "
'

test_expect_success 'labels: the golden rows of daily cuts' '
	adash-features $OPTS --asof-every 1d --label-horizon 1d <"$EV" >out.csv &&
	test_cmp "$TESTDATA/golden/events-small-labels.csv" out.csv
'

# The labels by hand: at 01-02 alice opens w1 at exactly 01-03T00:00 (inside
# (T, T + 1d]); at 01-05 she opens w1 and pins w2; at 01-10 she opens w2;
# at 01-11 bob opens w3.  Only users who came back within the horizon have
# rows, and every cut runs from the first event to the last whose horizon
# the events cover.
test_expect_success 'labels by hand; only returning users; cuts' '
	adash-features $OPTS --asof-every 1d --label-horizon 1d <"$EV" >out.csv &&
	awk -F, "NR > 1 && \$NF == 1 { print \$1, \$2, \$3 }" out.csv >pos &&
	printf "%s\n" "alice w1 2024-01-02T00:00:00Z" "alice w1 2024-01-05T00:00:00Z" \
		"alice w2 2024-01-05T00:00:00Z" "alice w2 2024-01-10T00:00:00Z" \
		"bob w3 2024-01-11T00:00:00Z" >want &&
	test_cmp want pos &&
	test "$(col out.csv asof | sort -u | tr "\n" " ")" = "2024-01-02T00:00:00Z 2024-01-05T00:00:00Z 2024-01-10T00:00:00Z 2024-01-11T00:00:00Z "
'

test_expect_success '--since and --until bound the cuts; --until sets their grid' '
	adash-features $OPTS --asof-every 1d --label-horizon 1d --since 2024-01-04 --until 2024-01-10 <"$EV" >out.csv &&
	test "$(col out.csv asof | sort -u | tr "\n" " ")" = "2024-01-05T00:00:00Z 2024-01-10T00:00:00Z " &&
	adash-features $OPTS --asof-every 1d --until 2024-01-09T12:00:00Z <"$EV" >out.csv &&
	test "$(col out.csv asof | sort -u | head -n 1)" = 2024-01-01T12:00:00Z &&
	test "$(col out.csv asof | sort -u | tail -n 1)" = 2024-01-09T12:00:00Z
'

test_expect_success 'a cut whose horizon ends after the events: a warning' '
	adash-features $OPTS --asof 2024-01-11T12:00:00Z --label-horizon 1d <"$EV" >out.csv 2>err &&
	test_grep "warning: the label horizon" err &&
	adash-features $OPTS --asof 2024-01-11T12:00:00Z --label-horizon 1d -q <"$EV" >out.csv 2>err &&
	test_must_be_empty_file err
'

# ---- point in time ------------------------------------------------------------

gen_events() {
	adash-synth events --users 40 --items 12 --days 20 --seed 5 --items-out items.csv >ev.csv
}

test_expect_success 'point in time: events after the cut change no row at the cut' '
	gen_events &&
	cut=2024-01-12T00:00:00Z &&
	awk -F, -v t=$cut "NR == 1 || \$1 <= t" ev.csv >upto.csv &&
	test $(wc -l <upto.csv) -lt $(wc -l <ev.csv) &&
	adash-features --events --items items.csv --asof $cut <ev.csv >all.csv &&
	adash-features --events --items items.csv --asof $cut <upto.csv >upto-out.csv &&
	test_cmp upto-out.csv all.csv &&
	test $(wc -l <all.csv) -gt 100
'

test_expect_success 'point in time, many cuts: feature columns of a cut never depend on later events' '
	gen_events &&
	adash-features --events --items items.csv --asof-every 1d --until 2024-01-12 --label-horizon 1d <ev.csv |
		awk -F, -v OFS=, "{ NF = NF - 1; print }" | grep -e "^user_id" -e 2024-01-10T >all.csv &&
	awk -F, "NR == 1 || \$1 <= \"2024-01-11T00:00:00Z\"" ev.csv >upto.csv &&
	adash-features --events --items items.csv --asof 2024-01-10 --label-horizon 1d <upto.csv |
		awk -F, -v OFS=, "{ NF = NF - 1; print }" >one.csv &&
	test_cmp one.csv all.csv
'

test_expect_success 'a window recounted by brute force on generated events' '
	gen_events &&
	adash-features --events --items items.csv --asof 2024-01-15 --windows 7d <ev.csv >out.csv &&
	awk -F, "NR > 1 && \$3 == \"widget_open\" && \$1 > \"2024-01-08T00:00:00Z\" && \$1 <= \"2024-01-15T00:00:00Z\" { n[\$2 \",\" \$4]++ }
		END { for (k in n) print k \",\" n[k] }" ev.csv | sort >want &&
	awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"open_7d\") c = i; next }
		\$c > 0 { print \$1 \",\" \$2 \",\" \$c }" out.csv | sort >got &&
	test_cmp want got
'

# ---- candidates and users -------------------------------------------------------

test_expect_success 'popular:N gives each user the N most engaged items' '
	gen_events &&
	adash-features --events --items items.csv --asof 2024-01-15 --candidates popular:3 <ev.csv >out.csv &&
	test "$(col out.csv user_id | sort | uniq -c | awk "{ print \$1 }" | sort -u)" = 3 &&
	col out.csv item_id | sort -u >pop &&
	test_line_count = 3 pop
'

test_expect_success 'cooc:N gives at most N items, each with a positive score' '
	gen_events &&
	adash-features --events --items items.csv --asof 2024-01-15 --candidates cooc:2 <ev.csv >out.csv &&
	test "$(col out.csv user_id | sort | uniq -c | awk "\$1 > 2" | wc -l)" = 0 &&
	test "$(col out.csv cooc | awk "\$1 <= 0" | wc -l)" = 0 &&
	test $(wc -l <out.csv) -gt 1
'

test_expect_success 'a file of pairs, combined with popular:1' '
	printf "user_id,item_id\nalice,w3\nbob,w2\nbob,w3\n" >pairs.csv &&
	adash-features $OPTS --asof 2024-01-10 --candidates pairs.csv,popular:1 <"$EV" >out.csv &&
	awk -F, "NR > 1 { print \$1, \$2 }" out.csv >got &&
	printf "%s\n" "alice w1" "alice w3" "bob w1" "bob w2" "bob w3" >want &&
	test_cmp want got
'

test_expect_success 'shown: the items shown after the cut' '
	adash-features $OPTS --asof 2024-01-10 --label-horizon 1d --candidates shown <"$EV" >out.csv &&
	awk -F, "NR > 1 { print \$1, \$2 }" out.csv >got &&
	echo "alice w3" >want &&
	test_cmp want got
'

test_expect_success 'role_engage: engagement by users of the same role' '
	adash-features $OPTS --asof 2024-01-10 <"$EV" >out.csv &&
	test "$(cell out.csv bob w1 role_engage_1d)" = 3 &&
	test "$(cell out.csv alice w1 role_engage_7d)" = 1 &&
	test "$(cell out.csv alice w2 role_engage_7d)" = 1 &&
	printf "user_id,role\nfay,analyst\n" >users.csv &&
	adash-features $OPTS --asof 2024-01-10 --users users.csv <"$EV" >out.csv &&
	test "$(cell out.csv fay w2 role_engage_7d)" = 1 &&
	test "$(cell out.csv fay w1 role_engage_1d)" = 0
'

test_expect_success '--users: a newcomer gets every item, its role, and no history' '
	printf "user_id,role\nerin,ops\n" >users.csv &&
	adash-features $OPTS --asof 2024-01-10 --users users.csv <"$EV" >out.csv &&
	test "$(grep -c "^erin," out.csv)" = 3 &&
	test "$(cell out.csv erin w1 role)" = ops &&
	test "$(cell out.csv erin w1 user_sessions_7d)" = 0 &&
	test "$(cell out.csv erin w1 item_engage_7d)" = 4 &&
	adash-features $OPTS --asof 2024-01-10 --users users.csv --candidates popular:1 <"$EV" >out.csv &&
	test "$(grep -c "^erin," out.csv)" = 1 &&
	test "$(cell out.csv erin w1 item_id)" = w1
'

test_expect_success 'a newcomer with a file of pairs gets its pairs, not every item' '
	printf "user_id,role\nerin,ops\n" >users.csv &&
	printf "user_id,item_id\nerin,w2\n" >pairs.csv &&
	adash-features $OPTS --asof 2024-01-10 --users users.csv --candidates pairs.csv <"$EV" >out.csv &&
	test "$(grep -c "^erin," out.csv)" = 1 &&
	test "$(cell out.csv erin w2 item_id)" = w2
'

test_expect_success 'shown leaves out items that did not exist at the cut' '
	printf "%s\n" ts,user_id,event,item_id 2024-01-01T10:00:00Z,u1,widget_open,w1 \
		2024-01-02T09:00:00Z,u1,impression,w1 2024-01-02T09:00:01Z,u1,impression,w9 >ev9.csv &&
	adash-features --events --windows 1d --asof 2024-01-02 --label-horizon 1d --candidates shown <ev9.csv >out.csv &&
	test "$(col out.csv item_id | tr "\n" " ")" = "w1 "
'

test_expect_success 'a misspelt --candidates rule: exit 3 naming the option' '
	{ adash-features $OPTS --asof 2024-01-10 --candidates popluar:3 <"$EV" >/dev/null 2>err; test $? = 3; } &&
	test_one_line err && test_grep "^adash-features: --candidates popluar:3: .*popular:N" err
'

test_expect_success '--log1p counts: log1p_ columns beside the counts, the counts kept' '
	adash-features $OPTS --asof 2024-01-10 --log1p counts,cooc <"$EV" >out.csv &&
	test "$(head -n 1 out.csv | tr , "\n" | grep -c "^log1p_")" = 25 &&
	test "$(cell out.csv bob w1 open_1d)" = 1 &&
	awk -v got="$(cell out.csv bob w1 log1p_open_1d)" "BEGIN { exit !(got == log(2)) }" &&
	adash-features $OPTS --asof 2024-01-10 --log1p open_7d <"$EV" >one.csv &&
	test "$(head -n 1 one.csv | tr , "\n" | grep "^log1p_")" = log1p_open_7d
'

# ---- negatives ---------------------------------------------------------------------

test_expect_success '--negatives: every positive, K negatives per positive, same seed same bytes' '
	gen_events &&
	adash-features --events --items items.csv --asof-every 1d --until 2024-01-15 --label-horizon 1d <ev.csv >full.csv &&
	adash-features --events --items items.csv --asof-every 1d --until 2024-01-15 --label-horizon 1d \
		--negatives 2 --seed 3 <ev.csv >s1.csv &&
	adash-features --events --items items.csv --asof-every 1d --until 2024-01-15 --label-horizon 1d \
		--negatives 2 --seed 3 <ev.csv >s2.csv &&
	adash-features --events --items items.csv --asof-every 1d --until 2024-01-15 --label-horizon 1d \
		--negatives 2 --seed 4 <ev.csv >s3.csv &&
	cmp s1.csv s2.csv &&
	! cmp -s s1.csv s3.csv &&
	grep ",1\$" full.csv | sort >pos-full &&
	grep ",1\$" s1.csv | sort >pos-s1 &&
	test_cmp pos-full pos-s1 &&
	npos=$(wc -l <pos-s1) && nneg=$(grep -c ",0\$" s1.csv) &&
	test "$nneg" -le $((2 * npos)) && test "$nneg" -gt "$npos" &&
	# every sampled row is a row of the full output, unchanged
	tail -n +2 s1.csv | sort >s1-rows && tail -n +2 full.csv | sort >full-rows &&
	test "$(comm -23 s1-rows full-rows | wc -l)" = 0
'

# ---- order ---------------------------------------------------------------------------

test_expect_success 'out of time order: exit 1 naming the line; --sort gives the in-order rows' '
	gen_events &&
	{ head -n 1 ev.csv; tail -n +2 ev.csv | awk "BEGIN { srand(7) } { print rand() \"\t\" \$0 }" | sort | cut -f 2-; } >shuffled.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >sorted-out.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 --sort <shuffled.csv >shuffled-out.csv &&
	test_cmp sorted-out.csv shuffled-out.csv &&
	{ adash-features --events --items items.csv --asof 2024-01-15 shuffled.csv >/dev/null 2>err; test $? = 1; } &&
	test_one_line err &&
	test_grep "shuffled.csv:[0-9]*: column \"ts\": .*time order (give --sort" err
' 2>/dev/null

# ---- rows accounted for ------------------------------------------------------------

test_expect_success 'bad events: --reject and --stats; rows_in counts events' '
	{ cat "$EV"; echo "2024-01-12T01:00:00Z,bob,wave,w1,b3,,manager,mobile";
	  echo "yesterday,bob,widget_open,w1,b3,,manager,mobile";
	  echo "2024-01-12T01:00:00Z,,widget_open,w1,b3,,manager,mobile";
	  echo "2024-01-12T01:00:00Z,bob,widget_open,,b3,,manager,mobile";
	  echo "2024-01-12T01:00:00Z,bob,time_spent,w1,b3,long,manager,mobile"; } >dirty.csv &&
	adash-features $OPTS --asof 2024-01-10 --reject bad.ndjson --stats st.json <dirty.csv >out.csv &&
	test_cmp "$TESTDATA/golden/events-small.csv" out.csv &&
	test_line_count = 5 bad.ndjson &&
	test "$(stat_val st.json rows_in)" = 27 &&
	test "$(stat_val st.json rows_rejected)" = 5 &&
	test "$(stat_val st.json rows_out)" = 6 &&
	test "$(reason_val st.json "unknown event")" = 1 &&
	test "$(reason_val st.json "bad timestamp")" = 1 &&
	test "$(reason_val st.json "missing user")" = 1 &&
	test "$(reason_val st.json "missing item")" = 1 &&
	test "$(reason_val st.json "bad value")" = 1
'

test_expect_code 1 'a bad event fails by default, one line naming file and line' '
	{ cat "$EV"; echo "2024-01-12T01:00:00Z,bob,wave,w1,b3,,manager,mobile"; } >dirty.csv &&
	adash-features $OPTS --asof 2024-01-10 dirty.csv >/dev/null
'

test_expect_code 1 'a missing event column is exit 1' '
	cut -d, -f1,2,4 "$EV" | adash-features --events --asof 2024-01-10 >/dev/null
'

test_expect_code 1 'an item listed twice in --items is exit 1' '
	{ cat "$ITEMS"; echo "w1,kpi,Again"; } >items2.csv &&
	adash-features --events --items items2.csv --asof 2024-01-10 <"$EV" >/dev/null
'

test_expect_code 3 'a --items file that cannot be read is exit 3' '
	adash-features --events --items no-such.csv --asof 2024-01-10 <"$EV" >/dev/null
'

# ---- formats and determinism ----------------------------------------------------------

test_expect_success 'NDJSON in, NDJSON out: the same values' '
	adash-ingest --schema events --output-format ndjson <"$EV" >ev.ndjson &&
	adash-features $OPTS --asof 2024-01-10 <ev.ndjson >out.ndjson &&
	adash-features $OPTS --asof 2024-01-10 --output-format csv <ev.ndjson >out.csv &&
	test_cmp "$TESTDATA/golden/events-small.csv" out.csv &&
	test_line_count = 6 out.ndjson &&
	grep -q "\"user_id\":\"alice\",\"item_id\":\"w1\",\"asof\":\"2024-01-10T00:00:00Z\"" out.ndjson &&
	grep -q "\"open_7d\":1," out.ndjson
'

test_expect_success '--no-header; the same input twice gives the same bytes' '
	gen_events &&
	adash-features --events --asof-every 1d --label-horizon 1d <ev.csv >a.csv &&
	adash-features --events --asof-every 1d --label-horizon 1d <ev.csv >b.csv &&
	cmp a.csv b.csv &&
	adash-features --events --asof-every 1d --label-horizon 1d --no-header <ev.csv >c.csv &&
	tail -n +2 a.csv | cmp - c.csv
'

test_expect_success 'no events at all: the header alone; with --users, the newcomers' '
	head -n 1 "$EV" >empty.csv &&
	adash-features $OPTS --asof 2024-01-10 <empty.csv >out.csv &&
	test_line_count = 1 out.csv &&
	printf "user_id,role\nerin,ops\n" >users.csv &&
	adash-features $OPTS --asof 2024-01-10 --users users.csv <empty.csv >out.csv &&
	test_line_count = 4 out.csv
'

# ---- refusals --------------------------------------------------------------------------

for args in \
	"--events" \
	"--events --asof 2024-01-10 --asof-every 1d" \
	"--events --asof 2024-01-10 --until 2024-01-11" \
	"--events --asof-every 1d --since 2024-01-11 --until 2024-01-10" \
	"--events --asof yesterday" \
	"--events --asof-every 0d" \
	"--events --asof-every 5" \
	"--events --asof 2024-01-10 --windows 24h,1d" \
	"--events --asof-every 1d --windows 1001h" \
	"--events --asof 2024-01-10 --candidates shown" \
	"--events --asof 2024-01-10 --candidates popular:0" \
	"--events --asof 2024-01-10 --negatives 2" \
	"--events --asof 2024-01-10 --lags 7" \
	"--asof 2024-01-10" \
	"--events --asof 2024-01-10 --half-life 1.5d" \
	"--events --asof 2024-01-10 --time ts" \
	"--events --asof 2024-01-10 --log1p open_5d" \
	"--events --asof 2024-01-10 --log1p sales"
do
	test_expect_code 2 "usage error: adash-features $args" "
		adash-features $args <\"\$EV\" >/dev/null 2>err; st=\$?; test_one_line err >&2; exit \$st
	"
done

test_done
