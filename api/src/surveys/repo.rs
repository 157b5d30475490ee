//! Every query of the surveys. Scope: every survey, response and tally belongs to one commune,
//! and every function taking `commune_id` filters by it (out of scope = `NotFound`). Shipped
//! forms have no commune and are readable by all.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel::result::QueryResult;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{
    dossiers, procedures, survey_answer_counts, survey_answers, survey_dossier_tokens, survey_form_versions,
    survey_forms, survey_group_counts, survey_responses, survey_tallies, surveys, units,
};

/// A survey with its form's title and number of responses.
pub type SurveyListRow = (SurveyRow, String, i64);
/// A count of answers: (question, likert value, option, count).
pub type AnswerCount = (String, Option<i32>, Option<String>, i64);
type DossierCols = (i64, i64, i64, i64, Option<String>, Option<i64>);

// ---------- forms ----------

/// The shipped forms and the commune's own, each with its current version.
pub fn list_forms(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(FormRow, FormVersionRow)>> {
    let forms: Vec<FormRow> = survey_forms::table
        .filter(survey_forms::commune_id.is_null().or(survey_forms::commune_id.eq(commune_id)))
        .order(survey_forms::id.asc())
        .select(FormRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(forms.len());
    for f in forms {
        let v = version(conn, f.id, f.current_version)?;
        out.push((f, v));
    }
    Ok(out)
}

/// A form the commune may use (shipped or its own).
pub fn get_form(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<FormRow> {
    survey_forms::table
        .filter(survey_forms::id.eq(id))
        .filter(survey_forms::commune_id.is_null().or(survey_forms::commune_id.eq(commune_id)))
        .select(FormRow::as_select())
        .first(conn)
}

pub fn form_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<FormRow> {
    survey_forms::table.filter(survey_forms::code.eq(code)).select(FormRow::as_select()).first(conn)
}

pub fn version(conn: &mut DbConnection, form_id: i64, version: i32) -> QueryResult<FormVersionRow> {
    survey_form_versions::table
        .filter(survey_form_versions::form_id.eq(form_id))
        .filter(survey_form_versions::version.eq(version))
        .select(FormVersionRow::as_select())
        .first(conn)
}

pub fn version_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<FormVersionRow> {
    survey_form_versions::table.find(id).select(FormVersionRow::as_select()).first(conn)
}

pub fn insert_form(conn: &mut DbConnection, new: &NewForm) -> QueryResult<FormRow> {
    diesel::insert_into(survey_forms::table).values(new).returning(survey_forms::all_columns).get_result(conn)
}

pub fn insert_version(
    conn: &mut DbConnection,
    form_id: i64,
    version: i32,
    questions: &str,
    at: NaiveDateTime,
) -> QueryResult<FormVersionRow> {
    diesel::insert_into(survey_form_versions::table)
        .values((
            survey_form_versions::form_id.eq(form_id),
            survey_form_versions::version.eq(version),
            survey_form_versions::questions.eq(questions),
            survey_form_versions::created_at.eq(at),
        ))
        .returning(survey_form_versions::all_columns)
        .get_result(conn)
}

pub fn set_version_questions(conn: &mut DbConnection, version_id: i64, questions: &str) -> QueryResult<()> {
    diesel::update(survey_form_versions::table.find(version_id))
        .set(survey_form_versions::questions.eq(questions))
        .execute(conn)
        .map(|_| ())
}

pub fn update_form(
    conn: &mut DbConnection,
    id: i64,
    title: &str,
    description: &str,
    current_version: i32,
    at: NaiveDateTime,
) -> QueryResult<FormRow> {
    diesel::update(survey_forms::table.find(id))
        .set((
            survey_forms::title.eq(title),
            survey_forms::description.eq(description),
            survey_forms::current_version.eq(current_version),
            survey_forms::updated_at.eq(at),
        ))
        .returning(survey_forms::all_columns)
        .get_result(conn)
}

/// Whether any response or tally answered this version.
pub fn version_has_answers(conn: &mut DbConnection, version_id: i64) -> QueryResult<bool> {
    let r: i64 = survey_responses::table
        .filter(survey_responses::form_version_id.eq(version_id))
        .select(count_star())
        .first(conn)?;
    let t: i64 = survey_tallies::table
        .filter(survey_tallies::form_version_id.eq(version_id))
        .select(count_star())
        .first(conn)?;
    Ok(r + t > 0)
}

// ---------- surveys ----------

/// Surveys of a commune, newest first, with their form's title and number of responses.
pub fn list_surveys(
    conn: &mut DbConnection,
    commune_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SurveyListRow>, i64)> {
    let total: i64 = surveys::table.filter(surveys::commune_id.eq(commune_id)).select(count_star()).first(conn)?;
    let rows: Vec<(SurveyRow, String)> = surveys::table
        .inner_join(survey_forms::table.on(survey_forms::id.eq(surveys::form_id)))
        .filter(surveys::commune_id.eq(commune_id))
        .order((surveys::starts_on.desc(), surveys::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((SurveyRow::as_select(), survey_forms::title))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(s, _)| s.id).collect();
    let counts = response_counts(conn, &ids)?;
    Ok((
        rows.into_iter()
            .map(|(s, t)| {
                let n = counts.get(&s.id).copied().unwrap_or(0);
                (s, t, n)
            })
            .collect(),
        total,
    ))
}

/// Responses (individual and tallied forms) of the given surveys.
pub fn response_counts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let mut out: HashMap<i64, i64> = HashMap::new();
    let r: Vec<(i64, i64)> = survey_responses::table
        .filter(survey_responses::survey_id.eq_any(ids))
        .group_by(survey_responses::survey_id)
        .select((survey_responses::survey_id, count_star()))
        .load(conn)?;
    for (id, n) in r {
        *out.entry(id).or_default() += n;
    }
    let t: Vec<(i64, Option<i64>)> = survey_tallies::table
        .filter(survey_tallies::survey_id.eq_any(ids))
        .group_by(survey_tallies::survey_id)
        .select((survey_tallies::survey_id, sum(survey_tallies::forms)))
        .load(conn)?;
    for (id, n) in t {
        *out.entry(id).or_default() += n.unwrap_or(0);
    }
    Ok(out)
}

pub fn get_survey(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<SurveyRow> {
    surveys::table
        .filter(surveys::id.eq(id))
        .filter(surveys::commune_id.eq(commune_id))
        .select(SurveyRow::as_select())
        .first(conn)
}

pub fn survey_by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<SurveyRow>> {
    surveys::table.filter(surveys::public_token.eq(token)).select(SurveyRow::as_select()).first(conn).optional()
}

pub fn insert_survey(conn: &mut DbConnection, new: &NewSurvey) -> QueryResult<SurveyRow> {
    crate::on_backend!(conn, c => diesel::insert_into(surveys::table).values(new).returning(SurveyRow::as_returning()).get_result(c))
}

pub fn update_survey(conn: &mut DbConnection, id: i64, changes: &SurveyChanges) -> QueryResult<SurveyRow> {
    crate::on_backend!(conn, c => diesel::update(surveys::table.find(id)).set(changes).returning(SurveyRow::as_returning()).get_result(c))
}

/// The per-dossier surveys of a commune, the latest first.
pub fn per_dossier_surveys(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<SurveyRow>> {
    surveys::table
        .filter(surveys::commune_id.eq(commune_id))
        .filter(surveys::per_dossier.eq(true))
        .order((surveys::starts_on.desc(), surveys::id.desc()))
        .select(SurveyRow::as_select())
        .load(conn)
}

// ---------- dossiers ----------

/// What a dossier's answer is linked to.
#[derive(Debug, Clone)]
pub struct DossierFacts {
    pub id: i64,
    pub commune_id: i64,
    pub procedure_id: i64,
    pub procedure_name: String,
    pub field: String,
    pub unit_id: i64,
    pub timeliness: Option<String>,
    pub officer_id: Option<i64>,
}

/// The dossier a survey token belongs to.
pub fn dossier_by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<DossierFacts>> {
    let d: Option<DossierCols> = survey_dossier_tokens::table
        .inner_join(dossiers::table.on(dossiers::id.eq(survey_dossier_tokens::dossier_id)))
        .filter(survey_dossier_tokens::token.eq(token))
        .select((
            dossiers::id,
            dossiers::commune_id,
            dossiers::procedure_id,
            dossiers::unit_id,
            dossiers::timeliness,
            dossiers::created_by,
        ))
        .first(conn)
        .optional()?;
    let Some((id, commune_id, procedure_id, unit_id, timeliness, officer_id)) = d else {
        return Ok(None);
    };
    let (procedure_name, field): (String, String) =
        procedures::table.find(procedure_id).select((procedures::name, procedures::field)).first(conn)?;
    Ok(Some(DossierFacts { id, commune_id, procedure_id, procedure_name, field, unit_id, timeliness, officer_id }))
}

/// A dossier's survey token (made by the database when the dossier is written).
pub fn dossier_token(conn: &mut DbConnection, dossier_id: i64) -> QueryResult<Option<String>> {
    survey_dossier_tokens::table
        .filter(survey_dossier_tokens::dossier_id.eq(dossier_id))
        .select(survey_dossier_tokens::token)
        .first(conn)
        .optional()
}

pub fn dossier_answered(conn: &mut DbConnection, dossier_id: i64) -> QueryResult<bool> {
    let n: i64 =
        survey_responses::table.filter(survey_responses::dossier_id.eq(dossier_id)).select(count_star()).first(conn)?;
    Ok(n > 0)
}

// ---------- responses ----------

pub fn response_by_client(
    conn: &mut DbConnection,
    survey_id: i64,
    client_id: &str,
) -> QueryResult<Option<ResponseRow>> {
    survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .filter(survey_responses::client_id.eq(client_id))
        .select(ResponseRow::as_select())
        .first(conn)
        .optional()
}

pub fn get_response(conn: &mut DbConnection, survey_id: i64, id: i64) -> QueryResult<ResponseRow> {
    survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .filter(survey_responses::id.eq(id))
        .select(ResponseRow::as_select())
        .first(conn)
}

/// Inserts a response; a unique violation (same dossier, same client id) comes back as the
/// database error for the caller to interpret.
pub fn insert_response(conn: &mut DbConnection, new: &NewResponse) -> QueryResult<ResponseRow> {
    crate::on_backend!(conn, c => diesel::insert_into(survey_responses::table).values(new).returning(ResponseRow::as_returning()).get_result(c))
}

pub fn insert_answers(conn: &mut DbConnection, rows: &[AnswerRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    crate::on_backend!(conn, c => diesel::insert_into(survey_answers::table).values(rows).execute(c))?;
    Ok(())
}

pub fn answers_of(conn: &mut DbConnection, response_id: i64) -> QueryResult<Vec<AnswerRow>> {
    survey_answers::table
        .filter(survey_answers::response_id.eq(response_id))
        .order(survey_answers::id.asc())
        .select(AnswerRow::as_select())
        .load(conn)
}

pub fn delete_answers(conn: &mut DbConnection, response_id: i64) -> QueryResult<()> {
    diesel::delete(survey_answers::table.filter(survey_answers::response_id.eq(response_id))).execute(conn).map(|_| ())
}

/// Rewrites a corrected response's sums.
pub fn set_response_sums(
    conn: &mut DbConnection,
    id: i64,
    overall: Option<i32>,
    sums: (i32, i32, i32),
    at: NaiveDateTime,
) -> QueryResult<ResponseRow> {
    crate::on_backend!(conn, c => diesel::update(survey_responses::table.find(id))
        .set((
            survey_responses::overall.eq(overall),
            survey_responses::likert_n.eq(sums.0),
            survey_responses::likert_sum.eq(sums.1),
            survey_responses::likert_satisfied.eq(sums.2),
            survey_responses::updated_at.eq(at),
        ))
        .returning(ResponseRow::as_returning())
        .get_result(c))
}

/// Responses of a survey from one client address (or one device) since a time.
pub fn recent_from(
    conn: &mut DbConnection,
    survey_id: i64,
    client_key: &str,
    device: Option<&str>,
    since: NaiveDateTime,
) -> QueryResult<(i64, i64)> {
    let by_key: i64 = survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .filter(survey_responses::client_key.eq(client_key))
        .filter(survey_responses::created_at.ge(since))
        .select(count_star())
        .first(conn)?;
    let by_device: i64 = match device {
        Some(d) => survey_responses::table
            .filter(survey_responses::survey_id.eq(survey_id))
            .filter(survey_responses::device.eq(d))
            .filter(survey_responses::created_at.ge(since))
            .select(count_star())
            .first(conn)?,
        None => 0,
    };
    Ok((by_key, by_device))
}

// ---------- tallies ----------

pub fn insert_tally(conn: &mut DbConnection, new: &NewTally) -> QueryResult<TallyRow> {
    crate::on_backend!(conn, c => diesel::insert_into(survey_tallies::table).values(new).returning(TallyRow::as_returning()).get_result(c))
}

pub fn get_tally(conn: &mut DbConnection, survey_id: i64, id: i64) -> QueryResult<TallyRow> {
    survey_tallies::table
        .filter(survey_tallies::survey_id.eq(survey_id))
        .filter(survey_tallies::id.eq(id))
        .select(TallyRow::as_select())
        .first(conn)
}

pub fn update_tally(conn: &mut DbConnection, id: i64, changes: &TallyChanges) -> QueryResult<TallyRow> {
    crate::on_backend!(conn, c => diesel::update(survey_tallies::table.find(id)).set(changes).returning(TallyRow::as_returning()).get_result(c))
}

pub fn list_tallies(conn: &mut DbConnection, survey_id: i64) -> QueryResult<Vec<TallyRow>> {
    survey_tallies::table
        .filter(survey_tallies::survey_id.eq(survey_id))
        .order(survey_tallies::id.asc())
        .select(TallyRow::as_select())
        .load(conn)
}

// ---------- results ----------

/// A period in UTC, `[from, to)`.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// (responses, duplicates flagged) of a survey in a span.
pub fn response_totals(conn: &mut DbConnection, survey_id: i64, span: Span) -> QueryResult<(i64, i64)> {
    let q = survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .filter(survey_responses::answered_at.ge(span.from))
        .filter(survey_responses::answered_at.lt(span.to));
    let rows: Vec<(bool, i64)> =
        q.group_by(survey_responses::duplicate).select((survey_responses::duplicate, count_star())).load(conn)?;
    let total = rows.iter().map(|r| r.1).sum();
    let dup = rows.iter().filter(|r| r.0).map(|r| r.1).sum();
    Ok((total, dup))
}

/// Answer counts of a survey in a span: (question, likert value, option, count); free text
/// left out.
pub fn distribution(conn: &mut DbConnection, survey_id: i64, span: Span) -> QueryResult<Vec<AnswerCount>> {
    let q = survey_answers::table
        .filter(survey_answers::survey_id.eq(survey_id))
        // Choices and likert values only, judged on the indexed columns (free text has neither).
        .filter(survey_answers::value_int.is_not_null().or(survey_answers::option_id.is_not_null()))
        .filter(survey_answers::answered_at.ge(span.from))
        .filter(survey_answers::answered_at.lt(span.to));
    q.group_by((survey_answers::question_id, survey_answers::value_int, survey_answers::option_id))
        .select((survey_answers::question_id, survey_answers::value_int, survey_answers::option_id, count_star()))
        .load(conn)
}

/// Per-group sums: (key, responses, likert answers, likert sum, likert 4–5).
pub type GroupSums = (Option<String>, i64, i64, i64, i64);

/// Sums of a survey's responses in a span, grouped by `by`.
pub fn group_sums(conn: &mut DbConnection, survey_id: i64, span: Span, by: GroupBy) -> QueryResult<Vec<GroupSums>> {
    use survey_responses as r;
    macro_rules! grouped {
        ($col:expr, $conv:expr) => {{
            let q = r::table
                .filter(r::survey_id.eq(survey_id))
                .filter(r::answered_at.ge(span.from))
                .filter(r::answered_at.lt(span.to));
            let rows: Vec<(_, i64, Option<i64>, Option<i64>, Option<i64>)> = q
                .group_by($col)
                .select(($col, count_star(), sum(r::likert_n), sum(r::likert_sum), sum(r::likert_satisfied)))
                .load(conn)?;
            rows.into_iter()
                .map(|(k, n, ln, ls, sat)| ($conv(k), n, ln.unwrap_or(0), ls.unwrap_or(0), sat.unwrap_or(0)))
                .collect()
        }};
    }
    let id_key = |k: Option<i64>| k.map(|v| v.to_string());
    let text_key = |k: Option<String>| k;
    let plain = |k: String| Some(k);
    Ok(match by {
        GroupBy::Procedure => grouped!(r::procedure_id, id_key),
        GroupBy::Field => grouped!(r::field, text_key),
        GroupBy::Unit => grouped!(r::unit_id, id_key),
        GroupBy::Channel => grouped!(r::channel, plain),
        GroupBy::Timeliness => grouped!(r::timeliness, text_key),
        GroupBy::Month => grouped!(r::month, plain),
        GroupBy::Village => grouped!(r::village_id, id_key),
    })
}

/// Free-text answers of a survey in a span, newest first (at most `limit`).
pub fn free_texts(
    conn: &mut DbConnection,
    survey_id: i64,
    span: Span,
    limit: i64,
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    let q = survey_answers::table
        .filter(survey_answers::survey_id.eq(survey_id))
        .filter(survey_answers::free_text.is_not_null())
        .filter(survey_answers::answered_at.ge(span.from))
        .filter(survey_answers::answered_at.lt(span.to));
    let rows: Vec<(String, Option<String>, NaiveDateTime)> = q
        .order(survey_answers::answered_at.desc())
        .limit(limit)
        .select((survey_answers::question_id, survey_answers::free_text, survey_answers::answered_at))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(q, t, at)| t.map(|t| (q, t, at))).collect())
}

/// Names of procedures by id.
pub fn procedure_names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(procedures::table
        .filter(procedures::id.eq_any(ids))
        .select((procedures::id, procedures::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Names of units by id, in a commune.
pub fn unit_names(conn: &mut DbConnection, commune_id: i64, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::id.eq_any(ids))
        .select((units::id, units::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

pub fn unit_in_commune(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<bool> {
    let n: i64 = units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::id.eq(id))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// Sums of every response of the given communes in a span: (responses, likert answers, 4–5).
pub fn commune_sums(conn: &mut DbConnection, communes: &[i64], span: Span) -> QueryResult<(i64, i64, i64)> {
    let q = survey_responses::table
        .filter(survey_responses::commune_id.eq_any(communes))
        .filter(survey_responses::answered_at.ge(span.from))
        .filter(survey_responses::answered_at.lt(span.to));
    let (n, ln, sat): (i64, Option<i64>, Option<i64>) = q
        .select((count_star(), sum(survey_responses::likert_n), sum(survey_responses::likert_satisfied)))
        .first(conn)?;
    Ok((n, ln.unwrap_or(0), sat.unwrap_or(0)))
}

/// Answers of the given communes in a span flagged `duplicate` (one device or address answering
/// again and again): kept and counted, and said next to every figure they are part of.
pub fn commune_duplicates(conn: &mut DbConnection, communes: &[i64], span: Span) -> QueryResult<i64> {
    survey_responses::table
        .filter(survey_responses::commune_id.eq_any(communes))
        .filter(survey_responses::answered_at.ge(span.from))
        .filter(survey_responses::answered_at.lt(span.to))
        .filter(survey_responses::duplicate.eq(true))
        .count()
        .get_result(conn)
}

/// Tallied forms of the given communes collected in a span of local dates: (forms, likert
/// answers, 4–5).
pub fn commune_tally_sums(
    conn: &mut DbConnection,
    communes: &[i64],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> QueryResult<(i64, i64, i64)> {
    let (n, ln, sat): (Option<i64>, Option<i64>, Option<i64>) = survey_tallies::table
        .filter(survey_tallies::commune_id.eq_any(communes))
        .filter(survey_tallies::collected_on.ge(from))
        .filter(survey_tallies::collected_on.le(to))
        .select((sum(survey_tallies::forms), sum(survey_tallies::likert_n), sum(survey_tallies::likert_satisfied)))
        .first(conn)?;
    Ok((n.unwrap_or(0), ln.unwrap_or(0), sat.unwrap_or(0)))
}

/// The dossier answers of the given communes in a span: (dossier id, overall answer).
pub fn dossier_answers(conn: &mut DbConnection, communes: &[i64], span: Span) -> QueryResult<Vec<(i64, Option<i32>)>> {
    let q = survey_responses::table
        .filter(survey_responses::commune_id.eq_any(communes))
        .filter(survey_responses::dossier_id.is_not_null())
        .filter(survey_responses::answered_at.ge(span.from))
        .filter(survey_responses::answered_at.lt(span.to));
    let rows: Vec<(Option<i64>, Option<i32>)> =
        q.select((survey_responses::dossier_id, survey_responses::overall)).load(conn)?;
    Ok(rows.into_iter().filter_map(|(d, o)| d.map(|d| (d, o))).collect())
}

// ---------- pre-aggregated counts ----------
//
// The results read `survey_answer_counts` and `survey_group_counts` (per survey and local day)
// instead of counting every response; `count_response` keeps them in the transaction that
// writes, corrects or removes a response. Month groups are read from the days.

/// The breakdowns kept per day, as `survey_group_counts.dim`.
pub const COUNT_DIMS: [&str; 6] = ["procedure", "field", "unit", "channel", "timeliness", "village"];

/// The key of a response in a breakdown ('' when it has none).
fn dim_key(r: &ResponseRow, dim: &str) -> String {
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    match dim {
        "procedure" => id(r.procedure_id),
        "field" => r.field.clone().unwrap_or_default(),
        "unit" => id(r.unit_id),
        "channel" => r.channel.clone(),
        "timeliness" => r.timeliness.clone().unwrap_or_default(),
        _ => id(r.village_id),
    }
}

/// Adds (`sign` = 1) or takes away (`sign` = −1) a response and its answers in the counts.
pub fn count_response(conn: &mut DbConnection, r: &ResponseRow, answers: &[AnswerRow], sign: i32) -> QueryResult<()> {
    use survey_answer_counts as a;
    use survey_group_counts as g;
    let day = crate::time::local_date(r.answered_at);
    for x in answers {
        let answer = match (x.value_int, &x.option_id) {
            (Some(n), _) => n.to_string(),
            (None, Some(o)) => o.clone(),
            _ => continue,
        };
        let row = (
            a::survey_id.eq(r.survey_id),
            a::day.eq(day),
            a::question_id.eq(&x.question_id),
            a::answer.eq(&answer),
            a::n.eq(sign),
        );
        crate::on_backend!(conn, c => diesel::insert_into(a::table)
            .values(row)
            .on_conflict((a::survey_id, a::day, a::question_id, a::answer))
            .do_update()
            .set(a::n.eq(a::n + sign))
            .execute(c))?;
    }
    let dup = sign * i32::from(r.duplicate);
    let (ln, ls, sat) = (sign * r.likert_n, sign * r.likert_sum, sign * r.likert_satisfied);
    for dim in COUNT_DIMS {
        let row = (
            g::survey_id.eq(r.survey_id),
            g::day.eq(day),
            g::dim.eq(dim),
            g::key.eq(dim_key(r, dim)),
            g::responses.eq(sign),
            g::duplicates.eq(dup),
            g::likert_n.eq(ln),
            g::likert_sum.eq(ls),
            g::likert_satisfied.eq(sat),
        );
        crate::on_backend!(conn, c => diesel::insert_into(g::table)
            .values(row)
            .on_conflict((g::survey_id, g::day, g::dim, g::key))
            .do_update()
            .set((
                g::responses.eq(g::responses + sign),
                g::duplicates.eq(g::duplicates + dup),
                g::likert_n.eq(g::likert_n + ln),
                g::likert_sum.eq(g::likert_sum + ls),
                g::likert_satisfied.eq(g::likert_satisfied + sat),
            ))
            .execute(c))?;
    }
    Ok(())
}

/// A period of local dates, inclusive.
#[derive(Debug, Clone, Copy)]
pub struct Days {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

/// Answer counts of a survey in a period: (question, answer, count), zeros left out.
pub fn counted_answers(conn: &mut DbConnection, survey_id: i64, days: Days) -> QueryResult<Vec<(String, String, i64)>> {
    use survey_answer_counts as a;
    let rows: Vec<(String, String, Option<i64>)> = a::table
        .filter(a::survey_id.eq(survey_id))
        .filter(a::day.ge(days.from))
        .filter(a::day.le(days.to))
        .group_by((a::question_id, a::answer))
        .select((a::question_id, a::answer, sum(a::n)))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(q, k, n)| n.filter(|n| *n != 0).map(|n| (q, k, n))).collect())
}

/// Counted sums of a breakdown: (key, responses, duplicates, likert answers, likert sum, 4–5).
pub type CountedSums = (String, i64, i64, i64, i64, i64);

type SumCols = (Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// The groups as counted sums (a group's empty sums are zeros), those with no response left out.
fn with_responses<K>(rows: Vec<(K, SumCols)>) -> Vec<(K, i64, i64, i64, i64, i64)> {
    rows.into_iter()
        .map(|(k, s)| (k, s.0.unwrap_or(0), s.1.unwrap_or(0), s.2.unwrap_or(0), s.3.unwrap_or(0), s.4.unwrap_or(0)))
        .filter(|r| r.1 != 0)
        .collect()
}

/// Sums of a survey's responses in a period by one breakdown (`COUNT_DIMS`); groups with no
/// response left out.
pub fn counted_groups(conn: &mut DbConnection, survey_id: i64, days: Days, dim: &str) -> QueryResult<Vec<CountedSums>> {
    use survey_group_counts as g;
    let rows: Vec<(String, SumCols)> = g::table
        .filter(g::survey_id.eq(survey_id))
        .filter(g::dim.eq(dim))
        .filter(g::day.ge(days.from))
        .filter(g::day.le(days.to))
        .group_by(g::key)
        .select((
            g::key,
            (sum(g::responses), sum(g::duplicates), sum(g::likert_n), sum(g::likert_sum), sum(g::likert_satisfied)),
        ))
        .load(conn)?;
    Ok(with_responses(rows))
}

/// Counted sums of a day: (day, responses, duplicates, likert answers, likert sum, 4–5).
pub type DaySums = (chrono::NaiveDate, i64, i64, i64, i64, i64);

/// Sums of a survey's responses in a period per day (for month groups and totals).
pub fn counted_days(conn: &mut DbConnection, survey_id: i64, days: Days) -> QueryResult<Vec<DaySums>> {
    use survey_group_counts as g;
    let rows: Vec<(chrono::NaiveDate, SumCols)> = g::table
        .filter(g::survey_id.eq(survey_id))
        .filter(g::dim.eq("channel"))
        .filter(g::day.ge(days.from))
        .filter(g::day.le(days.to))
        .group_by(g::day)
        .select((
            g::day,
            (sum(g::responses), sum(g::duplicates), sum(g::likert_n), sum(g::likert_sum), sum(g::likert_satisfied)),
        ))
        .load(conn)?;
    Ok(with_responses(rows))
}

/// Recounts a survey's counts from its response and answer rows (a repair, and the check that
/// the counts kept on each write equal a recount).
pub fn recount(conn: &mut DbConnection, survey_id: i64) -> QueryResult<()> {
    diesel::delete(survey_answer_counts::table.filter(survey_answer_counts::survey_id.eq(survey_id))).execute(conn)?;
    diesel::delete(survey_group_counts::table.filter(survey_group_counts::survey_id.eq(survey_id))).execute(conn)?;
    let responses: Vec<ResponseRow> = survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .select(ResponseRow::as_select())
        .load(conn)?;
    let mut answers: HashMap<i64, Vec<AnswerRow>> = HashMap::new();
    for a in survey_answers::table
        .filter(survey_answers::survey_id.eq(survey_id))
        .select(AnswerRow::as_select())
        .load::<AnswerRow>(conn)?
    {
        answers.entry(a.response_id).or_default().push(a);
    }
    for r in &responses {
        count_response(conn, r, answers.get(&r.id).map_or(&[][..], Vec::as_slice), 1)?;
    }
    Ok(())
}

/// Entered responses of a survey (paper forms and village captures), newest first; a village
/// head's own village only when `village` is given.
pub fn entered_responses(
    conn: &mut DbConnection,
    survey_id: i64,
    village: Option<i64>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ResponseRow>, i64)> {
    let filtered = || {
        let mut q = survey_responses::table
            .filter(survey_responses::survey_id.eq(survey_id))
            .filter(survey_responses::channel.eq_any(["paper", "village"]))
            .into_boxed();
        if let Some(v) = village {
            q = q.filter(survey_responses::channel.eq("village")).filter(survey_responses::village_id.eq(v));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(survey_responses::id.desc())
        .offset(offset)
        .limit(limit)
        .select(ResponseRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
