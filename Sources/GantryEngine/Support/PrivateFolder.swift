import Foundation

/// The state folder's permissions: its folders 0700 and its files 0600, whatever the umask.
/// Journals name registries, repositories and what a release did, and locks name processes:
/// nobody else on the machine has a reason to read them or to plant a file among them.
public enum PrivateFolder {
    public static let folderMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Creates `url` and each missing folder on the way, 0700 (folders that exist are left
    /// as they are: they may be the user's own).
    public static func create(_ url: URL) throws {
        var missing: [URL] = []
        var folder = url.standardizedFileURL
        var isFolder: ObjCBool = false
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            missing.append(folder)
            folder.deleteLastPathComponent()
        }
        for path in missing.reversed().map(\.path) {
            // mkdir's mode passes the umask; chmod makes it exact. EEXIST: made meanwhile by another run.
            if mkdir(path, folderMode) == 0 {
                chmod(path, folderMode)
            } else if errno != EEXIST {
                throw FileSystemError.folder(path, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
            }
        }
    }
}
