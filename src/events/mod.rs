//! `/events`: the events of the network's life.

pub mod dto;
pub mod handlers;
pub mod lists;
pub mod model;
pub mod record;

use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts this resource's routes (and, through utoipa, its spec). The
/// nested lists are mounted by the parents' scopes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(lists::download).service(
        utoipa_actix_web::scope("/events")
            .service(lists::list)
            .service(handlers::create)
            .service(handlers::get)
            .service(handlers::replace)
            .service(handlers::update)
            .service(handlers::delete)
            .service(handlers::history),
    );
}
