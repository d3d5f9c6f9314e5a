//! Schema migrations, one folder per backend, embedded in the binary and applied on start with
//! sqlx's migrator (which records checksums, so an edited migration is caught). The files are
//! embedded by hand rather than with `sqlx::migrate!` because that macro compiles both database
//! drivers a second time for the build host.

use crate::{Backend, StoreError};
use sqlx::AnyPool;
use sqlx::migrate::{Migration, MigrationType, Migrator};

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "triage", include_str!("../migrations/sqlite/0002_triage.sql")),
    (3, "persons", include_str!("../migrations/sqlite/0003_persons.sql")),
    (4, "demand", include_str!("../migrations/sqlite/0004_demand.sql")),
    (5, "incidents", include_str!("../migrations/sqlite/0005_incidents.sql")),
    (6, "markers_referrals", include_str!("../migrations/sqlite/0006_markers_referrals.sql")),
    (7, "person_pairs", include_str!("../migrations/sqlite/0007_person_pairs.sql")),
    (8, "caller_keys", include_str!("../migrations/sqlite/0008_caller_keys.sql")),
    (9, "writer_ids", include_str!("../migrations/sqlite/0009_writer_ids.sql")),
    (10, "wellbeing", include_str!("../migrations/sqlite/0010_wellbeing.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "triage", include_str!("../migrations/postgres/0002_triage.sql")),
    (3, "persons", include_str!("../migrations/postgres/0003_persons.sql")),
    (4, "demand", include_str!("../migrations/postgres/0004_demand.sql")),
    (5, "incidents", include_str!("../migrations/postgres/0005_incidents.sql")),
    (6, "markers_referrals", include_str!("../migrations/postgres/0006_markers_referrals.sql")),
    (7, "person_pairs", include_str!("../migrations/postgres/0007_person_pairs.sql")),
    (8, "caller_keys", include_str!("../migrations/postgres/0008_caller_keys.sql")),
    (9, "writer_ids", include_str!("../migrations/postgres/0009_writer_ids.sql")),
    (10, "wellbeing", include_str!("../migrations/postgres/0010_wellbeing.sql")),
];

/// Brings the schema up to date.
pub(crate) async fn apply(backend: Backend, pool: &AnyPool) -> Result<(), StoreError> {
    let files = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let migrations = files
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(
                *version,
                (*name).into(),
                MigrationType::Simple,
                sqlx::SqlSafeStr::into_sql_str(*sql),
                false,
            )
        })
        .collect();
    let migrator = Migrator::with_migrations(migrations);
    migrator.run(pool).await?;
    Ok(())
}
