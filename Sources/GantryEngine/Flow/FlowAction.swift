/// What a front end can ask of a running flow.
public enum FlowAction: Hashable, Sendable, CustomStringConvertible {
    /// Build one failed or cancelled platform again.
    case retry(Platform)
    /// Stop one running or queued build.
    case cancel(Platform)
    /// Go on to the pending tag set and publishing.
    case publish
    /// Publish without these failed or cancelled platforms.
    case publishWithout([Platform])

    public var description: String {
        switch self {
        case .retry(let platform): "retry \(platform)"
        case .cancel(let platform): "cancel \(platform)"
        case .publish: "publish"
        case .publishWithout(let platforms): "publish without \(platforms.map(\.description).joined(separator: ", "))"
        }
    }
}
