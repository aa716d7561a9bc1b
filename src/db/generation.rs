//! The write generation on PostgreSQL, read once for every request that
//! asked for it before the read began: under load one query answers many
//! requests, each still getting a generation read after it arrived, so no
//! write acknowledged before a request began (by any instance) is missed.

use std::sync::Mutex;

use tokio::sync::oneshot;

use super::{Db, postgres};
use crate::error::ApiError;

/// Requests waiting for the next read of the generation, and whether a
/// reader is running. `None` answers a read that failed: each waiter then
/// reads for itself, to get its own error.
#[derive(Default)]
pub(super) struct Waiting {
    reading: bool,
    next: Vec<oneshot::Sender<Option<u64>>>,
}

impl Db {
    /// The shared generation, read after this call began.
    pub(super) async fn shared_generation(&self) -> Result<u64, ApiError> {
        let (sender, answer) = oneshot::channel();
        let start = {
            let mut waiting = self.lock_waiting();
            waiting.next.push(sender);
            !std::mem::replace(&mut waiting.reading, true)
        };
        if start {
            let db = self.clone();
            actix_web::rt::spawn(async move { db.read_generations().await });
        }
        match answer.await {
            Ok(Some(generation)) => Ok(generation),
            _ => self.read(|c| Ok(postgres::generation(c)?)).await,
        }
    }

    /// Reads the generation for everyone waiting when the read begins,
    /// again while more arrive during a read, and stops when none did.
    async fn read_generations(&self) {
        loop {
            let batch = {
                let mut waiting = self.lock_waiting();
                if waiting.next.is_empty() {
                    waiting.reading = false;
                    return;
                }
                std::mem::take(&mut waiting.next)
            };
            let read = self.read(|c| Ok(postgres::generation(c)?)).await.ok();
            for waiter in batch {
                // A waiter that has gone (its client hung up) needs nothing.
                let _ = waiter.send(read);
            }
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        // Poisoned only by a panic between two plain field updates.
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Shared by every clone of a `Db`.
pub(super) type Waiters = std::sync::Arc<Mutex<Waiting>>;
