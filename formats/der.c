/* Placeholder until the der reader/writer lands. */
#include "format.h"

const psc_format psc_format_der = {"der", "", 0, NULL, NULL, NULL};
