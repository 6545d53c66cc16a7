/// What became of one registry's release record, as the journal keeps it.
public struct RecordReceipt: Codable, Sendable, Equatable {
    /// The record's manifest digest; nil when it could not be pushed.
    public var digest: String?
    /// The index and the record were signed.
    public var signed: Bool
    /// Why the record (or its signature) is missing: a warning, or the failure under `require: {record: true}`.
    public var warning: String?

    public init(digest: String?, signed: Bool, warning: String? = nil) {
        self.digest = digest
        self.signed = signed
        self.warning = warning
    }
}
