public import ArgumentParser
public import FinsamCore
import FinsamService
import Foundation

extension InvoiceSchedule: ExpressibleByArgument {}

extension InvoicePeriod: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice", abstract: "Fakturor för medlemsbidrag.", subcommands: [Run.self, List.self, Show.self, Credit.self, Print.self, Export.self])

    struct Print: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Skriver en faktura som utskrivbar HTML-sida.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Fakturans nummer.") var number: Int
        @Option(help: "Året fakturan är daterad.") var year: Int
        @Option(name: .shortAndLong, help: "Fil att skriva till; utan den skrivs sidan ut.") var output: String?

        func run() async throws {
            let html = try await CommandContext.run(acting) { try await Invoices($0.database).html(number: number, year: year, in: federation, by: $0.user) }
            if let output {
                try PrivateFile.write(html, to: output)
                Swift.print("Skrev faktura \(number) (\(year)) till \(output).")
            } else {
                Swift.print(html, terminator: "")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Skriver årets fakturor och kreditfakturor som Peppol BIS Billing 3.0 (UBL), en fil per dokument.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Mapp att skriva filerna i (skapas om den saknas).") var peppol: String
        @Option(help: "Året fakturorna är daterade.") var year: Int
        @Option(help: "Bara faktura eller kreditfaktura med detta nummer.") var number: Int?

        func run() async throws {
            let files = try await CommandContext.run(acting) {
                try await PeppolExport($0.database).files(of: federation, year: year, number: number, by: $0.user)
            }
            let folder = URL(fileURLWithPath: peppol, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ValidationError("kunde inte skapa mappen \(peppol): \(error.localizedDescription)")
            }
            for file in files {
                try PrivateFile.write(file.xml, to: folder.appendingPathComponent(file.fileName).path)
            }
            let credits = files.filter { $0.fileName.contains("-kreditfaktura-") }.count
            func counted(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
            Swift.print("Skrev \(counted(files.count, "Peppol-fil", "Peppol-filer")) (\(counted(files.count - credits, "faktura", "fakturor")), \(counted(credits, "kreditfaktura", "kreditfakturor"))) för \(year) till \(peppol).")
        }
    }

    struct Credit: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Krediterar en faktura helt eller delvis med en kreditfaktura (fakturan ändras aldrig).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Fakturans nummer.") var number: Int
        @Option(help: "Året fakturan är daterad.") var year: Int
        @Option(help: "Belopp i kronor; utan det krediteras allt som återstår.") var amount: Kronor?
        @Option(help: "Varför fakturan krediteras.") var reason: String
        @Option(help: "Kreditfakturans datum (ÅÅÅÅ-MM-DD); standard i dag.") var date: CalendarDate?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let note = try await CommandContext.run(acting) { context in
                try await CreditNotes(context.database).issue(
                    invoiceNumber: number, year: year, amount: amount?.money, reason: reason, on: date ?? .today,
                    in: federation, by: context.user)
            }
            if format == .json { try Printer.json(note); return }
            Swift.print("Kreditfaktura \(note.number) (\(note.year)) krediterar faktura \(note.invoiceNumber) (\(note.invoiceYear)), \(note.memberName), med \(Printer.kronor(note.amount)) kr; bokförd som \(note.voucher).")
            Swift.print("Kvar att betala på fakturan: \(Printer.kronor(note.invoice.remaining)) kr (\(note.invoice.status.swedishName)).")
        }
    }

    struct Run: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Fakturerar de delbetalningar av årets medlemsbidrag som infaller under perioden.",
            discussion: """
                Perioden är ett år (2024), ett halvår (2024H1), ett kvartal (2024Q3) eller en månad (2024-03). \
                Varje medlem faktureras efter sitt schema (member schedule); det som redan är fakturerat \
                faktureras inte igen, så körningen kan upprepas. Varje faktura bokförs (kundfordran mot \
                medlemmens bidragskonto) i samma transaktion.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Perioden: 2024, 2024H1, 2024Q3 eller 2024-03.") var period: InvoicePeriod
        @Option(help: "Fakturadatum (ÅÅÅÅ-MM-DD); standard i dag.") var date: CalendarDate?
        @Flag(help: "Visa fakturorna utan att skapa dem.") var preview = false
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let result = try await CommandContext.run(acting) { context in
                try await InvoiceRuns(context.database).run(
                    federation, period: period, issueDate: date ?? .today, preview: preview, by: context.user)
            }
            if format == .json { try Printer.json(result); return }
            try InvoiceCommand.print(result.invoices, format)
            if format == .table {
                let what = result.preview ? "skulle skapas" : "skapades"
                for credit in result.settlementCredits {
                    Swift.print("Kreditfaktura \(credit.number) (\(credit.year)) \(what) för faktura \(credit.invoiceNumber) (\(credit.invoiceYear)), \(credit.memberName): \(Printer.kronor(credit.amount)) kr (ändrat medlemskap).")
                }
                Swift.print("\(result.invoices.count) fakturor \(what) för \(result.period); \(result.alreadyInvoiced) var redan fakturerade.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar förbundets fakturor.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Bara fakturor daterade detta år.") var year: Int?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let invoices = try await CommandContext.run(acting) { try await Invoices($0.database).list(of: federation, year: year, by: $0.user) }
            try InvoiceCommand.print(invoices, format)
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar en faktura.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Fakturanumret.") var number: Int
        @Option(help: "Året fakturan är daterad.") var year: Int
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let invoice = try await CommandContext.run(acting) {
                try await Invoices($0.database).find(number: number, year: year, in: federation, by: $0.user)
            }
            if format == .json { try Printer.json(invoice); return }
            Swift.print("Faktura \(invoice.number) (\(invoice.year)) till \(invoice.memberName)")
            Swift.print("  Fakturadatum \(invoice.issueDate), förfallodag \(invoice.dueDate), OCR \(invoice.ocr)")
            if let reference = invoice.buyerReference { Swift.print("  Er referens: \(reference)") }
            for line in invoice.lines {
                Swift.print("  \(line.description) (konto \(line.account)): \(Printer.kronor(line.amount)) kr")
            }
            Swift.print("  Att betala: \(Printer.kronor(invoice.total)) kr; bokförd som \(invoice.voucher.map(\.description) ?? "–")")
        }
    }

    static func print(_ invoices: [Invoice], _ format: OutputFormat) throws {
        try Printer.emit(format, invoices) {
            var table = TextTable(["Nr", "Medlem", "Avser", "Datum", "Förfaller", "OCR", "Belopp"],
                alignments: [.right, .left, .left, .left, .left, .left, .right])
            for invoice in invoices {
                table.append([String(invoice.number), invoice.memberName, "Medlemsbidrag \(invoice.period)",
                              invoice.issueDate.description, invoice.dueDate.description, invoice.ocr,
                              Printer.kronor(invoice.total)])
            }
            if !invoices.isEmpty {
                table.append(["", "Summa", "", "", "", "", Printer.kronor(try invoices.sum(\.total))])
            }
            Printer.table(table)
        }
    }
}
