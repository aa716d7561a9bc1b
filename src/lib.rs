//! city-region-api: an open JSON REST API for city-region governance data.

pub mod app;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod export;
pub mod http;
pub mod input;
pub mod listing;
pub mod openapi;
pub mod paging;
pub mod params;
pub mod partners;
pub mod recommendations;
pub mod relations;
pub mod rules;
pub mod schema;
pub mod seed;
pub mod service;
pub mod text_enum;
pub mod thematic_areas;
pub mod time;
