//! The demo plan: the real 2023 plan of xã Bình Lương, imported into the demo commune.

use chrono::Utc;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::plans::import::{PLAN_2023, UnitDirectory, import_plan, parse_document};
use crate::plans::model::*;
use crate::plans::repo;

/// Seeds the 2023 plan into the demo commune (xã Bình Lương) through the import, once.
/// Village heads get one task each under "quy chế dân chủ ở cơ sở", so every village has
/// work to report on: the document names no village task, so these six are marked
/// [`TaskSource::Demo`] and every view labels them "Bổ sung cho bản demo". Returns whether it
/// seeded.
pub fn seed_demo_plan(conn: &mut DbConnection) -> AppResult<bool> {
    let doc = parse_document(PLAN_2023.as_bytes())?;
    let Some((commune_id, _)) = repo::communes(conn)?.into_iter().find(|(_, n)| n == "Bình Lương") else {
        return Ok(false);
    };
    if repo::find_plan(conn, commune_id, doc.plan.title.trim(), doc.plan.year)?.is_some() {
        return Ok(false);
    }
    let actor = Actor::system("seed-demo");
    let imported = import_plan(conn, &actor, commune_id, &doc, PlanStatus::Active)?;
    let Some(area) = imported.areas.iter().find(|a| a.position == 3) else { return Ok(true) };
    let step = imported.steps.iter().find(|s| s.position == 3);
    let dir = UnitDirectory::load(conn, commune_id)?;
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        for n in 1..=6 {
            let Some(unit) = dir.resolve(&format!("Thôn {n}")) else { continue };
            let title = format!(
                "Thôn {n}: họp thôn phổ biến, công khai chủ trương, chính sách và thu chi theo quy chế dân chủ ở cơ sở"
            );
            let t = repo::insert_task(
                conn,
                &NewTask {
                    reporting_cadence: Some(Cadence::Monthly.as_str().to_string()),
                    ..NewTask::not_started(
                        TaskPlace {
                            commune_id,
                            plan_id: imported.plan.id,
                            content_area_id: area.id,
                            step_id: step.map(|s| s.id),
                            position: 100 + n,
                            start_date: step.and_then(|s| s.start_date).unwrap_or(imported.plan.created_at.date()),
                            due_date: step.and_then(|s| s.due_date).unwrap_or(imported.plan.created_at.date()),
                        },
                        title,
                        "Báo cáo hằng tháng kèm ảnh buổi họp thôn hoặc bảng niêm yết.".into(),
                        unit,
                        now,
                        TaskSource::Demo,
                    )
                },
            )?;
            audit::repo::record_entity(
                conn,
                &actor,
                commune_id,
                "create",
                "task",
                t.id,
                json!({ "plan_id": imported.plan.id, "title": t.title, "lead_unit_id": unit }),
            )?;
        }
        Ok::<_, AppError>(())
    })?;
    Ok(true)
}
