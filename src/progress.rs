//! Progress of a long build: which phase it is in and how far along. The library only
//! reports; the binary decides whether and how to show it.

/// Receives progress reports. Called from many threads at once.
pub trait Progress: Sync {
    /// A new phase begins, with `total` steps (0 when unknown).
    fn phase(&self, name: &'static str, total: usize);
    /// `n` more steps of the current phase are done.
    fn advance(&self, n: usize);
    /// The build is over (successful or not).
    fn finish(&self) {}
}

/// Shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &'static str, _: usize) {}
    fn advance(&self, _: usize) {}
}
