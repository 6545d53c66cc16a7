import GantryEngine
import Testing

@Suite(.timeLimit(.minutes(1))) struct TagSetTests {
    let standard = ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"].map(TagRule.init)

    func tags(_ version: String, _ rules: [TagRule]? = nil, flavor: TagFlavor = TagFlavor()) throws -> [String] {
        TagSet(rules: rules ?? standard, flavor: flavor, version: try SemanticVersion.parse(version)).tags
    }

    @Test func releaseGetsEveryMovingTag() throws {
        #expect(try tags("3.14.1") == ["3.14.1", "3.14", "3", "latest"])
    }

    @Test func leadingVIsStripped() throws {
        #expect(try tags("v3.14.1") == ["3.14.1", "3.14", "3", "latest"])
    }

    @Test func prereleaseGetsOnlyItsExactVersion() throws {
        #expect(try tags("3.15.0-rc.1") == ["3.15.0-rc.1"])
        #expect(try tags("3.15.0-rc.1", standard + [TagRule("stable"), TagRule("{{version}}-alpine")]) == ["3.15.0-rc.1", "3.15.0-rc.1-alpine"])
    }

    @Test func majorIsSkippedForZeroX() throws {
        #expect(try tags("0.4.2") == ["0.4.2", "0.4", "latest"])
    }

    @Test func rawTagsAndDuplicates() throws {
        let rules = [TagRule("{{version}}"), TagRule("stable"), TagRule("{{major}}.{{minor}}"), TagRule("3.14")]
        #expect(try tags("3.14.1", rules) == ["3.14.1", "stable", "3.14"])
    }

    @Test func prefixAndSuffixSkipLatestUnlessOnLatest() throws {
        let flavor = TagFlavor(prefix: "v", suffix: "-slim")
        #expect(try tags("1.2.3", flavor: flavor) == ["v1.2.3-slim", "v1.2-slim", "v1-slim", "latest"])
        var onLatest = flavor
        onLatest.onLatest = true
        #expect(try tags("1.2.3", flavor: onLatest).last == "vlatest-slim")
    }

    @Test func buildMetadataBecomesATagSafeCharacter() throws {
        #expect(try tags("1.2.3+build.7", [TagRule("{{version}}")]) == ["1.2.3_build.7"])
    }
}

@Suite(.timeLimit(.minutes(1))) struct SemanticVersionTests {
    @Test(arguments: ["1", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-", "1.2.3-rc..1", ""])
    func rejects(_ text: String) {
        #expect(throws: VersionError.self) { try SemanticVersion.parse(text) }
    }

    @Test func ordersLikeSemver() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let parsed = try ordered.map { try SemanticVersion.parse($0) }
        #expect(parsed.shuffled().sorted() == parsed)
        #expect(try SemanticVersion.parse("3.13.9") < SemanticVersion.parse("3.14.1"))
    }
}
