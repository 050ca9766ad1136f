import ArgumentParser
import FinsamCore
import FinsamService

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Kontoplanen.", subcommands: [List.self, Add.self, Posting.self])

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar förbundets konton.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let accounts = try await CommandContext.run(acting) { try await Accounts($0.database).list(of: federation, by: $0.user) }
            try Printer.emit(format, accounts) {
                var table = TextTable(["Konto", "Namn", "Medlemsbidrag", "Kostnadskategori"])
                for a in accounts {
                    table.append([String(a.number), a.name, a.member.map { "Medlem \($0)" } ?? a.memberKind?.swedishName ?? "",
                        a.intervention.map { "Insats \($0)" } ?? a.administrationLine.map { "Administration: \($0.swedishName)" }
                            ?? a.costCategory?.swedishName ?? ""])
                }
                Printer.table(table)
            }
        }
    }

    struct Posting: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Visar eller ändrar kontona som Finsam själv bokför på (bank, kundfordringar, utbetalningar …).",
            discussion: """
                Utan ändamål och konto visas inställningarna. Ändamål: bank, receivables (kundfordringar), \
                disbursement-cost (kostnad för utbetalningar), claims (återkrav), brought-forward (balanserat \
                resultat för skillnad i ingående balans), contributions-fk, contributions-af, contributions-region, \
                contributions-municipality (medlemsbidrag per medlemsslag).
                """)
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Ändamålet att ändra.") var purpose: String?
        @Argument(help: "Kontot som ändamålet ska använda.") var account: Int?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func validate() throws {
            guard (purpose == nil) == (account == nil) else { throw ValidationError("ange både ändamål och konto, eller inget av dem") }
            if let purpose, PostingPurpose(rawValue: purpose) == nil, Self.memberKind(purpose) == nil {
                throw ValidationError("\(purpose) är inget ändamål; se finsam account posting --help")
            }
        }

        static func memberKind(_ purpose: String) -> MemberKind? {
            purpose.hasPrefix("contributions-") || purpose.hasPrefix("contributions:")
                ? MemberKind(rawValue: String(purpose.dropFirst("contributions-".count))) : nil
        }

        func run() async throws {
            if let purpose, let account {
                try await CommandContext.run(acting) { context in
                    let settings = PostingAccountSettings(context.database)
                    if let kind = Self.memberKind(purpose) {
                        try await settings.setContributions(of: kind, to: account, in: federation, by: context.user)
                    } else if let known = PostingPurpose(rawValue: purpose) {
                        try await settings.set(known, to: account, in: federation, by: context.user)
                    }
                }
                print("\(purpose) bokförs nu på konto \(account) i \(federation).")
                return
            }
            let settings = try await CommandContext.run(acting) { try await PostingAccountSettings($0.database).list(of: federation, by: $0.user) }
            func cliName(_ purpose: String) -> String {
                purpose.hasPrefix("contributions:") ? "contributions-" + purpose.dropFirst("contributions:".count) : purpose
            }
            try Printer.emit(format, settings) {
                var table = TextTable(["Ändamål", "Kod", "Konto", "Namn"])
                for setting in settings {
                    table.append([setting.label, cliName(setting.purpose), setting.account.map(String.init) ?? "saknas",
                        setting.accountName ?? ""])
                }
                Printer.table(table)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Lägger till ett konto.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Kontonummer, 4–9 siffror (t.ex. 6420 eller underkontot 642010).") var number: Int
        @Option(help: "Kontots namn.") var name: String
        @Option(help: "Medlemsbidragskonto för: fk, af, region, municipality.") var memberKind: MemberKind?
        @Option(help: "Kostnadskategori: individual, structural, administration, reserve.") var category: CostCategory?
        @Option(help: "Administrationsrad: board, staff, other, audit, accounting, training.")
        var administrationLine: AdministrationLine?

        func run() async throws {
            let account = try await CommandContext.run(acting) { context in
                try await Accounts(context.database).add(
                    Account(number: number, name: name, memberKind: memberKind,
                        costCategory: category ?? (administrationLine != nil ? .administration : nil),
                        administrationLine: administrationLine),
                    to: federation, by: context.user)
            }
            print("Lade till konto \(account.number) \(account.name).")
        }
    }
}

struct InterventionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intervention", abstract: "Insatser och deras kostnadskategori.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Lägger till en insats.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Insatsens kod, t.ex. se-aneby.") var code: String
        @Option(help: "Namn.") var name: String
        @Option(help: "individual, structural, administration eller reserve.") var category: CostCategory
        @Option(help: "Hur styrelsen finansierar den per kommun och halvår: fte-rate (tjänst × schablon), fixed (fast belopp) eller none.")
        var funding: String = "none"
        @Option(help: "Aktiv från (ÅÅÅÅ-MM-DD; standard 1 januari i år).") var from: CalendarDate?
        @Option(help: "Aktiv till och med (ÅÅÅÅ-MM-DD).") var to: CalendarDate?

        func validate() throws {
            guard funding == "none" || FundingModel(rawValue: funding) != nil else {
                throw ValidationError("--funding \(funding): ange fte-rate, fixed eller none")
            }
        }

        func run() async throws {
            let intervention = try await CommandContext.run(acting) { context in
                try await Interventions(context.database).add(
                    Intervention(code: code, name: name, category: category,
                        activeFrom: from ?? CalendarDate.firstDay(ofYear: CalendarDate.today.year), activeTo: to,
                        funding: FundingModel(rawValue: funding)),
                    to: federation, by: context.user)
            }
            print("Lade till insatsen \(intervention.name) (\(intervention.category.swedishName.lowercased())"
                + "\(intervention.funding.map { ", \($0.swedishName)" } ?? "")).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar förbundets insatser.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let interventions = try await CommandContext.run(acting) { try await Interventions($0.database).list(of: federation, by: $0.user) }
            try Printer.emit(format, interventions) {
                var table = TextTable(["Kod", "Namn", "Kategori", "Från", "Till"])
                for i in interventions {
                    table.append([i.code, i.name, i.category.swedishName, i.activeFrom.description, i.activeTo?.description ?? ""])
                }
                Printer.table(table)
            }
        }
    }
}

struct PeriodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period", abstract: "Låsta perioder.", subcommands: [Lock.self, List.self])

    struct Lock: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Låser en månad (ÅÅÅÅ-MM) eller ett helt år (ÅÅÅÅ). Låsningen kan inte hävas.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "2024-03 för en månad, 2024 för året.") var period: String

        func run() async throws {
            let parts = period.split(separator: "-")
            guard (1...2).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]),
                parts.count == 1 || (parts[1].count == 2 && Int(parts[1]) != nil)
            else { throw ValidationError("perioden \"\(period)\" ska skrivas ÅÅÅÅ-MM eller ÅÅÅÅ") }
            let month = parts.count == 2 ? Int(parts[1]) : nil
            let lock = try await CommandContext.run(acting) { context in
                try await PeriodLocks(context.database).lock(year: year, month: month, in: federation, by: context.user)
            }
            print("Låste \(period) i \(federation) (\(lock.lockedBy), \(Printer.time(lock.lockedAt))).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar låsta perioder.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let locks = try await CommandContext.run(acting) { try await PeriodLocks($0.database).list(in: federation, by: $0.user) }
            func label(_ lock: PeriodLock) -> String {
                lock.month.map { "\(lock.year)-\($0 < 10 ? "0" : "")\($0)" } ?? "\(lock.year) (hela året)"
            }
            try Printer.emit(format, locks) {
                var table = TextTable(["Period", "Låst av", "Tidpunkt"])
                for lock in locks { table.append([label(lock), lock.lockedBy, Printer.time(lock.lockedAt)]) }
                Printer.table(table)
            }
        }
    }
}
