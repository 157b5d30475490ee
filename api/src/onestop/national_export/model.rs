//! The national synchronisation record (HoSoDongBoDVC) and its events (QuaTrinhXuLy), with
//! the national field names. Times are local (UTC+7) as `yyyyMMddHHmmss`, the form the
//! national portal and the province import use.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One processing step of a dossier (QuaTrinhXuLy). `HanhDong`, `TuTrangThai` and `HanMoi`
/// extend the national element so a re-import replays the clock exactly (pauses, the new
/// date of an apology).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuaTrinhXuLy {
    /// `yyyyMMddHHmmss`, local time.
    #[serde(rename = "ThoiDiemXuLy")]
    pub thoi_diem_xu_ly: String,
    /// The status after the step (TrangThaiHoSo, 1–10).
    #[serde(rename = "TrangThai")]
    pub trang_thai: i32,
    #[serde(rename = "TuTrangThai", default)]
    pub tu_trang_thai: Option<i32>,
    /// The action (`receive`, `start_processing`, `request_supplement`, `resolve`, …).
    #[serde(rename = "HanhDong")]
    pub hanh_dong: String,
    /// The officer (staff names are not the applicant's personal data).
    #[serde(rename = "NguoiXuLy", default)]
    pub nguoi_xu_ly: String,
    #[serde(rename = "PhongBanXuLy", default)]
    pub phong_ban_xu_ly: Option<String>,
    /// The step's note: free text that may name people, so only with personal data.
    #[serde(rename = "NoiDungXuLy", default)]
    pub noi_dung_xu_ly: Option<String>,
    /// The new due time an apology set (`yyyyMMddHHmmss`).
    #[serde(rename = "HanMoi", default)]
    pub han_moi: Option<String>,
}

/// One dossier as the national synchronisation record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoSoDongBo {
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: String,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: String,
    /// The procedure's field (lĩnh vực) as the catalogue names it.
    #[serde(rename = "MaLinhVuc")]
    pub ma_linh_vuc: String,
    /// 1 in person, 2 online, 3 postal.
    #[serde(rename = "KenhThucHien")]
    pub kenh_thuc_hien: i32,
    /// The applicant (masked without personal data).
    #[serde(rename = "ChuHoSo")]
    pub chu_ho_so: String,
    #[serde(rename = "SoDienThoai")]
    pub so_dien_thoai: String,
    #[serde(rename = "SoDinhDanh")]
    pub so_dinh_danh: String,
    #[serde(rename = "DiaChi")]
    pub dia_chi: String,
    #[serde(rename = "NgayTiepNhan")]
    pub ngay_tiep_nhan: String,
    /// The appointment given at receipt (pauses and an apology move the due time from it:
    /// see `QuaTrinhXuLy` and `HanXuLy`).
    #[serde(rename = "NgayHenTra")]
    pub ngay_hen_tra: String,
    /// The due time now (after pauses and an apology's new date).
    #[serde(rename = "HanXuLy")]
    pub han_xu_ly: String,
    #[serde(rename = "TrangThaiHoSo")]
    pub trang_thai_ho_so: i32,
    #[serde(rename = "NgayKetThucXuLy")]
    pub ngay_ket_thuc_xu_ly: Option<String>,
    #[serde(rename = "NgayTra")]
    pub ngay_tra: Option<String>,
    /// 1 paid online, 0 not.
    #[serde(rename = "DuocThanhToanTrucTuyen")]
    pub duoc_thanh_toan_truc_tuyen: i32,
    #[serde(rename = "HoSoCoThanhPhanSoHoa")]
    pub ho_so_co_thanh_phan_so_hoa: i32,
    #[serde(rename = "KetQuaDienTu")]
    pub ket_qua_dien_tu: i32,
    #[serde(rename = "DuocLayTuKhoDMQG")]
    pub duoc_lay_tu_kho_dmqg: i32,
    #[serde(rename = "SoLanYeuCauBoSung")]
    pub so_lan_yeu_cau_bo_sung: i32,
    #[serde(rename = "QuaTrinhXuLy")]
    pub qua_trinh_xu_ly: Vec<QuaTrinhXuLy>,
}

/// The export of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationalExport {
    pub commune_id: i64,
    pub commune_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Applicant fields are masked (the caller may not read personal data).
    pub personal_data_masked: bool,
    #[serde(rename = "HoSo")]
    pub ho_so: Vec<HoSoDongBo>,
}

/// `?from&to&format&commune_id` of `GET /onestop/national-export`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NationalExportQuery {
    /// First day (local date, inclusive) of receipt.
    pub from: NaiveDate,
    /// Last day (local date, inclusive); at most 366 days after `from`.
    pub to: NaiveDate,
    /// `json` (default) or `csv` (UTF-8 with BOM; QuaTrinhXuLy as JSON text in its column).
    pub format: Option<String>,
    /// Oversight and province keys: the commune (one they oversee).
    pub commune_id: Option<i64>,
}
