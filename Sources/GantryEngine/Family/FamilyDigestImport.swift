import Foundation

/// A family's CI digests (`gantry ci github`'s digests-* artifacts) as each image's
/// publishing sources: every digest file is named by its digest, as the recipe's are, and
/// holds the name of the image it was built for (`acme/app:slim`), so one folder of every
/// image's files gives each its own platforms, read from that image's repositories.
public struct FamilyDigestImport: Sendable {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// The most a digest file may hold: an image's name and a line end (the file is a CI
    /// artifact, not to be trusted to be small).
    static let nameLimit = 512

    /// Each member's sources from the files under `paths`; every member must have some.
    public func sources(paths: [URL], family: ImageFamily) async throws -> [String: [PlatformSource]] {
        let names = family.members.map(\.name)
        var files: [String: [URL]] = [:]
        for file in try paths.flatMap(DigestFolderImport.files(in:)).sorted(by: { $0.path < $1.path }) {
            let name = try Self.image(in: file)
            guard family.member(name) != nil else {
                throw DigestFileError(file: file.path, reason: "names \"\(name)\", not an image of this family\(Suggestion.didYouMean(name, among: names)); its images: \(names.joined(separator: ", "))")
            }
            files[name, default: []].append(file)
        }
        if let missing = names.first(where: { files[$0] == nil }) {
            throw FamilyError(.missingDigests, "no digest file names \(missing): every image of the family needs its platforms' digest files (its build jobs' digests-* artifacts)")
        }
        var sources: [String: [PlatformSource]] = [:]
        for member in family.members {
            sources[member.name] = try await DigestFolderImport(client: client).sources(paths: files[member.name] ?? [], repositories: member.config.repositories)
        }
        return sources
    }

    /// The image a digest file names: its text, trimmed; an empty file (a single image's
    /// workflow wrote it) or one too large to be a name is refused, naming the file.
    static func image(in file: URL) throws -> String {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: file) } catch { throw DigestFileError(file: file.path, reason: "cannot be read") }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: nameLimit + 1) ?? Data() } catch { throw DigestFileError(file: file.path, reason: "cannot be read") }
        guard data.count <= nameLimit, let text = String(data: data, encoding: .utf8) else {
            throw DigestFileError(file: file.path, reason: "is not a family's digest file: it should hold only the name of its image")
        }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw DigestFileError(file: file.path, reason: "names no image: a family's digest file holds the name of the image it was built for (the workflow `gantry ci github` writes for the family does so)")
        }
        return name
    }
}
