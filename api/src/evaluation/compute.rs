//! The figures of an evaluation, read from the other modules through their public functions
//! (never their tables): the plan's progress and tasks (`plans`), the one-stop indicators and
//! the 766 index (`onestop::stats`), the surveys (`surveys::results::figures`), reception and
//! petitions (`reception::service::sessions_held`, `petitions::service::figures`) and grassroots
//! democracy (`democracy::figures::figures`).

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDateTime, Utc};

use super::model::*;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::onestop::stats::{index766, indicators};
use crate::plans::model::{PlanRow, TaskStatus};
use crate::time::to_local;

/// Figures of the period plus the one figure each source gives a computed criterion.
pub struct Computed {
    pub figures: EvaluationFigures,
    pub by_source: BTreeMap<&'static str, SourceFigure>,
}

fn pct(x: f64) -> String {
    let s = format!("{:.1}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    format!("{}%", s.replace('.', ","))
}

fn ratio(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn figure(
    source: Source,
    read_from: &str,
    n: Option<f64>,
    d: Option<f64>,
    value: Option<f64>,
    text: String,
    p: &PeriodView,
) -> SourceFigure {
    SourceFigure {
        source,
        read_from: read_from.into(),
        numerator: n,
        denominator: d,
        value,
        text,
        from: p.from,
        to: p.to,
    }
}

fn counted(source: Source, read_from: &str, n: i64, d: i64, unit: &str, p: &PeriodView) -> SourceFigure {
    let value = ratio(n, d);
    let text = match value {
        Some(v) => format!("{n}/{d} {unit} ({})", pct(v)),
        None => format!("Không có {unit} trong kỳ"),
    };
    figure(source, read_from, Some(n as f64), Some(d as f64), value, text, p)
}

/// Computes every figure of `plan` over `period`. `now` judges what is open.
pub fn compute(
    conn: &mut DbConnection,
    plan: &PlanRow,
    period: &PeriodView,
    now: NaiveDateTime,
) -> AppResult<Computed> {
    let commune = plan.commune_id;
    let (from, to) = (period.from, period.to);
    let mut by_source = BTreeMap::new();

    // ---- plan ----
    // A quarter or a half that has ended reads each task's progress as of its last day from the
    // dated progress reports; the year (and a period not over yet) reads the progress now.
    let today = to_local(now).date();
    let as_of_end = period.period != ReportPeriod::Year && to < today;
    let areas = crate::plans::repo::areas(conn, &[plan.id])?;
    let tasks = crate::plans::repo::plan_tasks(conn, plan.id)?;
    let mut progress_of: HashMap<i64, i32> = HashMap::new();
    let mut unit_names: HashMap<i64, String> = HashMap::new();
    let mut task_figures = Vec::new();
    let (mut tasks_due, mut tasks_on_time) = (0, 0);
    let area_pos: HashMap<i64, i32> = areas.iter().map(|a| (a.id, a.position)).collect();
    for t in &tasks {
        let status = TaskStatus::parse(&t.status).unwrap_or(TaskStatus::NotStarted);
        let reports =
            if as_of_end || status == TaskStatus::Done { crate::plans::repo::reports(conn, t.id)? } else { Vec::new() };
        let task_progress = if as_of_end {
            // Newest first: the last report dated (in the commune's time) on or before the end.
            reports.iter().find(|(r, _)| to_local(r.created_at).date() <= to).map_or(0, |(r, _)| r.progress)
        } else {
            t.progress
        };
        progress_of.insert(t.id, task_progress);
        let on_time = if status == TaskStatus::Done {
            // Done on time unless the report that brought it to 100 % came after its due date
            // (a task marked done without such a report has no later date against it).
            let done_on = reports.iter().filter(|(r, _)| r.progress >= 100).map(|(r, _)| r.created_at).min();
            Some(done_on.is_none_or(|at| to_local(at).date() <= t.due_date))
        } else if status != TaskStatus::Cancelled && t.due_date < today {
            // Still open after its due day: late already.
            Some(false)
        } else {
            None
        };
        // Due in the period and settled: its due day has passed, or it is done already. A task
        // still open before its due day is not late yet.
        let fallen_due = t.due_date < today || status == TaskStatus::Done;
        if status != TaskStatus::Cancelled && t.due_date >= from && t.due_date <= to && fallen_due {
            tasks_due += 1;
            if on_time == Some(true) {
                tasks_on_time += 1;
            }
        }
        if let std::collections::hash_map::Entry::Vacant(e) = unit_names.entry(t.lead_unit_id) {
            let name = crate::org::repo::get_unit(conn, commune, t.lead_unit_id).map(|u| u.name);
            e.insert(match name {
                Ok(n) => n,
                Err(diesel::result::Error::NotFound) => String::new(),
                Err(e) => return Err(e.into()),
            });
        }
        task_figures.push(TaskFigure {
            area: area_pos.get(&t.content_area_id).copied().unwrap_or(0),
            title: t.title.clone(),
            lead_unit: unit_names.get(&t.lead_unit_id).cloned().unwrap_or_default(),
            due_date: t.due_date,
            status: status.as_str().into(),
            progress: task_progress,
            on_time,
        });
    }
    let area_figures: Vec<AreaFigure> = areas
        .iter()
        .map(|a| {
            let mine: Vec<_> = tasks
                .iter()
                .filter(|t| t.content_area_id == a.id && t.status != TaskStatus::Cancelled.as_str())
                .collect();
            let progress = crate::plans::rules::weighted_mean(
                mine.iter().map(|t| (t.weight, f64::from(progress_of.get(&t.id).copied().unwrap_or(t.progress)))),
            )
            .unwrap_or(0.0);
            AreaFigure {
                position: a.position,
                title: a.title.clone(),
                weight: a.weight,
                progress,
                tasks: mine.len() as i64,
                // An ended quarter or half counts what was done by its last day.
                done: mine
                    .iter()
                    .filter(|t| match as_of_end {
                        true => progress_of.get(&t.id).is_some_and(|p| *p >= 100),
                        false => t.status == TaskStatus::Done.as_str(),
                    })
                    .count() as i64,
            }
        })
        .collect();
    let (progress, progress_from) = if as_of_end {
        // The plan's rule (weighted mean of the areas that have counted tasks) over the
        // tasks' progress at the end of the period.
        let per_area = areas.iter().filter_map(|a| {
            let (sum, weight) = tasks
                .iter()
                .filter(|t| t.content_area_id == a.id && t.status != TaskStatus::Cancelled.as_str())
                .fold((0.0, 0.0), |(s, w), t| {
                    (s + t.weight * f64::from(progress_of.get(&t.id).copied().unwrap_or(0)), w + t.weight)
                });
            (weight > 0.0).then(|| (a.weight, sum / weight))
        });
        (crate::plans::rules::weighted_mean(per_area).unwrap_or(0.0), "plans::repo::reports")
    } else {
        let now_progress =
            crate::plans::service::plans_with_progress(conn, vec![plan.clone()])?.first().map_or(0.0, |p| p.progress);
        (now_progress, "plans::service::plans_with_progress")
    };
    by_source.insert(
        Source::PlanProgress.as_str(),
        figure(
            Source::PlanProgress,
            progress_from,
            Some(progress),
            Some(100.0),
            (!tasks.is_empty()).then_some(progress / 100.0),
            format!("Tiến độ chung {}", pct(progress / 100.0)),
            period,
        ),
    );
    by_source.insert(
        Source::TasksOnTime.as_str(),
        counted(
            Source::TasksOnTime,
            "plans::repo::plan_tasks, plans::repo::reports",
            tasks_on_time,
            tasks_due,
            "nhiệm vụ đến hạn",
            period,
        ),
    );

    // ---- one-stop ----
    let name = crate::org::repo::commune_name(conn, commune)?;
    let refs = vec![indicators::CommuneRef { id: commune, name: name.clone() }];
    let p = indicators::Period::new(from, to, now);
    let report = indicators::report(conn, refs.clone(), p, Some(indicators::GroupBy::Field))?;
    let row = |r: &indicators::IndicatorRow, label: String| OnestopRow {
        label,
        received: r.received,
        online: r.channels.online,
        resolved: r.resolved,
        early: r.early,
        on_time: r.on_time,
        late: r.late,
        in_progress: r.in_progress,
        on_time_rate: r.on_time_rate,
        online_share: r.online_share,
    };
    let overall = row(&report.overall, "Tổng số".into());
    let ended = report.overall.early + report.overall.on_time + report.overall.late;
    by_source.insert(
        Source::OnestopOnTime.as_str(),
        counted(
            Source::OnestopOnTime,
            "onestop::stats::indicators::report",
            report.overall.early + report.overall.on_time,
            ended,
            "hồ sơ kết thúc xử lý",
            period,
        ),
    );
    by_source.insert(
        Source::OnestopOnline.as_str(),
        counted(
            Source::OnestopOnline,
            "onestop::stats::indicators::report",
            report.overall.channels.online,
            report.overall.received,
            "hồ sơ tiếp nhận",
            period,
        ),
    );
    let idx = index766::index(conn, refs, p)?;
    by_source.insert(
        Source::Index766.as_str(),
        figure(
            Source::Index766,
            "onestop::stats::index766::index",
            Some(idx.total),
            Some(idx.max),
            idx.percent.map(|x| x / 100.0),
            match idx.percent {
                Some(_) => idx.summary.clone(),
                None => "Không có chỉ số đo được trong kỳ".into(),
            },
            period,
        ),
    );
    let onestop = OnestopFigures {
        overall,
        by_field: report.groups.iter().map(|g| row(g, g.label.clone())).collect(),
        index_total: idx.total,
        index_max: idx.max,
        index_percent: idx.percent,
        index_summary: idx.summary.clone(),
        index_rows: idx
            .indicators
            .iter()
            .map(|i| IndexRow {
                code: i.code.clone(),
                name: i.name.clone(),
                score: i.score,
                max_score: i.max_score,
                applicable: i.applicable,
            })
            .collect(),
    };

    // ---- surveys ----
    let s = crate::surveys::results::figures(conn, commune, from, to)?;
    by_source.insert(
        Source::Satisfaction.as_str(),
        figure(
            Source::Satisfaction,
            "surveys::results::figures",
            Some(s.satisfied as f64),
            Some(s.likert_answers as f64),
            s.satisfaction_index,
            match s.satisfaction_index {
                Some(v) => format!("{} câu trả lời hài lòng / {} ({})", s.satisfied, s.likert_answers, pct(v)),
                None => format!("Chưa đủ mẫu ({} câu trả lời)", s.likert_answers),
            },
            period,
        ),
    );
    let surveys = SurveyFigures {
        responses: s.responses,
        satisfied: s.satisfied,
        likert_answers: s.likert_answers,
        satisfaction_index: s.satisfaction_index,
        dossier_responses: s.dossier_responses,
        dossier_dislikes: s.dossier_dislikes,
    };

    // ---- reception and petitions ----
    let (required, held) = crate::reception::service::sessions_held(conn, &[commune], from, to)?;
    by_source.insert(
        Source::ReceptionSessions.as_str(),
        counted(Source::ReceptionSessions, "reception::service::sessions_held", held, required, "tuần", period),
    );
    let kinds = crate::petitions::service::figures(conn, &[commune], from, to)?;
    // Only a petition with a legal time limit can be settled on time or late.
    let (with_limit, settled_on_time) =
        kinds.iter().fold((0, 0), |(a, b), k| (a + k.settled_with_time_limit, b + k.settled_on_time));
    by_source.insert(
        Source::PetitionsOnTime.as_str(),
        counted(
            Source::PetitionsOnTime,
            "petitions::service::figures",
            settled_on_time,
            with_limit,
            "đơn có thời hạn đã giải quyết",
            period,
        ),
    );
    let reception = ReceptionFigures {
        sessions_required: required,
        sessions_held: held,
        petitions: kinds
            .iter()
            .map(|k| PetitionKindRow {
                kind: k.kind.clone(),
                label: crate::petitions::model::kind_name(&k.kind).into(),
                received: k.received,
                settled: k.settled,
                settled_with_time_limit: Some(k.settled_with_time_limit),
                settled_on_time: k.settled_on_time,
                overdue_open: k.overdue_open,
            })
            .collect(),
    };

    // ---- democracy ----
    let d = crate::democracy::figures::figures(conn, commune, from, to)?;
    by_source.insert(
        Source::DisclosuresRelayed.as_str(),
        counted(
            Source::DisclosuresRelayed,
            "democracy::figures::figures",
            d.disclosures.relays_on_time,
            d.disclosures.relays_asked,
            "lượt thông báo",
            period,
        ),
    );
    by_source.insert(
        Source::DialogueCommitments.as_str(),
        counted(
            Source::DialogueCommitments,
            "democracy::figures::figures",
            d.dialogues.commitments_kept_on_time,
            d.dialogues.commitments_due,
            "cam kết đến hạn",
            period,
        ),
    );
    by_source.insert(
        Source::ActivitiesHeld.as_str(),
        counted(
            Source::ActivitiesHeld,
            "democracy::figures::figures",
            d.activities.months_held,
            d.activities.months,
            "tháng có hoạt động",
            period,
        ),
    );
    let democracy = EvaluationDemocracy {
        disclosures: d.disclosures.total,
        relays_asked: d.disclosures.relays_asked,
        relays_on_time: d.disclosures.relays_on_time,
        dialogues_held: d.dialogues.held,
        commitments_due: d.dialogues.commitments_due,
        commitments_kept: d.dialogues.commitments_kept_on_time,
    };

    Ok(Computed {
        figures: EvaluationFigures {
            plan: PlanFigures {
                plan_id: plan.id,
                number: plan.number.clone(),
                title: plan.title.clone(),
                issued_on: plan.issued_on,
                progress,
                areas: area_figures,
                tasks_due,
                tasks_on_time,
                tasks: task_figures,
            },
            onestop,
            surveys,
            reception,
            democracy,
        },
        by_source,
    })
}

/// The period of a report: the year, a quarter or a half of `year`.
pub fn period_view(period: ReportPeriod, year: i32) -> PeriodView {
    let (from, to) = period.bounds(year);
    // "năm 2023", "quý II năm 2023", "6 tháng đầu năm 2023".
    let word = period.label_vi();
    let label = if word.ends_with("năm") { format!("{word} {year}") } else { format!("{word} năm {year}") };
    PeriodView { period, label, from, to }
}

/// Now, for computations (UTC).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}
