/// How to reach the server: a libpq URL (`postgresql://user@host/db?…`) or keyword string (`host=… dbname=…`),
/// completed by the standard `PG*` environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, …),
/// which libpq reads itself for anything the string leaves out.
///
/// The string is handed to `PQconnectdbParams` as an expanded `dbname`, never pasted into a larger conninfo, so
/// no value in it (a password with spaces or quotes, say) can change the meaning of another.
public struct ConnectionConfiguration: Sendable {
    /// A URL or keyword string; nil to use only the `PG*` environment variables.
    public var connectionString: String?
    /// Keywords that override what the string says (e.g. another `dbname` for a test database).
    public var overrides: [(keyword: String, value: String)] = []
    public var applicationName: String = "finsam"
    /// Seconds libpq waits for the server when connecting (unless the string says otherwise).
    public var connectTimeoutSeconds: Int = 10
    /// The session's TimeZone. Binary values do not depend on it, but `now()::date` and text casts in SQL do.
    public var timeZone: String = "UTC"
    /// A timeout for every query of connections made with this configuration, unless the query names its own.
    public var defaultQueryTimeout: Duration?
    /// How many prepared statements a connection keeps (least recently used are deallocated).
    public var statementCacheCapacity: Int = 256

    public init(_ connectionString: String?) {
        self.connectionString = connectionString
    }

    /// The same configuration with another database name (the rest of the string stays).
    public func database(_ name: String) -> ConnectionConfiguration {
        var copy = self
        copy.overrides.removeAll { $0.keyword == "dbname" }
        copy.overrides.append((keyword: "dbname", value: name))
        return copy
    }

    /// The same configuration with a keyword overridden (`user`, `options`, …).
    public func setting(_ keyword: String, _ value: String) -> ConnectionConfiguration {
        var copy = self
        copy.overrides.removeAll { $0.keyword == keyword }
        copy.overrides.append((keyword: keyword, value: value))
        return copy
    }

    /// The keyword/value arrays for `PQconnectdbParams` with `expand_dbname = 1`: defaults first (the string may
    /// override them), then the expanded string, then what must hold whatever the string says.
    var keywordValuePairs: [(String, String)] {
        var pairs: [(String, String)] = [
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
        ]
        if let connectionString, !connectionString.isEmpty {
            pairs.append(("dbname", connectionString))
        }
        for (keyword, value) in overrides {
            pairs.append((keyword, value))
        }
        // Text travels as UTF-8 whatever the string or PGCLIENTENCODING says: decoding assumes it.
        pairs.append(("client_encoding", "UTF8"))
        return pairs
    }
}
