import Foundation

/// The daemon's optional settings file (`--config FILE` or `FINSAM_CONFIG`): the same `KEY=VALUE` lines as the
/// environment file systemd reads (deploy/finsamd.env.example), so that one file serves both. Blank lines and lines
/// starting with `#` are skipped; a value may be quoted. The environment wins over the file, and flags over both.
/// Whatever the file says wrong (a line that is no setting, a name the daemon does not know, such as a misspelt
/// one) stops the start with its file and line.
enum SettingsFile {
    /// Every setting the daemon reads.
    static let names: Set<String> = [
        "FINSAM_DATABASE_URL", "FINSAM_NIGHTLY_DATABASE_URL", "FINSAM_HOST", "FINSAM_PORT", "FINSAM_POOL_SIZE", "FINSAM_LOG_LEVEL", "FINSAM_NIGHTLY_AT",
        "FINSAM_TIME_ZONE", "FINSAM_DROP_FOLDER", "FINSAM_SECURE_COOKIES", "FINSAM_DEMO",
    ]

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// The settings of `text`, read from `path` (named in errors).
    static func parse(_ text: String, path: String) throws -> [String: String] {
        var settings: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(path), rad \(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw Invalid(description: "\(place): \"\(line)\" är ingen inställning (NAMN=VÄRDE)")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard names.contains(name) else {
                throw Invalid(description: "\(place): \(name) är ingen inställning som finsamd känner till ("
                    + names.sorted().joined(separator: ", ") + ")")
            }
            guard settings[name] == nil else { throw Invalid(description: "\(place): \(name) står redan tidigare i filen") }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            settings[name] = value
        }
        return settings
    }

    /// The environment over the file at `path`.
    static func merged(path: String, environment: [String: String]) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(description: "inställningsfilen \(path) går inte att läsa")
        }
        return try parse(text, path: path).merging(environment) { _, fromEnvironment in fromEnvironment }
    }
}
