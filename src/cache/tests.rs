//! The memory cache lets go of stale answers.

use super::*;

/// Keeps an answer for `target` as the layer does (no housekeeping run:
/// a write may come right after a read).
fn keep(cache: &Representations, target: &str, generation: u64) -> Selector {
    let selector = Selector {
        audience: None,
        target: target.into(),
    };
    let kept = Kept {
        generation,
        status: StatusCode::OK,
        headers: Arc::new(HeaderMap::new()),
        body: Bytes::from(vec![b'x'; 1000]),
    };
    cache.keep(selector.clone(), kept);
    selector
}

#[actix_web::test]
async fn a_write_right_after_a_read_lets_go_of_every_answer_in_memory() {
    let cache = Representations::new(1 << 20, 0);
    let page = keep(&cache, "http://h/api/v1/partners", 1);
    keep(&cache, "http://h/api/v1/events", 1);
    let sweep = cache.forget().expect("answers were kept");
    assert!(cache.get(&page, 1).is_none(), "dropped at once");
    sweep.await.unwrap();
    assert_eq!(cache.answers_in_memory(), 0);
    assert!(
        cache.forget().is_none(),
        "nothing kept since: nothing to do"
    );
}

#[actix_web::test]
async fn the_first_read_of_a_newer_generation_lets_go_of_the_older_answers() {
    let cache = Representations::new(1 << 20, 0);
    assert!(cache.seen(1).is_none(), "nothing kept yet");
    keep(&cache, "http://h/api/v1/partners", 1);
    assert!(cache.seen(1).is_none(), "the same generation keeps them");
    assert!(
        cache.seen(0).is_none(),
        "a read that began before a write keeps them"
    );
    assert_eq!(cache.answers_in_memory(), 1);
    cache
        .seen(2)
        .expect("a newer generation lets them go")
        .await
        .unwrap();
    assert_eq!(cache.answers_in_memory(), 0);
    let fresh = keep(&cache, "http://h/api/v1/partners", 2);
    assert!(cache.seen(2).is_none());
    assert!(cache.get(&fresh, 2).is_some(), "answers made under it stay");
}
