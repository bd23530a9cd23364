/* UTC calendar arithmetic (src/core/utctime.c) against glibc's timegm and
 * gmtime_r: every day from 1600 to 2400 at a moving time of day, random
 * seconds over years 0001-9999, and the edges of days, months and eras. */
#define _DEFAULT_SOURCE
#include "unit.h"
#include "utctime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int same_as_gmtime(time_t t)
{
    struct tm tm;
    psc_civil c;
    if (gmtime_r(&t, &tm) == NULL)
        return 0;
    psc_civil_from_time(t, &c);
    int ok = c.year == tm.tm_year + 1900L && c.month == tm.tm_mon + 1 && c.day == tm.tm_mday &&
             c.hour == tm.tm_hour && c.min == tm.tm_min && c.sec == tm.tm_sec &&
             psc_time_from_civil(&c) == t && timegm(&tm) == t;
    if (!ok)
        fprintf(stderr, "\n  %lld: %ld-%02d-%02d %02d:%02d:%02d", (long long)t, c.year, c.month,
                c.day, c.hour, c.min, c.sec);
    return ok;
}

static void test_days_1600_to_2400(void)
{
    psc_civil start = {1600, 1, 1, 0, 0, 0}, end = {2400, 12, 31, 0, 0, 0};
    time_t t0 = psc_time_from_civil(&start), t1 = psc_time_from_civil(&end);
    size_t bad = 0, days = 0;
    for (time_t t = t0; t <= t1; t += 86400, days++)
        bad += !same_as_gmtime(t + (time_t)(days * 3607 % 86400));
    CU_ASSERT_EQUAL(days, 292560); /* 801 years, 195 of them leap: 292,560 days */
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_random_and_edges(void)
{
    psc_civil lo = {1, 1, 1, 0, 0, 0}, hi = {9999, 12, 31, 23, 59, 59};
    time_t t0 = psc_time_from_civil(&lo), t1 = psc_time_from_civil(&hi);
    CU_ASSERT_EQUAL((long long)t0, -62135596800LL);
    CU_ASSERT_EQUAL((long long)t1, 253402300799LL);
    srand(18);
    size_t bad = 0;
    for (int i = 0; i < 200000; i++) {
        unsigned long long r = (unsigned long long)rand() << 31 ^ (unsigned long long)rand();
        bad += !same_as_gmtime(t0 + (time_t)(r % (unsigned long long)(t1 - t0 + 1)));
    }
    static const long long edges[] = {0, -1, 1, 86399, 86400, -86400, -86401, 951782400,
                                      951868800, 4107542399LL, 4107542400LL, -62135596800LL,
                                      253402300799LL, -2208988800LL};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        bad += !same_as_gmtime((time_t)edges[i]);
    CU_ASSERT_EQUAL(bad, 0);
    psc_civil c;
    psc_civil_from_time((time_t)951782400, &c); /* 2000 was a leap year */
    CU_ASSERT(c.year == 2000 && c.month == 2 && c.day == 29);
    psc_civil_from_time((time_t)-1, &c);
    CU_ASSERT(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 && c.sec == 59);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"every day 1600-2400 equals gmtime_r and timegm", test_days_1600_to_2400},
        {"random seconds 0001-9999 and edges", test_random_and_edges},
        CU_TEST_INFO_NULL};
    unit_suite("utctime", tests);
}
