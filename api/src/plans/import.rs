//! Import of a plan document (the JSON shape of `plan-2023.json`): the plan with its legal
//! bases (and what has replaced them since) and purposes, content areas, steps, section IV unit
//! duties; one task per actionable item of section II, one per section IV duty, and one for
//! each step no other task falls in, so every deadline of the timeline has a task.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::org::model::{UnitFilter, UnitKind, UnitRow};

/// The 2023 plan of xã Bình Lương (`seed/plan-2023.json` beside this file).
pub const PLAN_2023: &str = include_str!("seed/plan-2023.json");

/// A plan document. Unknown keys (source, recipients, signatories, notes…) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanDocument {
    pub plan: DocHeader,
    #[serde(default)]
    pub legal_bases: Vec<DocBasis>,
    #[serde(default)]
    pub purposes: Vec<String>,
    pub content_areas: Vec<DocArea>,
    #[serde(default)]
    pub steps: Vec<DocStep>,
    /// Section IV: units and their duties.
    #[serde(default)]
    pub organization: Vec<DocUnit>,
}

/// The plan's header.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocHeader {
    pub title: String,
    pub model_name: Option<String>,
    pub year: i32,
    /// The issuing body's name (mapped to a unit).
    pub issuer: Option<String>,
    pub number: Option<String>,
    /// e.g. "Số:    /KH-BĐH" when the number was left blank.
    pub number_pattern: Option<String>,
    /// `YYYY-MM`.
    pub issued_month: Option<String>,
    pub issued_day: Option<u32>,
}

/// A legal basis as written in the document.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocBasis {
    pub kind: String,
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    /// The document that has since replaced this one (the plan still cites the old one).
    pub replaced_by: Option<String>,
    /// The day the replacing document took effect.
    pub replaced_from: Option<NaiveDate>,
}

/// A content area with its actionable items.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocArea {
    pub no: Option<i32>,
    pub title: String,
    /// The unit that leads the area's items when the document assigns one by law or by
    /// section IV rather than by naming it in the text (e.g. "Ủy ban nhân dân xã").
    pub lead: Option<String>,
    #[serde(default)]
    pub items: Vec<DocItem>,
    pub expected_outcome: Option<String>,
}

/// An actionable item: its text, or its text with the units the document assigns to it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DocItem {
    Text(String),
    Assigned(DocAssigned),
}

/// An item or duty with explicit units: `lead` and `supporting` name units of the commune;
/// `supporting`, when given, is the whole list (no unit is inferred from the text).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocAssigned {
    pub text: String,
    pub lead: Option<String>,
    pub supporting: Option<Vec<String>>,
    /// For a section IV duty: the number of the step whose dates the task takes.
    pub step: Option<i32>,
}

impl DocItem {
    fn text(&self) -> &str {
        match self {
            DocItem::Text(t) => t,
            DocItem::Assigned(a) => &a.text,
        }
    }

    fn assigned(&self) -> Option<&DocAssigned> {
        match self {
            DocItem::Text(_) => None,
            DocItem::Assigned(a) => Some(a),
        }
    }
}

/// A step of the timeline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocStep {
    pub no: Option<i32>,
    pub title: String,
    pub description: Option<String>,
    /// The timing as the document words it ("Thời gian ngày 26/4/2023").
    pub timing_text: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Who leads the step's own task (a step no item or duty falls in); the board by default.
    pub lead: Option<String>,
    pub supporting: Option<Vec<String>>,
}

/// A unit named in section IV with its duties; each duty becomes a task the unit leads.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocUnit {
    pub unit: String,
    pub role_in_plan: Option<String>,
    #[serde(default)]
    pub duties: Vec<DocItem>,
}

/// Title of the area that holds the tasks of sections III–IV (steps and unit duties).
pub const IMPLEMENTATION_AREA: &str = "Tổ chức thực hiện (các bước và nhiệm vụ của từng đơn vị)";

/// Names a plan may use for a unit (folded), by the unit's demo code.
const ALIASES: &[(&str, &[&str])] = &[
    ("BDH", &["ban dieu hanh"]),
    ("UBND", &["uy ban nhan dan xa", "ubnd xa"]),
    ("DU", &["dang uy"]),
    ("KDV", &["khoi dan van"]),
    ("MTTQ", &["mat tran to quoc", "mttq"]),
    ("TTND", &["ban thanh tra nhan dan"]),
    ("GSDTCD", &["ban giam sat dau tu cua cong dong", "ban giam sat dau tu cong dong"]),
    ("HPN", &["hoi lien hiep phu nu", "hoi phu nu"]),
    ("HND", &["hoi nong dan"]),
    ("CCB", &["hoi cuu chien binh"]),
    ("DTN", &["doan thanh nien"]),
    ("TYT", &["tram y te"]),
    ("TH", &["truong hoc"]),
];

/// "các đoàn thể" names every union of the commune.
const UNIONS: &str = "doan the";

/// Where a folded `needle` occurs in `hay` as whole words.
fn find_words(hay: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before_ok = hay[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            out.push(at);
        }
        from = at + needle.len().max(1);
    }
    out
}

/// The commune's units, resolvable by the names a plan uses.
pub struct UnitDirectory {
    units: Vec<UnitRow>,
}

/// A unit named in a text: where, which, and whether it is named as a partner ("với …").
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    pos: usize,
    unit_id: i64,
    partner: bool,
}

impl UnitDirectory {
    pub fn load(conn: &mut DbConnection, commune_id: i64) -> AppResult<UnitDirectory> {
        let mut units = Vec::new();
        for page in 1.. {
            let f = UnitFilter { q: None, kind: None, active: Some(true), page: None, per_page: None };
            let (rows, total) =
                crate::org::repo::list_units(conn, commune_id, &f, Paging { page, per_page: Paging::MAX_PER_PAGE })?;
            let done = rows.is_empty() || (page * Paging::MAX_PER_PAGE) >= total;
            units.extend(rows);
            if done {
                break;
            }
        }
        Ok(UnitDirectory { units })
    }

    fn by_code(&self, code: &str) -> Option<&UnitRow> {
        let aliases = ALIASES.iter().find(|(c, _)| *c == code).map(|(_, a)| *a).unwrap_or(&[]);
        self.units
            .iter()
            .find(|u| u.code.as_deref() == Some(code))
            .or_else(|| self.units.iter().find(|u| aliases.iter().any(|a| !find_words(&u.name_search, a).is_empty())))
    }

    /// A unit's name.
    pub fn name(&self, id: i64) -> Option<String> {
        self.units.iter().find(|u| u.id == id).map(|u| u.name.clone())
    }

    /// The board (default lead unit).
    pub fn board(&self) -> Option<i64> {
        self.by_code("BDH").or_else(|| self.units.iter().find(|u| u.kind == UnitKind::Board.as_str())).map(|u| u.id)
    }

    /// The unit a name denotes ("Ban Điều hành", "Ủy ban nhân dân xã", "Khối Dân vận", "Thôn 3"…).
    pub fn resolve(&self, name: &str) -> Option<i64> {
        let folded = fold_search(name);
        if let Some(u) = self.units.iter().find(|u| u.name_search == folded) {
            return Some(u.id);
        }
        self.mentions(&folded).into_iter().next().map(|m| m.unit_id)
    }

    fn mentions(&self, folded: &str) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let partner_at = |pos: usize| {
            let before = folded[..pos].trim_end();
            before.ends_with(" voi") || before == "voi"
        };
        for (code, aliases) in ALIASES {
            let Some(unit) = self.by_code(code) else { continue };
            for a in *aliases {
                for pos in find_words(folded, a) {
                    out.push(Mention { pos, unit_id: unit.id, partner: partner_at(pos) });
                }
            }
        }
        for u in self.units.iter().filter(|u| u.kind == UnitKind::Village.as_str()) {
            for pos in find_words(folded, &u.name_search) {
                out.push(Mention { pos, unit_id: u.id, partner: partner_at(pos) });
            }
        }
        for pos in find_words(folded, UNIONS) {
            for u in self.units.iter().filter(|u| u.kind == UnitKind::Union.as_str()) {
                out.push(Mention { pos, unit_id: u.id, partner: true });
            }
        }
        out.sort_by_key(|m| m.pos);
        out
    }

    /// [`UnitDirectory::assign`] with what the document says explicitly: the item's own lead
    /// first, then a section IV unit the item names, then the area's lead, then the heuristic;
    /// an explicit supporting list is taken whole.
    #[allow(clippy::too_many_arguments)]
    fn assign_with(
        &self,
        item: &str,
        area_title: &str,
        section_iv: &[i64],
        board: i64,
        item_lead: Option<i64>,
        area_lead: Option<i64>,
        supporting: Option<Vec<i64>>,
    ) -> (i64, Vec<i64>) {
        let item_m = self.mentions(&fold_search(item));
        let area_m = self.mentions(&fold_search(area_title));
        let first_iv =
            |m: &[Mention]| m.iter().find(|m| !m.partner && section_iv.contains(&m.unit_id)).map(|m| m.unit_id);
        let lead = item_lead.or(first_iv(&item_m)).or(area_lead).or(first_iv(&area_m)).unwrap_or(board);
        let mut sup: Vec<i64> =
            supporting.unwrap_or_else(|| item_m.iter().chain(area_m.iter()).map(|m| m.unit_id).collect());
        sup.retain(|u| *u != lead);
        sup.sort_unstable();
        sup.dedup();
        (lead, sup)
    }

    /// Lead and supporting units of an item: the lead is the first section IV unit the item
    /// (else its area's title) names other than as a partner ("phối hợp với …"), else the
    /// board; every other unit named becomes a supporting unit.
    pub fn assign(&self, item: &str, area_title: &str, section_iv: &[i64], board: i64) -> (i64, Vec<i64>) {
        let item_m = self.mentions(&fold_search(item));
        let area_m = self.mentions(&fold_search(area_title));
        let lead = item_m
            .iter()
            .chain(area_m.iter())
            .find(|m| !m.partner && section_iv.contains(&m.unit_id))
            .map(|m| m.unit_id)
            .unwrap_or(board);
        let mut sup: Vec<i64> = item_m.iter().chain(area_m.iter()).map(|m| m.unit_id).filter(|u| *u != lead).collect();
        sup.sort_unstable();
        sup.dedup();
        (lead, sup)
    }
}

fn plan_number(h: &DocHeader) -> String {
    if let Some(n) = h.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        return n.to_string();
    }
    let pattern = h.number_pattern.as_deref().unwrap_or("").trim();
    let rest = pattern.strip_prefix("Số:").or_else(|| pattern.strip_prefix("Số")).unwrap_or(pattern).trim();
    if rest.is_empty() { "…".to_string() } else { format!("…{rest}") }
}

fn issued_on(h: &DocHeader) -> Option<NaiveDate> {
    let month = h.issued_month.as_deref()?;
    let day = h.issued_day?;
    NaiveDate::parse_from_str(&format!("{month}-{day:02}"), "%Y-%m-%d").ok()
}

fn validate(doc: &PlanDocument) -> AppResult<()> {
    let mut v = Validator::new();
    v.text("plan.title", &doc.plan.title, 1, 500);
    if !(2000..=2100).contains(&doc.plan.year) {
        v.add("plan.year", "invalid_value", "Năm từ 2000 đến 2100.");
    }
    if doc.content_areas.is_empty() {
        v.add("content_areas", "required", "Kế hoạch cần ít nhất một nội dung.");
    }
    for (i, a) in doc.content_areas.iter().enumerate() {
        v.text(&format!("content_areas[{i}].title"), &a.title, 1, 500);
        for (j, item) in a.items.iter().enumerate() {
            v.text(&format!("content_areas[{i}].items[{j}]"), item.text(), 1, 5000);
        }
    }
    let step_numbers: Vec<i32> =
        doc.steps.iter().enumerate().map(|(i, s)| s.no.unwrap_or(i32::try_from(i + 1).unwrap_or(i32::MAX))).collect();
    for (i, s) in doc.steps.iter().enumerate() {
        v.text(&format!("steps[{i}].title"), &s.title, 1, 500);
        if let (Some(a), Some(b)) = (s.start, s.due)
            && b < a
        {
            v.add(&format!("steps[{i}].due"), "invalid_value", "Hạn không được trước ngày bắt đầu.");
        }
    }
    for (i, u) in doc.organization.iter().enumerate() {
        for (j, d) in u.duties.iter().enumerate() {
            v.text(&format!("organization[{i}].duties[{j}]"), d.text(), 1, 5000);
            if let Some(n) = d.assigned().and_then(|a| a.step)
                && !step_numbers.contains(&n)
            {
                v.add(&format!("organization[{i}].duties[{j}].step"), "not_found", "Kế hoạch không có bước này.");
            }
        }
    }
    for (i, b) in doc.legal_bases.iter().enumerate() {
        v.text(&format!("legal_bases[{i}].kind"), &b.kind, 1, 100);
    }
    let tasks: usize = doc.content_areas.iter().map(|a| a.items.len()).sum::<usize>()
        + doc.organization.iter().map(|u| u.duties.len()).sum::<usize>()
        + doc.steps.len();
    if tasks > 5000 {
        v.add("content_areas", "too_long", "Tối đa 5000 nhiệm vụ mỗi kế hoạch.");
    }
    v.finish()
}

/// What an import created.
#[derive(Debug, Clone)]
pub struct Imported {
    pub plan: PlanRow,
    pub areas: Vec<AreaRow>,
    pub steps: Vec<StepRow>,
    pub tasks: usize,
}

/// Units a document names explicitly (an area's, item's, step's or duty's `lead` and
/// `supporting`), resolved once; a name the commune does not have is a field error.
struct Named<'a> {
    dir: &'a UnitDirectory,
    v: Validator,
}

impl Named<'_> {
    fn one(&mut self, field: &str, name: Option<&String>) -> Option<i64> {
        let name = name?;
        let found = self.dir.resolve(name);
        if found.is_none() {
            self.v.add(field, "not_found", "Không tìm thấy đơn vị này trong xã.");
        }
        found
    }

    fn many(&mut self, field: &str, names: Option<&Vec<String>>) -> Option<Vec<i64>> {
        let names = names?;
        let mut out = Vec::new();
        for (k, n) in names.iter().enumerate() {
            out.extend(self.one(&format!("{field}[{k}]"), Some(n)));
        }
        Some(out)
    }
}

/// A task of sections III–IV before insertion: a unit's duty, or a step's own task.
struct ImplTask {
    step_index: usize,
    title: String,
    description: String,
    lead: i64,
    supporting: Vec<i64>,
}

/// Imports a plan document into a commune, in one transaction with its audit entry.
///
/// - Section II: one task per item, in the step with the widest date range (the plan's
///   execution step) with its dates, or the plan's year when no step has dates. The lead is the
///   item's `lead`, else the first section IV unit the item names other than as a partner, else
///   the area's `lead`, else the first section IV unit its title names, else the board.
/// - Sections III–IV, in an area of their own ([`AreaSection::Implementation`]): one task per
///   section IV duty, led by its unit, in the duty's `step` (else the execution step); then one
///   task for each step no task falls in yet, so every deadline of the timeline has a task.
pub fn import_plan(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    doc: &PlanDocument,
    status: PlanStatus,
) -> AppResult<Imported> {
    validate(doc)?;
    write_tx(conn, |conn| {
        let dir = UnitDirectory::load(conn, commune_id)?;
        let board = dir.board().ok_or_else(|| {
            AppError::field("organization", "not_found", "Xã chưa có Ban Điều hành để giao nhiệm vụ mặc định.")
        })?;
        let mut named = Named { dir: &dir, v: Validator::new() };
        let mut section_iv = Vec::new();
        for (i, u) in doc.organization.iter().enumerate() {
            if let Some(id) = named.one(&format!("organization[{i}].unit"), Some(&u.unit)) {
                section_iv.push(id);
            }
        }
        let mut area_leads = Vec::new();
        let mut item_units = Vec::new();
        for (i, a) in doc.content_areas.iter().enumerate() {
            area_leads.push(named.one(&format!("content_areas[{i}].lead"), a.lead.as_ref()));
            for (j, item) in a.items.iter().enumerate() {
                let f = format!("content_areas[{i}].items[{j}]");
                let x = item.assigned();
                item_units.push((
                    named.one(&format!("{f}.lead"), x.and_then(|x| x.lead.as_ref())),
                    named.many(&format!("{f}.supporting"), x.and_then(|x| x.supporting.as_ref())),
                ));
            }
        }
        let mut step_units = Vec::new();
        for (i, s) in doc.steps.iter().enumerate() {
            step_units.push((
                named.one(&format!("steps[{i}].lead"), s.lead.as_ref()),
                named.many(&format!("steps[{i}].supporting"), s.supporting.as_ref()),
            ));
        }
        let mut duty_units = Vec::new();
        for (i, u) in doc.organization.iter().enumerate() {
            for (j, d) in u.duties.iter().enumerate() {
                let f = format!("organization[{i}].duties[{j}]");
                let x = d.assigned();
                duty_units.push((
                    named.one(&format!("{f}.lead"), x.and_then(|x| x.lead.as_ref())),
                    named.many(&format!("{f}.supporting"), x.and_then(|x| x.supporting.as_ref())),
                ));
            }
        }
        named.v.finish()?;
        let now = Utc::now().naive_utc();
        let title = doc.plan.title.trim().to_string();
        let number = plan_number(&doc.plan);
        let bases: Vec<LegalBasis> = doc
            .legal_bases
            .iter()
            .map(|b| LegalBasis {
                kind: b.kind.trim().to_string(),
                number: b.number.clone(),
                date: b.date,
                issuer: b.issuer.clone().unwrap_or_default(),
                subject: b.subject.clone(),
                replaced_by: b.replaced_by.clone(),
                replaced_from: b.replaced_from,
            })
            .collect();
        let plan = repo::insert_plan(
            conn,
            &NewPlan {
                commune_id,
                title_search: fold_search(&format!("{title} {number}")),
                number,
                title,
                model_name: doc.plan.model_name.clone().unwrap_or_default(),
                year: doc.plan.year,
                issuing_unit_id: doc.plan.issuer.as_deref().and_then(|i| dir.resolve(i)).or(Some(board)),
                issued_on: issued_on(&doc.plan),
                legal_bases: serde_json::to_string(&bases).map_err(|e| AppError::Internal(e.to_string()))?,
                purposes: serde_json::to_string(&doc.purposes).map_err(|e| AppError::Internal(e.to_string()))?,
                status: status.as_str().to_string(),
                created_at: now,
                updated_at: now,
            },
        )?;
        for (i, (u, unit_id)) in doc.organization.iter().zip(&section_iv).enumerate() {
            let duties: Vec<&str> = u.duties.iter().map(DocItem::text).collect();
            repo::insert_plan_unit(
                conn,
                &NewPlanUnit {
                    plan_id: plan.id,
                    unit_id: *unit_id,
                    position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                    role_in_plan: u.role_in_plan.clone().unwrap_or_default(),
                    duties: serde_json::to_string(&duties).map_err(|e| AppError::Internal(e.to_string()))?,
                },
            )?;
        }
        let mut steps = Vec::new();
        for (i, s) in doc.steps.iter().enumerate() {
            steps.push(repo::insert_step(
                conn,
                &NewStep {
                    plan_id: plan.id,
                    position: s.no.unwrap_or(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    title: s.title.trim().to_string(),
                    description: s.description.clone().unwrap_or_default(),
                    start_date: s.start,
                    due_date: s.due,
                    status: TaskStatus::NotStarted.as_str().to_string(),
                    created_at: now,
                    updated_at: now,
                },
            )?);
        }
        let execution = steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s, s.start_date?, s.due_date?)))
            .max_by_key(|(_, s, a, b)| ((*b - *a).num_days(), -i64::from(s.position)))
            .map(|(i, ..)| i);
        let year_start = NaiveDate::from_ymd_opt(doc.plan.year, 1, 1).unwrap_or(NaiveDate::MIN);
        let year_end = NaiveDate::from_ymd_opt(doc.plan.year, 12, 31).unwrap_or(NaiveDate::MAX);
        // A step with a deadline only (Bước 1: "hoàn thành trước ngày 25/4") runs from the month
        // the plan was issued, when the document says it.
        let plan_start = doc
            .plan
            .issued_month
            .as_deref()
            .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
            .unwrap_or(year_start);
        let dates_of = |i: Option<usize>| -> (Option<i64>, NaiveDate, NaiveDate) {
            match i.and_then(|i| steps.get(i)) {
                Some(s) => {
                    let due = s.due_date.unwrap_or(year_end);
                    (Some(s.id), s.start_date.unwrap_or(plan_start.min(due)), due)
                }
                None => (None, year_start, year_end),
            }
        };
        // The j-th task (from 0) of an area, on a step's dates.
        let place_of = |content_area_id, (step_id, start_date, due_date), j: usize| TaskPlace {
            commune_id,
            plan_id: plan.id,
            content_area_id,
            step_id,
            position: i32::try_from(j + 1).unwrap_or(i32::MAX),
            start_date,
            due_date,
        };
        let mut areas = Vec::new();
        let mut count = 0;
        let mut steps_with_tasks = vec![false; steps.len()];
        let mut units_of_items = item_units.into_iter();
        for (i, a) in doc.content_areas.iter().enumerate() {
            let area = repo::insert_area(
                conn,
                &NewArea {
                    plan_id: plan.id,
                    position: a.no.unwrap_or(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    title: a.title.trim().to_string(),
                    expected_outcome: a.expected_outcome.clone(),
                    weight: 1.0,
                    created_at: now,
                    updated_at: now,
                    section: AreaSection::Content.as_str().to_string(),
                },
            )?;
            let (step_id, start, due) = dates_of(execution);
            for (j, item) in a.items.iter().enumerate() {
                let (lead, supporting) = units_of_items.next().unwrap_or((None, None));
                let (lead, supporting) =
                    dir.assign_with(item.text(), &a.title, &section_iv, board, lead, area_leads[i], supporting);
                let text = item.text().trim().to_string();
                let t = repo::insert_task(
                    conn,
                    &NewTask::not_started(
                        place_of(area.id, (step_id, start, due), j),
                        text,
                        String::new(),
                        lead,
                        now,
                        TaskSource::Plan,
                    ),
                )?;
                repo::set_supporting_units(conn, t.id, &supporting)?;
                count += 1;
            }
            if let Some(e) = execution.filter(|_| !a.items.is_empty()) {
                steps_with_tasks[e] = true;
            }
            areas.push(area);
        }
        // Sections III–IV: each unit's duties, then a task for every step still without one.
        let mut implementation: Vec<ImplTask> = Vec::new();
        let mut units_of_duties = duty_units.into_iter();
        for (u, unit_id) in doc.organization.iter().zip(&section_iv) {
            let unit_name = dir.name(*unit_id).unwrap_or_else(|| u.unit.clone());
            for d in &u.duties {
                let (lead, supporting) = units_of_duties.next().unwrap_or((None, None));
                let lead = lead.unwrap_or(*unit_id);
                let supporting = supporting.unwrap_or_else(|| dir.assign(d.text(), "", &[], lead).1);
                let step_index = d
                    .assigned()
                    .and_then(|x| x.step)
                    .and_then(|n| steps.iter().position(|s| s.position == n))
                    .or(execution);
                if let Some(k) = step_index {
                    steps_with_tasks[k] = true;
                }
                implementation.push(ImplTask {
                    step_index: step_index.unwrap_or(usize::MAX),
                    title: d.text().trim().to_string(),
                    description: format!("Nhiệm vụ của {unit_name} theo mục IV (Tổ chức thực hiện) của kế hoạch."),
                    lead,
                    supporting: supporting.into_iter().filter(|s| *s != lead).collect(),
                });
            }
        }
        for (k, (s, (lead, supporting))) in doc.steps.iter().zip(step_units).enumerate() {
            if steps_with_tasks[k] {
                continue;
            }
            let text = s.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).unwrap_or(s.title.trim());
            let lead = lead.unwrap_or(board);
            let supporting = supporting.unwrap_or_else(|| dir.assign(text, "", &[], lead).1);
            let timing =
                s.timing_text.as_deref().map(|t| format!(" {}.", t.trim().trim_end_matches('.'))).unwrap_or_default();
            implementation.push(ImplTask {
                step_index: k,
                title: text.to_string(),
                description: format!(
                    "Bước {} của mục III (Quy trình, thời gian thực hiện).{timing}",
                    steps[k].position
                ),
                lead,
                supporting: supporting.into_iter().filter(|s| *s != lead).collect(),
            });
        }
        if !implementation.is_empty() {
            implementation.sort_by_key(|t| t.step_index);
            let area = repo::insert_area(
                conn,
                &NewArea {
                    plan_id: plan.id,
                    position: areas.iter().map(|a| a.position).max().unwrap_or(0) + 1,
                    title: IMPLEMENTATION_AREA.to_string(),
                    expected_outcome: None,
                    weight: 1.0,
                    created_at: now,
                    updated_at: now,
                    section: AreaSection::Implementation.as_str().to_string(),
                },
            )?;
            for (j, it) in implementation.into_iter().enumerate() {
                let (step_id, start, due) = dates_of(Some(it.step_index).filter(|i| *i != usize::MAX).or(execution));
                let t = repo::insert_task(
                    conn,
                    &NewTask::not_started(
                        place_of(area.id, (step_id, start, due), j),
                        it.title,
                        it.description,
                        it.lead,
                        now,
                        TaskSource::Plan,
                    ),
                )?;
                let mut sup = it.supporting;
                sup.sort_unstable();
                sup.dedup();
                repo::set_supporting_units(conn, t.id, &sup)?;
                count += 1;
            }
            areas.push(area);
        }
        audit::repo::record_entity(
            conn,
            actor,
            commune_id,
            "import",
            "plan",
            plan.id,
            json!({ "title": plan.title, "year": plan.year, "areas": areas.len(), "steps": steps.len(), "tasks": count }),
        )?;
        Ok(Imported { plan, areas, steps, tasks: count })
    })
}

/// Parses a plan document, mapping JSON errors to field errors.
pub fn parse_document(bytes: &[u8]) -> AppResult<PlanDocument> {
    crate::http::parse_json(bytes)
}

/// `thanthien import-plan FILE`: imports a document into the named commune (or the only one).
/// Returns a one-line summary, or a readable error.
pub fn import_cli(
    conn: &mut DbConnection,
    bytes: &[u8],
    commune: Option<&str>,
    status: &str,
) -> Result<String, String> {
    let status = PlanStatus::parse(status).ok_or("status must be draft, active or closed")?;
    let all = repo::communes(conn).map_err(|e| e.to_string())?;
    let (commune_id, name) = match commune {
        Some(n) => {
            let folded = fold_search(n);
            all.into_iter().find(|(_, c)| fold_search(c) == folded).ok_or(format!("no commune named {n}"))?
        }
        None if all.len() == 1 => all.into_iter().next().ok_or("no commune")?,
        None => return Err("several communes: choose one with --commune".into()),
    };
    let explain = |e: AppError| match e {
        AppError::Validation(errs) => {
            errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    };
    let doc = parse_document(bytes).map_err(explain)?;
    let actor = Actor::system("import-plan");
    let done = import_plan(conn, &actor, commune_id, &doc, status).map_err(explain)?;
    Ok(format!(
        "imported plan {} “{}” into xã {name}: {} content areas, {} steps, {} tasks",
        done.plan.id,
        done.plan.title,
        done.areas.len(),
        done.steps.len(),
        done.tasks
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_document_parses() {
        let doc = parse_document(PLAN_2023.as_bytes()).unwrap();
        assert_eq!(doc.content_areas.len(), 5);
        assert_eq!(doc.steps.len(), 5);
        assert_eq!(doc.content_areas.iter().map(|a| a.items.len()).sum::<usize>(), 27);
        assert_eq!(plan_number(&doc.plan), "…/KH-BĐH");
        assert_eq!(issued_on(&doc.plan), None);
        validate(&doc).unwrap();
    }

    #[test]
    fn seed_document_assigns_what_the_plan_assigns() {
        let doc = parse_document(PLAN_2023.as_bytes()).unwrap();
        // Areas II.2 and II.4 are UBND's; the others are not assigned beyond their text.
        let leads: Vec<Option<&str>> = doc.content_areas.iter().map(|a| a.lead.as_deref()).collect();
        assert_eq!(leads, [None, Some("Ủy ban nhân dân xã"), None, Some("Ủy ban nhân dân xã"), None]);
        // Item V.5: the Front leads, UBND supports.
        let v5 = doc.content_areas[4].items[4].assigned().unwrap();
        assert_eq!(v5.lead.as_deref(), Some("Mặt trận Tổ quốc"));
        assert_eq!(v5.supporting.as_deref(), Some(&["Ủy ban nhân dân xã".to_string()][..]));
        // Every section IV duty names the step it falls in; together with Bước 2's own task
        // every step of the timeline gets a task.
        let mut covered: Vec<i32> = vec![3, 2];
        for u in &doc.organization {
            for d in &u.duties {
                covered.push(d.assigned().and_then(|a| a.step).unwrap());
            }
        }
        for s in &doc.steps {
            assert!(covered.contains(&s.no.unwrap()), "step {:?} has no task", s.no);
        }
        assert_eq!(doc.steps[1].lead.as_deref(), Some("Ban Điều hành"));
        let survey = &doc.organization[2].duties[1];
        assert_eq!(doc.organization[2].unit, "Khối Dân vận");
        assert!(survey.text().contains("khảo sát"));
        assert_eq!(survey.assigned().and_then(|a| a.step), Some(4));
        let evaluation = &doc.organization[0].duties[3];
        assert!(evaluation.text().contains("kiểm tra, đánh giá"));
        assert_eq!(evaluation.assigned().and_then(|a| a.step), Some(5));
        // Replaced legal bases carry what replaced them.
        let replaced: Vec<(&str, &str)> =
            doc.legal_bases.iter().filter_map(|b| Some((b.number.as_deref()?, b.replaced_by.as_deref()?))).collect();
        assert_eq!(replaced.len(), 2);
        assert!(replaced.iter().any(|(n, by)| *n == "34/2007/PL-UBTVQH11" && by.contains("10/2022/QH15")));
        assert!(replaced.iter().any(|(n, by)| *n == "149/2018/NĐ-CP" && by.contains("145/2020/NĐ-CP")));
    }

    #[test]
    fn a_plain_document_still_parses() {
        // Items and duties as bare strings (the shape of the shared seed file).
        let text = r#"{ "plan": { "title": "T", "year": 2023 }, "content_areas": [ { "title": "A", "items": ["x"] } ],
                  "organization": [ { "unit": "Ban Điều hành", "duties": ["Xây dựng kế hoạch"] } ] }"#;
        let doc = parse_document(text.as_bytes()).unwrap();
        assert_eq!(doc.content_areas[0].items[0].text(), "x");
        assert_eq!(doc.organization[0].duties[0].text(), "Xây dựng kế hoạch");
        validate(&doc).unwrap();
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(find_words("thon 1 va thon 10", "thon 1"), vec![0]);
        assert!(find_words("chu tich ubnd tinh", "ubnd xa").is_empty());
    }

    fn unit(id: i64, name: &str, kind: UnitKind, code: &str) -> UnitRow {
        let now = Utc::now().naive_utc();
        UnitRow {
            id,
            commune_id: 1,
            name: name.into(),
            name_search: fold_search(name),
            kind: kind.as_str().into(),
            code: Some(code.into()),
            active: true,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn section_iv_names_resolve_and_assign() {
        let dir = UnitDirectory {
            units: vec![
                unit(1, "Ban Điều hành mô hình", UnitKind::Board, "BDH"),
                unit(2, "UBND xã Bình Lương", UnitKind::PeopleCommittee, "UBND"),
                unit(3, "Ủy ban Mặt trận Tổ quốc Việt Nam xã", UnitKind::Front, "MTTQ"),
                unit(4, "Hội Nông dân xã", UnitKind::Union, "HND"),
                unit(5, "Thôn 1", UnitKind::Village, "T1"),
                unit(6, "Khối Dân vận xã", UnitKind::Other, "KDV"),
                unit(7, "Ban Thanh tra nhân dân xã", UnitKind::InspectionBoard, "TTND"),
                unit(8, "Ban Giám sát đầu tư của cộng đồng xã", UnitKind::InvestmentSupervisionBoard, "GSDTCD"),
                unit(9, "Đảng ủy xã", UnitKind::Other, "DU"),
            ],
        };
        assert_eq!(dir.resolve("Ban Điều hành"), Some(1));
        assert_eq!(dir.resolve("Ủy ban nhân dân xã"), Some(2));
        assert_eq!(dir.resolve("Khối Dân vận"), Some(6), "Khối Dân vận is not the Front");
        assert_eq!(dir.resolve("Mặt trận Tổ quốc"), Some(3));
        assert_eq!(dir.resolve("Thôn 1"), Some(5));
        assert_eq!(dir.resolve("Đảng ủy"), Some(9));
        let item = "Nâng cao hiệu quả hoạt động của Ban Thanh tra nhân dân và Ban Giám sát đầu tư cộng đồng tại xã.";
        // The area's lead from the document (UBND), the boards the item names supporting.
        assert_eq!(dir.assign_with(item, "Tiếp dân", &[1, 2, 6], 1, None, Some(2), None), (2, vec![7, 8]));
        // An explicit lead and supporting list win over the text.
        let v5 = "Tạo điều kiện thuận lợi để Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội";
        assert_eq!(
            dir.assign_with(v5, "Phối hợp giữa UBND xã với…", &[1, 2, 6], 1, Some(3), None, Some(vec![2])),
            (3, vec![2])
        );
        let iv = [1, 2, 3];
        let area5 = "Công tác phối hợp giữa UBND xã với Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội";
        assert_eq!(
            dir.assign("Phối hợp với Mặt trận tổ quốc và các tổ chức đoàn thể tuyên truyền", area5, &iv, 1),
            (2, vec![3, 4])
        );
        assert_eq!(dir.assign("Công khai lịch tiếp công dân.", "Tiếp dân", &iv, 1), (1, vec![]));
        assert_eq!(dir.assign("Thôn 1 họp dân", "Dân chủ", &iv, 1), (1, vec![5]));
    }
}
