import Foundation
import GantryEngine
import GantryTestSupport
import Testing

/// The buildx driver against the stub `docker` (real pushes by digest with skopeo) and real registries.
@Suite(.startsProcesses, .timeLimit(.minutes(10))) struct BuildxDriverTests {
    @Test func twoPlatformsToTwoRegistriesByDigestWithAttestations() async throws {
        try await withRegistries(2) { registries in
            try await withBuildFixture(registries: registries, platforms: ["linux/amd64", "linux/arm64"], attestations: .keep) { fixture in
                let (outcomes, events) = await BuildFixture.collect(fixture.runner(fixture.buildx()))
                for platform in fixture.config.platforms.map(\.platform) {
                    let result = try #require(outcomes[platform]?.result, "\(platform): \(String(describing: outcomes[platform]))")
                    try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: registries)
                    let index = try #require(result.pushedIndexDigest)
                    try await fixture.expectPushedByDigestOnly(index, in: registries)
                    let attestation = try #require(result.attestationDigest)
                    let raw = try await Skopeo.rawManifest("\(registries[0].host)/acme/app@\(attestation)")
                    #expect(raw.count > 0)
                    #expect(result.presence == Dictionary(uniqueKeysWithValues: registries.map { ("\($0.host)/acme/app", true) }))
                    let metadata = try BuildMetadata.read(fixture.folder.metadataFile(for: platform))
                    #expect(metadata.digest == index)
                    let mine = events.filter { $0.platform == platform }.map(\.name)
                    #expect(mine.first == "queued")
                    #expect(mine.last == "finished")
                    #expect(mine.contains("stepCached") && mine.contains("stepFinished") && mine.contains("log") && mine.contains("pushed"))
                }
                #expect(outcomes.count == 2)
            }
        }
    }

    @Test func withoutAttestationsTheManifestIsPushedDirectly() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/arm/v7"]) { fixture in
                let (outcomes, _) = await BuildFixture.collect(fixture.runner(fixture.buildx()))
                let result = try #require(outcomes.values.first?.result)
                #expect(result.pushedIndexDigest == nil && result.attestationDigest == nil)
                try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: [server])
                let manifest = try JSONSerialization.jsonObject(with: try await Skopeo.rawManifest("\(server.host)/acme/app@\(result.manifestDigest)")) as? [String: Any]
                #expect(manifest?["mediaType"] as? String == MediaType.ociManifest)
            }
        }
    }

    @Test func bakeBuildsTheTargetForThePlatform() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64"], bake: true) { fixture in
                let argsLog = fixture.directory.url.appendingPathComponent("args.jsonl").path
                let (outcomes, events) = await BuildFixture.collect(fixture.runner(fixture.buildx(["GANTRY_STUB_ARGS_LOG": argsLog])))
                let result = try #require(outcomes.values.first?.result, "\(outcomes)")
                try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: [server])
                #expect(events.contains { if case .stepStarted(let step) = $0.kind { step.name == "COPY hello.txt /" } else { false } })
                let argv = try String(contentsOfFile: argsLog, encoding: .utf8)
                #expect(argv.contains("\"bake\"") && argv.contains("app.platform=linux/amd64") && !argv.contains("--tag"))
            }
        }
    }

    @Test func aFailedPlatformReportsItsStepAndLogWhileTheOthersFinish() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64", "linux/arm64", "linux/riscv64"]) { fixture in
                let driver = fixture.buildx(["GANTRY_STUB_FAIL_PLATFORM": "linux/arm64"])
                let (outcomes, _) = await BuildFixture.collect(fixture.runner(driver))
                guard case .failed(let failure) = outcomes[try Platform.parse("linux/arm64")] else {
                    Issue.record("arm64 should have failed: \(outcomes)")
                    return
                }
                #expect(failure.step == BuildStep(index: 3, total: 3, name: "RUN make"))
                #expect(failure.message.hasPrefix("failed to solve"))
                #expect(failure.recentLog.count == BuildFailure.logLineCount)
                #expect(failure.recentLog.contains("linux/arm64 RUN make output line 25"))
                for other in ["linux/amd64", "linux/riscv64"] {
                    let result = try #require(outcomes[try Platform.parse(other)]?.result)
                    try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: [server])
                }
            }
        }
    }

    @Test func failFastCancelsTheRest() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64", "linux/arm64"]) { fixture in
                let runner = fixture.runner(fixture.buildx(["GANTRY_STUB_FAIL_PLATFORM": "linux/amd64"]), failFast: true, parallel: 1)
                let (outcomes, _) = await BuildFixture.collect(runner)
                let (amd64, arm64) = (try Platform.parse("linux/amd64"), try Platform.parse("linux/arm64"))
                #expect(outcomes[amd64].map { if case .failed = $0 { true } else { false } } == true)
                #expect(outcomes[arm64] == .cancelled)
            }
        }
    }

    @Test func aFailedPlatformCanBeRetried() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64"]) { fixture in
                let marker = fixture.directory.url.appendingPathComponent("failed-once").path
                let runner = fixture.runner(fixture.buildx(["GANTRY_STUB_FAIL_ONCE": marker]))
                let platform = try Platform.parse("linux/amd64")
                let first = await runner.run()
                #expect(first[platform].map { if case .failed = $0 { true } else { false } } == true)
                let retried = await runner.run(only: [platform])
                await runner.finish()
                let result = try #require(retried[platform]?.result)
                try await fixture.expectPushedByDigestOnly(result.manifestDigest, in: [server])
            }
        }
    }

    @Test func cancellingOnePlatformLeavesNoProcessAndTheOtherFinishes() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64", "linux/arm64"]) { fixture in
                let pidFile = fixture.directory.url.appendingPathComponent("pids").path
                let driver = fixture.buildx(
                    ["GANTRY_STUB_HANG": "linux/arm64", "GANTRY_STUB_IGNORE_TERM": "1", "GANTRY_STUB_PIDFILE": pidFile], grace: .milliseconds(500))
                let runner = fixture.runner(driver)
                let run = Task { await BuildFixture.collect(runner) }
                let arm64 = try Platform.parse("linux/arm64")
                let pids = try await BuildFixture.pids(in: pidFile, atLeast: 2, of: run)
                await runner.cancel(arm64)
                let (outcomes, events) = await run.value
                #expect(outcomes[arm64] == .cancelled)
                #expect(events.last { $0.platform == arm64 }?.name == "cancelled")
                #expect(outcomes[try Platform.parse("linux/amd64")]?.result != nil)
                for pid in pids { #expect(ProcessGroupReaper.livingMembers(of: pid).isEmpty, "group \(pid) still has processes") }
            }
        }
    }

    @Test func cancellingTheRunStopsEveryBuild() async throws {
        try await withRegistry { server in
            try await withBuildFixture(registries: [server], platforms: ["linux/amd64", "linux/arm64", "linux/s390x"], parallel: 2) { fixture in
                let pidFile = fixture.directory.url.appendingPathComponent("pids").path
                let runner = fixture.runner(fixture.buildx(["GANTRY_STUB_HANG": "1", "GANTRY_STUB_PIDFILE": pidFile], grace: .seconds(2)))
                let run = Task { await BuildFixture.collect(runner) }
                let pids = try await BuildFixture.pids(in: pidFile, atLeast: 2, of: run)
                run.cancel()
                let (outcomes, _) = await run.value
                #expect(outcomes.count == 3)
                #expect(outcomes.values.allSatisfy { $0 == .cancelled })
                for pid in pids { #expect(ProcessGroupReaper.livingMembers(of: pid).isEmpty, "group \(pid) still has processes") }
            }
        }
    }

    @Test func theStubRejectsATagAndAMissingName() async throws {
        for (output, extra, message) in [
            ("type=image,name=127.0.0.1:1/a,push-by-digest=true,push=true", ["--tag", "127.0.0.1:1/a:1"], "can't push tagged ref"),
            ("type=image,push-by-digest=true,push=true", [], "tag is needed when pushing to registry"),
        ] {
            var stderr = ""
            let exit = try await ChildProcess(StubDocker.path, ["buildx", "build", "--platform", "linux/amd64", "--output", output, "--progress", "rawjson"] + extra + ["."])
                .run { stderr += $0.text }
            #expect(exit == .exited(1))
            #expect(stderr.contains(message))
        }
    }

    @Test func autoDetectionPicksBuildxOnlyWhenItWorks() async {
        #expect(await BuilderDetection.resolve(.auto, docker: StubDocker.path) == .buildx)
        #expect(await BuilderDetection.resolve(.auto, docker: StubDocker.path, environment: ["GANTRY_STUB_NO_BUILDX": "1"]) == .buildah)
        #expect(await BuilderDetection.resolve(.auto, docker: "gantry-no-docker-here") == .buildah)
        #expect(await BuilderDetection.resolve(.buildah, docker: StubDocker.path) == .buildah)
    }
}
