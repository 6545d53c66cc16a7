import Foundation

/// Builds with `buildah build`, exports the image to an OCI layout in the release
/// folder, and uploads it by digest (no tag) to every repository itself.
public struct BuildahDriver: BuildDriver {
    public let name = "buildah"
    public var buildah: String
    public var invocation: BuildahInvocation
    public var registry: RegistryClient
    public var gracePeriod: Duration

    public init(registry: RegistryClient, invocation: BuildahInvocation = .fromEnvironment(), buildah: String = "buildah", gracePeriod: Duration = .seconds(10)) {
        self.buildah = buildah
        self.invocation = invocation
        self.registry = registry
        self.gracePeriod = gracePeriod
    }

    public func build(_ job: BuildJob, emit: @escaping @Sendable (BuildEvent.Kind) -> Void) async throws -> BuildResult {
        let localImage = BuildahInvocation.localImage(config: job.config, release: job.folder.id, platform: job.platform)
        let invocation = self.invocation.storage(in: job.folder.state.buildahStorage(for: job.platform))
        var progress = BuildahProgressDecoder()
        let built = try await ChildProcess(
            buildah, invocation.build(config: job.config, platform: job.platform, version: job.version, revision: job.revision, localImage: localImage),
            gracePeriod: gracePeriod
        ).run { progress.feed(line: $0.text, emit) }
        guard built.succeeded else {
            throw BuildDriverError(step: progress.failedStep, message: progress.errorMessage ?? "buildah build \(built)")
        }
        progress.finish(emit)
        defer { try? FileManager.default.removeItem(at: job.folder.ociLayout(for: job.platform)) }
        let digest = try await export(job, invocation: invocation, localImage: localImage, emit: emit)
        let uploader = OCILayoutUploader(registry: registry)
        let layout = job.folder.ociLayout(for: job.platform)
        for repository in job.config.repositories {
            try Task.checkCancellation()
            let pushed = try await uploader.upload(layout: layout, to: repository) { blob in
                emit(.bytes(id: "upload \(blob.digest) to \(repository.name)", current: blob.size, total: blob.size))
            }
            guard pushed == digest else {
                throw BuildDriverError(message: "buildah exported \(digest) but the layout's manifest is \(pushed)")
            }
            emit(.pushed(repository: repository.name, digest: digest))
        }
        return try await PushedImageResolver(registry: registry).resolve(
            platform: job.platform, digest: digest, mediaType: nil, repositories: job.config.repositories)
    }

    /// Exports the local image to the platform's OCI layout, removes it from local storage,
    /// and returns the manifest digest buildah wrote.
    private func export(_ job: BuildJob, invocation: BuildahInvocation, localImage: String, emit: @escaping @Sendable (BuildEvent.Kind) -> Void) async throws -> String {
        let layout = job.folder.ociLayout(for: job.platform)
        let digestFile = layout.deletingLastPathComponent().appendingPathComponent("\(job.platform.slug).digest")
        try PrivateFolder.create(layout.deletingLastPathComponent())
        try? FileManager.default.removeItem(at: layout)
        let exported = try await ChildProcess(buildah, invocation.export(localImage: localImage, layout: layout, digestFile: digestFile), gracePeriod: gracePeriod)
            .run { emit(.log($0.text)) }
        _ = try? await ChildProcess(buildah, invocation.remove(localImage: localImage), gracePeriod: gracePeriod).run { _ in }
        guard exported.succeeded else { throw BuildDriverError(message: "buildah push to the OCI layout \(exported)") }
        let digest = (try? String(contentsOf: digestFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try? FileManager.default.removeItem(at: digestFile)
        guard Digest.isValid(digest) else { throw BuildDriverError(message: "buildah wrote no digest to \(digestFile.path)") }
        return digest
    }
}
