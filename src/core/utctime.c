/* Days from and to civil dates: H. Hinnant's algorithms ("chrono-compatible
 * low-level date algorithms"), eras of 400 years so that every division is
 * of a non-negative number. */
#include "utctime.h"

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                       /* [0, 399] */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;    /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

time_t psc_time_from_civil(const psc_civil *c)
{
    return (time_t)days_from_civil(c->year, c->month, c->day) * 86400 +
           (time_t)(c->hour * 3600 + c->min * 60 + c->sec);
}

void psc_civil_from_time(time_t t, psc_civil *out)
{
    long days = (long)(t / 86400), secs = (long)(t % 86400);
    if (secs < 0) { /* floor division: 1969-12-31T23:59:59Z is day -1 */
        secs += 86400;
        days--;
    }
    out->hour = (int)(secs / 3600);
    out->min = (int)(secs / 60 % 60);
    out->sec = (int)(secs % 60);
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;                                      /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = yoe + era * 400 + (out->month <= 2);
}
