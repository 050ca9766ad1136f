import ArgumentParser
import FinsamService
import Foundation
import Postgres

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Uppdaterar databasens schema (schema/NNN_*.sql, inbyggda i programmet).",
        discussion: """
            Varje migrering tillämpas en gång, i sin egen transaktion, och registreras med sin kontrollsumma. \
            Har en redan tillämpad migrering ändrats vägrar kommandot att göra något. Migreringen är det enda \
            som loggar in som tabellernas ägare: FINSAM_OWNER_DATABASE_URL (annars den inbyggda databasens ägare, \
            annars FINSAM_DATABASE_URL).
            """
    )

    @Flag(name: .long, help: "Visa migreringarna och om de är tillämpade, utan att ändra något.")
    var status = false

    @Option(name: .long, help: "Utdataformat för --status: table eller json.")
    var format: OutputFormat = .table

    func run() async throws {
        let connection = try await Connection.connect(try DatabaseLocation.configuration(for: .owner))
        do {
            try await run(on: connection)
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    private func run(on connection: Connection) async throws {
        let migrator = Migrator(by: .localOperator(request: "finsam migrate"))
        if status {
            let statuses = try await migrator.status(on: connection)
            switch format {
            case .json:
                struct Row: Encodable { var name: String; var version: Int; var appliedAt: String? }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let rows = statuses.map { Row(name: $0.name, version: $0.version, appliedAt: $0.appliedAt) }
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            case .table, .csv:
                var table = TextTable(["Version", "Migrering", "Tillämpad"], alignments: [.right, .left, .left])
                for status in statuses {
                    table.append([String(status.version), status.name, status.appliedAt ?? "ej tillämpad"])
                }
                print(table.render(), terminator: "")
            }
            return
        }
        do {
            let outcome = try await migrator.migrate(on: connection)
            for name in outcome.applied { print("Tillämpade \(name)") }
            print(outcome.applied.isEmpty
                ? "Schemat är redan aktuellt (version \(outcome.version))."
                : "Schemat är nu på version \(outcome.version).")
        } catch let failure as Migrator.Failure {
            throw ValidationError(failure.description)
        }
    }
}
