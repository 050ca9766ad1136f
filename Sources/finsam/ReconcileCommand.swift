import ArgumentParser
import FinsamCore
import FinsamService

struct ReconcileCommand: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Stämmer av bokföringen mot underlagen: verifikationer, kundfordringar, utbetalningar, bankfiler.",
        discussion: """
            Varje kontroll jämför bokföringen med underlagen per datumet och listar verifikationerna där de skiljer sig. \
            Avslutas med 0 när allt stämmer och 2 när någon kontroll visar en skillnad (för nattliga körningar).
            """)
    @Argument(help: "Förbundets kod.") var federation: String
    @Option(help: "Per datum (ÅÅÅÅ-MM-DD); standard i dag.") var at: CalendarDate?
    @Option(help: "table eller json.") var format: OutputFormat = .table

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv finns inte för avstämningen; använd table eller json") }
    }

    func run() async throws {
        let date = at ?? .today
        let report = try await CommandContext.run(acting) { try await Reconciliation($0.database).check(federation, at: date, by: $0.user) }
        if format == .json {
            try Printer.json(report)
        } else {
            Self.print(report)
        }
        if !report.agrees { throw ExitCode(2) }
    }

    static func print(_ report: ReconciliationReport) {
        var table = TextTable(["Kontroll", "Bokfört", "Underlag", "Skillnad", "Resultat"], alignments: [.left, .right, .right, .right, .left])
        for check in report.checks {
            table.append([check.kind.swedishName, Printer.kronor(check.ledger), Printer.kronor(check.documents),
                          (try? check.difference).map(Printer.kronor) ?? "utom gränsen", check.agrees ? "stämmer" : "skiljer"])
        }
        Printer.table(table, title: "Avstämning \(report.federation) per \(report.date)")
        for check in report.checks where !check.differences.isEmpty {
            Swift.print("")
            var details = TextTable(["Verifikat", "Datum", "Underlag", "Bokfört", "Enligt underlag"], alignments: [.left, .left, .left, .right, .right])
            for difference in check.differences {
                details.append([difference.voucher?.description ?? "", difference.date?.description ?? "", difference.document,
                                Printer.kronor(difference.ledger), Printer.kronor(difference.documents)])
            }
            Printer.table(details, title: check.kind.swedishName)
        }
        Swift.print("")
        Swift.print(report.agrees ? "Allt stämmer." : "Avstämningen visar skillnader.")
    }
}
