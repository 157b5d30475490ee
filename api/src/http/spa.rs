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
    let accepted = accepted_encodings(&req);
    if let Some((bytes, encoding)) = load_encoded(&source, rel, accepted) {
        let mime = mime_guess::from_path(rel).first_or_octet_stream();
        // Vite puts content hashes in asset names, so those never change.
        let cache = if rel.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return file_response(bytes, encoding, &(mime.essence_str().to_string() + charset(&mime)), cache, rel);
    }
    // A missing file with an extension is a real 404 (a stale asset), not a page — except a
    // citizen page whose last part is a code with dots (`/thu-tuc/1.001193`).
    let last = rel.rsplit('/').next().unwrap_or("");
    if last.contains('.') && !last.ends_with(".html") && !is_citizen_path(rel) {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Không tìm thấy / Not found");
    }
    // Citizen pages (no login) have their own small entry, so a phone on 3G does not load
    // the staff app: `/thu-tuc` (procedures), `/tra-cuu` and `/tra-cuu/{code}` (lookup).
    let page = if is_citizen_path(rel) { "public.html" } else { "index.html" };
    match load_encoded(&source, page, accepted).or_else(|| load_encoded(&source, "index.html", accepted)) {
        Some((index, encoding)) => file_response(index, encoding, "text/html; charset=utf-8", "no-cache", page),
        None => HttpResponse::ServiceUnavailable().content_type("text/html; charset=utf-8").body(
            "<!doctype html><meta charset=utf-8><title>Thân Thiện</title>\
             <p>Ứng dụng web chưa được build: chạy <code>make run</code>.</p>\
             <p>The web app has not been built: run <code>make run</code>.</p>",
        ),
    }
}

/// A precompressed variant the build wrote next to a file (`scripts/precompress.mjs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }
}

/// Which precompressed variants the client takes, best first: brotli, then gzip, unless the
/// `Accept-Encoding` header refuses them (`q=0`).
fn accepted_encodings(req: &HttpRequest) -> [Option<Encoding>; 2] {
    let header = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    parse_accept_encoding(header)
}

fn parse_accept_encoding(header: &str) -> [Option<Encoding>; 2] {
    let (mut br, mut gzip) = (false, false);
    for item in header.split(',') {
        let mut params = item.split(';');
        let name = params.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = params.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
        });
        match name.as_str() {
            "br" => br = !refused,
            "gzip" | "x-gzip" => gzip = !refused,
            "*" if !refused => {
                br = true;
                gzip = true;
            }
            _ => {}
        }
    }
    [br.then_some(Encoding::Brotli), gzip.then_some(Encoding::Gzip)]
}

/// The file `rel`, precompressed in the best encoding the client takes when the build made
/// one, else as it is.
fn load_encoded(source: &WebSource, rel: &str, accepted: [Option<Encoding>; 2]) -> Option<(Vec<u8>, Option<Encoding>)> {
    for encoding in accepted.into_iter().flatten() {
        if let Some(bytes) = load(source, &format!("{rel}{}", encoding.suffix())) {
            return Some((bytes, Some(encoding)));
        }
    }
    load(source, rel).map(|bytes| (bytes, None))
}

fn file_response(
    bytes: Vec<u8>,
    encoding: Option<Encoding>,
    content_type: &str,
    cache: &str,
    rel: &str,
) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::CACHE_CONTROL, cache.to_string()));
    if let Some(e) = encoding {
        // The middleware's `Compress` leaves a response with a Content-Encoding alone.
        res.insert_header((header::CONTENT_ENCODING, e.token()));
    }
    if encoding.is_some() || has_variants(rel) {
        res.insert_header((header::VARY, "Accept-Encoding"));
    }
    res.body(bytes)
}

/// Files the build precompresses (text); their answer depends on `Accept-Encoding`.
fn has_variants(rel: &str) -> bool {
    [".js", ".css", ".html", ".svg", ".json", ".webmanifest", ".mjs"].iter().any(|ext| rel.ends_with(ext))
}

/// Paths served by the citizen entry `public.html`.
fn is_citizen_path(rel: &str) -> bool {
    let parts: Vec<&str> = rel.trim_end_matches('/').split('/').collect();
    // `/x/{commune}` and `/x/{commune}/…`: the same pages of one commune of a multi-commune
    // installation (short and printable, for QR codes and posters).
    if let ["x", commune, rest @ ..] = parts.as_slice() {
        return !commune.is_empty() && (rest.is_empty() || is_citizen_path(&rest.join("/")));
    }
    matches!(
        parts.as_slice(),
        ["thu-tuc"]
            | ["thu-tuc", _]
            | ["tra-cuu"]
            | ["tra-cuu", _]
            | ["cong-khai"]
            | ["cong-khai", _]
            | ["phan-anh"]
            | ["lich-tiep-cong-dan"]
            | ["khao-sat", _]
    )
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
    use super::*;

    #[test]
    fn accept_encoding_picks_brotli_then_gzip() {
        assert_eq!(parse_accept_encoding("gzip, deflate, br, zstd"), [Some(Encoding::Brotli), Some(Encoding::Gzip)]);
        assert_eq!(parse_accept_encoding("gzip"), [None, Some(Encoding::Gzip)]);
        assert_eq!(parse_accept_encoding("br;q=0, gzip;q=0.5"), [None, Some(Encoding::Gzip)]);
        assert_eq!(parse_accept_encoding("*"), [Some(Encoding::Brotli), Some(Encoding::Gzip)]);
        assert_eq!(parse_accept_encoding(""), [None, None]);
        assert_eq!(parse_accept_encoding("identity"), [None, None]);
    }

    #[actix_web::test]
    async fn serves_the_precompressed_variant_the_client_takes() {
        let dir = std::env::temp_dir().join(format!("tt-spa-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("assets/app-1a2b.js"), b"plain").unwrap();
        std::fs::write(dir.join("assets/app-1a2b.js.br"), b"brotli").unwrap();
        std::fs::write(dir.join("assets/app-1a2b.js.gz"), b"gzip").unwrap();
        std::fs::write(dir.join("index.html"), b"<html>").unwrap();
        std::fs::write(dir.join("index.html.gz"), b"gz-html").unwrap();
        let source = web::Data::new(WebSource::Folder(dir.clone()));
        let get = |path: &str, ae: Option<&str>| {
            let mut req = actix_web::test::TestRequest::get().uri(path);
            if let Some(ae) = ae {
                req = req.insert_header((header::ACCEPT_ENCODING, ae));
            }
            req.to_http_request()
        };
        let body =
            |res: HttpResponse| async move { actix_web::body::to_bytes(res.into_body()).await.unwrap().to_vec() };
        let h = |res: &HttpResponse, name: header::HeaderName| {
            res.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        };

        let res = serve(get("/assets/app-1a2b.js", Some("gzip, deflate, br")), source.clone()).await;
        assert_eq!(h(&res, header::CONTENT_ENCODING), "br");
        assert_eq!(h(&res, header::VARY), "Accept-Encoding");
        assert_eq!(h(&res, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
        assert!(h(&res, header::CONTENT_TYPE).contains("javascript"));
        assert_eq!(body(res).await, b"brotli");

        let res = serve(get("/assets/app-1a2b.js", Some("gzip")), source.clone()).await;
        assert_eq!(h(&res, header::CONTENT_ENCODING), "gzip");
        assert_eq!(body(res).await, b"gzip");

        let res = serve(get("/assets/app-1a2b.js", None), source.clone()).await;
        assert_eq!(h(&res, header::CONTENT_ENCODING), "");
        assert_eq!(h(&res, header::VARY), "Accept-Encoding", "caches must still key on the header");
        assert_eq!(body(res).await, b"plain");

        // A page of the client router gets the shell, precompressed, never cached for long.
        let res = serve(get("/ke-hoach/3", Some("br, gzip")), source.clone()).await;
        assert_eq!(h(&res, header::CONTENT_ENCODING), "gzip", "no .br of index.html here: gzip");
        assert_eq!(h(&res, header::CACHE_CONTROL), "no-cache");
        assert_eq!(body(res).await, b"gz-html");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn citizen_paths() {
        for p in [
            "thu-tuc",
            "thu-tuc/",
            "tra-cuu",
            "tra-cuu/",
            "tra-cuu/UBND-261126-0001",
            "tra-cuu/X/",
            "phan-anh",
            "lich-tiep-cong-dan",
            "cong-khai",
            "cong-khai/1",
            "x/binh-luong",
            "x/binh-luong/thu-tuc",
            "x/12/thu-tuc/1.001193",
            "x/binh-luong/tra-cuu/UBND-261126-0001",
            "x/binh-luong/khao-sat/abc",
        ] {
            assert!(is_citizen_path(p), "{p}");
        }
        for p in
            ["", "index.html", "onestop", "tra-cuu/a/b", "thu-tuc/x/y", "admin/users", "x", "x//thu-tuc", "x/a/onestop"]
        {
            assert!(!is_citizen_path(p), "{p}");
        }
    }
}
