//! The link review queue: contacts whose best match fell between the review and link thresholds,
//! waiting for a person to say "this is X" or "this is someone new", with a reason.

use super::link::{NewLink, link_in};
use super::{LinkReview, PersonLink, contact_id, invalid};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::{Store, StoreError};
use fc_domain::Actor;
use fc_domain::person::LinkHow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::any::AnyRow;

/// A person the contact may be, as the matcher scored them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewCandidate {
    /// The person's reference.
    pub person: String,
    /// Match weight (log2 odds).
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// Field-by-field explanation.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub explanation: Value,
}

/// What the reviewer decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The contact is this person (one of the candidates).
    Link(String),
    /// The contact is nobody known: make a new person.
    NewPerson,
}

const REVIEW_COLUMNS: &str = "r.id, c.reference AS contact_ref, r.candidates, r.status, r.created_at, r.created_by, \
     r.decision, p.reference AS person_ref, r.reason, r.decided_by, r.decided_at";
const REVIEW_FROM: &str =
    "link_reviews r JOIN contacts c ON c.id = r.contact_id LEFT JOIN persons p ON p.id = r.decided_person_id";

fn review_from_row(row: &AnyRow) -> Result<LinkReview, StoreError> {
    let candidates: String = get(row, "candidates")?;
    Ok(LinkReview {
        id: get(row, "id")?,
        contact: get(row, "contact_ref")?,
        candidates: serde_json::from_str(&candidates)?,
        status: get(row, "status")?,
        created_at: from_micros(get(row, "created_at")?)?,
        created_by: get(row, "created_by")?,
        decision: get_opt(row, "decision")?,
        decided_person: get_opt(row, "person_ref")?,
        reason: get_opt(row, "reason")?,
        decided_by: get_opt(row, "decided_by")?,
        decided_at: opt_from_micros(get_opt(row, "decided_at")?)?,
    })
}

/// A decided review asked again: the same person's retry of the same decision gets the first
/// answer (so a double-submitted form or a retried request is harmless); anything else conflicts.
async fn already_decided(
    ctx: &mut crate::writer::WriteCtx<'_>,
    actor: &str,
    review: LinkReview,
    decision: &Decision,
) -> Result<(LinkReview, PersonLink), StoreError> {
    let same = review.decided_by.as_deref() == Some(actor)
        && match decision {
            Decision::Link(p) => {
                review.decision.as_deref() == Some("link")
                    && review.decided_person.as_deref() == Some(p.as_str())
            }
            Decision::NewPerson => review.decision.as_deref() == Some("new_person"),
        };
    if !same {
        return Err(StoreError::Conflict(format!("link review {} was already decided", review.id)));
    }
    let sql = format!(
        "SELECT {} FROM person_contacts l JOIN persons p ON p.id = l.person_id \
         JOIN contacts c ON c.id = l.contact_id WHERE c.reference = $1 AND l.how = 'manual' ORDER BY l.id DESC",
        super::LINK_COLUMNS
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&review.contact).fetch_one(&mut *ctx.conn).await?;
    Ok((review, super::link_from_row(&row)?))
}

impl Store {
    /// Queues a contact for review with its candidates. A contact has at most one pending review.
    pub async fn queue_link_review(
        &self,
        actor: &Actor,
        contact: &str,
        candidates: Vec<ReviewCandidate>,
    ) -> Result<LinkReview, StoreError> {
        if candidates.is_empty() {
            return Err(invalid("candidates", "a review needs at least one candidate"));
        }
        let (actor, contact) = (actor.username.clone(), contact.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let cid = contact_id(ctx, &contact).await?;
                    let pending = sqlx::query(
                        "SELECT id FROM link_reviews WHERE contact_id = $1 AND status = 'pending'",
                    )
                    .bind(cid)
                    .fetch_optional(&mut *ctx.conn)
                    .await?;
                    if pending.is_some() {
                        return Err(StoreError::Conflict(format!(
                            "contact {contact} is already waiting for review"
                        )));
                    }
                    let row = sqlx::query(
                        "INSERT INTO link_reviews (contact_id, candidates, status, created_at, created_by) \
                         VALUES ($1, $2, 'pending', $3, $4) RETURNING id",
                    )
                    .bind(cid)
                    .bind(serde_json::to_string(&candidates)?)
                    .bind(to_micros(ctx.now))
                    .bind(&actor)
                    .fetch_one(&mut *ctx.conn)
                    .await?;
                    let id: i64 = get(&row, "id")?;
                    let sql = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.id = $1");
                    let row =
                        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *ctx.conn).await?;
                    review_from_row(&row)
                })
            })
            .await
    }

    /// Decides a pending review: links the contact to the chosen candidate or a new person, with
    /// the reason, in one transaction (link, person log, review decision, audit).
    pub async fn decide_link_review(
        &self,
        actor: &Actor,
        id: i64,
        decision: Decision,
        reason: &str,
    ) -> Result<(LinkReview, PersonLink), StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let sql = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.id = $1");
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                        .bind(id)
                        .fetch_optional(&mut *ctx.conn)
                        .await?
                        .ok_or_else(|| StoreError::NotFound { what: format!("link review {id}") })?;
                    let review = review_from_row(&row)?;
                    if review.status != "pending" {
                        return already_decided(ctx, &actor, review, &decision).await;
                    }
                    let (person, kind) = match &decision {
                        Decision::Link(p) => {
                            let chosen = review.candidates.iter().find(|c| &c.person == p).ok_or_else(|| {
                                invalid("person", format!("{p} is not one of this review's candidates"))
                            })?;
                            (Some((p.clone(), chosen.weight, chosen.explanation.clone())), "link")
                        }
                        Decision::NewPerson => (None, "new_person"),
                    };
                    let link = NewLink {
                        how: LinkHow::Manual,
                        weight: person.as_ref().map(|p| p.1),
                        explanation: person.as_ref().map(|p| p.2.clone()),
                        reason: Some(reason.clone()),
                    };
                    let link =
                        link_in(ctx, &actor, &review.contact, person.as_ref().map(|p| p.0.as_str()), &link).await?;
                    let row = sqlx::query("SELECT id FROM persons WHERE reference = $1")
                        .bind(&link.person)
                        .fetch_one(&mut *ctx.conn)
                        .await?;
                    let person_id: i64 = get(&row, "id")?;
                    sqlx::query(
                        "UPDATE link_reviews SET status = 'decided', decision = $1, decided_person_id = $2, reason = $3, \
                         decided_by = $4, decided_at = $5 WHERE id = $6",
                    )
                    .bind(kind)
                    .bind(person_id)
                    .bind(&reason)
                    .bind(&actor)
                    .bind(to_micros(ctx.now))
                    .bind(id)
                    .execute(&mut *ctx.conn)
                    .await?;
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *ctx.conn).await?;
                    Ok((review_from_row(&row)?, link))
                })
            })
            .await
    }

    /// Reviews with `status` (pending or decided), oldest first for pending, newest first else.
    pub async fn list_link_reviews(&self, status: &str, limit: u32) -> Result<Vec<LinkReview>, StoreError> {
        let select = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM}");
        super::list_queue(self, &select, status, limit, review_from_row).await
    }

    /// One review.
    pub async fn get_link_review(&self, id: i64) -> Result<LinkReview, StoreError> {
        let select = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM}");
        super::queue_item(self, &select, id, "link review", review_from_row).await
    }

    /// The pending review of a contact, if any.
    pub async fn pending_review_of(&self, contact: &str) -> Result<Option<LinkReview>, StoreError> {
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE c.reference = $1 AND r.status = 'pending'"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(contact).fetch_optional(self.reads()).await?;
        row.as_ref().map(review_from_row).transpose()
    }
}
