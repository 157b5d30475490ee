//! Demo catalogue: common commune procedures with realistic limits, marked `demo` — codes
//! and limits must be checked against the national procedure database before real use.

use chrono::NaiveDate;

use crate::audit::Actor;
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::onestop::catalogue::{repo, service};
use crate::onestop::model::{CreateProcedure, LimitUnit, OnlineLevel, ResultKind};

type Seed = (&'static str, &'static str, &'static str, i32, LimitUnit, Option<i64>, OnlineLevel, bool);

/// code, name, field, limit, unit, fee (VND), online level, online payment.
const DEMO_PROCEDURES: &[Seed] = &[
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực",
        0,
        LimitUnit::SameDay,
        Some(2_000),
        OnlineLevel::Partial,
        true,
    ),
    (
        "2.000884",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
        "Chứng thực",
        0,
        LimitUnit::SameDay,
        Some(10_000),
        OnlineLevel::None,
        false,
    ),
    (
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực",
        2,
        LimitUnit::WorkingDays,
        Some(50_000),
        OnlineLevel::None,
        false,
    ),
    (
        "2.001019",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "Chứng thực",
        2,
        LimitUnit::WorkingDays,
        Some(30_000),
        OnlineLevel::None,
        false,
    ),
    ("2.000913", "Chứng thực di chúc", "Chứng thực", 2, LimitUnit::WorkingDays, Some(50_000), OnlineLevel::None, false),
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 0, LimitUnit::SameDay, None, OnlineLevel::Full, false),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 0, LimitUnit::SameDay, None, OnlineLevel::Full, false),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 0, LimitUnit::SameDay, None, OnlineLevel::Partial, false),
    (
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Hộ tịch",
        3,
        LimitUnit::WorkingDays,
        Some(3_000),
        OnlineLevel::Full,
        true,
    ),
    (
        "1.004859",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Hộ tịch",
        3,
        LimitUnit::WorkingDays,
        Some(15_000),
        OnlineLevel::Partial,
        true,
    ),
    (
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "Hộ tịch",
        3,
        LimitUnit::WorkingDays,
        Some(15_000),
        OnlineLevel::Partial,
        false,
    ),
    (
        "1.004837",
        "Đăng ký lại khai sinh",
        "Hộ tịch",
        5,
        LimitUnit::WorkingDays,
        Some(5_000),
        OnlineLevel::Partial,
        false,
    ),
    ("1.000689", "Đăng ký giám hộ", "Hộ tịch", 3, LimitUnit::WorkingDays, None, OnlineLevel::Partial, false),
    (
        "2.000635",
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        0,
        LimitUnit::SameDay,
        Some(8_000),
        OnlineLevel::Full,
        true,
    ),
    ("1.003003", "Hòa giải tranh chấp đất đai", "Đất đai", 30, LimitUnit::WorkingDays, None, OnlineLevel::None, false),
    (
        "1.004227",
        "Tiếp nhận hồ sơ đăng ký đất đai, cấp Giấy chứng nhận lần đầu",
        "Đất đai",
        3,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::Partial,
        false,
    ),
    (
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "Bảo trợ xã hội",
        10,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::Partial,
        false,
    ),
    (
        "1.001758",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        3,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::Partial,
        false,
    ),
    (
        "1.001699",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Bảo trợ xã hội",
        20,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::Partial,
        false,
    ),
    (
        "1.000489",
        "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        "Bảo trợ xã hội",
        15,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::None,
        false,
    ),
    (
        "2.002206",
        "Xác nhận nội dung liên quan đến người hoạt động kháng chiến (hồ sơ người có công)",
        "Người có công",
        5,
        LimitUnit::WorkingDays,
        None,
        OnlineLevel::None,
        false,
    ),
];

/// Name of the demo commune (seeded by `demo::commune`).
const DEMO_COMMUNE: &str = "Bình Lương";

/// Seeds the demo catalogue into the demo commune when it has no procedure yet. Returns
/// whether anything was seeded.
pub fn seed_demo(conn: &mut DbConnection) -> AppResult<bool> {
    let commune = crate::org::repo::commune_id_by_name(conn, DEMO_COMMUNE)?;
    let Some(commune_id) = commune else {
        return Ok(false);
    };
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        if repo::count_procedures(conn, commune_id)? > 0 {
            return Ok(false);
        }
        let posted = NaiveDate::from_ymd_opt(2025, 7, 1);
        for &(code, name, field, amount, unit, fee, level, online_payment) in DEMO_PROCEDURES {
            service::seed_procedure(
                conn,
                &actor,
                commune_id,
                CreateProcedure {
                    code: code.into(),
                    name: name.into(),
                    field: field.into(),
                    limit_amount: amount,
                    limit_unit: unit,
                    cutoff: None,
                    fee_vnd: fee,
                    fee_note: Some(
                        if fee.is_some() {
                            "Theo quy định hiện hành (dữ liệu minh họa)"
                        } else {
                            "Không thu phí (dữ liệu minh họa)"
                        }
                        .into(),
                    ),
                    online_level: level,
                    online_level_from: posted,
                    online_payment,
                    result_kind: Some(if level == OnlineLevel::Full { ResultKind::Both } else { ResultKind::Paper }),
                    posted_on: posted,
                    posting_complete: level != OnlineLevel::None,
                    active: Some(true),
                },
            )?;
        }
        // History: the birth registration went online in part first (legacy level 3), fully
        // online from 1 July 2025.
        if let (Some(p), Some(from)) =
            (repo::find_procedure_by_code(conn, commune_id, "1.001193")?, NaiveDate::from_ymd_opt(2023, 1, 1))
        {
            repo::set_online_level(conn, p.id, OnlineLevel::Partial.as_str(), from, chrono::Utc::now().naive_utc())?;
        }
        Ok(true)
    })
}
