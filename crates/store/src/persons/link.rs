//! Linking contacts to persons, undoing a link, merging two persons and splitting one. Each is a
//! single write: new state, person log entries and a combination audit entry together.

use super::{
    LINK_COLUMNS, PERSON_COLUMNS, Person, PersonLink, invalid, link_from_row, log, person_for_change,
    person_from_row, remember, replay,
};
use crate::audit::{AuditAction, AuditEntry};
use crate::deferred::Cell;
use crate::rows::get;
use crate::time::to_micros;
use crate::writer::{IdTable, WriteCtx};
use crate::{Store, StoreError};
use fc_domain::Actor;
use fc_domain::person::{LinkHow, person_reference};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// What a new link records about its making.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    /// How it was decided.
    pub how: LinkHow,
    /// The match weight relied on, if any.
    pub weight: Option<f64>,
    /// The field-by-field explanation relied on, if any.
    pub explanation: Option<Value>,
    /// The reason a person gave (required for manual links).
    pub reason: Option<String>,
}

/// One contact of a batch-built person.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchMember {
    /// The contact's reference.
    pub contact: String,
    /// Its best link weight inside the cluster, if any.
    pub weight: Option<f64>,
}

/// A person's row: its id is the writer's to give ([`WriteCtx::next_ids`]), and its reference
/// follows from the id, so a burst's new persons are one statement.
const INSERT_PERSON: &str = "INSERT INTO persons (id, reference, created_at, created_by)";

/// An active link's row (the unique index refuses a second active link for one contact).
const INSERT_LINK: &str = "INSERT INTO person_contacts (id, person_id, contact_id, how, weight, explanation, linked_by, linked_at, active)";

/// Creates a person and logs it.
pub(super) async fn create_person(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    data: Value,
) -> Result<Person, StoreError> {
    create_persons(ctx, actor, vec![data])
        .await?
        .pop()
        .ok_or_else(|| StoreError::Unavailable("creating a person made nothing".into()))
}

/// Creates one person per entry of `data` (each logged with its entry), in as few statements as
/// the rows allow.
async fn create_persons(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    data: Vec<Value>,
) -> Result<Vec<Person>, StoreError> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    let first = ctx.next_ids(IdTable::Persons, data.len()).await?;
    let persons: Vec<Person> = (first..)
        .take(data.len())
        .map(|id| Person {
            id,
            reference: person_reference(id),
            created_at: ctx.now,
            created_by: actor.to_string(),
            merged_into: None,
        })
        .collect();
    let rows: Vec<Vec<Cell>> = persons
        .iter()
        .map(|p| {
            vec![
                Cell::Int(p.id),
                Cell::Text(p.reference.clone()),
                Cell::Int(to_micros(ctx.now)),
                Cell::Text(actor.to_string()),
            ]
        })
        .collect();
    crate::deferred::insert_now(ctx.conn, ctx.backend, INSERT_PERSON, &rows).await?;
    for (person, data) in persons.iter().zip(data) {
        log(ctx, person.id, actor, "created", None, data).await?;
    }
    Ok(persons)
}

/// One link to make: the person, the contact (id and reference) and how.
struct LinkRow<'a> {
    person: Person,
    contact: (i64, &'a str),
    link: &'a NewLink,
}

/// Inserts an active link and returns it as a later read would.
async fn insert_link(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    person: &Person,
    contact: (i64, &str),
    link: &NewLink,
) -> Result<PersonLink, StoreError> {
    let one = [LinkRow { person: person.clone(), contact, link }];
    insert_links(ctx, actor, &one)
        .await?
        .pop()
        .ok_or_else(|| StoreError::Unavailable(format!("linking contact {} made nothing", contact.1)))
}

/// Inserts active links, logs each on its person and returns them as a later read would. Their
/// checks are the caller's: a second active link for a contact fails the statement, and with it
/// every link of the call.
async fn insert_links(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    links: &[LinkRow<'_>],
) -> Result<Vec<PersonLink>, StoreError> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let first = ctx.next_ids(IdTable::PersonLinks, links.len()).await?;
    let now = to_micros(ctx.now);
    let rows: Vec<Vec<Cell>> = (first..)
        .zip(links)
        .map(|(id, l)| {
            vec![
                Cell::Int(id),
                Cell::Int(l.person.id),
                Cell::Int(l.contact.0),
                Cell::Text(l.link.how.as_str().to_string()),
                Cell::OptReal(l.link.weight),
                Cell::OptText(l.link.explanation.as_ref().map(Value::to_string)),
                Cell::Text(actor.to_string()),
                Cell::Int(now),
                Cell::Int(1),
            ]
        })
        .collect();
    crate::deferred::insert_now(ctx.conn, ctx.backend, INSERT_LINK, &rows).await.map_err(|e| match e {
        StoreError::Conflict(_) if links.len() == 1 => {
            StoreError::Conflict(format!("contact {} is already linked to a person", links[0].contact.1))
        }
        StoreError::Conflict(_) => {
            StoreError::Conflict("a contact of these links is already linked to a person".into())
        }
        other => other,
    })?;
    let mut made = Vec::with_capacity(links.len());
    for (id, l) in (first..).zip(links) {
        let (person, contact) = (&l.person, l.contact.1);
        ctx.emit(crate::StoreEvent::PersonLink {
            contact: contact.to_string(),
            person: Some(person.reference.clone()),
        });
        log(
            ctx,
            person.id,
            actor,
            "linked",
            l.link.reason.as_deref(),
            json!({ "contact": contact, "link": id, "how": l.link.how, "weight": l.link.weight }),
        )
        .await?;
        made.push(PersonLink {
            id,
            person: person.reference.clone(),
            contact: contact.to_string(),
            how: l.link.how,
            weight: l.link.weight,
            explanation: l.link.explanation.clone(),
            linked_by: actor.to_string(),
            linked_at: ctx.now,
            active: true,
            ended_by: None,
            ended_at: None,
            ended_reason: None,
        });
    }
    Ok(made)
}

/// Ends an active link, returning (link id, person id, contact ref).
async fn end_link(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    link_id: i64,
    reason: &str,
) -> Result<(i64, String), StoreError> {
    let row = sqlx::query(
        "SELECT l.person_id, l.active, c.reference FROM person_contacts l JOIN contacts c ON c.id = l.contact_id \
         WHERE l.id = $1",
    )
    .bind(link_id)
    .fetch_optional(&mut *ctx.conn)
    .await?
    .ok_or_else(|| StoreError::NotFound { what: format!("person link {link_id}") })?;
    let active: i64 = get(&row, "active")?;
    if active == 0 {
        return Err(StoreError::Conflict(format!("person link {link_id} has already ended")));
    }
    let person_id: i64 = get(&row, "person_id")?;
    let contact: String = get(&row, "reference")?;
    sqlx::query(
        "UPDATE person_contacts SET active = 0, ended_by = $1, ended_at = $2, ended_reason = $3 WHERE id = $4",
    )
    .bind(actor)
    .bind(to_micros(ctx.now))
    .bind(reason)
    .bind(link_id)
    .execute(&mut *ctx.conn)
    .await?;
    log(ctx, person_id, actor, "unlinked", Some(reason), json!({ "contact": contact, "link": link_id }))
        .await?;
    // A move (merge, split) re-links at once; its later event carries the new person.
    ctx.emit(crate::StoreEvent::PersonLink { contact: contact.clone(), person: None });
    Ok((person_id, contact))
}

async fn link_by_id(ctx: &mut WriteCtx<'_>, id: i64) -> Result<PersonLink, StoreError> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM person_contacts l JOIN persons p ON p.id = l.person_id \
         JOIN contacts c ON c.id = l.contact_id WHERE l.id = $1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *ctx.conn).await?;
    link_from_row(&row)
}

fn combination(actor: &str, person: &str, detail: String, reason: Option<&str>) -> AuditEntry {
    AuditEntry {
        actor: actor.to_string(),
        action: AuditAction::Combination,
        record_type: "person".into(),
        record_id: person.to_string(),
        detail,
        justification: reason.map(str::to_string),
    }
}

/// Merges `from` into `into` inside a write; shared with the possible-same-person reviews. A retry
/// of a merge already made (same pair, same direction) returns the survivor and changes nothing.
pub(super) async fn merge_in(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    from: &str,
    into: &str,
    reason: &str,
) -> Result<Person, StoreError> {
    let target = person_for_change(ctx, into).await?;
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.reference = $1");
    let source = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .map(|row| person_from_row(&row))
        .transpose()?
        .ok_or_else(|| StoreError::NotFound { what: format!("person {from}") })?;
    if source.merged_into.as_deref() == Some(into) {
        return Ok(target);
    }
    let source = person_for_change(ctx, from).await?;
    let moved = move_links(ctx, actor, &source, &target, None, LinkHow::Merge, reason).await?;
    sqlx::query("UPDATE person_markers SET person_id = $1 WHERE person_id = $2")
        .bind(target.id)
        .bind(source.id)
        .execute(&mut *ctx.conn)
        .await?;
    sqlx::query("UPDATE persons SET merged_into = $1 WHERE id = $2")
        .bind(target.id)
        .bind(source.id)
        .execute(&mut *ctx.conn)
        .await?;
    let data = json!({ "from": from, "into": into, "contacts": moved });
    log(ctx, source.id, actor, "merged_into", Some(reason), data.clone()).await?;
    log(ctx, target.id, actor, "merged", Some(reason), data).await?;
    ctx.audit(combination(
        actor,
        into,
        format!("merged {from} into {into} ({} contacts moved)", moved.len()),
        Some(reason),
    ))
    .await?;
    Ok(target)
}

/// Links `contact` to `person` (or a new person when `None`) inside a write; shared with reviews.
pub(super) async fn link_in(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    contact: &str,
    person: Option<&str>,
    link: &NewLink,
) -> Result<PersonLink, StoreError> {
    // One link is a batch of one: the same reads, checks and messages as the matcher's batches.
    let one = [ContactLink {
        contact: contact.to_string(),
        person: person.map(str::to_string),
        link: link.clone(),
    }];
    link_many(ctx, actor, &one)
        .await?
        .pop()
        .unwrap_or_else(|| Err(StoreError::Unavailable(format!("linking contact {contact} made nothing"))))
}

/// Inserts links and audits each as a combination of its contact with its person.
async fn links_audited(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    links: &[LinkRow<'_>],
) -> Result<Vec<PersonLink>, StoreError> {
    let made = insert_links(ctx, actor, links).await?;
    for l in links {
        let weight = l.link.weight.map(|w| format!(", weight {w:.1}")).unwrap_or_default();
        ctx.audit(combination(
            actor,
            &l.person.reference,
            format!("linked contact {} ({}{weight})", l.contact.1, l.link.how),
            l.link.reason.as_deref(),
        ))
        .await?;
    }
    Ok(made)
}

/// One of many links written together (see [`Store::link_contacts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactLink {
    /// The contact.
    pub contact: String,
    /// Its person, or `None` for a new one.
    pub person: Option<String>,
    /// How and why.
    pub link: NewLink,
}

/// What the store holds about each contact of a batch of links: id, waiting for a review,
/// already linked.
async fn contacts_for_links(
    ctx: &mut WriteCtx<'_>,
    contacts: &[&str],
) -> Result<HashMap<String, (i64, bool, bool)>, StoreError> {
    let select = "SELECT c.id, c.reference, \
         (SELECT COUNT(*) FROM link_reviews r WHERE r.contact_id = c.id AND r.status = 'pending') AS pending, \
         (SELECT COUNT(*) FROM person_contacts l WHERE l.contact_id = c.id AND l.active = 1) AS linked \
         FROM contacts c WHERE c.reference IN ({keys})";
    let mut found = HashMap::new();
    for row in crate::rows::fetch_in(ctx.conn, ctx.backend, select, contacts).await? {
        let pending: i64 = get(&row, "pending")?;
        let linked: i64 = get(&row, "linked")?;
        found.insert(get::<String>(&row, "reference")?, (get::<i64>(&row, "id")?, pending > 0, linked > 0));
    }
    Ok(found)
}

/// The persons a batch of links names, by reference.
async fn persons_for_links(
    ctx: &mut WriteCtx<'_>,
    persons: &[&str],
) -> Result<HashMap<String, Person>, StoreError> {
    let select = format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.reference IN ({{keys}})");
    let mut found = HashMap::new();
    for row in crate::rows::fetch_in(ctx.conn, ctx.backend, &select, persons).await? {
        let person = person_from_row(&row)?;
        found.insert(person.reference.clone(), person);
    }
    Ok(found)
}

/// Checks one link of a batch against what the batch read (and the links before it): the
/// contact's id and the person to link to (`None`: a new one).
fn check_link(
    l: &ContactLink,
    contacts: &mut HashMap<String, (i64, bool, bool)>,
    persons: &HashMap<String, Person>,
) -> Result<(i64, Option<Person>), StoreError> {
    let contact = l.contact.as_str();
    let Some((id, pending, linked)) = contacts.get_mut(contact) else {
        return Err(StoreError::NotFound { what: format!("contact {contact}") });
    };
    if *pending && matches!(l.link.how, LinkHow::Auto | LinkHow::New | LinkHow::Batch) {
        return Err(StoreError::Conflict(format!("contact {contact} is waiting for a person's review")));
    }
    if *linked {
        return Err(StoreError::Conflict(format!("contact {contact} is already linked to a person")));
    }
    let person = match l.person.as_deref() {
        None => None,
        Some(r) => {
            let p = persons.get(r).ok_or_else(|| StoreError::NotFound { what: format!("person {r}") })?;
            if let Some(into) = &p.merged_into {
                return Err(StoreError::Conflict(format!(
                    "person {r} was merged into {into}: change {into}"
                )));
            }
            Some(p.clone())
        }
    };
    *linked = true;
    Ok((*id, person))
}

/// Writes many links in one write: the contacts and persons are read together, each link is
/// checked as [`link_in`] checks it, and a link that fails its checks fails alone (the others
/// are written). Returns each link's outcome, in order.
async fn link_many(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    links: &[ContactLink],
) -> Result<Vec<Result<PersonLink, StoreError>>, StoreError> {
    let mut unique = HashSet::new();
    let contacts: Vec<&str> =
        links.iter().map(|l| l.contact.as_str()).filter(|c| unique.insert(*c)).collect();
    let mut contacts = contacts_for_links(ctx, &contacts).await?;
    let mut unique = HashSet::new();
    let named: Vec<&str> =
        links.iter().filter_map(|l| l.person.as_deref()).filter(|p| unique.insert(*p)).collect();
    let persons = persons_for_links(ctx, &named).await?;
    let checked: Vec<Result<(i64, Option<Person>), StoreError>> =
        links.iter().map(|l| check_link(l, &mut contacts, &persons)).collect();
    // Every new person of the batch in one statement, then every link in one more.
    let firsts = links
        .iter()
        .zip(&checked)
        .filter(|(_, c)| matches!(c, Ok((_, None))))
        .map(|(l, _)| json!({ "first_contact": l.contact }))
        .collect();
    let mut new_persons = create_persons(ctx, actor, firsts).await?.into_iter();
    let mut out: Vec<Result<PersonLink, StoreError>> = Vec::with_capacity(links.len());
    let mut rows = Vec::new();
    let mut slots = Vec::new();
    for (l, c) in links.iter().zip(checked) {
        match c {
            Err(e) => out.push(Err(e)),
            Ok((cid, person)) => {
                let person = person.or_else(|| new_persons.next()).ok_or_else(|| {
                    StoreError::Unavailable("fewer new persons than links wanting one".into())
                })?;
                slots.push(out.len());
                out.push(Err(StoreError::Unavailable("link not made".into())));
                rows.push(LinkRow { person, contact: (cid, l.contact.as_str()), link: &l.link });
            }
        }
    }
    for (slot, made) in slots.into_iter().zip(links_audited(ctx, actor, &rows).await?) {
        out[slot] = Ok(made);
    }
    Ok(out)
}

impl Store {
    /// Links a contact to a person, or to a new person when `person` is `None`. A contact has at
    /// most one active link: a second is a conflict.
    pub async fn link_contact(
        &self,
        actor: &Actor,
        contact: &str,
        person: Option<&str>,
        link: NewLink,
    ) -> Result<PersonLink, StoreError> {
        if link.how == LinkHow::Manual && link.reason.is_none() {
            return Err(invalid("reason", "a manual link needs a reason"));
        }
        let (actor, contact, person) =
            (actor.username.clone(), contact.to_string(), person.map(str::to_string));
        self.writer()
            .write(move |ctx| {
                Box::pin(async move { link_in(ctx, &actor, &contact, person.as_deref(), &link).await })
            })
            .await
    }

    /// Makes many links (the matcher's decisions for a burst of contacts) in one write: a few
    /// reads for all of them instead of several per link. Each link is checked as
    /// [`link_contact`](Self::link_contact) checks it and fails alone; the outer error means
    /// none was written.
    pub async fn link_contacts(
        &self,
        actor: &Actor,
        links: Vec<ContactLink>,
    ) -> Result<Vec<Result<PersonLink, StoreError>>, StoreError> {
        if let Some(l) = links.iter().find(|l| l.link.how == LinkHow::Manual && l.link.reason.is_none()) {
            return Err(invalid("reason", format!("a manual link needs a reason (contact {})", l.contact)));
        }
        let actor = actor.username.clone();
        self.writer().write(move |ctx| Box::pin(async move { link_many(ctx, &actor, &links).await })).await
    }

    /// Undoes a link: it stays on record, inactive, with who, when and why. The contact is left
    /// unlinked and the matcher will not relink it by itself (a person decided).
    pub async fn undo_link(
        &self,
        actor: &Actor,
        link_id: i64,
        reason: &str,
    ) -> Result<PersonLink, StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    // A retry of this person's own undo (same reason) answers with the ended link, not a conflict.
                    let ended = sqlx::query(
                        "SELECT ended_by, ended_reason FROM person_contacts WHERE id = $1 AND active = 0",
                    )
                    .bind(link_id)
                    .fetch_optional(&mut *ctx.conn)
                    .await?;
                    if let Some(row) = ended
                        && crate::rows::get_opt::<String>(&row, "ended_by")?.as_deref()
                            == Some(actor.as_str())
                        && crate::rows::get_opt::<String>(&row, "ended_reason")?.as_deref()
                            == Some(reason.as_str())
                    {
                        return link_by_id(ctx, link_id).await;
                    }
                    let (person_id, contact) = end_link(ctx, &actor, link_id, &reason).await?;
                    let row = sqlx::query("SELECT reference FROM persons WHERE id = $1")
                        .bind(person_id)
                        .fetch_one(&mut *ctx.conn)
                        .await?;
                    let person: String = get(&row, "reference")?;
                    ctx.audit(combination(
                        &actor,
                        &person,
                        format!("unlinked contact {contact}"),
                        Some(&reason),
                    ))
                    .await?;
                    link_by_id(ctx, link_id).await
                })
            })
            .await
    }

    /// Merges `from` into `into`: every active link of `from` moves (old link ended, new one
    /// made), its markers move, and `from` is marked merged. Returns the surviving person.
    pub async fn merge_persons(
        &self,
        actor: &Actor,
        from: &str,
        into: &str,
        reason: &str,
    ) -> Result<Person, StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        if from == into {
            return Err(invalid("into", "a person cannot be merged into themselves"));
        }
        let (actor, from, into) = (actor.username.clone(), from.to_string(), into.to_string());
        self.writer()
            .write(move |ctx| Box::pin(async move { merge_in(ctx, &actor, &from, &into, &reason).await }))
            .await
    }

    /// Splits `contacts` off `from` into a new person. Returns the new person.
    pub async fn split_person(
        &self,
        actor: &Actor,
        from: &str,
        contacts: Vec<String>,
        reason: &str,
        idempotency: Option<crate::contacts::Idempotency>,
    ) -> Result<(Person, bool), StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        if contacts.is_empty() {
            return Err(invalid("contacts", "name at least one contact to move"));
        }
        let (actor, from) = (actor.username.clone(), from.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    if let Some(p) = replay(ctx, &actor, idempotency.as_ref()).await? {
                        return Ok((p, true));
                    }
                    let source = person_for_change(ctx, &from).await?;
                    let target = create_person(ctx, &actor, json!({ "split_from": from })).await?;
                    let moved =
                        move_links(ctx, &actor, &source, &target, Some(&contacts), LinkHow::Split, &reason)
                            .await?;
                    if moved.len() != contacts.len() {
                        let missing: Vec<&String> = contacts.iter().filter(|c| !moved.contains(c)).collect();
                        return Err(invalid(
                            "contacts",
                            format!(
                                "not linked to {from}: {}",
                                missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                    let data = json!({ "from": from, "to": target.reference, "contacts": moved });
                    log(ctx, source.id, &actor, "split", Some(&reason), data.clone()).await?;
                    log(ctx, target.id, &actor, "split_from", Some(&reason), data).await?;
                    ctx.audit(combination(
                        &actor,
                        &from,
                        format!("split {} contacts off {from} into {}", moved.len(), target.reference),
                        Some(&reason),
                    ))
                    .await?;
                    remember(ctx, &actor, idempotency.as_ref(), &target).await?;
                    Ok((target, false))
                })
            })
            .await
    }

    /// Creates one person per cluster and links its contacts (`batch`), in one transaction, with
    /// one combination audit entry for the whole batch. For imports and seeded history.
    pub async fn link_batch(
        &self,
        actor: &Actor,
        clusters: Vec<Vec<BatchMember>>,
    ) -> Result<Vec<Person>, StoreError> {
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let clusters: Vec<&Vec<BatchMember>> =
                        clusters.iter().filter(|c| !c.is_empty()).collect();
                    let members: Vec<&str> =
                        clusters.iter().flat_map(|c| c.iter().map(|m| m.contact.as_str())).collect();
                    let found = contacts_for_links(ctx, &members).await?;
                    let data = clusters.iter().map(|c| json!({ "batch": c.len() })).collect();
                    let persons = create_persons(ctx, &actor, data).await?;
                    let how: Vec<NewLink> = clusters
                        .iter()
                        .flat_map(|c| c.iter())
                        .map(|m| NewLink {
                            how: LinkHow::Batch,
                            weight: m.weight,
                            explanation: None,
                            reason: None,
                        })
                        .collect();
                    let mut rows = Vec::with_capacity(how.len());
                    let mut how_each = how.iter();
                    for (person, cluster) in persons.iter().zip(&clusters) {
                        for (m, link) in cluster.iter().zip(how_each.by_ref()) {
                            let (cid, _, _) = found.get(&m.contact).ok_or_else(|| StoreError::NotFound {
                                what: format!("contact {}", m.contact),
                            })?;
                            rows.push(LinkRow {
                                person: person.clone(),
                                contact: (*cid, m.contact.as_str()),
                                link,
                            });
                        }
                    }
                    let links = insert_links(ctx, &actor, &rows).await?.len();
                    if !persons.is_empty() {
                        ctx.audit(combination(
                            &actor,
                            "batch",
                            format!(
                                "batch linking: {links} contacts into {} persons ({} to {})",
                                persons.len(),
                                persons.first().map(|p| p.reference.as_str()).unwrap_or(""),
                                persons.last().map(|p| p.reference.as_str()).unwrap_or("")
                            ),
                            None,
                        ))
                        .await?;
                    }
                    Ok(persons)
                })
            })
            .await
    }

    /// Reads a person (merged ones too, with `merged_into` set) without auditing: no personal data.
    pub async fn get_person(&self, reference: &str) -> Result<Person, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.reference = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(reference)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("person {reference}") })?;
        person_from_row(&row)
    }
}

/// Moves active links (all, or only those of `only`) from `source` to `target`; returns the
/// contact references moved.
async fn move_links(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    source: &Person,
    target: &Person,
    only: Option<&[String]>,
    how: LinkHow,
    reason: &str,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(
        "SELECT l.id, l.contact_id, l.weight, l.explanation, c.reference FROM person_contacts l \
         JOIN contacts c ON c.id = l.contact_id WHERE l.person_id = $1 AND l.active = 1 ORDER BY l.id",
    )
    .bind(source.id)
    .fetch_all(&mut *ctx.conn)
    .await?;
    let mut moved = Vec::new();
    for row in rows {
        let contact: String = get(&row, "reference")?;
        if only.is_some_and(|o| !o.contains(&contact)) {
            continue;
        }
        let link_id: i64 = get(&row, "id")?;
        let cid: i64 = get(&row, "contact_id")?;
        end_link(ctx, actor, link_id, reason).await?;
        let link = NewLink { how, weight: None, explanation: None, reason: Some(reason.to_string()) };
        insert_link(ctx, actor, target, (cid, &contact), &link).await?;
        moved.push(contact);
    }
    Ok(moved)
}
