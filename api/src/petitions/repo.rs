//! Every query of the petitions: rules, settings, the chairman flag, petitions, events and
//! sealed identities.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{
    petition_clock_rules, petition_commune_settings, petition_events, petition_identities, petition_photos, petitions,
    user_chairman_flags, users,
};
use crate::db::{DbConnection, like_pattern};
use crate::http::Paging;

/// The stored clock rules: (kind, clock, amount, unit, effective_from, source).
pub type RuleRow = (String, String, i32, String, NaiveDate, String);

pub fn clock_rules(conn: &mut DbConnection) -> QueryResult<Vec<RuleRow>> {
    petition_clock_rules::table
        .select((
            petition_clock_rules::kind,
            petition_clock_rules::clock,
            petition_clock_rules::amount,
            petition_clock_rules::unit,
            petition_clock_rules::effective_from,
            petition_clock_rules::source,
        ))
        .order(petition_clock_rules::id)
        .load(conn)
}

pub fn remote_area(conn: &mut DbConnection, commune_id: i64) -> QueryResult<bool> {
    Ok(petition_commune_settings::table
        .find(commune_id)
        .select(petition_commune_settings::remote_area)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn set_remote_area(conn: &mut DbConnection, commune_id: i64, remote: bool, now: NaiveDateTime) -> QueryResult<()> {
    let n = diesel::update(petition_commune_settings::table.find(commune_id))
        .set((petition_commune_settings::remote_area.eq(remote), petition_commune_settings::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(petition_commune_settings::table)
            .values((
                petition_commune_settings::commune_id.eq(commune_id),
                petition_commune_settings::remote_area.eq(remote),
                petition_commune_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn is_chairman(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(user_chairman_flags::table.find(user_id))).get_result(conn)
}

pub fn set_chairman(
    conn: &mut DbConnection,
    user_id: i64,
    commune_id: i64,
    flag: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(user_chairman_flags::table.find(user_id)).execute(conn)?;
    if flag {
        diesel::insert_into(user_chairman_flags::table)
            .values((
                user_chairman_flags::user_id.eq(user_id),
                user_chairman_flags::commune_id.eq(commune_id),
                user_chairman_flags::set_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An active user of the commune: (full name, role).
pub fn commune_user(conn: &mut DbConnection, commune_id: i64, user_id: i64) -> QueryResult<(String, String)> {
    users::table
        .filter(users::id.eq(user_id))
        .filter(users::commune_id.eq(commune_id))
        .filter(users::active.eq(true))
        .select((users::full_name, users::role))
        .first(conn)
}

/// The active board and UBND accounts of a commune (who may be assigned a petition): (id, name, role).
pub fn handlers(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, String, String)>> {
    users::table
        .filter(users::commune_id.eq(commune_id))
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(["board", "ubnd"]))
        .order((users::full_name.asc(), users::id.asc()))
        .select((users::id, users::full_name, users::role))
        .load(conn)
}

/// How many petitions of the commune already carry a code starting with `prefix`.
pub fn count_codes(conn: &mut DbConnection, commune_id: i64, prefix: &str) -> QueryResult<i64> {
    petitions::table
        .filter(petitions::commune_id.eq(commune_id))
        .filter(petitions::code.like(format!("{prefix}%")))
        .count()
        .get_result(conn)
}

pub fn code_taken(conn: &mut DbConnection, commune_id: i64, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        petitions::table.filter(petitions::commune_id.eq(commune_id)).filter(petitions::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_petition(conn: &mut DbConnection, new: &NewPetition) -> QueryResult<PetitionRow> {
    crate::on_backend!(conn, c => diesel::insert_into(petitions::table).values(new).returning(PetitionRow::as_returning()).get_result(c))
}

pub fn insert_event(conn: &mut DbConnection, e: &NewEvent) -> QueryResult<()> {
    diesel::insert_into(petition_events::table).values(e).execute(conn).map(|_| ())
}

pub fn events(conn: &mut DbConnection, petition_id: i64) -> QueryResult<Vec<EventRow>> {
    petition_events::table
        .filter(petition_events::petition_id.eq(petition_id))
        .order((petition_events::at, petition_events::id))
        .select(EventRow::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<PetitionRow> {
    petitions::table
        .filter(petitions::id.eq(id))
        .filter(petitions::commune_id.eq(commune_id))
        .select(PetitionRow::as_select())
        .first(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &PetitionChanges) -> QueryResult<PetitionRow> {
    crate::on_backend!(conn, c => diesel::update(petitions::table.find(id)).set(changes).returning(PetitionRow::as_returning()).get_result(c))
}

/// Who sees which rows of the list.
pub struct ListScope {
    pub commune_id: i64,
    /// `mine`: assigned to this user.
    pub handler: Option<i64>,
    pub now: NaiveDateTime,
    pub soon: NaiveDateTime,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &ListScope,
    f: &PetitionFilter,
    folded: Option<&str>,
    paging: Paging,
) -> QueryResult<(Vec<PetitionRow>, i64)> {
    let build = || {
        let mut q = petitions::table.filter(petitions::commune_id.eq(scope.commune_id)).into_boxed();
        if let Some(k) = &f.kind {
            q = q.filter(petitions::kind.eq(k.clone()));
        }
        if let Some(s) = &f.status {
            q = q.filter(petitions::status.eq(s.clone()));
        }
        if let Some(folded) = folded {
            q = q.filter(petitions::search.like(like_pattern(folded)).escape('\\'));
        }
        let open = ["received", "accepted", "assigned", "investigating", "concluded"];
        match f.view.as_deref() {
            Some("open") => q = q.filter(petitions::status.eq_any(open)),
            Some("overdue") => {
                q = q
                    .filter(petitions::status.eq_any(open))
                    .filter(petitions::paused_since.is_null())
                    .filter(petitions::due_at.lt(scope.now))
            }
            Some("due_soon") => {
                q = q
                    .filter(petitions::status.eq_any(open))
                    .filter(petitions::paused_since.is_null())
                    .filter(petitions::due_at.ge(scope.now))
                    .filter(petitions::due_at.le(scope.soon))
            }
            // The handler's work: still being handled, unless a status is asked for (their
            // answered petitions, say).
            Some("mine") if f.status.is_none() => q = q.filter(petitions::status.eq_any(open)),
            _ => {}
        }
        if let Some(h) = scope.handler {
            q = q.filter(petitions::handler_id.eq(h));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        build(),
        order = (petitions::received_at.desc(), petitions::id.desc()),
        select = PetitionRow::as_select()
    ))
}

pub fn insert_identity(
    conn: &mut DbConnection,
    petition_id: i64,
    key_id: &str,
    sealed: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(petition_identities::table)
        .values((
            petition_identities::petition_id.eq(petition_id),
            petition_identities::key_id.eq(key_id),
            petition_identities::sealed.eq(sealed),
            petition_identities::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The sealed identity of a petition: (key id, sealed text).
pub fn identity(conn: &mut DbConnection, petition_id: i64) -> QueryResult<Option<(String, String)>> {
    petition_identities::table
        .find(petition_id)
        .select((petition_identities::key_id, petition_identities::sealed))
        .first(conn)
        .optional()
}

pub fn has_identity(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    petition_identities::table
        .filter(petition_identities::petition_id.eq_any(ids))
        .select(petition_identities::petition_id)
        .load(conn)
}

/// Petitions with a code (any commune), for the public lookup.
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Vec<PetitionRow>> {
    petitions::table.filter(petitions::code.eq(code)).select(PetitionRow::as_select()).load(conn)
}

/// Answers published for the public list of a commune, newest first.
pub fn public_answers(
    conn: &mut DbConnection,
    commune_id: i64,
    paging: Paging,
) -> QueryResult<(Vec<PetitionRow>, i64)> {
    let build = || {
        petitions::table
            .filter(petitions::commune_id.eq(commune_id))
            .filter(petitions::answer_public.eq(true))
            .filter(petitions::published_at.is_not_null())
            .filter(petitions::kind.eq_any(["recommendation", "feedback"]))
            .into_boxed()
    };
    Ok(crate::page_of!(
        conn,
        paging,
        build(),
        order = petitions::published_at.desc(),
        select = PetitionRow::as_select()
    ))
}

/// Petitions of communes received in `[from, to)` (UTC), or still open then.
pub fn in_period(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<PetitionRow>> {
    petitions::table
        .filter(petitions::commune_id.eq_any(communes))
        .filter(petitions::received_at.ge(from))
        .filter(petitions::received_at.lt(to))
        .order(petitions::received_at)
        .select(PetitionRow::as_select())
        .load(conn)
}

/// The dossiers of `communes` with a complaint about them received in `[from, to)` (UTC),
/// each once (766 row 5.4).
pub fn dossiers_with_complaint(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    petitions::table
        .filter(petitions::commune_id.eq_any(communes))
        .filter(petitions::kind.eq("complaint"))
        .filter(petitions::received_at.ge(from))
        .filter(petitions::received_at.lt(to))
        .select(petitions::dossier_id)
        .distinct()
        .load::<Option<i64>>(conn)
        .map(|ids| ids.into_iter().flatten().collect())
}

/// (status, on time, rating, repeat of, due at) of a feedback item.
pub type FeedbackFacts = (String, Option<bool>, Option<String>, Option<i64>, Option<NaiveDateTime>);

/// Feedback and recommendations received in `[from, to)` with their status, handling verdict,
/// rating and repeat link (766 rows 5.2, 5.3).
pub fn feedback_in(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<FeedbackFacts>> {
    petitions::table
        .filter(petitions::commune_id.eq(commune_id))
        .filter(petitions::kind.eq_any(["recommendation", "feedback"]))
        .filter(petitions::received_at.ge(from))
        .filter(petitions::received_at.lt(to))
        .select((petitions::status, petitions::on_time, petitions::rating, petitions::repeat_of, petitions::due_at))
        .load(conn)
}

// ---------------------------------------------------------------- photos

pub fn insert_photo(conn: &mut DbConnection, photo: &NewPhoto) -> QueryResult<PhotoRow> {
    diesel::insert_into(petition_photos::table).values(photo).returning(petition_photos::all_columns).get_result(conn)
}

pub fn photos(conn: &mut DbConnection, petition_id: i64) -> QueryResult<Vec<PhotoRow>> {
    petition_photos::table
        .filter(petition_photos::petition_id.eq(petition_id))
        .order(petition_photos::id.asc())
        .select(PhotoRow::as_select())
        .load(conn)
}

/// One photo of a petition of the commune.
pub fn photo(conn: &mut DbConnection, commune_id: i64, petition_id: i64, photo_id: i64) -> QueryResult<PhotoRow> {
    petition_photos::table
        .inner_join(petitions::table)
        .filter(petition_photos::id.eq(photo_id))
        .filter(petition_photos::petition_id.eq(petition_id))
        .filter(petitions::commune_id.eq(commune_id))
        .select(PhotoRow::as_select())
        .first(conn)
}
