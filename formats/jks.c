/* Placeholder until the JKS/JCEKS reader/writer lands. */
#include "format.h"

const psc_format psc_format_jks = {"jks", ".jks .keystore .ks", 0, NULL, NULL, NULL};
const psc_format psc_format_jceks = {"jceks", ".jceks", 0, NULL, NULL, NULL};
