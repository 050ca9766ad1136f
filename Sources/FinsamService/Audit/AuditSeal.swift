import FinsamCore
import Foundation
import Postgres

/// The SQL of the audit trail's records.
enum AuditStore {
    /// Seals what the use case changed into the audit trail, before it commits: one record per federation it touched,
    /// chained to that federation's last record (schema/019). Changes nothing and writes nothing when nothing changed.
    ///
    /// The database noted the keys written (its statement triggers) and gives their digests as the rows now stand;
    /// this takes the chain's head under its lock, writes the record with its hash and its subjects, and clears the
    /// notes. A transaction of the application role that skipped this could not commit.
    static func seal(_ c: isolated Connection, _ useCase: UseCase, by user: User) async throws {
        let pending = try await c.query(
            "SELECT chain, federation, table_name, row_key, digest, before, after, at FROM finsam_audit_pending()"
        ).rows
        guard !pending.isEmpty else { return }
        var chains: [Int64: (federation: String?, at: String, subjects: [AuditSubject])] = [:]
        for row in pending {
            let chain = try row.decode(Int64.self, "chain")
            let subject = AuditSubject(
                table: try row.decode(String.self, "table_name"), key: try row.decode(String.self, "row_key"),
                digest: try row.decode(String.self, "digest"), before: try row.decode(String?.self, "before"),
                after: try row.decode(String?.self, "after"))
            let federation = try row.decode(String?.self, "federation"), at = try row.decode(String.self, "at")
            chains[chain, default: (federation, at, [])].subjects.append(subject)
        }
        // In the order of the chains, so that two transactions touching the same federations cannot deadlock.
        for (chain, pending) in chains.sorted(by: { $0.key < $1.key }) {
            let head = try await c.query("SELECT sequence, hash FROM finsam_audit_head($1)", [chain]).rows.first
            let previous = try head.map { try $0.decode(Data.self, "hash") } ?? AuditHash.genesis
            let content = AuditContent(
                chain: chain, federation: pending.federation, sequence: (try head.map { try $0.decode(Int64.self, "sequence") } ?? 0) + 1,
                at: pending.at, actor: user.name, useCase: useCase.rawValue, request: user.request,
                subjectCount: pending.subjects.count, subjects: AuditHash.subjects(pending.subjects))
            let text = try content.canonicalText()
            try await c.query(
                """
                INSERT INTO audit_record (chain, sequence, at, actor, use_case, request, subject_count, previous_hash, hash, content)
                VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8, $9, $10)
                """,
                [chain, content.sequence, content.at, content.actor, content.useCase, content.request, content.subjectCount,
                 previous, AuditHash.record(previous: previous, content: text), text])
            try await c.query(
                """
                INSERT INTO audit_subject (chain, sequence, table_name, row_key, digest, before, after)
                SELECT $1, $2, s.t, s.k::jsonb, s.d, s.b::jsonb, s.a::jsonb
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS s(t, k, d, b, a)
                """,
                [chain, content.sequence, pending.subjects.map(\.table), pending.subjects.map(\.key),
                 pending.subjects.map(\.digest), pending.subjects.map(\.before), pending.subjects.map(\.after)])
        }
        try await c.query("SELECT finsam_audit_sealed()")
    }
}
