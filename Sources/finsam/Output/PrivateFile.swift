import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A file the CLI writes that holds account numbers, amounts or people's names (pain.001 payment files, SIE
/// exports, invoices, Peppol files): readable and writable by its owner only (0600), also when it existed
/// before with wider rights. Others on the server have no business reading a federation's payments.
enum PrivateFile {
    static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw failure(path) }
        var written = 0
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            while written < buffer.count {
                let count = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(path)
                }
                written += count
            }
        }
    }

    static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    private static func failure(_ path: String) -> ValidationError {
        ValidationError("kunde inte skriva \(path): \(String(cString: strerror(errno)))")
    }
}
