/* exitcode — the exit statuses of SPEC 1, shared by every command (build,
 * check, quota, merge, …) so a module that ends a run needs no other
 * module's header for them. */
#ifndef KAOHE_EXITCODE_H
#define KAOHE_EXITCODE_H

enum {
    EXIT_OK = 0,            /* all good (warnings allowed) */
    EXIT_UNIT_ERRORS = 1,   /* finished, but some unit has an error finding */
    EXIT_USAGE = 2,         /* usage error */
    EXIT_INPUT = 3,         /* an input file is unreadable, not well-formed or invalid */
    EXIT_OUTPUT = 4         /* output could not be written */
};

#endif
