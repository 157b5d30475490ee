//! Roles and permissions. `role_permissions` is the one table that says who may do what;
//! the test matrix is generated from it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org::model::Role;

/// Declares the permissions once: the enum, `Permission::ALL`, and for each a marker type in
/// [`can`] that a handler names to be admitted only with it (`Allowed<can::EditPlans>`).
macro_rules! permissions {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Something a role may do. Scope (which rows) is checked separately, in the repo calls.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Permission {
            $($(#[$doc])* $name,)*
        }

        impl Permission {
            pub const ALL: [Permission; [$(stringify!($name)),*].len()] = [$(Permission::$name),*];
        }

        /// One type a permission, for `auth::Allowed`: `Allowed<can::ReadPlans>`.
        pub mod can {
            $(
                #[doc = concat!("The permission `", stringify!($name), "`.")]
                pub struct $name;
                impl crate::auth::permission::Gate for $name {
                    fn admits(may: &dyn Fn(crate::auth::permission::Permission) -> bool) -> bool {
                        may(crate::auth::permission::Permission::$name)
                    }
                }
            )*
        }
    };
}

/// Who may call a handler at all, as a type: what `auth::Allowed` checks
/// before the handler runs. Each permission is one ([`can`]); a module may name another where
/// an endpoint admits more than one permission.
pub trait Gate {
    /// Whether a caller that holds the permissions `may` says it holds may call the handler.
    fn admits(may: &dyn Fn(Permission) -> bool) -> bool;
}

permissions! {
    ManageUsers,
    ManageUnits,
    ManageSettings,
    /// Read the unit list of one's commune (everyone in a commune needs the names).
    ReadUnits,
    ReadAudit,
    EditPlans,
    ReportTasks,
    ReadPlans,
    ManageProcedures,
    ProcessDossiers,
    /// Read dossier rows of one's commune (masked unless `ReadPersonalData`). Village heads see
    /// one-stop aggregates only: in a village of a few hundred households, initials, procedure
    /// and date identify a person.
    ReadDossiers,
    ReadPersonalData,
    ReadStatistics,
    RunSurveys,
    HandleReception,
    ManageDisclosures,
    Evaluate,
    /// Read the communes one oversees (or one's own).
    ReadCommunes,
    /// Set the commune's yearly one-stop targets (the board's decision).
    SetTargets,
    /// Import dossiers exported by the province's one-stop system.
    ImportDossiers,
    /// Set the default working calendar of the level one administers: a province's
    /// oversight staff the province's overrides, the national authority's staff (the national
    /// calendar administrators) the national overrides and Tết decisions.
    ManageCalendarDefaults,
    /// Create, rotate and revoke API keys for systems: a commune's admin for its commune, an
    /// oversight user for the communes of its province.
    ManageApiKeys,
    /// Read the commune's disclosures, their relays and alerts (everyone in a commune).
    ReadDemocracy,
    /// Confirm that a disclosure was announced in one's own village (village heads).
    RelayDisclosures,
    /// Handle petitions and reception sessions: receive, decide, assign, conclude, the register.
    ProcessPetitions,
    /// File a petition (a village head on a villager's behalf).
    SubmitPetitions,
    /// Enter survey answers: paper forms (board, Front) and a village head's capture for
    /// people without a phone (the village's answers only).
    CaptureSurveyAnswers,
    /// Read the model's evaluations and their reports: every version of one's commune's, or
    /// for oversight the published ones of the communes it oversees.
    ReadEvaluations,
}

/// The policy: which permissions each role holds. Scope limits (own unit, own village,
/// aggregates only) are enforced by the domain functions on top of this.
pub fn role_permissions(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Admin => &[
            ManageUsers,
            ManageUnits,
            ManageSettings,
            ReadUnits,
            ReadAudit,
            EditPlans,
            ReadPlans,
            ManageProcedures,
            ReadDossiers,
            ReadStatistics,
            ManageDisclosures,
            ReadCommunes,
            ManageApiKeys,
            ReadDemocracy,
        ],
        Role::Board => &[
            ReadUnits,
            ReadAudit,
            EditPlans,
            ReportTasks,
            ReadPlans,
            ReadDossiers,
            ReadPersonalData,
            ReadStatistics,
            RunSurveys,
            HandleReception,
            ManageDisclosures,
            Evaluate,
            ReadCommunes,
            SetTargets,
            ReadDemocracy,
            ProcessPetitions,
            SubmitPetitions,
            CaptureSurveyAnswers,
            ReadEvaluations,
        ],
        Role::Ubnd => &[
            ReadUnits,
            ReportTasks,
            ReadPlans,
            ManageProcedures,
            ProcessDossiers,
            ImportDossiers,
            ReadDossiers,
            ReadPersonalData,
            ReadStatistics,
            HandleReception,
            ManageDisclosures,
            ReadCommunes,
            ReadDemocracy,
            ProcessPetitions,
            SubmitPetitions,
            ReadEvaluations,
        ],
        Role::Front => &[
            ReadUnits,
            ReportTasks,
            ReadPlans,
            ReadDossiers,
            ReadStatistics,
            RunSurveys,
            HandleReception,
            ManageDisclosures,
            ReadCommunes,
            ReadDemocracy,
            CaptureSurveyAnswers,
            ReadEvaluations,
        ],
        Role::Village => &[
            ReadUnits,
            ReportTasks,
            ReadPlans,
            ReadStatistics,
            HandleReception,
            ReadCommunes,
            ReadDemocracy,
            RelayDisclosures,
            SubmitPetitions,
            CaptureSurveyAnswers,
        ],
        Role::Oversight => {
            &[ReadDossiers, ReadStatistics, ReadCommunes, ManageCalendarDefaults, ManageApiKeys, ReadEvaluations]
        }
    }
}

/// Whether `role` holds `perm`.
pub fn has_permission(role: Role, perm: Permission) -> bool {
    role_permissions(role).contains(&perm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_as_text() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn least_privilege_where_the_policy_is_explicit() {
        // Only the admin manages accounts; only the one-stop staff process dossiers.
        for r in Role::ALL {
            assert_eq!(has_permission(r, Permission::ManageUsers), r == Role::Admin);
            assert_eq!(has_permission(r, Permission::ProcessDossiers), r == Role::Ubnd);
            assert_eq!(has_permission(r, Permission::ReadAudit), matches!(r, Role::Admin | Role::Board));
        }
        // Oversight reads, and writes nothing but the default calendar of its level.
        for p in role_permissions(Role::Oversight) {
            assert!(matches!(
                p,
                Permission::ReadDossiers
                    | Permission::ReadStatistics
                    | Permission::ReadCommunes
                    | Permission::ManageCalendarDefaults
                    | Permission::ManageApiKeys
                    | Permission::ReadEvaluations
            ));
        }
        for r in Role::ALL {
            assert_eq!(has_permission(r, Permission::ManageCalendarDefaults), r == Role::Oversight);
        }
        // Village heads see one-stop aggregates, never dossier rows.
        assert!(!has_permission(Role::Village, Permission::ReadDossiers));
        assert!(has_permission(Role::Village, Permission::ReadStatistics));
    }
}
