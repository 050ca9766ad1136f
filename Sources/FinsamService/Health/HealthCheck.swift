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

    public var isHealthy: Bool { status == "ok" }
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
                    problem: current ? nil : "schema version \(schema), expected \(expected): run finsam migrate"))
        } catch {
            return HealthReport(
                status: "database-unreachable",
                database: .init(
                    reachable: false, schemaVersion: nil, expectedSchemaVersion: expected, serverVersion: nil,
                    problem: "\(error)"))
        }
    }
}
