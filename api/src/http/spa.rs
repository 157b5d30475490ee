//! Serves the Svelte app: from the binary (release builds embed `web/dist`), or from a folder
//! given by `server.web_dir` (development). Unknown paths outside `/api` get `index.html` so
//! the client router can answer them; `/api/…` never falls back here.

use std::path::{Component, Path, PathBuf};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../web/dist"]
#[allow_missing = true]
struct Embedded;

/// Where the SPA files come from.
#[derive(Debug, Clone)]
pub enum WebSource {
    Embedded,
    Folder(PathBuf),
}

fn load(source: &WebSource, rel: &str) -> Option<Vec<u8>> {
    match source {
        WebSource::Embedded => Embedded::get(rel).map(|f| f.data.into_owned()),
        WebSource::Folder(dir) => {
            let path = Path::new(rel);
            if path.components().any(|c| !matches!(c, Component::Normal(_))) {
                return None;
            }
            std::fs::read(dir.join(path)).ok()
        }
    }
}

/// GET handler for everything that is not the API.
pub async fn serve(req: HttpRequest, source: web::Data<WebSource>) -> HttpResponse {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD {
        return HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, HEAD")).finish();
    }
    let rel = req.path().trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    if let Some(bytes) = load(&source, rel) {
        let mime = mime_guess::from_path(rel).first_or_octet_stream();
        // Vite puts content hashes in asset names, so those never change.
        let cache = if rel.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, mime.essence_str().to_string() + charset(&mime)))
            .insert_header((header::CACHE_CONTROL, cache))
            .body(bytes);
    }
    // A missing file with an extension is a real 404 (a stale asset), not a page.
    let last = rel.rsplit('/').next().unwrap_or("");
    if last.contains('.') && !last.ends_with(".html") {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Không tìm thấy / Not found");
    }
    // Citizen pages (no login) have their own small entry, so a phone on 3G does not load
    // the staff app: `/thu-tuc` (procedures), `/tra-cuu` and `/tra-cuu/{code}` (lookup).
    let page = if is_citizen_path(rel) { "public.html" } else { "index.html" };
    match load(&source, page).or_else(|| load(&source, "index.html")) {
        Some(index) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(index),
        None => HttpResponse::ServiceUnavailable().content_type("text/html; charset=utf-8").body(
            "<!doctype html><meta charset=utf-8><title>Thân Thiện</title>\
             <p>Ứng dụng web chưa được build: chạy <code>make run</code>.</p>\
             <p>The web app has not been built: run <code>make run</code>.</p>",
        ),
    }
}

/// Paths served by the citizen entry `public.html`.
fn is_citizen_path(rel: &str) -> bool {
    let parts: Vec<&str> = rel.trim_end_matches('/').split('/').collect();
    matches!(parts.as_slice(), ["thu-tuc"] | ["tra-cuu"] | ["tra-cuu", _] | ["khao-sat", _])
}

fn charset(mime: &mime_guess::Mime) -> &'static str {
    let t = mime.type_();
    if t == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
        || mime.subtype() == mime_guess::mime::JSON
    {
        "; charset=utf-8"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::is_citizen_path;

    #[test]
    fn citizen_paths() {
        for p in ["thu-tuc", "thu-tuc/", "tra-cuu", "tra-cuu/", "tra-cuu/UBND-261126-0001", "tra-cuu/X/"] {
            assert!(is_citizen_path(p), "{p}");
        }
        for p in ["", "index.html", "onestop", "tra-cuu/a/b", "thu-tuc/x", "admin/users"] {
            assert!(!is_citizen_path(p), "{p}");
        }
    }
}
