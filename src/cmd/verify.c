/* pseconv verify: placeholder until its issue lands. */
#include "cmd.h"

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("verify", "'verify' is not implemented yet");
}
