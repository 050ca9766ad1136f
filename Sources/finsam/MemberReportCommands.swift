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
            try Printer.emit(format, json: statement, csv: ["date", "kind", "reference", "text", "amount", "balance"],
                statement.entries.map { [$0.date.description, $0.kind, $0.reference, $0.text, $0.amount.description, $0.balance.description] }
            ) {
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
            try Printer.emit(format, json: report, csv: ["member", "name", "planned", "invoiced", "credited", "paid", "owed"],
                report.rows.map { [$0.member, $0.memberName, $0.planned.description, $0.invoiced.description, $0.credited.description,
                                   $0.paid.description, $0.owed.description] }
            ) {
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
