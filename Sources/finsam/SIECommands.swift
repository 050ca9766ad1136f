import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct SIECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sie", abstract: "SIE 4: läs in från ett annat bokföringsprogram, exportera ett år.",
        subcommands: [Import.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Läser in en SIE 4-fil (kontoplan, #IB, verifikationer) i ett förbund; allt eller inget.",
            discussion: """
                Efter inläsningen jämförs bokföringen med filens egna #UB och #RES; vid minsta skillnad \
                rullas allt tillbaka. Samma fil kan inte läsas in två gånger.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "SIE-filen.") var file: String
        @Option(help: "SIE-dimension vars objekt blir insatser (t.ex. 6 för Projekt).") var interventionDimension: Int?
        @Option(help: "Kostnadskategori för insatser från dimensionen.") var interventionCategory: CostCategory = .individual
        @Option(help: "Kostnadskategori för nya kostnadskonton.") var costCategory: CostCategory = .administration
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("filen \(file) går inte att läsa") }
            let options = SIEImportOptions(interventionDimension: interventionDimension,
                interventionCategory: interventionCategory, costCategory: costCategory)
            let summary = try await CommandContext.run { context in
                try await SIEImport(context.database).run(
                    Array(data), fileName: (file as NSString).lastPathComponent, into: federation, options: options, by: context.user)
            }
            if format == .json { try Printer.json(summary); return }
            print("Läste in \(summary.fileName)\(summary.program.map { " från \($0)" } ?? "") i \(federation):")
            if let year = summary.fiscalYear { print("  räkenskapsår \(year)") }
            print("  \(summary.accountsCreated) nya konton, \(summary.interventionsCreated) nya insatser")
            print("  \(summary.openingBalances) ingående balanser, \(summary.vouchers) verifikationer, \(summary.lines) rader")
            print("  kontrollerat mot filen: \(summary.closingBalancesChecked) utgående balanser, \(summary.resultsChecked) resultat – stämmer")
            if summary.skippedVouchers > 0 {
                print("  ej bokfört: \(summary.skippedVouchers) makulerade verifikationer (alla rader noll)")
            }
            print("  kontrollsumma (#KSUMMA): \(summary.checksumVerified ? "stämmer" : "saknas i filen")")
            if let difference = summary.openingDifference {
                print("  skillnad i ingående balans \(Printer.kronor(difference.sum)) kr bokförd mot \(difference.account) "
                    + "\(difference.accountName) (tidigare års resultat som inte förts till eget kapital)")
            }
            if let previous = summary.previousYear {
                if let reason = previous.leftOut {
                    print("  föregående år \(previous.fiscalYear) lästes inte in som jämförelsetal: \(Printer.escaped(reason))")
                } else {
                    print("  föregående år \(previous.fiscalYear) som jämförelsetal: \(previous.vouchers) verifikationer från filens "
                        + "#IB -1, #UB -1 och #RES -1")
                    if let difference = previous.openingDifference {
                        print("    skillnad i föregående års ingående balans \(Printer.kronor(difference)) kr bokförd mot "
                            + "balanserat resultat")
                    }
                }
            }
            if summary.balancesOnly {
                print("  filen har saldon men inga verifikationer: årets förändring bokfördes som en verifikation (serie SALDO) "
                    + "på årets sista dag")
            }
            if summary.budgetLines + summary.budgetLinesKept > 0 {
                print("  budget från filen (#PBUDGET): \(summary.budgetLines) rader per konto och kalenderår"
                    + (summary.budgetLinesKept > 0 ? ", \(summary.budgetLinesKept) lämnade orörda (förbundet hade redan budget)" : ""))
            }
            if !summary.retypedAccounts.isEmpty {
                print("  konton som filens #KTYP ger en annan typ än kontoklassen: "
                    + summary.retypedAccounts.map(String.init).joined(separator: ", "))
            }
            if !summary.ignoredAccounts.isEmpty {
                print("  kontonummer som Finsams kontoplan inte kan ha och som inget i filen använder, utelämnade: "
                    + summary.ignoredAccounts.map { Printer.escaped($0) }.joined(separator: ", "))
            }
            if !summary.repeatedVoucherNumbers.isEmpty {
                let list = summary.repeatedVoucherNumbers.map { "\(Printer.escaped($0.voucher)) (\($0.count) gånger)" }.joined(separator: ", ")
                print("  verifikationsnummer som filen använder flera gånger: \(list); var och en bokfördes för sig, "
                    + "med filens rad i källhänvisningen")
            }
            if !summary.renamedAccounts.isEmpty {
                print("  kontonamn från filen (kontona hade inga rader):")
                for rename in summary.renamedAccounts {
                    print("    \(rename.account) \"\(Printer.escaped(rename.from))\" heter nu \"\(Printer.escaped(rename.to))\"")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Skriver ett år som SIE 4E (PC8, med #KSUMMA) till standard ut.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(name: .shortAndLong, help: "Skriv till fil i stället för standard ut.") var output: String?

        func run() async throws {
            let bytes = try await CommandContext.run { context in
                try await SIEExport(context.database).run(for: federation, year: year, today: .today, by: context.user)
            }
            if let output {
                try PrivateFile.write(Data(bytes), to: output)
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }
}
