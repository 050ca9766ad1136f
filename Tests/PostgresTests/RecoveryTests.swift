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

enum DevDatabase {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs scripts/dev-db with FINSAM_HOME set; returns what it printed.
    static func run(_ arguments: [String], home: URL) async throws -> String {
        let process = Process()
        process.executableURL = TestDatabase.projectRoot.appendingPathComponent("scripts/dev-db")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FINSAM_HOME"] = home.path
        environment["FINSAM_DB_FAST"] = "1"
        process.environment = environment
        // Output goes to a file, not a pipe: the server that `start` launches inherits the pipe's descriptor and
        // would hold it open, so reading a pipe to its end would never finish.
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("dev-db-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        // Reap the child ourselves: Foundation's own child monitoring (waitUntilExit, terminationHandler) was seen
        // never to notice the exit inside the test process, leaving the script a zombie.
        try process.run()
        let pid = process.processIdentifier
        var status: Int32 = 0
        var exitCode: Int32 = -1
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                break
            }
            if reaped < 0 {
                exitCode = process.isRunning ? -1 : process.terminationStatus
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let data = try Data(contentsOf: outputFile)
        guard exitCode == 0 else {
            throw Failed(description: "scripts/dev-db \(arguments.joined(separator: " ")) exited \(exitCode)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
