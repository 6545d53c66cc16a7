/// The names a family's CI artifacts carry for each image (`acme-app-slim` for
/// `acme/app:slim`): the image's name with every character an artifact name or path could
/// trip on made `-`; two images that come out alike also get their position in the family.
struct FamilyArtifactNames {
    private let names: [String: String]

    init(_ members: [String]) {
        let slugs = members.map(Self.slug)
        let counts = Dictionary(slugs.map { ($0, 1) }, uniquingKeysWith: +)
        names = Dictionary(zip(members, slugs).enumerated().map { i, pair in
            (pair.0, counts[pair.1, default: 0] > 1 ? "\(pair.1)-\(i + 1)" : pair.1)
        }, uniquingKeysWith: { a, _ in a })
    }

    func name(of member: String) -> String { names[member] ?? Self.slug(member) }

    static func slug(_ name: String) -> String {
        String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") ? $0 : "-" })
    }
}
