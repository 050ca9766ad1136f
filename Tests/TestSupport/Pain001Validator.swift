public import Foundation

/// Checks a pain.001.001.09 file against the ISO 20022 schema (scripts/pain001-validate, lxml). scripts/test sets
/// FINSAM_PAIN001_VALIDATOR to the script.
public enum Pain001Validator {
    public struct Result: Sendable {
        public var valid: Bool
        public var errors: String
    }

    public static func check(_ file: URL) async throws -> Result {
        guard let validator = ProcessInfo.processInfo.environment["FINSAM_PAIN001_VALIDATOR"], !validator.isEmpty else {
            throw PeppolValidator.Unavailable(
                description: "FINSAM_PAIN001_VALIDATOR is not set: run the tests with scripts/test, which installs the schema")
        }
        let outcome = try await ChildProcess.run(URL(fileURLWithPath: validator), [file.path])
        guard outcome.status == 0 || outcome.status == 1 else {
            throw PeppolValidator.Unavailable(description: "the pain.001 validator failed (exit \(outcome.status)): \(outcome.stderr)")
        }
        return Result(valid: outcome.status == 0, errors: outcome.stdout)
    }
}
