import FinsamCore
import Postgres

/// The demo's people and, in Norra Älvmark, two interventions funded by board decisions per municipality and
/// half-year, with disbursements in every state (DOMAIN.md, Funding decisions and disbursements):
/// - `se-unga`, Supported Employment coaches for young adults, 240 000 kr per FTE and half-year: Ankeby 0,50,
///   Bergby 1,25, Dalby 2,00 FTE; in 2026H2 Dalby's post is 1,00 FTE vacant in September and October
///   (4 × 2 × 40 000 + 2 × 1 × 40 000 = 400 000);
/// - `samordnare`, a half-time coordinator per municipality, 150 000 kr per half-year; in 2026H2 Bergby's post is
///   vacant in November and December (150 000 × 4/6 = 100 000).
/// 2026H1 is paid in January. Of 2026H2: Ankeby's coaches are paid, Bergby's approved by the director and the
/// chair (above the delegation limit of 250 000 kr), Dalby's approved by the director and waiting for the chair;
/// Ankeby's coordinator was returned for a reference, Bergby's is a draft, Dalby's was rejected.
enum DemoFunding {
    struct Person {
        var code: String
        var name: String
        var roles: [RoleGrant]
    }

    static let federation = "norralv"
    static let economist = User.person("lena.lind")
    static let director = User.person("anna.dahl")
    static let chair = User.person("olof.strand")

    static let people: [Person] = [
        Person(code: "lena.lind", name: "Lena Lind", roles: ["norralv", "mellanalv", "sodraalv"].map { .init(federation: $0, role: .economy) }),
        // The director Norra and Mellersta Älvmark share (DOMAIN.md, Several federations together).
        Person(code: "anna.dahl", name: "Anna Dahl", roles: ["norralv", "mellanalv"].map { .init(federation: $0, role: .director) }),
        Person(code: "karl.sund", name: "Karl Sund", roles: [.init(federation: "sodraalv", role: .director)]),
        Person(code: "olof.strand", name: "Olof Strand", roles: [.init(federation: "norralv", role: .chair)]),
        Person(code: "maria.ek", name: "Maria Ek", roles: [.init(federation: "mellanalv", role: .chair)]),
        Person(code: "per.holm", name: "Per Holm", roles: [.init(federation: "sodraalv", role: .chair)]),
        Person(code: "siv.berg", name: "Siv Berg", roles: [.init(federation: "norralv", role: .board)]),
        Person(code: "revisor", name: "Älvmarks revisorer", roles: ["norralv", "mellanalv", "sodraalv"].map { .init(federation: $0, role: .auditor) }),
    ]

    /// The account each federation pays from (valid Swedish IBANs of invented accounts).
    static let payers: [String: (iban: String, bic: String)] = [
        "norralv": ("SE4550000000058398257466", "ESSESESS"),
        "mellanalv": ("SE7160000000000123456789", "HANDSESS"),
        "sodraalv": ("SE2780000000012345678901", "SWEDSESS"),
    ]

    /// Invented bankgiro numbers (with valid check digits) for the municipalities' payouts, in member order.
    static let bankgiros = ["5051-0007", "5051-0015", "5051-0023", "5051-0031", "5051-0049", "5051-0056", "5051-0064",
                            "5051-0072", "5051-0080"]

    static let interventions = [
        Intervention(code: "se-unga", name: "Supported Employment unga vuxna", category: .individual,
            activeFrom: CalendarDate(year: 2026, month: 1, day: 1)!, funding: .fteRate),
        Intervention(code: "samordnare", name: "Samordnare i kommunerna", category: .structural,
            activeFrom: CalendarDate(year: 2026, month: 1, day: 1)!, funding: .fixed),
    ]

    /// The budget adopted in November 2025 (the coaches a little below the 1 800 000 their decisions allow, for
    /// posts that are never filled all year), and the forecast in October: what the year's decisions give, the
    /// vacancies included (coaches 900 000 + 820 000; coordinators 450 000 + 400 000). Both at least what is booked.
    static let budgets = [
        BudgetLine(kind: .budget, year: 2026, account: nil, intervention: "se-unga", amount: Money(kronor: 1_750_000)),
        BudgetLine(kind: .budget, year: 2026, account: nil, intervention: "samordnare", amount: Money(kronor: 900_000)),
        BudgetLine(kind: .forecast, year: 2026, account: nil, intervention: "se-unga", amount: Money(kronor: 1_720_000)),
        BudgetLine(kind: .forecast, year: 2026, account: nil, intervention: "samordnare", amount: Money(kronor: 850_000)),
    ]

    /// When the paid disbursements were paid: 2026H1 in January, Ankeby's coaches of 2026H2 in July.
    static let payments: [(date: CalendarDate, numbers: [Int])] = [
        (CalendarDate(year: 2026, month: 1, day: 26)!, [1, 2, 3, 4, 5, 6]),
        (CalendarDate(year: 2026, month: 7, day: 27)!, [7]),
    ]

    static func coaches(_ member: String, _ fte: String, heads: Int, _ half: String, _ reference: String) -> FundingDecisionRequest {
        FundingDecisionRequest(intervention: "se-unga", member: member, halfYear: HalfYear(half)!, fte: FTE(parsing: fte)!, heads: heads,
            rate: Money(kronor: 240_000), reference: BoardReference(parsing: reference)!)
    }

    static func coordinator(_ member: String, _ half: String, _ reference: String) -> FundingDecisionRequest {
        FundingDecisionRequest(intervention: "samordnare", member: member, halfYear: HalfYear(half)!, amount: Money(kronor: 150_000),
            reference: BoardReference(parsing: reference)!)
    }

    /// The password every demo user signs in to finsamd with: the demo's only, and it says so.
    public static let password = "demo"

    /// The other federations' roles, payment accounts and payees, once the federations exist; and each person's
    /// password (`password`, which no real user could be given: it breaks `PasswordPolicy`).
    static func finish(on c: Connection, by loader: User) async throws {
        for person in people {
            try await UserStore.grant(c, person.roles.filter { $0.federation != federation }, to: person.code, by: loader.name)
            try await Credentials.storePassword(c, password, for: person.code, by: loader.name)
        }
        for code in payers.keys.sorted() where code != federation { try await setUpPayments(of: code, on: c) }
    }

    /// The federation's account to pay from, its delegation limit (Norra Älvmark: 250 000 kr), and a bankgiro for
    /// each of its municipalities.
    static func setUpPayments(of code: String, on c: Connection) async throws {
        let federationID = try await FederationStore.federationID(c, code)
        let payer = payers[code]!
        try await DisbursementSettingsStore.updateDisbursementSettings(c,
            DisbursementSettingsChange(delegationLimit: code == federation ? .set(Money(kronor: 250_000)) : nil,
                payerIBAN: payer.iban, payerBIC: payer.bic), federationID: federationID)
        let offset = ["norralv": 0, "mellanalv": 3, "sodraalv": 6][code] ?? 0
        for (index, member) in try await MemberStore.members(c, federationID: federationID).filter({ $0.kind == .municipality }).enumerated() {
            try await c.query("UPDATE member SET payout_bankgiro = $3 WHERE federation_id = $1 AND member_id = $2",
                [federationID, member.id, bankgiros[(offset + index) % bankgiros.count]])
        }
    }

    /// Everything but the payments (which `DemoData` makes in date order among the other vouchers).
    /// Returns the number of decisions.
    static func load(on c: Connection, by loader: User) async throws -> Int {
        // The roles in Norra Älvmark now; those in the other federations once they exist (`finish`).
        for person in people {
            _ = try await UserStore.addUser(c, code: person.code, name: person.name,
                roles: person.roles.filter { $0.federation == federation }, by: loader)
        }
        try await setUpPayments(of: federation, on: c)
        let federationID = try await FederationStore.federationID(c, federation)
        for intervention in interventions { try await InterventionStore.insert(c, intervention, federationID: federationID) }
        try await BudgetStore.setBudgetLines(c, budgets, federationID: federationID, by: loader.name)

        let decisions = [
            coaches("ankeby", "0.50", heads: 1, "2026H1", "2025-11-19 §8"), coaches("bergby", "1.25", heads: 2, "2026H1", "2025-11-19 §8"),
            coaches("dalby", "2.00", heads: 3, "2026H1", "2025-11-19 §8"),
            coordinator("ankeby", "2026H1", "2025-11-19 §9"), coordinator("bergby", "2026H1", "2025-11-19 §9"),
            coordinator("dalby", "2026H1", "2025-11-19 §9"),
            coaches("ankeby", "0.50", heads: 1, "2026H2", "2026-05-20 §12"), coaches("bergby", "1.25", heads: 2, "2026H2", "2026-05-20 §12"),
            coaches("dalby", "2.00", heads: 3, "2026H2", "2026-05-20 §12"),
            coordinator("ankeby", "2026H2", "2026-05-20 §13"), coordinator("bergby", "2026H2", "2026-05-20 §13"),
            coordinator("dalby", "2026H2", "2026-05-20 §13"),
        ]
        for decision in decisions { _ = try await FundingDecisionStore.recordFundingDecision(c, decision, in: federation, by: economist) }
        _ = try await FundingDecisionStore.adjustFundingDecision(c, FundingAdjustmentRequest(
            intervention: "se-unga", member: "dalby", halfYear: HalfYear("2026H2")!, from: YearMonth("2026-09")!, to: YearMonth("2026-10")!,
            change: .fte(FTE(parsing: "1.00")!)), in: federation, by: economist)
        _ = try await FundingDecisionStore.adjustFundingDecision(c, FundingAdjustmentRequest(
            intervention: "samordnare", member: "bergby", halfYear: HalfYear("2026H2")!, from: YearMonth("2026-11")!,
            to: YearMonth("2026-12")!, change: .vacant), in: federation, by: economist)

        // 2026H1: numbers 1–3 (coaches), 4–6 (coordinators), all approved; paid in January.
        for code in ["se-unga", "samordnare"] {
            _ = try await DisbursementStore.prepareDisbursements(c, in: federation, intervention: code, halfYear: HalfYear("2026H1")!, by: economist)
        }
        _ = try await DisbursementStore.submitDisbursements(c, [1, 2, 3, 4, 5, 6], in: federation, by: economist)
        _ = try await DisbursementStore.approveDisbursements(c, [1, 2, 3, 4, 5, 6], in: federation, by: director)
        _ = try await DisbursementStore.approveDisbursements(c, [2, 3], in: federation, by: chair)
        // 2026H2: coaches 7–9, coordinators 10–12.
        for code in ["se-unga", "samordnare"] {
            _ = try await DisbursementStore.prepareDisbursements(c, in: federation, intervention: code, halfYear: HalfYear("2026H2")!, by: economist)
        }
        _ = try await DisbursementStore.submitDisbursements(c, [7, 8, 9, 10, 12], in: federation, by: economist)
        _ = try await DisbursementStore.approveDisbursements(c, [7, 8, 9], in: federation, by: director)
        _ = try await DisbursementStore.approveDisbursements(c, [8], in: federation, by: chair)
        _ = try await DisbursementStore.returnDisbursements(c, [10], in: federation, comment: "Ange kommunens referens för samordnaren", by: director)
        _ = try await DisbursementStore.rejectDisbursements(c,
            [12], in: federation, comment: "Tjänsten är inte tillsatt för hösten; nytt beslut i december", by: director)
        return decisions.count
    }
}
