import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct DisbursementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disbursement",
        abstract: "Utbetalningar enligt beslut: förbered, skicka in, attestera, återsänd, avslå, betala ut.",
        discussion: """
            Flödet: utkast → inskickad → attesterad → utbetald, eller återsänd/avslagen med kommentar. Ekonomen \
            förbereder och skickar in; förbundschefen attesterar; över förbundets delegationsgräns attesterar \
            ordföranden också. Ingen attesterar det hen själv förberett eller skickat in. Varje steg görs som en \
            namngiven användare: --user KOD eller FINSAM_USER.
            """,
        subcommands: [Prepare.self, Submit.self, Approve.self, Return.self, Reject.self, Pay.self, List.self, Show.self, Batch.self])

    struct Prepare: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Förbereder utkast per kommun från besluten (det beslutade minus det som redan skickats in, attesterats eller betalats).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Insatsens kod.") var intervention: String
        @Option(name: .customLong("half-year"), help: "Halvåret, t.ex. 2024H1.") var halfYear: HalfYear
        @Option(help: "Bara denna kommun.") var member: String?
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let lines = try await CommandContext.run(acting) { context in
                try await Disbursements(context.database).prepare(
                    in: federation, intervention: intervention, halfYear: halfYear, member: member, by: context.user)
            }
            if format == .json { try Printer.json(lines); return }
            var table = TextTable(["Kommun", "Beslutat", "Redan inskickat/attesterat", "Utbetalning", "Belopp", "Resultat"],
                alignments: [.left, .right, .right, .right, .right, .left])
            for line in lines {
                table.append([line.memberName, Printer.wholeKronor(line.decided), Printer.wholeKronor(line.committed),
                    line.number.map(String.init) ?? "", line.amount.map(Printer.wholeKronor) ?? "", Self.describe(line.outcome)])
            }
            Printer.table(table, title: "Utbetalningar \(intervention) \(halfYear)")
        }

        static func describe(_ outcome: PreparedDisbursement.Outcome) -> String {
            switch outcome {
            case .created: "nytt utkast"
            case .updated: "utkastet har nytt belopp"
            case .unchanged: "oförändrat"
            case .withdrawn: "utkastet avslogs: inget kvar att betala"
            case .alreadyApproved: "redan attesterat, beslutet oförändrat"
            case .awaitingApproval: "beslutet ändrat men en utbetalning väntar på attest: återsänd den först"
            case .nothingDecided: "inget beslutat belopp"
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Skickar utkast (eller återsända) till attest.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Utbetalningarnas nummer.") var numbers: [Int]

        func run() async throws {
            let moved = try await CommandContext.run(acting) { try await Disbursements($0.database).submit(numbers, in: federation, by: $0.user) }
            DisbursementCommand.printStates(moved)
        }
    }

    struct Approve: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Attesterar inskickade utbetalningar (förbundschef; över delegationsgränsen även ordförande).")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Utbetalningarnas nummer.") var numbers: [Int]
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let outcomes = try await CommandContext.run(acting) { try await Disbursements($0.database).approve(numbers, in: federation, by: $0.user) }
            if format == .json { try Printer.json(outcomes); return }
            for o in outcomes {
                print(o.approved
                    ? "Utbetalning \(o.number) är attesterad (\(o.approvedAs.swedishName))."
                    : "Utbetalning \(o.number): attest av \(o.approvedAs.swedishName) registrerad; beloppet är över delegationsgränsen och ordförandens attest behövs också.")
                print("  Budget \(Printer.wholeKronor(o.budget)) kr, attesterat och utbetalt med denna \(Printer.wholeKronor(o.approvedIncludingThis)) kr.")
                if let warning = o.warning { FileHandle.standardError.write(Data("varning: \(Printer.escaped(warning))\n".utf8)) }
            }
        }
    }

    /// A step that needs a reason: returning or rejecting disbursements.
    struct CommentedStep: ParsableArguments {
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Utbetalningarnas nummer.") var numbers: [Int]
        @Option(help: "Varför.") var comment: String
    }

    struct Return: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Återsänder inskickade utbetalningar till ekonomen, med kommentar.")
        @OptionGroup var step: CommentedStep

        func run() async throws {
            let moved = try await CommandContext.run(acting) {
                try await Disbursements($0.database).returnForChanges(
                    step.numbers, in: step.federation, comment: step.comment, by: $0.user)
            }
            DisbursementCommand.printStates(moved)
        }
    }

    struct Reject: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Avslår utbetalningar för gott, med kommentar.")
        @OptionGroup var step: CommentedStep

        func run() async throws {
            let moved = try await CommandContext.run(acting) {
                try await Disbursements($0.database).reject(step.numbers, in: step.federation, comment: step.comment, by: $0.user)
            }
            DisbursementCommand.printStates(moved)
        }
    }

    struct Pay: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Betalar ut attesterade utbetalningar: en verifikation var (4020 mot bank 1930) och en pain.001-fil till banken.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Utbetalningarnas nummer (utelämna för alla attesterade, ev. per insats och halvår).") var numbers: [Int] = []
        @Option(help: "Bara denna insats.") var intervention: String?
        @Option(name: .customLong("half-year"), help: "Bara detta halvår.") var halfYear: HalfYear?
        @Option(help: "Utbetalningsdag (ÅÅÅÅ-MM-DD; standard i dag).") var date: CalendarDate?
        @Option(name: .customLong("pain001"), help: "Skriv betalfilen (ISO 20022 pain.001.001.09) hit.") var pain001: String?

        func run() async throws {
            let batch = try await CommandContext.run(acting) { context in
                try await Disbursements(context.database).pay(
                    numbers.isEmpty ? nil : numbers, in: federation, intervention: intervention, halfYear: halfYear,
                    on: date ?? .today, file: pain001 != nil, by: context.user)
            }
            for d in batch.disbursements {
                print("Utbetalning \(d.number) \(d.memberName) \(Printer.wholeKronor(d.amount)) kr: verifikation \(d.voucher?.description ?? "").")
            }
            print("Bunt \(batch.number) (\(batch.messageID)), \(batch.disbursements.count) utbetalningar, \(Printer.wholeKronor(batch.total)) kr.")
            if let pain001, let file = batch.file {
                try PrivateFile.write(file, to: pain001)
                print("Betalfilen finns i \(pain001).")
                if !batch.notInFile.isEmpty {
                    print("Återkrav (negativa belopp) finns inte i filen: \(batch.notInFile.map(String.init).joined(separator: ", ")).")
                }
            }
        }
    }

    struct Batch: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Skriver en betald bunts pain.001-fil igen.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Buntens nummer.") var number: Int
        @Option(name: .customLong("pain001"), help: "Skriv betalfilen hit.") var pain001: String

        func run() async throws {
            let batch = try await CommandContext.run(acting) { try await Disbursements($0.database).batch(number, in: federation, by: $0.user) }
            try PrivateFile.write(batch.file ?? "", to: pain001)
            print("Bunt \(batch.number) (\(batch.messageID)), \(Printer.wholeKronor(batch.total)) kr: betalfilen finns i \(pain001).")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar utbetalningar.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Bara denna insats.") var intervention: String?
        @Option(name: .customLong("half-year"), help: "Bara detta halvår.") var halfYear: HalfYear?
        @Option(help: "Bara detta år.") var year: Int?
        @Option(help: "Bara detta läge: draft, submitted, approved, paid, returned, rejected.") var state: DisbursementState?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let found = try await CommandContext.run(acting) {
                try await Disbursements($0.database).list(in: federation, intervention: intervention, halfYear: halfYear, year: year, state: state, by: $0.user)
            }
            try Printer.emit(format, found) {
                var table = TextTable(["Nr", "Insats", "Kommun", "Halvår", "Belopp", "Läge", "Förberedd av", "Attest", "Verifikation"],
                    alignments: [.right, .left, .left, .left, .right, .left, .left, .left, .left])
                for d in found {
                    table.append([String(d.number), d.intervention, d.memberName, d.halfYear.description, Printer.wholeKronor(d.amount),
                        d.state.swedishName, d.preparedBy, DisbursementCommand.approvals(d), d.voucher?.description ?? ""])
                }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar en utbetalning med attester och hela historiken.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Argument(help: "Utbetalningens nummer.") var number: Int
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let d = try await CommandContext.run(acting) { try await Disbursements($0.database).find(number, in: federation, by: $0.user) }
            if format == .json { try Printer.json(d); return }
            print("Utbetalning \(d.number): \(d.interventionName), \(d.memberName) \(d.halfYear)")
            print("Belopp \(Printer.wholeKronor(d.amount)) kr (beslutat för halvåret \(Printer.wholeKronor(d.decided)) kr), \(d.state.swedishName).")
            print("Attest: \(DisbursementCommand.approvals(d))\(d.needsChair ? " (över delegationsgränsen: förbundschef och ordförande)" : "").")
            if let voucher = d.voucher { print("Verifikation \(voucher), bunt \(d.batch ?? 0).") }
            var table = TextTable(["#", "Tid", "Från", "Till", "Av", "Kommentar"])
            for t in d.transitions {
                table.append([String(t.sequence), Printer.time(t.at), t.from?.swedishName ?? "", t.to.swedishName, t.actor, t.comment ?? ""])
            }
            for a in d.approvals {
                table.append(["", Printer.time(a.at), "", "attest (\(a.role.swedishName))", a.by, "omgång \(a.submission)"])
            }
            Printer.table(table)
        }
    }

    static func approvals(_ d: Disbursement) -> String {
        let current = d.currentApprovals
        return current.isEmpty ? "–" : current.map { "\($0.by) (\($0.role.swedishName))" }.joined(separator: ", ")
    }

    static func printStates(_ moved: [Disbursement]) {
        for d in moved { print("Utbetalning \(d.number) \(d.memberName) \(Printer.wholeKronor(d.amount)) kr: \(d.state.swedishName).") }
    }
}
