//! The UI's stylesheet and script, compiled into the binary (no CDN, no build step). URLs carry a
//! hash of the content, so browsers may cache them for good and still never run a stale script.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(asset))
}

fn version(content: &str) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(content.as_bytes())[..6])
}

/// The stylesheet's URL, versioned by its content.
pub fn css_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| format!("/assets/app.css?v={}", version(CSS)))
}

/// The script's URL, versioned by its content.
pub fn js_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| format!("/assets/app.js?v={}", version(JS)))
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, mime) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}
