import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct NightlyCommand: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static let configuration = CommandConfiguration(
        commandName: "nightly", abstract: "Kör det nattliga jobbet en gång: läser bankfilerna i inläsningsmappen och stämmer av varje förbund.",
        discussion: """
            Inläsningsmappen har en mapp per förbund, med förbundets kod som namn. Varje fil i den läses som en \
            bankfil (BgMax eller camt) och flyttas sedan till imported/, eller till rejected/ med skälet i NAMN.fel.txt. Samma jobb \
            körs av finsamd varje natt (FINSAM_NIGHTLY_AT). Avslutas med 0 när allt stämmer och 2 när en fil \
            avvisades eller en avstämning visar skillnader.
            """)
    @Option(name: .customLong("drop-folder"), help: "Inläsningsmappen (standard: FINSAM_DROP_FOLDER; utan den bara avstämning).")
    var dropFolder: String?
    @Option(help: "Avstämningens datum (ÅÅÅÅ-MM-DD); standard i dag.") var at: CalendarDate?
    @Option(help: "table eller json.") var format: OutputFormat = .table

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv finns inte här; använd table eller json") }
    }

    func run() async throws {
        let path = dropFolder ?? ProcessInfo.processInfo.environment["FINSAM_DROP_FOLDER"].flatMap { $0.isEmpty ? nil : $0 }
        var isFolder: ObjCBool = false
        if let path, !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError("inläsningsmappen \(path) finns inte")
        }
        let folder = path.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let date = at ?? .today
        let report = try await CommandContext.run(acting) { context in
            try await NightlyRun(context.database, dropFolder: folder).run(at: date, by: context.user)
        }
        if format == .json {
            try Printer.json(report)
        } else {
            for file in report.files {
                if let summary = file.summary {
                    try BankCommand.Import.print(summary)
                } else if file.fileName.isEmpty {
                    print("Hoppade över: \(file.error ?? "")")
                } else {
                    print("Avvisade \(file.federation)/\(file.fileName) (flyttad till \(file.movedTo)): \(file.error ?? "")")
                }
                print("")
            }
            for (index, reconciliation) in report.reconciliations.enumerated() {
                if index > 0 { print("") }
                ReconcileCommand.print(reconciliation)
            }
            for failure in report.failures {
                print("")
                print("Kunde inte stämma av \(failure.federation): \(failure.error)")
            }
        }
        if !report.agrees { throw ExitCode(2) }
    }
}
