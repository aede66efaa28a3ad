//! `Builder`: configures and creates a `Runtime` (`tokio::runtime::Builder`).

use super::config::{Callback, Config, PanicSignal, ThreadNameFn};
use super::runtime::{Runtime, Scheduler};
use super::watchdog::{SlowPoll, SlowPollFn, Watchdog};
use crate::blocking::{BlockingPool, pool_config};
use crate::loom::sync::Arc;
use crate::scheduler::{self, current_thread::CurrentThread, multi_thread};
use std::fmt;
use std::io;
use std::time::Duration;

/// Builds a runtime with custom settings.
///
/// ```
/// use magpie::runtime::Builder;
///
/// let rt = Builder::new_multi_thread()
///     .worker_threads(2)
///     .thread_name("my-worker")
///     .enable_all()
///     .build()
///     .unwrap();
/// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
/// ```
pub struct Builder {
    kind: Kind,
    enable_io: bool,
    enable_time: bool,
    start_paused: bool,
    worker_threads: Option<usize>,
    max_blocking_threads: usize,
    thread_name: ThreadNameFn,
    thread_stack_size: Option<usize>,
    after_start: Option<Callback>,
    before_stop: Option<Callback>,
    before_park: Option<Callback>,
    after_unpark: Option<Callback>,
    keep_alive: Option<Duration>,
    global_queue_interval: Option<u32>,
    event_interval: u32,
    max_io_events_per_tick: usize,
    disable_lifo_slot: bool,
    unhandled_panic: UnhandledPanic,
    slow_poll: Option<(Duration, SlowPollFn)>,
    name: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    CurrentThread,
    MultiThread,
}

/// What the runtime does when a spawned task panics
/// (`tokio::runtime::UnhandledPanic`; offered for both flavors).
///
/// # Examples
///
/// ```
/// use magpie::runtime::Builder;
///
/// let rt = Builder::new_current_thread()
///     .unhandled_panic(magpie::runtime::UnhandledPanic::Ignore)
///     .build()
///     .unwrap();
/// let res = rt.block_on(async { magpie::spawn(async { panic!("boom") }).await });
/// assert!(res.unwrap_err().is_panic()); // the runtime lives on
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnhandledPanic {
    /// The panic goes to the task's `JoinHandle` only (the default).
    Ignore,
    /// The runtime shuts down and `block_on` panics.
    ShutdownRuntime,
}

/// Idle blocking threads exit after this long (tokio's default).
const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);
/// Default cap on blocking threads (tokio's default).
const DEFAULT_MAX_BLOCKING: usize = 512;

impl Builder {
    /// A builder for the current-thread scheduler: every task runs on the
    /// thread that calls `block_on`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().enable_all().build().unwrap();
    /// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
    /// ```
    pub fn new_current_thread() -> Builder {
        Builder::new(Kind::CurrentThread, 61)
    }

    /// A builder for the multi-thread, work-stealing scheduler.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    /// let answer = rt.block_on(async { magpie::spawn(async { 42 }).await.unwrap() });
    /// assert_eq!(answer, 42);
    /// ```
    pub fn new_multi_thread() -> Builder {
        Builder::new(Kind::MultiThread, 61)
    }

    fn new(kind: Kind, event_interval: u32) -> Builder {
        Builder {
            kind,
            enable_io: false,
            enable_time: false,
            start_paused: false,
            worker_threads: None,
            max_blocking_threads: DEFAULT_MAX_BLOCKING,
            thread_name: std::sync::Arc::new(|| "magpie-runtime-worker".into()),
            thread_stack_size: None,
            after_start: None,
            before_stop: None,
            before_park: None,
            after_unpark: None,
            keep_alive: None,
            global_queue_interval: None,
            event_interval,
            max_io_events_per_tick: 1024,
            disable_lifo_slot: false,
            unhandled_panic: UnhandledPanic::Ignore,
            slow_poll: None,
            name: None,
        }
    }

    /// Enables both the I/O and the time drivers.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().enable_all().build().unwrap();
    /// rt.block_on(async { magpie::time::sleep(std::time::Duration::from_millis(1)).await });
    /// ```
    pub fn enable_all(&mut self) -> &mut Self {
        self.enable_io().enable_time()
    }

    /// Enables the I/O driver.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().enable_io().build().unwrap();
    /// rt.block_on(async {
    ///     let listener = magpie::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    ///     assert!(listener.local_addr().unwrap().port() != 0);
    /// });
    /// ```
    pub fn enable_io(&mut self) -> &mut Self {
        self.enable_io = true;
        self
    }

    /// Enables the time driver.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().enable_time().build().unwrap();
    /// rt.block_on(async { magpie::time::sleep(std::time::Duration::from_millis(1)).await });
    /// ```
    pub fn enable_time(&mut self) -> &mut Self {
        self.enable_time = true;
        self
    }

    /// Starts the clock paused (time moves only by `advance` or
    /// auto-advance). Current-thread runtimes only, as in tokio.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// use magpie::time::{Duration, Instant};
    ///
    /// let rt = Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    /// rt.block_on(async {
    ///     let start = Instant::now();
    ///     magpie::time::sleep(Duration::from_secs(3600)).await; // returns at once
    ///     assert!(start.elapsed() >= Duration::from_secs(3600));
    /// });
    /// ```
    pub fn start_paused(&mut self, start_paused: bool) -> &mut Self {
        self.start_paused = start_paused;
        self
    }

    /// Number of worker threads (multi-thread only). Defaults to the number
    /// of CPUs.
    ///
    /// # Panics
    ///
    /// Panics if `val` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().worker_threads(4).build().unwrap();
    /// assert_eq!(rt.metrics().num_workers(), 4);
    /// ```
    #[track_caller]
    pub fn worker_threads(&mut self, val: usize) -> &mut Self {
        assert!(val > 0, "Worker threads cannot be set to 0");
        self.worker_threads = Some(val);
        self
    }

    /// Cap on threads for `spawn_blocking` (default 512).
    ///
    /// # Panics
    ///
    /// Panics if `val` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().max_blocking_threads(16).build().unwrap();
    /// let v = rt.block_on(async { magpie::task::spawn_blocking(|| 3).await }).unwrap();
    /// assert_eq!(v, 3);
    /// ```
    #[track_caller]
    pub fn max_blocking_threads(&mut self, val: usize) -> &mut Self {
        assert!(val > 0, "Max blocking threads cannot be set to 0");
        self.max_blocking_threads = val;
        self
    }

    /// Name of the runtime's threads (default "magpie-runtime-worker").
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().thread_name("my-pool").build().unwrap();
    /// let name = rt.spawn(async { std::thread::current().name().map(str::to_owned) });
    /// let name = rt.block_on(name);
    /// assert_eq!(name.unwrap().as_deref(), Some("my-pool"));
    /// ```
    pub fn thread_name(&mut self, val: impl Into<String>) -> &mut Self {
        let val = val.into();
        self.thread_name = std::sync::Arc::new(move || val.clone());
        self
    }

    /// A function producing each thread's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// let rt = Builder::new_multi_thread()
    ///     .thread_name_fn(|| {
    ///         static ID: AtomicUsize = AtomicUsize::new(0);
    ///         format!("my-pool-{}", ID.fetch_add(1, Ordering::Relaxed))
    ///     })
    ///     .build()
    ///     .unwrap();
    /// # drop(rt);
    /// ```
    pub fn thread_name_fn<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() -> String + Send + Sync + 'static,
    {
        self.thread_name = std::sync::Arc::new(f);
        self
    }

    /// Stack size of the runtime's threads.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().thread_stack_size(4 * 1024 * 1024).build().unwrap();
    /// # drop(rt);
    /// ```
    pub fn thread_stack_size(&mut self, val: usize) -> &mut Self {
        self.thread_stack_size = Some(val);
        self
    }

    /// Called on each runtime thread after it starts.
    ///
    /// # Panics
    ///
    /// A panic in `f` does not take the thread down (unlike tokio, where
    /// the worker thread dies): it is reported by the panic hook as usual,
    /// then the thread goes on to do its work, so the runtime stays usable
    /// and shuts down normally.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread()
    ///     .worker_threads(2)
    ///     .on_thread_start(|| println!("thread started"))
    ///     .build()
    ///     .unwrap();
    /// # drop(rt);
    /// ```
    pub fn on_thread_start<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_start = Some(std::sync::Arc::new(f));
        self
    }

    /// Called on each runtime thread before it stops.
    ///
    /// A panic in `f` is reported by the panic hook and otherwise ignored,
    /// as for [`on_thread_start`](Self::on_thread_start).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread()
    ///     .worker_threads(2)
    ///     .on_thread_stop(|| println!("thread stopping"))
    ///     .build()
    ///     .unwrap();
    /// drop(rt); // prints twice
    /// ```
    pub fn on_thread_stop<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.before_stop = Some(std::sync::Arc::new(f));
        self
    }

    /// Called by a worker before it parks.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread()
    ///     .enable_all()
    ///     .on_thread_park(|| println!("nothing to do: parking"))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async { magpie::time::sleep(std::time::Duration::from_millis(1)).await });
    /// ```
    pub fn on_thread_park<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.before_park = Some(std::sync::Arc::new(f));
        self
    }

    /// Called by a worker after it unparks.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread()
    ///     .enable_all()
    ///     .on_thread_unpark(|| println!("woken up"))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async { magpie::time::sleep(std::time::Duration::from_millis(1)).await });
    /// ```
    pub fn on_thread_unpark<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_unpark = Some(std::sync::Arc::new(f));
        self
    }

    /// How long an idle blocking thread waits before exiting (default 10 s).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// use std::time::Duration;
    ///
    /// let rt = Builder::new_multi_thread().thread_keep_alive(Duration::from_millis(100)).build().unwrap();
    /// # drop(rt);
    /// ```
    pub fn thread_keep_alive(&mut self, duration: Duration) -> &mut Self {
        self.keep_alive = Some(duration);
        self
    }

    /// Ticks between looks at the global queue ahead of the local one.
    ///
    /// # Panics
    ///
    /// Panics if `val` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().global_queue_interval(31).build().unwrap();
    /// # drop(rt);
    /// ```
    #[track_caller]
    pub fn global_queue_interval(&mut self, val: u32) -> &mut Self {
        assert!(val > 0, "global_queue_interval must be greater than 0");
        self.global_queue_interval = Some(val);
        self
    }

    /// Ticks between non-blocking polls of the I/O and timer drivers
    /// (default 61 on both schedulers, as tokio).
    ///
    /// # Panics
    ///
    /// Panics if `val` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().event_interval(31).build().unwrap();
    /// # drop(rt);
    /// ```
    #[track_caller]
    pub fn event_interval(&mut self, val: u32) -> &mut Self {
        assert!(val > 0, "event_interval must be greater than 0");
        self.event_interval = val;
        self
    }

    /// How many I/O events the driver handles per turn (default 1024).
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().max_io_events_per_tick(256).build().unwrap();
    /// # drop(rt);
    /// ```
    #[track_caller]
    pub fn max_io_events_per_tick(&mut self, capacity: usize) -> &mut Self {
        assert!(
            capacity > 0,
            "max_io_events_per_tick must be greater than 0"
        );
        self.max_io_events_per_tick = capacity;
        self
    }

    /// Turns off the LIFO slot optimisation (multi-thread).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().disable_lifo_slot().build().unwrap();
    /// # drop(rt);
    /// ```
    pub fn disable_lifo_slot(&mut self) -> &mut Self {
        self.disable_lifo_slot = true;
        self
    }

    /// What to do when a spawned task panics.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// use magpie::runtime::UnhandledPanic;
    ///
    /// let rt = Builder::new_current_thread()
    ///     .unhandled_panic(UnhandledPanic::ShutdownRuntime)
    ///     .build()
    ///     .unwrap();
    /// let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    ///     rt.block_on(async {
    ///         magpie::spawn(async { panic!("boom") });
    ///         std::future::pending::<()>().await;
    ///     })
    /// }));
    /// assert!(res.is_err()); // block_on panicked instead of hanging
    /// ```
    pub fn unhandled_panic(&mut self, behavior: UnhandledPanic) -> &mut Self {
        self.unhandled_panic = behavior;
        self
    }

    /// Reports task polls that block a worker thread for longer than
    /// `threshold` (off by default).
    ///
    /// With this set, each poll is timed, and `callback` is called:
    ///
    /// * from a watchdog thread (one per runtime, started by `build`,
    ///   stopped when the runtime shuts down), once per poll still running
    ///   past `threshold`: [`SlowPoll::is_running`] is true and the
    ///   duration is how long it has run so far;
    /// * from the worker, after any poll that took `threshold` or longer:
    ///   `is_running` is false and the duration is the whole poll.
    ///
    /// The report names the task ([`SlowPoll::id`]), where it was spawned
    /// ([`SlowPoll::spawned_at`]) and the worker. While a worker is stuck,
    /// the other workers keep running the tasks queued behind it: with
    /// this option the LIFO slot is turned off, so every task a worker
    /// queues is in its stealable deque (see `docs/architecture.md`).
    ///
    /// Without it, polls are not timed and no thread is started. With the
    /// `tracing` feature, `magpie::runtime::log_slow_poll` is a ready-made
    /// callback. A panic in `callback` is caught (and
    /// printed by the panic hook).
    ///
    /// This is magpie's own; tokio has no equivalent builder option.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let tx = std::sync::Mutex::new(tx);
    /// let rt = magpie::runtime::Builder::new_multi_thread()
    ///     .worker_threads(2)
    ///     .on_slow_poll(Duration::from_millis(20), move |poll| {
    ///         tx.lock().unwrap().send((poll.spawned_at().line(), poll.is_running())).unwrap();
    ///     })
    ///     .build()
    ///     .unwrap();
    /// let line = line!() + 1;
    /// let stuck = rt.spawn(async { std::thread::sleep(Duration::from_millis(200)) });
    /// // Reported while the worker is still blocked...
    /// assert_eq!(rx.recv().unwrap(), (line, true));
    /// rt.block_on(stuck).unwrap();
    /// // ...and once the poll returned.
    /// assert_eq!(rx.recv().unwrap(), (line, false));
    /// ```
    pub fn on_slow_poll<F>(&mut self, threshold: Duration, callback: F) -> &mut Self
    where
        F: Fn(&SlowPoll) + Send + Sync + 'static,
    {
        self.slow_poll = Some((threshold, std::sync::Arc::new(callback)));
        self
    }

    /// Creates the runtime.
    ///
    /// # Errors
    ///
    /// Fails if the OS refuses a thread or the I/O driver's resources.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().enable_all().build()?;
    /// rt.block_on(async { println!("hello") });
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn build(&mut self) -> io::Result<Runtime> {
        if self.start_paused && self.kind == Kind::MultiThread {
            panic!(
                "`time::pause()` requires the `current_thread` magpie runtime; \
                 `start_paused` cannot be used with `new_multi_thread`"
            );
        }
        let (driver, driver_handle) = magpie_reactor::Driver::new(magpie_reactor::Config {
            enable_io: self.enable_io,
            enable_time: self.enable_time,
            start_paused: self.start_paused,
            max_io_events_per_tick: self.max_io_events_per_tick,
        })?;
        let workers = match self.kind {
            Kind::CurrentThread => 0,
            Kind::MultiThread => self.worker_threads.unwrap_or_else(crate::loom::num_cpus),
        };
        let pool = BlockingPool::new(pool_config(
            driver_handle.clone(),
            self.thread_name.clone(),
            self.thread_stack_size,
            self.after_start.clone(),
            self.before_stop.clone(),
            self.max_blocking_threads + workers,
            self.keep_alive.unwrap_or(DEFAULT_KEEP_ALIVE),
        ));
        let config = Config {
            global_queue_interval: self.global_queue_interval.unwrap_or(match self.kind {
                Kind::CurrentThread => 31,
                Kind::MultiThread => 61,
            }),
            event_interval: self.event_interval,
            // A task in a stuck worker's LIFO slot could not be stolen.
            disable_lifo_slot: self.disable_lifo_slot || self.slow_poll.is_some(),
            before_park: self.before_park.clone(),
            after_unpark: self.after_unpark.clone(),
            unhandled_panic: match self.unhandled_panic {
                UnhandledPanic::Ignore => None,
                UnhandledPanic::ShutdownRuntime => Some(Arc::new(PanicSignal::default())),
            },
            watchdog: match &self.slow_poll {
                Some((threshold, callback)) => Some(Watchdog::start(
                    workers.max(1),
                    *threshold,
                    callback.clone(),
                )?),
                None => None,
            },
            name: self.name.clone(),
        };
        let spawner = pool.spawner().clone();
        match self.kind {
            Kind::CurrentThread => {
                let (sched, handle) = CurrentThread::new(driver, driver_handle, spawner, config);
                Ok(Runtime::from_parts(
                    Scheduler::CurrentThread(sched),
                    scheduler::Handle::CurrentThread(handle),
                    pool,
                ))
            }
            Kind::MultiThread => {
                let (handle, launch) =
                    multi_thread::create(workers, driver, driver_handle, spawner, config);
                let handle = scheduler::Handle::MultiThread(handle);
                let rt = Runtime::from_parts(Scheduler::MultiThread, handle, pool);
                launch.launch()?;
                Ok(rt)
            }
        }
    }

    /// Sets the name of the runtime, returned by [`Handle::name`].
    ///
    /// [`Handle::name`]: crate::runtime::Handle::name
    ///
    /// # Panics
    ///
    /// This function will panic if an empty value is passed as an argument.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().name("my-runtime").build().unwrap();
    /// assert_eq!(rt.handle().name(), Some("my-runtime"));
    /// ```
    #[track_caller]
    pub fn name(&mut self, val: impl Into<String>) -> &mut Self {
        let val = val.into();
        assert!(!val.trim().is_empty(), "runtime name shouldn't be empty");
        self.name = Some(val);
        self
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("kind", &self.kind)
            .field("worker_threads", &self.worker_threads)
            .field("max_blocking_threads", &self.max_blocking_threads)
            .field("enable_io", &self.enable_io)
            .field("enable_time", &self.enable_time)
            .finish_non_exhaustive()
    }
}
