#!/bin/sh
# Documentation that cannot drift (git tests -h against its SYNOPSIS, Miller
# runs the commands in its docs):
#
#  1. every man page renders without a warning;
#  2. every long option a program's --help prints appears in its man page;
#  3. every command in the EXAMPLES section of a program's man page runs.
#
# Convention for (3): in the EXAMPLES section, an example command is a line of
# a .EX/.EE block that starts with "$ "; a line ending in a backslash (\e in
# the source) continues on the next line.  The commands of one page run in
# order, each with sh, in one scratch directory, so an example may use the
# files that earlier ones made; each must exit 0.  The lines that follow a
# command, up to the next command or the end of the block, show its output:
# when there are any, standard output must be exactly those lines.
. "$top_srcdir/tests/lib.sh"

mandir="$top_srcdir/man"
pages="adash.7 adash-synth.1 adash-ingest.1 adash-features.1 adash-train.1 adash-forecast.1 adash-rank.1 adash-explain.1 adash-eval.1 adash-report.1"
programs="adash-synth adash-ingest adash-features adash-train adash-forecast adash-rank adash-explain adash-eval adash-report"

# ---- 1. rendering --------------------------------------------------------

# render_warnings PAGE: the formatter's warnings; nothing when the page is
# clean.  man(1) when there is one (it runs the preprocessors a reader's man
# would), else groff itself.
render_warnings() {
	if command -v man >/dev/null 2>&1; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null
	else
		LC_ALL=C.UTF-8 groff -man -ww -z "$1" 2>&1
	fi
}

for page in $pages; do
	if ! command -v man >/dev/null 2>&1 && ! command -v groff >/dev/null 2>&1; then
		test_skip "$page renders without warnings (neither man nor groff here)"
		continue
	fi
	test_expect_success "$page renders without warnings" '
		test -s "$mandir/$page" &&
		render_warnings "$mandir/$page" >warnings &&
		{ ! test -s warnings || { cat warnings; false; }; }
	'
done

# ---- 2. options ----------------------------------------------------------

# The long options in --help (what matches --[a-z-]+, examples included) must
# each be in the page, as \-\-name or --name: the source's "\-" is read as
# "-", and a name must not run on into a longer one (--items is not found in
# --items-out).
for prog in $programs; do
	test_expect_success "every option in $prog --help is in $prog.1" '
		"$prog" --help >help &&
		grep -o -e "--[a-z][a-z-]*" help | sort -u >options &&
		test -s options &&
		sed "s/\\\\-/-/g" "$mandir/$prog.1" >page &&
		missing= &&
		while read -r opt; do
			grep -q -E -e "$opt([^a-z-]|\$)" page || missing="$missing $opt"
		done <options &&
		{ test -z "$missing" || { echo "not in $prog.1:$missing"; false; }; }
	'
done

# ---- 3. examples ---------------------------------------------------------

# unroff: turns the escapes an example command may use back into what a
# reader types.  Backslashes (\e, \\, \(rs) go through a placeholder, so that
# the "\e" of "\e-" is not taken for the start of "\-".
unroff() {
	sed -e 's/\\e/@BS@/g' -e 's/\\\\/@BS@/g' -e 's/\\(rs/@BS@/g' \
	    -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	    -e 's/\\(ti/~/g' -e 's/\\(ha/^/g' -e 's/\\(ga/`/g' -e 's/\\&//g' \
	    -e 's/\\(em/--/g' -e 's/\\(en/-/g' \
	    -e 's/@BS@/\\/g'
}

# extract_examples PAGE: writes each example command of PAGE, continuation
# lines included as written, to a file cmd.1, cmd.2, ... in the current
# directory, the output shown for it, if any, to out.1, out.2, ..., and
# prints the number of commands.
extract_examples() {
	unroff <"$1" | awk '
		function emit() { n++; f = "cmd." n; print cmd > f; close(f); shown = 1 }
		function done() { if (out != "") close(out); out = ""; shown = 0 }
		/^\.SH/ { done(); in_ex = ($0 ~ /^\.SH[ \t]+"?EXAMPLES"?[ \t]*$/); block = 0; next }
		!in_ex { next }
		/^\.EX/ { block = 1; next }
		/^\.EE/ { done(); block = 0; cont = 0; next }
		!block { next }
		cont { cmd = cmd "\n" $0; cont = /\\$/; if (!cont) emit(); next }
		/^\$ / { done(); cmd = substr($0, 3); cont = /\\$/; if (!cont) emit(); next }
		shown { if (out == "") out = "out." n; print > out }
		END { done(); print n + 0 }
	'
}

for prog in $programs; do
	dir="$TRASH/examples-$prog"
	mkdir -p "$dir/.cmd"
	n=$(cd "$dir/.cmd" && extract_examples "$mandir/$prog.1")
	if [ "${n:-0}" -eq 0 ]; then
		say_result fail "$prog.1 has runnable EXAMPLES"
		continue
	fi
	i=1
	while [ "$i" -le "$n" ]; do
		# The description goes through lib.sh's echo, which in some
		# shells reads backslash escapes: double them.  "#" would
		# start a TAP directive.
		desc=$(head -n 1 "$dir/.cmd/cmd.$i" | cut -c 1-64 | tr '#' ' ' |
			sed 's/\\/\\\\/g')
		test_expect_success "$prog.1 example $i: $desc" '
			cat "$dir/.cmd/cmd.$i" &&
			(cd "$dir" && sh "$dir/.cmd/cmd.$i") >"$dir/.cmd/actual" &&
			{ ! test -f "$dir/.cmd/out.$i" ||
			  test_cmp "$dir/.cmd/out.$i" "$dir/.cmd/actual"; }
		'
		i=$((i + 1))
	done
done

test_done
