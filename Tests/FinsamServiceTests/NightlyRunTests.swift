import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// The nightly job over a drop folder: files read and moved aside, refused files set aside with their reason,
/// every federation reconciled, and nothing booked twice when a file comes again.
@Suite struct NightlyRunTests {
    static let user = LedgerTests.user

    @Test func theDropFolderIsReadThenEveryFederationIsReconciled() async throws {
        try await BankFileImportTests.withInvoices { database, c, ocr in
            let drop = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: drop) }
            let folder = drop.appendingPathComponent("norrdalen")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: drop.appendingPathComponent("okand"), withIntermediateDirectories: true)
            let good = BgMaxTestFile(deposits: [BankFileImportTests.deposit(ocr)]).bytes
            try Data(good).write(to: folder.appendingPathComponent("1-bgmax.txt"))
            try Data(good.dropLast(40)).write(to: folder.appendingPathComponent("2-avklippt.txt"))

            let night = NightlyRun(database, dropFolder: drop)
            let report = try await night.run(at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(report.files.map(\.fileName) == ["1-bgmax.txt", "2-avklippt.txt", ""])
            #expect(report.files[0].summary?.vouchers == 5)
            #expect(report.files[0].movedTo == folder.appendingPathComponent("imported/1-bgmax.txt").path)
            #expect(report.files[1].summary == nil)
            #expect(report.files[1].error?.hasPrefix("2-avklippt.txt: rad ") == true)
            let reason = try String(contentsOf: folder.appendingPathComponent("rejected/2-avklippt.txt.fel.txt"), encoding: .utf8)
            #expect(reason == report.files[1].error! + "\n")
            #expect(report.files[2].federation == "okand" && report.files[2].error != nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["imported", "rejected"])
            // Both federations of LedgerTests.seed are reconciled; norrdalen's bank check shows the two waiting items.
            #expect(report.reconciliations.map(\.federation) == ["norrdalen", "sjobygden"])
            let bank = try #require(report.reconciliations[0].checks.first { $0.kind == .bankPayments })
            #expect(bank.differences.count == 2)
            #expect(report.reconciliations[1].agrees)
            #expect(!report.agrees)
            // What the night found is kept per federation: the start page and the API read it later.
            let kept = try #require(try await NightlyResults(database).latest(in: "norrdalen", by: Self.user))
            #expect(kept.date == CalendarDate(iso: "2024-02-28")! && !kept.agrees && kept.differing == [.bankPayments] && kept.failure == nil)
            #expect(try await NightlyResults(database).latest(in: "sjobygden", by: Self.user)?.agrees == true)
            // The same night run again replaces its row.
            _ = try await night.run(at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(try await c.query("SELECT count(*) FROM reconciliation_result").scalar(Int64.self) == 2)
            // The daemon's role reads it but cannot write it: a person could otherwise record that their books agree.
            let app = try await ApplicationRoleTests.connectAsApplication(c)
            do {
                try await app.query("INSERT INTO reconciliation_result (federation_id, run_date, agrees, report) SELECT federation_id, '2024-03-01', true, '{}' FROM federation")
                Issue.record("the application role wrote a night's result")
            } catch {
                #expect((error as? PostgresError)?.sqlState == "42501")
            }
            await app.close()

            // The same file dropped again the next night: read as already imported, moved aside under a free name.
            try Data(good).write(to: folder.appendingPathComponent("1-bgmax.txt"))
            let again = try await night.run(at: CalendarDate(iso: "2024-02-29")!, by: Self.user)
            #expect(again.files.first?.summary?.alreadyImported == true)
            #expect(again.files.first?.movedTo == folder.appendingPathComponent("imported/1-bgmax-2.txt").path)
            #expect(try await c.query("SELECT count(*) FROM voucher WHERE series = 'I'").scalar(Int64.self) == 5)
            #expect(try await NightlyResults(database).latest(in: "norrdalen", by: Self.user)?.date == CalendarDate(iso: "2024-02-29")!)
        }
    }

    /// A statement dropped beside a BgMax file is read as camt, and its closing balance joins the reconciliation.
    @Test func aStatementInTheDropFolderIsReadAsCamt() async throws {
        try await BankFileImportTests.withInvoices { database, _, ocr in
            _ = try await FederationDisbursements(database).update("norrdalen", .init(payerIBAN: CamtImportTests.iban), by: Self.user)
            let drop = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: drop) }
            let folder = drop.appendingPathComponent("norrdalen")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(CamtImportTests.statement(ocr).bytes).write(to: folder.appendingPathComponent("stmt.xml"))
            let report = try await NightlyRun(database, dropFolder: drop).run(at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(report.files.first?.summary?.format == "camt.053")
            #expect(report.files.first?.movedTo == folder.appendingPathComponent("imported/stmt.xml").path)
            // The statement's 100 kr bank fee is not booked: the one difference of the night.
            let norrdalen = try #require(report.reconciliations.first { $0.federation == "norrdalen" })
            #expect(norrdalen.checks.filter { !$0.agrees }.map(\.kind) == [.bankStatement])
            #expect(try norrdalen.checks.first { $0.kind == .bankStatement }?.difference == Money(kronor: 100))
        }
    }
}
