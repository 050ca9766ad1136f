import ArgumentParser
import FinsamCore
import FinsamService

struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Medlemmar: Försäkringskassan, Arbetsförmedlingen, region, kommuner.",
        subcommands: [Add.self, Set.self, List.self, Show.self, Schedule.self, Payout.self])

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Lägger till en medlem i ett förbund.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod, t.ex. aneby.") var code: String
        @Option(help: "fk, af, region eller municipality.") var kind: MemberKind
        @Option(help: "Namn, t.ex. Aneby kommun.") var name: String
        @Option(help: "Organisationsnummer NNNNNN-NNNN.") var orgnr: String
        @Option(help: "Peppol-id, t.ex. 0007:2120000530.") var peppol: String?
        @Option(help: "Fakturaadress.") var address: String?
        @Option(help: "Köparens referens på fakturor.") var reference: String?

        func run() async throws {
            let member = try await CommandContext.run(acting) { context in
                try await Members(context.database).add(
                    MemberDetails(code: code, kind: kind, name: name, orgnr: orgnr, peppolId: peppol,
                        invoiceAddress: address, buyerReference: reference),
                    to: federation, by: context.user)
            }
            print("Lade till \(member.name) (\(member.kind.swedishName.lowercased())) i \(federation).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar ett förbunds medlemmar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let members = try await CommandContext.run(acting) { try await Members($0.database).list(of: federation, by: $0.user) }
            try Printer.emit(format, members) {
                var table = TextTable(["Kod", "Slag", "Namn", "Org.nr", "Peppol-id"])
                for m in members { table.append([m.code, m.kind.swedishName, m.name, m.orgnr, m.peppolId ?? ""]) }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar en medlem och dess folkmängd per år.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod.") var member: String
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let (found, figures) = try await CommandContext.run(acting) { context in
                (try await Members(context.database).find(member, in: federation, by: context.user),
                 try await Population(context.database).list(of: federation, year: nil, by: context.user)
                    .filter { $0.member == member })
            }
            switch format {
            case .json:
                struct Shown: Encodable { var member: Member; var population: [PopulationFigure] }
                try Printer.json(Shown(member: found, population: figures))
            case .csv, .table:
                print("\(found.name) (\(found.code))")
                print("Slag: \(found.kind.swedishName)")
                print("Organisationsnummer: \(found.orgnr)")
                if let peppol = found.peppolId { print("Peppol-id: \(peppol)") }
                if let address = found.invoiceAddress { print("Fakturaadress: \(address)") }
                if let reference = found.buyerReference { print("Referens: \(reference)") }
                if !figures.isEmpty {
                    var table = TextTable(["År", "Folkmängd", "Per datum", "Källa"], alignments: [.left, .right, .left, .left])
                    for f in figures {
                        table.append([String(f.year), SwedishNumberFormat.integer(Int64(f.population)), f.referenceDate.description, f.source])
                    }
                    Printer.table(table)
                }
            }
        }
    }
}

extension MemberCommand {
    struct Set: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Ändrar en medlems Peppol-id, fakturaadress eller referens (tom text tar bort uppgiften).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod.") var member: String
        @Option(help: "Peppol-id, t.ex. 0007:2120000530.") var peppol: String?
        @Option(help: "Fakturaadress, rader åtskilda med komma: Box 100, 851 00 Älvstad.") var address: String?
        @Option(help: "Köparens referens på fakturor.") var reference: String?
        @Option(help: "Första månaden som medlem (ÅÅÅÅ-MM), för en kommun som går med under året; none tar bort.") var joined: String?
        @Option(help: "Sista månaden som medlem (ÅÅÅÅ-MM), för en kommun som lämnar; none tar bort.") var left: String?

        func validate() throws {
            if peppol == nil && address == nil && reference == nil && joined == nil && left == nil {
                throw ValidationError("ange minst en av --peppol, --address, --reference, --joined och --left")
            }
            _ = try Self.month(joined, "--joined")
            _ = try Self.month(left, "--left")
        }

        static func month(_ text: String?, _ option: String) throws -> MemberChanges.MonthChange {
            guard let text else { return .keep }
            if text == "none" { return .clear }
            let parts = text.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
                (2004...2200).contains(year), (1...12).contains(month)
            else { throw ValidationError("\(option) \(text): ange en månad som ÅÅÅÅ-MM, t.ex. 2024-07, eller none") }
            return .set(year: year, month: month)
        }

        func run() async throws {
            let found = try await CommandContext.run(acting) {
                try await Members($0.database).update(
                    member, in: federation,
                    MemberChanges(peppolId: peppol, invoiceAddress: address, buyerReference: reference,
                        joined: try Self.month(joined, "--joined"), left: try Self.month(left, "--left")),
                    by: $0.user)
            }
            print("\(found.name): Peppol-id \(found.peppolId ?? "saknas"), adress \(found.invoiceAddress ?? "saknas"), referens \(found.buyerReference ?? "saknas").")
            if found.memberFrom != nil || found.memberUntil != nil {
                print("Medlem \(found.memberFrom.map { "från \($0)" } ?? "sedan tidigare")\(found.memberUntil.map { " till och med \($0)" } ?? ""); gör om årets plan med contributions plan, så justerar nästa fakturakörning det som redan är fakturerat.")
            }
        }
    }

    struct Schedule: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Anger hur ofta en medlem faktureras sitt bidrag: yearly, half-yearly eller quarterly.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod.") var member: String
        @Argument(help: "yearly, half-yearly eller quarterly.") var schedule: InvoiceSchedule

        func run() async throws {
            let found = try await CommandContext.run(acting) {
                try await Members($0.database).setSchedule(schedule, member: member, in: federation, by: $0.user)
            }
            print("\(found.name) faktureras per \(schedule.swedishName).")
        }
    }
}

struct PopulationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population", abstract: "Folkmängd per kommun och år (grund för kommunernas bidrag).",
        subcommands: [Set.self, List.self])

    struct Set: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Anger en kommuns folkmängd för ett år.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Kommunens medlemskod.") var member: String
        @Option(help: "Året bidraget gäller.") var year: Int
        @Option(help: "Folkmängden.") var population: Int
        @Option(help: "Per datum (ÅÅÅÅ-MM-DD); standard 1 november året före.") var date: CalendarDate?
        @Option(help: "Källa.") var source: String = "SCB"

        func run() async throws {
            let figure = try await CommandContext.run(acting) { context in
                try await Population(context.database).set(
                    member: member, in: federation, year: year, population: population, referenceDate: date,
                    source: source, by: context.user)
            }
            print("\(figure.memberName) \(figure.year): \(SwedishNumberFormat.integer(Int64(figure.population))) invånare per \(figure.referenceDate) (\(figure.source)).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar folkmängden per kommun.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Bara detta år.") var year: Int?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let figures = try await CommandContext.run(acting) { try await Population($0.database).list(of: federation, year: year, by: $0.user) }
            try Printer.emit(format, figures) {
                var table = TextTable(["År", "Kommun", "Folkmängd", "Per datum", "Källa"], alignments: [.left, .left, .right, .left, .left])
                for f in figures {
                    table.append([String(f.year), f.memberName, SwedishNumberFormat.integer(Int64(f.population)), f.referenceDate.description, f.source])
                }
                if year != nil && !figures.isEmpty {
                    table.append(["", "Summa", SwedishNumberFormat.integer(Int64(figures.reduce(0) { $0 + $1.population })), "", ""])
                }
                Printer.table(table)
            }
        }
    }
}

extension MemberCommand {
    struct Payout: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Anger vart utbetalningar till medlemmen går: bankgiro eller bankkonto (clearingnummer-kontonummer).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Medlemmens kod.") var member: String
        @Option(help: "Bankgironummer, NNN-NNNN eller NNNN-NNNN.") var bankgiro: String?
        @Option(name: .customLong("bank-account"), help: "Bankkonto, t.ex. 6000-123456789.") var bankAccount: String?
        @Flag(help: "Tar bort kontot.") var none = false

        func validate() throws {
            guard [bankgiro != nil, bankAccount != nil, none].filter({ $0 }).count == 1 else {
                throw ValidationError("ange en av --bankgiro, --bank-account och --none")
            }
        }

        func run() async throws {
            let account = try await CommandContext.run(acting) {
                try await Members($0.database).setPayoutAccount(member, in: federation, bankgiro: bankgiro, bankAccount: bankAccount, by: $0.user)
            }
            print("\(member): utbetalningar till \(account?.description ?? "inget konto").")
        }
    }
}
