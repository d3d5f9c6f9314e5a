//! Rows a batch writes at its end, many to a statement.
//!
//! Some rows are written by nearly every job yet read by none of the batch's other jobs: the audit
//! chain's entries above all. Sending each as its own statement costs a round trip to the database
//! per row; gathering them and writing them as multi-row inserts just before the batch commits costs
//! a handful for the whole batch. They are still inside the batch's transaction, so they are durable
//! exactly when everything else the batch wrote is, and a job that fails takes its rows back out
//! (see [`DeferredRows::truncate`]).

use crate::{Backend, StoreError};
use sqlx::AnyConnection;

/// One value of a deferred row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// An integer (times are integer microseconds).
    Int(i64),
    /// Text.
    Text(String),
    /// Text that may be NULL.
    OptText(Option<String>),
    /// A number that may be NULL (coordinates, radii).
    OptReal(Option<f64>),
}

/// Where a head puts its rows when they are not simply appended: `INSERT … SELECT … FROM
/// (VALUES …) AS v JOIN …` lets a deferred row refer to another deferred row by a natural key (a
/// contact's reference) before either has an id. Both backends name a bare VALUES list's columns
/// `column1`, `column2`, ….
pub(crate) const VALUES: &str = "{values}";

/// Rows waiting for the end of the batch, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct DeferredRows {
    rows: Vec<(&'static str, Vec<Cell>)>,
}

/// Rows per statement are powers of two up to this, so each table has a few statement shapes
/// (which the driver prepares once and caches) whatever the batch size.
const MAX_ROWS_PER_STATEMENT: usize = 128;

impl DeferredRows {
    /// Queues a row. `insert` is the statement head, `INSERT INTO table (col, …)` (the rows are
    /// appended) or a statement containing [`VALUES`] (the rows go there, and every row must be
    /// inserted: a join that drops one is an error); every row given the same head must have one
    /// cell per column. Heads are written in order of first appearance, so a head whose rows join
    /// another's must first appear after it.
    pub fn push(&mut self, insert: &'static str, cells: Vec<Cell>) {
        self.rows.push((insert, cells));
    }

    /// How many rows wait; with [`truncate`](Self::truncate), lets a failed job take its rows back.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Forgets every row added after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        self.rows.truncate(len);
    }

    /// Writes every waiting row, table by table in order of first appearance, rows in the order
    /// they were added, and empties the buffer.
    pub async fn flush(&mut self, conn: &mut AnyConnection, backend: Backend) -> Result<(), StoreError> {
        let rows = std::mem::take(&mut self.rows);
        let mut heads: Vec<&'static str> = Vec::new();
        for (head, _) in &rows {
            if !heads.contains(head) {
                heads.push(head);
            }
        }
        for head in heads {
            let table: Vec<&Vec<Cell>> = rows.iter().filter(|(h, _)| *h == head).map(|(_, c)| c).collect();
            insert_now(conn, backend, head, &table).await?;
        }
        Ok(())
    }
}

/// Writes `rows` now, as few multi-row statements as [`DeferredRows::flush`] writes at the end:
/// for a job whose many rows later jobs of the batch must see (a burst's persons and links).
pub(crate) async fn insert_now<R: AsRef<[Cell]> + Sync>(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    rows: &[R],
) -> Result<(), StoreError> {
    let mut rest = rows;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(chunk_size(rest.len()));
        insert_chunk(conn, backend, head, chunk).await?;
        rest = tail;
    }
    Ok(())
}

/// The largest power of two not above `remaining`, capped at [`MAX_ROWS_PER_STATEMENT`].
fn chunk_size(remaining: usize) -> usize {
    let capped = remaining.min(MAX_ROWS_PER_STATEMENT);
    1 << (usize::BITS - 1 - capped.leading_zeros())
}

/// `VALUES ($1, $2), ($3, $4)` for `rows` rows of `columns` placeholders; on SQLite
/// `VALUES (?, ?), (?, ?)`.
///
/// SQLite keeps numbered parameters (`$1`, `?1`) in a list it searches from the start for every
/// parameter the driver binds, so a statement of a few thousand numbered parameters spends most of
/// its time binding (measured: a fifth of the store's CPU in `sqlite3_bind_parameter_name`).
/// Anonymous `?` parameters are not in that list.
fn values_clause(backend: Backend, rows: usize, columns: usize) -> String {
    let rows: Vec<String> = (0..rows)
        .map(|r| format!("({})", crate::rows::placeholders(backend, r * columns + 1, columns)))
        .collect();
    format!(" VALUES {}", rows.join(", "))
}

async fn insert_chunk<R: AsRef<[Cell]> + Sync>(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    chunk: &[R],
) -> Result<(), StoreError> {
    let columns = chunk.first().map_or(0, |c| c.as_ref().len());
    if chunk.iter().any(|c| c.as_ref().len() != columns) {
        return Err(StoreError::Unavailable(format!("deferred rows for {head:?} differ in width")));
    }
    let values = values_clause(backend, chunk.len(), columns);
    let joined = head.contains(VALUES);
    let sql = if joined { head.replace(VALUES, values.trim_start()) } else { format!("{head}{values}") };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in chunk {
        for cell in row.as_ref() {
            query = match cell {
                Cell::Int(v) => query.bind(*v),
                Cell::Text(v) => query.bind(v.clone()),
                Cell::OptText(v) => query.bind(v.clone()),
                Cell::OptReal(v) => query.bind(crate::rows::Real(*v)),
            };
        }
    }
    let done = query.execute(&mut *conn).await?;
    if joined && done.rows_affected() != chunk.len() as u64 {
        return Err(StoreError::Unavailable(format!(
            "deferred rows for {head:?}: {} of {} found what they join",
            done.rows_affected(),
            chunk.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_powers_of_two_covering_everything() {
        for n in 1..600 {
            let mut left = n;
            let mut sizes = Vec::new();
            while left > 0 {
                let s = chunk_size(left);
                assert!(s.is_power_of_two() && s <= MAX_ROWS_PER_STATEMENT && s <= left);
                sizes.push(s);
                left -= s;
            }
            assert_eq!(sizes.iter().sum::<usize>(), n);
        }
    }

    #[test]
    fn values_clause_numbers_placeholders_row_by_row() {
        assert_eq!(values_clause(Backend::Postgres, 2, 3), " VALUES ($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_clause(Backend::Postgres, 1, 1), " VALUES ($1)");
    }

    #[test]
    fn values_clause_on_sqlite_uses_anonymous_placeholders() {
        assert_eq!(values_clause(Backend::Sqlite, 2, 2), " VALUES (?, ?), (?, ?)");
    }

    #[test]
    fn truncate_takes_back_a_failed_jobs_rows() {
        let mut rows = DeferredRows::default();
        rows.push("INSERT INTO t (a)", vec![Cell::Int(1)]);
        let mark = rows.len();
        rows.push("INSERT INTO t (a)", vec![Cell::Int(2)]);
        rows.truncate(mark);
        assert_eq!(rows.len(), 1);
    }
}
