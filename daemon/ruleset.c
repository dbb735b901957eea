/*
 * Reading the rules file (bounded in size) or taking the embedded default,
 * and compiling it for the configured units.
 */
#include "ruleset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "embed.h"
#include "rules.h"

#define RULESET_MAX_BYTES (4 * 1024 * 1024)

static char *
ruleset_read(const char *path, size_t *len, char **cause)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n;

	if (f == NULL)
		goto fail;
	buf = malloc(RULESET_MAX_BYTES + 1);
	if (buf == NULL)
		abort();
	n = fread(buf, 1, RULESET_MAX_BYTES + 1, f);
	if (ferror(f))
		goto fail;
	fclose(f);
	if (n > RULESET_MAX_BYTES) {
		free(buf);
		if (asprintf(cause, "%s: larger than %d bytes", path,
		        RULESET_MAX_BYTES) < 0)
			abort();
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (asprintf(cause, "%s: %s", path, strerror(errno)) < 0)
		abort();
	if (f != NULL)
		fclose(f);
	free(buf);
	return NULL;
}

const char *
ruleset_source(const struct config *cfg)
{
	return cfg->rules_path ? cfg->rules_path : "(embedded default.rules)";
}

struct rules *
ruleset_load(const struct config *cfg, char **cause)
{
	const char *units[64];
	struct rules *rules;
	size_t nunits = 0, len;
	char *text;

	for (size_t i = 0; i < cfg->nunits && nunits < 64; i++)
		units[nunits++] = cfg->units[i].id;
	if (cfg->rules_path == NULL)
		return rules_load(embed_default_rules.data,
		    embed_default_rules.len, "default.rules", units, nunits,
		    cause);
	text = ruleset_read(cfg->rules_path, &len, cause);
	if (text == NULL)
		return NULL;
	rules = rules_load(text, len, cfg->rules_path, units, nunits, cause);
	free(text);
	return rules;
}
