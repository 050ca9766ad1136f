/// One line of a SIE file split into its label and fields (SIE 4, chapter 5: fields are separated by spaces
/// or tabs, may be quoted with `"`, a quote inside a quoted field is written `\"`, and an object list is
/// written `{dim "object" …}`).
public struct SIEItem: Sendable, Equatable {
    public enum Field: Sendable, Equatable {
        case text(String)
        case objectList([String])

        public var text: String? {
            if case .text(let value) = self { return value }
            return nil
        }
    }

    /// `#TRANS`, or `{` / `}` for the lines that open and close a voucher's rows.
    public var label: String
    public var fields: [Field]
    /// 1-based line number in the file, for error messages.
    public var line: Int

    /// Splits one line. Returns nil for an empty line; throws for an unterminated quote or object list.
    public static func parse(_ text: Substring, line: Int) throws(SIEError) -> SIEItem? {
        var tokens: [Field] = []
        var index = text.startIndex
        func skipBlanks() {
            while index < text.endIndex, text[index] == " " || text[index] == "\t" || text[index] == "\r" {
                index = text.index(after: index)
            }
        }
        func readWord(stoppingAt stops: Set<Character>) throws(SIEError) -> String {
            if text[index] == "\"" {
                var value = ""
                index = text.index(after: index)
                while true {
                    guard index < text.endIndex else { throw SIEError(line: line, reason: "citattecken saknar slut") }
                    let character = text[index]
                    if character == "\\", text.index(after: index) < text.endIndex,
                        text[text.index(after: index)] == "\""
                    {
                        value.append("\"")
                        index = text.index(index, offsetBy: 2)
                    } else if character == "\"" {
                        index = text.index(after: index)
                        return value
                    } else {
                        value.append(character)
                        index = text.index(after: index)
                    }
                }
            }
            var value = ""
            while index < text.endIndex, !stops.contains(text[index]) {
                value.append(text[index])
                index = text.index(after: index)
            }
            return value
        }
        let blanks: Set<Character> = [" ", "\t", "\r"]
        skipBlanks()
        guard index < text.endIndex else { return nil }
        let label = try readWord(stoppingAt: blanks)
        while true {
            skipBlanks()
            guard index < text.endIndex else { break }
            if text[index] == "{" {
                index = text.index(after: index)
                var members: [String] = []
                while true {
                    skipBlanks()
                    guard index < text.endIndex else {
                        throw SIEError(line: line, reason: "objektlistan saknar avslutande }")
                    }
                    if text[index] == "}" {
                        index = text.index(after: index)
                        break
                    }
                    members.append(try readWord(stoppingAt: blanks.union(["}"])))
                }
                tokens.append(.objectList(members))
            } else {
                tokens.append(.text(try readWord(stoppingAt: blanks)))
            }
        }
        return SIEItem(label: label.uppercased(), fields: tokens, line: line)
    }

    /// The texts that enter the #KSUMMA checksum: the label and every field's content.
    public var checksumParts: [String] {
        [label] + fields.flatMap { field -> [String] in
            switch field {
            case .text(let value): [value]
            case .objectList(let members): members
            }
        }
    }
}
