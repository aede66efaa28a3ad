//! magpie: a work-stealing, multithreaded async runtime with tokio's API.
#![deny(unsafe_op_in_unsafe_fn)]

mod loom;

pub(crate) mod context;
pub(crate) mod coop;
pub mod io;
pub mod net;
