//! loom's primitives, behind the same names as `std_impl`.
// Not every crate uses every item the shim offers.
#![allow(dead_code, unused_imports)]

pub(crate) mod sync {
    // loom 0.7 has no `sync::Weak`.
    pub(crate) use loom::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{
            AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering, fence,
        };
    }

    /// A non-poisoning mutex over loom's.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        #[track_caller]
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        #[track_caller]
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap()
        }

        #[track_caller]
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock().ok()
        }
    }

    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(guard).unwrap()
        }

        /// loom has no time: a timed wait is a spurious wakeup.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            _dur: std::time::Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            let (g, r) = self.0.wait_timeout(guard, _dur).unwrap();
            (g, r.timed_out())
        }

        pub(crate) fn notify_one(&self) -> bool {
            self.0.notify_one();
            true
        }

        pub(crate) fn notify_all(&self) -> usize {
            self.0.notify_all();
            0
        }
    }
}

pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

pub(crate) mod thread {
    pub(crate) use loom::thread::{JoinHandle, current, yield_now};
    pub(crate) use std::thread::panicking;

    /// loom threads have no names or stack sizes; keep std's builder shape.
    #[derive(Debug, Default)]
    pub(crate) struct Builder;

    impl Builder {
        pub(crate) fn new() -> Self {
            Builder
        }
        pub(crate) fn name(self, _name: String) -> Self {
            self
        }
        pub(crate) fn stack_size(self, _size: usize) -> Self {
            self
        }
        pub(crate) fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
        where
            F: FnOnce() -> T + 'static,
            T: 'static,
        {
            Ok(loom::thread::spawn(f))
        }
    }
}

pub(crate) mod hint {
    pub(crate) use loom::hint::spin_loop;
}

pub(crate) use loom::thread_local;

/// Pinned under loom so models are deterministic.
pub(crate) fn num_cpus() -> usize {
    2
}
