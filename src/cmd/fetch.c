/* pseconv fetch: placeholder until its issue lands. */
#include "cmd.h"

int cmd_fetch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("fetch", "'fetch' is not implemented yet");
}
