/* What JKS and JCEKS share (private to formats/jks.c and formats/jceks.c):
 * the entry walk, the "Mighty Aphrodite" SHA-1 integrity trailer, Java's
 * password-to-bytes conversions and the two Sun key protectors.
 *
 * File layout (big-endian): magic (FEEDFEED JKS, CECECECE JCEKS), version
 * (1 or 2), entry count, entries, SHA-1 trailer.  Entry: tag (1 private key,
 * 2 trusted certificate, 3 JCEKS sealed secret key), alias (modified UTF-8),
 * timestamp (ms), then the tag's body. */
#ifndef PSC_JAVAKS_H
#define PSC_JAVAKS_H

#include <stddef.h>
#include <stdint.h>
#include "format.h"
#include "cursor.h"

#define PSC_JKS_MAGIC 0xFEEDFEEDu
#define PSC_JCEKS_MAGIC 0xCECECECEu
/* JCEKS key protection iterations when writing (JDK 17's jdk.jceks.iterationCount default). */
#define PSC_JCEKS_WRITE_ITERATIONS 200000u

/* DER contents of the key-protection OIDs: 1.3.6.1.4.1.42.2.17.1.1 (JKS)
 * and 1.3.6.1.4.1.42.2.19.1 (JCEKS PBEWithMD5AndTripleDES). */
extern const unsigned char PSC_OID_JKS_KEYPROT[10];
extern const unsigned char PSC_OID_JCE_PBE[9];

typedef enum psc_javaks_kind { PSC_JAVAKS_JKS = 0, PSC_JAVAKS_JCEKS } psc_javaks_kind;

/* Password as Java hands it to the integrity hash and the JKS key protector:
 * every UTF-16 code unit big-endian (UTF-8 decoded, non-BMP as surrogate
 * pairs).  Returns a malloc'd buffer (wipe + free it) or NULL on invalid
 * UTF-8 / no memory; *n receives the length (0 for ""). */
unsigned char *psc_javaks_utf16be(const psc_secret *pw, size_t *n);

/* SHA-1(password UTF-16BE || "Mighty Aphrodite" || data[0..len)). */
int psc_javaks_trailer(const unsigned char *pw16, size_t pw16_len, const unsigned char *data,
                       size_t len, unsigned char out[20]);

/* Sun JKS key protector (OID 1.3.6.1.4.1.42.2.17.1.1): blob = salt(20) ||
 * ciphertext || SHA-1(pw16 || plaintext).  Decrypt returns 0 and a malloc'd
 * plaintext (wipe it), 1 when the check digest does not match (wrong
 * password), -1 on malformed input or no memory. */
int psc_jks_key_decrypt(const unsigned char *blob, size_t n, const unsigned char *pw16,
                        size_t pw16_len, unsigned char **out, size_t *out_len);
int psc_jks_key_encrypt(const unsigned char *plain, size_t n, const unsigned char *pw16,
                        size_t pw16_len, unsigned char **out, size_t *out_len);

/* Sun's PBEWithMD5AndTripleDES (OID 1.3.6.1.4.1.42.2.19.1): salt 8 bytes,
 * password as ASCII bytes.  Returns 0 ok, 1 bad padding (wrong password),
 * -1 on malformed input, non-ASCII password or no memory. */
int psc_jce_pbe_decrypt(const unsigned char *ct, size_t n, const unsigned char salt[8],
                        unsigned long iterations, const psc_secret *pw, unsigned char **out,
                        size_t *out_len);
int psc_jce_pbe_encrypt(const unsigned char *plain, size_t n, const unsigned char salt[8],
                        unsigned long iterations, const psc_secret *pw, unsigned char **out,
                        size_t *out_len);

/* Parse PBEParameter ::= SEQUENCE { salt OCTET STRING (8), iterationCount INTEGER }. */
int psc_jce_pbe_params(psc_cursor *params, unsigned char salt[8], unsigned long *iterations);

/* JCEKS hands tag-3 bodies to this hook twice.  While walking the entries
 * (key_pw NULL): consume exactly the sealed object from c, list it (may set a
 * note).  After the integrity check passed, again over the same bytes with
 * the key password, to fill en->secret_alg when the key decrypts; errors are
 * ignored then.  Returns PSC_OK or an error (e set). */
typedef int (*psc_javaks_secret_fn)(psc_store *st, psc_entry *en, psc_cursor *c,
                                    const psc_secret *key_pw, const psc_read_opts *opts,
                                    psc_err *e);

int psc_javaks_probe(const unsigned char *buf, size_t len, uint32_t magic);
int psc_javaks_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_javaks_kind kind, psc_javaks_secret_fn secret,
                    psc_err *e);
int psc_javaks_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_javaks_kind kind,
                     psc_err *e);

#endif
