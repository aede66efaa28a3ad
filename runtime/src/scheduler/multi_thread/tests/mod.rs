//! loom models of the multi-thread scheduler's protocols.
