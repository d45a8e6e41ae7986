//! The batch engine: many documents cleaned in parallel on a rayon pool,
//! results in input order, in bounded memory.
//!
//! One engine serves every caller that cleans more than one document: the
//! binary's folder mode ([`chunked`]) and `--jsonl` ([`pipeline`]), and the
//! Python package's `Cleaner.clean_many` ([`map_ordered`] and
//! [`Cleaner::clean_many`]). The engine only schedules: it reads and writes
//! nothing, and allocates nothing per document beyond what the mapped
//! function returns. Reading inputs and writing results stay with the
//! caller.
//!
//! [`PerWorker`] gives each worker thread of a pool a value of its own, such
//! as a [`Cleaner`] with its own [`RuleSet`](crate::RuleSet): the lazy DFAs
//! of a shared rule set keep their search caches in pools owned by the first
//! thread that searched, whose every search writes a line the other threads
//! read on each of theirs (some sixty searches a document).

use crate::{Cleaned, Cleaner, Error, Result};
use rayon::prelude::*;
use rayon::ThreadPool;
use std::sync::{mpsc, OnceLock};

/// A rayon pool of `jobs` worker threads (`None` or 0: one per core).
pub fn pool(jobs: Option<usize>) -> Result<ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .thread_name(|i| format!("newsclean-{i}"))
        .build()
        .map_err(|e| Error::Threads { message: e.to_string() })
}

/// `f` over every item on `pool`, the results in input order.
pub fn map_ordered<T, R, F>(pool: &ThreadPool, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    pool.install(|| items.par_iter().map(f).collect())
}

/// One value per worker thread of a pool, made by the thread itself the
/// first time it asks (so in parallel, and in memory its allocator keeps
/// near it), then kept for every later call on that pool.
#[derive(Debug)]
pub struct PerWorker<S> {
    slots: Vec<OnceLock<S>>,
}

impl<S> PerWorker<S> {
    /// Empty slots for the worker threads of `pool`.
    pub fn new(pool: &ThreadPool) -> Self {
        PerWorker { slots: (0..pool.current_num_threads()).map(|_| OnceLock::new()).collect() }
    }

    /// The calling worker's value, made by `init` if it has none yet; `None`
    /// on a thread that is not a worker of a pool as large (call it inside
    /// [`map_ordered`] or `install` on the pool this was made for).
    pub fn get_or_init(&self, init: impl FnOnce() -> S) -> Option<&S> {
        Some(self.slots.get(rayon::current_thread_index()?)?.get_or_init(init))
    }
}

/// `f` over `items`, `len` at a time: each chunk is mapped in parallel on
/// `pool` when the iterator reaches it and comes back with its results in
/// input order. Only one chunk's results are alive at a time, so memory
/// stays flat however many items there are.
pub fn chunked<'a, T, R, F>(
    pool: &'a ThreadPool,
    items: &'a [T],
    len: usize,
    f: F,
) -> impl Iterator<Item = (&'a [T], Vec<R>)> + 'a
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send + 'a,
{
    items.chunks(len.max(1)).map(move |chunk| (chunk, pool.install(|| chunk.par_iter().map(&f).collect())))
}

/// Map each chunk of `chunks` on `pool` (`map` may use rayon's parallel
/// iterators inside) and hand it with its result to `consume`, in order, on
/// a thread of its own: the workers map the next chunk while the last one is
/// written. At most one mapped chunk waits for `consume`, so memory is
/// bounded by what `chunks` reads ahead plus two chunks.
///
/// Stops at the first error of `consume` and returns it; the chunks not yet
/// taken from `chunks` are left unread.
pub fn pipeline<C, R, E, M, W>(
    pool: &ThreadPool,
    chunks: impl IntoIterator<Item = C>,
    map: M,
    consume: W,
) -> Result<(), E>
where
    C: Send + Sync,
    R: Send,
    E: Send,
    M: Fn(&C) -> R + Sync,
    W: FnMut(C, R) -> Result<(), E> + Send,
{
    let (tx, rx) = mpsc::sync_channel::<(C, R)>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut consume = consume;
            for (chunk, result) in rx {
                consume(chunk, result)?;
            }
            Ok(())
        });
        for chunk in chunks {
            let result = pool.install(|| map(&chunk));
            // A closed channel means `consume` failed; its error is returned below.
            if tx.send((chunk, result)).is_err() {
                break;
            }
        }
        drop(tx);
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

impl Cleaner {
    /// Clean every document in parallel on the current rayon pool (the
    /// global one, or the one `pool.install` runs in); results in input
    /// order, one per document, as [`Cleaner::clean_bytes`] gives them.
    pub fn clean_many(&self, docs: &[&[u8]]) -> Vec<Result<Cleaned>> {
        docs.par_iter().map(|d| self.clean_bytes(d)).collect()
    }

    /// [`Cleaner::clean_many`] on the given pool.
    pub fn clean_many_in(&self, pool: &ThreadPool, docs: &[&[u8]]) -> Vec<Result<Cleaned>> {
        pool.install(|| self.clean_many(docs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn map_ordered_keeps_input_order_on_two_threads() {
        let pool = pool(Some(2)).unwrap();
        let items: Vec<u64> = (0..5000).collect();
        let out = map_ordered(&pool, &items, |x| x * 3);
        assert_eq!(out, items.iter().map(|x| x * 3).collect::<Vec<_>>());
    }

    #[test]
    fn per_worker_makes_one_value_per_thread_once() {
        let pool = pool(Some(2)).unwrap();
        let made = AtomicUsize::new(0);
        let per = PerWorker::new(&pool);
        let items: Vec<u32> = (0..2000).collect();
        for _ in 0..3 {
            let seen = map_ordered(&pool, &items, |_| {
                let id = *per
                    .get_or_init(|| {
                        made.fetch_add(1, Ordering::Relaxed);
                        std::thread::current().id()
                    })
                    .unwrap();
                // Each worker gets the value it made itself.
                assert_eq!(id, std::thread::current().id());
                id
            });
            assert_eq!(seen.len(), items.len());
        }
        assert!((1..=2).contains(&made.load(Ordering::Relaxed)));
        assert!(per.get_or_init(|| std::thread::current().id()).is_none(), "not a worker");
    }

    #[test]
    fn chunked_maps_a_chunk_only_when_reached() {
        let pool = pool(Some(2)).unwrap();
        let items: Vec<usize> = (0..10).collect();
        let calls = AtomicUsize::new(0);
        let mut it = chunked(&pool, &items, 4, |x| {
            calls.fetch_add(1, Ordering::Relaxed);
            x + 1
        });
        let (first, results) = it.next().unwrap();
        assert_eq!(first, &[0, 1, 2, 3]);
        assert_eq!(results, vec![1, 2, 3, 4]);
        assert_eq!(calls.load(Ordering::Relaxed), 4);
        let rest: Vec<usize> = it.flat_map(|(_, r)| r).collect();
        assert_eq!(rest, (5..=10).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn pipeline_consumes_in_order_and_stops_at_the_first_error() {
        let pool = pool(Some(2)).unwrap();
        let chunks: Vec<Vec<u32>> = (0..20).map(|c| (c * 10..c * 10 + 10).collect()).collect();
        let mut seen = Vec::new();
        let r: Result<(), String> = pipeline(
            &pool,
            chunks.clone(),
            |c: &Vec<u32>| c.par_iter().map(|x| x * 2).collect::<Vec<_>>(),
            |c, r| {
                assert_eq!(r, c.iter().map(|x| x * 2).collect::<Vec<_>>());
                seen.extend(c);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, (0..200).collect::<Vec<_>>());

        let mut taken = 0;
        let r: Result<(), String> = pipeline(
            &pool,
            chunks,
            |c: &Vec<u32>| c.len(),
            |c, _| {
                taken += 1;
                if c[0] == 30 {
                    Err("stop".into())
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("stop".into()));
        assert_eq!(taken, 4);
    }

    #[test]
    fn clean_many_equals_clean_one_by_one() {
        let cleaner = Cleaner::new();
        let docs: Vec<&[u8]> = vec![
            b"The mayor resigned on Monday.\n\nAdvertisement\n\nShe will stay until May.",
            b"bad \xff byte",
            b"",
            b"<html><body><article><p>The ferry left at noon and the harbour emptied.</p></article></body></html>",
        ];
        let pool = pool(Some(2)).unwrap();
        let many = cleaner.clean_many_in(&pool, &docs);
        assert_eq!(many.len(), docs.len());
        for (doc, got) in docs.iter().zip(many) {
            match (cleaner.clean_bytes(doc), got) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("clean_bytes {a:?} but clean_many {b:?}"),
            }
        }
    }
}
