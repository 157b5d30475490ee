//! Rolling a plan over to the next year: copies, shifted working-day dates, progress left
//! behind, the old plan closed, carried-over tasks linked, refusals.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;
use crate::plans::{demo_plan, report};

fn tasks(app: &TestApp, token: &str, plan: i64) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().expect("tasks").clone()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().and_then(|s| s.parse().ok()).expect("date")
}

fn rolls_a_plan_over_to_the_next_year(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let old = demo_plan(app, &bdh);
    let before = tasks(app, &bdh, old);
    assert!(before.len() > 10);
    // Some work done in 2023: a report on one task, another finished.
    let going = before[0]["id"].as_i64().unwrap();
    let finished = before[1]["id"].as_i64().unwrap();
    let r = report(app, &bdh, going, "Đã họp triển khai", "40", &[]);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let r = app.patch(&format!("/api/v1/tasks/{finished}"), Some(&bdh), json!({ "status": "done" }));
    assert_eq!(r.status, 200, "{}", r.text);

    // Not for a village head; a year not after the plan's; a finished task to carry over.
    let thon = app.login("thon1").token;
    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&thon), json!({}));
    assert_eq!(r.status, 403);
    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({ "year": 2023 }));
    assert_eq!(r.status, 422, "{}", r.text);
    let r =
        app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({ "carry_over_task_ids": [finished] }));
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["errors"][0]["field"], "carry_over_task_ids[0]");
    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({ "carry_over_task_ids": [-5] }));
    assert_eq!(r.status, 422, "{}", r.text);
    let r = app.post("/api/v1/plans/999999/roll-over", Some(&bdh), json!({}));
    assert_eq!(r.status, 404);
    // Nothing was made by the refusals.
    assert_eq!(app.get("/api/v1/plans?year=2024", Some(&bdh)).body["total"], 0);

    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({ "carry_over_task_ids": [going] }));
    assert_eq!(r.status, 201, "{}", r.text);
    let new = r.body["plan_id"].as_i64().unwrap();
    assert_eq!(r.body["year"], 2024);
    assert_eq!(r.body["carried_over"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["carried_over"][0]["continues_task_id"], going);
    let continued = r.body["carried_over"][0]["task_id"].as_i64().unwrap();

    // The new plan: a draft of 2024, the same structure.
    let p = app.get(&format!("/api/v1/plans/{new}"), Some(&bdh));
    assert_eq!(p.status, 200);
    assert_eq!(p.body["status"], "draft");
    assert_eq!(p.body["year"], 2024);
    assert!(p.body["title"].as_str().unwrap().contains("2024"), "{}", p.body["title"]);
    let o = app.get(&format!("/api/v1/plans/{old}"), Some(&bdh));
    assert_eq!(o.body["status"], "closed", "the old plan is closed");
    assert_eq!(p.body["content_areas"].as_array().unwrap().len(), o.body["content_areas"].as_array().unwrap().len());
    assert_eq!(p.body["steps"].as_array().unwrap().len(), o.body["steps"].as_array().unwrap().len());
    assert_eq!(p.body["units"].as_array().unwrap().len(), o.body["units"].as_array().unwrap().len());

    let after = tasks(app, &bdh, new);
    let copied: Vec<&Value> = before.iter().filter(|t| t["status"] != "cancelled").collect();
    assert_eq!(after.len(), copied.len());
    assert_eq!(r.body["tasks"], after.len());
    let mut moved = 0;
    for (a, b) in after.iter().zip(copied.iter()) {
        assert_eq!(a["title"], b["title"]);
        assert_eq!(a["weight"], b["weight"]);
        assert_eq!(a["lead_unit_id"], b["lead_unit_id"]);
        assert_eq!(a["supporting_unit_ids"], b["supporting_unit_ids"]);
        // Progress stays behind.
        assert_eq!(a["status"], "not_started");
        assert_eq!(a["progress"], 0);
        for field in ["start_date", "due_date"] {
            let (new_d, old_d) = (date(&a[field]), date(&b[field]));
            assert!(!matches!(new_d.weekday(), Weekday::Sat | Weekday::Sun), "{field} {new_d} is a weekend");
            let shifted = old_d.with_year(old_d.year() + 1).unwrap_or(old_d);
            let off = (new_d - shifted).num_days().abs();
            assert!(off <= 21, "{field}: {old_d} → {new_d}");
            moved += usize::from(off > 0);
        }
        assert!(date(&a["due_date"]) >= date(&a["start_date"]));
    }
    // Steps are moved too.
    assert!(r.body["dates_moved"].as_u64().unwrap() as usize >= moved);
    assert!(moved > 0, "some dates fell on days off");
    // 31/12/2023 → 31/12/2024 (a Tuesday) and 1/5/2023 → 1/5/2024 (Labour Day: a day off).
    let may_day = copied.iter().position(|t| t["start_date"] == "2023-05-01");
    if let Some(i) = may_day {
        assert_ne!(after[i]["start_date"], "2024-05-01", "Labour Day is not a working day");
    }
    // No report came along.
    let reps = app.get(&format!("/api/v1/tasks/{continued}/reports"), Some(&bdh));
    assert_eq!(reps.status, 200);
    assert_eq!(reps.body.as_array().map_or(0, Vec::len), 0, "{}", reps.text);
    let detail = app.get(&format!("/api/v1/tasks/{continued}"), Some(&bdh));
    assert!(detail.body["description"].as_str().unwrap().contains("Tiếp tục nhiệm vụ chưa hoàn thành"));

    // The lineage both ways.
    let l = app.get(&format!("/api/v1/plans/{new}/lineage"), Some(&thon));
    assert_eq!(l.status, 200);
    assert_eq!(l.body["rolled_from"], old);
    assert_eq!(l.body["continuations"], json!([{ "task_id": continued, "continues_task_id": going }]));
    let l = app.get(&format!("/api/v1/plans/{old}/lineage"), Some(&bdh));
    assert_eq!(l.body["rolled_into"], new);

    // The old plan is read-only: no report, no change on its tasks.
    let r = report(app, &bdh, going, "Báo cáo muộn cho năm cũ", "60", &[]);
    assert_eq!((r.status, r.body["code"].as_str()), (409, Some("plan_closed")), "{:?}", r.body);
    let r = app.patch(&format!("/api/v1/tasks/{going}"), Some(&bdh), json!({ "progress": 60 }));
    assert_eq!((r.status, r.code()), (409, "plan_closed"), "{}", r.text);
    assert_eq!(app.get(&format!("/api/v1/tasks/{going}"), Some(&bdh)).body["progress"], 40);
    // Once only; the old plan cannot be reopened.
    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({}));
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "plan_already_rolled_over");
    let r = app.patch(&format!("/api/v1/plans/{old}"), Some(&bdh), json!({ "status": "active" }));
    assert_eq!(r.status, 409, "{}", r.text);
    // Another commune cannot see it.
    let admin2 = app.second_commune();
    assert_eq!(app.get(&format!("/api/v1/plans/{new}/lineage"), Some(&admin2.token)).status, 404);
    assert_eq!(app.post(&format!("/api/v1/plans/{new}/roll-over"), Some(&admin2.token), json!({})).status, 404);
}

both_engines!(rolls_a_plan_over_to_the_next_year, a_one_day_step_on_a_day_off_moves_whole);

/// The demo plan's step 2 is one day, 26/4: in 2026 a Sunday. Rolled over, it starts and falls
/// due on the same working day after it, never due before it starts (it read "28/04 – 24/04").
fn a_one_day_step_on_a_day_off_moves_whole(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let old = demo_plan(app, &bdh);
    let r = app.post(&format!("/api/v1/plans/{old}/roll-over"), Some(&bdh), json!({ "year": 2026 }));
    assert_eq!(r.status, 201, "{}", r.text);
    let new = r.body["plan_id"].as_i64().unwrap();
    let p = app.get(&format!("/api/v1/plans/{new}"), Some(&bdh));
    let steps = p.body["steps"].as_array().expect("steps");
    for s in steps {
        if let (Some(start), Some(due)) = (s["start_date"].as_str(), s["due_date"].as_str()) {
            assert!(start <= due, "step {} from {start} to {due}", s["title"]);
        }
    }
    let launch = steps.iter().find(|s| s["title"].as_str().is_some_and(|t| t.starts_with("Ra mắt"))).expect("step 2");
    let (start, due) = (date(&launch["start_date"]), date(&launch["due_date"]));
    assert_eq!(start, due, "a one-day step stays one day");
    assert!(start > NaiveDate::from_ymd_opt(2026, 4, 26).unwrap(), "moved to a working day after the Sunday: {start}");
    assert!(!matches!(start.weekday(), Weekday::Sat | Weekday::Sun));
}
