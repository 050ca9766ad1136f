/// Kontoklass: the first digit of a Kommun-Bas account decides where it belongs in the statements.
public enum AccountClass: String, Sendable, Codable, CaseIterable {
    case asset
    case equityOrLiability
    case revenue
    case cost
    case financial
    /// Class 9, interna konton: internal and suspense accounts other programs keep (e.g. an "Obs-konto").
    /// Finsam's own chart does not use them, but books brought over from another program may (schema/003).
    case `internal`

    /// The class of the account's group (AccountNumber): 743010 is a cost like 7430. Nil outside the chart's range.
    public init?(accountNumber: Int) {
        guard let group = AccountNumber.group(accountNumber) else { return nil }
        switch group {
        case 1000...1999: self = .asset
        case 2000...2999: self = .equityOrLiability
        case 3000...3999: self = .revenue
        case 4000...7999: self = .cost
        case 8000...8999: self = .financial
        case 9000...9999: self = .internal
        default: return nil
        }
    }

    /// Balance-sheet accounts carry their balance into the next year; result accounts start each year at zero.
    public var isBalanceSheet: Bool { self == .asset || self == .equityOrLiability }
}
