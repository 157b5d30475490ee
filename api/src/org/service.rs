//! Rules for units and users: validation, scope, audit. Every function here runs inside one
//! write transaction together with its audit entry.

use chrono::Utc;
use serde_json::json;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::auth::password;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Validator};

fn check_code(v: &mut Validator, code: &str) {
    if code.is_empty() || code.len() > 20 || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        v.add("code", "invalid_format", "Mã gồm 1–20 chữ, số, '-' hoặc '_'.");
    }
}

fn clean_phone(v: &mut Validator, phone: &str) -> Option<String> {
    v.phone("phone", phone);
    Some(phone.trim().to_string()).filter(|p| !p.is_empty())
}

/// Creates a unit in the caller's commune.
pub fn create_unit(conn: &mut DbConnection, actor: &Actor, commune_id: i64, input: CreateUnit) -> AppResult<UnitRow> {
    let mut v = Validator::new();
    v.text("name", &input.name, 1, 120);
    let code = input.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = code {
        check_code(&mut v, c);
    }
    v.finish()?;
    let name = input.name.trim();
    let name_search = fold_search(name);
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        if repo::unit_name_taken(conn, commune_id, &name_search, None)? {
            v.add("name", "already_exists", "Đã có đơn vị cùng tên.");
        }
        if let Some(c) = code
            && repo::unit_code_taken(conn, commune_id, c, None)?
        {
            v.add("code", "already_exists", "Mã đơn vị đã được dùng.");
        }
        v.finish()?;
        add_unit(conn, actor, &NewUnit::new(commune_id, name, input.kind, code, Utc::now().naive_utc()))
    })
}

/// Stores a unit with its audit line, in the caller's transaction (no checks: the callers
/// have made them, or write the demo).
pub fn add_unit(conn: &mut DbConnection, actor: &Actor, unit: &NewUnit) -> AppResult<UnitRow> {
    let row = repo::insert_unit(conn, unit)?;
    audit::repo::record_entity(
        conn,
        actor,
        unit.commune_id,
        "create",
        "unit",
        row.id,
        json!({ "name": row.name, "kind": row.kind, "code": row.code }),
    )?;
    Ok(row)
}

/// Changes a unit of the caller's commune.
pub fn update_unit(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateUnit,
) -> AppResult<UnitRow> {
    let mut v = Validator::new();
    if let Some(n) = &input.name {
        v.text("name", n, 1, 120);
    }
    if let Some(Some(c)) = &input.code {
        check_code(&mut v, c.trim());
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::get_unit(conn, commune_id, id)?;
        let mut v = Validator::new();
        let mut changes = UnitChanges::default();
        let mut diff = serde_json::Map::new();
        if let Some(n) = input.name.as_deref().map(str::trim).filter(|n| *n != before.name) {
            let folded = fold_search(n);
            if repo::unit_name_taken(conn, commune_id, &folded, Some(id))? {
                v.add("name", "already_exists", "Đã có đơn vị cùng tên.");
            }
            diff.insert("name".into(), json!([before.name, n]));
            changes.name = Some(n.to_string());
            changes.name_search = Some(folded);
        }
        if let Some(k) = input.kind.filter(|k| k.as_str() != before.kind) {
            diff.insert("kind".into(), json!([before.kind, k.as_str()]));
            changes.kind = Some(k.as_str().to_string());
        }
        if let Some(code) = input.code {
            let code = code.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
            if code != before.code {
                if let Some(c) = &code
                    && repo::unit_code_taken(conn, commune_id, c, Some(id))?
                {
                    v.add("code", "already_exists", "Mã đơn vị đã được dùng.");
                }
                diff.insert("code".into(), json!([before.code, code]));
                changes.code = Some(code);
            }
        }
        if let Some(a) = input.active.filter(|a| *a != before.active) {
            diff.insert("active".into(), json!([before.active, a]));
            changes.active = Some(a);
        }
        // The accounts of the unit keep the rules they were created under: a village head
        // belongs to a village, and nobody to a unit that has stopped.
        let leaves_village = before.kind == UnitKind::Village.as_str() && changes.kind.is_some();
        if leaves_village || changes.active == Some(false) {
            let members = repo::active_members(conn, id)?;
            let heads: Vec<&str> =
                members.iter().filter(|(_, r)| r == Role::Village.as_str()).map(|(u, _)| u.as_str()).collect();
            if leaves_village && !heads.is_empty() {
                v.add(
                    "kind",
                    "in_use",
                    &format!("Thôn đang có trưởng thôn ({}): chuyển họ sang thôn khác trước.", heads.join(", ")),
                );
            }
            if changes.active == Some(false) && !members.is_empty() {
                let names: Vec<&str> = members.iter().map(|(u, _)| u.as_str()).collect();
                v.add(
                    "active",
                    "in_use",
                    &format!(
                        "Đơn vị còn {} tài khoản đang hoạt động ({}): chuyển họ sang đơn vị khác hoặc khóa tài khoản trước.",
                        names.len(),
                        names.join(", ")
                    ),
                );
            }
        }
        v.finish()?;
        if diff.is_empty() {
            return Ok(before);
        }
        changes.updated_at = Some(Utc::now().naive_utc());
        let row = repo::update_unit(conn, id, &changes)?;
        audit::repo::record_entity(conn, actor, commune_id, "update", "unit", id, diff.into())?;
        Ok(row)
    })
}

/// Sets the commune's kind and its one-stop unit's name (what printed forms say), audited.
pub fn update_commune(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: UpdateCommune,
) -> AppResult<Commune> {
    let mut v = Validator::new();
    if let Some(Some(n)) = &input.onestop_unit_name {
        v.text("onestop_unit_name", n.trim(), 1, 120);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::commune_with_authority(conn, commune_id)?;
        let kind = input.kind.unwrap_or(before.kind);
        let unit = match input.onestop_unit_name {
            Some(n) => n.map(|n| n.trim().to_string()),
            None => before.onestop_unit_name.clone(),
        };
        if kind == before.kind && unit == before.onestop_unit_name {
            return Ok(before);
        }
        repo::update_commune_identity(conn, commune_id, kind.as_str(), unit.as_deref())?;
        audit::repo::record_entity(
            conn,
            actor,
            commune_id,
            "update",
            "commune",
            commune_id,
            json!({ "kind": [before.kind.as_str(), kind.as_str()],
                    "onestop_unit_name": [before.onestop_unit_name, unit] }),
        )?;
        Ok(repo::commune_with_authority(conn, commune_id)?)
    })
}

fn check_username(v: &mut Validator, username: &str) {
    let ok_chars =
        username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if username.is_empty() {
        v.add("username", "required", "Cần nhập tên đăng nhập.");
    } else if username.len() < 3 {
        v.add("username", "too_short", "Tên đăng nhập cần ít nhất 3 ký tự.");
    } else if username.len() > 32 {
        v.add("username", "too_long", "Tên đăng nhập tối đa 32 ký tự.");
    } else if !ok_chars {
        v.add("username", "invalid_format", "Chỉ dùng chữ không dấu, số, '.', '_' hoặc '-'.");
    }
}

/// Checks that a unit suits a role: it must be an active unit of the commune, and a village
/// head's unit must be a village.
fn check_unit_for_role(
    conn: &mut DbConnection,
    v: &mut Validator,
    commune_id: i64,
    unit_id: i64,
    role: Role,
) -> AppResult<()> {
    match repo::get_unit(conn, commune_id, unit_id) {
        Ok(unit) if !unit.active => v.add("unit_id", "invalid_value", "Đơn vị đã ngừng hoạt động."),
        Ok(unit) if role == Role::Village && unit.kind != UnitKind::Village.as_str() => {
            v.add("unit_id", "invalid_value", "Trưởng thôn phải thuộc một thôn.")
        }
        Ok(_) => {}
        Err(diesel::result::Error::NotFound) => v.add("unit_id", "not_found", "Không có đơn vị này."),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Checks a new account's fields before the (slow) password hash is computed; the password
/// must not be built on the commune's name.
pub fn validate_new_user(input: &CreateUser, commune_name: &str) -> AppResult<String> {
    let username = crate::auth::service::normalise_username(&input.username);
    let mut v = Validator::new();
    check_username(&mut v, &username);
    v.text("full_name", &input.full_name, 1, 120);
    if let Some(p) = &input.phone {
        clean_phone(&mut v, p);
    }
    if input.role == Role::Oversight {
        v.add("role", "invalid_value", "Tài khoản cấp trên do tỉnh cấp, không tạo ở xã.");
    }
    let ctx = password::PasswordContext { username: &username, commune_name: Some(commune_name) };
    password::check_new_password(&mut v, "password", &input.password, ctx);
    v.finish()?;
    Ok(username)
}

/// Creates an account in the admin's commune; `password_hash` was computed off this thread.
pub fn create_user(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: CreateUser,
    username: &str,
    password_hash: &str,
) -> AppResult<UserRow> {
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        let phone = input.phone.as_deref().and_then(|p| clean_phone(&mut v, p));
        if repo::username_taken(conn, username)? {
            v.add("username", "already_exists", "Tên đăng nhập đã được dùng.");
        }
        check_unit_for_role(conn, &mut v, commune_id, input.unit_id, input.role)?;
        v.finish()?;
        let now = Utc::now().naive_utc();
        let full_name = input.full_name.trim();
        let row = repo::insert_user(
            conn,
            &NewUser {
                phone: phone.as_deref(),
                commune_id: Some(commune_id),
                unit_id: Some(input.unit_id),
                ..NewUser::new(username, full_name, password_hash, input.role, now)
            },
        )?;
        audit::repo::record_entity(
            conn,
            actor,
            commune_id,
            "create",
            "user",
            row.id,
            json!({ "username": row.username, "full_name": row.full_name, "role": row.role, "unit_id": row.unit_id }),
        )?;
        Ok(row)
    })
}

/// Changes an account of the admin's commune. Disabling it ends its sessions at once.
pub fn update_user(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateUser,
) -> AppResult<UserRow> {
    let mut v = Validator::new();
    if let Some(n) = &input.full_name {
        v.text("full_name", n, 1, 120);
    }
    if input.role == Some(Role::Oversight) {
        v.add("role", "invalid_value", "Tài khoản cấp trên do tỉnh cấp, không tạo ở xã.");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let (before, _) = repo::get_user(conn, commune_id, id)?;
        let before_role = Role::parse(&before.role).ok_or_else(|| AppError::Internal("bad role".into()))?;
        let mut v = Validator::new();
        let mut changes = UserChanges::default();
        let mut diff = serde_json::Map::new();
        if let Some(n) = input.full_name.as_deref().map(str::trim).filter(|n| *n != before.full_name) {
            diff.insert("full_name".into(), json!([before.full_name, n]));
            changes.full_name = Some(n.to_string());
            changes.full_name_search = Some(fold_search(n));
        }
        if let Some(p) = input.phone {
            let p = p.and_then(|p| clean_phone(&mut v, &p));
            if p != before.phone {
                diff.insert("phone".into(), json!("changed"));
                changes.phone = Some(p);
            }
        }
        let role = input.role.unwrap_or(before_role);
        let unit_id = match input.unit_id {
            Some(None) => {
                v.add("unit_id", "required", "Cần chọn đơn vị.");
                before.unit_id
            }
            Some(Some(u)) => Some(u),
            None => before.unit_id,
        };
        if role != before_role {
            diff.insert("role".into(), json!([before.role, role.as_str()]));
            changes.role = Some(role.as_str().to_string());
        }
        if unit_id != before.unit_id {
            diff.insert("unit_id".into(), json!([before.unit_id, unit_id]));
            changes.unit_id = Some(unit_id);
        }
        if role != before_role || unit_id != before.unit_id {
            match unit_id {
                Some(u) => check_unit_for_role(conn, &mut v, commune_id, u, role)?,
                None => v.add("unit_id", "required", "Cần chọn đơn vị."),
            }
        }
        if let Some(a) = input.active.filter(|a| *a != before.active) {
            diff.insert("active".into(), json!([before.active, a]));
            changes.active = Some(a);
        }
        let self_lockout = actor.user_id == Some(id)
            && (changes.active == Some(false) || (before_role == Role::Admin && role != Role::Admin));
        if self_lockout && repo::other_active_admins(conn, commune_id, id)? == 0 {
            v.add(
                if changes.active == Some(false) { "active" } else { "role" },
                "invalid_value",
                "Không thể khóa hoặc hạ quyền quản trị viên cuối cùng.",
            );
        }
        v.finish()?;
        if diff.is_empty() {
            return Ok(before);
        }
        let now = Utc::now().naive_utc();
        changes.updated_at = Some(now);
        let row = repo::update_user(conn, id, &changes)?;
        if changes.active == Some(false) {
            let ended = crate::auth::repo::revoke_user_sessions(conn, id, None, "user_disabled", now)?;
            diff.insert("sessions_ended".into(), json!(ended));
        }
        audit::repo::record_entity(conn, actor, commune_id, "update", "user", id, diff.into())?;
        Ok(row)
    })
}

/// Sets a new password chosen by an admin; every session of that user ends.
pub fn reset_password(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    password_hash: &str,
) -> AppResult<()> {
    write_tx(conn, |conn| {
        repo::get_user(conn, commune_id, id)?;
        let now = Utc::now().naive_utc();
        crate::auth::repo::set_password(conn, id, password_hash, now)?;
        let ended = crate::auth::repo::revoke_user_sessions(conn, id, None, "password_reset", now)?;
        audit::repo::record_entity(
            conn,
            actor,
            commune_id,
            "password_reset",
            "user",
            id,
            json!({ "sessions_ended": ended }),
        )?;
        Ok(())
    })
}

/// Finds or creates a province and a commune under it.
pub fn ensure_commune(
    conn: &mut DbConnection,
    actor: &Actor,
    province: &str,
    commune: &str,
) -> AppResult<(AuthorityRow, CommuneRow)> {
    let now = Utc::now().naive_utc();
    let prov = match repo::find_authority(conn, province, "province")? {
        Some(p) => p,
        None => {
            let p = repo::insert_authority(
                conn,
                &NewAuthority {
                    parent_id: None,
                    name: province,
                    level: "province",
                    code: None,
                    dissolved_on: None,
                    created_at: now,
                },
            )?;
            audit::repo::record(
                conn,
                actor,
                Change {
                    commune_id: None,
                    action: "create",
                    entity: "authority",
                    entity_id: Some(p.id.to_string()),
                    summary: json!({ "name": province, "level": "province" }),
                },
            )?;
            p
        }
    };
    let com = match repo::find_commune(conn, prov.id, commune)? {
        Some(c) => c,
        None => {
            let c = repo::insert_commune(
                conn,
                &NewCommune {
                    authority_id: prov.id,
                    name: commune,
                    code: None,
                    timezone: "Asia/Ho_Chi_Minh",
                    created_at: now,
                },
            )?;
            audit::repo::record_entity(
                conn,
                actor,
                c.id,
                "create",
                "commune",
                c.id,
                json!({ "name": commune, "authority": province }),
            )?;
            c
        }
    };
    Ok((prov, com))
}

/// Creates (or re-enables with a new password) an admin of a commune, creating the province
/// and commune when they do not exist yet. For `thanthien create-admin`.
pub fn create_admin(
    conn: &mut DbConnection,
    province: &str,
    commune: &str,
    username: &str,
    full_name: &str,
    password_hash: &str,
) -> AppResult<(i64, bool)> {
    let actor = Actor::system("create-admin");
    write_tx(conn, |conn| {
        let (_, com) = ensure_commune(conn, &actor, province, commune)?;
        let now = Utc::now().naive_utc();
        if let Some(existing) = crate::auth::repo::find_user_by_username(conn, username)? {
            if existing.commune_id != Some(com.id) || existing.role != Role::Admin.as_str() {
                return Err(AppError::Conflict(format!("user {username} exists and is not an admin of {commune}")));
            }
            crate::auth::repo::set_password(conn, existing.id, password_hash, now)?;
            repo::update_user(
                conn,
                existing.id,
                &UserChanges { active: Some(true), updated_at: Some(now), ..Default::default() },
            )?;
            audit::repo::record_entity(
                conn,
                &actor,
                com.id,
                "password_reset",
                "user",
                existing.id,
                json!({ "reactivated": true }),
            )?;
            return Ok((existing.id, false));
        }
        let unit = match repo::list_units(
            conn,
            com.id,
            &UnitFilter {
                q: None,
                kind: Some(UnitKind::PeopleCommittee),
                active: Some(true),
                page: None,
                per_page: None,
            },
            crate::http::Paging { page: 1, per_page: 1 },
        )?
        .0
        .into_iter()
        .next()
        {
            Some(u) => u,
            None => {
                let name = format!("UBND xã {commune}");
                add_unit(conn, &actor, &NewUnit::new(com.id, &name, UnitKind::PeopleCommittee, Some("UBND"), now))?
            }
        };
        let u = repo::insert_user(
            conn,
            &NewUser {
                commune_id: Some(com.id),
                unit_id: Some(unit.id),
                ..NewUser::new(username, full_name, password_hash, Role::Admin, now)
            },
        )?;
        audit::repo::record_entity(
            conn,
            &actor,
            com.id,
            "create",
            "user",
            u.id,
            json!({ "username": username, "role": "admin" }),
        )?;
        Ok((u.id, true))
    })
}
