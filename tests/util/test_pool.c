/*
 * test_pool.c - the render stage's fork/join pool (generator/util/pool.h):
 * every index runs exactly once for any thread count, the caller can work
 * while the pool runs, and NB_JOBS picks the thread count.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/pool.h"

typedef struct counts {
	atomic_int *hits;
	atomic_size_t sum;
} counts;

static void count(void *ud, size_t i)
{
	counts *c = ud;
	atomic_fetch_add(&c->hits[i], 1);
	atomic_fetch_add(&c->sum, i);
}

static int run(size_t threads, size_t n, int work_meanwhile)
{
	counts c;
	c.hits = calloc(n ? n : 1, sizeof(*c.hits));
	atomic_init(&c.sum, 0);
	nb_pool *p = nb_pool_start(threads, n, count, &c);
	volatile size_t spin = 0;
	if (work_meanwhile)
		for (size_t k = 0; k < 100000; k++)
			spin += k;
	nb_pool_wait(p);
	int ok = atomic_load(&c.sum) == (n ? n * (n - 1) / 2 : 0);
	for (size_t i = 0; i < n; i++)
		ok &= atomic_load(&c.hits[i]) == 1;
	free(c.hits);
	return ok;
}

NB_TEST(every_index_once)
{
	NB_CHECK(run(1, 1000, 0));
	NB_CHECK(run(2, 1000, 0));
	NB_CHECK(run(4, 10007, 1));
	NB_CHECK(run(16, 3, 0));
}

NB_TEST(empty_and_single)
{
	NB_CHECK(run(4, 0, 0));
	NB_CHECK(run(4, 1, 1));
}

/* One thread: everything has run on the caller before start returns,
 * which is what NB_JOBS=1 (a serial build) relies on. */
NB_TEST(serial_runs_before_start_returns)
{
	counts c;
	c.hits = calloc(10, sizeof(*c.hits));
	atomic_init(&c.sum, 0);
	nb_pool *p = nb_pool_start(1, 10, count, &c);
	NB_CHECK(atomic_load(&c.sum) == 45);
	nb_pool_wait(p);
	free(c.hits);
}

NB_TEST(jobs_from_environment)
{
	setenv("NB_JOBS", "3", 1);
	NB_CHECK(nb_pool_jobs() == 3);
	setenv("NB_JOBS", "0", 1);
	NB_CHECK(nb_pool_jobs() >= 1);
	setenv("NB_JOBS", "x", 1);
	NB_CHECK(nb_pool_jobs() >= 1);
	unsetenv("NB_JOBS");
	NB_CHECK(nb_pool_jobs() >= 1);
}

NB_TEST_MAIN("pool",
	     NB_CASE(every_index_once),
	     NB_CASE(empty_and_single),
	     NB_CASE(serial_runs_before_start_returns),
	     NB_CASE(jobs_from_environment))
