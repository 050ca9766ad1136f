import Logging
import Postgres
import ServiceLifecycle

/// Opens the pool's first connections at start (a missing database is logged, not fatal: /health reports it) and
/// closes the pool once the server has stopped taking requests, on SIGTERM or SIGINT.
struct DatabasePoolService: Service {
    let pool: ConnectionPool
    let logger: Logger

    func run() async throws {
        do {
            try await pool.warmUp()
            logger.info("database pool ready", metadata: ["maxConnections": "\(pool.options.maximumConnections)"])
        } catch {
            logger.error("database not reachable at start", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        await pool.close()
        logger.info("database pool closed")
    }
}
