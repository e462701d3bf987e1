#!/bin/sh
# adash-report: pages with cards in ranked order, charts with the points of
# the history window and the forecast, the total's history summed from its
# series, every string from the data escaped (titles, reasons, user ids,
# file names), the same bytes for the same inputs, the terminal chart of a
# fixture against golden files (braille and ASCII), streaming users and
# its refusals, and the exit codes of bad input and usage.
. "$top_srcdir/tests/lib.sh"

R="$TESTDATA/report"
PAGES="--layout $R/layout.csv --forecast $R/forecast.csv --history $R/history.csv --items $R/items.csv --history-days 7"

# ranks FILE: the data-rank of each card, in page order, on one line.
ranks() {
	grep -o '<article class="[a-z ]*" id="card-[0-9]*" data-rank="[0-9]*"' "$1" |
		sed 's/.*data-rank="\([0-9]*\)"/\1/' | tr '\n' ' '
}

# width FILE: the longest line of FILE in characters (UTF-8 continuation
# bytes not counted), headings aside.
width() {
	sed "s/[$(printf '\200-\277')]//g" "$1" | awk '!/^[a-z]/ && length($0) > w { w = length($0) } END { print w + 0 }'
}

# points FILE CLASS: for each polyline or polygon of CLASS, "declared:counted".
points() {
	grep -o "class=\"$2\" data-points=\"[0-9]*\" points=\"[^\"]*\"" "$1" |
		sed 's/.*data-points="\([0-9]*\)" points="\([^"]*\)"/\1 \2/' |
		awk '{ printf "%s:%d ", $1, NF - 1 }'
}

test_expect_success '--all: index.html and one page per user, cards in ranked order' '
	adash-report $PAGES --all -o dash &&
	test -f dash/index.html && test -f dash/alice.html &&
	test "$(ranks dash/alice.html)" = "1 2 3 4 " &&
	test "$(grep -o "data-item=\"[^\"]*\"" dash/alice.html | tr "\n" " ")" = "data-item=\"w1\" data-item=\"w3\" data-item=\"w2\" data-item=\"w4\" " &&
	test "$(ls dash | wc -l)" = 3
'

test_expect_success 'a user id is a safe file name, linked from the index' '
	adash-report $PAGES --all -o dash &&
	test -f "dash/_2e_2e_2fbob_3cb_3e.html" &&
	! test -e bob* && ! test -e "dash/../bob<b>.html" &&
	test_grep "<a href=\"_2e_2e_2fbob_3cb_3e.html\">../bob&lt;b&gt;</a>" dash/index.html &&
	test_grep "<a href=\"alice.html\">alice</a>" dash/index.html
'

test_expect_success 'hostile strings are escaped: a <script> title is text, never markup' '
	adash-report $PAGES --all -o dash &&
	! grep -q "<script" dash/*.html &&
	! grep -q "<img" dash/*.html &&
	! grep -q "<b>" dash/*.html &&
	test_grep "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" dash/alice.html &&
	test_grep "Tom &amp; Jerry&#39;s &quot;best&quot;" dash/alice.html &&
	test_grep "&lt;img src=x onerror=alert(1)&gt;" dash/alice.html &&
	test_grep "a reason &amp; another" dash/_2e_2e_2fbob_3cb_3e.html &&
	test_grep "data-item=\"w4\"" dash/alice.html
'

test_expect_success 'cards: title from the catalog (the id without one), type, reasons' '
	adash-report $PAGES --user alice >alice.html &&
	test_grep "<h2>Sales of all shops</h2><span class=\"type\">kpi</span>" alice.html &&
	test_grep "<h2>w4</h2><span class=\"type\">table</span>" alice.html &&
	test_grep "<li>opened 5 times in the last 7 days</li>" alice.html &&
	test_grep "score 0.9 &middot; pinned by the user" alice.html &&
	test "$(grep -c "<li>" alice.html)" = 4
'

test_expect_success 'charts: a series widget, a kpi widget shows the total, the total heads the page' '
	adash-report $PAGES --user alice >alice.html &&
	test "$(grep -c "<svg class=\"chart\"" alice.html)" = 3 &&
	test "$(grep -c "<title>s1</title>" alice.html)" = 1 &&
	test "$(grep -c "<title>total</title>" alice.html)" = 2
'

test_expect_success 'charts: the history window and the forecast, every point drawn' '
	adash-report $PAGES --user alice >alice.html &&
	# total (6 days on which both series have a value), s1 (7 days of the
	# window 2024-01-04..10), the total again; 5 forecast steps each
	test "$(points alice.html history)" = "6:6 7:7 6:6 " &&
	test "$(points alice.html forecast)" = "5:5 5:5 5:5 " &&
	test "$(points alice.html band)" = "10:10 10:10 10:10 " &&
	adash-report $PAGES --history-days 3 --user alice >short.html &&
	test "$(points short.html history)" = "3:3 3:3 3:3 "
'

test_expect_success 'charts: the final prediction, its interval and the last value are labelled' '
	adash-report $PAGES --user alice >alice.html &&
	test_grep ">last 111</text>" alice.html &&
	test_grep ">117</text>" alice.html &&
	test_grep ">hi 139</text>" alice.html &&
	test_grep ">lo 96</text>" alice.html &&
	test_grep ">2024-01-04</text>" alice.html
'

test_expect_success 'self-contained: no script, no link, no URL but the index' '
	adash-report $PAGES --all -o dash &&
	! grep -qi "<script\|<link\|<img\|<iframe\|<object\|@import\|url(" dash/*.html &&
	! grep -qiE "<[a-z]+ [^>]*src=" dash/*.html &&
	test "$(grep -o "https\?://[^\"]*" dash/alice.html | sort -u)" = "http://www.w3.org/2000/svg"
'

test_expect_success 'the same inputs give the same bytes' '
	adash-report $PAGES --all -o a &&
	adash-report $PAGES --all -o b &&
	diff -r a b &&
	adash-report $PAGES --user alice >one.html &&
	adash-report $PAGES --user alice -o two.html &&
	cmp one.html two.html
'

test_expect_success 'a page is linked to the index only with --all' '
	adash-report $PAGES --user alice >alice.html &&
	! grep -q "index.html" alice.html &&
	adash-report $PAGES --all -o dash &&
	test_grep "<a href=\"index.html\">all users</a>" dash/alice.html
'

test_expect_success 'no temporary files are left; a second run replaces the pages' '
	adash-report $PAGES --all -o dash &&
	adash-report $PAGES --all -o dash &&
	test "$(ls -a dash | wc -l)" = 5
'

test_expect_success 'the layout from stdin; without forecast or catalog, cards alone' '
	adash-report --all -o bare <"$R/layout.csv" &&
	test "$(ranks bare/alice.html)" = "1 2 3 4 " &&
	! grep -q "<svg" bare/alice.html &&
	test_grep "<h2>w1</h2>" bare/alice.html
'

test_expect_success 'NDJSON layout gives the same pages' '
	adash-ingest --output-format ndjson <"$R/layout.csv" >layout.ndjson &&
	adash-report --forecast "$R/forecast.csv" --history "$R/history.csv" --items "$R/items.csv" \
		--history-days 7 --all -o nd layout.ndjson &&
	adash-report $PAGES --all -o csv &&
	diff -r nd csv
'

test_expect_success '--term: braille chart of a fixture (golden)' '
	COLUMNS=60 adash-report --term --history "$R/history.csv" --history-days 7 <"$R/forecast.csv" >term.txt &&
	test_cmp "$TESTDATA/golden/report-term.txt" term.txt
'

test_expect_success '--term --ascii: plain ASCII (golden)' '
	adash-report --term --ascii --width 50 --height 6 --history "$R/history.csv" --history-days 7 \
		"$R/forecast.csv" >ascii.txt &&
	test_cmp "$TESTDATA/golden/report-term-ascii.txt" ascii.txt &&
	! LC_ALL=C grep -q "[^ -~]" ascii.txt
'

test_expect_success '--term --user: the dashboard of a user as text (golden)' '
	adash-report --term --user alice $PAGES --width 60 --height 6 >user.txt &&
	test_cmp "$TESTDATA/golden/report-term-user.txt" user.txt &&
	adash-report --term --user alice --forecast "$R/forecast.csv" --history "$R/history.csv" \
		--items "$R/items.csv" --history-days 7 --width 60 --height 6 <"$R/layout.csv" >stdin.txt &&
	cmp user.txt stdin.txt
'

test_expect_success '--term: control characters of the data are shown as ?, never sent to the terminal' '
	printf "k,date,pred\n\"a\033[2Jb\302\233c\",2024-01-01,1\n" | adash-report --term --ascii --width 30 >esc.txt &&
	test "$(head -n 1 esc.txt | cut -d: -f1)" = "a?[2Jb?c" &&
	! grep -q "$(printf "\033")" esc.txt &&
	printf "user_id,rank,item_id,reason_1\nu,1,\"w\033]0;x\007\",\"r\033[31m\"\n" >l.csv &&
	adash-report --term --user u l.csv >esc.txt &&
	! grep -q "$(printf "\033")" esc.txt &&
	test_grep "w?]0;x?" esc.txt
'

test_expect_success '--term: sized to COLUMNS and --width' '
	for w in 40 80 132; do
		COLUMNS=$w adash-report --term <"$R/forecast.csv" >t.txt &&
		test "$(width t.txt)" -le $w && test "$(width t.txt)" -ge $((w - 2)) ||
		{ echo "COLUMNS=$w: $(width t.txt) columns"; return 1; }
	done &&
	COLUMNS=200 adash-report --term --width 50 --ascii <"$R/forecast.csv" >t.txt &&
	test "$(width t.txt)" -le 50
'

test_expect_success '--term: a forecast without history or interval' '
	cut -d, -f1-4 "$R/forecast.csv" | adash-report --term --ascii --width 40 >t.txt &&
	test_grep "^s1: forecast 117 on 2024-01-15\$" t.txt &&
	! grep -q ":" t.txt.none 2>/dev/null
'

test_expect_success '-v says what was written' '
	adash-report $PAGES --all -o dash -v 2>err &&
	test_grep "2 user pages and index.html in dash" err
'

test_expect_success 'the user "index" does not take the index'"'"'s name; a long id is cut and fingerprinted' '
	printf "user_id,rank,item_id\nindex,1,w1\nbob,1,w2\n" >ix.csv &&
	adash-report --all -o ix ix.csv &&
	test -f "ix/index~.html" && test -f ix/bob.html &&
	test_grep "href=\"index~.html\">index</a>" ix/index.html &&
	dots=$(printf "%0300d" 0 | tr 0 .) &&
	{ echo user_id,rank,item_id; printf "%s,1,w1\n%s,1,w1\n" "a$dots" "b$dots"; } >long.csv &&
	adash-report --all -o lg long.csv &&
	test "$(ls lg | wc -l)" = 3 &&
	test "$(ls lg | awk "length(\$0) > 230" | wc -l)" = 0 &&
	test "$(ls lg | grep -c "~[0-9a-f]\{16\}\.html")" = 2
'

test_expect_success 'a layout found wrong later never replaces a good page' '
	printf "user_id,rank,item_id\nu1,1,w1\nu2,1,w1\nu1,2,w2\n" >s.csv &&
	echo good >p.html &&
	{ adash-report --user u1 -o p.html s.csv 2>err; test $? = 1; } &&
	test "$(cat p.html)" = good &&
	! ls -a | grep -q "^\.p\.html"
'

test_expect_success 'reason columns are looked up in every layout file' '
	printf "user_id,rank,item_id\nx1,1,w1\n" >lf1.csv &&
	printf "user_id,rank,item_id,a,b,c,d,e,f,g,reason_1\ny1,1,w1,,,,,,,,yes\n" >lr1.csv &&
	adash-report --user y1 lf1.csv lr1.csv >y.html &&
	test "$(grep -c "<li>yes</li>" y.html)" = 1 &&
	adash-report --user x1 lr1.csv lf1.csv >x.html &&
	! grep -q "<li>" x.html
'

test_expect_success 'a single day is drawn as a dot and its interval as a bar' '
	printf "k,date,pred,lo,hi\na,2024-01-01,5,4,6\n" >f1.csv &&
	printf "item_id,item_type,title,series\nw1,kpi,A,a\n" >i1.csv &&
	printf "user_id,rank,item_id\nu,1,w1\n" >l1.csv &&
	adash-report --user u --forecast f1.csv --items i1.csv l1.csv >one.html &&
	test_grep "<circle class=\"forecast\"" one.html &&
	test_grep "<line class=\"bar\"" one.html
'

test_expect_success 'the largest and the smallest numbers give finite charts' '
	for pair in "1.7e308 -1.7e308" "5e-324 1e-323" "-1e300 1.7e308" "0 0"; do
		set -- $pair &&
		printf "k,date,pred\na,2024-01-01,%s\na,2024-01-02,%s\n" "$1" "$2" >x.csv &&
		printf "item_id,item_type,title,series\nw1,kpi,A,a\n" >i1.csv &&
		adash-report --user u --forecast x.csv --items i1.csv l1.csv >x.html &&
		! grep -qi "nan\|inf" x.html &&
		adash-report --term --height 2 x.csv >x.txt &&
		! grep -qi "nan\|inf" x.txt || return 1
	done
'

test_expect_success 'control characters of the data are U+FFFD in pages' '
	printf "user_id,rank,item_id,reason_1\nu,1,w1,\"a\033b\001c\177d\302\205e\tf\"\n" >cc.csv &&
	adash-report --user u cc.csv >cc.html &&
	! grep -q "$(printf "\033")" cc.html &&
	test_grep "a$(printf "\357\277\275")b$(printf "\357\277\275")c$(printf "\357\277\275")d$(printf "\357\277\275")e" cc.html
'

test_expect_code 1 'a user whose rows are not together is refused' '
	{ head -2 "$R/layout.csv"; grep "^\.\./bob" "$R/layout.csv"; grep "^alice" "$R/layout.csv" | tail -1; } >split.csv &&
	adash-report --all -o d split.csv
'

test_expect_success 'the message names the user and the line' '
	{ head -2 "$R/layout.csv"; grep "^\.\./bob" "$R/layout.csv"; grep "^alice" "$R/layout.csv" | tail -1; } >split.csv &&
	! adash-report --all -o d split.csv 2>err &&
	test_one_line err &&
	test_grep "split.csv:5: column \"user_id\": the rows of user \"alice\" are not together" err
'

test_expect_code 1 'two widgets at one rank are refused' '
	printf "user_id,rank,item_id\nu,1,a\nu,1,b\n" >dup.csv &&
	adash-report --all -o d dup.csv
'

test_expect_code 1 'a rank that is not a positive integer is refused' '
	printf "user_id,rank,item_id\nu,1.5,a\n" >bad.csv &&
	adash-report --all -o d bad.csv
'

test_expect_code 1 '--user with no rows in the layout' '
	adash-report $PAGES --user nobody
'

test_expect_code 1 'a forecast without pred' '
	cut -d, -f1,2 "$R/forecast.csv" >nopred.csv &&
	adash-report --term nopred.csv
'

test_expect_code 1 'a forecast with a bad date' '
	printf "k,date,pred\na,2024-13-01,1\n" | adash-report --term
'

test_expect_code 1 'a forecast with a day twice' '
	printf "k,date,pred\na,2024-01-01,1\na,2024-01-01,2\n" | adash-report --term
'

test_expect_code 1 'history with a value that is not a number' '
	printf "shop_id,date,sales\ns1,2024-01-10,abc\n" >h.csv &&
	adash-report --term --history h.csv "$R/forecast.csv"
'

test_expect_code 1 'a catalog with an item twice' '
	printf "item_id,title\nw1,a\nw1,b\n" >it.csv &&
	adash-report --items it.csv --all -o d "$R/layout.csv"
'

test_expect_code 1 'a layout without item_id' '
	cut -d, -f1,2 "$R/layout.csv" >l.csv &&
	adash-report --all -o d l.csv
'

test_expect_code 2 'neither --user, --all nor --term' 'adash-report "$R/layout.csv"'
test_expect_code 2 '--user and --all together' 'adash-report --user a --all -o d "$R/layout.csv"'
test_expect_code 2 '--all without -o' 'adash-report --all "$R/layout.csv"'
test_expect_code 2 '--term with --layout' 'adash-report --term --layout "$R/layout.csv"'
test_expect_code 2 '--term --user with --all' 'adash-report --term --user alice --all "$R/layout.csv"'
test_expect_code 2 '--term --user with -o' 'adash-report --term --user alice -o x.txt "$R/layout.csv"'
test_expect_code 2 '--ascii without --term' 'adash-report --ascii --all -o d "$R/layout.csv"'
test_expect_code 2 '--width out of range' 'adash-report --term --width 5 "$R/forecast.csv"'
test_expect_code 2 '--history-days 0' 'adash-report --term --history-days 0 "$R/forecast.csv"'
test_expect_code 3 'a layout that cannot be read' 'adash-report --all -o d no-such.csv'
test_expect_code 3 'a forecast that cannot be read' 'adash-report --forecast no-such.csv --all -o d "$R/layout.csv"'
test_expect_code 3 '-o DIR where a file is in the way' '
	: >file && adash-report --all -o file "$R/layout.csv"
'
test_expect_code 3 'a page that cannot be written' '
	adash-report --user alice -o no-such-dir/alice.html "$R/layout.csv"
'

test_expect_success 'a closed pipe ends --term quietly' '
	awk -F, -v OFS=, "NR == 1 { print; next } { for (k = 0; k < 300; k++) { \$1 = \$1 \"-\" k; print } }" "$R/forecast.csv" >many.csv &&
	{ adash-report --term many.csv 2>err; echo $? >status; } | head -1 >/dev/null &&
	status=$(cat status) && { test "$status" -eq 141 || test "$status" -eq 0; } && test ! -s err
'

test_done
