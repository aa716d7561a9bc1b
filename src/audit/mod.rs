//! The audit trail: every write, who made it, and the record before and
//! after. Admins read it all at `/audit`; a key reads the history of the
//! records in its scope at `/{collection}/{id}/history`.

pub mod dto;
pub mod handlers;
pub mod model;

pub use model::{Audited, Collection, created, deleted, updated};
