#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>

int psc_fail(psc_err *e, int code, const char *fmt, ...)
{
    if (e == NULL || e->code != PSC_OK)
        return code; /* the first error is the one the user needs */
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void psc_err_add_openssl(psc_err *e)
{
    unsigned long last = 0, code;
    while ((code = ERR_get_error()) != 0)
        last = code;
    if (e == NULL || last == 0)
        return;
    const char *reason = ERR_reason_error_string(last);
    if (reason == NULL)
        return;
    size_t used = strlen(e->msg);
    if (used + 3 < sizeof e->msg)
        snprintf(e->msg + used, sizeof e->msg - used, " (%s)", reason);
}

void psc_err_clear(psc_err *e)
{
    if (e == NULL)
        return;
    e->code = PSC_OK;
    e->msg[0] = '\0';
    e->partial = 0;
}
