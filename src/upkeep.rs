//! The stored CSV lines of every collection (`crate::lines`) kept filled:
//! at once by the `seed` command, in the background by a server, at its
//! start (records loaded without lines: the built-in data, a copy, a
//! database from before lines were stored) and whenever a write outdated
//! them (a renamed slug). Here, above the collections, because it names
//! all four.

use actix_web::web::Data;

use crate::db::{Conn, Db};
use crate::error::ApiError;
use crate::events::model::Event;
use crate::lines::{any_missing, fill_later, fill_now};
use crate::partners::model::Partner;
use crate::recommendations::model::Recommendation;
use crate::thematic_areas::model::ThematicArea;
use crate::{events, partners, recommendations, thematic_areas};

/// Stores the CSV lines of every record that has none current, now, on
/// `conn`; how many were stored.
pub fn fill_lines(conn: &mut Conn) -> Result<usize, ApiError> {
    Ok(fill_now(conn, partners::model::list)?
        + fill_now(conn, thematic_areas::model::list)?
        + fill_now(conn, recommendations::model::list)?
        + fill_now(conn, events::model::list)?)
}

/// Whether some record lacks a current CSV line.
pub fn lines_missing(conn: &mut Conn) -> Result<bool, ApiError> {
    Ok(any_missing::<Partner>(conn)?
        || any_missing::<ThematicArea>(conn)?
        || any_missing::<Recommendation>(conn)?
        || any_missing::<Event>(conn)?)
}

/// Stores the CSV lines records lack, in the background, one batch per
/// write: now if `missing`, and whenever a write says it outdated them
/// (`Db::lines_outdated`; said while a fill runs, it runs once more).
pub fn keep_lines_filled(db: Data<Db>, missing: bool) {
    actix_web::rt::spawn(async move {
        if !missing {
            db.lines_outdated().notified().await;
        }
        loop {
            match fill_all(&db).await {
                Ok(0) => {}
                Ok(n) => log::info!("stored the CSV lines of {n} records"),
                // Downloads read records without current lines anew:
                // slower, never wrong. The next outdating write or start
                // tries again.
                Err(e) => log::warn!("storing CSV lines stopped: {e}"),
            }
            db.lines_outdated().notified().await;
        }
    });
}

async fn fill_all(db: &Db) -> Result<usize, ApiError> {
    Ok(fill_later(db, partners::model::list).await?
        + fill_later(db, thematic_areas::model::list).await?
        + fill_later(db, recommendations::model::list).await?
        + fill_later(db, events::model::list).await?)
}
