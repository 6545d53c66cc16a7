import Foundation

/// The source revision recorded as `org.opencontainers.image.revision`.
public enum SourceRevision {
    /// The revision a release of `config` stamps: `given` (`--revision`), else the detected one.
    public static func resolve(_ given: String?, for config: ReleaseConfig) -> String? {
        given ?? detect(context: config.build.context, relativeTo: config.source)
    }

    /// Whether the git work tree holding `config`'s build context has uncommitted changes
    /// (`git status --porcelain`: modified, staged or untracked files, ignored ones left
    /// out); nil when it is not a git work tree or git cannot tell.
    public static func workTreeDirty(for config: ReleaseConfig) async -> Bool? {
        let dir = contextDirectory(config.build.context, relativeTo: config.source)
        let git = ChildProcess("git", ["-C", dir.path, "status", "--porcelain"], gracePeriod: .seconds(2))
        var changed = false
        // No git, or not a work tree: unknown, which is what the journal then records.
        guard let exit = try? await git.run(onLine: { line in if line.stream == .stdout, !line.text.isEmpty { changed = true } }),
              exit.succeeded else { return nil }
        return changed
    }

    /// The git tag the release is built from: `$GITHUB_REF_NAME` when GitHub built a tag,
    /// `$CI_COMMIT_TAG` on GitLab, else the first tag `git tag --points-at HEAD` names in
    /// the build context's work tree; nil when none.
    public static func gitTag(for config: ReleaseConfig, environment: [String: String] = ProcessInfo.processInfo.environment) async -> String? {
        if environment["GITHUB_REF_TYPE"] == "tag", let name = environment["GITHUB_REF_NAME"], !name.isEmpty { return String(name.prefix(256)) }
        if let tag = environment["CI_COMMIT_TAG"], !tag.isEmpty { return String(tag.prefix(256)) }
        let dir = contextDirectory(config.build.context, relativeTo: config.source)
        let git = ChildProcess("git", ["-C", dir.path, "tag", "--points-at", "HEAD"], gracePeriod: .seconds(2))
        var tags: [String] = []
        // No git, or not a work tree: no tag, which the record then leaves out.
        guard let exit = try? await git.run(onLine: { line in if line.stream == .stdout, !line.text.isEmpty { tags.append(line.text) } }),
              exit.succeeded else { return nil }
        return tags.first.map { String($0.prefix(256)) }
    }

    /// `$GITHUB_SHA` or `$CI_COMMIT_SHA`, else the git HEAD of the build context
    /// (relative to the config file's folder); nil when none is known.
    public static func detect(context: String, relativeTo configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for key in ["GITHUB_SHA", "CI_COMMIT_SHA"] {
            if let sha = environment[key], !sha.isEmpty { return sha }
        }
        return gitHead(in: contextDirectory(context, relativeTo: configPath))
    }

    /// The build context's folder: `context`, relative to the config file's folder.
    static func contextDirectory(_ context: String, relativeTo configPath: String) -> URL {
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        return context.hasPrefix("/") ? URL(fileURLWithPath: context) : base.appendingPathComponent(context)
    }

    /// Reads `.git/HEAD` (and the ref it names) upward from `dir`, without running git.
    static func gitHead(in dir: URL) -> String? {
        var current = dir.standardizedFileURL
        while true {
            let git = current.appendingPathComponent(".git")
            if let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8) {
                let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix("ref: ") else { return trimmed.count == 40 ? trimmed : nil }
                let ref = String(trimmed.dropFirst(5))
                if let sha = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
                    return sha.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
                return packed.split(separator: "\n").first { $0.hasSuffix(" \(ref)") }.map { String($0.prefix(40)) }
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}
