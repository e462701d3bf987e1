/* activity: see activity.h. */
#include "activity.h"

#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int activity_init(struct activity *a, const int64_t *windows, size_t nwin, int64_t step,
		  int64_t origin, double half_life, struct adash_err *e)
{
	memset(a, 0, sizeof *a);
	if (tally_layout_init(&a->pair_layout, windows, nwin, step, origin, NTALLY, e) < 0)
		return -1;
	if (tally_layout_init(&a->user_layout, windows, nwin, step, origin, 1, e) < 0) {
		tally_layout_free(&a->pair_layout);
		return -1;
	}
	a->half_life = half_life;
	u64map_init(&a->pair_index);
	return 0;
}

void activity_free(struct activity *a)
{
	for (size_t u = 0; u < a->nusers; u++)
		free(a->users[u].pairs);
	free(a->users);
	free(a->items);
	free(a->pairs);
	free(a->pair_blocks);
	free(a->user_blocks);
	u64map_free(&a->pair_index);
	tally_layout_free(&a->pair_layout);
	tally_layout_free(&a->user_layout);
	memset(a, 0, sizeof *a);
}

void activity_reserve(struct activity *a, size_t nusers, size_t nitems)
{
	if (nusers > a->nusers) {
		size_t stride = a->user_layout.stride;

		a->users = xgrow(a->users, &a->users_cap, nusers, sizeof *a->users);
		a->user_blocks = xgrow(a->user_blocks, &a->user_blocks_cap, nusers * stride,
				       sizeof *a->user_blocks);
		for (size_t u = a->nusers; u < nusers; u++) {
			memset(&a->users[u], 0, sizeof a->users[u]);
			a->users[u].first = a->users[u].last = INT64_MIN;
			a->users[u].role = EV_NONE;
			tally_block_init(&a->user_layout, a->user_blocks + u * stride);
		}
		a->nusers = nusers;
	}
	if (nitems > a->nitems) {
		a->items = xgrow(a->items, &a->items_cap, nitems, sizeof *a->items);
		for (size_t i = a->nitems; i < nitems; i++)
			a->items[i].first = INT64_MIN;
		a->nitems = nitems;
	}
}

static uint64_t pair_key(uint32_t user, uint32_t item)
{
	return (uint64_t)user << 32 | item;
}

uint32_t activity_find_pair(const struct activity *a, uint32_t user, uint32_t item)
{
	return u64map_get(&a->pair_index, pair_key(user, item));
}

static uint32_t pair_for(struct activity *a, uint32_t user, uint32_t item)
{
	int added;
	uint32_t k = u64map_put(&a->pair_index, pair_key(user, item), (uint32_t)a->npairs, &added);
	size_t stride = a->pair_layout.stride;
	struct user *u = &a->users[user];
	struct pair *p;

	if (!added)
		return k;
	if (a->npairs >= EV_NONE)
		xalloc_die();
	a->pairs = xgrow(a->pairs, &a->pairs_cap, a->npairs + 1, sizeof *a->pairs);
	a->pair_blocks = xgrow(a->pair_blocks, &a->pair_blocks_cap, (a->npairs + 1) * stride,
			       sizeof *a->pair_blocks);
	p = &a->pairs[a->npairs];
	memset(p, 0, sizeof *p);
	p->user = user;
	p->item = item;
	p->last_touch = INT64_MIN;
	p->decay_t = INT64_MIN;
	tally_block_init(&a->pair_layout, a->pair_blocks + a->npairs * stride);
	u->pairs = xgrow(u->pairs, &u->cap, u->npairs + 1, sizeof *u->pairs);
	u->pairs[u->npairs++] = (uint32_t)a->npairs;
	return (uint32_t)a->npairs++;
}

double activity_decay(const struct activity *a, const struct pair *p, int64_t cut)
{
	if (p->decay_t == INT64_MIN || p->decay == 0)
		return 0;
	return p->decay * exp2(-(double)(cut - p->decay_t) / a->half_life);
}

void activity_apply(struct activity *a, const struct event *ev)
{
	static const int tally_of[EV_NTYPES] = {
		[EV_IMPRESSION] = TALLY_IMPRESSION, [EV_PAGE_VIEW] = -1,
		[EV_WIDGET_OPEN] = TALLY_OPEN, [EV_DRILLDOWN] = TALLY_DRILLDOWN,
		[EV_FILTER_CHANGE] = TALLY_FILTER, [EV_TIME_SPENT] = TALLY_MS,
		[EV_EXPORT] = TALLY_EXPORT, [EV_PIN] = TALLY_PIN, [EV_UNPIN] = -1,
		[EV_NOT_INTERESTED] = -1
	};
	struct user *u;
	struct pair *p;
	uint32_t k;

	activity_reserve(a, (size_t)ev->user + 1, ev->item == EV_NONE ? 0 : (size_t)ev->item + 1);
	u = &a->users[ev->user];
	if (u->first == INT64_MIN)
		u->first = ev->t;
	u->last = ev->t;
	if (ev->role != EV_NONE)
		u->role = ev->role;
	if (ev->type == EV_PAGE_VIEW) {
		tally_add(&a->user_layout, a->user_blocks + ev->user * a->user_layout.stride, ev->t, 0, 1);
		return;
	}
	if (ev->item == EV_NONE)
		return;
	if (a->items[ev->item].first == INT64_MIN)
		a->items[ev->item].first = ev->t;
	k = pair_for(a, ev->user, ev->item); /* may move a->pairs */
	p = &a->pairs[k];
	if (tally_of[ev->type] >= 0)
		tally_add(&a->pair_layout, a->pair_blocks + (size_t)k * a->pair_layout.stride,
			  ev->t, (size_t)tally_of[ev->type], ev->type == EV_TIME_SPENT ? ev->ms : 1);
	if (ev->type != EV_IMPRESSION)
		p->last_touch = ev->t;
	if (event_is_engagement(ev->type)) {
		p->decay = activity_decay(a, p, ev->t) + 1;
		p->decay_t = ev->t;
	}
	switch (ev->type) {
	case EV_PIN: p->pinned = 1; p->not_interested = 0; break;
	case EV_UNPIN: p->pinned = 0; break;
	case EV_NOT_INTERESTED: p->not_interested = 1; p->pinned = 0; break;
	case EV_WIDGET_OPEN: p->not_interested = 0; break;
	default: break;
	}
}

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof *s);
}

void snapshot_free(struct snapshot *s)
{
	free(s->pair_win);
	free(s->item_engage);
	free(s->item_users);
	free(s->item_impr);
	free(s->item_open);
	free(s->user_engage);
	free(s->user_sessions);
	memset(s, 0, sizeof *s);
}

void activity_snapshot(const struct activity *a, int64_t cut, struct snapshot *s)
{
	size_t nw = a->pair_layout.nwin, ni = a->nitems, nu = a->nusers;

	snapshot_free(s);
	s->nwin = nw;
	s->pair_win = xcalloc(a->npairs * nw * NTALLY + 1, sizeof *s->pair_win);
	s->item_engage = xcalloc(ni * nw + 1, sizeof *s->item_engage);
	s->item_users = xcalloc(ni * nw + 1, sizeof *s->item_users);
	s->item_impr = xcalloc(ni * nw + 1, sizeof *s->item_impr);
	s->item_open = xcalloc(ni * nw + 1, sizeof *s->item_open);
	s->user_engage = xcalloc(nu * nw + 1, sizeof *s->user_engage);
	s->user_sessions = xcalloc(nu * nw + 1, sizeof *s->user_sessions);
	for (size_t k = 0; k < a->npairs; k++) {
		const struct pair *p = &a->pairs[k];
		const uint32_t *block = a->pair_blocks + k * a->pair_layout.stride;

		for (size_t w = 0; w < nw; w++) {
			double *t = s->pair_win + (k * nw + w) * NTALLY;
			double eng;

			tally_window(&a->pair_layout, block, w, cut, t);
			eng = tally_engagement(t);
			s->item_engage[p->item * nw + w] += eng;
			s->item_users[p->item * nw + w] += eng > 0;
			s->item_impr[p->item * nw + w] += t[TALLY_IMPRESSION];
			s->item_open[p->item * nw + w] += t[TALLY_OPEN];
			s->user_engage[p->user * nw + w] += eng;
		}
	}
	for (size_t u = 0; u < nu; u++)
		for (size_t w = 0; w < nw; w++)
			tally_window(&a->user_layout, a->user_blocks + u * a->user_layout.stride, w, cut,
				     &s->user_sessions[u * nw + w]);
}
