//! Files in answers (downloads) and in requests (multipart uploads).

use actix_multipart::{Field, Multipart};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt as _;

use crate::error::{AppError, AppResult};
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

/// One part of a multipart form.
#[derive(Debug)]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file name the client sent, if the part is a file.
    pub file_name: Option<String>,
    /// The part's declared content type, if any.
    pub content_type: Option<String>,
    /// The bytes, or `None` when the part was larger than its limit (its bytes were read and
    /// dropped, so the client still gets an answer).
    pub bytes: Option<Vec<u8>>,
}

impl Part {
    /// The part as trimmed UTF-8 text; a part over its limit, not UTF-8 or holding a NUL
    /// character (a file part; text parts with one are refused on reading) is a field error.
    pub fn text(&self) -> AppResult<String> {
        let bytes = self.bytes.as_deref().ok_or_else(|| AppError::field(&self.name, "too_long", "Quá dài."))?;
        if bytes.contains(&0) {
            return Err(AppError::field(&self.name, "invalid_format", "Không được chứa ký tự NUL."));
        }
        std::str::from_utf8(bytes)
            .map(|s| s.trim().to_string())
            .map_err(|_| AppError::field(&self.name, "invalid_format", "Không phải văn bản UTF-8."))
    }
}

/// Reads every part of a multipart form. `limit(name)` is the most bytes kept for a part of
/// that name (a larger part comes back with `bytes: None`); `budget` bounds the whole request:
/// past it the upload is cut off with 413 instead of being drained.
pub async fn read_multipart(
    mut form: Multipart,
    limit: impl Fn(&str) -> usize,
    mut budget: usize,
) -> AppResult<Vec<Part>> {
    let mut parts = Vec::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_string);
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let bytes = read_part(&mut field, limit(&name), &mut budget).await?;
        // A text field (no file name) with a NUL character never reaches a handler: PostgreSQL
        // refuses NUL in text, and nobody types one.
        if file_name.is_none() && bytes.as_ref().is_some_and(|b| b.contains(&0)) {
            return Err(AppError::field(&name, "invalid_format", "Không được chứa ký tự NUL."));
        }
        parts.push(Part { name, file_name, content_type, bytes });
    }
    Ok(parts)
}

async fn read_part(field: &mut Field, limit: usize, budget: &mut usize) -> AppResult<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        *budget = budget.checked_sub(chunk.len()).ok_or(AppError::PayloadTooLarge)?;
        if over || buf.len() + chunk.len() > limit {
            over = true;
            buf = Vec::new();
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(buf))
}
