//! `Send`/`Sync` of the public types, as in tokio (checked at compile
//! time; the test fails to build if one regresses).

use crate::sync::{
    Barrier, Mutex, MutexGuard, Notify, OwnedMutexGuard, OwnedSemaphorePermit, RwLock,
    RwLockReadGuard, RwLockWriteGuard, Semaphore, SemaphorePermit, broadcast, mpsc, oneshot, watch,
};
use std::cell::Cell;

fn send<T: Send>() {}
fn sync<T: Sync>() {}
fn send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    send_sync::<Notify>();
    send_sync::<Semaphore>();
    send_sync::<SemaphorePermit<'static>>();
    send_sync::<OwnedSemaphorePermit>();
    send_sync::<Barrier>();
    // Mutex<T>: Send + Sync with only T: Send (Cell is Send, !Sync).
    send_sync::<Mutex<Cell<u8>>>();
    send::<MutexGuard<'static, Cell<u8>>>();
    send::<OwnedMutexGuard<Cell<u8>>>();
    send_sync::<MutexGuard<'static, u8>>();
    send_sync::<RwLock<u8>>();
    send_sync::<RwLockReadGuard<'static, u8>>();
    send_sync::<RwLockWriteGuard<'static, u8>>();
    send_sync::<oneshot::Sender<Cell<u8>>>();
    send_sync::<oneshot::Receiver<Cell<u8>>>();
    send_sync::<mpsc::Sender<Cell<u8>>>();
    send_sync::<mpsc::Receiver<Cell<u8>>>();
    send_sync::<mpsc::UnboundedSender<Cell<u8>>>();
    send_sync::<mpsc::Permit<'static, Cell<u8>>>();
    send_sync::<mpsc::OwnedPermit<Cell<u8>>>();
    send_sync::<broadcast::Sender<Cell<u8>>>();
    send_sync::<broadcast::Receiver<Cell<u8>>>();
    send_sync::<watch::Sender<u8>>();
    send_sync::<watch::Receiver<u8>>();
    sync::<watch::Ref<'static, u8>>();
}
