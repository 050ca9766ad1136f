public import ArgumentParser
public import FinsamCore
public import FinsamService
import Foundation
import Postgres

/// Who a command acts for: `--user CODE`, else FINSAM_USER, else the operator at the server's terminal.
///
/// The CLI is the operator's tool: whoever can run it holds the database's credentials. `--user` says on whose
/// behalf the operator acts, and the service holds that person to their roles and records them; naming no one, the
/// operator acts as themself (`operator:<login>`: every right but approving, which needs a named person).
struct Acting: ParsableArguments {
    @Option(name: .customLong("user"), help: "Vem kommandot görs för (användarkod); annars FINSAM_USER, annars driften.")
    var user: String?

    /// The actor, for one run of the program: the request records the command (two words) and a random tag.
    func actor(environment: [String: String] = ProcessInfo.processInfo.environment) -> User {
        let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2)
        let request = (["finsam"] + words).joined(separator: " ") + " " + String(UInt32.random(in: .min ... .max), radix: 16)
        if let code = (user ?? environment["FINSAM_USER"])?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            return .person(code, request: request)
        }
        return .localOperator(request: request)
    }
}

/// What every command needs: the database, as the operator role (FINSAM_OPERATOR_DATABASE_URL or the embedded
/// default, DatabaseLocation), and who acts.
struct CommandContext {
    let database: Database
    let user: User

    static func run<T>(_ acting: Acting, _ body: (CommandContext) async throws -> T) async throws -> T {
        let configuration = try DatabaseLocation.configuration(for: .operator)
        let pool = ConnectionPool(configuration: configuration, options: .init(minimumConnections: 0, maximumConnections: 2))
        let context = CommandContext(database: Database(pool: pool), user: acting.actor())
        do {
            let value = try await body(context)
            await pool.close()
            return value
        } catch let error as ServiceError {
            await pool.close()
            let hint = ErrorHint.hint(for: error).map { "; \($0)" } ?? ""
            FileHandle.standardError.write(Data("fel: \(Printer.escaped(error.message, multiline: true))\(Printer.escaped(hint))\n".utf8))
            throw ExitCode.failure
        } catch {
            await pool.close()
            throw error
        }
    }
}


extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension CostCategory: ExpressibleByArgument {}
extension MemberKind: ExpressibleByArgument {}
extension AdministrationLine: ExpressibleByArgument {}

/// `1500`, `1500,50`, `-1500.5`: kronor as people type them.
struct Kronor: ExpressibleByArgument {
    var money: Money
    init?(argument: String) {
        guard let money = Money(parsing: argument) else { return nil }
        self.money = money
    }
}



extension HalfYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension FTE: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension RoleGrant: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension DisbursementState: ExpressibleByArgument {}
