public import Foundation
public import Postgres

/// A database of its own for each test, on the private cluster that `scripts/test` starts.
///
/// `scripts/test` exports `FINSAM_TEST_DATABASE_URL` (the cluster's superuser URL). Each test creates a database
/// with a random name, uses it, and drops it, so that tests run in parallel and leave nothing behind.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "FINSAM_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a private PostgreSQL"
        }
    }

    public static func adminConfiguration() throws -> ConnectionConfiguration {
        guard let url = ProcessInfo.processInfo.environment["FINSAM_TEST_DATABASE_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return ConnectionConfiguration(url)
    }

    /// Creates an empty database (optionally from a template), runs `body` with its configuration, drops it.
    public static func withDatabase<T>(
        template: String? = nil,
        _ body: (ConnectionConfiguration) async throws -> T
    ) async throws -> T {
        let admin = try adminConfiguration()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let connection = try await Connection.connect(admin.database("postgres"))
        // Migrations 001 and 021 create the cluster-wide roles finsam_app, finsam_operator and finsam_nightly. Tests migrate their databases many at once; on a new
        // cluster their 001s would all create it in the same moment, and one that waited on another's CREATE ROLE
        // can miss the role in its next statement (42704). Made here, in a statement of its own, 001 finds it.
        for role in ["finsam_app", "finsam_operator", "finsam_nightly"] {
            try await connection.execute(script: """
                DO $$ BEGIN
                    CREATE ROLE \(role) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """)
        }
        try await connection.execute(script: """
            DO $$ BEGIN
                GRANT finsam_app TO finsam_operator, finsam_nightly;
            EXCEPTION WHEN unique_violation THEN NULL;
            END $$
            """)
        try await connection.execute(
            script: "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \(quoteIdentifier($0))" } ?? ""))
        do {
            let value = try await body(admin.database(name))
            try await connection.execute(script: "DROP DATABASE \(name) WITH (FORCE)")
            await connection.close()
            return value
        } catch {
            try? await connection.execute(script: "DROP DATABASE \(name) WITH (FORCE)")
            await connection.close()
            throw error
        }
    }

    /// A connection to a fresh database, closed afterwards.
    public static func withConnection<T>(_ body: (Connection) async throws -> T) async throws -> T {
        try await withDatabase { configuration in
            let connection = try await Connection.connect(configuration)
            do {
                let value = try await body(connection)
                await connection.close()
                return value
            } catch {
                await connection.close()
                throw error
            }
        }
    }

    /// The project's root folder (for scripts/ and schema/), found from this file's place in Tests/.
    public static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
