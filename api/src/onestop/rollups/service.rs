//! Recomputing the roll-ups from the dossiers: `thanthien verify-rollups` compares them with
//! what is stored, `thanthien rebuild-rollups` replaces what is stored.

use std::collections::BTreeSet;

use diesel::Connection;

use super::hist::Hist;
use super::model::{Deltas, HistKey, MEASURES};
use super::repo;
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;

/// Dossiers read per query in a pass over all of them.
const PASS: i64 = 20_000;

/// The roll-ups recomputed from every dossier.
pub fn recompute(conn: &mut DbConnection) -> AppResult<Deltas> {
    let mut d = Deltas::default();
    let mut after = 0;
    loop {
        let batch = repo::inputs_after(conn, after, PASS)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for i in &batch {
            d.add(i, 1);
        }
    }
    d.drop_zeros();
    Ok(d)
}

/// The roll-ups as stored (rows whose counts are all zero are left out: they count nothing),
/// and the histograms that do not decode (left out).
pub fn stored(conn: &mut DbConnection) -> AppResult<(Deltas, Vec<HistKey>)> {
    let mut d = Deltas::default();
    let mut corrupt = Vec::new();
    for r in repo::all_rows(conn)? {
        d.rows.insert(r.key(), r.measures());
    }
    for x in repo::all_histograms(conn)? {
        let Ok(hist) = Hist::decode(&x.hist) else {
            corrupt.push(x.key());
            continue;
        };
        for (minutes, n) in hist.entries() {
            d.minutes.insert((x.commune_id, x.grain, x.day, x.procedure_id, *minutes), *n);
        }
    }
    d.drop_zeros();
    Ok((d, corrupt))
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Roll-up rows and histogram rows recomputed from the dossiers.
    pub rows: usize,
    pub minutes: usize,
    /// How many of them differ from what is stored (missing, extra or other counts).
    pub differences: usize,
    /// The first differences, described.
    pub examples: Vec<String>,
}

const MEASURE_NAMES: [&str; MEASURES] = [
    "received",
    "online",
    "postal",
    "paid_online",
    "digitised",
    "from_data_store",
    "ended",
    "early",
    "on_time",
    "late",
    "electronic_result",
    "late_without_apology",
    "returned",
    "open_delta",
    "overdue_delta",
];

/// Recomputes the roll-ups from the dossiers and compares them with the stored ones, in one
/// snapshot of the database.
pub fn verify(conn: &mut DbConnection) -> AppResult<Check> {
    let (want, (have, corrupt)) = conn.transaction::<_, crate::error::AppError, _>(|conn| {
        repo::snapshot(conn)?;
        Ok((recompute(conn)?, stored(conn)?))
    })?;
    let mut check = Check { rows: want.rows.len(), minutes: want.minutes.len(), differences: 0, examples: Vec::new() };
    for k in &corrupt {
        check.differences += 1;
        if check.examples.len() < 20 {
            check.examples.push(format!(
                "commune {} grain {} day {} procedure {}: the stored histogram does not decode",
                k.0, k.1, k.2, k.3
            ));
        }
    }
    let zero = [0; MEASURES];
    let keys: BTreeSet<_> = want.rows.keys().chain(have.rows.keys()).copied().collect();
    for k in keys {
        let (w, h) = (want.rows.get(&k).unwrap_or(&zero), have.rows.get(&k).unwrap_or(&zero));
        if w != h {
            check.differences += 1;
            if check.examples.len() < 20 {
                let diffs: Vec<String> = (0..MEASURES)
                    .filter(|i| w[*i] != h[*i])
                    .map(|i| format!("{} stored {} recomputed {}", MEASURE_NAMES[i], h[i], w[i]))
                    .collect();
                check.examples.push(format!(
                    "commune {} grain {} day {} procedure {} status {}: {}",
                    k.0,
                    k.1,
                    k.2,
                    k.3,
                    k.4,
                    diffs.join(", ")
                ));
            }
        }
    }
    // A histogram that does not decode is one difference, not one per count it should hold.
    let keys: BTreeSet<_> = want
        .minutes
        .keys()
        .chain(have.minutes.keys())
        .filter(|k| !corrupt.contains(&(k.0, k.1, k.2, k.3)))
        .copied()
        .collect();
    for k in keys {
        let (w, h) = (want.minutes.get(&k).copied().unwrap_or(0), have.minutes.get(&k).copied().unwrap_or(0));
        if w != h {
            check.differences += 1;
            if check.examples.len() < 20 {
                check.examples.push(format!(
                    "commune {} grain {} day {} procedure {} minutes {}: stored {h} recomputed {w}",
                    k.0, k.1, k.2, k.3, k.4
                ));
            }
        }
    }
    Ok(check)
}

/// Replaces the stored roll-ups by a recomputation, in one write transaction (dossier writes
/// wait for it). Returns the number of (roll-up, histogram) rows written.
pub fn rebuild(conn: &mut DbConnection) -> AppResult<(usize, usize)> {
    write_tx(conn, |conn| {
        let d = recompute(conn)?;
        repo::delete_all(conn)?;
        repo::add(conn, &d)?;
        Ok((d.rows.len(), d.minutes.len()))
    })
}

/// Builds the roll-ups of a database that has dossiers but none (one upgraded from a version
/// without them). Returns whether it did.
pub fn build_if_missing(conn: &mut DbConnection) -> AppResult<bool> {
    if repo::any_rows(conn)? || !repo::any_dossiers(conn)? {
        return Ok(false);
    }
    rebuild(conn)?;
    Ok(true)
}
