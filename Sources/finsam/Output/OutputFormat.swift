import ArgumentParser

/// How a read command prints: a Swedish table for people, JSON or CSV for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
