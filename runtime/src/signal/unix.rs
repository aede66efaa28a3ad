//! Unix-specific types for signal handling.
//!
//! # Examples
//!
//! ```no_run
//! use magpie::signal::unix::{signal, SignalKind};
//!
//! #[magpie::main]
//! async fn main() -> std::io::Result<()> {
//!     let mut hangups = signal(SignalKind::hangup())?;
//!     while hangups.recv().await.is_some() {
//!         println!("SIGHUP: reloading the configuration");
//!     }
//!     Ok(())
//! }
//! ```

use super::registry::{Globals, Slot, globals};
use magpie_reactor::io::{Interest, Registration};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::task::{Context, Poll, ready};

/// Represents the specific kind of signal to listen for.
///
/// # Examples
///
/// ```
/// use magpie::signal::unix::SignalKind;
///
/// let kind = SignalKind::user_defined1();
/// assert_eq!(kind, SignalKind::from_raw(kind.as_raw_value()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignalKind(libc::c_int);

impl SignalKind {
    /// Allows for listening to any valid OS signal.
    ///
    /// For example, this can be used for listening for platform-specific
    /// signals.
    ///
    /// ```
    /// # use magpie::signal::unix::SignalKind;
    /// // let signum = libc::OS_SPECIFIC_SIGNAL;
    /// let signum = 2;
    /// let kind = SignalKind::from_raw(signum);
    /// assert_eq!(kind.as_raw_value(), 2);
    /// ```
    pub const fn from_raw(signum: std::os::raw::c_int) -> Self {
        SignalKind(signum)
    }

    /// Gets the signal's numeric value.
    ///
    /// ```
    /// # use magpie::signal::unix::SignalKind;
    /// let kind = SignalKind::interrupt();
    /// assert_eq!(kind.as_raw_value(), libc::SIGINT);
    /// ```
    pub const fn as_raw_value(&self) -> std::os::raw::c_int {
        self.0
    }

    /// Represents the `SIGALRM` signal.
    ///
    /// On Unix systems this signal is sent when a real-time timer has
    /// expired. By default, the process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::alarm().as_raw_value(), 14); // SIGALRM on Linux
    /// ```
    pub const fn alarm() -> Self {
        SignalKind(libc::SIGALRM)
    }

    /// Represents the `SIGCHLD` signal.
    ///
    /// On Unix systems this signal is sent when the status of a child
    /// process has changed. By default, this signal is ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::child().as_raw_value(), 17); // SIGCHLD on Linux
    /// ```
    pub const fn child() -> Self {
        SignalKind(libc::SIGCHLD)
    }

    /// Represents the `SIGHUP` signal.
    ///
    /// On Unix systems this signal is sent when the terminal is
    /// disconnected. By default, the process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::hangup().as_raw_value(), 1); // SIGHUP on Linux
    /// ```
    pub const fn hangup() -> Self {
        SignalKind(libc::SIGHUP)
    }

    /// Represents the `SIGINT` signal.
    ///
    /// On Unix systems this signal is sent to interrupt a program. By
    /// default, the process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::interrupt().as_raw_value(), 2); // SIGINT on Linux
    /// ```
    pub const fn interrupt() -> Self {
        SignalKind(libc::SIGINT)
    }

    /// Represents the `SIGIO` signal.
    ///
    /// On Unix systems this signal is sent when I/O operations are
    /// possible on some file descriptor. By default, this signal is
    /// ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::io().as_raw_value(), 29); // SIGIO on Linux
    /// ```
    pub const fn io() -> Self {
        SignalKind(libc::SIGIO)
    }

    /// Represents the `SIGPIPE` signal.
    ///
    /// On Unix systems this signal is sent when the process attempts to
    /// write to a pipe which has no reader. By default, the process is
    /// terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::pipe().as_raw_value(), 13); // SIGPIPE on Linux
    /// ```
    pub const fn pipe() -> Self {
        SignalKind(libc::SIGPIPE)
    }

    /// Represents the `SIGQUIT` signal.
    ///
    /// On Unix systems this signal is sent to issue a shutdown of the
    /// process, after which the OS will dump the process core. By default,
    /// the process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::quit().as_raw_value(), 3); // SIGQUIT on Linux
    /// ```
    pub const fn quit() -> Self {
        SignalKind(libc::SIGQUIT)
    }

    /// Represents the `SIGTERM` signal.
    ///
    /// On Unix systems this signal is sent to issue a shutdown of the
    /// process. By default, the process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::terminate().as_raw_value(), 15); // SIGTERM on Linux
    /// ```
    pub const fn terminate() -> Self {
        SignalKind(libc::SIGTERM)
    }

    /// Represents the `SIGUSR1` signal.
    ///
    /// On Unix systems this is a user defined signal. By default, the
    /// process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::user_defined1().as_raw_value(), 10); // SIGUSR1 on Linux
    /// ```
    pub const fn user_defined1() -> Self {
        SignalKind(libc::SIGUSR1)
    }

    /// Represents the `SIGUSR2` signal.
    ///
    /// On Unix systems this is a user defined signal. By default, the
    /// process is terminated by this signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::user_defined2().as_raw_value(), 12); // SIGUSR2 on Linux
    /// ```
    pub const fn user_defined2() -> Self {
        SignalKind(libc::SIGUSR2)
    }

    /// Represents the `SIGWINCH` signal.
    ///
    /// On Unix systems this signal is sent when the terminal window is
    /// resized. By default, this signal is ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::window_change().as_raw_value(), 28); // SIGWINCH on Linux
    /// ```
    pub const fn window_change() -> Self {
        SignalKind(libc::SIGWINCH)
    }
}

impl From<std::os::raw::c_int> for SignalKind {
    fn from(signum: std::os::raw::c_int) -> Self {
        Self::from_raw(signum)
    }
}

impl From<SignalKind> for std::os::raw::c_int {
    fn from(kind: SignalKind) -> Self {
        kind.as_raw_value()
    }
}

/// A listener for receiving a particular type of OS signal.
///
/// The listener can be turned into a `Stream`-like source with
/// [`poll_recv`](Signal::poll_recv), or awaited with
/// [`recv`](Signal::recv).
///
/// In general signal handling on Unix is a pretty tricky topic, and this
/// structure is no exception! There are some important limitations to keep
/// in mind when using `Signal` streams:
///
/// * Signals handling in Unix already necessitates coalescing signals
///   together sometimes. This `Signal` stream is also no exception here in
///   that it will also coalesce signals. That is, even if the signal handler
///   for this process runs multiple times, the `Signal` stream may only
///   return one signal notification. Specifically, before `poll` is called,
///   all signal notifications are coalesced into one item returned from
///   `poll`. Once `poll` has been called, however, a further signal is
///   guaranteed to be yielded as an item.
///
/// * Signal handling in general is relatively inefficient. Although some
///   improvements are possible in this crate, it's recommended to not plan
///   on having millions of signal channels open.
///
/// * Once a signal handler is registered with the process the underlying
///   libc signal handler is never unregistered. A `Signal` instance
///   representing a signal having been received can be dropped, but the
///   process will never return to the default behaviour for that signal
///   (e.g. `SIGINT` no longer terminates the process).
///
/// Every listener of a signal sees every delivery that happens while it
/// exists (several listeners, possibly in several runtimes, all wake up);
/// a listener never sees a delivery that happened before it was created.
///
/// # Caveats
///
/// The first time that a `Signal` instance is registered for a particular
/// signal kind, an OS signal-handler is installed which replaces the
/// default platform behavior when that signal is received, **for the
/// duration of the entire process**.
///
/// For example, Unix systems will terminate a process by default when it
/// receives `SIGINT`. But, when a `Signal` instance is created to listen
/// for this signal, the next `SIGINT` that arrives will be translated to a
/// stream event, and the process will continue to execute. **Even if this
/// `Signal` instance is dropped, subsequent `SIGINT` deliveries will end up
/// captured by magpie, and the default platform behavior will NOT be
/// reset**.
///
/// Thus, applications should take care to ensure the expected signal
/// behavior occurs as expected after listening for specific signals.
///
/// # Examples
///
/// Wait for `SIGHUP`:
///
/// ```no_run
/// use magpie::signal::unix::{signal, SignalKind};
///
/// #[magpie::main]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     // An infinite stream of hangup signals.
///     let mut sig = signal(SignalKind::hangup())?;
///
///     // Print whenever a HUP signal is received
///     loop {
///         sig.recv().await;
///         println!("got signal HUP");
///     }
/// }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Signal {
    kind: SignalKind,
    slot: &'static Slot,
    globals: &'static Globals,
    /// This listener's duplicate of the pipe's read end and its
    /// registration with the reactor of the runtime it was created in.
    pipe: mio::net::UnixStream,
    registration: Registration,
    /// The signal's generation this listener has seen.
    seen: u64,
    /// Key of this listener's entry in `slot.state.waiters`.
    key: usize,
}

/// Creates a new listener which will receive notifications when the
/// current process receives the specified signal `kind`.
///
/// This function will create a new stream which binds to the default
/// reactor. The `Signal` stream is an infinite stream which will receive
/// notifications whenever a signal is received. More documentation can be
/// found on `Signal` itself, but to reiterate:
///
/// * Signals may be coalesced beyond what the kernel already does.
/// * Once a signal handler is registered with the process the underlying
///   libc signal handler is never unregistered.
///
/// A `Signal` stream can be created for a particular signal number multiple
/// times. When a signal is received then all the associated channels will
/// receive the signal notification.
///
/// # Errors
///
/// * If the lower-level C functions fail for some reason.
/// * If the previous initialization of this specific signal failed.
/// * If the signal is one of the signals a process may not handle
///   (`SIGILL`, `SIGFPE`, `SIGKILL`, `SIGSEGV`, `SIGSTOP`), or negative, or
///   larger than the platform's largest signal number.
///
/// # Panics
///
/// This function panics if there is no current reactor set, or if the
/// runtime was built without I/O.
///
/// # Examples
///
/// ```no_run
/// use magpie::signal::unix::{signal, SignalKind};
///
/// #[magpie::main]
/// async fn main() -> std::io::Result<()> {
///     let mut terminate = signal(SignalKind::terminate())?;
///     terminate.recv().await;
///     println!("SIGTERM: shutting down");
///     Ok(())
/// }
/// ```
#[track_caller]
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    let handle = crate::context::expect_driver("creating a signal listener");
    if handle.io().is_none() {
        panic!(
            "a magpie runtime was found, but it has I/O disabled; \
             call `enable_io` (or `enable_all`) on the runtime builder"
        );
    }
    let globals = globals();
    let slot = globals.enable(kind.0)?;

    let receiver = globals.receiver()?;
    let mut pipe = mio::net::UnixStream::from_std(receiver);
    let registration = Registration::new(&mut pipe, Interest::READABLE, &handle)?;
    // Deliveries that reached the pipe before this listener existed belong
    // to the older listeners: broadcast them before taking our snapshot.
    globals.drain(&pipe);
    let (seen, key) = {
        let mut state = slot.state.lock();
        (state.generation, state.waiters.insert(None))
    };
    Ok(Signal {
        kind,
        slot,
        globals,
        pipe,
        registration,
        seen,
        key,
    })
}

impl Signal {
    /// Receives the next signal notification event.
    ///
    /// `None` is returned if no more events can be received by this stream
    /// (here: the runtime the listener was created in has shut down).
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe. If you use it as the event in a `select`
    /// statement and some other branch completes first, then it is
    /// guaranteed that no signal is lost.
    ///
    /// # Examples
    ///
    /// Wait for `SIGHUP`
    ///
    /// ```no_run
    /// use magpie::signal::unix::{signal, SignalKind};
    ///
    /// #[magpie::main]
    /// async fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     // An infinite stream of hangup signals.
    ///     let mut stream = signal(SignalKind::hangup())?;
    ///
    ///     // Print whenever a HUP signal is received
    ///     loop {
    ///         stream.recv().await;
    ///         println!("got signal HUP");
    ///     }
    /// }
    /// ```
    pub async fn recv(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls to receive the next signal notification event, outside of an
    /// `async` context.
    ///
    /// This method returns:
    ///
    ///  * `Poll::Pending` if no signals are available but the channel is not
    ///    closed.
    ///  * `Poll::Ready(Some(()))` if a signal is available.
    ///  * `Poll::Ready(None)` if the channel has been closed and all signals
    ///    sent before it was closed have been received.
    ///
    /// # Examples
    ///
    /// Polling from a manually implemented future
    ///
    /// ```no_run
    /// use std::pin::Pin;
    /// use std::future::Future;
    /// use std::task::{Context, Poll};
    /// use magpie::signal::unix::Signal;
    ///
    /// struct MyFuture {
    ///     signal: Signal,
    /// }
    ///
    /// impl Future for MyFuture {
    ///     type Output = Option<()>;
    ///
    ///     fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
    ///         println!("polling MyFuture");
    ///         self.signal.poll_recv(cx)
    ///     }
    /// }
    /// ```
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        // Drive the pipe: while it is readable, drain it (broadcasting to
        // every listener of every pending signal, ours included) and clear
        // the readiness. `Pending` leaves our waker with the reactor, so
        // the next write to the pipe wakes us even if nobody else drains.
        let mut closed = false;
        loop {
            match self.registration.poll_interest(cx, Interest::READABLE) {
                Poll::Pending => break,
                Poll::Ready(Err(_)) => {
                    // The runtime's I/O driver is gone: other runtimes may
                    // still drain, but this listener cannot wait any more.
                    closed = true;
                    break;
                }
                Poll::Ready(Ok(event)) => {
                    self.globals.drain(&self.pipe);
                    self.registration.clear_readiness(event);
                }
            }
        }
        let mut state = self.slot.state.lock();
        if state.generation != self.seen {
            self.seen = state.generation;
            state.waiters[self.key] = None;
            drop(state);
            coop.made_progress();
            return Poll::Ready(Some(()));
        }
        if closed {
            state.waiters[self.key] = None;
            return Poll::Ready(None);
        }
        let waker = &mut state.waiters[self.key];
        match waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => *waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        self.slot.state.lock().waiters.remove(self.key);
        // Errors (the driver is gone) do not matter: closing the duplicate
        // removes it from the poller anyway.
        let _ = self.registration.deregister(&mut self.pipe);
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal").field("kind", &self.kind).finish()
    }
}
