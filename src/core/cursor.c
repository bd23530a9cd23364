#include "cursor.h"

#include <stdlib.h>
#include <string.h>

void psc_cursor_init(psc_cursor *c, const unsigned char *data, size_t len)
{
    c->data = data;
    c->len = data ? len : 0;
    c->pos = 0;
    c->failed = 0;
}

size_t psc_cursor_remaining(const psc_cursor *c)
{
    return c->failed ? 0 : c->len - c->pos;
}

/* The single place that decides whether n more bytes exist. */
static int take(psc_cursor *c, size_t n, const unsigned char **p)
{
    if (c->failed || n > c->len - c->pos) {
        c->failed = 1;
        return -1;
    }
    if (p)
        *p = c->data + c->pos;
    c->pos += n;
    return 0;
}

int psc_cursor_u8(psc_cursor *c, uint8_t *v)
{
    const unsigned char *p;
    if (take(c, 1, &p) != 0)
        return -1;
    *v = p[0];
    return 0;
}

int psc_cursor_u16be(psc_cursor *c, uint16_t *v)
{
    const unsigned char *p;
    if (take(c, 2, &p) != 0)
        return -1;
    *v = (uint16_t)((p[0] << 8) | p[1]);
    return 0;
}

int psc_cursor_u32be(psc_cursor *c, uint32_t *v)
{
    const unsigned char *p;
    if (take(c, 4, &p) != 0)
        return -1;
    *v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return 0;
}

int psc_cursor_u64be(psc_cursor *c, uint64_t *v)
{
    uint32_t hi, lo;
    if (psc_cursor_u32be(c, &hi) != 0 || psc_cursor_u32be(c, &lo) != 0)
        return -1;
    *v = ((uint64_t)hi << 32) | lo;
    return 0;
}

int psc_cursor_bytes(psc_cursor *c, size_t n, const unsigned char **p)
{
    return take(c, n, p);
}

int psc_cursor_copy(psc_cursor *c, void *dst, size_t n)
{
    const unsigned char *p;
    if (take(c, n, &p) != 0)
        return -1;
    memcpy(dst, p, n);
    return 0;
}

int psc_cursor_skip(psc_cursor *c, size_t n)
{
    return take(c, n, NULL);
}

int psc_cursor_sub(psc_cursor *c, size_t n, psc_cursor *sub)
{
    const unsigned char *p;
    if (take(c, n, &p) != 0) {
        psc_cursor_init(sub, NULL, 0);
        sub->failed = 1;
        return -1;
    }
    psc_cursor_init(sub, p, n);
    return 0;
}

char *psc_cursor_java_utf(psc_cursor *c)
{
    uint16_t n;
    const unsigned char *p;
    if (psc_cursor_u16be(c, &n) != 0 || take(c, n, &p) != 0)
        return NULL;
    if (memchr(p, '\0', n) != NULL) {
        c->failed = 1;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (s == NULL) {
        c->failed = 1;
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

int psc_cursor_lenbytes32(psc_cursor *c, const unsigned char **p, size_t *n)
{
    uint32_t len;
    if (psc_cursor_u32be(c, &len) != 0 || take(c, len, p) != 0)
        return -1;
    *n = len;
    return 0;
}

int psc_cursor_der_header(psc_cursor *c, unsigned *tag, size_t *len, size_t *header_len)
{
    size_t start = c->pos;
    uint8_t t, l;
    if (psc_cursor_u8(c, &t) != 0)
        return -1;
    if ((t & 0x1f) == 0x1f) { /* high tag numbers do not occur in the formats we parse */
        c->failed = 1;
        return -1;
    }
    if (psc_cursor_u8(c, &l) != 0)
        return -1;
    size_t n = l;
    if (l & 0x80) {
        unsigned k = l & 0x7f;
        if (k == 0 || k > 4) { /* indefinite (BER) or absurd */
            c->failed = 1;
            return -1;
        }
        n = 0;
        for (unsigned i = 0; i < k; i++) {
            uint8_t b;
            if (psc_cursor_u8(c, &b) != 0)
                return -1;
            n = (n << 8) | b;
        }
    }
    if (n > c->len - c->pos) {
        c->failed = 1;
        return -1;
    }
    *tag = t;
    *len = n;
    if (header_len)
        *header_len = c->pos - start;
    return 0;
}

int psc_cursor_der_expect(psc_cursor *c, unsigned tag, psc_cursor *content)
{
    unsigned t;
    size_t n;
    size_t save = c->pos;
    if (psc_cursor_der_header(c, &t, &n, NULL) != 0)
        return -1;
    if (t != tag) {
        c->pos = save;
        c->failed = 1;
        return -1;
    }
    return psc_cursor_sub(c, n, content);
}

int psc_cursor_der_element(psc_cursor *c, const unsigned char **p, size_t *n)
{
    size_t start = c->pos;
    unsigned t;
    size_t len, hl;
    if (psc_cursor_der_header(c, &t, &len, &hl) != 0)
        return -1;
    if (take(c, len, NULL) != 0)
        return -1;
    *p = c->data + start;
    *n = hl + len;
    return 0;
}

int psc_cursor_der_peek_tag(const psc_cursor *c, unsigned *tag)
{
    if (c->failed || c->pos >= c->len)
        return -1;
    *tag = c->data[c->pos];
    return 0;
}

size_t psc_der_header_len(size_t len)
{
    return len < 0x80 ? 2 : len <= 0xff ? 3 : len <= 0xffff ? 4 : len <= 0xffffff ? 5 : 6;
}

size_t psc_der_header(unsigned char *out, unsigned tag, size_t len)
{
    size_t n = psc_der_header_len(len);
    out[0] = (unsigned char)tag;
    if (n == 2) {
        out[1] = (unsigned char)len;
        return n;
    }
    out[1] = (unsigned char)(0x80 | (n - 2));
    for (size_t i = 2; i < n; i++)
        out[i] = (unsigned char)(len >> (8 * (n - 1 - i)));
    return n;
}
