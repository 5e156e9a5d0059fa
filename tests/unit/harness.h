/*
 * A tiny check harness for the unit tests: every check prints one line, "PASS <name>" or
 * "FAIL <name>: <why>", the convention tests/run.sh counts. The tally lives in a struct the
 * caller owns (no static state), so a test function can be read on its own.
 */
#ifndef SIDECAR_TEST_HARNESS_H
#define SIDECAR_TEST_HARNESS_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

typedef struct {
    int passed, failed;
} tally;

/* Record one check. `why` (printf format) is only printed on failure. */
static inline int check(tally *t, int ok, const char *name, const char *why, ...)
{
    if (ok) {
        printf("PASS %s\n", name);
        t->passed++;
    } else {
        va_list ap;
        printf("FAIL %s: ", name);
        va_start(ap, why);
        vprintf(why, ap);
        va_end(ap);
        printf("\n");
        t->failed++;
    }
    fflush(stdout);
    return ok;
}

/* |got - want| <= tol, and neither is NaN (a NaN must fail, never slip through a compare). */
static inline int check_near(tally *t, const char *name, double got, double want, double tol)
{
    int ok = !isnan(got) && !isnan(want) && fabs(got - want) <= tol;
    return check(t, ok, name, "got %.10g, want %.10g (tolerance %g)", got, want, tol);
}

#endif
