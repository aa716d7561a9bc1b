//! The routes every collection has, declared once: its list and file
//! download, the nested lists under a parent, and the item routes (get,
//! create, replace, update, delete, history). A resource module invokes the
//! macros below with its types, its names and the doc comment of each
//! route, which is that operation's summary and description in the spec;
//! what differs in behaviour lives in its `record.rs` (`crate::writes`)
//! and its list parameters (`crate::collection`), never here.
//!
//! Macros, not generic functions: actix's route attributes and
//! `#[utoipa::path]` need one concrete function per route. The bodies are
//! one call each into the shared scripts. Where a macro is used, actix's
//! route attributes must be in scope by their short names (`use
//! actix_web::{get, ...}`): utoipa recognises a route by `#[get(...)]`.
//! Header descriptions must be literals, hence `location` and the
//! download's `Content-Disposition`.

mod items;
mod lists;
