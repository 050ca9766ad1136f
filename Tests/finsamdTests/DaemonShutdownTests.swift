import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM to the running `finsamd`: it stops taking new connections at once, finishes the request in flight (a bank
/// file still being uploaded when the signal came) and answers it, then exits 0. The built program, as systemd runs it.
@Suite struct DaemonShutdownTests {
    static var binary: URL {
        if let folder = ProcessInfo.processInfo.environment["FINSAM_BIN"], !folder.isEmpty {
            return URL(fileURLWithPath: folder).appendingPathComponent("finsamd")
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("finsamd")
    }

    /// The limit is generous: beside the whole suite, the tests that parse large SIE files hold both of this 2-core
    /// machine's cooperative threads for minutes, and this test's own steps wait behind them (seen with gdb).
    @Test(.timeLimit(.minutes(10)))
    func aRequestInFlightIsAnsweredAfterSIGTERMAndTheDaemonExitsCleanly() async throws {
        try await TestDatabase.withDatabase { configuration in
            let token = try await DemoCountyDatabase.prepare(configuration, setUp: DemoCountyDatabase.token(for: "lena.lind"))

            let database = try Self.keywords(configuration)
            let port = try Self.freePort()
            let daemon = Process()
            daemon.executableURL = Self.binary
            daemon.arguments = ["--host", "127.0.0.1", "--port", String(port)]
            daemon.environment = ProcessInfo.processInfo.environment.merging([
                "FINSAM_DATABASE_URL": database + " user=finsam_app", "FINSAM_NIGHTLY_DATABASE_URL": database + " user=finsam_nightly",
                "FINSAM_NIGHTLY_AT": "off", "FINSAM_LOG_LEVEL": "warning",
            ]) { $1 }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("finsamd-shutdown-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: log) }
            daemon.standardOutput = FileHandle.nullDevice
            daemon.standardError = try FileHandle(forWritingTo: log)
            func daemonLog() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
            try daemon.run()
            let pid = daemon.processIdentifier
            defer { if Self.exitStatus(daemon) == nil { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) } }

            // Up: /health answers.
            var healthy = false
            for _ in 0..<100 where !healthy {
                healthy = (try? Self.exchange(port: port, Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)))?
                    .hasPrefix("HTTP/1.1 200") == true
                if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(healthy, "\(daemonLog())")

            // A bank file upload, half sent when the signal comes.
            let file = try Fixtures.bytes("bgmax/bgmax-example-ocr-length-check.txt")
            let head = "POST /api/v1/federations/norralv/bank-files?name=drain.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: \(file.count)\r\nConnection: close\r\n\r\n"
            let socket = try Self.connect(port: port)
            defer { close(socket) }
            try Self.send(socket, Array(head.utf8) + file.prefix(file.count / 2))
            try await Task.sleep(for: .milliseconds(300))
            kill(pid, SIGTERM)
            try await Task.sleep(for: .milliseconds(700))
            // Still running for the request in flight; new connections are no longer taken.
            #expect(Self.exitStatus(daemon) == nil)
            if let late = try? Self.connect(port: port) {
                close(late)
                Issue.record("finsamd still took a connection 0.7 s after SIGTERM")
            }
            try Self.send(socket, Array(file.dropFirst(file.count / 2)))
            let answer = try Self.receive(socket)
            // A whole answer: the file was read (201) or refused with a reason (its bankgiro is not Norra Älvmark's).
            #expect(answer.hasPrefix("HTTP/1.1 201") || answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(300)) \(daemonLog())")
            #expect(answer.contains("\r\n\r\n{"))
            let exit = await Self.waitForExit(daemon, seconds: 20)
            #expect(exit == 0, "\(daemonLog())")
        }
    }

    /// libpq keywords for the test's database (FINSAM_TEST_DATABASE_URL's server, the test's database name).
    static func keywords(_ configuration: ConnectionConfiguration) throws -> String {
        struct Missing: Error {}
        guard let admin = ProcessInfo.processInfo.environment["FINSAM_TEST_DATABASE_URL"], let components = URLComponents(string: admin),
            let host = components.queryItems?.first(where: { $0.name == "host" })?.value,
            let port = components.queryItems?.first(where: { $0.name == "port" })?.value,
            let name = configuration.overrides.last(where: { $0.keyword == "dbname" })?.value
        else { throw Missing() }
        return "host=\(host) port=\(port) dbname=\(name)"
    }

    struct SocketError: Error, CustomStringConvertible {
        var description: String
    }

    static func freePort() throws -> Int {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw SocketError(description: "bind: \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw SocketError(description: "connect: \(errno)")
        }
        // Nothing here may wait for ever: a read or write that takes 15 s fails.
        var limit = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SocketError(description: "send: \(errno)") }
            sent += n
        }
    }

    /// Everything the server sends until it closes the connection (the requests ask it to).
    static func receive(_ fd: Int32) throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            received += buffer[..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func exchange(port: Int, _ request: [UInt8]) throws -> String {
        let fd = try connect(port: port)
        defer { close(fd) }
        try send(fd, request)
        return try receive(fd)
    }

    /// The exit status if the process has exited, nil while it runs. The test reaps the child itself (as
    /// DevDatabase does); should Foundation have reaped it first, Foundation knows the status.
    static func exitStatus(_ process: Process) -> Int32? {
        var status: Int32 = 0
        let reaped = waitpid(process.processIdentifier, &status, WNOHANG)
        if reaped == 0 { return nil }
        if reaped < 0 { return process.isRunning ? nil : process.terminationStatus }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    static func waitForExit(_ process: Process, seconds: Int) async -> Int32? {
        for _ in 0..<(seconds * 20) {
            if let status = exitStatus(process) { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
