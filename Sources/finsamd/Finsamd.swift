import ArgumentParser
import Foundation
import FinsamService
import Hummingbird
import Logging
import Postgres

@main
struct Finsamd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finsamd",
        abstract: "Finsams tjänst: HTTP-API, webbsidor och nattliga jobb.",
        discussion: """
            Miljövariabler: FINSAM_DATABASE_URL (rollen finsam_app; annars den inbyggda databasen i .finsam/), FINSAM_NIGHTLY_DATABASE_URL (rollen finsam_nightly), FINSAM_HOST, \
            FINSAM_PORT, FINSAM_POOL_SIZE, FINSAM_CONFIG (en fil med samma inställningar, NAMN=VÄRDE per rad), FINSAM_LOG_LEVEL (trace|debug|info|notice|warning|error), \
            FINSAM_SECURE_COOKIES (on bakom TLS), FINSAM_DEMO (on: inloggningssidan visar demons lösenord), FINSAM_NIGHTLY_AT (när det nattliga jobbet körs, TT:MM, standard 02:30, eller off), FINSAM_TIME_ZONE \
            (standard Europe/Stockholm), FINSAM_DROP_FOLDER (bankfilerna, en mapp per förbundskod). \
            Stängs av kontrollerat vid SIGTERM eller SIGINT.
            """
    )

    @Option(name: .long, help: "Adressen att lyssna på (standard: FINSAM_HOST eller 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Porten att lyssna på (standard: FINSAM_PORT eller 8080).")
    var port: Int?

    @Option(name: .long, help: "En inställningsfil med NAMN=VÄRDE per rad (standard: FINSAM_CONFIG); miljön går före filen.")
    var config: String?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let path = config ?? environment["FINSAM_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            environment = try SettingsFile.merged(path: path, environment: environment)
        }
        let settings = try DaemonConfiguration.fromEnvironment(host: host, port: port, environment: environment)
        var logger = Logger(label: "finsamd")
        logger.logLevel = settings.logLevel
        let pool = ConnectionPool(
            configuration: settings.database,
            options: .init(minimumConnections: 1, maximumConnections: settings.poolSize, acquireTimeout: .seconds(10)),
            logger: logger)
        // The nightly job's own pool, as its own role; opened only if it runs.
        let nightlyPool = settings.nightly.map { _ in
            ConnectionPool(configuration: settings.nightlyDatabase, options: .init(minimumConnections: 0, maximumConnections: 2), logger: logger)
        }
        let app = buildApplication(settings: settings, pool: pool, nightlyPool: nightlyPool, logger: logger)
        try await app.runService()
    }
}
