//! `/thematic-areas`: the themes the network works on.

pub mod dto;
pub mod handlers;
pub mod model;
pub mod record;

use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts this resource's routes (and, through utoipa, its spec).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::download).service(
        utoipa_actix_web::scope("/thematic-areas")
            .service(handlers::list)
            .service(handlers::create)
            .service(handlers::get)
            .service(handlers::replace)
            .service(handlers::update)
            .service(handlers::delete)
            .service(handlers::history)
            // Nested lists (its events and recommendations): filtered views of
            // the top-level collections, whose modules hold their handlers.
            .service(crate::events::lists::list_for_thematic_area)
            .service(crate::recommendations::lists::list_for_thematic_area),
    );
}
