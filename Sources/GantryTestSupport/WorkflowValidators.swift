import Foundation

/// The validators a generated GitHub workflow must pass: check-jsonschema with GitHub's
/// workflow schema (vendored in check-jsonschema) and zizmor's offline audits, both from
/// PyPI in `.venv-tools/`, which `scripts/setup.sh` creates.
public enum WorkflowValidators {
    /// Schema errors of `file`: empty when it validates.
    public static func schemaErrors(_ file: URL) async throws -> String? {
        let result = try await runToolToEnd(try tool("check-jsonschema"), ["--builtin-schema", "vendor.github-workflows", file.path])
        return result.status == 0 ? nil : result.stdout + result.stderr
    }

    /// zizmor's findings on `file` (regular persona, offline).
    public static func zizmorFindings(_ file: URL) async throws -> [ZizmorFinding] {
        let result = try await runToolToEnd(try tool("zizmor"), ["--offline", "--format", "json", file.path])
        // zizmor exits non-zero when it finds something; the JSON says what.
        guard let data = result.stdout.data(using: .utf8), let findings = try? JSONDecoder().decode([ZizmorFinding].self, from: data) else {
            throw TestSupportError("zizmor \(file.path) exited \(result.status) without a JSON report: \(result.stderr)")
        }
        return findings
    }

    /// The validator's path in `.venv-tools/bin`; a clear failure when setup has not run.
    static func tool(_ name: String) throws -> String {
        let path = GantryBinary.repositoryRoot().appendingPathComponent(".venv-tools/bin/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: run scripts/setup.sh, which installs the workflow validators (check-jsonschema, zizmor) into .venv-tools")
        }
        return path
    }
}

/// One zizmor finding, as its JSON report gives it.
public struct ZizmorFinding: Decodable, Sendable, CustomStringConvertible {
    public var ident: String
    public var desc: String
    public var determinations: Determinations

    public struct Determinations: Decodable, Sendable {
        public var confidence: String
        public var severity: String
    }

    public var description: String { "\(ident) (\(determinations.severity)): \(desc)" }
}
