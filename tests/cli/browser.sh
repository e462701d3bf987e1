#!/bin/sh
# adash-report in a real browser: headless Chromium (Debian's chromium)
# loads generated pages from file://, dumps the DOM it built and takes a
# screenshot.  The DOM must have the cards in ranked order, each chart's
# lines with the number of points the page says (the DOM's own points, not
# the page's text), the hostile title as text, and no script; the
# screenshot must not be blank (many colours, much of it not background:
# checked with python3 when there, else by its size against a blank
# page's).  Skipped when chromium is missing (scripts/check installs it).
. "$top_srcdir/tests/lib.sh"

R="$TESTDATA/report"

if ! command -v chromium >/dev/null 2>&1; then
	test_skip 'no chromium: the browser tests'
	test_done
fi

# browse ARGS... URL: headless Chromium with a fresh profile, nothing from
# the network, output on stdout.
browse() {
	rm -rf "$TRASH/profile"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-dev-shm-usage --user-data-dir="$TRASH/profile" "$@" 2>>"$TRASH/chromium.err"
}

adash-report --layout "$R/layout.csv" --forecast "$R/forecast.csv" --history "$R/history.csv" \
	--items "$R/items.csv" --history-days 7 --all -o dash

test_expect_success 'the page loads from file:// and the DOM has the cards in ranked order' '
	browse --dump-dom "file://$TRASH/dash/alice.html" >dom.html &&
	test_grep "<title>Dashboard of alice</title>" dom.html &&
	test "$(grep -o "data-rank=\"[0-9]*\"" dom.html | tr -dc "0-9")" = 1234 &&
	test "$(grep -o "data-item=\"[^\"]*\"" dom.html | tr "\n" " ")" = "data-item=\"w1\" data-item=\"w3\" data-item=\"w2\" data-item=\"w4\" "
'

test_expect_success 'the DOM has the charts with the expected number of points' '
	test "$(grep -c "<svg" dom.html)" = 3 &&
	grep -o "<polyline class=\"[a-z]*\" data-points=\"[0-9]*\" points=\"[^\"]*\"" dom.html |
		sed "s/.*class=\"\\([a-z]*\\)\" data-points=\"\\([0-9]*\\)\" points=\"\\([^\"]*\\)\"/\\1 \\2 \\3/" |
		awk "{ printf \"%s:%s:%d \", \$1, \$2, NF - 2 }" >counts &&
	test "$(cat counts)" = "history:6:6 forecast:5:5 history:7:7 forecast:5:5 history:6:6 forecast:5:5 "
'

test_expect_success 'the hostile title is text in the DOM; nothing ran' '
	! grep -qi "<script" dom.html &&
	! grep -qi "<img" dom.html &&
	test_grep "&lt;script&gt;alert(\"x\")&lt;/script&gt;" dom.html
'

test_expect_success 'the index links to every page' '
	browse --dump-dom "file://$TRASH/dash/index.html" >index.html &&
	test "$(grep -c "<a href=" index.html)" = 2 &&
	test_grep "href=\"_2e_2e_2fbob_3cb_3e.html\"" index.html
'

# png_check FILE: "ok" when the image has more than 20 colours and more
# than 3% of its pixels differ from the most common one (the background).
png_check() {
	python3 - "$1" <<-\PY
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
	pos, idat = 8, b""
	while pos < len(data):
	    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if kind == b"IHDR":
	        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
	    elif kind == b"IDAT":
	        idat += body
	    pos += 12 + n
	assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
	bpp = 3 if ctype == 2 else 4
	raw, stride = zlib.decompress(idat), w * bpp
	prev, counts, i = bytearray(stride), {}, 0
	for y in range(h):
	    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
	    i += 1 + stride
	    for x in range(stride):
	        a = line[x - bpp] if x >= bpp else 0
	        b = prev[x]
	        c = prev[x - bpp] if x >= bpp else 0
	        if f == 1: line[x] = (line[x] + a) & 255
	        elif f == 2: line[x] = (line[x] + b) & 255
	        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
	        elif f == 4:
	            p = a + b - c
	            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    if y % 2 == 0:
	        for x in range(0, stride, bpp * 2):
	            px = bytes(line[x:x + 3])
	            counts[px] = counts.get(px, 0) + 1
	    prev = line
	total = sum(counts.values())
	other = 1 - max(counts.values()) / total
	print("ok" if len(counts) > 20 and other > 0.03 else "blank: %d colours, %.1f%% not background" % (len(counts), 100 * other))
	PY
}

test_expect_success 'the screenshot is not blank' '
	browse --window-size=1000,900 --screenshot="$TRASH/shot.png" "file://$TRASH/dash/alice.html" >/dev/null &&
	test -s shot.png &&
	if command -v python3 >/dev/null 2>&1; then
		test "$(png_check shot.png)" = ok
	else
		printf "<!DOCTYPE html><title>blank</title>" >blank.html &&
		browse --window-size=1000,900 --screenshot="$TRASH/blank.png" "file://$TRASH/blank.html" >/dev/null &&
		test "$(wc -c <shot.png)" -gt $((4 * $(wc -c <blank.png)))
	fi
'

test_expect_success 'a blank page fails the same check (the check can fail)' '
	if command -v python3 >/dev/null 2>&1; then
		printf "<!DOCTYPE html><title>blank</title>" >blank.html &&
		browse --window-size=1000,900 --screenshot="$TRASH/blank.png" "file://$TRASH/blank.html" >/dev/null &&
		test "$(png_check blank.png | cut -c 1-5)" = blank
	fi
'

test_done
