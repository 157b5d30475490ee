//! The citizen's side: sending a recommendation or feedback with no account, looking it up by
//! code and the last four phone digits (behind the dossier lookup's guard), and the public list
//! of answered feedback. Never personal data.

use chrono::{NaiveDateTime, Utc};

use super::identity::IdentityKey;
use super::lifecycle;
use super::model::*;
use super::{repo, service};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::dossiers::lookup_guard;
use crate::plans::storage::{self, Storage};
use crate::spool::{FormPart, PartBody, SpooledFile};
use crate::time::rfc;

/// The commune of a public code (its `code`, or its id as text).
pub fn commune_by_code(conn: &mut DbConnection, code: &str) -> AppResult<i64> {
    crate::reception::repo::commune_by_code(conn, code.trim())?.ok_or(AppError::NotFound)
}

/// A citizen sends a recommendation or feedback: limited per address like the lookup.
pub fn submit(
    conn: &mut DbConnection,
    ip: &str,
    key: &IdentityKey,
    commune_code: &str,
    body: PublicSubmission,
) -> AppResult<PublicReceipt> {
    submit_with_photo(conn, ip, key, commune_code, body, None)
}

/// A photo sent with a submission, checked by content (JPEG, PNG or WebP), still in its
/// temporary file.
pub struct PhotoUpload {
    pub file_name: String,
    pub content_type: &'static str,
    pub file: SpooledFile,
}

/// A photo stored by its content hash, to be recorded on the petition its request creates.
pub struct StoredPhoto<'a> {
    store: &'a dyn Storage,
    upload: PhotoUpload,
    sha256: String,
    /// This request put the blob there (no earlier upload had the same content).
    created: bool,
}

/// Stores a photo before the petition's transaction (a blob is written once per content).
pub fn store_photo(store: &dyn Storage, upload: PhotoUpload) -> AppResult<StoredPhoto<'_>> {
    let (sha256, created) = store.put_file(&upload.file).map_err(|e| AppError::io("storage", e))?;
    Ok(StoredPhoto { store, upload, sha256, created })
}

impl StoredPhoto<'_> {
    /// Records the photo on the petition, inside the transaction that creates it.
    pub fn record(&self, conn: &mut DbConnection, petition_id: i64) -> AppResult<()> {
        repo::insert_photo(
            conn,
            &NewPhoto {
                petition_id,
                sha256: self.sha256.clone(),
                file_name: self.upload.file_name.clone(),
                content_type: self.upload.content_type.into(),
                size: i64::try_from(self.upload.file.size()).unwrap_or(i64::MAX),
                created_at: Utc::now().naive_utc(),
            },
        )?;
        Ok(())
    }

    /// The petition was not written: the blob this request created is nobody's, remove it.
    pub fn discard(&self) {
        if self.created {
            let _ = self.store.delete(&self.sha256);
        }
    }
}

/// A file sent as a petition's photo, checked by content: JPEG, PNG or WebP (415 otherwise);
/// `None` for an empty file.
pub fn photo_of(file_name: Option<&str>, file: SpooledFile) -> AppResult<Option<PhotoUpload>> {
    if file.size() == 0 {
        return Ok(None);
    }
    let content_type = match storage::sniff(file.head()) {
        Some(ct) if ct.starts_with("image/") => ct,
        _ => return Err(AppError::UnsupportedMediaType),
    };
    Ok(Some(PhotoUpload { file_name: storage::display_name(file_name, content_type), content_type, file }))
}

/// Most bytes kept for each part of the form (`photo`: the server's upload cap).
pub fn part_limit(name: &str, upload_cap: usize) -> usize {
    match name {
        "photo" => upload_cap,
        "content" => 40_000,
        "kind" | "subject" | "name" | "phone" | "village_unit_id" => 2_000,
        _ => 0,
    }
}

/// Checks the multipart form: the text fields of a [`PublicSubmission`] and at most one
/// `photo`; 413 for a photo over the limit, 415 for one that is not JPEG, PNG or WebP.
pub fn check_form(parts: Vec<FormPart>) -> AppResult<(PublicSubmission, Option<PhotoUpload>)> {
    let mut v = Validator::new();
    let mut text = std::collections::HashMap::new();
    let mut photo = None;
    for part in parts {
        match (part.name.as_str(), part.body) {
            ("photo", PartBody::TooLarge) => return Err(AppError::PayloadTooLarge),
            ("photo", PartBody::File(file)) => {
                if photo.is_some() {
                    v.add("photo", "too_long", "Chỉ gửi một ảnh.");
                    continue;
                }
                match photo_of(part.file_name.as_deref(), file)? {
                    Some(p) => photo = Some(p),
                    None => v.add("photo", "required", "Tệp rỗng."),
                }
            }
            ("photo", PartBody::Bytes(b)) if b.is_empty() => {}
            ("photo", PartBody::Bytes(_)) => v.add("photo", "invalid_format", "Không phải tệp ảnh."),
            (name @ ("kind" | "subject" | "content" | "name" | "phone" | "village_unit_id"), body) => match body {
                PartBody::Bytes(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        text.insert(name.to_string(), s.trim().to_string());
                    }
                    Err(_) => v.add(name, "invalid_format", "Không phải văn bản UTF-8."),
                },
                PartBody::TooLarge | PartBody::File(_) => v.add(name, "too_long", "Quá dài."),
            },
            (name, _) => v.add(name, "unknown_field", "Trường này không được phép gửi."),
        }
    }
    let village_unit_id = match text.get("village_unit_id").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                v.add("village_unit_id", "invalid_format", "Mã thôn không hợp lệ.");
                None
            }
        },
    };
    let mut field = |name: &str| {
        let value = text.remove(name).unwrap_or_default();
        if value.is_empty() {
            v.add(name, "required", "Vui lòng nhập.");
        }
        value
    };
    let body = PublicSubmission {
        kind: field("kind"),
        subject: field("subject"),
        content: field("content"),
        name: field("name"),
        phone: field("phone"),
        village_unit_id,
    };
    v.finish()?;
    Ok((body, photo))
}

/// [`submit`] with an optional photo: the photo is stored by its content hash first, then the
/// petition and the photo's row are written in one transaction (a failed write removes a blob
/// it created).
pub fn submit_with_photo(
    conn: &mut DbConnection,
    ip: &str,
    key: &IdentityKey,
    commune_code: &str,
    body: PublicSubmission,
    photo: Option<(&dyn Storage, PhotoUpload)>,
) -> AppResult<PublicReceipt> {
    let commune_id = commune_by_code(conn, commune_code)?;
    let mut v = Validator::new();
    if !matches!(body.kind.as_str(), "recommendation" | "feedback") {
        v.add("kind", "invalid_value", "Chỉ gửi kiến nghị hoặc phản ánh qua trang này.");
    }
    // Every field at once (a citizen should not fix the form in two rounds), before the send counts.
    v.text("subject", &body.subject, 3, 300);
    v.text("content", &body.content, 3, 10_000);
    v.text("name", &body.name, 2, 200);
    let digits: String = body.phone.chars().filter(char::is_ascii_digit).collect();
    if !(9..=12).contains(&digits.len()) {
        v.add("phone", "invalid_format", "Số điện thoại gồm 9–12 chữ số.");
    }
    v.finish()?;
    // Sends have a budget of their own per address: looking a code up does not use it up, nor the
    // other way round (an office's or a kiosk's shared address does both).
    let sender = format!("send:{}", crate::auth::throttle::client_key(ip));
    crate::onestop::dossiers::service::count_public_request(conn, &sender)?;
    let stored = photo.map(|(store, p)| store_photo(store, p)).transpose()?;
    let intake = service::Intake { caller: None, commune_id, actor_name: "Cổng phản ánh, kiến nghị".into() };
    let created = write_tx(conn, |c| {
        let row = service::create_in(
            c,
            &intake,
            key,
            CreatePetition {
                kind: body.kind,
                channel: "online".into(),
                subject: body.subject,
                content: body.content,
                petitioner_name: Some(body.name),
                phone: Some(body.phone),
                village_unit_id: body.village_unit_id,
                dossier_id: None,
                received_at: None,
                identity: None,
                repeat_of: None,
            },
        )?;
        if let Some(photo) = &stored {
            photo.record(c, row.id)?;
        }
        Ok::<_, AppError>(row)
    });
    let row = match created {
        Ok(row) => row,
        Err(e) => {
            if let Some(photo) = &stored {
                photo.discard();
            }
            return Err(e);
        }
    };
    Ok(PublicReceipt { code: row.received.code, received_at: rfc(row.received.received_at) })
}

fn public_view(row: PetitionRow) -> PublicPetition {
    let answered = row.published_at.is_some();
    PublicPetition {
        kind_name: kind_name(&row.kind).into(),
        status_name: lifecycle::status_name(&row.status).into(),
        code: row.received.code,
        kind: row.received.kind,
        status: row.received.status,
        received_at: rfc(row.received.received_at),
        due_at: row.due_at.map(rfc),
        answer: if answered { row.published_answer } else { None },
        answered_at: row.published_at.map(rfc),
    }
}

/// The lookup behind the guard: unknown code and wrong digits answer the same 404. A
/// denunciation is never found here (its phone is sealed with the identity).
pub fn lookup(conn: &mut DbConnection, ip: &str, code: &str, last4: Option<&str>) -> AppResult<PublicPetition> {
    lookup_guard::guarded(conn, ip, code, |c, client, code| {
        crate::onestop::dossiers::service::count_public_request(c, client)?;
        let last4 = last4.map(str::trim).filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()));
        let Some(last4) = last4 else { return Err(AppError::NotFound) };
        repo::find_by_code(c, code)?
            .into_iter()
            .find(|r| r.kind != "denunciation" && r.phone_digits.len() >= 4 && r.phone_digits.ends_with(last4))
            .map(public_view)
            .ok_or(AppError::NotFound)
    })
}

/// The answers a commune published, newest first (no names, no phones).
pub fn answered(conn: &mut DbConnection, commune_code: &str, paging: Paging) -> AppResult<(Vec<PublicAnswer>, i64)> {
    let commune_id = commune_by_code(conn, commune_code)?;
    let (rows, total) = repo::public_answers(conn, commune_id, paging)?;
    let now: NaiveDateTime = Utc::now().naive_utc();
    Ok((
        rows.into_iter()
            .map(|r| PublicAnswer {
                code: r.received.code,
                kind: r.received.kind,
                subject: r.received.subject,
                answer: r.published_answer.unwrap_or_default(),
                answered_at: rfc(r.published_at.unwrap_or(now)),
            })
            .collect(),
        total,
    ))
}
