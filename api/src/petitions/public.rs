//! The citizen's side: sending a recommendation or feedback with no account, looking it up by
//! code and the last four phone digits (behind the dossier lookup's guard), and the public list
//! of answered feedback. Never personal data.

use chrono::{NaiveDateTime, Utc};

use super::identity::IdentityKey;
use super::lifecycle;
use super::model::*;
use super::{repo, service};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::dossiers::lookup_guard;
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
    let commune_id = commune_by_code(conn, commune_code)?;
    let mut v = Validator::new();
    if !matches!(body.kind.as_str(), "recommendation" | "feedback") {
        v.add("kind", "invalid_value", "Chỉ gửi kiến nghị hoặc phản ánh qua trang này.");
    }
    v.text("name", &body.name, 2, 200);
    let digits: String = body.phone.chars().filter(char::is_ascii_digit).collect();
    if !(9..=12).contains(&digits.len()) {
        v.add("phone", "invalid_format", "Số điện thoại gồm 9–12 chữ số.");
    }
    v.finish()?;
    crate::onestop::dossiers::service::count_public_request(conn, &crate::auth::throttle::client_key(ip))?;
    let row = service::create(
        conn,
        &service::Intake { caller: None, commune_id, actor_name: "Cổng phản ánh, kiến nghị".into() },
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
    Ok(PublicReceipt { code: row.code, received_at: rfc(row.received_at) })
}

fn public_view(row: PetitionRow) -> PublicPetition {
    let answered = row.published_at.is_some();
    PublicPetition {
        kind_name: kind_name(&row.kind).into(),
        status_name: lifecycle::status_name(&row.status).into(),
        code: row.code,
        kind: row.kind,
        status: row.status,
        received_at: rfc(row.received_at),
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
                code: r.code,
                kind: r.kind,
                subject: r.subject,
                answer: r.published_answer.unwrap_or_default(),
                answered_at: rfc(r.published_at.unwrap_or(now)),
            })
            .collect(),
        total,
    ))
}
