/// Text a person or another system gives Finsam to keep and show again: a name, a voucher text, a reason, a
/// reference. It must be plain: no control characters (a terminal escape such as `ESC ]0;…` retitles the
/// window of whoever lists it later; NUL cannot be stored at all), no bidirectional overrides (U+202A–U+202E,
/// U+2066–U+2069, which make a name read backwards), line breaks only where a field has lines (an address), and a
/// length a person could have meant. schema/016 checks the same in the database.
public enum PlainText {
    /// Why a text was refused, for the message that names its field.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The character (as U+XXXX) and its place, counted from 1.
        case forbiddenCharacter(String, position: Int)
        case tooLong(length: Int, limit: Int)

        public var description: String {
            switch self {
            case .forbiddenCharacter(let code, let position):
                "innehåller ett styrtecken (\(code)) på plats \(position); skriv texten utan det"
            case .tooLong(let length, let limit):
                "har för många tecken (\(SwedishNumberFormat.integer(Int64(length))), högst \(SwedishNumberFormat.integer(Int64(limit))))"
            }
        }
    }

    /// Limits in characters, by kind of field.
    public static let nameLimit = 200
    public static let textLimit = 500
    public static let referenceLimit = 100
    public static let commentLimit = 2_000

    public static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: !multiline
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Throws the first problem of `text`: a forbidden character, or more than `limit` characters.
    public static func check(_ text: String, limit: Int, multiline: Bool = false) throws(Problem) {
        for (index, scalar) in text.unicodeScalars.enumerated() where isForbidden(scalar, multiline: multiline) {
            throw .forbiddenCharacter(codePoint(scalar), position: index + 1)
        }
        let length = text.count
        guard length <= limit else { throw .tooLong(length: length, limit: limit) }
    }

    /// `U+001B`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text as it may be shown on a terminal: each forbidden character as its code point in brackets
    /// (`Bank⟨U+001B⟩]0;PWNED`), so that what another system wrote is seen, never obeyed.
    public static func escaped(_ text: String, multiline: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isForbidden($0, multiline: multiline) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isForbidden(scalar, multiline: multiline) {
                result += "⟨\(codePoint(scalar))⟩"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
