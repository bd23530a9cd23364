/* Placeholder until the pem reader/writer lands. */
#include "format.h"

const psc_format psc_format_pem = {"pem", "", 0, NULL, NULL, NULL};
