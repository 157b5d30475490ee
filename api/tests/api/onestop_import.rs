//! Import of the province one-stop exports (CSV with and without BOM, semicolons, XLSX from
//! our writer and from LibreOffice), idempotence, row errors, refused files, permissions, and
//! the register export with and without personal data.

use diesel::prelude::*;
use serde_json::{Value, json};
use thanthien::db::schema::{audit_log, dossier_events, dossiers};
use thanthien::tabular::{self, Cell};

use crate::both_engines;
use crate::harness::{TestApp, multipart_file};

/// A raw response: status, JSON body if any, bytes, headers.
struct Raw {
    status: u16,
    body: Value,
    bytes: Vec<u8>,
    headers: reqwest::header::HeaderMap,
}

impl Raw {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn raw(r: reqwest::blocking::Response) -> Raw {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().map(|b| b.to_vec()).unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Raw { status, body, bytes, headers }
}

/// Posts `bytes` as the multipart field `file`.
fn import(app: &TestApp, token: &str, file_name: &str, bytes: &[u8]) -> Raw {
    let (content_type, body) = multipart_file("file", file_name, bytes);
    raw(app
        .client
        .post(app.url("/api/v1/onestop/import"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .expect("request"))
}

fn ok_import(app: &TestApp, token: &str, bytes: &[u8]) -> Value {
    let r = import(app, token, "xuat-tu-tinh.csv", bytes);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.bytes));
    r.body
}

fn dossier_count(app: &TestApp) -> i64 {
    dossiers::table.count().get_result(&mut *app.conn()).unwrap()
}

fn event_count(app: &TestApp) -> i64 {
    dossier_events::table.count().get_result(&mut *app.conn()).unwrap()
}

/// The detail of a dossier found by its code.
fn dossier(app: &TestApp, token: &str, code: &str) -> Value {
    let r = app.get(&format!("/api/v1/dossiers?q={code}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["id"].as_i64())
        .unwrap_or_else(|| panic!("{code} not found: {}", r.text));
    let r = app.get(&format!("/api/v1/dossiers/{id}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn actions(d: &Value) -> Vec<String> {
    d["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

const HEADER: &str = "MaHoSo,MaTTHC,TenTTHC,KenhThucHien,ngaytiepnhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,\
DuocThanhToanTrucTuyen,HoSoCoThanhPhanSoHoa,ChuHoSo,SoDienThoai,SoDinhDanh,DiaChi,KetQuaDienTu,SoLanYeuCauBoSung,GhiChu";

/// Five dossiers of November 2025 (Monday 3 is a working day), one per kind of ending.
fn good_rows() -> Vec<String> {
    [
        // Same-day procedure, resolved and returned the day it came: on time (not early: same day).
        "T-0001,1.001193,Đăng ký khai sinh,2,20251103080000,20251103170000,20251103100000,20251103150000,10,1,1,Nguyễn Văn Hưởng,0912 345 678,038090001234,\"Thôn 3, xã Bình Lương\",1,0,bỏ qua",
        // Two working days, resolved the day after the appointment: late.
        "T-0002,2.001035,Chứng thực hợp đồng,1,04/11/2025 14:00,06/11/2025 14:00,07/11/2025 09:00,07/11/2025 10:00,10,2,0,Trần Thị Ngọc Ánh,0987654321,,Thôn 1,0,1,",
        // Still in progress, past its appointment.
        "T-0003,1.000656,Đăng ký khai tử,,2025-11-05 09:00,2025-11-05 17:00,,,4,0,0,Lê Văn Bình,,,,,,",
        // Refused at intake: no appointment needed.
        "T-0004,2.000815,Chứng thực bản sao,1,20251106090000,,,,3,0,0,Phạm Thị Hoa,,,,,,",
        // Resolved early but after a second supplement request: late.
        "t-0005,2.001035,,3,20251110080000,20251112170000,20251111160000,,9,false,true,Đỗ Minh Tú,,,,0,2,",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn csv(rows: &[String]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push_str("\r\n");
        s.push_str(r);
    }
    s.push_str("\r\n");
    s
}

fn good_file_imports_with_derived_columns_and_events(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let before = dossier_count(app);
    let body = ok_import(app, &ubnd.token, csv(&good_rows()).as_bytes());
    assert_eq!(body, json!({ "rows": 5, "created": 5, "updated": 0, "unchanged": 0 }));
    assert_eq!(dossier_count(app), before + 5);

    let d = dossier(app, &ubnd.token, "T-0001");
    assert_eq!(d["procedure_code"], "1.001193");
    assert_eq!(d["channel"], 2);
    assert_eq!(d["status"], 10);
    assert_eq!(d["received_at"], "2025-11-03T08:00:00+07:00");
    assert_eq!(d["appointed_at"], "2025-11-03T17:00:00+07:00");
    assert_eq!(d["due_at"], "2025-11-03T17:00:00+07:00");
    assert_eq!(d["deadline_at"], "2025-11-03T17:00:00+07:00");
    assert_eq!(d["finished_at"], "2025-11-03T10:00:00+07:00");
    assert_eq!(d["returned_at"], "2025-11-03T15:00:00+07:00");
    assert_eq!(d["timeliness"], "on_time");
    assert_eq!(d["flags"]["paid_online"], true);
    assert_eq!(d["flags"]["digitised"], true);
    assert_eq!(d["flags"]["electronic_result"], true);
    assert_eq!(d["applicant"]["name"], "Nguyễn Văn Hưởng");
    assert_eq!(d["applicant"]["phone"], "0912 345 678");
    assert_eq!(d["applicant"]["address"], "Thôn 3, xã Bình Lương");
    assert_eq!(actions(&d), ["receive", "resolve", "return_result"]);
    let e = &d["events"][1];
    assert_eq!(e["user_name"], "Nhập từ hệ thống một cửa tỉnh");
    assert_eq!(e["from_status"], 2);
    assert_eq!(e["to_status"], 9);
    assert_eq!(e["at"], "2025-11-03T10:00:00+07:00");
    assert_eq!(d["events"][2]["at"], "2025-11-03T15:00:00+07:00");
    // Stored: source, creator, working minutes (08:00–10:00).
    let (source, minutes, created_by): (String, Option<i32>, Option<i64>) = dossiers::table
        .filter(dossiers::code.eq("T-0001"))
        .select((dossiers::source, dossiers::processing_minutes, dossiers::created_by))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((source.as_str(), minutes), ("import", Some(120)));
    assert_eq!(created_by, ubnd.user["id"].as_i64());

    let d = dossier(app, &ubnd.token, "T-0002");
    assert_eq!(d["received_at"], "2025-11-04T14:00:00+07:00");
    assert_eq!(d["due_at"], "2025-11-06T14:00:00+07:00");
    assert_eq!(d["timeliness"], "late");
    assert_eq!(d["channel"], 1);
    assert_eq!(d["flags"]["paid_online"], false, "2 means not paid online");
    assert_eq!(d["supplement_requests"], 1);
    let minutes: Option<i32> = dossiers::table
        .filter(dossiers::code.eq("T-0002"))
        .select(dossiers::processing_minutes)
        .first(&mut *app.conn())
        .unwrap();
    // Tue 14:00–17:00 (180) + Wed (480) + Thu (480) + Fri 07:00–09:00 (120).
    assert_eq!(minutes, Some(1260));

    let d = dossier(app, &ubnd.token, "T-0003");
    assert_eq!(d["status"], 4);
    assert_eq!(d["channel"], 1, "channel defaults to in person");
    assert_eq!(d["timeliness"], "open_overdue");
    assert_eq!(d["finished_at"], Value::Null);
    assert_eq!(actions(&d), ["receive"]);

    let d = dossier(app, &ubnd.token, "T-0004");
    assert_eq!(d["status"], 3);
    assert_eq!(d["due_at"], "2025-11-06T09:00:00+07:00");
    assert_eq!(d["finished_at"], "2025-11-06T09:00:00+07:00");
    assert_eq!(d["timeliness"], "on_time");
    assert_eq!(actions(&d), ["receive", "refuse"]);

    // Codes are stored upper-case.
    let d = dossier(app, &ubnd.token, "T-0005");
    assert_eq!(d["status"], 9);
    assert_eq!(d["timeliness"], "late");
    assert_eq!(d["supplement_requests"], 2);
    assert_eq!(d["flags"]["digitised"], true);
    assert_eq!(actions(&d), ["receive", "resolve"]);
    // Imported dossiers are kept up to date by re-importing, not processed here: a local
    // action would replay them without the province's pause history.
    let r = app.post(
        &format!("/api/v1/dossiers/{}/actions", d["id"]),
        Some(&ubnd.token),
        serde_json::json!({ "action": "return_result" }),
    );
    assert_eq!((r.status, r.code()), (409, "imported_dossier"), "{}", r.text);
    assert_eq!(dossier(app, &ubnd.token, "T-0005")["supplement_requests"], 2);

    // One audit entry for the whole file, with its hash.
    let summaries: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq("dossier"))
        .filter(audit_log::action.eq("import"))
        .select(audit_log::summary)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(summaries.len(), 1);
    let s: Value = serde_json::from_str(&summaries[0]).unwrap();
    assert_eq!(s["created"], 5);
    assert_eq!(s["file_name"], "xuat-tu-tinh.csv");
    assert_eq!(s["sha256"].as_str().unwrap().len(), 64);
    assert!(!summaries[0].contains("Nguyễn"), "no personal data in the audit");
}

fn reimport_is_idempotent_and_a_changed_row_updates(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let file = csv(&good_rows());
    ok_import(app, &ubnd.token, file.as_bytes());
    let (count, events) = (dossier_count(app), event_count(app));
    let first = dossier(app, &ubnd.token, "T-0001");
    // The same file again: nothing changes.
    let body = ok_import(app, &ubnd.token, file.as_bytes());
    assert_eq!(body, json!({ "rows": 5, "created": 0, "updated": 0, "unchanged": 5 }));
    assert_eq!((dossier_count(app), event_count(app)), (count, events));
    assert_eq!(dossier(app, &ubnd.token, "T-0001"), first, "ids, events and values kept");
    // T-0003 finished meanwhile; T-0001 has a corrected name.
    let mut rows = good_rows();
    rows[2] =
        "T-0003,1.000656,Đăng ký khai tử,,2025-11-05 09:00,2025-11-05 17:00,05/11/2025 16:00,,9,0,0,Lê Văn Bình,,,,,,"
            .into();
    rows[0] = rows[0].replace("Nguyễn Văn Hưởng", "Nguyễn Văn Hướng");
    let body = ok_import(app, &ubnd.token, csv(&rows).as_bytes());
    assert_eq!(body, json!({ "rows": 5, "created": 0, "updated": 2, "unchanged": 3 }));
    assert_eq!(dossier_count(app), count);
    let d = dossier(app, &ubnd.token, "T-0003");
    assert_eq!(d["status"], 9);
    assert_eq!(d["finished_at"], "2025-11-05T16:00:00+07:00");
    assert_eq!(d["timeliness"], "on_time");
    assert_eq!(actions(&d), ["receive", "resolve"], "synthesized events replaced, not added");
    let d = dossier(app, &ubnd.token, "T-0001");
    assert_eq!(d["id"], first["id"]);
    assert_eq!(d["applicant"]["name"], "Nguyễn Văn Hướng");
    assert_eq!(actions(&d), ["receive", "resolve", "return_result"]);
    assert_eq!(event_count(app), events + 1);
}

fn bad_rows_are_all_listed_and_nothing_is_written(app: &TestApp) {
    let ubnd = app.login("ubnd");
    // A dossier received here: its code cannot be imported over.
    let birth = app.get("/api/v1/procedures?q=1.001193", Some(&ubnd.token)).body["items"][0]["id"].as_i64().unwrap();
    let local = app.post(
        "/api/v1/dossiers",
        Some(&ubnd.token),
        json!({ "procedure_id": birth, "channel": 1, "applicant": { "name": "Hà Văn Sơn", "phone": "0912000111",
            "id_number": "038090009999", "address": "Thôn 2" } }),
    );
    assert_eq!(local.status, 201, "{}", local.text);
    let local_code = local.body["code"].as_str().unwrap().to_string();
    let (count, events) = (dossier_count(app), event_count(app));
    let mut rows = good_rows();
    rows.insert(1, "T-0101,9.999999,Không có,1,20251103080000,20251103170000,,,2,0,0,A,,,,,,".into()); // line 3
    rows.push("T-0102,1.001193,,1,31/02/2025,20251103170000,,,2,0,0,B,,,,,,".into()); // line 8
    rows.push("T-0103,1.001193,,1,20251103080000,20251102170000,,,11,0,0,C,,,,,,".into()); // line 9
    rows.push("T-0001,1.001193,,1,20251103080000,20251103170000,,,2,0,0,D,,,,,,".into()); // line 10
    rows.push(format!("{local_code},1.001193,,1,20251103080000,20251103170000,,,2,0,0,E,,,,,,")); // line 11
    rows.push("T-0104,1.001193,,1,20251103080000,20251103170000,,20251103090000,4,0,0,F,,,,,,".into()); // line 12
    let r = import(app, &ubnd.token, "loi.csv", csv(&rows).as_bytes());
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.bytes));
    assert_eq!(r.body["code"], "validation_failed");
    assert_eq!(r.header("content-type"), "application/problem+json");
    let expected = [
        ("rows[3].MaTTHC", "unknown_procedure"),
        ("rows[8].NgayTiepNhan", "invalid_date"),
        ("rows[9].NgayHenTra", "impossible_sequence"),
        ("rows[9].TrangThaiHoSo", "invalid_status"),
        ("rows[10].MaHoSo", "duplicate_in_file"),
        ("rows[11].MaHoSo", "code_taken"),
        ("rows[12].NgayTra", "impossible_sequence"),
    ];
    let mut got = r.errors();
    got.sort_by_key(|(f, _)| (f[5..f.find(']').unwrap()].parse::<usize>().unwrap(), f.clone()));
    assert_eq!(got, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("danh mục"));
    assert_eq!((dossier_count(app), event_count(app)), (count, events), "nothing written");
    // Past 1,000 errors the list stops, with a count of the rest.
    let many: Vec<String> =
        (0..1200).map(|i| format!("M-{i},1.001193,,1,20251103080000,20251103170000,,,12,0,0,G,,,,,,")).collect();
    let r = import(app, &ubnd.token, "nhieu-loi.csv", csv(&many).as_bytes());
    assert_eq!(r.status, 422);
    let errors = r.errors();
    assert_eq!(errors.len(), 1001);
    assert_eq!(errors[999], ("rows[1001].TrangThaiHoSo".to_string(), "invalid_status".to_string()));
    assert_eq!(errors[1000], ("rows".to_string(), "more_errors".to_string()));
    assert!(r.body["errors"][1000]["message"].as_str().unwrap().contains("200"));
    // A missing required column is named.
    let r = import(
        app,
        &ubnd.token,
        "x.csv",
        "MaHoSo,MaTTHC,NgayTiepNhan,TrangThaiHoSo\nA,1.001193,20251103080000,2\n".as_bytes(),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.errors(), [("header.NgayHenTra".to_string(), "required".to_string())]);
    // Codes are unique within a commune: a code another commune holds is not looked at (and
    // its existence is not revealed); a code this commune received at its own desk is taken.
    ok_import(app, &ubnd.token, csv(&good_rows()).as_bytes());
    let admin2 = app.second_commune();
    let other = admin2.user["commune_id"].as_i64().expect("commune of admin2");
    diesel::update(dossiers::table.filter(dossiers::code.eq("T-0002")))
        .set(dossiers::commune_id.eq(other))
        .execute(&mut *app.conn())
        .unwrap();
    let r = import(app, &ubnd.token, "lai.csv", csv(&good_rows()).as_bytes());
    assert_eq!(r.status, 200, "another commune's T-0002 does not block this one's");
    diesel::update(dossiers::table.filter(dossiers::code.eq("T-0003")))
        .set(dossiers::source.eq("local"))
        .execute(&mut *app.conn())
        .unwrap();
    let (count, events) = (dossier_count(app), event_count(app));
    let r = import(app, &ubnd.token, "lai.csv", csv(&good_rows()).as_bytes());
    assert_eq!(r.status, 422);
    assert_eq!(r.errors(), [("rows[4].MaHoSo".to_string(), "code_taken".to_string())]);
    assert!(!r.body.to_string().contains("xã khác"), "no word of other communes: {}", r.body);
    assert_eq!((dossier_count(app), event_count(app)), (count, events));
}

fn vietnamese_names_survive_with_and_without_bom(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let name = "Nguyễn Thị Ánh Tuyết — Đặng Quốc Việt";
    let row = |code: &str| format!("{code},1.001193,,1,20251103080000,20251103170000,,,2,0,0,{name},,,Xóm Đồi,,,");
    let plain = csv(&[row("BOM-0")]);
    ok_import(app, &ubnd.token, plain.as_bytes());
    let with_bom = format!("\u{feff}{}", csv(&[row("BOM-1")]));
    assert!(with_bom.as_bytes().starts_with(b"\xEF\xBB\xBF"));
    ok_import(app, &ubnd.token, with_bom.as_bytes());
    for code in ["BOM-0", "BOM-1"] {
        let d = dossier(app, &ubnd.token, code);
        assert_eq!(d["applicant"]["name"], name, "{code}");
        assert_eq!(d["applicant"]["address"], "Xóm Đồi", "{code}");
    }
    // Diacritic-insensitive search finds the imported applicant.
    let r = app.get("/api/v1/dossiers?q=anh%20tuyet", Some(&ubnd.token));
    assert_eq!(r.body["total"], 2, "{}", r.text);
}

fn xlsx_and_semicolon_files_import(app: &TestApp) {
    let ubnd = app.login("ubnd");
    // A workbook from our own writer, numbers as numbers.
    let table = [
        ["MaTTHC", "MaHoSo", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "ChuHoSo"]
            .map(Cell::from)
            .to_vec(),
        vec![
            Cell::from("1.001193"),
            Cell::from("X-0001"),
            Cell::Number(10.0),
            Cell::from("03/11/2025 08:00"),
            Cell::from("03/11/2025 17:00"),
            Cell::from("03/11/2025 09:00"),
            Cell::from("03/11/2025 09:30"),
            Cell::from("Vũ Thị Thu"),
        ],
        vec![
            Cell::from("2.001035"),
            Cell::from("X-0002"),
            Cell::Number(2.0),
            // Date serials: 2025-11-04 08:00 and 2025-11-06 08:00.
            Cell::Number(45965.0 + 8.0 / 24.0),
            Cell::Number(45967.0 + 8.0 / 24.0),
            Cell::from(""),
            Cell::from(""),
            Cell::from("Hoàng Văn Lực"),
        ],
    ];
    // The portal's title block above the header is skipped.
    let mut titled = vec![vec![Cell::from("DANH SÁCH HỒ SƠ TIẾP NHẬN")], vec![]];
    titled.extend(table.iter().cloned());
    let body = ok_import(app, &ubnd.token, &tabular::to_xlsx("Hồ sơ", &titled));
    assert_eq!(body, json!({ "rows": 2, "created": 2, "updated": 0, "unchanged": 0 }));
    let d = dossier(app, &ubnd.token, "X-0001");
    assert_eq!(d["returned_at"], "2025-11-03T09:30:00+07:00");
    assert_eq!(d["applicant"]["name"], "Vũ Thị Thu");
    let d = dossier(app, &ubnd.token, "X-0002");
    assert_eq!(d["received_at"], "2025-11-04T08:00:00+07:00");
    assert_eq!(d["due_at"], "2025-11-06T08:00:00+07:00");
    // A workbook saved by LibreOffice Calc (shared strings, date serials, empty cells left out).
    // Its codes carry the agency code "LO": unknown to the commune, they are refused until a
    // unit of the commune has that code.
    let lo = include_bytes!("../fixtures/onestop-libreoffice.xlsx");
    let r = import(app, &ubnd.token, "lo.xlsx", lo);
    assert_eq!(r.status, 422);
    assert_eq!(r.errors()[0].1, "foreign_code");
    let admin = app.login("admin");
    let units = app.get("/api/v1/units?per_page=200", Some(&admin.token));
    let unit =
        units.body["items"].as_array().unwrap().iter().find(|u| u["kind"] == "school").unwrap()["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/units/{unit}"), Some(&admin.token), json!({ "code": "LO" }));
    assert_eq!(r.status, 200, "{}", r.text);
    let body = ok_import(app, &ubnd.token, lo);
    assert_eq!(body, json!({ "rows": 2, "created": 2, "updated": 0, "unchanged": 0 }));
    let d = dossier(app, &ubnd.token, "LO-231106-0001");
    assert_eq!(d["received_at"], "2023-11-06T09:00:00+07:00");
    assert_eq!(d["appointed_at"], "2023-11-06T17:00:00+07:00");
    assert_eq!(d["finished_at"], "2023-11-06T10:30:00+07:00");
    assert_eq!(d["returned_at"], "2023-11-06T15:00:00+07:00");
    assert_eq!(d["applicant"]["name"], "Nguyễn Văn Hưởng");
    assert_eq!(d["applicant"]["phone"], "0912345678");
    let d = dossier(app, &ubnd.token, "LO-231106-0002");
    assert_eq!(d["received_at"], "2023-11-06T14:00:00+07:00");
    assert_eq!(d["status"], 4);
    assert_eq!(d["channel"], 2);
    assert_eq!(d["flags"]["paid_online"], true);
    assert_eq!(d["applicant"]["name"], "Lê Thị Ánh Tuyết");
    assert_eq!(ok_import(app, &ubnd.token, lo)["unchanged"], 2);
    // Semicolons (Excel in a Vietnamese locale), a comma inside a name, a quoted newline.
    let text = "MaHoSo;MaTTHC;NgayTiepNhan;NgayHenTra;TrangThaiHoSo;ChuHoSo;DiaChi\r\n\
                S-0001;1.001193;03/11/2025 08:00;03/11/2025 17:00;2;Lý Thị Mai, con;\"Thôn 5\r\nxã Bình Lương\"\r\n";
    let body = ok_import(app, &ubnd.token, text.as_bytes());
    assert_eq!(body["created"], 1);
    let d = dossier(app, &ubnd.token, "S-0001");
    assert_eq!(d["applicant"]["name"], "Lý Thị Mai, con");
    assert_eq!(d["applicant"]["address"], "Thôn 5\r\nxã Bình Lương");
    // Errors in a workbook name the sheet row.
    let bad = vec![table[0].clone(), table[1].clone(), vec![Cell::from("1.001193"), Cell::from("X-0003")]];
    let r = import(app, &ubnd.token, "x.xlsx", &tabular::to_xlsx("Hồ sơ", &bad));
    assert_eq!(r.status, 422);
    assert!(r.errors().contains(&("rows[3].NgayTiepNhan".to_string(), "required".to_string())), "{:?}", r.errors());
}

fn other_roles_and_unreadable_files_are_refused(app: &TestApp) {
    let file = csv(&good_rows());
    for who in ["bdh", "mttq", "thon1", "admin"] {
        let s = app.login(who);
        assert_eq!(import(app, &s.token, "a.csv", file.as_bytes()).status, 403, "{who}");
    }
    let ubnd = app.login("ubnd");
    let (count, events) = (dossier_count(app), event_count(app));
    let r = import(app, &ubnd.token, "a.csv", b"");
    assert_eq!((r.status, r.errors()), (422, vec![("file".to_string(), "required".to_string())]));
    let r = import(app, &ubnd.token, "a.csv", "\u{feff}\r\n".as_bytes());
    assert_eq!(r.status, 422);
    let r = import(app, &ubnd.token, "a.csv", HEADER.as_bytes());
    assert_eq!((r.status, r.errors()), (422, vec![("file".to_string(), "required".to_string())]));
    // Windows-1258 / Latin-1 bytes ("Nguy\xean"), and UTF-16.
    let mut latin = csv(&good_rows()[..1]).into_bytes();
    latin.extend_from_slice(b"T-9,1.001193,,1,20251103080000,20251103170000,,,2,0,0,Nguy\xean,,,,,,\r\n");
    let r = import(app, &ubnd.token, "a.csv", &latin);
    assert_eq!((r.status, r.errors()), (422, vec![("file".to_string(), "invalid_encoding".to_string())]));
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("UTF-8"));
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("MaHoSo".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert_eq!(import(app, &ubnd.token, "a.csv", &utf16).errors()[0].1, "invalid_encoding");
    let r = import(app, &ubnd.token, "a.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old excel");
    assert_eq!(r.errors()[0].1, "unsupported_format");
    let r = import(app, &ubnd.token, "a.xlsx", b"PK\x03\x04 broken workbook");
    assert_eq!(r.errors()[0].1, "invalid_format");
    // Over 64 MiB: refused before anything is read into the database.
    let mut big = csv(&good_rows()).into_bytes();
    big.resize(64 * 1024 * 1024 + 1, b' ');
    let r = import(app, &ubnd.token, "big.csv", &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.body["code"], "payload_too_large");
    // Not multipart.
    let r = raw(app
        .client
        .post(app.url("/api/v1/onestop/import"))
        .bearer_auth(&ubnd.token)
        .header("content-type", "text/csv")
        .body(csv(&good_rows()))
        .send()
        .unwrap());
    assert_eq!(r.status, 415);
    assert_eq!((dossier_count(app), event_count(app)), (count, events));
}

fn get_raw(app: &TestApp, path: &str, token: &str) -> Raw {
    raw(app.client.get(app.url(path)).bearer_auth(token).send().expect("request"))
}

fn register_export_masks_personal_data_without_the_permission(app: &TestApp) {
    let ubnd = app.login("ubnd");
    ok_import(app, &ubnd.token, csv(&good_rows()).as_bytes());
    let r = get_raw(app, "/api/v1/onestop/register.csv?from=2025-11-01&to=2025-11-30", &ubnd.token);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("content-disposition"), "attachment; filename=\"so-theo-doi-ho-so_2025-11-01_2025-11-30.csv\"");
    let text = String::from_utf8(r.bytes).unwrap();
    let rows = tabular::parse_csv(&text).unwrap();
    assert_eq!(rows[0][..6], ["STT", "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Người nộp"]);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1][1], "T-0001");
    assert_eq!(rows[1][5], "Nguyễn Văn Hưởng");
    assert_eq!(rows[1][6], "0912 345 678");
    assert_eq!(rows[1][7], "Thôn 3, xã Bình Lương");
    assert_eq!(rows[1][8], "Trực tuyến");
    assert_eq!(rows[1][9], "03/11/2025 08:00");
    assert_eq!(rows[1][14], "Đúng hạn");
    assert_eq!(rows[2][14], "Quá hạn");
    assert_eq!(rows[3][14], "Đang giải quyết, đã quá hạn");
    // Front: masked.
    let mttq = app.login("mttq");
    let r = get_raw(app, "/api/v1/onestop/register.csv?from=2025-11-01&to=2025-11-30", &mttq.token);
    assert_eq!(r.status, 200);
    let text = String::from_utf8(r.bytes).unwrap();
    assert!(!text.contains("Hưởng") && !text.contains("0912") && !text.contains("Thôn 3"), "{text}");
    let rows = tabular::parse_csv(&text).unwrap();
    assert_eq!(rows[1][5], "N. V. H.");
    assert_eq!(rows[1][6], "*******678");
    assert_eq!(rows[1][7], "***");
    // XLSX, the same table.
    let r = get_raw(app, "/api/v1/onestop/register.xlsx?from=2025-11-01&to=2025-11-30", &ubnd.token);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), tabular::XLSX_CONTENT_TYPE);
    assert_eq!(r.header("cache-control"), "no-store");
    assert!(r.header("content-disposition").ends_with(".xlsx\""));
    let rows = tabular::read_xlsx(&r.bytes).unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1][0], "1");
    assert_eq!(rows[1][5], "Nguyễn Văn Hưởng");
    // Period checks; oversight has no commune register.
    let r = get_raw(app, "/api/v1/onestop/register.csv?from=2025-11-30&to=2025-11-01", &ubnd.token);
    assert_eq!(r.status, 422);
    // A parameter left out is said to be missing, by name.
    let r = app.get("/api/v1/onestop/register.csv?from=2025-11-01", Some(&ubnd.token));
    assert_eq!(r.status, 422);
    assert_eq!(
        (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (Some("to"), Some("required")),
        "{}",
        r.text
    );
    let tinh = app.login("tinh");
    assert_eq!(get_raw(app, "/api/v1/onestop/register.csv?from=2025-11-01&to=2025-11-30", &tinh.token).status, 403);
}

/// One commune cannot stop another's intake: codes are unique per commune, and an import
/// refuses codes in another agency's format or on a day that has not come.
fn one_commune_cannot_block_another_communes_intake(app: &TestApp) {
    let s1 = app.login("ubnd");
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&s1.token));
    let p1 = procs.body["items"][0]["id"].as_i64().unwrap();
    let intake = |token: &str, procedure: i64| {
        let r = app.post(
            "/api/v1/dossiers",
            Some(token),
            json!({ "procedure_id": procedure, "channel": 1, "applicant": { "name": "Lê Văn Tám",
                "phone": "0912000111", "id_number": "038090001111", "address": "Thôn 1" } }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["code"].as_str().unwrap().to_string()
    };
    let first = intake(&s1.token, p1);
    let (prefix, _) = first.rsplit_once('-').unwrap();
    // The second commune's one-stop officer, with a unit code of its own.
    let admin2 = app.second_commune();
    let unit = app.get("/api/v1/units?per_page=200", Some(&admin2.token)).body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(app.patch(&format!("/api/v1/units/{unit}"), Some(&admin2.token), json!({ "code": "XB" })).status, 200);
    let r = app.post(
        "/api/v1/users",
        Some(&admin2.token),
        json!({ "username": "motcua_xb", "full_name": "Phạm Văn Tâm", "role": "ubnd", "unit_id": unit,
            "password": "mật khẩu rất dài" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app.post(
        "/api/v1/procedures",
        Some(&admin2.token),
        json!({ "code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "limit_amount": 1,
            "limit_unit": "same_day", "online_level": "none" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let t2 = app.login_with("motcua_xb", "mật khẩu rất dài").token;
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let day = now.format("%y%m%d").to_string();
    let at = now.format("%Y%m%d").to_string();
    let file = |code: &str| {
        format!("MaHoSo,MaTTHC,NgayTiepNhan,NgayHenTra,TrangThaiHoSo\n{code},1.001193,{at}000100,{at}170000,2\n")
    };
    // 9,998 more codes of the first commune's day in one file would block it: refused at once.
    let r = import(app, &t2, "a.csv", file(&format!("{prefix}-0002")).as_bytes());
    assert_eq!((r.status, r.errors()), (422, vec![("rows[2].MaHoSo".into(), "foreign_code".into())]));
    let future = (now + chrono::Duration::days(3)).format("%y%m%d").to_string();
    let r = import(app, &t2, "a.csv", file(&format!("XB-{future}-0001")).as_bytes());
    assert_eq!((r.status, r.errors()), (422, vec![("rows[2].MaHoSo".into(), "future_code".into())]));
    // Its own codes import.
    let r = import(app, &t2, "a.csv", file(&format!("XB-{day}-0007")).as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.bytes));
    // The first commune's numbering goes on untouched.
    let second = intake(&s1.token, p1);
    assert_eq!(second, format!("{prefix}-0002"));
}

both_engines!(
    one_commune_cannot_block_another_communes_intake,
    good_file_imports_with_derived_columns_and_events,
    reimport_is_idempotent_and_a_changed_row_updates,
    bad_rows_are_all_listed_and_nothing_is_written,
    vietnamese_names_survive_with_and_without_bom,
    xlsx_and_semicolon_files_import,
    other_roles_and_unreadable_files_are_refused,
    register_export_masks_personal_data_without_the_permission,
);
