/// What the accounts of a chart brought over from another program mean to the federation (issue 14): which
/// revenue accounts are which member's contributions, which cost accounts are which intervention's, which carry
/// which administration line. Proposed from the file (ChartMappingProposal), written and read as a text file a
/// person edits (ChartMappingFile), and kept on the federation's accounts once imported.
///
/// In JSON a meaning is the mapping file's words for it: `"medlem aneby"`, `"administration revision"`.
public enum AccountMeaning: Sendable, Equatable, Codable {
    /// One member's contributions (the member's code).
    case member(String)
    /// Contributions of a member kind, not split by member.
    case memberKind(MemberKind)
    /// Other revenue.
    case otherRevenue
    /// One intervention's costs: an existing intervention's code, or a new one with its category and name.
    case intervention(code: String, category: CostCategory?, name: String?)
    /// An administration line of the income statement.
    case administration(AdministrationLine)
    /// Costs of a category without an intervention (e.g. the reserve); `.administration` means the line "other".
    case category(CostCategory)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(ChartMappingFile.Problem) {
            let words = try ChartMappingFile.tokenize(Substring(text), line: 1)
            guard !words.isEmpty else { throw ChartMappingFile.Problem(line: 1, reason: "tom betydelse") }
            self = try ChartMappingFile.parseMeaning(words, line: 1)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ChartMappingFile.words(self))
    }

    /// Whether the meaning fits an account of `accountClass`.
    public func fits(_ accountClass: AccountClass) -> Bool {
        switch self {
        case .member, .memberKind, .otherRevenue: accountClass == .revenue
        case .intervention, .administration, .category: accountClass == .cost
        }
    }

    /// How a person reads it, in Swedish: "medlem aneby", "administration: Revision".
    public var swedishDescription: String {
        switch self {
        case .member(let code): "medlemsbidrag från \(code)"
        case .memberKind(let kind): "medlemsbidrag \(kind.swedishName)"
        case .otherRevenue: "övriga intäkter"
        case .intervention(let code, _, _): "insats \(code)"
        case .administration(let line): "administration: \(line.swedishName)"
        case .category(let category): category.swedishName
        }
    }
}

/// One account's meaning in a mapping, with why and any conflict with what the federation's chart said before.
public struct ChartMappingEntry: Sendable, Equatable, Codable {
    public var account: Int
    /// The account's name in the file.
    public var name: String
    public var meaning: AccountMeaning
    public var reason: Reason
    /// What the federation's chart said the account was, when that differs from `meaning` (the file's or the
    /// mapping file's meaning wins; the import says so).
    public var conflict: String?

    public enum Reason: String, Sendable, Codable {
        /// The mapping file says so.
        case mappingFile = "mapping-file"
        /// The federation's chart already says so (an earlier import, or the template) under the same name.
        case remembered
        /// The account's name names a member, an intervention or an administration line.
        case name
        /// A cost account of class 4 (purchased activities) that names nothing known: a new intervention.
        case accountClass = "account-class"
        /// Nothing said more: the import's default.
        case fallback = "default"

        public var swedishDescription: String {
            switch self {
            case .mappingFile: "enligt mappningsfilen"
            case .remembered: "som förbundets kontoplan redan säger"
            case .name: "kontots namn"
            case .accountClass: "kostnadskonto i klass 4 utan känd betydelse: ny insats"
            case .fallback: "standard"
            }
        }
    }

    public init(account: Int, name: String, meaning: AccountMeaning, reason: Reason, conflict: String? = nil) {
        self.account = account
        self.name = name
        self.meaning = meaning
        self.reason = reason
        self.conflict = conflict
    }
}

/// A dimension object (a SIE #OBJEKT: a project, a cost centre) that names an intervention: its lines count for it.
public struct ObjectMappingEntry: Sendable, Equatable, Codable {
    public var dimension: Int
    public var id: String
    /// The object's name in the file.
    public var name: String
    /// The intervention (existing by code, or created with the category and name).
    public var meaning: AccountMeaning
    public var reason: ChartMappingEntry.Reason

    public init(dimension: Int, id: String, name: String, meaning: AccountMeaning, reason: ChartMappingEntry.Reason) {
        self.dimension = dimension
        self.id = id
        self.name = name
        self.meaning = meaning
        self.reason = reason
    }
}
