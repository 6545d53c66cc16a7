import Foundation

/// A tag's timeline read from the registry alone (no journal): from the digest it points to
/// now, back through each release record's "previous digest" for that tag. Only records made
/// for this repository count (a copy carries the source's, which describe other tags). Each
/// step takes the newest record not used yet and older than the step after it (any unused
/// one when clocks disagree), so a rollback (which moves a tag back to an index with an
/// older record of its own) is followed, not looped. Bounded by `limit`.
public struct TagHistory: Sendable {
    public let reader: RecordReader

    public init(client: RegistryClient, key: SignatureKey? = nil) {
        reader = RecordReader(client: client, key: key)
    }

    /// The timeline of `reference` (a tag), newest first.
    public func timeline(of reference: ImageReference, limit: Int = 50) async throws -> TagTimeline {
        guard let tag = reference.tag else { throw HistoryError(reference: reference.description, reason: "name a tag, such as \(reference.name):latest") }
        let repository = ImageReference(registry: reference.registry, repository: reference.repository)
        var timeline = TagTimeline(reference: reference.description, current: try await reader.client.resolve(reference, cached: false)?.digest)
        var digest = timeline.current
        var before = Date.distantFuture
        var used: Set<String> = []
        while let subject = digest {
            guard timeline.entries.count < limit else {
                timeline.truncated = true
                break
            }
            let found: [FoundRecord]
            do {
                let read = try await reader.records(about: subject, in: repository)
                found = read.records
                timeline.problems += read.problems
            } catch {
                timeline.entries.append(TagTimeline.Entry(digest: subject, record: nil, previous: nil))
                timeline.problems.append("the records of \(Digest.short(subject)) could not be read: \(RecordedError(error).message); the history stops there")
                break
            }
            let moves = found.filter { $0.isAbout(repository) && $0.record.move(of: tag) != nil && !used.contains($0.digest) }
            guard let chosen = moves.first(where: { $0.record.at < before }) ?? moves.first, let move = chosen.record.move(of: tag) else {
                timeline.entries.append(TagTimeline.Entry(digest: subject, record: nil, previous: nil))
                break
            }
            used.insert(chosen.digest)
            let latest: FoundRecord
            do { latest = try await reader.signed(chosen, in: repository) } catch {
                latest = chosen
                timeline.problems.append("the signature of the record \(Digest.short(chosen.digest)) could not be read: \(RecordedError(error).message)")
            }
            timeline.entries.append(TagTimeline.Entry(digest: subject, record: latest, previous: move.previous))
            before = latest.record.at
            if let previous = move.previous, !Digest.isValid(previous) {
                timeline.problems.append("the record \(Digest.short(latest.digest)) names \(Sanitizer.visible(String(previous.prefix(80)))) as the digest before, which is not one; the history stops there")
                break
            }
            digest = move.previous
        }
        return timeline
    }
}

/// What `gantry history` shows: every digest the tag pointed to, newest first.
public struct TagTimeline: Codable, Sendable, Equatable {
    public var reference: String
    /// What the tag points to now; nil when it does not exist.
    public var current: String?
    public var entries: [Entry] = []
    /// Records that could not be read or are not records, and where the walk stopped early.
    public var problems: [String] = []
    /// More history than the limit.
    public var truncated = false

    public struct Entry: Codable, Sendable, Equatable {
        /// The index the tag pointed to.
        public var digest: String
        /// The record of the publication that moved the tag here; nil: none (moved outside
        /// Gantry, by a Gantry without records, or unreadable).
        public var record: FoundRecord?
        /// What the tag pointed to before, per the record (nil: created, or unknown without a record).
        public var previous: String?
    }
}

/// A history that cannot be asked for.
public struct HistoryError: ClassifiedError, Sendable, Equatable {
    public var reference: String
    public var reason: String
    public var code: String { "history.reference" }
    public var description: String { "\(reference): \(reason)" }
}
