import ArgumentParser
import FinsamCore
import FinsamService

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Användare och deras roller per förbund (ekonom, förbundschef, ordförande …).",
        subcommands: [Add.self, Grant.self, Revoke.self, List.self, Show.self, PasswordCommand.self, TokenCommand.self])

    static let roleHelp = ArgumentHelp(
        "FÖRBUND:ROLL, t.ex. norralv:director. Roller: economy, director, chair, board, auditor, admin. Kan upprepas.")

    struct Add: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Lägger till en användare med roller.")
        @Argument(help: "Användarkod, t.ex. anna.berg.") var code: String
        @Option(help: "Namn.") var name: String
        @Option(name: .customLong("role"), help: UserCommand.roleHelp) var roles: [RoleGrant] = []

        func run() async throws {
            let user = try await CommandContext.run(acting) { try await Users($0.database).add(code: code, name: name, roles: roles, by: $0.user) }
            UserCommand.printSummary(user)
        }
    }

    struct Grant: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Ger en användare fler roller.")
        @Argument(help: "Användarkod.") var code: String
        @Option(name: .customLong("role"), help: UserCommand.roleHelp) var roles: [RoleGrant]

        func run() async throws {
            let user = try await CommandContext.run(acting) { try await Users($0.database).grant(roles, to: code, by: $0.user) }
            UserCommand.printSummary(user)
        }
    }

    struct Revoke: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Tar bort roller från en användare (det hen gjort står kvar).")
        @Argument(help: "Användarkod.") var code: String
        @Option(name: .customLong("role"), help: UserCommand.roleHelp) var roles: [RoleGrant]

        func run() async throws {
            let user = try await CommandContext.run(acting) { try await Users($0.database).revoke(roles, from: code, by: $0.user) }
            UserCommand.printSummary(user)
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar användare och roller.")
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let users = try await CommandContext.run(acting) { try await Users($0.database).list(by: $0.user) }
            try Printer.emit(format, users) {
                var table = TextTable(["Kod", "Namn", "Roller"])
                for u in users { table.append([u.code, u.name, UserCommand.roles(u)]) }
                Printer.table(table)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Visar en användare.")
        @Argument(help: "Användarkod.") var code: String
        @Option(help: "table eller json.") var format: OutputFormat = .table

        func run() async throws {
            let user = try await CommandContext.run(acting) { try await Users($0.database).find(code, by: $0.user) }
            if format == .json { try Printer.json(user) } else { UserCommand.printSummary(user) }
        }
    }

    static func roles(_ user: AppUser) -> String {
        user.roles.isEmpty ? "inga" : user.roles.map { "\($0.role.swedishName) i \($0.federation)" }.joined(separator: ", ")
    }

    static func printSummary(_ user: AppUser) {
        print("\(user.code) \(user.name): \(roles(user)).")
    }
}
