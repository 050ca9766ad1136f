public import Foundation

/// The files other systems wrote (`../shared/fixtures` beside the project's root, see DOMAIN.md's neighbours):
/// tests read them where they are and never change them. `FINSAM_FIXTURES` points elsewhere when the project is
/// checked out on its own.
public enum Fixtures {
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "fixture \(path) not found: the shared fixtures are expected beside the project (../shared/fixtures) or in FINSAM_FIXTURES"
        }
    }

    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["FINSAM_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return TestDatabase.projectRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// The bytes of `relativePath` (e.g. `sie/BokOrder.si`), or an error that says where it was looked for.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw Missing(path: url.path) }
        return Array(data)
    }
}
