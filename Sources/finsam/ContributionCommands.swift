import ArgumentParser
import FinsamCore
import FinsamService

/// `12,5`, `12.50`, `50`: a percentage as people type it, kept in hundredths of a percent.
struct Percent: ExpressibleByArgument {
    var hundredths: Int64
    init?(argument: String) {
        guard let value = Money(parsing: argument), value.öre >= 0, value.öre <= 10_000 else { return nil }
        hundredths = value.öre
    }
}

/// `MEMBER:PERCENT`, e.g. `ankeby:12,5`: one member's part of an agreed key.
struct KeyShare: ExpressibleByArgument {
    var member: String
    var hundredths: Int64
    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let percent = Percent(argument: parts[1]) else { return nil }
        member = parts[0]
        hundredths = percent.hundredths
    }
}

struct ContributionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contributions", abstract: "Medlemsbidragen: årets totalbelopp och fördelningen mellan medlemmarna.",
        subcommands: [Plan.self, Show.self])

    struct Plan: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Fördelar årets medlemsbidrag: staten, regionen och kommunerna (efter folkmängd eller en nyckel).",
            discussion: """
                Lagens fördelning är 50 % staten (Försäkringskassan faktureras hela statens andel), 25 % regionen \
                och 25 % kommunerna, som delar sin andel efter folkmängd vid referensdatumet. Varje steg avrundas \
                till hela kronor med största-rest-metoden, så att delarna alltid summerar till totalen. En plan \
                för samma år ersätts.
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året bidragen gäller.") var year: Int
        @Option(help: "Totalbeloppet i hela kronor.") var total: Int64
        @Option(name: .customLong("reference-date"), help: "Folkmängdens referensdatum (ÅÅÅÅ-MM-DD).") var referenceDate: CalendarDate?
        @Option(help: "Statens andel i procent.") var state: Percent = Percent(argument: "50")!
        @Option(help: "Regionens (regionernas) andel i procent.") var region: Percent = Percent(argument: "25")!
        @Option(help: "Kommunernas andel i procent.") var municipalities: Percent = Percent(argument: "25")!
        @Option(name: .customLong("key"), help: "Kommunernas nyckel enligt förbundsordningen, KOMMUN:PROCENT (en per kommun).")
        var key: [KeyShare] = []
        @Option(name: .customLong("region-key"), help: "Två regioners andelar, REGION:PROCENT (en per region).")
        var regionKey: [KeyShare] = []
        @Flag(help: "Visa fördelningen utan att spara den.") var preview = false
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func validate() throws {
            guard total > 0 else { throw ValidationError("--total ska vara ett belopp i hela kronor större än noll") }
            for (name, list) in [("--key", key), ("--region-key", regionKey)] {
                let codes = list.map(\.member)
                if let repeated = codes.first(where: { code in codes.filter { $0 == code }.count > 1 }) {
                    throw ValidationError("\(name) anger \(repeated) mer än en gång")
                }
            }
        }

        func run() async throws {
            let request = ContributionPlanRequest(
                year: year, totalKronor: total, referenceDate: referenceDate,
                partyShares: .init(state: Int(state.hundredths), regions: Int(region.hundredths),
                    municipalities: Int(municipalities.hundredths)),
                municipalityKey: key.isEmpty ? nil : Dictionary(uniqueKeysWithValues: key.map { ($0.member, $0.hundredths) }),
                regionKey: regionKey.isEmpty ? nil : Dictionary(uniqueKeysWithValues: regionKey.map { ($0.member, $0.hundredths) }))
            let plan = try await CommandContext.run(acting) { context in
                try await ContributionPlans(context.database).plan(request, for: federation, preview: preview, by: context.user)
            }
            try ContributionsCommand.print(plan, format)
            if format == .table {
                Swift.print(plan.saved ? "Sparad: ersätter en tidigare plan för \(year) om det fanns en." : "Förhandsvisning: inget sparades.")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar årets fördelning av medlemsbidragen.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Året.") var year: Int
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let plan = try await CommandContext.run(acting) { try await ContributionPlans($0.database).show(for: federation, year: year, by: $0.user) }
            try ContributionsCommand.print(plan, format)
        }
    }

    static func basisName(_ basis: String) -> String {
        switch basis {
        case "state": "statens andel"
        case "population": "folkmängd"
        case "key": "nyckel"
        case "equal": "lika delar"
        default: basis
        }
    }

    static func print(_ plan: ContributionPlan, _ format: OutputFormat) throws {
        try Printer.emit(format, plan) {
            // A column for the months only when a municipality joined or left during the year.
            let partYear = plan.shares.contains { $0.months != 1...12 }
            var table = TextTable(
                ["Medlem", "Typ", "Grund", "Folkmängd/nyckel", "Per datum", "Källa"] + (partYear ? ["Månader"] : []) + ["Andel", "Belopp, kr"],
                alignments: [.left, .left, .left, .right, .left, .left] + (partYear ? [.left] : []) + [.right, .right])
            for share in plan.shares {
                let weight: String = switch share.basis {
                case "population": share.weight.map { SwedishNumberFormat.integer($0) } ?? ""
                case "key": share.weight.map { SwedishNumberFormat.percent(basisPoints: $0) } ?? ""
                default: ""
                }
                table.append([share.memberName, share.kind.swedishName, basisName(share.basis), weight,
                              share.referenceDate?.description ?? "", share.source ?? ""]
                              + (partYear ? [SwedishMonth.range(share.months)] : []) + [
                              SwedishNumberFormat.percent(basisPoints: share.percentOfTotal), Printer.wholeKronor(share.amount)])
            }
            table.append(["Summa", "", "", "", "", ""] + (partYear ? [""] : []) + [SwedishNumberFormat.percent(basisPoints: plan.shares.reduce(0) { $0 + $1.percentOfTotal }),
                          Printer.wholeKronor(try plan.shares.sum(\.amount))])
            let shares = plan.partyShares
            let title = """
                Medlemsbidrag \(plan.year) \(plan.federationName): \(Printer.wholeKronor(plan.total)) kr \
                (staten \(SwedishNumberFormat.percent(basisPoints: Int64(shares.state))), \
                regionen \(SwedishNumberFormat.percent(basisPoints: Int64(shares.regions))), \
                kommunerna \(SwedishNumberFormat.percent(basisPoints: Int64(shares.municipalities))))
                """
            Printer.table(table, title: title)
        }
    }
}
