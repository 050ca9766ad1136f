/// What a person may do in one federation (the rights table, `Rights`). The economy office prepares, submits and
/// pays; the director (förbundschef) approves; the chair co-approves above the delegation limit; the board and the
/// auditors read; the administrator keeps users, roles and the federation's settings.
public enum Role: String, Sendable, Codable, CaseIterable {
    case economy, director, chair, board, auditor, admin

    public var swedishName: String {
        switch self {
        case .economy: "ekonom"
        case .director: "förbundschef"
        case .chair: "ordförande"
        case .board: "styrelseledamot"
        case .auditor: "revisor"
        case .admin: "administratör"
        }
    }
}
