/*
 * pool.h - a tiny fork/join pool of threads for the render stage.
 *
 * Rendering 10,000 pages is embarrassingly parallel: each page is a pure
 * function of the (read-only) site graph. The pool runs `fn(ud, i)` for
 * every i in [0, n) on a fixed number of threads that pull the next index
 * from one atomic counter, so long pages and short ones balance by
 * themselves. There is no queue and no long-lived worker: a build has one
 * or two parallel phases, and thread start-up (tens of microseconds) is
 * noise next to them.
 *
 * Determinism is the caller's job, and the design makes it easy: a task
 * writes only into its own slot of a result array indexed by i, and the
 * caller merges the slots in index order after nb_pool_wait, so output and
 * diagnostics do not depend on scheduling or on the number of threads.
 */
#ifndef NB_POOL_H
#define NB_POOL_H

#include <stddef.h>

typedef struct nb_pool nb_pool;

/* Threads to use: $NB_JOBS when set to a positive number, else the number
 * of online CPUs (at least 1). 1 means everything runs serially on the
 * calling thread. */
size_t nb_pool_jobs(void);

/* Start running fn(ud, 0) … fn(ud, n - 1) on `threads` threads and return
 * at once, so the caller can do other work meanwhile. With threads <= 1
 * (or when a thread cannot be created) the remaining tasks run on the
 * calling thread before this returns or in nb_pool_wait. */
nb_pool *nb_pool_start(size_t threads, size_t n, void (*fn)(void *ud, size_t i), void *ud);

/* Wait until every task has run, and free the pool. */
void nb_pool_wait(nb_pool *p);

#endif
