//! Work the server does on its own (hashing images, training the predictor): each on a thread
//! of its own at the lowest priority, so it takes only what the web workers leave, and each
//! ended by dropping its handle.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::error::{AppError, AppResult};

/// Wakes a background thread early, or stops it.
#[derive(Default)]
pub struct Signal {
    woken: Mutex<bool>,
    wake: Condvar,
    stop: AtomicBool,
}

impl Signal {
    /// Asks the thread to look for work now rather than at its next poll.
    pub fn wake(&self) {
        *self.woken.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }

    /// Ends the thread after what it is doing.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wake();
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Sleeps until woken, stopped, or `timeout`.
    pub fn sleep(&self, timeout: Duration) {
        let guard = self.woken.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut woken, _) = self
            .wake
            .wait_timeout_while(guard, timeout, |woken| !*woken && !self.stopped())
            .unwrap_or_else(PoisonError::into_inner);
        *woken = false;
    }
}

/// A running background thread; dropping it stops the thread after its current step.
pub struct Running {
    signal: Arc<Signal>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.signal.stop();
    }
}

/// Starts `body` on a thread named `name` at the lowest priority.
pub fn spawn(
    name: &str,
    signal: Arc<Signal>,
    body: impl FnOnce() + Send + 'static,
) -> AppResult<Running> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_priority();
            body();
        })
        .map_err(|e| AppError::Task(format!("cannot start the {name} thread: {e}")))?;
    Ok(Running { signal })
}

/// Nice 19 for this thread only (Linux gives each thread its own).
fn lower_priority() {
    let thread = rustix::thread::gettid();
    if let Err(error) = rustix::process::setpriority_process(Some(thread), 19) {
        tracing::warn!("a background thread runs at normal priority: {error}");
    }
}
