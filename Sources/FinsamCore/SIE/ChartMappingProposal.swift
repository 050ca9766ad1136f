/// Proposes what each revenue and cost account of an imported chart means to the federation (issue 14), account by
/// account, in this order:
/// 1. the mapping file, where it names the account;
/// 2. what the federation's chart already says, when the account has the same name there (an earlier import,
///    remembered on the account, or the template's meaning);
/// 3. the account's name: a member's name ("Medlemsbidrag Aneby kommun"), a member kind ("Medlemsbidrag
///    kommuner"), an intervention's name or code, an administration line ("Revision", "Styrelsearvode");
/// 4. the account's class: a cost account of class 4 (purchased activities, where a federation books its
///    interventions) that names nothing known becomes an intervention of its own, named as in the file;
/// 5. otherwise other revenue, or costs of the default category.
/// An account the federation's chart gives another meaning under another name is a conflict: the file's meaning wins
/// (it is the file's chart), and the conflict is reported.
public enum ChartMappingProposal {
    public struct ExistingAccount: Sendable, Equatable {
        public var name: String
        /// Nil for a cost account whose lines name their intervention (the template's 4010 and 4020).
        public var meaning: AccountMeaning?

        public init(name: String, meaning: AccountMeaning?) {
            self.name = name
            self.meaning = meaning
        }
    }

    public struct KnownMember: Sendable, Equatable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct KnownIntervention: Sendable, Equatable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public static func propose(
        accounts: [(number: Int, name: String)], existing: [Int: ExistingAccount], members: [KnownMember],
        interventions: [KnownIntervention], mapping: [Int: AccountMeaning], interventionCategory: CostCategory,
        costCategory: CostCategory
    ) -> [ChartMappingEntry] {
        var entries: [ChartMappingEntry] = []
        var usedCodes = Set(interventions.map { $0.code.lowercased() })
        for (number, name) in accounts.sorted(by: { AccountNumber.chartOrder($0.number, $1.number) }) {
            guard let accountClass = AccountClass(accountNumber: number), accountClass == .revenue || accountClass == .cost else {
                continue
            }
            let known = existing[number]
            let sameName = known.map { normalized($0.name) == normalized(name) } ?? false
            let fallback: AccountMeaning = accountClass == .revenue ? .otherRevenue
                : costCategory == .administration ? .administration(.other) : .category(costCategory)
            var meaning: AccountMeaning
            var reason: ChartMappingEntry.Reason
            if let mapped = mapping[number] {
                (meaning, reason) = (mapped, .mappingFile)
            } else if sameName, let known {
                // The template's 4010 and 4020 carry the intervention on each line; a line without one takes the
                // default category, as before.
                (meaning, reason) = (known.meaning ?? .category(costCategory), .remembered)
            } else if accountClass == .revenue {
                if let member = member(named: name, among: members) {
                    (meaning, reason) = (.member(member), .name)
                } else if let kind = memberKind(named: name) {
                    (meaning, reason) = (.memberKind(kind), .name)
                } else {
                    (meaning, reason) = (fallback, .fallback)
                }
            } else if let intervention = intervention(named: name, among: interventions) {
                (meaning, reason) = (.intervention(code: intervention, category: nil, name: nil), .name)
            } else if let line = administrationLine(named: name) {
                (meaning, reason) = (.administration(line), .name)
            } else if let group = AccountNumber.group(number), (4000...4999).contains(group) {
                let code = newCode(for: name, account: number, taken: usedCodes)
                usedCodes.insert(code.lowercased())
                (meaning, reason) = (.intervention(code: code, category: interventionCategory, name: name), .accountClass)
            } else {
                (meaning, reason) = (fallback, .fallback)
            }
            var conflict: String?
            if let known, !sameName, let before = known.meaning, before != meaning {
                conflict = "i förbundets kontoplan \"\(known.name)\" (\(before.swedishDescription))"
            }
            entries.append(ChartMappingEntry(account: number, name: name, meaning: meaning, reason: reason, conflict: conflict))
        }
        return entries
    }

    static func normalized(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Lower-case words of letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Words of a member's name that say nothing of which member it is.
    static let generic: Set<String> = [
        "kommun", "kommuner", "region", "regionen", "stad", "staden", "län", "läns", "landsting", "landstinget", "s",
    ]

    /// The member whose name the account's name names: every distinctive word of the member's name appears (as a
    /// word, or one being the other's stem: "Jönköping" and "Jönköpings"). Where several match, the one with the most
    /// words of its name in the account's name; a tie names none.
    static func member(named name: String, among members: [KnownMember]) -> String? {
        let accountWords = words(name)
        func found(_ word: String) -> Bool {
            accountWords.contains { $0 == word || ($0.count >= 4 && word.hasPrefix($0)) || (word.count >= 4 && $0.hasPrefix(word)) }
        }
        var best: (code: String, score: Int)?
        var tie = false
        for member in members {
            let memberWords = words(member.name)
            let distinctive = memberWords.filter { !generic.contains($0) && $0.count >= 3 }
            guard !distinctive.isEmpty, distinctive.allSatisfy(found) else { continue }
            let score = memberWords.filter(found).count
            if let current = best, current.score == score {
                tie = true
            } else if best == nil || score > best!.score {
                best = (member.code, score)
                tie = false
            }
        }
        return tie ? nil : best?.code
    }

    static let kindWords: [(MemberKind, [String])] = [
        (.fk, ["försäkringskassan"]), (.af, ["arbetsförmedlingen"]),
        (.region, ["region", "regionen", "regioner", "landsting", "landstinget"]),
        (.municipality, ["kommun", "kommuner", "kommunerna", "kommunen"]),
    ]

    /// A member kind named in a contribution account's name ("Medlemsbidrag kommuner").
    static func memberKind(named name: String) -> MemberKind? {
        let accountWords = words(name)
        guard accountWords.contains(where: { $0.contains("bidrag") || $0.hasPrefix("medlem") }) else { return nil }
        return kindWords.first { _, kindWords in kindWords.contains { accountWords.contains($0) } }?.0
    }

    /// The intervention whose name the account has, or whose code (three characters or more) is a word of it.
    static func intervention(named name: String, among interventions: [KnownIntervention]) -> String? {
        let accountName = normalized(name)
        // Codes keep their dashes, dots and underscores: "Projekt se-aneby" names se-aneby.
        let tokens = Set(name.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || "-._".contains($0)) }).map(String.init))
        if let found = interventions.first(where: { normalized($0.name) == accountName }) { return found.code }
        let byCode = interventions.filter { $0.code.count >= 3 && tokens.contains($0.code.lowercased()) }
        return byCode.count == 1 ? byCode[0].code : nil
    }

    /// Words that name an administration line, the more specific lines first ("Revisionsarvode" is the audit's,
    /// "Sociala avgifter arvoden" the board's as in the template).
    static let lineWords: [(AdministrationLine, [String])] = [
        (.audit, ["revision", "revisor"]),
        (.accounting, ["ekonomihantering", "ekonomitjänst", "ekonomiadministration", "redovisning", "bokföring", "ekonomi"]),
        (.training, ["utbildning", "konferens"]),
        (.board, ["styrelse", "förtroendevald", "arvode", "presidi"]),
        (.staff, ["lön", "personal", "sociala avgifter", "arbetsgivaravgift", "pension", "förbundschef", "tjänsteperson"]),
        (.other, ["administration", "kontor", "lokal", "hyra", "telefon", "porto", "försäkring", "dator", "licens",
                  "programvar", "bankavgift", "bankkostnad"]),
    ]

    static func administrationLine(named name: String) -> AdministrationLine? {
        let text = name.lowercased()
        return lineWords.first { _, words in words.contains { text.contains($0) } }?.0
    }

    /// An intervention code from the account's name: ASCII letters, digits and dashes ("SE-Höglandet" gives
    /// "se-hoglandet"), unique among `taken`.
    static func newCode(for name: String, account: Int, taken: Set<String>) -> String {
        var code = ""
        for character in name.lowercased() {
            switch character {
            case "å", "ä", "á", "à", "â": code.append("a")
            case "ö", "ó", "ò", "ô": code.append("o")
            case "é", "è", "ê", "ë": code.append("e")
            case "ü", "ú": code.append("u")
            default:
                if character.isASCII && (character.isLetter || character.isNumber) {
                    code.append(character)
                } else if code.last != "-" && !code.isEmpty {
                    code.append("-")
                }
            }
        }
        while code.last == "-" { code.removeLast() }
        code = String(code.prefix(32))
        while code.last == "-" { code.removeLast() }
        if code.isEmpty { code = "konto-\(account)" }
        var candidate = code
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(code)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
