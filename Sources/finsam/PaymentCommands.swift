import ArgumentParser
import FinsamCore
import FinsamService

struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Inbetalningar av medlemsbidrag.", subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registrerar en inbetalning för en faktura och bokför den (bank mot kundfordran).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Fakturan som ÅÅÅÅ-NUMMER, t.ex. 2024-17.") var invoice: String?
        @Option(help: "Fakturans OCR-nummer (i stället för --invoice).") var ocr: String?
        @Option(help: "Beloppet i kronor (1500 eller 1500,50).") var amount: Kronor
        @Option(help: "Betalningsdag (ÅÅÅÅ-MM-DD).") var date: CalendarDate
        @Option(help: "Betalarens eller bankens referens.") var reference: String?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            guard (invoice == nil) != (ocr == nil) else { throw ValidationError("ange antingen --invoice ÅÅÅÅ-NUMMER eller --ocr") }
            if let invoice, Self.parse(invoice) == nil { throw ValidationError("--invoice ska skrivas ÅÅÅÅ-NUMMER, t.ex. 2024-17") }
        }

        static func parse(_ text: String) -> (year: Int, number: Int)? {
            let parts = text.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let number = Int(parts[1]), number > 0 else { return nil }
            return (year, number)
        }

        func run() async throws {
            let identifier: InvoiceIdentifier = if let invoice, let parsed = Self.parse(invoice) {
                .number(year: parsed.year, number: parsed.number)
            } else {
                .ocr(ocr ?? "")
            }
            let payment = try await CommandContext.run { context in
                try await Payments(context.database).register(
                    amount.money, on: date, for: identifier, reference: reference ?? ocr, in: federation, by: context.user)
            }
            if format == .json { try Printer.json(payment); return }
            let invoice = payment.invoice
            print("Registrerade \(Printer.kronor(payment.amount)) kr den \(payment.paidOn) för faktura \(invoice.number) (\(invoice.year)), \(invoice.memberName); bokförd som \(payment.voucher).")
            print("Fakturan är \(invoice.status.swedishName): betalt \(Printer.kronor(invoice.paid)) av \(Printer.kronor(invoice.total)) kr, kvar \(Printer.kronor(invoice.remaining)) kr.")
        }
    }
}

extension ReportCommand {
    struct OpenItems: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open-items", abstract: "Kundreskontra: obetalda, delvis betalda och överbetalda fakturor.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Per datum (ÅÅÅÅ-MM-DD); standard i dag.") var at: CalendarDate?
        @Option(help: "Bara denna medlem.") var member: String?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let date = at ?? .today
            let items = try await CommandContext.run {
                try await Payments($0.database).openItems(in: federation, at: date, member: member, by: $0.user)
            }
            try Printer.emit(format, json: items,
                csv: ["year", "number", "member", "name", "period", "due_date", "ocr", "total", "paid", "remaining", "status", "days_overdue"],
                items.map {
                    [String($0.year), String($0.number), $0.member, $0.memberName, $0.period, $0.dueDate.description, $0.ocr,
                     $0.total.description, $0.paid.description, $0.remaining.description, $0.status.rawValue, String($0.daysOverdue)]
                }
            ) {
                var table = TextTable(["Nr", "Medlem", "Avser", "Förfaller", "OCR", "Belopp", "Betalt", "Kvar", "Status", "Dagar sen"],
                    alignments: [.right, .left, .left, .left, .left, .right, .right, .right, .left, .right])
                for item in items {
                    table.append([String(item.number), item.memberName, item.period, item.dueDate.description, item.ocr,
                                  Printer.kronor(item.total), Printer.kronor(item.paid), Printer.kronor(item.remaining),
                                  item.status.swedishName, item.daysOverdue > 0 ? String(item.daysOverdue) : ""])
                }
                table.append(["", "Summa", "", "", "", "", "", Printer.kronor(items.reduce(Money.zero) { $0 + $1.remaining }), "", ""])
                Printer.table(table, title: "Kundreskontra \(federation) per \(date)")
            }
        }
    }
}
