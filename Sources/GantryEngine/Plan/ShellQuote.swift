/// Quotes arguments so a printed command can be pasted into a POSIX shell.
public enum ShellQuote {
    static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,")

    public static func quote(_ argument: String) -> String {
        if !argument.isEmpty && argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public static func join(_ argv: [String]) -> String { argv.map(quote).joined(separator: " ") }

    /// Quotes `argument` but leaves each `${NAME}` whose NAME is in `variables` to the
    /// shell, double-quoted (`'docker.io/acme/app:'"${TAG}"`): a script can then run a
    /// command Gantry spelled with values known only when the script runs.
    public static func quote(_ argument: String, expanding variables: Set<String>) -> String {
        var words: [String] = []
        var literal = ""
        var rest = Substring(argument)
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}"),
                  variables.contains(String(rest[open.upperBound..<close])) else {
                literal += rest[..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            literal += rest[..<open.lowerBound]
            if !literal.isEmpty { words.append(quote(literal)) }
            literal = ""
            words.append("\"\(rest[open.lowerBound...close])\"")
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty || words.isEmpty { words.append(quote(literal)) }
        return words.joined()
    }

    /// `argv` as a line, each `${NAME}` of `variables` left to the shell.
    public static func join(_ argv: [String], expanding variables: Set<String>) -> String {
        argv.map { quote($0, expanding: variables) }.joined(separator: " ")
    }
}
