import Foundation

/// A bound the client holds every registry answer to, so that a broken or hostile registry
/// cannot make Gantry read, wait or page without end. An answer that breaks one ends its
/// request with a `RegistryError` of kind `boundExceeded` carrying the bound, and is not
/// asked for again: a retry would only break it again.
public enum RegistryBound: Sendable, Equatable {
    /// A body read into memory grew past its limit.
    case bodySize(BodyLimit)
    /// A request, its body included, not done within the client's request timeout.
    case deadline(Duration)
    /// A tag list's `Link` led back to this page, already read.
    case repeatedLink(String)
    /// More tag-list pages than distinct tags seen: pages that bring nothing new.
    case pagesWithoutTags(pages: Int, tags: Int)

    /// The whole sentence: `host` broke the bound answering `request` (`GET /v2/acme/app/tags/list`).
    func sentence(host: String, request: String) -> String {
        switch self {
        case .bodySize(let limit):
            "\(host) sent more than \(limit.size) for \(request), the most Gantry reads of \(limit.what); it stopped reading and does not ask again"
        case .deadline(let timeout):
            "\(host) did not finish \(request) within \(Self.seconds(timeout)), the request timeout (its body included); Gantry does not ask again"
        case .repeatedLink(let url):
            "\(host) answered \(request) with a Link back to \(url), a page already read: the tag list does not end; Gantry stopped listing"
        case .pagesWithoutTags(let pages, let tags):
            "\(host) answered \(request) with a Link to page \(pages) of a tag list that has brought \(tags) distinct tags: pages bring no new tags; Gantry stopped listing"
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%g s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// The most of a response body the client reads into memory, by what the body is (blobs
/// copied between registries are streamed, never read whole, and have no such limit).
public struct BodyLimit: Sendable, Equatable {
    /// What the body is, for messages: `a manifest or index`.
    public var what: String
    public var bytes: Int

    /// Manifests and indexes: 4 MiB, the most distribution accepts in a PUT, so no honest
    /// registry serves a larger one.
    public static let manifest = BodyLimit(what: "a manifest or index", bytes: 4 << 20)
    /// Anything else read whole: tag-list pages (distribution sends every tag in one),
    /// image configs, signature payloads, attestation statements (SBOMs can be large),
    /// tokens and error bodies.
    public static let document = BodyLimit(what: "a tag list page, config, signature, attestation, token or error", bytes: 64 << 20)

    /// `4 MiB`.
    var size: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
