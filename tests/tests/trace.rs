//! The `tracing` feature: spawn and poll spans (target `magpie::task`)
//! carry the task id and spawn location; workers emit park/unpark events
//! (target `magpie::worker`). Recorded by a small `Subscriber` installed as
//! the global default (worker threads must see it), so this file holds
//! one test.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Clone, Debug, Default)]
struct Seen {
    target: String,
    name: String,
    fields: HashMap<String, String>,
}

#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    spans: Mutex<Vec<Seen>>,
    events: Mutex<Vec<Seen>>,
    entered: Mutex<Vec<u64>>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
}

fn seen(meta: &Metadata<'_>) -> Seen {
    Seen {
        target: meta.target().to_string(),
        name: meta.name().to_string(),
        fields: HashMap::new(),
    }
}

impl Subscriber for &'static Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut s = seen(attrs.metadata());
        attrs.record(&mut Fields(&mut s.fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(s);
        self.next.fetch_add(1, Ordering::Relaxed);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut s = seen(event.metadata());
        event.record(&mut Fields(&mut s.fields));
        self.events.lock().unwrap().push(s);
    }
    fn enter(&self, id: &Id) {
        self.entered.lock().unwrap().push(id.into_u64());
    }
    fn exit(&self, _: &Id) {}
}

#[test]
fn spawn_and_poll_spans_name_the_task_and_workers_report_parking() {
    let rec: &'static Recorder = Box::leak(Box::default());
    tracing::subscriber::set_global_default(rec).unwrap();

    let rt = magpie::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let line = line!() + 1;
    let task = rt.spawn(async { magpie::task::yield_now().await });
    let id = task.id().to_string();
    rt.block_on(task).unwrap();
    drop(rt);

    let location = format!("{}:{}:", file!(), line);
    let spans = rec.spans.lock().unwrap().clone();
    let of_task = |name: &str| -> Vec<(usize, Seen)> {
        spans
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, s)| {
                s.target == "magpie::task" && s.name == name && s.fields.get("task.id") == Some(&id)
            })
            .collect()
    };
    let spawn = of_task("spawn");
    assert_eq!(spawn.len(), 1, "one spawn span for task {id}: {spans:?}");
    assert!(
        spawn[0].1.fields["spawned_at"].starts_with(&location),
        "spawn span location {:?}, expected {location}",
        spawn[0].1.fields["spawned_at"]
    );
    // yield_now: polled twice.
    let polls = of_task("poll");
    assert_eq!(polls.len(), 2, "two poll spans for task {id}: {spans:?}");
    let entered = rec.entered.lock().unwrap().clone();
    for (index, poll) in &polls {
        assert!(poll.fields["spawned_at"].starts_with(&location));
        assert!(
            entered.contains(&(*index as u64 + 1)),
            "poll span never entered"
        );
    }

    let events = rec.events.lock().unwrap().clone();
    // Events are named by their message ("park", "unpark") in the fields.
    let by_message = |msg: &str| {
        events
            .iter()
            .filter(|e| {
                e.target == "magpie::worker"
                    && e.fields.get("message").map(String::as_str) == Some(msg)
            })
            .count()
    };
    assert!(by_message("park") >= 1, "no park event: {events:?}");
    assert!(by_message("unpark") >= 1, "no unpark event: {events:?}");
}
