/*
 * The render-and-compare cases: what each one plays into which inlet, with which creation
 * flags, and which messages it sends at which sample.
 *
 * Copyright (c) 2026, the sidecar~ developers. BSD-3-Clause, see LICENSE.
 */
#ifndef CASES_H
#define CASES_H

#include "material.h"

#define NINLETS 7
#define NOUTLETS 4
#define MAX_EVENTS 32

/* A message sent at sample `at` (a multiple of Pd's 64-sample block: Pd delivers messages
 * between blocks) to inlet `inlet` of the object: inlet 0 takes knob messages ("threshold -30",
 * "mode comp", "reset", "trigger 24"), the others take floats ("0.5"). A trigger acts at the
 * start of the next DSP block, i.e. before sample `at`, as every other message. Or a patch
 * edit: "connect" or "disconnect" the player of inlet `inlet` (an inlet whose first edit is
 * "connect" starts unconnected; its player runs from sample 0 all the same). */
typedef struct {
    long at;
    int inlet;
    const char *text;
} rc_event;

typedef enum {
    RC_OBJECT, /* sidecar~ against the reference */
    RC_BYPASS, /* no object: inlets 0..2 go straight to outlets 0..2, outlet 3 is a [sig~] that
                  the events (inlet ignored) set: proves the sample-exact start and the sample at
                  which a message sent at `at` shows up in a signal */
    RC_TIMING, /* as RC_OBJECT, and the reference with every event moved one block earlier or
                  later must NOT match: proves the modelled message index */
    RC_HOLD_E  /* as RC_OBJECT, and the reference with step 7's E = 0 (v0.2's hold test, g* < g)
                  must NOT match: proves that the case sees when the hold starts */
} rc_kind;

typedef struct {
    const char *name;
    rc_kind kind;
    double sr;
    double seconds;
    int block;         /* 0: top level; N: everything in a subpatch with [block~ N 1 resample] */
    int resample;      /* up-sampling factor of that subpatch (0 or 1: none); sr is its rate */
    const char *flags; /* creation arguments */
    material in[NINLETS];
    rc_event ev[MAX_EVENTS]; /* ends at the first event with text == NULL */
} rc_case;

extern const rc_case rc_cases[];
extern const int rc_ncases;

const rc_case *rc_find(const char *name);

#endif
