/*
 * rank: adash-rank: from rows of (user, candidate item) with features to
 * each user's ordered list, with the propensity of every placement.
 *
 * A user's rows are a group (user_id, and asof when the input has it: one
 * ranking per user and cut).  Groups are ranked one at a time as they end,
 * so memory is one group; a group's rows must come together, as
 * adash-features writes them (rows of a group seen again after another
 * group are an error naming both lines).  Nothing a user gets depends on
 * another user's rows: scores come from the row itself (a model, a score
 * column, or the popularity figures adash-features put in it) and the
 * random draws from a stream seeded by --seed, the user and the cut.
 *
 * Per group: items the user said not interested to are left out; pinned
 * items come first (by score), then the policy (policy.h) draws the rest
 * rank by rank, under --max-per COL:N (at most N items sharing a value of
 * COL).  A user with no activity in any window (user_sessions_* and
 * user_engage_* all 0) gets popularity instead: role_engage (the item's
 * engagement by users of the same role) when the role has any, else
 * item_engage, over the longest window the rows have.
 *
 * With a bandit model (-m of adash-train --algo linucb or thompson) and its
 * exploration, every user is scored by the model, newcomers too: the
 * model's uncertainty is what explores for them, and popularity in its
 * place would explore nothing.  linucb adds ALPHA times the model's width
 * to each row's score as the row is read; thompson keeps each candidate's
 * design vector, draws the coefficients once per group from the group's
 * stream (after the pins, which are ordered by the posterior mean, so that
 * their propensity of 1 is true), ranks greedily on the drawn scores, and
 * then estimates the propensities from --propensity-samples further draws
 * of the same stream (policy.h).
 *
 * Rows not placed (below --top, not interested) are dropped and counted,
 * so rows_in = rows_out + rows_rejected + rows_dropped.
 */
#ifndef ADASH_RANK_H
#define ADASH_RANK_H

#include "cli.h"
#include "err.h"
#include "policy.h"
#include "reader.h"

#include <stdint.h>
#include <stdio.h>

enum rank_policy { RANK_SCORE = 0, RANK_POPULAR, RANK_RECENT };

struct rank_options {
	int policy;                 /* enum rank_policy */
	const char *model_path;     /* score: a model file */
	const char *score_col;      /* score: a column */
	struct explore explore;
	long top;                   /* 0: every candidate */
	const char *max_per_col;
	long max_per;
	long propensity_samples;    /* thompson: draws that estimate a propensity */
	struct run_io io;            /* the common options (cli.h) */
};

/* "score", "popular", "recent"; -1 for anything else. */
int rank_policy_from_name(const char *name);

/* Ranks the rows of inputs (NULL-terminated; "-" is stdin).  0, or -1 with
 * e. */
int rank_run(const struct rank_options *o, char *const *inputs, FILE *out,
	     struct adash_err *e);

#endif
