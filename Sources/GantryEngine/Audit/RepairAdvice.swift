/// What `RepairAdvisor` proposes for an audit: one repair per problem, and for every audited
/// reference it has no repair for, why. The console shows both beside the findings.
public struct RepairAdvice: Sendable, Hashable {
    /// A repair and the tags it repairs.
    public struct Repair: Sendable, Hashable {
        /// `registry/repository:tag` of every tag it repairs.
        public var references: [String]
        public var operation: RepairOperation
        /// Where the missing digests come from.
        public var reason: String

        public init(references: [String], operation: RepairOperation, reason: String) {
            self.references = references
            self.operation = operation
            self.reason = reason
        }
    }

    public var repairs: [Repair]
    /// Why an audited reference has no repair, by `registry/repository:tag`.
    public var unrepaired: [String: String]
    /// Why the journals could not be read, when they could not: their repairs are missing.
    public var journalsUnread: RecordedError?
    /// The journals of the audited tags not proposed as repairs, and why (each once).
    public var skippedJournals: [SkippedJournal] = []

    public init(repairs: [Repair] = [], unrepaired: [String: String] = [:], journalsUnread: RecordedError? = nil) {
        self.repairs = repairs
        self.unrepaired = unrepaired
        self.journalsUnread = journalsUnread
    }

    /// Adds the journals of `skipped` not listed yet.
    mutating func skip(_ skipped: [SkippedJournal]) {
        skippedJournals += skipped.filter { skip in !skippedJournals.contains { $0.id == skip.id } }
    }

    /// What the front ends tell the user beside the repairs.
    public var warnings: [String] {
        journalsUnread.map { ["no repairs from journals: \($0.message)"] } ?? []
    }

    /// The repair of `reference`, if there is one.
    public func repair(for reference: String) -> Repair? {
        repairs.first { $0.references.contains(reference) }
    }

    /// The repairs as the CLI prints them.
    public var suggestions: [RepairSuggestion] {
        repairs.map { RepairSuggestion(references: $0.references, command: $0.operation.command, reason: $0.reason) }
    }
}
