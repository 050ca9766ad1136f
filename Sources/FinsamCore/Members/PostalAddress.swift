/// A Swedish postal address as an invoice needs it: street lines, postcode, town, country.
///
/// Members' invoice addresses are kept as the text a person writes on an envelope, lines separated by commas
/// or line breaks: `Försäkringskassan, Fakturaskanning, Box 1164, 621 22 Visby`. The line that starts with a
/// five-digit postcode (`621 22` or `62122`) gives postcode and town; the line before it is the street (or box),
/// and the lines before that are kept as the additional line.
public struct PostalAddress: Sendable, Hashable {
    public var street: String?
    public var additionalStreet: String?
    /// `621 22`: written with the space, as PostNord does.
    public var postcode: String?
    public var town: String?
    /// ISO 3166-1 alpha-2.
    public var countryCode: String

    public init(street: String? = nil, additionalStreet: String? = nil, postcode: String? = nil, town: String? = nil,
                countryCode: String = "SE") {
        self.street = street
        self.additionalStreet = additionalStreet
        self.postcode = postcode
        self.town = town
        self.countryCode = countryCode
    }

    /// Reads an envelope-style address. Text that has no postcode line is kept as street lines.
    public init(swedish text: String) {
        let lines = text.split(whereSeparator: { $0 == "," || $0 == "\n" })
            .map { $0.strippingEdges(of: " \t\r") }
            .filter { !$0.isEmpty }
        self.init()
        var streetLines = lines
        if let index = lines.lastIndex(where: { Self.postcodeAndTown($0) != nil }) {
            let (postcode, town) = Self.postcodeAndTown(lines[index])!
            self.postcode = postcode
            self.town = town
            streetLines = Array(lines[..<index])
        }
        street = streetLines.last
        let additional = streetLines.dropLast()
        additionalStreet = additional.isEmpty ? nil : additional.joined(separator: ", ")
    }

    /// `621 22 Visby` or `62122 Visby` → (`621 22`, `Visby`).
    static func postcodeAndTown(_ line: String) -> (String, String)? {
        let characters = Array(line)
        var digits: [Character] = []
        var index = 0
        while index < characters.count, digits.count < 5 {
            let character = characters[index]
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !(character == " " && digits.count == 3) {
                return nil
            }
            index += 1
        }
        guard digits.count == 5, index < characters.count, characters[index] == " " else { return nil }
        let town = String(characters[index...]).strippingEdges(of: " ")
        guard !town.isEmpty else { return nil }
        return (String(digits.prefix(3)) + " " + String(digits.suffix(2)), town)
    }
}

fileprivate extension StringProtocol {
    /// The text without the characters of `set` at either end.
    func strippingEdges(of set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
