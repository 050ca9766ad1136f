import Foundation
import Postgres
import TestSupport
import Testing

/// The `finsam` program end to end, as a user runs it: a real process against a real database, its printed
/// tables compared with tables worked out by hand, its errors and exit codes, and that a refused command
/// writes nothing.
@Suite struct CommandLineTests {
    typealias Outcome = ChildProcess.Outcome

    /// The built `finsam`: FINSAM_BIN (scripts/test sets it), or beside the test bundle in the build folder.
    static var binary: URL {
        if let folder = ProcessInfo.processInfo.environment["FINSAM_BIN"], !folder.isEmpty {
            return URL(fileURLWithPath: folder).appendingPathComponent("finsam")
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("finsam")
    }

    /// A libpq keyword string for the test database, for FINSAM_DATABASE_URL.
    static func databaseURL(_ configuration: ConnectionConfiguration) throws -> String {
        let admin = try #require(ProcessInfo.processInfo.environment["FINSAM_TEST_DATABASE_URL"])
        let components = try #require(URLComponents(string: admin))
        let items = components.queryItems ?? []
        let host = try #require(items.first { $0.name == "host" }?.value)
        let port = try #require(items.first { $0.name == "port" }?.value)
        let name = try #require(configuration.overrides.last { $0.keyword == "dbname" }?.value)
        return "host=\(host) port=\(port) user=\(components.user ?? "postgres") dbname=\(name)"
    }

    /// Runs `finsam` as the economy office's person `ekonom` (FINSAM_USER), except what the economy role does not
    /// give: migrating, adding a federation, its settings (an administrator's) and managing users, which the operator
    /// at the server's terminal does (no FINSAM_USER).
    /// When the operator adds a federation, it also gives `ekonom` the economy role there, as an office would.
    static func run(_ arguments: [String], database: String, asApplicationRole: Bool = true) async throws -> Outcome {
        // The nightly job, like migrate and users, is the operator's (cron), naming no person.
        let byOperator = arguments.first == "migrate" || arguments.first == "user" || arguments.first == "nightly"
            || ["add", "set", "payout"].contains { arguments.starts(with: ["federation", $0]) }
        // As deployed: the use cases as the operator role, migrate as the owner (here the cluster's superuser).
        var environment = [
            "FINSAM_OPERATOR_DATABASE_URL": database + (asApplicationRole ? " user=finsam_operator" : ""),
            "FINSAM_DATABASE_URL": database + (asApplicationRole ? " user=finsam_app" : ""), "FINSAM_OWNER_DATABASE_URL": database,
        ]
        if !byOperator { environment["FINSAM_USER"] = "ekonom" }
        let outcome = try await ChildProcess.run(binary, arguments, environment: environment)
        if outcome.status == 0, arguments.starts(with: ["federation", "add"]), arguments.count > 2 {
            let role = "\(arguments[2]):economy"
            let known = try await ChildProcess.run(binary, ["user", "show", "ekonom"], environment: environment).status == 0
            let granted = try await ChildProcess.run(binary,
                known ? ["user", "grant", "ekonom", "--role", role] : ["user", "add", "ekonom", "--name", "Ekonomen", "--role", role],
                environment: environment)
            #expect(granted.status == 0, "\(granted.stderr)")
        }
        return outcome
    }

    @Test func aUserSetsUpAFederationPostsVouchersAndReadsTheTrialBalance() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }

            #expect(try await finsam("migrate").status == 0)
            let added = try await finsam("federation", "add", "norrdalen", "--name", "Norrdalens samordningsförbund",
                "--orgnr", "222000-0018", "--seat", "Ankeby")
            #expect(added.status == 0, "\(added.stderr)")
            #expect(try await finsam("member", "add", "norrdalen", "ankeby", "--kind", "municipality", "--name", "Ankeby kommun",
                "--orgnr", "212000-0530").status == 0)
            let first = try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-01", "--text", "Medlemsbidrag",
                "--line", "1930:1000", "--line", "3014:-1000::ankeby")
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("A-1"))
            #expect(try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-06", "--text", "Revision",
                "--line", "6410:100,50", "--line", "1930:-100,50").status == 0)

            // 1930: 1 000,00 − 100,50 = 899,50; 3014: −1 000,00; 6410: 100,50; the sum is zero.
            let table = try await finsam("report", "trial-balance", "norrdalen", "--from", "2024-01-01", "--to", "2024-12-31")
            #expect(table.status == 0)
            #expect(table.stdout == """
                Råbalans norrdalen 2024-01-01–2024-12-31
                Konto  Namn                    Ingående     Period   Utgående
                1930   Bank                        0,00     899,50     899,50
                3014   Medlemsbidrag kommuner      0,00  -1 000,00  -1 000,00
                6410   Revision                    0,00     100,50     100,50
                       Summa                       0,00       0,00       0,00

                """)
            let csv = try await finsam("report", "trial-balance", "norrdalen", "--from", "2024-01-01", "--to", "2024-12-31",
                "--format", "csv")
            #expect(csv.stdout.split(separator: "\n").first == "account,name,opening,change,closing")
            #expect(csv.stdout.contains("\n1930,Bank,0.00,899.50,899.50\n"))

            // The member's revenue row of the income statement, as JSON for scripts.
            let json = try await finsam("report", "income-statement", "norrdalen", "--year", "2024", "--format", "json")
            let statement = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let revenue = (statement?["revenue"] as? [String: Any])?["rows"] as? [[String: Any]]
            let ankeby = revenue?.first { $0["code"] as? String == "ankeby" }
            #expect((ankeby?["amounts"] as? [String: Any])?["actual"] as? String == "1000.00")
        }
    }

    /// Contributions from plan to Peppol files: the files the program writes pass the official validators.
    @Test func aUserInvoicesTheYearAndExportsItAsPeppolFiles() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            func expectSuccess(_ arguments: String...) async throws {
                let outcome = try await Self.run(arguments, database: database)
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            }
            try await expectSuccess("migrate")
            try await expectSuccess("federation", "add", "norrdalen", "--name", "Norrdalens samordningsförbund",
                "--orgnr", "222000-0018", "--seat", "Ankeby")
            try await expectSuccess("member", "add", "norrdalen", "fk", "--kind", "fk", "--name", "Försäkringskassan",
                "--orgnr", "202100-5521", "--reference", "SAMFINS")
            try await expectSuccess("member", "add", "norrdalen", "region", "--kind", "region", "--name", "Region Norr",
                "--orgnr", "232100-0990", "--reference", "4410")
            try await expectSuccess("member", "add", "norrdalen", "ankeby", "--kind", "municipality", "--name", "Ankeby kommun",
                "--orgnr", "212000-0530")
            try await expectSuccess("population", "set", "norrdalen", "ankeby", "--year", "2024", "--population", "10000")
            try await expectSuccess("contributions", "plan", "norrdalen", "--year", "2024", "--total", "1000000")
            try await expectSuccess("invoice", "run", "norrdalen", "--period", "2024", "--date", "2024-01-10")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peppol-cli-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let noBankgiro = try await finsam("invoice", "export", "norrdalen", "--peppol", folder.path, "--year", "2024")
            #expect(noBankgiro.status == 1)
            #expect(noBankgiro.stderr.hasPrefix("fel: norrdalen har inget bankgiro"))
            try await expectSuccess("federation", "set", "norrdalen", "--bankgiro", "5050-1055")
            let noReference = try await finsam("invoice", "export", "norrdalen", "--peppol", folder.path, "--year", "2024")
            #expect(noReference.status == 1)
            #expect(noReference.stderr.hasPrefix("fel: Ankeby kommun (ankeby) saknar referens"))
            #expect(!FileManager.default.fileExists(atPath: folder.path))

            let badPeppol = try await finsam("member", "set", "norrdalen", "ankeby", "--peppol", "0007:2120000531")
            #expect(badPeppol.status == 1)
            try await expectSuccess("member", "set", "norrdalen", "ankeby", "--reference", "KS-2024",
                "--address", "Ankeby kommun, Box 1, 123 45 Ankeby")
            let export = try await finsam("invoice", "export", "norrdalen", "--peppol", folder.path, "--year", "2024")
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout == "Skrev 3 Peppol-filer (3 fakturor, 0 kreditfakturor) för 2024 till \(folder.path).\n")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == ["norrdalen-faktura-2024-1.xml", "norrdalen-faktura-2024-2.xml", "norrdalen-faktura-2024-3.xml"])
            let reports = try await PeppolValidator.check(files.map { folder.appendingPathComponent($0) })
            #expect(reports.allSatisfy { $0.schemaErrors.isEmpty && $0.fatal.isEmpty && $0.warnings.isEmpty }, "\(reports)")
        }
    }

    /// A day's BgMax file: Ankeby pays its 250 000 kr by OCR, the region pays 250 000 kr with no reference but its
    /// organisation number (Ankeby owes the same amount: the payer tells them apart), and 1 234,50 kr comes with
    /// nothing to go on; the economist then says it is Försäkringskassan's (500 000 − 1 234,50 = 498 765,50 left).
    @Test func aUserReadsABankFileAndMatchesWhatWaits() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            func expectSuccess(_ arguments: String...) async throws {
                let outcome = try await Self.run(arguments, database: database)
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            }
            try await expectSuccess("migrate")
            try await expectSuccess("federation", "add", "norrdalen", "--name", "Norrdalens samordningsförbund", "--orgnr", "222000-0018")
            try await expectSuccess("member", "add", "norrdalen", "fk", "--kind", "fk", "--name", "Försäkringskassan", "--orgnr", "202100-5521")
            try await expectSuccess("member", "add", "norrdalen", "region", "--kind", "region", "--name", "Region Norr", "--orgnr", "232100-0990")
            try await expectSuccess("member", "add", "norrdalen", "ankeby", "--kind", "municipality", "--name", "Ankeby kommun",
                "--orgnr", "212000-0530")
            try await expectSuccess("population", "set", "norrdalen", "ankeby", "--year", "2024", "--population", "10000")
            // 1 000 000 kr: Försäkringskassan half, the region and Ankeby a quarter each; invoices 1–3 of 2024.
            try await expectSuccess("contributions", "plan", "norrdalen", "--year", "2024", "--total", "1000000")
            try await expectSuccess("invoice", "run", "norrdalen", "--period", "2024", "--date", "2024-01-10")
            try await expectSuccess("federation", "set", "norrdalen", "--bankgiro", "991-2346")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bgmax-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // Invoice 1 of 2024: base 2400001, length digit 9, Luhn digit 0 (PaymentTests).
            let file = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240205", serial: 7, payments: [
                .init(reference: "240000190", öre: 250_000_00),
                .init(öre: 250_000_00, referenceCode: 1, payerIdentity: "002321000990"),
                .init(öre: 1_234_50, referenceCode: 1),
            ])])
            let path = folder.appendingPathComponent("bgmax-0205.txt").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(file.bytes)))
            var broken = file.bytes
            broken.removeLast(30)
            let brokenPath = folder.appendingPathComponent("avklippt.txt").path
            #expect(FileManager.default.createFile(atPath: brokenPath, contents: Data(broken)))

            let refused = try await finsam("bank", "import", "norrdalen", brokenPath)
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("fel: avklippt.txt: rad 8: "), "\(refused.stderr)")

            let imported = try await finsam("bank", "import", "norrdalen", path)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout == """
                Läste in bgmax-0205.txt: 1 insättning, 3 betalningar.
                Bokfört: 2 betalningar, 500 000,00 kr, 2 verifikationer.
                Rad  Datum       Referens       Belopp  Faktura   Medlem         Verifikat  Matchad på
                  3  2024-02-05  240000190  250 000,00  1 (2024)  Ankeby kommun  2024 I-1   OCR
                  4  2024-02-05             250 000,00  2 (2024)  Region Norr    2024 I-2   belopp och betalare
                Väntar på avstämning: 1 betalning (`finsam bank unmatched`, `finsam bank match`).
                Id  Datum         Belopp  Referens  Betalare  Skäl
                 3  2024-02-05  1 234,50                      ingen referens och inget organisationsnummer för betalaren

                """)
            let again = try await finsam("bank", "import", "norrdalen", path)
            #expect(again.stdout == "bgmax-0205.txt är redan inläst; ingenting gjordes.\n")
            // Read once: 1 deposit, 3 payments of which 1 waits, 250 000 + 250 000 + 1 234,50 kr.
            let files = try await finsam("bank", "files", "norrdalen", "--format", "csv").stdout.split(separator: "\n")
            #expect(files.count == 2)
            #expect(files.last?.hasPrefix("1,bgmax-0205.txt,bgmax,") == true)
            #expect(files.last?.hasSuffix(",ekonom,1,3,1,501234.50") == true, "\(files)")

            let waiting = try await finsam("bank", "unmatched", "norrdalen", "--format", "csv")
            #expect(waiting.stdout == """
                id,paid_on,kind,amount,reference,payer,payer_orgnr,reason
                3,2024-02-05,payment,1234.50,,,,ingen referens och inget organisationsnummer för betalaren

                """)
            // The nightly check says so too, with exit status 2, until the payment is matched.
            let differs = try await finsam("reconcile", "norrdalen", "--at", "2024-03-01")
            #expect(differs.status == 2)
            #expect(differs.stdout.hasSuffix("\nAvstämningen visar skillnader.\n"))
            // Before any night: nothing kept. After one: what it found, with the same exit status.
            #expect(try await finsam("reconcile", "norrdalen", "--nightly").stdout == "Ingen nattlig avstämning av norrdalen har sparats än.\n")
            #expect(try await finsam("nightly", "--at", "2024-03-01").status == 2)
            let night = try await finsam("reconcile", "norrdalen", "--nightly")
            #expect(night.status == 2)
            #expect(night.stdout == "Nattens avstämning 2024-03-01 av norrdalen: Inbetalningar från banken bokförda stämde inte.\n")
            let matched = try await finsam("bank", "match", "norrdalen", "3", "--invoice", "2024-3")
            #expect(matched.stdout == "Kopplade bankbetalning 3 på 1 234,50 kr till faktura 3 (2024), Försäkringskassan; bokförd som 2024 I-3.\n")
            let twice = try await finsam("bank", "match", "norrdalen", "3", "--invoice", "2024-3")
            #expect(twice.status == 1)
            #expect(twice.stderr == "fel: bankbetalning 3 är redan kopplad till en faktura eller verifikation\n")
            #expect(try await finsam("bank", "unmatched", "norrdalen").stdout == "Inga bankbetalningar väntar på avstämning i norrdalen.\n")

            let open = try await finsam("report", "open-items", "norrdalen", "--at", "2024-03-01", "--format", "csv")
            #expect(open.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[9] } == ["498765.50"])
            // 1510: 1 000 000 invoiced − 250 000 − 250 000 − 1 234,50 paid; the bank's 501 234,50 all booked.
            let agrees = try await finsam("reconcile", "norrdalen", "--at", "2024-03-01")
            #expect(agrees.status == 0)
            #expect(agrees.stdout == """
                Avstämning norrdalen per 2024-03-01
                Kontroll                               Bokfört    Underlag  Skillnad  Resultat
                Verifikationer i balans                   0,00        0,00      0,00  stämmer
                Kundfordringar mot kundreskontran   498 765,50  498 765,50      0,00  stämmer
                Utbetalda bidrag mot bokföringen          0,00        0,00      0,00  stämmer
                Inbetalningar från banken bokförda  501 234,50  501 234,50      0,00  stämmer

                Allt stämmer.

                """)
        }
    }

    @Test func badInputIsRefusedWithItsReasonAndWritesNothing() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            #expect(try await finsam("migrate").status == 0)
            #expect(try await finsam("federation", "add", "norrdalen", "--name", "Norrdalen", "--orgnr", "222000-0018").status == 0)

            // An organisation number whose check digit is wrong (…0531 instead of …0530).
            let orgnr = try await finsam("member", "add", "norrdalen", "ankeby", "--kind", "municipality", "--name", "Ankeby kommun",
                "--orgnr", "212000-0531")
            #expect(orgnr.status == 1)
            #expect(orgnr.stderr == "fel: organisationsnumret 212000-0531 är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)\n")

            // An unbalanced voucher names its difference.
            let unbalanced = try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-01", "--text", "Fel",
                "--line", "1930:100", "--line", "3090:-99,50")
            #expect(unbalanced.status == 1)
            #expect(unbalanced.stderr == "fel: verifikationen balanserar inte: raderna summerar till 0,50 kr\n")

            // A date that does not exist is a usage error (exit 64) from the argument parser.
            let date = try await finsam("voucher", "post", "norrdalen", "--date", "2024-02-30", "--text", "Fel",
                "--line", "1930:100", "--line", "3090:-100")
            #expect(date.status == 64)
            #expect(date.stderr.contains("2024-02-30"))

            // A locked month takes no voucher.
            #expect(try await finsam("period", "lock", "norrdalen", "2024-03").status == 0)
            let locked = try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-15", "--text", "Sent",
                "--line", "1930:100", "--line", "3090:-100")
            #expect(locked.status == 1)
            #expect(locked.stderr.contains("2024-03 är låst"))

            let members = try await finsam("member", "list", "norrdalen", "--format", "json")
            #expect((try JSONSerialization.jsonObject(with: Data(members.stdout.utf8)) as? [Any])?.isEmpty == true)
            let vouchers = try await finsam("voucher", "list", "norrdalen", "--year", "2024", "--format", "json")
            #expect((try JSONSerialization.jsonObject(with: Data(vouchers.stdout.utf8)) as? [Any])?.isEmpty == true)
        }
    }

    /// The issue's example end to end: people with roles, an fte-rate intervention, the board's decisions and a
    /// vacancy, the published decision table (worked by hand: 0,50 / 1,25 / 2,00 FTE at 240 000 kr, Storby's
    /// 1,00 FTE vacant in May and June: 120 000 / 300 000 / 400 000), then prepare, submit, approve and pay
    /// with a pain.001 file; approving one's own disbursement and a transition that does not exist are refused.
    @Test func anEconomistAndADirectorTakeDecisionsThroughToPayment() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            func ok(_ outcome: Outcome) { #expect(outcome.status == 0, "\(outcome.stderr)") }

            ok(try await finsam("migrate"))
            ok(try await finsam("federation", "add", "norrdalen", "--name", "Norrdalen", "--orgnr", "222000-0018"))
            for (code, name, orgnr) in [("ankeby", "Ankeby kommun", "212000-0530"), ("ekeby", "Ekeby kommun", "212000-0712"),
                                        ("storby", "Storby kommun", "212000-0720")] {
                ok(try await finsam("member", "add", "norrdalen", code, "--kind", "municipality", "--name", name, "--orgnr", orgnr))
                ok(try await finsam("member", "payout", "norrdalen", code, "--bankgiro", "5050-1055"))
            }
            ok(try await finsam("federation", "payout", "norrdalen", "--iban", "SE4550000000058398257466", "--bic", "ESSESESS"))
            ok(try await finsam("user", "add", "eva", "--name", "Eva Ek", "--role", "norrdalen:economy", "--role", "norrdalen:director"))
            ok(try await finsam("user", "add", "dan", "--name", "Dan Dahl", "--role", "norrdalen:director"))
            ok(try await finsam("intervention", "add", "norrdalen", "SE-Exempel", "--name", "Supported Employment",
                "--category", "individual", "--funding", "fte-rate", "--from", "2024-01-01"))
            for (member, fte, heads) in [("ankeby", "0.50", "1"), ("ekeby", "1.25", "2"), ("storby", "2.00", "3")] {
                ok(try await finsam("decision", "add", "norrdalen", "SE-Exempel", "--member", member, "--half-year", "2024H1",
                    "--fte", fte, "--heads", heads, "--rate", "240000", "--ref", "2023-11-23 §7", "--user", "eva"))
            }
            ok(try await finsam("decision", "adjust", "norrdalen", "SE-Exempel", "--member", "storby", "--half-year", "2024H1",
                "--from", "2024-05", "--to", "2024-06", "--fte", "1.00", "--user", "eva"))
            let table = try await finsam("report", "decisions", "norrdalen", "SE-Exempel", "--half-year", "2024H1")
            #expect(table.stdout == """
                Beslut SE-Exempel 2024H1   Ankeby    Ekeby   Storby    Summa
                Omfattning av tjänst         0,50     1,25     2,00     3,75
                Antal coacher                   1        2        3        6
                Utbetalning kronor        120 000  300 000  400 000  820 000

                """)
            let csv = try await finsam("report", "decisions", "norrdalen", "SE-Exempel", "--half-year", "2024H1", "--format", "csv")
            #expect(csv.stdout.hasSuffix(",Summa,3.75,6,,820000\n"), "\(csv.stdout)")

            // Bad input: months outside the half-year, an absurd FTE, a region; nothing is written.
            let outside = try await finsam("decision", "adjust", "norrdalen", "SE-Exempel", "--member", "storby", "--half-year", "2024H1",
                "--from", "2024-06", "--to", "2024-07", "--vacant", "--user", "eva")
            #expect(outside.status == 1)
            #expect(outside.stderr == "fel: månaden 2024-07 ligger utanför halvåret 2024H1\n")
            let absurd = try await finsam("decision", "add", "norrdalen", "SE-Exempel", "--member", "ankeby", "--half-year", "2024H2",
                "--fte", "25", "--rate", "240000", "--ref", "2024-05-01 §2", "--user", "eva")
            #expect(absurd.status == 1)
            #expect(absurd.stderr.contains("orimlig"))
            // Terms of both kinds, or too few: the service's rule, with the flags that mend it.
            let both = try await finsam("decision", "add", "norrdalen", "SE-Exempel", "--member", "ankeby", "--half-year", "2024H2",
                "--fte", "0.5", "--rate", "240000", "--amount", "1000", "--ref", "2024-05-01 §2", "--user", "eva")
            #expect(both.status == 1)
            #expect(both.stderr == "fel: ett fast belopp anges med enbart beloppet, utan omfattning, antal personer och schablon; ange bara --amount\n")
            let half = try await finsam("decision", "add", "norrdalen", "SE-Exempel", "--member", "ankeby", "--half-year", "2024H2",
                "--fte", "0.5", "--ref", "2024-05-01 §2", "--user", "eva")
            #expect(half.status == 1)
            #expect(half.stderr.contains("anger omfattning och schablon"))
            #expect(half.stderr.contains("ange --fte och --rate"))

            ok(try await finsam("disbursement", "prepare", "norrdalen", "SE-Exempel", "--half-year", "2024H1", "--user", "eva"))
            ok(try await finsam("disbursement", "submit", "norrdalen", "1", "2", "3", "--user", "eva"))
            let own = try await finsam("disbursement", "approve", "norrdalen", "1", "--user", "eva")
            #expect(own.status == 1)
            #expect(own.stderr == "fel: eva har förberett eller skickat in utbetalning 1 och får inte attestera den\n")
            ok(try await finsam("disbursement", "approve", "norrdalen", "1", "2", "3", "--user", "dan"))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("finsam-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: file) }
            let paid = try await finsam("disbursement", "pay", "norrdalen", "--date", "2024-01-25", "--pain001", file.path, "--user", "eva")
            ok(paid)
            #expect(paid.stdout.contains("Bunt 1 (FINSAM-1-1-20240125), 3 utbetalningar, 820 000 kr."))
            #expect(try String(contentsOf: file, encoding: .utf8).contains("<CtrlSum>820000.00</CtrlSum>"))
            let backwards = try await finsam("disbursement", "submit", "norrdalen", "1", "--user", "eva")
            #expect(backwards.status == 1)
            #expect(backwards.stderr.contains("utbetald och kan inte bli inskickad"))
            let commitments = try await finsam("report", "commitments", "norrdalen", "--year", "2024", "--format", "json")
            #expect(commitments.stdout.contains("\"paid\" : \"820000.00\""), "\(commitments.stdout)")
        }
    }

    /// Issue 13, as a newcomer or an attacker meets the program: a terminal escape in a name is refused and never
    /// printed raw; amounts beyond Finsam's limit are refused by the argument; a connection that fails says what
    /// was wrong; a file with account numbers is readable by its owner only.
    /// An office brings a federation's books over with their own chart: it looks at the proposed mapping, previews the
    /// import, corrects the mapping and imports; then it points the bank at another account.
    @Test func anOfficeBringsBooksOverWithTheirOwnChart() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            func expectSuccess(_ arguments: String...) async throws {
                let outcome = try await Self.run(arguments, database: database)
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            }
            try await expectSuccess("migrate")
            try await expectSuccess("federation", "add", "hoglandet", "--name", "Samordningsförbundet Höglandet", "--orgnr", "222000-0018")
            for (code, kind, name, orgnr) in [("aneby", "municipality", "Aneby kommun", "212000-0530"),
                ("eksjo", "municipality", "Eksjö kommun", "212000-0548"), ("region", "region", "Region Jönköpings län", "232100-0057"),
                ("fk", "fk", "Försäkringskassan", "202100-5521")]
            {
                try await expectSuccess("member", "add", "hoglandet", code, "--kind", kind, "--name", name, "--orgnr", orgnr)
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sie-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let sie = folder.appendingPathComponent("hoglandet-2026.se").path
            #expect(FileManager.default.createFile(atPath: sie, contents: Data(FederationBooks.halfYear.utf8)))
            let mappingPath = folder.appendingPathComponent("mappning.txt").path

            try await expectSuccess("sie", "mapping", "hoglandet", sie, "-o", mappingPath)
            let proposed = try String(contentsOfFile: mappingPath, encoding: .utf8)
            let lines = proposed.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "#")[0]
                .split(separator: " ").joined(separator: " ") }
            #expect(lines == ["3511 medlem aneby", "3512 medlem eksjo", "3520 medlem region", "3530 medlem fk",
                "4611 insats se-hoglandet individuell \"SE-Höglandet\"", "5010 administration tjänsteperson",
                "6420 administration revision", "6550 administration ekonomi", "7010 administration styrelse"])
            #expect(proposed.contains("KONFLIKT: i förbundets kontoplan \"Ekonomihantering\""))

            let preview = try await finsam("sie", "import", "hoglandet", sie, "--preview")
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(preview.stdout.hasPrefix("Förhandsvisning – inget har sparats.\nSkulle läsa in hoglandet-2026.se"))
            // The income statement as the board reads it: each member's contributions, the intervention, the audit.
            #expect(preview.stdout.contains("\n  Aneby kommun "))
            #expect(preview.stdout.contains("\n  SE-Höglandet "))
            // Previous year 200 000 − 745 000; this year 1 000 000 − 800 451 (FederationBooks, by hand).
            let result = preview.stdout.split(separator: "\n").last { $0.hasPrefix("Årets resultat") }?
                .split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(result == ["Årets resultat", "-545 000", "0", "199 549", "0"], "\(preview.stdout)")
            let nothing = try await finsam("voucher", "list", "hoglandet", "--year", "2026", "--format", "csv")
            #expect(nothing.stdout.split(separator: "\n").count == 1, "\(nothing.stdout)")

            // The economist calls the intervention by the code the board's decisions use.
            try proposed.replacingOccurrences(of: "insats se-hoglandet individuell", with: "insats se-hog strukturell")
                .write(toFile: mappingPath, atomically: true, encoding: .utf8)
            let imported = try await finsam("sie", "import", "hoglandet", sie, "--mapping", mappingPath)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("  kontomappning: 9 konton – 4 administration, 1 insatser, 4 medlemmar\n"), "\(imported.stdout)")
            #expect(imported.stdout.contains("    6420 \"Revision\": administration: Revision; i förbundets kontoplan \"Ekonomihantering\""))
            #expect(imported.stdout.contains("  föregående år 2025-01-01–2025-12-31 som jämförelsetal: 1 verifikationer"))
            let interventions = try await finsam("intervention", "list", "hoglandet", "--format", "csv")
            #expect(interventions.stdout.contains("se-hog,"), "\(interventions.stdout)")

            // The bank is a setting: an account of another class is refused, an account the chart lacks too.
            let posting = try await finsam("account", "posting", "hoglandet", "--format", "csv")
            #expect(posting.stdout.contains("\nbank,1930,Bank\n"), "\(posting.stdout)")
            let wrongClass = try await finsam("account", "posting", "hoglandet", "bank", "2091")
            #expect(wrongClass.status != 0)
            #expect(wrongClass.stderr.contains("konto 2091 är inte ett tillgångskonto (klass 1)"), "\(wrongClass.stderr)")
            let missing = try await finsam("account", "posting", "hoglandet", "bank", "1931")
            #expect(missing.stderr.contains("konto 1931 finns inte"), "\(missing.stderr)")
            try await expectSuccess("account", "add", "hoglandet", "1931", "--name", "Bank, placeringskonto")
            try await expectSuccess("account", "posting", "hoglandet", "bank", "1931")
            #expect(try await finsam("account", "posting", "hoglandet", "--format", "csv").stdout.contains("\nbank,1931,Bank, placeringskonto\n") == false)
            #expect(try await finsam("account", "posting", "hoglandet", "--format", "csv").stdout.contains("bank,1931,"))
        }
    }

    @Test func theProgramSaysWhatIsWrongAndPrintsNothingRaw() async throws {
        try await TestDatabase.withDatabase { configuration in
            let database = try Self.databaseURL(configuration)
            func finsam(_ arguments: String...) async throws -> Outcome { try await Self.run(arguments, database: database) }
            #expect(try await finsam("migrate").status == 0)

            let escape = try await finsam("federation", "add", "norrdalen", "--name", "\u{1B}]0;PWNED\u{07}", "--orgnr", "222000-0018")
            #expect(escape.status == 1)
            #expect(escape.stderr == "fel: namnet innehåller ett styrtecken (U+001B) på plats 1; skriv texten utan det\n")
            #expect(try await finsam("federation", "add", "norrdalen", "--name", "Norrdalen", "--orgnr", "222000-0018").status == 0)
            // What the user typed comes back escaped, never as a command to the terminal.
            let unknown = try await finsam("report", "trial-balance", "x\u{1B}]0;PWNED", "--from", "2024-01-01", "--to", "2024-12-31")
            #expect(unknown.status == 1)
            #expect(!unknown.stderr.unicodeScalars.contains { $0.value == 0x1B }, "\(unknown.stderr)")
            #expect(unknown.stderr.contains("x⟨U+001B⟩]0;PWNED"), "\(unknown.stderr)")
            let huge = try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-01", "--text", "Stor",
                "--line", "1930:999999999999999", "--line", "3090:-999999999999999")
            #expect(huge.status == 64)
            #expect(huge.stderr.contains("\"999999999999999\" är inget belopp"), "\(huge.stderr)")
            #expect(huge.stderr.contains("högst 999 999 999 999,99 kr"), "\(huge.stderr)")
            #expect(try await finsam("voucher", "post", "norrdalen", "--date", "2024-03-01", "--text", "Bidrag",
                "--line", "1930:1000", "--line", "3090:-1000").status == 0)

            // SIE export to a file: 0600, also over a file that was readable by all.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("finsam-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("norrdalen.se").path
            FileManager.default.createFile(atPath: path, contents: Data("gammal".utf8), attributes: [.posixPermissions: 0o644])
            let export = try await finsam("sie", "export", "norrdalen", "--year", "2024", "--output", path)
            #expect(export.status == 0, "\(export.stderr)")
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            #expect(try String(contentsOfFile: path, encoding: .isoLatin1).hasPrefix("#FLAGGA"))

            // A database or a role that does not exist, named as libpq names them (never a password).
            let components = database.split(separator: " ")
            let noDatabase = components.map { $0.hasPrefix("dbname=") ? "dbname=finns_inte" : String($0) }.joined(separator: " ")
            let missing = try await Self.run(["federation", "list"], database: noDatabase)
            #expect(missing.stderr == "fel: kan inte ansluta till databasen: databasen \"finns_inte\" finns inte på servern\n")
            let noRole = components.map { $0.hasPrefix("user=") ? "user=ingen_roll" : String($0) }.joined(separator: " ")
            let role = try await Self.run(["federation", "list"], database: noRole, asApplicationRole: false)
            #expect(role.stderr == "fel: kan inte ansluta till databasen: rollen \"ingen_roll\" finns inte på servern\n")
        }
    }
}
