/*
 * clock.h - NB_BUILD_STATS=1: where a build's or a publish's time and
 * memory go, stage by stage, on stderr, without a profiler.
 *
 * One clock for both commands, so their lines read alike and a publish's
 * steps show the resident memory a build's stages show: a memory budget
 * needs to know which step sets the peak, and a publish holds what it
 * read of the record around the build it runs.
 */
#ifndef NB_CLOCK_H
#define NB_CLOCK_H

typedef struct nb_clock {
	int on;             /* print; otherwise every call does nothing */
	const char *prefix; /* before each stage's name ("publish ") */
	double wall, cpu;   /* at the last stage's end */
} nb_clock;

/* Starts `c`: on when `on` is non-zero, its lines' names after `prefix`
 * (a static string, "" for none). */
void nb_clock_start(nb_clock *c, int on, const char *prefix);

/* Ends a stage: "stats: <prefix><name> wall, CPU seconds since the last
 * one, resident memory now and at its peak so far". */
void nb_clock_stage(nb_clock *c, const char *name);

#endif
