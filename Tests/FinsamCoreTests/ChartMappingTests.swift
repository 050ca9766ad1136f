import FinsamCore
import Testing

/// The proposal's rules and the mapping file's format (issue 14), without a database. Expected meanings are read off
/// the account names by hand.
@Suite struct ChartMappingTests {
    static let members = [
        ChartMappingProposal.KnownMember(code: "jonkoping", name: "Jönköpings kommun"),
        ChartMappingProposal.KnownMember(code: "region", name: "Region Jönköpings län"),
        ChartMappingProposal.KnownMember(code: "aneby", name: "Aneby kommun"),
        ChartMappingProposal.KnownMember(code: "fk", name: "Försäkringskassan"),
    ]

    static func propose(_ accounts: [(Int, String)], existing: [Int: ChartMappingProposal.ExistingAccount] = [:],
        interventions: [ChartMappingProposal.KnownIntervention] = [], mapping: [Int: AccountMeaning] = [:]) -> [Int: ChartMappingEntry]
    {
        let entries = ChartMappingProposal.propose(
            accounts: accounts.map { ($0.0, $0.1) }, existing: existing, members: members, interventions: interventions,
            mapping: mapping, interventionCategory: .individual, costCategory: .administration)
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.account, $0) })
    }

    @Test(arguments: [
        ("Medlemsbidrag Aneby kommun", AccountMeaning.member("aneby")),
        ("Medlemsbidrag Jönköpings kommun", .member("jonkoping")),
        ("Medlemsbidrag Region Jönköping", .member("region")),
        ("Bidrag Försäkringskassan", .member("fk")),
        ("Medlemsbidrag kommuner", .memberKind(.municipality)),
        ("Medlemsavgifter landstinget", .memberKind(.region)),
        ("Ränteintäkter bank", .otherRevenue),
        ("Försäljning", .otherRevenue),
    ])
    func aRevenueAccountsNameNamesItsMember(_ name: String, _ expected: AccountMeaning) {
        #expect(Self.propose([(3511, name)])[3511]?.meaning == expected)
    }

    @Test(arguments: [
        ("Revisionsarvode", AccountMeaning.administration(.audit)),
        ("Ersättning till revisor", .administration(.audit)),
        ("Ekonomitjänster", .administration(.accounting)),
        ("Styrelsearvoden", .administration(.board)),
        ("Sociala avgifter arvoden", .administration(.board)),
        ("Löner tjänstepersoner", .administration(.staff)),
        ("Utbildning styrelse", .administration(.training)),
        ("Lokalhyra", .administration(.other)),
        ("Diverse", .administration(.other)),
    ])
    func aCostAccountsNameNamesItsAdministrationLine(_ name: String, _ expected: AccountMeaning) {
        #expect(Self.propose([(6420, name)])[6420]?.meaning == expected)
    }

    @Test func aClassFourAccountIsAnInterventionKnownOrNew() {
        let known = [ChartMappingProposal.KnownIntervention(code: "se-aneby", name: "Samordnad rehabilitering Aneby")]
        let entries = Self.propose([(4611, "SE-Höglandet"), (4612, "Samordnad rehabilitering Aneby"), (4613, "Projekt se-aneby"),
                                    (4614, "SE Höglandet!")], interventions: known)
        #expect(entries[4611]?.meaning == .intervention(code: "se-hoglandet", category: .individual, name: "SE-Höglandet"))
        #expect(entries[4611]?.reason == .accountClass)
        #expect(entries[4612]?.meaning == .intervention(code: "se-aneby", category: nil, name: nil))
        #expect(entries[4613]?.meaning == .intervention(code: "se-aneby", category: nil, name: nil))
        // Two names that give the same code get codes of their own.
        #expect(entries[4614]?.meaning == .intervention(code: "se-hoglandet-2", category: .individual, name: "SE Höglandet!"))
    }

    @Test func theChartsMeaningUnderTheSameNameIsRememberedAnotherNameIsAConflict() {
        let existing: [Int: ChartMappingProposal.ExistingAccount] = [
            6420: .init(name: "Ekonomihantering", meaning: .administration(.accounting)),
            6410: .init(name: "Revision", meaning: .administration(.audit)),
            4010: .init(name: "Köp av verksamhet, insatser", meaning: nil),
        ]
        let entries = Self.propose([(6420, "Revision"), (6410, "Revision"), (4010, "Köp av verksamhet, insatser")],
            existing: existing, mapping: [:])
        #expect(entries[6420]?.meaning == .administration(.audit))
        #expect(entries[6420]?.conflict == "i förbundets kontoplan \"Ekonomihantering\" (administration: Ekonomihantering)")
        #expect(entries[6410]?.reason == .remembered)
        #expect(entries[6410]?.conflict == nil)
        // Lines on 4010 name their intervention; those without one take the default category, as before.
        #expect(entries[4010]?.meaning == .category(.administration))
        // The mapping file decides over everything.
        let mapped = Self.propose([(6420, "Revision")], existing: existing, mapping: [6420: .administration(.accounting)])
        #expect(mapped[6420]?.meaning == .administration(.accounting))
        #expect(mapped[6420]?.reason == .mappingFile)
        #expect(mapped[6420]?.conflict == nil)
    }

    @Test func aMappingFileReadsBackWhatItWrites() throws {
        let entries = [
            ChartMappingEntry(account: 3511, name: "Medlemsbidrag Aneby", meaning: .member("aneby"), reason: .name),
            ChartMappingEntry(account: 3519, name: "Kommuner", meaning: .memberKind(.municipality), reason: .name),
            ChartMappingEntry(account: 3990, name: "Övrigt", meaning: .otherRevenue, reason: .fallback),
            ChartMappingEntry(account: 4611, name: "SE # 1", meaning: .intervention(code: "se-1", category: .structural, name: "SE # 1"),
                reason: .accountClass),
            ChartMappingEntry(account: 6420, name: "Revision", meaning: .administration(.audit), reason: .name, conflict: "x"),
            ChartMappingEntry(account: 409_010, name: "Reserv", meaning: .category(.reserve), reason: .remembered),
        ]
        let text = ChartMappingFile.write(entries, title: "Prov")
        let read = try ChartMappingFile.parse(text)
        #expect(read.accounts == Dictionary(uniqueKeysWithValues: entries.map { ($0.account, $0.meaning) }))
        #expect(text.contains("4611     insats se-1 strukturell \"SE # 1\""))
    }

    @Test(arguments: [
        ("3511 medlem", "rad 1: medlem ska följas av medlemmens kod"),
        ("3511 medlem Aneby", "rad 1: \"Aneby\" är ingen medlemskod"),
        ("3511 medlemsslag kyrka", "rad 1: \"kyrka\" är inget medlemsslag (fk, af, region, kommun)"),
        ("4611 insats se-1 \"Namn", "rad 1: citattecknet avslutas inte"),
        ("4611 insats se-1 \"A\" \"B\"", "rad 1: \"B\" är ingen kostnadskategori"),
        ("4611 insats se-1 strukturell \"A\" \"B\"", "rad 1: insats ska följas av insatsens kod, och för en ny insats kategori och \"namn\""),
        ("6420 administration kaffe", "rad 1: \"kaffe\" är ingen administrationsrad (styrelse, tjänsteperson, övrigt, revision, ekonomi, utbildning)"),
        ("6420 kostnad", "rad 1: \"kostnad\" är ingen betydelse (medlem, medlemsslag, intäkt, insats, administration, kategori)"),
        ("3511 intäkt\n3511 intäkt", "rad 2: konto 3511 står redan på en tidigare rad"),
        ("objekt 6 P1 administration revision", "rad 1: ett objekt kan bara vara en insats"),
        ("objekt x P1 insats a", "rad 1: objekt ska följas av dimension, objektets id och insats KOD"),
        ("0351 intäkt", "rad 1: \"0351\" är inget kontonummer (4–9 siffror som inte börjar med 0)"),
    ])
    func aWrongLineIsNamed(_ text: String, _ message: String) {
        #expect(throws: ChartMappingFile.Problem.self) { try ChartMappingFile.parse(text) }
        do { _ = try ChartMappingFile.parse(text) } catch { #expect(error.description == message) }
    }
}
