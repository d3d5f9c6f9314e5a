//! Possible same person: pairs of persons the evidence says may be one. The real-time matcher
//! queues a pair when one contact matches both above the link threshold (so the contact goes to a
//! review instead of being linked to either), and batch linking queues the links its anti-chaining
//! guard held back. Nothing is merged silently: a supervisor merges the pair (choosing who
//! survives) or keeps them apart, with a reason, and a pair kept apart is never queued again.

use super::link::merge_in;
use super::{Person, invalid};
use crate::audit::{AuditAction, AuditEntry};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::Actor;
use serde::Serialize;
use serde_json::Value;
use sqlx::any::AnyRow;

/// Two persons who may be one, and what became of the question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairReview {
    /// Review id.
    pub id: i64,
    /// One person (the older record).
    pub person_a: String,
    /// The other.
    pub person_b: String,
    /// The strongest match weight (log2 odds) seen between them.
    pub weight: f64,
    /// `realtime` (a contact matched both) or `batch` (a link the anti-chaining guard held back).
    pub source: String,
    /// What was seen: the contacts and field-by-field explanations.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub evidence: Value,
    /// pending, merged or kept_apart.
    pub status: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// Who queued it (the matcher or an import).
    pub created_by: String,
    /// The surviving person, when merged.
    pub survivor: Option<String>,
    /// The reason given.
    pub reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}

/// A pair to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPair {
    /// One person's reference.
    pub a: String,
    /// The other's.
    pub b: String,
    /// The match weight seen between them.
    pub weight: f64,
    /// `realtime` or `batch`.
    pub source: &'static str,
    /// The evidence to show the reviewer.
    pub evidence: Value,
}

/// What the supervisor decided about a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairDecision {
    /// They are one person: merge the other into this one (one of the pair).
    Merge {
        /// The person who survives.
        survivor: String,
    },
    /// They are two people.
    KeepApart,
}

const COLUMNS: &str = "r.id, a.reference AS a_ref, b.reference AS b_ref, r.weight, r.source, r.evidence, \
     r.status, r.created_at, r.created_by, s.reference AS survivor_ref, r.reason, r.decided_by, r.decided_at";
const FROM: &str = "person_pair_reviews r JOIN persons a ON a.id = r.person_a JOIN persons b ON b.id = r.person_b \
     LEFT JOIN persons s ON s.id = r.survivor_id";

fn from_row(row: &AnyRow) -> Result<PairReview, StoreError> {
    let evidence: String = get(row, "evidence")?;
    Ok(PairReview {
        id: get(row, "id")?,
        person_a: get(row, "a_ref")?,
        person_b: get(row, "b_ref")?,
        weight: get(row, "weight")?,
        source: get(row, "source")?,
        evidence: serde_json::from_str(&evidence)?,
        status: get(row, "status")?,
        created_at: from_micros(get(row, "created_at")?)?,
        created_by: get(row, "created_by")?,
        survivor: get_opt(row, "survivor_ref")?,
        reason: get_opt(row, "reason")?,
        decided_by: get_opt(row, "decided_by")?,
        decided_at: opt_from_micros(get_opt(row, "decided_at")?)?,
    })
}

async fn person_id(ctx: &mut WriteCtx<'_>, reference: &str) -> Result<Option<(i64, bool)>, StoreError> {
    let row = sqlx::query("SELECT id, merged_into FROM persons WHERE reference = $1")
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?;
    row.map(|r| Ok((get(&r, "id")?, get_opt::<i64>(&r, "merged_into")?.is_some()))).transpose()
}

async fn read_in(ctx: &mut WriteCtx<'_>, id: i64) -> Result<PairReview, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("possible same person review {id}") })?;
    from_row(&row)
}

/// Queues pairs inside a write; pairs already asked about (pending or decided), pairs of one
/// person and pairs with a merged person are skipped. Returns how many were queued.
async fn queue_in(ctx: &mut WriteCtx<'_>, actor: &str, pairs: &[NewPair]) -> Result<usize, StoreError> {
    let mut queued = 0;
    for p in pairs {
        let (Some((a, a_merged)), Some((b, b_merged))) =
            (person_id(ctx, &p.a).await?, person_id(ctx, &p.b).await?)
        else {
            return Err(invalid("person", format!("{} or {} is not a person", p.a, p.b)));
        };
        if a == b || a_merged || b_merged {
            continue;
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let done = sqlx::query(
            "INSERT INTO person_pair_reviews (person_a, person_b, weight, source, evidence, status, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT (person_a, person_b) DO NOTHING",
        )
        .bind(lo)
        .bind(hi)
        .bind(p.weight)
        .bind(p.source)
        .bind(p.evidence.to_string())
        .bind(to_micros(ctx.now))
        .bind(actor)
        .execute(&mut *ctx.conn)
        .await?;
        queued += done.rows_affected() as usize;
    }
    Ok(queued)
}

impl Store {
    /// Queues possible-same-person pairs (see the module notes); returns how many were new.
    pub async fn queue_pair_reviews(&self, actor: &Actor, pairs: Vec<NewPair>) -> Result<usize, StoreError> {
        if pairs.is_empty() {
            return Ok(0);
        }
        let actor = actor.username.clone();
        self.writer().write(move |ctx| Box::pin(async move { queue_in(ctx, &actor, &pairs).await })).await
    }

    /// Decides a pending pair: merges it (into the chosen survivor) or keeps the two apart, with
    /// the reason, in one transaction with the merge's links, person log and audit entries. The
    /// same person's retry of the same decision returns the first answer.
    pub async fn decide_pair_review(
        &self,
        actor: &Actor,
        id: i64,
        decision: PairDecision,
        reason: &str,
    ) -> Result<(PairReview, Option<Person>), StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let review = read_in(ctx, id).await?;
                    let (status, survivor) = match &decision {
                        PairDecision::Merge { survivor } => ("merged", Some(survivor.clone())),
                        PairDecision::KeepApart => ("kept_apart", None),
                    };
                    if review.status != "pending" {
                        let same = review.status == status
                            && review.survivor == survivor
                            && review.decided_by.as_deref() == Some(actor.as_str());
                        if !same {
                            return Err(StoreError::Conflict(format!(
                                "possible same person review {id} was already decided ({})",
                                review.status
                            )));
                        }
                        return Ok((review, None));
                    }
                    let merged = match &survivor {
                        Some(s) => {
                            let other = if *s == review.person_a {
                                &review.person_b
                            } else if *s == review.person_b {
                                &review.person_a
                            } else {
                                return Err(invalid(
                                    "survivor",
                                    format!("choose {} or {}", review.person_a, review.person_b),
                                ));
                            };
                            Some(merge_in(ctx, &actor, other, s, &reason).await?)
                        }
                        None => {
                            ctx.audit(AuditEntry {
                                actor: actor.clone(),
                                action: AuditAction::Combination,
                                record_type: "person".into(),
                                record_id: review.person_a.clone(),
                                detail: format!("kept {} and {} apart", review.person_a, review.person_b),
                                justification: Some(reason.clone()),
                            })
                            .await?;
                            None
                        }
                    };
                    let survivor_id = merged.as_ref().map(|p| p.id);
                    sqlx::query(
                        "UPDATE person_pair_reviews SET status = $1, survivor_id = $2, reason = $3, decided_by = $4, \
                         decided_at = $5 WHERE id = $6",
                    )
                    .persistent(false)
                    .bind(status)
                    .bind(survivor_id)
                    .bind(&reason)
                    .bind(&actor)
                    .bind(to_micros(ctx.now))
                    .bind(id)
                    .execute(&mut *ctx.conn)
                    .await?;
                    Ok((read_in(ctx, id).await?, merged))
                })
            })
            .await
    }

    /// Pairs with `status` (pending, merged or kept_apart): pending oldest first, else newest first.
    pub async fn list_pair_reviews(&self, status: &str, limit: u32) -> Result<Vec<PairReview>, StoreError> {
        super::list_queue(self, &format!("SELECT {COLUMNS} FROM {FROM}"), status, limit, from_row).await
    }

    /// One pair review.
    pub async fn get_pair_review(&self, id: i64) -> Result<PairReview, StoreError> {
        let select = format!("SELECT {COLUMNS} FROM {FROM}");
        super::queue_item(self, &select, id, "possible same person review", from_row).await
    }
}
