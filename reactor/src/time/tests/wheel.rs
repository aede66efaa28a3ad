//! Unit tests of the wheel and of timer entries driven by a paused clock.

use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::SeqCst;
use crate::loom::sync::{Arc, Mutex};
use crate::time::TimerEntry;
use crate::time::entry::Location;
use crate::time::wheel::{LEVEL_MULT, NUM_LEVELS, level_for};
use crate::{Config, Driver, Handle};
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// Counts wakes; `order` records the `tag` of each wake.
struct Recorder {
    wakes: AtomicUsize,
    tag: u64,
    order: Option<Arc<Mutex<Vec<u64>>>>,
}

impl Wake for Recorder {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.wakes.fetch_add(1, SeqCst);
        if let Some(order) = &self.order {
            order.lock().push(self.tag);
        }
    }
}

fn recorder(tag: u64, order: Option<Arc<Mutex<Vec<u64>>>>) -> std::sync::Arc<Recorder> {
    std::sync::Arc::new(Recorder {
        wakes: AtomicUsize::new(0),
        tag,
        order,
    })
}

fn paused() -> (Driver, Handle, Instant) {
    let (driver, handle) = Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused: true,
        max_io_events_per_tick: 0,
    })
    .unwrap();
    let start = handle.clock().now();
    (driver, handle, start)
}

fn poll(entry: Pin<&mut TimerEntry>, waker: &Waker) -> Poll<Result<(), crate::time::Error>> {
    entry.poll_elapsed(&mut Context::from_waker(waker))
}

/// Advances the paused clock by `ms` and lets the driver fire.
fn advance(driver: &mut Driver, handle: &Handle, ms: u64) {
    handle.clock().advance(Duration::from_millis(ms)).unwrap();
    driver.park_timeout(handle, Duration::ZERO);
}

fn location(handle: &Handle, entry: Pin<&TimerEntry>) -> Location {
    let lock = handle.time().unwrap().lock();
    // SAFETY: lock held; the entry is alive.
    unsafe { lock.wheel.location_of(entry.shared_ptr()) }
}

#[test]
fn level_for_digits() {
    assert_eq!(level_for(0, 1), 0);
    assert_eq!(level_for(0, 63), 0);
    assert_eq!(level_for(0, 64), 1);
    assert_eq!(level_for(63, 64), 1);
    assert_eq!(level_for(64, 127), 0);
    for level in 1..NUM_LEVELS {
        let span = (LEVEL_MULT as u64).pow(level as u32);
        assert_eq!(level_for(0, span), level);
        assert_eq!(level_for(0, span - 1), level - 1);
    }
    // Beyond one lap: capped at the top level.
    assert_eq!(level_for(0, u64::MAX), NUM_LEVELS - 1);
}

#[test]
fn inserts_at_every_level_and_fires_each_on_time() {
    let (mut driver, handle, start) = paused();
    let mut entries = Vec::new();
    let mut wakers = Vec::new();
    for level in 0..NUM_LEVELS {
        let ms = (LEVEL_MULT as u64).pow(level as u32) + 3;
        let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(ms)));
        let rec = recorder(level as u64, None);
        let waker = Waker::from(rec.clone());
        assert!(poll(entry.as_mut(), &waker).is_pending());
        assert!(matches!(
            location(&handle, entry.as_ref()),
            Location::Slot { level: l, .. } if l as usize == level
        ));
        entries.push((ms, entry));
        wakers.push(rec);
    }
    // Jump to each deadline: exactly that entry (and the earlier ones) fired.
    let mut now = 0;
    for (i, (ms, _)) in entries.iter().enumerate() {
        advance(&mut driver, &handle, ms - 1 - now);
        now = ms - 1;
        assert_eq!(wakers[i].wakes.load(SeqCst), 0, "entry {i} fired early");
        advance(&mut driver, &handle, 1);
        now += 1;
        assert_eq!(wakers[i].wakes.load(SeqCst), 1, "entry {i} not fired");
        for later in &wakers[i + 1..] {
            assert_eq!(later.wakes.load(SeqCst), 0);
        }
    }
    for (_, entry) in &mut entries {
        assert!(entry.is_elapsed());
        assert_eq!(poll(entry.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
    }
}

#[test]
fn cascades_down_the_levels() {
    let (mut driver, handle, start) = paused();
    let ms = 64 * 64 * 2 + 64 * 3 + 5;
    let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(ms)));
    let rec = recorder(0, None);
    let waker = Waker::from(rec.clone());
    assert!(poll(entry.as_mut(), &waker).is_pending());
    assert!(matches!(
        location(&handle, entry.as_ref()),
        Location::Slot { level: 2, slot: 2 }
    ));
    advance(&mut driver, &handle, 64 * 64 * 2);
    assert!(matches!(
        location(&handle, entry.as_ref()),
        Location::Slot { level: 1, slot: 3 }
    ));
    advance(&mut driver, &handle, 64 * 3);
    assert!(matches!(
        location(&handle, entry.as_ref()),
        Location::Slot { level: 0, slot: 5 }
    ));
    advance(&mut driver, &handle, 4);
    assert_eq!(rec.wakes.load(SeqCst), 0);
    assert!(!entry.is_elapsed());
    advance(&mut driver, &handle, 1);
    assert_eq!(rec.wakes.load(SeqCst), 1);
    assert!(entry.is_elapsed());
}

#[test]
fn beyond_one_lap_waits_for_its_deadline() {
    let (mut driver, handle, start) = paused();
    let lap = (LEVEL_MULT as u64).pow(NUM_LEVELS as u32);
    let ms = lap * 2 + 17;
    let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(ms)));
    let rec = recorder(0, None);
    assert!(poll(entry.as_mut(), &Waker::from(rec.clone())).is_pending());
    // Auto-advance steps through the top-level laps without firing early.
    for _ in 0..16 {
        driver.park(&handle);
        if rec.wakes.load(SeqCst) == 1 {
            break;
        }
        assert!(handle.clock().now() < start + Duration::from_millis(ms));
    }
    assert_eq!(rec.wakes.load(SeqCst), 1);
    assert_eq!(handle.clock().now(), start + Duration::from_millis(ms));
}

#[test]
fn cancel_unlinks_and_drops_the_waker_without_waking() {
    let (mut driver, handle, start) = paused();
    let rec = recorder(0, None);
    let keep = recorder(1, None);
    let mut a = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(10)));
    let mut b = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(10)));
    assert!(poll(a.as_mut(), &Waker::from(rec.clone())).is_pending());
    assert!(poll(b.as_mut(), &Waker::from(keep.clone())).is_pending());
    assert_eq!(std::sync::Arc::strong_count(&rec), 2);
    drop(a);
    assert_eq!(std::sync::Arc::strong_count(&rec), 1, "waker not dropped");
    advance(&mut driver, &handle, 10);
    assert_eq!(rec.wakes.load(SeqCst), 0);
    assert_eq!(keep.wakes.load(SeqCst), 1);
    assert_eq!(std::sync::Arc::strong_count(&keep), 1, "fired waker kept");
    assert!(b.is_elapsed());
    let lock = handle.time().unwrap().lock();
    assert_eq!(lock.wheel.next_expiration_time(), None);
}

#[test]
fn reset_later_and_earlier() {
    let (mut driver, handle, start) = paused();
    let rec = recorder(0, None);
    let waker = Waker::from(rec.clone());
    let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(100)));
    assert!(poll(entry.as_mut(), &waker).is_pending());

    // Later: does not fire at the old deadline; keeps the waker.
    entry.as_mut().reset(start + Duration::from_millis(5_000));
    assert_eq!(entry.deadline(), start + Duration::from_millis(5_000));
    advance(&mut driver, &handle, 100);
    assert_eq!(rec.wakes.load(SeqCst), 0);
    assert!(!entry.is_elapsed());

    // Earlier (still in the future): fires at the new deadline.
    entry.as_mut().reset(start + Duration::from_millis(150));
    advance(&mut driver, &handle, 49);
    assert_eq!(rec.wakes.load(SeqCst), 0);
    advance(&mut driver, &handle, 1);
    assert_eq!(rec.wakes.load(SeqCst), 1);
    assert!(entry.is_elapsed());

    // Reset after firing: pending again, registered on the next poll.
    entry.as_mut().reset(start + Duration::from_millis(300));
    assert!(!entry.is_elapsed());
    assert!(poll(entry.as_mut(), &waker).is_pending());
    advance(&mut driver, &handle, 150);
    assert_eq!(rec.wakes.load(SeqCst), 2);

    // Reset a registered entry into the past: woken at once.
    entry.as_mut().reset(start + Duration::from_millis(1_000));
    assert!(poll(entry.as_mut(), &waker).is_pending());
    entry.as_mut().reset(start);
    assert_eq!(rec.wakes.load(SeqCst), 3);
    assert_eq!(poll(entry.as_mut(), &waker), Poll::Ready(Ok(())));
}

#[test]
fn fires_in_deadline_order() {
    let (mut driver, handle, start) = paused();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut entries = Vec::new();
    for _ in 0..2_000 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Spread over levels 0..=3.
        let ms = 1 + rng % (64 * 64 * 64 * 8);
        let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_millis(ms)));
        let waker = Waker::from(recorder(ms, Some(order.clone())));
        assert!(poll(entry.as_mut(), &waker).is_pending());
        entries.push(entry);
    }
    // Fire in a few big jumps and many auto-advance steps.
    advance(&mut driver, &handle, 1_000);
    advance(&mut driver, &handle, 100_000);
    while entries.iter().any(|e| !e.is_elapsed()) {
        driver.park(&handle);
    }
    let order = order.lock().clone();
    assert_eq!(order.len(), entries.len());
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "fired out of order");
}

#[test]
fn auto_advance_jumps_to_the_next_deadline_unless_woken() {
    let (mut driver, handle, start) = paused();
    let hour = Duration::from_secs(3600);
    let rec = recorder(0, None);
    let mut entry = Box::pin(TimerEntry::new(&handle, start + hour));
    assert!(poll(entry.as_mut(), &Waker::from(rec.clone())).is_pending());
    // An unpark (e.g. a task woken) means work: no advance this time.
    handle.unpark();
    driver.park(&handle);
    assert_eq!(handle.clock().now(), start);
    // Inhibited: blocks on the real clock instead, so only park with a limit.
    handle.inhibit_auto_advance();
    driver.park_timeout(&handle, Duration::from_millis(1));
    assert_eq!(handle.clock().now(), start);
    handle.allow_auto_advance();
    // Each idle park jumps to the next slot boundary (cascading the entry
    // down the levels) until it reaches the deadline itself.
    for _ in 0..NUM_LEVELS {
        if rec.wakes.load(SeqCst) == 1 {
            break;
        }
        driver.park(&handle);
        assert!(handle.clock().now() <= start + hour);
    }
    assert_eq!(handle.clock().now(), start + hour);
    assert_eq!(rec.wakes.load(SeqCst), 1);
}

#[test]
fn shutdown_fails_pending_and_new_timers() {
    let (mut driver, handle, start) = paused();
    let rec = recorder(0, None);
    let mut entry = Box::pin(TimerEntry::new(&handle, start + Duration::from_secs(1)));
    assert!(poll(entry.as_mut(), &Waker::from(rec.clone())).is_pending());
    driver.shutdown(&handle);
    assert_eq!(rec.wakes.load(SeqCst), 1);
    assert!(
        poll(entry.as_mut(), Waker::noop()) == Poll::Ready(Err(crate::time::Error::shutdown()))
    );
    let mut late = Box::pin(TimerEntry::new(&handle, start + Duration::from_secs(1)));
    assert!(poll(late.as_mut(), Waker::noop()) == Poll::Ready(Err(crate::time::Error::shutdown())));
    assert!(handle.time().unwrap().is_shutdown());
}

#[test]
fn real_clock_sleep_lasts_at_least_its_duration() {
    let (mut driver, handle) = Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused: false,
        max_io_events_per_tick: 0,
    })
    .unwrap();
    let begin = Instant::now();
    let mut entry = Box::pin(TimerEntry::new(&handle, begin + Duration::from_millis(20)));
    let rec = recorder(0, None);
    assert!(poll(entry.as_mut(), &Waker::from(rec.clone())).is_pending());
    while rec.wakes.load(SeqCst) == 0 {
        driver.park(&handle);
    }
    assert!(begin.elapsed() >= Duration::from_millis(20));
}

#[test]
fn registering_an_earlier_timer_wakes_the_parked_driver() {
    let (mut driver, handle) = Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused: false,
        max_io_events_per_tick: 0,
    })
    .unwrap();
    let stop = Arc::new(AtomicUsize::new(0));
    let driver_thread = {
        let handle = handle.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            // Parks with no timer at all, i.e. indefinitely.
            while stop.load(SeqCst) == 0 {
                driver.park(&handle);
            }
        })
    };
    std::thread::sleep(Duration::from_millis(20));
    let rec = recorder(0, None);
    let mut entry = Box::pin(TimerEntry::new(
        &handle,
        Instant::now() + Duration::from_millis(10),
    ));
    assert!(poll(entry.as_mut(), &Waker::from(rec.clone())).is_pending());
    let deadline = Instant::now() + Duration::from_secs(10);
    while rec.wakes.load(SeqCst) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        rec.wakes.load(SeqCst),
        1,
        "parked driver never noticed the timer"
    );
    stop.store(1, SeqCst);
    handle.unpark();
    driver_thread.join().unwrap();
}

#[test]
fn a_million_entries_insert_and_cancel() {
    const N: usize = 1_000_000;
    let (mut driver, handle, start) = paused();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let entries: Vec<TimerEntry> = (0..N)
        .map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let ms = 1 + rng % (1 << 34);
            TimerEntry::new(&handle, start + Duration::from_millis(ms))
        })
        .collect();
    let mut entries: Pin<Box<[TimerEntry]>> = Box::into_pin(entries.into_boxed_slice());
    for i in 0..N {
        // SAFETY: elements of a pinned boxed slice are pinned too.
        let entry = unsafe { entries.as_mut().map_unchecked_mut(|s| &mut s[i]) };
        assert!(poll(entry, Waker::noop()).is_pending());
    }
    assert!(
        handle
            .time()
            .unwrap()
            .lock()
            .wheel
            .next_expiration_time()
            .is_some()
    );
    drop(entries);
    let lock = handle.time().unwrap().lock();
    assert_eq!(lock.wheel.next_expiration_time(), None);
    assert_eq!(lock.wheel.elapsed(), 0);
    drop(lock);
    driver.park_timeout(&handle, Duration::ZERO);
}

#[test]
fn concurrent_register_cancel_and_fire() {
    const THREADS: u64 = 4;
    const PER_THREAD: u64 = 5_000;
    let (mut driver, handle) = Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused: false,
        max_io_events_per_tick: 0,
    })
    .unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let driver_thread = {
        let handle = handle.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            while done.load(SeqCst) < THREADS as usize {
                driver.park_timeout(&handle, Duration::from_millis(5));
            }
        })
    };
    let owners: Vec<_> = (0..THREADS)
        .map(|t| {
            let handle = handle.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let begin = Instant::now();
                let mut kept = Vec::new();
                for i in 0..PER_THREAD {
                    let deadline = begin + Duration::from_micros((i * 7 + t * 13) % 20_000);
                    let mut entry = Box::pin(TimerEntry::new(&handle, deadline));
                    let rec = recorder(i, None);
                    let waker = Waker::from(rec.clone());
                    let mut pending = poll(entry.as_mut(), &waker).is_pending();
                    if i % 3 == 0 {
                        // Cancel, racing the driver for the early ones.
                        drop(entry);
                        assert_eq!(std::sync::Arc::strong_count(&rec), 2, "waker leaked");
                        assert!(rec.wakes.load(SeqCst) <= 1);
                    } else if i % 3 == 1 {
                        // Move it, racing the driver too.
                        entry.as_mut().reset(deadline + Duration::from_millis(1));
                        pending = poll(entry.as_mut(), &waker).is_pending();
                        kept.push((entry, rec, deadline + Duration::from_millis(1), pending));
                    } else {
                        kept.push((entry, rec, deadline, pending));
                    }
                }
                let limit = Instant::now() + Duration::from_secs(20);
                for (mut entry, rec, deadline, pending) in kept {
                    while !entry.is_elapsed() {
                        assert!(Instant::now() < limit, "timer never fired");
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    assert!(Instant::now() >= deadline, "fired early");
                    assert_eq!(poll(entry.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
                    // Dropping waits for a fire in flight (PENDING_FIRE), so
                    // from here on the wake, if any, has happened.
                    drop(entry);
                    // Left pending: the driver must have woken it.
                    assert!(!pending || rec.wakes.load(SeqCst) >= 1, "lost wakeup");
                    assert_eq!(std::sync::Arc::strong_count(&rec), 1);
                }
                done.fetch_add(1, SeqCst);
                handle.unpark();
            })
        })
        .collect();
    for owner in owners {
        owner.join().unwrap();
    }
    driver_thread.join().unwrap();
}

#[test]
fn reset_within_the_same_tick_keeps_the_slot_and_fires_on_time() {
    let (mut driver, handle, start) = paused();
    let rec = recorder(0, None);
    let waker = Waker::from(rec.clone());
    let us = Duration::from_micros;
    let mut entry = Box::pin(TimerEntry::new(&handle, start + us(10_000)));
    assert!(poll(entry.as_mut(), &waker).is_pending());
    let slot = location(&handle, entry.as_ref());
    // 9.2 ms rounds up to tick 10 like 10 ms: nothing moves in the wheel.
    entry.as_mut().reset(start + us(9_200));
    assert_eq!(entry.deadline(), start + us(9_200));
    assert_eq!(location(&handle, entry.as_ref()), slot);
    assert!(poll(entry.as_mut(), &waker).is_pending());
    // 10.2 ms is tick 11: the entry moves, and does not fire at tick 10.
    entry.as_mut().reset(start + us(10_200));
    advance(&mut driver, &handle, 10);
    assert_eq!(rec.wakes.load(SeqCst), 0);
    // Back within tick 11 (10.9 ms): still registered for tick 11.
    entry.as_mut().reset(start + us(10_900));
    assert!(poll(entry.as_mut(), &waker).is_pending());
    advance(&mut driver, &handle, 1);
    assert_eq!(rec.wakes.load(SeqCst), 1);
    assert_eq!(poll(entry.as_mut(), &waker), Poll::Ready(Ok(())));
}
