/* cli — the command line of SPEC 1: parses commands and options, prints help
 * and usage errors (exit 2), and dispatches to batch, calendar and sample. */
#ifndef KAOHE_CLI_H
#define KAOHE_CLI_H

#define KAOHE_VERSION "0.1.0"

/* Run kaohe with argv; returns the process exit status. */
int cli_main(int argc, char **argv);

#endif
