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
    let metrics = DaemonMetrics()
    router.middlewares.add(LogRequestsMiddleware(.debug))
    router.middlewares.add(RequestMetricsMiddleware(metrics: metrics))
    // Every service error a route throws is answered as RFC 9457 problem details (issue 16).
    router.middlewares.add(ProblemDetailsMiddleware())
    let database = Database(pool: pool)
    router.middlewares.add(SignedInMiddleware(sessions: Sessions(database)))
    router.middlewares.add(IdempotencyMiddleware(requests: IdempotentRequests(database)))
    addAPIRoutes(to: DocumentedRoutes(router), database: database, secureCookies: settings.secureCookies)
    router.get("/api/v1/openapi.json") { _, _ in OpenAPIDocument.response() }
    addPages(to: router, database: database, settings: settings)
    let nightly = settings.nightly.map { (schedule: $0, status: NightlyStatus()) }
    HealthController(pool: pool, nightly: nightly?.status).addRoutes(to: router)
    MetricsController(metrics: metrics, pools: [("requests", pool)] + (nightlyPool.map { [("nightly", $0)] } ?? []), nightly: nightly?.status)
        .addRoutes(to: router)
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

/// Every route under `/api/v1`, each controller calling the service as the signed-in user.
func addAPIRoutes(to api: DocumentedRoutes, database: Database, secureCookies: Bool) {
    SessionController(sessions: Sessions(database), secureCookies: secureCookies, lifetimeSeconds: Sessions.defaultLifetime).addRoutes(to: api)
    FederationController(database: database).addRoutes(to: api)
    MemberController(database: database).addRoutes(to: api)
    ChartController(database: database).addRoutes(to: api)
    LedgerController(vouchers: Vouchers(database)).addRoutes(to: api)
    ReportController(database: database).addRoutes(to: api)
    InvoiceController(database: database).addRoutes(to: api)
    BankController(database: database).addRoutes(to: api)
    DecisionController(decisions: FundingDecisions(database)).addRoutes(to: api)
    DisbursementController(disbursements: Disbursements(database)).addRoutes(to: api)
    SIEController(database: database).addRoutes(to: api)
    AuditController(database: database).addRoutes(to: api)
    UserController(users: Users(database)).addRoutes(to: api)
}

/// The web pages (issue 17): server-rendered HTML over the same service calls as the API.
func addPages(to router: Router<FinsamRequestContext>, database: Database, settings: DaemonConfiguration) {
    let pages = PageRenderer()
    SignInPages(pages: pages, sessions: Sessions(database), secureCookies: settings.secureCookies, demo: settings.demo).addRoutes(to: router)
    StartPage(pages: pages, database: database).addRoutes(to: router)
    DirectorPages(pages: pages, database: database).addRoutes(to: router)
    FederationPage(pages: pages, database: database).addRoutes(to: router)
    ReportPages(pages: pages, database: database).addRoutes(to: router)
    BankPages(pages: pages, database: database).addRoutes(to: router)
    InvoicePages(pages: pages, database: database).addRoutes(to: router)
    DisbursementWorkPages(pages: pages, database: database).addRoutes(to: router)
    PeriodPages(pages: pages, database: database).addRoutes(to: router)
}
