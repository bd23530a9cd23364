/* JKS (magic FEEDFEED): private keys under the Sun key protector and trusted
 * certificates.  Everything is shared with JCEKS in javaks.c; this file only
 * registers the format. */
#include "javaks.h"

static int probe(const unsigned char *buf, size_t len)
{
    return psc_javaks_probe(buf, len, PSC_JKS_MAGIC);
}

static int read_jks(psc_store *st, const unsigned char *buf, size_t len, const psc_read_opts *opts,
                    psc_err *e)
{
    return psc_javaks_read(st, buf, len, opts, PSC_JAVAKS_JKS, NULL, e);
}

static int write_jks(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    return psc_javaks_write(st, out, opts, PSC_JAVAKS_JKS, e);
}

const psc_format psc_format_jks = {"jks", ".jks .keystore .ks", 0, probe, read_jks, write_jks};
