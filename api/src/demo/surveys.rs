//! Demo surveys of Bình Lương: the plan's December 2023 survey of satisfaction with the
//! commune government ("Chính quyền thân thiện", step 4 of the plan) — paper forms collected by
//! the Front in the villages, entered as tallies, and some forms entered one by one — and the
//! running per-dossier survey of the one-stop desk with plausible answers of the last months.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::surveys::model::{AnswerInput, Channel, CreateSurvey, SurveyTarget, TallyCounts, TallyInput};
use crate::surveys::{repo as survey_repo, service};

/// A small deterministic generator, so the demo is the same on every seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A likert answer, mostly 4–5 with a tail of 1–3 (`mood` shifts it down).
    fn likert(&mut self, mood: u64) -> i64 {
        match (self.next() % 100).saturating_sub(mood) {
            0..=3 => 1,
            4..=9 => 2,
            10..=24 => 3,
            25..=64 => 4,
            _ => 5,
        }
    }
}

/// Seeds the demo surveys once (nothing when the commune already has a survey).
pub fn seed_demo(conn: &mut DbConnection) -> AppResult<bool> {
    let Some(commune_id) = crate::org::repo::commune_id_by_name(conn, "Bình Lương")? else {
        return Ok(false);
    };
    if survey_repo::list_surveys(conn, commune_id, 0, 1)?.1 > 0 {
        return Ok(false);
    }
    let villages = super::repo::village_units(conn, commune_id)?;
    write_tx(conn, |conn| {
        let mut rng = Lcg(202_312);
        let dec = service::open_survey(
            conn,
            commune_id,
            "than_thien",
            &CreateSurvey {
                form_id: 0,
                title: "Khảo sát sự hài lòng của Nhân dân với chính quyền xã – tháng 12/2023".into(),
                starts_on: NaiveDate::from_ymd_opt(2023, 12, 1).unwrap_or_default(),
                ends_on: NaiveDate::from_ymd_opt(2023, 12, 31),
                target: SurveyTarget::All,
                target_ref: None,
                channels: vec![Channel::Paper, Channel::Village],
                per_dossier: false,
                board_target: Some(0.8),
            },
        )?;
        // One tally per village, 18–30 forms each.
        for (i, (village, _)) in villages.iter().enumerate() {
            let forms = 18 + (rng.next() % 13) as i64;
            let mut counts = TallyCounts::new();
            for q in ["attitude", "listen", "info", "dialogue", "overall"] {
                let mood = if q == "listen" { 8 } else { (i as u64 % 3) * 4 };
                let per = counts.entry(q.into()).or_default();
                for _ in 0..forms {
                    *per.entry(rng.likert(mood).to_string()).or_default() += 1;
                }
            }
            let ch = counts.entry("channels".into()).or_default();
            ch.insert("loudspeaker".into(), forms * 7 / 10);
            ch.insert("village_meeting".into(), forms * 8 / 10);
            ch.insert("posting".into(), forms / 3);
            ch.insert("online".into(), forms / 5);
            service::record_tally(
                conn,
                &Actor::system("seed-demo"),
                &dec,
                &TallyInput {
                    forms: forms as i32,
                    counts,
                    collected_on: NaiveDate::from_ymd_opt(2023, 12, 10 + (i as u32 % 15)).unwrap_or_default(),
                    village_id: Some(*village),
                    note: "Phiếu giấy do Ban công tác Mặt trận thôn thu (dữ liệu minh họa)".into(),
                },
            )?;
        }
        let comments = [
            "Mong xã sửa đường vào thôn trước mùa mưa.",
            "Cán bộ một cửa nhiệt tình, hướng dẫn dễ hiểu.",
            "Loa truyền thanh thôn nghe không rõ, đề nghị sửa.",
            "Nên họp thôn vào buổi tối để bà con đi làm về kịp dự.",
        ];
        for (i, c) in comments.iter().enumerate() {
            let answers = ["attitude", "listen", "info", "dialogue", "overall"]
                .iter()
                .map(|q| AnswerInput { question_id: (*q).into(), value: json!(rng.likert(0)) })
                .chain(std::iter::once(AnswerInput { question_id: "comment".into(), value: json!(c) }))
                .collect::<Vec<_>>();
            let at = crate::time::to_utc(
                NaiveDate::from_ymd_opt(2023, 12, 12 + i as u32)
                    .unwrap_or_default()
                    .and_hms_opt(9, 0, 0)
                    .unwrap_or_default(),
            );
            service::record_answers(conn, &dec, &answers, Channel::Paper, at, villages.get(i).map(|v| v.0))?;
        }

        // The running per-dossier survey of the one-stop desk, with the kiosk's open link.
        let running = service::open_survey(
            conn,
            commune_id,
            "onestop",
            &CreateSurvey {
                form_id: 0,
                title: "Đánh giá sự hài lòng tại Bộ phận Một cửa (thường xuyên)".into(),
                starts_on: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default(),
                ends_on: None,
                target: SurveyTarget::Dossiers,
                target_ref: None,
                channels: vec![Channel::Dossier, Channel::Link],
                per_dossier: true,
                board_target: Some(0.85),
            },
        )?;
        let today = Utc::now().naive_utc();
        for k in 0..90 {
            // Every day of the last five months but today (so today's figures are the live ones).
            let at = today - Duration::days(1 + (k * 150 / 90)) - Duration::hours((rng.next() % 6) as i64);
            let mut answers: Vec<AnswerInput> = ["polite", "prompt", "guidance", "on_time", "correct", "overall"]
                .iter()
                .map(|q| AnswerInput {
                    question_id: (*q).into(),
                    value: json!(rng.likert(if *q == "on_time" { 6 } else { 0 })),
                })
                .collect();
            let gender = ["male", "female", "female", "male", "other"][(rng.next() % 5) as usize];
            answers.push(AnswerInput { question_id: "gender".into(), value: json!(gender) });
            service::record_answers(conn, &running, &answers, Channel::Link, at, None)?;
        }
        audit::repo::record_entity(
            conn,
            &Actor::system("seed-demo"),
            commune_id,
            "seed",
            "survey",
            dec.id,
            json!({ "surveys": [dec.title, running.title] }),
        )?;
        Ok(true)
    })
}
