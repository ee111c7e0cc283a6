/* kaohe — entry point; everything lives in the modules (see cli.c). */
#include "cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
