//! Import of a plan document (the JSON shape of `plan-2023.json`): the plan with its legal
//! bases and purposes, content areas, steps, section IV unit duties, and one task per
//! actionable item. Also the demo seeding of the 2023 plan through the same import.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
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
    #[serde(default)]
    pub model_name: Option<String>,
    pub year: i32,
    /// The issuing body's name (mapped to a unit).
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    /// e.g. "Số:    /KH-BĐH" when the number was left blank.
    #[serde(default)]
    pub number_pattern: Option<String>,
    /// `YYYY-MM`.
    #[serde(default)]
    pub issued_month: Option<String>,
    #[serde(default)]
    pub issued_day: Option<u32>,
}

/// A legal basis as written in the document.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocBasis {
    pub kind: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
}

/// A content area with its actionable items.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocArea {
    #[serde(default)]
    pub no: Option<i32>,
    pub title: String,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub expected_outcome: Option<String>,
}

/// A step of the timeline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocStep {
    #[serde(default)]
    pub no: Option<i32>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A unit named in section IV with its duties.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocUnit {
    pub unit: String,
    #[serde(default)]
    pub role_in_plan: Option<String>,
    #[serde(default)]
    pub duties: Vec<String>,
}

/// Names a plan may use for a unit (folded), by the unit's demo code.
const ALIASES: &[(&str, &[&str])] = &[
    ("BDH", &["ban dieu hanh"]),
    ("UBND", &["uy ban nhan dan xa", "ubnd xa"]),
    ("MTTQ", &["khoi dan van", "mat tran to quoc", "mttq"]),
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
            v.text(&format!("content_areas[{i}].items[{j}]"), item, 1, 5000);
        }
    }
    for (i, s) in doc.steps.iter().enumerate() {
        v.text(&format!("steps[{i}].title"), &s.title, 1, 500);
        if let (Some(a), Some(b)) = (s.start, s.due)
            && b < a
        {
            v.add(&format!("steps[{i}].due"), "invalid_value", "Hạn không được trước ngày bắt đầu.");
        }
    }
    for (i, b) in doc.legal_bases.iter().enumerate() {
        v.text(&format!("legal_bases[{i}].kind"), &b.kind, 1, 100);
    }
    let tasks: usize = doc.content_areas.iter().map(|a| a.items.len()).sum();
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

/// Imports a plan document into a commune, in one transaction with its audit entry. Tasks
/// belong to the step with the widest date range (the plan's execution step) and take its
/// dates, or the plan's year when no step has dates.
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
        let mut v = Validator::new();
        let mut section_iv = Vec::new();
        for (i, u) in doc.organization.iter().enumerate() {
            match dir.resolve(&u.unit) {
                Some(id) => section_iv.push(id),
                None => v.add(&format!("organization[{i}].unit"), "not_found", "Không tìm thấy đơn vị này trong xã."),
            }
        }
        v.finish()?;
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
            repo::insert_plan_unit(
                conn,
                &NewPlanUnit {
                    plan_id: plan.id,
                    unit_id: *unit_id,
                    position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                    role_in_plan: u.role_in_plan.clone().unwrap_or_default(),
                    duties: serde_json::to_string(&u.duties).map_err(|e| AppError::Internal(e.to_string()))?,
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
            .filter_map(|s| Some((s, s.start_date?, s.due_date?)))
            .max_by_key(|(s, a, b)| ((*b - *a).num_days(), -i64::from(s.position)));
        let year_start = NaiveDate::from_ymd_opt(doc.plan.year, 1, 1).unwrap_or(NaiveDate::MIN);
        let year_end = NaiveDate::from_ymd_opt(doc.plan.year, 12, 31).unwrap_or(NaiveDate::MAX);
        let (step_id, start, due) = match execution {
            Some((s, a, b)) => (Some(s.id), a, b),
            None => (None, year_start, year_end),
        };
        let mut areas = Vec::new();
        let mut count = 0;
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
                },
            )?;
            for (j, item) in a.items.iter().enumerate() {
                let (lead, supporting) = dir.assign(item, &a.title, &section_iv, board);
                let text = item.trim().to_string();
                let t = repo::insert_task(
                    conn,
                    &NewTask {
                        commune_id,
                        plan_id: plan.id,
                        content_area_id: area.id,
                        step_id,
                        position: i32::try_from(j + 1).unwrap_or(i32::MAX),
                        search: fold_search(&text),
                        title: text,
                        description: String::new(),
                        lead_unit_id: lead,
                        start_date: start,
                        due_date: due,
                        weight: 1.0,
                        status: TaskStatus::NotStarted.as_str().to_string(),
                        progress: 0,
                        reporting_cadence: None,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                repo::set_supporting_units(conn, t.id, &supporting)?;
                count += 1;
            }
            areas.push(area);
        }
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune_id),
                action: "import",
                entity: "plan",
                entity_id: Some(plan.id.to_string()),
                summary: json!({ "title": plan.title, "year": plan.year, "areas": areas.len(), "steps": steps.len(), "tasks": count }),
            },
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
                unit(3, "Khối Dân vận – Mặt trận Tổ quốc xã", UnitKind::Front, "MTTQ"),
                unit(4, "Hội Nông dân xã", UnitKind::Union, "HND"),
                unit(5, "Thôn 1", UnitKind::Village, "T1"),
            ],
        };
        assert_eq!(dir.resolve("Ban Điều hành"), Some(1));
        assert_eq!(dir.resolve("Ủy ban nhân dân xã"), Some(2));
        assert_eq!(dir.resolve("Khối Dân vận"), Some(3));
        assert_eq!(dir.resolve("Thôn 1"), Some(5));
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
