//! Working a referral task: accept (assign to a named user), send (to the partner agency, with its
//! reference) or decline (with a reason). The domain's [`ReferralStatus::apply`] decides which
//! moves are legal; here each move updates the task row (its version moves on, for If-Match) and
//! appends a `referral_<status>` entry to the contact's log in the same transaction, optionally
//! idempotent. Sending is also audited as a disclosure (DPA 2018 s.62: personal data went to a
//! partner agency).

use super::entries::{append, replay};
use super::questionnaires::Referral;
use super::{Idempotency, change::load};
use crate::audit::{AuditAction, AuditEntry};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use fc_domain::{Actor, FieldError, ReferralAction, ReferralStatus};
use serde_json::json;
use sqlx::any::AnyRow;

/// The columns [`referral_from_row`] reads (`r` is `referrals`, `c` is `contacts`).
pub(super) const REFERRAL_COLUMNS: &str = "r.id, c.reference, r.questionnaire, r.level, r.task, r.text, \
     r.raised_by, r.raised_at, r.status, r.version, r.assigned_to, r.agency, r.agency_reference, r.note, \
     r.updated_by, r.updated_at";

/// The log entry kind for a move to `to` (e.g. `referral_accepted`).
pub fn entry_kind(to: ReferralStatus) -> String {
    format!("referral_{}", to.as_str())
}

/// Reads a referral row.
pub(super) fn referral_from_row(row: &AnyRow) -> Result<Referral, StoreError> {
    let status: String = get(row, "status")?;
    Ok(Referral {
        id: get(row, "id")?,
        reference: get(row, "reference")?,
        questionnaire: get(row, "questionnaire")?,
        level: get(row, "level")?,
        task: get(row, "task")?,
        text: get(row, "text")?,
        raised_by: get(row, "raised_by")?,
        raised_at: from_micros(get(row, "raised_at")?)?,
        status: status.parse().map_err(crate::rows::corrupt)?,
        version: get(row, "version")?,
        assigned_to: get_opt(row, "assigned_to")?,
        agency: get_opt(row, "agency")?,
        agency_reference: get_opt(row, "agency_reference")?,
        note: get_opt(row, "note")?,
        updated_by: get_opt(row, "updated_by")?,
        updated_at: opt_from_micros(get_opt(row, "updated_at")?)?,
    })
}

/// A referral with its contact's row id and the id of the result entry that raised it.
async fn referral_in(ctx: &mut WriteCtx<'_>, id: i64) -> Result<(Referral, i64, i64), StoreError> {
    let sql = format!(
        "SELECT {REFERRAL_COLUMNS}, r.contact_id, r.event_id FROM referrals r JOIN contacts c ON c.id = r.contact_id \
         WHERE r.id = $1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })?;
    Ok((referral_from_row(&row)?, get(&row, "contact_id")?, get(&row, "event_id")?))
}

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(vec![FieldError { field: field.into(), message }])
}

/// Refuses an assignee who is not an active user (a task must have someone who can do it).
async fn check_assignee(ctx: &mut WriteCtx<'_>, username: &str) -> Result<(), StoreError> {
    let row = sqlx::query("SELECT active FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *ctx.conn)
        .await?;
    match row {
        Some(row) if get::<i64>(&row, "active")? != 0 => Ok(()),
        _ => Err(invalid("assignee", format!("{username:?} is not an active user"))),
    }
}

impl Store {
    /// One referral task.
    pub async fn get_referral(&self, id: i64) -> Result<Referral, StoreError> {
        let sql = format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN contacts c ON c.id = r.contact_id WHERE r.id = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })?;
        referral_from_row(&row)
    }

    /// Moves a referral task on. Illegal moves (sending an open task, anything on a sent or
    /// declined one) are domain errors and write nothing; a stale `expected_version` is a
    /// conflict. Returns the task after the move and whether an earlier request with the same
    /// idempotency key made it.
    pub async fn move_referral(
        &self,
        actor: &Actor,
        id: i64,
        action: ReferralAction,
        expected_version: Option<i64>,
        idempotency: Option<Idempotency>,
    ) -> Result<(Referral, bool), StoreError> {
        let action = action.parse()?;
        let actor = actor.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    if let Some(done) = replay(ctx, &actor, idempotency.as_ref()).await? {
                        let first = done.entry.data["referral"].as_i64().unwrap_or_default();
                        if first != id {
                            return Err(StoreError::Conflict(
                                "this Idempotency-Key was used for another referral".into(),
                            ));
                        }
                        return Ok((referral_in(ctx, id).await?.0, true));
                    }
                    let (before, contact_id, result_entry) = referral_in(ctx, id).await?;
                    if let Some(v) = expected_version
                        && v != before.version
                    {
                        return Err(StoreError::Conflict(format!(
                            "referral {id} has changed (version {} now, {v} expected): reload and try again",
                            before.version
                        )));
                    }
                    let to = before.status.apply(&action, before.assigned_to.as_deref())?;
                    let (mut assigned_to, mut agency, mut agency_reference, mut note) =
                        (before.assigned_to.clone(), None, None, None);
                    match &action {
                        ReferralAction::Accept { assignee } => {
                            check_assignee(ctx, assignee).await?;
                            assigned_to = Some(assignee.clone());
                        }
                        ReferralAction::Send { agency: a, reference, note: n } => {
                            (agency, agency_reference, note) = (Some(a.clone()), Some(reference.clone()), n.clone());
                        }
                        ReferralAction::Decline { reason } => note = Some(reason.clone()),
                    }
                    sqlx::query(
                        "UPDATE referrals SET status = $1, version = version + 1, assigned_to = $2, agency = $3, \
                         agency_reference = $4, note = $5, updated_by = $6, updated_at = $7 \
                         WHERE id = $8 AND version = $9",
                    )
                    .bind(to.as_str())
                    .bind(&assigned_to)
                    .bind(&agency)
                    .bind(&agency_reference)
                    .bind(&note)
                    .bind(&actor.username)
                    .bind(to_micros(ctx.now))
                    .bind(id)
                    .bind(before.version)
                    .execute(&mut *ctx.conn)
                    .await?;
                    let data = json!({
                        "referral": id, "result_entry": result_entry, "task": before.task,
                        "from": before.status, "to": to,
                        "assigned_to": assigned_to, "agency": agency, "agency_reference": agency_reference,
                        "note": note,
                    });
                    let (_, contact) = load(ctx, &before.reference, None).await?;
                    append(ctx, &actor, contact_id, contact, &entry_kind(to), data, idempotency.as_ref()).await?;
                    if to == ReferralStatus::Sent {
                        ctx.audit(AuditEntry {
                            actor: actor.username.clone(),
                            action: AuditAction::Disclosure,
                            record_type: "contact".into(),
                            record_id: before.reference.clone(),
                            detail: format!(
                                "referral {id} ({}) sent to {}",
                                before.task,
                                agency.as_deref().unwrap_or_default()
                            ),
                            justification: agency_reference.clone(),
                        })
                        .await?;
                    }
                    Ok((referral_in(ctx, id).await?.0, false))
                })
            })
            .await
    }
}
