//! Working calendar: lunar conversion, holidays, overrides, hours and deadlines over HTTP.

use serde_json::json;

use crate::both_engines;
use crate::harness::TestApp;

fn lunar_anchors_and_reverse(app: &TestApp) {
    let s = app.login("thon1");
    for (date, year) in [("2023-01-22", 2023), ("2024-02-10", 2024), ("2025-01-29", 2025), ("2026-02-17", 2026)] {
        let r = app.get(&format!("/api/v1/calendar/lunar?date={date}"), Some(&s.token));
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body, json!({ "year": year, "month": 1, "day": 1, "leap_month": false }), "Tết {date}");
        let r = app.get(&format!("/api/v1/calendar/solar?year={year}&month=1&day=1"), Some(&s.token));
        assert_eq!(r.body["date"], date);
    }
    for (date, year) in [("2023-04-29", 2023), ("2024-04-18", 2024), ("2025-04-07", 2025), ("2026-04-26", 2026)] {
        let r = app.get(&format!("/api/v1/calendar/solar?year={year}&month=3&day=10"), Some(&s.token));
        assert_eq!(r.body["date"], date, "Giỗ Tổ {year}");
        let r = app.get(&format!("/api/v1/calendar/lunar?date={date}"), Some(&s.token));
        assert_eq!(r.body["month"], 3);
        assert_eq!(r.body["day"], 10);
    }
    // The leap 2nd month of 2023 and a leap month that does not exist.
    let r = app.get("/api/v1/calendar/lunar?date=2023-03-22", Some(&s.token));
    assert_eq!(r.body, json!({ "year": 2023, "month": 2, "day": 1, "leap_month": true }));
    let r = app.get("/api/v1/calendar/solar?year=2023&month=2&day=1&leap_month=true", Some(&s.token));
    assert_eq!(r.body["date"], "2023-03-22");
    let r = app.get("/api/v1/calendar/solar?year=2024&month=2&day=1&leap_month=true", Some(&s.token));
    assert_eq!(r.status, 422);
    let r = app.get("/api/v1/calendar/lunar?date=2200-01-01", Some(&s.token));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "date");
    let r = app.get("/api/v1/calendar/lunar?date=banana", Some(&s.token));
    assert_eq!(r.status, 422);
    assert_eq!(app.get("/api/v1/calendar/lunar?date=2024-01-01", None).status, 401);
    // Oversight users (no commune) read the national default calendar.
    let tinh = app.login("tinh");
    let r = app.get("/api/v1/calendar/days?from=2025-01-01&to=2025-01-01", Some(&tinh.token));
    assert_eq!(r.status, 200);
    assert_eq!(r.body[0]["working"], false);
    let r = app.get("/api/v1/calendar/hours", Some(&tinh.token));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["current"]["morning_start"], "07:00");
    let r = app.post(
        "/api/v1/calendar/due",
        Some(&tinh.token),
        json!({ "start": "2026-11-30T09:00:00+07:00", "amount": 3, "unit": "working_days" }),
    );
    assert_eq!(r.body["due_at"], "2026-12-03T09:00:00+07:00");
}

fn holidays_and_overrides(app: &TestApp) {
    let admin = app.login("admin");
    let ubnd = app.login("ubnd");
    let r = app.get("/api/v1/calendar/days?from=2025-01-25&to=2025-02-04", Some(&ubnd.token));
    assert_eq!(r.status, 200, "{}", r.text);
    let days = r.body.as_array().unwrap();
    assert_eq!(days.len(), 11);
    let off: Vec<&str> = days.iter().filter(|d| d["working"] == false).map(|d| d["date"].as_str().unwrap()).collect();
    // Tết 2025 as decided (two days before mùng 1): 27/1 to 31/1 with the weekends either side,
    // 25/1 to 2/2; no day in lieu, so Monday 3/2 is a working day.
    assert_eq!(
        off,
        [
            "2025-01-25",
            "2025-01-26",
            "2025-01-27",
            "2025-01-28",
            "2025-01-29",
            "2025-01-30",
            "2025-01-31",
            "2025-02-01",
            "2025-02-02"
        ]
    );
    assert_eq!(days[4]["name"], "Tết Nguyên đán (mùng 1)");
    assert_eq!(days[4]["source"], "holiday");
    assert_eq!(days[4]["provisional"], false);
    assert_eq!(days[4]["lunar"]["day"], 1);
    // National swaps inherited by the commune, with their source: Saturday 26/4/2025 worked,
    // Friday 2/5/2025 off.
    let r = app.get("/api/v1/calendar/days?from=2025-04-26&to=2025-05-02", Some(&ubnd.token));
    let days = r.body.as_array().unwrap();
    assert_eq!(days[0]["working"], true);
    assert_eq!(days[0]["source"], "national");
    assert!(days[0]["basis"].as_str().unwrap().contains("6150/TB-BLĐTBXH"), "{}", days[0]);
    assert_eq!(days[6]["working"], false);
    // Other years: 2/9 and an adjacent day.
    for (from, to, off_days) in [
        ("2024-09-02", "2024-09-03", vec!["2024-09-02", "2024-09-03"]),
        ("2026-09-01", "2026-09-02", vec!["2026-09-01", "2026-09-02"]),
        ("2026-04-26", "2026-04-27", vec!["2026-04-26", "2026-04-27"]),
    ] {
        let r = app.get(&format!("/api/v1/calendar/days?from={from}&to={to}"), Some(&ubnd.token));
        let got: Vec<&str> = r
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["working"] == false)
            .map(|d| d["date"].as_str().unwrap())
            .collect();
        assert_eq!(got, off_days);
    }
    // A commune override: only the admin sets it.
    let body = json!({ "kind": "day_off", "name": "Nghỉ lễ hội truyền thống xã" });
    let r = app.send("PUT", "/api/v1/calendar/overrides/2026-12-07", Some(&ubnd.token), Some(body.clone()));
    assert_eq!(r.status, 403);
    let r = app.send("PUT", "/api/v1/calendar/overrides/2026-12-07", Some(&admin.token), Some(body));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({ "date": "2026-12-07", "kind": "day_off", "name": "Nghỉ lễ hội truyền thống xã", "level": "commune", "source": null })
    );
    let r = app.get("/api/v1/calendar/days?from=2026-12-07&to=2026-12-07", Some(&ubnd.token));
    assert_eq!(r.body[0]["working"], false);
    assert_eq!(r.body[0]["source"], "commune");
    // Other communes and the national default are untouched.
    let admin2 = app.second_commune();
    let r = app.get("/api/v1/calendar/days?from=2026-12-07&to=2026-12-07", Some(&admin2.token));
    assert_eq!(r.body[0]["working"], true);
    // Overriding a national default for this commune only.
    let r = app.send(
        "PUT",
        "/api/v1/calendar/overrides/2025-05-02",
        Some(&admin.token),
        Some(json!({ "kind": "working_day", "name": "Xã làm việc" })),
    );
    assert_eq!(r.status, 200);
    let r = app.get("/api/v1/calendar/days?from=2025-05-02&to=2025-05-02", Some(&ubnd.token));
    assert_eq!(r.body[0]["working"], true);
    let r = app.get("/api/v1/calendar/days?from=2025-05-02&to=2025-05-02", Some(&admin2.token));
    assert_eq!(r.body[0]["working"], false);
    // Delete restores the inherited status; deleting again is 404.
    assert_eq!(app.send("DELETE", "/api/v1/calendar/overrides/2026-12-07", Some(&ubnd.token), None).status, 403);
    assert_eq!(app.send("DELETE", "/api/v1/calendar/overrides/2026-12-07", Some(&admin.token), None).status, 204);
    let r = app.get("/api/v1/calendar/days?from=2026-12-07&to=2026-12-07", Some(&ubnd.token));
    assert_eq!(r.body[0]["working"], true);
    assert_eq!(app.send("DELETE", "/api/v1/calendar/overrides/2026-12-07", Some(&admin.token), None).status, 404);
    // A date or a year in the path that is not one is a field error on it, not "nothing there".
    for path in ["/api/v1/calendar/overrides/2026-13-01", "/api/v1/calendar/overrides/7-12-2026"] {
        let r = app.send("DELETE", path, Some(&admin.token), None);
        assert_eq!(
            (r.status, r.field_errors()),
            (422, vec![("date".to_string(), "invalid_format".to_string())]),
            "{path}"
        );
    }
    let r = app.get("/api/v1/calendar/tet/hai-nghin", Some(&ubnd.token));
    assert_eq!((r.status, r.field_errors()), (422, vec![("year".to_string(), "invalid_format".to_string())]));
    // An id that is not a number still names nothing.
    assert_eq!(app.get("/api/v1/plans/abc", Some(&admin.token)).status, 404);
    // Validation.
    let r = app.send(
        "PUT",
        "/api/v1/calendar/overrides/2026-12-08",
        Some(&admin.token),
        Some(json!({ "kind": "holiday", "name": "x" })),
    );
    assert_eq!(r.status, 422);
    let r = app.send(
        "PUT",
        "/api/v1/calendar/overrides/2026-12-08",
        Some(&admin.token),
        Some(json!({ "kind": "day_off", "name": " " })),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "name");
    let r = app.get("/api/v1/calendar/days?from=2026-01-01&to=2027-12-31", Some(&ubnd.token));
    assert_eq!(r.status, 422);
    // Writes are audited.
    let audit = app.get("/api/v1/audit?entity=calendar_override", Some(&admin.token));
    assert!(audit.text.contains("calendar_override"), "{}", audit.text);
}

fn due(app: &TestApp, token: &str, start: &str, amount: i64, unit: &str) -> String {
    let r = app.post("/api/v1/calendar/due", Some(token), json!({ "start": start, "amount": amount, "unit": unit }));
    assert_eq!(r.status, 200, "{start} + {amount} {unit}: {}", r.text);
    r.body["due_at"].as_str().unwrap().to_string()
}

fn deadline_arithmetic(app: &TestApp) {
    let s = app.login("ubnd");
    let t = &s.token;
    // Monday 30/11/2026 09:00 + 3 working days = Thursday 3/12 09:00.
    assert_eq!(due(app, t, "2026-11-30T09:00:00+07:00", 3, "working_days"), "2026-12-03T09:00:00+07:00");
    // The same instant in UTC.
    assert_eq!(due(app, t, "2026-11-30T02:00:00Z", 3, "working_days"), "2026-12-03T09:00:00+07:00");
    // Before opening: counts from 07:00; a whole day ends at 17:00 the same day.
    assert_eq!(due(app, t, "2026-11-30T06:15:00+07:00", 1, "working_days"), "2026-11-30T17:00:00+07:00");
    // Lunch break: counts from 13:30.
    assert_eq!(due(app, t, "2026-11-30T12:00:00+07:00", 1, "working_days"), "2026-12-01T11:30:00+07:00");
    // After 17:00: counts from the next morning.
    assert_eq!(due(app, t, "2026-11-30T17:30:00+07:00", 2, "working_days"), "2026-12-02T17:00:00+07:00");
    // Over a weekend.
    assert_eq!(due(app, t, "2026-12-04T10:00:00+07:00", 1, "working_days"), "2026-12-07T10:00:00+07:00");
    assert_eq!(due(app, t, "2026-12-05T10:00:00+07:00", 1, "working_days"), "2026-12-07T17:00:00+07:00");
    // Over Tết 2026 (16–20/2, as decided).
    assert_eq!(due(app, t, "2026-02-13T09:00:00+07:00", 3, "working_days"), "2026-02-25T09:00:00+07:00");
    // Working hours, landing exactly at the end of the morning.
    assert_eq!(due(app, t, "2026-11-30T09:30:00+07:00", 2, "working_hours"), "2026-11-30T11:30:00+07:00");
    assert_eq!(due(app, t, "2026-11-30T16:00:00+07:00", 2, "working_hours"), "2026-12-01T08:00:00+07:00");
    // Same day with the 15:00 cut-off.
    assert_eq!(due(app, t, "2026-11-30T15:00:00+07:00", 0, "same_day"), "2026-11-30T17:00:00+07:00");
    assert_eq!(due(app, t, "2026-11-30T15:01:00+07:00", 0, "same_day"), "2026-12-01T17:00:00+07:00");
    let r = app.post(
        "/api/v1/calendar/due",
        Some(t),
        json!({ "start": "2026-11-30T15:30:00+07:00", "amount": 0, "unit": "same_day", "cutoff": "16:00" }),
    );
    assert_eq!(r.body["due_at"], "2026-11-30T17:00:00+07:00");
    // Across an override: Tuesday 1/12 off, Saturday 5/12 worked.
    let admin = app.login("admin");
    for (date, kind) in [("2026-12-01", "day_off"), ("2026-12-05", "working_day")] {
        let r = app.send(
            "PUT",
            &format!("/api/v1/calendar/overrides/{date}"),
            Some(&admin.token),
            Some(json!({ "kind": kind, "name": "Hoán đổi" })),
        );
        assert_eq!(r.status, 200);
    }
    assert_eq!(due(app, t, "2026-11-30T09:00:00+07:00", 3, "working_days"), "2026-12-04T09:00:00+07:00");
    assert_eq!(due(app, t, "2026-12-04T09:00:00+07:00", 1, "working_days"), "2026-12-05T09:00:00+07:00");
    // Validation.
    let r = app.post(
        "/api/v1/calendar/due",
        Some(t),
        json!({ "start": "2026-11-30T09:00:00+07:00", "amount": -1, "unit": "working_days" }),
    );
    assert_eq!(r.status, 422);
    let r = app.post(
        "/api/v1/calendar/due",
        Some(t),
        json!({ "start": "2026-11-30T09:00:00+07:00", "amount": 1, "unit": "days" }),
    );
    assert_eq!(r.status, 422);
    let r = app.post(
        "/api/v1/calendar/due",
        Some(t),
        json!({ "start": "30/11/2026", "amount": 1, "unit": "working_days" }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "start");
}

fn working_hours_with_effective_dates(app: &TestApp) {
    let admin = app.login("admin");
    let ubnd = app.login("ubnd");
    let r = app.get("/api/v1/calendar/hours", Some(&ubnd.token));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["current"]["morning_start"], "07:00");
    assert_eq!(r.body["current"]["afternoon_end"], "17:00");
    assert_eq!(r.body["entries"], json!([]));
    // Summer hours from the first Tuesday of next March (no holiday near: Tết is over by then),
    // so the Monday before keeps the hours in force.
    let next_year = chrono::Datelike::year(&thanthien::time::today_local()) + 1;
    let march = chrono::NaiveDate::from_ymd_opt(next_year, 3, 1).unwrap();
    let monday =
        march + chrono::Duration::days(i64::from((7 - chrono::Datelike::weekday(&march).num_days_from_monday()) % 7));
    let tuesday = monday + chrono::Duration::days(1);
    let summer = json!({ "effective_from": tuesday, "morning_start": "07:00", "morning_end": "11:30",
        "afternoon_start": "14:00", "afternoon_end": "17:30" });
    assert_eq!(app.send("PUT", "/api/v1/calendar/hours", Some(&ubnd.token), Some(summer.clone())).status, 403);
    let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(summer.clone()));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["entries"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["current"]["afternoon_end"], "17:00", "not yet in force");
    // Deadlines follow the hours in force on each day.
    assert_eq!(
        due(app, &ubnd.token, &format!("{monday}T06:00:00+07:00"), 1, "working_days"),
        format!("{monday}T17:00:00+07:00")
    );
    assert_eq!(
        due(app, &ubnd.token, &format!("{tuesday}T06:00:00+07:00"), 1, "working_days"),
        format!("{tuesday}T17:30:00+07:00")
    );
    assert_eq!(
        due(app, &ubnd.token, &format!("{tuesday}T12:00:00+07:00"), 1, "working_hours"),
        format!("{tuesday}T15:00:00+07:00")
    );
    // Days gone by keep their hours: an entry dated yesterday is refused.
    let today = thanthien::time::today_local();
    let mut back = summer.clone();
    back["effective_from"] = json!(today - chrono::Duration::days(1));
    let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(back));
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (422, Some("effective_from"), Some("in_past")),
        "{}",
        r.text
    );
    let bad = json!({ "effective_from": tuesday + chrono::Duration::days(30), "morning_start": "11:00", "morning_end": "07:00",
        "afternoon_start": "13:30", "afternoon_end": "25:00" });
    let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(bad));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "afternoon_end");
    // Times out of order: the first one out of order is blamed.
    for (times, field) in [
        (["11:00", "07:30", "13:30", "17:00"], "morning_end"),
        (["07:00", "14:00", "13:30", "17:00"], "afternoon_start"),
        (["07:00", "11:30", "13:30", "12:00"], "afternoon_end"),
    ] {
        let bad = json!({ "effective_from": tuesday + chrono::Duration::days(30), "morning_start": times[0], "morning_end": times[1],
            "afternoon_start": times[2], "afternoon_end": times[3] });
        let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(bad));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some(field)), "{times:?}: {}", r.text);
    }
}

/// The days off among `[from, to]` of the caller's calendar.
fn off(app: &TestApp, token: &str, from: &str, to: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/calendar/days?from={from}&to={to}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["working"] == false)
        .map(|d| d["date"].as_str().unwrap().to_string())
        .collect()
}

fn dates(from: &str, to: &str) -> Vec<String> {
    let (a, b) = (from.parse::<chrono::NaiveDate>().unwrap(), to.parse::<chrono::NaiveDate>().unwrap());
    a.iter_days().take_while(|d| *d <= b).map(|d| d.to_string()).collect()
}

fn decided_years_out_of_the_box(app: &TestApp) {
    let s = app.login("ubnd");
    let t = &s.token;
    // Tết as each year's decision has it (weekends and days in lieu included); the old
    // generator (one day before, four after, every year) had 9–15/2/2024 and 28/1–3/2/2025.
    assert_eq!(off(app, t, "2024-02-05", "2024-02-16"), dates("2024-02-08", "2024-02-14"));
    assert_eq!(off(app, t, "2026-02-13", "2026-02-23"), dates("2026-02-14", "2026-02-22"));
    assert_eq!(off(app, t, "2023-01-18", "2023-01-27"), dates("2023-01-20", "2023-01-26"));
    assert_eq!(off(app, t, "2022-01-27", "2022-02-07"), dates("2022-01-29", "2022-02-06"));
    // The decided swaps: 2025-05-02 off for Saturday 26/4; 2024-04-29 for Saturday 4/5;
    // 2026-01-02 for Saturday 10/1; 2026-08-31 for Saturday 22/8.
    for (off_day, worked) in [
        ("2025-05-02", "2025-04-26"),
        ("2024-04-29", "2024-05-04"),
        ("2026-01-02", "2026-01-10"),
        ("2026-08-31", "2026-08-22"),
    ] {
        let r = app.get(&format!("/api/v1/calendar/days?from={off_day}&to={off_day}"), Some(t));
        assert_eq!(r.body[0]["working"], false, "{off_day}");
        assert_eq!(r.body[0]["source"], "national");
        let r = app.get(&format!("/api/v1/calendar/days?from={worked}&to={worked}"), Some(t));
        assert_eq!(r.body[0]["working"], true, "{worked}");
        assert!(!r.body[0]["basis"].as_str().unwrap().is_empty());
    }
    // 24/11 (Ngày Văn hóa Việt Nam) from 2026 only.
    let r = app.get("/api/v1/calendar/days?from=2026-11-24&to=2026-11-24", Some(t));
    assert_eq!(r.body[0]["working"], false);
    assert_eq!(r.body[0]["name"], "Ngày Văn hóa Việt Nam (24/11)");
    assert_eq!(r.body[0]["source"], "holiday");
    assert!(off(app, t, "2025-11-24", "2025-11-24").is_empty());
    // A deadline across Tết 2024: Wednesday 7/2 09:00 + 2 working days = Friday 16/2 09:00
    // (15/2 is a working day now).
    assert_eq!(due(app, t, "2024-02-07T09:00:00+07:00", 2, "working_days"), "2024-02-16T09:00:00+07:00");
    // Decided years say where the split comes from; a year without a decision is provisional.
    let r = app.get("/api/v1/calendar/tet/2024", Some(t));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["new_year"], "2024-02-10");
    assert_eq!((r.body["days_before"].as_i64(), r.body["days_after"].as_i64()), (Some(2), Some(3)));
    assert_eq!(r.body["provisional"], false);
    let r = app.get("/api/v1/calendar/tet/2026", Some(t));
    assert_eq!((r.body["days_before"].as_i64(), r.body["days_after"].as_i64()), (Some(1), Some(4)));
    let r = app.get("/api/v1/calendar/tet/2028", Some(t));
    assert_eq!(
        r.body,
        json!({ "year": 2028, "new_year": "2028-01-26", "days_before": 2, "days_after": 3,
        "provisional": true, "source": null })
    );
    assert_eq!(app.get("/api/v1/calendar/tet/2300", Some(t)).status, 422);
    let r = app.get("/api/v1/calendar/days?from=2028-01-21&to=2028-01-31", Some(t));
    let provisional: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["provisional"] == true)
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(provisional, ["2028-01-24", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28"]);
    // The rules the server reads are the shipped ones (the engine's copy for tests matches).
    let r = app.get("/api/v1/calendar/rules", Some(t));
    assert_eq!(r.status, 200);
    let shipped = thanthien::calendar::engine::Rules::shipped();
    let rules = r.body.as_array().unwrap();
    assert_eq!(rules.len(), shipped.holidays.len());
    for (got, want) in rules.iter().zip(&shipped.holidays) {
        assert_eq!(got["name"], want.name.as_str());
        assert_eq!(got["valid_from"], want.valid_from.to_string());
        assert!(!got["source"].as_str().unwrap().is_empty());
    }
    assert_eq!(rules[7]["valid_from"], "2026-01-01");
    for y in 2019..=2027 {
        let r = app.get(&format!("/api/v1/calendar/tet/{y}"), Some(t));
        let want = shipped.tet.iter().find(|d| d.year == y).unwrap().days_before;
        assert_eq!(r.body["days_before"], want, "{y}");
        assert!(!r.body["source"].as_str().unwrap().is_empty());
    }
}

/// An oversight account of the national authority: a national calendar administrator.
fn national_admin(app: &TestApp) -> String {
    use thanthien::org::model::{NewAuthority, NewUser, Role};
    let hash = thanthien::auth::password::hash_password(crate::harness::DEMO_PASSWORD).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let mut c = app.conn();
    let nation = thanthien::org::repo::insert_authority(
        &mut c,
        &NewAuthority {
            parent_id: None,
            name: "Trung ương",
            level: "national",
            code: None,
            dissolved_on: None,
            created_at: now,
        },
    )
    .unwrap();
    thanthien::org::repo::insert_user(
        &mut c,
        &NewUser {
            authority_id: Some(nation.id),
            ..NewUser::new("quocgia", "Quản trị lịch quốc gia", &hash, Role::Oversight, now)
        },
    )
    .unwrap();
    app.login("quocgia").token
}

fn national_and_provincial_overrides(app: &TestApp) {
    let admin = app.login("admin");
    let ubnd = app.login("ubnd");
    let tinh = app.login("tinh");
    let nation = national_admin(app);
    let body = |name: &str| json!({ "kind": "day_off", "name": name, "source": "Quyết định thử nghiệm" });
    // Commune staff and the commune admin cannot set a default override.
    for token in [&admin.token, &ubnd.token] {
        let r = app.send("PUT", "/api/v1/calendar/default-overrides/2027-03-01", Some(token), Some(body("x")));
        assert_eq!(r.status, 403, "{}", r.text);
    }
    // The province (Thanh Hóa) sets Monday 1/3/2027 off; the nation sets Tuesday 2/3/2027 off
    // and Monday 1/3 worked (the province wins there).
    let r =
        app.send("PUT", "/api/v1/calendar/default-overrides/2027-03-01", Some(&tinh.token), Some(body("Lễ hội tỉnh")));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["level"], "provincial");
    let r =
        app.send("PUT", "/api/v1/calendar/default-overrides/2027-03-02", Some(&nation), Some(body("Nghỉ toàn quốc")));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["level"], "national");
    let r = app.send(
        "PUT",
        "/api/v1/calendar/default-overrides/2027-03-01",
        Some(&nation),
        Some(json!({ "kind": "working_day", "name": "Làm việc", "source": "Quyết định thử nghiệm" })),
    );
    assert_eq!(r.status, 200);
    // The commune sees both, with their level; its own override of 2/3 wins over the nation.
    let r = app.send(
        "PUT",
        "/api/v1/calendar/overrides/2027-03-02",
        Some(&admin.token),
        Some(json!({ "kind": "working_day", "name": "Xã làm việc" })),
    );
    assert_eq!(r.status, 200);
    let r = app.get("/api/v1/calendar/days?from=2027-03-01&to=2027-03-02", Some(&ubnd.token));
    assert_eq!(r.body[0]["working"], false, "the province wins over the nation");
    assert_eq!(r.body[0]["source"], "provincial");
    assert_eq!(r.body[0]["basis"], "Quyết định thử nghiệm");
    assert_eq!(r.body[1]["working"], true, "the commune wins over the nation");
    assert_eq!(r.body[1]["source"], "commune");
    let r = app.get("/api/v1/calendar/overrides?from=2027-03-01&to=2027-03-02", Some(&ubnd.token));
    assert_eq!(r.status, 200, "{}", r.text);
    let levels: Vec<(&str, &str)> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["date"].as_str().unwrap(), o["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("2027-03-01", "provincial"),
            ("2027-03-01", "national"),
            ("2027-03-02", "national"),
            ("2027-03-02", "commune")
        ]
    );
    // The shipped national overrides are in the list with their level and source.
    let r = app.get("/api/v1/calendar/overrides?from=2025-04-26&to=2025-05-02", Some(&ubnd.token));
    assert_eq!(r.body[0]["level"], "national");
    assert!(r.body[0]["source"].as_str().unwrap().contains("TB-BLĐTBXH"));
    // A commune of another province gets the national level only.
    let mut c = app.conn();
    let other = thanthien::org::service::create_admin(
        &mut c,
        "Nghệ An",
        "Xã Khác",
        "admin3",
        "Quản trị xã khác",
        &thanthien::auth::password::hash_password(crate::harness::DEMO_PASSWORD).unwrap(),
    );
    assert!(other.is_ok());
    drop(c);
    let a3 = app.login("admin3");
    let r = app.get("/api/v1/calendar/days?from=2027-03-01&to=2027-03-02", Some(&a3.token));
    assert_eq!(r.body[0]["working"], true, "the nation's working day; Thanh Hóa's day off is not Nghệ An's");
    assert_eq!(r.body[0]["source"], "national");
    assert_eq!(r.body[1]["working"], false);
    // The province's own staff read the province's calendar.
    let r = app.get("/api/v1/calendar/days?from=2027-03-01&to=2027-03-01", Some(&tinh.token));
    assert_eq!(r.body[0]["source"], "provincial");
    // Deleting at one's level; the level below is untouched; again is 404.
    assert_eq!(
        app.send("DELETE", "/api/v1/calendar/default-overrides/2027-03-01", Some(&tinh.token), None).status,
        204
    );
    assert_eq!(
        app.send("DELETE", "/api/v1/calendar/default-overrides/2027-03-01", Some(&tinh.token), None).status,
        404
    );
    let r = app.get("/api/v1/calendar/days?from=2027-03-01&to=2027-03-01", Some(&ubnd.token));
    assert_eq!((r.body[0]["working"].as_bool(), r.body[0]["source"].as_str()), (Some(true), Some("national")));
    assert_eq!(
        app.send("DELETE", "/api/v1/calendar/default-overrides/2027-03-01", Some(&admin.token), None).status,
        403
    );
    // Validation: a source is required.
    let r = app.send(
        "PUT",
        "/api/v1/calendar/default-overrides/2027-03-03",
        Some(&nation),
        Some(json!({ "kind": "day_off", "name": "x", "source": " " })),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "source");
    // Only the nation enters a Tết decision; it ends the provisional default.
    let decision = json!({ "days_before": 1, "source": "Quyết định thử nghiệm năm 2028" });
    assert_eq!(app.send("PUT", "/api/v1/calendar/tet/2028", Some(&tinh.token), Some(decision.clone())).status, 403);
    assert_eq!(app.send("PUT", "/api/v1/calendar/tet/2028", Some(&admin.token), Some(decision.clone())).status, 403);
    let r = app.send("PUT", "/api/v1/calendar/tet/2028", Some(&nation), Some(decision));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["provisional"], false);
    assert_eq!(r.body["days_after"], 4);
    let r = app.get("/api/v1/calendar/days?from=2028-01-24&to=2028-01-24", Some(&ubnd.token));
    assert_eq!((r.body[0]["working"].as_bool(), r.body[0]["provisional"].as_bool()), (Some(true), Some(false)));
    assert!(off(app, &ubnd.token, "2028-01-31", "2028-01-31").len() == 1, "29/1 (Saturday) gives 31/1 in lieu");
    let r =
        app.send("PUT", "/api/v1/calendar/tet/2028", Some(&nation), Some(json!({ "days_before": 6, "source": "x" })));
    assert_eq!(r.status, 422);
    // Every write is audited, with its level.
    let audit = app.get("/api/v1/audit?entity=calendar_override&per_page=100", Some(&admin.token));
    assert!(audit.text.contains("\"commune\""), "{}", audit.text);
    let mut c = app.conn();
    let entries = thanthien::audit::repo::verify_all(&mut c).unwrap();
    assert!(entries.is_ok());
    use diesel::prelude::*;
    use thanthien::db::schema::audit_log;
    let summaries: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq_any(["calendar_override", "calendar_tet_decision"]))
        .select(audit_log::summary)
        .load(&mut c)
        .unwrap();
    for level in ["\"provincial\"", "\"national\"", "\"commune\"", "\"days_before\":1"] {
        assert!(summaries.iter().any(|s| s.contains(level)), "no audit entry with {level}: {summaries:?}");
    }
}

fn calendar_days_unit(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let t = &ubnd.token;
    // Monday 2/11/2026 10:00 + 10 calendar days = Thursday 12/11 17:00.
    assert_eq!(due(app, t, "2026-11-02T10:00:00+07:00", 10, "calendar_days"), "2026-11-12T17:00:00+07:00");
    // The last day on Saturday 14/11 moves to Monday 16/11; on 24/11/2026 (a holiday) to 25/11.
    assert_eq!(due(app, t, "2026-11-07T09:00:00+07:00", 7, "calendar_days"), "2026-11-16T17:00:00+07:00");
    assert_eq!(due(app, t, "2026-11-14T09:00:00+07:00", 10, "calendar_days"), "2026-11-25T17:00:00+07:00");
    let r = app.post(
        "/api/v1/calendar/due",
        Some(t),
        json!({ "start": "2026-11-02T10:00:00+07:00", "amount": 0, "unit": "calendar_days" }),
    );
    assert_eq!(r.status, 422);
    // A procedure of the catalogue may count calendar days; its dossiers are due accordingly.
    let body = json!({ "code": "9.000030", "name": "Giải quyết khiếu nại lần đầu (thử)", "field": "Khiếu nại",
        "limit_amount": 30, "limit_unit": "calendar_days", "online_level": "none" });
    let r = app.post("/api/v1/procedures", Some(t), body);
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["limit_unit"], "calendar_days");
    let bad = json!({ "code": "9.000031", "name": "Thử", "field": "Khác", "limit_amount": 0,
        "limit_unit": "calendar_days", "online_level": "none" });
    let r = app.post("/api/v1/procedures", Some(t), bad);
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "limit_amount");
}

both_engines!(
    decided_years_out_of_the_box,
    national_and_provincial_overrides,
    calendar_days_unit,
    lunar_anchors_and_reverse,
    holidays_and_overrides,
    deadline_arithmetic,
    working_hours_with_effective_dates
);
