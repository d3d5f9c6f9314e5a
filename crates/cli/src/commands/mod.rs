//! One module per subcommand.

pub mod audit;
pub mod demo;
pub mod generate;
pub mod import;
pub mod linkage;
pub mod plan;
pub mod serve;
pub mod simulate;
pub mod triage;
pub mod user;
