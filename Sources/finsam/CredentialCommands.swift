import ArgumentParser
import FinsamCore
import FinsamService
import Foundation

/// `finsam user passwd CODE`: sets the password a person signs in to finsamd with. The password is read from the
/// terminal (twice, not shown) or from standard input's first line, never from an argument (which `ps` and the
/// shell's history would show).
struct PasswordCommand: AsyncParsableCommand {
    @OptionGroup var acting: Acting
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Sätter en användares lösenord för inloggning i finsamd (läses från terminalen eller standard in).",
        discussion: "Minst \(PasswordPolicy.minimumCharacters) tecken. Användarens inloggningar avslutas.")
    @Argument(help: "Användarkod.") var code: String

    func run() async throws {
        let password = try PasswordInput.read(for: code)
        try await CommandContext.run(acting) { try await Credentials($0.database).setPassword(password, for: code, by: $0.user) }
        print("Lösenordet för \(code) är satt; tidigare inloggningar är avslutade.")
    }
}

/// `finsam user token create|list|revoke`: API tokens for scripts and other systems.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API-nycklar för skript och andra system (Authorization: Bearer …).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(
            abstract: "Skapar en API-nyckel för en användare och visar den en enda gång.",
            discussion: "Nyckeln gör det användaren får göra, i användarens förbund. Bara dess SHA-256 sparas.")
        @Argument(help: "Användarkod.") var code: String
        @Option(help: "Nyckelns namn, t.ex. ekonomisystemet (a–z, 0–9, punkt, bindestreck).") var name: String
        @Option(help: "Sista giltighetsdag (ÅÅÅÅ-MM-DD); utan: tills den återkallas.") var expires: CalendarDate?

        func run() async throws {
            let made = try await CommandContext.run(acting) {
                try await Credentials($0.database).createToken(for: code, name: name, expires: expires, by: $0.user)
            }
            print(made.secret)
            let until = made.token.expiresAt.map { " till och med \(expires?.description ?? Printer.time($0))" } ?? " tills den återkallas"
            FileHandle.standardError.write(Data("""
                API-nyckeln \(made.token.name) för \(made.token.user) gäller\(until). Spara den nu: den visas inte igen.
                Använd den som: Authorization: Bearer <nyckeln>

                """.utf8))
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Listar API-nycklar (aldrig själva nycklarna).")
        @Argument(help: "Användarkod; utan: allas.") var code: String?
        @Option(help: "table, json eller csv.") var format: OutputFormat = .table

        func run() async throws {
            let tokens = try await CommandContext.run(acting) { try await Credentials($0.database).tokens(of: code, by: $0.user) }
            let now = Date()
            try Printer.emit(format, tokens) {
                var table = TextTable(["Användare", "Namn", "Skapad", "Av", "Gäller till", "Läge"])
                for t in tokens {
                    let state = t.revokedAt.map { "återkallad \(Printer.time($0)) av \(t.revokedBy ?? "")" }
                        ?? (t.isLive(at: now) ? "giltig" : "utgången")
                    // A token made with --expires DAY lasts to the end of that day (Swedish time).
                    let until = t.expiresAt.map { Printer.time($0.addingTimeInterval(-1)) } ?? "tills vidare"
                    table.append([t.user, t.name, Printer.time(t.createdAt), t.createdBy, until, state])
                }
                Printer.table(table)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        @OptionGroup var acting: Acting
        static let configuration = CommandConfiguration(abstract: "Återkallar en API-nyckel; den slutar gälla genast.")
        @Argument(help: "Användarkod.") var code: String
        @Option(help: "Nyckelns namn.") var name: String

        func run() async throws {
            try await CommandContext.run(acting) { try await Credentials($0.database).revokeToken(named: name, of: code, by: $0.user) }
            print("API-nyckeln \(name) för \(code) är återkallad.")
        }
    }
}

/// Reads a new password: from the terminal, twice and without echo; otherwise standard input's first line.
enum PasswordInput {
    static func read(for code: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Inget lösenord på standard in.")
            }
            return line
        }
        let first = try prompt("Nytt lösenord för \(code): ")
        let second = try prompt("Samma lösenord igen: ")
        guard first == second else { throw ValidationError("Lösenorden är inte lika; inget ändrades.") }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("Inget lösenord angavs.") }
        return line
    }
}
