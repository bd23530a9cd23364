/* Placeholder until the p7b reader/writer lands. */
#include "format.h"

const psc_format psc_format_p7b = {"p7b", "", 0, NULL, NULL, NULL};
