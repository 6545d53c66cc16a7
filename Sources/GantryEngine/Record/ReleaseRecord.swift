import Foundation

/// What one publication did in one registry, kept in that registry next to the index it
/// published (`RecordArtifact`): who moved which tags from which digest, when, from which
/// source. A tag's history is the chain of these records through `TagMove.previous`.
public struct ReleaseRecord: Codable, Sendable, Hashable {
    /// `gantry.release-record/v1`: readers refuse formats they do not know.
    public var format: String
    public var kind: Kind
    /// The journal id of the publication on the machine that made it.
    public var release: String
    /// `registry/repository` the record was pushed to, and the image it names.
    public var registry: String
    public var repository: String
    public var version: String?
    public var revision: String?
    /// The work tree had uncommitted changes (nil: unknown).
    public var dirty: Bool?
    public var gitTag: String?
    public var author: RecordAuthor
    public var at: Date
    public var gantryVersion: String
    /// `sha256:<hex>` of the release config, when a config was used.
    public var configDigest: String?
    /// The index the tags now point to (the record's subject) and its platforms.
    public var index: String
    public var platforms: [RecordedPlatform]
    /// Every tag this publication moved or created in this registry.
    public var tags: [TagMove]
    /// The index was signed with the configured key when the record was written.
    public var signed: Bool

    public static let currentFormat = "gantry.release-record/v1"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case release, publish, promote, rollback, tag
    }

    public struct RecordedPlatform: Codable, Sendable, Hashable {
        public var platform: String
        public var digest: String
    }

    /// One tag and the digest it pointed to before (nil: the publication created it).
    public struct TagMove: Codable, Sendable, Hashable {
        public var tag: String
        public var previous: String?
    }

    /// The move of `tag`, when this record moved it.
    public func move(of tag: String) -> TagMove? { tags.first { $0.tag == tag } }

    /// `1.1.0, released by alice@build-1 at 2026-12-05T14:02:00Z, revision 6b9894d (clean)`;
    /// `rolled back from 1.1.0 by …` for a rollback.
    public var summary: String {
        // A rollback's version is the release it undid.
        let what = kind == .rollback ? "rolled back" + (version.map { " from \($0)" } ?? "") : "\(version.map { "\($0), " } ?? "")\(kind.pastTense)"
        var text = "\(what) by \(author.name) at \(at.ISO8601Format())"
        if let revision {
            text += ", revision \(revision.prefix(12))" + (dirty.map { $0 ? " (dirty work tree)" : " (clean)" } ?? "")
        }
        return text
    }

    /// ISO 8601 with milliseconds: a history orders records by it, and two publications can
    /// fall in one second.
    static func timestamp(_ date: Date) -> String { date.formatted(precise) }

    private static let precise = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Encoded with sorted keys and ISO 8601 dates: the same record gives the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ReleaseRecord.timestamp(date))
        }
        // Encoding a struct of strings, dates and arrays cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Decodes a record's layer; nil when it is not a record of a known format.
    public static func decode(_ data: Data) -> ReleaseRecord? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = (try? precise.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not an ISO 8601 time"))
            }
            return date
        }
        guard let record = try? decoder.decode(ReleaseRecord.self, from: data), record.format == currentFormat else { return nil }
        return record
    }
}

extension ReleaseRecord.Kind {
    /// "released", "rolled back", … for summaries.
    public var pastTense: String {
        switch self {
        case .release: "released"
        case .publish: "published"
        case .promote: "promoted"
        case .rollback: "rolled back"
        case .tag: "tagged"
        }
    }
}
