/// How a blob came to be in a repository.
public enum BlobTransfer: String, Sendable, Codable, Equatable {
    /// It was there already.
    case present
    /// Mounted from another repository of the same registry: nothing was transferred.
    case mounted
    /// Its bytes were uploaded.
    case copied
}
