import FinsamService
import Hummingbird
import Logging
import Postgres
import ServiceLifecycle

/// The daemon's HTTP application, built apart from `main` so that tests can drive it.
func buildApplication(
    settings: DaemonConfiguration, pool: ConnectionPool, nightlyPool: ConnectionPool? = nil, logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: FinsamRequestContext.self)
    router.middlewares.add(LogRequestsMiddleware(.debug))
    // Every service error a route throws is answered as RFC 9457 problem details (issue 16).
    router.middlewares.add(ProblemDetailsMiddleware())
    let database = Database(pool: pool)
    router.middlewares.add(SignedInMiddleware(sessions: Sessions(database)))
    let api = DocumentedRoutes(router)
    SessionController(sessions: Sessions(database), secureCookies: settings.secureCookies, lifetimeSeconds: Sessions.defaultLifetime)
        .addRoutes(to: api)
    DisbursementController(disbursements: Disbursements(database)).addRoutes(to: api)
    ReportController(incomeStatements: IncomeStatementReport(database)).addRoutes(to: api)
    router.get("/api/v1/openapi.json") { _, _ in OpenAPIDocument.response() }
    let nightly = settings.nightly.map { (schedule: $0, status: NightlyStatus()) }
    HealthController(pool: pool, nightly: nightly?.status).addRoutes(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "finsamd"),
        // Shut down in reverse order: the nightly job stops before the pool it uses closes.
        services: [DatabasePoolService(pool: pool, logger: logger)]
            + (nightlyPool.map { [DatabasePoolService(pool: $0, logger: logger)] } ?? [])
            + (nightly.map { nightly -> [any Service] in
                [NightlyService(schedule: nightly.schedule, job: NightlyRun(Database(pool: nightlyPool ?? pool), dropFolder: settings.dropFolder),
                    status: nightly.status, logger: logger)]
            } ?? []),
        onServerRunning: { channel in
            logger.notice("finsamd lyssnar", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger
    )
}
