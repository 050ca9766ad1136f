/// An account Finsam itself posts to: a setting of the federation (schema/017), so that books brought over with
/// another chart keep working with invoice runs, payments, bank files, disbursements and the reconciliation.
/// Contributions are not here: each member kind's contribution account is marked on the account itself.
public enum PostingPurpose: String, Sendable, Codable, CaseIterable {
    case bank
    case receivables
    case disbursementCost = "disbursement-cost"
    case claims
    case broughtForward = "brought-forward"

    public var swedishName: String {
        switch self {
        case .bank: "Bank"
        case .receivables: "Kundfordringar (medlemsbidrag)"
        case .disbursementCost: "Kostnad för utbetalningar till insatser"
        case .claims: "Fordringar (återkrav)"
        case .broughtForward: "Balanserat resultat (skillnad i ingående balans)"
        }
    }

    /// The template chart's account for the purpose (ChartTemplate).
    public var templateAccount: Int {
        switch self {
        case .bank: 1930
        case .receivables: 1510
        case .disbursementCost: 4020
        case .claims: 1790
        case .broughtForward: 2091
        }
    }

    /// Whether `account` lies in the class the purpose needs (the database checks the same, schema/017).
    public func accepts(_ account: Int) -> Bool {
        guard let group = AccountNumber.group(account) else { return false }
        switch self {
        case .bank, .receivables, .claims: return (1000...1999).contains(group)
        case .broughtForward: return (2000...2099).contains(group)
        case .disbursementCost: return (4000...7999).contains(group)
        }
    }

    /// What `accepts` asks for, as a user reads it.
    public var classRule: String {
        switch self {
        case .bank, .receivables, .claims: "ett tillgångskonto (klass 1)"
        case .broughtForward: "ett konto för eget kapital (2000–2099)"
        case .disbursementCost: "ett kostnadskonto (klass 4–7)"
        }
    }
}
