use crate::harness::{TestStore, handler, new_contact};
use fc_store::audit::{AuditAction, AuditEntry, AuditQuery};

crate::contract!(chain_verifies_and_refuses_edits, search_filters, sqlite_is_durable);

fn entry(i: usize) -> AuditEntry {
    AuditEntry {
        actor: "auditor1".into(),
        action: if i.is_multiple_of(2) { AuditAction::Consultation } else { AuditAction::Disclosure },
        record_type: "contact".into(),
        record_id: format!("FC-20261122-{i:06}"),
        detail: format!("entry {i}"),
        justification: (i % 2 == 1).then(|| "court order".to_string()),
    }
}

async fn chain_verifies_and_refuses_edits(t: TestStore) {
    let s = &t.store;
    s.audit((0..20).map(entry).collect()).await.expect("append");
    s.create_contact(&handler(), new_contact("999", "X"), None).await.expect("create");
    let report = s.verify_audit().await.expect("verify");
    assert_eq!((report.entries, report.first_broken), (21, None));

    // The product cannot alter the log: the database refuses, whoever asks.
    let raw = raw_pool(&t.url).await;
    let edit =
        sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 5").execute(&raw).await;
    assert!(edit.is_err(), "an UPDATE on the audit log must be refused");
    let delete = sqlx::query("DELETE FROM audit_log WHERE seq = 21").execute(&raw).await;
    assert!(delete.is_err(), "a DELETE on the audit log must be refused");

    // Someone with the database itself disables the guard and edits entry 5: verify finds it.
    let drop_guard = if s.backend() == fc_store::Backend::Sqlite {
        "DROP TRIGGER audit_log_no_update"
    } else {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
    };
    sqlx::query(drop_guard).execute(&raw).await.expect("drop guard");
    sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 5")
        .execute(&raw)
        .await
        .expect("tamper");
    let report = s.verify_audit().await.expect("verify");
    assert_eq!(report.first_broken, Some(5), "{report:?}");
}

async fn search_filters(t: TestStore) {
    let s = &t.store;
    s.audit((0..10).map(entry).collect()).await.expect("append");
    let disclosures = s
        .search_audit(&AuditQuery { action: Some(AuditAction::Disclosure), limit: 100, ..Default::default() })
        .await
        .expect("search");
    assert_eq!(disclosures.len(), 5);
    assert!(disclosures.iter().all(|d| d.justification.as_deref() == Some("court order")));
    assert!(disclosures.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    let page = s
        .search_audit(&AuditQuery { before_seq: Some(disclosures[1].seq), limit: 2, ..Default::default() })
        .await
        .expect("page");
    assert!(page.iter().all(|p| p.seq < disclosures[1].seq));
}

async fn sqlite_is_durable(t: TestStore) {
    match t.store.sqlite_durability().await.expect("pragma") {
        Some((mode, sync)) => {
            assert_eq!(mode, "wal");
            assert_eq!(sync, 2, "synchronous=FULL");
        }
        None => assert_eq!(t.store.backend(), fc_store::Backend::Postgres),
    }
}

async fn raw_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url).await.expect("raw connection")
}
