import FinsamService
import Foundation
import Testing

@Suite struct DatabaseLocationTests {
    @Test func theEnvironmentVariableWins() throws {
        let url = try DatabaseLocation.connectionString(environment: ["FINSAM_DATABASE_URL": "postgresql:///x"], searchFrom: [])
        #expect(url == "postgresql:///x")
    }

    @Test func theEmbeddedClusterIsFoundFromASubfolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loc-\(UUID().uuidString)")
        let deep = root.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".finsam"), withIntermediateDirectories: true)
        try "postgresql:///found\n".write(to: root.appendingPathComponent(".finsam/database-url"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try DatabaseLocation.connectionString(environment: [:], searchFrom: [deep]) == "postgresql:///found")
    }

    @Test func nothingFoundIsAClearError() {
        #expect(throws: DatabaseLocation.NotFound.self) {
            try DatabaseLocation.connectionString(environment: [:], searchFrom: [URL(fileURLWithPath: "/proc")])
        }
    }
}
