/* The bounds-checked cursor: every read past the end fails and sticks. */
#include "unit.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

static void test_integers(void)
{
    const unsigned char in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                                0x0c, 0x0d, 0x0e, 0x0f};
    psc_cursor c;
    psc_cursor_init(&c, in, sizeof in);
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    CU_ASSERT_EQUAL(psc_cursor_u8(&c, &u8), 0);
    CU_ASSERT_EQUAL(u8, 0x01);
    CU_ASSERT_EQUAL(psc_cursor_u16be(&c, &u16), 0);
    CU_ASSERT_EQUAL(u16, 0x0203);
    CU_ASSERT_EQUAL(psc_cursor_u32be(&c, &u32), 0);
    CU_ASSERT_EQUAL(u32, 0x04050607u);
    CU_ASSERT_EQUAL(psc_cursor_u64be(&c, &u64), 0);
    CU_ASSERT_EQUAL(u64, 0x08090a0b0c0d0e0fULL);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 0);
    CU_ASSERT_EQUAL(psc_cursor_u8(&c, &u8), -1);
    CU_ASSERT_TRUE(c.failed);
}

static void test_sticky_failure(void)
{
    const unsigned char in[] = {0xaa, 0xbb, 0xcc};
    psc_cursor c;
    psc_cursor_init(&c, in, sizeof in);
    uint32_t u32 = 0x12345678;
    CU_ASSERT_EQUAL(psc_cursor_u32be(&c, &u32), -1);
    CU_ASSERT_EQUAL(u32, 0x12345678u); /* untouched on failure */
    uint8_t u8;
    /* One byte would fit, but the cursor has failed: nothing more is read. */
    CU_ASSERT_EQUAL(psc_cursor_u8(&c, &u8), -1);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 0);
}

static void test_lenbytes_absurd_length(void)
{
    /* A length field of 4 GiB over a 6-byte input must fail before any use. */
    const unsigned char in[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00};
    psc_cursor c;
    psc_cursor_init(&c, in, sizeof in);
    const unsigned char *p = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(psc_cursor_lenbytes32(&c, &p, &n), -1);
    CU_ASSERT_PTR_NULL(p);
    const unsigned char ok[] = {0x00, 0x00, 0x00, 0x02, 'h', 'i', 'x'};
    psc_cursor_init(&c, ok, sizeof ok);
    CU_ASSERT_EQUAL(psc_cursor_lenbytes32(&c, &p, &n), 0);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(memcmp(p, "hi", 2), 0);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 1);
}

static void test_java_utf(void)
{
    const unsigned char in[] = {0x00, 0x05, 'a', 'l', 'i', 'a', 's', 0x00, 0x03, 'a', 0x00, 'b'};
    psc_cursor c;
    psc_cursor_init(&c, in, sizeof in);
    char *s = psc_cursor_java_utf(&c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "alias");
    free(s);
    /* An embedded NUL would truncate the alias silently: rejected. */
    CU_ASSERT_PTR_NULL(psc_cursor_java_utf(&c));
    CU_ASSERT_TRUE(c.failed);
    const unsigned char shortin[] = {0x00, 0x09, 'a'};
    psc_cursor_init(&c, shortin, sizeof shortin);
    CU_ASSERT_PTR_NULL(psc_cursor_java_utf(&c));
}

static void test_sub_cursor(void)
{
    const unsigned char in[] = {1, 2, 3, 4, 5};
    psc_cursor c, sub;
    psc_cursor_init(&c, in, sizeof in);
    CU_ASSERT_EQUAL(psc_cursor_sub(&c, 3, &sub), 0);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&sub), 3);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 2);
    CU_ASSERT_EQUAL(psc_cursor_skip(&sub, 4), -1); /* the sub-cursor cannot see past its end */
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 2);
    CU_ASSERT_EQUAL(psc_cursor_sub(&c, 3, &sub), -1);
    CU_ASSERT_TRUE(sub.failed);
}

static void test_der(void)
{
    /* SEQUENCE { INTEGER 2, OCTET STRING (long form length 0x81 0x03) } */
    const unsigned char in[] = {0x30, 0x09, 0x02, 0x01, 0x02, 0x04, 0x81, 0x03, 'a', 'b', 'c'};
    psc_cursor c, seq, oct;
    psc_cursor_init(&c, in, sizeof in);
    CU_ASSERT_EQUAL(psc_cursor_der_expect(&c, 0x30, &seq), 0);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&seq), 9);
    const unsigned char *p;
    size_t n;
    CU_ASSERT_EQUAL(psc_cursor_der_element(&seq, &p, &n), 0);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(p[2], 0x02);
    unsigned tag;
    CU_ASSERT_EQUAL(psc_cursor_der_peek_tag(&seq, &tag), 0);
    CU_ASSERT_EQUAL(tag, 0x04);
    CU_ASSERT_EQUAL(psc_cursor_der_expect(&seq, 0x04, &oct), 0);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&oct), 3);
    CU_ASSERT_EQUAL(psc_cursor_remaining(&seq), 0);
}

static void test_der_hostile(void)
{
    psc_cursor c, sub;
    unsigned tag;
    size_t n;
    const unsigned char indefinite[] = {0x30, 0x80, 0x00, 0x00};
    psc_cursor_init(&c, indefinite, sizeof indefinite);
    CU_ASSERT_EQUAL(psc_cursor_der_header(&c, &tag, &n, NULL), -1);
    const unsigned char too_long[] = {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00};
    psc_cursor_init(&c, too_long, sizeof too_long);
    CU_ASSERT_EQUAL(psc_cursor_der_header(&c, &tag, &n, NULL), -1);
    const unsigned char five_bytes[] = {0x30, 0x85, 0, 0, 0, 0, 1, 0};
    psc_cursor_init(&c, five_bytes, sizeof five_bytes);
    CU_ASSERT_EQUAL(psc_cursor_der_header(&c, &tag, &n, NULL), -1);
    const unsigned char wrong_tag[] = {0x31, 0x00};
    psc_cursor_init(&c, wrong_tag, sizeof wrong_tag);
    CU_ASSERT_EQUAL(psc_cursor_der_expect(&c, 0x30, &sub), -1);
    CU_ASSERT_EQUAL(psc_cursor_der_peek_tag(&c, &tag), -1);
    const unsigned char high_tag[] = {0x1f, 0x81, 0x01, 0x00};
    psc_cursor_init(&c, high_tag, sizeof high_tag);
    CU_ASSERT_EQUAL(psc_cursor_der_header(&c, &tag, &n, NULL), -1);
    psc_cursor_init(&c, NULL, 10); /* no data: length is forced to 0 */
    CU_ASSERT_EQUAL(psc_cursor_remaining(&c), 0);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"integers big-endian", test_integers},
        {"failure is sticky", test_sticky_failure},
        {"u32 length past the end", test_lenbytes_absurd_length},
        {"java modified UTF-8", test_java_utf},
        {"sub-cursor bounds", test_sub_cursor},
        {"DER walking", test_der},
        {"DER hostile headers", test_der_hostile},
        CU_TEST_INFO_NULL};
    unit_suite("cursor", tests);
}
