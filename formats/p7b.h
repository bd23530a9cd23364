/* kept for branches in flight; remove after merge: the helpers pem, der and
 * p7b share are in certentry.h (formats/certentry.c). */
#include "certentry.h"
