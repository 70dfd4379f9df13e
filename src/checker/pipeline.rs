//! An ordered parallel map: items go to worker threads, and come back in
//! the order they went in.
//!
//! This is the batch's pipeline. Workers take the next item as soon as they
//! finish one (there are no windows to wait for); finished results wait in a
//! reorder buffer until every earlier one has been taken. The consumer (the
//! one writer) takes results in input order and, as it does, hands out more
//! items. At most `bound` items are in flight at a time (queued, being
//! worked on, or finished and waiting), so memory is bounded by the buffer
//! however long the input is, and the workers only wait when the consumer is
//! `bound` results behind.
//!
//! `jobs` jobs are `jobs - 1` worker threads and the consumer: while the
//! result it needs next is not ready, the consumer works on a queued item
//! itself instead of sleeping. Jobs threads then share jobs cores; with a
//! writer thread of its own beside `jobs` workers, every result woke it and
//! it took a core from a worker (on 2 cores, about 3 context switches a
//! bundle and 9 % more CPU time than one job).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, channel, sync_channel};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread::{self, JoinHandle};

/// What a worker sends back: the item's place and its result, or the panic
/// that interrupted it (raised again on the consumer's thread, so a bug is
/// never a hang or a silently missing result).
type Done<T> = (usize, thread::Result<T>);

/// The results of `work` over `inputs`, in input order.
pub(crate) struct Ordered<I: Iterator, T> {
    inputs: I,
    inputs_done: bool,
    /// `None` when no worker thread runs: items are then worked on the
    /// consumer's own thread, one at a time (one job, or threads refused).
    pool: Option<Pool<I::Item, T>>,
    work: Arc<dyn Fn(I::Item) -> T + Send + Sync>,
    /// Finished results that wait for an earlier one.
    waiting: BTreeMap<usize, thread::Result<T>>,
    /// The place of the next item handed out, and of the next result taken.
    next_in: usize,
    next_out: usize,
    bound: usize,
}

struct Pool<S, T> {
    jobs: Option<SyncSender<(usize, S)>>,
    /// The other end of `jobs`, shared by the workers and the consumer.
    queue: Arc<Mutex<Receiver<(usize, S)>>>,
    /// Set when the results are dropped: items still queued are left undone.
    stopped: Arc<AtomicBool>,
    results: Receiver<Done<T>>,
    workers: Vec<JoinHandle<()>>,
}

impl<I, T> Ordered<I, T>
where
    I: Iterator,
    I::Item: Send + 'static,
    T: Send + 'static,
{
    /// Works on `jobs` threads: `jobs - 1` workers and the consumer's own
    /// (one job: the consumer's thread does all the work), with at most
    /// `bound` items in flight.
    pub(crate) fn new<F>(inputs: I, jobs: usize, bound: usize, work: F) -> Ordered<I, T>
    where
        F: Fn(I::Item) -> T + Send + Sync + 'static,
    {
        let work: Arc<dyn Fn(I::Item) -> T + Send + Sync> = Arc::new(work);
        let bound = bound.max(1);
        let pool = (jobs > 1)
            .then(|| Pool::start(jobs - 1, bound, &work))
            .flatten();
        Ordered {
            inputs,
            inputs_done: false,
            pool,
            work,
            waiting: BTreeMap::new(),
            next_in: 0,
            next_out: 0,
            bound,
        }
    }

    /// Hands out items until `bound` are in flight or the input ends.
    fn fill(&mut self) {
        let Some(pool) = &self.pool else { return };
        let Some(jobs) = &pool.jobs else { return };
        while !self.inputs_done && self.next_in - self.next_out < self.bound {
            match self.inputs.next() {
                None => self.inputs_done = true,
                Some(item) => {
                    // Room is certain: the channel holds `bound` and no more
                    // than `bound` items are in flight. A send fails only
                    // when every worker is gone, which `next` reports.
                    if jobs.send((self.next_in, item)).is_err() {
                        self.inputs_done = true;
                    }
                    self.next_in += 1;
                }
            }
        }
    }
}

impl<S, T> Pool<S, T>
where
    S: Send + 'static,
    T: Send + 'static,
{
    /// Starts up to `count` workers; `None` when not even one would start.
    fn start(
        count: usize,
        bound: usize,
        work: &Arc<dyn Fn(S) -> T + Send + Sync>,
    ) -> Option<Pool<S, T>> {
        let (jobs, queue) = sync_channel::<(usize, S)>(bound);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = channel::<Done<T>>();
        let stopped = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::with_capacity(count);
        for index in 0..count {
            let (queue, done, work) = (Arc::clone(&queue), done.clone(), Arc::clone(work));
            let stopped = Arc::clone(&stopped);
            let spawned = thread::Builder::new()
                .name(format!("dossier-check-{index}"))
                .spawn(move || run_worker(&queue, &done, &*work, &stopped));
            match spawned {
                Ok(handle) => workers.push(handle),
                // Fewer workers than asked is slower, not wrong.
                Err(_) => break,
            }
        }
        (!workers.is_empty()).then_some(Pool {
            jobs: Some(jobs),
            queue,
            stopped,
            results,
            workers,
        })
    }
}

fn run_worker<S, T>(
    queue: &Mutex<Receiver<(usize, S)>>,
    done: &Sender<Done<T>>,
    work: &(dyn Fn(S) -> T + Send + Sync),
    stopped: &AtomicBool,
) {
    loop {
        // The lock is held only while waiting for the next item; a panic
        // never happens under it, so it cannot be poisoned by one.
        let next = queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .recv();
        let Ok((place, item)) = next else { return };
        if stopped.load(Ordering::Relaxed) {
            return;
        }
        let result = catch_unwind(AssertUnwindSafe(|| work(item)));
        if done.send((place, result)).is_err() {
            return;
        }
    }
}

impl<I, T> Iterator for Ordered<I, T>
where
    I: Iterator,
    I::Item: Send + 'static,
    T: Send + 'static,
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.pool.is_none() {
            let item = self.inputs.next()?;
            return Some((self.work)(item));
        }
        loop {
            self.fill();
            if let Some(result) = self.waiting.remove(&self.next_out) {
                self.next_out += 1;
                return Some(result.unwrap_or_else(|panic| resume_unwind(panic)));
            }
            if self.next_out == self.next_in {
                return None;
            }
            let pool = self.pool.as_ref()?;
            let (place, result) = match pool.results.try_recv() {
                Ok(done) => done,
                Err(TryRecvError::Empty) => match pool.queued() {
                    // Nothing is ready: work on a queued item meanwhile.
                    Some((place, item)) => {
                        (place, catch_unwind(AssertUnwindSafe(|| (self.work)(item))))
                    }
                    // Every item in flight is in a worker's hands.
                    None => match pool.results.recv() {
                        Ok(done) => done,
                        Err(_) => every_worker_stopped(),
                    },
                },
                Err(TryRecvError::Disconnected) => every_worker_stopped(),
            };
            self.waiting.insert(place, result);
        }
    }
}

impl<S, T> Pool<S, T> {
    /// The next queued item, if one is queued and no worker is taking one.
    fn queued(&self) -> Option<(usize, S)> {
        let queue = match self.queue.try_lock() {
            Ok(queue) => queue,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            // A worker holds the queue: it is taking the next item, or
            // waiting for one because none is queued.
            Err(TryLockError::WouldBlock) => return None,
        };
        queue.try_recv().ok()
    }
}

/// Workers catch every panic of the work, so they all being gone with items
/// in flight is a bug of this module.
fn every_worker_stopped() -> ! {
    panic!("every checking worker stopped with bundles still in flight")
}

impl<I: Iterator, T> Drop for Ordered<I, T> {
    /// Stops handing out items and waits for the workers to finish the one
    /// each has in hand, so no work goes on after the results are dropped.
    fn drop(&mut self) {
        if let Some(pool) = &mut self.pool {
            pool.stopped.store(true, Ordering::Relaxed);
            pool.jobs = None;
            for worker in pool.workers.drain(..) {
                let _ = worker.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn results_come_back_in_input_order_whatever_order_they_finish_in() {
        // Early items take longest, so they finish last.
        let slow_first = |n: u64| {
            thread::sleep(Duration::from_millis((20 - n % 20) / 4));
            n * 10
        };
        let out: Vec<u64> = Ordered::new(0..200u64, 4, 8, slow_first).collect();
        assert_eq!(out, (0..200).map(|n| n * 10).collect::<Vec<_>>());
    }

    #[test]
    fn one_job_works_on_the_callers_thread() {
        let caller = thread::current().id();
        let out: Vec<bool> =
            Ordered::new(0..5, 1, 8, move |_| thread::current().id() == caller).collect();
        assert!(out.iter().all(|&on_caller| on_caller));
    }

    #[test]
    fn several_jobs_run_on_that_many_threads_the_callers_among_them() {
        // Each item takes a while, so every thread gets some.
        let threads: Vec<thread::ThreadId> = Ordered::new(0..60, 3, 8, |_| {
            thread::sleep(Duration::from_millis(2));
            thread::current().id()
        })
        .collect();
        let distinct: std::collections::BTreeSet<String> =
            threads.iter().map(|id| format!("{id:?}")).collect();
        assert!(distinct.len() <= 3, "{} threads for 3 jobs", distinct.len());
        assert!(distinct.len() >= 2, "the workers took no item");
        let caller = thread::current().id();
        assert!(
            threads.contains(&caller),
            "the caller waited instead of working"
        );
    }

    #[test]
    fn no_more_than_the_bound_is_in_flight_while_the_consumer_waits() {
        let started = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&started);
        let mut results = Ordered::new(0..1000, 4, 16, move |n: usize| {
            counter.fetch_add(1, Ordering::SeqCst);
            n
        });
        assert_eq!(results.next(), Some(0));
        // The consumer now stalls: the workers may finish what was handed
        // out, and nothing more.
        thread::sleep(Duration::from_millis(200));
        let handed_out = started.load(Ordering::SeqCst);
        assert!(
            (1..=17).contains(&handed_out),
            "{handed_out} items started with a bound of 16"
        );
        assert_eq!(results.count(), 999);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_consumer_when_its_result_is_due() {
        // Whichever thread worked on the item, the caller or a worker.
        for jobs in [1, 2, 3] {
            let mut taken = Vec::new();
            let caught = catch_unwind(AssertUnwindSafe(|| {
                let results = Ordered::new(0..50, jobs, 8, |n: i32| {
                    if n == 20 {
                        panic!("boom");
                    }
                    n
                });
                for n in results {
                    taken.push(n);
                }
            }));
            assert!(caught.is_err(), "{jobs} jobs");
            assert_eq!(taken, (0..20).collect::<Vec<_>>(), "{jobs} jobs");
        }
    }

    #[test]
    fn dropping_early_stops_the_workers() {
        let started = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&started);
        let mut results = Ordered::new(0.., 2, 4, move |n: usize| {
            counter.fetch_add(1, Ordering::SeqCst);
            n
        });
        assert_eq!(results.next(), Some(0));
        drop(results);
        let after_drop = started.load(Ordering::SeqCst);
        thread::sleep(Duration::from_millis(50));
        assert_eq!(started.load(Ordering::SeqCst), after_drop);
        assert!(after_drop <= 6);
    }
}
