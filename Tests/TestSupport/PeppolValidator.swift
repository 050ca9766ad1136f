public import Foundation

/// Runs the official Peppol BIS 3 checks (scripts/peppol-validate: the UBL 2.1 schema, the EN 16931 and Peppol
/// rule sets) on files, and returns what they found. scripts/test installs the tools and sets
/// FINSAM_PEPPOL_VALIDATOR to the script.
public enum PeppolValidator {
    public struct Finding: Decodable, Sendable, CustomStringConvertible {
        public var ruleSet: String
        public var id: String
        public var location: String?
        public var text: String
        public var description: String { "\(id) (\(ruleSet)): \(text)" }
    }

    public struct Report: Decodable, Sendable {
        public var file: String
        public var schemaErrors: [String]
        public var fatal: [Finding]
        public var warnings: [Finding]
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public static func check(_ files: [URL]) async throws -> [Report] {
        guard let validator = ProcessInfo.processInfo.environment["FINSAM_PEPPOL_VALIDATOR"], !validator.isEmpty else {
            throw Unavailable(description: "FINSAM_PEPPOL_VALIDATOR is not set: run the tests with scripts/test, which installs the Peppol tools")
        }
        let outcome = try await ChildProcess.run(URL(fileURLWithPath: validator), ["--json"] + files.map(\.path))
        // 0: all valid; 1: findings (reported in the JSON); anything else: the validator itself failed.
        guard outcome.status == 0 || outcome.status == 1,
            let reports = try? JSONDecoder().decode([Report].self, from: Data(outcome.stdout.utf8))
        else {
            throw Unavailable(description: "the Peppol validator failed (exit \(outcome.status)): \(outcome.stderr)")
        }
        return reports
    }
}
