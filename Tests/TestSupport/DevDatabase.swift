public import Foundation

/// A private PostgreSQL cluster of a test's own (scripts/dev-db in a folder of its own), for tests that stop or
/// restart the server.
public enum DevDatabase {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs scripts/dev-db with FINSAM_HOME set; returns what it printed.
    public static func run(_ arguments: [String], home: URL) async throws -> String {
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
