//! The living demo (`serve --demo`): seeded as of a fixed day, so what it
//! shows does not depend on the day the test runs.

use chrono::NaiveDate;
use serde_json::Value;

use crate::both_engines;
use crate::harness::TestApp;
use crate::plans::get_raw;

/// The plan of `year` made by the living demo (the seeded 2023 plan, or this year's roll-over).
fn plan_of(app: &TestApp, token: &str, year: i32) -> i64 {
    let r = app.get(&format!("/api/v1/plans?year={year}&per_page=200"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "one plan of {year}: {}", r.text);
    items[0]["id"].as_i64().unwrap()
}

/// Every task of a plan with its detail (reports and their attachments).
fn task_details(app: &TestApp, token: &str, plan: i64) -> Vec<Value> {
    let list = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(token));
    assert_eq!(list.status, 200, "{}", list.text);
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let d = app.get(&format!("/api/v1/tasks/{}", t["id"]), Some(token));
            assert_eq!(d.status, 200, "{}", d.text);
            d.body
        })
        .collect()
}

/// The attachment URLs of a task's reports.
fn photos(task: &Value) -> Vec<String> {
    task["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["attachments"].as_array().unwrap().iter())
        .map(|a| a["url"].as_str().unwrap().to_string())
        .collect()
}

/// A photo downloads as a small JPEG (its bytes, not only its declared type).
fn assert_jpeg(app: &TestApp, token: &str, url: &str) {
    let f = get_raw(app, url, token);
    assert_eq!(f.status, 200, "{url}");
    assert_eq!(f.content_type, "image/jpeg");
    assert!(f.bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "{url} is not a JPEG");
    assert!(f.bytes.len() <= 25 * 1024, "{url}: {} bytes", f.bytes.len());
}

fn living_demo_reports_carry_photos(app: &TestApp) {
    let now = NaiveDate::from_ymd_opt(2026, 9, 15).unwrap().and_hms_opt(3, 0, 0).unwrap();
    let seed = || thanthien::demo::living::seed(&mut app.conn(), app.state.blobs.as_ref(), now).unwrap();
    let first = seed();
    assert!(first.plan.is_some());
    // The latest village relay and the latest activity got a photo each.
    assert_eq!(first.democracy_photos, 2);
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    let mut counts = Vec::new();
    for year in [2023, 2026] {
        let plan = plan_of(app, &bdh, year);
        let tasks = task_details(app, &bdh, plan);
        let with_photo: Vec<&Value> = tasks.iter().filter(|t| !photos(t).is_empty()).collect();
        assert!((4..=5).contains(&with_photo.len()), "{year}: {} tasks with a photo", with_photo.len());
        counts.push(tasks.iter().map(|t| photos(t).len()).sum::<usize>());
        for t in &with_photo {
            assert_jpeg(app, &bdh, &photos(t)[0]);
        }
        // The village head's own task: their report carries the photo, and they can open it.
        let village = tasks.iter().find(|t| t["title"].as_str().unwrap().starts_with("Thôn 1:")).unwrap();
        let report = village["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| !r["attachments"].as_array().unwrap().is_empty())
            .unwrap_or_else(|| panic!("{year}: the village task has no photo"));
        assert_eq!(report["author_name"], "Trưởng thôn 1 (demo)");
        assert_jpeg(app, &thon1, report["attachments"][0]["url"].as_str().unwrap());
    }
    // A second run adds nothing: no plan, no report, no photo twice.
    let again = seed();
    assert_eq!((again.plan, again.dossiers, again.democracy_photos), (None, 0, 0));
    for (year, before) in [2023, 2026].into_iter().zip(counts) {
        let plan = plan_of(app, &bdh, year);
        let after: usize = task_details(app, &bdh, plan).iter().map(|t| photos(t).len()).sum();
        assert_eq!(after, before, "{year}");
    }
}

both_engines!(living_demo_reports_carry_photos);
