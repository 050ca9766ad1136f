/// What a password must be before it is stored (`finsam user passwd`): long enough to resist guessing when bcrypt
/// slows each guess (NIST SP 800-63B: length over composition rules), and short enough that bcrypt reads all of it
/// (it reads 72 bytes and ignores the rest, so a longer one would be weaker than it looks).
public enum PasswordPolicy {
    public static let minimumCharacters = 12
    public static let maximumBytes = 72

    /// Why `password` cannot be used for `user`, in Swedish, or nil when it can.
    public static func problem(with password: String, for user: String) -> String? {
        if password.count < minimumCharacters {
            return "lösenordet måste ha minst \(minimumCharacters) tecken (det har \(password.count))"
        }
        if password.utf8.count > maximumBytes {
            return "lösenordet får vara högst \(maximumBytes) byte långt (det är \(password.utf8.count))"
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "lösenordet innehåller styrtecken"
        }
        if password.lowercased().contains(user.lowercased()) {
            return "lösenordet får inte innehålla användarkoden"
        }
        return nil
    }
}
