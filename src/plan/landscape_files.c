/* The files a landscape names: the file keys' names, paths relative to the
 * landscape's folder, and reading each file through the format layer into
 * the system's stores (its own certificates, or the current state: PSEs,
 * keystore, SCC Trust Store).  landscape.c parses the INI and calls in here;
 * nothing here calls back. */
#include "landscape_files.h"
#include "landscape_scc.h"
#include "format.h"
#include "secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const key_names[PSC_KEY_COUNT] = {
    "client_cert", "server_cert", "chain", "client_chain", "server_chain",
    "ssl_client_pse", "ssl_server_pse", "ssl_anonymous_pse", "keystore",
    "system_cert", "ca_cert", "trust_store"};

const char *psc_key_name(psc_key k) { return k < PSC_KEY_COUNT ? key_names[k] : "?"; }

int psc_key_is_state(psc_key k)
{
    return (k >= PSC_KEY_SSL_CLIENT_PSE && k <= PSC_KEY_KEYSTORE) || k == PSC_KEY_TRUST_STORE;
}

void psc_landscape_warn(psc_landscape *ls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = psc_vstrfmt(fmt, ap);
    va_end(ap);
    size_t cap = ls->nwarnings; /* grown one by one: warnings are few */
    if (msg && psc_grow((void **)&ls->warnings, &cap, ls->nwarnings + 1, sizeof *ls->warnings) == 0)
        ls->warnings[ls->nwarnings++] = msg;
    else
        free(msg);
}

char *psc_landscape_resolve(const char *file, const char *value)
{
    if (value[0] == '/' || strcmp(value, "-") == 0)
        return strdup(value);
    const char *slash = strrchr(file, '/');
    size_t dl = slash ? (size_t)(slash - file) + 1 : 0;
    char *p = malloc(dl + strlen(value) + 1);
    if (p) {
        memcpy(p, file, dl);
        strcpy(p + dl, value);
    }
    return p;
}

char *psc_landscape_resolve_spec(const char *file, const char *spec)
{
    if (strncmp(spec, "file:", 5) != 0)
        return strdup(spec);
    char *path = psc_landscape_resolve(file, spec + 5);
    char *out = path ? psc_strfmt("file:%s", path) : NULL;
    free(path);
    return out;
}

/* The password that goes with a file (pse_pin, keystore_password), into pw. */
static int read_pin(psc_landscape *ls, const char *pin_key, const char *pin_spec, int pin_line,
                    psc_secret *pw, psc_err *e)
{
    char *spec = psc_landscape_resolve_spec(ls->file, pin_spec);
    if (spec == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    int visible = 0;
    psc_err pe = {0};
    int src = psc_secret_from_spec(pw, spec, pin_key, &visible, &pe);
    psc_wipe(spec, strlen(spec));
    free(spec);
    if (src != PSC_OK)
        return psc_fail(e, pe.code, "%s:%d: %s", ls->file, pin_line, pe.msg);
    if (visible)
        psc_landscape_warn(ls, "%s:%d: %s = pass:... puts the secret in the file; prefer env:VAR "
                               "or file:PATH", ls->file, pin_line, pin_key);
    return PSC_OK;
}

/* Remember the certificates the new entries hold, each once, and the leaf:
 * the certificate that issues nothing else in the file. */
static int collect_certs(psc_store *st, size_t before, psc_material *m, psc_err *e)
{
    for (size_t i = before; i < psc_store_entry_count(st); i++) {
        psc_entry *en = psc_store_entry(st, i);
        for (size_t j = 0; j < en->chain_len; j++) {
            int seen = 0;
            for (size_t q = 0; q < m->ncerts; q++)
                seen = seen || m->certs[q] == en->chain[j];
            if (seen)
                continue;
            /* capacity: exact up to 4 (a leaf and its chain, for each of 2,000
             * systems), then powers of two (a trust store of 10,000) */
            size_t cap = m->ncerts;
            if (cap > 4)
                for (cap = 8; cap < m->ncerts; cap *= 2)
                    ;
            if (m->ncerts + 1 > cap) {
                size_t ncap = m->ncerts < 4 ? m->ncerts + 1 : cap * 2;
                psc_cert **nc = realloc(m->certs, ncap * sizeof *nc);
                if (nc == NULL)
                    return psc_fail(e, PSC_EINPUT, "out of memory");
                m->certs = nc;
            }
            m->certs[m->ncerts++] = en->chain[j];
        }
    }
    for (size_t q = 0; q < m->ncerts && m->leaf == NULL; q++) {
        int issues = 0;
        for (size_t o = 0; o < m->ncerts && !issues; o++)
            issues = o != q && !m->certs[o]->self_signed &&
                     strcmp(m->certs[o]->issuer, m->certs[q]->subject) == 0 &&
                     psc_cert_signed_by(m->certs[o], m->certs[q]);
        if (!issues)
            m->leaf = m->certs[q];
    }
    return PSC_OK;
}

int psc_landscape_read_file(psc_landscape *ls, psc_system *s, psc_key k, const char *value,
                            int line, const char *pin_key, const char *pin_spec, int pin_line,
                            psc_err *e)
{
    psc_material *m = &s->files[k];
    if (value == NULL)
        return PSC_OK;
    m->value = strdup(value);
    m->line = line;
    if (m->value && k == PSC_KEY_TRUST_STORE && psc_landscape_scc_empty_store(m->value))
        return PSC_OK; /* "trust_store = empty": no file, the Trust Store lists nothing */
    if (m->value == NULL || (m->path = psc_landscape_resolve(ls->file, m->value)) == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    psc_secret pw = {0};
    if (pin_spec) {
        int rc = read_pin(ls, pin_key, pin_spec, pin_line, &pw, e);
        if (rc != PSC_OK)
            return rc;
    }
    if (psc_key_is_state(k) && s->state == NULL &&
        (s->state = psc_store_new_pooled(ls->certs)) == NULL) {
        psc_secret_clear(&pw);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    psc_store *st = psc_key_is_state(k) ? s->state : s->store;
    psc_read_opts ro = {0};
    ro.path = m->path;
    ro.password = &pw;
    size_t before = psc_store_entry_count(st), warned = psc_store_warning_count(st);
    psc_err re = {0};
    int rc = psc_read_file(st, m->path, NULL, &ro, NULL, &re);
    psc_secret_clear(&pw);
    for (size_t i = warned; i < psc_store_warning_count(st); i++)
        psc_landscape_warn(ls, "[system %s] %s: %s", s->name, key_names[k],
                           psc_store_warning(st, i));
    if (rc != PSC_OK)
        return psc_fail(e, rc, "%s (%s:%d, %s of %s)", re.msg, ls->file, m->line, key_names[k],
                        s->name);
    if ((rc = collect_certs(st, before, m, e)) != PSC_OK)
        return rc;
    if (m->ncerts == 0 && !psc_key_is_state(k))
        return psc_fail(e, PSC_EINPUT,
                        "%s: holds no certificate (%s:%d, %s of %s); give a PEM, DER, P7B, "
                        "PKCS#12, JKS or PSE file with the certificate",
                        m->path, ls->file, m->line, key_names[k], s->name);
    return PSC_OK;
}
