//! Units, users, communes: rules, scope, mass assignment.

use serde_json::json;

use crate::both_engines;
use crate::harness::TestApp;

fn demo_commune_has_the_plan_units(app: &TestApp) {
    let s = app.login("bdh");
    let r = app.get("/api/v1/units?per_page=200", Some(&s.token));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["total"], 19);
    let names: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    for n in [
        "Ban Điều hành mô hình",
        "UBND xã Bình Lương",
        "Khối Dân vận xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Ban Thanh tra nhân dân xã",
        "Thôn 1",
        "Thôn 6",
        "Trạm Y tế xã",
        "Hội Nông dân xã",
    ] {
        assert!(names.contains(&n), "missing {n}");
    }
    let villages = app.get("/api/v1/units?kind=village", Some(&s.token));
    assert_eq!(villages.body["total"], 6);
    let unions = app.get("/api/v1/units?kind=union", Some(&s.token));
    assert_eq!(unions.body["total"], 4);
}

fn search_ignores_diacritics(app: &TestApp) {
    let s = app.login("admin");
    let r = app.get("/api/v1/units?q=thon", Some(&s.token));
    assert_eq!(r.body["total"], 6, "'thon' finds every Thôn");
    let r = app.get("/api/v1/units?q=Y%20TE", Some(&s.token));
    assert_eq!(r.body["items"][0]["name"], "Trạm Y tế xã");
    let r = app.get("/api/v1/units?q=%25", Some(&s.token));
    assert_eq!(r.body["total"], 0, "LIKE wildcards are escaped");
    app.post("/api/v1/units", Some(&s.token), json!({ "name": "Thôn Đồng Tâm", "kind": "village" }));
    let r = app.get("/api/v1/units?q=dong%20tam", Some(&s.token));
    assert_eq!(r.body["items"][0]["name"], "Thôn Đồng Tâm", "'dong' finds 'Đồng'");
    let r = app.get("/api/v1/users?q=truong%20thon%203", Some(&s.token));
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["username"], "thon3");
    // The unit's name and the phone number (however it was written) find an account too.
    let hpn = app.unit_id(&s.token, "HPN");
    let r = app.post(
        "/api/v1/users",
        Some(&s.token),
        json!({ "username": "lothihoa", "full_name": "Lò Thị Hoa", "role": "front", "unit_id": hpn,
                "phone": "0912.345 678", "password": "long-enough-pw-h" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let found = |q: &str| -> Vec<String> {
        let r = app.get(&format!("/api/v1/users?q={q}&per_page=200"), Some(&s.token));
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        r.body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_string()).collect()
    };
    let unit_name = app.get(&format!("/api/v1/units/{hpn}"), Some(&s.token)).body["name"].as_str().unwrap().to_string();
    let by_unit = found(&unit_name.replace(' ', "%20"));
    assert!(by_unit.contains(&"lothihoa".to_string()), "{unit_name}: {by_unit:?}");
    for q in ["0912345678", "345%20678", "0912.345", "345-678"] {
        assert_eq!(found(q), ["lothihoa"], "{q}");
    }
    assert!(found("999888").is_empty(), "digits found in no phone find nobody");
}

fn unit_crud_and_validation(app: &TestApp) {
    let s = app.login("admin");
    let r = app.post(
        "/api/v1/units",
        Some(&s.token),
        json!({ "name": "  Tổ hòa giải thôn 1  ", "kind": "other", "code": "THG1" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["name"], "Tổ hòa giải thôn 1", "names are trimmed");
    let id = r.body["id"].as_i64().unwrap();
    let dup = app.post("/api/v1/units", Some(&s.token), json!({ "name": "TO HOA GIAI THON 1", "kind": "other" }));
    assert_eq!(dup.status, 422);
    assert_eq!(dup.body["errors"][0]["field"], "name");
    assert_eq!(dup.body["errors"][0]["code"], "already_exists");
    let bad = app.post("/api/v1/units", Some(&s.token), json!({ "name": "", "kind": "castle", "code": "x y" }));
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["errors"][0]["field"], "kind");
    let bad = app.post("/api/v1/units", Some(&s.token), json!({ "name": "", "kind": "other", "code": "x y" }));
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "code"]);
    let r = app.patch(&format!("/api/v1/units/{id}"), Some(&s.token), json!({ "active": false, "code": null }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], false);
    assert!(r.body["code"].is_null());
    let r = app.get(&format!("/api/v1/units/{id}"), Some(&s.token));
    assert_eq!(r.body["active"], false);
    assert_eq!(app.get("/api/v1/units/999999", Some(&s.token)).status, 404);
    assert_eq!(app.get("/api/v1/units?active=false", Some(&s.token)).body["total"], 1);
}

fn user_crud_and_rules(app: &TestApp) {
    let s = app.login("admin");
    let t2 = app.unit_id(&s.token, "T2");
    let ubnd = app.unit_id(&s.token, "UBND");
    let body = json!({ "username": "Pho.Thon2", "full_name": "Nguyễn Thị Hường", "phone": "0912 345 678", "role": "village", "unit_id": t2, "password": "mật khẩu rất dài" });
    let r = app.post("/api/v1/users", Some(&s.token), body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["username"], "pho.thon2", "usernames are normalised");
    assert_eq!(r.body["unit_name"], "Thôn 2");
    assert!(r.body.get("password_hash").is_none() && !r.text.contains("argon2"), "never expose hashes");
    let id = r.body["id"].as_i64().unwrap();
    app.login_with("pho.thon2", "mật khẩu rất dài");
    let dup = app.post("/api/v1/users", Some(&s.token), body);
    assert_eq!(dup.status, 422);
    assert_eq!(dup.body["errors"][0]["code"], "already_exists");
    // A village head must belong to a village; oversight accounts are not made by a commune.
    let r = app.post(
        "/api/v1/users",
        Some(&s.token),
        json!({ "username": "x1", "full_name": "X", "role": "village", "unit_id": ubnd, "password": "long-enough-1" }),
    );
    let codes = r.field_errors();
    assert!(codes.contains(&("username".into(), "too_short".into())), "{codes:?}");
    let r = app.post(
        "/api/v1/users",
        Some(&s.token),
        json!({ "username": "xyz", "full_name": "X", "role": "village", "unit_id": ubnd, "password": "long-enough-1" }),
    );
    assert_eq!(r.body["errors"][0]["field"], "unit_id");
    let r = app.post("/api/v1/users", Some(&s.token), json!({ "username": "xyz", "full_name": "X", "role": "oversight", "unit_id": ubnd, "password": "long-enough-1" }));
    assert_eq!(r.body["errors"][0]["field"], "role");
    let r = app.post(
        "/api/v1/users",
        Some(&s.token),
        json!({ "username": "xyz", "full_name": "X", "role": "ubnd", "unit_id": 999999, "password": "long-enough-1" }),
    );
    assert_eq!(r.body["errors"][0]["code"], "not_found");
    let r = app.post(
        "/api/v1/users",
        Some(&s.token),
        json!({ "username": "xyz", "full_name": "X", "role": "ubnd", "unit_id": ubnd, "password": "xyz-is-in-here" }),
    );
    assert_eq!(r.body["errors"][0]["field"], "password");
    // Update: role and unit together; phone cleared.
    let r = app.patch(
        &format!("/api/v1/users/{id}"),
        Some(&s.token),
        json!({ "role": "ubnd", "unit_id": ubnd, "phone": null }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["role"], "ubnd");
    assert!(r.body["phone"].is_null());
    // Every account keeps a unit: `null` is refused, not read as "no change".
    let r = app.patch(&format!("/api/v1/users/{id}"), Some(&s.token), json!({ "unit_id": null }));
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (422, Some("unit_id"), Some("required")),
        "{}",
        r.text
    );
    assert_eq!(app.get(&format!("/api/v1/users/{id}"), Some(&s.token)).body["unit_id"], ubnd);
    // Filters.
    assert_eq!(app.get("/api/v1/users?role=village", Some(&s.token)).body["total"], 6);
    assert_eq!(app.get(&format!("/api/v1/users?unit_id={ubnd}"), Some(&s.token)).body["total"], 3);
    // Paging.
    let p = app.get("/api/v1/users?per_page=4&page=2", Some(&s.token));
    assert_eq!(p.body["items"].as_array().unwrap().len(), 4);
    assert_eq!(p.body["page"], 2);
    assert_eq!(app.get("/api/v1/users?per_page=0", Some(&s.token)).status, 422);
}

/// A unit's change keeps its accounts within the rules they were made under: a village with a
/// village head stays a village, and a unit with active accounts does not stop.
fn a_unit_change_keeps_its_accounts_valid(app: &TestApp) {
    let admin = app.login("admin").token;
    let t6 = app.unit_id(&admin, "T6");
    let r = app.patch(&format!("/api/v1/units/{t6}"), Some(&admin), json!({ "kind": "board" }));
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (Some("kind"), Some("in_use"))
    );
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("thon6"), "{}", r.text);
    let r = app.patch(&format!("/api/v1/units/{t6}"), Some(&admin), json!({ "active": false }));
    assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("active")), "{}", r.text);
    let unit = app.get(&format!("/api/v1/units/{t6}"), Some(&admin));
    assert_eq!(
        (unit.body["kind"].as_str(), unit.body["active"].as_bool()),
        (Some("village"), Some(true)),
        "nothing changed"
    );
    // Its village head moved to another village and locked, the unit may change and stop.
    let t5 = app.unit_id(&admin, "T5");
    let users = app.get(&format!("/api/v1/users?unit_id={t6}"), Some(&admin));
    let head = users.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(app.patch(&format!("/api/v1/users/{head}"), Some(&admin), json!({ "unit_id": t5 })).status, 200);
    let r = app.patch(&format!("/api/v1/units/{t6}"), Some(&admin), json!({ "kind": "board", "active": false }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["kind"].as_str(), r.body["active"].as_bool()), (Some("board"), Some(false)));
}

fn last_admin_cannot_lock_themselves_out(app: &TestApp) {
    let s = app.login("admin");
    let id = s.user["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/users/{id}"), Some(&s.token), json!({ "active": false }));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "active");
    let r = app.patch(&format!("/api/v1/users/{id}"), Some(&s.token), json!({ "role": "board" }));
    assert_eq!(r.status, 422);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).body["user"]["role"], "admin");
}

fn mass_assignment_is_rejected(app: &TestApp) {
    let s = app.login("admin");
    let bdh = app.unit_id(&s.token, "BDH");
    let r = app.post("/api/v1/units", Some(&s.token), json!({ "name": "Tổ mới", "kind": "other", "commune_id": 999 }));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "commune_id");
    assert_eq!(r.body["errors"][0]["code"], "unknown_field");
    assert_eq!(app.get("/api/v1/units?q=to%20moi", Some(&s.token)).body["total"], 0, "nothing stored");
    let r = app.post("/api/v1/users", Some(&s.token), json!({ "username": "sneaky", "full_name": "S", "role": "board", "unit_id": bdh, "password": "long-enough-1", "commune_id": 2, "authority_id": 1 }));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["code"], "unknown_field");
    let me = app.login("thon1");
    let r = app.patch(&format!("/api/v1/users/{}", me.user["id"]), Some(&s.token), json!({ "commune_id": 2 }));
    assert_eq!(r.status, 422);
    // A user cannot raise their own role through the password endpoint either.
    let r = app.post(
        "/api/v1/auth/password",
        Some(&me.token),
        json!({ "current_password": "thanthien-demo", "new_password": "another-long-1", "role": "admin" }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(app.get("/api/v1/auth/me", Some(&me.token)).body["user"]["role"], "village");
}

fn other_communes_are_invisible(app: &TestApp) {
    let home = app.login("admin");
    let unit = app.unit_id(&home.token, "T1");
    let user = app.user_id(&home.token, "thon1");
    let other = app.second_commune();
    for path in [format!("/api/v1/units/{unit}"), format!("/api/v1/users/{user}")] {
        let r = app.get(&path, Some(&other.token));
        assert_eq!(r.status, 404, "{path} from another commune must be 404");
    }
    let r = app.patch(&format!("/api/v1/units/{unit}"), Some(&other.token), json!({ "name": "Bị chiếm" }));
    assert_eq!(r.status, 404);
    let r = app.patch(&format!("/api/v1/users/{user}"), Some(&other.token), json!({ "active": false }));
    assert_eq!(r.status, 404);
    let r = app.post(
        &format!("/api/v1/users/{user}/password"),
        Some(&other.token),
        json!({ "new_password": "hijacked-password" }),
    );
    assert_eq!(r.status, 404);
    assert_eq!(app.get("/api/v1/units", Some(&other.token)).body["total"], 1, "only its own People's Committee");
    let users = app.get("/api/v1/users", Some(&other.token));
    assert_eq!(users.body["total"], 1);
    // Nothing changed at home.
    app.login("thon1");
    assert_eq!(app.get(&format!("/api/v1/units/{unit}"), Some(&home.token)).body["name"], "Thôn 1");
    // A unit of the other commune cannot be given to a home user.
    let foreign_unit = app.get("/api/v1/units", Some(&other.token)).body["items"][0]["id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/users/{user}"),
        Some(&home.token),
        json!({ "role": "ubnd", "unit_id": foreign_unit }),
    );
    assert_eq!(r.body["errors"][0]["code"], "not_found");
}

fn oversight_sees_communes_under_its_province(app: &TestApp) {
    app.second_commune();
    let tinh = app.login("tinh");
    let r = app.get("/api/v1/communes", Some(&tinh.token));
    assert_eq!(r.status, 200);
    let names: Vec<&str> = r.body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bình Lương", "Xuân Bình"]);
    let own = app.get("/api/v1/communes", Some(&app.login("thon1").token));
    assert_eq!(own.body.as_array().unwrap().len(), 1);
}

/// Printed forms name the commune by its kind and its one-stop unit, set by its administrator.
fn the_commune_admin_sets_what_forms_say(app: &TestApp) {
    let admin = app.login("admin");
    let id = admin.user["commune_id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/communes/{id}"),
        Some(&admin.token),
        serde_json::json!({ "kind": "phuong", "onestop_unit_name": "Trung tâm Phục vụ hành chính công phường" }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["kind"], "phuong");
    // A printed form follows.
    let ubnd = app.login("ubnd");
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&ubnd.token));
    let p = procs.body["items"][0]["id"].as_i64().unwrap();
    let d = app.post(
        "/api/v1/dossiers",
        Some(&ubnd.token),
        serde_json::json!({ "procedure_id": p, "channel": 1, "applicant": { "name": "Lê Văn Tám",
            "phone": "0912000111", "id_number": "038090001111", "address": "Thôn 1" } }),
    );
    let f = app.get(&format!("/api/v1/dossiers/{}/forms/01", d.body["id"]), Some(&ubnd.token));
    assert_eq!(f.body["header"]["issuer"], "UBND PHƯỜNG BÌNH LƯƠNG");
    assert_eq!(f.body["header"]["issuer_unit"], "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG");
    // Back to the name the law gives.
    let r = app.patch(
        &format!("/api/v1/communes/{id}"),
        Some(&admin.token),
        serde_json::json!({ "onestop_unit_name": null }),
    );
    assert_eq!((r.status, r.body["onestop_unit_name"].clone()), (200, serde_json::Value::Null));
    // Bad input, other roles, other communes.
    let r = app.patch(&format!("/api/v1/communes/{id}"), Some(&admin.token), serde_json::json!({ "kind": "huyen" }));
    assert!(r.status == 400 || r.status == 422, "{}", r.status);
    let r = app.patch(
        &format!("/api/v1/communes/{id}"),
        Some(&admin.token),
        serde_json::json!({ "onestop_unit_name": " " }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        app.patch(
            &format!("/api/v1/communes/{id}"),
            Some(&app.login("bdh").token),
            serde_json::json!({ "kind": "xa" })
        )
        .status,
        403
    );
    let admin2 = app.second_commune();
    assert_eq!(
        app.patch(&format!("/api/v1/communes/{id}"), Some(&admin2.token), serde_json::json!({ "kind": "xa" })).status,
        404
    );
}

both_engines!(
    a_unit_change_keeps_its_accounts_valid,
    the_commune_admin_sets_what_forms_say,
    demo_commune_has_the_plan_units,
    search_ignores_diacritics,
    unit_crud_and_validation,
    user_crud_and_rules,
    last_admin_cannot_lock_themselves_out,
    mass_assignment_is_rejected,
    other_communes_are_invisible,
    oversight_sees_communes_under_its_province,
);
