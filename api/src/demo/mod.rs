//! Demo and benchmark data, kept out of the domain modules: the demo commune (xã Bình Lương,
//! its units and users), its one-stop catalogue, its 2023 plan, and the generator of demo
//! communes and dossiers. [`seed`] is the one seeding function (`serve --demo`, `seed-demo`,
//! `gen-demo-dossiers` and the tests all use it).

pub mod commune;
pub mod democracy;
pub mod evaluation;
pub mod generate;
pub mod model;
pub mod petitions;
pub mod plan;
pub mod procedure_details;
pub mod procedures;
pub mod repo;
pub mod surveys;

pub use commune::{DEMO_PASSWORD, DEMO_UNITS};

use crate::db::DbConnection;
use crate::error::AppResult;

/// What [`seed`] added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seeded {
    /// The demo commune, its units and users (only into a database with no commune).
    pub commune: bool,
    /// The demo commune's one-stop procedure catalogue.
    pub procedures: bool,
    /// The 2023 plan.
    pub plan: bool,
    /// A year of public disclosures with their village relays.
    pub disclosures: bool,
    /// Two dialogues with commitments in every state.
    pub dialogues: bool,
    /// The December 2023 survey and the running per-dossier survey.
    pub surveys: bool,
    /// The draft 2023 evaluation of the demo commune.
    pub evaluation: bool,
    /// Monthly awareness activities, quarterly coordination meetings, a board's recommendations.
    pub coordination: bool,
}

/// Seeds the demo commune, its catalogue and its plan — each part once: running it again on
/// a seeded database adds nothing. `password_hash` is the demo users' password hash.
pub fn seed(conn: &mut DbConnection, password_hash: &str) -> AppResult<Seeded> {
    let seeded = Seeded {
        commune: commune::seed_demo(conn, password_hash)?,
        procedures: procedures::seed_demo(conn)?,
        plan: plan::seed_demo_plan(conn)?,
        surveys: surveys::seed_demo(conn)?,
        disclosures: democracy::seed_demo_disclosures(conn)?,
        dialogues: democracy::seed_demo_dialogues(conn)?,
        evaluation: evaluation::seed_demo_evaluation(conn)?,
        coordination: democracy::seed_demo_coordination(conn)?,
    };
    // The demo commune is the sandbox that `tt_test_…` API keys read.
    if let Some((commune, _)) = repo::commune_and_authority(conn, "Bình Lương")? {
        crate::integration::service::mark_sandbox(conn, commune)?;
    }
    procedure_details::seed_demo(conn)?;
    Ok(seeded)
}
pub mod living;
