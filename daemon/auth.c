/*
 * Resolving callers to identities and roles: the user database (getpwuid,
 * getgrnam, getgrouplist) for peers on the Unix socket, the token table of
 * the configuration for TCP, and the officers table for unit membership.
 */
#include "auth.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "server.h"

#define AUTH_MAX_GROUPS 256
#define AUTH_CACHE_SIZE 64 /* users whose entries are kept */

/* Nonzero when the user (with primary group gid) belongs to one of the
 * configured groups. */
static int
auth_in_groups(const char *user, gid_t gid, const struct config_list *groups)
{
	gid_t list[AUTH_MAX_GROUPS];
	int n = AUTH_MAX_GROUPS;
	char buf[4096];
	struct group gr, *grp;

	if (groups->n == 0)
		return 0;
	if (getgrouplist(user, gid, list, &n) < 0)
		n = AUTH_MAX_GROUPS;
	for (size_t i = 0; i < groups->n; i++) {
		if (getgrnam_r(groups->items[i], &gr, buf, sizeof buf, &grp) !=
		        0 ||
		    grp == NULL)
			continue;
		for (int j = 0; j < n; j++)
			if (list[j] == grp->gr_gid)
				return 1;
	}
	return 0;
}

/* What the user database says of one user, as the roles need it. */
struct auth_cached {
	int used;
	int by_uid; /* looked up by uid, else by name */
	uid_t uid;
	char user[65];      /* the login name (the key when by name) */
	char name[128];     /* GECOS full name */
	int known;          /* the user database knows the user */
	int admin, auditor; /* member of admin_groups, auditor_groups */
	unsigned gen;
	int64_t at; /* monotonic seconds */
};

static struct auth_cached auth_cache[AUTH_CACHE_SIZE];
static unsigned auth_gen = 1;

void
auth_cache_flush(void)
{
	auth_gen++;
}

static int64_t
auth_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Fills e from the user database (by e->uid or e->user). */
static void
auth_lookup(const struct config *cfg, struct auth_cached *e)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096], *comma;
	int r;

	r = e->by_uid ? getpwuid_r(e->uid, &pw, buf, sizeof buf, &pwp)
	              : getpwnam_r(e->user, &pw, buf, sizeof buf, &pwp);
	e->known = r == 0 && pwp != NULL;
	e->name[0] = '\0';
	e->admin = e->auditor = 0;
	if (!e->known) {
		if (e->by_uid)
			snprintf(e->user, sizeof e->user, "uid-%lu",
			    (unsigned long)e->uid);
		return;
	}
	snprintf(e->user, sizeof e->user, "%s", pw.pw_name);
	if (pw.pw_gecos != NULL) {
		snprintf(e->name, sizeof e->name, "%s", pw.pw_gecos);
		if ((comma = strchr(e->name, ',')) != NULL)
			*comma = '\0';
	}
	e->admin = auth_in_groups(pw.pw_name, pw.pw_gid, &cfg->admin_groups);
	e->auditor =
	    auth_in_groups(pw.pw_name, pw.pw_gid, &cfg->auditor_groups);
}

/* The cached entry of a uid (by_uid) or user name, looked up afresh
 * when missing, stale or from before the last flush. */
static const struct auth_cached *
auth_cached(const struct config *cfg, int by_uid, uid_t uid, const char *user)
{
	struct auth_cached *e, *victim = NULL;
	int64_t now = auth_clock();

	for (size_t i = 0; i < AUTH_CACHE_SIZE; i++) {
		e = &auth_cache[i];
		if (e->used && e->by_uid == by_uid &&
		    (by_uid ? e->uid == uid : strcmp(e->user, user) == 0)) {
			if (e->gen == auth_gen &&
			    now - e->at < AUTH_CACHE_SECONDS)
				return e;
			victim = e; /* stale: looked up again in place */
			break;
		}
		/* Otherwise a free slot, or else the oldest entry. */
		if (victim == NULL || (victim->used && !e->used) ||
		    (victim->used && e->used && e->at < victim->at))
			victim = e;
	}
	memset(victim, 0, sizeof *victim);
	victim->used = 1;
	victim->by_uid = by_uid;
	victim->uid = uid;
	if (!by_uid)
		snprintf(victim->user, sizeof victim->user, "%s", user);
	auth_lookup(cfg, victim);
	victim->gen = auth_gen;
	victim->at = now;
	return victim;
}

/* Adds the roles that come from configuration and enrolment. */
static int
auth_roles(struct server *srv, struct identity *who,
    const struct auth_cached *e, char **cause)
{
	const struct config *cfg = srv->cfg;
	ssize_t n;

	who->roles |= ROLE_STAFF;
	if (config_list_has(&cfg->admin_users, who->user) ||
	    (e->known && e->admin))
		who->roles |= ROLE_ADMIN;
	if (config_list_has(&cfg->auditor_users, who->user) ||
	    (e->known && e->auditor))
		who->roles |= ROLE_AUDITOR;
	n = db_officer_of_user(srv->db, who->user, &who->officers, cause);
	if (n < 0)
		return -1;
	who->nofficers = (size_t)n;
	if (n > 0)
		who->roles |= ROLE_OFFICER;
	return 0;
}

int
auth_identify_uid(
    struct server *srv, uid_t uid, struct identity *who, char **cause)
{
	const struct auth_cached *e = auth_cached(srv->cfg, 1, uid, NULL);

	memset(who, 0, sizeof *who);
	who->uid = uid;
	snprintf(who->user, sizeof who->user, "%s", e->user);
	snprintf(who->name, sizeof who->name, "%s", e->name);
	if (uid == 0 || uid == srv->daemon_uid)
		who->roles |= ROLE_ADMIN;
	return auth_roles(srv, who, e, cause);
}

int
auth_identify_token(struct server *srv, const char *token, size_t len,
    struct identity *who, char **cause)
{
	const char *user = config_token_user(srv->cfg, token, len);
	const struct auth_cached *e;

	if (user == NULL)
		return 0;
	memset(who, 0, sizeof *who);
	who->uid = (uid_t)-1;
	snprintf(who->user, sizeof who->user, "%s", user);
	/* A token user who is also a Unix user keeps their groups. */
	e = auth_cached(srv->cfg, 0, 0, user);
	if (auth_roles(srv, who, e, cause) < 0)
		return -1;
	return 1;
}

void
auth_identity_clear(struct identity *who)
{
	free(who->officers);
	who->officers = NULL;
	who->nofficers = 0;
}

const char *
auth_role_name(const struct identity *who)
{
	if (who->roles & ROLE_ADMIN)
		return "administrator";
	if (who->roles & ROLE_AUDITOR)
		return "auditor";
	if (who->roles & ROLE_OFFICER)
		return "officer";
	return "staff";
}
