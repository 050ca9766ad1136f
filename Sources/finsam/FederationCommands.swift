import ArgumentParser
import FinsamCore
import FinsamService

struct FederationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation", abstract: "Samordningsförbund: lägg upp, lista, visa.",
        subcommands: [Add.self, List.self, Show.self, Set.self, Payout.self])

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Lägger upp ett förbund med kontoplanen i Kommun-Bas-stil.")
        @Argument(help: "Kort kod, t.ex. hoglandet (a–z, 0–9, bindestreck).") var code: String
        @Option(help: "Förbundets namn.") var name: String
        @Option(help: "Organisationsnummer NNNNNN-NNNN.") var orgnr: String
        @Option(help: "Sätesort (kommun).") var seat: String?

        func run() async throws {
            let federation = try await CommandContext.run(acting) { context in
                try await Federations(context.database).create(
                    code: code, name: name, orgnr: orgnr, seatMunicipality: seat, by: context.user)
            }
            print("Lade upp \(federation.name) (\(federation.code), \(federation.orgnr)) med \(ChartTemplate.accounts.count) konton.")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar förbunden.")
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let federations = try await CommandContext.run(acting) { try await Federations($0.database).list(by: $0.user) }
            let rows = federations.map { [$0.code, $0.name, $0.orgnr, $0.seatMunicipality ?? ""] }
            try Printer.emit(format, federations) {
                var table = TextTable(["Kod", "Namn", "Org.nr", "Säte"])
                rows.forEach { table.append($0) }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar ett förbund och dess medlemmar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let (found, members) = try await CommandContext.run(acting) { context in
                (try await Federations(context.database).find(federation, by: context.user),
                 try await Members(context.database).list(of: federation, by: context.user))
            }
            switch format {
            case .json:
                struct Shown: Encodable { var federation: Federation; var members: [Member] }
                try Printer.json(Shown(federation: found, members: members))
            case .csv, .table:
                print("\(found.name) (\(found.code))")
                print("Organisationsnummer: \(found.orgnr)")
                if let seat = found.seatMunicipality { print("Säte: \(seat)") }
                print("Medlemmar: \(members.count)")
                var table = TextTable(["Kod", "Slag", "Namn", "Org.nr"])
                for member in members { table.append([member.code, member.kind.swedishName, member.name, member.orgnr]) }
                Printer.table(table)
            }
        }
    }
}

extension FederationCommand {
    struct Set: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Ändrar förbundets fakturauppgifter: bankgiro och betalningsvillkor.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Bankgironummer, NNN-NNNN eller NNNN-NNNN.") var bankgiro: String?
        @Option(name: .customLong("due-days"), help: "Dagar till förfallodagen (0–365).") var dueDays: Int?

        func validate() throws {
            guard bankgiro != nil || dueDays != nil else { throw ValidationError("ange --bankgiro och/eller --due-days") }
        }

        func run() async throws {
            let settings = try await CommandContext.run(acting) {
                try await FederationInvoicing($0.database).update(federation, bankgiro: bankgiro, dueDays: dueDays, by: $0.user)
            }
            print("\(federation): bankgiro \(settings.bankgiro ?? "saknas"), betalning inom \(settings.dueDays) dagar.")
        }
    }
}

extension FederationCommand {
    struct Payout: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Förbundets regler för utbetalningar: delegationsgräns, budgetspärr, konto att betala från.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(name: .customLong("delegation-limit"),
            help: "Över detta belopp (hela kronor) attesterar ordföranden också; none tar bort gränsen.") var delegationLimit: String?
        @Option(name: .customLong("budget-blocks"),
            help: "yes: attest över insatsens budget vägras; no: bara en varning.") var budgetBlocks: String?
        @Option(help: "Förbundets IBAN att betala från, t.ex. SE4550000000058398257466.") var iban: String?
        @Option(help: "Bankens BIC, t.ex. ESSESESS.") var bic: String?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func limit() throws -> DisbursementSettingsChange.Limit? {
            guard let delegationLimit else { return nil }
            if delegationLimit == "none" { return .unlimited }
            guard let money = Money(parsing: delegationLimit) else {
                throw ValidationError("--delegation-limit \(delegationLimit): ange ett belopp i kronor eller none")
            }
            return .set(money)
        }

        func blocks() throws -> Bool? {
            switch budgetBlocks {
            case nil: nil
            case "yes": true
            case "no": false
            case let other?: throw ValidationError("--budget-blocks \(other): ange yes eller no")
            }
        }

        func validate() throws {
            _ = try limit()
            _ = try blocks()
        }

        func run() async throws {
            let change = DisbursementSettingsChange(
                delegationLimit: try limit(), budgetOverrunBlocks: try blocks(), payerIBAN: iban, payerBIC: bic)
            let settings = try await CommandContext.run(acting) { context in
                let service = FederationDisbursements(context.database)
                return change == DisbursementSettingsChange()
                    ? try await service.settings(of: federation, by: context.user)
                    : try await service.update(federation, change, by: context.user)
            }
            if format == .json { try Printer.json(settings); return }
            print("\(federation): delegationsgräns \(settings.delegationLimit.map { Printer.wholeKronor($0) + " kr" } ?? "ingen"), "
                + "attest över budget \(settings.budgetOverrunBlocks ? "vägras" : "ger en varning"), "
                + "betalar från \(settings.payerIBAN ?? "–") (\(settings.payerBIC ?? "–")).")
        }
    }
}
