import Foundation

/// Something Gantry did outside itself, for the command log (as lazygit's): a registry write,
/// a tag read back, a command run. Recorded where it happens (the registry client, a child
/// process, the verifier) and reported to the flow that scoped the recording (`ActivityLog`).
public struct Activity: Sendable, Hashable, Encodable {
    public var time: Date
    public var kind: Kind

    public init(_ kind: Kind, at time: Date = Date()) {
        self.time = time
        self.kind = kind
    }

    public enum Kind: Sendable, Hashable, Encodable {
        /// A blob uploaded into `repository` (a mount from another repository says `from`).
        case blobPush(repository: String, digest: String, from: String?)
        /// A manifest or index PUT by its digest.
        case manifestPush(repository: String, digest: String)
        /// A tag PUT: `tag` of `repository` now points at `digest`.
        case tagWrite(repository: String, tag: String, digest: String)
        /// A published tag read back: where it points (nil: absent) and whether it is right.
        case readBack(repository: String, tag: String, digest: String?, ok: Bool)
        /// An external command (buildx, buildah, imagetools), its secrets redacted.
        case command(String)
    }

    /// One line, digests shortened.
    public var summary: String {
        switch kind {
        case .blobPush(let repository, let digest, let from):
            "push blob \(repository)@\(Digest.short(digest))" + (from.map { " (mounted from \($0))" } ?? "")
        case .manifestPush(let repository, let digest): "push manifest \(repository)@\(Digest.short(digest))"
        case .tagWrite(let repository, let tag, let digest): "PUT tag \(repository):\(tag) → \(Digest.short(digest))"
        case .readBack(let repository, let tag, let digest, let ok):
            "read back \(repository):\(tag) → \(digest.map(Digest.short) ?? "absent") \(ok ? "ok" : "WRONG")"
        case .command(let line): "run \(line)"
        }
    }
}

/// Where the activities of the running flow go. A flow scopes it around its run; the
/// registry client, child processes and the verifier report to it. A task-local, because
/// every write passes through those few places whichever publisher, copier or driver made
/// it: recording there, once, catches them all without threading a callback through each.
public enum ActivityLog {
    @TaskLocal static var sink: (@Sendable (Activity) -> Void)?

    /// Runs `body` with every activity of it (and of the tasks it starts) going to `sink`.
    public static func recording<T: Sendable>(
        to sink: @escaping @Sendable (Activity) -> Void, _ body: () async throws -> T, isolation: isolated (any Actor)? = #isolation
    ) async rethrows -> T {
        try await $sink.withValue(sink, operation: body)
    }

    /// Reports `kind` to the scoped sink, if any.
    static func record(_ kind: Activity.Kind) {
        sink?(Activity(kind))
    }
}
