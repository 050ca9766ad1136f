public import ArgumentParser
public import FinsamCore
public import FinsamService
import Foundation
import Postgres

/// What every command needs: the database (FINSAM_DATABASE_URL or the embedded default) and the user.
///
/// The CLI is the economy office's tool: it acts on every federation, under the name in FINSAM_USER (or the
/// login name), which vouchers record as who posted them.
struct CommandContext {
    let database: Database
    let user: User

    static func run<T>(_ body: (CommandContext) async throws -> T) async throws -> T {
        let configuration = try DatabaseLocation.configuration()
        let pool = ConnectionPool(configuration: configuration, options: .init(minimumConnections: 0, maximumConnections: 2))
        let environment = ProcessInfo.processInfo.environment
        let name = environment["FINSAM_USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        let context = CommandContext(database: Database(pool: pool), user: User(name: name, scope: .allFederations))
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



extension CommandContext {
    /// The person a workflow command acts as: `--user`, else FINSAM_USER (else the login name). The service
    /// checks that this user has the role the step needs in the federation.
    func acting(as code: String?) -> User {
        guard let code, !code.isEmpty else { return user }
        return User(name: code, scope: user.scope)
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
