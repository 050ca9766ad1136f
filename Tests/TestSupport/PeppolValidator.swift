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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: validator)
        process.arguments = ["--json"] + files.map(\.path)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let (status, stdout, stderr) = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(Int32, Data, Data), any Error>) in
            DispatchQueue.global().async {
                do {
                    try process.run()
                    let stdout = out.fileHandleForReading.readDataToEndOfFile()
                    let stderr = err.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, stdout, stderr))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        // 0: all valid; 1: findings (reported in the JSON); anything else: the validator itself failed.
        guard status == 0 || status == 1, let reports = try? JSONDecoder().decode([Report].self, from: stdout) else {
            throw Unavailable(description: "the Peppol validator failed (exit \(status)): \(String(decoding: stderr, as: UTF8.self))")
        }
        return reports
    }
}
