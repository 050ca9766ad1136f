import ArgumentParser
import FinsamService

struct DemoCommand: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Lägger in demodata: tre förbund i det påhittade Älvmarks län.",
        discussion: """
            Norra, Mellersta och Södra Älvmark med medlemmar, folkmängd, insatser, ett avslutat år (2025) och \
            ett pågående (2026, bokfört till och med oktober), budget och helårsprognos. Norra och Mellersta \
            Älvmark delar förbundschef (65/35). Allt läggs in i en transaktion; finns förbunden redan ändras inget.
            """
    )

    @Option(name: .long, help: "Utdataformat: table eller json.")
    var format: OutputFormat = .table

    func run() async throws {
        let summary = try await CommandContext.run(acting) { context in try await DemoData(context.database).load(by: context.user) }
        if format == .json { try Printer.json(summary); return }
        guard summary.loaded else {
            print("Demodata finns redan (\(summary.federations.joined(separator: ", "))); inget ändrades.")
            return
        }
        print("Lade in demodata: \(summary.federations.joined(separator: ", "))")
        print("  \(summary.members) medlemmar, \(summary.interventions) insatser, \(summary.vouchers) verifikationer, \(summary.invoices) fakturor, \(summary.budgetLines) budget- och prognosrader")
        print("  \(summary.decisions) beslut om insatser per kommun med utbetalningar i alla lägen (norralv), användare med roller")
        print("  bokfört till och med \(summary.bookedThrough); 2025 är låst")
        print("  användarna \(summary.users.joined(separator: ", ")) loggar in i finsamd med lösenordet \"\(summary.password)\" (bara i demodata)")
        print("Prova: finsam report income-statement norralv --year 2026")
        print("       finsam disbursement list norralv")
        print("       finsam report decisions norralv se-unga --half-year 2026H2")
    }
}
