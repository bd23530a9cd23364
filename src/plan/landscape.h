/* The landscape file: INI -> systems, flows and hops, and every named file
 * read through the format layer into a store per system (landscape.c). */
#ifndef PSC_LANDSCAPE_H
#define PSC_LANDSCAPE_H

#include "plan_types.h"
#include "landscape_files.h" /* psc_key_name, psc_key_is_state */

/* Parse and read every file.  Errors: PSC_EUSAGE "FILE:LINE: ..." for the
 * landscape itself (unknown section/key/type, unknown system in a path, a hop
 * no rule covers), PSC_EINPUT for an unreadable certificate file. */
int psc_landscape_load(const char *file, psc_landscape **out, psc_err *e);
void psc_landscape_free(psc_landscape *ls);
const psc_system *psc_landscape_system(const psc_landscape *ls, const char *name);

#endif
