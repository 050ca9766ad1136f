public import FinsamCore
public import Foundation
public import Postgres

/// What `GET /health` reports: whether the database answers and whether its schema is the one this build expects.
public struct HealthReport: Sendable, Codable, Equatable {
    public var status: String
    public var database: DatabaseHealth

    public struct DatabaseHealth: Sendable, Codable, Equatable {
        public var reachable: Bool
        /// The highest migration applied to the database (nil when it could not be read).
        public var schemaVersion: Int?
        /// The highest migration this build knows.
        public var expectedSchemaVersion: Int
        public var serverVersion: String?
        /// Why the database is not healthy, in a form safe to show (SQLSTATE and kind, no values).
        public var problem: String?
    }

    /// The daemon's nightly job, when it runs one: counts only, no federation's data. A difference in the books
    /// is not ill health of the service, so it does not change `status`; monitoring can alert on it.
    public var nightly: NightlyHealth?

    public var isHealthy: Bool { status == "ok" }

    public init(status: String, database: DatabaseHealth, nightly: NightlyHealth? = nil) {
        self.status = status
        self.database = database
        self.nightly = nightly
    }
}

/// What the last nightly run found, and when the next one starts.
public struct NightlyHealth: Sendable, Codable, Equatable {
    public var nextRunAt: Date?
    public var lastRunAt: Date?
    /// The date the last run reconciled.
    public var lastRunDate: CalendarDate?
    public var filesRead: Int
    public var filesRejected: Int
    public var federationsChecked: Int
    public var federationsDiffering: Int
    /// Why the last run failed as a whole (the database away), if it did.
    public var failure: String?

    public init(
        nextRunAt: Date? = nil, lastRunAt: Date? = nil, lastRunDate: CalendarDate? = nil, filesRead: Int = 0, filesRejected: Int = 0,
        federationsChecked: Int = 0, federationsDiffering: Int = 0, failure: String? = nil
    ) {
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.lastRunDate = lastRunDate
        self.filesRead = filesRead
        self.filesRejected = filesRejected
        self.federationsChecked = federationsChecked
        self.federationsDiffering = federationsDiffering
        self.failure = failure
    }

    /// The counts of a finished run.
    public mutating func record(_ report: NightlyRunReport, at moment: Date) {
        lastRunAt = moment
        lastRunDate = report.date
        filesRead = report.files.filter { $0.summary != nil }.count
        filesRejected = report.files.filter { $0.error != nil }.count
        federationsChecked = report.reconciliations.count + report.failures.count
        // A federation whose books could not be checked counts as differing: monitoring must alert on it.
        federationsDiffering = report.reconciliations.filter { !$0.agrees }.count + report.failures.count
        failure = nil
    }
}

public enum HealthCheck {
    /// Asks the database, within `timeout`. Never throws: a failure is part of the report.
    public static func run(pool: ConnectionPool, timeout: Duration = .seconds(3)) async -> HealthReport {
        let expected = Migration.latestVersion
        do {
            let (schema, server) = try await pool.withConnection { c in
                let schema = try await Migrator.currentVersion(on: c)
                let server = try await c.query("SELECT current_setting('server_version')", timeout: timeout).scalar(String.self)
                return (schema, server)
            }
            let current = schema == expected
            return HealthReport(
                status: current ? "ok" : "schema-mismatch",
                database: .init(
                    reachable: true, schemaVersion: schema, expectedSchemaVersion: expected, serverVersion: server,
                    problem: current ? nil : "schema version \(schema), expected \(expected): the database needs migrating"))
        } catch {
            return HealthReport(
                status: "database-unreachable",
                database: .init(
                    reachable: false, schemaVersion: nil, expectedSchemaVersion: expected, serverVersion: nil,
                    problem: "\(error)"))
        }
    }
}
