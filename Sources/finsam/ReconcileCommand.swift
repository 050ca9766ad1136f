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
    @Flag(help: "Visa vad nattens senaste körning fann och sparade, i stället för att stämma av nu.") var nightly = false

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv finns inte för avstämningen; använd table eller json") }
    }

    func run() async throws {
        if nightly { return try await showNightly() }
        let date = at ?? .today
        let report = try await CommandContext.run(acting) { try await Reconciliation($0.database).check(federation, at: date, by: $0.user) }
        if format == .json {
            try Printer.json(report)
        } else {
            Self.print(report)
        }
        if !report.agrees { throw ExitCode(2) }
    }

    func showNightly() async throws {
        let night = try await CommandContext.run(acting) { try await NightlyResults($0.database).latest(in: federation, by: $0.user) }
        guard let night else {
            if format == .json { Swift.print("null") } else { Swift.print("Ingen nattlig avstämning av \(federation) har sparats än.") }
            return
        }
        if format == .json {
            try Printer.json(night)
        } else if let failure = night.failure {
            Swift.print("Nattens avstämning \(night.date) av \(federation) kunde inte göras: \(Printer.escaped(failure))")
        } else if night.agrees {
            Swift.print("Nattens avstämning \(night.date) av \(federation): allt stämde.")
        } else {
            Swift.print("Nattens avstämning \(night.date) av \(federation): \(night.differing.map(\.swedishName).joined(separator: ", ")) stämde inte.")
        }
        if !night.agrees { throw ExitCode(2) }
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
