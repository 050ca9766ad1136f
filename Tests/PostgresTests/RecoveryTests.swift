import Foundation
import Postgres
import TestSupport
import Testing

/// The server restarts under a running program: the pool and the listener carry on by themselves.
/// This test runs its own private cluster (scripts/dev-db in a temporary folder), since it restarts it.
@Suite struct RecoveryTests {
    @Test(.timeLimit(.minutes(3)))
    func poolAndListenerSurviveAServerRestart() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("finsam-restart-\(UUID().uuidString)")
        let url = try await DevDatabase.run(["start"], home: home).trimmingCharacters(in: .whitespacesAndNewlines)
        let configuration = ConnectionConfiguration(url)
        let pool = ConnectionPool(configuration: configuration, options: .init(minimumConnections: 2, maximumConnections: 2))
        try await pool.warmUp()
        let before = try await pool.withConnection { c in c.backendPID }
        let listener = try await PostgresListener.start(configuration)
        let events = try await listener.notifications("after_restart")

        _ = try await DevDatabase.run(["restart"], home: home)

        // The first query after the restart succeeds, on a new backend.
        let after = try await pool.withConnection { c in (c.backendPID, try await c.query("SELECT 1").scalar(Int.self)) }
        #expect(after.1 == 1)
        #expect(after.0 != before)
        // Both pooled connections were re-established (each on its next loan).
        let both = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask { try await pool.withConnection { c in try await c.query("SELECT 2").scalar(Int.self) } }
            }
            return try await group.reduce(0, +)
        }
        #expect(both == 4)

        // The listener reconnects and listens again; keep notifying until one arrives.
        let sender = Task {
            for i in 0..<100 {
                try? await pool.withConnection { c in try await c.query("SELECT pg_notify('after_restart', $1)", ["\(i)"]) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        var iterator = events.makeAsyncIterator()
        let received = await iterator.next()
        sender.cancel()
        #expect(received?.channel == "after_restart")
        listener.close()
        await pool.close()
        _ = try await DevDatabase.run(["stop"], home: home)
        try FileManager.default.removeItem(at: home)
    }
}
