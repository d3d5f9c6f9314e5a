//! One module per subcommand.

pub mod triage;
