#!/bin/sh
# tests/cli/faults.sh: fault injection, SQLite's lesson (STYLE.md, "Tests").
#
# Allocations that fail (tests/failmalloc.so under LD_PRELOAD: the N-th
# allocation and all later ones, or the N-th alone), writes that fail (a full
# device, a write error on one descriptor, a file-size limit), files that
# cannot be created, input that cannot be read or is cut short.  Whatever
# fails, a program ends cleanly: exit 4 and exactly "PROG: out of memory"
# when memory runs out, exit 3 and one line when a file cannot be read or
# written, exit 0 or 1 on a truncated input; never a crash (134, 139) or
# another code, never a successful exit with different output, and never a
# half-written file where the output file should be (DESIGN §3).
#
# The allocation sweeps try every N from 1 to one past the number of
# allocations a run makes (counted by the shim, FAILMALLOC_REPORT=1).  Under
# the shim glibc makes no counted allocation before main (the first is
# cli_init's), so the sweep covers main's own allocations and those of
# stdio, libcsv, jansson and GSL made on its behalf.  Under AddressSanitizer
# (ADASH_SANITIZED=1) LD_PRELOAD shims conflict with the sanitizer's own
# allocator, so those tests are skipped there.
. "$top_srcdir/tests/lib.sh"

FAILMALLOC=$top_builddir/tests/failmalloc.so
if [ "${ADASH_SANITIZED:-0}" = 1 ]; then
	preload=no
	why_no_preload="LD_PRELOAD shims conflict with AddressSanitizer"
elif [ ! -f "$FAILMALLOC" ]; then
	preload=no
	why_no_preload="$FAILMALLOC not built"
else
	preload=yes
fi

# Inputs, made here so that the test does not depend on fixtures' details.
adash-synth sales --shops 2 --days 3 --seed 7 >small.csv
adash-synth events --users 2 --items 4 --days 1 --seed 7 --output-format ndjson >events.ndjson
head -n 6 events.ndjson >small.ndjson
{
	cat small.csv
	echo 's01,not-a-date,1,2,3,0,4'
	echo 's01,2023-01-09'
	echo 's02,2023-01-10,-5,,,,'
	echo 's02,2023-01-11,"12,5",1,2,0,3'
} >messy.csv
# Bad rows enough for a --reject file of several kilobytes.
awk 'NR == 1 { print; for (i = 1; i <= 200; i++) print "s01,not-a-date," i ",1,1,0,1"; exit }' \
	small.csv >bad.csv
# A CSV and an NDJSON file with the constructs a cut can fall inside of.
printf '%s\r\n' 'id,"na""me",note' '1,"multi' 'line, with comma",x' '2,"q""uote",' \
	'3,plain,"tail"' >tricky.csv
printf '%s\n' '{"id":1,"name":"caf\u00e9","v":1.5e3}' '' '{"id":2,"name":"a\"b","v":null}' \
	'{"id":3,"name":"x","v":true}' >tricky.ndjson

# ---- allocations -----------------------------------------------------------

# A run that hangs is a failure too (timeout exits 124), when coreutils'
# timeout is there; env sets the shim's variables for PROG alone.
if command -v timeout >/dev/null 2>&1; then
	limit="timeout 60"
else
	limit=
fi

# fm_run N ONCE PROG ARG... <input: PROG under the shim, the N-th allocation
# failing (and, unless ONCE is 1, every later one).
fm_run() {
	n=$1 once=$2
	shift 2
	$limit env FAILMALLOC_AFTER="$n" FAILMALLOC_ONCE="$once" LD_PRELOAD="$FAILMALLOC" "$@"
}

# fm_count PROG ARG... <input: how many allocations a complete run makes.
fm_count() {
	FAILMALLOC_REPORT=1 LD_PRELOAD=$FAILMALLOC "$@" 2>&1 >/dev/null |
		sed -n 's/^failmalloc: \([0-9][0-9]*\) calls$/\1/p'
}

# fm_points TOTAL: the values of N to try: every one up to TOTAL + 1 when
# that is at most 800, else every one up to 400 and 400 spread over the rest.
fm_points() {
	awk -v t="$1" 'BEGIN {
		if (t + 1 <= 800) { for (n = 1; n <= t + 1; n++) print n; exit }
		for (n = 1; n <= 400; n++) print n
		for (k = 1; k <= 400; k++) print 400 + int(k * (t + 1 - 400) / 400)
	}'
}

# check_files: the files listed in $files are each either absent or identical
# to their reference ref.NAME, and no temporary file (".NAME.XXXXXX") is
# left beside them.
check_files() {
	for f in $files; do
		if [ -e "$f" ] && ! cmp -s "ref.$f" "$f"; then
			echo "$f is not the complete file"
			return 1
		fi
		for t in ."$f".*; do
			[ -e "$t" ] && { echo "temporary file $t left behind"; return 1; }
		done
	done
	return 0
}

# sweep INPUT PROG ARG...: runs "PROG ARG... <INPUT" with each allocation
# failing in turn, first for good (the N-th and all later ones), then alone.
# Each run must exit 0 with the output (stdout, stderr, and the files named in
# $files) of a run without faults, or exit 4 with exactly "PROG: out of
# memory" and no half-written file.  Prints what went wrong, at most 15
# cases, and a summary in sweep.summary.
sweep() {
	input=$1
	shift
	prog=$1
	for f in $files; do rm -f "$f" ."$f".* "ref.$f"; done
	"$@" <"$input" >ref.out 2>ref.err || { echo "run without faults failed: $(cat ref.err)"; return 1; }
	for f in $files; do
		[ -f "$f" ] || { echo "run without faults made no $f"; return 1; }
		mv "$f" "ref.$f"
	done
	total=$(fm_count "$@" <"$input")
	[ -n "$total" ] || { echo "no allocation count from the shim"; return 1; }
	printf '%s: out of memory\n' "$prog" >oom.err
	bad=0 oom=0 ok=0 runs=0
	fm_points "$total" >points
	for once in 0 1; do
		while read -r n; do
			for f in $files; do rm -f "$f" ."$f".*; done
			fm_run "$n" "$once" "$@" <"$input" >run.out 2>run.err
			rc=$?
			runs=$((runs + 1))
			problem=
			case $rc in
			0)
				ok=$((ok + 1))
				if ! cmp -s ref.out run.out; then
					problem="exit 0 with different output"
				elif ! cmp -s ref.err run.err; then
					problem="exit 0 with stderr: $(head -c 200 run.err)"
				fi
				for f in $files; do
					[ -n "$problem" ] || [ -e "$f" ] || problem="exit 0 without $f"
				done
				;;
			4)
				oom=$((oom + 1))
				cmp -s oom.err run.err ||
					problem="exit 4, stderr: $(head -c 200 run.err | tr '\n' '|')"
				;;
			*)
				problem="exit $rc, stderr: $(head -c 200 run.err | tr '\n' '|')"
				;;
			esac
			if [ -z "$problem" ] && [ -n "$files" ]; then
				problem=$(check_files)
			fi
			if [ -n "$problem" ]; then
				bad=$((bad + 1))
				[ "$bad" -le 15 ] && echo "allocation $n failing$([ "$once" = 1 ] && echo ' alone'): $problem"
			fi
		done <points
	done
	for f in $files; do rm -f "$f" ."$f".* "ref.$f"; done
	echo "$prog: $total allocations, $runs runs: $oom out of memory, $ok complete, $bad wrong" >sweep.summary
	[ "$bad" -eq 0 ] && [ "$oom" -gt 0 ]
}

# malloc_test DESCRIPTION INPUT PROG ARG...: one test point for a sweep.
malloc_test() {
	desc=$1
	shift
	if [ "$preload" = no ]; then
		test_skip "$desc ($why_no_preload)"
		return
	fi
	rm -f sweep.summary
	sweep_args=$*   # test_expect_success has its own "$@"; no argument has a space
	test_expect_success "$desc" 'sweep $sweep_args'
	[ -f sweep.summary ] && echo "# $(cat sweep.summary)"
}

files=
malloc_test 'adash-ingest, CSV: a failed allocation exits 0 or 4 "out of memory"' \
	small.csv adash-ingest --schema sales
malloc_test 'adash-ingest, NDJSON: a failed allocation exits 0 or 4 "out of memory"' \
	small.ndjson adash-ingest --schema events
malloc_test 'adash-ingest --infer: a failed allocation exits 0 or 4 "out of memory"' \
	small.csv adash-ingest --infer
malloc_test 'adash-synth, CSV: a failed allocation exits 0 or 4 "out of memory"' \
	/dev/null adash-synth sales --shops 2 --days 3
malloc_test 'adash-synth, NDJSON: a failed allocation exits 0 or 4 "out of memory"' \
	/dev/null adash-synth events --users 2 --items 4 --days 1 --output-format ndjson

# the personalization programs, on events of 3 users
adash-synth events --users 3 --items 4 --days 3 --seed 7 --items-out ev-items.csv >ev.csv
adash-features --events --items ev-items.csv --windows 1d,2d --asof 2024-01-03 <ev.csv >cand.csv
awk -F, -v OFS=, 'NR == 1 { print $0, "label"; next } { print $0, NR % 2 }' cand.csv >scored.csv
adash-train -q --target label --algo logreg --features open_2d,item_engage_2d,cooc -o click.model <scored.csv
malloc_test 'adash-features --events: a failed allocation exits 0 or 4 "out of memory"' \
	ev.csv adash-features --events --items ev-items.csv --windows 1d,2d --asof-every 1d --label-horizon 1d
adash-features --events --items ev-items.csv --windows 1d,2d --asof-every 1d --item-stats-out ev-stats.csv <ev.csv
(head -n 1 ev.csv; tail -n +2 ev.csv | sort -t, -k2,2 -s) >ev-by-user.csv
malloc_test 'adash-features --events --item-stats --grouped: a failed allocation exits 0 or 4 "out of memory"' \
	ev-by-user.csv adash-features --events --items ev-items.csv --windows 1d,2d --asof-every 1d --item-stats ev-stats.csv --grouped --candidates popular:2,cooc:2
files='ev-stats-out.csv'
malloc_test 'adash-features --events --item-stats-out --grouped: out of memory never leaves a half-written file' \
	ev-by-user.csv adash-features --events --items ev-items.csv --windows 1d,2d --asof-every 1d --item-stats-out ev-stats-out.csv --grouped
files=
malloc_test 'adash-rank: a failed allocation exits 0 or 4 "out of memory"' \
	cand.csv adash-rank -m click.model --top 2 --explore softmax:1
malloc_test 'adash-explain: a failed allocation exits 0 or 4 "out of memory"' \
	cand.csv adash-explain -m click.model --top 2

files='rej.ndjson stats.json'
malloc_test 'adash-ingest --reject --stats: out of memory never leaves a half-written file' \
	messy.csv adash-ingest --schema sales --reject rej.ndjson --stats stats.json
files='items.csv'
malloc_test 'adash-synth --items-out: out of memory never leaves a half-written file' \
	/dev/null adash-synth events --users 2 --items 4 --days 1 --items-out items.csv
files=

# adash-train --partial in blocks of 4 rows: three blocks, the second
# bringing a new level of shop_id (the statistics widened and merged), and
# the partial file never half-written (-q: the report line is written
# before the file)
adash-synth sales --shops 2 --days 6 --seed 7 >train6.csv
files='part.stat'
malloc_test 'adash-train --partial --block-rows: out of memory never leaves a half-written file' \
	train6.csv adash-train --partial --target sales --algo ridge --features footfall,price,shop_id --block-rows 4 -q -o part.stat
malloc_test 'adash-train --partial --block-rows, linucb: out of memory never leaves a half-written file' \
	train6.csv adash-train --partial --target sales --algo linucb --features footfall,price,shop_id --block-rows 4 -q -o part.stat
files=

# adash-eval: each mode, with its reference files read whole first.
printf '%s\n' shop_id,date,sales s01,2023-01-02,5 s02,2023-01-02,7 >ev-truth.csv
printf '%s\n' shop_id,date,pred,lo,hi s01,2023-01-02,4,1,6 s02,2023-01-02,9,8,10 s02,2023-01-03,1,0,2 >ev-fc.csv
printf '%s\n' label,score,g 1,0.9,a 0,0.2,a 1,0.4,b 0,0.7,b >ev-scored.csv
printf '%s\n' user_id,item_id u1,a u1,c u2,b >ev-rtruth.csv
printf '%s\n' user_id,rank,item_id,propensity u1,1,a,1 u1,2,b,0.5 u2,1,b,1 u3,1,a,1 >ev-layout.csv
printf '%s\n' user_id,item_id,rank,propensity,reward u1,a,1,0.5,1 u1,b,2,0.25,0 u2,b,1,0.8,1 >ev-logged.csv
malloc_test 'adash-eval --regression: a failed allocation exits 0 or 4 "out of memory"' \
	ev-fc.csv adash-eval --regression --truth ev-truth.csv --history small.csv --key shop_id --by shop_id
malloc_test 'adash-eval --ranking: a failed allocation exits 0 or 4 "out of memory"' \
	ev-layout.csv adash-eval --ranking --truth ev-rtruth.csv --by user_id
malloc_test 'adash-eval --policy: a failed allocation exits 0 or 4 "out of memory"' \
	ev-layout.csv adash-eval --policy --logged ev-logged.csv --bootstrap 20 --by user_id
files='ev-cal.csv ev-stats.json'
malloc_test 'adash-eval --calibration --stats: out of memory never leaves a half-written file' \
	ev-scored.csv adash-eval --classification --by g --calibration ev-cal.csv --stats ev-stats.json
files=

# adash-report: terminal charts, and a page, which is never left half-written
malloc_test 'adash-report --term: a failed allocation exits 0 or 4 "out of memory"' \
	"$TESTDATA/report/forecast.csv" adash-report --term --history "$TESTDATA/report/history.csv" --history-days 7
malloc_test 'adash-report --term --user: a failed allocation exits 0 or 4 "out of memory"' \
	"$TESTDATA/report/layout.csv" adash-report --term --user alice --forecast "$TESTDATA/report/forecast.csv" \
	--items "$TESTDATA/report/items.csv" --history-days 7
files='page.html'
malloc_test 'adash-report --user -o: out of memory never leaves a half-written page' \
	"$TESTDATA/report/layout.csv" adash-report --user alice -o page.html --forecast "$TESTDATA/report/forecast.csv" \
	--history "$TESTDATA/report/history.csv" --items "$TESTDATA/report/items.csv" --history-days 7
files=

# ---- writes ----------------------------------------------------------------

# no_file NAME: neither NAME nor a temporary file of it (".NAME.XXXXXX")
# exists.
no_file() {
	[ ! -e "$1" ] || { echo "$1 exists"; return 1; }
	for t in ."$1".*; do
		[ -e "$t" ] && { echo "temporary file $t left behind"; return 1; }
	done
	return 0
}

# fails_cleanly CODE PATTERN: the last command exited CODE ($rc) with one
# line on stderr (file err) matching PATTERN.
fails_cleanly() {
	[ "$rc" -eq "$1" ] || { echo "exit status $rc, expected $1"; cat err; return 1; }
	test_one_line err && test_grep "$2" err
}

test_expect_success 'adash-synth, stdout on a full device: exit 3, "write error"' '
	adash-synth sales --shops 2 --days 30 >/dev/full 2>err
	rc=$?
	fails_cleanly 3 "^adash-synth: write error: No space left on device\$"
'

test_expect_success 'adash-ingest, stdout on a full device: exit 3, "write error"' '
	adash-ingest --schema sales <small.csv >/dev/full 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: write error: No space left on device\$"
'

test_expect_success 'adash-ingest --infer, stdout on a full device: exit 3, "write error"' '
	adash-ingest --infer <small.csv >/dev/full 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: write error: "
'

test_expect_success 'stdout closed: exit 3, "write error"' '
	adash-synth sales --shops 2 --days 3 >&- 2>err
	rc=$?
	fails_cleanly 3 "^adash-synth: write error: " &&
	adash-ingest --schema sales <small.csv >&- 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: write error: "
'

if [ "$preload" = yes ]; then
	test_expect_success 'FAILWRITE_FD=1: adash-synth exits 3, "write error"' '
		FAILWRITE_FD=1 LD_PRELOAD=$FAILMALLOC adash-synth sales --shops 2 --days 3 >out 2>err
		rc=$?
		fails_cleanly 3 "^adash-synth: write error: No space left on device\$"
	'
	test_expect_success 'FAILWRITE_FD=1: adash-ingest exits 3, "write error"' '
		FAILWRITE_FD=1 LD_PRELOAD=$FAILMALLOC adash-ingest --schema events <small.ndjson >out 2>err
		rc=$?
		fails_cleanly 3 "^adash-ingest: write error: No space left on device\$"
	'
	# With only stdin, stdout and stderr open (3-9 are closed, in case the
	# test driver left some open), the first file a program creates gets
	# descriptor 3: here the --reject file, then (after it is closed) the
	# --stats file.
	test_expect_success 'a failed write to the --reject file: exit 3, no file' '
		FAILWRITE_FD=3 LD_PRELOAD=$FAILMALLOC \
			adash-ingest --schema sales --reject rej.ndjson <messy.csv >out 2>err \
			3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
		rc=$?
		fails_cleanly 3 "rej.ndjson: write error: No space left on device" &&
		no_file rej.ndjson
	'
	test_expect_success 'a failed write to the --stats file: exit 3, no file' '
		FAILWRITE_FD=3 LD_PRELOAD=$FAILMALLOC \
			adash-ingest --schema sales --stats stats.json <small.csv >out 2>err \
			3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
		rc=$?
		fails_cleanly 3 "stats.json: write error: No space left on device" &&
		no_file stats.json
	'
else
	for what in 'FAILWRITE_FD=1: adash-synth exits 3' 'FAILWRITE_FD=1: adash-ingest exits 3' \
		'a failed write to the --reject file' 'a failed write to the --stats file'; do
		test_skip "$what ($why_no_preload)"
	done
fi

# A file-size limit makes writes past it fail (EFBIG; SIGXFSZ is ignored),
# as a full file system would: the existing file keeps its old contents.
test_expect_success 'file-size limit: --items-out keeps the old file, exit 3' '
	printf "old\n" >items.csv &&
	(trap "" XFSZ; ulimit -f 1; exec adash-synth events --users 2 --items 300 --days 1 --items-out items.csv) >/dev/null 2>err
	rc=$?
	fails_cleanly 3 "^adash-synth: items.csv: write error: " &&
	test "$(cat items.csv)" = old &&
	rm items.csv && no_file items.csv
'

test_expect_success 'file-size limit: --reject keeps the old file, exit 3' '
	printf "old\n" >rej.ndjson &&
	(trap "" XFSZ; ulimit -f 1; exec adash-ingest --schema sales --reject rej.ndjson <bad.csv) >/dev/null 2>err
	rc=$?
	fails_cleanly 3 "rej.ndjson: write error: " &&
	test "$(cat rej.ndjson)" = old &&
	rm rej.ndjson && no_file rej.ndjson
'

test_expect_success '--stats into a directory that does not exist: exit 3, no file' '
	ls -A >before &&
	adash-ingest --schema sales --stats no-such-dir/stats.json <small.csv >out 2>err
	rc=$?
	fails_cleanly 3 "no-such-dir/stats.json" &&
	ls -A >after && grep -v "^\(err\|out\|before\|after\)\$" before >b && grep -v "^\(err\|out\|before\|after\)\$" after >a &&
	test_cmp b a
'

test_expect_success '--reject into a directory that does not exist: exit 3, no file' '
	ls -A >before &&
	adash-ingest --schema sales --reject no-such-dir/rej.ndjson <messy.csv >out 2>err
	rc=$?
	fails_cleanly 3 "no-such-dir/rej.ndjson" &&
	ls -A >after && grep -v "^\(err\|out\|before\|after\)\$" before >b && grep -v "^\(err\|out\|before\|after\)\$" after >a &&
	test_cmp b a
'

test_expect_success '--items-out into a directory that does not exist: exit 3' '
	adash-synth events --users 2 --items 4 --days 1 --items-out no-such-dir/items.csv >out 2>err
	rc=$?
	fails_cleanly 3 "no-such-dir/items.csv"
'

# ---- reads -------------------------------------------------------------------

test_expect_success 'input is a directory (stdin): exit 3, "read error"' '
	adash-ingest --schema sales <. >out 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: (stdin): read error: Is a directory\$"
'

test_expect_success 'input is a directory (operand): exit 3, "read error"' '
	adash-ingest --schema sales . >out 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: \.: read error: Is a directory\$"
'

test_expect_success 'stdin closed: exit 3, "read error"' '
	adash-ingest --schema sales <&- >out 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: (stdin): read error: "
'

test_expect_success 'schema file is a directory: exit 3' '
	adash-ingest --schema ./ <small.csv >out 2>err
	rc=$?
	fails_cleanly 3 "^adash-ingest: "
'

# truncation FILE ARG...: adash-ingest ARG... on every prefix of FILE exits
# 0 or 1 with at most one line on stderr.
truncation() {
	file=$1
	shift
	size=$(wc -c <"$file")
	n=0 bad=0
	while [ "$n" -le "$size" ]; do
		head -c "$n" "$file" >cut
		$limit adash-ingest "$@" <cut >out 2>err
		rc=$?
		lines=$(wc -l <err)
		if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; } || [ "$lines" -gt 1 ]; then
			bad=$((bad + 1))
			[ "$bad" -le 10 ] && echo "cut at byte $n: exit $rc, stderr: $(head -c 200 err | tr '\n' '|')"
		fi
		n=$((n + 1))
	done
	[ "$bad" -eq 0 ]
}

test_expect_success 'truncated CSV, cut at every byte: exit 0 or 1, one line' '
	truncation tricky.csv --input-format csv &&
	truncation messy.csv --schema sales --on-bad skip
'

test_expect_success 'truncated NDJSON, cut at every byte: exit 0 or 1, one line' '
	head -n 3 small.ndjson >three.ndjson &&
	truncation tricky.ndjson --input-format ndjson &&
	truncation three.ndjson --schema events --on-bad skip
'

test_done
