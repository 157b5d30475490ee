//! The authorisation matrix: every role × every operation, expected outcomes derived from
//! `role_permissions` — so changing the policy table changes what this test demands.

use serde_json::{Value, json};
use thanthien::auth::{Permission, Role, has_permission};

use crate::both_engines;
use crate::harness::TestApp;

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
    vec![
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
            name: "list communes",
            perm: Permission::ReadCommunes,
            method: "GET",
            path: "/api/v1/communes".into(),
            body: None,
        },
    ]
}

fn every_role_times_every_operation(app: &TestApp) {
    let admin = app.login("admin").token;
    let mut checked = 0;
    for role in Role::ALL {
        let s = app.login(demo_user(role));
        for op in operations(app, &admin, role.as_str()) {
            let r = app.send(op.method, &op.path, Some(&s.token), op.body.clone());
            if has_permission(role, op.perm) {
                assert!(
                    (200..300).contains(&r.status),
                    "{role:?} may {} ({:?}) but got {}: {}",
                    op.name,
                    op.perm,
                    r.status,
                    r.text
                );
            } else {
                assert_eq!(r.status, 403, "{role:?} must not {} ({:?}): {}", op.name, op.perm, r.text);
                assert_eq!(r.code(), "forbidden");
            }
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
    assert_eq!(checked, Role::ALL.len() * 11);
    // Without a token every protected operation is 401.
    for op in operations(app, &admin, "anon") {
        let r = app.send(op.method, &op.path, None, op.body);
        assert_eq!(r.status, 401, "anonymous {}", op.name);
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

both_engines!(every_role_times_every_operation, village_heads_cannot_reach_other_villages_accounts);
