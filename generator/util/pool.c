/*
 * pool.c - fork/join threads over an index range; see pool.h.
 *
 * Each thread (and, in nb_pool_wait, the caller too) loops on an atomic
 * fetch-and-add of the next index. The caller joining the work means a
 * pool of N threads never leaves a core idle while the caller waits, and a
 * failed pthread_create degrades to fewer threads, never to lost tasks.
 */
#include "util/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct nb_pool {
	void (*fn)(void *ud, size_t i);
	void *ud;
	size_t n;
	atomic_size_t next;
	pthread_t *threads;
	size_t n_threads;   /* started */
};

size_t nb_pool_jobs(void)
{
	const char *e = getenv("NB_JOBS");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v > 0)
			return v > 256 ? 256 : (size_t)v;
	}
	long c = sysconf(_SC_NPROCESSORS_ONLN);
	return c > 0 ? (size_t)c : 1;
}

static void drain(nb_pool *p)
{
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			return;
		p->fn(p->ud, i);
	}
}

static void *worker(void *arg)
{
	drain(arg);
	return NULL;
}

nb_pool *nb_pool_start(size_t threads, size_t n, void (*fn)(void *ud, size_t i), void *ud)
{
	nb_pool *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->fn = fn;
	p->ud = ud;
	p->n = n;
	atomic_init(&p->next, 0);
	if (threads > 1 && n > 1) {
		p->threads = calloc(threads, sizeof(*p->threads));
		if (!p->threads)
			abort();
		for (size_t t = 0; t < threads; t++) {
			if (pthread_create(&p->threads[p->n_threads], NULL, worker, p) != 0)
				break;
			p->n_threads++;
		}
	}
	if (p->n_threads == 0)
		drain(p);
	return p;
}

void nb_pool_wait(nb_pool *p)
{
	if (!p)
		return;
	/* Workers may still be busy: help rather than sleep. */
	drain(p);
	for (size_t t = 0; t < p->n_threads; t++)
		pthread_join(p->threads[t], NULL);
	free(p->threads);
	free(p);
}
