/// The mapping of an imported chart as a text file a person edits: one account per line, its meaning in Swedish
/// words, anything after `#` a comment.
///
///     3511  medlem aneby                         # Medlemsbidrag Aneby kommun
///     3519  medlemsslag kommun
///     3990  intäkt
///     4611  insats se-hoglandet individuell "SE-Höglandet"
///     6420  administration revision
///     4090  kategori reserv
///     objekt 6 P100  insats se-hog                  # a dimension object (a project) that is an intervention
///
/// `insats` names an intervention by its code; a category and a quoted name create it when the federation has
/// no intervention of that code. An `objekt` line names a dimension and an object id (quoted when it has spaces);
/// lines with that object count for the intervention.
public enum ChartMappingFile {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "rad \(line): \(reason)" }
    }

    static let memberKinds: [String: MemberKind] = [
        "fk": .fk, "försäkringskassan": .fk, "af": .af, "arbetsförmedlingen": .af, "region": .region,
        "kommun": .municipality, "municipality": .municipality,
    ]
    static let categories: [String: CostCategory] = [
        "individuell": .individual, "individual": .individual, "strukturell": .structural, "structural": .structural,
        "administration": .administration, "reserv": .reserve, "reserve": .reserve,
    ]
    static let lines: [String: AdministrationLine] = [
        "styrelse": .board, "board": .board, "tjänsteperson": .staff, "personal": .staff, "staff": .staff,
        "övrigt": .other, "övrig": .other, "other": .other, "revision": .audit, "audit": .audit,
        "ekonomi": .accounting, "ekonomihantering": .accounting, "accounting": .accounting,
        "utbildning": .training, "training": .training,
    ]

    /// The words of a meaning as the file writes it.
    public static func words(_ meaning: AccountMeaning) -> String {
        switch meaning {
        case .member(let code): "medlem \(code)"
        case .memberKind(let kind): "medlemsslag \(kind == .municipality ? "kommun" : kind.rawValue)"
        case .otherRevenue: "intäkt"
        case .intervention(let code, let category, let name):
            "insats \(code)" + (category.map { " \(word(for: $0))" } ?? "") + (name.map { " \"\($0)\"" } ?? "")
        case .administration(let line): "administration \(word(for: line))"
        case .category(let category): "kategori \(word(for: category))"
        }
    }

    static func word(for category: CostCategory) -> String {
        switch category {
        case .individual: "individuell"
        case .structural: "strukturell"
        case .administration: "administration"
        case .reserve: "reserv"
        }
    }

    static func word(for line: AdministrationLine) -> String {
        switch line {
        case .board: "styrelse"
        case .staff: "tjänsteperson"
        case .other: "övrigt"
        case .audit: "revision"
        case .accounting: "ekonomi"
        case .training: "utbildning"
        }
    }

    /// The file for `entries`, each line commented with the account's name in the file, why, and any conflict.
    public static func write(_ entries: [ChartMappingEntry], objects: [ObjectMappingEntry] = [], title: String) -> String {
        var text = """
            # \(title)
            # En rad per konto: kontonummer och betydelse. Betydelser: medlem KOD, medlemsslag fk|af|region|kommun,
            # intäkt, insats KOD [individuell|strukturell|administration|reserv] ["Namn"], administration
            # styrelse|tjänsteperson|övrigt|revision|ekonomi|utbildning, kategori individuell|strukturell|administration|reserv.
            # Ett dimensionsobjekt som är en insats: objekt DIMENSION ID insats KOD [kategori] ["Namn"].
            # Allt efter # är kommentar. Ändra det som inte stämmer och läs in filen med mappningen.

            """
        let width = entries.map { words($0.meaning).count }.max() ?? 0
        for entry in entries {
            let meaning = words(entry.meaning)
            var comment = "\(entry.name); \(entry.reason.swedishDescription)"
            if let conflict = entry.conflict { comment += "; KONFLIKT: \(conflict)" }
            text += pad(String(entry.account), 9) + pad(meaning, width + 2) + "# \(comment)\n"
        }
        for object in objects {
            let id = object.id.contains(" ") || object.id.isEmpty ? "\"\(object.id)\"" : object.id
            text += "objekt \(object.dimension) \(id)  \(words(object.meaning))  # \(object.name); \(object.reason.swedishDescription)\n"
        }
        return text
    }

    /// What a mapping file says: meanings by account, and interventions by dimension object.
    public struct Content: Sendable, Equatable {
        public var accounts: [Int: AccountMeaning] = [:]
        public var objects: [SIEFile.Object: AccountMeaning] = [:]

        public init(accounts: [Int: AccountMeaning] = [:], objects: [SIEFile.Object: AccountMeaning] = [:]) {
            self.accounts = accounts
            self.objects = objects
        }
    }

    /// The meanings the file gives, by account and by object. Problems name the line.
    public static func parse(_ text: String) throws(Problem) -> Content {
        var meanings: [Int: AccountMeaning] = [:]
        var objects: [SIEFile.Object: AccountMeaning] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = uncommented(rawLine)
            let tokens = try tokenize(content, line: lineNumber)
            guard let first = tokens.first else { continue }
            if first.lowercased() == "objekt" {
                guard tokens.count >= 4, let dimension = Int(tokens[1]), dimension > 0, !tokens[2].isEmpty else {
                    throw Problem(line: lineNumber, reason: "objekt ska följas av dimension, objektets id och insats KOD")
                }
                let meaning = try parseMeaning(Array(tokens.dropFirst(3)), line: lineNumber)
                guard case .intervention = meaning else {
                    throw Problem(line: lineNumber, reason: "ett objekt kan bara vara en insats")
                }
                let object = SIEFile.Object(dimension: dimension, id: tokens[2])
                guard objects[object] == nil else {
                    throw Problem(line: lineNumber, reason: "objekt \(dimension) \(tokens[2]) står redan på en tidigare rad")
                }
                objects[object] = meaning
                continue
            }
            guard let account = AccountNumber.parse(first) else {
                throw Problem(line: lineNumber, reason: "\"\(first)\" är inget kontonummer (\(AccountNumber.rule))")
            }
            guard tokens.count >= 2 else { throw Problem(line: lineNumber, reason: "konto \(account) saknar betydelse") }
            let meaning = try parseMeaning(Array(tokens.dropFirst()), line: lineNumber)
            guard let accountClass = AccountClass(accountNumber: account), meaning.fits(accountClass) else {
                throw Problem(line: lineNumber, reason: "konto \(account) kan inte betyda \(meaning.swedishDescription): "
                    + "medlemmar och intäkter hör till klass 3, insatser och administration till klass 4–7")
            }
            guard meanings[account] == nil else {
                throw Problem(line: lineNumber, reason: "konto \(account) står redan på en tidigare rad")
            }
            meanings[account] = meaning
        }
        return Content(accounts: meanings, objects: objects)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// A member's code as schema/001 allows it: a–z, 0–9 and -, 2–40 characters, not starting with -.
    static func isMemberCode(_ code: String) -> Bool {
        (2...40).contains(code.count) && code.first != "-"
            && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// An intervention's code as schema/002 allows it: A–Z, a–z, 0–9 and . _ -, 1–40 characters, starting with a
    /// letter or digit.
    static func isInterventionCode(_ code: String) -> Bool {
        func plain(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) }
        guard let first = code.unicodeScalars.first, plain(first), code.count <= 40 else { return false }
        return code.unicodeScalars.allSatisfy { plain($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func uncommented(_ line: Substring) -> Substring {
        var inQuotes = false
        for index in line.indices {
            if line[index] == "\"" { inQuotes.toggle() }
            if line[index] == "#" && !inQuotes { return line[..<index] }
        }
        return line
    }

    static func tokenize(_ line: Substring, line number: Int) throws(Problem) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inQuotes = false
        var quoted = false
        for character in line {
            if character == "\"" {
                inQuotes.toggle()
                quoted = true
            } else if !inQuotes && (character == " " || character == "\t" || character == "\r") {
                if !current.isEmpty || quoted { tokens.append(current) }
                current = ""
                quoted = false
            } else {
                current.append(character)
            }
        }
        guard !inQuotes else { throw Problem(line: number, reason: "citattecknet avslutas inte") }
        if !current.isEmpty || quoted { tokens.append(current) }
        return tokens
    }

    static func parseMeaning(_ words: [String], line: Int) throws(Problem) -> AccountMeaning {
        let keyword = words[0].lowercased()
        let arguments = Array(words.dropFirst())
        func one(_ what: String) throws(Problem) -> String {
            guard arguments.count == 1 else { throw Problem(line: line, reason: "\(keyword) ska följas av \(what)") }
            return arguments[0]
        }
        switch keyword {
        case "medlem":
            let code = try one("medlemmens kod")
            guard isMemberCode(code) else {
                throw Problem(line: line, reason: "\"\(code)\" är ingen medlemskod")
            }
            return .member(code)
        case "medlemsslag":
            guard let kind = memberKinds[try one("fk, af, region eller kommun").lowercased()] else {
                throw Problem(line: line, reason: "\"\(arguments[0])\" är inget medlemsslag (fk, af, region, kommun)")
            }
            return .memberKind(kind)
        case "intäkt", "intäkter":
            guard arguments.isEmpty else { throw Problem(line: line, reason: "intäkt tar inga fler ord") }
            return .otherRevenue
        case "insats":
            guard (1...3).contains(arguments.count) else {
                throw Problem(line: line, reason: "insats ska följas av insatsens kod, och för en ny insats kategori och \"namn\"")
            }
            let code = arguments[0]
            guard isInterventionCode(code) else {
                throw Problem(line: line, reason: "\"\(code)\" är ingen insatskod (A–Z, 0–9, . _ -)")
            }
            var category: CostCategory?
            var name: String?
            for argument in arguments.dropFirst() {
                if category == nil, let found = categories[argument.lowercased()] {
                    category = found
                } else if name == nil {
                    do { try PlainText.check(argument, limit: PlainText.nameLimit) } catch {
                        throw Problem(line: line, reason: "insatsens namn \(error)")
                    }
                    name = argument
                } else {
                    throw Problem(line: line, reason: "\"\(argument)\" är ingen kostnadskategori")
                }
            }
            return .intervention(code: code, category: category, name: name)
        case "administration":
            guard let found = lines[try one("en administrationsrad").lowercased()] else {
                throw Problem(line: line, reason: "\"\(arguments[0])\" är ingen administrationsrad "
                    + "(styrelse, tjänsteperson, övrigt, revision, ekonomi, utbildning)")
            }
            return .administration(found)
        case "kategori":
            guard let found = categories[try one("en kostnadskategori").lowercased()] else {
                throw Problem(line: line, reason: "\"\(arguments[0])\" är ingen kostnadskategori "
                    + "(individuell, strukturell, administration, reserv)")
            }
            return .category(found)
        default:
            throw Problem(line: line, reason: "\"\(words[0])\" är ingen betydelse (medlem, medlemsslag, intäkt, insats, "
                + "administration, kategori)")
        }
    }
}
