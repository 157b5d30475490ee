//! Builds the national synchronisation record of a period: every dossier received in it with
//! its events, applicant fields masked unless the caller may read personal data. Reading
//! only: the same period gives the same document (idempotent), and the province import reads
//! it back (`province_import`, which replays `QuaTrinhXuLy` when present).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::model::*;
use super::repo;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, Validator};
use crate::onestop::dossiers::lifecycle::{mask_name, mask_tail};
use crate::onestop::model::{DossierRow, EventRow, ProcedureRow};
use crate::tabular::Cell;
use crate::time::{to_local, to_utc};

/// The national time format (local time).
pub fn national_time(utc: NaiveDateTime) -> String {
    to_local(utc).format("%Y%m%d%H%M%S").to_string()
}

fn flag(b: bool) -> i32 {
    i32::from(b)
}

fn event(e: EventRow, personal: bool) -> QuaTrinhXuLy {
    QuaTrinhXuLy {
        thoi_diem_xu_ly: national_time(e.at),
        trang_thai: e.to_status,
        tu_trang_thai: e.from_status,
        hanh_dong: e.action,
        nguoi_xu_ly: e.user_name,
        phong_ban_xu_ly: e.unit_name,
        noi_dung_xu_ly: if personal { e.note } else { None },
        han_moi: e.new_due_at.map(national_time),
    }
}

fn record(d: DossierRow, p: &ProcedureRow, events: Vec<EventRow>, personal: bool) -> HoSoDongBo {
    let v = d.values;
    let (name, phone, id_number, address) = if personal {
        (v.applicant_name, v.applicant_phone, v.applicant_id_number, v.applicant_address)
    } else {
        (
            mask_name(&v.applicant_name),
            mask_tail(&v.phone_digits, 3),
            mask_tail(&v.applicant_id_number, 3),
            "***".into(),
        )
    };
    HoSoDongBo {
        ma_ho_so: d.code,
        ma_tthc: p.code.clone(),
        ten_tthc: p.name.clone(),
        ma_linh_vuc: p.field.clone(),
        kenh_thuc_hien: v.channel,
        chu_ho_so: name,
        so_dien_thoai: phone,
        so_dinh_danh: id_number,
        dia_chi: address,
        ngay_tiep_nhan: national_time(v.received_at),
        ngay_hen_tra: national_time(v.appointed_at),
        han_xu_ly: national_time(v.due_at),
        trang_thai_ho_so: v.status,
        ngay_ket_thuc_xu_ly: v.finished_at.map(national_time),
        ngay_tra: v.returned_at.map(national_time),
        duoc_thanh_toan_truc_tuyen: flag(v.paid_online),
        ho_so_co_thanh_phan_so_hoa: flag(v.digitised),
        ket_qua_dien_tu: flag(v.electronic_result),
        duoc_lay_tu_kho_dmqg: flag(v.from_data_store),
        so_lan_yeu_cau_bo_sung: v.supplement_requests,
        qua_trinh_xu_ly: events.into_iter().map(|e| event(e, personal)).collect(),
    }
}

/// The dossiers of `commune_id` received in `[from, to]` (local dates, inclusive).
pub fn export(
    conn: &mut DbConnection,
    commune_id: i64,
    personal: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<NationalExport> {
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 366 {
        v.add("to", "invalid_value", "Tối đa một năm mỗi lần xuất.");
    }
    v.finish()?;
    let end = to.succ_opt().ok_or_else(|| AppError::field("to", "invalid_value", "Ngày không hợp lệ."))?;
    let start = to_utc(from.and_time(chrono::NaiveTime::MIN));
    let rows = repo::dossiers_between(conn, commune_id, start, to_utc(end.and_time(chrono::NaiveTime::MIN)))?;
    if rows.len() as i64 > repo::MAX_ROWS {
        return Err(AppError::field(
            "to",
            "too_many_rows",
            &format!("Quá {} hồ sơ: hãy chia thành các kỳ ngắn hơn.", repo::MAX_ROWS),
        ));
    }
    let ids: Vec<i64> = rows.iter().map(|(d, _)| d.id).collect();
    let mut events: HashMap<i64, Vec<EventRow>> = HashMap::new();
    for e in repo::events_of(conn, &ids)? {
        events.entry(e.dossier_id).or_default().push(e);
    }
    let commune_name = crate::org::repo::commune_name(conn, commune_id)?;
    Ok(NationalExport {
        commune_id,
        commune_name,
        from,
        to,
        personal_data_masked: !personal,
        ho_so: rows
            .into_iter()
            .map(|(d, p)| {
                let ev = events.remove(&d.id).unwrap_or_default();
                record(d, &p, ev, personal)
            })
            .collect(),
    })
}

/// The CSV columns, in order (the import reads them by name).
pub const CSV_COLUMNS: [&str; 21] = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "KenhThucHien",
    "ChuHoSo",
    "SoDienThoai",
    "SoDinhDanh",
    "DiaChi",
    "NgayTiepNhan",
    "NgayHenTra",
    "HanXuLy",
    "TrangThaiHoSo",
    "NgayKetThucXuLy",
    "NgayTra",
    "DuocThanhToanTrucTuyen",
    "HoSoCoThanhPhanSoHoa",
    "KetQuaDienTu",
    "DuocLayTuKhoDMQG",
    "SoLanYeuCauBoSung",
    "QuaTrinhXuLy",
];

/// The export as a table: one row per dossier, `QuaTrinhXuLy` as JSON text in its cell.
pub fn csv_table(x: &NationalExport) -> AppResult<Vec<Vec<Cell>>> {
    let mut out = vec![CSV_COLUMNS.iter().map(|c| Cell::Text((*c).into())).collect()];
    let n = |i: i32| Cell::Number(f64::from(i));
    let t = |s: &str| Cell::Text(s.to_string());
    for h in &x.ho_so {
        let steps = serde_json::to_string(&h.qua_trinh_xu_ly)
            .map_err(|e| AppError::Internal(format!("QuaTrinhXuLy encoding: {e}")))?;
        out.push(vec![
            t(&h.ma_ho_so),
            t(&h.ma_tthc),
            t(&h.ten_tthc),
            t(&h.ma_linh_vuc),
            n(h.kenh_thuc_hien),
            t(&h.chu_ho_so),
            t(&h.so_dien_thoai),
            t(&h.so_dinh_danh),
            t(&h.dia_chi),
            t(&h.ngay_tiep_nhan),
            t(&h.ngay_hen_tra),
            t(&h.han_xu_ly),
            n(h.trang_thai_ho_so),
            t(h.ngay_ket_thuc_xu_ly.as_deref().unwrap_or("")),
            t(h.ngay_tra.as_deref().unwrap_or("")),
            n(h.duoc_thanh_toan_truc_tuyen),
            n(h.ho_so_co_thanh_phan_so_hoa),
            n(h.ket_qua_dien_tu),
            n(h.duoc_lay_tu_kho_dmqg),
            n(h.so_lan_yeu_cau_bo_sung),
            Cell::Text(steps),
        ]);
    }
    Ok(out)
}
