//! The national export (HoSoDongBoDVC): fields, masking per caller, CSV and JSON,
//! idempotence, and the round trip — the March 2025 fixture exported, imported into an empty
//! commune of a fresh database, gives the same indicators.

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::{Engine, TestApp};
use crate::indicators::{fixture, march};
use crate::integration::issue;

const PERIOD: &str = "from=2025-03-01&to=2025-03-31";
/// Every dossier the March figures read: D7 was received in February and resolved in March.
const WHOLE: &str = "from=2025-02-01&to=2025-04-30";

/// A one-stop officer (ubnd: may import and read personal data) of Xuân Bình.
fn officer(app: &TestApp, admin: &str) -> String {
    let units = app.get("/api/v1/units?per_page=100", Some(admin));
    let unit = units.body["items"][0]["id"].as_i64().unwrap();
    let r = app.post(
        "/api/v1/users",
        Some(admin),
        json!({ "username": "xb_motcua", "full_name": "Cán bộ một cửa Xuân Bình", "role": "ubnd", "unit_id": unit, "password": "mot-cua-xuan-binh-2025" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    app.login_with("xb_motcua", "mot-cua-xuan-binh-2025").token
}

fn bytes(app: &TestApp, path: &str, token: &str) -> (u16, String, Vec<u8>) {
    let r = app.client.get(app.url(path)).bearer_auth(token).send().unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ct, r.bytes().unwrap().to_vec())
}

fn import(app: &TestApp, token: &str, csv: &[u8]) -> Value {
    let r = app.post_file("/api/v1/onestop/import", token, "file", "HoSoDongBoDVC.csv", csv);
    assert_eq!(r.status, 200, "{}", r.text);
    serde_json::from_str(&r.text).unwrap()
}

/// The indicators without the ids that differ between databases.
fn indicators(app: &TestApp, token: &str, group: &str) -> Value {
    let r = app.get(&format!("/api/v1/onestop/indicators?{PERIOD}{group}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    let mut v = r.body;
    v.as_object_mut().unwrap().remove("communes");
    if let Some(groups) = v["groups"].as_array_mut() {
        for g in groups {
            g.as_object_mut().unwrap().remove("id");
            g.as_object_mut().unwrap().remove("key");
        }
    }
    v
}

fn national_export_round_trip(app: &TestApp) {
    march(app);
    let admin2 = app.login("admin2").token;
    let staff = officer(app, &admin2);

    // JSON with the national names and the events.
    let r = app.get(&format!("/api/v1/onestop/national-export?{PERIOD}"), Some(&staff));
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = r.body["HoSo"].as_array().unwrap();
    // Received in March (by receipt date): D1–D6, D8 (not received, still exported), D10.
    let codes: Vec<&str> = rows.iter().map(|h| h["MaHoSo"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 8, "{codes:?}");
    assert!(!codes.contains(&"XB-D7") && !codes.contains(&"XB-D9"));
    let d2 = rows.iter().find(|h| h["MaHoSo"] == "XB-D2").unwrap();
    assert_eq!(d2["MaTTHC"], "T.1");
    assert_eq!(d2["MaLinhVuc"], "Hộ tịch");
    assert_eq!(d2["KenhThucHien"], 2);
    assert_eq!(d2["TrangThaiHoSo"], 10);
    assert_eq!(d2["NgayTiepNhan"], "20250303140000");
    assert_eq!(d2["NgayHenTra"], "20250306140000");
    assert_eq!(d2["HanXuLy"], "20250310140000", "the pause moved the due time");
    assert_eq!(d2["NgayKetThucXuLy"], "20250310100000");
    assert_eq!(d2["KetQuaDienTu"], 1);
    assert_eq!(d2["ChuHoSo"], "Lê Thị Hồng Nhung");
    let steps: Vec<&str> =
        d2["QuaTrinhXuLy"].as_array().unwrap().iter().map(|e| e["HanhDong"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        ["receive", "start_processing", "request_supplement", "receive_supplement", "resolve", "return_result"]
    );
    assert_eq!(r.body["personal_data_masked"], false);

    // The admin (no personal data) and a key get masked rows; the same period twice is the
    // same document.
    let masked = app.get(&format!("/api/v1/onestop/national-export?{PERIOD}"), Some(&admin2));
    assert_eq!(masked.status, 200, "{}", masked.text);
    assert_eq!(masked.body["personal_data_masked"], true);
    assert!(!masked.text.contains("Hồng Nhung") && !masked.text.contains("0987654321"), "{}", masked.text);
    let (_, key) = issue(
        app,
        &admin2,
        json!({ "name": "Cổng DVC", "owner": "Tỉnh", "kind": "live", "scopes": ["read_dossiers_masked"] }),
    );
    let by_key = app
        .client
        .get(app.url(&format!("/api/v1/onestop/national-export?{PERIOD}")))
        .header("x-api-key", &key)
        .send()
        .unwrap();
    assert_eq!(by_key.status().as_u16(), 200);
    let by_key: Value = by_key.json().unwrap();
    assert_eq!(by_key["HoSo"], masked.body["HoSo"]);
    assert_eq!(app.get(&format!("/api/v1/onestop/national-export?{PERIOD}"), Some(&admin2)).text, masked.text);
    // Bad input is a field error.
    for q in ["from=2025-03-31&to=2025-03-01", "from=2024-01-01&to=2025-03-01", &format!("{PERIOD}&format=xml")] {
        let r = app.get(&format!("/api/v1/onestop/national-export?{q}"), Some(&staff));
        assert_eq!(r.status, 422, "{q}: {}", r.text);
    }

    // CSV of February to April, then the round trip into an empty commune of a fresh database.
    let (status, ct, csv) = bytes(app, &format!("/api/v1/onestop/national-export?{WHOLE}&format=csv"), &staff);
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.starts_with("\u{feff}MaHoSo,MaTTHC,TenTTHC,MaLinhVuc,KenhThucHien,ChuHoSo"), "{text}");
    let engine = if app.db_url.starts_with("sqlite") { Engine::Sqlite } else { Engine::Postgres };
    let other = TestApp::start(engine).expect("a second server");
    fixture(&other);
    let other_admin = other.login("admin2").token;
    let other_staff = officer(&other, &other_admin);
    assert_eq!(
        other.get(&format!("/api/v1/onestop/national-export?{WHOLE}"), Some(&other_staff)).body["HoSo"],
        json!([])
    );
    let first = import(&other, &other_staff, &csv);
    assert_eq!((first["created"].as_i64(), first["unchanged"].as_i64()), (Some(10), Some(0)), "{first}");
    let again = import(&other, &other_staff, &csv);
    assert_eq!((again["created"].as_i64(), again["unchanged"].as_i64()), (Some(0), Some(10)), "idempotent: {again}");
    for group in ["", "&group_by=procedure", "&group_by=field", "&group_by=month"] {
        assert_eq!(
            indicators(&other, &other_staff, group),
            indicators(app, &staff, group),
            "the same indicators after the round trip ({group})"
        );
    }
    // And the same record, bar the officers who handled the steps (the import names itself).
    let strip = |mut v: Value| {
        for h in v["HoSo"].as_array_mut().unwrap() {
            for e in h["QuaTrinhXuLy"].as_array_mut().unwrap() {
                e.as_object_mut().unwrap().remove("NguoiXuLy");
                e.as_object_mut().unwrap().remove("PhongBanXuLy");
            }
        }
        v["HoSo"].take()
    };
    let back = other.get(&format!("/api/v1/onestop/national-export?{WHOLE}"), Some(&other_staff));
    let there = app.get(&format!("/api/v1/onestop/national-export?{WHOLE}"), Some(&staff));
    assert_eq!(strip(back.body), strip(there.body));
}

both_engines!(national_export_round_trip);
