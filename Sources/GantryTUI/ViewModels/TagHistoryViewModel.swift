import GantryEngine

/// The history pane of the audit: what one tag of one registry pointed to over time, from
/// the release records in the registry (`TagHistory`).
public struct TagHistoryViewModel: Hashable, Sendable {
    /// `registry/repository:tag`.
    public var reference: String
    public var entries: [Entry]
    /// Records that could not be read, and where the history stops early.
    public var problems: [String]
    public var isLoading: Bool

    public struct Entry: Hashable, Sendable {
        public var digest: String
        /// `1.1.0, released by alice@build-1 at …, revision … (clean)`; nil without a record.
        public var summary: String?
        /// `signed (verified)`, `unsigned`…; nil without a record.
        public var signature: String?
        /// The digest before, `(created)`, or nil when unknown.
        public var previous: String?

        public init(digest: String, summary: String?, signature: String?, previous: String?) {
            self.digest = Sanitizer.clean(digest)
            self.summary = summary.map(Sanitizer.clean)
            self.signature = signature.map(Sanitizer.clean)
            self.previous = previous.map(Sanitizer.clean)
        }
    }

    public init(reference: String, entries: [Entry] = [], problems: [String] = [], isLoading: Bool = false) {
        self.reference = Sanitizer.clean(reference)
        self.entries = entries
        self.problems = problems.map(Sanitizer.clean)
        self.isLoading = isLoading
    }

    /// The pane while the records are read.
    public static func loading(_ reference: String) -> TagHistoryViewModel { TagHistoryViewModel(reference: reference, isLoading: true) }

    /// The pane of `timeline`.
    public init(_ timeline: TagTimeline) {
        self.init(
            reference: timeline.reference,
            entries: timeline.entries.map { entry in
                Entry(digest: entry.digest, summary: entry.record?.record.summary, signature: entry.record?.signatureStatus,
                      previous: entry.record == nil ? nil : entry.previous ?? "(created)")
            },
            problems: timeline.current == nil ? ["\(timeline.reference) does not exist"] : timeline.problems + (timeline.truncated ? ["older entries not shown"] : []))
    }
}
