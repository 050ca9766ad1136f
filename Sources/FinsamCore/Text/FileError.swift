/// Why a file another system wrote was refused (SIE, BgMax, camt), with its line (1-based) when one line or
/// element is at fault. Printed as the user reads it: `rad 12: …`.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public var line: Int?
    public var reason: String

    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "rad \($0): \(reason)" } ?? reason }
}

/// What is wrong with a SIE file, and where.
public typealias SIEError = FileError
/// Why a BgMax file was refused, and where.
public typealias BgMaxError = FileError
/// Why a camt file was refused, and where.
public typealias CamtError = FileError
