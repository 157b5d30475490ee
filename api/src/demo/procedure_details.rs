//! Demo: what the citizen page of a few demo procedures shows (papers, steps, where to
//! submit). Illustrative, like the demo catalogue: check against the national procedure
//! database before real use.

use chrono::Utc;

use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::home::model::ProcedureDetailsRow;
use crate::home::repo;

type Details = (&'static str, &'static [&'static str], &'static [&'static str], Option<&'static str>);

const DETAILS: &[Details] = &[
    (
        "1.001193",
        &[
            "Tờ khai đăng ký khai sinh (theo mẫu, có thể điền tại bộ phận một cửa)",
            "Giấy chứng sinh do cơ sở y tế cấp (hoặc văn bản của người làm chứng)",
            "Căn cước công dân của người đi đăng ký (xuất trình)",
        ],
        &[
            "Nộp tờ khai và giấy tờ tại bộ phận một cửa, hoặc trực tuyến trên Cổng Dịch vụ công quốc gia",
            "Công chức tư pháp – hộ tịch kiểm tra, ghi sổ hộ tịch",
            "Nhận Giấy khai sinh (bản chính) ngay trong ngày",
        ],
        None,
    ),
    (
        "2.000815",
        &["Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực (hoặc chụp tại chỗ)"],
        &[
            "Xuất trình bản chính và nộp bản sao tại bộ phận một cửa",
            "Người tiếp nhận đối chiếu bản sao với bản chính",
            "Nộp lệ phí và nhận bản sao đã chứng thực trong ngày",
        ],
        Some("Quầy chứng thực, tầng 1 trụ sở UBND xã"),
    ),
    (
        "1.000894",
        &[
            "Tờ khai đăng ký kết hôn (hai bên cùng ký)",
            "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi không thường trú)",
            "Căn cước công dân của hai bên (xuất trình)",
        ],
        &[
            "Nộp tờ khai tại bộ phận một cửa hoặc trực tuyến",
            "Công chức tư pháp – hộ tịch kiểm tra điều kiện kết hôn",
            "Hai bên cùng có mặt ký Giấy chứng nhận kết hôn",
        ],
        None,
    ),
];

/// Seeds the details of the demo procedures that have none. Returns whether anything was added.
pub fn seed_demo(conn: &mut DbConnection) -> AppResult<bool> {
    let Some(commune_id) = crate::org::repo::commune_id_by_name(conn, "Bình Lương")? else {
        return Ok(false);
    };
    write_tx(conn, |conn| {
        let mut added = false;
        for (code, documents, steps, place) in DETAILS {
            let p = match repo::active_procedure_by_code(conn, commune_id, code) {
                Ok(p) => p,
                Err(diesel::result::Error::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            if !p.demo || repo::procedure_details(conn, p.id)?.is_some() {
                continue;
            }
            let row = ProcedureDetailsRow {
                procedure_id: p.id,
                documents: serde_json::to_string(documents).unwrap_or_else(|_| "[]".into()),
                steps: serde_json::to_string(steps).unwrap_or_else(|_| "[]".into()),
                place: place.map(str::to_string),
                updated_at: Utc::now().naive_utc(),
            };
            repo::save_procedure_details(conn, &row)?;
            added = true;
        }
        Ok(added)
    })
}
