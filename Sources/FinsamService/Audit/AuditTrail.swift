public import FinsamCore
public import Foundation
import Postgres

/// One record of a federation's audit trail, as `finsam audit list` shows it.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var useCase: String
    public var request: String?
    public var subjectCount: Int
    /// How many rows (vouchers, members …) of each table the change wrote.
    public var tables: [String: Int]
    /// Settings and roles: each row before and after the change (JSON; nil where it did not exist).
    public var changes: [AuditValueChange]
    /// The record's hash (hex).
    public var hash: String
}

public struct AuditValueChange: Sendable, Codable, Equatable {
    public var table: String
    public var key: String
    public var before: String?
    public var after: String?
}

/// What `verify` found wrong: at a record (its number) or in a row that no record accounts for.
public struct AuditProblem: Sendable, Codable, Equatable {
    /// The record the problem is found at; nil for a row no record names.
    public var sequence: Int64?
    /// `audit.record-missing`, `audit.chain-broken`, `audit.record-changed`, `audit.subjects-changed`,
    /// `audit.row-changed`, `audit.row-unrecorded`, `audit.change-unsealed`.
    public var code: String
    public var message: String
}

public struct AuditVerification: Sendable, Codable, Equatable {
    public var federation: String
    public var records: Int
    /// The last record's hash (hex): written down elsewhere (the board's minutes), it anchors the chain.
    public var head: String?
    /// In the order of the records; the first is the first broken one.
    public var problems: [AuditProblem]
    public var intact: Bool { problems.isEmpty }
}

/// A federation's audit trail: every change, who made it, and proof that nothing was rewritten afterwards.
public struct AuditTrail: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The records of the federation, oldest first: since a date (Swedish time), by one actor.
    public func list(in federation: String, since: CalendarDate? = nil, actor: String? = nil, by user: User) async throws -> [AuditRecord] {
        try await database.read(user, .auditRead, in: federation) { c in
            let chain = try await FederationStore.federationID(c, federation)
            var records = try await c.query(
                """
                SELECT sequence, at, actor, use_case, request, subject_count, encode(hash, 'hex') AS hash FROM audit_record
                WHERE chain = $1 AND ($2::date IS NULL OR at >= ($2::date::timestamp AT TIME ZONE 'Europe/Stockholm'))
                  AND ($3::text IS NULL OR actor = $3)
                ORDER BY sequence
                """, [chain, since.map(PostgresDate.init), actor]
            ).rows.map { row in
                AuditRecord(
                    sequence: try row.decode(Int64.self, "sequence"), at: try row.decode(Date.self, "at"),
                    actor: try row.decode(String.self, "actor"), useCase: try row.decode(String.self, "use_case"),
                    request: try row.decode(String?.self, "request"), subjectCount: try row.decode(Int.self, "subject_count"),
                    tables: [:], changes: [], hash: try row.decode(String.self, "hash"))
            }
            let index = Dictionary(uniqueKeysWithValues: records.indices.map { (records[$0].sequence, $0) })
            for row in try await c.query(
                """
                SELECT sequence, table_name, count(*)::int AS rows FROM audit_subject
                WHERE chain = $1 AND sequence = ANY($2) GROUP BY sequence, table_name
                """, [chain, records.map(\.sequence)]
            ).rows {
                guard let at = index[try row.decode(Int64.self, "sequence")] else { continue }
                records[at].tables[try row.decode(String.self, "table_name")] = try row.decode(Int.self, "rows")
            }
            for row in try await c.query(
                """
                SELECT sequence, table_name, row_key::text AS key, before::text AS before, after::text AS after FROM audit_subject
                WHERE chain = $1 AND sequence = ANY($2) AND (before IS NOT NULL OR after IS NOT NULL)
                ORDER BY sequence, table_name, row_key::text
                """, [chain, records.map(\.sequence)]
            ).rows {
                guard let at = index[try row.decode(Int64.self, "sequence")] else { continue }
                records[at].changes.append(AuditValueChange(
                    table: try row.decode(String.self, "table_name"), key: try row.decode(String.self, "key"),
                    before: try row.decode(String?.self, "before"), after: try row.decode(String?.self, "after")))
            }
            return records
        }
    }

    /// Recomputes the federation's chain and the digests of the rows its records name, and says what no longer
    /// agrees: a record changed, removed or inserted (even by the database's owner, with the triggers disabled), a
    /// row changed or deleted since its last record, a row no record names, a change committed without a record.
    public func verify(_ federation: String, by user: User) async throws -> AuditVerification {
        try await database.read(user, .auditRead, in: federation) { c in
            let chain = try await FederationStore.federationID(c, federation)
            var subjects: [Int64: [AuditSubject]] = [:]
            for row in try await c.query(
                """
                SELECT sequence, table_name, row_key::text AS key, digest, before::text AS before, after::text AS after
                FROM audit_subject WHERE chain = $1
                """, [chain]
            ).rows {
                subjects[try row.decode(Int64.self, "sequence"), default: []].append(AuditSubject(
                    table: try row.decode(String.self, "table_name"), key: try row.decode(String.self, "key"),
                    digest: try row.decode(String.self, "digest"), before: try row.decode(String?.self, "before"),
                    after: try row.decode(String?.self, "after")))
            }
            var problems: [AuditProblem] = []
            var previous: (sequence: Int64, hash: Data)?
            var count = 0
            for row in try await c.query(
                """
                SELECT sequence, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, use_case, request,
                       subject_count, previous_hash, hash, content
                FROM audit_record WHERE chain = $1 ORDER BY sequence
                """, [chain]
            ).rows {
                count += 1
                let sequence = try row.decode(Int64.self, "sequence")
                let previousHash = try row.decode(Data.self, "previous_hash"), hash = try row.decode(Data.self, "hash")
                let text = try row.decode(String.self, "content")
                func problem(_ code: String, _ message: String) {
                    problems.append(AuditProblem(sequence: sequence, code: "audit." + code, message: "post \(sequence): " + message))
                }
                let expected = (previous?.sequence ?? 0) + 1
                if sequence != expected {
                    problem("record-missing", sequence > expected
                        ? "kedjan hoppar från post \(expected - 1) till \(sequence); det som låg emellan har tagits bort"
                        : "numret följer inte post \(expected - 1)")
                } else if previousHash != (previous?.hash ?? AuditHash.genesis) {
                    problem("chain-broken", "den följer inte post \(expected - 1): en post har tagits bort, lagts till eller ändrats här")
                }
                if AuditHash.record(previous: previousHash, content: text) != hash {
                    problem("record-changed", "innehållet stämmer inte med postens hash: posten har ändrats")
                } else if let content = try? AuditContent(parsing: text) {
                    let found = subjects[sequence] ?? []
                    let columns = (try row.decode(String.self, "actor"), try row.decode(String.self, "use_case"),
                                   try row.decode(String?.self, "request"), try row.decode(String.self, "at"),
                                   try row.decode(Int.self, "subject_count"))
                    if content.chain != chain || content.sequence != sequence || content.actor != columns.0
                        || content.useCase != columns.1 || content.request != columns.2 || content.at != columns.3
                        || content.subjectCount != columns.4 {
                        problem("record-changed", "postens kolumner säger inte detsamma som dess innehåll: posten har ändrats")
                    } else if found.count != content.subjectCount || AuditHash.subjects(found) != content.subjects {
                        problem("subjects-changed", "raderna posten nämner stämmer inte med posten: de har ändrats, tagits bort eller lagts till")
                    }
                } else {
                    problem("record-changed", "innehållet går inte att läsa")
                }
                previous = (sequence, hash)
            }
            for row in try await c.query("SELECT table_name, row_key, sequence FROM finsam_audit_changed_rows($1)", [chain]).rows {
                let sequence = try row.decode(Int64.self, "sequence")
                problems.append(AuditProblem(sequence: sequence, code: "audit.row-changed",
                    message: "post \(sequence): \(try row.decode(String.self, "table_name")) \(try row.decode(String.self, "row_key")) "
                        + "är inte längre som posten skrev den: ändrad eller borttagen utan post i granskningsloggen"))
            }
            for row in try await c.query("SELECT table_name, row_key FROM finsam_audit_unsealed($1)", [chain]).rows {
                problems.append(AuditProblem(sequence: nil, code: "audit.change-unsealed",
                    message: "\(try row.decode(String.self, "table_name")) \(try row.decode(String.self, "row_key")) "
                        + "ändrades utan post i granskningsloggen"))
            }
            for row in try await c.query("SELECT table_name, row_key FROM finsam_audit_unrecorded_rows($1, 20)", [chain]).rows {
                problems.append(AuditProblem(sequence: nil, code: "audit.row-unrecorded",
                    message: "\(try row.decode(String.self, "table_name")) \(try row.decode(String.self, "row_key")) "
                        + "finns men ingen post i granskningsloggen nämner den"))
            }
            let ordered = problems.enumerated().sorted {
                ($0.element.sequence ?? .max, $0.offset) < ($1.element.sequence ?? .max, $1.offset)
            }.map(\.element)
            return AuditVerification(
                federation: federation, records: count, head: previous.map { AuditHash.hex($0.hash) }, problems: ordered)
        }
    }
}
