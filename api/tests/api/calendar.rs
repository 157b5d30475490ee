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
    let r = app.get("/api/v1/calendar/days?from=2025-01-27&to=2025-02-04", Some(&ubnd.token));
    assert_eq!(r.status, 200, "{}", r.text);
    let days = r.body.as_array().unwrap();
    assert_eq!(days.len(), 9);
    let off: Vec<&str> = days.iter().filter(|d| d["working"] == false).map(|d| d["date"].as_str().unwrap()).collect();
    // Tết 2025: 28/1 (eve) to 1/2 (mùng 4, Saturday), Sunday 2/2, a day in lieu on Monday 3/2.
    assert_eq!(off, ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03"]);
    assert_eq!(days[2]["name"], "Tết Nguyên đán (mùng 1)");
    assert_eq!(days[2]["source"], "holiday");
    assert_eq!(days[2]["lunar"]["day"], 1);
    // National swaps inherited by the commune: Saturday 26/4/2025 worked, Friday 2/5/2025 off.
    let r = app.get("/api/v1/calendar/days?from=2025-04-26&to=2025-05-02", Some(&ubnd.token));
    let days = r.body.as_array().unwrap();
    assert_eq!(days[0]["working"], true);
    assert_eq!(days[0]["source"], "national");
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
    assert_eq!(r.body, json!({ "date": "2026-12-07", "kind": "day_off", "name": "Nghỉ lễ hội truyền thống xã" }));
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
    // Over Tết 2026 (16–20/2).
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
    let summer = json!({ "effective_from": "2027-04-01", "morning_start": "07:00", "morning_end": "11:30",
        "afternoon_start": "14:00", "afternoon_end": "17:30" });
    assert_eq!(app.send("PUT", "/api/v1/calendar/hours", Some(&ubnd.token), Some(summer.clone())).status, 403);
    let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(summer));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["entries"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["current"]["afternoon_end"], "17:00", "not yet in force");
    // Deadlines follow the hours in force on each day.
    assert_eq!(due(app, &ubnd.token, "2027-03-31T06:00:00+07:00", 1, "working_days"), "2027-03-31T17:00:00+07:00");
    assert_eq!(due(app, &ubnd.token, "2027-04-01T06:00:00+07:00", 1, "working_days"), "2027-04-01T17:30:00+07:00");
    assert_eq!(due(app, &ubnd.token, "2027-04-01T12:00:00+07:00", 1, "working_hours"), "2027-04-01T15:00:00+07:00");
    let bad = json!({ "effective_from": "2027-05-01", "morning_start": "11:00", "morning_end": "07:00",
        "afternoon_start": "13:30", "afternoon_end": "25:00" });
    let r = app.send("PUT", "/api/v1/calendar/hours", Some(&admin.token), Some(bad));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "afternoon_end");
}

both_engines!(
    lunar_anchors_and_reverse,
    holidays_and_overrides,
    deadline_arithmetic,
    working_hours_with_effective_dates
);
