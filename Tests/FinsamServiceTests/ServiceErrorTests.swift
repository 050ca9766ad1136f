import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// Errors are data (issue 15): a stable code and its arguments, a message in the domain's words that names no
/// command or flag (each front end renders its own hint), the database's error kept for the log only.
@Suite struct ServiceErrorTests {
    static let user = LedgerTests.user

    /// The CLI's commands, as a message would name them ("gör den med contributions plan").
    static let commands = ["federation", "member", "population", "account", "intervention", "voucher", "period", "budget",
        "forecast", "report", "sie", "contributions", "invoice", "payment", "bank", "reconcile", "decision", "disbursement",
        "user", "nightly", "demo", "migrate"]

    /// Every string literal of the service: none names a CLI command or flag. SQL and comments are not messages.
    @Test func noServiceMessageNamesACommandOrAFlag() throws {
        let folder = TestDatabase.projectRoot.appendingPathComponent("Sources/FinsamService")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50)
        var offending: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") || code.contains("pg_advisory") { continue }
                // The literals of the line: what lies between quotes.
                let parts = code.split(separator: "\"", omittingEmptySubsequences: false)
                for (n, part) in parts.enumerated() where n % 2 == 1 {
                    let namesCommand = Self.commands.contains { part.range(of: "med \($0) [a-z]", options: .regularExpression) != nil }
                    if part.range(of: #"(^|\s|\()--[a-z]"#, options: .regularExpression) != nil || part.contains("finsam ") || namesCommand {
                        offending.append("\(file.lastPathComponent):\(index + 1): \(part)")
                    }
                }
            }
        }
        #expect(offending == [])
    }

    @Test func aMissingSettingIsACodeWithItsFederation() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            do {
                _ = try await PeppolExport(database).files(of: "norrdalen", year: 2024, number: nil, by: Self.user)
                Issue.record("an export without a bankgiro was made")
            } catch let error as ServiceError {
                #expect(error.code == "federation.bankgiro-missing")
                #expect(error.arguments == ["federation": "norrdalen"])
                #expect(error.message == "norrdalen har inget bankgiro: Peppol-fakturan ska säga vart betalningen går")
                #expect(error.underlying == nil)
            }
        }
    }

    @Test func aDatabaseRefusalKeepsItsErrorForTheLogNotTheMessage() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            do {
                _ = try await Federations(database).create(code: "norrdalen", name: "Igen", orgnr: "222000-0034", seatMunicipality: nil, by: Self.user)
                Issue.record("a second federation with the same code was created")
            } catch let error as ServiceError {
                #expect(error.kind == .conflict)
                #expect(error.code == "database.federation_code_unique")
                #expect(error.message == "det finns redan ett förbund med den koden")
                #expect(error.underlying?.contains("federation_code_unique") == true)
                #expect(!error.message.contains("duplicate key"))
            }
        }
    }
}
