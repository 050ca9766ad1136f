import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct SIECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sie", abstract: "SIE 4: läs in från ett annat bokföringsprogram, exportera ett år.",
        subcommands: [Import.self, Mapping.self, Export.self])

    struct Import: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Läser in en SIE-fil (kontoplan, balanser, verifikationer, budget) i ett förbund; allt eller inget.",
            discussion: """
                Efter inläsningen jämförs bokföringen med filens egna #UB och #RES; vid minsta skillnad \
                rullas allt tillbaka. Samma fil kan inte läsas in två gånger. Kontona mappas på förbundet \
                (medlemmarnas bidrag, insatser, administrationens rader): Finsam föreslår mappningen från \
                kontonas namn och det förbundets kontoplan redan säger; --preview visar den och resultaträkningen \
                utan att spara något, finsam sie mapping skriver den som en fil att ändra och läsa in med --mapping.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "SIE-filen.") var file: String
        @Option(help: "Mappningsfil (från finsam sie mapping) som bestämmer vad kontona betyder.") var mapping: String?
        @Flag(help: "Visa mappningen och resultaträkningen utan att spara något.") var preview = false
        @Option(help: "SIE-dimension vars objekt blir insatser (t.ex. 6 för Projekt).") var interventionDimension: Int?
        @Option(help: "Kostnadskategori för nya insatser.") var interventionCategory: CostCategory = .individual
        @Option(help: "Kostnadskategori för nya kostnadskonton.") var costCategory: CostCategory = .administration
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let (data, options) = try SIECommand.inputs(file: file, mapping: mapping, interventionDimension: interventionDimension,
                interventionCategory: interventionCategory, costCategory: costCategory)
            let name = (file as NSString).lastPathComponent
            if preview {
                let result = try await CommandContext.run(acting) { context in
                    try await SIEImport(context.database).preview(data, fileName: name, into: federation, options: options, by: context.user)
                }
                if format == .json { try Printer.json(result); return }
                print("Förhandsvisning – inget har sparats.")
                SIECommand.printSummary(result.summary, federation: federation, verb: "Skulle läsa in")
                print("")
                print(ChartMappingFile.write(result.summary.mapping, objects: result.summary.objects, title: "Kontomappning för \(federation) från \(name)"))
                if let statement = result.incomeStatement {
                    ReportCommand.Income.printTable(statement)
                }
                return
            }
            let summary = try await CommandContext.run(acting) { context in
                try await SIEImport(context.database).run(data, fileName: name, into: federation, options: options, by: context.user)
            }
            if format == .json { try Printer.json(summary); return }
            SIECommand.printSummary(summary, federation: federation, verb: "Läste in")
        }
    }

    struct Mapping: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Skriver den föreslagna kontomappningen för en SIE-fil som en fil att ändra; sparar inget.",
            discussion: "Läs sedan in SIE-filen med --mapping FIL. En befintlig mappningsfil kan ges för att se resultatet av den.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "SIE-filen.") var file: String
        @Option(help: "Mappningsfil att utgå från.") var mapping: String?
        @Option(help: "SIE-dimension vars objekt blir insatser.") var interventionDimension: Int?
        @Option(help: "Kostnadskategori för nya insatser.") var interventionCategory: CostCategory = .individual
        @Option(help: "Kostnadskategori för nya kostnadskonton.") var costCategory: CostCategory = .administration
        @Option(name: .shortAndLong, help: "Skriv till fil i stället för standard ut.") var output: String?

        func run() async throws {
            let (data, options) = try SIECommand.inputs(file: file, mapping: mapping, interventionDimension: interventionDimension,
                interventionCategory: interventionCategory, costCategory: costCategory)
            let name = (file as NSString).lastPathComponent
            let result = try await CommandContext.run(acting) { context in
                try await SIEImport(context.database).preview(data, fileName: name, into: federation, options: options, by: context.user)
            }
            let text = ChartMappingFile.write(result.summary.mapping, objects: result.summary.objects, title: "Kontomappning för \(federation) från \(name)")
            if let output {
                try PrivateFile.write(Data(text.utf8), to: output)
            } else {
                print(text, terminator: "")
            }
        }
    }

    static func inputs(
        file: String, mapping: String?, interventionDimension: Int?, interventionCategory: CostCategory, costCategory: CostCategory
    ) throws -> ([UInt8], SIEImportOptions) {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("filen \(file) går inte att läsa") }
        var mappingFile: (name: String, text: String)?
        if let mapping {
            guard let bytes = FileManager.default.contents(atPath: mapping) else {
                throw ValidationError("mappningsfilen \(mapping) går inte att läsa")
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw ValidationError("mappningsfilen \(mapping) är inte UTF-8")
            }
            mappingFile = ((mapping as NSString).lastPathComponent, text)
        }
        return (Array(data), SIEImportOptions(interventionDimension: interventionDimension,
            interventionCategory: interventionCategory, costCategory: costCategory, mappingFile: mappingFile))
    }

    static func printSummary(_ summary: SIEImportSummary, federation: String, verb: String) {
        print("\(verb) \(summary.fileName)\(summary.program.map { " från \($0)" } ?? "") i \(federation):")
        if let year = summary.fiscalYear { print("  räkenskapsår \(year)") }
        print("  \(summary.accountsCreated) nya konton, \(summary.interventionsCreated) nya insatser")
        print("  \(summary.openingBalances) ingående balanser, \(summary.vouchers) verifikationer, \(summary.lines) rader")
        print("  kontrollerat mot filen: \(summary.closingBalancesChecked) utgående balanser, \(summary.resultsChecked) resultat – stämmer")
        if summary.skippedVouchers > 0 {
            print("  ej bokfört: \(summary.skippedVouchers) makulerade verifikationer (alla rader noll)")
        }
        print("  kontrollsumma (#KSUMMA): \(summary.checksumVerified ? "stämmer" : "saknas i filen")")
        if let difference = summary.openingDifference {
            print("  skillnad i ingående balans \(Printer.kronor(difference.sum)) kr mot bokföringen, förd mot \(difference.account) "
                + "\(Printer.escaped(difference.accountName)) (tidigare års resultat som filen och bokföringen redovisar olika)")
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
        if !summary.mapping.isEmpty {
            var counts: [String: Int] = [:]
            for entry in summary.mapping {
                switch entry.meaning {
                case .member: counts["medlemmar", default: 0] += 1
                case .memberKind: counts["medlemsslag", default: 0] += 1
                case .otherRevenue: counts["övriga intäkter", default: 0] += 1
                case .intervention: counts["insatser", default: 0] += 1
                case .administration: counts["administration", default: 0] += 1
                case .category: counts["kostnadskategorier", default: 0] += 1
                }
            }
            print("  kontomappning: \(summary.mapping.count) konton – "
                + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
            let conflicts = summary.mapping.filter { $0.conflict != nil }
            if !conflicts.isEmpty {
                print("  konton där filen ger en annan betydelse än förbundets kontoplan (filens gäller):")
                for entry in conflicts {
                    print("    \(entry.account) \"\(Printer.escaped(entry.name))\": \(entry.meaning.swedishDescription); "
                        + "\(Printer.escaped(entry.conflict ?? ""))")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Skriver ett år som SIE 4E (PC8, med #KSUMMA) till standard ut.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(name: .shortAndLong, help: "Skriv till fil i stället för standard ut.") var output: String?

        func run() async throws {
            let bytes = try await CommandContext.run(acting) { context in
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
