// Measures our libpq wrapper against libpq from C, postgres-nio and psql, on one machine in one run.
// usage: PostgresBenchmarks URL UNIX_SOCKET_DIR PORT USER DATABASE [N]
// Prints one line per measurement: "<name> <operations> <seconds>" (best of three runs). The prepared and
// unprepared round trips on the connection's thread and the bulk load are measured one at a time with
// BENCH_PROFILE (see below), in turns with the C program and psql.
import Foundation
import Logging
import Postgres
import PostgresNIO

let arguments = CommandLine.arguments
guard arguments.count >= 6 else {
    FileHandle.standardError.write(Data("usage: PostgresBenchmarks URL SOCKET_DIR PORT USER DATABASE [N]\n".utf8))
    exit(2)
}
let url = arguments[1]
let socketDirectory = arguments[2]
let port = arguments[3]
let user = arguments[4]
let database = arguments[5]
let n = arguments.count > 6 ? Int(arguments[6])! : 20_000
/// Rows of the bulk load; BENCH_COPY_ROWS shrinks it for runs under valgrind.
let copyRows = ProcessInfo.processInfo.environment["BENCH_COPY_ROWS"].flatMap { Int($0) } ?? 1_000_000

func report(_ name: String, _ operations: Int, _ seconds: Double) {
    // Unbuffered, so that scripts/bench sees each line as soon as it is measured.
    FileHandle.standardOutput.write(Data("\(name) \(operations) \(String(format: "%.6f", seconds))\n".utf8))
}

func bestOf3(_ body: () async throws -> Double) async throws -> Double {
    var best = Double.infinity
    for _ in 0..<3 { best = min(best, try await body()) }
    return best
}

@Sendable func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// The work runs in a detached task so that no loop sits on the main actor.
let done = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let configuration = ConnectionConfiguration(url)
        let connection = try await Connection.connect(configuration)
        let clock = ContinuousClock()

        // BENCH_PROFILE=prepared|unprepared|copy|pipeline measures that alone, once, after one untimed query (the C
        // program likewise prepares before its clock starts). scripts/bench alternates these runs with the C
        // program's, so that both meet the same moments of a busy machine; a profiler can watch one (perf record).
        if let profile = ProcessInfo.processInfo.environment["BENCH_PROFILE"] {
            let time: Double
            switch profile {
            case "prepared":
                time = try await connection.withIsolation { c in
                    _ = try await c.query("SELECT $1::int8 + 1", [0])
                    var check = 0
                    let start = clock.now
                    for i in 0..<n { check &+= try await c.query("SELECT $1::int8 + 1", [i]).scalar(Int.self) }
                    precondition(check == n * (n + 1) / 2)
                    return seconds(clock.now - start)
                }
            case "unprepared":
                time = try await connection.withIsolation { c in
                    _ = try await c.queryUnprepared("SELECT $1::int8 + 1", [0])
                    var check = 0
                    let start = clock.now
                    for i in 0..<n { check &+= try await c.queryUnprepared("SELECT $1::int8 + 1", [i]).scalar(Int.self) }
                    precondition(check == n * (n + 1) / 2)
                    return seconds(clock.now - start)
                }
            case "copy":
                time = try await copyOnce(connection, rows: copyRows, clock: clock)
            case "pipeline":
                // The same statements, 100 per round trip, each result decoded as it arrives.
                let statements = (0..<n).map { PostgresStatement("SELECT $1::int8 + 1", [$0]) }
                time = try await connection.withIsolation { c in
                    _ = try await c.query("SELECT $1::int8 + 1", [0])
                    var check = 0
                    let start = clock.now
                    try await c.pipeline(statements, batchSize: 100) { (_, result) throws(Postgres.PostgresError) in
                        check &+= try result.scalar(Int.self)
                    }
                    precondition(check == n * (n + 1) / 2)
                    return seconds(clock.now - start)
                }
            default:
                FileHandle.standardError.write(Data("BENCH_PROFILE must be prepared, unprepared, copy or pipeline\n".utf8))
                exit(2)
            }
            switch profile {
            case "pipeline": report("wrapper-pipelined-100", n, time)
            case "copy": report("wrapper-copy-binary", copyRows, time)
            default: report("wrapper-\(profile)", n, time)
            }
            exit(0)
        }

        // 1. The one-at-a-time round trips are measured by scripts/bench with BENCH_PROFILE (above), alternating
        // with the C program. From outside the connection, each query hops to its thread and back:
        let hopTime = try await bestOf3 {
            let start = clock.now
            for i in 0..<n { _ = try await connection.query("SELECT $1::int8 + 1", [i]) }
            return seconds(clock.now - start)
        }
        report("wrapper-prepared-hop", n, hopTime)

        // 2. Pipelining (BENCH_PROFILE=pipeline) and the bulk load (BENCH_PROFILE=copy) are measured by
        // scripts/bench in turns, with the same statements one at a time and with psql's \copy.
        await connection.close()

        // 3. postgres-nio, the peer: the same query, unprepared and as a prepared statement.
        let logger = Logger(label: "bench")
        let nio = try await PostgresConnection.connect(
            configuration: .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: nil, database: database),
            id: 1, logger: logger)
        let nioTime = try await bestOf3 {
            var check = 0
            let start = clock.now
            for i in 0..<n {
                let rows = try await nio.query("SELECT \(i)::int8 + 1", logger: logger)
                for try await value in rows.decode(Int.self) { check &+= value }
            }
            precondition(check == n * (n + 1) / 2)
            return seconds(clock.now - start)
        }
        report("postgres-nio-unprepared", n, nioTime)
        let nioPreparedTime = try await bestOf3 {
            var check = 0
            let start = clock.now
            for i in 0..<n {
                for try await value in try await nio.execute(PlusOne(value: i), logger: logger) { check &+= value }
            }
            precondition(check == n * (n + 1) / 2)
            return seconds(clock.now - start)
        }
        report("postgres-nio-prepared", n, nioPreparedTime)
        try await nio.close()
    } catch {
        FileHandle.standardError.write(Data("benchmark failed: \(String(reflecting: error))\n".utf8))
        exit(1)
    }
    done.signal()
}
done.wait()

/// Bulk load of `rows` rows (int8, numeric(15,2), text) with binary COPY into a new table; the seconds it took.
func copyOnce(_ connection: Connection, rows: Int, clock: ContinuousClock) async throws -> Double {
    try await connection.execute(script: "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (id int8, amount numeric(15,2), note text)")
    let start = clock.now
    let loaded = try await connection.copyIn(table: "bench_copy", columns: ["id", "amount", "note"]) { writer in
        for i in 0..<rows {
            try writer.append(i, PostgresNumeric(scaledInteger: Int64(i % 1_000_000) * 37, scale: 2), "verifikation \(i)")
        }
    }
    precondition(loaded == rows)
    return seconds(clock.now - start)
}

struct PlusOne: PostgresPreparedStatement {
    static let sql = "SELECT $1::int8 + 1"
    typealias Row = Int
    var value: Int
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(value)
        return bindings
    }
    func decodeRow(_ row: PostgresNIO.PostgresRow) throws -> Int { try row.decode(Int.self) }
}
