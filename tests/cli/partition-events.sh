#!/bin/sh
# adash-features --events, beyond one machine (DESIGN §6, issue 7): the rows
# of runs over parts of the users, each reading the item statistics of all
# of them (--item-stats), are the rows of the run over all users, byte for
# byte; the statistics of parts sum to those of the whole; input grouped by
# user streams one user at a time (--grouped); mismatched statistics and
# ungrouped input are refused.
. "$top_srcdir/tests/lib.sh"

adash-synth events --users 200 --items 30 --days 30 --seed 3 --items-out items.csv >ev.csv
# listed users: two with events (one given a role the events do not carry),
# and two newcomers
printf 'user_id,role\nu001,sales\nnew1,ops\nnew2,\nu150,finance\n' >users.csv
OPTS="--events --items items.csv --windows 1d,7d,30d --asof-every 1d --since 2024-01-10 --until 2024-01-24 --seed 4"
RULES="--candidates popular:5,cooc:5"
LABELS="--label-horizon 2d --negatives 3"

# the events (and the --users lines) of user hash part I of N, with the
# header: part EVENTS N I, part_users N I
hash='function h(s, n,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = (v * 31 + index("0123456789abcdefghijklmnopqrstuvwxyz", substr(s, i, 1))) % n; return v }'
part() {
	awk -F, -v n="$2" -v k="$3" "$hash"' NR == 1 || h($2, n) == k' "$1"
}
part_users() {
	awk -F, -v n="$1" -v k="$2" "$hash"' NR == 1 || h($1, n) == k' users.csv
}
# contiguous groups of users, as parallel --group-by hands them out: the
# users in sorted order cut into N runs
part_contiguous() {
	awk -F, -v n="$2" -v k="$3" 'NR == FNR { if (FNR > 1 && !($2 in u)) { u[$2] = m++ } next }
		FNR == 1 || int(u[$2] * n / m) == k' "$1" "$1"
}

# byuser.csv: grouped by user (sorted by user, each user's events in time
# order, as sort -s keeps them)
(head -n 1 ev.csv; tail -n +2 ev.csv | sort -t, -k2,2 -s) >byuser.csv

for case in rules labels; do
	if [ $case = rules ]; then X="$RULES"; else X="$LABELS"; fi
	adash-features $OPTS $X --users users.csv <ev.csv >whole-$case.csv
	tail -n +2 whole-$case.csv | sort >whole-$case.sorted
done

test_expect_success 'the run over all users has rows of every kind: newcomers, labels, many cuts' '
	test_grep "^new1,.*,ops," whole-rules.csv &&
	test_grep "^new2," whole-rules.csv &&
	test "$(cut -d, -f3 whole-rules.csv | sort -u | wc -l)" -eq 16 &&
	test "$(tail -n +2 whole-labels.csv | wc -l)" -gt 1000
'

test_expect_success '--item-stats-out writes statistics and no rows; reading them back gives the same bytes' '
	adash-features $OPTS --users users.csv --item-stats-out stats.csv <ev.csv >out.csv &&
	test_must_be_empty_file out.csv &&
	test_grep "^record,asof,item,other,1d,7d,30d\$" stats.csv &&
	test_grep "^dot," stats.csv && test_grep "^role," stats.csv && test_grep "^first," stats.csv &&
	adash-features $OPTS $RULES --users users.csv --item-stats stats.csv <ev.csv >again.csv &&
	test_cmp whole-rules.csv again.csv &&
	adash-features $OPTS $LABELS --users users.csv --item-stats stats.csv <ev.csv >again.csv &&
	test_cmp whole-labels.csv again.csv
'

for n in 2 3 5; do
	test_expect_success "$n hash parts of the users, with the statistics of all: the rows of the whole run" '
		for case in rules labels; do
			if [ $case = rules ]; then X="$RULES"; else X="$LABELS"; fi
			k=0
			while [ $k -lt '$n' ]; do
				part ev.csv '$n' $k >p.csv && part_users '$n' $k >pu.csv &&
				adash-features $OPTS $X --users pu.csv --item-stats stats.csv --no-header <p.csv || exit 1
				k=$((k + 1))
			done >parts.csv
			sort parts.csv >parts.sorted && test_cmp whole-$case.sorted parts.sorted || exit 1
		done
	'
	test_expect_success "$n hash parts: their statistics, summed on reading, are those of all users" '
		k=0 list=
		while [ $k -lt '$n' ]; do
			part ev.csv '$n' $k >p$k.csv && part_users '$n' $k >pu$k.csv &&
			adash-features $OPTS --users pu$k.csv --item-stats-out ps$k.csv <p$k.csv || exit 1
			list="$list${list:+,}ps$k.csv" k=$((k + 1))
		done &&
		k=0 &&
		while [ $k -lt '$n' ]; do
			adash-features $OPTS $RULES --users pu$k.csv --item-stats "$list" --no-header <p$k.csv || exit 1
			k=$((k + 1))
		done | sort >parts.sorted &&
		test_cmp whole-rules.sorted parts.sorted &&
		cat ps*.csv >joined.csv &&
		adash-features $OPTS $RULES --users users.csv --item-stats joined.csv <ev.csv >again.csv &&
		test_cmp whole-rules.csv again.csv
	'
	test_expect_success "$n contiguous groups of users, grouped input, --grouped: the rows of the whole run" '
		k=0
		while [ $k -lt '$n' ]; do
			part_contiguous byuser.csv '$n' $k >p.csv &&
			part_users 1 0 >pu.csv &&
			awk -F, "NR > 1 { print \$2 }" p.csv | sort -u >mine &&
			awk -F, "NR == FNR { m[\$1] = 1; next } FNR == 1 || (\$1 in m) || (\$1 ~ /^new/ && $k == 0)" mine pu.csv >pu.csv.k &&
			adash-features $OPTS $LABELS --users pu.csv.k --item-stats stats.csv --grouped --no-header <p.csv || exit 1
			k=$((k + 1))
		done | sort >parts.sorted &&
		test_cmp whole-labels.sorted parts.sorted
	'
done

test_expect_success '--grouped --item-stats-out over grouped input: the same statistics, row for row' '
	adash-features $OPTS --users users.csv --item-stats-out gstats.csv --grouped <byuser.csv &&
	sort stats.csv >a && sort gstats.csv >b && test_cmp a b
'

test_expect_success 'newcomers alone: a run over no events with --users and the statistics' '
	grep -e "^user_id" -e "^new" users.csv >new.csv &&
	adash-features $OPTS $RULES --users new.csv --item-stats stats.csv --no-header </dev/null >newrows.csv &&
	grep "^new" whole-rules.sorted >expect &&
	sort newrows.csv >got && test_cmp expect got
'

test_expect_success 'popular:N ties are broken by first time and name, the same in every part' '
	adash-features --events --windows 1d --asof 2024-01-05 --candidates popular:3 <ev.csv >pop.csv &&
	adash-features --events --windows 1d --asof 2024-01-05 --item-stats-out pop-stats.csv <ev.csv &&
	part ev.csv 2 1 | adash-features --events --windows 1d --asof 2024-01-05 --candidates popular:3 \
		--item-stats pop-stats.csv --no-header >p1.csv &&
	part ev.csv 2 0 | adash-features --events --windows 1d --asof 2024-01-05 --candidates popular:3 \
		--item-stats pop-stats.csv --no-header >p0.csv &&
	tail -n +2 pop.csv | sort >a && sort p0.csv p1.csv >b && test_cmp a b
'

# ---- refusals ----------------------------------------------------------------

test_expect_code 1 'statistics of other windows: exit 1' '
	adash-features --events --items items.csv --windows 1d,7d --asof-every 1d --since 2024-01-10 \
		--until 2024-01-24 --item-stats stats.csv <ev.csv >/dev/null
'
test_expect_success 'statistics of other windows: one line naming the windows' '
	! adash-features --events --windows 1d,7d --asof-every 1d --since 2024-01-10 --until 2024-01-24 \
		--item-stats stats.csv <ev.csv >/dev/null 2>err &&
	test_one_line err && test_grep "windows 1d,7d" err
'
test_expect_code 1 'statistics of other cuts: exit 1' '
	adash-features --events --windows 1d,7d,30d --asof 2024-01-20 --item-stats stats.csv <ev.csv >/dev/null
'
test_expect_success 'statistics of other cuts: one line naming both' '
	! adash-features --events --windows 1d,7d,30d --asof 2024-01-20 --item-stats stats.csv <ev.csv >/dev/null 2>err &&
	test_one_line err && test_grep "asof 2024-01-20" err && test_grep "every 86400s" err
'
test_expect_code 1 'events outside the span of the statistics: exit 1' '
	awk "NR == 1 || \$1 < \"2024-01-15\"" ev.csv >early.csv &&
	adash-features $OPTS --item-stats-out early-stats.csv <early.csv &&
	adash-features $OPTS --item-stats early-stats.csv <ev.csv >/dev/null
'
test_expect_code 1 'a statistics file without its cuts row: exit 1' '
	grep -v "^cuts," stats.csv >nocuts.csv &&
	adash-features $OPTS --item-stats nocuts.csv <ev.csv >/dev/null
'
test_expect_code 1 'a statistics value that is not a whole number: exit 1' '
	printf "record,asof,item,other,1d\ncuts,,,asof 2024-01-05T00:00:00Z,\nengage,2024-01-05T00:00:00Z,w01,,1.5\n" >bad.csv &&
	adash-features --events --windows 1d --asof 2024-01-05 --item-stats bad.csv <ev.csv >/dev/null
'
test_expect_code 3 'a statistics file that cannot be read: exit 3' '
	adash-features --events --windows 1d --asof 2024-01-05 --item-stats no-such.csv <ev.csv >/dev/null
'
test_expect_code 3 'a statistics file that cannot be written: exit 3' '
	adash-features --events --windows 1d --asof 2024-01-05 --item-stats-out no-dir/s.csv <ev.csv
'
test_expect_code 1 '--grouped over input not grouped by user: exit 1' '
	adash-features $OPTS --item-stats stats.csv --grouped <ev.csv >/dev/null
'
test_expect_success '--grouped over input not grouped: one line naming the user' '
	! adash-features $OPTS --item-stats stats.csv --grouped <ev.csv >/dev/null 2>err &&
	test_one_line err && test_grep "comes again after other users" err
'
test_expect_code 1 '--grouped with one user out of time order: exit 1' '
	(head -n 1 byuser.csv; tail -n +2 byuser.csv | sed -n "1,5p" | sort -r) |
		adash-features $OPTS --item-stats stats.csv --grouped >/dev/null
'
test_expect_code 2 '--grouped without statistics: exit 2' '
	adash-features $OPTS --grouped <byuser.csv >/dev/null
'
test_expect_code 2 '--item-stats with --item-stats-out: exit 2' '
	adash-features $OPTS --item-stats stats.csv --item-stats-out x.csv <ev.csv >/dev/null
'
test_expect_code 2 '--grouped with --sort: exit 2' '
	adash-features $OPTS --item-stats stats.csv --grouped --sort <byuser.csv >/dev/null
'

test_done
