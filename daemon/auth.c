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
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "server.h"

#define AUTH_MAX_GROUPS 256

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

/* Adds the roles that come from configuration and enrolment. */
static int
auth_roles(struct server *srv, struct identity *who, const struct passwd *pw,
    char **cause)
{
	const struct config *cfg = srv->cfg;
	ssize_t n;

	who->roles |= ROLE_STAFF;
	if (config_list_has(&cfg->admin_users, who->user) ||
	    (pw != NULL &&
	        auth_in_groups(pw->pw_name, pw->pw_gid, &cfg->admin_groups)))
		who->roles |= ROLE_ADMIN;
	if (config_list_has(&cfg->auditor_users, who->user) ||
	    (pw != NULL &&
	        auth_in_groups(pw->pw_name, pw->pw_gid, &cfg->auditor_groups)))
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
	struct passwd pw, *pwp = NULL;
	char buf[4096];

	memset(who, 0, sizeof *who);
	who->uid = uid;
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &pwp) != 0 || pwp == NULL)
		snprintf(
		    who->user, sizeof who->user, "uid-%lu", (unsigned long)uid);
	else
		snprintf(who->user, sizeof who->user, "%s", pw.pw_name);
	if (uid == 0 || uid == srv->daemon_uid)
		who->roles |= ROLE_ADMIN;
	return auth_roles(srv, who, pwp, cause);
}

int
auth_identify_token(struct server *srv, const char *token, size_t len,
    struct identity *who, char **cause)
{
	const char *user = config_token_user(srv->cfg, token, len);
	struct passwd pw, *pwp = NULL;
	char buf[4096];

	if (user == NULL)
		return 0;
	memset(who, 0, sizeof *who);
	who->uid = (uid_t)-1;
	snprintf(who->user, sizeof who->user, "%s", user);
	/* A token user who is also a Unix user keeps their groups. */
	if (getpwnam_r(user, &pw, buf, sizeof buf, &pwp) != 0)
		pwp = NULL;
	if (auth_roles(srv, who, pwp, cause) < 0)
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
