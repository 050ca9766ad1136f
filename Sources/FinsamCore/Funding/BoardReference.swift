/// Where a decision was made: the board meeting's date and the paragraph of its minutes, `2023-11-23 §7`.
public struct BoardReference: Sendable, Equatable, Codable, CustomStringConvertible {
    public var meetingDate: CalendarDate
    public var paragraph: String

    public init(meetingDate: CalendarDate, paragraph: String) {
        self.meetingDate = meetingDate
        self.paragraph = paragraph
    }

    /// `2023-11-23 §7`: the meeting's date, then the paragraph (any text, e.g. `§ 7` or `§7 a`).
    public init?(parsing text: String) {
        let trimmed = text.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " "), let date = CalendarDate(iso: String(trimmed[..<space])) else { return nil }
        let paragraph = String(trimmed[space...].drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !paragraph.isEmpty, paragraph.count <= 40 else { return nil }
        self.init(meetingDate: date, paragraph: paragraph)
    }

    public var description: String { "\(meetingDate) \(paragraph)" }
}
