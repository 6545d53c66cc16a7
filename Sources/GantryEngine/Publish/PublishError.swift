/// A publishing step that cannot go on: what, where, and which tags of the registry
/// were already written when it stopped (so the user knows the exact state).
public struct PublishError: ClassifiedError, Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable, Codable {
        /// A source is an index of several platform images.
        case notOnePlatform
        /// The same platform is given twice.
        case duplicatePlatform
        /// An image's config says another platform than the one it is published as.
        case platformMismatch
        /// An image config without a platform.
        case noPlatform
        /// The index to push is not the one the user confirmed.
        case indexChanged
        /// The registry stored other bytes than were sent.
        case registryRewrote
        /// A tag's PUT failed.
        case tagWrite
        /// `imagetools create` failed or its result cannot be read.
        case imagetools
        /// The current tags cannot be read.
        case currentTagsUnreadable
        /// Nothing to publish.
        case noTags
        /// The user stopped publishing (Ctrl-C) before this write.
        case stopped
        /// A required release record could not be pushed (`require: {record: true}`).
        case record
    }

    public var reason: Reason
    public var message: String
    /// Tags of this registry already pointing at the new index when publishing stopped.
    public var written: [String]
    /// Tags whose PUT the registry answered by storing another body: they point at that now.
    public var rewritten: [String]

    public init(_ reason: Reason, _ message: String, written: [String] = [], rewritten: [String] = []) {
        self.reason = reason
        self.message = message
        self.written = written
        self.rewritten = rewritten
    }

    public var code: String { "publish.\(reason.rawValue)" }

    /// Stops before a write when the user asked to; says what was written already.
    static func stopIfRequested(_ stop: StopRequest, _ repository: ImageReference, written: [String]) throws {
        guard stop.isRequested else { return }
        throw PublishError(.stopped, "\(repository.name): stopped on request before the next write", written: written)
    }

    public var description: String {
        guard !written.isEmpty || !rewritten.isEmpty else { return message }
        var states: [String] = []
        if !written.isEmpty { states.append("already moved to the new index: \(written.joined(separator: ", "))") }
        if !rewritten.isEmpty { states.append("moved to the other body the registry stored: \(rewritten.joined(separator: ", "))") }
        return message + " (" + states.joined(separator: "; ") + "; no other tag was written)"
    }
}
