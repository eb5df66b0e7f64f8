/*
 * clock.c - stage timings for NB_BUILD_STATS; see clock.h.
 *
 * Memory is read from /proc/self/status (VmRSS, VmHWM) rather than
 * getrusage, because the peak so far is what tells a stage that set it
 * from one that only came after it.
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void now(double *wall, double *cpu)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	*wall = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	*cpu = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void nb_clock_start(nb_clock *c, int on, const char *prefix)
{
	c->on = on != 0;
	c->prefix = prefix;
	if (c->on)
		now(&c->wall, &c->cpu);
}

void nb_clock_stage(nb_clock *c, const char *name)
{
	if (!c->on)
		return;
	double w, u;
	now(&w, &u);
	long rss = -1, hwm = -1;
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			rss = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "VmHWM:", 6))
			hwm = strtol(line + 6, NULL, 10);
	}
	if (f)
		fclose(f);
	char label[64];
	snprintf(label, sizeof(label), "%s%s", c->prefix, name);
	fprintf(stderr, "stats: %-16s %6.3f s wall %6.3f s cpu  rss %5ld MB, peak %5ld MB\n",
		label, w - c->wall, u - c->cpu, rss / 1024, hwm / 1024);
	c->wall = w;
	c->cpu = u;
}
