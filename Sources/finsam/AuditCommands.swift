import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Granskningsloggen: varje ändring, vem som gjorde den, och bevis på att inget skrivits om.",
        subcommands: [List.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Listar förbundets poster, äldst först. Här väljer --user vems poster som visas; ange vem du är med FINSAM_USER.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "Från och med datum (ÅÅÅÅ-MM-DD, svensk tid).") var since: CalendarDate?
        @Option(name: .customLong("user"), help: "Bara det som den här användaren (eller operator:LOGIN, system) gjorde.") var actor: String?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let records = try await CommandContext.run(try Acting.parse([])) {
                try await AuditTrail($0.database).list(in: federation, since: since, actor: actor, by: $0.user)
            }
            try Printer.emit(format, records) {
                var table = TextTable(["Post", "Tid", "Vem", "Vad", "Ändrat"], alignments: [.right, .left, .left, .left, .left])
                for record in records {
                    let rows = record.tables.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    table.append([String(record.sequence), Printer.time(record.at), record.actor, record.useCase, rows])
                    for change in record.changes.prefix(AuditCommand.changesShown) {
                        table.append(["", "", "", "  " + AuditCommand.subject(change), AuditCommand.difference(change)])
                    }
                    if record.changes.count > AuditCommand.changesShown {
                        table.append(["", "", "", "  …", "\(record.changes.count - AuditCommand.changesShown) inställningar till (--format json visar alla)"])
                    }
                }
                Printer.table(table, title: "Granskningslogg \(federation)")
            }
        }
    }

    /// How many settings or roles the table shows per record; JSON shows them all.
    static let changesShown = 8

    /// `account 1510`, `user_role_grant anna.dahl director`: the key's values but the federation's.
    static func subject(_ change: AuditValueChange) -> String {
        let key = (try? JSONSerialization.jsonObject(with: Data(change.key.utf8))) as? [String: Any] ?? [:]
        let values = key.filter { $0.key != "federation_id" }.sorted { $0.key < $1.key }.map { "\($0.value)" }
        return ([change.table] + values).joined(separator: " ")
    }

    /// What changed in a setting or a role: `ny`, `borttagen`, or each field that differs, `namn: A → B`.
    static func difference(_ change: AuditValueChange) -> String {
        func object(_ text: String?) -> [String: Any]? {
            text.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
        guard let before = object(change.before) else { return "ny" }
        guard let after = object(change.after) else { return "borttagen" }
        func text(_ value: Any?) -> String {
            guard let value, !(value is NSNull) else { return "–" }
            return "\(value)"
        }
        let changed = Set(before.keys).union(after.keys).sorted().filter { text(before[$0]) != text(after[$0]) }
        return changed.isEmpty ? "oförändrad" : changed.map { "\($0): \(text(before[$0])) → \(text(after[$0]))" }.joined(separator: "; ")
    }

    struct Verify: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Räknar om kedjan och radernas kontrollsummor; avslutar med 1 och namnger första brutna post om något inte stämmer.")
        @Argument(help: "Förbundets kod.") var federation: String
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let verification = try await CommandContext.run(acting) { try await AuditTrail($0.database).verify(federation, by: $0.user) }
            if format == .json {
                try Printer.json(verification)
            } else if verification.intact {
                print(Printer.escaped("Granskningsloggen för \(federation) är obruten: \(verification.records) poster"
                    + (verification.head.map { ", senaste hash \($0)" } ?? "") + "."))
            } else {
                let stderr = FileHandle.standardError
                stderr.write(Data(Printer.escaped("fel: granskningsloggen för \(federation) är bruten (\(verification.problems.count) fel):\n").utf8))
                for problem in verification.problems {
                    stderr.write(Data("  \(Printer.escaped(problem.message))\n".utf8))
                }
            }
            if !verification.intact { throw ExitCode.failure }
        }
    }
}
