/// Text placed in an XML or HTML document (the Peppol file, the printable invoice): the five markup characters
/// escaped, and the control characters XML 1.0 does not allow (all but tab and line breaks) dropped.
public enum Markup {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where character.unicodeScalars.allSatisfy({ $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }):
                continue
            default: out.append(character)
            }
        }
        return out
    }
}
