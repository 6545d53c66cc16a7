import Foundation

/// What `gantry journal list` shows of a release: a few fields of its journal, decoded
/// without the rest (platforms, tag sets, verification, history), so a list of a thousand
/// releases costs little more than reading their files.
public struct JournalSummary: Decodable, Sendable, Equatable {
    public var id: ReleaseID
    public var kind: ReleaseJournal.Kind
    public var image: String
    public var version: SemanticVersion?
    public var phase: ReleaseJournal.Phase
    public var createdAt: Date
    public var updatedAt: Date
    public var unconfirmed: ReleaseJournal.Unconfirmed?
    /// The family release the journal is a member of.
    public var family: FamilyLink?

    public init(
        id: ReleaseID, kind: ReleaseJournal.Kind, image: String, version: SemanticVersion?, phase: ReleaseJournal.Phase,
        createdAt: Date, updatedAt: Date, unconfirmed: ReleaseJournal.Unconfirmed? = nil, family: FamilyLink? = nil
    ) {
        self.family = family
        self.id = id
        self.kind = kind
        self.image = image
        self.version = version
        self.phase = phase
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.unconfirmed = unconfirmed
    }

    /// The summary of a journal already decoded in full.
    public init(_ journal: ReleaseJournal) {
        self.init(
            id: journal.id, kind: journal.kind, image: journal.image, version: journal.version, phase: journal.phase,
            createdAt: journal.createdAt, updatedAt: journal.updatedAt, unconfirmed: journal.unconfirmed, family: journal.family)
    }

    /// Nothing more to do (see `ReleaseJournal.isFinished`).
    public var isFinished: Bool { kind.isFinished(at: phase) }

    /// Checks and decodes the summary fields of journal bytes; `path` names them in errors.
    /// The file is checked as `JournalStore.decode` checks it: JSON, with the format marker.
    public static func decode(_ data: Data, path: String) throws -> JournalSummary {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let marked: Marked
        do { marked = try decoder.decode(Marked.self, from: data) } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context) where context.codingPath.isEmpty: throw JournalError.notJSON(path)
            case .typeMismatch(_, let context) where context.codingPath.isEmpty: throw JournalError.notJSON(path)
            default: throw JournalError.damaged(path, error)
            }
        }
        guard let summary = marked.summary else { throw JournalError.notAJournal(path, format: marked.format) }
        return summary
    }

    /// The format marker, and the summary only when the marker is Gantry's: a file that is
    /// not a journal is not decoded further (its fields may mean anything).
    private struct Marked: Decodable {
        var format: String?
        var summary: JournalSummary?

        private enum Key: String, CodingKey { case format }

        init(from decoder: any Decoder) throws {
            // No format field: not a journal of this format, which the caller reports.
            format = try? decoder.container(keyedBy: Key.self).decode(String.self, forKey: .format)
            summary = format == ReleaseJournal.currentFormat ? try JournalSummary(from: decoder) : nil
        }
    }
}
