import Foundation
import GantryEngine
import GantryTestSupport
import Testing

extension FamilyFixture {
    /// Releases `version` with `answer`, as `gantry release` would with a family config.
    func release(
        _ version: String, stub: [String: String] = [:], options: FamilyOptions = FamilyOptions(), interaction: some ReleaseInteraction = ScriptedInteraction()
    ) async throws -> FamilyOutcome {
        try await FamilyRelease.run(.release(try config(), try SemanticVersion.parse(version), options), in: environment(stub), interaction: interaction)
    }
}

/// Expects that in `proxy`'s log every manifest PUT by digest (platform manifests and
/// indexes) was answered (stored) before the first manifest PUT by tag arrived.
func expectIndexesBeforeTags(_ proxy: FaultInjectingProxy, sourceLocation: SourceLocation = #_sourceLocation) {
    let puts = proxy.log.filter { $0.method == "PUT" && $0.path.contains("/manifests/") }
    let byDigest = puts.filter { $0.path.contains("/manifests/sha256:") }
    // `sha256-<hex>` tags are the referrers tag schema's indexes of release records, not release tags.
    let byTag = puts.filter { !$0.path.contains("/manifests/sha256:") && !$0.path.contains("/manifests/sha256-") }
    #expect(!byDigest.isEmpty && !byTag.isEmpty, "indexes and tags were written through \(proxy.host)", sourceLocation: sourceLocation)
    guard let firstTag = byTag.map(\.arrived).min() else { return }
    for put in byDigest {
        #expect(put.answered.map { $0 <= firstTag } == true, "\(put.path) was stored before the first tag PUT in \(proxy.host)", sourceLocation: sourceLocation)
    }
}
