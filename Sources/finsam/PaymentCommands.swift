import ArgumentParser
import FinsamCore
import FinsamService

struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Inbetalningar av medlemsbidrag.", subcommands: [Register.self, Reverse.self])

    static func printBalance(_ invoice: InvoiceBalance) {
        print("Fakturan är \(invoice.status.swedishName): betalt \(Printer.kronor(invoice.paid)) av \(Printer.kronor(invoice.total)) kr, kvar \(Printer.kronor(invoice.remaining)) kr.")
    }

    struct Register: AsyncParsableCommand {
        @OptionGroup var acting: Acting
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
            let payment = try await CommandContext.run(acting) { context in
                try await Payments(context.database).register(
                    amount.money, on: date, for: identifier, reference: reference ?? ocr, in: federation, by: context.user)
            }
            if format == .json { try Printer.json(payment); return }
            let invoice = payment.invoice
            print("Registrerade \(Printer.kronor(payment.amount)) kr den \(payment.paidOn) för faktura \(invoice.number) (\(invoice.year)), \(invoice.memberName); bokförd som \(payment.voucher).")
            PaymentCommand.printBalance(invoice)
        }
    }
}

extension PaymentCommand {
    struct Reverse: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Återför en felregistrerad inbetalning (dess verifikation vänds; inget ändras eller tas bort).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Inbetalningens verifikation, t.ex. I-3.") var voucher: String
        @Option(help: "Verifikationens år.") var year: Int
        @Option(help: "Varför inbetalningen återförs.") var reason: String
        @Option(help: "Återföringens datum (ÅÅÅÅ-MM-DD); standard i dag.") var date: CalendarDate?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            if VoucherReference(voucher, year: year) == nil { throw ValidationError("verifikationen skrivs SERIE-NUMMER, t.ex. I-3") }
        }

        func run() async throws {
            let reversed = try await CommandContext.run(acting) { context in
                try await Payments(context.database).reverse(
                    VoucherReference(voucher, year: year)!, on: date ?? .today, reason: reason, in: federation, by: context.user)
            }
            if format == .json { try Printer.json(reversed); return }
            let invoice = reversed.invoice
            print("Återförde inbetalningen \(reversed.payment) på \(Printer.kronor(reversed.amount)) kr för faktura \(invoice.number) (\(invoice.year)), \(invoice.memberName); bokförd som \(reversed.reversal).")
            PaymentCommand.printBalance(invoice)
        }
    }
}
