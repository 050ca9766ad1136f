/// Indented XML text with escaping of character data and attribute values.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func raw(_ string: String) { text += string }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        indent()
        text += "<\(name)\(Self.attributes(attributes))>\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        text += "</\(name)>\n"
    }

    mutating func leaf(_ name: String, _ value: String, _ attributes: [(String, String)] = []) {
        indent()
        text += "<\(name)\(Self.attributes(attributes))>\(Markup.escaped(value))</\(name)>\n"
    }

    /// An amount in SEK with two decimals (BR-DEC-*: at most two).
    mutating func amount(_ name: String, _ money: Money) {
        leaf(name, money.description, [("currencyID", "SEK")])
    }

    private mutating func indent() { text += String(repeating: "  ", count: depth) }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(Markup.escaped($0.1))\"" }.joined()
    }
}
