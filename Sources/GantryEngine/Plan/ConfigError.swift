/// One problem in a release config, located by file, line, column and field.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    /// The field path, such as `platforms[1]` or `build.args.GO_VERSION`.
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = "\(file):\(line):\(column)"
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// A release config that cannot be used; lists every problem found, not just the first.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String {
        let count = diagnostics.count == 1 ? "1 problem" : "\(diagnostics.count) problems"
        return "invalid release config (\(count)):\n" + diagnostics.map { "  \($0)" }.joined(separator: "\n")
    }
}
