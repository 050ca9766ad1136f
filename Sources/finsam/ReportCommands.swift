import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Rapporter: resultaträkning, balansräkning, kostnadsfördelning, råbalans, huvudbok.",
        subcommands: [Income.self, Balance.self, Costs.self, Trial.self, Ledger.self, OpenItems.self, MemberStatementReport.self,
                      ContributionsOverview.self, Decisions.self, Commitments.self])

    struct Income: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(commandName: "income-statement", abstract: "Resultaträkning.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "Utfall till och med (standard 31 december).") var to: CalendarDate?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let s = try await CommandContext.run(acting) { try await IncomeStatementReport($0.database).make(for: federation, year: year, to: to, by: $0.user) }
            switch format {
            case .json: try Printer.json(s)
            case .csv: print(s.csv.text)
            case .table: Self.printTable(s)
            }
        }

        /// The statement as a table of its four columns (also shown by an import's preview).
        static func printTable(_ s: IncomeStatement) {
            let columns = ["Utfall \(s.year - 1)", "Budget \(s.year)", "Utfall \(s.to)", "Helårsprognos"]
            func cells(_ a: IncomeStatement.Amounts) -> [String] {
                [a.previousYear, a.budget, a.actual, a.forecast].map(Printer.wholeKronor)
            }
            var table = TextTable(["Resultaträkning \(s.federationName)"] + columns, alignments: [.left, .right, .right, .right, .right])
            table.append(["Intäkter"])
            s.revenue.rows.forEach { table.append(["  " + $0.label] + cells($0.amounts)) }
            table.append(["Summa intäkter"] + cells(s.totalRevenue))
            table.append(["Kostnader"])
            s.costs.rows.forEach { table.append(["  " + $0.label] + cells($0.amounts)) }
            table.append(["Administration"])
            s.administration.rows.forEach { table.append(["  " + $0.label] + cells($0.amounts)) }
            table.append(["Summa kostnader"] + cells(s.totalCosts))
            table.append(["Årets resultat"] + cells(s.result))
            Printer.table(table)
        }
    }

    struct Balance: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(commandName: "balance-sheet", abstract: "Balansräkning vid ett eller två datum.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Datum.") var at: CalendarDate
        @Option(help: "Jämförelsedatum, t.ex. föregående årsskifte.") var compare: CalendarDate?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let b = try await CommandContext.run(acting) { try await BalanceSheetReport($0.database).make(for: federation, at: at, compare: compare, by: $0.user) }
            try Printer.emit(format, b) {
                var headers = ["Balansräkning \(b.federationName)", b.at.description]
                if let compare = b.compare { headers.append(compare.description) }
                var table = TextTable(headers, alignments: [.left, .right, .right])
                for (title, rows) in b.sections {
                    table.append([title])
                    for row in rows {
                        let label = row.key.hasPrefix("equity") || row.key == "assets" ? row.label : "  " + row.label
                        table.append([label, Printer.wholeKronor(row.at)] + (row.compare.map { [Printer.wholeKronor($0)] } ?? []))
                    }
                }
                Printer.table(table)
                print(b.balances
                    ? "Kontroll: tillgångar = eget kapital + skulder (stämmer)."
                    : "VARNING: tillgångar och eget kapital + skulder skiljer \(Printer.kronor(b.difference.at)) kr.")
            }
        }
    }

    struct Costs: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(commandName: "cost-distribution", abstract: "Kostnader per kostnadskategori.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "Till och med (standard 31 december).") var to: CalendarDate?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let end = to ?? CalendarDate.lastDay(ofYear: year)
            let d = try await CommandContext.run(acting) {
                try await CostDistributionReport($0.database).make(for: federation, from: .firstDay(ofYear: year), to: end, by: $0.user)
            }
            func percent(_ tenths: Int64) -> String {
                "\(SwedishNumberFormat.integer(tenths / 10)),\(tenths % 10) %"
            }
            try Printer.emit(format, d) {
                var table = TextTable(["Kostnadsfördelning \(d.from)–\(d.to)", "Belopp", "Andel"], alignments: [.left, .right, .right])
                for row in d.rows { table.append([row.label, Printer.wholeKronor(row.amount), percent(row.shareTenthsOfPercent)]) }
                table.append(["Summa", Printer.wholeKronor(d.total), percent(d.rows.reduce(0) { $0 + $1.shareTenthsOfPercent })])
                Printer.table(table)
            }
        }
    }

    struct Trial: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(commandName: "trial-balance", abstract: "Råbalans per konto.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Från datum.") var from: CalendarDate
        @Option(help: "Till datum.") var to: CalendarDate
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let t = try await CommandContext.run(acting) { try await TrialBalanceReport($0.database).make(for: federation, from: from, to: to, by: $0.user) }
            try Printer.emit(format, t) {
                var table = TextTable(["Konto", "Namn", "Ingående", "Period", "Utgående"], alignments: [.left, .left, .right, .right, .right])
                for r in t.rows { table.append([String(r.account), r.name, Printer.kronor(r.opening), Printer.kronor(r.change), Printer.kronor(r.closing)]) }
                table.append(["", "Summa", Printer.kronor(t.totalOpening), Printer.kronor(t.totalChange), Printer.kronor(t.totalClosing)])
                Printer.table(table, title: "Råbalans \(t.federation) \(t.from)–\(t.to)")
            }
        }
    }

    struct Ledger: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Huvudbok för ett konto.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Kontot.") var account: Int
        @Option(help: "Från datum.") var from: CalendarDate
        @Option(help: "Till datum.") var to: CalendarDate
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let l = try await CommandContext.run(acting) {
                try await AccountLedgerReport($0.database).make(for: federation, account: account, from: from, to: to, by: $0.user)
            }
            try Printer.emit(format, l) {
                var table = TextTable(["Datum", "Ver", "Text", "Debet", "Kredit", "Saldo"], alignments: [.left, .left, .left, .right, .right, .right])
                table.append(["", "", "Ingående saldo", "", "", Printer.kronor(l.opening)])
                for e in l.entries {
                    table.append([e.date.description, "\(e.voucher.series)-\(e.voucher.number)", e.text,
                        e.amount > .zero ? Printer.kronor(e.amount) : "", e.amount < .zero ? Printer.kronor(-e.amount) : "",
                        Printer.kronor(e.balance)])
                }
                table.append(["", "", "Utgående saldo", "", "", Printer.kronor(l.closing)])
                Printer.table(table, title: "Huvudbok konto \(l.account) \(l.accountName), \(l.from)–\(l.to)")
            }
        }
    }
}

extension ReportCommand {
    struct Decisions: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Beslutstabellen per insats och halvår: omfattning, antal coacher och utbetalning per kommun.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Insatsens kod.") var intervention: String
        @Option(name: .customLong("half-year"), help: "Halvåret, t.ex. 2024H1.") var halfYear: HalfYear
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let t = try await CommandContext.run(acting) {
                try await DecisionReports($0.database).table(in: federation, intervention: intervention, halfYear: halfYear, by: $0.user)
            }
            let fteRate = t.model == .fteRate
            try Printer.emit(format, t) {
                let names = t.columns.map { $0.name.replacingOccurrences(of: " kommun", with: "") }
                var table = TextTable(["Beslut \(t.intervention) \(t.halfYear)"] + names + ["Summa"],
                    alignments: [.left] + Array(repeating: .right, count: names.count + 1))
                if fteRate {
                    table.append(["Omfattning av tjänst"] + t.columns.map { $0.fte?.swedish ?? "" } + [t.totalFTE?.swedish ?? ""])
                    table.append(["Antal coacher"] + t.columns.map { $0.heads.map(String.init) ?? "" } + [t.totalHeads.map(String.init) ?? ""])
                } else {
                    table.append(["Beslutat belopp per halvår"] + t.columns.map { $0.sum.map(Printer.wholeKronor) ?? "" }
                        + [t.totalSum.map(Printer.wholeKronor) ?? ""])
                }
                table.append(["Utbetalning kronor"] + t.columns.map { SwedishNumberFormat.integer($0.amountKronor) }
                    + [SwedishNumberFormat.integer(t.totalKronor)])
                Printer.table(table)
            }
        }
    }

    struct Commitments: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Per insats och år: budget, beslutat, attesterat, utbetalt och vad som återstår av budgeten.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let r = try await CommandContext.run(acting) { try await DecisionReports($0.database).commitments(in: federation, year: year, by: $0.user) }
            try Printer.emit(format, r) {
                var table = TextTable(["Åtaganden \(federation) \(year)", "Budget", "Beslutat", "Attesterat", "Utbetalt", "Kvar av budget"],
                    alignments: [.left, .right, .right, .right, .right, .right])
                for line in r.lines + [r.total] {
                    table.append([line.intervention.isEmpty ? line.name : "\(line.intervention) \(line.name)",
                        Printer.wholeKronor(line.budget), Printer.wholeKronor(line.decided), Printer.wholeKronor(line.approved),
                        Printer.wholeKronor(line.paid), Printer.wholeKronor(line.remaining)])
                }
                Printer.table(table)
                for line in r.lines where line.decided > line.budget {
                    print("Obs: \(line.intervention) har beslut för \(Printer.wholeKronor(line.decided)) kr, över budgeten \(Printer.wholeKronor(line.budget)) kr.")
                }
            }
        }
    }
}
