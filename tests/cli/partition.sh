#!/bin/sh
# Beyond one machine (DESIGN §6): every per-key program (adash-features in
# series mode, adash-forecast, adash-rank, adash-explain) gives the same rows
# from the whole input as from any partition of its keys, run apart with
# --no-header and concatenated: hash partitions (as `parallel --shard`),
# contiguous runs of groups (as `parallel --pipe --group-by`), one key per
# part; then the real GNU parallel when it is installed, and the Hadoop
# Streaming contract emulated with sort.  Also --grouped (one key held, a
# key that comes back refused), buffering of ungrouped input (the same
# rows), and --counters hadoop.
. "$top_srcdir/tests/lib.sh"

TAB=$(printf '\t')
FEAT="--key shop_id --time date --target sales --lags 1,7 --rolling mean:7,std:7 --calendar dow"

# split_parts INPUT KEYCOL SCHEME N: the rows of INPUT (CSV with a header,
# no quoted fields) into part.0, part.1, ..., each with the header, by the
# value of column KEYCOL: SCHEME hash (N parts by a hash of the key, as
# --shard), chunk (runs of N whole groups, as --group-by cuts a grouped
# input) or key (a part per key; N unused).
split_parts() {
	rm -f part.*
	awk -F, -v col="$2" -v scheme="$3" -v n="$4" '
		BEGIN { for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i }
		NR == 1 { hdr = $0; next }
		{
			k = $col
			if (scheme == "hash") {
				h = 0
				for (i = 1; i <= length(k); i++)
					h = (h * 31 + ord[substr(k, i, 1)]) % 1000003
				p = h % n
			} else if (scheme == "chunk") {
				if (NR == 2 || k != last) { g++; last = k }
				p = int((g - 1) / n)
			} else {
				if (!(k in id)) id[k] = nk++
				p = id[k]
			}
			f = "part." p
			if (!(f in started)) { print hdr > f; started[f] = 1 }
			print > f
		}' "$1"
}

# same_rows WHOLE PARTS: the body of WHOLE (its header left out) and PARTS
# (concatenated --no-header outputs) are the same rows, byte for byte, as
# sorted sets; and there are rows.
same_rows() {
	tail -n +2 "$1" | sort >whole.sorted &&
	sort "$2" >parts.sorted &&
	test -s whole.sorted &&
	test_cmp whole.sorted parts.sorted
}

# partitioned CMD INPUT KEYCOL: CMD (reading stdin) over every partitioning
# of INPUT, each part with --no-header, gives the rows of CMD over INPUT.
partitioned() {
	eval "$1" <"$2" >whole.out || return 1
	for scheme in "hash 2" "hash 3" "hash 5" "chunk 1" "chunk 4" "key 0"; do
		split_parts "$2" "$3" $scheme &&
		for p in part.*; do
			eval "$1 --no-header" <"$p" || return 1
		done >parts.out &&
		same_rows whole.out parts.out || { echo "partitioning: $scheme"; return 1; }
	done
}

test_expect_success 'set-up: sales of 12 shops, features, a ridge model, event candidates' '
	adash-synth sales --shops 12 --days 90 --seed 11 >sales.csv &&
	adash-features $FEAT <sales.csv >feat.csv &&
	adash-train --target sales --algo ridge --cv 3 -o m.model <feat.csv 2>/dev/null &&
	adash-synth events --users 25 --items 10 --days 20 --seed 5 --items-out items.csv >ev.csv &&
	adash-features --events --items items.csv --asof 2024-01-15 <ev.csv >cand.csv &&
	test "$(cut -d, -f1 cand.csv | sort -u | wc -l)" -gt 20
'

test_expect_success 'adash-features: the same rows from every partition of the shops' '
	partitioned "adash-features $FEAT" sales.csv 1 &&
	partitioned "adash-features $FEAT --grouped --warmup keep --fill ffill" sales.csv 1
'

test_expect_success 'adash-forecast: the same rows from every partition, intervals and features included' '
	partitioned "adash-forecast -q -m m.model --horizon 7" sales.csv 1 &&
	partitioned "adash-forecast -q -m m.model --horizon 7 --interval 80 --paths 50 --seed 3 --with-features --grouped" sales.csv 1
'

test_expect_success 'adash-rank: the same rows from every partition of the users, exploration included' '
	partitioned "adash-rank --top 4 --explore egreedy:0.3 --seed 7" cand.csv 1
'

test_expect_success 'adash-explain: the same rows from every partition, row-wise' '
	partitioned "adash-explain -m m.model --top 2" feat.csv 1
'

# The real engine, when it is there.
if command -v parallel >/dev/null 2>&1 &&
	parallel --will-cite --version >/dev/null 2>&1 </dev/null; then
	test_expect_success 'GNU parallel --pipe --header : --group-by shop_id: the same rows' '
		adash-features $FEAT --grouped <sales.csv >whole.out &&
		parallel --will-cite --pipe --header : --colsep , --group-by shop_id --block 20k -j2 \
			"adash-features $FEAT --grouped --no-header" <sales.csv >parts.out &&
		same_rows whole.out parts.out &&
		adash-forecast -q -m m.model --horizon 7 <sales.csv >whole.out &&
		parallel --will-cite --pipe --header : --colsep , --group-by shop_id --block 20k -j2 \
			"adash-forecast -q -m m.model --horizon 7 --grouped --no-header" <sales.csv >parts.out &&
		same_rows whole.out parts.out
	'
	test_expect_success 'GNU parallel --pipepart -a FILE --group-by shop_id: the same rows, in several blocks' '
		adash-features $FEAT --grouped <sales.csv >whole.out &&
		parallel --will-cite --pipepart -a sales.csv --header : --colsep , --group-by shop_id --block 5k -j2 \
			"adash-features $FEAT --grouped --no-header" >parts.out &&
		test "$(parallel --will-cite --pipepart -a sales.csv --header : --colsep , --group-by shop_id \
			--block 5k -j2 "echo {#}" | wc -l)" -gt 2 &&
		same_rows whole.out parts.out &&
		adash-forecast -q -m m.model --horizon 7 <sales.csv >whole.out &&
		parallel --will-cite --pipepart -a sales.csv --header : --colsep , --group-by shop_id --block 5k -j2 \
			"adash-forecast -q -m m.model --horizon 7 --grouped --no-header" >parts.out &&
		same_rows whole.out parts.out
	'
	# --shard sends no header (parallel 20221122): the job puts it back;
	# timeout, since a job that fails leaves --shard waiting for it
	test_expect_success 'GNU parallel --pipe --shard: the same rows' '
		head -n 1 sales.csv >header.csv &&
		adash-features $FEAT <sales.csv >whole.out &&
		tail -n +2 sales.csv | timeout 300 parallel --will-cite --pipe --shard 1 --colsep , -j3 \
			"cat header.csv - | adash-features $FEAT --grouped --no-header" >parts.out &&
		same_rows whole.out parts.out &&
		head -n 1 cand.csv >header.csv &&
		adash-rank --top 4 --explore egreedy:0.3 --seed 7 <cand.csv >whole.out &&
		tail -n +2 cand.csv | timeout 300 parallel --will-cite --pipe --shard 1 --colsep , -j2 \
			"cat header.csv - | adash-rank --top 4 --explore egreedy:0.3 --seed 7 --no-header" >parts.out &&
		same_rows whole.out parts.out
	'
else
	test_skip 'GNU parallel --group-by (parallel is not installed)'
	test_skip 'GNU parallel --pipepart (parallel is not installed)'
	test_skip 'GNU parallel --shard (parallel is not installed)'
fi

# Hadoop Streaming: splits of headerless key-first TSV lines go to mappers;
# their output is sorted by key (the first field) and each reducer reads its
# keys' lines, a key's lines together but in no set order.  A reducer gets
# no header, so its command puts the header back; the mapper leaves its
# own out.
test_expect_success 'Hadoop Streaming, emulated: mapper | sort -k1,1 | reducer gives the one-process rows' '
	tr , "$TAB" <sales.csv >sales.tsv &&
	head -n 1 sales.tsv >header.tsv &&
	tail -n +2 sales.tsv | split -l 500 - split. &&
	for s in split.*; do
		cat header.tsv "$s" | adash-ingest --schema sales -d "\t" --no-header || exit 1
	done | sort -t "$TAB" -k1,1 >shuffled.tsv &&
	cat header.tsv shuffled.tsv |
		adash-features -d "\t" $FEAT --grouped --no-header >reduced.tsv &&
	adash-ingest --schema sales -d "\t" <sales.tsv | adash-features -d "\t" $FEAT >whole.tsv &&
	same_rows whole.tsv reduced.tsv &&
	cat header.tsv shuffled.tsv |
		adash-forecast -d "\t" -q -m m.model --horizon 7 --grouped --no-header >reduced.tsv &&
	adash-forecast -d "\t" -q -m m.model --horizon 7 <sales.tsv >whole.tsv &&
	same_rows whole.tsv reduced.tsv
'

test_expect_success 'two reducers, keys by hash: the same rows' '
	{ head -n 1 sales.csv; tail -n +2 sales.csv | sort -t , -k1,1; } >sorted.csv &&
	split_parts sorted.csv 1 hash 2 &&
	for p in part.*; do adash-features $FEAT --grouped --no-header <"$p" || exit 1; done >parts.out &&
	adash-features $FEAT <sales.csv >whole.out &&
	same_rows whole.out parts.out
'

# ---- grouped and buffered -----------------------------------------------

test_expect_success 'set-up: the sales by date (not grouped), and grouped by first appearance' '
	{ head -n 1 sales.csv; tail -n +2 sales.csv | sort -t , -k2,2 -s; } >bydate.csv &&
	awk -F, "NR == 1 { print; next } { k[NR] = \$1; row[NR] = \$0; if (!(\$1 in seen)) { seen[\$1] = 1; order[++n] = \$1 } }
		END { for (i = 1; i <= n; i++) for (r = 2; r <= NR; r++) if (k[r] == order[i]) print row[r] }" bydate.csv >regrouped.csv &&
	! cmp -s bydate.csv regrouped.csv
'

test_expect_code 1 'adash-features --grouped: a shop that comes back is refused' '
	adash-features $FEAT --grouped <bydate.csv >out.csv
'

test_expect_success 'the refusal says where and what to do, in one line' '
	! adash-features $FEAT --grouped <bydate.csv >out.csv 2>err &&
	test_one_line err &&
	test_grep "bydate\\|stdin" err &&
	test_grep "shop_id" err &&
	test_grep "again" err &&
	test_grep "leave out --grouped" err
'

test_expect_code 1 'adash-forecast --grouped: a shop that comes back is refused' '
	adash-forecast -q -m m.model --grouped <bydate.csv >out.csv
'

test_expect_code 1 'adash-rank: a user that comes back is refused, --grouped or not' '
	{ head -n 1 cand.csv; tail -n +2 cand.csv | sort -t , -k2,2 -s; } >cand-byitem.csv &&
	adash-rank --grouped <cand-byitem.csv >out.csv
'

test_expect_success 'adash-features buffers ungrouped input: the same rows, in input order' '
	adash-features $FEAT <bydate.csv >buffered.csv &&
	adash-features $FEAT --grouped <regrouped.csv >grouped.csv &&
	tail -n +2 buffered.csv >buffered.body &&
	same_rows grouped.csv buffered.body &&
	tail -n +2 buffered.csv | cut -d, -f2 | sort -c
'

test_expect_success 'adash-forecast buffers ungrouped input: the bytes of the grouped run, keys in order of first appearance' '
	adash-forecast -q -m m.model --horizon 7 --interval 80 --paths 50 --total <bydate.csv >buffered.csv &&
	adash-forecast -q -m m.model --horizon 7 --interval 80 --paths 50 --total --grouped <regrouped.csv >grouped.csv &&
	test_cmp grouped.csv buffered.csv
'

test_expect_success '--grouped gives the bytes of the default on grouped input' '
	adash-features $FEAT <sales.csv >a.csv &&
	adash-features $FEAT --grouped <sales.csv >b.csv &&
	test_cmp a.csv b.csv &&
	adash-features $FEAT --sorted --grouped <sales.csv >b.csv &&
	test_cmp a.csv b.csv &&
	adash-forecast -q -m m.model --total --interval 80 --paths 50 --with-features <sales.csv >a.csv &&
	adash-forecast -q -m m.model --total --interval 80 --paths 50 --with-features --grouped <sales.csv >b.csv &&
	test_cmp a.csv b.csv
'

test_expect_success '-v says the input was held whole, and whether it was grouped' '
	adash-features $FEAT -v <bydate.csv 2>err >/dev/null &&
	test_grep "not grouped by shop_id" err &&
	adash-features $FEAT -v <sales.csv 2>err >/dev/null &&
	test_grep "grouped by shop_id (12 groups), so --grouped" err &&
	adash-forecast -m m.model -v <bydate.csv 2>err >/dev/null &&
	test_grep "not grouped by shop_id" err &&
	adash-features $FEAT -v --grouped <sales.csv 2>err >/dev/null &&
	! grep -q "held the whole input" err
'

test_expect_success 'a bad row under --grouped is accounted for as without' '
	sed "5s/,2023-/,x2023-/" sales.csv >bad.csv &&
	adash-features $FEAT --on-bad skip --stats g.json --grouped <bad.csv >g.csv &&
	adash-features $FEAT --on-bad skip --stats d.json <bad.csv >d.csv &&
	test_cmp d.csv g.csv &&
	test_cmp d.json g.json &&
	check_invariant g.json &&
	test "$(stat_val g.json rows_rejected)" = 1
'

# ---- --counters hadoop ---------------------------------------------------

test_expect_success '--counters hadoop: the counts as Hadoop Streaming counter lines on stderr' '
	adash-features $FEAT --counters hadoop --stats s.json <sales.csv >/dev/null 2>err &&
	for n in rows_in rows_out rows_rejected rows_dropped; do
		test "$(grep "^reporter:counter:adash,$n," err | cut -d, -f3)" = "$(stat_val s.json $n)" || exit 1
	done &&
	test_line_count = 4 err
'

test_expect_success '--counters hadoop is not silenced by -q, and goes with -v' '
	adash-features $FEAT -q --counters hadoop <sales.csv 2>err >/dev/null &&
	test_line_count = 4 err &&
	adash-features $FEAT -v --counters hadoop <sales.csv 2>err >/dev/null &&
	test_grep "rows_in 1080" err &&
	test_grep "^reporter:counter:adash,rows_in,1080$" err
'

test_expect_success '--counters hadoop in every program with row accounting' '
	adash-ingest --schema sales --counters hadoop <sales.csv 2>err >/dev/null &&
	test_grep "^reporter:counter:adash,rows_out,1080$" err &&
	adash-rank --top 3 --counters hadoop <cand.csv 2>err >/dev/null &&
	test_grep "^reporter:counter:adash,rows_dropped," err &&
	adash-explain -m m.model --counters hadoop <feat.csv 2>err >/dev/null &&
	test_grep "^reporter:counter:adash,rows_in,$(($(wc -l <feat.csv) - 1))$" err &&
	adash-features --events --items items.csv --asof 2024-01-15 --counters hadoop <ev.csv 2>err >/dev/null &&
	test_grep "^reporter:counter:adash,rows_in," err
'

test_expect_code 2 '--counters with another protocol is a usage error' '
	adash-features $FEAT --counters statsd <sales.csv
'

test_done
