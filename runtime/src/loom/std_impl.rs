//! std / parking_lot primitives in loom's API shape.
// Not every crate uses every item the shim offers.
#![allow(dead_code, unused_imports)]
#![allow(clippy::disallowed_types)]

pub(crate) mod sync {
    pub(crate) use std::sync::{Arc, Weak};

    /// std's atomics behind newtypes of the same names: clippy's
    /// `disallowed-types` sees through a plain re-export and would flag
    /// every use site; the newtypes deref to the std type, so the whole
    /// std API (and `const fn new`, for statics) is available.
    pub(crate) mod atomic {
        pub(crate) use std::sync::atomic::{Ordering, fence};

        macro_rules! atomic {
            ($($name:ident($inner:ty, $val:ty);)*) => {$(
                #[derive(Debug, Default)]
                #[repr(transparent)]
                pub(crate) struct $name(std::sync::atomic::$name);

                impl $name {
                    pub(crate) const fn new(v: $val) -> Self {
                        $name(std::sync::atomic::$name::new(v))
                    }
                }

                impl std::ops::Deref for $name {
                    type Target = $inner;
                    #[inline(always)]
                    fn deref(&self) -> &$inner {
                        &self.0
                    }
                }

                impl std::ops::DerefMut for $name {
                    #[inline(always)]
                    fn deref_mut(&mut self) -> &mut $inner {
                        &mut self.0
                    }
                }
            )*};
        }

        atomic! {
            AtomicBool(std::sync::atomic::AtomicBool, bool);
            AtomicU32(std::sync::atomic::AtomicU32, u32);
            AtomicU64(std::sync::atomic::AtomicU64, u64);
            AtomicUsize(std::sync::atomic::AtomicUsize, usize);
        }

        /// See the integer atomics above.
        #[derive(Debug, Default)]
        #[repr(transparent)]
        pub(crate) struct AtomicPtr<T>(std::sync::atomic::AtomicPtr<T>);

        impl<T> AtomicPtr<T> {
            pub(crate) const fn new(p: *mut T) -> Self {
                AtomicPtr(std::sync::atomic::AtomicPtr::new(p))
            }
        }

        impl<T> std::ops::Deref for AtomicPtr<T> {
            type Target = std::sync::atomic::AtomicPtr<T>;
            #[inline(always)]
            fn deref(&self) -> &std::sync::atomic::AtomicPtr<T> {
                &self.0
            }
        }

        impl<T> std::ops::DerefMut for AtomicPtr<T> {
            #[inline(always)]
            fn deref_mut(&mut self) -> &mut std::sync::atomic::AtomicPtr<T> {
                &mut self.0
            }
        }
    }

    /// A non-poisoning mutex (parking_lot underneath).
    ///
    /// The guard is wrapped so that parking_lot's `send_guard` feature, if a
    /// dependency turns it on, cannot change our auto traits.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T: ?Sized>(parking_lot::Mutex<T>);

    #[derive(Debug)]
    pub(crate) struct MutexGuard<'a, T: ?Sized>(
        parking_lot::MutexGuard<'a, T>,
        std::marker::PhantomData<std::rc::Rc<()>>,
    );

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Mutex(parking_lot::Mutex::new(value))
        }
    }

    impl<T: ?Sized> Mutex<T> {
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard(self.0.lock(), std::marker::PhantomData)
        }

        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0
                .try_lock()
                .map(|g| MutexGuard(g, std::marker::PhantomData))
        }
    }

    impl<T: ?Sized> std::ops::Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T: ?Sized> std::ops::DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.0
        }
    }

    /// A non-poisoning reader-writer lock (parking_lot underneath). Only
    /// recursive reads are offered: a read never waits for a waiting
    /// writer, so reads nested on one thread cannot deadlock.
    #[derive(Debug, Default)]
    pub(crate) struct RwLock<T: ?Sized>(parking_lot::RwLock<T>);

    /// `!Send` and `Sync` (for `T: Sync`) like std's guards, whatever
    /// parking_lot's features.
    #[derive(Debug)]
    pub(crate) struct RwLockReadGuard<'a, T: ?Sized>(
        parking_lot::RwLockReadGuard<'a, T>,
        std::marker::PhantomData<std::sync::MutexGuard<'static, ()>>,
    );

    #[derive(Debug)]
    pub(crate) struct RwLockWriteGuard<'a, T: ?Sized>(
        parking_lot::RwLockWriteGuard<'a, T>,
        std::marker::PhantomData<std::sync::MutexGuard<'static, ()>>,
    );

    impl<T> RwLock<T> {
        pub(crate) const fn new(value: T) -> Self {
            RwLock(parking_lot::RwLock::new(value))
        }
    }

    impl<T: ?Sized> RwLock<T> {
        pub(crate) fn read_recursive(&self) -> RwLockReadGuard<'_, T> {
            RwLockReadGuard(self.0.read_recursive(), std::marker::PhantomData)
        }

        pub(crate) fn write(&self) -> RwLockWriteGuard<'_, T> {
            RwLockWriteGuard(self.0.write(), std::marker::PhantomData)
        }
    }

    impl<T: ?Sized> std::ops::Deref for RwLockReadGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T: ?Sized> std::ops::Deref for RwLockWriteGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T: ?Sized> std::ops::DerefMut for RwLockWriteGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.0
        }
    }

    /// A condition variable whose `wait` takes and returns the guard.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(&mut guard.0);
            guard
        }

        /// Returns the guard and whether the wait timed out.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            dur: std::time::Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            let timed_out = self.0.wait_for(&mut guard.0, dur).timed_out();
            (guard, timed_out)
        }

        pub(crate) fn notify_one(&self) -> bool {
            self.0.notify_one()
        }

        pub(crate) fn notify_all(&self) -> usize {
            self.0.notify_all()
        }
    }
}

pub(crate) mod cell {
    /// `UnsafeCell` with loom's closure-based access.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(data: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(data))
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        #[inline(always)]
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        #[inline(always)]
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

pub(crate) mod thread {
    pub(crate) use std::thread::{
        Builder, JoinHandle, Thread, current, panicking, park, spawn, yield_now,
    };
}

pub(crate) mod hint {
    pub(crate) use std::hint::spin_loop;
}

pub(crate) use std::thread_local;

/// The number of CPUs, for the default worker count.
pub(crate) fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
