//! Disclosures (Luật 10/2022, Art. 11–12): the items, the records with their warnings, the
//! village relays, the alerts and the public page.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use super::rules;
use crate::audit::Actor;
use crate::audit::repo::record_entity;
use crate::auth::Caller;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::lists;
use crate::error::{AppError, AppResult, FieldError, Validator};
use crate::http::Paging;
use crate::org::model::{Role, UnitFilter, UnitKind};
use crate::org::repo as org_repo;
use crate::plans::storage::{self, Storage};
use crate::read_cache::ReadCache;
use crate::spool::{FormPart, PartBody};
use crate::time::today_local;

// ---------------------------------------------------------------- items

/// The items the commune uses: its own, and the shipped ones it has not replaced.
pub fn list_items(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<DisclosureItem>> {
    let rows = repo::items_for(conn, commune_id)?;
    let own: Vec<String> = rows.iter().filter(|r| r.commune_id.is_some()).map(|r| r.code.clone()).collect();
    Ok(rows
        .into_iter()
        .filter(|r| r.commune_id.is_some() || !own.contains(&r.code))
        .map(DisclosureItem::from)
        .collect())
}

fn check_item_code(v: &mut Validator, code: &str) {
    let ok = !code.is_empty()
        && code.len() <= 20
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !ok {
        v.add("code", "invalid_format", "Mã gồm 1–20 chữ, số, '.', '-' hoặc '_'.");
    }
}

fn check_min_days(v: &mut Validator, days: Option<i32>) {
    if days.is_some_and(|d| !(0..=365).contains(&d)) {
        v.add("min_posting_days", "invalid_value", "Số ngày tối thiểu từ 0 đến 365 (0 = không quy định).");
    }
}

/// Adds an item of the commune's own (a new legal requirement, a local rule).
pub fn create_item(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: CreateDisclosureItem,
) -> AppResult<DisclosureItem> {
    let mut v = Validator::new();
    let code = input.code.trim().to_string();
    check_item_code(&mut v, &code);
    v.text("name", &input.name, 1, 500);
    if let Some(b) = &input.legal_basis {
        v.text("legal_basis", b, 0, 300);
    }
    check_min_days(&mut v, input.min_posting_days);
    v.finish()?;
    write_tx(conn, |conn| {
        if list_items(conn, commune_id)?.iter().any(|i| i.code == code) {
            return Err(AppError::field("code", "already_exists", "Mã này đã có trong danh mục."));
        }
        let now = Utc::now().naive_utc();
        let row = repo::insert_item(
            conn,
            commune_id,
            &DisclosureItemValues {
                code,
                name: input.name.trim().to_string(),
                legal_basis: input.legal_basis.as_deref().unwrap_or("").trim().to_string(),
                min_posting_days: input.min_posting_days.filter(|d| *d > 0),
                periodicity: input.periodicity.unwrap_or(Periodicity::None).as_str().into(),
                due_from: input.due_from.unwrap_or(DueFrom::PeriodEnd).as_str().into(),
                position: input.position.unwrap_or(100),
                active: true,
                updated_at: now,
            },
            now,
        )?;
        record_entity(conn, actor, commune_id, "create", "disclosure_item", row.id, json!({ "code": row.code }))?;
        Ok(DisclosureItem::from(row))
    })
}

/// Edits an item. A shipped item is never changed for everyone: the commune gets its own copy
/// (same code) with the change, and its disclosures of that item move to the copy.
pub fn update_item(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateDisclosureItem,
) -> AppResult<DisclosureItem> {
    let mut v = Validator::new();
    if let Some(n) = &input.name {
        v.text("name", n, 1, 500);
    }
    if let Some(b) = &input.legal_basis {
        v.text("legal_basis", b, 0, 300);
    }
    check_min_days(&mut v, input.min_posting_days);
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::get_item(conn, commune_id, id)?;
        if before.commune_id.is_none() && repo::own_item_by_code(conn, commune_id, &before.code)?.is_some() {
            // The commune already replaced this shipped item: it is no longer its own to edit.
            return Err(AppError::NotFound);
        }
        let now = Utc::now().naive_utc();
        let values = DisclosureItemValues {
            code: before.code.clone(),
            name: input.name.as_deref().map_or(before.name.clone(), |s| s.trim().to_string()),
            legal_basis: input.legal_basis.as_deref().map_or(before.legal_basis.clone(), |s| s.trim().to_string()),
            min_posting_days: match input.min_posting_days {
                Some(0) => None,
                Some(d) => Some(d),
                None => before.min_posting_days,
            },
            periodicity: input.periodicity.map_or(before.periodicity.clone(), |p| p.as_str().to_string()),
            due_from: input.due_from.map_or(before.due_from.clone(), |d| d.as_str().to_string()),
            position: input.position.unwrap_or(before.position),
            active: input.active.unwrap_or(before.active),
            updated_at: now,
        };
        let row = if before.commune_id.is_none() {
            let copy = repo::insert_item(conn, commune_id, &values, now)?;
            let moved = repo::move_disclosures_to_item(conn, commune_id, before.id, copy.id)?;
            record_entity(
                conn,
                actor,
                commune_id,
                "create",
                "disclosure_item",
                copy.id,
                json!({ "code": copy.code, "replaces_shipped": before.id, "disclosures_moved": moved }),
            )?;
            copy
        } else {
            let row = repo::update_item(conn, id, &values)?;
            record_entity(
                conn,
                actor,
                commune_id,
                "update",
                "disclosure_item",
                id,
                json!({ "code": row.code, "min_posting_days": [before.min_posting_days, row.min_posting_days],
                        "periodicity": [before.periodicity, row.periodicity], "due_from": [before.due_from, row.due_from],
                        "active": [before.active, row.active] }),
            )?;
            row
        };
        Ok(DisclosureItem::from(row))
    })
}

// ---------------------------------------------------------------- reading

/// The commune's villages (id, name), by name.
pub fn villages(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<(i64, String)>> {
    let f = UnitFilter { q: None, kind: Some(UnitKind::Village), active: None, page: None, per_page: None };
    let (rows, _) = org_repo::list_units(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

pub fn settings(conn: &mut DbConnection, commune_id: i64) -> AppResult<DemocracySettings> {
    Ok(repo::settings(conn, commune_id)?
        .map(|(relay_within_days, periodic_grace_days)| DemocracySettings { relay_within_days, periodic_grace_days })
        .unwrap_or_default())
}

pub fn save_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: DemocracySettings,
) -> AppResult<DemocracySettings> {
    let mut v = Validator::new();
    if !(1..=90).contains(&input.relay_within_days) {
        v.add("relay_within_days", "invalid_value", "Từ 1 đến 90 ngày.");
    }
    if !(0..=180).contains(&input.periodic_grace_days) {
        v.add("periodic_grace_days", "invalid_value", "Từ 0 đến 180 ngày.");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let before = settings(conn, commune_id)?;
        repo::save_settings(
            conn,
            commune_id,
            input.relay_within_days,
            input.periodic_grace_days,
            Utc::now().naive_utc(),
        )?;
        record_entity(
            conn,
            actor,
            commune_id,
            "update",
            "democracy_settings",
            commune_id,
            json!({ "relay_within_days": [before.relay_within_days, input.relay_within_days],
                    "periodic_grace_days": [before.periodic_grace_days, input.periodic_grace_days] }),
        )?;
        Ok(input)
    })
}

/// What the posting of a disclosure falls short of (its item's minimum days, channels, loudspeaker).
pub fn row_warnings(r: &DisclosureRow, item: Option<&DisclosureItemRow>) -> Vec<DisclosureWarning> {
    let channels = DisclosureChannel::parse_list(&r.channels);
    rules::warnings(&rules::Posting {
        min_days: rules::min_days(item.and_then(|i| i.min_posting_days), r.for_comment),
        channels: &channels,
        from: r.posted_from,
        to: r.posted_to,
        taken_down: r.taken_down_on,
        loudspeaker_days: r.loudspeaker_days,
    })
}

fn summary(
    r: &DisclosureRow,
    item: Option<&DisclosureItemRow>,
    counts: (i64, i64),
    today: NaiveDate,
) -> DisclosureSummary {
    DisclosureSummary {
        id: r.id,
        item_id: r.item_id,
        item_code: item.map(|i| i.code.clone()).unwrap_or_default(),
        item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
        title: r.title.clone(),
        channels: DisclosureChannel::parse_list(&r.channels),
        for_comment: r.for_comment,
        period: r.period.clone(),
        posted_from: r.posted_from,
        posted_to: r.posted_to,
        taken_down_on: r.taken_down_on,
        status: rules::status(r.posted_from, r.posted_to, r.taken_down_on, today),
        villages_total: counts.0,
        villages_relayed: counts.1,
        warnings: row_warnings(r, item),
    }
}

fn item_map(conn: &mut DbConnection, rows: &[DisclosureRow]) -> AppResult<HashMap<i64, DisclosureItemRow>> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.item_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(repo::items_by_id(conn, &ids)?.into_iter().map(|i| (i.id, i)).collect())
}

/// A page of disclosures. A village head's `unrelayed` means "not yet relayed by my village".
pub fn list_disclosures(
    conn: &mut DbConnection,
    caller: &Caller,
    mut f: DisclosureFilter,
    paging: Paging,
) -> AppResult<(Vec<DisclosureSummary>, i64)> {
    let commune_id = caller.commune()?;
    let today = today_local();
    if caller.role == Role::Village && f.unrelayed == Some(true) && f.village_id.is_none() {
        f.village_id = caller.unit_scope();
    }
    let unrelayed_by = if f.unrelayed == Some(true) { f.village_id } else { None };
    let (rows, total) = repo::list_disclosures(conn, commune_id, &f, today, unrelayed_by, paging)?;
    let items = item_map(conn, &rows)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts: HashMap<i64, (i64, i64)> =
        repo::village_counts(conn, &ids)?.into_iter().map(|(id, a, r)| (id, (a, r))).collect();
    let out = rows
        .iter()
        .map(|r| summary(r, items.get(&r.item_id), counts.get(&r.id).copied().unwrap_or((0, 0)), today))
        .collect();
    Ok((out, total))
}

/// [`list_disclosures`] as the JSON page sent, through the read cache.
pub fn list_disclosures_json(
    conn: &mut DbConnection,
    cache: &ReadCache,
    caller: &Caller,
    f: DisclosureFilter,
    paging: Paging,
) -> AppResult<Bytes> {
    let key =
        format!("disclosures|{:?}|{:?}|{f:?}|{}|{}", caller.role, caller.unit_scope(), paging.page, paging.per_page);
    lists::cached_list(conn, cache, caller.commune()?, key, |conn| {
        let (items, total) = list_disclosures(conn, caller, f, paging)?;
        Ok(paging.wrap(items, total))
    })
}

pub fn file_api(f: FileRow) -> DemocracyFile {
    let url = if f.owner_kind == FileOwner::DisclosureDocument.as_str() {
        format!("/api/v1/public/disclosure-files/{}", f.id)
    } else {
        format!("/api/v1/democracy/files/{}", f.id)
    };
    DemocracyFile { id: f.id, file_name: f.file_name, content_type: f.content_type, size: f.size, url }
}

/// One disclosure with its villages and each one's relay (or none yet), its files, warnings.
pub fn get_disclosure(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<Disclosure> {
    let r = repo::get_disclosure(conn, commune_id, id)?;
    let today = today_local();
    // The disclosure's item always exists (foreign key); a database error is an error.
    let item = Some(repo::get_item(conn, commune_id, r.item_id)?);
    let within = settings(conn, commune_id)?.relay_within_days;
    let due = rules::relay_due(r.posted_from, within);
    let asked: Vec<i64> = repo::villages_of(conn, &[id])?.into_iter().map(|(_, u)| u).collect();
    let relays = repo::relays_of(conn, &[id])?;
    let relay_ids: Vec<i64> = relays.iter().map(|r| r.id).collect();
    let mut photos: HashMap<i64, Vec<DemocracyFile>> = HashMap::new();
    for f in repo::files_of(conn, FileOwner::Relay, &relay_ids)? {
        photos.entry(f.owner_id).or_default().push(file_api(f));
    }
    let names: HashMap<i64, String> = villages(conn, commune_id)?.into_iter().collect();
    let mut village_list: Vec<VillageRelay> = asked
        .iter()
        .map(|u| {
            let relay = relays.iter().find(|x| x.unit_id == *u).map(|x| Relay {
                id: x.id,
                unit_id: x.unit_id,
                relayed_on: x.relayed_on,
                note: x.note.clone(),
                author_name: x.author_name.clone(),
                created_at: x.created_at.and_utc(),
                on_time: x.relayed_on <= due,
                photos: photos.remove(&x.id).unwrap_or_default(),
            });
            VillageRelay {
                unit_id: *u,
                unit_name: names.get(u).cloned().unwrap_or_default(),
                overdue: relay.is_none() && due < today,
                relay,
                due_on: due,
            }
        })
        .collect();
    village_list.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
    let documents = repo::files_of(conn, FileOwner::DisclosureDocument, &[id])?.into_iter().map(file_api).collect();
    let evidence = repo::files_of(conn, FileOwner::DisclosureEvidence, &[id])?.into_iter().map(file_api).collect();
    let relayed = village_list.iter().filter(|v| v.relay.is_some()).count() as i64;
    Ok(Disclosure {
        summary: summary(&r, item.as_ref(), (village_list.len() as i64, relayed), today),
        content: r.content.clone(),
        other_channel: r.other_channel.clone(),
        loudspeaker_days: r.loudspeaker_days,
        evidence_note: r.evidence_note.clone(),
        responsible_unit_id: r.responsible_unit_id,
        responsible_name: r.responsible_name.clone(),
        min_posting_days: rules::min_days(item.as_ref().and_then(|i| i.min_posting_days), r.for_comment),
        villages: village_list,
        documents,
        evidence,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

// ---------------------------------------------------------------- writing

/// The fields of a disclosure after the edit is applied, before checking.
struct Draft {
    item_id: i64,
    title: String,
    content: String,
    channels: Vec<DisclosureChannel>,
    other_channel: Option<String>,
    for_comment: bool,
    period: Option<String>,
    posted_from: NaiveDate,
    posted_to: NaiveDate,
    taken_down_on: Option<NaiveDate>,
    loudspeaker_days: Option<i32>,
    evidence_note: String,
    responsible_unit_id: Option<i64>,
    responsible_name: String,
    village_ids: Vec<i64>,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Checks a draft against the commune's items, units and villages; returns its values and
/// the item's row.
fn check_draft(
    conn: &mut DbConnection,
    commune_id: i64,
    d: &Draft,
) -> AppResult<(DisclosureValues, DisclosureItemRow)> {
    let mut v = Validator::new();
    v.text("title", &d.title, 1, 500);
    v.text("content", &d.content, 0, 20_000);
    v.text("evidence_note", &d.evidence_note, 0, 2000);
    v.text("responsible_name", &d.responsible_name, 0, 200);
    if d.channels.is_empty() {
        v.add("channels", "required", "Chọn ít nhất một hình thức công khai.");
    }
    if d.channels.contains(&DisclosureChannel::Other) && d.other_channel.is_none() {
        v.add("other_channel", "required", "Ghi rõ hình thức công khai khác.");
    }
    if let Some(o) = &d.other_channel {
        v.text("other_channel", o, 0, 200);
    }
    if d.posted_to < d.posted_from {
        v.add("posted_to", "invalid_value", "Ngày kết thúc không được trước ngày bắt đầu.");
    }
    if (d.posted_to - d.posted_from).num_days() > 3660 {
        v.add("posted_to", "invalid_value", "Thời gian công khai tối đa 10 năm.");
    }
    if d.taken_down_on.is_some_and(|t| t < d.posted_from) {
        v.add("taken_down_on", "invalid_value", "Ngày gỡ không được trước ngày bắt đầu niêm yết.");
    }
    if d.loudspeaker_days.is_some_and(|n| !(0..=366).contains(&n)) {
        v.add("loudspeaker_days", "invalid_value", "Số ngày phát trên loa từ 0 đến 366.");
    }
    let asks_villages = d.channels.contains(&DisclosureChannel::VillageMeeting);
    if asks_villages && d.village_ids.is_empty() {
        v.add("village_ids", "required", "Công khai qua hội nghị thôn: chọn các thôn phải thông báo.");
    }
    if !asks_villages && !d.village_ids.is_empty() {
        v.add("village_ids", "invalid_value", "Chỉ chọn thôn khi công khai qua hội nghị thôn.");
    }
    let item = match repo::get_item(conn, commune_id, d.item_id) {
        Ok(i) => Some(i),
        Err(diesel::result::Error::NotFound) => {
            v.add("item_id", "not_found", "Không có nội dung công khai này.");
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(i) = &item {
        let periodicity = Periodicity::parse(&i.periodicity).unwrap_or(Periodicity::None);
        match (&d.period, periodicity) {
            (None, p) if p != Periodicity::None => {
                v.add("period", "required", "Nội dung định kỳ: ghi kỳ công khai (ví dụ 2026-Q1, 2026-H1, 2026).")
            }
            (Some(label), p) if p != Periodicity::None && rules::period_bounds(p, label).is_none() => v.add(
                "period",
                "invalid_format",
                match p {
                    Periodicity::Quarterly => "Kỳ theo quý: YYYY-Q1 … YYYY-Q4.",
                    Periodicity::HalfYearly => "Kỳ 6 tháng: YYYY-H1 hoặc YYYY-H2.",
                    _ => "Kỳ theo năm: YYYY.",
                },
            ),
            _ => {}
        }
    }
    if let Some(u) = d.responsible_unit_id {
        match org_repo::get_unit(conn, commune_id, u) {
            Ok(_) => {}
            Err(diesel::result::Error::NotFound) => v.add("responsible_unit_id", "not_found", "Không có đơn vị này."),
            Err(e) => return Err(e.into()),
        }
    }
    if !d.village_ids.is_empty() {
        let known: Vec<i64> = villages(conn, commune_id)?.into_iter().map(|(id, _)| id).collect();
        for (i, u) in d.village_ids.iter().enumerate() {
            if !known.contains(u) {
                v.add(&format!("village_ids[{i}]"), "not_found", "Không phải thôn của xã.");
            }
        }
    }
    v.finish()?;
    let item = item.ok_or(AppError::NotFound)?;
    let periodic = Periodicity::parse(&item.periodicity).unwrap_or(Periodicity::None) != Periodicity::None;
    let title = d.title.trim().to_string();
    Ok((
        DisclosureValues {
            item_id: d.item_id,
            title_search: fold_search(&title),
            title,
            content: d.content.trim().to_string(),
            channels: DisclosureChannel::join(&d.channels),
            other_channel: d.other_channel.clone().filter(|_| d.channels.contains(&DisclosureChannel::Other)),
            for_comment: d.for_comment,
            period: d.period.clone().filter(|_| periodic),
            posted_from: d.posted_from,
            posted_to: d.posted_to,
            taken_down_on: d.taken_down_on,
            loudspeaker_days: d.loudspeaker_days,
            evidence_note: d.evidence_note.trim().to_string(),
            responsible_unit_id: d.responsible_unit_id,
            responsible_name: d.responsible_name.trim().to_string(),
            updated_at: Utc::now().naive_utc(),
        },
        item,
    ))
}

fn dedup_channels(mut c: Vec<DisclosureChannel>) -> Vec<DisclosureChannel> {
    let mut seen = Vec::new();
    c.retain(|x| {
        let new = !seen.contains(x);
        seen.push(*x);
        new
    });
    c
}

fn dedup_ids(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Records a disclosure. What breaks a legal minimum is recorded and returned as warnings.
pub fn create_disclosure(
    conn: &mut DbConnection,
    caller: &Caller,
    input: CreateDisclosure,
) -> AppResult<DisclosureSaved> {
    let commune_id = caller.commune()?;
    let draft = Draft {
        item_id: input.item_id,
        title: input.title,
        content: input.content.unwrap_or_default(),
        channels: dedup_channels(input.channels),
        other_channel: clean(input.other_channel.as_deref()),
        for_comment: input.for_comment.unwrap_or(false),
        period: clean(input.period.as_deref()),
        posted_from: input.posted_from,
        posted_to: input.posted_to,
        taken_down_on: None,
        loudspeaker_days: input.loudspeaker_days,
        evidence_note: input.evidence_note.unwrap_or_default(),
        responsible_unit_id: input.responsible_unit_id,
        responsible_name: input.responsible_name.unwrap_or_default(),
        village_ids: dedup_ids(input.village_ids),
    };
    let actor = caller.actor();
    let id = write_tx(conn, |conn| {
        let (values, item) = check_draft(conn, commune_id, &draft)?;
        if !item.active {
            return Err(AppError::field("item_id", "inactive", "Nội dung công khai này đã ngừng sử dụng."));
        }
        let row = repo::insert_disclosure(conn, commune_id, &values, caller.id, Utc::now().naive_utc())?;
        repo::set_villages(conn, row.id, &draft.village_ids)?;
        record_entity(
            conn,
            &actor,
            commune_id,
            "create",
            "disclosure",
            row.id,
            json!({ "item": item.code, "title": row.title, "channels": row.channels, "from": row.posted_from,
                    "to": row.posted_to, "villages": draft.village_ids, "warnings": row_warnings(&row, Some(&item)).len() }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    let disclosure = get_disclosure(conn, commune_id, id)?;
    Ok(DisclosureSaved { warnings: disclosure.summary.warnings.clone(), disclosure })
}

/// Edits a disclosure (also: the day it was taken down, the villages asked to relay).
pub fn update_disclosure(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: UpdateDisclosure,
) -> AppResult<DisclosureSaved> {
    let commune_id = caller.commune()?;
    let actor = caller.actor();
    write_tx(conn, |conn| {
        let before = repo::get_disclosure(conn, commune_id, id)?;
        let current_villages: Vec<i64> = repo::villages_of(conn, &[id])?.into_iter().map(|(_, u)| u).collect();
        let draft = Draft {
            item_id: input.item_id.unwrap_or(before.item_id),
            title: input.title.clone().unwrap_or_else(|| before.title.clone()),
            content: input.content.clone().unwrap_or_else(|| before.content.clone()),
            channels: input
                .channels
                .clone()
                .map(dedup_channels)
                .unwrap_or_else(|| DisclosureChannel::parse_list(&before.channels)),
            other_channel: match &input.other_channel {
                Some(o) => clean(Some(o)),
                None => before.other_channel.clone(),
            },
            for_comment: input.for_comment.unwrap_or(before.for_comment),
            period: match &input.period {
                Some(p) => clean(Some(p)),
                None => before.period.clone(),
            },
            posted_from: input.posted_from.unwrap_or(before.posted_from),
            posted_to: input.posted_to.unwrap_or(before.posted_to),
            taken_down_on: input.taken_down_on.or(before.taken_down_on),
            loudspeaker_days: input.loudspeaker_days.or(before.loudspeaker_days),
            evidence_note: input.evidence_note.clone().unwrap_or_else(|| before.evidence_note.clone()),
            responsible_unit_id: input.responsible_unit_id.or(before.responsible_unit_id),
            responsible_name: input.responsible_name.clone().unwrap_or_else(|| before.responsible_name.clone()),
            village_ids: input.village_ids.clone().map(dedup_ids).unwrap_or(current_villages),
        };
        let (values, item) = check_draft(conn, commune_id, &draft)?;
        let row = repo::update_disclosure(conn, id, &values)?;
        repo::set_villages(conn, id, &draft.village_ids)?;
        record_entity(
            conn,
            &actor,
            commune_id,
            "update",
            "disclosure",
            id,
            json!({ "title": [before.title, row.title], "channels": [before.channels, row.channels],
                    "to": [before.posted_to, row.posted_to], "taken_down_on": [before.taken_down_on, row.taken_down_on],
                    "villages": draft.village_ids, "warnings": row_warnings(&row, Some(&item)).len() }),
        )?;
        Ok::<_, AppError>(())
    })?;
    let disclosure = get_disclosure(conn, commune_id, id)?;
    Ok(DisclosureSaved { warnings: disclosure.summary.warnings.clone(), disclosure })
}

// ---------------------------------------------------------------- forms and files

/// The most bytes kept of a form's part: text 5,000, files `upload_cap`, others nothing.
pub fn part_limit(name: &str, upload_cap: usize) -> usize {
    match name {
        "relayed_on" | "note" | "kind" | "client_id" | "text" | "status" => 5_000,
        "files" | "files[]" => upload_cap,
        _ => 0,
    }
}

/// Text fields and checked files of a form; 413 for a file over the limit, 415 for one that is
/// not JPEG, PNG, WebP or PDF.
pub fn split_form(parts: Vec<FormPart>, texts: &[&str]) -> AppResult<(HashMap<String, String>, Vec<Upload>)> {
    let (mut fields, mut files) = (HashMap::new(), Vec::new());
    let mut errors = Vec::new();
    for part in parts {
        let name = part.name.as_str();
        if texts.contains(&name) {
            match part.body {
                PartBody::Bytes(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        fields.insert(part.name.clone(), s.trim().to_string());
                    }
                    Err(_) => errors.push(FieldError::new(name, "invalid_format", "Không phải văn bản UTF-8.")),
                },
                PartBody::TooLarge | PartBody::File(_) => errors.push(FieldError::new(name, "too_long", "Quá dài.")),
            }
        } else if matches!(name, "files" | "files[]") {
            let file = match part.body {
                PartBody::TooLarge => return Err(AppError::PayloadTooLarge),
                PartBody::Bytes(_) => {
                    errors.push(FieldError::new(
                        format!("files[{}]", files.len()),
                        "invalid_format",
                        "Không phải tệp.",
                    ));
                    continue;
                }
                PartBody::File(file) => file,
            };
            if file.size() == 0 {
                errors.push(FieldError::new(format!("files[{}]", files.len()), "required", "Tệp rỗng."));
                continue;
            }
            let ct = storage::sniff(file.head()).ok_or(AppError::UnsupportedMediaType)?;
            files.push(Upload {
                file_name: storage::display_name(part.file_name.as_deref(), ct),
                content_type: ct,
                file,
            });
        } else {
            errors.push(FieldError::new(name, "unknown_field", "Trường này không được phép gửi."));
        }
    }
    if files.len() > storage::MAX_FILES_PER_REPORT {
        errors.push(FieldError::new("files", "too_long", "Tối đa 10 tệp."));
    }
    if errors.is_empty() { Ok((fields, files)) } else { Err(AppError::Validation(errors)) }
}

/// Checks a relay form (`relayed_on` default today, not in the future; `note`; `files`).
pub fn check_relay_form(parts: Vec<FormPart>) -> AppResult<RelayInput> {
    let (fields, files) = split_form(parts, &["relayed_on", "note"])?;
    let mut v = Validator::new();
    let today = today_local();
    let relayed_on = match fields.get("relayed_on").filter(|s| !s.is_empty()) {
        None => today,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| {
            v.add("relayed_on", "invalid_format", "Ngày theo dạng YYYY-MM-DD.");
            today
        }),
    };
    if relayed_on > today {
        v.add("relayed_on", "invalid_value", "Ngày thông báo không được sau hôm nay.");
    }
    let note = fields.get("note").cloned().unwrap_or_default();
    v.text("note", &note, 0, 2000);
    v.finish()?;
    Ok(RelayInput { relayed_on, note, files })
}

/// Checks a file form (`kind` = `document` | `evidence`, one or more `files`).
pub fn check_files_form(parts: Vec<FormPart>) -> AppResult<FilesInput> {
    let (fields, files) = split_form(parts, &["kind"])?;
    let mut v = Validator::new();
    let owner = match fields.get("kind").map(String::as_str) {
        Some("document") => FileOwner::DisclosureDocument,
        Some("evidence") | None => FileOwner::DisclosureEvidence,
        Some(_) => {
            v.add("kind", "invalid_value", "Loại tệp: document hoặc evidence.");
            FileOwner::DisclosureEvidence
        }
    };
    if files.is_empty() {
        v.add("files", "required", "Chọn ít nhất một tệp.");
    }
    v.finish()?;
    Ok(FilesInput { owner, files })
}

/// Stores blobs; on failure removes those this call created.
pub fn put_all(store: &dyn Storage, files: &[Upload]) -> AppResult<(Vec<String>, Vec<String>)> {
    let (mut keys, mut created) = (Vec::new(), Vec::new());
    for f in files {
        match store.put_file(&f.file) {
            Ok((k, new)) => {
                if new {
                    created.push(k.clone());
                }
                keys.push(k);
            }
            Err(e) => {
                for k in &created {
                    let _ = store.delete(k);
                }
                return Err(AppError::io("storage", e));
            }
        }
    }
    Ok((keys, created))
}

pub fn undo_blobs(conn: &mut DbConnection, store: &dyn Storage, created: &[String]) {
    for k in created {
        if matches!(repo::blob_uses(conn, k), Ok(0)) {
            let _ = store.delete(k);
        }
    }
}

pub fn insert_files(
    conn: &mut DbConnection,
    commune_id: i64,
    owner: FileOwner,
    owner_id: i64,
    files: &[Upload],
    keys: &[String],
) -> AppResult<Vec<DemocracyFile>> {
    let now = Utc::now().naive_utc();
    let mut out = Vec::new();
    for (f, k) in files.iter().zip(keys) {
        let row = repo::insert_file(
            conn,
            &NewFile {
                commune_id,
                owner_kind: owner.as_str().into(),
                owner_id,
                sha256: k.clone(),
                file_name: f.file_name.clone(),
                content_type: f.content_type.into(),
                size: i64::try_from(f.file.size()).unwrap_or(i64::MAX),
                created_at: now,
            },
        )?;
        out.push(file_api(row));
    }
    Ok(out)
}

/// Attaches the disclosed document or evidence of the posting.
pub fn add_files(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    id: i64,
    input: FilesInput,
) -> AppResult<Vec<DemocracyFile>> {
    let commune_id = caller.commune()?;
    repo::get_disclosure(conn, commune_id, id)?;
    let (keys, created) = put_all(store.as_ref(), &input.files)?;
    let actor = caller.actor();
    let result = write_tx(conn, |conn| {
        repo::get_disclosure(conn, commune_id, id)?;
        let out = insert_files(conn, commune_id, input.owner, id, &input.files, &keys)?;
        record_entity(
            conn,
            &actor,
            commune_id,
            "attach",
            "disclosure",
            id,
            json!({ "kind": input.owner.as_str(), "files": out.len() }),
        )?;
        Ok(out)
    });
    if result.is_err() {
        undo_blobs(conn, store.as_ref(), &created);
    }
    result
}

/// A village head confirms "đã thông báo tại thôn" for their own village, once.
pub fn add_relay(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    id: i64,
    input: RelayInput,
) -> AppResult<Relay> {
    let commune_id = caller.commune()?;
    let unit = caller.unit_id.ok_or_else(|| AppError::rule("no_village", "Tài khoản chưa gắn với thôn nào."))?;
    let check = |conn: &mut DbConnection| -> AppResult<DisclosureRow> {
        let d = repo::get_disclosure(conn, commune_id, id)?;
        let asked: Vec<i64> = repo::villages_of(conn, &[id])?.into_iter().map(|(_, u)| u).collect();
        if !asked.contains(&unit) {
            return Err(AppError::rule("village_not_asked", "Nội dung này không yêu cầu thôn của bạn thông báo."));
        }
        if repo::relay_of_village(conn, id, unit)?.is_some() {
            return Err(AppError::rule("already_relayed", "Thôn đã xác nhận thông báo nội dung này."));
        }
        Ok(d)
    };
    let d = check(conn)?;
    if input.relayed_on < d.posted_from {
        return Err(AppError::field(
            "relayed_on",
            "invalid_value",
            "Ngày thông báo không được trước ngày bắt đầu công khai.",
        ));
    }
    let within = settings(conn, commune_id)?.relay_within_days;
    let (keys, created) = put_all(store.as_ref(), &input.files)?;
    let actor = caller.actor();
    let result = write_tx(conn, |conn| {
        check(conn)?;
        let row = repo::insert_relay(
            conn,
            &NewRelay {
                disclosure_id: id,
                unit_id: unit,
                relayed_on: input.relayed_on,
                note: input.note.clone(),
                author_id: caller.id,
                author_name: caller.full_name.clone(),
                created_at: Utc::now().naive_utc(),
            },
        )?;
        let photos = insert_files(conn, commune_id, FileOwner::Relay, row.id, &input.files, &keys)?;
        let on_time = row.relayed_on <= rules::relay_due(d.posted_from, within);
        record_entity(
            conn,
            &actor,
            commune_id,
            "relay",
            "disclosure",
            id,
            json!({ "relay_id": row.id, "unit_id": unit, "relayed_on": row.relayed_on, "on_time": on_time, "photos": photos.len() }),
        )?;
        Ok(Relay {
            id: row.id,
            unit_id: unit,
            relayed_on: row.relayed_on,
            note: row.note,
            author_name: row.author_name,
            created_at: row.created_at.and_utc(),
            on_time,
            photos,
        })
    });
    if result.is_err() {
        undo_blobs(conn, store.as_ref(), &created);
    }
    result
}

/// A stored file of the caller's commune.
pub fn file(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<FileRow> {
    Ok(repo::get_file(conn, commune_id, id)?)
}

/// A disclosed document, for anyone.
pub fn public_file(conn: &mut DbConnection, id: i64) -> AppResult<FileRow> {
    Ok(repo::get_public_document(conn, id)?)
}

// ---------------------------------------------------------------- alerts

/// What the board should act on today: postings ending before their minimum, villages late to
/// relay, periodic items with a missing period. A village head sees their village's only.
pub fn alerts(conn: &mut DbConnection, caller: &Caller) -> AppResult<Vec<DisclosureAlert>> {
    let commune_id = caller.commune()?;
    let only_unit = caller.unit_scope();
    let today = today_local();
    let s = settings(conn, commune_id)?;
    let rows = repo::ending_since(conn, commune_id, today - Duration::days(90))?;
    let items = item_map(conn, &rows)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let asked = repo::villages_of(conn, &ids)?;
    let relayed: Vec<(i64, i64)> =
        repo::relays_of(conn, &ids)?.into_iter().map(|r| (r.disclosure_id, r.unit_id)).collect();
    let names: HashMap<i64, String> = villages(conn, commune_id)?.into_iter().collect();
    let mut out = Vec::new();
    for r in &rows {
        let item = items.get(&r.item_id);
        if only_unit.is_none() {
            let min = rules::min_days(item.and_then(|i| i.min_posting_days), r.for_comment);
            let last = rules::last_day(r.posted_to, r.taken_down_on);
            if let Some(min) = min
                && rules::days(r.posted_from, last) < i64::from(min)
                && last >= today - Duration::days(7)
                && r.posted_from <= today + Duration::days(30)
            {
                out.push(DisclosureAlert {
                    kind: AlertKind::ExpiresBeforeMinimum,
                    disclosure_id: Some(r.id),
                    item_id: Some(r.item_id),
                    unit_id: None,
                    unit_name: None,
                    period: None,
                    due_on: r.posted_from + Duration::days(i64::from(min) - 1),
                    subject: r.title.clone(),
                    last_day: Some(last),
                    min_days: Some(min),
                    message: format!(
                        "“{}” kết thúc ngày {}, trước khi đủ {min} ngày công khai.",
                        r.title,
                        last.format("%d/%m/%Y")
                    ),
                });
            }
        }
        let due = rules::relay_due(r.posted_from, s.relay_within_days);
        if due >= today {
            continue;
        }
        for (_, u) in asked.iter().filter(|(d, _)| *d == r.id) {
            if only_unit.is_some_and(|o| o != *u) || relayed.contains(&(r.id, *u)) {
                continue;
            }
            let name = names.get(u).cloned().unwrap_or_default();
            out.push(DisclosureAlert {
                kind: AlertKind::RelayOverdue,
                disclosure_id: Some(r.id),
                item_id: Some(r.item_id),
                unit_id: Some(*u),
                unit_name: Some(name.clone()),
                period: None,
                due_on: due,
                subject: r.title.clone(),
                last_day: None,
                min_days: None,
                message: format!("{name} chưa xác nhận thông báo “{}” (hạn {}).", r.title, due.format("%d/%m/%Y")),
            });
        }
    }
    if only_unit.is_none() {
        out.extend(periodic_missing(conn, commune_id, today, s.periodic_grace_days)?);
    }
    Ok(out)
}

/// Periodic items with no disclosure for a period whose disclosure was due.
pub fn periodic_missing(
    conn: &mut DbConnection,
    commune_id: i64,
    today: NaiveDate,
    grace: i32,
) -> AppResult<Vec<DisclosureAlert>> {
    let done = repo::periods_disclosed(conn, commune_id)?;
    let mut out = Vec::new();
    for item in list_items(conn, commune_id)?.into_iter().filter(|i| i.active) {
        for (label, due) in rules::periods_due(item.periodicity, item.due_from, today, grace) {
            if done.iter().any(|(i, p)| *i == item.id && *p == label) {
                continue;
            }
            out.push(DisclosureAlert {
                kind: AlertKind::PeriodicMissing,
                disclosure_id: None,
                item_id: Some(item.id),
                unit_id: None,
                unit_name: None,
                message: format!("Chưa công khai “{}” kỳ {label} (hạn {}).", item.name, due.format("%d/%m/%Y")),
                subject: item.name.clone(),
                last_day: None,
                min_days: None,
                period: Some(label),
                due_on: due,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- public page

fn public_of(conn: &mut DbConnection, rows: Vec<DisclosureRow>) -> AppResult<Vec<PublicDisclosure>> {
    let items = item_map(conn, &rows)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut docs: HashMap<i64, Vec<DemocracyFile>> = HashMap::new();
    for f in repo::files_of(conn, FileOwner::DisclosureDocument, &ids)? {
        docs.entry(f.owner_id).or_default().push(file_api(f));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let item = items.get(&r.item_id);
            PublicDisclosure {
                id: r.id,
                item_code: item.map(|i| i.code.clone()).unwrap_or_default(),
                item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
                channels: DisclosureChannel::parse_list(&r.channels),
                documents: docs.remove(&r.id).unwrap_or_default(),
                title: r.values.title,
                content: r.values.content,
                for_comment: r.values.for_comment,
                period: r.values.period,
                posted_from: r.values.posted_from,
                posted_to: rules::last_day(r.values.posted_to, r.values.taken_down_on),
            }
        })
        .collect())
}

/// The public page of a commune: its code, or its number when it has no code.
pub fn public_disclosures(conn: &mut DbConnection, code: &str, year: Option<i32>) -> AppResult<PublicDisclosures> {
    let (commune_id, commune_name) = org_repo::commune_by_public_code(conn, code)?.ok_or(AppError::NotFound)?;
    let (current, past) = repo::public_disclosures(conn, commune_id, today_local(), year)?;
    Ok(PublicDisclosures { commune_name, current: public_of(conn, current)?, past: public_of(conn, past)? })
}
