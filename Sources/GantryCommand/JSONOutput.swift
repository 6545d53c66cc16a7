import Foundation
import GantryEngine

/// Stable JSON for `--json` output: sorted keys, pretty-printed, no escaped slashes, and no
/// control character raw (a terminal showing the JSON obeys a raw U+009B or U+202E).
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Sanitizer.escapingControls(inJSON: String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// One line of `--json` events for `value`. An event that cannot be encoded becomes an
    /// `{"event": "error"}` line saying so, never an empty or missing line.
    static func line<T: Encodable>(_ value: T) -> String {
        do { return try encode(value, pretty: false) } catch {
            // A dictionary of strings always encodes.
            return try! encode(["event": "error", "message": "could not encode a \(T.self) event as JSON: \(error)"], pretty: false)
        }
    }
}
