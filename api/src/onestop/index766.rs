//! The Quyết định 766/QĐ-TTg service-quality index of a commune.
