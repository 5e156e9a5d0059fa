/*
 * Fast log2 / exp2 for the sidecar core (no libm call per sample).
 *
 * All are deterministic (plain IEEE arithmetic, no table, no rounding-mode trick) and far more
 * accurate than SPEC.md's tolerance needs. The double exp2 (within ~2e-7 relative) gives the
 * knee's lower edge as a linear level; the single-precision pair (log2f, exp2f for y <= 0)
 * serves the per-frame work, four frames per SSE register, accurate to ~3e-7 relative.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef SIDECAR_FASTMATH_H
#define SIDECAR_FASTMATH_H

#include <stdint.h>
#include <string.h>

/* 2^y, with y clamped to [-126, 126] (so the result is also a normal float).
 * y = n + r with n the nearest integer and |r| <= 1/2; 2^r = e^(r ln2) by its Taylor series to
 * degree 6 (first dropped term < 1.3e-7 relative); 2^n is put into the exponent bits. */
static inline double sidecar_fast_exp2(double y)
{
    y = y < -126.0 ? -126.0 : y;
    y = y > 126.0 ? 126.0 : y;
    int n = (int)(y + (y >= 0.0 ? 0.5 : -0.5));
    double r = y - (double)n;
    /* (ln2)^k / k!, k = 1..6 */
    const double k1 = 0.69314718055994531, k2 = 0.24022650695910071, k3 = 0.055504108664821580,
                 k4 = 0.0096181291076284772, k5 = 0.0013333558146428443,
                 k6 = 0.00015403530393381609;
    double p = 1.0 + r * (k1 + r * (k2 + r * (k3 + r * (k4 + r * (k5 + r * k6)))));
    uint64_t bits = (uint64_t)(n + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* log2(m) in single precision, for the detector level (SPEC step 5) where a float is plenty
 * (the level in dB within ~1e-5 dB), four levels per SSE register. m >= 0; m = 0 gives -127.
 * m = 2^e * f with f folded into [sqrt(1/2), sqrt(2)), then log2(f) = (2/ln 2) * atanh(t) with
 * t = (f-1)/(f+1), |t| <= 0.1716, summed to t^7 (the first dropped term is ~4e-8). */
static inline float sidecar_fast_log2f(float m)
{
    uint32_t bits;
    memcpy(&bits, &m, sizeof bits);
    float e = (float)((int)(bits >> 23) - 127);
    bits = (bits & 0x007fffffu) | 0x3f800000u; /* f in [1, 2) */
    float f;
    memcpy(&f, &bits, sizeof f);
    float f_half = 0.5f * f, e_next = e + 1.0f;
    int fold = f > 1.41421356f;
    f = fold ? f_half : f;
    e = fold ? e_next : e;
    float t = (f - 1.0f) / (f + 1.0f);
    float t2 = t * t;
    /* 2/ln2 * (1, 1/3, 1/5, 1/7) */
    const float c1 = 2.88539008f, c3 = 0.961796694f, c5 = 0.577078016f, c7 = 0.412198583f;
    return e + t * (c1 + t2 * (c3 + t2 * (c5 + t2 * c7)));
}

/* 2^y in single precision, for y <= 0 only: the per-frame gain (SPEC step 8), where a float is
 * plenty (relative error ~2.4e-7, far inside SPEC's tolerance) and four frames fit in one SSE
 * register. The method of sidecar_fast_exp2 (with a degree-5 polynomial); a gain in dB is never positive, so only the lower
 * clamp (-126) is needed, and rounding to the nearest integer is a truncation of y - 1/2. */
static inline float sidecar_fast_exp2f_nonpos(float y)
{
    y = y < -126.0f ? -126.0f : y;
    int n = (int)(y - 0.5f);
    float r = y - (float)n;
    /* 2^r on [-1/2, 1/2]: degree 5, interpolated at the Chebyshev nodes (near minimax); with
     * float arithmetic within 2.9e-7 relative, as close as Taylor to degree 6 in floats.
     * k0 is exactly 1 so that 0 dB is a gain of exactly 1 (comp mode at rest is transparent). */
    const float k0 = 1.0f, k1 = 0.693147188f, k2 = 0.240221075f, k3 = 0.0555035711f,
                k4 = 0.00967603192f, k5 = 0.00133908634f;
    float p = k0 + r * (k1 + r * (k2 + r * (k3 + r * (k4 + r * k5))));
    uint32_t bits = (uint32_t)(n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

#endif /* SIDECAR_FASTMATH_H */
