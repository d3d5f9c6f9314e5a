//! Live demand management over the store: the router task, the dashboard's measures, the national
//! answer-time return, queue position for virtual hold, and the staffing plan. Each computes from
//! stored facts with the pure `fc_demand` functions; the API and UI modules only present them.

pub mod dashboard;
pub mod plan;
pub mod position;
pub mod report;
pub mod router;
