# tests/lib.sh: a small TAP library for the command-line tests, in the shape
# of git's test-lib.sh.  Source it, then:
#
#   test_expect_success 'what it checks' '
#       adash-ingest --schema sales <"$TESTDATA/sales-small.csv" >actual &&
#       test_cmp "$TESTDATA/golden/sales-small.clean.csv" actual
#   '
#   test_expect_code 1 'bad row fails' 'adash-ingest --schema sales <bad.csv'
#   test_done
#
# Each script runs in its own scratch directory ($TRASH); commands run with
# `set -e` off, chained with &&, as in git's suite.  Programs come from PATH
# (the build directory is put first by the Makefile).

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
TESTDATA="$top_srcdir/testdata"
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/adash-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT
cd "$TRASH" || exit 1
test_count=0
test_failed=0
export TESTDATA TRASH LC_ALL=C

say_result() {
	test_count=$((test_count + 1))
	if [ "$1" = ok ]; then
		echo "ok $test_count - $2"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $2"
	fi
}

test_expect_success() {
	if (eval "$2") >"$TRASH/.out" 2>&1; then
		say_result ok "$1"
	else
		say_result fail "$1"
		sed 's/^/#   /' "$TRASH/.out" | head -40
	fi
}

test_expect_failure_is_bug() { :; }

# test_expect_code CODE 'desc' 'command': the command's exit status must be
# CODE exactly (so a crash, 134 or 139, is never mistaken for an error exit).
test_expect_code() {
	( eval "$3" ) >"$TRASH/.out" 2>"$TRASH/.err"
	got=$?
	if [ "$got" -eq "$1" ]; then
		say_result ok "$2"
	else
		say_result fail "$2"
		echo "#   exit status $got, expected $1"
		sed 's/^/#   stderr: /' "$TRASH/.err" | head -20
	fi
}

# test_cmp EXPECTED ACTUAL: identical files, with a diff when not.
test_cmp() {
	diff -u "$1" "$2"
}

# test_line_count OP N FILE, e.g. test_line_count = 3 out
test_line_count() {
	n=$(wc -l <"$3")
	[ "$n" "$1" "$2" ] || { echo "line count of $3: $n, expected $1 $2"; return 1; }
}

# test_grep PATTERN FILE: like grep -q, showing the file when it fails.
test_grep() {
	grep -q -- "$1" "$2" || { echo "no match for '$1' in $2:"; head -20 "$2"; return 1; }
}

# test_one_line FILE: stderr messages are one line.
test_one_line() {
	test_line_count = 1 "$1"
}

# test_must_be_empty_file FILE: FILE exists and is empty, showing it when not.
test_must_be_empty_file() {
	test -f "$1" || { echo "$1 does not exist"; return 1; }
	if test -s "$1"; then
		echo "$1 is not empty:"; head -20 "$1"; return 1
	fi
}

# stat_val FILE KEY: a top-level count of an --stats file (jansson writes one
# key per line, indented by two).  reason_val FILE REASON: a by_reason count.
stat_val() {
	sed -n "s/^  \"$2\": \\([0-9][0-9]*\\),\\{0,1\\}\$/\\1/p" "$1"
}
reason_val() {
	sed -n "s/^    \"$2\": \\([0-9][0-9]*\\),\\{0,1\\}\$/\\1/p" "$1"
}

# check_invariant STATS: rows_in = rows_out + rows_rejected + rows_dropped.
check_invariant() {
	i=$(stat_val "$1" rows_in) o=$(stat_val "$1" rows_out)
	r=$(stat_val "$1" rows_rejected) d=$(stat_val "$1" rows_dropped)
	test -n "$i" && test -n "$o" && test -n "$r" && test -n "$d" ||
		{ echo "counts missing in $1:"; cat "$1"; return 1; }
	test "$i" -eq $((o + r + d)) ||
		{ echo "rows_in $i != rows_out $o + rows_rejected $r + rows_dropped $d"; return 1; }
}

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP $1"
}

test_done() {
	echo "1..$test_count"
	exit 0
}
