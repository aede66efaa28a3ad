//! loom's primitives, behind the same names as `std_impl`.
// Not every crate uses every item the shim offers.
#![allow(dead_code, unused_imports)]

pub(crate) mod sync {
    // loom 0.7 has no `Weak`; nothing here may use it under loom.
    pub(crate) use loom::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{
            AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering, fence,
        };
    }

    /// A non-poisoning mutex over loom's.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    /// loom's guard plus the mutex it came from, so that a timed condvar
    /// wait can release and re-take the lock (see `Condvar::wait_timeout`).
    pub(crate) struct MutexGuard<'a, T> {
        guard: Option<loom::sync::MutexGuard<'a, T>>,
        mutex: &'a Mutex<T>,
    }

    impl<T> Mutex<T> {
        #[track_caller]
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        #[track_caller]
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard {
                guard: Some(self.0.lock().unwrap()),
                mutex: self,
            }
        }

        #[track_caller]
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            let guard = self.0.try_lock().ok()?;
            Some(MutexGuard {
                guard: Some(guard),
                mutex: self,
            })
        }
    }

    impl<T> std::ops::Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.guard.as_ref().expect("guard present")
        }
    }

    impl<T> std::ops::DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.guard.as_mut().expect("guard present")
        }
    }

    impl<T> std::fmt::Debug for MutexGuard<'_, T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("MutexGuard")
        }
    }

    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        #[track_caller]
        pub(crate) fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            let inner = guard.guard.take().expect("guard present");
            guard.guard = Some(self.0.wait(inner).unwrap());
            guard
        }

        /// loom has no clock (its own `wait_timeout` never times out), so a
        /// timed wait is modelled as one that times out at a moment of the
        /// model's choosing: the lock is released, every other thread may
        /// run, then it is re-taken and the wait reports a timeout. A
        /// notification sent meanwhile is lost to this waiter, as with a
        /// real timeout racing a notify; callers must check their condition
        /// after any wait, which is exactly what the models exercise.
        #[track_caller]
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            _dur: std::time::Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            drop(guard.guard.take());
            loom::thread::yield_now();
            guard.guard = Some(guard.mutex.0.lock().unwrap());
            (guard, true)
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

    /// The std shim's `RwLock` for the models: a reader-preferring blocking
    /// reader-writer lock over loom's mutex and condvar: readers never wait for a
    /// waiting writer, so nested reads on one thread cannot deadlock.
    pub(crate) struct RwLock<T> {
        /// Readers inside (> 0), a writer inside (-1), or free (0).
        state: Mutex<isize>,
        cv: Condvar,
        data: loom::cell::UnsafeCell<T>,
    }

    // SAFETY: the `state` protocol gives `&T` to many readers (needs `T: Sync`)
    // or `&mut T` to one writer on any thread (needs `T: Send`), never both.
    unsafe impl<T: Send + Sync> Sync for RwLock<T> {}

    pub(crate) struct RwLockReadGuard<'a, T> {
        lock: &'a RwLock<T>,
    }

    pub(crate) struct RwLockWriteGuard<'a, T> {
        lock: &'a RwLock<T>,
    }

    impl<T> RwLock<T> {
        pub(crate) fn new(value: T) -> Self {
            RwLock {
                state: Mutex::new(0),
                cv: Condvar::new(),
                data: loom::cell::UnsafeCell::new(value),
            }
        }

        pub(crate) fn read_recursive(&self) -> RwLockReadGuard<'_, T> {
            let mut st = self.state.lock();
            while *st < 0 {
                st = self.cv.wait(st);
            }
            *st += 1;
            RwLockReadGuard { lock: self }
        }

        pub(crate) fn write(&self) -> RwLockWriteGuard<'_, T> {
            let mut st = self.state.lock();
            while *st != 0 {
                st = self.cv.wait(st);
            }
            *st = -1;
            RwLockWriteGuard { lock: self }
        }
    }

    impl<T> std::ops::Deref for RwLockReadGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            // SAFETY: `state > 0` while this guard lives: no writer.
            self.lock.data.with(|p| unsafe { &*p })
        }
    }

    impl<T> Drop for RwLockReadGuard<'_, T> {
        fn drop(&mut self) {
            let mut st = self.lock.state.lock();
            *st -= 1;
            if *st == 0 {
                self.lock.cv.notify_all();
            }
        }
    }

    impl<T> std::ops::Deref for RwLockWriteGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            // SAFETY: `state == -1` while this guard lives: we are alone.
            self.lock.data.with(|p| unsafe { &*p })
        }
    }

    impl<T> std::ops::DerefMut for RwLockWriteGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            // SAFETY: as in `deref`; `&mut self` makes the reference unique.
            self.lock.data.with_mut(|p| unsafe { &mut *p })
        }
    }

    impl<T> Drop for RwLockWriteGuard<'_, T> {
        fn drop(&mut self) {
            *self.lock.state.lock() = 0;
            self.lock.cv.notify_all();
        }
    }
}

pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

pub(crate) mod thread {
    pub(crate) use loom::thread::{JoinHandle, Thread, current, park, spawn, yield_now};
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
