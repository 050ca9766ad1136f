import FinsamService
import Hummingbird
import Logging
import Postgres

/// The daemon's HTTP application, built apart from `main` so that tests can drive it.
func buildApplication(settings: DaemonConfiguration, pool: ConnectionPool, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    router.middlewares.add(LogRequestsMiddleware(.debug))
    HealthController(pool: pool).addRoutes(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "finsamd"),
        services: [DatabasePoolService(pool: pool, logger: logger)],
        onServerRunning: { channel in
            logger.notice("finsamd lyssnar", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger
    )
}
