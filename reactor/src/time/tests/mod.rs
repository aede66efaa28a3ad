#[cfg(not(loom))]
mod wheel;

#[cfg(loom)]
mod loom_entry;
