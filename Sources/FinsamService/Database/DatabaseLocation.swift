public import Foundation
public import Postgres

/// Where the programs find their database, and as which role they log in (deploy/README.md, The database roles):
///
/// - `application`: every use case, in `finsam` and `finsamd`, as `finsam_app` (no ownership, no BYPASSRLS):
///   `FINSAM_DATABASE_URL`, or else the private cluster's `.finsam/app-database-url`.
/// - `owner`: only `finsam migrate`, as the owner of the tables: `FINSAM_OWNER_DATABASE_URL`, or else the private
///   cluster's `.finsam/database-url`, or else `FINSAM_DATABASE_URL` (a set-up with one connection string only).
///
/// The private cluster is the one `scripts/dev-db start` runs; its files are found from the working folder or from
/// the program's own place in the project.
public enum DatabaseLocation {
    public enum Role: Sendable {
        case application, owner

        var environmentVariable: String {
            switch self {
            case .application: "FINSAM_DATABASE_URL"
            case .owner: "FINSAM_OWNER_DATABASE_URL"
            }
        }

        var embeddedFile: String {
            switch self {
            case .application: ".finsam/app-database-url"
            case .owner: ".finsam/database-url"
            }
        }
    }

    public static let environmentVariable = Role.application.environmentVariable

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "Ingen databas hittades: sätt FINSAM_DATABASE_URL, eller starta den inbyggda databasen med scripts/dev-db start."
        }
    }

    public static func connectionString(
        for role: Role = .application,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        searchFrom folders: [URL] = defaultSearchFolders
    ) throws -> String {
        func set(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let url = set(role.environmentVariable) { return url }
        if let url = embedded(role.embeddedFile, searchFrom: folders) { return url }
        if role == .owner, let url = set(Role.application.environmentVariable) { return url }
        throw NotFound()
    }

    private static func embedded(_ file: String, searchFrom folders: [URL]) -> String? {
        for start in folders {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent(file)
                if let text = try? String(contentsOf: candidate, encoding: .utf8) {
                    let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !url.isEmpty { return url }
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    /// The working folder, then the folder of the running program (resolved through links).
    public static var defaultSearchFolders: [URL] {
        var folders = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        folders.append(executable.deletingLastPathComponent())
        return folders
    }

    /// The configuration the programs use: sessions in Swedish time, so that `current_date` is the Swedish date.
    public static func configuration(
        for role: Role = .application,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(try connectionString(for: role, environment: environment))
        configuration.timeZone = "Europe/Stockholm"
        return configuration
    }
}
