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

/// An optional number (a coordinate, a radius) as a query parameter.
///
/// Bind this, never a bare `Option<f64>`. sqlx's `Any` driver (0.9) turns an absent `f64` into a
/// *single*-precision NULL when it hands the parameters to PostgreSQL (its `Real` and `Double`
/// null kinds are swapped), and PostgreSQL fixes a cached statement's parameter types when it is
/// first prepared: after a contact without a location, the next contact with one was refused
/// ("incorrect binary data format in bind parameter") and took its whole batch with it. An absent
/// `f32` takes the same swap the other way round and arrives as the double-precision NULL the
/// columns want; SQLite has one NULL and does not care. Upstream this is sqlx issue #4284 (fixed
/// by #4359): once a release with the fix is taken, the swap is gone and `None` must bind as an
/// absent `f64`; the contract test `optional_numbers_may_come_and_go` fails on PostgreSQL until
/// it does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Real(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for Real {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Real {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

/// A stored value the domain refuses: the database holds something this code never wrote.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// The point in a row's `lat`, `lon`, `radius_m` columns, if it has one.
pub(crate) fn location(row: &AnyRow) -> Result<Option<fc_domain::GeoPoint>, StoreError> {
    let lat: Option<f64> = get_opt(row, "lat")?;
    let lon: Option<f64> = get_opt(row, "lon")?;
    match (lat, lon) {
        (Some(lat), Some(lon)) => {
            Ok(Some(fc_domain::GeoPoint::parse(lat, lon, get_opt(row, "radius_m")?).map_err(corrupt)?))
        }
        _ => Ok(None),
    }
}

/// Refuses a retry whose idempotency key was first used with a different request.
pub(crate) fn same_request(key: &str, stored_hash: &str, fingerprint: &str) -> Result<(), StoreError> {
    if stored_hash == fingerprint {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!("Idempotency-Key {key:?} was already used for a different request")))
    }
}

/// The reference an earlier request with this idempotency key created, when there was one (a
/// retry), after checking the retry carries the same request. `keyed` joins the key table as `k`
/// to the created records as `t`, e.g. `idempotency_keys k JOIN contacts t ON t.id = k.contact_id`.
pub(crate) async fn replayed_reference(
    conn: &mut sqlx::AnyConnection,
    keyed: &str,
    actor: &str,
    idempotency: &crate::contacts::Idempotency,
) -> Result<Option<String>, StoreError> {
    replayed(conn, keyed, "t.reference", actor, idempotency).await
}

/// What an earlier request with this idempotency key recorded, as `column` of `keyed` (the key
/// table is `k`), when there was one (a retry), after checking the retry carries the same request.
pub(crate) async fn replayed<T>(
    conn: &mut sqlx::AnyConnection,
    keyed: &str,
    column: &str,
    actor: &str,
    idempotency: &crate::contacts::Idempotency,
) -> Result<Option<T>, StoreError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    let sql =
        format!("SELECT k.request_hash, {column} AS recorded FROM {keyed} WHERE k.actor = $1 AND k.key = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(actor)
        .bind(&idempotency.key)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    same_request(&idempotency.key, &get::<String>(&row, "request_hash")?, &idempotency.fingerprint)?;
    Ok(Some(get(&row, "recorded")?))
}

/// Keys bound per statement by [`fetch_in`].
const KEYS_PER_STATEMENT: usize = 256;

/// The rows `select` finds for many keys, a statement per [`KEYS_PER_STATEMENT`] of them: `select`
/// holds `{keys}` where the keys' placeholders go (`… WHERE c.reference IN ({keys})`) and has no
/// other parameter. For the batch reads of matching and linking, where one read per key was the
/// cost being removed.
pub(crate) async fn fetch_in(
    conn: &mut sqlx::AnyConnection,
    backend: crate::Backend,
    select: &str,
    keys: &[&str],
) -> Result<Vec<AnyRow>, StoreError> {
    let mut rows = Vec::new();
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let sql = select.replace("{keys}", &placeholders(backend, 1, chunk.len()));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for key in chunk {
            query = query.bind(*key);
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// `n` bind placeholders, numbered from `first` on PostgreSQL (`$3, $4`) and anonymous on SQLite
/// (`?, ?`): SQLite searches its list of numbered parameters from the start for each one bound,
/// so long numbered lists bind in quadratic time (see [`crate::deferred`]).
/// On SQLite every placeholder of a statement must come from here: sqlx cannot bind an anonymous
/// `?` after a numbered `$1` (the statement silently finds nothing).
pub(crate) fn placeholders(backend: crate::Backend, first: usize, n: usize) -> String {
    let one = |i: usize| match backend {
        crate::Backend::Sqlite => "?".to_string(),
        crate::Backend::Postgres => format!("${}", first + i),
    };
    (0..n).map(one).collect::<Vec<_>>().join(", ")
}
