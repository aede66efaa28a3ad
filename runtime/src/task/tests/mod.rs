//! loom models of the task state protocol.
