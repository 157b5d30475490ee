//! The demo evaluation: the 2023 evaluation of xã Bình Lương as a draft, ready to publish —
//! the shipped criteria set as its first edition stored it for 2023 (activities held, c11,
//! judged: the demo records no activity in 2023), the judged criterion scored with its evidence,
//! the report's number and the text sections the board writes.

use std::collections::BTreeMap;

use chrono::Utc;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::evaluation::model::{CriterionKind, EvaluationStatus, Judgement, NewEvaluation, Sections};
use crate::evaluation::{repo, service};
use crate::plans::import::{PLAN_2023, parse_document};

fn to_text<T: serde::Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(format!("JSON: {e}")))
}

/// What the board of Bình Lương wrote for 2023 (demo text).
pub fn demo_sections() -> Sections {
    Sections {
        results: "Ban điều hành duy trì họp giao ban hằng tháng; các thôn tổ chức họp dân phổ biến mô hình.\n\
                  Cán bộ, công chức Bộ phận Một cửa thực hiện văn hóa công sở, thái độ phục vụ niềm nở, tận tình."
            .into(),
        shortcomings: "Tỷ lệ hồ sơ nộp trực tuyến còn thấp; một số thôn báo cáo tiến độ chưa đúng kỳ.\n\
                       Việc cập nhật minh chứng của một số nhiệm vụ còn chậm."
            .into(),
        causes: "Một bộ phận người dân cao tuổi chưa quen sử dụng dịch vụ công trực tuyến.\n\
                 Trang thiết bị tại một số nhà văn hóa thôn còn thiếu."
            .into(),
        lessons: "Phải có sự lãnh đạo sát sao của cấp ủy, sự vào cuộc của cả hệ thống chính trị.\n\
                  Lấy sự hài lòng của Nhân dân làm thước đo kết quả phục vụ."
            .into(),
        directions: "Tiếp tục thực hiện mô hình, đẩy mạnh hướng dẫn người dân nộp hồ sơ trực tuyến.\n\
                     Duy trì khảo sát sự hài lòng định kỳ và công khai kết quả tại trụ sở UBND xã."
            .into(),
        recipients: "UBND huyện (để báo cáo);\nThường trực Đảng ủy, HĐND xã;\nỦy ban MTTQ Việt Nam xã;\n\
                     Các thành viên Ban điều hành;\nLưu: VT."
            .into(),
        signer_title: "CHỦ TỊCH".into(),
        signer_name: "Nguyễn Văn An".into(),
    }
}

/// Seeds the draft once (when the demo plan exists and has no evaluation). Returns whether it
/// seeded.
pub fn seed_demo_evaluation(conn: &mut DbConnection) -> AppResult<bool> {
    let doc = parse_document(PLAN_2023.as_bytes())?;
    let Some((commune_id, _)) = crate::plans::repo::communes(conn)?.into_iter().find(|(_, n)| n == "Bình Lương")
    else {
        return Ok(false);
    };
    let Some(plan) = crate::plans::repo::find_plan(conn, commune_id, doc.plan.title.trim(), doc.plan.year)? else {
        return Ok(false);
    };
    if !repo::versions(conn, plan.id)?.is_empty() {
        return Ok(false);
    }
    let actor = Actor::system("seed-demo");
    write_tx(conn, |c| {
        let now = Utc::now().naive_utc();
        let mut body = service::default_set_body(plan.year);
        for c in body.criteria.iter_mut().filter(|c| c.code == "c11") {
            c.kind = CriterionKind::Judged;
            c.source = None;
            c.target = None;
            c.how_measured = "Ban điều hành chấm theo hồ sơ, biên bản các hoạt động đã tổ chức.".into();
        }
        let set = repo::insert_criteria_set(
            c,
            &crate::evaluation::model::NewCriteriaSet {
                commune_id,
                year: body.year,
                version: 1,
                name: body.name.clone(),
                criteria: to_text(&body.criteria)?,
                thresholds: to_text(&body.thresholds)?,
                note: body.note.clone(),
                created_by_name: "Hệ thống".into(),
                created_at: now,
            },
        )?;
        let mut judged = BTreeMap::new();
        judged.insert(
            "c11".to_string(),
            Judgement {
                score: Some(4.5),
                comment: "Tổ chức 12 buổi tuyên truyền tại 6 thôn, 2 hội nghị sơ kết.".into(),
                evidence: "Biên bản các buổi họp thôn, lưu tại Văn phòng UBND xã.".into(),
            },
        );
        let row = repo::insert_evaluation(
            c,
            &NewEvaluation {
                commune_id,
                plan_id: plan.id,
                year: plan.year,
                version: 1,
                criteria_set_id: set.id,
                status: EvaluationStatus::Draft.as_str().into(),
                reason: String::new(),
                number: "125/BC-UBND".into(),
                judged: to_text(&judged)?,
                sections: to_text(&demo_sections())?,
                previous_id: None,
                created_by_name: "Ban điều hành".into(),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            c,
            &actor,
            commune_id,
            "create",
            "evaluation",
            row.id,
            json!({ "plan_id": plan.id, "year": plan.year, "version": 1, "criteria_set_id": set.id }),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(true)
}
