/// The four kinds of member a federation has under the Finsam law (DOMAIN.md, Who and why).
public enum MemberKind: String, CaseIterable, Codable, Sendable {
    case fk
    case af
    case region
    case municipality

    public var swedishName: String {
        switch self {
        case .fk: "Försäkringskassan"
        case .af: "Arbetsförmedlingen"
        case .region: "Region"
        case .municipality: "Kommun"
        }
    }

    /// The order in which members appear in reports: municipalities first, then the region, then the state.
    public var reportOrder: Int {
        switch self {
        case .municipality: 0
        case .region: 1
        case .fk: 2
        case .af: 3
        }
    }
}
