public import FinsamCore
public import Foundation
import Postgres

/// A night's reconciliation of one federation as it was kept (schema/028): when it ran, whether the books agreed,
/// which checks did not, or why the books could not be checked at all.
public struct NightlyReconciliation: Sendable, Codable, Equatable {
    public var federation: String
    /// The day the night's run checked the books at.
    public var date: CalendarDate
    public var checkedAt: Date
    public var agrees: Bool
    public var differing: [ReconciliationCheck.Kind]
    public var failure: String?
}

/// What the nightly runs found, per federation and night. The nightly job records (`NightlyRun`); everyone who may
/// reconcile a federation reads its latest night.
public struct NightlyResults: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The federation's latest night, nil before the first.
    public func latest(in federation: String, by user: User) async throws -> NightlyReconciliation? {
        try await database.read(user, .reconcile, in: federation) { c in
            guard let row = try await c.query(
                """
                SELECT run_date, checked_at, agrees, differing, failure FROM reconciliation_result
                WHERE federation_id = $1 ORDER BY run_date DESC LIMIT 1
                """, [try await FederationStore.federationID(c, federation)]).first
            else { return nil }
            return NightlyReconciliation(
                federation: federation, date: try row.decode(PostgresDate.self, "run_date").calendarDate(),
                checkedAt: try row.decode(Date.self, "checked_at"), agrees: try row.decode(Bool.self, "agrees"),
                differing: try row.decode([String].self, "differing").map { try ReconciliationCheck.Kind.stored(rawValue: $0) },
                failure: try row.decode(String?.self, "failure"))
        }
    }

    /// Keeps what a night found for one federation: its report, or why it could not be checked. The same night run
    /// again replaces its row.
    func record(_ federation: String, date: CalendarDate, report: ReconciliationReport?, failure: String?, by user: User) async throws {
        let differing = report?.checks.filter { !$0.agrees }.map(\.kind.rawValue) ?? []
        let json = try report.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await database.write(user, .nightlyRun, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            try await c.query(
                """
                INSERT INTO reconciliation_result (federation_id, run_date, agrees, differing, failure, report)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb)
                ON CONFLICT (federation_id, run_date) DO UPDATE
                SET checked_at = now(), agrees = excluded.agrees, differing = excluded.differing,
                    failure = excluded.failure, report = excluded.report
                """, [federationID, PostgresDate(date), failure == nil && differing.isEmpty, differing, failure, json])
        }
    }
}
