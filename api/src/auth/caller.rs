//! Who is calling: the signed-in user's context (or an API key's: `integration`), built once
//! per request by the `AuthUser` extractor and handed to services as `&Caller`. Services need
//! nothing else to decide scope, name the author of a record or write the audit entry.

use super::permission::{Permission, has_permission};
use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::org::model::Role;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i64,
    pub username: String,
    /// The name people read (authors of reports, staff on printed forms).
    pub full_name: String,
    pub role: Role,
    /// The commune the user belongs to; `None` for oversight users.
    pub commune_id: Option<i64>,
    /// The user's unit (a village for village heads, the one-stop desk for its staff).
    pub unit_id: Option<i64>,
    /// The province or district an oversight user reads.
    pub authority_id: Option<i64>,
    /// The request, for the audit entry.
    pub request_id: String,
    /// The client address, for the audit entry.
    pub ip: String,
    /// Set when the request came with an API key (`integration`): the key's own grant, which
    /// bounds what the creator's role allows. `None` for a signed-in person.
    pub key: Option<std::sync::Arc<KeyGrant>>,
}

/// What an API key adds to its creator's identity: which key, and the permissions its scopes
/// map to. A key may do what both its scopes and its creator's current role allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub id: i64,
    /// The visible part of the key (`tt_live_1a2b3c4d`), for the audit entry.
    pub prefix: String,
    pub permissions: Vec<Permission>,
}

impl Caller {
    /// 403 unless the role holds `perm`. The first line of every protected handler; a
    /// service checks nothing the handler already checked.
    pub fn require(&self, perm: Permission) -> AppResult<()> {
        if self.may(perm) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Whether the role holds `perm` (for what a page may offer, such as an edit button).
    pub fn may(&self, perm: Permission) -> bool {
        has_permission(self.role, perm) && self.key.as_ref().is_none_or(|k| k.permissions.contains(&perm))
    }

    /// The caller's commune; users without one (oversight) cannot use commune-scoped calls.
    pub fn commune(&self) -> AppResult<i64> {
        self.commune_id.ok_or(AppError::Forbidden)
    }

    /// The unit that bounds what the caller sees: village heads see their village's records
    /// only, so `Some(unit)` — or `Some(-1)`, matching nothing, for a village head without a
    /// unit; everyone else is bounded by the commune alone (`None`).
    pub fn unit_scope(&self) -> Option<i64> {
        (self.role == Role::Village).then_some(self.unit_id.unwrap_or(-1))
    }

    /// The audit identity of this request.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            username: Some(match &self.key {
                Some(k) => format!("{} (key {})", self.username, k.prefix),
                None => self.username.clone(),
            }),
            role: Some(self.role.as_str().to_string()),
            commune_id: self.commune_id,
            request_id: Some(self.request_id.clone()),
            ip: Some(self.ip.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, unit: Option<i64>, commune: Option<i64>) -> Caller {
        Caller {
            id: 7,
            username: "tt".into(),
            full_name: "Trưởng thôn".into(),
            role,
            commune_id: commune,
            unit_id: unit,
            authority_id: None,
            request_id: "r1".into(),
            ip: "127.0.0.1".into(),
            key: None,
        }
    }

    #[test]
    fn village_heads_are_bounded_by_their_unit() {
        assert_eq!(caller(Role::Village, Some(3), Some(1)).unit_scope(), Some(3));
        assert_eq!(caller(Role::Village, None, Some(1)).unit_scope(), Some(-1));
        assert_eq!(caller(Role::Board, Some(3), Some(1)).unit_scope(), None);
    }

    #[test]
    fn oversight_has_no_commune_and_permissions_follow_the_table() {
        let o = caller(Role::Oversight, None, None);
        assert!(matches!(o.commune(), Err(AppError::Forbidden)));
        assert!(o.may(Permission::ReadStatistics));
        assert!(matches!(o.require(Permission::EditPlans), Err(AppError::Forbidden)));
        let a = caller(Role::Board, None, Some(4)).actor();
        assert_eq!((a.user_id, a.commune_id, a.role.as_deref()), (Some(7), Some(4), Some("board")));
    }

    #[test]
    fn a_key_may_only_what_both_its_scopes_and_its_creator_allow() {
        let mut k = caller(Role::Admin, None, Some(1));
        k.key = Some(std::sync::Arc::new(KeyGrant {
            id: 3,
            prefix: "tt_live_00000000".into(),
            permissions: vec![Permission::ReadPlans, Permission::ReadPersonalData],
        }));
        assert!(k.may(Permission::ReadPlans));
        // The scope grants it, the admin role does not: refused.
        assert!(!k.may(Permission::ReadPersonalData));
        // The role grants it, the scope does not: refused.
        assert!(!k.may(Permission::ManageUsers));
        assert_eq!(k.actor().username.as_deref(), Some("tt (key tt_live_00000000)"));
    }
}
