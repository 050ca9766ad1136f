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
        try "postgresql:///owner\n".write(to: root.appendingPathComponent(".finsam/database-url"), atomically: true, encoding: .utf8)
        try "postgresql:///app\n".write(to: root.appendingPathComponent(".finsam/app-database-url"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try DatabaseLocation.connectionString(environment: [:], searchFrom: [deep]) == "postgresql:///app")
        #expect(try DatabaseLocation.connectionString(for: .owner, environment: [:], searchFrom: [deep]) == "postgresql:///owner")
    }

    /// The use cases log in as the application role, only migrate as the owner; one URL alone serves both.
    @Test func theOwnersURLIsOnlyForMigrating() throws {
        let both = ["FINSAM_DATABASE_URL": "postgresql://finsam_app@/x", "FINSAM_OWNER_DATABASE_URL": "postgresql://finsam_owner@/x"]
        #expect(try DatabaseLocation.connectionString(environment: both, searchFrom: []) == "postgresql://finsam_app@/x")
        #expect(try DatabaseLocation.connectionString(for: .owner, environment: both, searchFrom: []) == "postgresql://finsam_owner@/x")
        let one = ["FINSAM_DATABASE_URL": "postgresql:///x"]
        #expect(try DatabaseLocation.connectionString(for: .owner, environment: one, searchFrom: []) == "postgresql:///x")
    }

    @Test func nothingFoundIsAClearError() {
        #expect(throws: DatabaseLocation.NotFound.self) {
            try DatabaseLocation.connectionString(environment: [:], searchFrom: [URL(fileURLWithPath: "/proc")])
        }
    }
}
