#include "cpi_policy.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int psc_cpi_alias_reserved(const char *alias)
{
    static const char *const names[] = {"hcicertificate", "hcicertificate1", "hcimsgcertificate"};
    if (alias == NULL)
        return 0;
    if (strncasecmp(alias, "sap_", 4) == 0)
        return 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(alias, names[i]) == 0)
            return 1;
    return 0;
}

int psc_cpi_password_ok(const psc_secret *password)
{
    if (!psc_secret_is_set(password) || password->len < 8)
        return 0;
    int lower = 0, upper = 0, digit = 0, special = 0;
    for (size_t i = 0; i < password->len; i++) {
        unsigned char ch = (unsigned char)password->data[i];
        if (ch < 0x20 || ch > 0x7e)
            return 0; /* printable ASCII only */
        if (islower(ch)) lower = 1;
        else if (isupper(ch)) upper = 1;
        else if (isdigit(ch)) digit = 1;
        else special = 1;
    }
    return lower + upper + digit + special >= 3;
}

void psc_cpi_policy_check(psc_store *st, const psc_secret *password, size_t file_bytes)
{
    int has_keypair = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        if (en->key != NULL && (en->type == PSC_ENTRY_KEYPAIR || en->type == PSC_ENTRY_OWN))
            has_keypair = 1;
        if (psc_cpi_alias_reserved(en->alias))
            psc_store_warn(st, "--for cpi: alias '%s' is reserved by SAP Cloud Integration "
                               "(sap_*, hcicertificate, hcicertificate1, hcimsgcertificate); "
                               "rename the entry before uploading", en->alias);
    }
    if (!psc_cpi_password_ok(password))
        psc_store_warn(st, "--for cpi: the keystore password does not meet SAP Cloud "
                           "Integration's keystore policy (at least 8 ASCII characters from 3 of lower "
                           "case, upper case, digits, special characters)");
    if (has_keypair && file_bytes > PSC_CPI_MAX_KEYPAIR_FILE_BYTES)
        psc_store_warn(st, "--for cpi: the file is %zu bytes; SAP Cloud Integration's Add > "
                           "Key Pair takes at most %u bytes", file_bytes,
                       PSC_CPI_MAX_KEYPAIR_FILE_BYTES);
}
