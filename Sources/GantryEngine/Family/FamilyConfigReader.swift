import Yams

/// Reads `images:`: each entry an image of the family or a variant, checked here so that
/// every member is a valid config and no two members of one repository share a tag.
extension ConfigReader {
    static let imageKeys = ["image", "variant", "default", "prefix", "suffix", "onlatest", "build", "platforms", "tags"]

    /// `topBake`: the top level's Bake target, which an entry's Dockerfile fields cannot amend.
    mutating func readImages(_ node: Node, topImage: String, topBake: BakeSpec?) -> [FamilyImageSpec] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            report(node, "images", "expected a non-empty list of images and variants, such as [{variant: default}, {variant: slim, build: {dockerfile: Dockerfile.slim}}, {image: acme/worker}]")
            return []
        }
        var specs: [FamilyImageSpec] = []
        var names: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let field = "images[\(i)]"
            guard case .mapping(let m) = item else {
                report(item, field, "expected a mapping such as {variant: slim} or {image: acme/worker}")
                continue
            }
            let f = entries(m, allowed: Self.imageKeys, path: field)
            var spec = FamilyImageSpec()
            if let n = f["image"], let text = string(n, "\(field).image") {
                let (path, host) = readImage(text, node: n)
                if host != nil { report(n, "\(field).image", "give a repository path without a registry host: every image of the family goes to every registry") }
                spec.image = path
            }
            if let n = f["variant"], let text = nonEmpty(n, "\(field).variant") {
                if Self.isVariantName(text) { spec.variant = text } else {
                    report(n, "\(field).variant", "\"\(text)\" is not a variant name: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit (it becomes part of tags)")
                }
            }
            if let n = f["default"] { spec.isDefault = bool(n, "\(field).default") ?? false }
            if let n = f["prefix"], let s = string(n, "\(field).prefix") { spec.prefix = s }
            if let n = f["suffix"], let s = string(n, "\(field).suffix") { spec.suffix = s }
            if let n = f["onlatest"] { spec.onLatest = bool(n, "\(field).onlatest") ?? false }
            if spec.namedVariant == nil {
                for key in ["default", "prefix", "suffix", "onlatest"] where f[key] != nil {
                    report(f[key], "\(field).\(key)", "only a named variant (variant: slim) has \(key)")
                }
            }
            if let n = f["build"] {
                let build = readBuild(n, path: "\(field).build")
                spec.build = build
                // Over a Bake target, args or a target alone would silently make a Dockerfile build of the context.
                if let topBake, build.bake == nil, build.dockerfile == nil, case .mapping(let b) = n {
                    for key in ["target", "args"] {
                        guard let value = b.first(where: { $0.key.string == key })?.value else { continue }
                        report(value, "\(field).build.\(key)", "the top-level build is the Bake target \(topBake.target) (its file defines \(key)): give this image a Bake target of its own (bake: {file, target}) or a dockerfile")
                    }
                }
            }
            if let n = f["platforms"] { spec.platforms = readPlatforms(n, path: "\(field).platforms") }
            if let n = f["tags"] { spec.tags = readTags(n, flavor: spec.flavor(inheriting: TagFlavor()), path: "\(field).tags") }
            let name = FamilyMember.name(image: spec.image ?? topImage, variant: spec.namedVariant)
            if let first = names[name] {
                report(item, field, "\(spec.namedVariant.map { "the variant \($0)" } ?? "the bare line") of \(spec.image ?? topImage) is listed twice (first at images[\(first)])")
                continue
            }
            names[name] = i
            specs.append(spec)
        }
        return specs
    }

    /// Tag-safe and lowercase: a variant names tags and member names (`acme/app:slim`).
    static func isVariantName(_ text: String) -> Bool {
        guard let first = text.first, first.isLowercase || first.isNumber, text.count <= 64 else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "._-".contains($0) }
    }

    /// The family's own problem (`ImageFamily.problem`: a tag two members write, an invalid
    /// tag a variant's affixes make), reported at the member's entry.
    mutating func checkFamily(_ config: ReleaseConfig, node: Node?) {
        guard !config.images.isEmpty, let problem = ImageFamily(config).problem() else { return }
        if case .sequence(let items)? = node, items.indices.contains(problem.member) {
            report(items[problem.member], "images[\(problem.member)]", problem.message)
        } else {
            report(node, "images", problem.message)
        }
    }
}
