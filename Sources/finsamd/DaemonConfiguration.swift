import FinsamService
import Foundation
import Logging
import Postgres

/// The daemon's settings, from flags and environment variables (flags win).
struct DaemonConfiguration: Sendable {
    var host: String
    var port: Int
    var poolSize: Int
    var logLevel: Logger.Level
    /// The requests' database, as finsam_app: it acts for whoever presents a session or token, and for nobody else.
    var database: ConnectionConfiguration
    /// The nightly job's, as finsam_nightly: the one role that may act as the system across federations.
    var nightlyDatabase: ConnectionConfiguration
    /// When the nightly job runs; nil when it is turned off (`FINSAM_NIGHTLY_AT=off`).
    var nightly: NightlySchedule? = nil
    /// Whether session cookies are marked Secure whatever the request says (FINSAM_SECURE_COOKIES=on, behind TLS).
    var secureCookies: Bool = false
    /// Whether the database holds the demo county (FINSAM_DEMO=on, set by scripts/run): the sign-in page then says
    /// that the demo's users have the password `demo`.
    var demo: Bool = false
    /// Where the bank's files are dropped, one folder per federation code; nil when there is none.
    var dropFolder: URL? = nil

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func fromEnvironment(
        host: String?, port: Int?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DaemonConfiguration {
        func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Invalid(description: "\(name)=\(text) är inte ett heltal i intervallet \(range)")
            }
            return number
        }
        let level: Logger.Level
        if let text = environment["FINSAM_LOG_LEVEL"], !text.isEmpty {
            guard let parsed = Logger.Level(rawValue: text) else {
                throw Invalid(description: "FINSAM_LOG_LEVEL=\(text) är ingen loggnivå (trace, debug, info, notice, warning, error, critical)")
            }
            level = parsed
        } else {
            level = .info
        }
        var calendar = Calendar.stockholm
        if let name = environment["FINSAM_TIME_ZONE"], !name.isEmpty {
            guard let zone = TimeZone(identifier: name) else {
                throw Invalid(description: "FINSAM_TIME_ZONE=\(name) är ingen tidszon (t.ex. Europe/Stockholm)")
            }
            calendar.timeZone = zone
        }
        let nightly: NightlySchedule?
        switch environment["FINSAM_NIGHTLY_AT"] ?? "" {
        case "": nightly = NightlySchedule("02:30", calendar: calendar)
        case "off": nightly = nil
        case let text:
            guard let schedule = NightlySchedule(text, calendar: calendar) else {
                throw Invalid(description: "FINSAM_NIGHTLY_AT=\(text) är ingen tid (TT:MM, t.ex. 02:30, eller off)")
            }
            nightly = schedule
        }
        var dropFolder: URL?
        if let path = environment["FINSAM_DROP_FOLDER"], !path.isEmpty {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw Invalid(description: "FINSAM_DROP_FOLDER=\(path) är ingen mapp")
            }
            dropFolder = URL(fileURLWithPath: path, isDirectory: true)
        }
        let secureCookies: Bool
        switch environment["FINSAM_SECURE_COOKIES"] ?? "" {
        case "", "off": secureCookies = false
        case "on": secureCookies = true
        case let text: throw Invalid(description: "FINSAM_SECURE_COOKIES=\(text) ska vara on eller off")
        }
        let demo: Bool
        switch environment["FINSAM_DEMO"] ?? "" {
        case "", "off", "0": demo = false
        case "on", "1": demo = true
        case let text: throw Invalid(description: "FINSAM_DEMO=\(text) ska vara on eller off")
        }
        var database = try DatabaseLocation.configuration(for: .application, environment: environment)
        database.applicationName = "finsamd"
        var nightlyDatabase = try DatabaseLocation.configuration(for: .nightly, environment: environment)
        nightlyDatabase.applicationName = "finsamd nightly"
        return DaemonConfiguration(
            host: host ?? environment["FINSAM_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
            port: try port ?? integer("FINSAM_PORT", default: 8080, range: 0...65535),
            poolSize: try integer("FINSAM_POOL_SIZE", default: 8, range: 1...200),
            logLevel: level,
            database: database,
            nightlyDatabase: nightlyDatabase,
            nightly: nightly,
            secureCookies: secureCookies,
            demo: demo,
            dropFolder: dropFolder)
    }
}
