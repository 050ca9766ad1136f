import FinsamService
import Hummingbird
import Logging
import Postgres
import ServiceLifecycle

/// The daemon's HTTP application, built apart from `main` so that tests can drive it.
func buildApplication(settings: DaemonConfiguration, pool: ConnectionPool, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    router.middlewares.add(LogRequestsMiddleware(.debug))
    HealthController(pool: pool).addRoutes(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "finsamd"),
        // Shut down in reverse order: the nightly job stops before the pool it uses closes.
        services: [DatabasePoolService(pool: pool, logger: logger)]
            + (settings.nightly.map { schedule -> [any Service] in
                [NightlyService(schedule: schedule, job: NightlyRun(Database(pool: pool), dropFolder: settings.dropFolder), logger: logger)]
            } ?? []),
        onServerRunning: { channel in
            logger.notice("finsamd lyssnar", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger
    )
}
