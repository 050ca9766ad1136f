/// Kontoklass: the first digit of a Kommun-Bas account decides where it belongs in the statements.
public enum AccountClass: String, Sendable, Codable, CaseIterable {
    case asset
    case equityOrLiability
    case revenue
    case cost
    case financial

    /// Nil for numbers outside 1000–8999 (class 9 holds internal accounts, which Finsam does not use).
    public init?(accountNumber: Int) {
        switch accountNumber {
        case 1000...1999: self = .asset
        case 2000...2999: self = .equityOrLiability
        case 3000...3999: self = .revenue
        case 4000...7999: self = .cost
        case 8000...8999: self = .financial
        default: return nil
        }
    }

    /// Balance-sheet accounts carry their balance into the next year; result accounts start each year at zero.
    public var isBalanceSheet: Bool { self == .asset || self == .equityOrLiability }
}
