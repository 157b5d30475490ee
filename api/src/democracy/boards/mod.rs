//! Community boards — Ban Thanh tra nhân dân (People's Inspection Board) and Ban Giám sát đầu
//! tư của cộng đồng (Community Investment Supervision Board), the commune's units of kinds
//! `inspection_board` and `investment_supervision_board`: their supervision activities, the
//! recommendations they make, and the commune's response to each, tracked.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
