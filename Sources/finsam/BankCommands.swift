import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct BankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank", abstract: "Inbetalningar från banken: läs in BgMax- och camt-filer, stäm av det som inte hittade sin faktura.",
        subcommands: [Import.self, Files.self, Unmatched.self, Match.self, Settle.self])

    struct Import: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Läser in bankfiler (Bankgirots BgMax, ISO 20022 camt.053/054) och bokför de inbetalningar som hittar sin faktura.",
            discussion: """
                Varje inbetalning matchas mot förbundets fakturor på OCR-nummer, och annars på belopp och betalarens \
                organisationsnummer. Det som matchar bokförs (1930 mot 1510, serie I); resten listas med skälet och \
                väntar på `finsam bank match`. En fil eller en insättning som redan är inläst läses inte in igen. \
                Varje fil läses in i en egen transaktion: en felaktig fil ändrar ingenting. En camt-fil ska gälla \
                förbundets konto (finsam federation payout --iban); av den läses bokförda insättningar, och ett \
                kontoutdrags utgående saldo jämförs med bankkontot 1930 i finsam reconcile.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "En eller flera bankfiler (BgMax eller camt.053/054).") var files: [String]
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            if files.isEmpty { throw ValidationError("ange minst en bankfil") }
            if format == .csv { throw ValidationError("--format csv finns inte för inläsningen; använd table eller json") }
        }

        func run() async throws {
            let summaries = try await CommandContext.run(acting) { context in
                var summaries: [BankFileImportSummary] = []
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw ServiceError(.invalid, "filen \(file) går inte att läsa")
                    }
                    let summary = try await BankFileImport(context.database).read(
                        Array(data), fileName: (file as NSString).lastPathComponent, into: federation, by: context.user)
                    // Each file is its own transaction: say what this one did before the next may fail.
                    if format == .table { try Self.print(summary) }
                    summaries.append(summary)
                }
                return summaries
            }
            if format == .json { try Printer.json(summaries) }
        }

        /// "1 betalning", "2 betalningar".
        static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

        static func print(_ summary: BankFileImportSummary) throws {
            if summary.alreadyImported {
                Swift.print("\(summary.fileName) är redan inläst; ingenting gjordes.")
                return
            }
            let skipped = summary.depositsAlreadyImported > 0
                ? " (\(count(summary.depositsAlreadyImported, "redan inläst hoppades", "redan inlästa hoppades")) över)" : ""
            Swift.print("Läste in \(summary.fileName): \(count(summary.deposits, "insättning", "insättningar"))\(skipped), "
                + "\(count(summary.payments.count, "betalning", "betalningar")).")
            Swift.print("Bokfört: \(count(summary.matched.count, "betalning", "betalningar")), \(Printer.kronor(try summary.bookedAmount)) kr, "
                + "\(count(summary.vouchers, "verifikation", "verifikationer")).")
            if !summary.matched.isEmpty {
                var table = TextTable(["Rad", "Datum", "Referens", "Belopp", "Faktura", "Medlem", "Verifikat", "Matchad på"],
                    alignments: [.right, .left, .left, .right, .left, .left, .left, .left])
                for payment in summary.matched {
                    for allocation in payment.allocations {
                        table.append([String(payment.fileLine), payment.paidOn.description, payment.reference ?? "",
                                      Printer.kronor(allocation.amount), "\(allocation.invoiceNumber) (\(allocation.invoiceYear))",
                                      allocation.memberName, allocation.voucher.description, allocation.matchedBy.swedishName])
                    }
                }
                Printer.table(table)
            }
            if !summary.unmatched.isEmpty {
                Swift.print("Väntar på avstämning: \(count(summary.unmatched.count, "betalning", "betalningar")) (`finsam bank unmatched`, `finsam bank match`).")
                Unmatched.printTable(summary.unmatched)
            }
        }
    }

    struct Unmatched: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Bankbetalningar och avdrag som ännu inte är kopplade till någon faktura, med skälet.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let payments = try await CommandContext.run(acting) { try await BankPayments($0.database).unmatched(in: federation, by: $0.user) }
            try Printer.emit(format, payments) {
                if payments.isEmpty { print("Inga bankbetalningar väntar på avstämning i \(federation)."); return }
                Self.printTable(payments, title: "Bankbetalningar att stämma av i \(federation)")
            }
        }

        static func printTable(_ payments: [BankPayment], title: String? = nil) {
            var table = TextTable(["Id", "Datum", "Belopp", "Referens", "Betalare", "Skäl"],
                alignments: [.right, .left, .right, .left, .left, .left])
            for payment in payments {
                let amount = payment.kind == .deduction ? -payment.amount : payment.amount
                table.append([String(payment.id), payment.paidOn.description, Printer.kronor(amount), payment.reference ?? "",
                              [payment.payerName, payment.payerOrganisationNumber].compactMap { $0 }.joined(separator: ", "),
                              payment.unmatchedReason ?? ""])
            }
            Printer.table(table, title: title)
        }
    }

    struct Match: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Kopplar en väntande bankbetalning till en eller flera fakturor och bokför den.",
            discussion: """
                En faktura tar hela beloppet: --invoice 2024-17. Delas betalningen ges varje faktura sitt belopp, \
                och beloppen ska summera till betalningen: --invoice 2024-17:1500 --invoice 2024-18:234,50.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Bankbetalningens id (från `finsam bank unmatched`).") var id: Int64
        @Option(help: "Fakturan som ÅÅÅÅ-NUMMER, med :BELOPP när betalningen delas.") var invoice: [String] = []
        @Option(help: "Fakturans OCR-nummer (i stället för --invoice), med :BELOPP när betalningen delas.") var ocr: [String] = []
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            if invoice.isEmpty && ocr.isEmpty { throw ValidationError("ange --invoice ÅÅÅÅ-NUMMER eller --ocr") }
            _ = try parts()
            if format == .csv { throw ValidationError("--format csv finns inte här; använd table eller json") }
        }

        /// `2024-17` or `2024-17:1500,50`; `240000190` or `240000190:1500`.
        func parts() throws -> [(invoice: InvoiceIdentifier, amount: Money?)] {
            func split(_ text: String, _ option: String) throws -> (String, Money?) {
                let pieces = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard let first = pieces.first else { throw ValidationError("--\(option) är tomt") }
                guard pieces.count == 2 else { return (first, nil) }
                guard let amount = Money(parsing: pieces[1]) else {
                    throw ValidationError("--\(option) \(text): \(pieces[1]) är inget belopp (1500 eller 1500,50)")
                }
                return (first, amount)
            }
            return try invoice.map { text in
                let (number, amount) = try split(text, "invoice")
                guard let parsed = PaymentCommand.Register.parse(number) else {
                    throw ValidationError("--invoice ska skrivas ÅÅÅÅ-NUMMER, t.ex. 2024-17 (eller 2024-17:1500)")
                }
                return (InvoiceIdentifier.number(year: parsed.year, number: parsed.number), amount)
            } + ocr.map { text in
                let (reference, amount) = try split(text, "ocr")
                return (InvoiceIdentifier.ocr(reference), amount)
            }
        }

        func run() async throws {
            let parts = try parts()
            let payment = try await CommandContext.run(acting) { context in
                try await BankPayments(context.database).match(id, to: parts, in: federation, by: context.user)
            }
            if format == .json { try Printer.json(payment); return }
            for allocation in payment.allocations {
                print("Kopplade bankbetalning \(payment.id) på \(Printer.kronor(allocation.amount)) kr till faktura \(allocation.invoiceNumber) (\(allocation.invoiceYear)), \(allocation.memberName); bokförd som \(allocation.voucher).")
            }
        }
    }

    struct Settle: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Reglerar en väntande bankbetalning eller ett avdrag som inte hör till någon faktura med en bokförd verifikation.",
            discussion: """
                Bokför först verifikationen (t.ex. 1930 mot kontot betalningen hör till) med `finsam voucher post`; \
                dess rader på 1930 ska vara bankbetalningens belopp (ett avdrag negativt). En verifikation reglerar \
                en bankbetalning.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Bankbetalningens id (från `finsam bank unmatched`).") var id: Int64
        @Option(help: "Verifikationen, t.ex. A-12.") var voucher: String
        @Option(help: "Verifikationens år.") var year: Int
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            if VoucherReference(voucher, year: year) == nil { throw ValidationError("verifikationen skrivs SERIE-NUMMER, t.ex. A-12") }
            if format == .csv { throw ValidationError("--format csv finns inte här; använd table eller json") }
        }

        func run() async throws {
            let payment = try await CommandContext.run(acting) { context in
                try await BankPayments(context.database).settle(
                    id, with: VoucherReference(voucher, year: year)!, in: federation, by: context.user)
            }
            if format == .json { try Printer.json(payment); return }
            let amount = payment.kind == .deduction ? -payment.amount : payment.amount
            print("Reglerade bankbetalning \(payment.id) på \(Printer.kronor(amount)) kr med verifikation \(payment.settlement?.description ?? "").")
        }
    }

    struct Files: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Inlästa bankfiler, senaste först: när, av vem, insättningar, betalningar och hur många som väntar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let files = try await CommandContext.run(acting) { try await BankPayments($0.database).files(in: federation, by: $0.user) }
            try Printer.emit(format, files) {
                if files.isEmpty { print("Inga bankfiler är inlästa i \(federation)."); return }
                var table = TextTable(["Id", "Fil", "Inläst", "Av", "Insättningar", "Betalningar", "Väntar", "Belopp"],
                    alignments: [.right, .left, .left, .left, .right, .right, .right, .right])
                for file in files {
                    table.append([String(file.id), file.fileName, Self.time(file.importedAt), file.importedBy, String(file.deposits),
                                  String(file.payments), String(file.waiting), Printer.kronor(file.amount)])
                }
                Printer.table(table, title: "Bankfiler i \(federation)")
            }
        }

        /// `2026-11-23 03:44` in Swedish time.
        static func time(_ moment: Date) -> String {
            let parts = Calendar.stockholm.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
            return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
        }
    }
}
