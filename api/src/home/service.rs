//! The cards of each role's home page, read from the modules through their public functions,
//! each with the link to the list that shows the same rows (the same filter, so the list's
//! total is the card's figure).

use chrono::{Datelike, NaiveDate, Utc};

use super::model::*;
use super::repo;
use crate::audit::{self};
use crate::auth::Caller;
use crate::auth::permission::Permission;
use crate::db::DbConnection;
use crate::db::write_tx;
use crate::democracy::disclosures::model::{DisclosureFilter, DisclosureStatus};
use crate::democracy::disclosures::service as disclosures;
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::dossiers::lifecycle::SUPPLEMENT;
use crate::onestop::dossiers::service as dossiers;
use crate::onestop::model::{DossierFilter, DossierView, Timeliness};
use crate::onestop::stats::index766;
use crate::onestop::stats::indicators::{self, CommuneRef, GroupBy, Period};
use crate::org::model::Role;
use crate::org::repo as org_repo;
use crate::petitions::model::PetitionFilter;
use crate::petitions::service as petitions;
use crate::plans::model::{PlanFilter, PlanStatus, TaskFilter};
use crate::plans::repo::{TaskSet, list_tasks};
use crate::plans::service as plans;
use crate::surveys::model::Channel;
use crate::surveys::service as surveys;
use crate::time::today_local;
use serde_json::json;

/// One row is enough to read a list's total.
const ONE: Paging = Paging { page: 1, per_page: 1 };

/// The signed-in user's home page.
pub fn home(conn: &mut DbConnection, caller: &Caller) -> AppResult<Home> {
    let today = today_local();
    // Each card needs the permission its list needs (an API key may hold fewer than its role).
    let cards = match caller.role {
        Role::Board => board(conn, caller, today)?,
        Role::Ubnd => ubnd(conn, caller)?,
        Role::Front => front(conn, caller, today)?,
        Role::Village => village(conn, caller, today)?,
        Role::Oversight => oversight(conn, caller, today)?,
        Role::Admin => Vec::new(),
    };
    Ok(Home { role: caller.role, today, cards })
}

/// The year so far: 1 January to today (the dashboard's default period).
fn year_to_date(today: NaiveDate) -> Period {
    let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    Period::new(from, today, Utc::now().naive_utc())
}

// ---- plans ----

/// Open tasks of the active plans (of a unit when given): (overdue, due within 7 days).
fn task_counts(conn: &mut DbConnection, commune: i64, unit: Option<i64>, today: NaiveDate) -> AppResult<(i64, i64)> {
    let overdue = TaskFilter { overdue: Some(true), ..TaskFilter::default() };
    let soon = TaskFilter { due_soon: Some(true), ..TaskFilter::default() };
    let (_, late) = list_tasks(conn, commune, TaskSet::ActivePlans, unit, &overdue, today, ONE)?;
    let (_, due) = list_tasks(conn, commune, TaskSet::ActivePlans, unit, &soon, today, ONE)?;
    Ok((late, due))
}

/// The caller's tasks due and overdue, linked to "my tasks" filtered the same way.
fn my_tasks_card(conn: &mut DbConnection, caller: &Caller, today: NaiveDate) -> AppResult<HomeCard> {
    let commune = caller.commune()?;
    let (late, due) = task_counts(conn, commune, Some(caller.unit_id.unwrap_or(-1)), today)?;
    Ok(HomeCard::new(
        "tasks_due",
        tone_of(late, due),
        "/my-tasks?due_soon=true",
        vec![
            HomeFigure::count("overdue", late).link("/my-tasks?overdue=true"),
            HomeFigure::count("due_soon", due).link("/my-tasks?due_soon=true"),
        ],
    ))
}

// ---- one-stop ----

fn dossier_count(conn: &mut DbConnection, commune: i64, f: DossierFilter) -> AppResult<i64> {
    Ok(dossiers::list_dossiers(conn, commune, false, &f, ONE)?.1)
}

fn dossier_filter() -> DossierFilter {
    DossierFilter {
        status: None,
        procedure_id: None,
        channel: None,
        timeliness: None,
        received_from: None,
        received_to: None,
        finished_from: None,
        finished_to: None,
        open_at: None,
        commune_id: None,
        q: None,
        view: None,
        page: None,
        per_page: None,
    }
}

/// The one-stop desk: due today, apologies (form 04) due, waiting for a supplement.
fn desk_card(conn: &mut DbConnection, commune: i64) -> AppResult<HomeCard> {
    let due_today =
        dossier_count(conn, commune, DossierFilter { view: Some(DossierView::DueToday), ..dossier_filter() })?;
    let apology =
        dossier_count(conn, commune, DossierFilter { view: Some(DossierView::ApologyDue), ..dossier_filter() })?;
    let supplement = dossier_count(conn, commune, DossierFilter { status: Some(SUPPLEMENT), ..dossier_filter() })?;
    let overdue = dossier_count(conn, commune, DossierFilter { view: Some(DossierView::Overdue), ..dossier_filter() })?;
    Ok(HomeCard::new(
        "desk",
        tone_of(overdue + apology, due_today),
        "/onestop?view=due_today",
        vec![
            HomeFigure::count("due_today", due_today).link("/onestop?view=due_today"),
            HomeFigure::count("apology_due", apology).link("/onestop?view=apology_due"),
            HomeFigure::count("supplement", supplement).link(format!("/onestop?view=all&status={SUPPLEMENT}")),
            HomeFigure::count("dossiers_overdue", overdue).link("/onestop?view=overdue"),
        ],
    ))
}

/// The year so far: share of dossiers handled on time, and the 766 index.
fn onestop_card(conn: &mut DbConnection, communes: Vec<CommuneRef>, today: NaiveDate) -> AppResult<HomeCard> {
    let p = year_to_date(today);
    let report = indicators::report(conn, communes.clone(), p, None)?;
    let index = index766::index(conn, communes, p)?;
    // The indicators give shares (0–1); the cards show percents.
    let rate = report.overall.on_time_rate.map(|r| r * 100.0);
    let tone = match rate {
        Some(r) if r < 90.0 => HomeTone::Bad,
        Some(r) if r < 100.0 => HomeTone::Warn,
        Some(_) => HomeTone::Ok,
        None => HomeTone::Neutral,
    };
    Ok(HomeCard::new(
        "onestop",
        tone,
        "/onestop/dashboard",
        vec![
            HomeFigure::percent("on_time_rate", rate),
            HomeFigure::percent("index766", index.percent),
            HomeFigure::count("open_overdue", report.overall.open_overdue)
                .link(format!("/onestop?view=all&timeliness={}", Timeliness::OpenOverdue.as_str())),
        ],
    ))
}

// ---- petitions, disclosures, surveys ----

fn petition_count(conn: &mut DbConnection, caller: &Caller, view: &str) -> AppResult<i64> {
    let f = PetitionFilter { view: Some(view.to_string()), ..PetitionFilter::default() };
    Ok(petitions::list(conn, caller, &f, ONE)?.1)
}

/// Petitions whose clock runs out within 3 days or has run out.
fn petitions_due_card(conn: &mut DbConnection, caller: &Caller) -> AppResult<HomeCard> {
    let late = petition_count(conn, caller, "overdue")?;
    let due = petition_count(conn, caller, "due_soon")?;
    Ok(HomeCard::new(
        "petitions_due",
        tone_of(late, due),
        "/petitions?view=overdue",
        vec![
            HomeFigure::count("overdue", late).link("/petitions?view=overdue"),
            HomeFigure::count("due_soon", due).link("/petitions?view=due_soon"),
        ],
    ))
}

/// Petitions assigned to the caller, and of them the late ones.
fn petitions_mine_card(conn: &mut DbConnection, caller: &Caller) -> AppResult<HomeCard> {
    let mine = petition_count(conn, caller, "mine")?;
    Ok(HomeCard::new(
        "petitions_assigned",
        if mine > 0 { HomeTone::Warn } else { HomeTone::Ok },
        "/petitions?view=mine",
        vec![HomeFigure::count("assigned", mine)],
    ))
}

fn current_disclosures() -> DisclosureFilter {
    DisclosureFilter {
        q: None,
        item_id: None,
        channel: None,
        status: Some(DisclosureStatus::Current),
        village_id: None,
        unrelayed: None,
        year: None,
        page: None,
        per_page: None,
    }
}

/// Disclosures on display that some village has not relayed yet (the board's view).
fn unrelayed_card(conn: &mut DbConnection, caller: &Caller) -> AppResult<HomeCard> {
    let mut missing = 0;
    let mut page = 1;
    loop {
        let paging = Paging { page, per_page: Paging::MAX_PER_PAGE };
        let (items, total) = disclosures::list_disclosures(conn, caller, current_disclosures(), paging)?;
        missing += items.iter().filter(|d| d.villages_relayed < d.villages_total).count() as i64;
        if page * Paging::MAX_PER_PAGE >= total || items.is_empty() {
            break;
        }
        page += 1;
    }
    Ok(HomeCard::new(
        "disclosures_unrelayed",
        if missing > 0 { HomeTone::Warn } else { HomeTone::Ok },
        "/disclosures?status=current&unrelayed=true",
        vec![HomeFigure::count("disclosures", missing)],
    ))
}

/// Disclosures on display the caller's village has not relayed yet.
fn relays_card(conn: &mut DbConnection, caller: &Caller) -> AppResult<HomeCard> {
    let f = DisclosureFilter { unrelayed: Some(true), village_id: caller.unit_scope(), ..current_disclosures() };
    let (_, n) = disclosures::list_disclosures(conn, caller, f, ONE)?;
    Ok(HomeCard::new(
        "relays_to_confirm",
        if n > 0 { HomeTone::Warn } else { HomeTone::Ok },
        "/disclosures?status=current&unrelayed=true",
        vec![HomeFigure::count("relays", n)],
    ))
}

/// Surveys open today: all of them, and those taking the given channel.
fn running_surveys(conn: &mut DbConnection, commune: i64, channel: Channel) -> AppResult<(i64, i64)> {
    let (mut open, mut with_channel) = (0, 0);
    let mut offset = 0;
    loop {
        let (items, total) = surveys::list_surveys(conn, commune, offset, Paging::MAX_PER_PAGE)?;
        for s in items.iter().filter(|s| s.open) {
            open += 1;
            if s.channels.contains(&channel) {
                with_channel += 1;
            }
        }
        offset += Paging::MAX_PER_PAGE;
        if offset >= total || items.is_empty() {
            break;
        }
    }
    Ok((open, with_channel))
}

fn satisfaction_card(conn: &mut DbConnection, commune: i64, today: NaiveDate) -> AppResult<HomeCard> {
    let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let f = crate::surveys::results::figures(conn, commune, from, today)?;
    let index = f.satisfaction_index.map(|x| x * 100.0);
    let tone = match index {
        Some(x) if x < 80.0 => HomeTone::Warn,
        Some(_) => HomeTone::Ok,
        None => HomeTone::Neutral,
    };
    Ok(HomeCard::new(
        "satisfaction",
        tone,
        "/surveys",
        vec![HomeFigure::percent("satisfaction_index", index), HomeFigure::count("responses", f.responses)],
    ))
}

// ---- the roles ----

fn board(conn: &mut DbConnection, caller: &Caller, today: NaiveDate) -> AppResult<Vec<HomeCard>> {
    let commune = caller.commune()?;
    let mut cards = Vec::new();
    if caller.may(Permission::ReadPlans) {
        cards.extend(plan_cards(conn, commune, today)?);
    }
    if caller.may(Permission::ReadStatistics) {
        let communes = vec![CommuneRef { id: commune, name: String::new() }];
        cards.push(onestop_card(conn, communes, today)?);
    }
    if caller.may(Permission::RunSurveys) {
        cards.push(satisfaction_card(conn, commune, today)?);
    }
    if caller.may(Permission::ProcessPetitions) {
        cards.push(petitions_due_card(conn, caller)?);
    }
    if caller.may(Permission::ReadDemocracy) {
        cards.push(unrelayed_card(conn, caller)?);
    }
    Ok(cards)
}

/// The plan of this year (else the latest active one): its progress; and the late tasks of
/// every active plan, listed in the plan's own task list when there is one plan and in the
/// list across the active plans when there are several.
fn plan_cards(conn: &mut DbConnection, commune: i64, today: NaiveDate) -> AppResult<Vec<HomeCard>> {
    let mut cards = Vec::new();
    let f = PlanFilter { year: None, status: Some(PlanStatus::Active), q: None, page: None, per_page: None };
    let active = plans::list_plans(conn, commune, &f, Paging { page: 1, per_page: 20 })?.items;
    let plan = active.iter().find(|p| p.year == today.year()).or_else(|| active.iter().max_by_key(|p| p.year));
    if let Some(p) = plan {
        cards.push(
            HomeCard::new(
                "plan_progress",
                HomeTone::Neutral,
                format!("/plans/{}", p.id),
                vec![HomeFigure::percent("progress", Some(p.progress)), HomeFigure::count("tasks", p.task_count)],
            )
            .with_label(p.title.clone()),
        );
    }
    let (late, due) = task_counts(conn, commune, None, today)?;
    let (overdue_href, soon_href) = match active.as_slice() {
        [one] => (format!("/plans/{}/tasks?overdue=true", one.id), format!("/plans/{}/tasks?due_soon=true", one.id)),
        [] => ("/plans".to_string(), "/plans".to_string()),
        _ => ("/tasks?overdue=true".to_string(), "/tasks?due_soon=true".to_string()),
    };
    cards.push(HomeCard::new(
        "tasks_overdue",
        tone_of(late, due),
        overdue_href.clone(),
        vec![HomeFigure::count("overdue", late).link(overdue_href), HomeFigure::count("due_soon", due).link(soon_href)],
    ));
    Ok(cards)
}

fn ubnd(conn: &mut DbConnection, caller: &Caller) -> AppResult<Vec<HomeCard>> {
    let commune = caller.commune()?;
    let mut cards = Vec::new();
    if caller.may(Permission::ReadDossiers) {
        cards.push(desk_card(conn, commune)?);
    }
    if caller.may(Permission::ProcessPetitions) {
        cards.push(petitions_mine_card(conn, caller)?);
        cards.push(petitions_due_card(conn, caller)?);
    }
    Ok(cards)
}

fn front(conn: &mut DbConnection, caller: &Caller, today: NaiveDate) -> AppResult<Vec<HomeCard>> {
    let commune = caller.commune()?;
    let mut cards = Vec::new();
    if caller.may(Permission::RunSurveys) {
        let (open, paper) = running_surveys(conn, commune, Channel::Paper)?;
        cards.push(HomeCard::new(
            "surveys_running",
            if paper > 0 { HomeTone::Warn } else { HomeTone::Neutral },
            "/surveys?status=running",
            vec![HomeFigure::count("surveys", open), HomeFigure::count("paper_forms", paper)],
        ));
    }
    // The Front's activities are the plan's tasks its unit leads or supports.
    if caller.may(Permission::ReadPlans) {
        let mut activities = my_tasks_card(conn, caller, today)?;
        activities.key = "activities".into();
        activities.title = "home.card.activities".into();
        cards.push(activities);
    }
    Ok(cards)
}

fn village(conn: &mut DbConnection, caller: &Caller, today: NaiveDate) -> AppResult<Vec<HomeCard>> {
    let commune = caller.commune()?;
    let mut cards = Vec::new();
    if caller.may(Permission::ReadPlans) {
        cards.push(my_tasks_card(conn, caller, today)?);
    }
    if caller.may(Permission::RelayDisclosures) {
        cards.push(relays_card(conn, caller)?);
    }
    if caller.may(Permission::CaptureSurveyAnswers) {
        let (_, capture) = running_surveys(conn, commune, Channel::Village)?;
        cards.push(HomeCard::new(
            "surveys_to_capture",
            if capture > 0 { HomeTone::Warn } else { HomeTone::Ok },
            "/surveys?status=running",
            vec![HomeFigure::count("surveys", capture)],
        ));
    }
    Ok(cards)
}

/// The communes side by side: the year's on-time share, the 766 index and open late dossiers.
fn oversight(conn: &mut DbConnection, caller: &Caller, today: NaiveDate) -> AppResult<Vec<HomeCard>> {
    if !caller.may(Permission::ReadStatistics) {
        return Ok(Vec::new());
    }
    let communes: Vec<CommuneRef> = org_repo::visible_communes(conn, None, caller.authority_id)?
        .into_iter()
        .map(|c| CommuneRef { id: c.id, name: c.name })
        .collect();
    if communes.is_empty() {
        return Ok(Vec::new());
    }
    let p = year_to_date(today);
    let report = indicators::report(conn, communes.clone(), p, Some(GroupBy::Commune))?;
    let index = index766::index(conn, communes.clone(), p)?;
    let late = repo::open_overdue_by_commune(conn, &communes.iter().map(|c| c.id).collect::<Vec<_>>())?;
    Ok(communes
        .iter()
        .map(|c| {
            let row = report.groups.iter().find(|g| g.commune_id == Some(c.id));
            let rate = row.and_then(|r| r.on_time_rate).map(|r| r * 100.0);
            let percent = if communes.len() == 1 {
                index.percent
            } else {
                index.communes.iter().find(|x| x.commune_id == c.id).and_then(|x| x.percent)
            };
            let overdue = late.get(&c.id).copied().unwrap_or(0);
            HomeCard::new(
                "commune",
                match rate {
                    _ if overdue > 0 => HomeTone::Bad,
                    Some(r) if r < 100.0 => HomeTone::Warn,
                    Some(_) => HomeTone::Ok,
                    None => HomeTone::Neutral,
                },
                format!("/onestop/dashboard?commune={}", c.id),
                vec![
                    HomeFigure::percent("on_time_rate", rate),
                    HomeFigure::percent("index766", percent),
                    HomeFigure::count("dossiers_overdue", overdue)
                        .link(format!("/onestop?view=overdue&commune_id={}", c.id)),
                ],
            )
            .with_label(c.name.clone())
        })
        .collect())
}

// ---- the citizen pages ----

fn public_commune(
    id: i64,
    code: Option<String>,
    name: String,
    kind: String,
    onestop: Option<String>,
    authority: String,
) -> PublicCommune {
    let onestop_name =
        onestop.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| "Bộ phận Một cửa".into());
    PublicCommune {
        id,
        code: code.filter(|c| !c.trim().is_empty()).unwrap_or_else(|| id.to_string()),
        people_committee: format!("UBND {}", full_name(&name, &kind)),
        name,
        authority_name: authority,
        onestop_name,
    }
}

/// The name inside "UBND …": "Bình Lương" of a `xa` → "xã Bình Lương"; a name that already
/// says its kind ("Phường Ba Đình") keeps it, in lower case ("phường Ba Đình").
fn full_name(name: &str, kind: &str) -> String {
    let word = match kind {
        "phuong" => "phường",
        "dac_khu" => "đặc khu",
        _ => "xã",
    };
    let lower = name.to_lowercase();
    if lower.starts_with(&format!("{word} ")) {
        format!("{word}{}", &name[name.char_indices().nth(word.chars().count()).map_or(name.len(), |(i, _)| i)..])
    } else {
        format!("{word} {name}")
    }
}

/// Every commune the installation serves (the citizen pages' picker).
pub fn public_communes(conn: &mut DbConnection) -> AppResult<PublicCommunes> {
    let items = repo::communes_with_authority(conn)?
        .into_iter()
        .map(|(id, code, name, kind, onestop, authority)| public_commune(id, code, name, kind, onestop, authority))
        .collect();
    Ok(PublicCommunes { items })
}

/// The commune of a citizen page: the one asked for, else the only one.
fn public_commune_of(conn: &mut DbConnection, commune_id: Option<i64>) -> AppResult<PublicCommune> {
    let all = public_communes(conn)?.items;
    match commune_id {
        Some(id) => all.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound),
        None if all.len() == 1 => all.into_iter().next().ok_or(AppError::NotFound),
        None if all.is_empty() => Err(AppError::NotFound),
        None => Err(AppError::field("commune_id", "required", "Cần chọn xã.")),
    }
}

/// The national portal's page of a procedure (by its national code).
pub fn portal_url(code: &str) -> String {
    format!("https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}")
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(s).unwrap_or_default()
}

/// One active procedure of a commune, as a citizen reads it.
pub fn public_procedure(
    conn: &mut DbConnection,
    commune_id: Option<i64>,
    code: &str,
) -> AppResult<PublicProcedureDetail> {
    let commune = public_commune_of(conn, commune_id)?;
    let code = code.trim();
    if code.is_empty() || code.len() > 40 {
        return Err(AppError::NotFound);
    }
    let row = repo::active_procedure_by_code(conn, commune.id, code)?;
    let p = crate::onestop::catalogue::service::procedures_api(conn, vec![row])?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let details = repo::procedure_details(conn, p.id)?;
    let place = details.as_ref().and_then(|d| d.place.clone()).filter(|s| !s.trim().is_empty());
    let desk = format!("{}, {}", commune.onestop_name, commune.people_committee);
    let online = !matches!(p.online_level, crate::onestop::model::OnlineLevel::None);
    Ok(PublicProcedureDetail {
        code: p.code.clone(),
        name: p.name,
        field: p.field,
        limit_amount: p.limit_amount,
        limit_unit: p.limit_unit,
        fee_vnd: p.fee_vnd,
        fee_note: p.fee_note,
        online_level: p.online_level,
        online_payment: p.online_payment,
        result_kind: p.result_kind,
        documents: details.as_ref().map(|d| json_list(&d.documents)).unwrap_or_default(),
        steps: details.as_ref().map(|d| json_list(&d.steps)).unwrap_or_default(),
        where_to_submit: match place {
            Some(place) => format!("{desk} — {place}"),
            None => desk,
        },
        portal_url: online.then(|| portal_url(&p.code)),
        commune,
    })
}

/// What the citizen page of a procedure of the caller's commune shows beyond the catalogue row,
/// as stored (empty lists and no place before anything was written; inactive procedures too).
pub fn procedure_details(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<ProcedureDetailsInput> {
    let commune = caller.commune()?;
    crate::onestop::catalogue::repo::get_procedure(conn, commune, id)?;
    let stored = repo::procedure_details(conn, id)?;
    Ok(ProcedureDetailsInput {
        documents: stored.as_ref().map(|d| json_list(&d.documents)).unwrap_or_default(),
        steps: stored.as_ref().map(|d| json_list(&d.steps)).unwrap_or_default(),
        place: stored.and_then(|d| d.place),
    })
}

/// Sets what the citizen page of a procedure shows beyond the catalogue row.
pub fn put_procedure_details(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: ProcedureDetailsInput,
) -> AppResult<ProcedureDetailsInput> {
    let commune = caller.commune()?;
    let mut v = Validator::new();
    let clean =
        |list: &[String]| list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let documents = clean(&input.documents);
    let steps = clean(&input.steps);
    if documents.len() > 50 || documents.iter().any(|d| d.chars().count() > 500) {
        v.add("documents", "invalid_value", "Tối đa 50 giấy tờ, mỗi dòng tối đa 500 ký tự.");
    }
    if steps.len() > 50 || steps.iter().any(|d| d.chars().count() > 1000) {
        v.add("steps", "invalid_value", "Tối đa 50 bước, mỗi bước tối đa 1000 ký tự.");
    }
    let place = input.place.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if place.as_ref().is_some_and(|p| p.chars().count() > 300) {
        v.add("place", "invalid_value", "Nơi nộp tối đa 300 ký tự.");
    }
    v.finish()?;
    let code = crate::onestop::catalogue::repo::get_procedure(conn, commune, id)?.code;
    let stored = ProcedureDetailsRow {
        procedure_id: id,
        documents: serde_json::to_string(&documents)
            .map_err(|e| AppError::Internal(format!("procedure documents: {e}")))?,
        steps: serde_json::to_string(&steps).map_err(|e| AppError::Internal(format!("procedure steps: {e}")))?,
        place: place.clone(),
        updated_at: Utc::now().naive_utc(),
    };
    write_tx(conn, |conn| {
        repo::save_procedure_details(conn, &stored)?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune,
            "update",
            "procedure_details",
            id,
            json!({ "code": code, "documents": documents.len(), "steps": steps.len() }),
        )?;
        Ok::<(), AppError>(())
    })?;
    Ok(ProcedureDetailsInput { documents, steps, place })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_people_committee_is_named_with_the_communes_kind() {
        assert_eq!(full_name("Bình Lương", "xa"), "xã Bình Lương");
        assert_eq!(full_name("Phường Ba Đình", "phuong"), "phường Ba Đình");
        assert_eq!(full_name("Côn Đảo", "dac_khu"), "đặc khu Côn Đảo");
    }
}
