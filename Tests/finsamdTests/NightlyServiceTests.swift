import FinsamCore
import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import TestSupport
import Testing

@testable import finsamd

/// The scheduler's one run, on a real database, and what `/health` then says of it.
@Suite struct NightlyServiceTests {
    @Test func aRunIsRecordedAndHealthReportsItsCounts() async throws {
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            _ = try await Migrator().migrate(on: c)
            await c.close()
            // The books are set up as the CLI would (the operator role); the daemon's nightly job logs in as its own role.
            let pool = ConnectionPool(configuration: configuration.setting("user", "finsam_operator"), options: .init(maximumConnections: 2))
            let database = Database(pool: pool)
            let nightlyPool = ConnectionPool(configuration: configuration.setting("user", "finsam_nightly"), options: .init(maximumConnections: 2))
            let admin = User.operator("test")
            _ = try await Federations(database).create(code: "norrdalen", name: "Norrdalen", orgnr: "222000-0018", seatMunicipality: nil, by: admin)
            _ = try await Federations(database).create(code: "sjobygden", name: "Sjöbygden", orgnr: "222000-0026", seatMunicipality: nil, by: admin)
            // Norrdalen's books do not agree: 100 kr on the receivables with no invoice behind them.
            _ = try await Vouchers(database).post(VoucherDraft(date: CalendarDate(iso: "2024-03-01")!, text: "Fel", lines: [
                .init(account: 1510, amount: Money(kronor: 100)), .init(account: 1930, amount: Money(kronor: -100)),
            ]), to: "norrdalen", by: admin)
            // A drop folder with one file that is no BgMax file.
            let drop = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: drop) }
            try FileManager.default.createDirectory(at: drop.appendingPathComponent("norrdalen"), withIntermediateDirectories: true)
            try Data("inte en bankfil\n".utf8).write(to: drop.appendingPathComponent("norrdalen/x.txt"))

            let status = NightlyStatus()
            let service = NightlyService(
                schedule: NightlySchedule("02:30", calendar: .stockholm)!, job: NightlyRun(Database(pool: nightlyPool), dropFolder: drop), status: status,
                logger: Logger(label: "test"))
            await service.runOnce(at: CalendarDate(iso: "2024-12-31")!)
            let health = await status.health
            #expect(health.lastRunDate == CalendarDate(iso: "2024-12-31"))
            #expect(health.filesRead == 0 && health.filesRejected == 1)
            #expect(health.federationsChecked == 2 && health.federationsDiffering == 1)
            #expect(health.failure == nil)

            let router = Router()
            HealthController(pool: pool, nightly: status).addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    // Times travel as ISO 8601 to the second; the counts exactly.
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let nightly = try #require(try decoder.decode(HealthReport.self, from: Data(response.body.readableBytesView)).nightly)
                    #expect(nightly.lastRunAt != nil && nightly.lastRunDate == health.lastRunDate)
                    let counts: [Int] = [nightly.filesRead, nightly.filesRejected, nightly.federationsChecked, nightly.federationsDiffering]
                    #expect(counts == [0, 1, 2, 1])
                }
            }
            await pool.close()
            await nightlyPool.close()
        }
    }
}
