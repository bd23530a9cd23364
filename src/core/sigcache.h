/* Signature verification with a process-wide memo of the answers.
 *
 * Whether an issuer's key verifies a child's signature depends only on the
 * two DER encodings, so the answer is kept per (child, issuer) SHA-256 pair:
 * `plan` builds each system's chains more than once (the identities, then
 * the checks), and the same root's self-signature and CA -> root edge come
 * up for every system (a quarter of `plan`'s time for 200 systems).  The
 * table grows with the pairs checked, up to 12,288 pairs; then a new
 * generation starts and the pairs asked again move into it.  Not
 * thread-safe (the tool is single-threaded). */
#ifndef PSC_SIGCACHE_H
#define PSC_SIGCACHE_H

#include "certfacts.h"

/* X509_self_signed(psc_cert_x509(c), 1) == 1: subject == issuer (and AKI/SKI
 * agree) and the certificate's own key verifies its signature.  c->sha256
 * must be set; 0 when the certificate does not decode. */
int psc_sigcache_self_signed(const psc_cert *c);
/* issuer's public key verifies child's signature (0 when either does not decode). */
int psc_sigcache_signed_by(const psc_cert *child, const psc_cert *issuer);
/* How many answers the memo's current generation holds (for tests). */
size_t psc_sigcache_entries(void);

#endif
