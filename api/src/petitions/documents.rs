//! Printed documents of a petition with the commune's header (the one-stop forms' header
//! code): acceptance, refusal and forwarding notices, the extension decision, and the register
//! of petitions (sổ theo dõi đơn thư). A denouncer is never named on any of them.

use chrono::{NaiveDate, NaiveDateTime, Utc};

use super::model::*;
use super::{lifecycle, repo, service};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::onestop::dossiers::forms;
use crate::onestop::model::FormHeader;
use crate::time::{rfc, to_local};

/// The commune's header on a printed paper (also the reception register's).
pub fn commune_header(conn: &mut DbConnection, commune_id: i64, at: NaiveDateTime) -> AppResult<FormHeader> {
    let commune = crate::org::repo::commune_identity(conn, commune_id)?;
    let set = forms::set_on(to_local(at).date());
    let mut h = crate::onestop::dossiers::service::header(&commune, &set, at);
    // A petition's documents are issued by the commune's People's Committee itself.
    h.issuer_unit = String::new();
    Ok(h)
}

fn petitioner(row: &PetitionRow) -> String {
    if row.kind == "denunciation" {
        service::SEALED_NAME.into()
    } else {
        row.petitioner_name.clone().unwrap_or_else(|| "—".into())
    }
}

fn legal_basis(kind: &str) -> &'static str {
    match kind {
        "complaint" => "Luật Khiếu nại 2011",
        "denunciation" => "Luật Tố cáo 2018",
        "recommendation" | "feedback" => "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP)",
        _ => "Luật Tiếp công dân 2013",
    }
}

/// The data of document `document` (acceptance, refusal, forwarding, extension);
/// `document_not_applicable` when the petition has no such step.
pub fn document(conn: &mut DbConnection, commune_id: i64, id: i64, document: &str) -> AppResult<PetitionDocument> {
    let (action, title, blank) = match document {
        "acceptance" => ("accept", "THÔNG BÁO VỀ VIỆC THỤ LÝ ĐƠN", "…/TB-UBND"),
        "refusal" => ("refuse", "THÔNG BÁO VỀ VIỆC KHÔNG THỤ LÝ ĐƠN", "…/TB-UBND"),
        "forwarding" => ("forward", "PHIẾU CHUYỂN ĐƠN", "…/PC-UBND"),
        "extension" => ("extend", "QUYẾT ĐỊNH GIA HẠN GIẢI QUYẾT TỐ CÁO", "…/QĐ-UBND"),
        _ => return Err(AppError::NotFound),
    };
    let row = repo::get(conn, commune_id, id)?;
    let events = repo::events(conn, id)?;
    let Some(event) = events.iter().rev().find(|e| e.action == action) else {
        return Err(AppError::rule("document_not_applicable", "Đơn chưa có bước tương ứng với văn bản này."));
    };
    let kind = kind_name(&row.kind);
    let received = to_local(row.received_at);
    let mut body = vec![format!(
        "Ngày {}/{}/{}, Ủy ban nhân dân xã nhận được đơn {} (mã {}) về việc: {}.",
        received.format("%d"),
        received.format("%m"),
        received.format("%Y"),
        kind.to_lowercase(),
        row.code,
        row.subject
    )];
    match action {
        "accept" => body.push(format!(
            "Đơn đủ điều kiện thụ lý. Người xử lý: {}.",
            row.handler_name.clone().unwrap_or_else(|| "sẽ được phân công".into())
        )),
        "refuse" => body
            .push(format!("Đơn không đủ điều kiện thụ lý. Lý do: {}.", row.refusal_reason.clone().unwrap_or_default())),
        "forward" => body.push(format!(
            "Đơn không thuộc thẩm quyền giải quyết của UBND xã, được chuyển đến: {}.",
            row.forwarded_to.clone().unwrap_or_default()
        )),
        _ => {
            body.push(format!(
                "Gia hạn thời hạn giải quyết thêm {} ngày theo văn bản {}, ngày quyết định {}.",
                event.days.unwrap_or(0),
                event.note.clone().unwrap_or_default(),
                event.decision_date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
            ));
            // The time it gives: the settling clock's due date with the extensions decided so far.
            let decided: Vec<EventRow> =
                events.iter().take_while(|e| e.id != event.id).chain([event]).cloned().collect();
            let cal = service::calendar(conn, commune_id, row.received_at)?;
            let (rules, remote) = (service::rules(conn)?, repo::remote_area(conn, commune_id)?);
            if let Some(settle) = service::clocks_of(&cal, &rules, &row, &decided, remote, event.at)
                .into_iter()
                .find(|c| c.name == "settle")
            {
                body.push(format!(
                    "Thời hạn giải quyết tố cáo sau khi gia hạn: đến ngày {}.",
                    settle.due.format("%d/%m/%Y")
                ));
            }
        }
    }
    let number = match action {
        "extend" => event.note.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| blank.into()),
        _ => blank.into(),
    };
    Ok(PetitionDocument {
        header: commune_header(conn, commune_id, event.at)?,
        document: document.into(),
        title: title.into(),
        number,
        code: row.code.clone(),
        kind_name: kind.into(),
        subject: row.subject.clone(),
        petitioner: petitioner(&row),
        received_at: rfc(row.received_at),
        decided_at: rfc(event.at),
        body,
        legal_basis: legal_basis(&row.kind).into(),
        signer_title: "CHỦ TỊCH".into(),
    })
}

/// The register of petitions received in `[from, to]` (local dates).
pub fn register(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<PetitionRegister> {
    let (a, b) = service::utc_bounds(from, to);
    let rows = repo::in_period(conn, &[commune_id], a, b)?;
    Ok(PetitionRegister {
        header: commune_header(conn, commune_id, Utc::now().naive_utc())?,
        from,
        to,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| PetitionRegisterRow {
                number: i as i64 + 1,
                petitioner: petitioner(&r),
                code: r.code.clone(),
                received_at: rfc(r.received_at),
                kind_name: kind_name(&r.kind).into(),
                subject: r.subject.clone(),
                status_name: lifecycle::status_name(&r.status).into(),
                handler_name: r.handler_name.clone(),
                due_at: r.due_at.map(rfc),
                result: r.outcome.clone(),
            })
            .collect(),
    })
}
