public import Foundation
public import Postgres

/// Where the programs find their database: `FINSAM_DATABASE_URL`, or else the private cluster that
/// `scripts/dev-db start` runs (its URL is kept in `.finsam/database-url`, found from the working folder or from
/// the program's own place in the project).
public enum DatabaseLocation {
    public static let environmentVariable = "FINSAM_DATABASE_URL"

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "Ingen databas hittades: sätt FINSAM_DATABASE_URL, eller starta den inbyggda databasen med scripts/dev-db start."
        }
    }

    public static func connectionString(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        searchFrom folders: [URL] = defaultSearchFolders
    ) throws -> String {
        if let url = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty {
            return url
        }
        for start in folders {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent(".finsam/database-url")
                if let text = try? String(contentsOf: candidate, encoding: .utf8) {
                    let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !url.isEmpty { return url }
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw NotFound()
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
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(try connectionString(environment: environment))
        configuration.timeZone = "Europe/Stockholm"
        return configuration
    }
}
