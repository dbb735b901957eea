/*
 * Unit tests for config.c: the embedded defaults, every key of the INI
 * file, the "FILE:LINE: message" form of every refusal, units sections
 * replacing the default units, and bearer-token look-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "crypt.h"

/* BLAKE2b-256("abc") and BLAKE2b-256("correct horse"). */
#define TEST_HASH_ABC \
	"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
#define TEST_HASH_HORSE \
	"f5eac85538982daa5fbeafad4a685fe447178c52d50be1a236b570a2aeb9672b"

struct test_dir {
	char dir[64];
	char path[128];
};

static int
test_group_setup(void **state)
{
	struct test_dir *t = calloc(1, sizeof *t);

	if (t == NULL || crypt_init() < 0)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/test_config.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/mandated.conf", t->dir);
	*state = t;
	return 0;
}

static int
test_group_teardown(void **state)
{
	struct test_dir *t = *state;

	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Writes text as the configuration file and loads it. */
static struct config *
test_load(void **state, const char *text, char **cause)
{
	struct test_dir *t = *state;
	FILE *f = fopen(t->path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	*cause = NULL;
	return config_load(t->path, cause);
}

/* Loads text, which must succeed. */
static struct config *
test_load_ok(void **state, const char *text)
{
	char *cause = NULL;
	struct config *cfg = test_load(state, text, &cause);

	if (cfg == NULL)
		fail_msg("refused: %s", cause);
	assert_null(cause);
	return cfg;
}

/* Loads text, which must be refused with exactly "PATH:" + where_what. */
static void
test_refused(void **state, const char *text, const char *where_what)
{
	struct test_dir *t = *state;
	char *cause = NULL, *expected;
	struct config *cfg = test_load(state, text, &cause);

	assert_null(cfg);
	assert_non_null(cause);
	assert_int_not_equal(
	    asprintf(&expected, "%s:%s", t->path, where_what), -1);
	assert_string_equal(cause, expected);
	free(expected);
	free(cause);
}

static void
test_config__no_file__embedded_defaults(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load(NULL, &cause);

	assert_non_null(cfg);
	assert_null(cause);
	assert_null(cfg->path);
	assert_string_equal(cfg->state_dir, "/var/lib/mandated");
	assert_string_equal(cfg->socket_path, "/run/mandated/mandated.sock");
	assert_string_equal(cfg->database, "/var/lib/mandated/mandate.db");
	assert_null(cfg->rules_path);
	assert_null(cfg->listen_tcp);
	assert_string_equal(cfg->log_level, "info");
	assert_int_equal(cfg->max_connections, 512);
	assert_int_equal(cfg->max_body, 1024 * 1024);
	assert_int_equal(cfg->max_headers, 8192);
	assert_int_equal(cfg->timeout_sec, 30);
	assert_int_equal(cfg->allow_root, 0);
	assert_int_equal(cfg->auditor_groups.n, 1);
	assert_string_equal(cfg->auditor_groups.items[0], "mandate-auditors");
	assert_int_equal(cfg->admin_groups.n, 1);
	assert_string_equal(cfg->admin_groups.items[0], "mandate-admins");
	assert_int_equal(cfg->auditor_users.n, 0);
	assert_int_equal(cfg->admin_users.n, 0);
	assert_int_equal(cfg->ntokens, 0);
	config_free(cfg);
}

static void
test_config__no_file__four_default_units(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load(NULL, &cause);

	assert_non_null(cfg);
	assert_int_equal(cfg->nunits, 4);
	assert_string_equal(cfg->units[0].id, "ethics");
	assert_string_equal(cfg->units[0].name, "Ethics Office");
	assert_int_equal(cfg->units[0].acknowledge_days, 5);
	assert_int_equal(cfg->units[0].auditors_counts_only, 0);
	assert_string_equal(cfg->units[1].id, "ombudsperson");
	assert_string_equal(cfg->units[1].name, "Ombudsperson");
	assert_int_equal(cfg->units[1].acknowledge_days, 3);
	assert_int_equal(cfg->units[1].auditors_counts_only, 1);
	assert_string_equal(cfg->units[2].id, "inspector-general");
	assert_string_equal(
	    cfg->units[2].name, "Office of the Inspector General");
	assert_int_equal(cfg->units[2].acknowledge_days, 5);
	assert_int_equal(cfg->units[2].auditors_counts_only, 0);
	assert_string_equal(cfg->units[3].id, "legal");
	assert_string_equal(cfg->units[3].name, "Office of Legal Affairs");
	assert_int_equal(cfg->units[3].acknowledge_days, 5);
	assert_int_equal(cfg->units[3].auditors_counts_only, 0);
	config_free(cfg);
}

static void
test_config__empty_file__defaults_and_path_recorded(void **state)
{
	struct test_dir *t = *state;
	struct config *cfg = test_load_ok(state, "; nothing set\n");

	assert_string_equal(cfg->path, t->path);
	assert_string_equal(cfg->socket_path, "/run/mandated/mandated.sock");
	assert_string_equal(cfg->database, "/var/lib/mandated/mandate.db");
	assert_int_equal(cfg->nunits, 4);
	config_free(cfg);
}

static void
test_config__daemon_keys__override_defaults(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[daemon]\n"
	                        "state_directory = /srv/mandate\n"
	                        "socket = /srv/mandate/sock\n"
	                        "database = /srv/db/cases.db\n"
	                        "rules = /etc/mandate/local.rules\n"
	                        "listen_tcp = 127.0.0.1:8443\n"
	                        "log_level = debug\n"
	                        "allow_root = yes\n"
	                        "max_connections = 64\n"
	                        "max_body_bytes = 65536\n"
	                        "max_header_bytes = 4096\n"
	                        "timeout_seconds = 10\n");

	assert_string_equal(cfg->state_dir, "/srv/mandate");
	assert_string_equal(cfg->socket_path, "/srv/mandate/sock");
	assert_string_equal(cfg->database, "/srv/db/cases.db");
	assert_string_equal(cfg->rules_path, "/etc/mandate/local.rules");
	assert_string_equal(cfg->listen_tcp, "127.0.0.1:8443");
	assert_string_equal(cfg->log_level, "debug");
	assert_int_equal(cfg->allow_root, 1);
	assert_int_equal(cfg->max_connections, 64);
	assert_int_equal(cfg->max_body, 65536);
	assert_int_equal(cfg->max_headers, 4096);
	assert_int_equal(cfg->timeout_sec, 10);
	config_free(cfg);
}

static void
test_config__database_unset__follows_state_directory(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[daemon]\nstate_directory = /srv/m\n");

	assert_string_equal(cfg->database, "/srv/m/mandate.db");
	config_free(cfg);
}

static void
test_config__empty_optional_values__unset(void **state)
{
	struct config *cfg = test_load_ok(state,
	    "[daemon]\nrules = /x.rules\nrules =\nlisten_tcp =\ndatabase =\n");

	assert_null(cfg->rules_path);
	assert_null(cfg->listen_tcp);
	assert_string_equal(cfg->database, "/var/lib/mandated/mandate.db");
	config_free(cfg);
}

static void
test_config__empty_required_values__refused(void **state)
{
	test_refused(
	    state, "[daemon]\nsocket =\n", "2: socket: must not be empty");
	test_refused(state, "[daemon]\n\nstate_directory =\n",
	    "3: state_directory: must not be empty");
	test_refused(state, "[daemon]\nlog_level =\n",
	    "2: log_level: must not be empty");
}

static void
test_config__unknown_key__names_file_and_line(void **state)
{
	test_refused(state,
	    "[daemon]\nsocket = /run/x.sock\nsockets = /run/y.sock\n",
	    "3: unknown key 'sockets' in section [daemon]");
}

static void
test_config__unknown_section__names_file_and_line(void **state)
{
	test_refused(state, "# comment\n[demon]\nsocket = /x\n",
	    "3: unknown section [demon]");
}

static void
test_config__unknown_roles_key__names_section(void **state)
{
	test_refused(state, "[roles]\nauditors = a\n",
	    "2: unknown key 'auditors' in section [roles]");
}

static void
test_config__unknown_unit_key__names_section(void **state)
{
	test_refused(state, "[unit.ethics]\nname = Ethics\ndeadline = 3\n",
	    "3: unknown key 'deadline' in section [unit.ethics]");
}

static void
test_config__line_without_equals__syntax_error(void **state)
{
	test_refused(state, "[daemon]\nsocket /x\n", "2: syntax error");
}

static void
test_config__overlong_line__refused_on_its_own_line(void **state)
{
	char text[512];

	snprintf(text, sizeof text, "[daemon]\n# %0250d\nsocket = /x\n", 0);
	test_refused(state, text,
	    "2: line longer than 198 characters: continue a long value on "
	    "indented lines");
}

static void
test_config__lifecycle_list_continued__lines_add_up(void **state)
{
	struct config *cfg = test_load_ok(state,
	    "[unit.ethics]\n"
	    "transitions = received>acknowledged, acknowledged>assessed,\n"
	    "  assessed>closed\n"
	    "  received>closed\n"
	    "outcomes = founded,\n"
	    "  unfounded\n");
	const struct config_unit *u = config_unit_find(cfg, "ethics");

	assert_non_null(u);
	assert_int_equal(u->lc.nedges, 4);
	assert_int_equal(u->lc.noutcomes, 2);
	config_free(cfg);
}

static void
test_config__lifecycle_key_given_again__replaces(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[unit.ethics]\n"
	                        "outcomes = founded, unfounded, withdrawn\n"
	                        "name = Ethics\n"
	                        "outcomes = closed\n");
	const struct config_unit *u = config_unit_find(cfg, "ethics");

	assert_non_null(u);
	assert_int_equal(u->lc.noutcomes, 1);
	config_free(cfg);
}

static void
test_config__syntax_error_then_bad_key__first_error_reported(void **state)
{
	test_refused(state, "[daemon]\nsocket /x\nmax_connections = 0\n",
	    "2: syntax error");
}

static void
test_config__two_bad_keys__first_reported(void **state)
{
	test_refused(state, "[daemon]\ntimeout_seconds = 0\nbogus = 1\n",
	    "2: timeout_seconds: expected 1..3600, not '0'");
}

static void
test_config__missing_file__cannot_open(void **state)
{
	struct test_dir *t = *state;
	char path[160], expected[220], *cause = NULL;

	snprintf(path, sizeof path, "%s/absent.conf", t->dir);
	snprintf(expected, sizeof expected,
	    "%s: cannot open: No such file or directory", path);
	assert_null(config_load(path, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, expected);
	free(cause);
}

static void
test_config__max_connections__bounds(void **state)
{
	struct config *cfg;

	test_refused(state, "[daemon]\nmax_connections = 0\n",
	    "2: max_connections: expected 1..65536, not '0'");
	test_refused(state, "[daemon]\nmax_connections = 65537\n",
	    "2: max_connections: expected 1..65536, not '65537'");
	test_refused(state, "[daemon]\nmax_connections = -1\n",
	    "2: max_connections: expected 1..65536, not '-1'");
	test_refused(state, "[daemon]\nmax_connections = 12x\n",
	    "2: max_connections: expected 1..65536, not '12x'");
	cfg = test_load_ok(state, "[daemon]\nmax_connections = 65536\n");
	assert_int_equal(cfg->max_connections, 65536);
	config_free(cfg);
	cfg = test_load_ok(state, "[daemon]\nmax_connections = 1\n");
	assert_int_equal(cfg->max_connections, 1);
	config_free(cfg);
}

static void
test_config__max_body_bytes__bounds(void **state)
{
	struct config *cfg;

	test_refused(state, "[daemon]\nmax_body_bytes = 4095\n",
	    "2: max_body_bytes: expected 4096..67108864, not '4095'");
	test_refused(state, "[daemon]\nmax_body_bytes = 67108865\n",
	    "2: max_body_bytes: expected 4096..67108864, not '67108865'");
	cfg = test_load_ok(state, "[daemon]\nmax_body_bytes = 4096\n");
	assert_int_equal(cfg->max_body, 4096);
	config_free(cfg);
	cfg = test_load_ok(state, "[daemon]\nmax_body_bytes = 67108864\n");
	assert_int_equal(cfg->max_body, 67108864);
	config_free(cfg);
}

static void
test_config__max_header_bytes__bounds(void **state)
{
	struct config *cfg;

	test_refused(state, "[daemon]\nmax_header_bytes = 1023\n",
	    "2: max_header_bytes: expected 1024..1048576, not '1023'");
	test_refused(state, "[daemon]\nmax_header_bytes = 1048577\n",
	    "2: max_header_bytes: expected 1024..1048576, not '1048577'");
	cfg = test_load_ok(state, "[daemon]\nmax_header_bytes = 1024\n");
	assert_int_equal(cfg->max_headers, 1024);
	config_free(cfg);
	cfg = test_load_ok(state, "[daemon]\nmax_header_bytes = 1048576\n");
	assert_int_equal(cfg->max_headers, 1048576);
	config_free(cfg);
}

static void
test_config__timeout_seconds__bounds(void **state)
{
	struct config *cfg;

	test_refused(state, "[daemon]\ntimeout_seconds = 0\n",
	    "2: timeout_seconds: expected 1..3600, not '0'");
	test_refused(state, "[daemon]\ntimeout_seconds = 3601\n",
	    "2: timeout_seconds: expected 1..3600, not '3601'");
	test_refused(state, "[daemon]\ntimeout_seconds = \"5\"\n",
	    "2: timeout_seconds: expected 1..3600, not '\"5\"'");
	cfg = test_load_ok(state, "[daemon]\ntimeout_seconds = 3600\n");
	assert_int_equal(cfg->timeout_sec, 3600);
	config_free(cfg);
}

static void
test_config__allow_root__booleans(void **state)
{
	static const char *const yes[] = {"yes", "true", "1"};
	static const char *const no[] = {"no", "false", "0"};
	char text[64];
	struct config *cfg;

	for (size_t i = 0; i < 3; i++) {
		snprintf(
		    text, sizeof text, "[daemon]\nallow_root = %s\n", yes[i]);
		cfg = test_load_ok(state, text);
		assert_int_equal(cfg->allow_root, 1);
		config_free(cfg);
		snprintf(text, sizeof text,
		    "[daemon]\nallow_root = yes\nallow_root = %s\n", no[i]);
		cfg = test_load_ok(state, text);
		assert_int_equal(cfg->allow_root, 0);
		config_free(cfg);
	}
	test_refused(state, "[daemon]\nallow_root = maybe\n",
	    "2: allow_root: expected yes or no, not 'maybe'");
	test_refused(state, "[daemon]\nallow_root = YES\n",
	    "2: allow_root: expected yes or no, not 'YES'");
}

static void
test_config__roles_lists__split_on_commas_and_blanks(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[roles]\n"
	                        "auditor_users = alice, bob\tcarol,,dave\n"
	                        "auditor_groups = audit\n"
	                        "admin_users = root\n"
	                        "admin_groups =\n");

	assert_int_equal(cfg->auditor_users.n, 4);
	assert_string_equal(cfg->auditor_users.items[0], "alice");
	assert_string_equal(cfg->auditor_users.items[1], "bob");
	assert_string_equal(cfg->auditor_users.items[2], "carol");
	assert_string_equal(cfg->auditor_users.items[3], "dave");
	assert_int_equal(cfg->auditor_groups.n, 1);
	assert_string_equal(cfg->auditor_groups.items[0], "audit");
	assert_int_equal(cfg->admin_users.n, 1);
	assert_string_equal(cfg->admin_users.items[0], "root");
	assert_int_equal(cfg->admin_groups.n, 0);
	config_free(cfg);
}

static void
test_config__list_has__exact_names_only(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[roles]\nadmin_users = alice, bob\n");

	assert_int_equal(config_list_has(&cfg->admin_users, "alice"), 1);
	assert_int_equal(config_list_has(&cfg->admin_users, "bob"), 1);
	assert_int_equal(config_list_has(&cfg->admin_users, "ali"), 0);
	assert_int_equal(config_list_has(&cfg->admin_users, "alice2"), 0);
	assert_int_equal(config_list_has(&cfg->admin_users, ""), 0);
	assert_int_equal(config_list_has(&cfg->auditor_users, "alice"), 0);
	config_free(cfg);
}

static void
test_config__units_section__replaces_default_units(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[unit.security]\nacknowledge_days = 2\n");

	assert_int_equal(cfg->nunits, 1);
	assert_string_equal(cfg->units[0].id, "security");
	assert_string_equal(cfg->units[0].name, "security");
	assert_int_equal(cfg->units[0].acknowledge_days, 2);
	assert_int_equal(cfg->units[0].auditors_counts_only, 0);
	assert_null(config_unit_find(cfg, "ethics"));
	config_free(cfg);
}

static void
test_config__units_sections__every_key_in_file_order(void **state)
{
	struct config *cfg = test_load_ok(state, "[unit.ethics]\n"
	                                         "name = Ethics and Integrity\n"
	                                         "acknowledge_days = 10\n"
	                                         "auditors = counts\n"
	                                         "[unit.legal]\n"
	                                         "name = Legal\n"
	                                         "[unit.ethics]\n"
	                                         "auditors = cases\n");

	assert_int_equal(cfg->nunits, 2);
	assert_string_equal(cfg->units[0].id, "ethics");
	assert_string_equal(cfg->units[0].name, "Ethics and Integrity");
	assert_int_equal(cfg->units[0].acknowledge_days, 10);
	assert_int_equal(cfg->units[0].auditors_counts_only, 0);
	assert_string_equal(cfg->units[1].id, "legal");
	assert_string_equal(cfg->units[1].name, "Legal");
	assert_int_equal(cfg->units[1].acknowledge_days, 5);
	config_free(cfg);
}

static void
test_config__unit_find__by_exact_id(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load(NULL, &cause);
	const struct config_unit *u;

	assert_non_null(cfg);
	u = config_unit_find(cfg, "legal");
	assert_non_null(u);
	assert_ptr_equal(u, &cfg->units[3]);
	assert_null(config_unit_find(cfg, "Legal"));
	assert_null(config_unit_find(cfg, "other"));
	assert_null(config_unit_find(cfg, ""));
	config_free(cfg);
}

static void
test_config__unit_id_other__refused(void **state)
{
	test_refused(state, "[unit.other]\nname = Other\n",
	    "2: invalid unit id 'other' (lower-case letters, digits and '-', "
	    "at most 32)");
}

static void
test_config__unit_id_leading_dash__refused(void **state)
{
	test_refused(state, "[unit.-x]\nname = X\n",
	    "2: invalid unit id '-x' (lower-case letters, digits and '-', at "
	    "most 32)");
}

static void
test_config__unit_id_33_chars__refused(void **state)
{
	struct config *cfg;

	test_refused(state,
	    "[unit.abcdefghijklmnopqrstuvwxyz0123456]\nname = X\n",
	    "2: invalid unit id 'abcdefghijklmnopqrstuvwxyz0123456' "
	    "(lower-case letters, digits and '-', at most 32)");
	cfg = test_load_ok(
	    state, "[unit.abcdefghijklmnopqrstuvwxyz012345]\nname = X\n");
	assert_string_equal(
	    cfg->units[0].id, "abcdefghijklmnopqrstuvwxyz012345");
	config_free(cfg);
}

static void
test_config__acknowledge_days__bounds(void **state)
{
	struct config *cfg;

	test_refused(state, "[unit.ethics]\nacknowledge_days = 0\n",
	    "2: acknowledge_days: expected 1..365, not '0'");
	test_refused(state, "[unit.ethics]\nacknowledge_days = 366\n",
	    "2: acknowledge_days: expected 1..365, not '366'");
	cfg = test_load_ok(state, "[unit.ethics]\nacknowledge_days = 365\n");
	assert_int_equal(cfg->units[0].acknowledge_days, 365);
	config_free(cfg);
}

static void
test_config__auditors_value__cases_or_counts(void **state)
{
	struct config *cfg;

	test_refused(state, "[unit.ethics]\nauditors = none\n",
	    "2: auditors: expected cases or counts, not 'none'");
	cfg = test_load_ok(state, "[unit.ethics]\nauditors = counts\n");
	assert_int_equal(cfg->units[0].auditors_counts_only, 1);
	config_free(cfg);
}

static void
test_config__unit_name_128_bytes__refused(void **state)
{
	char text[256], name[129];
	struct config *cfg;

	memset(name, 'n', 128);
	name[128] = '\0';
	snprintf(text, sizeof text, "[unit.ethics]\nname = %s\n", name);
	test_refused(state, text, "2: unit ethics: name too long");
	name[127] = '\0';
	snprintf(text, sizeof text, "[unit.ethics]\nname = %s\n", name);
	cfg = test_load_ok(state, text);
	assert_string_equal(cfg->units[0].name, name);
	config_free(cfg);
}

static void
test_config__token__maps_to_its_user(void **state)
{
	struct config *cfg = test_load_ok(state,
	    "[tokens]\nalice = " TEST_HASH_ABC "\nbob = " TEST_HASH_HORSE "\n");
	const char *user;

	assert_int_equal(cfg->ntokens, 2);
	user = config_token_user(cfg, "abc", 3);
	assert_non_null(user);
	assert_string_equal(user, "alice");
	user = config_token_user(cfg, "correct horse", 13);
	assert_non_null(user);
	assert_string_equal(user, "bob");
	config_free(cfg);
}

static void
test_config__token_unknown__no_user(void **state)
{
	struct config *cfg =
	    test_load_ok(state, "[tokens]\nalice = " TEST_HASH_ABC "\n");

	assert_null(config_token_user(cfg, "abd", 3));
	assert_null(config_token_user(cfg, "ab", 2));
	assert_null(config_token_user(cfg, "abc ", 4));
	assert_null(config_token_user(cfg, "", 0));
	/* The length given is what is hashed, not the C string. */
	assert_null(config_token_user(cfg, "abcd", 4));
	assert_string_equal(config_token_user(cfg, "abcd", 3), "alice");
	config_free(cfg);
}

static void
test_config__no_tokens__no_user(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load(NULL, &cause);

	assert_non_null(cfg);
	assert_null(config_token_user(cfg, "abc", 3));
	config_free(cfg);
}

static void
test_config__token_upper_case_hex__accepted(void **state)
{
	char text[128], hex[] = TEST_HASH_ABC;
	struct config *cfg;

	for (size_t i = 0; hex[i] != '\0'; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	snprintf(text, sizeof text, "[tokens]\nalice = %s\n", hex);
	cfg = test_load_ok(state, text);
	assert_string_equal(config_token_user(cfg, "abc", 3), "alice");
	config_free(cfg);
}

static void
test_config__token_not_a_hash__refused(void **state)
{
	static const char msg[] =
	    "2: token of 'alice': expected the 64-hex-digit BLAKE2b-256 hash "
	    "of the token (mandated --hash-token)";

	/* 63 digits, 65 digits, a non-hex digit, the token in clear. */
	test_refused(state,
	    "[tokens]\nalice = "
	    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d5231\n",
	    msg);
	test_refused(state, "[tokens]\nalice = " TEST_HASH_ABC "0\n", msg);
	test_refused(state,
	    "[tokens]\nalice = "
	    "gddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
	    "\n",
	    msg);
	test_refused(state, "[tokens]\nalice = abc\n", msg);
}

static void
test_config__token_bad_user_name__refused(void **state)
{
	test_refused(state, "[tokens]\n-alice = " TEST_HASH_ABC "\n",
	    "2: invalid user name '-alice' in [tokens]");
	test_refused(state, "[tokens]\nal ice = " TEST_HASH_ABC "\n",
	    "2: invalid user name 'al ice' in [tokens]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config__no_file__embedded_defaults),
	    cmocka_unit_test(test_config__no_file__four_default_units),
	    cmocka_unit_test(
	        test_config__empty_file__defaults_and_path_recorded),
	    cmocka_unit_test(test_config__daemon_keys__override_defaults),
	    cmocka_unit_test(
	        test_config__database_unset__follows_state_directory),
	    cmocka_unit_test(test_config__empty_optional_values__unset),
	    cmocka_unit_test(test_config__empty_required_values__refused),
	    cmocka_unit_test(test_config__unknown_key__names_file_and_line),
	    cmocka_unit_test(test_config__unknown_section__names_file_and_line),
	    cmocka_unit_test(test_config__unknown_roles_key__names_section),
	    cmocka_unit_test(test_config__unknown_unit_key__names_section),
	    cmocka_unit_test(test_config__line_without_equals__syntax_error),
	    cmocka_unit_test(
	        test_config__overlong_line__refused_on_its_own_line),
	    cmocka_unit_test(
	        test_config__lifecycle_list_continued__lines_add_up),
	    cmocka_unit_test(test_config__lifecycle_key_given_again__replaces),
	    cmocka_unit_test(
	        test_config__syntax_error_then_bad_key__first_error_reported),
	    cmocka_unit_test(test_config__two_bad_keys__first_reported),
	    cmocka_unit_test(test_config__missing_file__cannot_open),
	    cmocka_unit_test(test_config__max_connections__bounds),
	    cmocka_unit_test(test_config__max_body_bytes__bounds),
	    cmocka_unit_test(test_config__max_header_bytes__bounds),
	    cmocka_unit_test(test_config__timeout_seconds__bounds),
	    cmocka_unit_test(test_config__allow_root__booleans),
	    cmocka_unit_test(
	        test_config__roles_lists__split_on_commas_and_blanks),
	    cmocka_unit_test(test_config__list_has__exact_names_only),
	    cmocka_unit_test(
	        test_config__units_section__replaces_default_units),
	    cmocka_unit_test(
	        test_config__units_sections__every_key_in_file_order),
	    cmocka_unit_test(test_config__unit_find__by_exact_id),
	    cmocka_unit_test(test_config__unit_id_other__refused),
	    cmocka_unit_test(test_config__unit_id_leading_dash__refused),
	    cmocka_unit_test(test_config__unit_id_33_chars__refused),
	    cmocka_unit_test(test_config__acknowledge_days__bounds),
	    cmocka_unit_test(test_config__auditors_value__cases_or_counts),
	    cmocka_unit_test(test_config__unit_name_128_bytes__refused),
	    cmocka_unit_test(test_config__token__maps_to_its_user),
	    cmocka_unit_test(test_config__token_unknown__no_user),
	    cmocka_unit_test(test_config__no_tokens__no_user),
	    cmocka_unit_test(test_config__token_upper_case_hex__accepted),
	    cmocka_unit_test(test_config__token_not_a_hash__refused),
	    cmocka_unit_test(test_config__token_bad_user_name__refused),
	};

	return cmocka_run_group_tests(
	    tests, test_group_setup, test_group_teardown);
}
