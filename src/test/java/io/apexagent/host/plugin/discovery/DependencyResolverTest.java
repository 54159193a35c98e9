package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.discovery.DependencyFailure.Kind;

class DependencyResolverTest {

    private final DependencyResolver resolver = new DependencyResolver();

    /** {@code deps} alternate id and range; a range ending with {@code "?"} is optional. */
    static PluginManifest plugin(String id, String version, String... deps) {
        Map<String, PluginManifest.PluginDependency> plugins = new LinkedHashMap<>();
        for (int i = 0; i < deps.length; i += 2) {
            boolean optional = deps[i + 1].endsWith("?");
            String range = optional ? deps[i + 1].substring(0, deps[i + 1].length() - 1) : deps[i + 1];
            plugins.put(deps[i], new PluginManifest.PluginDependency(deps[i], range, optional));
        }
        return new PluginManifest(Path.of("/plugins", id, version), id, id, version, "", "plugin.jar",
                "com.example.Plugin", "", "", "", new PluginManifest.Dependencies(plugins, Map.of()), List.of(),
                true, List.of(), "classloader", PluginManifest.Limits.DEFAULTS, 1, PluginManifest.Events.NONE);
    }

    private static List<String> ids(ResolutionResult result) {
        return result.loadOrder().stream().map(PluginManifest::id).toList();
    }

    @Test
    void ordersDependenciesFirst() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("app", "1.0.0", "web", "^2.0.0", "core", ">=1.0.0"),
                plugin("web", "2.3.1", "core", "~1.2"),
                plugin("core", "1.2.9")));

        assertThat(result.isComplete()).isTrue();
        assertThat(ids(result)).containsExactly("core", "web", "app");
        assertThat(result.dependentsOf("core")).containsExactly("app", "web");
        assertThat(result.dependentsOf("app")).isEmpty();
    }

    @Test
    void cycleFailsOnlyItsMembersAndNamesTheWholeCycle() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "b", "*"),
                plugin("b", "1.0.0", "c", "*"),
                plugin("c", "1.0.0", "a", "*"),
                plugin("free", "1.0.0")));

        assertThat(ids(result)).containsExactly("free");
        assertThat(result.failure("a")).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CYCLE);
            assertThat(f.chainText()).isEqualTo("a -> b -> c -> a");
            assertThat(f.message()).contains("dependency cycle a -> b -> c -> a");
        });
        assertThat(result.failure("c").orElseThrow().chainText()).isEqualTo("c -> a -> b -> c");
    }

    @Test
    void missingDependencyFailsThePluginAndItsDependantsWithTheChain() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "b", "^1.0.0"),
                plugin("b", "1.4.0", "c", "^1.0.0"),
                plugin("other", "1.0.0")));

        assertThat(ids(result)).containsExactly("other");
        DependencyFailure b = result.failure("b").orElseThrow();
        assertThat(b.kind()).isEqualTo(Kind.MISSING);
        assertThat(b.message()).contains("requires plugin 'c' ^1.0.0, which is not installed");
        DependencyFailure a = result.failure("a").orElseThrow();
        assertThat(a.kind()).isEqualTo(Kind.TRANSITIVE);
        assertThat(a.chain()).containsExactly("a", "b");
        assertThat(a.message()).contains("requires 'b', which cannot load: a -> b").contains("'c' ^1.0.0");
        assertThat(a.toException().pluginId()).isEqualTo("a");
        assertThat(a.toException().errorType()).isEqualTo("dependency");
    }

    @Test
    void transitiveFailureThroughACycleNamesTheChain() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("top", "1.0.0", "mid", "*"),
                plugin("mid", "1.0.0", "x", "*"),
                plugin("x", "1.0.0", "y", "*"),
                plugin("y", "1.0.0", "x", "*")));

        assertThat(result.failure("top").orElseThrow().chainText()).isEqualTo("top -> mid -> x -> y -> x");
        assertThat(result.failure("mid").orElseThrow().kind()).isEqualTo(Kind.TRANSITIVE);
        assertThat(result.loadOrder()).isEmpty();
    }

    @Test
    void incompatibleVersionNamesTheRangeAndTheInstalledVersions() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "b", "^3.0.0"),
                plugin("b", "2.1.0"),
                plugin("b", "1.0.0")));

        DependencyFailure a = result.failure("a").orElseThrow();
        assertThat(a.kind()).isEqualTo(Kind.INCOMPATIBLE);
        assertThat(a.message()).contains("requires plugin 'b' ^3.0.0 but version 2.1.0 was chosen")
                .contains("installed: 2.1.0, 1.0.0");
        assertThat(ids(result)).containsExactly("b");
    }

    @Test
    void conflictingDependantsGetTheHighestAndOnlyTheUnsatisfiedOneFails() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("old", "1.0.0", "lib", "^1.0.0"),
                plugin("new", "1.0.0", "lib", "^2.0.0"),
                plugin("lib", "1.5.0"),
                plugin("lib", "2.0.1")));

        assertThat(result.chosenVersions()).containsEntry("lib", "2.0.1");
        assertThat(ids(result)).containsExactly("lib", "new");
        assertThat(result.failure("old").orElseThrow().message())
                .contains("other dependants need a version outside this range");
    }

    @Test
    void choosesTheHighestVersionCompatibleWithAllDependants() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "lib", ">=1.0.0 <2.0.0"),
                plugin("b", "1.0.0", "lib", "~1.2"),
                plugin("lib", "1.1.0"),
                plugin("lib", "1.2.7"),
                plugin("lib", "1.3.0"),
                plugin("lib", "2.0.0")));

        assertThat(result.isComplete()).isTrue();
        assertThat(result.chosenVersions()).containsEntry("lib", "1.2.7");
        assertThat(ids(result)).containsExactly("lib", "a", "b");
    }

    @Test
    void versionChoiceFollowsTheChosenVersionOfTheDependant() {
        // app 2.0.0 wins, and it is the one that needs lib ^2; app 1.0.0's ^1 must not count.
        ResolutionResult result = resolver.resolve(List.of(
                plugin("app", "1.0.0", "lib", "^1.0.0"),
                plugin("app", "2.0.0", "lib", "^2.0.0"),
                plugin("lib", "1.9.0"),
                plugin("lib", "2.2.0")));

        assertThat(result.chosenVersions()).containsEntry("app", "2.0.0").containsEntry("lib", "2.2.0");
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void pinOverridesTheHighestAndIsCheckedAgainstDependants() {
        List<PluginManifest> all = List.of(
                plugin("a", "1.0.0", "lib", "^1.0.0"),
                plugin("lib", "1.0.0"),
                plugin("lib", "1.5.0"),
                plugin("lib", "2.0.0"));

        assertThat(resolver.resolve(all, Map.of("lib", "1.0.0")).chosenVersions()).containsEntry("lib", "1.0.0");
        ResolutionResult pinnedHigh = resolver.resolve(all, Map.of("lib", "2.0.0"));
        assertThat(pinnedHigh.failure("a").orElseThrow().message()).contains("'lib' is pinned to 2.0.0");
        assertThat(ids(pinnedHigh)).containsExactly("lib");
    }

    @Test
    void pinToAnAbsentVersionFailsThatPluginAndItsDependants() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "lib", "*"),
                plugin("lib", "1.0.0")), Map.of("lib", "9.9.9"));

        assertThat(result.failure("lib").orElseThrow().kind()).isEqualTo(Kind.PIN);
        assertThat(result.failure("lib").orElseThrow().message()).contains("pinned to '9.9.9'").contains("installed: 1.0.0");
        assertThat(result.failure("a").orElseThrow().chainText()).isEqualTo("a -> lib");
        assertThat(result.loadOrder()).isEmpty();
    }

    @Test
    void optionalDependencyOrdersWhenPresentAndNeverFails() {
        ResolutionResult present = resolver.resolve(List.of(
                plugin("a", "1.0.0", "z-extra", "^1.0.0?"),
                plugin("z-extra", "1.1.0")));
        assertThat(ids(present)).containsExactly("z-extra", "a");
        assertThat(present.dependentsOf("z-extra")).isEmpty();

        ResolutionResult missing = resolver.resolve(List.of(plugin("a", "1.0.0", "z-extra", "^1.0.0?")));
        assertThat(missing.isComplete()).isTrue();
        assertThat(ids(missing)).containsExactly("a");

        ResolutionResult incompatible = resolver.resolve(List.of(
                plugin("a", "1.0.0", "z-extra", "^2.0.0?"),
                plugin("z-extra", "1.1.0")));
        assertThat(incompatible.isComplete()).isTrue();
        assertThat(ids(incompatible)).containsExactly("a", "z-extra");
    }

    @Test
    void optionalDependencyOnAFailedPluginDoesNotFail() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "broken", "*?"),
                plugin("broken", "1.0.0", "nowhere", "*")));

        assertThat(ids(result)).containsExactly("a");
        assertThat(result.failures()).containsOnlyKeys("broken");
    }

    @Test
    void optionalEdgeClosingACycleIsDroppedNotFailed() {
        ResolutionResult result = resolver.resolve(List.of(
                plugin("a", "1.0.0", "b", "*"),
                plugin("b", "1.0.0", "a", "*?")));

        assertThat(result.isComplete()).isTrue();
        assertThat(ids(result)).containsExactly("b", "a");
    }

    @Test
    void duplicateFoldersOfTheChosenVersionFail() {
        PluginManifest one = plugin("dup", "1.0.0");
        PluginManifest two = new PluginManifest(Path.of("/elsewhere/dup"), "dup", "dup", "1.0.0", "", "plugin.jar",
                "com.example.Plugin", "", "", "", PluginManifest.Dependencies.NONE, List.of(), true, List.of(),
                "classloader", PluginManifest.Limits.DEFAULTS, 1, PluginManifest.Events.NONE);

        ResolutionResult result = resolver.resolve(List.of(one, two));

        assertThat(result.failure("dup").orElseThrow().kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(result.failure("dup").orElseThrow().message()).contains("/elsewhere/dup").contains("/plugins/dup/1.0.0");
    }
}
