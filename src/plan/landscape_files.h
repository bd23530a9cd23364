/* The landscape's file keys and reading the files they name into a system's
 * stores (landscape_files.c); below landscape.c, which parses the INI. */
#ifndef PSC_LANDSCAPE_FILES_H
#define PSC_LANDSCAPE_FILES_H

#include "plan_types.h"

const char *psc_key_name(psc_key k); /* "client_cert", ... */
int psc_key_is_state(psc_key k);     /* the PSE/keystore/trust_store keys */

/* A path from the landscape, relative to the landscape file's folder
 * (absolute paths and "-" as they are).  Malloc'ed, NULL when out of memory. */
char *psc_landscape_resolve(const char *landscape_file, const char *value);
/* A password SPEC from the landscape: file:PATH is relative to the
 * landscape's folder, like every other path in it.  Malloc'ed. */
char *psc_landscape_resolve_spec(const char *landscape_file, const char *spec);

/* Add a warning for stderr (ls->warnings); out of memory drops it. */
void psc_landscape_warn(psc_landscape *ls, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Read the file of key k of system s (value as written at `line`; NULL: key
 * not given) into s->store or, for a current-state key, s->state (made here
 * on first use), and remember its certificates and leaf in s->files[k].  pin_key/pin_spec/
 * pin_line: the password key that goes with it (pse_pin, keystore_password),
 * may be NULL.  Errors name the landscape line, the key and the system. */
int psc_landscape_read_file(psc_landscape *ls, psc_system *s, psc_key k, const char *value,
                            int line, const char *pin_key, const char *pin_spec, int pin_line,
                            psc_err *e);

#endif
