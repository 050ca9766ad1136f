import FinsamCore
import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Synchronization
import Testing
import TestSupport

@testable import finsamd

/// PostgreSQL goes away under load and comes back: meanwhile every request is answered 503 with `Retry-After`
/// (never a 500, never a hang), and afterwards the daemon answers again by itself, with no restart of its own.
/// Runs its own cluster (scripts/dev-db in a temporary folder), since it stops it.
@Suite struct DaemonRestartTests {
    @Test(.timeLimit(.minutes(3)))
    func requestsGet503WhileTheDatabaseIsDownAndSucceedAgainWhenItIsBack() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("finsam-daemon-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let owner = ConnectionConfiguration(try await DevDatabase.run(["start"], home: home).trimmingCharacters(in: .whitespacesAndNewlines))
        do {
            let token = try await DemoCountyDatabase.prepare(owner, setUp: DemoCountyDatabase.token(for: "anna.dahl"))

            let pool = ConnectionPool(configuration: owner.setting("user", "finsam_app"), options: .init(maximumConnections: 4))
            let settings = DaemonConfiguration(host: "127.0.0.1", port: 0, poolSize: 4, logLevel: .critical, database: owner,
                nightlyDatabase: owner.setting("user", "finsam_nightly"))
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let app = buildApplication(settings: settings, pool: pool, logger: quiet)
            try await app.test(.router) { client in
                let client = client
                let load = Load()
                // Four clients asking for the director's queue, without pause.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            while !load.stop.withLock({ $0 }) {
                                try await client.execute(uri: "/api/v1/federations/norralv/disbursements?state=submitted", method: .get,
                                    headers: [.authorization: "Bearer \(token)"]) { response in
                                    let status = Int(response.status.code)
                                    load.statuses.withLock { $0[status, default: 0] += 1 }
                                    if status == 503, response.headers[.retryAfter] == nil { load.missingRetryAfter.withLock { $0 += 1 } }
                                    if load.phase.withLock({ $0 }) == "back" { load.after.withLock { $0.append(status) } }
                                }
                            }
                        }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    _ = try await DevDatabase.run(["stop"], home: home)
                    load.phase.withLock { $0 = "down" }
                    try await Task.sleep(for: .seconds(1))
                    _ = try await DevDatabase.run(["start"], home: home)
                    load.phase.withLock { $0 = "back" }
                    // Back within seconds: ten successes in a row after the restart.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline, !(load.after.withLock { $0.suffix(10) }.count == 10 && load.after.withLock { $0.suffix(10) }.allSatisfy { $0 == 200 }) {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    load.stop.withLock { $0 = true }
                    try await group.waitForAll()
                }
                let seen = load.statuses.withLock { $0 }
                #expect(Set(seen.keys).isSubset(of: [200, 503]), "\(seen)")
                #expect((seen[503] ?? 0) > 0, "\(seen)")
                #expect(load.missingRetryAfter.withLock { $0 } == 0)
                #expect(load.after.withLock { $0.suffix(10) } == Array(repeating: 200, count: 10), "\(seen)")
            }
            await pool.close()
        } catch {
            _ = try? await DevDatabase.run(["stop"], home: home)
            throw error
        }
        _ = try await DevDatabase.run(["stop"], home: home)
    }
}

/// What the clients saw, shared between them and the test.
private final class Load: Sendable {
    let statuses = Mutex<[Int: Int]>([:])
    let missingRetryAfter = Mutex(0)
    let stop = Mutex(false)
    /// up, down, back.
    let phase = Mutex("up")
    /// The statuses seen since the database is back.
    let after = Mutex<[Int]>([])
}
