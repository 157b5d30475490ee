//! The numbers others read (the year-end evaluation, the dashboard, oversight): disclosures by
//! item and channel, villages that relayed on time, periodic items overdue.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::DbConnection;
use crate::democracy::common::tracked;
use crate::democracy::dialogues::service::Commitments;
use crate::democracy::disclosures::model::DisclosureChannel;
use crate::democracy::disclosures::{repo, rules, service};
use crate::democracy::meetings::service::Decisions;
use crate::error::AppResult;
use crate::time::today_local;

/// A count under a key (an item code, a channel).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountBy {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureFigures {
    /// Disclosures whose posting began in the period.
    pub total: i64,
    pub by_item: Vec<CountBy>,
    pub by_channel: Vec<CountBy>,
    /// Disclosures that break a legal minimum (posting days, loudspeaker days).
    pub with_warnings: i64,
    /// Village relays asked, made, made on time (within the commune's allowed days).
    pub relays_asked: i64,
    pub relays_done: i64,
    pub relays_on_time: i64,
    /// `relays_on_time / relays_asked`; `null` when none was asked.
    pub relay_on_time_share: Option<f64>,
    /// Periodic items with a period due and not disclosed (as of today).
    pub periodic_overdue: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DialogueFigures {
    /// Dialogues held in the period.
    pub held: i64,
    /// Commitments due in the period that have fallen due (their due day is past, or they are
    /// done), and how many were done by their due day.
    pub commitments_due: i64,
    pub commitments_kept_on_time: i64,
}

/// Activities and the people they reached under a key (a content area, a village).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReachBy {
    /// The content area's or the village's id; `null` for activities without a content area.
    pub id: Option<i64>,
    pub label: String,
    pub activities: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityFigures {
    /// Activities held in the period.
    pub held: i64,
    /// Calendar months of the period with at least one activity held, and the months the
    /// period spans (the year-end evaluation's "activities held" criterion).
    pub months_held: i64,
    pub months: i64,
    /// People reached (the sum of the activities' participants).
    pub people: i64,
    pub by_content_area: Vec<ReachBy>,
    /// By village reached: an activity that reached two villages counts in both, with all its
    /// participants (the lines do not add up to the totals).
    pub by_village: Vec<ReachBy>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingFigures {
    /// Coordination meetings held in the period.
    pub held: i64,
    /// Decisions due in the period that have fallen due (their due day is past, or they are
    /// done), and how many were done by their due day.
    pub decisions_due: i64,
    pub decisions_done_on_time: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardFigures {
    /// Supervisions held by the community boards in the period.
    pub supervisions: i64,
    /// Their recommendations, how many the commune answered, how many are resolved.
    pub recommendations: i64,
    pub answered: i64,
    pub resolved: i64,
}

/// The democracy figures of a commune over [from, to].
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DemocracyFigures {
    pub commune_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub disclosures: DisclosureFigures,
    pub dialogues: DialogueFigures,
    pub activities: ActivityFigures,
    pub meetings: MeetingFigures,
    pub boards: BoardFigures,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// First day (default 1 January of this year).
    pub from: Option<NaiveDate>,
    /// Last day (default today).
    pub to: Option<NaiveDate>,
}

/// The figures of one commune over [from, to] (postings that began in the period).
pub fn figures(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<DemocracyFigures> {
    let rows = repo::begun_between(conn, commune_id, from, to)?;
    let item_rows = {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.item_id).collect();
        ids.sort_unstable();
        ids.dedup();
        repo::items_by_id(conn, &ids)?
    };
    let settings = service::settings(conn, commune_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let asked = repo::villages_of(conn, &ids)?;
    let relays = repo::relays_of(conn, &ids)?;
    let mut by_item: BTreeMap<String, (String, i64)> = BTreeMap::new();
    let mut by_channel: BTreeMap<&'static str, i64> = BTreeMap::new();
    let mut with_warnings = 0;
    let mut on_time = 0;
    for r in &rows {
        let item = item_rows.iter().find(|i| i.id == r.item_id);
        let key = item.map_or_else(String::new, |i| i.code.clone());
        let label = item.map_or_else(String::new, |i| i.name.clone());
        by_item.entry(key).or_insert((label, 0)).1 += 1;
        for c in DisclosureChannel::parse_list(&r.channels) {
            *by_channel.entry(c.as_str()).or_default() += 1;
        }
        if !service::row_warnings(r, item).is_empty() {
            with_warnings += 1;
        }
        let due = rules::relay_due(r.posted_from, settings.relay_within_days);
        on_time += relays.iter().filter(|x| x.disclosure_id == r.id && x.relayed_on <= due).count() as i64;
    }
    let relays_asked = asked.len() as i64;
    let periodic_overdue =
        service::periodic_missing(conn, commune_id, today_local(), settings.periodic_grace_days)?.len() as i64;
    let (held, commitments_due, commitments_kept_on_time) =
        tracked::figures::<Commitments>(conn, commune_id, from, to)?;
    let (meetings_held, decisions_due, decisions_done_on_time) =
        tracked::figures::<Decisions>(conn, commune_id, from, to)?;
    let (supervisions, recommendations, answered, resolved) =
        crate::democracy::boards::service::figures(conn, commune_id, from, to)?;
    Ok(DemocracyFigures {
        commune_id,
        from,
        to,
        dialogues: DialogueFigures { held, commitments_due, commitments_kept_on_time },
        activities: activity_figures(conn, commune_id, from, to)?,
        meetings: MeetingFigures { held: meetings_held, decisions_due, decisions_done_on_time },
        boards: BoardFigures { supervisions, recommendations, answered, resolved },
        disclosures: DisclosureFigures {
            total: rows.len() as i64,
            by_item: by_item.into_iter().map(|(key, (label, count))| CountBy { key, label, count }).collect(),
            by_channel: by_channel
                .into_iter()
                .map(|(k, count)| CountBy { key: k.to_string(), label: k.to_string(), count })
                .collect(),
            with_warnings,
            relays_asked,
            relays_done: relays.len() as i64,
            relays_on_time: on_time,
            relay_on_time_share: (relays_asked > 0).then(|| on_time as f64 / relays_asked as f64),
            periodic_overdue,
        },
    })
}

/// Activities held in [from, to] and the people reached, by content area and by village.
fn activity_figures(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<ActivityFigures> {
    use crate::democracy::activities::repo as activities;
    let rows = activities::held_between(conn, commune_id, from, to)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut units_of: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for (a, u) in activities::units_of(conn, chunk)? {
            units_of.entry(a).or_default().push(u);
        }
    }
    let units = crate::democracy::common::units(conn, commune_id)?;
    let mut areas: BTreeMap<Option<i64>, (i64, i64)> = BTreeMap::new();
    let mut villages: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut people = 0;
    let mut months_held = std::collections::BTreeSet::new();
    for (id, area, participants, held_on) in &rows {
        months_held.insert(month_index(*held_on));
        let n = i64::from(*participants);
        people += n;
        let e = areas.entry(*area).or_default();
        e.0 += 1;
        e.1 += n;
        for u in units_of.get(id).into_iter().flatten().filter(|u| units.get(u).is_some_and(|i| i.village)) {
            let e = villages.entry(*u).or_default();
            e.0 += 1;
            e.1 += n;
        }
    }
    let mut by_content_area = Vec::new();
    for (area, (activities, people)) in areas {
        let label = match area {
            Some(a) => match crate::plans::repo::get_area(conn, commune_id, a) {
                Ok(row) => row.title,
                Err(diesel::result::Error::NotFound) => String::new(),
                Err(e) => return Err(e.into()),
            },
            None => String::new(),
        };
        by_content_area.push(ReachBy { id: area, label, activities, people });
    }
    let by_village = villages
        .into_iter()
        .map(|(u, (activities, people))| ReachBy {
            id: Some(u),
            label: units.get(&u).map(|i| i.name.clone()).unwrap_or_default(),
            activities,
            people,
        })
        .collect();
    Ok(ActivityFigures {
        held: rows.len() as i64,
        months_held: months_held.len() as i64,
        months: (month_index(to) - month_index(from) + 1).max(0),
        people,
        by_content_area,
        by_village,
    })
}

/// Months since year 0: consecutive months differ by one.
fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// One commune's line in the oversight table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommuneDemocracyCounts {
    pub commune_id: i64,
    pub commune_name: String,
    pub disclosures: i64,
    pub with_warnings: i64,
    pub relay_on_time_share: Option<f64>,
    pub periodic_overdue: i64,
    /// Awareness and other activities held, and the people they reached.
    pub activities: i64,
    pub people_reached: i64,
    /// Coordination meetings held; decisions due and done on time.
    pub meetings: i64,
    pub decisions_due: i64,
    pub decisions_done_on_time: i64,
    /// Board recommendations made in the period and answered by the commune.
    pub recommendations: i64,
    pub recommendations_answered: i64,
}
