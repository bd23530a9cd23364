/* pseconv export: placeholder until its issue lands. */
#include "cmd.h"

int cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("export", "'export' is not implemented yet");
}
