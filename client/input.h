/*
 * Case input for submit and route: the options they share and the reading
 * of title and narrative from files, a case JSON file or standard input.
 * Content never comes from argv, where ps(1) would show it.
 */
#ifndef MANDATE_CLIENT_INPUT_H
#define MANDATE_CLIENT_INPUT_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>

/* Largest title + narrative read from a file or standard input, and
 * largest case JSON file: past these the server would refuse anyway. */
#define INPUT_TEXT_MAX (4 * 64 * 1024)
#define INPUT_CASE_FILE_MAX (1024 * 1024)

enum input_option {
	INPUT_OPT_CATEGORY = 0x200,
	INPUT_OPT_SUBJECT_OFFICE,
	INPUT_OPT_LANGUAGE,
	INPUT_OPT_ANONYMOUS,
	INPUT_OPT_SUBJECTS_FILE,
	INPUT_OPT_TITLE_FILE,
	INPUT_OPT_NARRATIVE_FILE,
	INPUT_OPT_CASE_FILE,
};

/* getopt_long entries for the options of enum input_option. */
#define INPUT_LONGOPTS                                                     \
	{"category", required_argument, NULL, INPUT_OPT_CATEGORY},         \
	    {"subject-office", required_argument, NULL,                    \
	        INPUT_OPT_SUBJECT_OFFICE},                                 \
	    {"language", required_argument, NULL, INPUT_OPT_LANGUAGE},     \
	    {"anonymous", no_argument, NULL, INPUT_OPT_ANONYMOUS},         \
	    {"subjects-file", required_argument, NULL,                     \
	        INPUT_OPT_SUBJECTS_FILE},                                  \
	    {"title-file", required_argument, NULL, INPUT_OPT_TITLE_FILE}, \
	    {"narrative-file", required_argument, NULL,                    \
	        INPUT_OPT_NARRATIVE_FILE},                                 \
	{                                                                  \
		"case-file", required_argument, NULL, INPUT_OPT_CASE_FILE  \
	}

#define INPUT_USAGE                                                            \
	"[--category C] [--subject-office UNIT] [--language L] "               \
	"[--anonymous]\n"                                                      \
	"        [--subjects-file F] [--title-file F] [--narrative-file F|-] " \
	"[--case-file F|-]"

#define INPUT_HELP_OPTIONS                                                    \
	"  --category C          misconduct, fraud, retaliation, "            \
	"workplace-dispute,\n"                                                \
	"                        conflict-of-interest, data-protection or "   \
	"legal\n"                                                             \
	"  --subject-office UNIT the unit the person concerned works in, or " \
	"other\n"                                                             \
	"  --language L          the language of the case (BCP 47: en, fr, "  \
	"es...)\n"                                                            \
	"  --anonymous           do not record who submitted the case\n"      \
	"  --subjects-file F     the people or organisations the case is "    \
	"about,\n"                                                            \
	"                        one per line (names never go on the "        \
	"command line)\n"                                                     \
	"  --title-file F        read the title from file F\n"                \
	"  --narrative-file F    read the narrative from file F (- for "      \
	"standard input)\n"                                                   \
	"  --case-file F         read a case JSON object from F (- for "      \
	"standard input);\n"                                                  \
	"                        the options above override its fields\n"

#define INPUT_HELP_NOTE                                                      \
	"\n"                                                                 \
	"Title and narrative never go on the command line.  Without files, " \
	"they are\n"                                                         \
	"read from standard input: on a terminal after prompts; otherwise "  \
	"the first\n"                                                        \
	"line is the title and the rest is the narrative.\n"

struct input_case {
	const char *title_file;
	const char *narrative_file; /* "-" for standard input */
	const char *case_file;      /* "-" for standard input */
	const char *category;
	const char *subject_office;
	const char *language;
	int anonymous;
	const char *subjects_file; /* one name per line */
	const char *id;            /* route only: echoed back by the server */
};

/* Records an option of enum input_option (arg is optarg, borrowed).
 * Returns 1 when ch was one of them, 0 otherwise. */
int input_option(struct input_case *in, int ch, const char *arg);

/*
 * Builds the case JSON object from in: the case file first, then title
 * and narrative from their files or standard input, then the options.
 * Checks locally only that title and narrative are non-empty UTF-8.
 * Returns 0 and *casep (a new reference), or a sysexits(3) status with
 * *cause set (caller frees; NULL on entry): EX_NOINPUT for unreadable
 * files, EX_USAGE for conflicting sources, the error table's status for
 * empty, oversize or non-UTF-8 text.
 */
int input_read_case(json_t **casep, const struct input_case *in, char **cause)
    __attribute__((warn_unused_result));

/* Frees what input_option() allocated. */
void input_case_clear(struct input_case *in);

#endif
