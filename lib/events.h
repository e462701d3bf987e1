/*
 * events: the behaviour events of dashboard users (DESIGN §4, schema
 * "events"), read from records into a compact form.
 *
 * An event names a user, an event type and, except for page_view, an item
 * (a widget).  Ids are interned (struct idmap): every later stage works on
 * small numbers, and the text of an id is kept once.  time_spent's value is
 * seconds, kept in whole milliseconds.
 *
 * Engagement, the thing personalization predicts, is an open, a drilldown,
 * an export or a pin: an act that says the widget was wanted.  Impressions
 * say it was shown; filter changes and time spent say how it was used.
 *
 * Checklist: the event names here are the events schema's (schema.c) and
 * adash.7's; keep the three in step.
 */
#ifndef ADASH_EVENTS_H
#define ADASH_EVENTS_H

#include "err.h"
#include "hashmap.h"
#include "reader.h"

#include <stdint.h>

enum event_type {
	EV_IMPRESSION = 0, EV_PAGE_VIEW, EV_WIDGET_OPEN, EV_DRILLDOWN, EV_FILTER_CHANGE,
	EV_TIME_SPENT, EV_EXPORT, EV_PIN, EV_UNPIN, EV_NOT_INTERESTED,
	EV_NTYPES
};

#define EV_NONE UINT32_MAX   /* no item (page_view), no role */

struct event {
	int64_t t;          /* microseconds since the epoch */
	uint32_t user, item, role;
	uint32_t ms;        /* time_spent: milliseconds */
	uint8_t type;       /* enum event_type */
};

/* -1 for a name that is not an event type. */
int event_type_from_name(const char *s, size_t len);
const char *event_type_name(int type);
int event_is_engagement(int type);

/* Ids to numbers 0, 1, 2 ... in the order first seen, and back. */
struct idmap {
	struct hashmap map;
};
void idmap_init(struct idmap *m);
void idmap_free(struct idmap *m);
uint32_t idmap_intern(struct idmap *m, const char *s, size_t len);
/* EV_NONE when s was never interned. */
uint32_t idmap_find(const struct idmap *m, const char *s, size_t len);
static inline const char *idmap_name(const struct idmap *m, uint32_t id)
{
	return m->map.entries[id].key;
}
static inline size_t idmap_len(const struct idmap *m, uint32_t id)
{
	return m->map.entries[id].keylen;
}
static inline uint32_t idmap_count(const struct idmap *m)
{
	return (uint32_t)hashmap_count(&m->map);
}

/* Where the event columns are in a reader's records. */
struct event_columns {
	long ts, user, event, item, value, role;   /* -1 when absent (value, role) */
};

/* Finds the columns (ts, user_id, event, item_id required; value, role
 * optional).  -1 with e (code 1) naming a missing column. */
int event_columns_find(struct event_columns *c, const struct reader *r, struct adash_err *e);

/* Parses a record into ev, interning its user, item and role.  0, or -1
 * with row_err and *reason (a short category) for a bad event. */
int event_parse(const struct event_columns *c, const struct reader *r,
		const struct field *rec, struct idmap *users, struct idmap *items,
		struct idmap *roles, struct event *ev, struct adash_err *row_err,
		const char **reason);

#endif
