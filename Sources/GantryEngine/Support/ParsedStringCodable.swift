/// A value written in JSON as the string it parses from (`"linux/arm/v7"`, `"3.14.1"`).
public protocol ParsedStringCodable: Codable, CustomStringConvertible {
    associatedtype ParseFailure: Error & CustomStringConvertible
    static func parse(_ text: String) throws(ParseFailure) -> Self
}

extension ParsedStringCodable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Self.parse(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
