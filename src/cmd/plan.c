/* pseconv plan: placeholder until its issue lands. */
#include "cmd.h"

int cmd_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("plan", "'plan' is not implemented yet");
}
