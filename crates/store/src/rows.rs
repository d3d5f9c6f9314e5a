//! Reading typed columns from `Any` rows with errors that name the column.

use crate::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A required column.
pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
}

/// A nullable column.
pub(crate) fn get_opt<'r, T>(row: &'r AnyRow, col: &str) -> Result<Option<T>, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get::<Option<T>, _>(col).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
}
