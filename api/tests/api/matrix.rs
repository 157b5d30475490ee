//! The authorisation matrix: every role × every operation, expected outcomes derived from
//! `role_permissions` — so changing the policy table changes what this test demands.

use serde_json::{Value, json};
use thanthien::auth::{Permission, has_permission};
use thanthien::integration::gate::KEY_ROUTES;
use thanthien::integration::model::KeyScope;
use thanthien::org::model::Role;

use crate::both_engines;
use crate::harness::{Res, TestApp};

struct Op {
    name: &'static str,
    perm: Permission,
    method: &'static str,
    path: String,
    body: Option<Value>,
}

fn demo_user(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Board => "bdh",
        Role::Ubnd => "ubnd",
        Role::Front => "mttq",
        Role::Village => "thon1",
        Role::Oversight => "tinh",
    }
}

fn operations(app: &TestApp, admin: &str, tag: &str) -> Vec<Op> {
    let unit = app.unit_id(admin, "HND");
    let t5 = app.user_id(admin, "thon5");
    let t6 = app.user_id(admin, "thon6");
    let bdh_unit = app.unit_id(admin, "BDH");
    let plan_ops = plans_operations(app, admin, tag);
    let mut ops = vec![
        Op { name: "list units", perm: Permission::ReadUnits, method: "GET", path: "/api/v1/units".into(), body: None },
        Op {
            name: "get unit",
            perm: Permission::ReadUnits,
            method: "GET",
            path: format!("/api/v1/units/{unit}"),
            body: None,
        },
        Op {
            name: "create unit",
            perm: Permission::ManageUnits,
            method: "POST",
            path: "/api/v1/units".into(),
            body: Some(json!({ "name": format!("Tổ {tag}"), "kind": "other" })),
        },
        Op {
            name: "update unit",
            perm: Permission::ManageUnits,
            method: "PATCH",
            path: format!("/api/v1/units/{unit}"),
            body: Some(json!({ "name": format!("Hội Nông dân xã {tag}") })),
        },
        Op {
            name: "list users",
            perm: Permission::ManageUsers,
            method: "GET",
            path: "/api/v1/users".into(),
            body: None,
        },
        Op {
            name: "get user",
            perm: Permission::ManageUsers,
            method: "GET",
            path: format!("/api/v1/users/{t5}"),
            body: None,
        },
        Op {
            name: "create user",
            perm: Permission::ManageUsers,
            method: "POST",
            path: "/api/v1/users".into(),
            body: Some(
                json!({ "username": format!("u-{tag}"), "full_name": "Người mới", "role": "board", "unit_id": bdh_unit, "password": "long-enough-pw" }),
            ),
        },
        Op {
            name: "update user",
            perm: Permission::ManageUsers,
            method: "PATCH",
            path: format!("/api/v1/users/{t5}"),
            body: Some(json!({ "full_name": format!("Trưởng thôn 5 {tag}") })),
        },
        Op {
            name: "reset password",
            perm: Permission::ManageUsers,
            method: "POST",
            path: format!("/api/v1/users/{t6}/password"),
            body: Some(json!({ "new_password": "matrix-reset-pw" })),
        },
        Op { name: "read audit", perm: Permission::ReadAudit, method: "GET", path: "/api/v1/audit".into(), body: None },
        Op {
            name: "audit facets",
            perm: Permission::ReadAudit,
            method: "GET",
            path: "/api/v1/audit/facets".into(),
            body: None,
        },
        Op {
            name: "list communes",
            perm: Permission::ReadCommunes,
            method: "GET",
            path: "/api/v1/communes".into(),
            body: None,
        },
        Op {
            name: "list api keys",
            perm: Permission::ManageApiKeys,
            method: "GET",
            path: "/api/v1/api-keys".into(),
            body: None,
        },
        Op {
            name: "create api key",
            perm: Permission::ManageApiKeys,
            method: "POST",
            path: "/api/v1/api-keys".into(),
            body: Some(
                json!({ "name": format!("Khóa {tag}"), "owner": "Sở", "kind": "live", "scopes": ["read_plans"] }),
            ),
        },
    ];
    ops.extend(plan_ops);
    ops.extend(democracy_operations(app, admin, tag));
    ops.extend(coordination_operations(app, admin, tag));
    ops.push(Op {
        name: "scheduler status",
        perm: Permission::ManageSettings,
        method: "GET",
        path: "/api/v1/system/scheduler".into(),
        body: None,
    });
    // Operations that change which plan is the commune's current one (a new plan, an imported
    // one, the roll-over that closes the demo plan) run after those that write into the current
    // plan (a meeting's decision or a dialogue's commitment made a task), in their own order.
    let (mut later, mut ops): (Vec<Op>, Vec<Op>) =
        ops.into_iter().partition(|o| matches!(o.name, "create plan" | "import plan" | "roll plan over"));
    ops.append(&mut later);
    ops
}

/// Disclosures: everyone in a commune reads, admin/board/UBND/Front record, the admin edits the
/// item list and settings; oversight reads counts across its communes. (The village relay is a
/// multipart upload: see `gate_operations` and `democracy.rs`.)
fn democracy_operations(app: &TestApp, admin: &str, tag: &str) -> Vec<Op> {
    let bdh = app.login("bdh").token;
    let disclosure = crate::democracy::village_disclosure(app, &bdh, &format!("Ma trận {tag}"), 1);
    let own_item = app.post(
        "/api/v1/disclosure-items",
        Some(admin),
        json!({ "code": format!("MX-{}", tag.len() * 1000 + (disclosure % 1000) as usize), "name": format!("Mục {tag}") }),
    );
    assert_eq!(own_item.status, 201, "{}", own_item.text);
    let item = own_item.body["id"].as_i64().unwrap();
    let op = |name: &'static str, perm: Permission, method: &'static str, path: String, body: Option<Value>| Op {
        name,
        perm,
        method,
        path,
        body,
    };
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let t1 = app.unit_id(admin, "T1");
    let dialogue = app.post(
        "/api/v1/dialogues",
        Some(&bdh),
        json!({ "held_on": "2026-01-05", "place": "Hội trường", "leaders": "Chủ tịch UBND xã", "participants": 80,
                "village_ids": [t1], "topics": format!("Đối thoại {tag}") }),
    );
    assert_eq!(dialogue.status, 201, "{}", dialogue.text);
    let dialogue = dialogue.body["id"].as_i64().unwrap();
    let commitment = app.post(
        &format!("/api/v1/dialogues/{dialogue}/commitments"),
        Some(&bdh),
        json!({ "text": format!("Cam kết {tag}"), "owner_unit_id": t1, "due_on": "2026-12-31" }),
    );
    let commitment = commitment.body["id"].as_i64().unwrap();
    vec![
        op("list dialogues", Permission::ReadDemocracy, "GET", "/api/v1/dialogues".into(), None),
        op("get dialogue", Permission::ReadDemocracy, "GET", format!("/api/v1/dialogues/{dialogue}"), None),
        op("list commitments", Permission::ReadDemocracy, "GET", "/api/v1/commitments?overdue=true".into(), None),
        op(
            "record dialogue",
            Permission::ManageDisclosures,
            "POST",
            "/api/v1/dialogues".into(),
            Some(
                json!({ "held_on": "2026-02-01", "place": "Nhà văn hóa", "leaders": "Phó Chủ tịch", "participants": 40,
                         "topics": format!("Chủ đề {tag}") }),
            ),
        ),
        op(
            "add commitment",
            Permission::ManageDisclosures,
            "POST",
            format!("/api/v1/dialogues/{dialogue}/commitments"),
            Some(json!({ "text": format!("Cam kết thêm {tag}"), "owner_unit_id": t1, "due_on": "2026-12-31" })),
        ),
        op(
            "edit dialogue",
            Permission::ManageDisclosures,
            "PUT",
            format!("/api/v1/dialogues/{dialogue}"),
            Some(
                json!({ "held_on": "2026-01-05", "place": format!("Nhà văn hóa {tag}"), "leaders": "Chủ tịch UBND xã",
                         "participants": 81, "village_ids": [t1], "topics": format!("Đối thoại {tag}") }),
            ),
        ),
        op(
            "correct commitment",
            Permission::ManageDisclosures,
            "PATCH",
            format!("/api/v1/commitments/{commitment}"),
            Some(json!({ "text": format!("Cam kết sửa {tag}"), "due_on": "2026-12-30" })),
        ),
        op(
            "report on a commitment",
            Permission::ReadDemocracy,
            "POST",
            format!("/api/v1/commitments/{commitment}/reports"),
            Some(json!({ "text": format!("Tiến độ {tag}"), "status": "in_progress" })),
        ),
        op("list disclosure items", Permission::ReadDemocracy, "GET", "/api/v1/disclosure-items".into(), None),
        op("list disclosures", Permission::ReadDemocracy, "GET", "/api/v1/disclosures".into(), None),
        op("get disclosure", Permission::ReadDemocracy, "GET", format!("/api/v1/disclosures/{disclosure}"), None),
        op("disclosure alerts", Permission::ReadDemocracy, "GET", "/api/v1/disclosures/alerts".into(), None),
        op("disclosure settings", Permission::ReadDemocracy, "GET", "/api/v1/disclosures/settings".into(), None),
        op("democracy figures", Permission::ReadDemocracy, "GET", "/api/v1/democracy/figures".into(), None),
        op("democracy oversight", Permission::ReadStatistics, "GET", "/api/v1/democracy/oversight".into(), None),
        op(
            "record disclosure",
            Permission::ManageDisclosures,
            "POST",
            "/api/v1/disclosures".into(),
            Some(json!({ "item_id": item, "title": format!("Công khai {tag}"), "channels": ["office"],
                         "posted_from": today, "posted_to": today })),
        ),
        op(
            "edit disclosure",
            Permission::ManageDisclosures,
            "PATCH",
            format!("/api/v1/disclosures/{disclosure}"),
            Some(json!({ "evidence_note": format!("Ảnh {tag}") })),
        ),
        op(
            "add disclosure item",
            Permission::ManageSettings,
            "POST",
            "/api/v1/disclosure-items".into(),
            Some(json!({ "code": format!("MY-{tag}"), "name": format!("Mục {tag}") })),
        ),
        op(
            "edit disclosure item",
            Permission::ManageSettings,
            "PATCH",
            format!("/api/v1/disclosure-items/{item}"),
            Some(json!({ "name": format!("Mục sửa {tag}") })),
        ),
        op(
            "set disclosure settings",
            Permission::ManageSettings,
            "PUT",
            "/api/v1/disclosures/settings".into(),
            Some(json!({ "relay_within_days": 7, "periodic_grace_days": 30 })),
        ),
    ]
}

/// Plans and tasks (reports, attachments and bulk updates, which need multipart or a
/// scoped task, are checked role by role in `plans.rs`).
fn plans_operations(app: &TestApp, admin: &str, tag: &str) -> Vec<Op> {
    let f = crate::plans::matrix_fixture(app, admin);
    let (plan, area, step, task) = (f.plan, f.area, f.step, f.task);
    let t1 = app.unit_id(admin, "T1");
    let op = |name: &'static str, perm: Permission, method: &'static str, path: String, body: Option<Value>| Op {
        name,
        perm,
        method,
        path,
        body,
    };
    vec![
        op("list plans", Permission::ReadPlans, "GET", "/api/v1/plans".into(), None),
        op("get plan", Permission::ReadPlans, "GET", format!("/api/v1/plans/{plan}"), None),
        op("list plan tasks", Permission::ReadPlans, "GET", format!("/api/v1/plans/{plan}/tasks"), None),
        op("my tasks", Permission::ReadPlans, "GET", "/api/v1/tasks/mine".into(), None),
        op("active plans' tasks", Permission::ReadPlans, "GET", "/api/v1/tasks".into(), None),
        op("get task", Permission::ReadPlans, "GET", format!("/api/v1/tasks/{task}"), None),
        op("list reports", Permission::ReadPlans, "GET", format!("/api/v1/tasks/{task}/reports"), None),
        op("list comments", Permission::ReadPlans, "GET", format!("/api/v1/tasks/{task}/comments"), None),
        op(
            "comment on task",
            Permission::ReadPlans,
            "POST",
            format!("/api/v1/tasks/{task}/comments"),
            Some(json!({ "text": format!("Ý kiến {tag}") })),
        ),
        op("export csv", Permission::ReadPlans, "GET", format!("/api/v1/plans/{plan}/export.csv"), None),
        op("export xlsx", Permission::ReadPlans, "GET", format!("/api/v1/plans/{plan}/export.xlsx"), None),
        op(
            "create plan",
            Permission::EditPlans,
            "POST",
            "/api/v1/plans".into(),
            Some(json!({ "number": format!("{tag}/KH-BĐH"), "title": format!("Kế hoạch {tag}"), "year": 2026 })),
        ),
        op(
            "update plan",
            Permission::EditPlans,
            "PATCH",
            format!("/api/v1/plans/{plan}"),
            Some(json!({ "purposes": [format!("Mục đích {tag}")] })),
        ),
        op(
            "create area",
            Permission::EditPlans,
            "POST",
            format!("/api/v1/plans/{plan}/areas"),
            Some(json!({ "title": format!("Nội dung {tag}") })),
        ),
        op(
            "update area",
            Permission::EditPlans,
            "PATCH",
            format!("/api/v1/areas/{area}"),
            Some(json!({ "expected_outcome": format!("Kết quả {tag}") })),
        ),
        op(
            "create step",
            Permission::EditPlans,
            "POST",
            format!("/api/v1/plans/{plan}/steps"),
            Some(json!({ "title": format!("Bước {tag}") })),
        ),
        op(
            "update step",
            Permission::EditPlans,
            "PATCH",
            format!("/api/v1/steps/{step}"),
            Some(json!({ "description": format!("Mô tả {tag}") })),
        ),
        op(
            "create task",
            Permission::EditPlans,
            "POST",
            format!("/api/v1/plans/{plan}/tasks"),
            Some(json!({ "content_area_id": area, "title": format!("Việc {tag}"), "lead_unit_id": t1,
                         "start_date": "2026-01-01", "due_date": "2026-06-30" })),
        ),
        op(
            "edit task",
            Permission::EditPlans,
            "PATCH",
            format!("/api/v1/tasks/{task}"),
            Some(json!({ "description": format!("Mô tả {tag}") })),
        ),
        op(
            "set the province's calendar override",
            Permission::ManageCalendarDefaults,
            "PUT",
            "/api/v1/calendar/default-overrides/2027-01-05".into(),
            Some(json!({ "kind": "day_off", "name": format!("Nghỉ {tag}"), "source": "Quyết định thử nghiệm" })),
        ),
        op(
            "import plan",
            Permission::EditPlans,
            "POST",
            "/api/v1/plans/import".into(),
            Some(serde_json::from_str(include_str!("../../src/plans/seed/plan-2023.json")).unwrap()),
        ),
        op("plan lineage", Permission::ReadPlans, "GET", format!("/api/v1/plans/{plan}/lineage"), None),
        // Last: it closes the plan.
        op("roll plan over", Permission::EditPlans, "POST", format!("/api/v1/plans/{plan}/roll-over"), Some(json!({}))),
    ]
}

/// The failure of an operation `role` may do.
fn refused(role: Role, op: &Op, r: &Res) -> String {
    format!("{role:?} may {} ({:?}) but got {}: {}", op.name, op.perm, r.status, r.text)
}

/// `r` answers `op` as `role` sent it: a success where the role may, `403 forbidden` where not.
fn assert_gate(role: Role, op: &Op, r: &Res, allowed: bool) {
    if allowed {
        assert!((200..300).contains(&r.status), "{}", refused(role, op, r));
    } else {
        assert_eq!(r.status, 403, "{role:?} must not {} ({:?}): {}", op.name, op.perm, r.text);
        assert_eq!(r.code(), "forbidden");
    }
}

fn every_role_times_every_operation(app: &TestApp) {
    let admin = app.login("admin").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in operations(app, &admin, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            assert_gate(role, &op, &r, has_permission(role, op.perm));
            checked += 1;
        }
        // Anyone signed in may read and change their own account.
        assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 200);
        let me = app.get("/api/v1/auth/me", Some(&s.token));
        let perms: Vec<String> =
            me.body["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
        let expected: Vec<String> = thanthien::auth::role_permissions(role)
            .iter()
            .map(|p| serde_json::to_value(p).unwrap().as_str().unwrap().to_string())
            .collect();
        assert_eq!(perms, expected, "{role:?} permissions reported by /auth/me");
    }
    assert_eq!(checked, Role::ALL.len() * operations(app, &admin, "count").len());
    // Without a token every protected operation is 401.
    for op in operations(app, &admin, "anon") {
        let r = app.send(op.method, &op.path, None, op.body);
        assert_eq!(r.status, 401, "anonymous {}", op.name);
    }
}

/// One-stop and calendar operations. Reading dossiers and procedures needs a commune, so an
/// oversight user (statistics only, no commune) is refused even though it reads statistics.
fn onestop_operations(app: &TestApp, ubnd: &str, tag: &str) -> Vec<Op> {
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(ubnd));
    let procedure = procs.body["items"][0]["id"].as_i64().unwrap();
    let intake = json!({ "procedure_id": procedure, "channel": 1,
        "applicant": { "name": "Lê Thị Mai", "phone": "0987654321", "id_number": "038190004321", "address": "Thôn 1" } });
    let dossier = app.post("/api/v1/dossiers", Some(ubnd), intake.clone()).body["id"].as_i64().unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let op = |name: &'static str, perm: Permission, method: &'static str, path: String, body: Option<Value>| Op {
        name,
        perm,
        method,
        path,
        body,
    };
    vec![
        op("list procedures", Permission::ReadStatistics, "GET", "/api/v1/procedures".into(), None),
        op("get procedure", Permission::ReadStatistics, "GET", format!("/api/v1/procedures/{procedure}"), None),
        op(
            "create procedure",
            Permission::ManageProcedures,
            "POST",
            "/api/v1/procedures".into(),
            Some(json!({ "code": format!("M-{tag}"), "name": "Thủ tục thử", "field": "Khác", "limit_amount": 1,
                "limit_unit": "working_days", "online_level": "none" })),
        ),
        op(
            "update procedure",
            Permission::ManageProcedures,
            "PATCH",
            format!("/api/v1/procedures/{procedure}"),
            Some(json!({ "fee_note": format!("Ghi chú {tag}") })),
        ),
        op("receive dossier", Permission::ProcessDossiers, "POST", "/api/v1/dossiers".into(), Some(intake)),
        op(
            "preview appointment",
            Permission::ProcessDossiers,
            "POST",
            "/api/v1/dossiers/preview-due".into(),
            Some(json!({ "procedure_id": procedure })),
        ),
        op("list dossiers", Permission::ReadDossiers, "GET", "/api/v1/dossiers".into(), None),
        op("get dossier", Permission::ReadDossiers, "GET", format!("/api/v1/dossiers/{dossier}"), None),
        op(
            "set dossier flags",
            Permission::ProcessDossiers,
            "PATCH",
            format!("/api/v1/dossiers/{dossier}"),
            Some(json!({ "digitised": true })),
        ),
        op(
            "act on dossier",
            Permission::ProcessDossiers,
            "POST",
            format!("/api/v1/dossiers/{dossier}/actions"),
            Some(json!({ "action": "start_processing" })),
        ),
        op("print form 01", Permission::ReadPersonalData, "GET", format!("/api/v1/dossiers/{dossier}/forms/01"), None),
        op(
            "dossier register",
            Permission::ReadPersonalData,
            "GET",
            format!("/api/v1/dossiers/register?from={today}&to={today}"),
            None,
        ),
        op(
            "national export",
            Permission::ReadDossiers,
            "GET",
            format!("/api/v1/onestop/national-export?from={today}&to={today}"),
            None,
        ),
        op(
            "set calendar override",
            Permission::ManageSettings,
            "PUT",
            "/api/v1/calendar/overrides/2027-01-04".into(),
            Some(json!({ "kind": "day_off", "name": format!("Nghỉ {tag}") })),
        ),
        op(
            "set working hours",
            Permission::ManageSettings,
            "PUT",
            "/api/v1/calendar/hours".into(),
            Some(
                json!({ "effective_from": thanthien::time::today_local() + chrono::Duration::days(40), "morning_start": "07:00", "morning_end": "11:30",
                "afternoon_start": "13:30", "afternoon_end": "17:00" }),
            ),
        ),
        op(
            "read procedure details",
            Permission::ManageProcedures,
            "GET",
            format!("/api/v1/procedures/{procedure}/details"),
            None,
        ),
        op(
            "set procedure details",
            Permission::ManageProcedures,
            "PUT",
            format!("/api/v1/procedures/{procedure}/details"),
            Some(json!({ "documents": [format!("Giấy tờ {tag}")], "steps": [], "place": null })),
        ),
    ]
}

fn every_role_times_every_onestop_operation(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in onestop_operations(app, &ubnd, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            let allowed = has_permission(role, op.perm) && role != Role::Oversight;
            if role == Role::Oversight && matches!(op.name, "list dossiers" | "national export") {
                // Oversight may list one commune it oversees, and must say which.
                assert_eq!(r.status, 422, "{}", r.text);
                assert_eq!(r.body["errors"][0]["field"], "commune_id");
            } else {
                assert_gate(role, &op, &r, allowed);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * 17);
    for op in onestop_operations(app, &ubnd, "anon") {
        assert_eq!(app.send(op.method, &op.path, None, op.body).status, 401, "anonymous {}", op.name);
    }
}

fn village_heads_cannot_reach_other_villages_accounts(app: &TestApp) {
    let thon1 = app.login("thon1");
    let admin = app.login("admin");
    let t2_user = app.user_id(&admin.token, "thon2");
    let t2_unit = app.unit_id(&admin.token, "T2");
    assert_eq!(app.get(&format!("/api/v1/users/{t2_user}"), Some(&thon1.token)).status, 403);
    assert_eq!(app.patch(&format!("/api/v1/units/{t2_unit}"), Some(&thon1.token), json!({ "name": "x" })).status, 403);
    assert_eq!(
        app.patch(&format!("/api/v1/users/{t2_user}"), Some(&thon1.token), json!({ "active": false })).status,
        403
    );
    app.login("thon2");
}

/// Statistics: readable by every role holding `ReadStatistics`, oversight included (over the
/// communes it oversees); the yearly target only by the board.
fn statistics_operations(tag: &str) -> Vec<Op> {
    let year = 2030 + (tag.len() as i64 % 7);
    let get = |name: &'static str, path: &str| Op {
        name,
        perm: Permission::ReadStatistics,
        method: "GET",
        path: path.to_string(),
        body: None,
    };
    vec![
        get("indicators", "/api/v1/onestop/indicators?group_by=procedure"),
        get("indicators by month", "/api/v1/onestop/indicators?group_by=month"),
        get("indicators csv", "/api/v1/onestop/indicators.csv"),
        get("indicators xlsx", "/api/v1/onestop/indicators.xlsx"),
        get("index 766", "/api/v1/onestop/index766"),
        get("index 766 csv", "/api/v1/onestop/index766.csv"),
        get("index 766 xlsx", "/api/v1/onestop/index766.xlsx"),
        get("online levels", "/api/v1/onestop/online-levels"),
        get("online levels csv", "/api/v1/onestop/online-levels.csv"),
        Op {
            name: "set yearly target",
            perm: Permission::SetTargets,
            method: "PUT",
            path: format!("/api/v1/onestop/targets/{year}"),
            body: Some(json!({ "online_share": 0.6, "note": format!("Mục tiêu {tag}") })),
        },
    ]
}

fn every_role_times_every_statistics_operation(app: &TestApp) {
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in statistics_operations(role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            if has_permission(role, op.perm) {
                assert!((200..300).contains(&r.status), "{role:?} may {} but got {}: {}", op.name, r.status, r.text);
            } else {
                assert_eq!(r.status, 403, "{role:?} must not {}: {}", op.name, r.text);
                assert_eq!(r.code(), "forbidden");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * 10);
    for op in statistics_operations("anon") {
        assert_eq!(app.send(op.method, &op.path, None, op.body).status, 401, "anonymous {}", op.name);
    }
}

/// Permissions the next modules (surveys, reception, disclosures, evaluation) will check; no
/// endpoint checks them yet. When a module arrives, its operations join the matrix and its
/// permission leaves this list — the test below fails until both happen.
const AWAITING_A_MODULE: [Permission; 0] = [];

/// Operations whose real request the matrix cannot send (multipart uploads): sent with a JSON
/// body, they must still be refused with 403 exactly when the role lacks the permission — the
/// permission is checked before the body is read — and never with 403 otherwise.
fn gate_operations(app: &TestApp, admin: &str) -> Vec<Op> {
    let f = crate::plans::matrix_fixture(app, admin);
    // Webhook subscriptions belong to a key: an oversight user (who manages keys too) finds
    // this commune key's subscriptions absent (404), never forbidden.
    let (key, _) = crate::integration::admin_key(app, admin, &["receive_webhooks", "read_dossiers_masked"]);
    let hook = json!({ "url": "http://hooks.example.org/tt", "events": ["dossier.received"] });
    let sub = app.post(&format!("/api/v1/api-keys/{key}/webhooks"), Some(admin), hook.clone());
    let sub = sub.body["subscription"]["id"].as_i64().unwrap();
    let webhook_ops = vec![
        Op {
            name: "subscribe a key to events",
            perm: Permission::ManageApiKeys,
            method: "POST",
            path: format!("/api/v1/api-keys/{key}/webhooks"),
            body: Some(hook),
        },
        Op {
            name: "list a key's subscriptions",
            perm: Permission::ManageApiKeys,
            method: "GET",
            path: format!("/api/v1/api-keys/{key}/webhooks"),
            body: None,
        },
        Op {
            name: "turn a subscription off",
            perm: Permission::ManageApiKeys,
            method: "PATCH",
            path: format!("/api/v1/webhooks/{sub}"),
            body: Some(json!({ "active": false })),
        },
        Op {
            name: "read the delivery log",
            perm: Permission::ManageApiKeys,
            method: "GET",
            path: format!("/api/v1/webhooks/{sub}/deliveries"),
            body: None,
        },
        Op {
            name: "send a delivery again",
            perm: Permission::ManageApiKeys,
            method: "POST",
            path: "/api/v1/webhook-deliveries/999999/resend".into(),
            body: None,
        },
        Op {
            name: "delete a subscription",
            perm: Permission::ManageApiKeys,
            method: "DELETE",
            path: "/api/v1/webhooks/999999".into(),
            body: None,
        },
    ];
    let mut ops = webhook_ops;
    // The commune's feedback categories (Open311 service codes).
    let cats = app.get("/api/v1/feedback-categories", Some(admin));
    let cat = cats.body[0]["id"].as_i64().unwrap();
    ops.extend(vec![
        Op {
            name: "list feedback categories",
            perm: Permission::ManageSettings,
            method: "GET",
            path: "/api/v1/feedback-categories".into(),
            body: None,
        },
        Op {
            name: "create a feedback category",
            perm: Permission::ManageSettings,
            method: "POST",
            path: "/api/v1/feedback-categories".into(),
            body: Some(json!({ "code": "ma-tran", "name": "Ma trận", "kind": "feedback" })),
        },
        Op {
            name: "update a feedback category",
            perm: Permission::ManageSettings,
            method: "PATCH",
            path: format!("/api/v1/feedback-categories/{cat}"),
            body: Some(json!({ "keywords": "ma trận" })),
        },
    ]);
    ops.extend(vec![
        Op {
            name: "post a progress report",
            perm: Permission::ReportTasks,
            method: "POST",
            path: format!("/api/v1/tasks/{}/reports", f.task),
            body: Some(json!({ "text": "x", "progress": 10 })),
        },
        Op {
            name: "import dossiers",
            perm: Permission::ImportDossiers,
            method: "POST",
            path: "/api/v1/onestop/import".into(),
            body: Some(json!({ "file": "x" })),
        },
        Op {
            name: "confirm a village relay",
            perm: Permission::RelayDisclosures,
            method: "POST",
            path: format!(
                "/api/v1/disclosures/{}/relays",
                crate::democracy::village_disclosure(app, admin, "Cổng kiểm tra", 1)
            ),
            body: Some(json!({ "note": "x" })),
        },
        Op {
            name: "attach disclosure files",
            perm: Permission::ManageDisclosures,
            method: "POST",
            path: format!(
                "/api/v1/disclosures/{}/files",
                crate::democracy::village_disclosure(app, admin, "Cổng tệp", 1)
            ),
            body: Some(json!({ "kind": "document" })),
        },
    ]);
    ops
}

fn every_role_at_every_permission_gate(app: &TestApp) {
    let admin = app.login("admin").token;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in gate_operations(app, &admin) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            if has_permission(role, op.perm) {
                assert!(r.status != 403 && r.status != 401 && r.status < 500, "{}", refused(role, &op, &r));
            } else {
                assert_eq!(r.status, 403, "{role:?} must not {} ({:?}): {}", op.name, op.perm, r.text);
            }
        }
    }
}

/// A caller without an operation's permission is refused 403 before anything it sent is read:
/// a body that is not JSON, a query whose every value is wrong, or a path whose ids are not
/// numbers tells it nothing of what the operation expects (no 400 `malformed_body`, no 422
/// field errors, no 404).
fn a_forbidden_caller_is_refused_before_its_input_is_read(app: &TestApp) {
    let (admin, ubnd, bdh) = (app.login("admin").token, app.login("ubnd").token, app.login("bdh").token);
    let mut ops = operations(app, &admin, "garbled");
    ops.extend(onestop_operations(app, &ubnd, "garbled"));
    ops.extend(statistics_operations("garbled"));
    ops.extend(gate_operations(app, &admin));
    ops.extend(petition_operations(app, &ubnd, "garbled"));
    ops.extend(surveys_operations(app, &bdh, "garbled"));
    ops.extend(evaluation_operations(app, &bdh, "garbled"));
    let signed = |r: reqwest::blocking::RequestBuilder, token: Option<&str>| match token {
        Some(t) => r.bearer_auth(t),
        None => r,
    };
    // Every id, date or year in the path becomes `x`, which names nothing.
    let garbled_path = |path: &str| {
        let (path, query) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
        let path: Vec<&str> =
            path.split('/').map(|s| if s.starts_with(|c: char| c.is_ascii_digit()) { "x" } else { s }).collect();
        let path = path.join("/");
        query.map_or(path.clone(), |q| format!("{path}?{q}"))
    };
    let send_garbled = |op: &Op, token: Option<&str>, method: reqwest::Method, path: &str| {
        let r = if op.body.is_some() {
            let r = app.client.request(method, app.url(path)).header("content-type", "application/json");
            signed(r, token).body("{\"title\": [").send()
        } else {
            let glue = if path.contains('?') { '&' } else { '?' };
            let path = format!("{path}{glue}page=x&per_page=x&year=x&from=x&to=x&status=x&commune_id=x");
            signed(app.client.request(method, app.url(&path)), token).send()
        };
        Res::from(r.expect("request"))
    };
    // The input is garbled with the path as it is, then (where it holds one) with its path too.
    let garbled = |op: &Op, token: Option<&str>| {
        let method = reqwest::Method::from_bytes(op.method.as_bytes()).expect("method");
        let paths = [op.path.clone(), garbled_path(&op.path)];
        let paths = if paths[0] == paths[1] { &paths[..1] } else { &paths[..] };
        paths.iter().map(|path| send_garbled(op, token, method.clone(), path)).collect::<Vec<Res>>()
    };
    for op in &ops {
        for r in garbled(op, None) {
            assert_eq!(r.status, 401, "anonymous, garbled, {}: {}", op.name, r.text);
        }
    }
    let mut refused = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        // A unit reporting on a task may change its status and progress through the same call
        // that edits it: the call admits it, only the fields it sent are refused.
        let may_call = |op: &Op| {
            has_permission(role, op.perm) || (op.name == "edit task" && has_permission(role, Permission::ReportTasks))
        };
        for op in ops.iter().filter(|op| !may_call(op)) {
            for r in garbled(op, Some(&s.token)) {
                assert_eq!(r.status, 403, "{role:?}, garbled, must not {} ({:?}): {}", op.name, op.perm, r.text);
                refused += 1;
            }
        }
    }
    // A session found moments ago is remembered, so its verdict is often ready before anything
    // else is read; an API key is looked up in the database on every request, so its verdict
    // comes last and the path, the query and the body must each wait for it.
    let (_, key) = crate::integration::admin_key(app, &admin, &[KeyScope::ReadAggregates.as_str()]);
    for op in ops.iter().filter(|op| !key_may(op, KeyScope::ReadAggregates)) {
        for r in garbled(op, Some(&key)) {
            assert_eq!(r.status, 403, "read_aggregates key, garbled, must not {}: {}", op.name, r.text);
            refused += 1;
        }
    }
    assert!(refused > 900, "only {refused} refusals tried");
}

/// Every permission in the table is exercised by at least one operation of the matrix (so none
/// is dead policy), except those awaiting their module, which none may exercise yet.
fn every_permission_is_checked_by_some_operation(app: &TestApp) {
    let admin = app.login("admin").token;
    let ubnd = app.login("ubnd").token;
    let mut used: Vec<Permission> = operations(app, &admin, "used").iter().map(|op| op.perm).collect();
    used.extend(onestop_operations(app, &ubnd, "used").iter().map(|op| op.perm));
    used.extend(statistics_operations("used").iter().map(|op| op.perm));
    used.extend(gate_operations(app, &admin).iter().map(|op| op.perm));
    used.extend(petition_operations(app, &ubnd, "used").iter().map(|op| op.perm));
    used.extend(surveys_operations(app, &app.login("bdh").token, "used").iter().map(|op| op.perm));
    used.extend(evaluation_operations(app, &app.login("bdh").token, "used").iter().map(|op| op.perm));
    for perm in Permission::ALL {
        if AWAITING_A_MODULE.contains(&perm) {
            assert!(
                !used.contains(&perm),
                "{perm:?} is checked now: add its module's operations and drop it from AWAITING_A_MODULE"
            );
        } else {
            assert!(used.contains(&perm), "no operation of the matrix checks {perm:?}");
        }
    }
}

/// Whether a concrete path matches a route pattern (`{x}` = one numeric segment, as ids are;
/// query ignored).
fn matches_pattern(path: &str, pattern: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), pattern.split('/').collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, p)| {
            (p.starts_with('{') && p.ends_with('}') && !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit())) || x == p
        })
}

/// Whether a key of `scope` (issued by an administrator) may call `op`: the route is open to keys,
/// the scope grants the operation's permission and the administrator holds it.
fn key_may(op: &Op, scope: KeyScope) -> bool {
    let open = KEY_ROUTES.iter().any(|(m, p)| *m == op.method && matches_pattern(&op.path, p));
    open && scope.permissions().contains(&op.perm) && has_permission(Role::Admin, op.perm)
}

/// API keys in the matrix: for every scope, a key of the demo admin tries every operation. It
/// may exactly what the endpoint accepts from keys, its scope grants and its creator's role
/// holds; everything else is 403.
fn every_key_scope_times_every_operation(app: &TestApp) {
    let admin = app.login("admin").token;
    let ubnd = app.login("ubnd").token;
    let mut ops = operations(app, &admin, "key");
    ops.extend(onestop_operations(app, &ubnd, "key"));
    ops.extend(statistics_operations("key"));
    let mut allowed_somewhere = 0;
    for scope in KeyScope::ALL {
        let (_, key) = crate::integration::admin_key(app, &admin, &[scope.as_str()]);
        for op in &ops {
            let allowed = key_may(op, scope);
            let r = app.send(op.method, &op.path, Some(&key), op.body.clone());
            if allowed {
                allowed_somewhere += 1;
                assert!(
                    (200..300).contains(&r.status),
                    "{scope:?} key may {} but got {}: {}",
                    op.name,
                    r.status,
                    r.text
                );
            } else {
                assert_eq!(r.status, 403, "{scope:?} key must not {}: {}", op.name, r.text);
                assert_eq!(r.code(), "forbidden");
            }
        }
    }
    // Every route open to keys is exercised by some allowed operation.
    assert!(allowed_somewhere >= 20, "{allowed_somewhere}");
    // An oversight user's province-wide key: statistics over the province, no dossier rows.
    let tinh = app.login("tinh").token;
    let (_, key) = crate::integration::issue(
        app,
        &tinh,
        json!({ "name": "Cổng tỉnh", "owner": "Sở", "kind": "live", "scopes": ["read_aggregates", "read_dossiers_masked"] }),
    );
    for op in statistics_operations("okey") {
        let open = KEY_ROUTES.iter().any(|(m, p)| *m == op.method && matches_pattern(&op.path, p));
        let r = app.send(op.method, &op.path, Some(&key), op.body.clone());
        assert_eq!((200..300).contains(&r.status), open, "oversight key {}: {} {}", op.name, r.status, r.text);
    }
}

/// Petitions and reception: filing (board, UBND, village heads), handling (board, UBND), the
/// summary and sessions (the Front too), figures (everyone with statistics, oversight across
/// its communes), the remote-area setting (admin).
fn petition_operations(app: &TestApp, ubnd: &str, tag: &str) -> Vec<Op> {
    let r = app.post(
        "/api/v1/petitions",
        Some(ubnd),
        json!({ "kind": "feedback", "channel": "desk", "subject": format!("Phản ánh {tag}"), "content": "Nội dung phản ánh.", "petitioner_name": "Người dân", "phone": "0911000222" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().expect("petition id");
    // Sessions held some days ago (a visit is recorded on its session's day, never ahead of now).
    let day = |back: u64| thanthien::time::today_local() - chrono::Days::new(back);
    let at = |back: u64, hm: &str| format!("{}T{hm}:00+07:00", day(back));
    // A visit of its own for each role to correct and remove.
    let r = app.post(
        "/api/v1/reception/sessions",
        Some(ubnd),
        json!({ "kind": "adhoc", "starts_at": at(4, "08:00"), "place": "Trụ sở UBND xã", "leader_name": format!("Lãnh đạo {tag}"), "leader_title": "Phó Chủ tịch UBND xã" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let session = r.body["id"].as_i64().expect("session id");
    let visit_body = json!({ "at": at(4, "08:30"), "receiver_name": "Phó Chủ tịch", "citizen_names": format!("Người dân {tag}"), "content": "Hỏi về thủ tục.", "classification": "other", "handling": "guided" });
    let r = app.post(&format!("/api/v1/reception/sessions/{session}/visits"), Some(ubnd), visit_body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let visit = r.body["id"].as_i64().expect("visit id");
    // And a session of its own with an empty register, to correct and remove.
    let r = app.post(
        "/api/v1/reception/sessions",
        Some(ubnd),
        json!({ "kind": "adhoc", "starts_at": at(3, "08:00"), "place": "Trụ sở UBND xã", "leader_name": format!("Lãnh đạo {tag}"), "leader_title": "Phó Chủ tịch UBND xã" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let empty_session = r.body["id"].as_i64().expect("session id");
    let get = |name: &'static str, perm: Permission, path: String| Op { name, perm, method: "GET", path, body: None };
    vec![
        Op {
            name: "receive a petition",
            perm: Permission::SubmitPetitions,
            method: "POST",
            path: "/api/v1/petitions".into(),
            body: Some(
                json!({ "kind": "recommendation", "channel": "desk", "subject": format!("Kiến nghị {tag}"), "content": "Nội dung kiến nghị.", "petitioner_name": "Người dân", "phone": "0911000333" }),
            ),
        },
        get("list petitions", Permission::ProcessPetitions, "/api/v1/petitions?view=overdue".into()),
        get("petition detail", Permission::ProcessPetitions, format!("/api/v1/petitions/{id}")),
        get("petition register", Permission::ProcessPetitions, "/api/v1/petitions/register".into()),
        get("petition summary", Permission::HandleReception, "/api/v1/petitions/summary".into()),
        get("reception sessions", Permission::HandleReception, "/api/v1/reception/sessions".into()),
        get("reception compliance", Permission::HandleReception, "/api/v1/reception/compliance".into()),
        get("petition figures", Permission::ReadStatistics, "/api/v1/petitions/figures".into()),
        get("petition figures by commune", Permission::ReadStatistics, "/api/v1/petitions/figures/by-commune".into()),
        Op {
            name: "plan a reception session",
            perm: Permission::ProcessPetitions,
            method: "POST",
            path: "/api/v1/reception/sessions".into(),
            body: Some(
                json!({ "kind": "adhoc", "starts_at": at(5, "08:00"), "place": "Nhà văn hóa thôn 1", "leader_name": format!("Lãnh đạo {tag}"), "leader_title": "Phó Chủ tịch UBND xã" }),
            ),
        },
        Op {
            name: "set the remote-area flag",
            perm: Permission::ManageSettings,
            method: "PUT",
            path: "/api/v1/petitions/settings".into(),
            body: Some(json!({ "remote_area": false })),
        },
        get("petition handlers", Permission::ProcessPetitions, "/api/v1/petitions/handlers".into()),
        get("register of visits", Permission::ProcessPetitions, "/api/v1/reception/visits".into()),
        Op {
            name: "correct a visit",
            perm: Permission::ProcessPetitions,
            method: "PUT",
            path: format!("/api/v1/reception/visits/{visit}"),
            body: Some(visit_body),
        },
        Op {
            name: "correct a reception session",
            perm: Permission::ProcessPetitions,
            method: "PATCH",
            path: format!("/api/v1/reception/sessions/{empty_session}"),
            body: Some(json!({ "starts_at": at(3, "13:30"), "place": "Nhà văn hóa thôn 3" })),
        },
        Op {
            name: "remove a reception session",
            perm: Permission::ProcessPetitions,
            method: "DELETE",
            path: format!("/api/v1/reception/sessions/{empty_session}"),
            body: None,
        },
        Op {
            name: "remove a visit",
            perm: Permission::ProcessPetitions,
            method: "DELETE",
            path: format!("/api/v1/reception/visits/{visit}"),
            body: None,
        },
    ]
}

fn every_role_times_every_petition_operation(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in petition_operations(app, &ubnd, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            if has_permission(role, op.perm) {
                assert!((200..300).contains(&r.status), "{role:?} may {} but got {}: {}", op.name, r.status, r.text);
            } else {
                assert_eq!(r.status, 403, "{role:?} must not {}: {}", op.name, r.text);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * 17);
    for op in petition_operations(app, &ubnd, "anon") {
        assert_eq!(app.send(op.method, &op.path, None, op.body).status, 401, "anonymous {}", op.name);
    }
}

/// Survey operations. Survey rows belong to a commune, so an oversight user (no commune) is
/// refused even where it holds the permission (it reads aggregates through the statistics).
fn surveys_operations(app: &TestApp, bdh: &str, tag: &str) -> Vec<Op> {
    let forms = app.get("/api/v1/survey-forms", Some(bdh));
    let form =
        forms.body.as_array().unwrap().iter().find(|f| f["code"] == "than_thien").unwrap()["id"].as_i64().unwrap();
    let own = app.post(
        "/api/v1/survey-forms",
        Some(bdh),
        json!({ "title": format!("Phiếu {tag}"), "questions": [{ "id": "overall", "kind": "likert5", "text": "Chung", "required": true }] }),
    );
    let own = own.body["id"].as_i64().unwrap();
    let survey = app.post(
        "/api/v1/surveys",
        Some(bdh),
        json!({ "form_id": form, "title": format!("Khảo sát {tag}"), "starts_on": "2024-01-01", "target": "all", "channels": ["paper", "village"] }),
    );
    let survey = survey.body["id"].as_i64().unwrap();
    let tally = app.post(
        &format!("/api/v1/surveys/{survey}/tallies"),
        Some(bdh),
        json!({ "forms": 2, "collected_on": "2024-12-01", "counts": { "overall": { "5": 2 } } }),
    );
    let tally = tally.body["id"].as_i64().unwrap();
    let answers = json!([{ "question_id": "attitude", "value": 5 }, { "question_id": "listen", "value": 5 },
        { "question_id": "info", "value": 5 }, { "question_id": "dialogue", "value": 5 }, { "question_id": "overall", "value": 5 }]);
    let op = |name: &'static str, perm: Permission, method: &'static str, path: String, body: Option<Value>| Op {
        name,
        perm,
        method,
        path,
        body,
    };
    vec![
        op("list survey forms", Permission::ReadStatistics, "GET", "/api/v1/survey-forms".into(), None),
        op("get survey form", Permission::ReadStatistics, "GET", format!("/api/v1/survey-forms/{form}"), None),
        op(
            "create survey form",
            Permission::RunSurveys,
            "POST",
            "/api/v1/survey-forms".into(),
            Some(
                json!({ "title": format!("Phiếu {tag}"), "questions": [{ "id": "q", "kind": "text", "text": "Ý kiến" }] }),
            ),
        ),
        op(
            "update survey form",
            Permission::RunSurveys,
            "PATCH",
            format!("/api/v1/survey-forms/{own}"),
            Some(json!({ "title": format!("Phiếu sửa {tag}") })),
        ),
        op("list surveys", Permission::ReadStatistics, "GET", "/api/v1/surveys".into(), None),
        op("get survey", Permission::ReadStatistics, "GET", format!("/api/v1/surveys/{survey}"), None),
        op(
            "create survey",
            Permission::RunSurveys,
            "POST",
            "/api/v1/surveys".into(),
            Some(
                json!({ "form_id": form, "title": format!("Đợt {tag}"), "starts_on": "2024-01-01", "target": "all", "channels": ["link"] }),
            ),
        ),
        op(
            "update survey",
            Permission::RunSurveys,
            "PATCH",
            format!("/api/v1/surveys/{survey}"),
            Some(json!({ "title": format!("Khảo sát sửa {tag}") })),
        ),
        op(
            "enter a paper answer",
            Permission::CaptureSurveyAnswers,
            "POST",
            format!("/api/v1/surveys/{survey}/responses"),
            Some(json!({ "client_id": format!("matrix-{tag}-0001"), "answers": answers })),
        ),
        op("list tallies", Permission::RunSurveys, "GET", format!("/api/v1/surveys/{survey}/tallies"), None),
        op(
            "add a tally",
            Permission::RunSurveys,
            "POST",
            format!("/api/v1/surveys/{survey}/tallies"),
            Some(json!({ "forms": 1, "collected_on": "2024-12-01", "counts": { "overall": { "4": 1 } } })),
        ),
        op(
            "read a tally and its history",
            Permission::RunSurveys,
            "GET",
            format!("/api/v1/surveys/{survey}/tallies/{tally}"),
            None,
        ),
        op(
            "correct a tally",
            Permission::RunSurveys,
            "PUT",
            format!("/api/v1/surveys/{survey}/tallies/{tally}"),
            Some(json!({ "forms": 3, "collected_on": "2024-12-01", "counts": { "overall": { "5": 3 } } })),
        ),
        op(
            "survey results",
            Permission::ReadStatistics,
            "GET",
            format!("/api/v1/surveys/{survey}/results?group_by=month"),
            None,
        ),
        op(
            "survey results csv",
            Permission::ReadStatistics,
            "GET",
            format!("/api/v1/surveys/{survey}/results.csv"),
            None,
        ),
        op(
            "survey results xlsx",
            Permission::ReadStatistics,
            "GET",
            format!("/api/v1/surveys/{survey}/results.xlsx"),
            None,
        ),
        op(
            "list entered answers",
            Permission::CaptureSurveyAnswers,
            "GET",
            format!("/api/v1/surveys/{survey}/responses"),
            None,
        ),
    ]
}

fn every_role_times_every_survey_operation(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in surveys_operations(app, &bdh, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            assert_gate(role, &op, &r, has_permission(role, op.perm) && role != Role::Oversight);
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * 17);
    for op in surveys_operations(app, &bdh, "anon") {
        assert_eq!(app.send(op.method, &op.path, None, op.body).status, 401, "anonymous {}", op.name);
    }
}

/// Survey aggregates across communes (`GET /survey-aggregates`): every role holding
/// `read_statistics` reads them — oversight across its province, the others their own commune
/// — and no API key (the route is not open to keys).
fn every_role_reads_survey_aggregates(app: &TestApp) {
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        let r = app.get("/api/v1/survey-aggregates", Some(&s.token));
        if has_permission(role, Permission::ReadStatistics) {
            assert_eq!(r.status, 200, "{role:?}: {}", r.text);
            let n = r.body["communes"].as_array().map_or(0, Vec::len);
            assert!(n >= 1, "{role:?}: {}", r.text);
        } else {
            assert_eq!(r.status, 403, "{role:?} must not read survey aggregates: {}", r.text);
            assert_eq!(r.code(), "forbidden");
        }
    }
    assert_eq!(app.get("/api/v1/survey-aggregates", None).status, 401);
    let admin = app.login("admin").token;
    let (_, key) = crate::integration::admin_key(app, &admin, &["read_aggregates"]);
    assert_eq!(app.get("/api/v1/survey-aggregates", Some(&key)).status, 403);
}

both_engines!(
    a_forbidden_caller_is_refused_before_its_input_is_read,
    every_key_scope_times_every_operation,
    every_permission_is_checked_by_some_operation,
    every_role_at_every_permission_gate,
    every_role_times_every_operation,
    village_heads_cannot_reach_other_villages_accounts,
    every_role_times_every_onestop_operation,
    every_role_times_every_statistics_operation,
    every_role_times_every_petition_operation,
    every_role_times_every_survey_operation,
    every_role_reads_survey_aggregates,
    every_role_times_every_evaluation_operation,
);

/// Evaluation operations: the board evaluates (criteria sets, drafts, publication,
/// re-evaluation); the board, UBND and the Front read every version; oversight reads the
/// published ones of the communes it oversees (and holds no commune for the board's writes).
/// Each role gets its own plan with a draft and a published evaluation.
fn evaluation_operations(app: &TestApp, bdh: &str, tag: &str) -> Vec<Op> {
    // Years before today: these plans must never become the commune's latest active plan, which
    // other operations (a decision or commitment made a task) write into.
    let year = 2000 + tag.len() as i64 % 20;
    let plan = |suffix: &str| {
        let r = app.post(
            "/api/v1/plans",
            Some(bdh),
            json!({ "number": format!("{tag}-{suffix}/KH"), "title": format!("Kế hoạch {tag} {suffix}"), "year": year, "status": "active" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let (p1, p2, p3) = (plan("a"), plan("b"), plan("c"));
    let draft = |p: i64| {
        let r = app.post("/api/v1/evaluations", Some(bdh), json!({ "plan_id": p }));
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body["id"].as_i64().unwrap();
        // Whatever the draft's set leaves to the board is judged, so the draft can be published.
        let judged: serde_json::Map<String, serde_json::Value> = r.body["result"]["unjudged"]
            .as_array()
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_str())
                    .map(|c| (c.to_string(), json!({ "score": 0, "comment": "Đã xem biên bản." })))
                    .collect()
            })
            .unwrap_or_default();
        let r = app.patch(&format!("/api/v1/evaluations/{id}"), Some(bdh), json!({ "judged": judged }));
        assert_eq!(r.status, 200, "{}", r.text);
        id
    };
    let (d1, d2) = (draft(p1), draft(p2));
    let published = draft(p3);
    let r = app.post(&format!("/api/v1/evaluations/{published}/publish"), Some(bdh), json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    let set = app.get("/api/v1/criteria-sets", Some(bdh)).body[0]["id"].as_i64().unwrap();
    let set_body = app.get(&format!("/api/v1/criteria-sets/{set}"), Some(bdh)).body;
    let p4 = plan("d");
    let get = |name: &'static str, perm: Permission, path: String| Op { name, perm, method: "GET", path, body: None };
    vec![
        get("list criteria sets", Permission::Evaluate, "/api/v1/criteria-sets".into()),
        get("get a criteria set", Permission::Evaluate, format!("/api/v1/criteria-sets/{set}")),
        Op {
            name: "create a criteria set version",
            perm: Permission::Evaluate,
            method: "POST",
            path: "/api/v1/criteria-sets".into(),
            body: Some(
                json!({ "year": year, "name": format!("Bộ {tag}"), "criteria": set_body["criteria"], "thresholds": set_body["thresholds"] }),
            ),
        },
        get("list evaluations", Permission::ReadEvaluations, "/api/v1/evaluations".into()),
        get("get an evaluation", Permission::ReadEvaluations, format!("/api/v1/evaluations/{published}")),
        get(
            "evaluation snapshot",
            Permission::ReadEvaluations,
            format!("/api/v1/evaluations/{published}/snapshot.json"),
        ),
        get("evaluation report", Permission::ReadEvaluations, format!("/api/v1/evaluations/{published}/report.docx")),
        get("evaluation annexes", Permission::ReadEvaluations, format!("/api/v1/evaluations/{published}/annexes.xlsx")),
        get(
            "evaluation print view",
            Permission::ReadEvaluations,
            format!("/api/v1/evaluations/{published}/report?period=q1"),
        ),
        Op {
            name: "create an evaluation",
            perm: Permission::Evaluate,
            method: "POST",
            path: "/api/v1/evaluations".into(),
            body: Some(json!({ "plan_id": p4 })),
        },
        Op {
            name: "judge an evaluation",
            perm: Permission::Evaluate,
            method: "PATCH",
            path: format!("/api/v1/evaluations/{d1}"),
            body: Some(json!({ "sections": { "lessons": format!("Bài học {tag}") } })),
        },
        Op {
            name: "publish an evaluation",
            perm: Permission::Evaluate,
            method: "POST",
            path: format!("/api/v1/evaluations/{d2}/publish"),
            body: Some(json!({})),
        },
        Op {
            name: "re-evaluate",
            perm: Permission::Evaluate,
            method: "POST",
            path: format!("/api/v1/evaluations/{published}/re-evaluate"),
            body: Some(json!({ "reason": format!("Lý do {tag}") })),
        },
    ]
}

fn every_role_times_every_evaluation_operation(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in evaluation_operations(app, &bdh, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            if has_permission(role, op.perm) {
                assert!((200..300).contains(&r.status), "{role:?} may {} but got {}: {}", op.name, r.status, r.text);
            } else {
                assert_eq!(r.status, 403, "{role:?} must not {}: {}", op.name, r.text);
                assert_eq!(r.code(), "forbidden");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * 13);
    for op in evaluation_operations(app, &bdh, "anon") {
        assert_eq!(app.send(op.method, &op.path, None, op.body).status, 401, "anonymous {}", op.name);
    }
}
/// Activities, coordination meetings and decisions, community boards: everyone in a commune
/// reads, admin/board/UBND/Front record, the owner unit reports on its decision, those who edit
/// plans turn a decision into a task. (Photo and evidence uploads are multipart: see
/// `coordination.rs`.)
fn coordination_operations(app: &TestApp, admin: &str, tag: &str) -> Vec<Op> {
    let bdh = app.login("bdh").token;
    let (t1, ubnd, ttnd) = (app.unit_id(admin, "T1"), app.unit_id(admin, "UBND"), app.unit_id(admin, "TTND"));
    let f = crate::plans::matrix_fixture(app, admin);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let activity_body = json!({ "kind": "awareness", "title": format!("Tuyên truyền {tag}"), "held_on": "2026-01-10",
        "place": "Nhà văn hóa", "channel": "meeting", "participants": 50, "unit_ids": [t1], "task_id": f.task });
    let a = app.post("/api/v1/activities", Some(&bdh), activity_body.clone());
    assert_eq!(a.status, 201, "{}", a.text);
    let activity = a.body["id"].as_i64().unwrap();
    let meeting_body = json!({ "held_on": "2026-01-15", "place": "UBND", "chaired_by": "Chủ tịch",
        "agenda": format!("Giao ban {tag}"), "units": [{ "unit_id": ubnd }, { "unit_id": t1 }] });
    let m = app.post("/api/v1/meetings", Some(&bdh), meeting_body.clone());
    assert_eq!(m.status, 201, "{}", m.text);
    let meeting = m.body["id"].as_i64().unwrap();
    let decide = || {
        let d = app.post(
            &format!("/api/v1/meetings/{meeting}/decisions"),
            Some(&bdh),
            json!({ "text": format!("Kết luận {tag}"), "owner_unit_id": t1, "due_on": "2026-12-31" }),
        );
        assert_eq!(d.status, 201, "{}", d.text);
        d.body["id"].as_i64().unwrap()
    };
    let (decision, to_convert) = (decide(), decide());
    let area = crate::coordination::current_area(app, admin);
    let s = app.post(
        "/api/v1/supervisions",
        Some(&bdh),
        json!({ "board_unit_id": ttnd, "held_on": "2026-01-20", "subject": format!("Giám sát {tag}"),
                "recommendations": [{ "text": "Kiến nghị" }] }),
    );
    assert_eq!(s.status, 201, "{}", s.text);
    let supervision = s.body["id"].as_i64().unwrap();
    let recommendation = s.body["recommendations"][0]["id"].as_i64().unwrap();
    let op = |name: &'static str, perm: Permission, method: &'static str, path: String, body: Option<Value>| Op {
        name,
        perm,
        method,
        path,
        body,
    };
    vec![
        op("list activities", Permission::ReadDemocracy, "GET", "/api/v1/activities".into(), None),
        op("get activity", Permission::ReadDemocracy, "GET", format!("/api/v1/activities/{activity}"), None),
        op("task activities", Permission::ReadDemocracy, "GET", format!("/api/v1/tasks/{}/activities", f.task), None),
        op(
            "record activity",
            Permission::ManageDisclosures,
            "POST",
            "/api/v1/activities".into(),
            Some(activity_body.clone()),
        ),
        op(
            "edit activity",
            Permission::ManageDisclosures,
            "PUT",
            format!("/api/v1/activities/{activity}"),
            Some(activity_body),
        ),
        op("list meetings", Permission::ReadDemocracy, "GET", "/api/v1/meetings".into(), None),
        op("get meeting", Permission::ReadDemocracy, "GET", format!("/api/v1/meetings/{meeting}"), None),
        op("list decisions", Permission::ReadDemocracy, "GET", "/api/v1/decisions?overdue=true".into(), None),
        op(
            "record meeting",
            Permission::ManageDisclosures,
            "POST",
            "/api/v1/meetings".into(),
            Some(meeting_body.clone()),
        ),
        op(
            "edit meeting",
            Permission::ManageDisclosures,
            "PUT",
            format!("/api/v1/meetings/{meeting}"),
            Some(meeting_body),
        ),
        op(
            "add decision",
            Permission::ManageDisclosures,
            "POST",
            format!("/api/v1/meetings/{meeting}/decisions"),
            Some(json!({ "text": format!("Kết luận thêm {tag}"), "owner_unit_id": t1, "due_on": today })),
        ),
        op(
            "correct decision",
            Permission::ManageDisclosures,
            "PATCH",
            format!("/api/v1/decisions/{decision}"),
            Some(json!({ "text": format!("Kết luận sửa {tag}"), "due_on": "2026-12-30" })),
        ),
        op(
            "report on a decision",
            Permission::ReadDemocracy,
            "POST",
            format!("/api/v1/decisions/{decision}/reports"),
            Some(json!({ "text": format!("Tiến độ {tag}"), "status": "in_progress" })),
        ),
        op(
            "decision to task",
            Permission::EditPlans,
            "POST",
            format!("/api/v1/decisions/{to_convert}/task"),
            Some(json!({ "content_area_id": area })),
        ),
        op("list community boards", Permission::ReadDemocracy, "GET", "/api/v1/community-boards".into(), None),
        op("list supervisions", Permission::ReadDemocracy, "GET", "/api/v1/supervisions".into(), None),
        op("get supervision", Permission::ReadDemocracy, "GET", format!("/api/v1/supervisions/{supervision}"), None),
        op("list recommendations", Permission::ReadDemocracy, "GET", "/api/v1/recommendations".into(), None),
        op(
            "record supervision",
            Permission::ManageDisclosures,
            "POST",
            "/api/v1/supervisions".into(),
            Some(json!({ "board_unit_id": ttnd, "held_on": "2026-01-21", "subject": format!("Giám sát thêm {tag}") })),
        ),
        op(
            "edit supervision",
            Permission::ManageDisclosures,
            "PUT",
            format!("/api/v1/supervisions/{supervision}"),
            Some(json!({ "board_unit_id": ttnd, "held_on": "2026-01-20", "subject": format!("Giám sát sửa {tag}") })),
        ),
        op(
            "add recommendation",
            Permission::ManageDisclosures,
            "POST",
            format!("/api/v1/supervisions/{supervision}/recommendations"),
            Some(json!({ "text": format!("Kiến nghị thêm {tag}") })),
        ),
        op(
            "respond to a recommendation",
            Permission::ManageDisclosures,
            "PUT",
            format!("/api/v1/recommendations/{recommendation}/response"),
            Some(json!({ "status": "accepted", "answer": format!("Tiếp thu {tag}") })),
        ),
    ]
}
