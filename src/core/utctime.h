/* Calendar arithmetic in UTC without the C library's time zone machinery:
 * gmtime_r and timegm take glibc's time zone lock and were 5% of inspect of
 * a 10,000-certificate store.  Proleptic Gregorian calendar, exact for every
 * year a certificate can name (0000-9999) and beyond. */
#ifndef PSC_UTCTIME_H
#define PSC_UTCTIME_H

#include <time.h>

typedef struct psc_civil {
    long year;              /* e.g. 2026 */
    int month, day;         /* 1-12, 1-31 */
    int hour, min, sec;     /* 0-23, 0-59, 0-59 */
} psc_civil;

/* Seconds since 1970-01-01T00:00:00Z of a civil UTC time (as timegm). */
time_t psc_time_from_civil(const psc_civil *c);

/* The civil UTC time of t (as gmtime_r). */
void psc_civil_from_time(time_t t, psc_civil *out);

#endif
