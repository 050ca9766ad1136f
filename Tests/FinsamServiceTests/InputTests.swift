import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// What people and files give the service (issue 13): text that is not plain is refused with the field named,
/// by the service and by the database; values beyond their range are named; a SIE file in UTF-8 reads as UTF-8
/// and renames nothing silently; repeated voucher numbers are reported.
@Suite struct InputTests {
    static let user = LedgerTests.user

    @Test func aNameWithATerminalEscapeOrOfAHundredThousandCharactersIsRefused() async throws {
        try await LedgerTests.withLedger { database, c in
            let federations = Federations(database)
            for (name, expected) in [
                ("\u{1B}]0;PWNED\u{07}", "namnet innehåller ett styrtecken (U+001B) på plats 1; skriv texten utan det"),
                ("Norr\u{202E}nedlaD", "namnet innehåller ett styrtecken (U+202E) på plats 5; skriv texten utan det"),
                ("Rad ett\nRad två", "namnet innehåller ett styrtecken (U+000A) på plats 8; skriv texten utan det"),
                (String(repeating: "x", count: 100_000), "namnet har för många tecken (100 000, högst 200)"),
            ] {
                do {
                    _ = try await federations.create(code: "norrdalen", name: name, orgnr: "222000-0018", seatMunicipality: nil, by: Self.user)
                    Issue.record("the name was accepted: \(name.prefix(20))")
                } catch let error as ServiceError {
                    #expect(error.message == expected)
                }
            }
            try await LedgerTests.seed(database)
            let long = String(repeating: "x", count: 5_000_000)
            await #expect(throws: ServiceError.self) {
                _ = try await Vouchers(database).post(VoucherDraft(date: CalendarDate(iso: "2024-03-01")!, text: long,
                    lines: [.init(account: 1930, amount: Money(kronor: 1)), .init(account: 3090, amount: Money(kronor: -1))]),
                    to: "norrdalen", by: Self.user)
            }
            // A multi-line invoice address is an address; a buyer reference with a bell is not.
            _ = try await Members(database).update("ankeby", in: "norrdalen",
                MemberChanges(invoiceAddress: "Ankeby kommun\nFakturor\nBox 1"), by: Self.user)
            await #expect(throws: ServiceError.self) {
                _ = try await Members(database).update("ankeby", in: "norrdalen", MemberChanges(buyerReference: "4410\u{07}"), by: Self.user)
            }

            // Past the service, the database refuses the same, as the application role.
            for (name, sql) in [
                ("an escape in a name", "UPDATE federation SET name = E'\\x1b]0;PWNED' WHERE code = 'norrdalen'"),
                ("a 100 000-character name", "UPDATE federation SET name = repeat('x', 100000) WHERE code = 'norrdalen'"),
                ("a right-to-left override", "UPDATE member SET name = E'Ankeby\\u202Ekommun' WHERE code = 'ankeby'"),
            ] {
                do {
                    try await c.execute(script: "BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app; \(sql); COMMIT;")
                    Issue.record("the database accepted \(name)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "23514", "\(name)")
                    #expect(error.constraint?.hasSuffix("_name_plain") == true, "\(name): \(error)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            #expect(try await c.query("SELECT name FROM federation WHERE code = 'norrdalen'").scalar(String.self) == "Norrdalen")
        }
    }

    /// `population set --population 99999999999` answered "databasfel (22003)".
    @Test func aPopulationBeyondAnyMunicipalitysIsNamed() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            do {
                _ = try await Population(database).set(member: "ankeby", in: "norrdalen", year: 2024, population: 99_999_999_999,
                    referenceDate: nil, source: "SCB", by: Self.user)
                Issue.record("a population of 99 999 999 999 was accepted")
            } catch let error as ServiceError {
                #expect(error.message == "folkmängden 99 999 999 999 är större än en kommuns (högst 10 000 000)")
            }
        }
    }

    static func sie(_ body: String) -> [UInt8] {
        Array(("#FLAGGA 0\n#PROGRAM \"Test\" 1\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20240101 20241231\n" + body).utf8)
    }

    /// A UTF-8 file named 2440 as the chart does: nothing renamed (it became "Leverant├╢rsskulder" when read as
    /// PC8). A name the chart does not have is taken for an account without lines, and the summary says so.
    @Test func aSieFileInUTF8RenamesNothingSilently() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            let summary = try await SIEImport(database).run(Self.sie("""
                #KONTO 1930 "Bank"
                #KONTO 2440 "Leverantörsskulder"
                #KONTO 2990 "Upplupna kostnader (från förra systemet)"
                #VER A 1 20240105 "Faktura från leverantör"
                {
                #TRANS 2990 {} 500.00
                #TRANS 2440 {} -500.00
                }

                """), fileName: "utf8.se", into: "norrdalen", by: Self.user)
            #expect(try await c.query("SELECT name FROM account WHERE federation_id = 1 AND account_number = 2440").scalar(String.self)
                == "Leverantörsskulder")
            #expect(summary.renamedAccounts == [.init(account: 2990, from: "Övriga upplupna kostnader och förutbetalda intäkter",
                to: "Upplupna kostnader (från förra systemet)")])
        }
    }

    /// Two vouchers numbered A 1 (BL Administration numbers its depreciation series per month this way): both are
    /// booked, each with its line in the source reference, and the summary names the number.
    @Test func repeatedVoucherNumbersAreBookedAndReported() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            let summary = try await SIEImport(database).run(Self.sie("""
                #VER A 1 20240131 "Avskrivning januari"
                {
                #TRANS 7830 {} 100.00
                #TRANS 1229 {} -100.00
                }
                #VER A 1 20240229 "Avskrivning februari"
                {
                #TRANS 7830 {} 100.00
                #TRANS 1229 {} -100.00
                }

                """), fileName: "twice.se", into: "norrdalen", by: Self.user)
            #expect(summary.vouchers == 2)
            #expect(summary.repeatedVoucherNumbers == [.init(voucher: "A 1", count: 2)])
            let references = try await c.query("SELECT source_reference FROM voucher WHERE source = 'import' ORDER BY voucher_date")
                .rows.map { try $0.decode(String.self, at: 0) }
            #expect(references == ["SIE A 1 rad 6", "SIE A 1 rad 11"])
        }
    }
}
