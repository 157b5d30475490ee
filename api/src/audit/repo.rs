//! All SQL of the audit log.

use diesel::prelude::*;

use super::{
    Actor, AuditFacets, AuditFilter, AuditRow, AuditUser, ChainBreak, Change, GENESIS, canonical, chain_hash,
    now_micros, verify_chain,
};
use crate::db::DbConnection;
use crate::db::schema::{audit_heads, audit_log};
use crate::db::stmt::{Bind, Sql};
use crate::http::Paging;

/// `None` inserts NULL (not `DEFAULT`), so the statement's text is fixed and stays prepared.
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewAuditRow<'a> {
    chain_id: i64,
    seq: i64,
    commune_id: Option<i64>,
    at: chrono::NaiveDateTime,
    user_id: Option<i64>,
    username: Option<&'a str>,
    role: Option<&'a str>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<&'a str>,
    summary: &'a str,
    request_id: Option<&'a str>,
    ip: Option<&'a str>,
    prev_hash: &'a str,
    hash: &'a str,
}

/// Lanes of a commune's chain on PostgreSQL. Each lane is a hash chain of its own, with
/// `chain_id = commune_id + lane × LANE_STRIDE`; a writer takes whichever lane no other
/// transaction holds. One head row would make every writer of a commune wait for the previous
/// one's commit (and its disk flush): with lanes, up to `LANES` writers commit side by side and
/// the disk flushes group. Every entry is still chained, so an edited, deleted or reordered
/// entry still breaks its lane. SQLite has one writer at a time and uses lane 0 only.
pub const LANES: i64 = 8;
/// Distance between the chain ids of two lanes of the same commune.
pub const LANE_STRIDE: i64 = 1 << 40;

/// The commune of a chain id (`None` for the global chain).
pub fn chain_commune(chain_id: i64) -> Option<i64> {
    let c = chain_id.rem_euclid(LANE_STRIDE);
    (c != 0).then_some(c)
}

#[derive(QueryableByName)]
struct Head {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    chain_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    hash: String,
}

/// Takes the next position in one of the commune's lanes (PostgreSQL).
fn take_lane(c: &mut diesel::PgConnection, base: i64) -> QueryResult<(i64, i64, String)> {
    let lanes: Vec<i64> = (0..LANES).map(|k| base + k * LANE_STRIDE).collect();
    let free = || {
        Sql::new(
            "UPDATE audit_heads SET seq = seq + 1 WHERE chain_id = (SELECT chain_id FROM audit_heads \
             WHERE chain_id = ANY(?) ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING chain_id, seq, hash",
            vec![Bind::I64s(lanes.clone())],
        )
    };
    if let Some(h) = free().get_result::<Head>(c).optional()? {
        return Ok((h.chain_id, h.seq, h.hash));
    }
    // First write of this commune, or every lane busy: make sure the lanes exist, try again,
    // and in the end wait for one.
    let rows: Vec<_> = lanes
        .iter()
        .map(|id| (audit_heads::chain_id.eq(*id), audit_heads::seq.eq(0_i64), audit_heads::hash.eq(GENESIS)))
        .collect();
    diesel::insert_into(audit_heads::table).values(rows).on_conflict_do_nothing().execute(c)?;
    if let Some(h) = free().get_result::<Head>(c).optional()? {
        return Ok((h.chain_id, h.seq, h.hash));
    }
    let lane = base + (i64::from(std::process::id()) % LANES) * LANE_STRIDE;
    diesel::update(audit_heads::table.find(lane))
        .set(audit_heads::seq.eq(audit_heads::seq + 1))
        .returning(audit_heads::all_columns)
        .get_result(c)
}

/// [`record`] for a change to one row of a commune's data: `entity` `id` (a row id, a day, a
/// year: what names the row) got `action`.
pub fn record_entity(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    action: &str,
    entity: &str,
    id: impl std::fmt::Display,
    summary: serde_json::Value,
) -> QueryResult<()> {
    record(
        conn,
        actor,
        Change { commune_id: Some(commune_id), action, entity, entity_id: Some(id.to_string()), summary },
    )
}

/// Appends one entry to its chain. Call inside the write's transaction: on SQLite the write
/// lock orders the entries; on PostgreSQL the lane's head row (locked until commit) does.
pub fn record(conn: &mut DbConnection, actor: &Actor, change: Change<'_>) -> QueryResult<()> {
    let base = change.commune_id.unwrap_or(0);
    let (chain_id, seq, prev_hash) = match conn {
        DbConnection::Postgresql(c) => take_lane(c, base)?,
        DbConnection::Sqlite(c) => {
            diesel::insert_into(audit_heads::table)
                .values((audit_heads::chain_id.eq(base), audit_heads::seq.eq(0_i64), audit_heads::hash.eq(GENESIS)))
                .on_conflict_do_nothing()
                .execute(c)?;
            diesel::update(audit_heads::table.find(base))
                .set(audit_heads::seq.eq(audit_heads::seq + 1))
                .returning(audit_heads::all_columns)
                .get_result(c)?
        }
    };
    let mut row = AuditRow {
        id: 0,
        chain_id,
        seq,
        commune_id: change.commune_id,
        at: now_micros(),
        user_id: actor.user_id,
        username: actor.username.clone(),
        role: actor.role.clone(),
        action: change.action.to_string(),
        entity: change.entity.to_string(),
        entity_id: change.entity_id,
        summary: change.summary.to_string(),
        request_id: actor.request_id.clone(),
        ip: actor.ip.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = chain_hash(&row.prev_hash, &canonical(&row));
    match conn {
        // The entry and its lane's new head in one statement (one round trip), prepared once.
        DbConnection::Postgresql(c) => Sql::new(
            "WITH entry AS (INSERT INTO audit_log (chain_id, seq, commune_id, at, user_id, username, role, \
             action, entity, entity_id, summary, request_id, ip, prev_hash, hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) \
             UPDATE audit_heads SET hash = ? WHERE chain_id = ?",
            vec![
                Bind::I64(chain_id),
                Bind::I64(seq),
                Bind::OptI64(row.commune_id),
                Bind::Time(row.at),
                Bind::OptI64(row.user_id),
                Bind::OptText(row.username.as_deref()),
                Bind::OptText(row.role.as_deref()),
                Bind::Text(&row.action),
                Bind::Text(&row.entity),
                Bind::OptText(row.entity_id.as_deref()),
                Bind::Text(&row.summary),
                Bind::OptText(row.request_id.as_deref()),
                Bind::OptText(row.ip.as_deref()),
                Bind::Text(&row.prev_hash),
                Bind::Text(&row.hash),
                Bind::Text(&row.hash),
                Bind::I64(chain_id),
            ],
        )
        .execute(c)?,
        DbConnection::Sqlite(c) => {
            diesel::insert_into(audit_log::table)
                .values(NewAuditRow {
                    chain_id,
                    seq,
                    commune_id: row.commune_id,
                    at: row.at,
                    user_id: row.user_id,
                    username: row.username.as_deref(),
                    role: row.role.as_deref(),
                    action: &row.action,
                    entity: &row.entity,
                    entity_id: row.entity_id.as_deref(),
                    summary: &row.summary,
                    request_id: row.request_id.as_deref(),
                    ip: row.ip.as_deref(),
                    prev_hash: &row.prev_hash,
                    hash: &row.hash,
                })
                .execute(c)?;
            diesel::update(audit_heads::table.find(chain_id)).set(audit_heads::hash.eq(&row.hash)).execute(c)?
        }
    };
    Ok(())
}

/// A page of a commune's audit log, newest first.
pub fn list(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &AuditFilter,
    paging: Paging,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        let mut q = audit_log::table.filter(audit_log::commune_id.eq(commune_id)).into_boxed();
        if let Some(a) = &f.action {
            q = q.filter(audit_log::action.eq(a.clone()));
        }
        if let Some(e) = &f.entity {
            q = q.filter(audit_log::entity.eq(e.clone()));
        }
        if let Some(e) = &f.entity_id {
            q = q.filter(audit_log::entity_id.eq(e.clone()));
        }
        if let Some(u) = f.user_id {
            q = q.filter(audit_log::user_id.eq(u));
        }
        if let Some(from) = f.from {
            q = q.filter(audit_log::at.ge(from.naive_utc()));
        }
        if let Some(to) = f.to {
            q = q.filter(audit_log::at.lt(to.naive_utc()));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (audit_log::at.desc(), audit_log::id.desc()),
        select = AuditRow::as_select()
    ))
}

/// The distinct actions, kinds of record and users of a commune's log; each user once, under
/// the name of their latest entry.
pub fn facets(conn: &mut DbConnection, commune_id: i64) -> QueryResult<AuditFacets> {
    let mine = || audit_log::table.filter(audit_log::commune_id.eq(commune_id));
    let actions = mine().select(audit_log::action).distinct().order(audit_log::action).load(conn)?;
    let entities = mine().select(audit_log::entity).distinct().order(audit_log::entity).load(conn)?;
    let latest: Vec<(Option<i64>, Option<i64>)> = mine()
        .filter(audit_log::user_id.is_not_null())
        .group_by(audit_log::user_id)
        .select((audit_log::user_id, diesel::dsl::max(audit_log::id)))
        .load(conn)?;
    let ids: Vec<i64> = latest.into_iter().filter_map(|(_, id)| id).collect();
    let mut users: Vec<AuditUser> = audit_log::table
        .filter(audit_log::id.eq_any(&ids))
        .select((audit_log::user_id, audit_log::username))
        .load::<(Option<i64>, Option<String>)>(conn)?
        .into_iter()
        .filter_map(|(id, name)| id.map(|id| AuditUser { id, username: name.unwrap_or_else(|| format!("#{id}")) }))
        .collect();
    users.sort_by(|a, b| a.username.cmp(&b.username).then(a.id.cmp(&b.id)));
    Ok(AuditFacets { actions, entities, users })
}

/// The newest `limit` entries about one record of a commune (a task's history), without the
/// count a page of [`list`] carries.
pub fn history(
    conn: &mut DbConnection,
    commune_id: i64,
    entity: &str,
    entity_id: &str,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::commune_id.eq(commune_id))
        .filter(audit_log::entity.eq(entity))
        .filter(audit_log::entity_id.eq(entity_id))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Every chain's head as the head rows record it: (chain, count, hash).
pub fn heads(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64, String)>> {
    audit_heads::table.order(audit_heads::chain_id).load(conn)
}

/// The hash of entry `seq` of a chain, if it exists.
pub fn entry_hash(conn: &mut DbConnection, chain_id: i64, seq: i64) -> QueryResult<Option<String>> {
    audit_log::table
        .filter(audit_log::chain_id.eq(chain_id))
        .filter(audit_log::seq.eq(seq))
        .select(audit_log::hash)
        .first(conn)
        .optional()
}

/// Verifies every chain. `Ok(n)` = entries checked; `Err` names the first bad entry.
pub fn verify_all(conn: &mut DbConnection) -> QueryResult<Result<usize, ChainBreak>> {
    let heads: Vec<(i64, i64, String)> = audit_heads::table.order(audit_heads::chain_id).load(conn)?;
    let mut chains: Vec<i64> = audit_log::table.select(audit_log::chain_id).distinct().load(conn)?;
    for (id, _, _) in &heads {
        if !chains.contains(id) {
            chains.push(*id);
        }
    }
    chains.sort_unstable();
    let mut checked = 0;
    for chain_id in chains {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::chain_id.eq(chain_id))
            .order((audit_log::seq, audit_log::id))
            .select(AuditRow::as_select())
            .load(conn)?;
        let head = heads.iter().find(|h| h.0 == chain_id).map(|h| (h.1, h.2.as_str()));
        match verify_chain(chain_id, &rows, head) {
            Ok(n) => checked += n,
            Err(b) => return Ok(Err(b)),
        }
    }
    Ok(Ok(checked))
}
