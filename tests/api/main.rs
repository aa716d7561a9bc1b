//! Integration tests: every request goes through HTTP into the same
//! `build_app` that `main` serves, over a fresh database file per test.

mod helpers;
mod lines;

mod access;
mod bulk;
mod bulk_create;
mod cache;
mod cors;
mod lists;
mod search;
mod sockets;

mod conformance;
mod errors;
mod events;
mod facets;
mod fields;
mod geojson;
mod hardening;
mod nested;
mod partners;
mod plans;
mod recommendations;
mod seed;
mod service;
mod spec;
mod thematic_areas;
