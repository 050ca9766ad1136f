/// Where money is paid: a Swedish bankgiro number or a Swedish bank account (clearing number and account number).
public enum PayoutAccount: Sendable, Equatable, Codable, CustomStringConvertible {
    case bankgiro(String)
    case bankAccount(clearing: String, account: String)

    /// `5050-1055` as a bankgiro (checked with its Luhn digit).
    public init?(bankgiro text: String) {
        guard Bankgiro.isValid(text) else { return nil }
        self = .bankgiro(text)
    }

    /// `6000-123456789`: a clearing number of four digits (five for Swedbank's 8xxx-x), a dash, the account number.
    public init?(bankAccount text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (4...5).contains(parts[0].count), (1...12).contains(parts[1].count),
            (parts[0] + parts[1]).allSatisfy({ $0.isASCII && $0.isNumber }),
            parts[0].count == 4 || parts[0].first == "8"
        else { return nil }
        self = .bankAccount(clearing: String(parts[0]), account: String(parts[1]))
    }

    public var description: String {
        switch self {
        case .bankgiro(let number): "bankgiro \(number)"
        case .bankAccount(let clearing, let account): "bankkonto \(clearing)-\(account)"
        }
    }
}

/// A bankgiro number: 7 or 8 digits, written NNN-NNNN or NNNN-NNNN, the last a Luhn check digit.
public enum Bankgiro {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (3...4).contains(parts[0].count), parts[1].count == 4,
            (parts[0] + parts[1]).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return Luhn.isValid(parts[0] + parts[1])
    }
}

/// The IBAN check (ISO 13616): two letters, two check digits, the account; mod 97 of the rearranged digits is 1.
public enum IBAN {
    public static func isValid(_ text: String) -> Bool {
        let characters = Array(text)
        guard (15...34).contains(characters.count), characters.prefix(2).allSatisfy({ $0.isASCII && $0.isUppercase }),
            characters.dropFirst(2).prefix(2).allSatisfy({ $0.isASCII && $0.isNumber }),
            characters.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) })
        else { return false }
        var remainder = 0
        for character in characters.dropFirst(4) + characters.prefix(4) {
            let value = character.isNumber ? Int(String(character))! : Int(character.asciiValue! - 55)
            remainder = (value < 10 ? remainder * 10 : remainder * 100) + value
            remainder %= 97
        }
        return remainder == 1
    }
}

/// A BIC (ISO 9362): bank, country, location, optional branch; 8 or 11 characters.
public enum BIC {
    public static func isValid(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 8 || characters.count == 11 else { return false }
        return characters.prefix(6).allSatisfy { $0.isASCII && $0.isUppercase }
            && characters.dropFirst(6).allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }
}
