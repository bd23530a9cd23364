/* Path building: depth-first over the issuer index, keeping the best path
 * by (all valid now, complete, shortest).  Signatures are verified here (and
 * in psc_cert_issues_any), only where they decide something.  The depth bound and the "already
 * on the path" check make circular or absurd inputs terminate. */
#include "chain.h"

#include <string.h>

typedef struct search {
    psc_store *st;
    time_t now;
    psc_cert *path[PSC_CHAIN_MAX];
    psc_chain best;
    int have_best;
    unsigned budget; /* edges tried; bounds work on adversarial cross-certificates */
} search;

static int valid_at(const psc_cert *c, time_t now)
{
    return c->not_before <= now && now <= c->not_after;
}

/* Is candidate (valid, complete, len) better than the current best? */
static int better(const search *s, int valid, int complete, size_t len)
{
    if (!s->have_best)
        return 1;
    if (valid != s->best.valid_now)
        return valid > s->best.valid_now;
    if (complete != s->best.complete)
        return complete > s->best.complete;
    return len < s->best.len;
}

static void offer(search *s, size_t len, int complete)
{
    int valid = 1;
    for (size_t i = 0; i < len; i++)
        valid = valid && valid_at(s->path[i], s->now);
    if (!better(s, valid, complete, len))
        return;
    memcpy(s->best.certs, s->path, len * sizeof s->path[0]);
    s->best.len = len;
    s->best.complete = complete;
    s->best.valid_now = valid;
    s->have_best = 1;
}

static void extend(search *s, size_t len)
{
    psc_cert *top = s->path[len - 1];
    /* A self-issued top ends the path as complete only when its own key
     * verifies it (memoized): a root with a broken signature, or a
     * self-issued key-rollover certificate signed by another key, is not a
     * trust anchor, so the search goes on to same-name issuers. */
    if (top->self_signed && psc_cert_signed_by(top, top)) {
        offer(s, len, 1);
        return;
    }
    psc_cert *cands[8];
    size_t n = psc_store_issuers_of(s->st, top, cands, 8);
    if (n > 8)
        n = 8;
    int extended = 0;
    for (size_t i = 0; i < n && len < PSC_CHAIN_MAX && s->budget > 0; i++) {
        psc_cert *c = cands[i];
        int on_path = 0;
        for (size_t j = 0; j < len; j++)
            on_path = on_path || s->path[j] == c;
        s->budget--;
        if (on_path || !psc_cert_signed_by(top, c))
            continue;
        s->path[len] = c;
        extended = 1;
        extend(s, len + 1);
    }
    if (!extended)
        offer(s, len, 0); /* incomplete: no issuer in the store */
}

void psc_chain_build(psc_store *st, psc_cert *leaf, time_t now, psc_chain *out)
{
    search s;
    memset(&s, 0, sizeof s);
    s.st = st;
    s.now = now;
    s.budget = 256;
    s.path[0] = leaf;
    extend(&s, 1);
    *out = s.best;
}

psc_role psc_cert_role(psc_store *st, const psc_cert *c)
{
    if (c->self_signed)
        return PSC_ROLE_ROOT;
    if (c->is_ca || psc_cert_issues_any(st, c))
        return PSC_ROLE_INTERMEDIATE;
    return PSC_ROLE_LEAF;
}
