import Foundation
import Synchronization

/// What one copy did: what it copied where, and how each manifest and blob got there.
public struct CopyReport: Codable, Sendable, Equatable, CustomStringConvertible {
    /// `host/repository@digest` copied from.
    public var source: String
    /// `host/repository@digest` copied to.
    public var target: String
    public var digest: String
    public var mediaType: String
    /// The tag written in the target, when one was asked for.
    public var tag: String?
    public var manifestsCopied: Int
    public var manifestsPresent: Int
    public var blobsCopied: Int
    public var blobsMounted: Int
    public var blobsPresent: Int
    /// Bytes of the blobs copied (mounted and present ones transfer nothing).
    public var bytesCopied: Int64
    /// Referrers and signature tags carried with the digest (`ReferrerCopier`).
    public var referrersCarried: Int = 0
    /// Why some were not carried (the copy of the image itself is whole).
    public var attachmentProblem: String?

    /// Nothing had to be written: the target held everything.
    public var wasPresent: Bool { manifestsCopied == 0 && blobsCopied == 0 && blobsMounted == 0 }

    /// `copied SRC to DST (tagged T): …`, one line.
    public var description: String {
        "copied \(source) to \(target)" + (tag.map { " (tagged \($0))" } ?? "") + ": \(summary)"
    }

    /// `2 manifests copied (1 present), 3 blobs: 2 copied (12.0 MiB), 1 mounted, 0 present`.
    public var summary: String {
        let mebibytes = String(format: "%.1f MiB", Double(bytesCopied) / 1_048_576)
        return "\(manifestsCopied) manifests copied (\(manifestsPresent) present), "
            + "\(blobsCopied + blobsMounted + blobsPresent) blobs: \(blobsCopied) copied (\(mebibytes)), \(blobsMounted) mounted, \(blobsPresent) present"
            + (referrersCarried > 0 ? ", \(referrersCarried) referrers and signatures carried" : "")
            + (attachmentProblem.map { "; warning: \($0)" } ?? "")
    }
}

/// Counts a copy's manifests and blobs once each, however many images share them.
final class CopyTally: Sendable {
    private struct Counts {
        var manifests: [String: Bool] = [:]
        var blobs: [String: (transfer: BlobTransfer, size: Int64)] = [:]
        var referrers = 0
        var attachmentProblem: String?
    }

    private let counts = Mutex(Counts())

    func record(manifest digest: String, copied: Bool) {
        counts.withLock { $0.manifests[digest] = $0.manifests[digest] ?? copied }
    }

    /// The first outcome of a blob counts: a later image sharing it finds it present.
    func record(blob: Descriptor, _ transfer: BlobTransfer) {
        counts.withLock { $0.blobs[blob.digest] = $0.blobs[blob.digest] ?? (transfer, blob.size) }
    }

    func record(referrers carried: Int) {
        counts.withLock { $0.referrers += carried }
    }

    func record(attachmentProblem problem: String) {
        counts.withLock { $0.attachmentProblem = problem }
    }

    func report(source: ImageReference, target: ImageReference, mediaType: String, tag: String?) -> CopyReport {
        counts.withLock { counts in
            let blobs = counts.blobs.values
            return CopyReport(
                source: source.description, target: target.description, digest: source.digest ?? "", mediaType: mediaType, tag: tag,
                manifestsCopied: counts.manifests.values.filter { $0 }.count,
                manifestsPresent: counts.manifests.values.filter { !$0 }.count,
                blobsCopied: blobs.filter { $0.transfer == .copied }.count,
                blobsMounted: blobs.filter { $0.transfer == .mounted }.count,
                blobsPresent: blobs.filter { $0.transfer == .present }.count,
                bytesCopied: blobs.filter { $0.transfer == .copied }.reduce(0) { $0 + $1.size }, referrersCarried: counts.referrers,
                attachmentProblem: counts.attachmentProblem)
        }
    }
}
