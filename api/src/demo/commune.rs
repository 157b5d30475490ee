//! The demo commune — xã Bình Lương (Như Xuân, Thanh Hóa), from the 2023 plan this product
//! was born from — and the bootstrap of a first commune and admin on an empty database.

use chrono::{NaiveDate, Utc};
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::org::model::*;
use crate::org::repo;
use crate::org::service::{add_unit, ensure_commune};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "thanthien-demo";

/// Units named in the 2023 plan: its issuer and section IV (Ban Điều hành, UBND, Khối Dân
/// vận), the bodies its text names (Đảng ủy, Mặt trận Tổ quốc and the unions, Ban Thanh tra
/// nhân dân, Ban Giám sát đầu tư của cộng đồng) and the recipients list (villages, schools,
/// health station). Khối Dân vận (the Party's mass-mobilisation bloc) and the Front are two
/// bodies: the plan gives them different duties.
pub const DEMO_UNITS: &[(&str, UnitKind, &str)] = &[
    ("Ban Điều hành mô hình", UnitKind::Board, "BDH"),
    ("UBND xã Bình Lương", UnitKind::PeopleCommittee, "UBND"),
    ("Đảng ủy xã", UnitKind::Other, "DU"),
    ("Khối Dân vận xã", UnitKind::Other, "KDV"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", UnitKind::Front, "MTTQ"),
    ("Ban Thanh tra nhân dân xã", UnitKind::InspectionBoard, "TTND"),
    ("Ban Giám sát đầu tư của cộng đồng xã", UnitKind::InvestmentSupervisionBoard, "GSDTCD"),
    ("Hội Liên hiệp Phụ nữ xã", UnitKind::Union, "HPN"),
    ("Hội Nông dân xã", UnitKind::Union, "HND"),
    ("Hội Cựu chiến binh xã", UnitKind::Union, "CCB"),
    ("Đoàn Thanh niên xã", UnitKind::Union, "DTN"),
    ("Thôn 1", UnitKind::Village, "T1"),
    ("Thôn 2", UnitKind::Village, "T2"),
    ("Thôn 3", UnitKind::Village, "T3"),
    ("Thôn 4", UnitKind::Village, "T4"),
    ("Thôn 5", UnitKind::Village, "T5"),
    ("Thôn 6", UnitKind::Village, "T6"),
    ("Các trường học trên địa bàn xã", UnitKind::School, "TH"),
    ("Trạm Y tế xã", UnitKind::HealthStation, "TYT"),
];

/// Demo accounts: username, full name (invented), role, unit code (None = the province).
pub const DEMO_USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "Quản trị hệ thống (demo)", Role::Admin, Some("UBND")),
    ("bdh", "Trưởng Ban điều hành (demo)", Role::Board, Some("BDH")),
    // The commune chairman: a board account of the steering board, flagged as chairman by the
    // demo petitions (the one besides a petition's handler who reads a denouncer's identity).
    ("chutich", "Chủ tịch UBND xã (demo)", Role::Board, Some("BDH")),
    ("ubnd", "Cán bộ Một cửa (demo)", Role::Ubnd, Some("UBND")),
    ("mttq", "Chủ tịch MTTQ xã (demo)", Role::Front, Some("MTTQ")),
    ("thon1", "Trưởng thôn 1 (demo)", Role::Village, Some("T1")),
    ("thon2", "Trưởng thôn 2 (demo)", Role::Village, Some("T2")),
    ("thon3", "Trưởng thôn 3 (demo)", Role::Village, Some("T3")),
    ("thon4", "Trưởng thôn 4 (demo)", Role::Village, Some("T4")),
    ("thon5", "Trưởng thôn 5 (demo)", Role::Village, Some("T5")),
    ("thon6", "Trưởng thôn 6 (demo)", Role::Village, Some("T6")),
    ("tinh", "Cán bộ theo dõi – tỉnh Thanh Hóa (demo)", Role::Oversight, None),
];

/// Seeds the demo commune when the database has no commune yet. Returns whether it seeded.
/// `password_hash` is the hash of [`DEMO_PASSWORD`] (computed once: every demo account
/// shares the published password, so one salt reveals nothing more).
pub fn seed_demo(conn: &mut DbConnection, password_hash: &str) -> AppResult<bool> {
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        if repo::count_communes(conn)? > 0 {
            return Ok(false);
        }
        let now = Utc::now().naive_utc();
        let (prov, commune) = ensure_commune(conn, &actor, "Thanh Hóa", "Bình Lương")?;
        // Districts were abolished on 01/07/2025; Như Xuân stays as history.
        let district = repo::insert_authority(
            conn,
            &NewAuthority {
                parent_id: Some(prov.id),
                name: "Như Xuân",
                level: "district",
                code: None,
                dissolved_on: NaiveDate::from_ymd_opt(2025, 7, 1),
                created_at: now,
            },
        )?;
        audit::repo::record(
            conn,
            &actor,
            Change {
                commune_id: None,
                action: "create",
                entity: "authority",
                entity_id: Some(district.id.to_string()),
                summary: json!({ "name": "Như Xuân", "level": "district", "dissolved_on": "2025-07-01" }),
            },
        )?;
        let mut unit_ids = Vec::new();
        for (name, kind, code) in DEMO_UNITS {
            let u = add_unit(conn, &actor, &NewUnit::new(commune.id, name, *kind, Some(code), now))?;
            unit_ids.push((*code, u.id));
        }
        for (username, full_name, role, unit_code) in DEMO_USERS {
            let unit_id = unit_code.and_then(|c| unit_ids.iter().find(|(code, _)| *code == c).map(|(_, id)| *id));
            let oversight = *role == Role::Oversight;
            let u = repo::insert_user(
                conn,
                &NewUser {
                    commune_id: (!oversight).then_some(commune.id),
                    unit_id,
                    authority_id: oversight.then_some(prov.id),
                    ..NewUser::new(username, full_name, password_hash, *role, now)
                },
            )?;
            audit::repo::record(
                conn,
                &actor,
                Change {
                    commune_id: u.commune_id,
                    action: "create",
                    entity: "user",
                    entity_id: Some(u.id.to_string()),
                    summary: json!({ "username": username, "role": role.as_str() }),
                },
            )?;
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str) -> Option<(&'static str, UnitKind)> {
        DEMO_UNITS.iter().find(|(_, _, c)| *c == code).map(|(n, k, _)| (*n, *k))
    }

    #[test]
    fn the_units_the_plan_names_are_there_each_on_its_own() {
        assert_eq!(unit("DU"), Some(("Đảng ủy xã", UnitKind::Other)));
        assert_eq!(unit("KDV"), Some(("Khối Dân vận xã", UnitKind::Other)));
        assert_eq!(unit("TTND"), Some(("Ban Thanh tra nhân dân xã", UnitKind::InspectionBoard)));
        assert_eq!(
            unit("GSDTCD"),
            Some(("Ban Giám sát đầu tư của cộng đồng xã", UnitKind::InvestmentSupervisionBoard))
        );
        // Khối Dân vận is not merged into the Front: the plan gives them different duties.
        let (front, kind) = unit("MTTQ").unwrap();
        assert_eq!(kind, UnitKind::Front);
        assert!(!front.contains("Dân vận"), "{front}");
        let mut codes: Vec<&str> = DEMO_UNITS.iter().map(|(_, _, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), DEMO_UNITS.len(), "codes are unique");
    }
}
