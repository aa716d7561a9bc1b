//! A job that runs at most once at a time in this process, and once more
//! when it was asked for while it ran.

use std::sync::atomic::{AtomicU8, Ordering};

const IDLE: u8 = 0;
const RUNNING: u8 = 1;
const ASKED_AGAIN: u8 = 2;

#[derive(Debug, Default)]
pub struct Job(AtomicU8);

impl Job {
    /// Whether the caller is to run the job now: false while it runs
    /// (which then runs once more, see [`Job::finished`]).
    pub fn start(&self) -> bool {
        match self
            .0
            .compare_exchange(IDLE, RUNNING, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => true,
            Err(_) => {
                self.0.store(ASKED_AGAIN, Ordering::SeqCst);
                false
            }
        }
    }

    /// Called by the runner when a run ends: whether to run again (it was
    /// asked for meanwhile); else the job is idle.
    pub fn finished(&self) -> bool {
        match self
            .0
            .compare_exchange(RUNNING, IDLE, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => false,
            Err(_) => {
                self.0.store(RUNNING, Ordering::SeqCst);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Job;

    #[test]
    fn a_job_asked_for_while_it_runs_runs_once_more() {
        let job = Job::default();
        assert!(job.start());
        assert!(!job.start(), "a second run waits for the first");
        assert!(!job.start());
        assert!(job.finished(), "asked again while running: once more");
        assert!(!job.finished(), "not asked again: done");
        assert!(job.start(), "idle again");
    }
}
