//! The printed forms of the one-stop shop, as data with the date each set took effect, and the
//! header every printed form carries (issuing body and one-stop unit, from the commune's data).
//!
//! Thông tư 01/2018/TT-VPCP numbered six forms (the control sheet 05, the register 06, no stop
//! notice); Thông tư 03/2025/TT-VPCP, with Nghị định 118/2025 from 01/07/2025, numbers seven
//! (the stop notice 05, the control sheet 06, the register 07) and renames form 04. A dossier
//! prints with the set in force on its receipt date.

use chrono::NaiveDate;

/// What a form is about, whatever number a set gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Receipt,
    Supplement,
    Refusal,
    Apology,
    Stop,
    Control,
    Register,
}

impl FormKind {
    /// The kind by its Thông tư 03/2025 number (the number the API uses).
    pub fn from_current_number(n: &str) -> Option<FormKind> {
        Some(match n {
            "01" => FormKind::Receipt,
            "02" => FormKind::Supplement,
            "03" => FormKind::Refusal,
            "04" => FormKind::Apology,
            "05" => FormKind::Stop,
            "06" => FormKind::Control,
            "07" => FormKind::Register,
            _ => return None,
        })
    }

    /// The lifecycle event a dossier form prints (`None`: the whole history or none).
    pub fn event(self) -> Option<&'static str> {
        match self {
            FormKind::Receipt => Some("receive"),
            FormKind::Supplement => Some("request_supplement"),
            FormKind::Refusal => Some("refuse"),
            FormKind::Apology => Some("apologize_and_extend"),
            FormKind::Stop => Some("stop"),
            FormKind::Control | FormKind::Register => None,
        }
    }
}

/// A set of forms in force from a date.
pub struct FormSet {
    pub from: NaiveDate,
    pub basis: &'static str,
    /// The commune's one-stop unit as the set's decree names it.
    pub default_unit: &'static str,
    pub forms: &'static [(FormKind, &'static str, &'static str)],
}

const TT01_2018: &[(FormKind, &str, &str)] = &[
    (FormKind::Receipt, "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    (FormKind::Supplement, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    (FormKind::Refusal, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    (FormKind::Apology, "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    (FormKind::Control, "05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    (FormKind::Register, "06", "SỔ THEO DÕI HỒ SƠ"),
];

const TT03_2025: &[(FormKind, &str, &str)] = &[
    (FormKind::Receipt, "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    (FormKind::Supplement, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    (FormKind::Refusal, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    (FormKind::Apology, "04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    (FormKind::Stop, "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    (FormKind::Control, "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    (FormKind::Register, "07", "SỔ THEO DÕI HỒ SƠ"),
];

const TT01_2018_SET: FormSet = FormSet {
    from: NaiveDate::MIN,
    basis: "Thông tư 01/2018/TT-VPCP",
    default_unit: "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
    forms: TT01_2018,
};

/// 01/07/2025: Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP take effect.
const TT03_2025_FROM: Option<NaiveDate> = NaiveDate::from_ymd_opt(2025, 7, 1);

/// The set in force on `day`.
pub fn set_on(day: NaiveDate) -> FormSet {
    match TT03_2025_FROM {
        Some(from) if day >= from => FormSet {
            from,
            basis: "Thông tư 03/2025/TT-VPCP",
            default_unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            forms: TT03_2025,
        },
        _ => TT01_2018_SET,
    }
}

impl FormSet {
    /// The number and title of a kind in this set; `None` when the set has no such form.
    pub fn form(&self, kind: FormKind) -> Option<(&'static str, &'static str)> {
        self.forms.iter().find(|(k, _, _)| *k == kind).map(|(_, n, t)| (*n, *t))
    }
}

/// The commune's kind (`xa`, `phuong`, `dac_khu`) as printed in the issuing body.
pub fn kind_word(kind: &str) -> &'static str {
    match kind {
        "phuong" => "PHƯỜNG",
        "dac_khu" => "ĐẶC KHU",
        _ => "XÃ",
    }
}

/// Upper-case of a Vietnamese name (ASCII and precomposed letters).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// The issuing body, e.g. "UBND XÃ BÌNH LƯƠNG".
pub fn issuer(commune_name: &str, kind: &str) -> String {
    format!("UBND {} {}", kind_word(kind), upper(commune_name))
}

/// The one-stop unit under the issuing body: the commune's own name for it, else the name the
/// set in force gives it.
pub fn issuer_unit(custom: Option<&str>, set: &FormSet) -> String {
    match custom.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => upper(name),
        None => set.default_unit.to_string(),
    }
}

/// The desk in running text: the commune's own name for it as written, else the set's name in
/// sentence case ("Trung tâm phục vụ hành chính công").
pub fn desk_words(custom: Option<&str>, set: &FormSet) -> String {
    match custom.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => name.to_string(),
        None => {
            let lower = set.default_unit.to_lowercase();
            let mut chars = lower.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at::d;

    #[test]
    fn the_set_follows_the_receipt_date() {
        let old = set_on(d(2025, 6, 30));
        assert_eq!(old.basis, "Thông tư 01/2018/TT-VPCP");
        assert_eq!(old.form(FormKind::Control), Some(("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")));
        assert_eq!(old.form(FormKind::Stop), None);
        assert_eq!(old.form(FormKind::Apology).map(|f| f.1), Some("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"));
        let new = set_on(d(2025, 7, 1));
        assert_eq!(new.basis, "Thông tư 03/2025/TT-VPCP");
        assert_eq!(
            new.form(FormKind::Apology).map(|f| f.1),
            Some("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
        );
        assert_eq!(new.form(FormKind::Stop), Some(("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")));
        assert_eq!(new.form(FormKind::Register).map(|f| f.0), Some("07"));
    }

    #[test]
    fn the_header_comes_from_the_commune() {
        assert_eq!(issuer("Bình Lương", "xa"), "UBND XÃ BÌNH LƯƠNG");
        assert_eq!(issuer("Bến Thành", "phuong"), "UBND PHƯỜNG BẾN THÀNH");
        assert_eq!(issuer("Phú Quốc", "dac_khu"), "UBND ĐẶC KHU PHÚ QUỐC");
        let new = set_on(d(2026, 1, 1));
        assert_eq!(issuer_unit(None, &new), "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
        assert_eq!(desk_words(None, &new), "Trung tâm phục vụ hành chính công");
        assert_eq!(desk_words(None, &set_on(d(2025, 6, 30))), "Bộ phận tiếp nhận và trả kết quả");
        assert_eq!(desk_words(Some(" Bộ phận Một cửa "), &new), "Bộ phận Một cửa");
        assert_eq!(issuer_unit(Some("  "), &set_on(d(2024, 1, 1))), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ");
        assert_eq!(issuer_unit(Some("Bộ phận Một cửa"), &new), "BỘ PHẬN MỘT CỬA");
    }
}
