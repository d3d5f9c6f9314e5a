//! Questionnaire results on a contact (DASH, S-DASH, RCRP...) and the referral tasks they raise.
//! The result is a `questionnaire_completed` log entry (answers, score, computed and final level,
//! the judgement that raised it); each referral (e.g. MARAC at DASH high) is a row in `referrals`
//! pointing at that entry, written in the same transaction, so no result loses its referral.
//! Scoring is the triage engine's job: the store keeps what the caller computed.

use super::entries::{Appended, append, replay};
use super::{Idempotency, change::load};
use crate::rows::get;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::Actor;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The log entry kind for a questionnaire result.
pub const QUESTIONNAIRE_COMPLETED: &str = "questionnaire_completed";
/// A referral's status when raised.
pub const OPEN: &str = "open";

/// A referral task to raise with a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// The task kind ("marac_referral").
    pub task: String,
    /// What to do.
    pub text: String,
}

/// A questionnaire result to record.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionnaireRecord {
    /// The questionnaire id ("dash").
    pub questionnaire: String,
    /// The final level ("high").
    pub level: String,
    /// The whole result as the engine serialised it (kept verbatim in the log entry).
    pub result: Value,
    /// Referral tasks the result raised.
    pub referrals: Vec<NewReferral>,
}

/// A referral raised by a questionnaire, for supervisors' lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    /// Its id (pass as `before` for the next page).
    pub id: i64,
    /// The contact's reference.
    pub reference: String,
    /// The questionnaire that raised it.
    pub questionnaire: String,
    /// The result's final level.
    pub level: String,
    /// The task kind.
    pub task: String,
    /// What to do.
    pub text: String,
    /// Who completed the questionnaire.
    pub raised_by: String,
    /// When.
    pub raised_at: DateTime<Utc>,
    /// open (the only status until tasks can be worked).
    pub status: String,
}

/// Which referrals to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferralFilter {
    /// Only this task kind.
    pub task: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Page size (1..=200).
    pub limit: u32,
    /// Only referrals older than this id.
    pub before: Option<i64>,
}

impl Store {
    /// Records a questionnaire result on a contact and raises its referrals, in one transaction.
    pub async fn record_questionnaire(
        &self,
        actor: &Actor,
        reference: &str,
        record: QuestionnaireRecord,
        idempotency: Option<Idempotency>,
    ) -> Result<Appended, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    if let Some(done) = replay(ctx, &actor, idempotency.as_ref()).await? {
                        return Ok(done);
                    }
                    let (id, contact) = load(ctx, &reference, None).await?;
                    let data = record.result.clone();
                    let done = append(ctx, &actor, id, contact, QUESTIONNAIRE_COMPLETED, data, idempotency.as_ref())
                        .await?;
                    for r in &record.referrals {
                        sqlx::query(
                            "INSERT INTO referrals (contact_id, event_id, questionnaire, level, task, text, raised_by, \
                             raised_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        )
                        .bind(id)
                        .bind(done.entry.id)
                        .bind(&record.questionnaire)
                        .bind(&record.level)
                        .bind(&r.task)
                        .bind(&r.text)
                        .bind(&actor.username)
                        .bind(to_micros(ctx.now))
                        .bind(OPEN)
                        .execute(&mut *ctx.conn)
                        .await?;
                    }
                    Ok(done)
                })
            })
            .await
    }

    /// Referrals, newest first, filtered.
    pub async fn list_referrals(&self, f: &ReferralFilter) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, c.reference, r.questionnaire, r.level, r.task, r.text, r.raised_by, r.raised_at, r.status \
             FROM referrals r JOIN contacts c ON c.id = r.contact_id \
             WHERE ($1 IS NULL OR r.task = $1) AND ($2 IS NULL OR r.status = $2) AND ($3 IS NULL OR r.id < $3) \
             ORDER BY r.id DESC LIMIT $4",
        )
        .bind(&f.task)
        .bind(&f.status)
        .bind(f.before)
        .bind(i64::from(f.limit.clamp(1, 200)))
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Referral {
                    id: get(row, "id")?,
                    reference: get(row, "reference")?,
                    questionnaire: get(row, "questionnaire")?,
                    level: get(row, "level")?,
                    task: get(row, "task")?,
                    text: get(row, "text")?,
                    raised_by: get(row, "raised_by")?,
                    raised_at: from_micros(get(row, "raised_at")?)?,
                    status: get(row, "status")?,
                })
            })
            .collect()
    }
}
