extension Auditor {
    /// Adds a `platform-mismatch` finding for each index entry whose platform is not the one
    /// its image config names, the check publishing makes before it writes an index (a
    /// registry holds whatever it was sent, so an index can say `linux/arm64` for an amd64
    /// image). The platform images are read at once, each digest once. One that cannot be
    /// read leaves the check undone: the verdict is then incomplete, never clean.
    func checkPlatformClaims(of index: ImageIndex, in reference: ImageReference, into result: inout AuditResult) async {
        let subject = result.reference
        let claims = index.manifests.filter { !$0.isAttestation }.compactMap { entry in entry.platform?.platform.map { (entry, $0) } }
        let outcomes = await withTaskGroup(of: (Int, Result<Finding?, any Error>).self) { group in
            for (i, (entry, claimed)) in claims.enumerated() {
                group.addTask {
                    do { return (i, .success(try await mismatch(entry, claimed: claimed, in: reference, subject: subject))) } catch {
                        return (i, .failure(error))
                    }
                }
            }
            var outcomes = [Result<Finding?, any Error>?](repeating: nil, count: claims.count)
            for await (i, outcome) in group { outcomes[i] = outcome }
            return outcomes.compactMap { $0 }
        }
        for outcome in outcomes {
            switch outcome {
            case .success(let finding):
                if let finding { result.findings.append(finding) }
            case .failure(let error):
                if !result.unchecked.contains(where: { $0.check == .platformConfigs }) {
                    result.unchecked.append(AuditGap(.platformConfigs, error))
                }
            }
        }
    }

    /// The finding for `entry` when its image config names another platform than `claimed`,
    /// or none; nil when they agree or the entry is not an image (an artifact, a nested
    /// index), which has no platform to check.
    private func mismatch(_ entry: Descriptor, claimed: Platform, in reference: ImageReference, subject: String) async throws -> Finding? {
        guard let image = try await client.manifest(reference.with(digest: entry.digest)).image,
            [MediaType.ociConfig, MediaType.dockerConfig].contains(image.config.mediaType)
        else { return nil }
        let found = try await client.imageConfig(reference, manifest: image).platform
        guard found?.platform != claimed else { return nil }
        let says = found.map { "says \($0)" } ?? "names no platform"
        return Finding(
            .platformMismatch, "\(subject) lists \(Digest.short(entry.digest)) as \(claimed), but its image config \(says)",
            platform: claimed.description)
    }
}
