//! Open311 rules: a commune is a jurisdiction, a feedback category is a service, a request is
//! a petition (kind `feedback` or `recommendation`, channel `online`) with its legal clock.
//! Reads are public and carry no personal data; a request is posted with an integration key
//! holding the `submit_feedback` scope.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::integration::model::KeyScope;
use crate::integration::service::{Authenticated, Refusal, scopes_of};
use crate::petitions::identity::IdentityKey;
use crate::petitions::lifecycle;
use crate::petitions::model::{CreatePetition, PetitionRow};
use crate::petitions::public::{PhotoUpload, photo_of, store_photo};
use crate::petitions::service::Intake;
use crate::plans::storage::Storage;
use crate::spool::{FormPart, PartBody};
use crate::time::{rfc, to_utc};

/// The most rows one list answers (the spec leaves paging to the server).
pub const LIST_LIMIT: i64 = 1000;
/// The longest period one list may span (the spec's 90 days).
pub const MAX_SPAN_DAYS: i64 = 90;

/// The commune a `jurisdiction_id` names: its code, or its number when it has none.
pub fn commune(conn: &mut DbConnection, jurisdiction: Option<&str>) -> AppResult<(i64, String)> {
    let Some(j) = jurisdiction.map(str::trim).filter(|j| !j.is_empty()) else {
        return Err(AppError::field(
            "jurisdiction_id",
            "required",
            "jurisdiction_id is required: the commune's code (mã xã).",
        ));
    };
    crate::org::repo::commune_by_public_code(conn, j)?.ok_or(AppError::NotFound)
}

/// The discovery document: one production endpoint at `base`.
pub fn discovery(base: &str) -> Discovery {
    Discovery {
        changeset: CHANGESET.into(),
        contact: "Ủy ban nhân dân xã (bộ phận tiếp nhận phản ánh, kiến nghị)".into(),
        key_service: "API keys (scope submit_feedback) are issued by the commune's administrator: /admin/api-keys"
            .into(),
        endpoints: vec![DiscoveryEndpoint {
            specification: SPECIFICATION.into(),
            url: format!("{}/open311/v2", base.trim_end_matches('/')),
            changeset: CHANGESET.into(),
            kind: "production".into(),
            formats: vec!["text/xml".into(), "application/json".into()],
        }],
    }
}

/// The categories a commune offers: its own active ones when it has any row (a commune's
/// first change copies the defaults in), else the defaults.
fn categories_of(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<CategoryRow>> {
    let all = repo::categories(conn, commune_id)?;
    let own = all.iter().any(|c| c.commune_id == Some(commune_id));
    Ok(all.into_iter().filter(|c| c.commune_id.is_some() == own && c.active).collect())
}

/// `services`: the commune's feedback categories.
pub fn services(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<Service>> {
    Ok(categories_of(conn, commune_id)?
        .into_iter()
        .map(|c| Service {
            service_code: c.code,
            service_name: c.name,
            description: c.description,
            metadata: true,
            kind: "realtime".into(),
            keywords: c.keywords,
            group: c.grouping,
        })
        .collect())
}

/// `services/{code}`: the one attribute every service has, the village (thôn).
pub fn definition(conn: &mut DbConnection, commune_id: i64, code: &str) -> AppResult<ServiceDefinition> {
    let cat = categories_of(conn, commune_id)?.into_iter().find(|c| c.code == code).ok_or(AppError::NotFound)?;
    let values = repo::villages(conn, commune_id)?
        .into_iter()
        .map(|(id, name)| AttributeValue { key: id.to_string(), name })
        .collect();
    Ok(ServiceDefinition {
        service_code: cat.code,
        attributes: vec![Attribute {
            variable: true,
            code: "village".into(),
            datatype: "singlevaluelist".into(),
            required: false,
            datatype_description: "Thôn nơi xảy ra sự việc (mã thôn).".into(),
            order: 1,
            description: "Thôn / The village the report is about".into(),
            values,
        }],
    })
}

/// Whether an authenticated key may post to a commune: its scopes hold `submit_feedback`,
/// and the commune is the key's, or one of its province's. `Err` is the refusal to audit.
pub fn key_may_submit(
    conn: &mut DbConnection,
    auth: &Authenticated,
    commune_id: i64,
) -> AppResult<Result<(), Refusal>> {
    let refuse = |reason| Refusal { reason, key: Some(auth.key.clone()), prefix: auth.key.prefix.clone() };
    if !scopes_of(&auth.key.scopes).contains(&KeyScope::SubmitFeedback) {
        return Ok(Err(refuse("scope_denied")));
    }
    let in_scope = match (auth.key.commune_id, auth.key.authority_id) {
        (Some(c), _) => c == commune_id,
        (None, Some(a)) => crate::org::repo::province_of_commune(conn, commune_id)? == Some(a),
        (None, None) => false,
    };
    Ok(if in_scope { Ok(()) } else { Err(refuse("jurisdiction_refused")) })
}

fn parse_coordinate(v: &mut Validator, field: &str, text: Option<&str>, limit: f64) -> Option<f64> {
    let t = text.map(str::trim).filter(|t| !t.is_empty())?;
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() <= limit => Some(x),
        _ => {
            v.add(field, "invalid_value", &format!("{field} must be a WGS-84 coordinate within ±{limit}."));
            None
        }
    }
}

fn present(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// `POST requests`: checks the form and receives a petition with its legal clock, the
/// request's token and location beside it, audited with the key's prefix.
pub fn submit(
    conn: &mut DbConnection,
    auth: &Authenticated,
    identity: &IdentityKey,
    commune_id: i64,
    form: RequestForm,
    media: Option<(&dyn Storage, PhotoUpload)>,
) -> AppResult<CreatedRequest> {
    let mut v = Validator::new();
    let code = present(&form.service_code);
    let cats = categories_of(conn, commune_id)?;
    let cat = match &code {
        None => {
            v.add("service_code", "required", "service_code is required.");
            None
        }
        Some(c) => {
            let found = cats.iter().find(|x| &x.code == c).cloned();
            if found.is_none() {
                v.add("service_code", "not_found", "service_code is not a service of this jurisdiction.");
            }
            found
        }
    };
    let lat = parse_coordinate(&mut v, "lat", form.lat.as_deref(), 90.0);
    let long = parse_coordinate(&mut v, "long", form.long.as_deref(), 180.0);
    if lat.is_some() != long.is_some() {
        v.add("long", "required", "lat and long go together.");
    }
    let address = present(&form.address_string);
    if let Some(a) = &address {
        v.text("address_string", a, 1, 500);
    }
    let address_id = present(&form.address_id);
    if lat.is_none() && address.is_none() && address_id.is_none() {
        v.add("lat", "required", "A location is required: lat and long, address_string or address_id.");
    }
    let description = present(&form.description).unwrap_or_default();
    v.text("description", &description, 3, 4000);
    let village = match present(&form.attribute_village) {
        None => None,
        Some(t) => {
            let id = t.parse::<i64>().ok();
            let known = repo::villages(conn, commune_id)?;
            match id.filter(|i| known.iter().any(|(k, _)| k == i)) {
                Some(i) => Some(i),
                None => {
                    v.add(
                        "attribute[village]",
                        "invalid_value",
                        "attribute[village] is not a village of this jurisdiction.",
                    );
                    None
                }
            }
        }
    };
    let media_url = present(&form.media_url);
    if let Some(m) = &media_url {
        let scheme = m.starts_with("https://") || m.starts_with("http://");
        if !scheme || m.len() > 1000 || m.chars().any(|c| c.is_whitespace() || c.is_control()) {
            v.add("media_url", "invalid_format", "media_url is an http(s) URL of at most 1000 characters.");
        }
    }
    let name =
        [present(&form.first_name), present(&form.last_name)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if !name.is_empty() {
        v.text("first_name", &name, 2, 200);
    }
    v.finish()?;
    let Some(cat) = cat else { return Err(AppError::Internal("category checked above".into())) };
    let excerpt: String = description.chars().take(120).collect();
    let subject = format!("{}: {}", cat.name, excerpt.trim());
    let now = Utc::now().naive_utc();
    let token = new_token()?;
    let key = &auth.key;
    let media = media.map(|(store, p)| store_photo(store, p)).transpose()?;
    let created = write_tx(conn, |c| -> AppResult<CreatedRequest> {
        let petition = crate::petitions::service::create_in(
            c,
            &Intake { caller: None, commune_id, actor_name: format!("Open311: {}", key.name) },
            identity,
            CreatePetition {
                kind: cat.kind.clone(),
                channel: "online".into(),
                subject,
                content: description,
                petitioner_name: (!name.is_empty()).then_some(name),
                phone: present(&form.phone),
                village_unit_id: village,
                dossier_id: None,
                received_at: None,
                identity: None,
                repeat_of: None,
            },
        )?;
        repo::insert_request(
            c,
            &RequestRow {
                petition_id: petition.id,
                commune_id,
                service_code: cat.code.clone(),
                token: token.clone(),
                api_key_id: key.id,
                lat,
                long,
                address: address.clone(),
                created_at: now,
                media_url: media_url.clone(),
            },
        )?;
        if let Some(photo) = &media {
            photo.record(c, petition.id)?;
        }
        let actor = Actor {
            user_id: None,
            username: Some(format!("key:{}", key.prefix)),
            role: None,
            commune_id: Some(commune_id),
            request_id: Some(auth.caller.request_id.clone()),
            ip: Some(auth.caller.ip.clone()),
        };
        audit::repo::record_entity(
            c,
            &actor,
            commune_id,
            "open311_request",
            "petition",
            petition.id,
            json!({ "code": petition.code, "service_code": cat.code, "key": key.prefix }),
        )?;
        let notice = match petition.due_at {
            Some(d) => format!("Đã tiếp nhận. Hạn trả lời theo quy định: {}.", rfc(d).format("%d/%m/%Y %H:%M")),
            None => "Đã tiếp nhận.".into(),
        };
        Ok(CreatedRequest {
            service_request_id: petition.received.code,
            token,
            service_notice: notice,
            account_id: None,
        })
    });
    if created.is_err()
        && let Some(photo) = &media
    {
        photo.discard();
    }
    created
}

/// The text fields a multipart post may carry (the form's names), and its file.
const FORM_FIELDS: [&str; 16] = [
    "api_key",
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "attribute[village]",
];
pub const MEDIA_FIELD: &str = "media";

/// Most bytes kept for each part of a multipart post (`media`: the server's upload cap; a
/// description of 4,000 characters fits in 16,000 bytes).
pub fn part_limit(name: &str, upload_cap: usize) -> usize {
    match name {
        MEDIA_FIELD => upload_cap,
        n if FORM_FIELDS.contains(&n) => 16_000,
        _ => 0,
    }
}

/// A multipart post (FixMyStreet's extension of GeoReport v2): the form's text fields and at
/// most one `media` photo (JPEG, PNG or WebP, checked by content: 415 otherwise; 413 over the
/// upload cap). Parts of other names are left aside, as the form-encoded post leaves them.
pub fn form_from_parts(parts: Vec<FormPart>) -> AppResult<(RequestForm, Option<PhotoUpload>)> {
    let mut v = Validator::new();
    let mut fields = serde_json::Map::new();
    let mut media = None;
    for part in parts {
        match (part.name.as_str(), part.body) {
            (MEDIA_FIELD, PartBody::TooLarge) => return Err(AppError::PayloadTooLarge),
            (MEDIA_FIELD, PartBody::File(file)) => {
                if media.is_some() {
                    v.add(MEDIA_FIELD, "too_long", "Send one media file.");
                } else {
                    media = photo_of(part.file_name.as_deref(), file)?;
                }
            }
            (MEDIA_FIELD, PartBody::Bytes(b)) if b.is_empty() => {}
            (MEDIA_FIELD, PartBody::Bytes(_)) => v.add(MEDIA_FIELD, "invalid_format", "media is a file."),
            (name, PartBody::Bytes(bytes)) if FORM_FIELDS.contains(&name) => match String::from_utf8(bytes) {
                Ok(text) => {
                    fields.insert(name.to_string(), serde_json::Value::String(text));
                }
                Err(_) => v.add(name, "invalid_format", &format!("{name} is not UTF-8 text.")),
            },
            (name, PartBody::TooLarge | PartBody::File(_)) if FORM_FIELDS.contains(&name) => {
                v.add(name, "too_long", &format!("{name} is too long."))
            }
            _ => {}
        }
    }
    v.finish()?;
    let form = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| AppError::MalformedBody(format!("form: {e}")))?;
    Ok((form, media))
}

fn new_token() -> AppResult<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("random: {e}")))?;
    Ok(hex::encode(b))
}

/// A W3C date-time (`2026-12-01T00:00:00Z`, `…+07:00`) or a date (the commune's day).
fn parse_when(v: &mut Validator, field: &str, text: Option<&str>, end_of_day: bool) -> Option<NaiveDateTime> {
    let t = text.map(str::trim).filter(|t| !t.is_empty())?;
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let local = if end_of_day { d.and_hms_opt(23, 59, 59) } else { d.and_hms_opt(0, 0, 0) };
        return local.map(to_utc);
    }
    v.add(field, "invalid_format", &format!("{field} must be a W3C date-time such as 2026-12-01T00:00:00Z."));
    None
}

fn csv_list(s: &Option<String>) -> Vec<String> {
    s.as_deref().unwrap_or("").split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

/// `GET requests`: the commune's requests received through Open311 with the spec's filters.
pub fn list(conn: &mut DbConnection, commune_id: i64, f: &RequestFilter) -> AppResult<Vec<ServiceRequest>> {
    let mut v = Validator::new();
    let mut filter = repo::Filter {
        codes: csv_list(&f.service_request_id),
        service_codes: csv_list(&f.service_code),
        limit: LIST_LIMIT,
        ..Default::default()
    };
    let start = parse_when(&mut v, "start_date", f.start_date.as_deref(), false);
    let end = parse_when(&mut v, "end_date", f.end_date.as_deref(), true);
    let span = Duration::days(MAX_SPAN_DAYS);
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + span),
        (None, Some(e)) => (e - span, e),
        (None, None) => {
            let now = Utc::now().naive_utc();
            (now - span, now)
        }
    };
    if to < from {
        v.add("end_date", "invalid_value", "end_date is before start_date.");
    } else if to - from > span {
        v.add("end_date", "invalid_value", "start_date and end_date may not span more than 90 days.");
    }
    let mut statuses = Vec::new();
    for s in csv_list(&f.status) {
        match s.as_str() {
            "open" => statuses.extend(lifecycle::STATUSES.iter().copied().filter(|x| lifecycle::is_open(x))),
            "closed" => statuses.extend(lifecycle::STATUSES.iter().copied().filter(|x| !lifecycle::is_open(x))),
            _ => v.add("status", "invalid_value", "status is open or closed (comma-separated)."),
        }
    }
    v.finish()?;
    filter.from = Some(from);
    filter.to = Some(to);
    filter.statuses = statuses;
    let rows = repo::list(conn, commune_id, &filter)?;
    views(conn, commune_id, rows)
}

/// `GET requests/{id}`: one request (as a list of one, as the spec answers).
pub fn one(conn: &mut DbConnection, commune_id: i64, id: &str) -> AppResult<Vec<ServiceRequest>> {
    let filter = repo::Filter { codes: vec![id.to_string()], limit: 1, ..Default::default() };
    let rows = repo::list(conn, commune_id, &filter)?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    views(conn, commune_id, rows)
}

/// `GET tokens/{token}`: the request id a token stands for, within the jurisdiction.
pub fn token(conn: &mut DbConnection, commune_id: i64, token: &str) -> AppResult<Vec<TokenAnswer>> {
    match repo::by_token(conn, token.trim())? {
        Some((r, p)) if r.commune_id == commune_id => {
            Ok(vec![TokenAnswer { service_request_id: p.received.code, token: r.token }])
        }
        _ => Err(AppError::NotFound),
    }
}

fn views(
    conn: &mut DbConnection,
    commune_id: i64,
    rows: Vec<(RequestRow, PetitionRow)>,
) -> AppResult<Vec<ServiceRequest>> {
    let names: HashMap<String, String> =
        repo::categories(conn, commune_id)?.into_iter().map(|c| (c.code, c.name)).collect();
    let agency = format!("UBND {}", crate::org::repo::commune_name(conn, commune_id)?);
    Ok(rows.into_iter().map(|(r, p)| view(&names, &agency, r, p)).collect())
}

/// A request as anyone reads it: never the petitioner, phone or the submitted text; the
/// answer only once the commune made it public.
fn view(names: &HashMap<String, String>, agency: &str, r: RequestRow, p: PetitionRow) -> ServiceRequest {
    let open = lifecycle::is_open(&p.status);
    let notes = if p.answer_public && p.published_at.is_some() { p.published_answer.clone() } else { None };
    let public = notes.is_some();
    ServiceRequest {
        service_request_id: p.received.code,
        status: if open { "open" } else { "closed" }.into(),
        status_notes: notes,
        service_name: names.get(&r.service_code).cloned().unwrap_or_else(|| r.service_code.clone()),
        service_code: r.service_code,
        description: None,
        agency_responsible: agency.to_string(),
        service_notice: Some(lifecycle::status_name(&p.received.status).to_string()),
        requested_datetime: rfc(p.received.received_at),
        updated_datetime: rfc(p.received.updated_at),
        expected_datetime: if open { p.due_at.map(rfc) } else { None },
        address: r.address,
        address_id: None,
        zipcode: None,
        lat: r.lat,
        long: r.long,
        // The photo's address only once the commune published its answer publicly: a photo
        // can show people, plates or houses, so it stays out until the commune made the case
        // public (the same moment `status_notes` appears).
        media_url: if public { r.media_url } else { None },
    }
}
