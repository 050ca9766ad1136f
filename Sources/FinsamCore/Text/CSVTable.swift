import Foundation

/// A table as CSV (RFC 4180) with a header row, the way every read offers it (the CLI's `--format csv`, the API's
/// `text/csv`): numbers in plain decimal form (`1817375.50`) so that scripts and spreadsheets read them, control
/// characters made visible (`PlainText.escaped`) so that no cell can smuggle a line break or an escape sequence.
public struct CSVTable: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]

    public init(_ headers: [String], _ rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The CSV text, lines separated by newlines, without a final one.
    public var text: String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let escapedRows = rows.map { $0.map { PlainText.escaped($0, multiline: true) } }
        return ([headers] + escapedRows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n")
    }
}
