//! `/partners`: the city-regions of the network.

pub mod dto;
pub mod handlers;
pub mod model;
pub mod record;

use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts this resource's routes (and, through utoipa, its spec).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::download).service(
        utoipa_actix_web::scope("/partners")
            .service(handlers::list)
            .service(handlers::create)
            .service(handlers::get)
            .service(handlers::replace)
            .service(handlers::update)
            .service(handlers::delete)
            .service(handlers::history)
            // Nested lists (events it hosted or attended, recommendations it proposed): filtered views of
            // the top-level collections, whose modules hold their handlers.
            .service(crate::events::lists::list_for_partner)
            .service(crate::recommendations::lists::list_for_partner),
    );
}
