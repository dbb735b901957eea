/*
 * Saving a streamed export (the audit log, the case log) to a file or
 * standard output as it arrives, and checking that it arrived whole: its
 * last line must be the export's closing record.
 */
#ifndef MANDATE_CLIENT_FETCH_H
#define MANDATE_CLIENT_FETCH_H

#include <stdint.h>

struct cmd_env;

/*
 * GETs path into file (written as file.part, mode 0600, renamed into
 * place once whole; NULL: standard output), after a GET of preflight that
 * opens the connection and checks the caller's role.  The export is whole
 * when its last line is a record of kind closing ("seal", "end").
 * *bytes (may be NULL) receives the size.  Returns 0, or an exit status
 * after printing the error.
 */
int fetch_export(struct cmd_env *env, const char *preflight, const char *path,
    const char *file, const char *closing, int64_t *bytes)
    __attribute__((warn_unused_result));

#endif
