import FinsamCore

/// A report's table as a page shows it: a caption, a label column and columns of numbers, rows that are items,
/// section headings, subtotals or totals. Numbers are right-aligned; a negative one carries a real minus sign and is
/// marked so that it reads as negative on screen and on paper; totals are marked in the markup, not only by style.
struct PageTable {
    enum Kind: String { case item, heading, subtotal, total }

    struct Row {
        var label: String
        var cells: [Cell]
        var kind: Kind = .item
        /// Where the label leads, if anywhere (a member's statement, a disbursement).
        var link: String?
    }

    struct Cell {
        var text: String
        var negative = false
        var numeric = true

        static func kronor(_ money: Money, whole: Bool = true) -> Cell {
            Cell(text: PageNumber.kronor(money, whole: whole), negative: money < .zero)
        }

        static func text(_ text: String) -> Cell { Cell(text: text, numeric: false) }
    }

    var caption: String
    var labelHeading: String
    var columns: [(label: String, numeric: Bool)]
    var rows: [Row] = []

    init(caption: String, labelHeading: String, numericColumns: [String]) {
        self.caption = caption
        self.labelHeading = labelHeading
        self.columns = numericColumns.map { ($0, true) }
    }

    init(caption: String, labelHeading: String, columns: [(label: String, numeric: Bool)]) {
        self.caption = caption
        self.labelHeading = labelHeading
        self.columns = columns
    }

    mutating func heading(_ label: String) { rows.append(Row(label: label, cells: [], kind: .heading)) }

    mutating func append(_ label: String, _ cells: [Cell], kind: Kind = .item, link: String? = nil) {
        rows.append(Row(label: label, cells: cells, kind: kind, link: link))
    }

    /// The template's values. Each level has names of its own: a name missing in a row would be looked up in the
    /// table or the page around it.
    var values: [String: Any] {
        [
            "tableCaption": caption,
            "tableLabelHeading": labelHeading,
            "tableSpan": columns.count + 1,
            "tableColumns": columns.map { ["columnLabel": $0.label, "columnNumeric": $0.numeric] as [String: Any] },
            "tableRows": rows.map { row -> [String: Any] in
                var values: [String: Any] = [
                    "rowLabel": row.label, "rowKind": row.kind.rawValue,
                    "rowIsHeading": row.kind == .heading, "rowIsTotal": row.kind == .total || row.kind == .subtotal,
                    "rowCells": row.cells.map { ["cellText": $0.text, "cellNegative": $0.negative, "cellNumeric": $0.numeric] as [String: Any] },
                ]
                if let link = row.link { values["rowLink"] = link }
                return values
            },
        ]
    }
}

/// Numbers on a page: Swedish grouping and decimal comma, and a true minus sign (−, U+2212), which is wider and
/// easier to see than a hyphen.
enum PageNumber {
    static func kronor(_ money: Money, whole: Bool = true) -> String {
        minus(SwedishNumberFormat.kronor(money, wholeKronor: whole))
    }

    static func integer(_ value: Int64) -> String { minus(SwedishNumberFormat.integer(value)) }

    static func percent(tenths: Int64) -> String {
        let sign = tenths < 0 ? "−" : ""
        return "\(sign)\(SwedishNumberFormat.integer(Int64(tenths.magnitude / 10))),\(tenths.magnitude % 10) %"
    }

    static func minus(_ text: String) -> String {
        text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
