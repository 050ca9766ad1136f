public import FinsamCore
public import Foundation

/// What one bank file in the drop folder came to.
public struct DroppedFileOutcome: Sendable, Encodable, Equatable {
    public var federation: String
    public var fileName: String
    /// Where the file is now: `imported/` or `rejected/` beside where it was dropped.
    public var movedTo: String
    /// The import's summary, or nil when the file was refused.
    public var summary: BankFileImportSummary?
    /// Why the file was refused (also written next to it as `NAME.fel.txt`).
    public var error: String?
}

/// What a nightly run did: the bank files it read, and each federation's reconciliation.
public struct NightlyRunReport: Sendable, Encodable, Equatable {
    public var date: CalendarDate
    public var files: [DroppedFileOutcome]
    public var reconciliations: [ReconciliationReport]
    /// Federations whose books could not be checked, with the reason; the other federations were checked.
    public var failures: [NightlyFailure] = []

    public var agrees: Bool {
        files.allSatisfy { $0.error == nil } && reconciliations.allSatisfy(\.agrees) && failures.isEmpty
    }
}

/// A federation whose reconciliation failed in a night's run, and why.
public struct NightlyFailure: Sendable, Encodable, Equatable {
    public var federation: String
    public var error: String
}

/// The nightly job (DOMAIN.md, "Reconciliation (every night)"): for every federation, read the new bank files
/// dropped in its folder, then check that its books agree.
///
/// The drop folder holds one folder per federation, named by its code (`DROP/norralv/`). Each file directly in
/// it is read as a bank file (BgMax or camt.053/054), in name order, each in its own transaction (`BankFileImport`), and then moved to
/// `imported/`, or to `rejected/` with the reason beside it in `NAME.fel.txt`, so that the folder shows what is
/// still to do. A run repeated, or a file dropped twice, books nothing twice: the import knows its files and
/// deposits. A folder named after no federation is reported and left alone.
public struct NightlyRun: Sendable {
    let database: Database
    let dropFolder: URL?

    public init(_ database: Database, dropFolder: URL?) {
        self.database = database
        self.dropFolder = dropFolder
    }

    public func run(at date: CalendarDate, by user: User) async throws -> NightlyRunReport {
        // The run as a whole is the system's (or the operator's): its parts alone would let anyone who may read a
        // federation's reports start it.
        try await database.read(user, .nightlyRun) { _ in }
        let federations = try await Federations(database).list(by: user)
        var files: [DroppedFileOutcome] = []
        if let dropFolder {
            for folder in try Self.federationFolders(in: dropFolder) {
                guard federations.contains(where: { $0.code == folder.lastPathComponent }) else {
                    files.append(DroppedFileOutcome(
                        federation: folder.lastPathComponent, fileName: "", movedTo: folder.path, summary: nil,
                        error: "mappen \(folder.path) hör inte till något förbund (mappens namn ska vara förbundets kod)"))
                    continue
                }
                for file in try Self.files(in: folder) {
                    files.append(try await importFile(file, into: folder.lastPathComponent, by: user))
                }
            }
        }
        // One federation whose books cannot be checked (a ledger beyond Finsam's limits, say) must not keep the
        // others from being checked: its failure is reported, and the run goes on.
        var reconciliations: [ReconciliationReport] = []
        var failures: [NightlyFailure] = []
        for federation in federations {
            do {
                let report = try await Reconciliation(database).check(federation.code, at: date, by: user)
                reconciliations.append(report)
                try await NightlyResults(database).record(federation.code, date: date, report: report, failure: nil, by: user)
            } catch let error as ServiceError {
                try await requireDatabase(by: user)
                failures.append(NightlyFailure(federation: federation.code, error: error.message))
                // Kept too, so that the start page says the books could not be checked, not that nothing ran.
                do {
                    try await NightlyResults(database).record(federation.code, date: date, report: nil, failure: error.message, by: user)
                } catch let recording as ServiceError {
                    try await requireDatabase(by: user)
                    failures.append(NightlyFailure(federation: federation.code, error: "nattens resultat kunde inte sparas: \(recording.message)"))
                }
            }
        }
        return NightlyRunReport(date: date, files: files, reconciliations: reconciliations, failures: failures)
    }

    private func importFile(_ file: URL, into federation: String, by user: User) async throws -> DroppedFileOutcome {
        let name = file.lastPathComponent
        do {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ServiceError.invalid("filen \(file.path) går inte att läsa")
            }
            let summary = try await BankFileImport(database).read(Array(data), fileName: name, into: federation, by: user)
            let moved = try Self.move(file, to: "imported")
            return DroppedFileOutcome(federation: federation, fileName: name, movedTo: moved.path, summary: summary, error: nil)
        } catch let error as ServiceError {
            // The file cannot be booked as it is: set it aside with its reason, and go on with the next one. Left in
            // the folder, a file that fails every night would keep every later file of the federation waiting. Only
            // when the database itself is away does the run stop, leaving the file for the next night.
            if error.kind == .unavailable { try await requireDatabase(by: user) }
            let moved = try Self.move(file, to: "rejected")
            let reason = moved.deletingLastPathComponent().appendingPathComponent(moved.lastPathComponent + ".fel.txt")
            try Data((error.message + "\n").utf8).write(to: reason)
            return DroppedFileOutcome(federation: federation, fileName: name, movedTo: moved.path, summary: nil, error: error.message)
        }
    }

    /// Throws when the database cannot be reached: what failed was then not the file's or the federation's fault.
    private func requireDatabase(by user: User) async throws {
        _ = try await Federations(database).list(by: user)
    }

    static func federationFolders(in dropFolder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: dropFolder, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Moves `file` into the folder `name` beside it, under a name not taken there (`a.txt`, `a-2.txt`, …).
    static func move(_ file: URL, to name: String) throws -> URL {
        let folder = file.deletingLastPathComponent().appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = file.deletingPathExtension().lastPathComponent, suffix = file.pathExtension.isEmpty ? "" : "." + file.pathExtension
        var target = folder.appendingPathComponent(file.lastPathComponent)
        var attempt = 1
        while FileManager.default.fileExists(atPath: target.path) {
            attempt += 1
            target = folder.appendingPathComponent("\(base)-\(attempt)\(suffix)")
        }
        try FileManager.default.moveItem(at: file, to: target)
        return target
    }
}
