public import Foundation
public import Postgres

/// Where the programs find their database, and as which role they log in (deploy/README.md, The database roles):
///
/// - `application`: the daemon's requests, as `finsam_app` (no ownership, no BYPASSRLS), which acts for nobody but
///   whoever presents a session's or an API token's secret: `FINSAM_DATABASE_URL`, or else the private cluster's
///   `.finsam/app-database-url`.
/// - `operator`: the CLI at the server's terminal, as `finsam_operator` (the application role's rights, and it may
///   name whom it acts for): `FINSAM_OPERATOR_DATABASE_URL`, or else `.finsam/operator-database-url`.
/// - `nightly`: the daemon's nightly job, as `finsam_nightly`: `FINSAM_NIGHTLY_DATABASE_URL`, or else
///   `.finsam/nightly-database-url`.
/// - `owner`: only `finsam migrate`, as the owner of the tables: `FINSAM_OWNER_DATABASE_URL`, or else the private
///   cluster's `.finsam/database-url`.
///
/// A set-up with one connection string only (`FINSAM_DATABASE_URL`) gives it to every role it did not name.
///
/// The private cluster is the one `scripts/dev-db start` runs; its files are found from the working folder or from
/// the program's own place in the project.
public enum DatabaseLocation {
    public enum Role: Sendable, CaseIterable {
        case application, `operator`, nightly, owner

        public var environmentVariable: String {
            switch self {
            case .application: "FINSAM_DATABASE_URL"
            case .operator: "FINSAM_OPERATOR_DATABASE_URL"
            case .nightly: "FINSAM_NIGHTLY_DATABASE_URL"
            case .owner: "FINSAM_OWNER_DATABASE_URL"
            }
        }

        var embeddedFile: String {
            switch self {
            case .application: ".finsam/app-database-url"
            case .operator: ".finsam/operator-database-url"
            case .nightly: ".finsam/nightly-database-url"
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
        if role != .application, let url = set(Role.application.environmentVariable) { return url }
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
