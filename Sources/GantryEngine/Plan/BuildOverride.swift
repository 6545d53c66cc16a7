/// The fields a `build:` mapping gives: the top level's over the defaults, an image's of a
/// family over the top level's (`images[i].build`); a field not given is inherited.
public struct BuildOverride: Sendable, Equatable {
    public var context: String?
    public var dockerfile: String?
    public var target: String?
    public var args: [String: String]?
    public var labels: [String: String]?
    public var bake: BakeSpec?
    /// `bake: {file, group}`: a family of one image per target (top level only).
    public var bakeGroup: BakeGroupSpec?

    public init(
        context: String? = nil, dockerfile: String? = nil, target: String? = nil, args: [String: String]? = nil,
        labels: [String: String]? = nil, bake: BakeSpec? = nil, bakeGroup: BakeGroupSpec? = nil
    ) {
        self.context = context
        self.dockerfile = dockerfile
        self.target = target
        self.args = args
        self.labels = labels
        self.bake = bake
        self.bakeGroup = bakeGroup
    }
}

extension BuildSpec {
    /// This build with the fields `override` gives. A Bake target replaces a Dockerfile
    /// build and the reverse: the two never mix in one image.
    public func applying(_ override: BuildOverride) -> BuildSpec {
        var spec = self
        if let context = override.context { spec.context = context }
        if let bake = override.bake {
            spec.bake = bake
            spec.dockerfile = nil
            spec.target = nil
            spec.args = [:]
        }
        if override.dockerfile != nil || override.target != nil || override.args != nil { spec.bake = nil }
        if let dockerfile = override.dockerfile { spec.dockerfile = dockerfile }
        if let target = override.target { spec.target = target }
        if let args = override.args { spec.args = args }
        if let labels = override.labels { spec.labels = labels }
        return spec
    }
}
