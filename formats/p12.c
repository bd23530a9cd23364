/* Placeholder until the p12 reader/writer lands. */
#include "format.h"

const psc_format psc_format_p12 = {"p12", "", 0, NULL, NULL, NULL};
