import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct VoucherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voucher", abstract: "Verifikationer: bokför, vänd, lista, visa.",
        subcommands: [Post.self, Reverse.self, List.self, Show.self])

    struct Post: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Bokför en verifikation.",
            discussion: """
                Rader anges som --line KONTO:BELOPP[:INSATS[:MEDLEM]] (belopp i kronor, positivt = debet), \
                t.ex. --line 1930:1500 --line 3014:-1500::aneby, eller som en JSON-fil med --file: \
                {"date":"2024-03-01","series":"A","text":"…","lines":[{"account":1930,"amount":"1500.00"},…]}.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Verifikationsdatum ÅÅÅÅ-MM-DD.") var date: CalendarDate?
        @Option(help: "Text.") var text: String?
        @Option(help: "Serie (standard A).") var series: String = "A"
        @Option(name: .customLong("line"), help: "KONTO:BELOPP[:INSATS[:MEDLEM]]; minst två.") var lines: [String] = []
        @Option(help: "JSON-fil med verifikationen i stället för --date/--text/--line.") var file: String?
        @Option(help: "Idempotensnyckel: samma nyckel och innehåll bokförs bara en gång.") var idempotencyKey: String?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func validate() throws {
            if file == nil {
                guard date != nil else { throw ValidationError("ange --date (eller --file)") }
                guard text != nil else { throw ValidationError("ange --text (eller --file)") }
                guard lines.count >= 2 else { throw ValidationError("ange minst två --line (eller --file)") }
            } else if !lines.isEmpty {
                throw ValidationError("ange antingen --file eller --line, inte båda")
            }
        }

        func run() async throws {
            let draft: VoucherDraft
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("filen \(file) går inte att läsa")
                }
                do { draft = try JSONInput.decode(VoucherDraft.self, from: data) } catch {
                    throw ValidationError("\(file): \(error)")
                }
            } else {
                do { draft = VoucherDraft(date: date!, series: series, text: text!, lines: try lines.map(LineArgument.parse)) }
                catch { throw ValidationError(error.description) }
            }
            let voucher = try await CommandContext.run(acting) { context in
                try await Vouchers(context.database).post(draft, to: federation, idempotencyKey: idempotencyKey, by: context.user)
            }
            if format == .json { try Printer.json(voucher) } else {
                print("Bokförde verifikation \(voucher.reference) (\(voucher.date), \(Printer.kronor(try voucher.amount)) kr).")
            }
        }
    }

    struct Reverse: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Vänder en verifikation med en ny med omvända belopp.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Verifikationen, t.ex. A-17.") var voucher: String
        @Option(help: "Året verifikationen hör till.") var year: Int
        @Option(help: "Datum för vändningen (standard: originalets datum).") var date: CalendarDate?

        func run() async throws {
            guard let reference = VoucherReference(voucher, year: year) else {
                throw ValidationError("\"\(voucher)\" är ingen verifikation (skriv SERIE-NUMMER, t.ex. A-17)")
            }
            let reversal = try await CommandContext.run(acting) { context in
                try await Vouchers(context.database).reverse(reference, in: federation, date: date, by: context.user)
            }
            print("Vände \(reference) med verifikation \(reversal.reference) (\(reversal.date)).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar ett års verifikationer.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "Bara denna serie.") var series: String?
        @Option(help: "Från datum.") var from: CalendarDate?
        @Option(help: "Till datum.") var to: CalendarDate?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let vouchers = try await CommandContext.run(acting) { context in
                try await Vouchers(context.database).list(in: federation, year: year, series: series, from: from, to: to, by: context.user)
            }
            try Printer.emit(format, vouchers) {
                var table = TextTable(["Ver", "Datum", "Text", "Belopp", "Källa", "Bokförd av", "Vänd av"],
                    alignments: [.left, .left, .left, .right, .left, .left, .left])
                for v in vouchers {
                    table.append(["\(v.reference.series)-\(v.reference.number)", v.date.description, v.text,
                        Printer.kronor(try v.amount), v.source, v.postedBy, v.reversedBy.map { "\($0.series)-\($0.number)" } ?? ""])
                }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar en verifikation med dess rader.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Verifikationen, t.ex. A-17.") var voucher: String
        @Option(help: "Året verifikationen hör till.") var year: Int
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            guard let reference = VoucherReference(voucher, year: year) else {
                throw ValidationError("\"\(voucher)\" är ingen verifikation (skriv SERIE-NUMMER, t.ex. A-17)")
            }
            let v = try await CommandContext.run(acting) { try await Vouchers($0.database).find(reference, in: federation, by: $0.user) }
            try Printer.emit(format, v) {
                print("Verifikation \(v.reference)  \(v.date)  \(v.text)")
                print("Källa: \(v.source)\(v.sourceReference.map { " (\($0))" } ?? "")  Bokförd av \(v.postedBy) \(Printer.time(v.postedAt))")
                if let reverses = v.reverses { print("Vänder \(reverses)") }
                if let reversedBy = v.reversedBy { print("Vänd av \(reversedBy)") }
                var table = TextTable(["Konto", "Namn", "Debet", "Kredit", "Insats", "Medlem"],
                    alignments: [.left, .left, .right, .right, .left, .left])
                for line in v.lines {
                    table.append([String(line.account), line.accountName,
                        line.amount > .zero ? Printer.kronor(line.amount) : "",
                        line.amount < .zero ? Printer.kronor(-line.amount) : "", line.intervention ?? "", line.member ?? ""])
                }
                table.append(["", "Summa", Printer.kronor(try v.amount), Printer.kronor(try v.amount), "", ""])
                Printer.table(table)
            }
        }
    }
}
