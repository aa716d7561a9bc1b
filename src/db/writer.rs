//! The writer: one thread that owns the one write connection and commits
//! writes in groups.
//!
//! Each write is its own savepoint inside a shared `BEGIN IMMEDIATE`
//! transaction, so a failing write rolls back alone; the group commits
//! once, and only then does any write in it get its answer. Under load a
//! commit (its WAL frames, the full-text segment it starts) is paid once
//! for many writes instead of once each. Writes still run one at a time,
//! in arrival order, so checks such as `If-Match` hold exactly.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::prelude::*;
use tokio::sync::{mpsc, oneshot};

use super::Conn;
use crate::error::ApiError;

/// Most writes one commit carries.
const GROUP: usize = 64;
/// Writes waiting for the writer before senders wait too.
const QUEUE: usize = 1024;

/// What a write hands back once the group's fate is known.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;
/// A write, run on the writer's connection inside the group transaction.
type Job = Box<dyn FnOnce(&mut Conn) -> Answer + Send>;

/// The sending side, shared by every clone of `Db`. The thread ends when
/// the last sender is dropped.
#[derive(Clone)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl WriteQueue {
    /// Starts the writer thread on `conn`; `generation` is bumped after
    /// every commit.
    pub fn start(mut conn: Conn, generation: Arc<AtomicU64>) -> std::io::Result<WriteQueue> {
        let (jobs, mut queue) = mpsc::channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut group = vec![first];
                    while group.len() < GROUP {
                        match queue.try_recv() {
                            Ok(job) => group.push(job),
                            Err(_) => break,
                        }
                    }
                    let mut answers = Vec::with_capacity(group.len());
                    let mut waiting = Some(group);
                    let committed = super::write_transaction(&mut conn, |conn| {
                        for job in waiting.take().into_iter().flatten() {
                            answers.push(job(conn));
                        }
                        Ok::<_, diesel::result::Error>(())
                    });
                    let failure = match (waiting, committed) {
                        // The group could not even begin (a read-only file,
                        // say): each write runs alone and answers for itself.
                        (Some(group), _) => {
                            answers.extend(group.into_iter().map(|job| job(&mut conn)));
                            None
                        }
                        (None, committed) => committed.err().map(|e| e.to_string()),
                    };
                    generation.fetch_add(1, Ordering::SeqCst);
                    for answer in answers {
                        answer(failure.as_deref());
                    }
                }
            })?;
        Ok(WriteQueue { jobs })
    }

    /// Runs `f` as one write (its own savepoint) and answers once its group
    /// has committed.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = catch_unwind(AssertUnwindSafe(|| conn.transaction(f)))
                .unwrap_or_else(|_| Err(ApiError::Internal(anyhow::anyhow!("a write panicked"))));
            Box::new(move |failure: Option<&str>| {
                let result = match failure {
                    Some(e) if crate::error::unwritable(e) => Err(ApiError::Unwritable(
                        e.to_string(),
                        crate::error::RETRY_WRITES_AFTER,
                    )),
                    Some(e) => Err(ApiError::Internal(anyhow::anyhow!("commit failed: {e}"))),
                    None => result,
                };
                // The caller may have gone (a client that hung up): nothing to do.
                let _ = reply.send(result);
            })
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the writer thread has stopped")))?;
        answer
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the writer thread dropped a write")))?
    }
}
