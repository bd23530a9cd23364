/* Placeholder until the pselist reader/writer lands. */
#include "format.h"

const psc_format psc_format_pselist = {"pselist", "", 0, NULL, NULL, NULL};
