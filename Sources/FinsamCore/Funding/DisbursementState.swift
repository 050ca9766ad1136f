/// Where a disbursement is on its way from preparation to payment (DOMAIN.md, Disbursements).
public enum DisbursementState: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, paid, returned, rejected

    public var swedishName: String {
        switch self {
        case .draft: "utkast"
        case .submitted: "inskickad"
        case .approved: "attesterad"
        case .paid: "utbetald"
        case .returned: "återsänd"
        case .rejected: "avslagen"
        }
    }
}
