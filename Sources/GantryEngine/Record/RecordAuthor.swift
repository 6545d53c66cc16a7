import Foundation

/// Who made a publication: the CI actor and run when the environment names them (GitHub
/// Actions, GitLab CI), else `user@host`.
public struct RecordAuthor: Codable, Sendable, Hashable {
    public var name: String
    /// The CI run's address, when a CI ran it.
    public var run: String?

    public init(name: String, run: String? = nil) {
        self.name = name
        self.run = run
    }

    /// The author this process publishes as.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> RecordAuthor {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : String($0.prefix(256)) } }
        if let actor = value("GITHUB_ACTOR") {
            let run = value("GITHUB_SERVER_URL").flatMap { server in
                value("GITHUB_REPOSITORY").flatMap { repo in value("GITHUB_RUN_ID").map { "\(server)/\(repo)/actions/runs/\($0)" } }
            }
            return RecordAuthor(name: "\(actor) (GitHub Actions)", run: run)
        }
        if let user = value("GITLAB_USER_LOGIN") {
            return RecordAuthor(name: "\(user) (GitLab CI)", run: value("CI_JOB_URL"))
        }
        let user = value("USER") ?? value("LOGNAME") ?? "unknown"
        return RecordAuthor(name: "\(user)@\(ProcessInfo.processInfo.hostName)")
    }
}
