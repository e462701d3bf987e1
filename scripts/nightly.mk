# scripts/nightly.mk: the nightly rebuild of the dashboards, as a Makefile.
#
# From a sales file and an events file (and the widget catalog), make
# rebuilds the features, the two models, the forecast, every user's layout
# and the dashboard, each step only when something it is made from
# changed: a second run does nothing (make -q exits 0), new events rebuild
# the click model, the layouts and the dashboard but not the forecast.
#
#   make -f scripts/nightly.mk SALES=sales.csv EVENTS=events.ndjson \
#       ITEMS=items.csv OUT=nightly
#
# and from cron, every night at 02:30 (see adash(7)):
#
#   30 2 * * * cd /srv/adash && PATH=/opt/adash/bin:$PATH make -s -f nightly.mk >>nightly.log 2>&1
#
# The programs come from PATH.  Recipes run in bash with pipefail, so a
# step fails when any program of its pipeline fails, and .DELETE_ON_ERROR
# removes the target a failed step was writing (make does the same when it
# is killed), so a failed night is redone the next night instead of being
# taken for done; the models are written atomically by adash-train itself,
# and the dashboard is built beside the old one and put in its place.  The fold metrics of both models are
# kept in OUT/*.cv.txt, and the rows each input lost in OUT/*.stats.json.

SALES ?= sales.csv
EVENTS ?= events.ndjson
ITEMS ?= items.csv
OUT ?= nightly
# the time the layouts are for: now, or a fixed time (RFC 3339 or a date)
ASOF ?= now
HORIZON ?= 14
INTERVAL ?= 80
TOP ?= 8
SEED ?= 7
SALES_FEATURES ?= --lags 1,7,14 --rolling mean:7,std:7,mean:28 --calendar dow,month
SALES_TRAIN ?= --algo ridge --by shop_id --log-target --cv 3
CLICK_FEATURES ?= --log1p counts
CLICK_LABELS ?= --asof-every 1d --label-horizon 1d --negatives 2 --seed 1
CLICK_TRAIN ?= --algo logreg --cv 3 --C 1
EXPLORE ?= egreedy:0.05

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DELETE_ON_ERROR:
.PHONY: all clean
all: $(OUT)/dashboard/index.html

$(OUT)/.dir:
	mkdir -p $(OUT) && touch $@

# ---- sales: clean rows, features, model, forecast ----------------------------
$(OUT)/sales.clean.csv: $(SALES) | $(OUT)/.dir
	adash-ingest -q --schema sales --stats $(OUT)/sales.stats.json < $(SALES) > $@

$(OUT)/sales.features.csv: $(OUT)/sales.clean.csv
	adash-features --key shop_id --time date --target sales $(SALES_FEATURES) < $< > $@

# the fold lines go to OUT/*.cv.txt; on a failure, to the log as well
$(OUT)/sales.model: $(OUT)/sales.features.csv
	adash-train --target sales $(SALES_TRAIN) -o $@ < $< 2> $(OUT)/sales.cv.txt \
		|| { cat $(OUT)/sales.cv.txt >&2; exit 1; }

$(OUT)/forecast.csv: $(OUT)/sales.model $(OUT)/sales.clean.csv
	adash-forecast -q -m $(OUT)/sales.model --horizon $(HORIZON) --interval $(INTERVAL) --total \
		< $(OUT)/sales.clean.csv > $@

# ---- events: clean rows, training rows, click model, layouts --------------
$(OUT)/events.clean.csv: $(EVENTS) | $(OUT)/.dir
	adash-ingest -q --schema events --output-format csv --reject $(OUT)/events.rejected.ndjson \
		--stats $(OUT)/events.stats.json < $(EVENTS) > $@

$(OUT)/clicks.train.csv: $(OUT)/events.clean.csv $(ITEMS)
	adash-features --events --items $(ITEMS) $(CLICK_FEATURES) $(CLICK_LABELS) < $< > $@

$(OUT)/click.model: $(OUT)/clicks.train.csv
	adash-train --target label $(CLICK_TRAIN) -o $@ < $< 2> $(OUT)/clicks.cv.txt \
		|| { cat $(OUT)/clicks.cv.txt >&2; exit 1; }

# The layouts are as of ASOF.  With ASOF=now they change with the day even
# without new events (windows slide): a stamp named for today's date (UTC)
# is one of their inputs, so the first run of a day rebuilds them and the
# next ones of the day do nothing.
ASOF_STAMP := $(OUT)/asof-$(if $(filter now,$(ASOF)),$(shell date -u +%Y-%m-%d),$(subst :,-,$(ASOF)))
$(ASOF_STAMP): | $(OUT)/.dir
	rm -f $(OUT)/asof-* && touch $@

$(OUT)/layout.csv: $(OUT)/events.clean.csv $(ITEMS) $(OUT)/click.model $(ASOF_STAMP)
	adash-features --events --items $(ITEMS) $(CLICK_FEATURES) --asof $(ASOF) < $(OUT)/events.clean.csv \
	  | adash-explain -m $(OUT)/click.model --top 2 \
	  | adash-rank -m $(OUT)/click.model --top $(TOP) --explore $(EXPLORE) --seed $(SEED) > $@

# ---- the dashboard: a new directory in place of the old -----------------
$(OUT)/dashboard/index.html: $(OUT)/layout.csv $(OUT)/forecast.csv $(OUT)/sales.clean.csv $(ITEMS)
	rm -rf $(OUT)/dashboard.tmp
	adash-report --layout $(OUT)/layout.csv --forecast $(OUT)/forecast.csv \
		--history $(OUT)/sales.clean.csv --items $(ITEMS) --all -o $(OUT)/dashboard.tmp
	rm -rf $(OUT)/dashboard.old
	if [ -d $(OUT)/dashboard ]; then mv $(OUT)/dashboard $(OUT)/dashboard.old; fi
	mv $(OUT)/dashboard.tmp $(OUT)/dashboard && rm -rf $(OUT)/dashboard.old

clean:
	rm -rf $(OUT)
