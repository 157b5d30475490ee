//! The numbers others read (the year-end evaluation, the dashboard, oversight): disclosures by
//! item and channel, villages that relayed on time, periodic items overdue.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::DbConnection;
use crate::democracy::disclosures::model::DisclosureChannel;
use crate::democracy::disclosures::{repo, rules, service};
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
    /// Commitments due in the period, and how many were done by their due day.
    pub commitments_due: i64,
    pub commitments_kept_on_time: i64,
}

/// The democracy figures of a commune over [from, to].
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DemocracyFigures {
    pub commune_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub disclosures: DisclosureFigures,
    pub dialogues: DialogueFigures,
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
        let channels = DisclosureChannel::parse_list(&r.channels);
        for c in &channels {
            *by_channel.entry(c.as_str()).or_default() += 1;
        }
        let warns = rules::warnings(&rules::Posting {
            min_days: rules::min_days(item.and_then(|i| i.min_posting_days), r.for_comment),
            channels: &channels,
            from: r.posted_from,
            to: r.posted_to,
            taken_down: r.taken_down_on,
            loudspeaker_days: r.loudspeaker_days,
        });
        if !warns.is_empty() {
            with_warnings += 1;
        }
        let due = rules::relay_due(r.posted_from, settings.relay_within_days);
        on_time += relays.iter().filter(|x| x.disclosure_id == r.id && x.relayed_on <= due).count() as i64;
    }
    let relays_asked = asked.len() as i64;
    let periodic_overdue =
        service::periodic_missing(conn, commune_id, today_local(), settings.periodic_grace_days)?.len() as i64;
    let (held, commitments_due, commitments_kept_on_time) =
        crate::democracy::dialogues::service::figures(conn, commune_id, from, to)?;
    Ok(DemocracyFigures {
        commune_id,
        from,
        to,
        dialogues: DialogueFigures { held, commitments_due, commitments_kept_on_time },
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

/// One commune's line in the oversight table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommuneDemocracyCounts {
    pub commune_id: i64,
    pub commune_name: String,
    pub disclosures: i64,
    pub with_warnings: i64,
    pub relay_on_time_share: Option<f64>,
    pub periodic_overdue: i64,
}
