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

    static func run(_ arguments: [String], database: String) async throws -> Outcome {
        try await ChildProcess.run(binary, arguments, environment: ["FINSAM_DATABASE_URL": database, "FINSAM_USER": "ekonom"])
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
}
