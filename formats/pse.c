/* Placeholder until the pse reader/writer lands. */
#include "format.h"

const psc_format psc_format_pse = {"pse", "", 0, NULL, NULL, NULL};
