//! CORS: origins come from the settings, not from the code.

use actix_web::http::header;
use actix_web::test::{self, TestRequest};

use city_region_api::app::{AppConfig, build_app};
use city_region_api::db::Db;

#[actix_web::test]
async fn allowed_origins_get_cors_headers_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&crate::helpers::database_url(&dir, "cors.db"), 1).unwrap();
    let config = AppConfig::new(
        vec!["https://partner.example".into()],
        std::num::NonZeroU32::MIN,
    );
    let app = test::init_service(build_app(db, config)).await;
    let allowed = test::call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/partners")
            .insert_header((header::ORIGIN, "https://partner.example"))
            .to_request(),
    )
    .await;
    assert_eq!(
        allowed
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "https://partner.example"
    );
    let exposed = allowed
        .headers()
        .get(header::ACCESS_CONTROL_EXPOSE_HEADERS)
        .unwrap()
        .to_str()
        .unwrap()
        .to_lowercase();
    for name in ["link", "etag", "location", "x-request-id"] {
        assert!(exposed.contains(name), "{exposed}");
    }
    let preflight = test::call_service(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/partners/brno")
            .insert_header((header::ORIGIN, "https://partner.example"))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH"))
            .insert_header((
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type, if-match",
            ))
            .to_request(),
    )
    .await;
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert!(
        preflight
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_METHODS)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("PATCH")
    );
    let other = test::call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/partners")
            .insert_header((header::ORIGIN, "https://elsewhere.example"))
            .to_request(),
    )
    .await;
    assert!(
        other
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
}
