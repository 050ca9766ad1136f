import FinsamCore
import FinsamService
import Foundation

/// Prints a read command's result in the format asked for: a Swedish table, JSON or CSV.
enum Printer {
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A moment as a person in Sweden reads it: Stockholm's time, `2026-12-02 09:05:07`.
    static func time(_ date: Date) -> String {
        let c = Calendar.stockholm.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// A moment for scripts (CSV): ISO 8601 in UTC.
    static func isoTime(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// RFC 4180 CSV with a header row (`CSVTable`).
    static func csv(_ headers: [String], _ rows: [[String]]) {
        print(CSVTable(headers, rows).text)
    }

    static func table(_ table: TextTable, title: String? = nil) {
        if let title { print(escaped(title)) }
        print(table.render(), terminator: "")
    }

    /// Text from the database or a file as it may reach a terminal: control characters and bidirectional overrides
    /// shown as their code points (`⟨U+001B⟩`), so that a name written by someone else is read, never obeyed.
    static func escaped(_ text: String, multiline: Bool = false) -> String { PlainText.escaped(text, multiline: multiline) }

    /// `1 817 375,50`.
    static func kronor(_ money: Money) -> String { SwedishNumberFormat.kronor(money) }
    /// `1 817 376`: whole kronor, as the statements show them.
    static func wholeKronor(_ money: Money) -> String { SwedishNumberFormat.kronor(money, wholeKronor: true) }
}

extension Printer {
    /// A read command's result in the format asked for: its JSON, its CSV table (the same the API gives), or the
    /// Swedish table that `table` prints.
    static func emit(_ format: OutputFormat, _ value: some Encodable & CSVTabular, table: () throws -> Void) throws {
        switch format {
        case .json: try json(value)
        case .csv: print(try value.csvTable().text)
        case .table: try table()
        }
    }

    /// A read command's result in the format asked for: JSON of `value`, CSV of `rows` under `headers`, or the
    /// Swedish table that `table` prints.
    static func emit(
        _ format: OutputFormat, json value: some Encodable, csv headers: [String], _ rows: @autoclosure () throws -> [[String]],
        table: () throws -> Void
    ) throws {
        switch format {
        case .json: try json(value)
        case .csv: csv(headers, try rows())
        case .table: try table()
        }
    }
}
