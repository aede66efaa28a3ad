//! Integration, stress and end-to-end tests for magpie live in `tests/`;
//! this library holds what several of them share.

/// Resident set size of this process in bytes, from `/proc/self/statm`
/// (second field, in pages).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("read /proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("malformed /proc/self/statm");
    // SAFETY: sysconf has no memory-safety preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    assert!(page > 0);
    pages * page as u64
}
