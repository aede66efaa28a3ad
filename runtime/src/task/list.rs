//! `OwnedTasks`: every live task of a runtime, so shutdown can cancel the
//! idle ones (whose only other references are wakers held by resources).
//!
//! Sharded by task id; each shard is a mutex around a slab whose key is
//! written into the task header. Spawning locks one shard for an O(1)
//! insert, completion for an O(1) remove; shards keep concurrent spawns
//! from different workers apart.
//!
//! Closing: `close_and_shutdown_all` marks every shard closed (later binds
//! are refused and their tasks shut down at once), then drains each shard
//! and shuts the tasks down outside the lock (a future's Drop may spawn,
//! or complete other tasks, which takes shard locks).

use super::raw::RawTask;
use super::{Notified, Schedule, Task};
use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crossbeam_utils::CachePadded;
use slab::Slab;

pub(crate) struct OwnedTasks<S: 'static> {
    /// Each shard on its own cache line(s): a spawning thread binding into
    /// one shard must not invalidate the line of the shard a completing
    /// task is removed from on another thread.
    shards: Box<[CachePadded<Mutex<Shard>>]>,
    mask: usize,
    closed: AtomicBool,
    _p: std::marker::PhantomData<S>,
}

struct Shard {
    tasks: Slab<RawTask>,
    closed: bool,
    /// Tasks ever bound here (`RuntimeMetrics::spawned_tasks_count`).
    spawned: u64,
}

impl<S: Schedule> OwnedTasks<S> {
    /// `concurrency`: how many threads spawn at once (workers).
    pub(crate) fn new(concurrency: usize) -> OwnedTasks<S> {
        // Four shards per worker, picked without data: enough that two
        // workers spawning rarely meet on one lock.
        let n = (concurrency * 4).next_power_of_two().max(4);
        OwnedTasks {
            shards: (0..n)
                .map(|_| {
                    CachePadded::new(Mutex::new(Shard {
                        tasks: Slab::new(),
                        closed: false,
                        spawned: 0,
                    }))
                })
                .collect(),
            mask: n - 1,
            closed: AtomicBool::new(false),
            _p: std::marker::PhantomData,
        }
    }

    fn shard(&self, raw: RawTask) -> &Mutex<Shard> {
        let id = raw.header().id().0.get() as usize;
        &self.shards[id & self.mask]
    }

    /// Adds a new task. Returns its `Notified` to queue, or `None` if the
    /// list is closed (the task was shut down: its JoinHandle reports
    /// cancellation).
    pub(crate) fn bind(&self, task: Task<S>, notified: Notified<S>) -> Option<Notified<S>> {
        let raw = task.raw;
        let mut shard = self.shard(raw).lock();
        if shard.closed {
            drop(shard);
            drop(notified);
            task.shutdown();
            return None;
        }
        let key = shard.tasks.insert(raw);
        shard.spawned += 1;
        // SAFETY: the task is not yet visible to any other thread: the
        // Notified is still ours and the shard lock is held.
        unsafe { raw.header().set_owned_key(key) };
        std::mem::forget(task); // the list now owns the Task reference
        Some(notified)
    }

    /// Removes a completing task; returns the list's reference if present.
    pub(crate) fn remove(&self, task: &Task<S>) -> Option<Task<S>> {
        let raw = task.raw;
        let key = raw.header().owned_key();
        let mut shard = self.shard(raw).lock();
        match shard.tasks.get(key) {
            Some(entry) if entry.ptr() == raw.ptr() => {
                shard.tasks.remove(key);
                Some(Task::from_raw(raw))
            }
            _ => None,
        }
    }

    /// Closes the list and shuts every task down (idle ones are cancelled
    /// here; running ones when their poll returns).
    pub(crate) fn close_and_shutdown_all(&self) {
        self.closed.store(true, Ordering::Release);
        for shard in self.shards.iter() {
            shard.lock().closed = true;
        }
        for shard in self.shards.iter() {
            loop {
                let drained: Vec<RawTask> = {
                    let mut s = shard.lock();
                    s.tasks.drain().collect()
                };
                if drained.is_empty() {
                    break;
                }
                for raw in drained {
                    Task::<S>::from_raw(raw).shutdown();
                }
            }
        }
    }

    /// Tasks bound since creation (locks every shard in turn).
    pub(crate) fn spawned(&self) -> u64 {
        self.shards.iter().map(|s| s.lock().spawned).sum()
    }

    /// Number of live tasks (a snapshot; locks every shard in turn).
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().tasks.len()).sum()
    }
}
