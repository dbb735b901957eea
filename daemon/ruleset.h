/*
 * The rules a configuration names: its rules file, or the default rules
 * embedded in the binary, compiled against its units.
 */
#ifndef MANDATE_RULESET_H
#define MANDATE_RULESET_H

struct config;
struct rules;

/* Compiles the configured rules.  Returns them, or NULL with *cause set
 * ("FILE:LINE:COLUMN: message"; caller frees). */
struct rules *ruleset_load(const struct config *cfg, char **cause)
    __attribute__((warn_unused_result));

/* The name of the rules source, for logs: a path or "(embedded)". */
const char *ruleset_source(const struct config *cfg);

#endif
