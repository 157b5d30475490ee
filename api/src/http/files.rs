//! Files in answers (downloads) and in requests (multipart uploads).

use std::sync::Arc;

use actix_multipart::{Field, Multipart};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt as _;

use crate::blobs::Storage;
use crate::error::{AppError, AppResult};
pub use crate::spool::PartBody;
use crate::spool::{FormPart, Spool, SpooledFile};
use crate::tabular::{self, Cell};

/// A file the browser saves (`attachment`) and no cache keeps.
pub fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// `Content-Disposition` type for a stored file: images open in the page (a village head's
/// photo in the report), anything else — a PDF, which can carry scripts and forms — is saved
/// as a download and never rendered in the application's origin.
pub fn disposition_for(content_type: &str) -> &'static str {
    if content_type.starts_with("image/") && content_type != "image/svg+xml" { "inline" } else { "attachment" }
}

/// A stored file (evidence, a disclosed document) by its content hash, which is its `ETag`: a
/// client that has it (`If-None-Match`) gets 304, not the bytes again. Opened in the page or
/// saved as [`disposition_for`] says, under its own name (RFC 5987 `filename*`); `cache` is its
/// `Cache-Control`. The caller has checked the reader's scope; the file is read here, after the
/// database connection is back in the pool.
pub async fn send_stored(
    store: Arc<dyn Storage>,
    sha256: &str,
    file_name: &str,
    content_type: &str,
    req: &HttpRequest,
    cache: &'static str,
) -> AppResult<HttpResponse> {
    let etag = format!("\"{sha256}\"");
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if if_none_match.is_some_and(|v| v.trim() == etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    let key = sha256.to_string();
    let bytes = web::block(move || store.get(&key)).await?.map_err(|e| AppError::Internal(format!("storage: {e}")))?;
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("{}; filename*=UTF-8''{encoded}", disposition_for(content_type)),
        ))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag))
        .body(bytes))
}

/// A table as a CSV download (UTF-8 with BOM).
pub fn csv_download(file_name: &str, table: &[Vec<Cell>]) -> HttpResponse {
    download(tabular::CSV_CONTENT_TYPE, file_name, tabular::to_csv(table).into_bytes())
}

/// A table as an XLSX download with one sheet.
pub fn xlsx_download(file_name: &str, sheet: &str, table: &[Vec<Cell>]) -> HttpResponse {
    download(tabular::XLSX_CONTENT_TYPE, file_name, tabular::to_xlsx(sheet, table))
}

/// A raw request body of at most `limit` bytes (413 beyond).
pub async fn read_body(mut payload: web::Payload, limit: usize) -> AppResult<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parts allowed more than this many bytes are written to a temporary file as they arrive
/// ([`crate::spool`]); smaller ones (form fields) are kept in memory.
pub const SPOOL_ABOVE: usize = 64 * 1024;

/// Bytes gathered before one write to a temporary file (the most one upload holds in memory).
const WRITE_BATCH: usize = 256 * 1024;

/// One part of a multipart form.
#[derive(Debug)]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file name the client sent, if the part is a file.
    pub file_name: Option<String>,
    /// The part's declared content type, if any.
    pub content_type: Option<String>,
    /// Its content.
    pub body: PartBody,
}

impl Part {
    /// The part as trimmed UTF-8 text; a part over its limit, not UTF-8 or holding a NUL
    /// character (a file part; text parts with one are refused on reading) is a field error.
    pub fn text(&self) -> AppResult<String> {
        let PartBody::Bytes(bytes) = &self.body else {
            return Err(AppError::field(&self.name, "too_long", "Quá dài."));
        };
        if bytes.contains(&0) {
            return Err(AppError::field(&self.name, "invalid_format", "Không được chứa ký tự NUL."));
        }
        std::str::from_utf8(bytes)
            .map(|s| s.trim().to_string())
            .map_err(|_| AppError::field(&self.name, "invalid_format", "Không phải văn bản UTF-8."))
    }
}

/// Reads every part of a multipart form. `limit(name)` is the most bytes kept for a part of
/// that name (a larger part comes back as [`PartBody::TooLarge`]); parts allowed more than
/// [`SPOOL_ABOVE`] bytes are streamed to a temporary file, hashed on the way, and never held
/// whole in memory. `budget` bounds the whole request: past it the upload is cut off with 413
/// instead of being drained. Every byte kept counts against the spool's budget shared by all
/// requests until the part is dropped; past it the request is refused with 503
/// `uploads_busy` (its temporary files are deleted).
pub async fn read_multipart(
    mut form: Multipart,
    spool: &Arc<Spool>,
    limit: impl Fn(&str) -> usize,
    mut budget: usize,
) -> AppResult<Vec<Part>> {
    let mut parts = Vec::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_string);
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let part_limit = limit(&name);
        let body = if part_limit > SPOOL_ABOVE {
            spool_part(&mut field, spool, part_limit, &mut budget).await?
        } else {
            read_part(&mut field, spool, part_limit, &mut budget).await?
        };
        // A text field (no file name) with a NUL character never reaches a handler: PostgreSQL
        // refuses NUL in text, and nobody types one.
        if file_name.is_none() && matches!(&body, PartBody::Bytes(b) if b.contains(&0)) {
            return Err(AppError::field(&name, "invalid_format", "Không được chứa ký tự NUL."));
        }
        parts.push(Part { name, file_name, content_type, body });
    }
    Ok(parts)
}

/// The most bytes an upload of at most `files` files of `cap` bytes each may send: a request
/// far beyond every limit is cut off instead of being drained.
pub fn upload_budget(cap: usize, files: usize) -> usize {
    cap.saturating_mul(files + 1) + 1024 * 1024
}

/// [`read_multipart`] for a service: the parts without their declared content types (services
/// check files by content).
pub async fn read_form(
    form: Multipart,
    spool: &Arc<Spool>,
    limit: impl Fn(&str) -> usize,
    budget: usize,
) -> AppResult<Vec<FormPart>> {
    let parts = read_multipart(form, spool, limit, budget).await?;
    Ok(parts.into_iter().map(|p| FormPart { name: p.name, file_name: p.file_name, body: p.body }).collect())
}

/// Takes the `client_id` part (the phone's id of an offline write, an alternative to the
/// `Idempotency-Key` header) out of a form: its trimmed text, and the other parts. A
/// `client_id` over its limit is a field error.
pub fn take_client_id(parts: Vec<FormPart>) -> AppResult<(Option<String>, Vec<FormPart>)> {
    let mut client_id = None;
    let mut rest = Vec::with_capacity(parts.len());
    for p in parts {
        if p.name != "client_id" {
            rest.push(p);
            continue;
        }
        match p.body {
            PartBody::Bytes(bytes) => client_id = Some(String::from_utf8_lossy(&bytes).trim().to_string()),
            PartBody::TooLarge | PartBody::File(_) => {
                return Err(AppError::field("client_id", "too_long", "Mã quá dài."));
            }
        }
    }
    Ok((client_id, rest))
}

/// The next chunk of a part, counted against the request's budget (413 past it).
async fn next_chunk(field: &mut Field, budget: &mut usize) -> AppResult<Option<web::Bytes>> {
    match field.next().await {
        None => Ok(None),
        Some(chunk) => {
            let chunk = chunk.map_err(|e| AppError::MalformedBody(e.to_string()))?;
            *budget = budget.checked_sub(chunk.len()).ok_or(AppError::PayloadTooLarge)?;
            Ok(Some(chunk))
        }
    }
}

/// 503 `uploads_busy`: the bytes all requests have in flight reached the spool's budget.
fn busy(spool: &Spool) -> AppError {
    tracing::warn!(in_flight = spool.in_flight(), limit = spool.limit(), "upload budget exhausted");
    AppError::UploadsBusy
}

async fn read_part(field: &mut Field, spool: &Arc<Spool>, limit: usize, budget: &mut usize) -> AppResult<PartBody> {
    let mut held = spool.reservation();
    let mut buf = Vec::new();
    let mut over = false;
    while let Some(chunk) = next_chunk(field, budget).await? {
        if over || buf.len() + chunk.len() > limit {
            over = true;
            buf = Vec::new();
            continue;
        }
        if !held.grow(chunk.len()) {
            return Err(busy(spool));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(if over { PartBody::TooLarge } else { PartBody::Bytes(buf) })
}

/// Writes gathered bytes to the temporary file on a blocking thread.
async fn write_batch(file: SpooledFile, batch: Vec<u8>) -> AppResult<(SpooledFile, Vec<u8>)> {
    web::block(move || {
        let mut file = file;
        let mut batch = batch;
        // On error `file` is dropped here, which deletes it.
        file.write(&batch).map_err(|e| AppError::io("upload", e))?;
        batch.clear();
        Ok((file, batch))
    })
    .await?
}

async fn spool_part(field: &mut Field, spool: &Arc<Spool>, limit: usize, budget: &mut usize) -> AppResult<PartBody> {
    let mut held = spool.reservation();
    let mut file = Some({
        let spool = Arc::clone(spool);
        web::block(move || spool.create()).await?.map_err(|e| AppError::io("upload", e))?
    });
    let mut batch: Vec<u8> = Vec::with_capacity(WRITE_BATCH);
    let mut size = 0usize;
    while let Some(chunk) = next_chunk(field, budget).await? {
        size = size.saturating_add(chunk.len());
        if size > limit {
            // Over the limit: drop what was kept (deletes the file, gives the budget back)
            // and read the rest without keeping it.
            file = None;
            batch = Vec::new();
            held = spool.reservation();
            continue;
        }
        let Some(f) = file.take() else { continue };
        if !held.grow(chunk.len()) {
            return Err(busy(spool));
        }
        batch.extend_from_slice(&chunk);
        if batch.len() >= WRITE_BATCH {
            let (f, b) = write_batch(f, batch).await?;
            batch = b;
            file = Some(f);
        } else {
            file = Some(f);
        }
    }
    let Some(f) = file else { return Ok(PartBody::TooLarge) };
    let file = web::block(move || {
        let mut f = f;
        f.write(&batch).and_then(|()| f.finish()).map_err(|e| AppError::io("upload", e))?;
        Ok::<_, AppError>(f)
    })
    .await??;
    Ok(PartBody::File(file.holding(held)))
}
