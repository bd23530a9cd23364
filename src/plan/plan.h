/* kept for branches in flight; remove after merge: the planner's header is
 * planner.h, and its neighbours have their own (landscape.h, render.h,
 * sapdn.h, trustlist.h, rules.h). */
#include "planner.h"
#include "landscape.h"
#include "render.h"
#include "sapdn.h"
#include "trustlist.h"
