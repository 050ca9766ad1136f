import ArgumentParser
import FinsamCore
import FinsamService

/// `budget` and `forecast` are the same command on the two kinds of plan.
protocol PlanCommand {
    static var kind: BudgetLine.Kind { get }
}

struct BudgetCommand: AsyncParsableCommand, PlanCommand {
    static let kind = BudgetLine.Kind.budget
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Budget per år och konto eller insats.",
        subcommands: [PlanSet<BudgetCommand>.self, PlanShow<BudgetCommand>.self])
}

struct ForecastCommand: AsyncParsableCommand, PlanCommand {
    static let kind = BudgetLine.Kind.forecast
    static let configuration = CommandConfiguration(
        commandName: "forecast", abstract: "Helårsprognos per år och konto eller insats.",
        subcommands: [PlanSet<ForecastCommand>.self, PlanShow<ForecastCommand>.self])
}

struct PlanSet<Plan: PlanCommand>: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "set",
            abstract: "Anger ett belopp (intäkter och kostnader positiva; klass 8: positivt är intäkt).")
    }
    @Argument(help: "Förbundets kod.") var federation: String
    @Option(help: "Året.") var year: Int
    @Option(help: "Konto.") var account: Int?
    @Option(help: "Insatsens kod.") var intervention: String?
    @Option(help: "Medlemmens kod (för medlemsbidrag).") var member: String?
    @Option(help: "Belopp i kronor, t.ex. 3600000 eller 1500,50.") var amount: Kronor

    func validate() throws {
        if account == nil && intervention == nil { throw ValidationError("ange --account eller --intervention") }
    }

    func run() async throws {
        let line = BudgetLine(kind: Plan.kind, year: year, account: account, intervention: intervention, member: member,
            amount: amount.money)
        _ = try await CommandContext.run(acting) { try await Budgets($0.database).set(line, in: federation, by: $0.user) }
        let target = [account.map { "konto \($0)" }, intervention.map { "insats \($0)" }, member.map { "medlem \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        print("\(Plan.kind.swedishName) \(year), \(target): \(Printer.kronor(amount.money)) kr.")
    }
}

struct PlanShow<Plan: PlanCommand>: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: "Visar årets belopp.")
    }
    @Argument(help: "Förbundets kod.") var federation: String
    @Option(help: "Året.") var year: Int
    @Option(help: "table, json eller csv.") var format: OutputFormat = .table

    func run() async throws {
        let lines = try await CommandContext.run(acting) { try await Budgets($0.database).list(kind: Plan.kind, year: year, in: federation, by: $0.user) }
        try Printer.emit(format, lines) {
            var table = TextTable(["Konto", "Insats", "Medlem", "Belopp"], alignments: [.left, .left, .left, .right])
            for line in lines {
                table.append([line.account.map(String.init) ?? "", line.intervention ?? "", line.member ?? "", Printer.kronor(line.amount)])
            }
            Printer.table(table, title: "\(Plan.kind.swedishName) \(year), \(federation)")
        }
    }
}
