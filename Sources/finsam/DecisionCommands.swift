import ArgumentParser
import FinsamCore
import FinsamService

struct DecisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decision", abstract: "Styrelsens beslut om insatser per kommun och halvår (tjänst × schablon eller fast belopp).",
        subcommands: [Add.self, Adjust.self, List.self, Show.self])

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Registrerar ett beslut. Ett senare mötes beslut ersätter ett tidigare för de månader det gäller.")
        @OptionGroup var target: DecisionTarget
        @Option(help: "Finansierad omfattning i tjänster, t.ex. 0.75 (tjänst × schablon).") var fte: FTE?
        @Option(help: "Antal personer som delar tjänsten (standard: omfattningen avrundad uppåt).") var heads: Int?
        @Option(help: "Schablon per tjänst och halvår i hela kronor, t.ex. 232500.") var rate: Kronor?
        @Option(help: "Fast belopp per halvår i hela kronor, t.ex. 150000.") var amount: Kronor?
        @Option(help: "Beslutets referens: mötesdatum och paragraf, t.ex. \"2023-11-23 §7\".") var ref: String
        @Option(help: "Första månaden beslutet gäller (ÅÅÅÅ-MM; standard halvårets första).") var from: YearMonth?
        @Option(help: "Sista månaden beslutet gäller (ÅÅÅÅ-MM; standard halvårets sista).") var to: YearMonth?

        func validate() throws {
            guard BoardReference(parsing: ref) != nil else {
                throw ValidationError("--ref \"\(ref)\": ange mötesdatum och paragraf, t.ex. \"2023-11-23 §7\"")
            }
            // Which terms go together (--fte and --rate, or --amount) is the service's rule; ErrorHint names the flags.
        }

        func run() async throws {
            let statement = try await CommandContext.run(acting) { context in
                try await FundingDecisions(context.database).add(
                    FundingDecisionRequest(
                        intervention: target.intervention, member: target.member, halfYear: target.halfYear, from: from, to: to,
                        fte: fte, heads: heads,
                        rate: rate?.money, amount: amount?.money, reference: BoardReference(parsing: ref)!),
                    in: target.federation, by: context.user)
            }
            let decision = statement.decisions.last { $0.reference == BoardReference(parsing: ref)! }
            print("Registrerade beslut \(decision.map { String($0.id) } ?? "") (\(ref)) för \(statement.memberName) \(target.halfYear): "
                + "\(decision?.swedishTerms ?? "").")
            print("Beslutat för halvåret: \(SwedishNumberFormat.integer(statement.amountKronor)) kr.")
        }
    }

    struct Adjust: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Justerar några månader av beslutet som gäller dem: annan omfattning, procent av en heltid (eller av beloppet), eller vakant.")
        @OptionGroup var target: DecisionTarget
        @Option(help: "Första månaden (ÅÅÅÅ-MM).") var from: YearMonth
        @Option(help: "Sista månaden (ÅÅÅÅ-MM).") var to: YearMonth
        @Option(help: "Ny omfattning i tjänster, t.ex. 0.40.") var fte: FTE?
        @Option(help: "Procent av en heltid (tjänst × schablon) eller av det fasta beloppet, t.ex. 40.") var percent: String?
        @Flag(help: "Tjänsten är vakant: inget betalas de månaderna.") var vacant = false

        func validate() throws {
            guard [fte != nil, percent != nil, vacant].filter({ $0 }).count == 1 else {
                throw ValidationError("ange en av --fte, --percent och --vacant")
            }
            if let percent, FTE(percentOfFullTime: percent) == nil {
                throw ValidationError("--percent \(percent): ange en procentsats med högst två decimaler, t.ex. 40 eller 12,5")
            }
        }

        func run() async throws {
            let change: FundingAdjustmentRequest.Change =
                if let fte { .fte(fte) } else if let percent { .percent(FTE(percentOfFullTime: percent)!) } else { .vacant }
            let statement = try await CommandContext.run(acting) { context in
                try await FundingDecisions(context.database).adjust(
                    FundingAdjustmentRequest(
                        intervention: target.intervention, member: target.member, halfYear: target.halfYear, from: from, to: to,
                        change: change),
                    in: target.federation, by: context.user)
            }
            print("Justerade \(from)–\(to) för \(statement.memberName) \(target.halfYear).")
            print("Beslutat för halvåret: \(SwedishNumberFormat.integer(statement.amountKronor)) kr.")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar beslut med historik (även ersatta beslut).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Insatsens kod (utelämna för alla).") var intervention: String?
        @Option(help: "Året.") var year: Int?
        @Option(name: .customLong("half-year"), help: "Halvåret, t.ex. 2024H1.") var halfYear: HalfYear?
        @Option(help: "Kommunens medlemskod.") var member: String?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func validate() throws {
            if year == nil && halfYear == nil { throw ValidationError("ange --year eller --half-year") }
        }

        func run() async throws {
            let decisions = try await CommandContext.run(acting) {
                try await FundingDecisions($0.database).list(
                    in: federation, year: halfYear?.year ?? year!, half: halfYear?.half, intervention: intervention, member: member, by: $0.user)
            }
            try Printer.emit(format, decisions) {
                var table = TextTable(["Nr", "Insats", "Kommun", "Halvår", "Månader", "Beslut", "Referens", "Gäller", "Justeringar"])
                for d in decisions {
                    table.append([String(d.id), d.intervention, d.memberName, d.halfYear.description, SwedishMonth.range(d.from...d.to),
                        d.swedishTerms, d.reference.description, DecisionCommand.standing(d),
                        d.adjustments.map { $0.swedish(model: d.model) }.joined(separator: "; ")])
                }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Visar en kommuns beslut för en insats och ett halvår, och beloppet månad för månad.")
        @OptionGroup var target: DecisionTarget
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let s = try await CommandContext.run(acting) {
                try await FundingDecisions($0.database).statement(
                    in: target.federation, intervention: target.intervention, member: target.member, halfYear: target.halfYear,
                    by: $0.user)
            }
            try Printer.emit(format, s) {
                print("\(s.intervention), \(s.memberName), \(s.halfYear)")
                var decisions = TextTable(["Beslut", "Referens", "Månader", "Beslut om", "Gäller", "Justeringar"])
                for d in s.decisions {
                    decisions.append([String(d.id), d.reference.description, SwedishMonth.range(d.from...d.to), d.swedishTerms,
                        DecisionCommand.standing(d), d.adjustments.map { $0.swedish(model: d.model) }.joined(separator: "; ")])
                }
                Printer.table(decisions)
                print("")
                var months = TextTable(["Månad", "Beslut", "Omfattning", "Belopp"], alignments: [.left, .right, .right, .right])
                for m in s.months {
                    months.append([SwedishMonth.name(m.month), String(m.decision), m.extent.swedish, Printer.kronor(m.amount)])
                }
                months.append(["Summa, avrundad en gång", "", "", SwedishNumberFormat.integer(s.amountKronor)])
                Printer.table(months)
            }
        }
    }

    /// Which decisions a command is about: one municipality's, for an intervention and a half-year.
    struct DecisionTarget: ParsableArguments {
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Insatsens kod.") var intervention: String
        @Option(help: "Kommunens medlemskod.") var member: String
        @Option(name: .customLong("half-year"), help: "Halvåret, t.ex. 2024H1.") var halfYear: HalfYear
    }

    /// `gäller jan–jun`, `ersatt`, or the months it still stands for.
    static func standing(_ d: FundingDecision) -> String {
        guard let first = d.standsFor.first, let last = d.standsFor.last else { return "ersatt" }
        let all = Array(d.from...d.to) == d.standsFor
        return all ? "ja" : (d.standsFor.count == last - first + 1 ? SwedishMonth.range(first...last)
            : d.standsFor.map { String(SwedishMonth.name($0).prefix(3)) }.joined(separator: ", "))
    }
}
