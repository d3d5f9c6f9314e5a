//! Questionnaire results on a contact (DASH, S-DASH, RCRP...) and the referral tasks they raise.
//! The result is a `questionnaire_completed` log entry (answers, score, computed and final level,
//! the judgement that raised it); each referral (e.g. MARAC at DASH high) is a row in `referrals`
//! pointing at that entry, written in the same transaction, so no result loses its referral.
//! Scoring is the triage engine's job: the store keeps what the caller computed.

use super::entries::{Appended, append, replay};
use super::referrals::{REFERRAL_COLUMNS, referral_from_row};
use super::{Idempotency, change::load};
use crate::time::to_micros;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, ReferralStatus};
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
    /// open, accepted, sent or declined (see [`ReferralStatus`] for the workflow).
    pub status: ReferralStatus,
    /// Its version (starts at 1, moves on with each change; send it as `If-Match`).
    pub version: i64,
    /// Who owns it (set when accepted).
    pub assigned_to: Option<String>,
    /// The partner agency it was sent to.
    pub agency: Option<String>,
    /// The agency's reference when sent.
    pub agency_reference: Option<String>,
    /// The note given when sent, or the reason when declined.
    pub note: Option<String>,
    /// Who last moved it on.
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Which referrals to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferralFilter {
    /// Only this task kind.
    pub task: Option<String>,
    /// Only this status.
    pub status: Option<ReferralStatus>,
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
        let sql = format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN contacts c ON c.id = r.contact_id \
             WHERE ($1 IS NULL OR r.task = $1) AND ($2 IS NULL OR r.status = $2) AND ($3 IS NULL OR r.id < $3) \
             ORDER BY r.id DESC LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&f.task)
            .bind(f.status.map(ReferralStatus::as_str))
            .bind(f.before)
            .bind(i64::from(f.limit.clamp(1, 200)))
            .fetch_all(self.reads())
            .await?;
        rows.iter().map(referral_from_row).collect()
    }
}
