import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// Books brought over with the federation's own chart (issue 14): one contribution account per member, an
/// intervention per cost account of class 4, administration on its own accounts, the previous year's figures. The
/// file is shaped like the region's export the issue describes; every expected figure below is added up by hand from
/// the file's lines.
@Suite struct SIEChartMappingTests {
    static let user = LedgerTests.user

    static let halfYear = FederationBooks.halfYear

    static func withFederation(_ body: (Database, isolated Connection) async throws -> Void) async throws {
        try await LedgerTests.withLedger { database, c in
            _ = try await Federations(database).create(
                code: "hoglandet", name: "Samordningsförbundet Höglandet", orgnr: "222000-0018", seatMunicipality: nil, by: Self.user)
            let members = Members(database)
            for (code, kind, name, orgnr) in [
                ("aneby", MemberKind.municipality, "Aneby kommun", "212000-0530"),
                ("eksjo", .municipality, "Eksjö kommun", "212000-0548"),
                ("region", .region, "Region Jönköpings län", "232100-0057"),
                ("fk", .fk, "Försäkringskassan", "202100-5521"),
            ] {
                _ = try await members.add(MemberDetails(code: code, kind: kind, name: name, orgnr: orgnr), to: "hoglandet", by: Self.user)
            }
            try await body(database, c)
        }
    }

    static func row(_ statement: IncomeStatement, _ kind: String, _ code: String) -> IncomeStatement.Amounts? {
        (statement.revenue.rows + statement.costs.rows + statement.administration.rows)
            .first { $0.kind == kind && $0.code == code }?.amounts
    }

    static func kr(_ kronor: Int64) -> Money { Money(öre: kronor * 100) }

    @Test func theImportedBooksReadLikeTheFederationsOwnReport() async throws {
        try await Self.withFederation { database, _ in
            let summary = try await SIEImport(database).run(
                Array(Self.halfYear.utf8), fileName: "hoglandet-2026.se", into: "hoglandet", by: Self.user)
            let meanings = Dictionary(uniqueKeysWithValues: summary.mapping.map { ($0.account, $0.meaning) })
            #expect(meanings[3511] == .member("aneby"))
            #expect(meanings[3512] == .member("eksjo"))
            #expect(meanings[3520] == .member("region"))
            #expect(meanings[3530] == .member("fk"))
            #expect(meanings[4611] == .intervention(code: "se-hoglandet", category: .individual, name: "SE-Höglandet"))
            #expect(meanings[5010] == .administration(.staff))
            #expect(meanings[6420] == .administration(.audit))
            #expect(meanings[6550] == .administration(.accounting))
            #expect(meanings[7010] == .administration(.board))
            // The template calls 6420 "Ekonomihantering"; the file's "Revision" wins, and the conflict is named.
            let conflicts = summary.mapping.filter { $0.conflict != nil }
            #expect(conflicts.map(\.account) == [6420])
            #expect(conflicts.first?.conflict?.contains("Ekonomihantering") == true)
            #expect(summary.interventionsCreated == 1)
            #expect(summary.previousYear?.leftOut == nil)

            let statement = try await IncomeStatementReport(database).make(for: "hoglandet", year: 2026, by: Self.user)
            for member in ["aneby", "eksjo", "region", "fk"] {
                #expect(Self.row(statement, "member", member)?.actual == Self.kr(250_000), "\(member)")
            }
            #expect(Self.row(statement, "member", "aneby")?.previousYear == Self.kr(200_000))
            #expect(Self.row(statement, "intervention", "se-hoglandet")?.actual == Self.kr(600_000))
            #expect(Self.row(statement, "intervention", "se-hoglandet")?.previousYear == Self.kr(700_000))
            #expect(Self.row(statement, "administration", "staff")?.actual == Self.kr(100_000))
            #expect(Self.row(statement, "administration", "audit")?.actual == Self.kr(50_451))
            #expect(Self.row(statement, "administration", "audit")?.previousYear == Self.kr(45_000))
            #expect(Self.row(statement, "administration", "accounting")?.actual == Self.kr(30_000))
            #expect(Self.row(statement, "administration", "board")?.actual == Self.kr(20_000))
            #expect(Self.row(statement, "other-revenue", "")?.actual ?? .zero == .zero)
            // 1 000 000 contributions less 800 451 costs; the previous year 200 000 less 745 000.
            #expect(statement.result.actual == Self.kr(199_549))
            #expect(statement.result.previousYear == Self.kr(-545_000))
            let other = statement.revenue.rows.first { $0.kind == "other-revenue" }
            #expect(other?.amounts.actual == .zero)
            #expect(statement.administration.rows.first { $0.code == "other" }?.amounts.actual == .zero)

            // The balance sheet's comparison date is filled: the bank at the end of 2025.
            let balance = try await BalanceSheetReport(database).make(
                for: "hoglandet", at: CalendarDate(iso: "2026-06-30")!, compare: CalendarDate(iso: "2025-12-31")!, by: Self.user)
            #expect(balance.assets.first { $0.key == "cash" }?.compare == Self.kr(2_000_000))
            #expect(balance.assets.first { $0.key == "cash" }?.at == Self.kr(2_199_549))
        }
    }

    @Test func aMappingFileDecidesAndTheNextImportRemembers() async throws {
        try await Self.withFederation { database, c in
            let mapping = """
                # Höglandets mappning
                4611  insats se-hog strukturell "SE-Höglandet"   # namnet som i besluten
                6420  administration ekonomi
                3530  medlemsslag fk
                """
            let summary = try await SIEImport(database).run(
                Array(Self.halfYear.utf8), fileName: "hoglandet-2026.se", into: "hoglandet",
                options: SIEImportOptions(mappingFile: ("mappning.txt", mapping)), by: Self.user)
            let entries = Dictionary(uniqueKeysWithValues: summary.mapping.map { ($0.account, $0) })
            #expect(entries[4611]?.meaning == .intervention(code: "se-hog", category: .structural, name: "SE-Höglandet"))
            #expect(entries[4611]?.reason == .mappingFile)
            #expect(entries[6420]?.meaning == .administration(.accounting))
            #expect(entries[6420]?.conflict == nil)
            #expect(entries[3530]?.meaning == .memberKind(.fk))
            let category = try await c.query(
                "SELECT category::text FROM intervention WHERE code = 'se-hog'").scalar(String.self)
            #expect(category == "structural")
            let statement = try await IncomeStatementReport(database).make(for: "hoglandet", year: 2026, by: Self.user)
            #expect(Self.row(statement, "administration", "accounting")?.actual == Self.kr(80_451))
            #expect(Self.row(statement, "intervention", "se-hog")?.actual == Self.kr(600_000))

            // The next year's file, same chart, its opening balances 2026's closing ones with the year's result closed
            // into 2091 (1930: 2 199 549; 2091: −2 000 000 − 199 549). The federation remembers what each account means,
            // and the opening voucher books only what differs from the ledger: nothing but that closing.
            let next = Self.halfYear
                .replacingOccurrences(of: "#RAR 0 20260101 20261231\n#RAR -1 20250101 20251231", with: "#RAR 0 20270101 20271231")
                .replacingOccurrences(of: " 2026", with: " 2027")
                .replacingOccurrences(of: "#IB 0 1930 2000000.00", with: "#IB 0 1930 2199549.00")
                .replacingOccurrences(of: "#IB 0 2091 -2000000.00", with: "#IB 0 2091 -2199549.00")
                .replacingOccurrences(of: "#UB 0 1930 2199549.00", with: "#UB 0 1930 2399098.00")
                .replacingOccurrences(of: "#UB 0 2091 -2000000.00", with: "#UB 0 2091 -2199549.00")
                .split(separator: "\n").filter { !$0.hasPrefix("#UB -1") && !$0.hasPrefix("#RES -1") }
                .joined(separator: "\n")
            let again = try await SIEImport(database).run(Array(next.utf8), fileName: "hoglandet-2027.se", into: "hoglandet", by: Self.user)
            #expect(again.mapping.allSatisfy { $0.reason == .remembered }, "\(again.mapping)")
            #expect(again.mapping.first { $0.account == 4611 }?.meaning == .intervention(code: "se-hog", category: nil, name: nil))
            #expect(again.interventionsCreated == 0)
            #expect(again.openingBalances == 2)
            #expect(again.closingBalancesChecked == 2)
            // The file's 2091 has both earlier results closed into it (2025's loss of 545 000, 2026's profit of
            // 199 549); the ledger keeps them in those years' result accounts and 2091 at 2025's −2 545 000. The
            // opening balances differ from the ledger by −2 199 549 − (−2 545 000) = 345 451.
            #expect(again.openingDifference?.sum == Self.kr(345_451))
            let opening = try await c.query(
                "SELECT count(*) FROM voucher WHERE source = 'opening' AND fiscal_year = 2027").scalar(Int64.self)
            #expect(opening == 0)
            let sheet = try await BalanceSheetReport(database).make(
                for: "hoglandet", at: CalendarDate(iso: "2027-06-30")!, compare: CalendarDate(iso: "2026-12-31")!, by: Self.user)
            #expect(sheet.assets.first { $0.key == "cash" }?.at == Self.kr(2_399_098))
            #expect(sheet.assets.first { $0.key == "cash" }?.compare == Self.kr(2_199_549))
            let statement2027 = try await IncomeStatementReport(database).make(for: "hoglandet", year: 2027, by: Self.user)
            #expect(statement2027.result.previousYear == Self.kr(199_549))
            #expect(statement2027.result.actual == Self.kr(199_549))
        }
    }

    /// A project of the file's dimension 6 named in the mapping file is an intervention: its lines count for it, the
    /// account's other lines for the account's intervention.
    @Test func aDimensionObjectNamedInTheMappingIsAnIntervention() async throws {
        try await Self.withFederation { database, c in
            let file = Self.halfYear
                .replacingOccurrences(of: "#KONTO 1930 \"Bank\"", with: "#DIM 6 \"Projekt\"\n#OBJEKT 6 \"P1\" \"Unga vuxna\"\n#KONTO 1930 \"Bank\"")
                .replacingOccurrences(of: "#TRANS 4611 {} 600000.00", with: "#TRANS 4611 {6 \"P1\"} 400000.00\n#TRANS 4611 {} 200000.00")
            let mapping = "objekt 6 P1  insats unga strukturell  # Unga vuxna\n"
            let summary = try await SIEImport(database).run(
                Array(file.utf8), fileName: "projekt.se", into: "hoglandet",
                options: SIEImportOptions(mappingFile: ("mappning.txt", mapping)), by: Self.user)
            #expect(summary.objects == [ObjectMappingEntry(dimension: 6, id: "P1", name: "Unga vuxna",
                meaning: .intervention(code: "unga", category: .structural, name: nil), reason: .mappingFile)])
            #expect(summary.interventionsCreated == 2)
            let statement = try await IncomeStatementReport(database).make(for: "hoglandet", year: 2026, by: Self.user)
            #expect(Self.row(statement, "intervention", "unga")?.actual == Self.kr(400_000))
            #expect(Self.row(statement, "intervention", "se-hoglandet")?.actual == Self.kr(200_000))
            let intervention = try await c.query("SELECT name || '/' || category FROM intervention WHERE code = 'unga'").scalar(String.self)
            #expect(intervention == "Unga vuxna/structural")
            // Written back as a mapping file, the object's line reads as it was given.
            let text = ChartMappingFile.write(summary.mapping, objects: summary.objects, title: "t")
            #expect(try ChartMappingFile.parse(text).objects == [SIEFile.Object(dimension: 6, id: "P1"): .intervention(code: "unga", category: .structural, name: nil)])
        }
    }

    @Test func aPreviewShowsTheMappingAndTheStatementAndKeepsNothing() async throws {
        try await Self.withFederation { database, c in
            let preview = try await SIEImport(database).preview(
                Array(Self.halfYear.utf8), fileName: "hoglandet-2026.se", into: "hoglandet", by: Self.user)
            #expect(preview.summary.mapping.count == 9)
            let statement = try #require(preview.incomeStatement)
            #expect(statement.result.actual == Self.kr(199_549))
            #expect(Self.row(statement, "member", "aneby")?.actual == Self.kr(250_000))
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM intervention").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM import_file").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM account WHERE member_id IS NOT NULL").scalar(Int64.self) == 0)
        }
    }

    @Test func aWrongMappingFileIsRefusedWithItsLineAndNothingIsWritten() async throws {
        try await Self.withFederation { database, c in
            for (mapping, message) in [
                ("3511 medlem okand", "mappning.txt: konto 3511 ska vara medlemsbidrag från okand, men förbundet har ingen medlem okand"),
                ("\n6420 insats", "mappning.txt: rad 2: insats ska följas av insatsens kod"),
                ("3511 administration revision", "mappning.txt: rad 1: konto 3511 kan inte betyda administration: Revision"),
                ("9999 intäkt", "mappning.txt: rad 1: konto 9999 kan inte betyda övriga intäkter"),
                ("3999 intäkt", "mappning.txt: konto 3999 används inte i hoglandet-2026.se"),
                ("12 intäkt", "mappning.txt: rad 1: \"12\" är inget kontonummer"),
            ] {
                do {
                    _ = try await SIEImport(database).run(
                        Array(Self.halfYear.utf8), fileName: "hoglandet-2026.se", into: "hoglandet",
                        options: SIEImportOptions(mappingFile: ("mappning.txt", mapping)), by: Self.user)
                    Issue.record("\(mapping) was accepted")
                } catch let error as ServiceError {
                    #expect(error.message.hasPrefix(message), "\(error.message)")
                }
            }
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
        }
    }

    /// Sub-accounts of more than four digits, as real charts have them (143010, 797199): they import, and they count
    /// where their four-digit group does.
    @Test func subAccountsBelongToTheirGroup() async throws {
        try await Self.withFederation { database, _ in
            let file = Self.halfYear
                .replacingOccurrences(of: "#KONTO 7010 \"Styrelse\"", with: "#KONTO 701010 \"Styrelse, arvoden\"")
                .replacingOccurrences(of: "#RES 0 7010 20000.00", with: "#RES 0 701010 20000.00")
                .replacingOccurrences(of: "#TRANS 7010 {} 20000.00", with: "#TRANS 701010 {} 20000.00")
                .replacingOccurrences(of: "#KONTO 1930 \"Bank\"", with: "#KONTO 193010 \"Bank, koncernkonto\"")
                .replacingOccurrences(of: "1930 ", with: "193010 ")
            let summary = try await SIEImport(database).run(Array(file.utf8), fileName: "underkonton.se", into: "hoglandet", by: Self.user)
            #expect(summary.mapping.first { $0.account == 701010 }?.meaning == .administration(.board))
            let statement = try await IncomeStatementReport(database).make(for: "hoglandet", year: 2026, by: Self.user)
            #expect(Self.row(statement, "administration", "board")?.actual == Self.kr(20_000))
            #expect(statement.result.actual == Self.kr(199_549))
            let balance = try await BalanceSheetReport(database).make(
                for: "hoglandet", at: CalendarDate(iso: "2026-06-30")!, compare: nil, by: Self.user)
            #expect(balance.assets.first { $0.key == "cash" }?.at == Self.kr(2_199_549))
            let trial = try await TrialBalanceReport(database).make(
                for: "hoglandet", from: CalendarDate(iso: "2026-01-01")!, to: CalendarDate(iso: "2026-12-31")!, by: Self.user)
            #expect(trial.rows.first { $0.account == 193010 }?.closing == Self.kr(2_199_549))
        }
    }
}
