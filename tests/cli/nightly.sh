#!/bin/sh
# scripts/nightly.mk: a first run builds every target down to the
# dashboard; a second does nothing (make -q exits 0); new events rebuild the
# click model, the layouts and the dashboard but not the sales forecast; a
# failing step leaves no target behind, so the next run tries it again.
. "$top_srcdir/tests/lib.sh"

MK="$top_srcdir/scripts/nightly.mk"
# the suite may run under make: its flags and job server are not this make's
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
VARS="SALES=sales.csv EVENTS=events.ndjson ITEMS=items.csv OUT=nightly ASOF=2024-01-31"

if ! command -v make >/dev/null 2>&1; then
	test_skip 'no make'
	test_done
fi

adash-synth sales --shops 3 --days 120 --seed 3 >sales.csv
adash-synth events --users 30 --items 12 --days 30 --seed 3 --shops 3 --items-out items.csv \
	--output-format ndjson >events.ndjson

# mtime FILE: seconds and nanoseconds of the last change.
mtime() {
	stat -c %.9Y "$1"
}

test_expect_success 'the first run builds everything down to the dashboard' '
	make -s -f "$MK" $VARS >out 2>err &&
	for f in sales.clean.csv sales.features.csv sales.model forecast.csv events.clean.csv \
		clicks.train.csv click.model layout.csv dashboard/index.html sales.cv.txt clicks.cv.txt; do
		test -s "nightly/$f" || { echo "no nightly/$f"; return 1; }
	done &&
	test "$(ls nightly/dashboard | wc -l)" = 31 &&
	! test -e nightly/dashboard.tmp
'

test_expect_success 'a second run does nothing: make -q exits 0' '
	make -q -f "$MK" $VARS &&
	make -f "$MK" $VARS >out &&
	test_grep "Nothing to be done" out
'

test_expect_success 'new events rebuild the layouts and the dashboard, not the forecast' '
	find nightly sales.csv events.ndjson items.csv -exec touch -d "2 minutes ago" {} + &&
	touch events.ndjson &&
	! make -q -f "$MK" $VARS &&
	before=$(mtime nightly/forecast.csv) layout=$(mtime nightly/layout.csv) &&
	make -s -f "$MK" $VARS &&
	test "$(mtime nightly/forecast.csv)" = "$before" &&
	test "$(mtime nightly/sales.model)" = "$(mtime nightly/sales.features.csv)" &&
	test "$(mtime nightly/layout.csv)" != "$layout" &&
	make -q -f "$MK" $VARS
'

test_expect_success 'new sales rebuild the forecast and the dashboard, not the click model' '
	find nightly sales.csv events.ndjson items.csv -exec touch -d "2 minutes ago" {} + &&
	touch sales.csv &&
	click=$(mtime nightly/click.model) page=$(mtime nightly/dashboard/index.html) &&
	make -s -f "$MK" $VARS &&
	test "$(mtime nightly/click.model)" = "$click" &&
	test "$(mtime nightly/dashboard/index.html)" != "$page" &&
	make -q -f "$MK" $VARS
'

test_expect_success 'a new day (ASOF) rebuilds the layouts and the dashboard, nothing else' '
	find nightly sales.csv events.ndjson items.csv -exec touch -d "2 minutes ago" {} + &&
	fc=$(mtime nightly/forecast.csv) click=$(mtime nightly/click.model) layout=$(mtime nightly/layout.csv) &&
	! make -q -f "$MK" SALES=sales.csv EVENTS=events.ndjson ITEMS=items.csv OUT=nightly ASOF=2024-01-30 &&
	make -s -f "$MK" SALES=sales.csv EVENTS=events.ndjson ITEMS=items.csv OUT=nightly ASOF=2024-01-30 &&
	test "$(mtime nightly/forecast.csv)" = "$fc" &&
	test "$(mtime nightly/click.model)" = "$click" &&
	test "$(mtime nightly/layout.csv)" != "$layout" &&
	test "$(ls nightly | grep -c "^asof-")" = 1 &&
	make -s -f "$MK" $VARS &&
	make -q -f "$MK" $VARS
'

test_expect_success 'with ASOF=now, the day is the stamp: a second run the same day does nothing' '
	make -s -f "$MK" SALES=sales.csv EVENTS=events.ndjson ITEMS=items.csv OUT=nightly ASOF=now &&
	test -f "nightly/asof-$(date -u +%Y-%m-%d)" &&
	make -q -f "$MK" SALES=sales.csv EVENTS=events.ndjson ITEMS=items.csv OUT=nightly ASOF=now &&
	make -s -f "$MK" $VARS
'

test_expect_success 'the dashboard is the one a direct run of the pipeline gives' '
	adash-ingest -q --schema events --output-format csv <events.ndjson >ev.csv &&
	adash-features --events --items items.csv --log1p counts --asof 2024-01-31 <ev.csv |
		adash-explain -m nightly/click.model --top 2 |
		adash-rank -m nightly/click.model --top 8 --explore egreedy:0.05 --seed 7 >layout.csv &&
	cmp layout.csv nightly/layout.csv
'

test_expect_success 'a failing step leaves no target; the next run tries it again' '
	find nightly sales.csv events.ndjson items.csv -exec touch -d "2 minutes ago" {} + &&
	cp items.csv items.good &&
	printf "item_id,item_type\nw01,kpi\nw01,kpi\n" >items.csv &&
	! make -s -f "$MK" $VARS 2>err &&
	test ! -e nightly/clicks.train.csv &&
	! make -q -f "$MK" $VARS &&
	cp items.good items.csv &&
	make -s -f "$MK" $VARS &&
	make -q -f "$MK" $VARS
'

test_expect_success 'a failure inside a pipeline fails its step' '
	find nightly sales.csv events.ndjson items.csv -exec touch -d "2 minutes ago" {} + &&
	cp nightly/click.model click.good &&
	echo "{" >nightly/click.model &&
	touch nightly/click.model &&
	! make -s -f "$MK" $VARS 2>err &&
	test ! -e nightly/layout.csv &&
	cp click.good nightly/click.model &&
	make -s -f "$MK" $VARS &&
	make -q -f "$MK" $VARS
'

test_done
