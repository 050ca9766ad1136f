import FinsamService
import Postgres

/// A test's database with the schema and the demo county, set up as the operator would, before a daemon runs on it.
enum DemoCountyDatabase {
    /// Migrates, loads the demo county, then runs `setUp` as the operator (users, tokens …) and returns what it made.
    static func prepare<Prepared: Sendable>(
        _ configuration: ConnectionConfiguration, setUp: @Sendable (Database) async throws -> Prepared
    ) async throws -> Prepared {
        let c = try await Connection.connect(configuration)
        _ = try await Migrator().migrate(on: c)
        await c.close()
        let operatorPool = ConnectionPool(configuration: configuration.setting("user", "finsam_operator"), options: .init(maximumConnections: 2))
        do {
            _ = try await DemoData(Database(pool: operatorPool)).load(by: .operator("test"))
            let prepared = try await setUp(Database(pool: operatorPool))
            await operatorPool.close()
            return prepared
        } catch {
            await operatorPool.close()
            throw error
        }
    }

    /// An API token of `user`, made by the operator.
    static func token(for user: String) -> @Sendable (Database) async throws -> String {
        { database in try await Credentials(database).createToken(for: user, name: "test", expires: nil, by: .operator("test")).secret }
    }
}
