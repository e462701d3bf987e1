/* events: see events.h. */
#include "events.h"

#include "num.h"
#include "timeutil.h"

#include <math.h>
#include <string.h>

static const char *const type_names[EV_NTYPES] = {
	"impression", "page_view", "widget_open", "drilldown", "filter_change",
	"time_spent", "export", "pin", "unpin", "not_interested"
};

int event_type_from_name(const char *s, size_t len)
{
	for (int t = 0; t < EV_NTYPES; t++)
		if (strlen(type_names[t]) == len && memcmp(type_names[t], s, len) == 0)
			return t;
	return -1;
}

const char *event_type_name(int type)
{
	return type >= 0 && type < EV_NTYPES ? type_names[type] : "?";
}

int event_is_engagement(int type)
{
	return type == EV_WIDGET_OPEN || type == EV_DRILLDOWN || type == EV_EXPORT || type == EV_PIN;
}

void idmap_init(struct idmap *m)
{
	hashmap_init(&m->map);
}

void idmap_free(struct idmap *m)
{
	hashmap_free(&m->map, NULL);
}

uint32_t idmap_intern(struct idmap *m, const char *s, size_t len)
{
	int added;
	struct hashmap_entry *en = hashmap_put(&m->map, s, len, &added);

	if (added)
		en->val.num = (int64_t)hashmap_count(&m->map) - 1;
	return (uint32_t)en->val.num;
}

uint32_t idmap_find(const struct idmap *m, const char *s, size_t len)
{
	const struct hashmap_entry *en = hashmap_get(&m->map, s, len);

	return en ? (uint32_t)en->val.num : EV_NONE;
}

int event_columns_find(struct event_columns *c, const struct reader *r, struct adash_err *e)
{
	static const char *const required[] = { "ts", "user_id", "event", "item_id" };
	long *slots[] = { &c->ts, &c->user, &c->event, &c->item };

	for (size_t i = 0; i < 4; i++) {
		*slots[i] = reader_col(r, required[i]);
		if (*slots[i] < 0)
			return err_set(e, ADASH_EDATA,
				       "%s: no column \"%s\" (events need ts, user_id, event and item_id; see adash.7)",
				       reader_name(r), required[i]);
	}
	c->value = reader_col(r, "value");
	c->role = reader_col(r, "role");
	return 0;
}


int event_parse(const struct event_columns *c, const struct reader *r,
		const struct field *rec, struct idmap *users, struct idmap *items,
		struct idmap *roles, struct event *ev, struct adash_err *row_err,
		const char **reason)
{
	const struct field *ts = &rec[c->ts], *user = &rec[c->user], *type = &rec[c->event],
			   *item = &rec[c->item];
	int t;

	if (field_is_missing(ts) || time_parse_timestamp(ts->s, ts->len, &ev->t) < 0) {
		*reason = "bad timestamp";
		return reader_bad_value(r, "ts", ts, "a timestamp (RFC 3339 or epoch seconds)", row_err);
	}
	if (field_is_missing(user)) {
		*reason = "missing user";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), "user_id",
			      "no value");
	}
	t = event_type_from_name(type->s, type->len);
	if (t < 0) {
		*reason = "unknown event";
		return reader_bad_value(r, "event", type, "an event type (see adash.7, events)", row_err);
	}
	if (t != EV_PAGE_VIEW && field_is_missing(item)) {
		*reason = "missing item";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), "item_id",
			      "no value (only a page_view may have none)");
	}
	ev->ms = 0;
	if (t == EV_TIME_SPENT && c->value >= 0 && !field_is_missing(&rec[c->value])) {
		const struct field *v = &rec[c->value];
		double secs;

		if (num_parse(v->s, v->len, &secs) < 0 || !(secs >= 0) || secs > 4e6) {
			*reason = "bad value";
			return reader_bad_value(r, "value", v, "a number of seconds from 0 to 4000000", row_err);
		}
		ev->ms = (uint32_t)nearbyint(secs * 1000);
	}
	ev->type = (uint8_t)t;
	ev->user = idmap_intern(users, user->s, user->len);
	ev->item = t == EV_PAGE_VIEW || field_is_missing(item) ? EV_NONE
							      : idmap_intern(items, item->s, item->len);
	ev->role = c->role >= 0 && !field_is_missing(&rec[c->role])
			   ? idmap_intern(roles, rec[c->role].s, rec[c->role].len)
			   : EV_NONE;
	return 0;
}
