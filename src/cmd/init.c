/* pseconv init: placeholder until its issue lands. */
#include "cmd.h"

int cmd_init(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("init", "'init' is not implemented yet");
}
