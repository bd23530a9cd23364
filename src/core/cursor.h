/* A bounds-checked reader over untrusted bytes (after s2n-tls's stuffer).
 * Every read checks the remaining length first; a failed read sets the
 * sticky `failed` flag and returns -1, so parsers can read a run of fields
 * and check once.  Parsers never index the raw buffer themselves. */
#ifndef PSC_CURSOR_H
#define PSC_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct psc_cursor {
    const unsigned char *data;
    size_t len;
    size_t pos;
    int failed;
} psc_cursor;

void psc_cursor_init(psc_cursor *c, const unsigned char *data, size_t len);
size_t psc_cursor_remaining(const psc_cursor *c);
int psc_cursor_u8(psc_cursor *c, uint8_t *v);
int psc_cursor_u16be(psc_cursor *c, uint16_t *v);
int psc_cursor_u32be(psc_cursor *c, uint32_t *v);
int psc_cursor_u64be(psc_cursor *c, uint64_t *v);
/* Point *p at the next n bytes (no copy) and advance. */
int psc_cursor_bytes(psc_cursor *c, size_t n, const unsigned char **p);
int psc_cursor_copy(psc_cursor *c, void *dst, size_t n);
int psc_cursor_skip(psc_cursor *c, size_t n);
/* A sub-cursor over the next n bytes; advances c past them. */
int psc_cursor_sub(psc_cursor *c, size_t n, psc_cursor *sub);
/* Java modified-UTF-8 string: u16 length + bytes.  Returns a malloc'd
 * NUL-terminated copy (embedded NULs rejected) or NULL (failed is set). */
char *psc_cursor_java_utf(psc_cursor *c);
/* u32 length prefix followed by that many bytes; the length is checked
 * against what remains before anything is allocated. */
int psc_cursor_lenbytes32(psc_cursor *c, const unsigned char **p, size_t *n);

/* ASN.1 DER helpers on the same cursor: read one TLV header.  Rejects
 * indefinite lengths, lengths over 4 bytes and lengths past the end. */
int psc_cursor_der_header(psc_cursor *c, unsigned *tag, size_t *len, size_t *header_len);
/* Read a whole TLV with the expected tag (tag byte as it appears, e.g. 0x30),
 * giving a sub-cursor over its content. */
int psc_cursor_der_expect(psc_cursor *c, unsigned tag, psc_cursor *content);
/* The whole next TLV (header included) as bytes, for handing to d2i_*. */
int psc_cursor_der_element(psc_cursor *c, const unsigned char **p, size_t *n);
int psc_cursor_der_peek_tag(const psc_cursor *c, unsigned *tag);

/* Writing DER, the other direction: the header (tag, then the length in
 * its shortest definite form, contents up to 4 GiB) of an element whose
 * contents are len bytes.  psc_der_header_len: its size (2 to 6 bytes);
 * psc_der_header: writes it to out (room for 6), returns its size. */
size_t psc_der_header_len(size_t len);
size_t psc_der_header(unsigned char *out, unsigned tag, size_t len);

#endif
