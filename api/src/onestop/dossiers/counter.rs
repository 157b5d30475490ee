//! At the counter, before receipt (Nghị định 61/2018 as amended, Nghị định 118/2025): an
//! incomplete dossier gets guidance with form 02, one that may not be received gets form 03.
//! Neither is a dossier — no number from the day's sequence, not counted as received,
//! processed or in any 766 figure — but both are recorded, so the desk's workload is visible
//! and the form can be printed again.

use chrono::{Duration, NaiveDateTime, Utc};
use serde_json::json;

use super::{forms, lifecycle, repo, service};
use crate::audit::{self};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::catalogue::{repo as catalogue_repo, service as catalogue};
use crate::onestop::model::*;
use crate::time::{rfc, to_local, to_utc};

/// A stored record as the API shows it; applicant and reason masked unless `personal`.
pub fn record_api(r: CounterRow, p: &ProcedureRow, personal: bool) -> CounterRecord {
    let applicant = if personal {
        CounterApplicant { name: r.applicant_name, phone: r.applicant_phone, address: r.applicant_address }
    } else {
        let digits: String = r.applicant_phone.chars().filter(char::is_ascii_digit).collect();
        CounterApplicant {
            name: lifecycle::mask_name(&r.applicant_name),
            phone: if digits.is_empty() { String::new() } else { lifecycle::mask_tail(&digits, 3) },
            address: if r.applicant_address.is_empty() { String::new() } else { "***".into() },
        }
    };
    CounterRecord {
        id: r.id,
        kind: CounterKind::parse(&r.kind).unwrap_or(CounterKind::Guidance),
        procedure_id: p.id,
        procedure_code: p.code.clone(),
        procedure_name: p.name.clone(),
        channel: r.channel,
        applicant,
        personal_data_masked: !personal,
        reason: personal.then_some(r.reason),
        at: rfc(r.at),
        user_name: r.user_name,
        unit_id: r.unit_id,
    }
}

/// Records a counter guidance or refusal, with its audit entry.
pub fn create(
    conn: &mut DbConnection,
    staff: &Caller,
    body: CreateCounterRecord,
) -> AppResult<(CounterRow, ProcedureRow)> {
    let commune_id = staff.commune()?;
    let unit_id = staff.unit_id.ok_or(AppError::Forbidden)?;
    let mut v = Validator::new();
    if !(1..=3).contains(&body.channel) {
        v.add("channel", "invalid_value", "Kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính.");
    }
    let a = &body.applicant;
    v.text("applicant.name", &a.name, 1, 120);
    v.text("applicant.phone", &a.phone, 0, 20);
    if !a.phone.chars().all(|c| c.is_ascii_digit() || " .+-".contains(c)) {
        v.add("applicant.phone", "invalid_format", "Số điện thoại chỉ gồm chữ số.");
    }
    v.text("applicant.address", &a.address, 0, 300);
    v.text("reason", body.reason.trim(), 1, 2000);
    v.finish()?;
    let procedure = match catalogue_repo::get_procedure(conn, commune_id, body.procedure_id) {
        Ok(p) if p.active => p,
        Ok(_) => return Err(AppError::field("procedure_id", "invalid_value", "Thủ tục đã ngừng áp dụng.")),
        Err(diesel::result::Error::NotFound) => {
            return Err(AppError::field("procedure_id", "not_found", "Không có thủ tục này."));
        }
        Err(e) => return Err(e.into()),
    };
    let now = Utc::now().naive_utc();
    let new = NewCounterRecord {
        commune_id,
        unit_id,
        procedure_id: procedure.id,
        kind: body.kind.as_str().into(),
        channel: body.channel,
        applicant_name: a.name.trim().into(),
        applicant_phone: a.phone.trim().into(),
        applicant_address: a.address.trim().into(),
        reason: body.reason.trim().into(),
        at: now,
        user_id: Some(staff.id),
        user_name: staff.full_name.clone(),
        created_at: now,
    };
    let row = write_tx(conn, |conn| {
        let row = repo::insert_counter_record(conn, &new)?;
        // No personal data in the audit summary.
        audit::repo::record_entity(
            conn,
            &staff.actor(),
            commune_id,
            "create",
            "counter_record",
            row.id,
            json!({ "kind": row.kind, "procedure_id": procedure.id, "channel": row.channel }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    Ok((row, procedure))
}

/// Counter records of a period (local dates; default the last 30 days), newest first.
pub fn list(
    conn: &mut DbConnection,
    commune_id: i64,
    personal: bool,
    f: &CounterFilter,
    paging: Paging,
) -> AppResult<(Vec<CounterRecord>, i64)> {
    let today = to_local(Utc::now().naive_utc()).date();
    let to = f.to.unwrap_or(today);
    let from = f.from.unwrap_or(to - Duration::days(30));
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 3700 {
        v.add("to", "period_too_long", "Khoảng thời gian tối đa 10 năm.");
    }
    v.finish()?;
    let start = midnight(from);
    let end = midnight(to.succ_opt().unwrap_or(to));
    let (rows, total) = repo::counter_records(conn, commune_id, start, end, f.kind.map(CounterKind::as_str), paging)?;
    Ok((rows.into_iter().map(|(r, p)| record_api(r, &p, personal)).collect(), total))
}

fn midnight(d: chrono::NaiveDate) -> NaiveDateTime {
    to_utc(d.and_time(chrono::NaiveTime::MIN))
}

/// The printed form of a counter record: 02 for guidance, 03 for a refusal, in the form set in
/// force on the day it happened.
pub fn form(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<CounterFormData> {
    let (r, p) = repo::counter_record(conn, commune_id, id)?;
    let kind =
        if r.kind == CounterKind::Refusal.as_str() { forms::FormKind::Refusal } else { forms::FormKind::Supplement };
    let set = forms::set_on(to_local(r.at).date());
    let (number, title) = set.form(kind).ok_or(AppError::NotFound)?;
    let commune = crate::org::repo::commune_identity(conn, commune_id)?;
    let procedure = catalogue::procedures_api(conn, vec![p.clone()])?.pop().ok_or(AppError::NotFound)?;
    let at = r.at;
    Ok(CounterFormData {
        form: number.into(),
        form_set: set.basis.into(),
        title: title.into(),
        header: service::header(&commune, &set, at),
        commune_name: commune.name,
        record: record_api(r, &p, true),
        procedure,
    })
}
