//! A request id for every request: echoed in the `x-request-id` response header, put in every log
//! line of the request's span and in every problem body, so a user's error report finds its logs.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The current request's id, inside a request.
pub(crate) fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

fn fresh() -> String {
    use rand::RngExt;
    let bytes: [u8; 8] = rand::rng().random();
    hex::encode(bytes)
}

/// Middleware: takes a well-formed incoming id (from a proxy) or makes one.
pub(crate) async fn assign(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map(str::to_string)
        .unwrap_or_else(fresh);
    if let Ok(v) = HeaderValue::from_str(&id) {
        req.headers_mut().insert("x-request-id", v);
    }
    let mut res = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The tracing span for a request, carrying its id.
pub(crate) fn span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}
