import Foundation

/// The referrers tag schema of the distribution spec, for registries without the referrers
/// API (distribution 2.8): the artifacts about a subject are listed in an index tagged
/// `sha256-<hex>`, which each writer reads, extends and writes back. Two writers extending
/// one subject's index at the same instant can lose one's entry (as with every client of the
/// schema: the registry offers no compare-and-swap); records of one publication are written
/// by one process.
struct ReferrersTagIndex: Sendable {
    let client: RegistryClient

    /// A registry could list any number: an index this long is not extended.
    static let maxEntries = 1000

    /// What the subject's fallback index lists now (nothing when it does not exist).
    func entries(of subject: String, in repository: ImageReference) async throws -> [Descriptor] {
        let tag = repository.with(tag: Referrers.fallbackTag(for: subject))
        guard try await client.resolve(tag, cached: false) != nil else { return [] }
        guard let index = try await client.manifest(tag).index else {
            throw RegistryError(.invalidResponse, "\(tag) is not an index of referrers")
        }
        return index.manifests
    }

    /// Writes the fallback index of `subject`: `existing` plus `added` (each digest once).
    func list(_ added: [Descriptor], about subject: String, existing: [Descriptor], in repository: ImageReference) async throws {
        let known = Set(existing.map(\.digest))
        let new = added.filter { !known.contains($0.digest) }
        guard !new.isEmpty else { return }
        guard existing.count + new.count <= Self.maxEntries else {
            throw RegistryError(.boundExceeded, "\(repository.name):\(Referrers.fallbackTag(for: subject)) lists \(existing.count) referrers already (at most \(Self.maxEntries)); it was left as it is")
        }
        let index = RecordArtifact.encode(ImageIndex(manifests: existing + new))
        try await client.putManifest(repository, reference: Referrers.fallbackTag(for: subject), mediaType: MediaType.ociIndex, bytes: index)
    }
}
