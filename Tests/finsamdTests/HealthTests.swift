import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import TestSupport
import Testing

@testable import finsamd

@Suite struct HealthTests {
    func settings(_ database: ConnectionConfiguration) -> DaemonConfiguration {
        DaemonConfiguration(host: "127.0.0.1", port: 0, poolSize: 2, logLevel: .warning, database: database, nightlyDatabase: database.setting("user", "finsam_nightly"))
    }

    @Test func healthIsOkOnAMigratedDatabase() async throws {
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            _ = try await Migrator().migrate(on: c)
            await c.close()
            // The daemon logs in as the application role.
            let pool = ConnectionPool(configuration: configuration.setting("user", "finsam_app"), options: .init(maximumConnections: 2))
            let app = buildApplication(settings: settings(configuration), pool: pool, logger: Logger(label: "test"))
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.body.readableBytesView))
                    #expect(report.status == "ok")
                    #expect(report.database.reachable)
                    #expect(report.database.schemaVersion == Migration.latestVersion)
                }
            }
            await pool.close()
        }
    }

    @Test func healthSaysWhenTheSchemaIsBehind() async throws {
        try await TestDatabase.withDatabase { configuration in
            let pool = ConnectionPool(configuration: configuration, options: .init(maximumConnections: 1))
            let app = buildApplication(settings: settings(configuration), pool: pool, logger: Logger(label: "test"))
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.body.readableBytesView))
                    #expect(report.status == "schema-mismatch")
                    #expect(report.database.schemaVersion == 0)
                }
            }
            await pool.close()
        }
    }

    @Test func healthSaysWhenTheDatabaseIsUnreachable() async throws {
        var unreachable = ConnectionConfiguration("postgresql://nobody@/nowhere?host=/nonexistent")
        unreachable.connectTimeoutSeconds = 2
        let pool = ConnectionPool(configuration: unreachable, options: .init(minimumConnections: 0, maximumConnections: 1))
        let app = buildApplication(settings: settings(unreachable), pool: pool, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.body.readableBytesView))
                #expect(report.database.reachable == false)
                #expect(report.status == "database-unreachable")
            }
        }
        await pool.close()
    }
}
