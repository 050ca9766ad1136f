import ArgumentParser
import FinsamCore
import FinsamService

/// The reports of what members owe and paid: open items, a member's statement, the year's contributions.
extension ReportCommand {
    struct OpenItems: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            commandName: "open-items", abstract: "Kundreskontra: obetalda, delvis betalda och överbetalda fakturor.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Per datum (ÅÅÅÅ-MM-DD); standard i dag.") var at: CalendarDate?
        @Option(help: "Bara denna medlem.") var member: String?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let date = at ?? .today
            let items = try await CommandContext.run(acting) {
                try await Payments($0.database).openItems(in: federation, at: date, member: member, by: $0.user)
            }
            try Printer.emit(format, items) {
                var table = TextTable(["Nr", "Medlem", "Avser", "Förfaller", "OCR", "Belopp", "Betalt", "Kvar", "Status", "Dagar sen"],
                    alignments: [.right, .left, .left, .left, .left, .right, .right, .right, .left, .right])
                for item in items {
                    table.append([String(item.number), item.memberName, item.period, item.dueDate.description, item.ocr,
                                  Printer.kronor(item.total), Printer.kronor(item.paid), Printer.kronor(item.remaining),
                                  item.status.swedishName, item.daysOverdue > 0 ? String(item.daysOverdue) : ""])
                }
                table.append(["", "Summa", "", "", "", "", "", Printer.kronor(try items.sum(\.remaining)), "", ""])
                Printer.table(table, title: "Kundreskontra \(federation) per \(date)")
            }
        }
    }
}

extension ReportCommand {
    struct MemberStatementReport: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            commandName: "member-statement", abstract: "Kontoutdrag för en medlem: fakturor, krediteringar och inbetalningar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod.") var member: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let statement = try await CommandContext.run(acting) {
                try await MemberAccounts($0.database).statement(of: member, in: federation, by: $0.user)
            }
            try Printer.emit(format, statement) {
                var table = TextTable(["Datum", "Verifikat", "Text", "Belopp", "Saldo"], alignments: [.left, .left, .left, .right, .right])
                for entry in statement.entries {
                    table.append([entry.date.description, entry.reference, entry.text, Printer.kronor(entry.amount), Printer.kronor(entry.balance)])
                }
                table.append(["", "", "Att betala", "", Printer.kronor(statement.balance)])
                Printer.table(table, title: "Kontoutdrag \(statement.memberName) (\(federation))")
            }
        }
    }

    struct ContributionsOverview: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            commandName: "contributions", abstract: "Årets medlemsbidrag per medlem: plan, fakturerat, krediterat, betalt och kvar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let report = try await CommandContext.run(acting) {
                try await MemberAccounts($0.database).contributions(in: federation, year: year, by: $0.user)
            }
            try Printer.emit(format, report) {
                var table = TextTable(["Medlem", "Plan", "Fakturerat", "Krediterat", "Betalt", "Kvar"],
                    alignments: [.left, .right, .right, .right, .right, .right])
                for row in report.rows + [report.total] {
                    table.append([row.memberName, Printer.kronor(row.planned), Printer.kronor(row.invoiced), Printer.kronor(row.credited),
                                  Printer.kronor(row.paid), Printer.kronor(row.owed)])
                }
                Printer.table(table, title: "Medlemsbidrag \(report.year) \(federation)")
            }
        }
    }
}
