//! Disclosure types: Art. 11 items, disclosures, village relays, files, alerts, settings.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{democracy_files, disclosure_items, disclosure_relays, disclosures};

crate::text_enum! {
    /// How often an item must be disclosed: `none` when the law sets no period.
    pub enum Periodicity {
        None = "none",
        Quarterly = "quarterly",
        HalfYearly = "half_yearly",
        Yearly = "yearly",
    }
}

crate::text_enum! {
    /// What a periodic item's deadline counts from: the end of its period (a quarter's budget
    /// execution, the year's final accounts) or its start (the year's plan and budget estimate,
    /// adopted the December before and disclosed as the year begins).
    pub enum DueFrom {
        PeriodEnd = "period_end",
        PeriodStart = "period_start",
    }
}

crate::text_enum! {
    /// Where a disclosure is made (Luật 10/2022, Art. 12): `office` niêm yết tại trụ sở UBND,
    /// `loudspeaker` hệ thống loa truyền thanh, `village_meeting` hội nghị thôn (relayed by the
    /// village heads), `web_page` trang thông tin điện tử, `zalo` nhóm Zalo, `other`.
    pub enum DisclosureChannel {
        Office = "office",
        Loudspeaker = "loudspeaker",
        VillageMeeting = "village_meeting",
        WebPage = "web_page",
        Zalo = "zalo",
        Other = "other",
    }
}

impl DisclosureChannel {
    /// Channels stored as one comma-separated text (`office,loudspeaker`).
    pub fn parse_list(s: &str) -> Vec<DisclosureChannel> {
        s.split(',').filter_map(|p| DisclosureChannel::parse(p.trim())).collect()
    }

    pub fn join(list: &[DisclosureChannel]) -> String {
        list.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
    }
}

crate::text_enum! {
    /// Where a disclosure stands today.
    pub enum DisclosureStatus {
        Upcoming = "upcoming",
        Current = "current",
        Ended = "ended",
    }
}

// ---------------------------------------------------------------- items

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = disclosure_items)]
pub struct DisclosureItemRow {
    pub id: i64,
    pub commune_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub legal_basis: String,
    pub min_posting_days: Option<i32>,
    pub periodicity: String,
    pub position: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub due_from: String,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = disclosure_items, treat_none_as_null = true)]
pub struct DisclosureItemValues {
    pub code: String,
    pub name: String,
    pub legal_basis: String,
    pub min_posting_days: Option<i32>,
    pub periodicity: String,
    pub due_from: String,
    pub position: i32,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// An item of Art. 11 a commune must disclose. `shipped`: the item as the law in force ships
/// it; a commune's edit makes its own copy (same code) that replaces it for that commune.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureItem {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub legal_basis: String,
    /// Minimum posting days when the law sets one.
    pub min_posting_days: Option<i32>,
    pub periodicity: Periodicity,
    /// For a periodic item: whether its deadline (the commune's grace days) counts from the
    /// period's end or its start.
    pub due_from: DueFrom,
    pub position: i32,
    pub active: bool,
    pub shipped: bool,
}

impl From<DisclosureItemRow> for DisclosureItem {
    fn from(r: DisclosureItemRow) -> Self {
        DisclosureItem {
            id: r.id,
            code: r.code,
            name: r.name,
            legal_basis: r.legal_basis,
            min_posting_days: r.min_posting_days,
            periodicity: Periodicity::parse(&r.periodicity).unwrap_or(Periodicity::None),
            due_from: DueFrom::parse(&r.due_from).unwrap_or(DueFrom::PeriodEnd),
            position: r.position,
            active: r.active,
            shipped: r.commune_id.is_none(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDisclosureItem {
    pub code: String,
    pub name: String,
    pub legal_basis: Option<String>,
    pub min_posting_days: Option<i32>,
    pub periodicity: Option<Periodicity>,
    /// Default `period_end`.
    pub due_from: Option<DueFrom>,
    pub position: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDisclosureItem {
    pub name: Option<String>,
    pub legal_basis: Option<String>,
    /// 0 removes the minimum.
    pub min_posting_days: Option<i32>,
    pub periodicity: Option<Periodicity>,
    pub due_from: Option<DueFrom>,
    pub position: Option<i32>,
    pub active: Option<bool>,
}

// ---------------------------------------------------------------- disclosures

/// A stored disclosure: what is set once, and the values a create or an edit writes
/// ([`DisclosureValues`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = disclosures)]
pub struct DisclosureRow {
    pub id: i64,
    pub commune_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: DisclosureValues,
}

crate::row_derefs_to!(DisclosureRow, values: DisclosureValues);

/// The fields a create or an edit writes (the others are set once).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = disclosures, treat_none_as_null = true)]
pub struct DisclosureValues {
    pub item_id: i64,
    pub title: String,
    pub title_search: String,
    pub content: String,
    pub channels: String,
    pub other_channel: Option<String>,
    pub for_comment: bool,
    pub period: Option<String>,
    pub posted_from: NaiveDate,
    pub posted_to: NaiveDate,
    pub taken_down_on: Option<NaiveDate>,
    pub loudspeaker_days: Option<i32>,
    pub evidence_note: String,
    pub responsible_unit_id: Option<i64>,
    pub responsible_name: String,
    pub updated_at: NaiveDateTime,
}

/// A rule the record breaks, said when it is recorded and on every read (the record is kept:
/// the law's minimum was not met, and that is what the board must see).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DisclosureWarning {
    /// `posting_shorter_than_minimum`, `taken_down_before_minimum`, `loudspeaker_too_short`.
    pub code: String,
    /// The days the record gives (posted, kept before the take-down, or on the loudspeaker).
    pub days: i64,
    /// The legal minimum it falls short of.
    pub min_days: i64,
    /// The same in Vietnamese words.
    pub message: String,
}

/// A disclosure in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureSummary {
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub title: String,
    pub channels: Vec<DisclosureChannel>,
    pub for_comment: bool,
    pub period: Option<String>,
    pub posted_from: NaiveDate,
    pub posted_to: NaiveDate,
    pub taken_down_on: Option<NaiveDate>,
    pub status: DisclosureStatus,
    /// Villages asked to relay it, and how many have confirmed.
    pub villages_total: i64,
    pub villages_relayed: i64,
    pub warnings: Vec<DisclosureWarning>,
}

/// A stored file of a democracy record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DemocracyFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Where to download it (signed-in; the public path for a disclosure's documents).
    pub url: String,
}

/// A village head's confirmation that the disclosure was announced in the village.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Relay {
    pub id: i64,
    pub unit_id: i64,
    pub relayed_on: NaiveDate,
    pub note: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    /// Relayed within the commune's allowed days after the posting began.
    pub on_time: bool,
    pub photos: Vec<DemocracyFile>,
}

/// A village asked to relay, with its relay (or none yet).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillageRelay {
    pub unit_id: i64,
    pub unit_name: String,
    pub relay: Option<Relay>,
    /// The day by which the relay is due.
    pub due_on: NaiveDate,
    /// No relay and the due day has passed.
    pub overdue: bool,
}

/// A disclosure with everything about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Disclosure {
    #[serde(flatten)]
    pub summary: DisclosureSummary,
    pub content: String,
    pub other_channel: Option<String>,
    pub loudspeaker_days: Option<i32>,
    pub evidence_note: String,
    pub responsible_unit_id: Option<i64>,
    pub responsible_name: String,
    /// The minimum posting days that apply (the item's, 30 for a draft put to comment).
    pub min_posting_days: Option<i32>,
    pub villages: Vec<VillageRelay>,
    pub documents: Vec<DemocracyFile>,
    pub evidence: Vec<DemocracyFile>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDisclosure {
    pub item_id: i64,
    pub title: String,
    pub content: Option<String>,
    pub channels: Vec<DisclosureChannel>,
    /// What `other` means (required with it).
    pub other_channel: Option<String>,
    /// A draft put to the community for comment (stays posted ≥ 30 days).
    pub for_comment: Option<bool>,
    /// The period a periodic item covers: `2026-Q1`, `2026-H1` or `2026` (required for them).
    pub period: Option<String>,
    pub posted_from: NaiveDate,
    pub posted_to: NaiveDate,
    /// Consecutive days it was read on the loudspeaker.
    pub loudspeaker_days: Option<i32>,
    /// The evidence: where the photo was taken, the recording's note.
    pub evidence_note: Option<String>,
    pub responsible_unit_id: Option<i64>,
    pub responsible_name: Option<String>,
    /// Villages that must relay it at their meetings (with the `village_meeting` channel).
    #[serde(default)]
    pub village_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDisclosure {
    pub item_id: Option<i64>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub channels: Option<Vec<DisclosureChannel>>,
    pub other_channel: Option<String>,
    pub for_comment: Option<bool>,
    pub period: Option<String>,
    pub posted_from: Option<NaiveDate>,
    pub posted_to: Option<NaiveDate>,
    /// The day the posting was taken down (before its planned end).
    pub taken_down_on: Option<NaiveDate>,
    pub loudspeaker_days: Option<i32>,
    pub evidence_note: Option<String>,
    pub responsible_unit_id: Option<i64>,
    pub responsible_name: Option<String>,
    pub village_ids: Option<Vec<i64>>,
}

/// The answer to a create or an edit: the record and the rules it breaks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureSaved {
    pub disclosure: Disclosure,
    pub warnings: Vec<DisclosureWarning>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureFilter {
    /// Diacritic-insensitive search in the title.
    pub q: Option<String>,
    pub item_id: Option<i64>,
    pub channel: Option<DisclosureChannel>,
    /// `upcoming`, `current` or `ended` (today, in the commune's time).
    pub status: Option<DisclosureStatus>,
    /// Only disclosures this village must relay.
    pub village_id: Option<i64>,
    /// With `village_id` (or for a village head, their village): only those not relayed yet.
    pub unrelayed: Option<bool>,
    pub year: Option<i32>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

// ---------------------------------------------------------------- relays and files

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = disclosure_relays)]
pub struct RelayRow {
    pub id: i64,
    pub disclosure_id: i64,
    pub unit_id: i64,
    pub relayed_on: NaiveDate,
    pub note: String,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = disclosure_relays)]
pub struct NewRelay {
    pub disclosure_id: i64,
    pub unit_id: i64,
    pub relayed_on: NaiveDate,
    pub note: String,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

crate::text_enum! {
    /// What a file belongs to.
    pub enum FileOwner {
        /// The disclosed document itself (public).
        DisclosureDocument = "disclosure_document",
        /// A photo of the posting, a recording (staff only).
        DisclosureEvidence = "disclosure_evidence",
        /// A village head's photo of the village meeting (staff only).
        Relay = "relay",
        /// Evidence on a commitment's progress report (staff only).
        CommitmentReport = "commitment_report",
        /// A photo of an awareness activity.
        Activity = "activity",
        /// The scanned minutes of a coordination meeting.
        MeetingMinutes = "meeting_minutes",
        /// Evidence on a meeting decision's progress report.
        DecisionReport = "decision_report",
        /// A community board's supervision record (minutes, photos).
        Supervision = "supervision",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = democracy_files)]
pub struct FileRow {
    pub id: i64,
    pub commune_id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = democracy_files)]
pub struct NewFile {
    pub commune_id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

/// A checked upload.
pub struct Upload {
    pub file_name: String,
    pub content_type: &'static str,
    /// The upload, streamed to a temporary file and hashed on the way (`crate::spool`).
    pub file: crate::spool::SpooledFile,
}

/// A relay form after checking (`relayed_on`, `note`, zero or more `files`).
pub struct RelayInput {
    pub relayed_on: NaiveDate,
    pub note: String,
    pub files: Vec<Upload>,
}

/// A file form after checking (`kind` document or evidence, one or more `files`).
pub struct FilesInput {
    pub owner: FileOwner,
    pub files: Vec<Upload>,
}

/// Multipart body of `POST /disclosures/{id}/relays`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct RelayForm {
    /// The day it was announced in the village (`YYYY-MM-DD`; default today).
    pub relayed_on: Option<String>,
    pub note: Option<String>,
    /// The phone's id of this write, when it cannot send the `Idempotency-Key` header.
    pub client_id: Option<String>,
    /// Photos of the village meeting (JPEG, PNG, WebP or PDF).
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// Multipart body of `POST /disclosures/{id}/files`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct DisclosureFilesForm {
    /// `document` (the disclosed text, public) or `evidence` (photo of the posting).
    pub kind: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

// ---------------------------------------------------------------- alerts and settings

/// Something the board should act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A posting that ends (or was taken down) before its minimum days.
    ExpiresBeforeMinimum,
    /// A village that has not relayed within the commune's allowed days.
    RelayOverdue,
    /// A periodic item with no disclosure for a period that has ended.
    PeriodicMissing,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureAlert {
    pub kind: AlertKind,
    pub disclosure_id: Option<i64>,
    pub item_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// The period missing (`2026-Q1`) for `periodic_missing`.
    pub period: Option<String>,
    pub due_on: NaiveDate,
    /// What it is about: the disclosure's title, or the item's name for `periodic_missing`.
    pub subject: String,
    /// `expires_before_minimum`: the posting's last day and the minimum days it falls short of.
    pub last_day: Option<NaiveDate>,
    pub min_days: Option<i32>,
    /// The alert in Vietnamese words.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemocracySettings {
    /// Days after a posting begins by which each village must relay it.
    pub relay_within_days: i32,
    /// Days after a period ends by which a periodic item must be disclosed.
    pub periodic_grace_days: i32,
}

impl Default for DemocracySettings {
    fn default() -> Self {
        DemocracySettings { relay_within_days: 7, periodic_grace_days: 30 }
    }
}

// ---------------------------------------------------------------- public page

/// A disclosure as citizens read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDisclosure {
    pub id: i64,
    pub item_code: String,
    pub item_name: String,
    pub title: String,
    pub content: String,
    pub channels: Vec<DisclosureChannel>,
    pub for_comment: bool,
    pub period: Option<String>,
    pub posted_from: NaiveDate,
    pub posted_to: NaiveDate,
    pub documents: Vec<DemocracyFile>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDisclosures {
    pub commune_name: String,
    /// Posted today.
    pub current: Vec<PublicDisclosure>,
    /// Ended (of the year asked, or the latest 100).
    pub past: Vec<PublicDisclosure>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicDisclosureQuery {
    /// Past disclosures of this year only.
    pub year: Option<i32>,
}
