import Foundation

/// Where a generated workflow's publish job gets Gantry: an HTTPS URL of a Linux binary
/// (as `scripts/install.sh` builds it, statically linked) and its sha256, so the job runs
/// exactly the Gantry that was pinned, or fails before it publishes anything.
public struct GantryDownload: Sendable, Equatable {
    public var url: String
    public var sha256: String

    /// Refuses a URL that is not `https://` (the binary publishes to the registries with their
    /// credentials) and a digest that is not 64 lowercase hex digits, naming the option.
    public init(url: String, sha256: String) throws(WorkflowError) {
        // Written into a script of the job that holds the registries' secrets: no character
        // GitHub or the shell would expand (`${{ }}`, `$`, quotes, spaces) gets in.
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!&()*+,;=%")
        guard url.allSatisfy(safe.contains), let parsed = URL(string: url), parsed.scheme == "https", parsed.host?.isEmpty == false,
              parsed.absoluteString == url else {
            throw WorkflowError("--gantry-url \(url): not an https:// URL of a gantry binary (letters, digits and URL punctuation only)")
        }
        let hex = sha256.hasPrefix("sha256:") ? String(sha256.dropFirst(7)) : sha256
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw WorkflowError("--gantry-sha256 \(sha256): not a sha256 (64 lowercase hex digits) of the binary")
        }
        self.url = url
        self.sha256 = hex
    }
}

/// A workflow that cannot be written as asked: what and why.
public struct WorkflowError: ClassifiedError, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var code: String { "ci.workflow" }
    public var description: String { message }
}
