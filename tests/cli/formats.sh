#!/bin/sh
. "$top_srcdir/tests/lib.sh"
test_expect_success placeholder true
test_done
