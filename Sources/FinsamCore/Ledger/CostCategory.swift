/// Kostnadskategori: every cost of the ledger belongs to one, mostly through its intervention (DOMAIN.md,
/// The ledger). Reports show the share of each.
public enum CostCategory: String, CaseIterable, Codable, Sendable {
    case individual
    case structural
    case administration
    case reserve

    /// The name boards and auditors read.
    public var swedishName: String {
        switch self {
        case .individual: "Individinriktade insatser"
        case .structural: "Strukturövergripande insatser"
        case .administration: "Administration"
        case .reserve: "Nya verksamheter och reserv"
        }
    }
}

/// The administration lines of the income statement, one line each (DOMAIN.md, Reports).
public enum AdministrationLine: String, CaseIterable, Codable, Sendable {
    case board
    case staff
    case other
    case audit
    case accounting
    case training

    public var swedishName: String {
        switch self {
        case .board: "Styrelse"
        case .staff: "Tjänsteperson"
        case .other: "Övrig administration"
        case .audit: "Revision"
        case .accounting: "Ekonomihantering"
        case .training: "Utbildning styrelse och beredningsgrupp"
        }
    }
}
