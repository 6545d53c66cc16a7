/// The platform a pushed build was made for, read from the registry: its manifest's image
/// config, or that of the single platform image of an index (buildx pushes a manifest and
/// its attestation as an index).
struct RegistryPlatform: Sendable {
    let client: RegistryClient

    /// Why the platform could not be read: a phrase following the digest and repository.
    struct Failure: Error {
        var reason: String
    }

    /// The platform of `digest` in `repository`.
    func platform(of digest: String, in repository: ImageReference) async throws -> Platform {
        let fetched: FetchedManifest
        do { fetched = try await client.manifest(repository.with(digest: digest)) } catch {
            throw Failure(reason: "cannot be read: \(error)")
        }
        var manifest: ImageManifest
        switch fetched.content {
        case .image(let image):
            manifest = image
        case .index(let index):
            let images = index.manifests.filter { !$0.isAttestation }
            guard images.count == 1, let image = images.first else {
                throw Failure(reason: "is an index of \(images.count) platform images, not one build")
            }
            if let platform = image.platform?.platform { return platform }
            guard let inner = try await client.manifest(repository.with(digest: image.digest)).image else {
                throw Failure(reason: "holds \(Digest.short(image.digest)), which is not an image manifest")
            }
            manifest = inner
        }
        guard let platform = try await client.imageConfig(repository, manifest: manifest).platform?.platform else {
            throw Failure(reason: "has no os/architecture in its image config")
        }
        return platform
    }
}
