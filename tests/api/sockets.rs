//! What only a real connection shows: the server on a loopback port, bytes
//! written and read by hand, as a slow or odd client would.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use actix_web::HttpServer;
use city_region_api::app::{AppConfig, build_app};
use city_region_api::db::Db;

/// A server over a seeded database on a free port: its address, an admin
/// key, and the folder that holds the database.
async fn serve(config: AppConfig) -> (std::net::SocketAddr, String, tempfile::TempDir) {
    let (dir, path, key) = crate::helpers::database(true);
    let db = Db::open(&path, 2).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = HttpServer::new(move || build_app(db.clone(), config.clone()))
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
    actix_web::rt::spawn(server);
    (addr, key, dir)
}

/// Sends `request` raw, then reads until the server closes the connection
/// or `patience` runs out: what came back, and how long it took.
async fn exchange(
    addr: std::net::SocketAddr,
    request: Vec<u8>,
    patience: Duration,
) -> (String, Duration) {
    actix_web::rt::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(patience)).unwrap();
        stream.write_all(&request).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        (
            String::from_utf8_lossy(&got).into_owned(),
            started.elapsed(),
        )
    })
    .await
    .unwrap()
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[actix_web::test]
async fn a_body_that_stops_arriving_is_a_408_and_the_connection_is_closed() {
    let config = AppConfig {
        body_timeout: Duration::from_secs(1),
        ..AppConfig::default()
    };
    let (addr, key, _dir) = serve(config).await;
    let request = format!(
        "POST /api/v1/thematic-areas HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"na"
    );
    // Generous patience: the server must answer and hang up long before.
    let (response, took) = exchange(addr, request.into_bytes(), Duration::from_secs(20)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    assert!(header(&response, "x-request-id").is_some(), "{response}");
    assert!(took < Duration::from_secs(15), "held for {took:?}");
    // A chunked body that stalls mid-chunk: the same 408, and the
    // connection goes too (actix would otherwise drain it for as long as
    // the client trickles).
    let request = format!(
        "POST /api/v1/thematic-areas HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\n"
    );
    let (response, took) = exchange(addr, request.into_bytes(), Duration::from_secs(20)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(took < Duration::from_secs(15), "held for {took:?}");
}

#[actix_web::test]
async fn head_sends_get_headers_and_length_and_no_body_on_the_wire() {
    let (addr, _key, _dir) = serve(AppConfig::default()).await;
    let ask = |method: &str| {
        format!("{method} /api/v1/partners HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .into_bytes()
    };
    let (get, _) = exchange(addr, ask("GET"), Duration::from_secs(10)).await;
    let (head, _) = exchange(addr, ask("HEAD"), Duration::from_secs(10)).await;
    assert!(
        get.starts_with("HTTP/1.1 200") && head.starts_with("HTTP/1.1 200"),
        "{head}"
    );
    let length = header(&get, "content-length").expect("GET has a length");
    assert_eq!(header(&head, "content-length"), Some(length));
    assert_eq!(header(&head, "etag"), header(&get, "etag"));
    let body = head
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    assert!(body.is_empty(), "HEAD sent a body: {body}");
}
